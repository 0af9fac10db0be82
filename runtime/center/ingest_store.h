// The center's durable state (FORMAT.md): per edge its high-water mark, the log of every
// record it committed, and a series index of samples for queries. On the store
// (runtime/store/), application "gemba-center", format 1.
//
// Invariant, per (plant, edge): the log holds exactly the records with seq 1 to
// acked_seq, each once, and `records` == acked_seq. commit() keeps it: it stores only
// the records above the mark, and only when they continue it without a gap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/store/store.h"
#include "runtime/wire/batch.h"

namespace gemba::center {

inline constexpr const char* kApplication = "gemba-center";
inline constexpr std::uint32_t kFormatVersion = 1;

struct CommitResult {
  enum class Outcome {
    kCommitted,  // durable; `ack` says what was stored (possibly nothing: all duplicates)
    kGap,        // nothing stored: records between the mark and the batch are missing
    kFailed,     // nothing stored: the store failed (`status`); the edge retries later
  };
  Outcome outcome = Outcome::kFailed;
  wire::Ack ack;        // kCommitted; for kGap, ack.acked_seq is the mark to resend from
  std::string message;  // kGap and kFailed: why, for the edge's log
  store::Status status;
};

struct EdgeInfo {
  std::string plant;
  std::string edge;  // 16 hex digits
  std::uint64_t acked_seq = 0;
  std::uint64_t records = 0;        // records in the log: == acked_seq
  std::int64_t first_seen_us = 0;   // the first batch accepted from it (UTC µs)
  std::int64_t last_seen_us = 0;    // the last batch accepted, even all duplicates
};

struct SampleQuery {
  std::string plant;
  std::string subject;  // `instance.signal`
  std::int64_t from_us = std::numeric_limits<std::int64_t>::min();  // inclusive
  std::int64_t to_us = std::numeric_limits<std::int64_t>::max();    // exclusive
  std::size_t limit = 1000;
};

struct Sample {
  std::string edge;
  wire::Record record;
};

// In (time_us, edge, seq) order. `more`: the limit cut the answer short.
struct SamplePage {
  std::vector<Sample> samples;
  bool more = false;
};

// In seq order. `more`: the limit cut the answer short.
struct RecordPage {
  std::vector<wire::Record> records;
  bool more = false;
};

// UTC microseconds since 1970; the system clock unless a test injects one.
using Clock = std::function<std::int64_t()>;
std::int64_t system_clock_us();

class IngestStore {
 public:
  // Opens (creating it if needed) the center's store in `dir`. Null and `*status` on
  // failure, with the store's codes: kBusy when another process has it open.
  static std::unique_ptr<IngestStore> open(const std::filesystem::path& dir,
                                           store::Status* status, Clock clock = system_clock_us);

  // Commits `batch` (already checked by wire::parse_batch) in one write transaction,
  // durably, before returning kCommitted. Thread-safe (writes are serialized).
  CommitResult commit(const wire::Batch& batch);
  // Commits several batches in ONE transaction (group commit), in order: a later batch
  // of the same edge sees the earlier one's mark. A kGap batch stores nothing and does not
  // affect the others; a failed transaction fails them all.
  std::vector<CommitResult> commit_all(std::span<const wire::Batch* const> batches);

  // Every edge, by plant then edge.
  store::Status edges(std::vector<EdgeInfo>* out) const;
  // One edge; `*out` empty when the center never accepted a batch from it.
  store::Status edge(const std::string& plant, const std::string& edge,
                     std::optional<EdgeInfo>* out) const;
  // Samples of one signal at one plant, all edges, with from_us <= time_us < to_us.
  store::Status samples(const SampleQuery& query, SamplePage* out) const;
  // The edge's records with seq > after_seq, at most `limit`.
  store::Status records(const std::string& plant, const std::string& edge,
                        std::uint64_t after_seq, std::size_t limit, RecordPage* out) const;

  store::Store& store() { return *store_; }

 private:
  IngestStore(std::unique_ptr<store::Store> store, Clock clock);
  std::unique_ptr<store::Store> store_;
  Clock clock_;
  store::Table edges_, log_, series_;
};

}  // namespace gemba::center
