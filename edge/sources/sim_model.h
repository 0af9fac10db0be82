// The simulator's plant: one generator per signal, deterministic. The value of a signal
// at tick k depends only on (seed, the signal's address and what the plant model says of
// it, k) and the state the same signal carried from tick k-1, so the same seed gives the
// same readings whatever else is simulated, however fast, and from whatever start time
// (only the timestamps move with it).
//
// Signals of one machine (the same instance, e.g. `filler2`) agree without sharing state:
// each carries its own copy of the machine's schedule, generated from (seed, instance).
// The schedule is a PackML cycle: Execute for a while, then a stop with a reason (a jam
// aborts, missing containers or caps suspend, a changeover holds, ...), then back to
// Execute. Speeds follow it, counters count only in Execute, `running` is true while the
// machine moves, `stop_reason` shows the reason of the current or last stop.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "edge/sources/source.h"

namespace gemba::edge {

// Stable across runs and platforms (unlike std::hash).
std::uint64_t sim_hash(std::string_view text, std::uint64_t seed = 0);
std::uint64_t sim_mix(std::uint64_t x);

class MachineSchedule {
 public:
  // PackML states the schedule passes through (named as in std.isa95's PackMLState).
  enum class Phase : std::uint8_t {
    kIdle,
    kStarting,
    kExecute,
    kStopping,
    kStopped,
    kHolding,
    kHeld,
    kUnholding,
    kSuspending,
    kSuspended,
    kUnsuspending,
    kAborting,
    kAborted,
    kClearing,
    kResetting,
  };
  static const char* phase_name(Phase phase);
  // Stop reasons (named as in acme's StopReason); -1 before the first stop.
  static constexpr int kReasonCount = 7;
  static const char* reason_name(int reason);

  struct Episode {
    Phase phase = Phase::kExecute;
    std::int64_t begin_us = 0, end_us = 0;  // time since the simulation started
    int reason = -1;                        // of this stop, or of the last one in Execute
  };

  MachineSchedule(std::uint64_t seed, std::string_view machine);

  // The episode at `t_us`. Successive calls (and running_us' `from`) must not go back in
  // time by more than the episode they were in.
  const Episode& at(std::int64_t t_us);
  // Microseconds spent in Execute within [from_us, to_us).
  std::int64_t running_us(std::int64_t from_us, std::int64_t to_us);
  // 1 in Execute, ramping up while starting and down while stopping, 0 when still.
  double speed_factor(std::int64_t t_us);
  // The machine's rated output (pieces per minute) and reject share, from its seed.
  double rate_per_minute() const { return rate_per_minute_; }
  double reject_share() const { return reject_share_; }

 private:
  std::uint64_t draw();
  std::int64_t draw_us(double lo_s, double hi_s);
  void push(Phase phase, double lo_s, double hi_s, int reason);
  void extend();

  std::uint64_t rng_;
  double rate_per_minute_, reject_share_;
  int last_reason_ = -1;
  std::deque<Episode> episodes_;  // covers [front.begin, back.end)
};

// One simulated signal.
class SimSignal {
 public:
  SimSignal(const SignalInfo& info, std::uint64_t seed);

  const SignalInfo& info() const { return info_; }
  // Time of the next tick since the simulation started: tick * period_us.
  std::int64_t next_offset_us() const { return tick_ * info_.period_us; }
  // The reading of the next tick (timestamped start_us + next_offset_us()); advances.
  Reading next(std::int64_t start_us);

  enum class Role : std::uint8_t {
    kState,
    kStopReason,
    kEnum,
    kRunning,
    kStable,
    kBool,
    kCounter,
    kTemperature,
    kLevel,
    kSpeed,
    kVesselWeight,
    kItemWeight,
    kPressure,
    kFlow,
    kConductivity,
    kGeneric,
  };
  Role role() const { return role_; }

 private:
  double noise(int stream) const;             // N(0, 1) for this tick
  double uniform(int stream) const;           // [0, 1) for this tick
  double param(std::string_view name) const;  // [0, 1), fixed per signal
  double generate(std::int64_t t_us, double dt_s);
  double relax(double target, double sigma, double tau_s, double dt_s);
  double level(double factor, double dt_s);
  int member(std::string_view name, int fallback) const;

  SignalInfo info_;
  Role role_;
  std::uint64_t key_;          // (seed, address)
  std::uint64_t machine_key_;  // (seed, instance)
  MachineSchedule machine_;
  std::int64_t tick_ = 0;
  bool started_ = false;
  double x_ = 0;     // the carried state: a process value, a level, a counter's fraction
  double dir_ = 1;   // a level's direction: +1 filling, -1 draining
  double base_ = 0;  // a counter's start
};

}  // namespace gemba::edge
