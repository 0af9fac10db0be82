// One Modbus TCP server's signals (`modbus://host:port/unit/register`, modbus_point.h):
// one connection and one thread per server, polling each signal at its collect period.
// Points of the same unit and table due together are read in one request when they lie
// close (gaps of up to 8 registers are read and dropped), at most 125 registers or 2000
// bits a request. A poll's readings go to the sink in one offer().
//
// Polling reads the present value, so there is nothing to acknowledge: a poll whose
// offer() did not return true is simply lost, as a value nobody read. While offer()
// blocks (outbox over quota) or the server is unreachable, the polls that come due are
// skipped and counted in status().missed; nothing is buffered.
//
// Failures: an exception answer (illegal address, ...) is counted against that request
// and the connection kept; anything else (timeout, reset, garbled answer) closes the
// connection, and the source reconnects with exponential backoff (0.5 s doubling to
// 30 s). Never throws. stop() interrupts a read in progress (it shuts the socket down);
// a connection attempt in progress ends within the timeout (name resolution excepted).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edge/sources/modbus_point.h"
#include "edge/sources/source.h"
#include "edge/sources/stop_flag.h"

typedef struct _modbus modbus_t;

namespace gemba::edge {

struct ModbusSourceOptions {
  std::string name;  // for status and messages: `modbus://10.40.1.21:502`
  std::string host;  // where it is reached (after --connect)
  int port = 502;
  std::vector<SignalInfo> signals;          // with valid modbus:// addresses of this server
  std::chrono::milliseconds timeout{1000};  // to connect, and for each answer
};

class ModbusSource : public Source {
 public:
  explicit ModbusSource(ModbusSourceOptions options);
  ~ModbusSource() override;

  void start(ReadingSink& sink) override;
  void stop() override;
  SourceStatus status() const override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Slot {
    std::size_t signal;
    ModbusPoint point;
    Clock::duration period;
    Clock::time_point next;
  };
  struct Request {
    int unit;
    ModbusTable table;
    int start, count;
    std::vector<std::size_t> slots;
  };

  void run(ReadingSink& sink);
  bool connect();
  void disconnect();
  std::vector<Request> plan(const std::vector<std::size_t>& due) const;
  bool read(const Request& request, std::vector<Reading>& readings);
  void note_error(const std::string& error, bool connection);

  ModbusSourceOptions options_;
  std::vector<Slot> slots_;

  modbus_t* ctx_ = nullptr;  // owned by the thread
  bool connected_ = false;
  std::mutex fd_mutex_;
  int fd_ = -1;  // the connected socket, for stop() to shut down

  std::atomic<bool> stopping_{false};
  StopFlag stop_;
  std::thread thread_;
  mutable std::mutex mutex_;
  SourceStatus status_;
};

}  // namespace gemba::edge
