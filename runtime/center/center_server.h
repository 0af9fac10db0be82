// The center's HTTP(S) server: routes the API (center_api.h) on cpp-httplib, over TLS
// when given a certificate. Lifecycle: bind() (the address is taken and the port known),
// then run() on some thread until stop() is called from another.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/center/center_api.h"

namespace httplib {
class Server;
}

namespace gemba::center {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "0.0.0.0", "::1" (without brackets), a name
  int port = 0;      // 0: any free port
};
// `HOST:PORT` or `[V6]:PORT`; nullopt and `*error` when it is neither.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error);

struct CenterServerOptions {
  ListenAddress address;
  std::string tls_cert, tls_key;  // PEM files; both or neither
  // One line (no newline) per refused request (status >= 400): method, path, peer,
  // status and the error. Called from handler threads. Nothing is logged when empty.
  std::function<void(const std::string&)> log;
};

class CenterServer {
 public:
  // Binds the address. Null and `*error` when the TLS files cannot be loaded or the
  // address cannot be taken (in use, or not an address of this host).
  static std::unique_ptr<CenterServer> bind(IngestStore& store, const Tokens& tokens,
                                            const CenterServerOptions& options,
                                            std::string* error);
  ~CenterServer();

  int port() const { return port_; }
  // `http://127.0.0.1:41234` (https for TLS), `[::1]` for IPv6 hosts.
  std::string url() const;
  std::string address() const;  // HOST:PORT as bound, for --address-file

  // Serves until stop(). Returns at once if stop() came first. When it returns, every
  // request it accepted has been answered (the handler threads are joined).
  void run();
  // Thread-safe, idempotent, callable before, during or after run(): stops accepting and
  // waits until run() has returned (if it is running).
  void stop();

  const CenterApi& api() const { return api_; }

 private:
  CenterServer(IngestStore& store, const Tokens& tokens, std::unique_ptr<httplib::Server> http,
               const CenterServerOptions& options);
  void route();

  CenterApi api_;
  std::unique_ptr<httplib::Server> http_;
  CenterServerOptions options_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable ran_;
  bool stop_requested_ = false;  // guarded by mutex_
  bool running_ = false;         // guarded by mutex_: run() is inside the listen loop
  bool http_stopped_ = false;    // guarded by mutex_: httplib's stop() was called
};

}  // namespace gemba::center
