#include "edge/status_api.h"

#include <chrono>

#include <httplib.h>

#include "edge/collector.h"
#include "edge/outbox.h"

namespace gemba::edge {
namespace {

void reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(2) + "\n", "application/json");
}

nlohmann::json to_json(const QuarantineEntry& e) {
  nlohmann::json j = {{"id", e.id},         {"time_us", e.time_us}, {"address", e.address},
                      {"subject", e.subject}, {"reason", e.reason},  {"replayed", e.replayed}};
  if (e.has_value && std::isfinite(e.value)) j["value"] = e.value;
  if (!e.has_value || !std::isfinite(e.value)) j["text"] = e.has_value ? std::to_string(e.value) : e.text;
  return j;
}

}  // namespace

bool parse_u64(const std::string& text, std::uint64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  *out = std::stoull(text);
  return true;
}

bool split_host_port(const std::string& text, std::string* host, int* port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::uint64_t p = 0;
  if (!parse_u64(text.substr(colon + 1), &p) || p > 65535) return false;
  *host = text.substr(0, colon);
  *port = static_cast<int>(p);
  return true;
}

StatusApi::StatusApi(std::function<nlohmann::json()> status, Outbox& outbox, Collector& collector)
    : status_(std::move(status)), outbox_(outbox), collector_(collector) {}

StatusApi::~StatusApi() { stop(); }

bool StatusApi::start(const std::string& listen, std::string* error,
                      const std::function<void(httplib::Server&)>& more) {
  std::string host;
  int port = 0;
  if (!split_host_port(listen, &host, &port)) {
    *error = "--listen `" + listen + "` is not HOST:PORT (e.g. 127.0.0.1:8401)";
    return false;
  }
  server_ = std::make_unique<httplib::Server>();
  server_->set_tcp_nodelay(true);
  server_->Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, {{"status", "ok"}});
  });
  server_->Get("/v1/status", [this](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, status_());
  });
  server_->Get("/v1/quarantine", [this](const httplib::Request& req, httplib::Response& res) {
    std::uint64_t after = 0, limit = 100;
    if ((req.has_param("after") && !parse_u64(req.get_param_value("after"), &after)) ||
        (req.has_param("limit") && !parse_u64(req.get_param_value("limit"), &limit))) {
      return reply(res, 400, {{"error", "after and limit are whole numbers"}});
    }
    nlohmann::json items = nlohmann::json::array();
    for (const QuarantineEntry& e : outbox_.quarantine(after, std::min<std::uint64_t>(limit, 10000))) {
      items.push_back(to_json(e));
    }
    reply(res, 200, {{"quarantined", outbox_.status().quarantined}, {"items", items}});
  });
  server_->Post(R"(/v1/quarantine/(\d+)/replay)",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::uint64_t id = 0;
                  if (!parse_u64(req.matches[1], &id)) {
                    return reply(res, 400, {{"error", "the id is a whole number"}});
                  }
                  std::string error;
                  if (!collector_.replay(id, &error)) return reply(res, 409, {{"error", error}});
                  reply(res, 200, {{"replayed", id}});
                });
  if (more) more(*server_);
  if (port == 0) {
    port = server_->bind_to_any_port(host);
    if (port < 0) {
      *error = "cannot listen on " + listen;
      return false;
    }
  } else if (!server_->bind_to_port(host, port)) {
    *error = "cannot listen on " + listen + " (in use, or not an address of this machine)";
    return false;
  }
  address_ = host + ":" + std::to_string(port);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server_->is_running()) {
    *error = "the status endpoint on " + address_ + " did not start";
    return false;
  }
  return true;
}

void StatusApi::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string StatusApi::address() const { return address_; }

}  // namespace gemba::edge
