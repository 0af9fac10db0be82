// A batch of records posted by an edge to the center (`POST /v1/ingest`), and the
// center's answer, as JSON (WIRE.md). The edge sends records in ascending sequence order
// starting just above what the center last acknowledged; the center answers with its
// high-water mark for that edge, and the edge then deletes what is at or below it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/wire/record.h"

namespace gemba::wire {

inline constexpr int kWireFormat = 1;            // "format" of every batch
inline constexpr std::size_t kMaxBatchRecords = 10000;
inline constexpr std::size_t kMaxBatchBytes = 8 << 20;  // a larger body is refused (413)

struct Batch {
  std::string plant;  // the plant whose token authenticates the request
  // The edge's identity: 16 hex digits drawn once when its data directory is created,
  // so an edge whose disk was replaced (sequence numbers restarting at 1) is a new edge
  // to the center rather than a replay of records it already has.
  std::string edge;
  std::vector<Record> records;  // strictly ascending seq
  // The center stores records above its mark for this edge. A batch whose first record
  // above the mark is not mark + 1 (records missing in between) is refused with 409 and
  // the mark, so the edge resends from there; nothing of it is stored.
};

std::string to_json(const Batch& batch);  // every record with its content hash

// Parses and checks a batch: the format number, plant and edge present and well formed,
// at most kMaxBatchRecords records, each with every field of the right type, a known
// kind, a finite value, its content hash matching, sequence numbers strictly ascending
// and non-zero. On failure: nullopt and `error` saying where and what
// ("records[3].hash: does not match the record's content").
std::optional<Batch> parse_batch(std::string_view json, std::string* error);

// The center's answer to a committed (or entirely duplicate) batch.
struct Ack {
  std::uint64_t acked_seq = 0;  // the edge's high-water mark at the center
  std::uint64_t stored = 0;     // records of this batch newly stored
  std::uint64_t duplicates = 0; // records of this batch at or below the mark, ignored
};
std::string to_json(const Ack& ack);
std::optional<Ack> parse_ack(std::string_view json, std::string* error);

}  // namespace gemba::wire
