#include "edge/operator_api.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "edge/status_api.h"

namespace gemba::edge {
namespace {

using Json = nlohmann::json;
using lower::PointKind;
using workflow::Outcome;

// ---- Text helpers ------------------------------------------------------------------

std::string trimmed(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string role_of(const lower::Point& point) {
  return point.role.empty() ? "" : " (role " + point.role + ")";
}

std::string utc_text(double seconds) {
  lower::ValueFormat time;
  time.kind = lower::ValueFormat::Kind::kTime;
  return console::format_value(lower::Scalar{.r = seconds}, time, nullptr);
}

// ---- HTTP helpers ------------------------------------------------------------------

void reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n",
                  "application/json");
}

void fail(httplib::Response& res, int status, const std::string& error, Json more = {}) {
  Json body = more.is_object() ? std::move(more) : Json::object();
  body["error"] = error;
  reply(res, status, body);
}

// The request's JSON object (an empty body is `{}`); nullopt when it replied 400.
std::optional<Json> body_of(const httplib::Request& req, httplib::Response& res) {
  if (trimmed(req.body).empty()) return Json::object();
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    fail(res, 400, "the request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

// A member as text: strings as they are, numbers and booleans as JSON writes them.
std::optional<std::string> text_member(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  return std::nullopt;
}

// The request's `actor`; nullopt when it replied 400.
std::optional<std::string> actor_of(const Json& body, httplib::Response& res) {
  std::string actor = trimmed(text_member(body, "actor").value_or(""));
  if (actor.empty()) {
    fail(res, 400, "say who you are: \"actor\", e.g. \"operator maria\"");
    return std::nullopt;
  }
  return actor;
}

int status_of(Outcome::Result result) {
  switch (result) {
    case Outcome::Result::kApplied:
      return 200;
    case Outcome::Result::kRefused:
    case Outcome::Result::kStale:
      return 409;
    case Outcome::Result::kFault:
      return 422;
    case Outcome::Result::kFailed:
      return 500;
  }
  return 500;
}

void reply_outcome(httplib::Response& res, const Outcome& outcome, workflow::InstanceId id) {
  if (outcome.result == Outcome::Result::kApplied) {
    return reply(res, 200,
                 {{"result", "applied"}, {"instance", id}, {"transition", outcome.transition}});
  }
  fail(res, status_of(outcome.result), outcome.message,
       {{"result", workflow::spelling(outcome.result)}, {"instance", id}});
}

// ---- Views -------------------------------------------------------------------------

std::string signals_hint(const lower::Machine& machine) {
  std::string signals;
  for (const auto& s : machine.signals) {
    signals += (signals.empty() ? "" : ", ") + s.name + " [" +
               console::expected_input(s.format, {}, {}) + "]";
  }
  return signals;
}

// What to send as the answer to `point`, in the operator's words.
std::string expected_answer(const workflow::InstanceView& view, const lower::Point& point,
                            bool simulated) {
  auto [lo, hi] = console::ask_range(point, view.task->values);
  switch (point.kind) {
    case PointKind::kAsk:
      return console::expected_input(point.answer, lo, hi);
    case PointKind::kSign:
      return "your signature: answer with your name as the actor" + role_of(point);
    case PointKind::kWait:
      return "`done` to end the wait early";
    case PointKind::kAwait:
      return "`SIGNAL = VALUE` when a reading changes, SIGNAL one of " +
             signals_hint(*view.machine);
    case PointKind::kCommand:
      return simulated ? "nothing: the simulated equipment completes it"
                       : "`done` once the equipment has finished";
    default:
      return "";
  }
}

Json task_json(const workflow::InstanceView& view, const console::Names& names, bool simulated) {
  const workflow::OutboxEffect& task = *view.task;
  const lower::Point& point = *task.point;
  Json j = {{"transition", task.key.transition},
            {"kind", lower::spelling(point.kind)},
            {"text", console::render_text(point, task.values, &names)},
            {"expected", expected_answer(view, point, simulated)}};
  if (!point.role.empty()) j["role"] = point.role;
  if (!point.target.empty()) j["target"] = point.target;
  std::optional<double> due = view.timer_due;
  if (!due) due = workflow::deadline(point, task.time, task.values);
  if (due) {
    j["deadline"] = utc_text(*due);
    j["deadline_us"] = std::llround(*due * 1e6);
  }
  return j;
}

Json instance_json(const workflow::InstanceView& view, const console::Names& names,
                   bool simulated) {
  Json j = {{"instance", view.id},
            {"procedure", view.procedure},
            {"version", view.version.substr(0, 12)},
            {"phase", workflow::spelling(view.phase)},
            {"transitions", view.transitions},
            {"task", nullptr}};
  if (view.machine != nullptr && view.wait < view.machine->waits.size()) {
    j["at"] = view.machine->waits[view.wait].label;
  }
  bool live = view.phase == workflow::Phase::kRunning || view.phase == workflow::Phase::kIdle;
  if (live && view.task) j["task"] = task_json(view, names, simulated);
  return j;
}

// ---- Starting ----------------------------------------------------------------------

std::string parameters_hint(const lower::Machine& machine) {
  std::string out;
  for (std::uint32_t slot : machine.params) {
    const lower::Slot& s = machine.slots[slot];
    out +=
        (out.empty() ? "" : ", ") + s.name + " (" + console::expected_input(s.format, {}, {}) + ")";
  }
  return out.empty() ? "no arguments" : out;
}

struct ParsedArgs {
  std::vector<lower::Scalar> values;
  std::string note;      // `lot=L-1, product=Ketchup`, for the audit
  std::string error;     // empty when parsed
  std::string argument;  // the argument the error is about
};

// The arguments of `machine`'s parameters from `{"name": "value", ...}`.
ParsedArgs parse_args(const lower::Machine& machine, const Json& args, console::Names& names) {
  ParsedArgs out;
  for (const auto& [name, value] : args.items()) {
    bool known = std::any_of(machine.params.begin(), machine.params.end(),
                             [&](std::uint32_t slot) { return machine.slots[slot].name == name; });
    if (!known) {
      out.argument = name;
      out.error =
          machine.name + " has no parameter `" + name + "`; it takes " + parameters_hint(machine);
      return out;
    }
  }
  for (std::uint32_t slot : machine.params) {
    const lower::Slot& s = machine.slots[slot];
    std::string expected = console::expected_input(s.format, {}, {});
    std::optional<std::string> text = text_member(args, s.name.c_str());
    if (!text) {
      out.argument = s.name;
      out.error = machine.name + " needs `" + s.name + "`: type " + expected;
      return out;
    }
    console::ParsedValue parsed = console::parse_value(*text, s.format, {}, {}, &names);
    if (!parsed.value) {
      out.argument = s.name;
      out.error = s.name + ": " + parsed.error;
      return out;
    }
    out.values.push_back(*parsed.value);
    out.note += (out.note.empty() ? "" : ", ") + s.name + "=" + trimmed(*text);
  }
  return out;
}

// `SIGNAL = VALUE` as a signal change; error text (for the operator) when it is not one.
std::string signal_change(const lower::Machine& machine, const std::string& text,
                          console::Names& names, workflow::EventRequest* r) {
  std::size_t eq = text.find('=');
  std::string name = trimmed(text.substr(0, eq));
  for (std::uint32_t k = 0; eq != std::string::npos && k < machine.signals.size(); ++k) {
    if (machine.signals[k].name != name) continue;
    console::ParsedValue parsed = console::parse_value(trimmed(text.substr(eq + 1)),
                                                       machine.signals[k].format, {}, {}, &names);
    if (!parsed.value) return name + ": " + parsed.error;
    r->kind = lower::EventKind::kSignal;
    r->signals = {{k, *parsed.value}};
    r->expect_transition.reset();  // a reading is news whatever the task
    return "";
  }
  return "type `SIGNAL = VALUE`, where SIGNAL is one of " + signals_hint(machine);
}

}  // namespace

OperatorApi::OperatorApi(workflow::Engine& engine, std::string version, bool simulated)
    : engine_(engine), version_(std::move(version)), simulate_(simulated), names_(engine) {}

void OperatorApi::register_routes(httplib::Server& server) {
  server.Get("/v1/procedures", [this](const httplib::Request&, httplib::Response& res) {
    Json list = Json::array();
    for (const std::string& name : engine_.procedures(version_)) {
      const lower::Machine& m = *engine_.machine(version_, name);
      Json params = Json::array();
      for (std::uint32_t slot : m.params) {
        const lower::Slot& s = m.slots[slot];
        params.push_back({{"name", s.name},
                          {"kind", s.kind},
                          {"expected", console::expected_input(s.format, {}, {})}});
      }
      list.push_back({{"name", name}, {"parameters", std::move(params)}});
    }
    reply(res, 200, {{"version", version_.substr(0, 12)}, {"procedures", std::move(list)}});
  });

  server.Post(R"(/v1/procedures/([^/]+)/start)",
              [this](const httplib::Request& req, httplib::Response& res) {
                std::string name = req.matches[1];
                const lower::Machine* m = engine_.machine(version_, name);
                if (m == nullptr) {
                  std::string known;
                  for (const auto& p : engine_.procedures(version_))
                    known += (known.empty() ? "" : ", ") + p;
                  return fail(res, 404,
                              "no procedure `" + name +
                                  "` at this edge; it runs: " + (known.empty() ? "none" : known));
                }
                std::optional<Json> body = body_of(req, res);
                if (!body) return;
                std::optional<std::string> actor = actor_of(*body, res);
                if (!actor) return;
                Json args = body->value("args", Json::object());
                if (!args.is_object()) {
                  return fail(res, 400, "\"args\" must be an object: " + parameters_hint(*m));
                }
                ParsedArgs parsed = parse_args(*m, args, names_);
                if (!parsed.error.empty()) {
                  return fail(res, 400, parsed.error, {{"argument", parsed.argument}});
                }
                workflow::StartOutcome started =
                    engine_.start({version_, name, parsed.values, *actor, parsed.note}).get();
                if (started.outcome.result != Outcome::Result::kApplied) {
                  return reply_outcome(res, started.outcome, 0);
                }
                reply(res, 201, {{"instance", started.instance}});
              });

  server.Get("/v1/instances", [this](const httplib::Request& req, httplib::Response& res) {
    bool only_open = req.has_param("open") && req.get_param_value("open") != "false";
    Json list = Json::array();
    for (const workflow::InstanceView& view : engine_.instances()) {
      bool finished =
          view.phase == workflow::Phase::kComplete || view.phase == workflow::Phase::kAborted;
      if (only_open && finished) continue;
      list.push_back(instance_json(view, names_, simulate_));
    }
    reply(res, 200, {{"instances", std::move(list)}});
  });

  server.Get(R"(/v1/instances/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
    std::uint64_t id = 0;
    std::optional<workflow::InstanceView> view;
    if (parse_u64(req.matches[1], &id)) view = engine_.instance(id);
    if (!view) return fail(res, 404, "no instance " + std::string(req.matches[1]));
    reply(res, 200, instance_json(*view, names_, simulate_));
  });

  server.Post(R"(/v1/instances/(\d+)/answer)",
              [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });

  server.Post(R"(/v1/instances/(\d+)/(hold|restart|abort))",
              [this](const httplib::Request& req, httplib::Response& res) { control(req, res); });
}

void OperatorApi::answer(const httplib::Request& req, httplib::Response& res) {
  std::uint64_t id = 0;
  std::optional<workflow::InstanceView> view;
  if (parse_u64(req.matches[1], &id)) view = engine_.instance(id);
  if (!view) return fail(res, 404, "no instance " + std::string(req.matches[1]));
  std::optional<Json> body = body_of(req, res);
  if (!body) return;
  std::optional<std::string> actor = actor_of(*body, res);
  if (!actor) return;
  std::string label = "instance " + std::to_string(id) + " of " + view->procedure;
  if (view->phase == workflow::Phase::kComplete || view->phase == workflow::Phase::kAborted) {
    return fail(res, 409,
                label + " is " + workflow::spelling(view->phase) + ": it takes no more answers");
  }
  if (view->phase == workflow::Phase::kHeld) {
    return fail(res, 409, label + " is held: restart it, or abort it with a reason");
  }
  if (!view->task) return fail(res, 409, label + " asks nothing now");
  const workflow::OutboxEffect& task = *view->task;
  const lower::Point& point = *task.point;
  Json current = {{"transition", task.key.transition}};
  if (body->contains("transition")) {
    const Json& t = (*body)["transition"];
    if (!t.is_number_unsigned()) {
      return fail(res, 400, "\"transition\" is the number of the task's transition");
    }
    if (t.get<std::uint64_t>() != task.key.transition) {
      return fail(res, 409,
                  "the task of transition " + t.dump() + " is no longer open: " + label +
                      " now asks `" + console::render_text(point, task.values, &names_) + "`",
                  {{"result", "stale"}, {"task", std::move(current)}});
    }
  }
  std::string typed = trimmed(text_member(*body, "answer").value_or(""));
  workflow::EventRequest r;
  r.instance = id;
  r.kind = lower::EventKind::kDone;
  r.expect_transition = task.key.transition;
  r.actor = *actor;
  r.note = typed;
  std::string expected = expected_answer(*view, point, simulate_);
  switch (point.kind) {
    case PointKind::kAsk: {
      auto [lo, hi] = console::ask_range(point, task.values);
      console::ParsedValue parsed = console::parse_value(typed, point.answer, lo, hi, &names_);
      if (!parsed.value) {
        return fail(res, 400, typed.empty() ? "type " + expected : parsed.error,
                    {{"expected", expected}});
      }
      r.value = *parsed.value;
      break;
    }
    case PointKind::kSign:
      r.actor = *actor + role_of(point);  // the actor signs
      break;
    case PointKind::kWait:
    case PointKind::kCommand:
      if (typed != "done") return fail(res, 400, "type " + expected, {{"expected", expected}});
      r.note = point.kind == PointKind::kWait ? "wait ended early by the operator"
                                              : "confirmed done by the operator";
      break;
    case PointKind::kAwait:
      if (std::string error = signal_change(*view->machine, typed, names_, &r); !error.empty()) {
        return fail(res, 400, error, {{"expected", expected}});
      }
      break;
    default:
      return fail(res, 409, label + " asks nothing an operator answers");
  }
  reply_outcome(res, engine_.submit(std::move(r)).get(), id);
}

void OperatorApi::control(const httplib::Request& req, httplib::Response& res) {
  std::uint64_t id = 0;
  if (!parse_u64(req.matches[1], &id) || !engine_.instance(id)) {
    return fail(res, 404, "no instance " + std::string(req.matches[1]));
  }
  std::optional<Json> body = body_of(req, res);
  if (!body) return;
  std::optional<std::string> actor = actor_of(*body, res);
  if (!actor) return;
  std::string word = req.matches[2];
  workflow::EventRequest r;
  r.instance = id;
  r.actor = *actor;
  r.note = trimmed(text_member(*body, "reason").value_or(""));
  r.kind = word == "hold"      ? lower::EventKind::kHold
           : word == "restart" ? lower::EventKind::kRestart
                               : lower::EventKind::kAbort;
  if (r.kind == lower::EventKind::kAbort && r.note.empty()) {
    return fail(res, 400, "say why the procedure is aborted: \"reason\"");
  }
  reply_outcome(res, engine_.submit(std::move(r)).get(), id);
}

}  // namespace gemba::edge
