// What one batch writes: for each piece of work, the rows of FORMAT.md, in the batch's
// single write transaction. Nothing here touches the caches: the committer publishes
// `Pending` once the commit is durable.
#include <cmath>
#include <cstring>

#include "compiler/diag/span_location.h"
#include "runtime/console/value_text.h"
#include "runtime/workflow/engine_impl.h"

namespace gemba::workflow {
namespace {

using lower::EventKind;
using lower::PointKind;

constexpr std::uint32_t kEffectCapacity = 256;

Phase phase_of(const lower::Machine& m, std::uint32_t wait) {
  const lower::Wait& w = m.waits[wait];
  if (w.label == "not started") return Phase::kIdle;
  if (w.label == "held") return Phase::kHeld;
  if (w.final) return w.label == "aborted" ? Phase::kAborted : Phase::kComplete;
  return Phase::kRunning;
}

bool is_suspension(PointKind kind) {
  return kind == PointKind::kAsk || kind == PointKind::kAwait || kind == PointKind::kCommand ||
         kind == PointKind::kSign || kind == PointKind::kWait;
}

// The ISA-88 path from `from` to `to` through the transient state the event implies:
// "running -> holding -> held".
std::string state_path(Phase from, Phase to, EventKind kind, bool held_itself) {
  std::string out = spelling(from);
  if (to == Phase::kHeld && from != Phase::kHeld) out += " -> holding";
  if (from == Phase::kHeld && to == Phase::kRunning && kind == EventKind::kRestart) {
    out += " -> restarting";
  }
  if (to == Phase::kAborted) out += " -> aborting";
  (void)held_itself;
  return out + " -> " + spelling(to);
}

// When the task opened by `task` times out (or, for a wait, completes): nullopt if never.
std::optional<std::pair<double, EventKind>> timer_of(const lower::Point& point,
                                                     const TaskRow& task) {
  std::vector<lower::Scalar> values;
  for (std::uint64_t word : task.values) values.push_back(scalar_of(word));
  std::optional<double> due = deadline(point, task.time, values);
  if (!due) return std::nullopt;
  return std::make_pair(*due,
                        point.kind == PointKind::kWait ? EventKind::kDone : EventKind::kTimeout);
}

// ` at file:line:column` of a fault's script operation, or empty.
std::string where(const Instance& inst, const std::uint32_t site[2]) {
  std::optional<diag::Span> span = lower::fault_span(inst.executor->module(), site[0], site[1]);
  if (!span || inst.version == nullptr || !inst.version->sources) return "";
  diag::SpanLocation at = diag::locate(*inst.version->sources, *span);
  if (at.file == nullptr) return "";
  return " at " + at.file->path() + ":" + std::to_string(at.begin.line) + ":" +
         std::to_string(at.begin.column);
}

// Why `value` is not a value of `format` (a bool that is not 0 or 1, an enum ordinal
// out of range, a real that is not finite), or empty.
std::string kind_problem(const lower::ValueFormat& format, lower::Scalar value) {
  using Kind = lower::ValueFormat::Kind;
  switch (format.kind) {
    case Kind::kBool:
      if (value.i != 0 && value.i != 1) {
        return "a yes/no value must be 0 or 1, got " + std::to_string(value.i);
      }
      return "";
    case Kind::kEnum:
      if (value.i < 0 || static_cast<std::size_t>(value.i) >= format.choices.size()) {
        return "no member " + std::to_string(value.i) + " in " + format.type_name;
      }
      return "";
    case Kind::kReal:
    case Kind::kTime:
      if (!std::isfinite(value.r)) return "the value is not a finite number";
      return "";
    default:
      return "";
  }
}

// Why an answer to `point`, opened by `task`, is not acceptable, or empty.
std::string answer_problem(const lower::Point& point, const TaskRow& task, lower::Scalar value) {
  if (point.kind != PointKind::kAsk) return "";
  std::string problem = kind_problem(point.answer, value);
  if (!problem.empty() || !point.has_range) return problem;
  std::size_t tail = point.has_timeout ? 1 : 0;
  if (task.values.size() < 2 + tail) return "";
  lower::Scalar lo = scalar_of(task.values[task.values.size() - 2 - tail]);
  lower::Scalar hi = scalar_of(task.values[task.values.size() - 1 - tail]);
  bool is_int = point.answer.kind == lower::ValueFormat::Kind::kInt;
  bool inside =
      is_int ? (value.i >= lo.i && value.i <= hi.i) : (value.r >= lo.r && value.r <= hi.r);
  return inside ? "" : "the answer is outside the range the procedure allows";
}

// Names as the committer sees them: committed ones, and those made earlier in the batch.
class BatchNames final : public console::Names {
 public:
  BatchNames(const std::map<std::int64_t, std::string>& texts, const Pending& p)
      : texts_(texts), p_(p) {}
  std::int64_t handle(std::string_view) override { return 0; }  // never called to render
  std::optional<std::string> text(std::int64_t handle) const override {
    auto found = texts_.find(handle);
    if (found != texts_.end()) return found->second;
    for (const auto& [text, h] : p_.names) {
      if (h == handle) return text;
    }
    return std::nullopt;
  }

 private:
  const std::map<std::int64_t, std::string>& texts_;
  const Pending& p_;
};

}  // namespace

std::optional<double> deadline(const lower::Point& point, double time,
                               const std::vector<lower::Scalar>& values) {
  if (values.empty()) return std::nullopt;
  if (point.kind == PointKind::kWait) return time + std::max(0.0, values[0].r);
  if (point.has_timeout) return time + std::max(0.0, values.back().r);
  return std::nullopt;
}

void Engine::Impl::apply(store::WriteTxn& txn, Work& work, std::size_t position, Pending& p) {
  Outcome& out = p.outcomes[position];
  double now = clock->now();
  auto audit = [&](InstanceId id, std::uint64_t transition, const std::string& actor,
                   const std::string& action, const std::string& detail) {
    AuditRow row{now, id, transition, actor, action, detail};
    txn.append(t.audit, store::key_u64(p.next_audit++), encode(row));
  };
  auto refuse = [&](Outcome::Result result, InstanceId id, std::string why, bool audited) {
    out.result = result;
    out.message = std::move(why);
    ++p.refused;
    if (audited) audit(id, 0, work.event.actor, "refused", out.message);
  };

  if (work.kind == Work::Kind::kDeleteOutbox) {
    for (std::uint64_t seq : work.outbox) txn.erase(t.outbox, store::key_u64(seq));
    out.result = Outcome::Result::kApplied;
    return;
  }
  if (work.kind == Work::Kind::kName) {
    auto known = p.names.find(work.text);
    std::int64_t handle = 0;
    if (known != p.names.end()) {
      handle = known->second;
    } else if (auto found = txn.get(t.names, "t" + work.text)) {
      handle = static_cast<std::int64_t>(store::u64_of_key(*found));
    } else {
      handle = static_cast<std::int64_t>(p.next_name++);
      txn.put(t.names, "t" + work.text, store::key_u64(handle));
      txn.put(t.names, "h" + store::key_u64(handle), work.text);
    }
    p.names[work.text] = handle;
    p.handles[position] = handle;
    out.result = Outcome::Result::kApplied;
    return;
  }
  if (work.kind == Work::Kind::kCorrect) {
    Instance* inst = touch(p, work.event.instance);
    if (inst == nullptr || work.transition == 0 || work.transition > inst->row.transitions) {
      return refuse(Outcome::Result::kRefused, work.event.instance,
                    "no transition " + std::to_string(work.transition) + " of instance " +
                        std::to_string(work.event.instance) + " to correct",
                    false);
    }
    audit(work.event.instance, work.transition, work.event.actor, "correction", work.event.note);
    out.result = Outcome::Result::kApplied;
    out.transition = work.transition;
    return;
  }

  // Start or event: find the instance (a start makes one), run its transition.
  Instance fresh;
  Instance* inst = nullptr;
  lower::Event event{work.event.kind, 0, bits_of(work.event.value), now};
  std::vector<lower::Scalar>& frame = this->frame;
  std::vector<lower::Scalar>& signals = this->signals;
  if (work.kind == Work::Kind::kStart) {
    const StartRequest& s = work.start;
    const LoadedVersion* v = version(s.version);
    auto found = v ? v->procedures.find(s.procedure) : decltype(v->procedures.end()){};
    if (v == nullptr || found == v->procedures.end()) {
      return refuse(Outcome::Result::kRefused, 0,
                    v ? "version " + s.version.substr(0, 12) + " has no procedure " + s.procedure
                      : "no published version " + s.version,
                    false);
    }
    fresh.version = v;
    fresh.executor = found->second.first;
    fresh.machine = found->second.second;
    const lower::Machine& m = fresh.m();
    if (s.args.size() != m.params.size()) {
      return refuse(Outcome::Result::kRefused, 0,
                    s.procedure + " takes " + std::to_string(m.params.size()) +
                        " argument(s), the start gives " + std::to_string(s.args.size()),
                    false);
    }
    frame = lower::initial_frame(m, s.args);
    signals.assign(m.signals.size(), lower::Scalar{.i = 0});
    event = lower::Event{EventKind::kStart, 0, 0, now};
    fresh.row.version = s.version;
    fresh.row.procedure = s.procedure;
    fresh.row.created = now;
    inst = &fresh;
    work.event.actor = s.actor;
    work.event.note = s.note;
  } else {
    inst = touch(p, work.event.instance);
    if (inst == nullptr) {
      return refuse(Outcome::Result::kRefused, 0,
                    "no instance " + std::to_string(work.event.instance), false);
    }
    if (inst->executor == nullptr) {
      return refuse(Outcome::Result::kRefused, work.event.instance,
                    "instance " + std::to_string(work.event.instance) + " is finished", false);
    }
    const lower::Machine& m = inst->m();
    const lower::Wait& wait = m.waits[inst->row.wait];
    if (wait.final) {
      return refuse(Outcome::Result::kRefused, work.event.instance,
                    "instance " + std::to_string(work.event.instance) + " is " + wait.label +
                        ": it takes no more events",
                    true);
    }
    const std::optional<TaskRow>& task = inst->row.task;
    if (work.event.expect_transition &&
        (!task || task->transition != *work.event.expect_transition)) {
      return refuse(Outcome::Result::kStale, work.event.instance,
                    "the task opened by transition " +
                        std::to_string(*work.event.expect_transition) + " is no longer open",
                    work.event.actor != "timer");
    }
    for (const auto& [index, value] : work.event.signals) {
      std::string problem = index < m.signals.size() ? kind_problem(m.signals[index].format, value)
                                                     : "no signal input " + std::to_string(index);
      if (!problem.empty()) {
        return refuse(
            Outcome::Result::kRefused, work.event.instance,
            m.name + (index < m.signals.size() ? " " + m.signals[index].name : "") + ": " + problem,
            true);
      }
    }
    if (work.event.kind == EventKind::kDone && task && wait.point != lower::kNoBlock) {
      std::string problem = answer_problem(m.points[wait.point], *task, work.event.value);
      if (!problem.empty()) {
        return refuse(Outcome::Result::kRefused, work.event.instance, problem, true);
      }
    }
    frame.resize(inst->row.frame.size());
    for (std::size_t k = 0; k < frame.size(); ++k) frame[k] = scalar_of(inst->row.frame[k]);
    signals.resize(inst->row.signals.size());
    for (std::size_t k = 0; k < signals.size(); ++k) signals[k] = scalar_of(inst->row.signals[k]);
    for (const auto& [index, value] : work.event.signals) signals[index] = value;
  }

  const lower::Machine& m = inst->m();
  if (effects.size() < kEffectCapacity) effects.resize(kEffectCapacity);
  std::uint32_t count = 0, site[2] = {0, 0};
  lower::Fault fault = inst->executor->run(inst->machine, frame.data(), signals.data(), event,
                                           effects.data(), kEffectCapacity, &count, site);
  InstanceId id = work.kind == Work::Kind::kStart ? p.next_instance : work.event.instance;
  if (fault == lower::Fault::kEventNotExpected) {
    return refuse(Outcome::Result::kRefused, id,
                  std::string("event `") + lower::spelling(event.kind) +
                      "` is not expected while " + m.name + " waits in `" +
                      m.waits[inst->row.wait].label + "`",
                  work.kind == Work::Kind::kEvent);
  }
  if (fault != lower::Fault::kNone) {
    return refuse(Outcome::Result::kFault, id,
                  std::string(lower::describe(fault)) + where(*inst, site),
                  work.kind == Work::Kind::kEvent);
  }

  // Applied: journal, instance, outbox, task and timer, audit.
  if (work.kind == Work::Kind::kStart) {
    ++p.next_instance;
    inst = &p.instances.emplace(id, std::move(fresh)).first->second;
  }
  InstanceRow& row = inst->row;
  Phase before = phase_of(m, row.wait);
  std::uint64_t transition = ++row.transitions;
  JournalRow journal{id,
                     transition,
                     static_cast<std::uint32_t>(event.kind),
                     event.value_bits,
                     now,
                     work.event.actor,
                     {},
                     {}};
  for (const auto& [index, value] : work.event.signals)
    journal.signals.emplace_back(index, bits_of(value));
  if (work.kind == Work::Kind::kStart) {
    for (lower::Scalar arg : work.start.args) journal.args.push_back(bits_of(arg));
  }
  if (transition == 1) row.journal_first = p.next_journal;
  txn.append(t.journal, store::key_u64(p.next_journal++), encode(journal));

  std::uint32_t old_wait = row.wait;
  std::optional<TaskRow> old_task = row.task;
  row.wait = static_cast<std::uint32_t>(frame[lower::kStateSlot].i);
  row.updated = now;
  if (work.event.input_cursor) row.input_cursor = *work.event.input_cursor;
  row.frame.resize(frame.size());
  for (std::size_t k = 0; k < frame.size(); ++k) row.frame[k] = bits_of(frame[k]);
  row.signals.resize(signals.size());
  for (std::size_t k = 0; k < signals.size(); ++k) row.signals[k] = bits_of(signals[k]);

  bool held_itself = false;
  std::optional<TaskRow> opened;
  std::uint32_t rest_point = m.waits[row.wait].point;
  for (std::uint32_t k = 0; k < count; ++k) {
    const lower::Effect& e = effects[k];
    OutboxRow o{id,      transition, k,
                e.point, now,        std::vector<std::uint64_t>(e.values, e.values + e.count)};
    txn.append(t.outbox, store::key_u64(p.next_outbox++), encode(o));
    if (m.points[e.point].kind == PointKind::kHold) held_itself = true;
    if (e.point == rest_point && is_suspension(m.points[e.point].kind)) {
      opened = TaskRow{transition, k, e.point, now, o.values};
    }
  }
  if (rest_point == lower::kNoBlock || m.waits[row.wait].final) {
    row.task.reset();
  } else if (opened) {
    row.task = opened;
  }
  // A timeout that leaves its task open (the machine waits again) used its timer up: the
  // wait starts over with a new one, counted from now. Left in place, the old row would
  // fire again at the next start (the `fired` set dies with the process).
  std::optional<TaskRow> armed = opened;
  if (!opened && row.task && event.kind == EventKind::kTimeout) {
    armed = row.task;
    armed->time = now;
  }
  bool task_changed = armed.has_value() || !row.task;
  if (task_changed && !row.timer_key.empty()) {
    txn.erase(t.timers, row.timer_key);
    p.timers_erased.insert(row.timer_key);
    p.timers_put.erase(row.timer_key);
    row.timer_key.clear();
  }
  if (armed) {
    if (auto timer = timer_of(m.points[armed->point], *armed)) {
      row.timer_key = timer_key(timer->first, id);
      TimerRow timer_row{armed->transition, static_cast<std::uint32_t>(timer->second)};
      txn.put(t.timers, row.timer_key, encode(timer_row));
      p.timers_put[row.timer_key] = timer_row;
      p.timers_erased.erase(row.timer_key);
    }
  }
  row.phase = static_cast<std::uint8_t>(phase_of(m, row.wait));
  txn.put(t.instances, store::key_u64(id), encode(row));

  const std::string& actor = work.event.actor;
  if (work.kind == Work::Kind::kStart) {
    audit(id, transition, actor, "start",
          m.name + (work.event.note.empty() ? "" : "(" + work.event.note + ")") + " on version " +
              row.version.substr(0, 12));
  } else if (event.kind == EventKind::kDone && old_wait < m.waits.size() &&
             m.waits[old_wait].point != lower::kNoBlock) {
    const lower::Point& point = m.points[m.waits[old_wait].point];
    // Only the committer writes `texts`: reading it here needs no lock.
    BatchNames names(texts, p);
    std::string text =
        old_task ? console::render_text(point, scalars(old_task->values), &names) : point.text;
    std::string what = work.event.note.empty()
                           ? console::format_value(work.event.value, point.answer, &names)
                           : work.event.note;
    if (point.kind == PointKind::kAsk) audit(id, transition, actor, "answer", text + " = " + what);
    if (point.kind == PointKind::kSign) {
      audit(id, transition, actor, "signature", "meaning: " + text + "; signed by " + actor);
    }
    if (point.kind == PointKind::kCommand)
      audit(id, transition, actor, "command done", point.target);
    // A wait the timer ends is the script's; one ended by a person is an entry.
    if (point.kind == PointKind::kWait && actor != "timer") {
      audit(id, transition, actor, "wait ended",
            text + (work.event.note.empty() ? "" : ": " + work.event.note));
    }
  } else if (event.kind == EventKind::kSignal && !work.event.note.empty()) {
    // A reading someone typed (`scale.weight = 1210 kg`); equipment readings carry no note.
    audit(id, transition, actor, "reading", work.event.note);
  } else if (event.kind == EventKind::kHold || event.kind == EventKind::kRestart ||
             event.kind == EventKind::kAbort) {
    audit(id, transition, actor, "request",
          std::string(lower::spelling(event.kind)) +
              (work.event.note.empty() ? "" : ": " + work.event.note));
  }
  Phase after = phase_of(m, row.wait);
  if (before != after) {
    audit(id, transition, actor, "state", state_path(before, after, event.kind, held_itself));
  }
  out.result = Outcome::Result::kApplied;
  out.transition = transition;
  if (work.kind == Work::Kind::kStart) p.started[position] = id;
  ++p.applied;
}

}  // namespace gemba::workflow
