// The edge's HTTP endpoint (cpp-httplib), on the plant network:
//   GET  /v1/status                  the outbox, forwarder, collector and sources (JSON)
//   GET  /v1/quarantine?after=ID&limit=N   quarantined readings with their reasons
//   POST /v1/quarantine/ID/replay    offers a quarantined reading again (after a fix)
//   GET  /v1/health
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace httplib {
class Server;
}

namespace gemba::edge {

class Collector;
class Outbox;

class StatusApi {
 public:
  StatusApi(std::function<nlohmann::json()> status, Outbox& outbox, Collector& collector);
  ~StatusApi();  // stops

  // Binds HOST:PORT (port 0: a free one) and serves on its own thread, with the routes
  // `more` adds (the operators' procedures); false and `*error` when it cannot.
  bool start(const std::string& listen, std::string* error,
             const std::function<void(httplib::Server&)>& more = {});
  void stop();
  std::string address() const;

 private:
  std::function<nlohmann::json()> status_;
  Outbox& outbox_;
  Collector& collector_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string address_;
};

// A whole number as a request or a cursor writes it (digits only, at most 19); false
// when `text` is not one.
bool parse_u64(const std::string& text, std::uint64_t* out);

// HOST:PORT split; false when it is not one.
bool split_host_port(const std::string& text, std::string* host, int* port);

}  // namespace gemba::edge
