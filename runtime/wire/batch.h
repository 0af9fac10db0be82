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

// Limits of one record (WIRE.md): the center indexes samples by plant and subject, and
// refuses a batch holding a record outside them.
inline constexpr std::size_t kMaxPlantBytes = 64;      // [A-Za-z0-9_.-]
inline constexpr std::size_t kMaxSubjectBytes = 256;   // UTF-8, no NUL
inline constexpr std::size_t kMaxUnitBytes = 64;       // UTF-8
inline constexpr std::size_t kMaxTextBytes = 1 << 20;  // UTF-8

bool valid_plant(std::string_view plant);  // 1 to kMaxPlantBytes of [A-Za-z0-9_.-]
bool valid_edge(std::string_view edge);    // 16 lowercase hex digits

// Why `record` cannot travel in a batch ("subject: is empty"), or empty when it can: the
// checks parse_batch applies to each record's content (seq non-zero, a finite value,
// text fields of valid UTF-8 within the limits above, a subject without NUL). An edge
// applies it before a record enters its outbox, so that no record it keeps is refused
// forever.
std::string record_problem(const Record& record);

// Every record with its content hash. Never throws; text fields that are not valid UTF-8
// are sent with U+FFFD in place of the bad bytes, so their hash no longer matches and the
// center refuses the batch (400): check records with record_problem() first.
std::string to_json(const Batch& batch);

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
// Unknown members are ignored (a later center may add some); the three counts are
// required, as non-negative integers.
std::optional<Ack> parse_ack(std::string_view json, std::string* error);

}  // namespace gemba::wire
