#include "runtime/center/center_server.h"

#include <sys/socket.h>

#include <charconv>
#include <chrono>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace gemba::center {
namespace {

using namespace std::chrono_literals;

constexpr const char* kJson = "application/json";

void reply(const ApiResponse& api, httplib::Response& res) {
  res.status = api.status;
  for (const auto& [name, value] : api.headers) res.set_header(name, value);
  res.set_content(api.body, kJson);
}

Params params_of(const httplib::Request& req) {
  Params params;
  for (const auto& [name, value] : req.params) params.emplace(name, value);  // first wins
  return params;
}

// The body of an error httplib answers itself (413, 404, 400 on a broken request).
std::string default_error(int status) {
  switch (status) {
    case 413:
      return "the request body is larger than " + std::to_string(wire::kMaxBatchBytes) +
             " bytes; send smaller batches";
    case 404:
      return "no such endpoint; see WIRE.md for /v1/ingest, /v1/edges, /v1/samples, "
             "/v1/records, /v1/health";
    default:
      return "the request was refused (HTTP " + std::to_string(status) + ")";
  }
}

// Only SO_REUSEADDR: httplib's default adds SO_REUSEPORT, which would let a second center
// bind the same port and share its connections instead of failing.
void socket_options(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error) {
  ListenAddress address;
  std::size_t colon = text.rfind(':');
  std::string_view host = colon == std::string_view::npos ? "" : text.substr(0, colon);
  std::string_view port = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    host = {};  // an IPv6 address without brackets: ambiguous
  }
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || port.empty() ||
      address.port < 0 || address.port > 65535) {
    *error = "`" + std::string(text) +
             "` is not HOST:PORT (like 127.0.0.1:8400, [::1]:8400 or 0.0.0.0:0)";
    return std::nullopt;
  }
  address.host = host;
  return address;
}

CenterServer::CenterServer(IngestStore& store, const Tokens& tokens,
                           std::unique_ptr<httplib::Server> http,
                           const CenterServerOptions& options)
    : api_(store, tokens), http_(std::move(http)), options_(options) {}

CenterServer::~CenterServer() { stop(); }

std::unique_ptr<CenterServer> CenterServer::bind(IngestStore& store, const Tokens& tokens,
                                                 const CenterServerOptions& options,
                                                 std::string* error) {
  std::unique_ptr<httplib::Server> http;
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    *error = "TLS needs both a certificate (--tls-cert) and its key (--tls-key)";
    return nullptr;
  }
  if (!options.tls_cert.empty()) {
    http = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!http->is_valid()) {
      *error = "cannot load the TLS certificate " + options.tls_cert + " and key " +
               options.tls_key + " (unreadable, not PEM, or the key does not match)";
      return nullptr;
    }
  } else {
    http = std::make_unique<httplib::Server>();
  }
  std::unique_ptr<CenterServer> server(new CenterServer(store, tokens, std::move(http), options));
  server->route();
  const ListenAddress& a = options.address;
  server->port_ = a.port == 0 ? server->http_->bind_to_any_port(a.host)
                              : (server->http_->bind_to_port(a.host, a.port) ? a.port : -1);
  if (server->port_ < 0) {
    *error = "cannot listen on " + a.host + ":" + std::to_string(a.port) +
             " (the port is in use, or the host is not an address of this machine)";
    return nullptr;
  }
  return server;
}

void CenterServer::route() {
  httplib::Server& http = *http_;
  http.set_socket_options(socket_options);
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(2);  // an idle keep-alive connection delays stop() this long
  http.set_payload_max_length(wire::kMaxBatchBytes);
  http.Post("/v1/ingest", [this](const httplib::Request& req, httplib::Response& res) {
    reply(api_.ingest(req.get_header_value("Authorization"), req.body), res);
  });
  http.Get("/v1/edges", [this](const httplib::Request&, httplib::Response& res) {
    reply(api_.edges(), res);
  });
  http.Get("/v1/samples", [this](const httplib::Request& req, httplib::Response& res) {
    reply(api_.samples(params_of(req)), res);
  });
  http.Get("/v1/records", [this](const httplib::Request& req, httplib::Response& res) {
    reply(api_.records(params_of(req)), res);
  });
  http.Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
    reply(api_.health(), res);
  });
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        nlohmann::json body = {{"error", default_error(res.status)}};
        res.set_content(body.dump(), kJson);
        return httplib::Server::HandlerResponse::Handled;
      }));
  if (options_.log) {
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      if (res.status < 400) return;
      std::string why = res.body.size() > 300 ? res.body.substr(0, 300) + "..." : res.body;
      options_.log("refused " + req.method + " " + req.path + " from " + req.remote_addr + ": " +
                   std::to_string(res.status) + " " + why);
    });
  }
}

std::string CenterServer::address() const {
  const std::string& host = options_.address.host;
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port_);
}

std::string CenterServer::url() const {
  return (options_.tls_cert.empty() ? "http://" : "https://") + address();
}

void CenterServer::run() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_requested_) return;
    running_ = true;
  }
  http_->listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
  ran_.notify_all();
}

void CenterServer::stop() {
  std::unique_lock<std::mutex> lock(mutex_);
  stop_requested_ = true;
  // run() may be between its check and httplib's listen loop, where httplib's stop() is a
  // no-op (it stops only a running loop): wait for the loop, stop it once, wait for run()
  // to return (httplib joins its handler threads first).
  while (running_) {
    if (!http_stopped_ && http_->is_running()) {
      http_->stop();
      http_stopped_ = true;
    }
    ran_.wait_for(lock, 20ms);
  }
}

}  // namespace gemba::center
