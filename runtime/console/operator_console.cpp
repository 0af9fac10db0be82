#include "runtime/console/operator_console.h"

#include <chrono>
#include <cmath>
#include <istream>
#include <ostream>
#include <thread>

namespace gemba::console {
namespace {

using lower::PointKind;
using workflow::Outcome;

std::string trimmed(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// `word rest...` -> {word, rest}.
std::pair<std::string, std::string> split_word(const std::string& line) {
  std::size_t space = line.find(' ');
  if (space == std::string::npos) return {line, ""};
  return {line.substr(0, space), trimmed(line.substr(space + 1))};
}

std::string role_of(const lower::Point& point) {
  return point.role.empty() ? "" : " (role " + point.role + ")";
}

// `name = value, ...` of a command's arguments.
std::string arguments(const lower::Point& point, const std::vector<lower::Scalar>& values,
                      const Names* names) {
  std::string out;
  for (std::size_t k = 0; k < values.size() && k < point.value_names.size(); ++k) {
    std::string shown = k < point.value_formats.size()
                            ? format_value(values[k], point.value_formats[k], names)
                            : std::to_string(values[k].r);
    out += (out.empty() ? "" : ", ") + point.value_names[k] + " = " + shown;
  }
  return out;
}

std::string clock_text(double seconds) {
  lower::ValueFormat time;
  time.kind = lower::ValueFormat::Kind::kTime;
  return format_value(lower::Scalar{.r = seconds}, time, nullptr);
}

}  // namespace

// ---- Input -------------------------------------------------------------------------

OperatorInput::OperatorInput(std::vector<std::string> script, std::uint64_t consumed,
                             std::istream* live)
    : script_(std::move(script)), at_(consumed), live_(live) {}

std::optional<OperatorInput::Line> OperatorInput::next() {
  while (at_ < script_.size()) {
    std::string text = trimmed(script_[at_++]);
    if (text.empty() || text[0] == '#') continue;
    return Line{text, at_, true};
  }
  std::string text;
  while (live_ != nullptr && std::getline(*live_, text)) {
    text = trimmed(text);
    if (!text.empty() && text[0] != '#') return Line{text, std::nullopt, false};
  }
  return std::nullopt;
}

// ---- Effects -----------------------------------------------------------------------

bool ConsoleSink::deliver(const workflow::OutboxEffect& effect) {
  const lower::Point& point = *effect.point;
  std::string text = render_text(point, effect.values, &names_);
  std::string line;
  switch (point.kind) {
    case PointKind::kStep:
      line = "\n== " + text + " ==";
      break;
    case PointKind::kNotify:
      line = "[notify " + point.role + "] " + text;
      break;
    case PointKind::kEscalate:
      line = "[ESCALATION" + (point.role.empty() ? "" : " to " + point.role) + "] " + text;
      break;
    case PointKind::kCommand: {
      line = "-> " + point.target + "(" + arguments(point, effect.values, &names_) +
             ")  [simulated equipment: done]";
      workflow::EventRequest done;
      done.instance = effect.key.instance;
      done.kind = lower::EventKind::kDone;
      done.expect_transition = effect.key.transition;  // a repeated delivery is stale
      done.actor = "equipment (simulated)";
      engine_.submit(std::move(done));
      break;
    }
    case PointKind::kStart:
      line = "-> start " + point.target + " (" + arguments(point, effect.values, &names_) +
             ")  [not run by gemba run]";
      break;
    case PointKind::kConsume:
    case PointKind::kProduce:
      line = std::string("[record] ") + lower::spelling(point.kind) + " " +
             arguments(point, effect.values, &names_);
      break;
    case PointKind::kHold:
      line = "[hold] " + text;
      break;
    case PointKind::kAbort:
      line = "[abort] " + text;
      break;
    case PointKind::kComplete:
      line = "\n== procedure complete ==";
      break;
    case PointKind::kAborted:
      line = "\n== procedure aborted ==";
      break;
    default:
      return true;  // suspensions: the prompt loop shows them
  }
  std::lock_guard lock(out_mutex_);
  out_ << line << '\n' << std::flush;
  return true;
}

// ---- The prompt loop ---------------------------------------------------------------

namespace {

class Session {
 public:
  Session(workflow::Engine& engine, workflow::InstanceId id, OperatorInput& input,
          std::ostream& out, std::mutex& out_mutex)
      : engine_(engine), names_(engine), id_(id), input_(input), out_(out), out_mutex_(out_mutex) {}

  ConsoleEnd run() {
    for (int idle = 0;;) {
      engine_.drain();
      std::optional<workflow::InstanceView> view = engine_.instance(id_);
      if (!view) return ConsoleEnd::kQuit;
      if (view->phase == workflow::Phase::kComplete) return ConsoleEnd::kComplete;
      if (view->phase == workflow::Phase::kAborted) return ConsoleEnd::kAborted;
      std::optional<ConsoleEnd> end;
      if (view->phase == workflow::Phase::kHeld) {
        end = held(*view);
      } else if (!view->task || view->task->point->kind == PointKind::kCommand) {
        // A command is completed by the simulated equipment; nothing else rests here.
        std::this_thread::sleep_for(std::chrono::milliseconds(idle++ < 100 ? 5 : 50));
        continue;
      } else {
        end = task(*view);
      }
      if (end) return *end;
      idle = 0;
    }
  }

 private:
  void say(const std::string& text) {
    std::lock_guard lock(out_mutex_);
    out_ << text << '\n' << std::flush;
  }

  // The next line, echoed when it comes from the answers file; nullopt at the end.
  std::optional<OperatorInput::Line> read() {
    std::optional<OperatorInput::Line> line = input_.next();
    if (line && line->scripted) say("> " + line->text);
    return line;
  }

  void submit(workflow::EventRequest request, const OperatorInput::Line& line) {
    request.instance = id_;
    request.input_cursor = line.cursor;
    if (request.actor.empty()) request.actor = "operator";
    Outcome outcome = engine_.submit(std::move(request)).get();
    switch (outcome.result) {
      case Outcome::Result::kApplied:
        return;
      case Outcome::Result::kStale:
        say("  (the task changed meanwhile: it is shown again)");
        return;
      default:
        say("  refused: " + outcome.message);
    }
  }

  // `hold`, `restart`, `abort`, `status`, `quit` at any prompt: the ConsoleEnd, or
  // nullopt when the line was handled (or is no such word: then `*handled` is false).
  std::optional<ConsoleEnd> control(const OperatorInput::Line& line,
                                    const workflow::InstanceView& view, bool* handled) {
    auto [word, rest] = split_word(line.text);
    *handled = true;
    workflow::EventRequest r;
    r.note = rest;
    if (word == "hold")
      r.kind = lower::EventKind::kHold;
    else if (word == "restart")
      r.kind = lower::EventKind::kRestart;
    else if (word == "abort")
      r.kind = lower::EventKind::kAbort;
    else if (word == "quit")
      return ConsoleEnd::kQuit;
    else if (word == "status") {
      say("  instance " + std::to_string(view.id) + " of " + view.procedure + ": " +
          workflow::spelling(view.phase) + ", at `" + view.machine->waits[view.wait].label +
          "`, transition " + std::to_string(view.transitions) + ", version " +
          view.version.substr(0, 12));
      return std::nullopt;
    } else {
      *handled = false;
      return std::nullopt;
    }
    submit(std::move(r), line);
    return std::nullopt;
  }

  std::optional<ConsoleEnd> held(const workflow::InstanceView& view) {
    say("The procedure is held. Type `restart` to continue, or `abort REASON`.");
    std::optional<OperatorInput::Line> line = read();
    if (!line) return ConsoleEnd::kOutOfInput;
    bool handled = false;
    std::optional<ConsoleEnd> end = control(*line, view, &handled);
    if (!handled) say("  the procedure is held: type `restart` or `abort REASON`");
    return end;
  }

  std::optional<ConsoleEnd> task(const workflow::InstanceView& view) {
    const workflow::OutboxEffect& task = *view.task;
    const lower::Point& point = *task.point;
    std::string text = render_text(point, task.values, &names_);
    auto [lo, hi] = ask_range(point, task.values);
    switch (point.kind) {
      case PointKind::kAsk:
        say("? " + text + role_of(point) + "  [" + expected_input(point.answer, lo, hi) + "]");
        break;
      case PointKind::kSign:
        say("Signature required" + role_of(point) + ": " + text + ". Type your name.");
        break;
      case PointKind::kAwait: {
        std::string signals;
        for (const auto& s : view.machine->signals) {
          signals += (signals.empty() ? "" : ", ") + s.name + " [" +
                     expected_input(s.format, {}, {}) + "]";
        }
        say("Waiting for a condition on " + signals +
            ". Type `SIGNAL = VALUE` when a reading changes.");
        break;
      }
      case PointKind::kWait:
        say("Waiting until " + (view.timer_due ? clock_text(*view.timer_due) : "?") +
            ". Type `done` to end the wait early (recorded in the audit trail).");
        break;
      default:
        break;
    }
    if (view.timer_due && point.kind != PointKind::kWait) {
      say("  (times out at " + clock_text(*view.timer_due) + ")");
    }
    std::optional<OperatorInput::Line> line = read();
    if (!line) return ConsoleEnd::kOutOfInput;
    bool handled = false;
    std::optional<ConsoleEnd> end = control(*line, view, &handled);
    if (handled) return end;
    workflow::EventRequest r;
    r.expect_transition = task.key.transition;
    r.kind = lower::EventKind::kDone;
    r.note = line->text;
    if (point.kind == PointKind::kAsk) {
      ParsedValue parsed = parse_value(line->text, point.answer, lo, hi, &names_);
      if (!parsed.value) {
        say("  " + parsed.error);
        return std::nullopt;  // asked again
      }
      r.value = *parsed.value;
    } else if (point.kind == PointKind::kSign) {
      r.actor = line->text + role_of(point);
    } else if (point.kind == PointKind::kAwait) {
      if (!signal_change(*view.machine, line->text, &r)) return std::nullopt;
    } else if (point.kind == PointKind::kWait) {
      if (line->text != "done") {
        say("  type `done` to end the wait early, or wait");
        return std::nullopt;
      }
      r.note = "wait ended early by the operator";
    }
    submit(std::move(r), *line);
    return std::nullopt;
  }

  // `name = value` as a signal change; false (said why) when it is not one.
  bool signal_change(const lower::Machine& machine, const std::string& text,
                     workflow::EventRequest* r) {
    std::size_t eq = text.find('=');
    std::string name = trimmed(text.substr(0, eq));
    for (std::uint32_t k = 0; eq != std::string::npos && k < machine.signals.size(); ++k) {
      if (machine.signals[k].name != name) continue;
      ParsedValue parsed =
          parse_value(trimmed(text.substr(eq + 1)), machine.signals[k].format, {}, {}, &names_);
      if (!parsed.value) {
        say("  " + name + ": " + parsed.error);
        return false;
      }
      r->kind = lower::EventKind::kSignal;
      r->signals = {{k, *parsed.value}};
      r->expect_transition.reset();
      return true;
    }
    std::string known;
    for (const auto& s : machine.signals) known += (known.empty() ? "" : ", ") + s.name;
    say("  type `SIGNAL = VALUE`, where SIGNAL is one of " + known);
    return false;
  }

  workflow::Engine& engine_;
  EngineNames names_;
  workflow::InstanceId id_;
  OperatorInput& input_;
  std::ostream& out_;
  std::mutex& out_mutex_;
};

}  // namespace

ConsoleEnd run_console(workflow::Engine& engine, workflow::InstanceId id, OperatorInput& input,
                       std::ostream& out, std::mutex& out_mutex) {
  return Session(engine, id, input, out, out_mutex).run();
}

}  // namespace gemba::console
