// The line protocol between the crash test (crash_test.cpp, the parent) and the process
// it kills (crash_child.cpp, `gemba_crash_child`). One line per message, space-separated
// fields; numbers in decimal, a Scalar's bits and hashes in hex. The child writes every
// line with a single write() shorter than PIPE_BUF, so a SIGKILL never tears one.
//
// Parent -> child (each request carries the parent's request number `req`):
//   start <req> <lot>                           a ReleaseCheck of lot LOT-<lot>
//   event <req> <id> <kind> <bits> <expect|->   kind: done, hold, restart, abort
//   dump <req> <from> [<id> ...]                every instance; the journals of those
//                                               listed and of those numbered >= from
//   drain <req>                                 Engine::drain
//   expect <req>                                the effects the journals imply
//   clock <req> <t>                             sets the engine's clock (with --clock)
//   tick <req>                                  Engine::fire_due_timers, and their commit
//   quit <req>                                  closes the engine and exits 0
// Child -> parent:
//   ready <open_us> <publish_us> <instances> <outbox>
//   effect <id>/<transition>/<index> <point kind> <content>   from the EffectSink
//   ack <req> <id> <transition> <result> <state>               after the commit is durable
//   inst <state> <replay: ok|mismatch|error>                    dump, every instance
//   journal <id> <transition> <kind> <bits>                     dump, listed instances
//   dumped <req> <count>
//   drained <req> <outbox rows left>
//   expect <id>/<transition>/<index> <point kind> <content>    the journal's effects
//   frame <id> <ok|mismatch>           interpreter replay of the journal vs stored frame
//   expected <req> <count>
//   timeout <req> <id> <transition> <state>     tick: a journalled timeout it caused
//   ticked <req> <fired> <refused>              tick: timers fired; events the engine
//                                               refused meanwhile (stale timers)
//   bye <req>
//   error <text>
// <state> is seven fields: <id> <transitions> <phase> <wait> <frame hash> <due> <task>,
// where <due> is the instance's pending timer in microseconds since 1970, or `-`, and
// <task> is `-` or <transition>,<point kind>,<answer kind>,<lo bits>,<hi bits>,<choices>,
// <label> (lo and hi are `-` when the ask has no range; the label is the first word of
// the point's text, letters and digits only: "pH", "Brix", or `-`).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gemba::crash {

inline std::uint64_t fnv1a(std::uint64_t hash, std::uint64_t word) {
  for (int k = 0; k < 8; ++k) {
    hash ^= (word >> (8 * k)) & 0xff;
    hash *= 0x100000001b3ull;
  }
  return hash;
}
inline constexpr std::uint64_t kFnvBasis = 0xcbf29ce484222325ull;

inline std::string hex(std::uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%llx", static_cast<unsigned long long>(value));
  return buffer;
}

inline std::optional<std::uint64_t> parse_hex(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    value = value << 4 | static_cast<std::uint64_t>(digit);
  }
  return value;
}

inline std::optional<std::uint64_t> parse_u64(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

inline std::vector<std::string> split(std::string_view line, char separator = ' ') {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= line.size()) {
    std::size_t end = line.find(separator, begin);
    if (end == std::string_view::npos) end = line.size();
    if (end > begin) out.emplace_back(line.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

// The open task of an instance, as <task> spells it.
struct TaskInfo {
  std::uint64_t transition = 0;
  std::string point;   // "ask", "sign", ...
  std::string answer;  // the answer's ValueFormat kind: "bool", "real", "enum", ... or "-"
  std::optional<std::uint64_t> lo, hi;  // an ask's range, as Scalar bits
  std::uint32_t choices = 0;            // an enum answer's members
  std::string label;                    // the text's first word: what is asked
  friend bool operator==(const TaskInfo&, const TaskInfo&) = default;
};

// An instance as last committed, as <state> spells it.
struct StateInfo {
  std::uint64_t id = 0;
  std::uint64_t transitions = 0;
  std::string phase;
  std::uint32_t wait = 0;
  std::uint64_t frame = 0;           // fnv1a over the frame's bits
  std::optional<std::uint64_t> due;  // the pending timer, microseconds since 1970
  std::optional<TaskInfo> task;
  friend bool operator==(const StateInfo&, const StateInfo&) = default;
};

// The first word of a point's text, letters and digits only; `-` when there are none.
inline std::string label_of(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && !out.empty()) break;
    if (alnum && out.size() < 24) out += c;
  }
  return out.empty() ? "-" : out;
}

inline std::string format_task(const std::optional<TaskInfo>& task) {
  if (!task) return "-";
  return std::to_string(task->transition) + "," + task->point + "," + task->answer + "," +
         (task->lo ? hex(*task->lo) : "-") + "," + (task->hi ? hex(*task->hi) : "-") + "," +
         std::to_string(task->choices) + "," + task->label;
}

inline std::string format_state(const StateInfo& s) {
  return std::to_string(s.id) + " " + std::to_string(s.transitions) + " " + s.phase + " " +
         std::to_string(s.wait) + " " + hex(s.frame) + " " +
         (s.due ? std::to_string(*s.due) : std::string("-")) + " " + format_task(s.task);
}

inline constexpr std::size_t kStateFields = 7;

// Reads <state> from fields[at .. at + 7).
inline std::optional<StateInfo> parse_state(const std::vector<std::string>& fields,
                                            std::size_t at) {
  if (fields.size() < at + kStateFields) return std::nullopt;
  StateInfo s;
  auto id = parse_u64(fields[at]), transitions = parse_u64(fields[at + 1]);
  auto wait = parse_u64(fields[at + 3]);
  auto frame = parse_hex(fields[at + 4]);
  if (!id || !transitions || !wait || !frame) return std::nullopt;
  s.id = *id;
  s.transitions = *transitions;
  s.phase = fields[at + 2];
  s.wait = static_cast<std::uint32_t>(*wait);
  s.frame = *frame;
  if (fields[at + 5] != "-") {
    s.due = parse_u64(fields[at + 5]);
    if (!s.due) return std::nullopt;
  }
  if (fields[at + 6] == "-") return s;
  std::vector<std::string> t = split(fields[at + 6], ',');
  if (t.size() != 7) return std::nullopt;
  TaskInfo task;
  auto transition = parse_u64(t[0]), choices = parse_u64(t[5]);
  if (!transition || !choices) return std::nullopt;
  task.transition = *transition;
  task.point = t[1];
  task.answer = t[2];
  if (t[3] != "-") task.lo = parse_hex(t[3]);
  if (t[4] != "-") task.hi = parse_hex(t[4]);
  task.choices = static_cast<std::uint32_t>(*choices);
  task.label = t[6];
  s.task = std::move(task);
  return s;
}

}  // namespace gemba::crash
