// The records a procedure run at the edge leaves in the outbox (kind `event`, WIRE.md),
// one per engine effect and one per audit row. Their text is a compact JSON object:
//
//   subject `PROCEDURE#INSTANCE` (`ReleaseCheck#3`), one per effect, time = the effect's:
//     {"instance":3,"procedure":"ReleaseCheck","version":"<first 12 hex>","transition":4,
//      "index":0,"kind":"ask","text":"pH of sample 1","values":{"i":"1","lo":"2",...},
//      "role":"lab","target":"..."}          role and target only when the point has one
//   subject `PROCEDURE#INSTANCE/audit`, one per audit row, time = the row's:
//     {"instance":3,"procedure":"ReleaseCheck","sequence":17,"transition":4,
//      "actor":"operator maria","action":"answer","detail":"pH of sample 1 = 3.9",
//      "time":"2026-11-26 14:05:00 UTC"}
//
// `values` maps each of the point's value names to the value as an operator reads it
// (format_value). A record never breaks the wire's limits: a subject is cut to
// kMaxSubjectBytes, and a text over kMaxTextBytes has its longest strings cut, each
// ending in kTruncatedMark, with "truncated":true added.
#pragma once

#include <string>

#include "runtime/console/value_text.h"
#include "runtime/wire/record.h"
#include "runtime/workflow/engine.h"

namespace gemba::edge {

inline constexpr char kTruncatedMark[] = "...[truncated]";

// The record of an effect the engine delivered (`effect.machine` and `point` set).
wire::Record effect_record(const workflow::OutboxEffect& effect, const console::Names* names);

// The record of an audit row of an instance of `procedure`.
wire::Record audit_record(const workflow::AuditEntry& entry, const std::string& procedure);

// The subject's cut and the text's fitting described above; `seq` is left as it is.
// Returns whether anything was cut.
bool fit_record(wire::Record* record);

// `text` cut to at most `max_bytes` bytes at a UTF-8 character boundary.
std::string cut_utf8(const std::string& text, std::size_t max_bytes);

}  // namespace gemba::edge
