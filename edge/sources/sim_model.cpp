#include "edge/sources/sim_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace gemba::edge {
namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ull;
constexpr double kPi = 3.14159265358979323846;
constexpr std::int64_t kSecond = 1000000;
constexpr double kAmbientC = 21.0;
constexpr std::uint64_t kSpikeEvery = 2000;  // about one reading in 2000 is a spike

double to_unit01(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_member(const SignalInfo& info, std::string_view name) {
  return std::find(info.choices.begin(), info.choices.end(), name) != info.choices.end();
}

using Role = SimSignal::Role;

Role role_of(const SignalInfo& info) {
  const std::string name = lower(info.signal.empty() ? info.address : info.signal);
  const std::string unit = lower(info.unit);
  switch (info.kind) {
    case SignalInfo::Kind::kEnum:
      if (has_member(info, "Execute")) return Role::kState;
      if (contains(name, "reason") || has_member(info, "Jam")) return Role::kStopReason;
      return Role::kEnum;
    case SignalInfo::Kind::kBool:
      if (contains(name, "run")) return Role::kRunning;
      if (contains(name, "stable")) return Role::kStable;
      return Role::kBool;
    default:
      break;
  }
  const bool counter_name = contains(name, "count") || contains(name, "reject") ||
                            contains(name, "pallet") || contains(name, "total");
  if (info.kind == SignalInfo::Kind::kInt && (counter_name || unit == "pcs")) return Role::kCounter;
  if (unit == "degc" || unit == "degf" || unit == "k" || contains(name, "temperature")) {
    return Role::kTemperature;
  }
  if (contains(name, "speed") || unit == "rpm" || unit == "pcs/min") return Role::kSpeed;
  if (unit == "pcs" && counter_name) return Role::kCounter;
  if (contains(name, "level") || unit == "percent" || unit == "%") return Role::kLevel;
  if (contains(name, "weight")) return unit == "g" ? Role::kItemWeight : Role::kVesselWeight;
  if (contains(name, "pressure") || unit == "bar" || unit == "psi" || unit == "kpa" ||
      unit == "mbar") {
    return Role::kPressure;
  }
  if (contains(name, "conductivity")) return Role::kConductivity;
  if (contains(name, "flow") || contains(unit, "/min") || contains(unit, "/h")) return Role::kFlow;
  if (counter_name) return Role::kCounter;
  return Role::kGeneric;
}

std::string machine_of(const SignalInfo& info) {
  if (!info.instance.empty()) return info.instance;
  std::size_t slash = info.address.rfind('/');
  return slash == std::string::npos ? info.address : info.address.substr(0, slash);
}

double from_celsius(double c, std::string_view unit) {
  if (unit == "degF") return c * 9.0 / 5.0 + 32.0;
  if (unit == "K") return c + 273.15;
  return c;
}

double from_bar(double bar, std::string_view unit) {
  if (unit == "psi") return bar * 14.5038;
  if (unit == "kPa") return bar * 100.0;
  if (unit == "mbar") return bar * 1000.0;
  if (unit == "Pa") return bar * 1e5;
  return bar;
}

double round_to(double value, double step) { return std::round(value / step) * step; }

}  // namespace

std::uint64_t sim_mix(std::uint64_t x) {
  x += kGolden;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::uint64_t sim_hash(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 0xCBF29CE484222325ull ^ sim_mix(seed);
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  return sim_mix(h);
}

// ---- MachineSchedule ------------------------------------------------------------

const char* MachineSchedule::phase_name(Phase phase) {
  static const char* const kNames[] = {
      "Idle",         "Starting", "Execute",   "Stopping",   "Stopped",
      "Holding",      "Held",     "Unholding", "Suspending", "Suspended",
      "Unsuspending", "Aborting", "Aborted",   "Clearing",   "Resetting",
  };
  return kNames[static_cast<int>(phase)];
}

const char* MachineSchedule::reason_name(int reason) {
  static const char* const kNames[kReasonCount] = {
      "Changeover", "Jam", "NoContainers", "NoCaps", "LabelRoll", "Cleaning", "Other"};
  return reason >= 0 && reason < kReasonCount ? kNames[reason] : "Other";
}

MachineSchedule::MachineSchedule(std::uint64_t seed, std::string_view machine)
    : rng_(sim_hash(machine, seed)) {
  rate_per_minute_ = 60 + 10 * std::floor(to_unit01(draw()) * 25);  // 60..300 pcs/min
  reject_share_ = 0.005 + 0.025 * to_unit01(draw());
  // The simulation starts in the middle of a run, so the first minutes show production.
  push(Phase::kExecute, 2 * 60, 25 * 60, -1);
}

std::uint64_t MachineSchedule::draw() {
  rng_ += kGolden;
  return sim_mix(rng_);
}

std::int64_t MachineSchedule::draw_us(double lo_s, double hi_s) {
  return static_cast<std::int64_t>((lo_s + (hi_s - lo_s) * to_unit01(draw())) * kSecond);
}

void MachineSchedule::push(Phase phase, double lo_s, double hi_s, int reason) {
  std::int64_t begin = episodes_.empty() ? 0 : episodes_.back().end_us;
  episodes_.push_back({phase, begin, begin + draw_us(lo_s, hi_s), reason});
}

// Appends one stop (its reason chosen by how often each happens on a filling line) and
// the run after it.
void MachineSchedule::extend() {
  static const int kWeights[kReasonCount] = {15, 30, 15, 10, 10, 5, 15};  // sums to 100
  int pick = static_cast<int>(to_unit01(draw()) * 100);
  int reason = 0;
  while (reason < kReasonCount - 1 && pick >= kWeights[reason]) pick -= kWeights[reason++];
  switch (reason) {
    case 1:  // Jam: the machine faults and must be cleared and reset
      push(Phase::kAborting, 2, 6, reason);
      push(Phase::kAborted, 60, 8 * 60, reason);
      push(Phase::kClearing, 20, 60, reason);
      push(Phase::kResetting, 5, 15, reason);
      push(Phase::kStarting, 15, 40, reason);
      break;
    case 2:
    case 3:
    case 4:  // starved of containers, caps or labels: suspended
      push(Phase::kSuspending, 3, 8, reason);
      push(Phase::kSuspended, 60, 10 * 60, reason);
      push(Phase::kUnsuspending, 5, 15, reason);
      break;
    case 0:
    case 5:  // changeover, cleaning: held by the operator
      push(Phase::kHolding, 5, 15, reason);
      push(Phase::kHeld, reason == 5 ? 20 * 60 : 10 * 60, reason == 5 ? 60 * 60 : 40 * 60, reason);
      push(Phase::kUnholding, 10, 30, reason);
      break;
    default:  // stopped for anything else
      push(Phase::kStopping, 5, 15, reason);
      push(Phase::kStopped, 3 * 60, 20 * 60, reason);
      push(Phase::kResetting, 5, 15, reason);
      push(Phase::kIdle, 30, 120, reason);
      push(Phase::kStarting, 15, 40, reason);
      break;
  }
  last_reason_ = reason;
  push(Phase::kExecute, 8 * 60, 60 * 60, reason);
}

const MachineSchedule::Episode& MachineSchedule::at(std::int64_t t_us) {
  while (episodes_.size() > 1 && episodes_.front().end_us <= t_us) episodes_.pop_front();
  while (episodes_.back().end_us <= t_us) extend();
  while (episodes_.size() > 1 && episodes_.front().end_us <= t_us) episodes_.pop_front();
  return episodes_.front();
}

std::int64_t MachineSchedule::running_us(std::int64_t from_us, std::int64_t to_us) {
  at(from_us);
  while (episodes_.back().end_us < to_us) extend();
  std::int64_t total = 0;
  for (const Episode& e : episodes_) {
    if (e.phase != Phase::kExecute) continue;
    std::int64_t lo = std::max(from_us, e.begin_us), hi = std::min(to_us, e.end_us);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

double MachineSchedule::speed_factor(std::int64_t t_us) {
  const Episode& e = at(t_us);
  double through = static_cast<double>(t_us - e.begin_us) /
                   static_cast<double>(std::max<std::int64_t>(1, e.end_us - e.begin_us));
  switch (e.phase) {
    case Phase::kExecute:
      return 1;
    case Phase::kStarting:
    case Phase::kUnholding:
    case Phase::kUnsuspending:
      return through;
    case Phase::kStopping:
    case Phase::kHolding:
    case Phase::kSuspending:
      return 1 - through;
    case Phase::kAborting:
      return std::max(0.0, 1 - 3 * through);
    default:
      return 0;
  }
}

// ---- SimSignal ----------------------------------------------------------------------

SimSignal::SimSignal(const SignalInfo& info, std::uint64_t seed)
    : info_(info),
      role_(role_of(info)),
      key_(sim_hash(info.address, seed)),
      machine_key_(sim_hash(machine_of(info), seed)),
      machine_(seed, machine_of(info)) {
  if (info_.period_us <= 0) info_.period_us = kSecond;
}

double SimSignal::uniform(int stream) const {
  return to_unit01(
      sim_mix(key_ ^ sim_mix(static_cast<std::uint64_t>(tick_) * 0x2545F4914F6CDD1Dull +
                             static_cast<std::uint64_t>(stream))));
}

double SimSignal::noise(int stream) const {
  double u1 = 1.0 - uniform(2 * stream);  // (0, 1]
  double u2 = uniform(2 * stream + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * kPi * u2);
}

double SimSignal::param(std::string_view name) const { return to_unit01(sim_hash(name, key_)); }

int SimSignal::member(std::string_view name, int fallback) const {
  auto found = std::find(info_.choices.begin(), info_.choices.end(), name);
  if (found != info_.choices.end()) return static_cast<int>(found - info_.choices.begin());
  return fallback;
}

// An Ornstein-Uhlenbeck step of x_ toward `target`: a slow random walk that stays near it.
double SimSignal::relax(double target, double sigma, double tau_s, double dt_s) {
  if (!started_) {
    x_ = target + sigma * noise(1);
    return x_;
  }
  double a = std::exp(-dt_s / tau_s);
  x_ = target + (x_ - target) * a + sigma * std::sqrt(1 - a * a) * noise(1);
  return x_;
}

// A vessel filling to a high mark while its machine runs, then draining to a low mark;
// still while the machine is still. In percent.
double SimSignal::level(double factor, double dt_s) {
  double high = 82 + 12 * param("high"), low = 5 + 12 * param("low");
  if (!started_) {
    x_ = low + (high - low) * param("start");
    dir_ = param("dir") < 0.5 ? 1 : -1;
  }
  double rate = dir_ > 0 ? 0.02 + 0.08 * param("fill") : 0.05 + 0.15 * param("drain");
  x_ += dir_ * rate * dt_s * factor * (1 + 0.2 * noise(3));
  if (x_ >= high) dir_ = -1;
  if (x_ <= low) dir_ = 1;
  x_ = std::clamp(x_, 0.0, 100.0);
  return x_;
}

double SimSignal::generate(std::int64_t t_us, double dt_s) {
  const SignalInfo& s = info_;
  const double span = s.has_valid ? s.valid_hi - s.valid_lo : 100.0;
  const double lo = s.has_valid ? s.valid_lo : 0.0;
  // Time in Execute since the last tick first: at(t_us) forgets what came before it.
  const std::int64_t from_us = started_ ? t_us - info_.period_us : t_us;
  const double running_s = static_cast<double>(machine_.running_us(from_us, t_us)) / kSecond;
  const MachineSchedule::Episode& episode = machine_.at(t_us);
  const double factor = machine_.speed_factor(t_us);
  const bool moving = factor > 0;
  switch (role_) {
    case Role::kState:
      return member(MachineSchedule::phase_name(episode.phase),
                    member(moving ? "Execute" : "Stopped", 0));
    case Role::kStopReason:
      return member(
          MachineSchedule::reason_name(episode.reason),
          s.choices.empty() ? 0 : std::max(0, episode.reason) % static_cast<int>(s.choices.size()));
    case Role::kRunning:
      return moving ? 1 : 0;
    case Role::kStable:
      return !moving || uniform(5) >= 0.15 ? 1 : 0;
    case Role::kBool:
      if (!started_ || uniform(5) < dt_s / 600.0) x_ = uniform(6) < 0.5 ? 1 : 0;
      return x_;
    case Role::kEnum:
      if (!started_ || uniform(5) < dt_s / 300.0) {
        x_ = std::floor(uniform(6) *
                        static_cast<double>(std::max<std::size_t>(1, s.choices.size())));
      }
      return x_;
    case Role::kCounter: {
      std::string name = lower(s.signal);
      double per_s = machine_.rate_per_minute() / 60.0;
      if (contains(name, "reject")) {
        per_s *= machine_.reject_share();
      } else if (contains(name, "pallet")) {
        per_s /= 480 + 480 * param("pallet");
      } else {
        per_s *= 1 - machine_.reject_share();
      }
      if (!started_) {
        base_ = std::floor(param("base") * per_s * 8 * 3600);  // up to a shift's worth
        x_ = 0;
      } else {
        x_ += std::max(0.0, per_s * running_s * (1 + 0.1 * noise(3)));
      }
      return base_ + std::floor(x_);
    }
    case Role::kTemperature: {
      std::string name = lower(s.signal);
      // One process temperature per machine, so a kettle's jacket runs above its content.
      double process = 20 + 60 * to_unit01(sim_mix(machine_key_ ^ 0x7E3Full));  // degC
      double setpoint = contains(name, "jacket")    ? process + 12
                        : contains(name, "supply")  ? 65 + 20 * param("sp")
                        : contains(name, "return")  ? 58 + 15 * param("sp")
                        : contains(name, "product") ? 4 + 4 * param("sp")
                        : contains(name, "ambient") ? kAmbientC
                                                    : process;
      // Still equipment drifts part of the way toward the room's temperature.
      double target_c = moving ? setpoint : setpoint - 0.3 * (setpoint - kAmbientC);
      double target = from_celsius(target_c, s.unit);
      if (s.has_valid) target = std::clamp(target, lo + 0.1 * span, lo + 0.9 * span);
      double scale = s.unit == "degF" ? 1.8 : 1.0;
      return round_to(relax(target, 0.8 * scale, 900, dt_s) + 0.05 * scale * noise(2), 0.01);
    }
    case Role::kLevel:
      return round_to(lo + level(factor, dt_s) / 100.0 * span + 0.1 * noise(2) * span / 100, 0.01);
    case Role::kVesselWeight: {
      double capacity = s.has_valid ? s.valid_hi : 500 + 2500 * param("capacity");
      return round_to(level(factor, dt_s) / 100.0 * capacity + 0.5 * noise(2), 0.1);
    }
    case Role::kItemWeight: {
      double nominal = 250 + 50 * std::floor(param("nominal") * 16);  // 250..1000 g
      return moving ? round_to(nominal + 1.5 + 2.0 * noise(2), 0.1) : 0;
    }
    case Role::kSpeed: {
      double nominal = lower(s.unit) == "pcs/min" ? machine_.rate_per_minute()
                                                  : 60 + 10 * std::floor(param("rpm") * 25);
      return moving ? round_to(nominal * factor * (1 + 0.005 * noise(2)), 0.1) : 0;
    }
    case Role::kPressure:
      return round_to(from_bar(relax(6.2, 0.12, 300, dt_s), s.unit), 0.001);
    case Role::kFlow: {
      double nominal = 150 + 250 * param("flow");
      if (s.has_valid) nominal = std::min(nominal, lo + 0.8 * span);
      return moving ? round_to(nominal * factor * (1 + 0.01 * noise(2)), 0.1) : 0;
    }
    case Role::kConductivity:
      return round_to(std::max(0.0, relax(moving ? 40 + 40 * param("c") : 0.5, 1.0, 60, dt_s)),
                      0.01);
    case Role::kGeneric:
    default: {
      double value = relax(lo + span / 2, span / 20, 300, dt_s);
      return s.kind == SignalInfo::Kind::kInt ? std::round(value) : round_to(value, 0.001);
    }
  }
}

Reading SimSignal::next(std::int64_t start_us) {
  const std::int64_t t_us = next_offset_us();
  const double dt_s = static_cast<double>(info_.period_us) / kSecond;
  Reading reading;
  reading.address = info_.address;
  reading.time_us = start_us + t_us;
  reading.value = generate(t_us, dt_s);
  started_ = true;
  // A rare glitch outside the valid range (it does not disturb the carried state), so
  // the quarantine sees work in every simulated run of some length.
  const bool numeric =
      info_.kind == SignalInfo::Kind::kReal || info_.kind == SignalInfo::Kind::kInt;
  if (numeric && info_.has_valid &&
      sim_mix(key_ ^ sim_mix(static_cast<std::uint64_t>(tick_) ^ 0x5B1CEull)) % kSpikeEvery == 0) {
    const double span = std::max(1.0, info_.valid_hi - info_.valid_lo);
    reading.value = uniform(7) < 0.5 ? info_.valid_lo - 0.25 * span : info_.valid_hi + 0.25 * span;
  }
  ++tick_;
  return reading;
}

}  // namespace gemba::edge
