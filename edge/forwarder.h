// The forwarder: sends the outbox to the center in batches (`POST /v1/ingest`, WIRE.md)
// on one thread, and deletes from the outbox only what the center acknowledged.
//
// Order: strictly by sequence number, oldest first. After an outage the backlog goes
// first, in full batches back to back, while the sources keep appending live records
// behind it; live data reaches the center once the backlog ahead of it has drained.
// One dense stream per edge is what lets the center drop duplicates with a single
// comparison against its high-water mark.
//
// Failures: a connection failure, a timeout or a 5xx is retried with exponential
// backoff and full jitter (0.1 s doubling to 30 s). A refusal (400, 401, 403, or a 409
// showing the center has lost records it had acknowledged) cannot be fixed by retrying
// soon: it is logged once, shown in status(), and retried at the longest backoff. A 413
// halves the batch. Nothing is deleted without an acknowledgement.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "edge/outbox.h"

namespace httplib {
class Client;
}

namespace gemba::edge {

struct ForwarderOptions {
  std::string center;  // http://HOST:PORT or https://HOST:PORT
  std::string token;
  std::string ca_file;  // https: the CA that signed the center's certificate
  std::string plant;
  std::size_t max_records = 5000;
  std::size_t max_bytes = 4 << 20;
  double backoff_min_s = 0.1, backoff_max_s = 30;
};

struct ForwarderStatus {
  std::string state = "idle";  // idle, sending, backing off, refused
  std::string last_error;
  std::uint64_t batches = 0;   // acknowledged
  std::uint64_t records = 0;   // acknowledged as newly stored
  std::uint64_t duplicates = 0;  // acknowledged as already there (resent after a failure)
  std::uint64_t failures = 0;
  std::int64_t last_ack_us = 0;
};

class Forwarder {
 public:
  Forwarder(Outbox& outbox, ForwarderOptions options);
  ~Forwarder();  // stops

  void start();
  void notify();  // new records in the outbox
  void stop();    // interrupts a backoff; waits for the request in flight (bounded)
  ForwarderStatus status() const;

 private:
  void run();
  bool send_once();  // true: progress; false: back off
  void fail(const std::string& state, const std::string& error, bool refused);
  void wait_for(double seconds);

  Outbox& outbox_;
  ForwarderOptions options_;
  std::unique_ptr<httplib::Client> client_;  // kept alive between batches; reset on failure
  std::size_t max_records_;
  int attempt_ = 0;
  bool refused_ = false;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool notified_ = false;
  ForwarderStatus status_;
  std::thread thread_;
};

}  // namespace gemba::edge
