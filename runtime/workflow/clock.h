// Where the runtime reads the time: the system clock in production, a manual clock in
// tests, so that a workflow test replays exactly and a timer test does not sleep.
#pragma once

#include <atomic>

namespace gemba::workflow {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since 1970-01-01 UTC.
  virtual double now() const = 0;
};

class SystemClock final : public Clock {
 public:
  double now() const override;
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(double start) : now_(start) {}
  double now() const override { return now_.load(); }
  void set(double time) { now_.store(time); }
  void advance(double seconds) { now_.store(now_.load() + seconds); }

 private:
  std::atomic<double> now_;
};

}  // namespace gemba::workflow
