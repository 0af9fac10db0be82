// What a source's thread waits on between ticks, polls and reconnection attempts:
// stop() wakes every wait at once, so Source::stop() returns promptly. And the
// exponential backoff between reconnection attempts.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace gemba::edge {

class StopFlag {
 public:
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    wake_.notify_all();
  }
  void reset() {
    std::lock_guard lock(mutex_);
    stopped_ = false;
  }
  bool stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
  }
  // Waits until `deadline`; false when stopped (before or meanwhile).
  bool wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    wake_.wait_until(lock, deadline, [&] { return stopped_; });
    return !stopped_;
  }
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> duration) {
    return wait_until(std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(duration));
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;
};

// 0.5 s, 1 s, 2 s, ... up to `max`; reset() after a success.
class Backoff {
 public:
  explicit Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds(500),
                   std::chrono::milliseconds max = std::chrono::seconds(30))
      : initial_(initial), max_(max), next_(initial) {}
  std::chrono::milliseconds next() {
    std::chrono::milliseconds delay = next_;
    next_ = std::min(max_, next_ * 2);
    return delay;
  }
  void reset() { next_ = initial_; }

 private:
  std::chrono::milliseconds initial_, max_, next_;
};

}  // namespace gemba::edge
