// The simulator as a source (`sim://` addresses, and every signal under `--simulate`):
// each signal ticks at its collect period with values from sim_model.h, deterministic
// from the seed. Readings due at the same simulated time go to one offer(); when running
// as fast as the sink accepts, up to kSimBatch readings go in one offer().
//
// Back-pressure: while offer() blocks, simulated time waits; when it returns late, the
// simulation carries on from where it was instead of catching up (its timestamps then
// lag the wall clock by the time it waited).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edge/sources/sim_model.h"
#include "edge/sources/source.h"
#include "edge/sources/stop_flag.h"

namespace gemba::edge {

struct SimOptions {
  std::int64_t start_us = 0;     // UTC microseconds of the first tick; 0: now
  double speed = 1.0;            // 1: real time; 10: ten times faster; 0: as fast as accepted
  std::int64_t duration_us = 0;  // 0: forever; else finished() after that much simulated time
};

inline constexpr std::size_t kSimBatch = 1000;

class SimSource : public Source {
 public:
  // `name` for status (`sim://hamburg`).
  SimSource(std::string name, std::vector<SignalInfo> signals, std::uint64_t seed,
            SimOptions options);
  ~SimSource() override;

  void start(ReadingSink& sink) override;
  void stop() override;
  SourceStatus status() const override;
  bool finished() const override { return finished_; }

 private:
  void run(ReadingSink& sink);
  bool deliver(ReadingSink& sink, std::vector<Reading>& batch);

  std::string name_;
  std::vector<SignalInfo> signals_;
  std::uint64_t seed_;
  SimOptions options_;

  StopFlag stop_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  mutable std::mutex mutex_;
  SourceStatus status_;
};

}  // namespace gemba::edge
