// gemba_crash_child: a workflow engine process for the crash test (crash_test.cpp) to
// kill. It opens an Engine on --data (JIT, with the object cache under DIR/jit-cache so a
// restart does not compile again), publishes ReleaseCheck (examples/templates/
// quality_check.gmb at Houston), and speaks the line protocol of crash_protocol.h on
// stdin and stdout. Acks are written only once the engine's future resolved, that is
// after the durable commit; effects are written by the EffectSink before it returns true.
//
//   gemba_crash_child --data DIR --root SOURCE_DIR [--clock SECONDS]
//                     [--crash-at POINT --crash-after N] [--stall-at POINT --stall-us N]
//                     [--sink-delay-us N] [--sink-refuse-every N]
//
// With --clock, the engine reads a workflow::ManualClock that starts there and moves only
// on `clock`, and its timers fire only on `tick` (EngineOptions::start_timers = false):
// the test decides when a deadline passes, also while no process runs.
// With --crash-at, the process SIGKILLs itself at the Nth call of the engine's crash hook
// at POINT ("in-transaction", "committed", "delivered"), counted from `ready`. With
// --stall-at, the hook sleeps up to N microseconds (at random) at every call at POINT
// (several points may be listed, comma-separated): it widens the window between two
// steps of the engine, so that a race there shows. With --sink-delay-us, the sink takes
// that long per effect: a slow receiver, so that the dispatcher falls behind the commits;
// with --sink-refuse-every, it refuses every Nth delivery (writing nothing): a receiver
// that is sometimes away, so that the dispatcher backs off and retries.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "compiler/interp/machine_interpreter.h"
#include "runtime/workflow/engine.h"
#include "tests/runtime/crash/crash_protocol.h"

namespace gemba::crash {
namespace {

using workflow::Engine;
using workflow::InstanceView;
using workflow::OutboxEffect;

// One write() per line: atomic on a pipe below PIPE_BUF, so a kill never tears a line.
// A parent that went away ends the process.
void write_line(std::string line) {
  line += '\n';
  if (line.size() >= PIPE_BUF) line = "error line too long\n";
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::uint64_t bits(lower::Scalar s) {
  std::uint64_t b;
  std::memcpy(&b, &s, sizeof b);
  return b;
}

lower::Scalar scalar(std::uint64_t b) {
  lower::Scalar s;
  std::memcpy(&s, &b, sizeof s);
  return s;
}

// What an effect carries, as one hash: the point's index and its values.
std::uint64_t content(std::uint32_t point, const std::uint64_t* values, std::size_t count) {
  std::uint64_t h = fnv1a(fnv1a(kFnvBasis, point), count);
  for (std::size_t k = 0; k < count; ++k) h = fnv1a(h, values[k]);
  return h;
}

std::uint64_t frame_hash(const std::vector<lower::Scalar>& frame) {
  std::uint64_t h = kFnvBasis;
  for (lower::Scalar s : frame) h = fnv1a(h, bits(s));
  return h;
}

const char* answer_kind(const lower::ValueFormat& format) {
  using Kind = lower::ValueFormat::Kind;
  switch (format.kind) {
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kReal:
      return "real";
    case Kind::kEnum:
      return "enum";
    case Kind::kMaterial:
      return "material";
    case Kind::kLot:
      return "lot";
    case Kind::kTime:
      return "time";
  }
  return "?";
}

StateInfo state_of(const InstanceView& v) {
  StateInfo s;
  s.id = v.id;
  s.transitions = v.transitions;
  s.phase = workflow::spelling(v.phase);
  s.wait = v.wait;
  s.frame = frame_hash(v.frame);
  if (v.timer_due) s.due = static_cast<std::uint64_t>(std::llround(*v.timer_due * 1e6));
  if (v.task && v.task->point != nullptr) {
    const lower::Point& p = *v.task->point;
    TaskInfo t;
    t.transition = v.task->key.transition;
    t.point = lower::spelling(p.kind);
    t.answer = p.kind == lower::PointKind::kAsk ? answer_kind(p.answer) : "-";
    const auto& values = v.task->values;
    std::size_t hi_at = values.size() - (p.has_timeout ? 2 : 1);
    if (p.kind == lower::PointKind::kAsk && p.has_range && hi_at >= 1 && hi_at < values.size()) {
      t.lo = bits(values[hi_at - 1]);
      t.hi = bits(values[hi_at]);
    }
    t.choices = static_cast<std::uint32_t>(p.answer.choices.size());
    t.label = label_of(p.text);
    s.task = std::move(t);
  }
  return s;
}

// Writes each effect as one line, and accepts it.
class PipeSink final : public workflow::EffectSink {
 public:
  PipeSink(long delay_us, long refuse_every) : delay_us_(delay_us), refuse_every_(refuse_every) {}
  bool deliver(const OutboxEffect& e) override {
    if (delay_us_ > 0) std::this_thread::sleep_for(std::chrono::microseconds(delay_us_));
    if (refuse_every_ > 0 && ++offers_ % refuse_every_ == 0) return false;
    auto point = static_cast<std::uint32_t>(e.point - e.machine->points.data());
    std::vector<std::uint64_t> values;
    for (lower::Scalar s : e.values) values.push_back(bits(s));
    write_line("effect " + workflow::to_string(e.key) + " " + lower::spelling(e.point->kind) + " " +
               hex(content(point, values.data(), values.size())));
    return true;
  }

 private:
  long delay_us_ = 0;
  long refuse_every_ = 0;
  long offers_ = 0;  // the dispatcher is one thread
};

// Waits on the engine's futures in submission order and writes each ack once resolved.
class Acker {
 public:
  Acker() : thread_([this] { run(); }) {}
  ~Acker() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void push(std::function<void()> wait_and_ack) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(wait_and_ack));
    }
    cv_.notify_all();
  }

 private:
  void run() {
    for (;;) {
      std::function<void()> next;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      next();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

struct Options {
  std::string data, root, crash_at;
  std::optional<double> clock;  // --clock: a manual clock, timers only on `tick`
  long crash_after = 0;
  std::string stall_at;
  long stall_us = 0;
  long sink_delay_us = 0;
  long sink_refuse_every = 0;
};

std::atomic<bool> g_armed{false};
std::atomic<long> g_hook_calls{0};

class Child {
 public:
  explicit Child(const Options& options)
      : options_(options), sink_(options.sink_delay_us, options.sink_refuse_every) {}

  bool open() {
    auto t0 = std::chrono::steady_clock::now();
    workflow::EngineOptions eo;
    eo.data_dir = options_.data;
    eo.use_jit = true;
    eo.compiler_version = "crash-test";
    if (options_.clock) {
      clock_ = std::make_unique<workflow::ManualClock>(*options_.clock);
      eo.clock = clock_.get();
      eo.start_timers = false;
    }
    if (!options_.crash_at.empty() || !options_.stall_at.empty()) {
      eo.crash_hook = [this](std::string_view point) {
        if (g_armed && point == options_.crash_at && ++g_hook_calls == options_.crash_after) {
          ::kill(::getpid(), SIGKILL);
          pause();
        }
        if (!point.empty() && options_.stall_at.find(point) != std::string::npos) {
          thread_local std::mt19937 random(std::random_device{}());
          std::uniform_int_distribution<long> us(0, options_.stall_us);
          std::this_thread::sleep_for(std::chrono::microseconds(us(random)));
        }
      };
    }
    store::Status status;
    engine_ = Engine::open(eo, &status);
    if (!engine_) return fail("open: " + status.message());
    auto t1 = std::chrono::steady_clock::now();
    std::string error;
    auto version = workflow::read_template_version(
        {options_.root + "/examples/templates/quality_check.gmb",
         options_.root + "/examples/equipment/acme.gmb"},
        "houston", {options_.root + "/examples/plants"}, {}, &error);
    if (!version) return fail("read_template_version: " + error);
    version_ = *version;
    auto hash = engine_->publish(version_, &error);
    if (!hash) return fail("publish: " + error);
    hash_ = *hash;
    product_ = engine_->name_handle("Ketchup");
    engine_->set_sink(&sink_);
    auto t2 = std::chrono::steady_clock::now();
    auto us = [](auto d) {
      return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
    };
    write_line("ready " + us(t1 - t0) + " " + us(t2 - t1) + " " +
               std::to_string(engine_->instances().size()) + " " +
               std::to_string(engine_->outbox_size()));
    g_armed = true;
    return true;
  }

  // Runs commands until `quit` or the end of stdin.
  int serve() {
    std::string line;
    while (std::getline(std::cin, line)) {
      std::vector<std::string> f = split(line);
      if (f.empty()) continue;
      if (f[0] == "quit") {
        acker_.reset();
        engine_.reset();
        write_line("bye " + (f.size() > 1 ? f[1] : std::string("0")));
        return 0;
      }
      if (!command(f)) write_line("error bad command: " + line);
    }
    return 0;
  }

 private:
  bool fail(const std::string& what) {
    write_line("error " + what.substr(0, 3000));
    return false;
  }

  bool command(const std::vector<std::string>& f) {
    if (f[0] == "start" && f.size() == 3) return start(f[1], f[2]);
    if (f[0] == "event" && f.size() == 6) return event(f);
    if (f[0] == "dump" && f.size() >= 3) return dump(f);
    if (f[0] == "drain" && f.size() == 2) {
      engine_->drain();
      write_line("drained " + f[1] + " " + std::to_string(engine_->outbox_size()));
      return true;
    }
    if (f[0] == "expect" && f.size() == 2) return expect(f[1]);
    if (f[0] == "clock" && f.size() == 3 && clock_) {
      auto t = parse_u64(f[2]);
      if (!t) return false;
      clock_->set(static_cast<double>(*t));
      return true;
    }
    if (f[0] == "tick" && f.size() == 2) return tick(f[1]);
    return false;
  }

  // Fires the timers due at the clock's now and waits until their events are committed.
  // Writes the timeouts they journalled, then how many fired and how many events the
  // engine refused meanwhile: the test has only valid answers in flight then, so those
  // are timers that lost the race against an answer (stale).
  bool tick(const std::string& req) {
    std::map<workflow::InstanceId, std::uint64_t> before;
    for (const InstanceView& v : engine_->instances()) before[v.id] = v.transitions;
    std::uint64_t refused = engine_->stats().refused;
    std::size_t fired = engine_->fire_due_timers();
    // A barrier: an event for no instance, refused without a write. The committer applies
    // events in the order they were queued, so once its outcome is in, the timers' events
    // are committed too (drain() would also wait for the sink, and delete rows).
    workflow::EventRequest barrier;
    barrier.instance = 0;
    barrier.actor = "crash-test";
    if (engine_->submit(barrier).get().result != workflow::Outcome::Result::kRefused) {
      return fail("tick: an event for no instance was not refused");
    }
    refused = engine_->stats().refused - refused - 1;
    for (const InstanceView& v : engine_->instances()) {
      auto was = before.find(v.id);
      if (was == before.end() || was->second == v.transitions) continue;
      std::string state = format_state(state_of(v));
      for (const workflow::JournalEntry& e : engine_->journal(v.id)) {
        if (e.transition <= was->second || e.event.kind != lower::EventKind::kTimeout) continue;
        write_line("timeout " + req + " " + std::to_string(v.id) + " " +
                   std::to_string(e.transition) + " " + state);
      }
    }
    write_line("ticked " + req + " " + std::to_string(fired) + " " + std::to_string(refused));
    return true;
  }

  void ack(const std::string& req, const workflow::Outcome& out, workflow::InstanceId id) {
    std::string state = "- - - - - - -";
    if (auto v = engine_->instance(id)) state = format_state(state_of(*v));
    write_line("ack " + req + " " + std::to_string(id) + " " + std::to_string(out.transition) +
               " " + workflow::spelling(out.result) + " " + state);
  }

  bool start(const std::string& req, const std::string& lot) {
    workflow::StartRequest r;
    r.version = hash_;
    r.procedure = "ReleaseCheck";
    // Lot handles are made once per lot name, in their own commit, before the start.
    r.args = {lower::Scalar{.i = product_}, lower::Scalar{.i = engine_->name_handle("LOT-" + lot)}};
    r.actor = "crash-test";
    auto future = std::make_shared<std::future<workflow::StartOutcome>>(engine_->start(r));
    acker_->push([this, req, future] {
      workflow::StartOutcome out = future->get();
      ack(req, out.outcome, out.instance);
    });
    return true;
  }

  bool event(const std::vector<std::string>& f) {
    static const std::map<std::string, lower::EventKind> kinds = {
        {"done", lower::EventKind::kDone},
        {"hold", lower::EventKind::kHold},
        {"restart", lower::EventKind::kRestart},
        {"abort", lower::EventKind::kAbort},
        {"timeout", lower::EventKind::kTimeout}};
    auto id = parse_u64(f[2]);
    auto kind = kinds.find(f[3]);
    auto value = parse_hex(f[4]);
    if (!id || kind == kinds.end() || !value) return false;
    workflow::EventRequest r;
    r.instance = *id;
    r.kind = kind->second;
    r.value = scalar(*value);
    if (f[5] != "-") {
      auto expect = parse_u64(f[5]);
      if (!expect) return false;
      r.expect_transition = *expect;
    }
    r.actor = "crash-test";
    auto future = std::make_shared<std::future<workflow::Outcome>>(engine_->submit(r));
    std::string req = f[1];
    workflow::InstanceId instance = *id;
    acker_->push([this, req, future, instance] { ack(req, future->get(), instance); });
    return true;
  }

  // Every instance's state and whether its journal replays to its stored frame; the
  // journals of the instances listed and of those numbered `from` or more.
  bool dump(const std::vector<std::string>& f) {
    auto from = parse_u64(f[2]);
    if (!from) return false;
    std::set<workflow::InstanceId> listed;
    for (std::size_t k = 3; k < f.size(); ++k) {
      if (auto id = parse_u64(f[k])) listed.insert(*id);
    }
    std::vector<InstanceView> views = engine_->instances();
    for (const InstanceView& v : views) {
      std::string error;
      auto replayed = engine_->replay(v.id, &error);
      const char* replay =
          !replayed ? "error"
          : frame_hash(*replayed) == frame_hash(v.frame) && replayed->size() == v.frame.size()
              ? "ok"
              : "mismatch";
      write_line("inst " + format_state(state_of(v)) + " " + replay);
      if (!replayed) write_line("error replay of " + std::to_string(v.id) + ": " + error);
      if (v.id < *from && listed.count(v.id) == 0) continue;
      for (const workflow::JournalEntry& e : engine_->journal(v.id)) {
        write_line("journal " + std::to_string(v.id) + " " + std::to_string(e.transition) + " " +
                   lower::spelling(e.event.kind) + " " + hex(e.event.value_bits));
      }
    }
    write_line("dumped " + f[1] + " " + std::to_string(views.size()));
    return true;
  }

  // Replays every journal with the reference interpreter on a fresh compilation of the
  // version, and writes the effects each transition emitted: what the receiver must have
  // applied, exactly once. Also compares the replayed frame with the stored one.
  bool expect(const std::string& req) {
    std::string error;
    std::optional<workflow::CompiledVersion> compiled = workflow::compile_version(version_, &error);
    if (!compiled) return fail("compile_version: " + error);
    std::size_t count = 0;
    for (lower::Lowering& lowering : compiled->lowered) {
      interp::MachineInterpreter interpreter(lowering.module);
      std::optional<std::size_t> machine = interpreter.find("ReleaseCheck");
      if (!machine) continue;
      const lower::Machine& m = interpreter.module().machines[*machine];
      for (const InstanceView& v : engine_->instances()) {
        count += replay(interpreter, *machine, m, v);
      }
    }
    write_line("expected " + req + " " + std::to_string(count));
    return true;
  }

  std::size_t replay(const interp::MachineInterpreter& interpreter, std::size_t machine,
                     const lower::Machine& m, const InstanceView& v) {
    // Parameters are never assigned: the stored frame still holds the arguments.
    std::vector<lower::Scalar> args;
    for (std::uint32_t slot : m.params) args.push_back(v.frame[slot]);
    std::vector<lower::Scalar> frame, signals(m.signals.size(), lower::Scalar{.i = 0});
    std::vector<lower::Effect> effects(256);
    std::size_t count = 0;
    bool ok = true;
    for (const workflow::JournalEntry& e : engine_->journal(v.id)) {
      if (e.event.kind == lower::EventKind::kStart) frame = lower::initial_frame(m, args);
      for (const auto& [index, value] : e.signals) signals[index] = value;
      std::uint32_t n = 0, site[2];
      if (frame.empty() ||
          interpreter.transition(machine, frame.data(), signals.data(), e.event, effects.data(),
                                 256, &n, site) != lower::Fault::kNone) {
        ok = false;
        break;
      }
      for (std::uint32_t k = 0; k < n; ++k) {
        const lower::Effect& x = effects[k];
        workflow::EffectKey key{v.id, e.transition, k};
        write_line("expect " + workflow::to_string(key) + " " +
                   lower::spelling(m.points[x.point].kind) + " " +
                   hex(content(x.point, x.values, x.count)));
        ++count;
      }
    }
    ok = ok && frame.size() == v.frame.size() && frame_hash(frame) == frame_hash(v.frame);
    write_line("frame " + std::to_string(v.id) + " " + (ok ? "ok" : "mismatch"));
    return count;
  }

  Options options_;
  std::unique_ptr<workflow::ManualClock> clock_;  // with --clock
  std::unique_ptr<Engine> engine_;
  PipeSink sink_;
  std::unique_ptr<Acker> acker_ = std::make_unique<Acker>();
  workflow::TemplateVersion version_;
  std::string hash_;
  std::int64_t product_ = 0;
};

}  // namespace
}  // namespace gemba::crash

int main(int argc, char** argv) {
  using gemba::crash::Options;
  Options options;
  for (int k = 1; k + 1 < argc; k += 2) {
    std::string flag = argv[k], value = argv[k + 1];
    if (flag == "--data") options.data = value;
    if (flag == "--root") options.root = value;
    if (flag == "--clock") options.clock = std::stod(value);
    if (flag == "--crash-at") options.crash_at = value;
    if (flag == "--crash-after") options.crash_after = std::stol(value);
    if (flag == "--stall-at") options.stall_at = value;
    if (flag == "--stall-us") options.stall_us = std::stol(value);
    if (flag == "--sink-delay-us") options.sink_delay_us = std::stol(value);
    if (flag == "--sink-refuse-every") options.sink_refuse_every = std::stol(value);
  }
  if (options.data.empty() || options.root.empty()) {
    std::fprintf(stderr,
                 "usage: gemba_crash_child --data DIR --root SOURCE_DIR [--clock SECONDS] "
                 "[--crash-at POINT --crash-after N]\n");
    return 2;
  }
  // A parent that died leaves a closed pipe: write() fails (EPIPE) and the child exits.
  signal(SIGPIPE, SIG_IGN);
  gemba::crash::Child child(options);
  if (!child.open()) return 1;
  return child.serve();
}
