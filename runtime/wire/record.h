// One record as it travels from an edge to the center: a collected sample, or an event
// of a procedure run at the edge (a step done, an operator entry, a consumption, a
// production). The edge numbers its records 1, 2, 3, ... (`seq`) when they enter its
// outbox; the center keeps, per edge, the highest sequence number it has committed (the
// high-water mark) and ignores any record at or below it. Formats: WIRE.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gemba::wire {

enum class RecordKind : std::uint8_t {
  kSample = 1,  // a collected value of a signal
  kEvent = 2,   // a procedure's record: step, entry, consume, produce, audit line
};
const char* spelling(RecordKind kind);  // "sample", "event"
std::optional<RecordKind> record_kind(std::string_view spelling);

struct Record {
  std::uint64_t seq = 0;     // per edge, from 1, no gaps; 0 until the outbox assigns it
  std::int64_t time_us = 0;  // UTC microseconds since 1970: when it was measured or done
  RecordKind kind = RecordKind::kSample;
  // kSample: `instance.signal` of the plant model (`kettle2.temperature`).
  // kEvent: what it is about (`MixBatch#12`, `MixBatch#12/consume`).
  std::string subject;
  double value = 0;  // kSample: the value in `unit` (bools 0/1, enums their ordinal)
  std::string unit;  // as the signal is declared (`degC`); empty for bool, int, enum
  // kSample: the enum member or empty; kEvent: the event's body (JSON text).
  std::string text;

  bool operator==(const Record&) const = default;
};

// The content hash: the first 8 bytes of SHA-256 over the canonical encoding (encode()),
// as 16 lowercase hex digits. It covers every field, seq included. The edge sends it
// with each record; the center refuses a record whose hash does not match, and tests use
// it to account for every record exactly.
std::string content_hash(const Record& record);

// The canonical binary encoding (WIRE.md, "Record row"): the outbox row at the edge and
// the log row at the center. Versioned by its first byte.
std::string encode(const Record& record);
// False (and `out` unspecified) for a truncated, padded or foreign row.
bool decode(std::string_view row, Record* out);

}  // namespace gemba::wire
