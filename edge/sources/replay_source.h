// A file of recorded readings, delivered once (`--replay data.csv`, and `file://`
// addresses). Formats, chosen by the extension (.csv; .jsonl or .ndjson) or else by the
// first line (`{` begins JSON lines):
//
//   time,signal,value                                 (CSV; the header names the columns)
//   2026-11-26T08:00:00.250Z,kettle2.temperature,71.5
//   {"time": 1795248000250000, "signal": "mqtt://hou-broker/blending/kettle2/state", "value":
//   "Execute"}
//
// time: ISO 8601 with a zone, or integer microseconds since 1970; signal: the address as
// in the plant model, or `instance.signal`; value: a number, true/false, or an enum
// member name. A file of one signal (a `file://` address) may leave the signal out
// (`time,value`). A line that cannot be read is not dropped: it becomes a reading without
// a value whose problem says where and why ("data.csv:17: the value `abc` is not a
// number"), and the collector quarantines it.
//
// Exactly once: lines go to the sink in batches of up to kReplayBatch, each offered with
// the cursor {"replay:" + absolute path, byte offset after the batch}, which the sink
// commits with the readings. At start the source resumes from the committed offset, so a
// restart after a crash delivers every line exactly once. The file must not change while
// it is replayed (a shorter file than the cursor is an error; nothing is delivered).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edge/sources/signal_index.h"
#include "edge/sources/source.h"

namespace gemba::edge {

inline constexpr std::size_t kReplayBatch = 1000;

class ReplaySource : public Source {
 public:
  // `file` as the user wrote it (problems quote it so); `default_address` for lines
  // without a signal (a file of one signal), else empty.
  ReplaySource(std::filesystem::path file, const std::vector<SignalInfo>& signals,
               std::string default_address = {});
  ~ReplaySource() override;

  void start(ReadingSink& sink) override;
  void stop() override;
  SourceStatus status() const override;
  // After every line was offered and accepted; also after an error that ends the replay
  // (status says which).
  bool finished() const override { return finished_; }

  const std::string& cursor_key() const { return cursor_key_; }

 private:
  void run(ReadingSink& sink);
  void fail(const std::string& error);

  std::filesystem::path file_;
  SignalIndex index_;
  std::string default_address_;
  std::string cursor_key_;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  SourceStatus status_;
};

}  // namespace gemba::edge
