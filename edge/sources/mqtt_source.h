// One MQTT broker's signals (`mqtt://host[:1883]/topic/path`, `mqtts://host[:8883]/...`
// over TLS): one client per broker, subscribed to each signal's topic (the address's
// path, exactly: no wildcards) at QoS 1 with a persistent session (clean_session false,
// a stable client id), so the broker queues messages while the edge is away.
//
// Payloads: a number, `true`/`false`, an enum member name, or
// `{"value": ..., "time": ...}` (time ISO 8601 with a zone, or integer microseconds).
// The reading's time is the payload's, else the time of receipt. Anything else becomes a
// reading without a value whose problem says why (the collector quarantines it). An empty
// payload (a retained message being cleared) is ignored.
//
// Acknowledgement ("durable before acknowledged"). libmosquitto 2.0.11 queues a QoS 1
// PUBACK *before* it calls on_message (lib/handle_publish.c); an unthreaded client writes
// it to the socket at once, before the callback runs, so a crash during the callback
// would lose the message. This client is marked threaded (mosquitto_threaded_set), so
// queued packets reach the socket only through mosquitto_loop_write()/mosquitto_loop(),
// and the source drives the loop itself: it reads what is available (up to kMqttBatch
// messages), offers the batch, and writes the PUBACKs only after offer() returned true.
// (Until the broker's CONNACK it uses mosquitto_loop(), and then offers each message
// inside on_message, before that same call writes.) If offer() returns false (the edge
// stops) the source shuts the socket down so no PUBACK leaves. So a message is
// acknowledged only once it is durable, and a crash, a stop or a lost connection before
// that leaves it with the broker, which delivers it again to the same client id:
// at-least-once, with a duplicate when the edge dies between storing and acknowledging.
//
// Limits of that guarantee: only QoS 1 and 2 publications are kept for the edge (QoS 0
// is at most once; QoS 2 is delivered to it as QoS 1, so libmosquitto's QoS 2 path, which
// acknowledges before the callback, is never used); the broker must keep the session and
// its queue (mosquitto: `persistence true` to survive its restart, `max_queued_messages`
// large enough for the longest absence: beyond it, it drops messages); while offer()
// blocks (outbox over quota), the client neither reads nor pings, and the broker may
// close the connection after 1.5 x keepalive: the unacknowledged messages come again
// after the reconnection.
//
// Reconnection: with exponential backoff (0.5 s doubling to 30 s; not
// mosquitto_reconnect_delay_set, which only loop_forever uses), a connection attempt
// without CONNACK after 10 s counts as failed. Errors (failed connections, lost
// connections, refused subscriptions, unreadable payloads) are counted in status().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edge/sources/source.h"
#include "edge/sources/stop_flag.h"

struct mosquitto;
struct mosquitto_message;

namespace gemba::edge {

inline constexpr std::size_t kMqttBatch = 1000;

struct MqttSourceOptions {
  std::string name;  // for status and messages: `mqtt://hou-broker`
  std::string host;  // where it is reached (after --connect)
  int port = 1883;
  bool tls = false;
  std::string ca_file;    // TLS: the CA bundle; empty: the system's (/etc/ssl/certs)
  std::string client_id;  // stable across restarts: the broker keeps the session by it
  int keepalive_s = 30;
  std::vector<SignalInfo> signals;  // topic = the address's path
};

class MqttSource : public Source {
 public:
  explicit MqttSource(MqttSourceOptions options);
  ~MqttSource() override;

  void start(ReadingSink& sink) override;
  void stop() override;
  SourceStatus status() const override;

 private:
  static void on_connect(struct mosquitto*, void* self, int rc);
  static void on_disconnect(struct mosquitto*, void* self, int rc);
  static void on_subscribe(struct mosquitto*, void* self, int mid, int count, const int* granted);
  static void on_message(struct mosquitto*, void* self, const struct mosquitto_message* message);

  void run(ReadingSink& sink);
  bool setup(std::string* error);
  int pump();
  bool flush();
  void abandon();
  void subscribe();
  void note_error(const std::string& error);
  std::string where() const;

  MqttSourceOptions options_;
  std::map<std::string, std::vector<std::size_t>> topics_;  // topic -> indexes in signals

  struct mosquitto* mosq_ = nullptr;  // owned by the thread
  ReadingSink* sink_ = nullptr;
  std::vector<Reading> pending_;  // read, not yet offered
  bool batching_ = false;         // reading with mosquitto_loop_read: offer later
  bool connack_ = false;
  bool abandoned_ = false;  // offer() returned false: acknowledge nothing more
  std::map<int, std::vector<std::string>> subscribing_;  // mid -> topics

  std::atomic<bool> stopping_{false};
  StopFlag stop_;
  int wake_fd_ = -1;  // eventfd: stop() wakes the poll
  std::thread thread_;
  mutable std::mutex mutex_;
  SourceStatus status_;
};

}  // namespace gemba::edge
