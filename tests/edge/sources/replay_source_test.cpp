#include "edge/sources/replay_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/edge/sources/recording_sink.h"
#include "tests/support/temp_dir.h"

namespace gemba::edge {
namespace {

using gemba::testing::TempDir;
using testing::RecordingSink;

constexpr std::int64_t kT0 = 1795680000000000;  // 2026-11-26T08:00:00Z

std::vector<SignalInfo> signals() {
  SignalInfo temperature;
  temperature.address = "mqtt://hou-broker/blending/kettle2/temperature";
  temperature.instance = "kettle2";
  temperature.signal = "temperature";
  temperature.unit = "degC";
  SignalInfo state;
  state.address = "mqtt://hou-broker/blending/kettle2/state";
  state.instance = "kettle2";
  state.signal = "state";
  state.kind = SignalInfo::Kind::kEnum;
  state.choices = {"Stopped", "Starting", "Idle", "Suspended", "Execute"};
  SignalInfo running;
  running.address = "mqtt://hou-broker/blending/kettle2/running";
  running.instance = "kettle2";
  running.signal = "running";
  running.kind = SignalInfo::Kind::kBool;
  return {temperature, state, running};
}

// Replays `file` into `sink` until finished (or until the sink refuses).
void replay(const std::filesystem::path& file, RecordingSink& sink,
            const std::string& default_address = {}) {
  ReplaySource source(file, signals(), default_address);
  source.start(sink);
  EXPECT_TRUE(testing::eventually([&] { return source.finished() || sink.refused_offers() > 0; }));
  source.stop();
}

const char* kCsv =
    "time,signal,value\n"
    "2026-11-26T08:00:00Z,kettle2.temperature,71.5\n"
    "2026-11-26T08:00:00.250Z,mqtt://hou-broker/blending/kettle2/state,Execute\n"
    "1795680001000000,kettle2.running,true\n"
    "\n"
    "2026-11-26T08:00:02Z,kettle2.temperature,abc\n"
    "2026-11-26T08:00:03Z,kettle2.state,Runing\n"
    "noon,kettle2.temperature,70\n"
    "2026-11-26T08:00:04Z,kettle9.temperature,70\n"
    "2026-11-26T08:00:05Z,kettle2.temperature\n"
    "2026-11-26T08:00:06Z,kettle2.temperature,\"72.25\"\r\n"
    "2026-11-26T08:00:07Z,kettle2.state,3";  // no newline at the end

TEST(EdgeSourceReplay, ReadsCsvLinesAndKeepsBadOnesWithTheirPlace) {
  TempDir dir;
  std::filesystem::path file = dir.write("data.csv", kCsv);
  RecordingSink sink;
  ReplaySource source(file, signals());
  source.start(sink);
  ASSERT_TRUE(testing::eventually([&] { return source.finished(); }));
  source.stop();

  std::vector<Reading> r = sink.readings();
  ASSERT_EQ(r.size(), 10u);
  EXPECT_EQ(r[0].address, "mqtt://hou-broker/blending/kettle2/temperature");
  EXPECT_EQ(r[0].time_us, kT0);
  EXPECT_DOUBLE_EQ(r[0].value, 71.5);
  EXPECT_TRUE(r[0].problem.empty());
  EXPECT_EQ(r[1].address, "mqtt://hou-broker/blending/kettle2/state");
  EXPECT_EQ(r[1].time_us, kT0 + 250000);
  EXPECT_DOUBLE_EQ(r[1].value, 4);
  EXPECT_EQ(r[2].time_us, kT0 + 1000000);
  EXPECT_DOUBLE_EQ(r[2].value, 1);

  const std::string label = file.string();
  EXPECT_FALSE(r[3].has_value);
  EXPECT_EQ(r[3].problem, label + ":6: the value `abc` is not a number");
  EXPECT_EQ(r[3].text, "2026-11-26T08:00:02Z,kettle2.temperature,abc");
  EXPECT_EQ(r[3].address, "mqtt://hou-broker/blending/kettle2/temperature");
  EXPECT_EQ(r[3].time_us, kT0 + 2000000);
  EXPECT_EQ(r[4].problem.rfind(label + ":7: `Runing` is not a member of kettle2.state", 0), 0u)
      << r[4].problem;
  EXPECT_EQ(r[5].problem.rfind(label + ":8: the time `noon` is not ISO 8601", 0), 0u)
      << r[5].problem;
  EXPECT_EQ(
      r[6].problem.rfind(label + ":9: `kettle9.temperature` is not a signal this edge collects", 0),
      0u)
      << r[6].problem;
  EXPECT_EQ(r[6].address, "kettle9.temperature");
  EXPECT_EQ(r[7].problem, label + ":10: has 2 fields, the header time,signal,value has 3");
  EXPECT_TRUE(r[8].problem.empty()) << r[8].problem;
  EXPECT_DOUBLE_EQ(r[8].value, 72.25);
  EXPECT_TRUE(r[9].problem.empty());
  EXPECT_DOUBLE_EQ(r[9].value, 3);
  for (std::size_t i = 3; i <= 7; ++i) EXPECT_FALSE(r[i].has_value) << i;

  SourceStatus status = source.status();
  EXPECT_EQ(status.readings, 10u);
  EXPECT_EQ(status.errors, 5u);
  EXPECT_EQ(status.name, "replay:" + label);
  // The whole file is committed.
  EXPECT_EQ(sink.cursor(source.cursor_key()), std::to_string(std::filesystem::file_size(file)));
  EXPECT_EQ(source.cursor_key(),
            "replay:" + std::filesystem::absolute(file).lexically_normal().string());
}

TEST(EdgeSourceReplay, ReadsJsonLines) {
  TempDir dir;
  const std::string text =
      R"({"time": "2026-11-26T08:00:00Z", "signal": "kettle2.temperature", "value": 71.5})"
      "\n"
      R"({"time": 1795680000250000, "signal": "kettle2.state", "value": "Execute"})"
      "\n"
      R"({"time": "2026-11-26T08:00:01Z", "signal": "kettle2.running", "value": false})"
      "\n"
      R"({"time": "2026-11-26T08:00:02Z", "signal": "kettle2.temperature", "value": "hot"})"
      "\n"
      R"({"time": "2026-11-26T08:00:03Z", "signal": "kettle2.temperature"})"
      "\n"
      R"(not json)"
      "\n"
      R"({"signal": "kettle2.temperature", "value": 1})"
      "\n";
  for (const char* name : {"data.jsonl", "data.ndjson", "data.log"}) {
    std::filesystem::path file = dir.write(name, text);
    RecordingSink sink;
    replay(file, sink);
    std::vector<Reading> r = sink.readings();
    ASSERT_EQ(r.size(), 7u) << name;
    EXPECT_DOUBLE_EQ(r[0].value, 71.5);
    EXPECT_EQ(r[0].time_us, kT0);
    EXPECT_DOUBLE_EQ(r[1].value, 4);
    EXPECT_EQ(r[1].time_us, kT0 + 250000);
    EXPECT_DOUBLE_EQ(r[2].value, 0);
    EXPECT_TRUE(r[2].has_value);
    const std::string label = file.string();
    EXPECT_EQ(r[3].problem, label + ":4: the value `hot` is not a number");
    EXPECT_EQ(r[4].problem, label + ":5: has no `value`");
    EXPECT_EQ(r[5].problem.rfind(label + ":6: is not a JSON object", 0), 0u);
    EXPECT_EQ(r[5].text, "not json");
    EXPECT_EQ(r[6].problem, label + ":7: has no `time`");
  }
}

TEST(EdgeSourceReplay, AFileOfOneSignalNeedsNoSignalColumn) {
  TempDir dir;
  std::filesystem::path file = dir.write("temperature.csv",
                                         "time,value\n"
                                         "2026-11-26T08:00:00Z,70.5\n"
                                         "2026-11-26T08:00:01Z,70.75\n");
  RecordingSink sink;
  replay(file, sink, "mqtt://hou-broker/blending/kettle2/temperature");
  std::vector<Reading> r = sink.readings();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].address, "mqtt://hou-broker/blending/kettle2/temperature");
  EXPECT_DOUBLE_EQ(r[1].value, 70.75);

  RecordingSink refused;
  ReplaySource source(file, signals());  // no default signal: nothing to attribute lines to
  source.start(refused);
  ASSERT_TRUE(testing::eventually([&] { return source.finished(); }));
  source.stop();
  EXPECT_TRUE(refused.readings().empty());
  EXPECT_NE(source.status().last_error.find("has no `signal` column"), std::string::npos);
}

std::string many_lines(int count) {
  std::string text = "time,signal,value\n";
  for (int i = 0; i < count; ++i) {
    text += std::to_string(kT0 + i) + ",kettle2.temperature," + std::to_string(i) + "\n";
  }
  return text;
}

TEST(EdgeSourceReplay, ResumesAfterACrashDeliveringEveryLineExactlyOnce) {
  TempDir dir;
  const int kLines = 2500;
  std::filesystem::path file = dir.write("line2.csv", many_lines(kLines));

  // First run: the first batch is committed, then the edge dies (offer refused).
  RecordingSink first;
  first.accept_only(1);
  replay(file, first);
  ASSERT_EQ(first.readings().size(), kReplayBatch);

  // Second run, from what the first committed.
  RecordingSink second;
  for (const auto& [key, value] : first.cursors()) second.set_cursor(key, value);
  second.accept_only(1);
  replay(file, second);
  // Third run finishes.
  RecordingSink third;
  for (const auto& [key, value] : second.cursors()) third.set_cursor(key, value);
  replay(file, third);

  std::vector<Reading> all = first.readings();
  for (const auto& r : second.readings()) all.push_back(r);
  for (const auto& r : third.readings()) all.push_back(r);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kLines));
  for (int i = 0; i < kLines; ++i) {
    ASSERT_DOUBLE_EQ(all[i].value, i);
    ASSERT_EQ(all[i].time_us, kT0 + i);
  }

  // Once everything is committed, a restart delivers nothing.
  RecordingSink fourth;
  for (const auto& [key, value] : third.cursors()) fourth.set_cursor(key, value);
  replay(file, fourth);
  EXPECT_TRUE(fourth.readings().empty());
}

TEST(EdgeSourceReplay, LineNumbersCountFromTheStartAfterAResume) {
  TempDir dir;
  std::string text = many_lines(1000) + "2026-11-26T08:00:00Z,kettle2.temperature,oops\n";
  std::filesystem::path file = dir.write("data.csv", text);
  RecordingSink first;
  first.accept_only(1);
  replay(file, first);
  RecordingSink second;
  for (const auto& [key, value] : first.cursors()) second.set_cursor(key, value);
  replay(file, second);
  ASSERT_EQ(second.readings().size(), 1u);
  EXPECT_EQ(second.readings()[0].problem,
            file.string() + ":1002: the value `oops` is not a number");
}

TEST(EdgeSourceReplay, RefusesACursorPastTheEnd) {
  TempDir dir;
  std::filesystem::path file = dir.write("data.csv", many_lines(3));
  RecordingSink sink;
  ReplaySource source(file, signals());
  sink.set_cursor(source.cursor_key(), "999999");
  source.start(sink);
  ASSERT_TRUE(testing::eventually([&] { return source.finished(); }));
  source.stop();
  EXPECT_TRUE(sink.readings().empty());
  EXPECT_NE(source.status().last_error.find("past the end of the file"), std::string::npos);
}

TEST(EdgeSourceReplay, AMissingFileIsAnError) {
  TempDir dir;
  RecordingSink sink;
  ReplaySource source(dir.path() / "nope.csv", signals());
  source.start(sink);
  ASSERT_TRUE(testing::eventually([&] { return source.finished(); }));
  source.stop();
  EXPECT_EQ(source.status().errors, 1u);
  EXPECT_NE(source.status().last_error.find("cannot be read"), std::string::npos);
}

TEST(EdgeSourceReplay, StopsWhileTheSinkBlocks) {
  TempDir dir;
  std::filesystem::path file = dir.write("data.csv", many_lines(5000));
  RecordingSink sink;
  sink.block();
  ReplaySource source(file, signals());
  source.start(sink);
  ASSERT_TRUE(sink.wait_until_offer_waits());
  sink.close();
  source.stop();
  EXPECT_FALSE(source.finished());
  EXPECT_TRUE(sink.readings().empty());
  EXPECT_TRUE(sink.cursors().empty());
}

}  // namespace
}  // namespace gemba::edge
