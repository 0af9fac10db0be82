#include "edge/sources/make_sources.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/edge/sources/recording_sink.h"
#include "tests/support/temp_dir.h"

namespace gemba::edge {
namespace {

using gemba::testing::TempDir;
using testing::RecordingSink;

SignalInfo signal(const std::string& instance, const std::string& name,
                  const std::string& address) {
  SignalInfo s;
  s.address = address;
  s.instance = instance;
  s.signal = name;
  return s;
}

std::vector<SignalInfo> plant() {
  return {
      signal("kettle1", "temperature", "mqtt://hou-broker/blending/kettle1/temperature"),
      signal("kettle1", "level", "mqtt://hou-broker/blending/kettle1/level"),
      signal("kettle2", "level", "mqtt://hou-broker:1884/blending/kettle2/level"),
      signal("emulsifier1", "level", "mqtts://ham-broker:8883/emulsions/emulsifier1/level"),
      signal("mixer1", "temperature", "modbus://10.40.1.21:502/1/40003"),
      signal("mixer1", "level", "modbus://10.40.1.21:502/1/40002"),
      signal("mixer1_scale", "weight", "modbus://10.40.1.21:502/2/40001"),
      signal("tank1", "level", "modbus://10.40.1.22:502/1/40002"),
      signal("filler2", "speed", "sim://hamburg/filler2/speed"),
      signal("filler2", "state", "sim://hamburg/filler2/state"),
  };
}

std::multiset<std::string> names(const std::vector<std::unique_ptr<Source>>& sources) {
  std::multiset<std::string> out;
  for (const auto& source : sources) out.insert(source->status().name);
  return out;
}

TEST(EdgeSourceFactory, OneSourcePerBrokerServerAndSimulator) {
  SourceOptions options;
  options.plant = "houston";
  std::string error;
  auto sources = make_sources(plant(), options, &error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_EQ(names(sources),
            (std::multiset<std::string>{"mqtt://hou-broker", "mqtt://hou-broker:1884",
                                        "mqtts://ham-broker:8883", "modbus://10.40.1.21:502",
                                        "modbus://10.40.1.22:502", "sim://houston"}));
}

TEST(EdgeSourceFactory, SimulatesEverythingWhenAsked) {
  TempDir dir;
  std::filesystem::path replay = dir.write("extra.csv", "time,signal,value\n");
  SourceOptions options;
  options.plant = "houston";
  options.simulate = true;
  options.replay_files = {replay.string()};
  options.sim = {1795680000000000, 0, 10 * 1000000};
  std::string error;
  auto sources = make_sources(plant(), options, &error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(names(sources),
            (std::multiset<std::string>{"sim://houston", "replay:" + replay.string()}));
  RecordingSink sink;
  for (auto& source : sources) source->start(sink);
  ASSERT_TRUE(testing::eventually([&] {
    return std::all_of(sources.begin(), sources.end(), [](auto& s) { return s->finished(); });
  }));
  for (auto& source : sources) source->stop();
  // Ten simulated seconds of every signal, each under the address the plant model writes.
  std::set<std::string> addresses;
  for (const Reading& r : sink.readings()) addresses.insert(r.address);
  EXPECT_EQ(addresses.size(), plant().size());
  EXPECT_EQ(sink.readings().size(), plant().size() * 10);
}

TEST(EdgeSourceFactory, NamesTheSignalTheAddressAndTheFix) {
  std::vector<SignalInfo> signals = plant();
  signals.push_back(
      signal("kettle2", "temperature", "mqt://hou-broker/blending/kettle2/temperature"));
  signals.push_back(signal("tank2", "level", "modbus://10.40.1.22:502/1/50002"));
  signals.push_back(signal("tank3", "level", "hou-broker/tank3/level"));
  signals.push_back(signal("tank4", "level", "mqtt://hou-broker/tanks/+/level"));
  signals.push_back(signal("tank5", "level", "modbus://10.40.1.22:70000/1/40001"));
  SourceOptions options;
  options.replay_files = {"/nonexistent/replay.csv"};
  std::string error;
  auto sources = make_sources(signals, options, &error);
  EXPECT_TRUE(sources.empty());
  EXPECT_NE(
      error.find("kettle2.temperature: the address `mqt://hou-broker/blending/kettle2/temperature` "
                 "has the unknown scheme `mqt`: use mqtt://, mqtts://, modbus://, sim:// or "
                 "file://, or run with --simulate"),
      std::string::npos)
      << error;
  EXPECT_NE(
      error.find("tank2.level: the address `modbus://10.40.1.22:502/1/50002` the register `50002` "
                 "is not a Modbus reference"),
      std::string::npos)
      << error;
  EXPECT_NE(error.find("tank3.level: the address `hou-broker/tank3/level` has no `scheme://`"),
            std::string::npos);
  EXPECT_NE(error.find("tank4.level: the address `mqtt://hou-broker/tanks/+/level` has a wildcard"),
            std::string::npos);
  EXPECT_NE(
      error.find("tank5.level: the address `modbus://10.40.1.22:70000/1/40001` the port `70000`"),
      std::string::npos);
  EXPECT_NE(error.find("the replay file `/nonexistent/replay.csv` cannot be read"),
            std::string::npos);
  EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 5);
}

TEST(EdgeSourceFactory, RefusesABadConnectMapping) {
  SourceOptions options;
  options.connect["hou-broker"] = "127.0.0.1:notaport";
  std::string error;
  EXPECT_TRUE(make_sources(plant(), options, &error).empty());
  EXPECT_NE(error.find("--connect hou-broker=127.0.0.1:notaport: the port `notaport`"),
            std::string::npos)
      << error;
}

TEST(EdgeSourceFactory, AFileAddressReplaysItsFile) {
  TempDir dir;
  std::filesystem::path file = dir.write("kettle.csv",
                                         "time,value\n"
                                         "2026-11-26T08:00:00Z,70.5\n"
                                         "2026-11-26T08:00:01Z,71\n");
  std::vector<SignalInfo> signals = {signal("kettle1", "temperature", "file://" + file.string())};
  std::string error;
  auto sources = make_sources(signals, SourceOptions{}, &error);
  ASSERT_EQ(sources.size(), 1u) << error;
  RecordingSink sink;
  sources[0]->start(sink);
  ASSERT_TRUE(testing::eventually([&] { return sources[0]->finished(); }));
  sources[0]->stop();
  ASSERT_EQ(sink.readings().size(), 2u);
  EXPECT_EQ(sink.readings()[1].address, "file://" + file.string());
  EXPECT_DOUBLE_EQ(sink.readings()[1].value, 71);
}

}  // namespace
}  // namespace gemba::edge
