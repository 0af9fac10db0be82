// A real Modbus TCP server for tests: libmodbus answering on 127.0.0.1 at a free port,
// from a thread, with one register map per unit id (made when first set or asked), so a
// test sets coils and registers and a source reads them over TCP. stop() and start()
// again (same port, same values) simulate a server going down and coming back.
#pragma once

#include <errno.h>
#include <modbus/modbus.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/support/mosquitto_broker.h"  // free_tcp_port

namespace gemba::testing {

class ModbusServer {
 public:
  static constexpr int kSize = 10000;  // per table: references 00001..09999 and so on

  ModbusServer() : port_(free_tcp_port()) {}
  ~ModbusServer() {
    stop();
    for (auto& [unit, mapping] : maps_) modbus_mapping_free(mapping);
  }
  ModbusServer(const ModbusServer&) = delete;
  ModbusServer& operator=(const ModbusServer&) = delete;

  int port() const { return port_; }
  std::uint64_t requests() const { return requests_; }

  // Listens and serves; false when it cannot listen.
  bool start() {
    if (thread_.joinable()) return true;
    ctx_ = modbus_new_tcp("127.0.0.1", port_);
    if (ctx_ == nullptr) return false;
    modbus_set_indication_timeout(ctx_, 1, 0);
    listen_fd_ = modbus_tcp_listen(ctx_, 8);
    if (listen_fd_ < 0) {
      modbus_free(ctx_);
      ctx_ = nullptr;
      return false;
    }
    stopping_ = false;
    thread_ = std::thread([this] { serve(); });
    return true;
  }

  // Closes the listener and every connection.
  void stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    thread_.join();
    for (int fd : clients_) ::close(fd);
    clients_.clear();
    ::close(listen_fd_);
    listen_fd_ = -1;
    modbus_free(ctx_);
    ctx_ = nullptr;
  }

  void set_holding(int unit, int offset, std::uint16_t value) {
    std::lock_guard lock(mutex_);
    map(unit)->tab_registers[offset] = value;
  }
  void set_input(int unit, int offset, std::uint16_t value) {
    std::lock_guard lock(mutex_);
    map(unit)->tab_input_registers[offset] = value;
  }
  void set_coil(int unit, int offset, bool value) {
    std::lock_guard lock(mutex_);
    map(unit)->tab_bits[offset] = value ? 1 : 0;
  }
  void set_discrete(int unit, int offset, bool value) {
    std::lock_guard lock(mutex_);
    map(unit)->tab_input_bits[offset] = value ? 1 : 0;
  }
  // Two holding registers, high word first.
  void set_holding_u32(int unit, int offset, std::uint32_t value) {
    set_holding(unit, offset, static_cast<std::uint16_t>(value >> 16));
    set_holding(unit, offset + 1, static_cast<std::uint16_t>(value & 0xFFFF));
  }
  // An IEEE 754 float in two holding registers, high word first ("ABCD"; not
  // modbus_set_float_abcd, which swaps the bytes in libmodbus 3.1.6 on little-endian).
  void set_holding_f32(int unit, int offset, float value) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    set_holding_u32(unit, offset, bits);
  }

 private:
  modbus_mapping_t* map(int unit) {
    auto found = maps_.find(unit);
    if (found != maps_.end()) return found->second;
    return maps_[unit] = modbus_mapping_new(kSize, kSize, kSize, kSize);
  }

  void serve() {
    std::vector<std::uint8_t> query(MODBUS_TCP_MAX_ADU_LENGTH);
    const int unit_at = modbus_get_header_length(ctx_) - 1;
    while (!stopping_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (int fd : clients_) fds.push_back({fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd >= 0) clients_.push_back(fd);
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        modbus_set_socket(ctx_, fds[i].fd);
        int length = modbus_receive(ctx_, query.data());
        if (length > 0) {
          ++requests_;
          std::lock_guard lock(mutex_);
          modbus_reply(ctx_, query.data(), length, map(query[unit_at]));
        } else if (length < 0) {
          ::close(fds[i].fd);
          std::erase(clients_, fds[i].fd);
        }
      }
    }
  }

  int port_;
  modbus_t* ctx_ = nullptr;
  int listen_fd_ = -1;
  std::vector<int> clients_;
  std::mutex mutex_;
  std::map<int, modbus_mapping_t*> maps_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> requests_{0};
  std::thread thread_;
};

}  // namespace gemba::testing
