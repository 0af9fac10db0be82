#include "edge/sources/sim_source.h"

#include <chrono>
#include <functional>
#include <queue>
#include <utility>

namespace gemba::edge {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SimSource::SimSource(std::string name, std::vector<SignalInfo> signals, std::uint64_t seed,
                     SimOptions options)
    : name_(std::move(name)), signals_(std::move(signals)), seed_(seed), options_(options) {
  status_.name = name_;
}

SimSource::~SimSource() { stop(); }

void SimSource::start(ReadingSink& sink) {
  if (thread_.joinable()) return;
  stop_.reset();
  {
    std::lock_guard lock(mutex_);
    status_.connected = true;
  }
  thread_ = std::thread([this, &sink] { run(sink); });
}

void SimSource::stop() {
  stop_.stop();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  status_.connected = false;
}

SourceStatus SimSource::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

bool SimSource::deliver(ReadingSink& sink, std::vector<Reading>& batch) {
  if (batch.empty()) return true;
  std::size_t count = batch.size();
  if (!sink.offer(std::move(batch))) return false;
  batch.clear();
  std::lock_guard lock(mutex_);
  status_.readings += count;
  return true;
}

void SimSource::run(ReadingSink& sink) {
  const std::int64_t start_us = options_.start_us != 0 ? options_.start_us : now_us();
  std::vector<SimSignal> signals;
  signals.reserve(signals_.size());
  for (const SignalInfo& info : signals_) signals.emplace_back(info, seed_);

  // Signals by their next tick, earliest first; ties in the order given, so a batch's
  // order is deterministic too.
  using Due = std::pair<std::int64_t, std::size_t>;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due;
  for (std::size_t i = 0; i < signals.size(); ++i) due.emplace(0, i);

  // Wall-clock anchor: simulated offset `sim_anchor` is due at `wall_anchor`.
  Clock::time_point wall_anchor = Clock::now();
  std::int64_t sim_anchor = 0;
  std::vector<Reading> batch;
  while (!due.empty() && !stop_.stopped()) {
    const std::int64_t t = due.top().first;
    if (options_.duration_us > 0 && t >= options_.duration_us) break;
    if (options_.speed > 0) {
      // Real time (scaled): everything due at `t` goes in one offer at its time.
      Clock::time_point when =
          wall_anchor + std::chrono::microseconds(static_cast<std::int64_t>(
                            static_cast<double>(t - sim_anchor) / options_.speed));
      if (!stop_.wait_until(when)) return;
    }
    while (!due.empty() && due.top().first == t) {
      std::size_t i = due.top().second;
      due.pop();
      batch.push_back(signals[i].next(start_us));
      due.emplace(signals[i].next_offset_us(), i);
      if (options_.speed <= 0 && batch.size() >= kSimBatch) break;
    }
    if (options_.speed > 0 || batch.size() >= kSimBatch) {
      Clock::time_point before = Clock::now();
      if (!deliver(sink, batch)) return;
      // An offer that blocked for long (the outbox is full): simulated time waited.
      if (options_.speed > 0 && Clock::now() - before > std::chrono::seconds(1)) {
        wall_anchor = Clock::now();
        sim_anchor = t;
      }
    }
  }
  if (stop_.stopped() || !deliver(sink, batch)) return;
  if (options_.duration_us > 0 || signals.empty()) finished_ = true;
}

}  // namespace gemba::edge
