#include "edge/sources/modbus_source.h"

#include <modbus/modbus.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include "edge/sources/address.h"

namespace gemba::edge {
namespace {

constexpr int kMaxGap = 8;  // registers read and dropped to join two requests

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_exception(int error) { return error >= EMBXILFUN && error <= EMBXGTAR; }

const char* table_name(ModbusTable table) {
  switch (table) {
    case ModbusTable::kCoil:
      return "coils";
    case ModbusTable::kDiscreteInput:
      return "discrete inputs";
    case ModbusTable::kInputRegister:
      return "input registers";
    default:
      return "holding registers";
  }
}

int reference_base(ModbusTable table) {
  switch (table) {
    case ModbusTable::kCoil:
      return 1;
    case ModbusTable::kDiscreteInput:
      return 10001;
    case ModbusTable::kInputRegister:
      return 30001;
    default:
      return 40001;
  }
}

}  // namespace

ModbusSource::ModbusSource(ModbusSourceOptions options) : options_(std::move(options)) {
  for (std::size_t i = 0; i < options_.signals.size(); ++i) {
    std::string error;
    std::optional<Address> address = parse_address(options_.signals[i].address, &error);
    std::optional<ModbusPoint> point;
    if (address) point = parse_modbus_point(*address, &error);
    if (!point) continue;  // make_sources refuses these before
    auto period =
        std::chrono::microseconds(std::max<std::int64_t>(1000, options_.signals[i].period_us));
    slots_.push_back({i, *point, period, Clock::time_point{}});
  }
  status_.name = options_.name;
}

ModbusSource::~ModbusSource() {
  stop();
  if (ctx_ != nullptr) modbus_free(ctx_);
}

void ModbusSource::start(ReadingSink& sink) {
  if (thread_.joinable()) return;
  stopping_ = false;
  stop_.reset();
  thread_ = std::thread([this, &sink] { run(sink); });
}

void ModbusSource::stop() {
  stopping_ = true;
  stop_.stop();
  {
    std::lock_guard lock(fd_mutex_);
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }
  if (thread_.joinable()) thread_.join();
}

SourceStatus ModbusSource::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void ModbusSource::note_error(const std::string& error, bool connection) {
  std::lock_guard lock(mutex_);
  ++status_.errors;
  status_.last_error =
      options_.name + " (" + options_.host + ":" + std::to_string(options_.port) + "): " + error;
  if (connection) status_.connected = false;
}

bool ModbusSource::connect() {
  if (ctx_ == nullptr) {
    ctx_ = modbus_new_tcp_pi(options_.host.c_str(), std::to_string(options_.port).c_str());
    if (ctx_ == nullptr) {
      note_error(std::string("cannot make a Modbus context: ") + modbus_strerror(errno), true);
      return false;
    }
    auto ms = options_.timeout.count();
    modbus_set_response_timeout(ctx_, static_cast<std::uint32_t>(ms / 1000),
                                static_cast<std::uint32_t>(ms % 1000 * 1000));
  }
  if (modbus_connect(ctx_) != 0) {
    note_error(std::string("cannot connect: ") + modbus_strerror(errno) +
                   " (is the server up and reachable? --connect NAME=HOST:PORT maps the plant "
                   "model's address)",
               true);
    modbus_close(ctx_);
    return false;
  }
  {
    std::lock_guard lock(fd_mutex_);
    fd_ = modbus_get_socket(ctx_);
    if (stopping_) ::shutdown(fd_, SHUT_RDWR);
  }
  connected_ = true;
  std::lock_guard lock(mutex_);
  status_.connected = true;
  return true;
}

void ModbusSource::disconnect() {
  {
    std::lock_guard lock(fd_mutex_);
    fd_ = -1;
  }
  if (ctx_ != nullptr) modbus_close(ctx_);
  connected_ = false;
  std::lock_guard lock(mutex_);
  status_.connected = false;
}

// Due points grouped into as few requests as the protocol allows.
std::vector<ModbusSource::Request> ModbusSource::plan(const std::vector<std::size_t>& due) const {
  std::vector<std::size_t> order = due;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const ModbusPoint &pa = slots_[a].point, &pb = slots_[b].point;
    return std::tie(pa.unit, pa.table, pa.offset) < std::tie(pb.unit, pb.table, pb.offset);
  });
  std::vector<Request> requests;
  for (std::size_t index : order) {
    const ModbusPoint& p = slots_[index].point;
    const int limit = p.is_bit() ? MODBUS_MAX_READ_BITS : MODBUS_MAX_READ_REGISTERS;
    if (!requests.empty()) {
      Request& last = requests.back();
      const int end = std::max(last.start + last.count, p.offset + p.width());
      if (last.unit == p.unit && last.table == p.table &&
          p.offset <= last.start + last.count + kMaxGap && end - last.start <= limit) {
        last.count = end - last.start;
        last.slots.push_back(index);
        continue;
      }
    }
    requests.push_back({p.unit, p.table, p.offset, p.width(), {index}});
  }
  return requests;
}

bool ModbusSource::read(const Request& request, std::vector<Reading>& readings) {
  modbus_set_slave(ctx_, request.unit);
  std::vector<std::uint16_t> registers;
  std::vector<std::uint8_t> bits;
  int rc;
  switch (request.table) {
    case ModbusTable::kCoil:
      bits.resize(static_cast<std::size_t>(request.count));
      rc = modbus_read_bits(ctx_, request.start, request.count, bits.data());
      break;
    case ModbusTable::kDiscreteInput:
      bits.resize(static_cast<std::size_t>(request.count));
      rc = modbus_read_input_bits(ctx_, request.start, request.count, bits.data());
      break;
    case ModbusTable::kInputRegister:
      registers.resize(static_cast<std::size_t>(request.count));
      rc = modbus_read_input_registers(ctx_, request.start, request.count, registers.data());
      break;
    default:
      registers.resize(static_cast<std::size_t>(request.count));
      rc = modbus_read_registers(ctx_, request.start, request.count, registers.data());
      break;
  }
  if (rc != request.count) {
    const int error = rc < 0 ? errno : EMBBADDATA;
    const bool exception = rc < 0 && is_exception(error);
    note_error(
        "reading unit " + std::to_string(request.unit) + " " + table_name(request.table) + " " +
            std::to_string(reference_base(request.table) + request.start) + ".." +
            std::to_string(reference_base(request.table) + request.start + request.count - 1) +
            " failed: " + modbus_strerror(error) +
            (exception ? " (check the register numbers in the plant model)" : ""),
        !exception);
    return exception;  // an exception answer leaves the connection usable
  }
  const std::int64_t time_us = now_us();
  for (std::size_t index : request.slots) {
    const Slot& slot = slots_[index];
    const std::size_t at = static_cast<std::size_t>(slot.point.offset - request.start);
    Reading reading;
    reading.address = options_.signals[slot.signal].address;
    reading.time_us = time_us;
    reading.value = slot.point.is_bit() ? (bits[at] != 0 ? 1 : 0)
                                        : decode_registers(slot.point, &registers[at]);
    if (!std::isfinite(reading.value)) {
      reading.has_value = false;
      reading.text = std::to_string(reading.value);
      reading.value = 0;
      reading.problem = options_.name + ": the register holds " + reading.text +
                        ", not a number (check ?type= in the address)";
    }
    readings.push_back(std::move(reading));
  }
  return true;
}

void ModbusSource::run(ReadingSink& sink) {
  Backoff backoff;
  const Clock::time_point begin = Clock::now();
  for (Slot& slot : slots_) slot.next = begin;
  while (!stopping_ && !slots_.empty()) {
    Clock::time_point earliest = slots_.front().next;
    for (const Slot& slot : slots_) earliest = std::min(earliest, slot.next);
    if (!stop_.wait_until(earliest)) break;
    if (!connected_ && !connect()) {
      if (!stop_.wait_for(backoff.next())) break;
      // Polls due meanwhile are counted as missed below.
    }
    const Clock::time_point now = Clock::now();
    std::vector<std::size_t> due;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].next <= now) due.push_back(i);
    }
    std::vector<Reading> readings;
    std::uint64_t skipped = 0;
    if (connected_) {
      backoff.reset();
      for (const Request& request : plan(due)) {
        if (stopping_) break;
        if (!read(request, readings) || !connected_) {
          disconnect();
          break;
        }
      }
    } else {
      skipped = due.size();
    }
    if (stopping_) break;
    const std::size_t count = readings.size();
    if (!readings.empty() && !sink.offer(std::move(readings))) break;
    // The next poll of each point, skipping (and counting) those whose time has passed.
    const Clock::time_point after = Clock::now();
    for (std::size_t i : due) {
      Slot& slot = slots_[i];
      slot.next += slot.period;
      if (slot.next <= after) {
        auto behind = (after - slot.next) / slot.period + 1;
        skipped += static_cast<std::uint64_t>(behind);
        slot.next += behind * slot.period;
      }
    }
    std::lock_guard lock(mutex_);
    status_.readings += count;
    status_.missed += skipped;
  }
  disconnect();
}

}  // namespace gemba::edge
