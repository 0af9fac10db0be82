// The edge's outbox: every accepted record gets the next per-edge sequence number and is
// durable in LMDB before append() returns; it stays until the center has acknowledged
// it. Beside it, the quarantine (readings refused by validation, kept for inspection and
// replay) and the sources' cursors, committed in the same transactions. Rows: FORMAT.md.
//
// Disk quota: append() refuses (kAborted, "over quota") a batch that would take the
// rows' bytes over the quota, unless nothing is held (a batch larger than the whole
// quota would otherwise never fit); nothing is overwritten or dropped. The caller
// applies back-pressure and retries after acknowledgements freed space.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/store/store.h"
#include "runtime/wire/record.h"

namespace gemba::edge {

// A reading refused by validation, as it was received.
struct QuarantineEntry {
  std::uint64_t id = 0;      // from 1, assigned by append()
  std::int64_t time_us = 0;  // the reading's time
  std::string address;       // as the source named it
  std::string subject;       // `kettle2.temperature` when known
  bool has_value = false;
  double value = 0;
  std::string text;    // as received, when not a number
  std::string reason;  // why it was refused, in words an engineer acts on
  bool replayed = false;
};

struct OutboxOptions {
  std::uint64_t quota_bytes = std::uint64_t{1} << 30;  // outbox plus quarantine rows
  std::size_t initial_map_size = std::size_t{64} << 20;
};

struct OutboxStatus {
  std::string edge;             // the edge's identity (16 hex), drawn at creation
  std::uint64_t last_seq = 0;   // last sequence number assigned
  std::uint64_t acked_seq = 0;  // acknowledged by the center (and deleted here)
  std::uint64_t backlog = 0;    // last_seq - acked_seq
  std::uint64_t quarantined = 0;  // entries ever quarantined (replayed ones included)
  std::uint64_t bytes = 0;        // bytes of rows held (outbox and quarantine)
  std::uint64_t quota_bytes = 0;
  std::uint64_t quota_refusals = 0;  // appends refused for the quota since start
};

// What one append() commits: records (their seq assigned in order), quarantined
// readings (their id assigned), and cursor values, all or nothing.
struct AppendBatch {
  std::vector<wire::Record> records;
  std::vector<QuarantineEntry> quarantined;
  std::vector<std::pair<std::string, std::string>> cursors;
  std::size_t bytes() const;  // what it adds to the rows' bytes
};

class Outbox {
 public:
  static std::unique_ptr<Outbox> open(const std::filesystem::path& dir,
                                      const OutboxOptions& options, store::Status* status);

  // Durable when kOk. kAborted "over quota" when it does not fit (nothing written);
  // kIOError and others as the store reports them.
  store::Status append(AppendBatch& batch);

  // Up to `max_records` records (and about `max_bytes`) above `after_seq`, in order. A
  // row that does not decode (a damaged disk) ends the list there and sets `*status`
  // (when given) to kCorruption naming its seq, so the caller can say so.
  std::vector<wire::Record> pending(std::uint64_t after_seq, std::size_t max_records,
                                    std::size_t max_bytes, store::Status* status = nullptr) const;

  // Deletes every record at or below `seq` (capped at last_seq) and records the mark.
  store::Status acknowledge(std::uint64_t seq);

  std::string cursor(const std::string& key) const;  // empty when never set
  // Every cursor whose key starts with `prefix`, by key.
  std::vector<std::pair<std::string, std::string>> cursors(const std::string& prefix) const;

  std::vector<QuarantineEntry> quarantine(std::uint64_t after_id, std::size_t limit) const;
  std::optional<QuarantineEntry> quarantined(std::uint64_t id) const;
  // Marks an entry replayed (it stays, for the record) in the same commit as `batch`.
  store::Status append_replay(std::uint64_t id, AppendBatch& batch);

  OutboxStatus status() const;

 private:
  Outbox(std::unique_ptr<store::Store> store, const OutboxOptions& options);
  store::Status load();
  store::Status append_locked(AppendBatch& batch, std::optional<std::uint64_t> replayed);

  std::unique_ptr<store::Store> store_;
  OutboxOptions options_;
  store::Table records_, quarantine_, cursors_, state_;
  mutable std::mutex mutex_;  // guards status_; appends and acknowledgements are serialized
  OutboxStatus status_;
};

// The quarantine row (FORMAT.md), exposed for the status endpoint and tests.
std::string encode(const QuarantineEntry& entry);
bool decode(std::string_view row, QuarantineEntry* out);

}  // namespace gemba::edge
