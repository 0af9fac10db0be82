#include "edge/sources/sim_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/edge/sources/recording_sink.h"

namespace gemba::edge {
namespace {

using testing::RecordingSink;

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kStart = 1795680000000000;  // 2026-11-26T08:00:00Z

const std::vector<std::string> kPackML = {
    "Stopped",      "Starting",  "Idle",       "Suspended", "Execute",   "Stopping",
    "Aborting",     "Aborted",   "Holding",    "Held",      "Unholding", "Suspending",
    "Unsuspending", "Resetting", "Completing", "Complete",  "Clearing"};
const std::vector<std::string> kStopReasons = {"Changeover", "Jam",      "NoContainers", "NoCaps",
                                               "LabelRoll",  "Cleaning", "Other"};

SignalInfo signal(const std::string& instance, const std::string& name, SignalInfo::Kind kind,
                  const std::string& unit, std::int64_t period_us) {
  SignalInfo s;
  s.address = "sim://hamburg/" + instance + "/" + name;
  s.instance = instance;
  s.signal = name;
  s.kind = kind;
  s.unit = unit;
  s.period_us = period_us;
  return s;
}

SignalInfo with_range(SignalInfo s, double lo, double hi) {
  s.has_valid = true;
  s.valid_lo = lo;
  s.valid_hi = hi;
  return s;
}

// A filler, a checkweigher and a kettle, as acme.gmb types them and the collect rules
// sample them.
std::vector<SignalInfo> plant_signals() {
  using K = SignalInfo::Kind;
  SignalInfo state = signal("filler2", "state", K::kEnum, "", kSecond);
  state.choices = kPackML;
  SignalInfo reason = signal("filler2", "stop_reason", K::kEnum, "", kSecond);
  reason.choices = kStopReasons;
  SignalInfo kettle_state = signal("kettle1", "state", K::kEnum, "", kSecond);
  kettle_state.choices = kPackML;
  return {
      state,
      reason,
      signal("filler2", "speed", K::kReal, "pcs/min", kSecond),
      signal("filler2", "good_count", K::kInt, "", 10 * kSecond),
      signal("filler2", "reject_count", K::kInt, "", 10 * kSecond),
      signal("filler2", "running", K::kBool, "", kSecond),
      signal("filler2", "product_temperature", K::kReal, "degF", 10 * kSecond),
      signal("filler2", "air_pressure", K::kReal, "bar", 5 * kSecond),
      with_range(signal("checkweigher2", "weight", K::kReal, "g", 200000), 0, 5000),
      signal("palletizer2", "pallets", K::kInt, "", 30 * kSecond),
      kettle_state,
      with_range(signal("kettle1", "temperature", K::kReal, "degC", 2 * kSecond), -20, 200),
      with_range(signal("kettle1", "level", K::kReal, "percent", 10 * kSecond), 0, 100),
      signal("kettle1", "speed", K::kReal, "rpm", 2 * kSecond),
  };
}

std::vector<Reading> simulate(const std::vector<SignalInfo>& signals, std::uint64_t seed,
                              std::int64_t duration_us, RecordingSink* out = nullptr) {
  RecordingSink local;
  RecordingSink& sink = out != nullptr ? *out : local;
  SimSource source("sim://hamburg", signals, seed, {kStart, 0, duration_us});
  source.start(sink);
  EXPECT_TRUE(testing::eventually([&] { return source.finished(); }, std::chrono::seconds(60)));
  source.stop();
  return sink.readings();
}

std::vector<Reading> of(const std::vector<Reading>& readings, const std::string& address) {
  std::vector<Reading> out;
  for (const Reading& r : readings) {
    if (r.address == address) out.push_back(r);
  }
  return out;
}

bool same(const std::vector<Reading>& a, const std::vector<Reading>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].address != b[i].address || a[i].time_us != b[i].time_us || a[i].value != b[i].value) {
      return false;
    }
  }
  return true;
}

TEST(EdgeSourceSim, SameSeedSameReadings) {
  const auto signals = plant_signals();
  std::vector<Reading> a = simulate(signals, 7, kHour);
  std::vector<Reading> b = simulate(signals, 7, kHour);
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(same(a, b));
  std::vector<Reading> c = simulate(signals, 8, kHour);
  EXPECT_FALSE(same(a, c));
}

TEST(EdgeSourceSim, ASignalsReadingsDoNotDependOnTheOthers) {
  const auto signals = plant_signals();
  std::vector<Reading> all = simulate(signals, 7, kHour);
  for (std::size_t i : {0u, 3u, 8u, 11u}) {
    std::vector<Reading> alone = simulate({signals[i]}, 7, kHour);
    EXPECT_TRUE(same(of(all, signals[i].address), alone)) << signals[i].address;
  }
}

TEST(EdgeSourceSim, EachSignalTicksAtItsPeriodFromTheStart) {
  const auto signals = plant_signals();
  std::vector<Reading> readings = simulate(signals, 3, 60 * kSecond);
  for (const SignalInfo& s : signals) {
    std::vector<Reading> mine = of(readings, s.address);
    ASSERT_EQ(mine.size(), static_cast<std::size_t>(60 * kSecond / s.period_us)) << s.address;
    for (std::size_t k = 0; k < mine.size(); ++k) {
      EXPECT_EQ(mine[k].time_us, kStart + static_cast<std::int64_t>(k) * s.period_us);
      EXPECT_TRUE(mine[k].has_value);
      EXPECT_TRUE(mine[k].problem.empty());
    }
  }
}

TEST(EdgeSourceSim, MachinesRunAndStopWithReasons) {
  const auto signals = plant_signals();
  std::vector<Reading> readings = simulate(signals, 11, 12 * kHour);
  auto index = [](const std::vector<std::string>& choices, const std::string& name) {
    return static_cast<double>(std::find(choices.begin(), choices.end(), name) - choices.begin());
  };
  std::vector<Reading> state = of(readings, signals[0].address);
  std::vector<Reading> reason = of(readings, signals[1].address);
  std::vector<Reading> speed = of(readings, signals[2].address);
  std::vector<Reading> running = of(readings, signals[5].address);
  ASSERT_EQ(state.size(), running.size());
  ASSERT_EQ(state.size(), speed.size());
  std::set<double> states, reasons;
  const std::set<std::string> still = {"Stopped", "Idle", "Suspended", "Held", "Aborted"};
  for (std::size_t i = 0; i < state.size(); ++i) {
    ASSERT_GE(state[i].value, 0);
    ASSERT_LT(state[i].value, kPackML.size());
    ASSERT_GE(reason[i].value, 0);
    ASSERT_LT(reason[i].value, kStopReasons.size());
    states.insert(state[i].value);
    const std::string& name = kPackML[static_cast<std::size_t>(state[i].value)];
    if (name == "Execute") {
      EXPECT_EQ(running[i].value, 1) << i;
      EXPECT_GT(speed[i].value, 0) << i;
    }
    if (still.count(name) > 0) {
      EXPECT_EQ(running[i].value, 0) << i;
      EXPECT_EQ(speed[i].value, 0) << i;
      reasons.insert(reason[i].value);
    }
  }
  EXPECT_TRUE(states.count(index(kPackML, "Execute")));
  EXPECT_GE(states.size(), 4u);  // running, and stopped in more than one way
  EXPECT_GE(reasons.size(), 2u);
  // Most of a shift is production.
  double executing =
      static_cast<double>(std::count_if(state.begin(), state.end(), [&](const Reading& r) {
        return r.value == index(kPackML, "Execute");
      }));
  EXPECT_GT(executing / static_cast<double>(state.size()), 0.4);
}

TEST(EdgeSourceSim, CountersOnlyGoUp) {
  const auto signals = plant_signals();
  std::vector<Reading> readings = simulate(signals, 5, 8 * kHour);
  for (std::size_t i : {3u, 4u, 9u}) {
    std::vector<Reading> counter = of(readings, signals[i].address);
    ASSERT_GT(counter.size(), 10u);
    for (std::size_t k = 1; k < counter.size(); ++k) {
      ASSERT_GE(counter[k].value, counter[k - 1].value) << signals[i].address << " at " << k;
      ASSERT_EQ(counter[k].value, std::floor(counter[k].value));
    }
    EXPECT_GT(counter.back().value, counter.front().value) << signals[i].address;
  }
  // Good parts outnumber rejects.
  double good = of(readings, signals[3].address).back().value -
                of(readings, signals[3].address).front().value;
  double rejects = of(readings, signals[4].address).back().value -
                   of(readings, signals[4].address).front().value;
  EXPECT_GT(good, 10 * rejects);
}

TEST(EdgeSourceSim, ValuesStayPlausibleWithRareSpikesOutOfRange) {
  const auto signals = plant_signals();
  std::vector<Reading> readings = simulate(signals, 9, 8 * kHour);
  std::size_t ranged = 0, spikes = 0;
  for (const SignalInfo& s : signals) {
    if (!s.has_valid) continue;
    for (const Reading& r : of(readings, s.address)) {
      ++ranged;
      if (r.value < s.valid_lo || r.value > s.valid_hi) ++spikes;
    }
  }
  ASSERT_GT(ranged, 100000u);
  EXPECT_GT(spikes, 0u);
  EXPECT_LT(static_cast<double>(spikes) / static_cast<double>(ranged), 0.002);

  for (const Reading& r : of(readings, signals[6].address)) {  // product temperature, degF
    EXPECT_GT(r.value, 30);
    EXPECT_LT(r.value, 60);
  }
  for (const Reading& r : of(readings, signals[7].address)) {  // air pressure, bar
    EXPECT_GT(r.value, 5);
    EXPECT_LT(r.value, 7.5);
  }
  // The kettle's level moves (fills and drains) over a shift.
  std::vector<Reading> level = of(readings, signals[12].address);
  auto [lo, hi] =
      std::minmax_element(level.begin(), level.end(),
                          [](const Reading& a, const Reading& b) { return a.value < b.value; });
  EXPECT_GT(hi->value - lo->value, 10);
}

TEST(EdgeSourceSim, BatchesReadingsWhenRunningAsFastAsAccepted) {
  RecordingSink sink;
  simulate(plant_signals(), 1, kHour, &sink);
  std::vector<std::size_t> sizes = sink.batch_sizes();
  ASSERT_FALSE(sizes.empty());
  EXPECT_EQ(*std::max_element(sizes.begin(), sizes.end()), kSimBatch);
  EXPECT_LT(sizes.size(), sink.readings().size() / 100);
}

TEST(EdgeSourceSim, InRealTimeOffersEachTickTogether) {
  RecordingSink sink;
  const auto signals = plant_signals();
  // 1000 times faster than real time: 20 simulated seconds.
  SimSource source("sim://hamburg", signals, 1, {kStart, 1000.0, 20 * kSecond});
  source.start(sink);
  ASSERT_TRUE(testing::eventually([&] { return source.finished(); }, std::chrono::seconds(30)));
  source.stop();
  std::vector<Reading> readings = sink.readings();
  std::vector<std::size_t> sizes = sink.batch_sizes();
  // One offer per distinct tick time (every 200 ms: 100 ticks); each holds one time.
  EXPECT_EQ(sizes.size(), 100u);
  std::size_t at = 0;
  for (std::size_t size : sizes) {
    for (std::size_t k = 1; k < size; ++k)
      EXPECT_EQ(readings[at + k].time_us, readings[at].time_us);
    at += size;
  }
  EXPECT_EQ(source.status().readings, readings.size());
}

TEST(EdgeSourceSim, WaitsForTheSinkAndStopsWhileItWaits) {
  RecordingSink sink;
  sink.block();
  SimSource source("sim://hamburg", plant_signals(), 1, {kStart, 0, 0});
  source.start(sink);
  ASSERT_TRUE(sink.wait_until_offer_waits());
  EXPECT_TRUE(sink.readings().empty());
  sink.close();  // the edge stops: offer() returns false
  source.stop();
  EXPECT_FALSE(source.finished());
  EXPECT_EQ(source.status().readings, 0u);
}

TEST(EdgeSourceSim, StartsNowWhenNoStartIsGiven) {
  RecordingSink sink;
  auto before = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  SimSource source("sim://hamburg", {plant_signals()[0]}, 1, {0, 0, 5 * kSecond});
  source.start(sink);
  ASSERT_TRUE(testing::eventually([&] { return source.finished(); }));
  source.stop();
  ASSERT_EQ(sink.readings().size(), 5u);
  EXPECT_GE(sink.readings().front().time_us, before);
}

}  // namespace
}  // namespace gemba::edge
