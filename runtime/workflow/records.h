// The rows the workflow engine keeps in the store, and their binary encodings
// (FORMAT.md). Every value starts with its row-format version byte; a row that does not
// decode is reported as corruption, never guessed at.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/lower/lowered.h"

namespace gemba::workflow {

inline constexpr std::uint8_t kRowFormat = 1;

// A Scalar as the 64 bits rows store, and back.
inline std::uint64_t bits_of(lower::Scalar s) {
  std::uint64_t b;
  std::memcpy(&b, &s, sizeof b);
  return b;
}
inline lower::Scalar scalar_of(std::uint64_t b) {
  lower::Scalar s;
  std::memcpy(&s, &b, sizeof s);
  return s;
}

using SignalChanges = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

// `versions`, key: the version hash (hex).
struct VersionRow {
  std::string plant;
  std::string compiler_version;  // the gemba that first published it
  struct Source {
    std::string path;
    std::string text;
    bool plant = false;
  };
  std::vector<Source> sources;
  // Per procedure: its name and layout fingerprint (template_version.h).
  std::vector<std::pair<std::string, std::string>> machines;
};

// The suspension an instance rests at: the effect that opened it.
struct TaskRow {
  std::uint64_t transition = 0;  // the transition that emitted it
  std::uint32_t index = 0;       // its index among that transition's effects
  std::uint32_t point = 0;
  double time = 0;
  std::vector<std::uint64_t> values;
};

// `instances`, key: key_u64(id).
struct InstanceRow {
  std::string version;
  std::string procedure;
  std::uint32_t wait = 0;
  std::uint8_t phase = 0;  // workflow::Phase, as of the last transition
  std::uint64_t transitions = 0;
  double created = 0;
  double updated = 0;
  std::uint64_t input_cursor = 0;
  std::uint64_t journal_first = 0;  // the journal sequence of its start
  std::optional<TaskRow> task;
  std::string timer_key;  // the row in `timers`, or empty
  std::vector<std::uint64_t> frame;
  std::vector<std::uint64_t> signals;
};

// `journal`, key: key_u64(sequence): one log of every instance's events, appended in
// commit order (sequential writes; an instance's rows are found from its first one).
struct JournalRow {
  std::uint64_t instance = 0;
  std::uint64_t transition = 0;
  std::uint32_t kind = 0;  // lower::EventKind
  std::uint64_t value = 0;
  double time = 0;
  std::string actor;
  SignalChanges signals;            // kSignal: inputs that changed
  std::vector<std::uint64_t> args;  // the start (transition 1): the arguments
};

// `outbox`, key: key_u64(sequence).
struct OutboxRow {
  std::uint64_t instance = 0;
  std::uint64_t transition = 0;
  std::uint32_t index = 0;
  std::uint32_t point = 0;
  double time = 0;
  std::vector<std::uint64_t> values;
};

// `timers`, key: key_u64(due, microseconds since 1970) + key_u64(instance).
struct TimerRow {
  std::uint64_t task_transition = 0;  // fires only while this task is open
  std::uint32_t kind = 0;             // lower::EventKind: kTimeout, or kDone for a wait
};

// `audit`, key: key_u64(sequence). Appended, never rewritten.
struct AuditRow {
  double time = 0;
  std::uint64_t instance = 0;
  std::uint64_t transition = 0;
  std::string actor;
  std::string action;
  std::string detail;
};

std::string encode(const VersionRow& row);
std::string encode(const InstanceRow& row);
std::string encode(const JournalRow& row);
std::string encode(const OutboxRow& row);
std::string encode(const TimerRow& row);
std::string encode(const AuditRow& row);

// Nullopt when the bytes are not a row of this kind and format.
std::optional<VersionRow> decode_version(std::string_view bytes);
std::optional<InstanceRow> decode_instance(std::string_view bytes);
std::optional<JournalRow> decode_journal(std::string_view bytes);
std::optional<OutboxRow> decode_outbox(std::string_view bytes);
std::optional<TimerRow> decode_timer(std::string_view bytes);
std::optional<AuditRow> decode_audit(std::string_view bytes);

std::string timer_key(double due, std::uint64_t instance);
double timer_due(std::string_view key);

}  // namespace gemba::workflow
