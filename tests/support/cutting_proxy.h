// Test support: a TCP proxy on loopback that cuts connections in the middle of a
// response. Each accepted connection is forwarded to `upstream_port`; after a random
// number of bytes from upstream (between `min_cut` and `max_cut`, drawn per connection
// from `seed`) both sides are closed, usually in the middle of a response whose
// request the server has already carried out. Header-only; stops in its destructor.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace gemba::testing {

class CuttingProxy {
 public:
  CuttingProxy(int upstream_port, std::size_t min_cut, std::size_t max_cut, std::uint64_t seed)
      : upstream_port_(upstream_port), random_(seed), min_cut_(min_cut), max_cut_(max_cut) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 64);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    accepter_ = std::thread([this] { accept_loop(); });
  }
  ~CuttingProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    accepter_.join();
    for (auto& t : pumps_) t.join();
  }
  int port() const { return port_; }
  std::uint64_t cuts() const { return cuts_; }
  std::uint64_t connections() const { return connections_; }

 private:
  void accept_loop() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      a.sin_port = htons(static_cast<std::uint16_t>(upstream_port_));
      if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      std::size_t cut = std::uniform_int_distribution<std::size_t>(min_cut_, max_cut_)(random_);
      ++connections_;
      pumps_.emplace_back([this, client, server, cut] { pump(client, server, cut); });
    }
  }

  // Copies both ways until either side closes or `cut` bytes came from upstream.
  void pump(int client, int server, std::size_t cut) {
    std::size_t from_server = 0;
    char buffer[16384];
    while (!stopping_) {
      pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      if (::poll(p, 2, 100) <= 0) continue;
      if (p[0].revents) {
        ssize_t n = ::read(client, buffer, sizeof buffer);
        if (n <= 0 || ::write(server, buffer, n) != n) break;
      }
      if (p[1].revents) {
        ssize_t n = ::read(server, buffer, sizeof buffer);
        if (n <= 0) break;
        std::size_t send = std::min<std::size_t>(n, cut - from_server);
        if (::write(client, buffer, send) != static_cast<ssize_t>(send)) break;
        from_server += send;
        if (from_server >= cut) {
          ++cuts_;
          break;
        }
      }
    }
    ::close(client);
    ::close(server);
  }

  int upstream_port_;
  std::mt19937_64 random_;
  std::size_t min_cut_, max_cut_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> cuts_{0}, connections_{0};
  std::thread accepter_;
  std::vector<std::thread> pumps_;
};

}  // namespace gemba::testing
