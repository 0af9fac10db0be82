// Crash tests (DESIGN.md, "The durable runtime"): a real engine process
// (gemba_crash_child, crash_child.cpp) on a real LMDB store, killed with SIGKILL again and
// again while ReleaseCheck instances run, and restarted on the same data directory.
//
// Each round starts the child, checks what it resumed with against this test's model,
// feeds it a random but valid workload (answers inside the asks' ranges, holds and
// restarts, aborts, out-of-range answers and stale answers that must be refused), and
// kills it: after a random delay (tens of microseconds to tens of milliseconds, so many
// kills land inside a commit's fsync), at one of the engine's crash hooks (inside the
// write transaction, between the commit and the acknowledgements, between the sink's
// acceptance and the outbox deletion), or while it starts up. After a restart:
//   - every instance the model knows is there, and none the model cannot explain;
//   - an instance with nothing in flight at the kill rests exactly where its last
//     acknowledgement left it (transitions, wait, task, timer, frame hash); one with an
//     event in flight is either there or one transition further, journalled with it;
//   - every acknowledged event is in the journal, at its transition, with its kind and
//     value; no refused answer ever is;
//   - every instance's journal replays to its stored frame.
// Some rounds run behind a slow receiver, or one that refuses every fifth effect, so the
// outbox holds more at the kill. The effects the child's sink writes go to an idempotent
// receiver: a repeated key must carry the same content and is applied once.
//
// Timers (issue 5): the child's engine reads a model clock this test owns and fires due
// timers only when told (`clock`, `tick`). Time passes while events are in flight; some
// instances are left unanswered until their ask's `within` passed; some rounds move the
// clock past deadlines while no process runs, and the restarted process ticks first.
// Once nothing is in flight, a tick moves the clock, answers some of the asks then due
// just before it, and fires the timers:
//   - every timer due fires, and its timeout is applied once: one transition, at the
//     same ask, and its timer is gone or counted anew (a timer never fires twice, also
//     not after a restart);
//   - a timer that fell due while no process ran fires at the start;
//   - a timer whose ask was answered first is refused as stale, never applied;
//   - in the end, the retain-samples ask's timeouts each escalated to QA exactly once in
//     effect, and the other asks' timeouts emitted nothing but the ask again.
//
// After the last kill, one more process starts new instances and runs every instance to
// its end, behind a receiver that refuses every seventh effect and with random stalls at
// the engine's hooks (between a durable commit and the caches' update, after a
// delivery) that widen the windows between its threads; then it
// drains the outbox, which must be empty, and the set of effects applied must equal
// exactly the set the journals imply (replayed by the reference interpreter on a fresh
// compilation of the version): none missing, none extra, none with other content.
//
// GEMBA_CRASH_ROUNDS and GEMBA_CRASH_SEED override the number of kill rounds and the
// random seed (printed in the summary, to replay a failure).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/runtime/crash/crash_protocol.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace gemba::crash {
namespace {

using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kDefaultRounds = 250;
constexpr std::size_t kLiveTarget = 12;  // instances kept running during the kill rounds
constexpr int kFinalStarts = 24;         // instances started after the last kill
constexpr auto kRoundLimit = 30s;        // a round that has not ended by then fails
constexpr auto kFinishLimit = 90s;       // running every instance to its end
constexpr auto kTotalLimit = 300s;       // the whole test

// The model clock (seconds since 1970) the children start from; it only moves forward.
constexpr std::uint64_t kClockStart = 1'700'000'000;
// ReleaseCheck's shortest `within` (the measure asks': 20 min). An answer sent just before
// a tick opens its next task at the clock before the tick or at the tick's: when the tick
// moves the clock by less than this, that task's timer cannot be due in the same tick.
constexpr std::uint64_t kRaceWindow = 20 * 60;
constexpr std::size_t kMaxParked = 3;  // instances left unanswered until their timer fires

double seconds_since(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

std::uint64_t bits_of(double value) {
  std::uint64_t b;
  std::memcpy(&b, &value, sizeof b);
  return b;
}

double real_of(std::uint64_t b) {
  double value;
  std::memcpy(&value, &b, sizeof value);
  return value;
}

// ---- The child process -------------------------------------------------------------

// A gemba_crash_child: stdin and stdout through pipes, stderr to a file. Killed and
// reaped at the latest by the destructor.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    kill9();
    reap();
    close_fds();
  }

  bool spawn(const std::vector<std::string>& argv, const std::string& stderr_path,
             std::string* error) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) return fail("pipe2", error);
    if (pipe2(out, O_CLOEXEC) != 0) {
      ::close(in[0]);
      ::close(in[1]);
      return fail("pipe2", error);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      ::close(in[1]);
      ::close(out[0]);
      pid_ = -1;
      *error = std::string("posix_spawn: ") + std::strerror(rc);
      return false;
    }
    to_child_ = in[1];
    from_child_ = out[0];
    fcntl(to_child_, F_SETFL, fcntl(to_child_, F_GETFL) | O_NONBLOCK);
    return true;
  }

  // Queues a command line; written as the pipe takes it (never blocks).
  void send(const std::string& line) {
    if (to_child_ >= 0) outgoing_ += line + "\n";
    flush();
  }

  enum class Read { kData, kTimeout, kEof };
  // Waits until `deadline` for output; appends the complete lines read to `lines`.
  Read poll_lines(SteadyClock::time_point deadline, std::vector<std::string>* lines) {
    if (from_child_ < 0) return Read::kEof;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    int timeout = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 1000));
    pollfd fds[2] = {{from_child_, POLLIN, 0}, {to_child_, POLLOUT, 0}};
    int n = ::poll(fds, outgoing_.empty() || to_child_ < 0 ? 1 : 2, timeout);
    if (n < 0) return Read::kTimeout;  // EINTR
    if (fds[1].revents != 0) flush();
    if (fds[0].revents == 0) return Read::kTimeout;
    char buffer[65536];
    ssize_t got = ::read(from_child_, buffer, sizeof buffer);
    if (got < 0) return errno == EINTR ? Read::kTimeout : eof();
    if (got == 0) return eof();
    incoming_.append(buffer, static_cast<std::size_t>(got));
    std::size_t begin = 0;
    for (std::size_t end; (end = incoming_.find('\n', begin)) != std::string::npos;
         begin = end + 1) {
      lines->push_back(incoming_.substr(begin, end - begin));
    }
    incoming_.erase(0, begin);
    return Read::kData;
  }

  void kill9() {
    if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
  }

  // Waits for the child's end; its wait status.
  int reap() {
    if (pid_ > 0 && !reaped_) {
      while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      reaped_ = true;
    }
    return status_;
  }

  bool running() const { return pid_ > 0 && !reaped_; }

 private:
  static bool fail(const char* what, std::string* error) {
    *error = std::string(what) + ": " + std::strerror(errno);
    return false;
  }

  Read eof() {
    ::close(from_child_);
    from_child_ = -1;
    return Read::kEof;
  }

  void flush() {
    while (!outgoing_.empty() && to_child_ >= 0) {
      ssize_t n = ::write(to_child_, outgoing_.data(), outgoing_.size());
      if (n > 0) {
        outgoing_.erase(0, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return;
      ::close(to_child_);  // EPIPE: the child is gone
      to_child_ = -1;
      outgoing_.clear();
    }
  }

  void close_fds() {
    if (to_child_ >= 0) ::close(to_child_);
    if (from_child_ >= 0) ::close(from_child_);
    to_child_ = from_child_ = -1;
  }

  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  int to_child_ = -1, from_child_ = -1;
  std::string outgoing_, incoming_;
};

// ---- The model ---------------------------------------------------------------------

// Applies each effect once, by key; a repeated key must carry the same content.
class IdempotentReceiver {
 public:
  // `kind_and_content`: "<point kind> <content hash>".
  void receive(const std::string& key, const std::string& kind_and_content) {
    auto [it, fresh] = applied_.emplace(key, kind_and_content);
    if (fresh) return;
    ++duplicates_;
    if (it->second != kind_and_content) {
      conflicts_.push_back(key + ": " + it->second + " then " + kind_and_content);
    }
  }
  const std::map<std::string, std::string>& applied() const { return applied_; }
  std::size_t duplicates() const { return duplicates_; }
  const std::vector<std::string>& conflicts() const { return conflicts_; }

 private:
  std::map<std::string, std::string> applied_;
  std::size_t duplicates_ = 0;
  std::vector<std::string> conflicts_;
};

struct Request {
  // kTimeout: the timeouts a `tick` should cause, one request for every instance due.
  enum class What { kStart, kAnswer, kBadAnswer, kStale, kHold, kRestart, kAbort, kTimeout };
  What what = What::kAnswer;
  std::uint64_t instance = 0;
  std::string kind;  // as journalled: "start", "done", "hold", ...
  std::uint64_t bits = 0;
  std::string result;  // what the engine must answer: "applied", "refused", "stale"
  bool changes_state() const { return result == "applied"; }
};

struct KnownInstance {
  StateInfo state;                       // as last acknowledged or found after a restart
  std::optional<std::uint64_t> pending;  // the request in flight, by number
  bool touched = false;                  // its journal is checked after the next restart
  bool parked = false;                   // not answered until its timer fired
  bool final() const { return state.phase == "complete" || state.phase == "aborted"; }
};

// A timeout the journals hold: its transition, and what was asked when it fell due.
struct TimedOut {
  std::uint64_t instance = 0, transition = 0;
  std::string label;
};

// A `tick` in flight: the clock it set, the instances whose timers must fire, and those
// answered just before it (their timers may fire, but must then be refused as stale).
struct Tick {
  std::uint64_t number = 0;
  std::uint64_t time = 0;
  std::set<std::uint64_t> due, raced, seen;
  bool after_restart = false;  // the first thing a restarted process did
};

struct AckedEvent {
  std::uint64_t instance = 0, transition = 0;
  std::string kind;
  std::uint64_t bits = 0;
  bool verified = false;
};

// What a `dump` returned.
struct Dump {
  std::map<std::uint64_t, std::pair<StateInfo, std::string>> instances;  // state, replay
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::pair<std::string, std::uint64_t>> journal;
};

enum class Kill { kTimer, kInTransaction, kCommitted, kDelivered, kStartup };
constexpr const char* kKillNames[] = {"timer", "in-transaction", "committed", "delivered",
                                      "startup"};

struct Figures {
  int rounds = 0;
  int kills[5] = {};
  int hook_fallbacks = 0;  // hook rounds the parent had to end itself
  std::uint64_t acked = 0, applied = 0, refused = 0, stale = 0;
  std::uint64_t committed_unacked = 0;  // in flight at a kill, found applied
  std::uint64_t lost_unacked = 0;       // in flight at a kill, found not applied
  double max_restart_ms = 0, total_restart_ms = 0;
  int restarts = 0;
  double max_open_ms = 0;
  std::uint64_t max_outbox = 0;  // outbox rows found at a restart
  // Timers: ticks sent; timeouts acknowledged by a tick, and found committed after a kill;
  // those of the first tick after a restart whose timers fell due before it; timers that
  // lost the race against an answer and were refused as stale; answers sent to race.
  std::uint64_t ticks = 0, timeouts = 0, timeouts_at_kill = 0, fired_after_restart = 0;
  std::uint64_t stale_timers = 0, raced = 0;
  int clock_jumps = 0;            // the clock moved past deadlines while no process ran
  std::uint64_t escalations = 0;  // the timeouts' escalations in the receiver
};

// ---- The harness -------------------------------------------------------------------

class CrashHarness {
 public:
  CrashHarness(std::string child_binary, std::uint64_t seed)
      : child_binary_(std::move(child_binary)),
        rng_(seed),
        seed_note_("GEMBA_CRASH_SEED=" + std::to_string(seed)) {
    data_ = dir_.path() / "data";
    stderr_path_ = (dir_.path() / "child-stderr.log").string();
  }

  const Figures& figures() const { return figures_; }
  const IdempotentReceiver& receiver() const { return receiver_; }
  std::size_t failures() const { return failures_; }
  std::size_t instance_count() const { return known_.size(); }
  std::size_t count_phase(const std::string& phase) const {
    std::size_t n = 0;
    for (const auto& [id, k] : known_) n += k.state.phase == phase;
    return n;
  }

  // One kill round; false when the test must stop.
  bool round(Kill kill) {
    ++figures_.rounds;
    ++figures_.kills[static_cast<int>(kill)];
    if (figures_.rounds > 1 && chance(0.15)) {
      // While no process runs, the clock passes deadlines: those timers fire at the start.
      clock_ += kRaceWindow + rng_() % 3000;
      ++figures_.clock_jumps;
      restart_tick_ = true;
    }
    std::vector<std::string> argv = child_argv();
    static const char* kHookPoints[] = {nullptr, "in-transaction", "committed", "delivered"};
    bool hook =
        kill == Kill::kInTransaction || kill == Kill::kCommitted || kill == Kill::kDelivered;
    if (chance(0.2)) argv.insert(argv.end(), {"--sink-delay-us", "150"});    // a slow receiver
    if (chance(0.2)) argv.insert(argv.end(), {"--sink-refuse-every", "5"});  // one often away
    if (hook) {
      argv.insert(argv.end(), {"--crash-at", kHookPoints[static_cast<int>(kill)], "--crash-after",
                               std::to_string(1 + rng_() % 4)});
    }
    if (!spawn(argv)) return false;
    auto started = SteadyClock::now();
    auto cap = started + kRoundLimit;
    std::optional<SteadyClock::time_point> kill_at;
    if (kill == Kill::kStartup) {
      double mean = figures_.restarts ? figures_.total_restart_ms / figures_.restarts : 100;
      kill_at = started +
                std::chrono::microseconds(static_cast<std::int64_t>(uniform(0, 1.3 * mean * 1000)));
    }
    bool killed_by_us = false;
    for (;;) {
      if (SteadyClock::now() >= cap) {
        fail("round " + std::to_string(figures_.rounds) + " did not end within its limit");
        child_->kill9();
        break;
      }
      auto deadline = kill_at ? std::min(*kill_at, cap) : cap;
      std::vector<std::string> lines;
      ChildProcess::Read r = child_->poll_lines(deadline, &lines);
      for (const std::string& line : lines) handle(line);
      if (r == ChildProcess::Read::kEof) break;
      if (kill_at && SteadyClock::now() >= *kill_at && child_->running() && !killed_by_us) {
        child_->kill9();
        killed_by_us = true;
        if (hook) ++figures_.hook_fallbacks;
      }
      if (phase_ == Phase::kWork && !kill_at) {
        // The workload began: arm the kill.
        if (kill == Kill::kTimer) {
          kill_at = SteadyClock::now() + std::chrono::microseconds(static_cast<std::int64_t>(
                                             std::exp(uniform(std::log(20.0), std::log(40000.0)))));
        } else {
          kill_at = SteadyClock::now() + 3s;  // hooks: should fire long before
        }
      }
      if (phase_ == Phase::kWork && !killed_by_us) pump(kLiveTarget, nullptr);
      if (failures_ > kMaxFailures) break;
    }
    return end_child(/*expect_kill=*/true) && failures_ <= kMaxFailures;
  }

  // Without kills, behind a receiver that refuses every seventh effect, with random
  // stalls at the engine's hooks (so that the dispatcher reads the outbox at any moment
  // of a commit): starts kFinalStarts more instances, runs every instance to its end,
  // drains the outbox, and checks exactly-once in effect.
  void finish() {
    std::vector<std::string> argv = child_argv();
    argv.insert(argv.end(), {"--stall-at", "committed,delivered", "--stall-us", "6000",
                             "--sink-refuse-every", "7"});
    int starts_left = kFinalStarts;
    if (!spawn(argv)) return;
    auto cap = SteadyClock::now() + kFinishLimit;
    // Resume, then answer everything until every instance is complete or aborted.
    while (phase_ != Phase::kWork && wait_some(cap)) {
    }
    if (phase_ != Phase::kWork) return fail("the last restart did not resume");
    for (;;) {
      pump(kLiveTarget, &starts_left);
      bool done = starts_left == 0 && pending_starts_ == 0 && !tick_ &&
                  std::all_of(known_.begin(), known_.end(), [](const auto& entry) {
                    return entry.second.final() && !entry.second.pending;
                  });
      if (done) break;
      if (!wait_some(cap)) return fail("instances did not all finish in time");
    }
    // Drain, then what the journals imply.
    if (!request_and_wait("drain " + std::to_string(next_request_++), "drained", cap)) return;
    if (drained_outbox_ != 0) {
      fail("the outbox still holds " + std::to_string(drained_outbox_) + " rows");
    }
    if (!request_and_wait("expect " + std::to_string(next_request_++), "expected", cap)) return;
    check_exactly_once();
    check_timeouts();
    // The final state once more, every journal in full.
    dump_from_ = 1;
    if (!request_and_wait(dump_command(/*all=*/true), "dumped", cap)) return;
    verify(/*all=*/true);
    child_->send("quit " + std::to_string(next_request_++));
    end_child(/*expect_kill=*/false);
  }

 private:
  enum class Phase { kWaitReady, kDumping, kWork, kOther };
  static constexpr std::size_t kMaxFailures = 20;

  void fail(const std::string& what) {
    ++failures_;
    ADD_FAILURE() << what << " (" << seed_note_ << ")";
  }

  std::vector<std::string> child_argv() const {
    return {child_binary_,    "--data",  data_.string(),        "--root",
            GEMBA_SOURCE_DIR, "--clock", std::to_string(clock_)};
  }

  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng_);
  }
  bool chance(double p) { return uniform(0, 1) < p; }

  bool spawn(const std::vector<std::string>& argv) {
    child_ = std::make_unique<ChildProcess>();
    phase_ = Phase::kWaitReady;
    dump_ = Dump{};
    // A tick in flight at the kill: its timers, if not applied, fire at the start.
    restart_tick_ = restart_tick_ || tick_.has_value();
    tick_.reset();
    tick_wanted_ = false;
    spawned_at_ = SteadyClock::now();
    std::string error;
    if (!child_->spawn(argv, stderr_path_, &error)) {
      fail("cannot start " + argv[0] + ": " + error);
      return false;
    }
    return true;
  }

  // Reads output until the child's end; checks how it ended.
  bool end_child(bool expect_kill) {
    auto cap = SteadyClock::now() + 10s;
    for (;;) {
      std::vector<std::string> lines;
      ChildProcess::Read r = child_->poll_lines(cap, &lines);
      for (const std::string& line : lines) handle(line);
      if (r == ChildProcess::Read::kEof) break;
      if (SteadyClock::now() >= cap) {
        fail("the child's output did not end");
        child_->kill9();
        break;  // reap() below waits for the killed child
      }
    }
    int status = child_->reap();
    child_.reset();
    if (expect_kill && !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      fail("the child ended otherwise than by SIGKILL: status " + std::to_string(status) +
           stderr_tail());
      return false;
    }
    if (!expect_kill && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      fail("the child did not exit cleanly: status " + std::to_string(status) + stderr_tail());
      return false;
    }
    return true;
  }

  std::string stderr_tail() const {
    std::ifstream in(stderr_path_);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    return "; child stderr: " + (s.size() > 2000 ? s.substr(s.size() - 2000) : s);
  }

  // Reads and handles one batch of output; false at the end of the child's output or past
  // `cap`.
  bool wait_some(SteadyClock::time_point cap) {
    if (SteadyClock::now() >= cap) return false;
    std::vector<std::string> lines;
    ChildProcess::Read r = child_->poll_lines(cap, &lines);
    for (const std::string& line : lines) handle(line);
    if (r == ChildProcess::Read::kEof) {
      fail("the child's output ended unexpectedly" + stderr_tail());
      return false;
    }
    return true;
  }

  bool request_and_wait(const std::string& command, const std::string& reply,
                        SteadyClock::time_point cap) {
    std::string number = split(command)[1];
    awaited_ = reply + " " + number;
    got_awaited_ = false;
    phase_ = Phase::kOther;
    child_->send(command);
    while (!got_awaited_) {
      if (!wait_some(cap)) {
        fail("no `" + awaited_ + "` from the child");
        return false;
      }
    }
    return true;
  }

  std::string dump_command(bool all) {
    std::string command =
        "dump " + std::to_string(next_request_++) + " " + std::to_string(all ? 1 : dump_from_);
    if (!all) {
      for (const auto& [id, k] : known_) {
        if (k.touched || k.pending) command += " " + std::to_string(id);
      }
    }
    return command;
  }

  // ---- Lines from the child --------------------------------------------------------

  void handle(const std::string& line) {
    std::vector<std::string> f = split(line);
    if (f.empty()) return;
    const std::string& what = f[0];
    if (what == "effect" && f.size() == 4) return receiver_.receive(f[1], f[2] + " " + f[3]);
    if (what == "ack") return on_ack(f);
    if (what == "ready") return on_ready(f);
    if (what == "inst" && f.size() == 1 + kStateFields + 1) {
      auto s = parse_state(f, 1);
      if (!s) return fail("bad line: " + line);
      dump_.instances[s->id] = {*s, f.back()};
      return;
    }
    if (what == "journal" && f.size() == 5) {
      auto id = parse_u64(f[1]), tr = parse_u64(f[2]);
      auto bits = parse_hex(f[4]);
      if (!id || !tr || !bits) return fail("bad line: " + line);
      dump_.journal[{*id, *tr}] = {f[3], *bits};
      return;
    }
    if (what == "timeout" && f.size() == 4 + kStateFields) return on_timeout(f);
    if (what == "ticked" && f.size() == 4) return on_ticked(f);
    if (what == "dumped") {
      if (phase_ == Phase::kDumping) {
        verify(/*all=*/false);
        phase_ = Phase::kWork;
        // Timers that fell due while no process ran (or before the kill) fire first, when
        // the clock moved or a tick was cut short, and sometimes else.
        restart_tick_ = !due_at(clock_).empty() && (restart_tick_ || chance(0.2));
        tick_wanted_ = restart_tick_;
      } else {
        got_awaited_ |= line.rfind(awaited_ + " ", 0) == 0;
      }
      return;
    }
    if (what == "expect" && f.size() == 4) {
      expected_[f[1]] = f[2] + " " + f[3];
      return;
    }
    if (what == "frame" && f.size() == 3) {
      if (f[2] != "ok") {
        fail("the interpreter's replay of instance " + f[1] +
             "'s journal does not give its stored frame");
      }
      return;
    }
    if (what == "drained" && f.size() == 3) drained_outbox_ = parse_u64(f[2]).value_or(1);
    if (what == "drained" || what == "expected" || what == "bye") {
      got_awaited_ |= line.rfind(awaited_ + " ", 0) == 0 || line == awaited_;
      return;
    }
    fail("unexpected line from the child: " + line);
  }

  void on_ready(const std::vector<std::string>& f) {
    double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - spawned_at_).count();
    figures_.max_restart_ms = std::max(figures_.max_restart_ms, ms);
    figures_.total_restart_ms += ms;
    ++figures_.restarts;
    if (f.size() == 5) {
      figures_.max_open_ms =
          std::max(figures_.max_open_ms, static_cast<double>(parse_u64(f[1]).value_or(0)) / 1000);
      figures_.max_outbox = std::max(figures_.max_outbox, parse_u64(f[4]).value_or(0));
    }
    phase_ = Phase::kDumping;
    child_->send(dump_command(/*all=*/false));
  }

  void on_ack(const std::vector<std::string>& f) {
    auto number = f.size() == 5 + kStateFields ? parse_u64(f[1]) : std::nullopt;
    auto found = number ? requests_.find(*number) : requests_.end();
    if (found == requests_.end()) return fail("an ack for no request: " + f[1]);
    Request r = found->second;
    requests_.erase(found);
    ++figures_.acked;
    ++acks_since_tick_;
    const std::string& result = f[4];
    figures_.applied += result == "applied";
    figures_.refused += result == "refused";
    figures_.stale += result == "stale";
    auto id = parse_u64(f[2]), transition = parse_u64(f[3]);
    if (r.what == Request::What::kStart) --pending_starts_;
    if (result != r.result) {
      return fail("instance " + f[2] + ": a `" + r.kind + "` got " + result + ", expected " +
                  r.result);
    }
    auto state = parse_state(f, 5);
    if (!id || !transition || !state || state->id != *id) return fail("a bad ack: " + f[1]);
    KnownInstance& k = known_[*id];
    if (r.what != Request::What::kStart && k.pending != number) {
      return fail("an ack for instance " + f[2] + "'s request that was not in flight");
    }
    k.pending.reset();
    k.touched = true;
    if (r.changes_state()) {
      if (*transition != state->transitions) {
        fail("instance " + f[2] + ": acknowledged transition " + f[3] + " but the instance has " +
             std::to_string(state->transitions));
      }
      acked_.push_back({*id, *transition, r.kind, r.bits, false});
    } else if (!(*state == k.state)) {
      fail("instance " + f[2] + " changed on a refused event");
    }
    k.state = *state;
  }

  // ---- Checks after a restart ------------------------------------------------------

  // Checks the dump against the model, then adopts it.
  void verify(bool all) {
    for (const auto& [id, entry] : dump_.instances) {
      if (entry.second != "ok") {
        fail("instance " + std::to_string(id) + ": the journal replays to another frame (" +
             entry.second + ")");
      }
    }
    for (auto& [id, k] : known_) {
      auto found = dump_.instances.find(id);
      if (found == dump_.instances.end()) {
        fail("instance " + std::to_string(id) + " was acknowledged and is gone");
        continue;
      }
      const StateInfo& now = found->second.first;
      if (k.pending) {
        check_in_flight(k, now);
      } else if (!(now == k.state)) {
        fail("instance " + std::to_string(id) + " resumed as `" + format_state(now) +
             "`, not as last acknowledged: `" + format_state(k.state) + "`");
      }
      k.state = now;
    }
    // Instances the model does not know: starts in flight at a kill.
    std::size_t unknown = 0;
    for (const auto& [id, entry] : dump_.instances) {
      if (known_.count(id)) continue;
      ++unknown;
      const StateInfo& now = entry.first;
      auto start = dump_.journal.find({id, 1});
      if (now.transitions != 1 || start == dump_.journal.end() || start->second.first != "start") {
        fail("instance " + std::to_string(id) + " appeared with `" + format_state(now) +
             "`, not as a fresh start");
      }
      known_[id].state = now;
      ++figures_.committed_unacked;
    }
    if (unknown > pending_starts_) {
      fail(std::to_string(unknown) + " instances appeared, only " +
           std::to_string(pending_starts_) + " starts were in flight");
    }
    figures_.lost_unacked += pending_starts_ - std::min(pending_starts_, unknown);
    pending_starts_ = 0;
    requests_.clear();  // whatever was in flight is resolved now
    for (const auto& [id, k] : known_) dump_from_ = std::max(dump_from_, id + 1);
    for (AckedEvent& e : acked_) {
      if (e.verified && !all) continue;
      auto entry = dump_.journal.find({e.instance, e.transition});
      if (entry == dump_.journal.end()) {
        if (all || known_[e.instance].touched) {
          fail("acknowledged transition " + std::to_string(e.instance) + "/" +
               std::to_string(e.transition) + " (" + e.kind + ") is not in the journal");
        }
        continue;
      }
      if (entry->second != std::make_pair(e.kind, e.bits)) {
        fail("acknowledged transition " + std::to_string(e.instance) + "/" +
             std::to_string(e.transition) + " is journalled as " + entry->second.first + " " +
             hex(entry->second.second) + ", acknowledged as " + e.kind + " " + hex(e.bits));
      }
      e.verified = true;
    }
    for (const auto& [id, bits] : refused_values_) {
      for (auto it = dump_.journal.lower_bound({id, 0});
           it != dump_.journal.end() && it->first.first == id; ++it) {
        if (it->second.first == "done" && it->second.second == bits) {
          fail("a refused answer to instance " + std::to_string(id) + " is in its journal");
        }
      }
    }
    if (dump_.instances.size() != known_.size()) fail("instance counts differ after a restart");
    for (auto& [id, k] : known_) {
      k.touched = false;
      k.pending.reset();
    }
    dump_ = Dump{};
  }

  // An instance whose request was in flight at the kill: it is as last acknowledged, or
  // one transition further, journalled with that request's event.
  void check_in_flight(KnownInstance& k, const StateInfo& now) {
    auto found = requests_.find(*k.pending);
    if (found == requests_.end()) return fail("lost track of a request in flight");
    const Request& r = found->second;
    if (now == k.state) {
      ++figures_.lost_unacked;
      return;
    }
    auto entry = dump_.journal.find({now.id, now.transitions});
    if (!r.changes_state() || now.transitions != k.state.transitions + 1 ||
        entry == dump_.journal.end() || entry->second != std::make_pair(r.kind, r.bits)) {
      return fail("instance " + std::to_string(now.id) + " resumed as `" + format_state(now) +
                  "`: neither as last acknowledged (`" + format_state(k.state) + "`) nor one `" +
                  r.kind + "` further");
    }
    ++figures_.committed_unacked;
    if (r.what == Request::What::kTimeout) {
      ++figures_.timeouts_at_kill;
      timed_out(k, now, now.transitions, std::nullopt);
    }
  }

  void check_exactly_once() {
    std::size_t missing = 0, extra = 0, different = 0;
    std::string examples;
    auto note = [&](const std::string& text) {
      if (examples.size() < 600) examples += " " + text;
    };
    for (const auto& [key, what] : expected_) {
      auto got = receiver_.applied().find(key);
      if (got == receiver_.applied().end()) {
        ++missing;
        note("missing " + key + " " + what + ";");
      } else if (got->second != what) {
        ++different;
        note("different " + key + ": " + got->second + " vs " + what + ";");
      }
    }
    for (const auto& [key, what] : receiver_.applied()) {
      if (!expected_.count(key)) {
        ++extra;
        note("extra " + key + " " + what + ";");
      }
    }
    if (missing || extra || different) {
      fail("effects: " + std::to_string(missing) + " missing, " + std::to_string(extra) +
           " extra, " + std::to_string(different) + " with other content:" + examples);
    }
    for (const std::string& conflict : receiver_.conflicts()) {
      fail("one effect key with two contents: " + conflict);
    }
    if (expected_.empty()) fail("the journals imply no effects at all");
  }

  // ---- Timers ----------------------------------------------------------------------

  // The instances whose timer is due at `time` (seconds) and has not fired yet.
  std::vector<std::uint64_t> due_at(std::uint64_t time) const {
    std::vector<std::uint64_t> out;
    for (const auto& [id, k] : known_) {
      if (!k.final() && k.state.task && k.state.due && *k.state.due <= time * 1'000'000 &&
          !fired_timers_.count({id, *k.state.due})) {
        out.push_back(id);
      }
    }
    return out;
  }

  // With nothing in flight: moves the clock (to a parked instance's deadline, mostly),
  // answers some of the instances then due just before (a race their timers must lose),
  // and fires the timers.
  void send_tick() {
    std::uint64_t before = clock_, time = clock_;
    if (!restart_tick_) {
      std::optional<std::uint64_t> first;  // the earliest parked deadline, in seconds
      for (const auto& [id, k] : known_) {
        if (!k.parked || k.final() || !k.state.due) continue;
        first = std::min(first.value_or(UINT64_MAX), (*k.state.due + 999'999) / 1'000'000);
      }
      time = first && chance(0.8) ? std::max(time, *first) + rng_() % 120 : time + rng_() % 900;
    }
    Tick tick{next_request_++, time, {}, {}, {}, restart_tick_};
    bool race = time - before < kRaceWindow;
    for (std::uint64_t id : due_at(time)) {
      KnownInstance& k = known_[id];
      k.touched = true;
      if (race && k.state.task->point == "ask" && chance(0.3)) {
        Request r{Request::What::kAnswer, id, "done", answer(*k.state.task), "applied"};
        std::uint64_t number = next_request_++;
        requests_[number] = r;
        k.pending = number;
        child_->send("event " + std::to_string(number) + " " + std::to_string(id) + " done " +
                     hex(r.bits) + " " + std::to_string(k.state.task->transition));
        tick.raced.insert(id);
        k.parked = false;
        ++figures_.raced;
      } else {
        k.pending = tick.number;
        tick.due.insert(id);
      }
    }
    requests_[tick.number] = {Request::What::kTimeout, 0, "timeout", 0, "applied"};
    clock_ = time;
    child_->send("clock " + std::to_string(next_request_++) + " " + std::to_string(clock_));
    child_->send("tick " + std::to_string(tick.number));
    tick_ = std::move(tick);
    restart_tick_ = false;
    ++figures_.ticks;
  }

  // `timeout <req> <id> <transition> <state>`: one timeout the tick caused.
  void on_timeout(const std::vector<std::string>& f) {
    auto number = parse_u64(f[1]), id = parse_u64(f[2]), transition = parse_u64(f[3]);
    auto state = parse_state(f, 4);
    if (!tick_ || number != tick_->number || !id || !transition || !state || state->id != *id ||
        !known_.count(*id)) {
      return fail("a bad timeout line: " + f[1] + " " + f[2] + " " + f[3]);
    }
    KnownInstance& k = known_[*id];
    std::string who = "instance " + f[2] + ": ";
    std::string clock = " (clock " + std::to_string(tick_->time) + ")";
    if (!tick_->due.count(*id)) {
      if (tick_->raced.count(*id)) {
        return fail(who + "a timer fired for a task already answered, and was applied" + clock);
      }
      if (k.state.due && fired_timers_.count({*id, *k.state.due})) {
        return fail(who + "the timer of the task opened by transition " +
                    std::to_string(k.state.task ? k.state.task->transition : 0) + ", due " +
                    std::to_string(*k.state.due / 1'000'000) + ", fired a second time" + clock);
      }
      return fail(who + "a timeout was applied while no timer of it was due: `" +
                  format_state(k.state) + "`" + clock);
    }
    if (!tick_->seen.insert(*id).second) return fail(who + "two timeouts in one tick");
    if (*transition != k.state.transitions + 1 || state->transitions != *transition) {
      fail(who + "the timeout is transition " + f[3] + " after " +
           std::to_string(k.state.transitions) + " acknowledged, and the instance has " +
           std::to_string(state->transitions) + ": not exactly one transition");
    }
    k.pending.reset();
    acked_.push_back({*id, *transition, "timeout", 0, false});
    timed_out(k, *state, *transition, tick_->time);
    ++figures_.timeouts;
    figures_.fired_after_restart += tick_->after_restart;
  }

  // A timeout of `k`'s task, found applied as `transition` (by a tick at `tick_time`, or
  // after a kill): the task is the same ask (or the same ask again), and its timer is gone
  // (or replaced by one not yet due): it never fires again.
  void timed_out(KnownInstance& k, const StateInfo& after, std::uint64_t transition,
                 std::optional<std::uint64_t> tick_time) {
    const std::optional<TaskInfo>& task = k.state.task;
    bool same_ask = task && after.task && after.task->label == task->label &&
                    (after.task->transition == task->transition ||
                     (after.task->transition == transition && after.task->point == task->point));
    if (!same_ask || after.phase != k.state.phase) {
      fail("instance " + std::to_string(after.id) + ": after a timeout it rests as `" +
           format_state(after) + "`, not at the ask of `" + format_state(k.state) + "`");
    }
    if (after.due &&
        (after.due == k.state.due || *after.due <= tick_time.value_or(0) * 1'000'000)) {
      fail("instance " + std::to_string(after.id) + ": its timer fired and a timer due " +
           std::to_string(*after.due / 1'000'000) + " still stands: it fires again");
    }
    if (k.state.due) fired_timers_.insert({after.id, *k.state.due});
    timeouts_.push_back({after.id, transition, task ? task->label : "-"});
    k.state = after;
    k.touched = true;
    k.parked = false;
  }

  // `ticked <req> <fired> <refused>`: every due timer fired once; those of the
  // tasks answered just before were refused as stale, if they fired at all.
  void on_ticked(const std::vector<std::string>& f) {
    auto number = parse_u64(f[1]), fired = parse_u64(f[2]), refused = parse_u64(f[3]);
    if (!tick_ || number != tick_->number || !fired || !refused) {
      return fail("a bad ticked line: " + f[1]);
    }
    for (std::uint64_t id : tick_->due) {
      KnownInstance& k = known_[id];
      if (!tick_->seen.count(id)) {
        fail("instance " + std::to_string(id) + ": its timer due " +
             std::to_string(k.state.due.value_or(0) / 1'000'000) +
             (tick_->after_restart ? " fell due while no process ran and did not fire at the start"
                                   : " did not fire") +
             " (clock " + std::to_string(tick_->time) + ")");
      }
      if (k.pending == tick_->number) k.pending.reset();
    }
    if (*fired != tick_->seen.size() + *refused || *refused > tick_->raced.size()) {
      fail("a tick fired " + f[2] + " timers for " + std::to_string(tick_->due.size()) +
           " due and " + std::to_string(tick_->raced.size()) + " answered just before; " +
           std::to_string(tick_->seen.size()) + " timeouts applied, " + f[3] + " refused");
    }
    figures_.stale_timers += *refused;
    requests_.erase(tick_->number);
    tick_.reset();
    tick_wanted_ = false;
    acks_since_tick_ = 0;
    tick_after_ = 40 + static_cast<int>(rng_() % 160);
  }

  // After the last drain: each timeout had the effects of one, in the receiver: the
  // retain-samples ask escalated to QA once; the others only wait (or ask) again.
  void check_timeouts() {
    const auto& applied = receiver_.applied();
    for (const TimedOut& x : timeouts_) {
      std::string prefix = std::to_string(x.instance) + "/" + std::to_string(x.transition) + "/";
      int escalations = 0, others = 0;
      std::string kinds;
      for (auto it = applied.lower_bound(prefix);
           it != applied.end() && it->first.starts_with(prefix); ++it) {
        std::string kind = split(it->second)[0];
        escalations += kind == "escalate";
        others += kind != "escalate" && kind != "ask";
        kinds += " " + kind;
      }
      figures_.escalations += escalations;
      if (escalations != (x.label == "Retain" ? 1 : 0) || others != 0) {
        fail("the timeout " + prefix + " of the `" + x.label + "` ask had the effects [" + kinds +
             " ]");
      }
    }
  }

  // ---- The workload ----------------------------------------------------------------

  // Gives every idle instance its next event; starts instances while fewer than
  // `live_target` run and `*starts_left` allows.
  // While a tick is wanted, sends nothing new; once nothing is in flight, sends the tick.
  void pump(std::size_t live_target, int* starts_left) {
    if (tick_) return;
    if (!tick_wanted_) tick_wanted_ = acks_since_tick_ >= tick_after_;
    if (tick_wanted_) {
      if (requests_.empty()) send_tick();
      return;
    }
    std::size_t live = pending_starts_, parked = 0;
    for (auto& [id, k] : known_) {
      k.parked = k.parked && !k.final() && k.state.due;  // without a timer, it would wait forever
      parked += k.parked;
    }
    for (auto& [id, k] : known_) {
      if (k.final()) continue;
      ++live;
      if (!k.pending && !k.parked) next_event(id, k, parked);
    }
    while (live < live_target && pending_starts_ < 3 && (!starts_left || *starts_left > 0)) {
      Request r{Request::What::kStart, 0, "start", 0, "applied"};
      std::uint64_t number = next_request_++;
      requests_[number] = r;
      ++pending_starts_;
      ++live;
      if (starts_left) --*starts_left;
      child_->send("start " + std::to_string(number) + " " + std::to_string(rng_() % 10));
    }
    // Every live instance waits for its timer: nothing but a tick moves them on.
    if (parked > 0 && requests_.empty()) {
      tick_wanted_ = true;
      send_tick();
    }
  }

  void next_event(std::uint64_t id, KnownInstance& k, std::size_t& parked) {
    if (parked < kMaxParked && k.state.phase == "running" && k.state.task &&
        k.state.task->point == "ask" && k.state.due && !fired_timers_.count({id, *k.state.due}) &&
        chance(0.04)) {
      k.parked = true;  // left unanswered until its timer fired
      ++parked;
      return;
    }
    Request r;
    r.instance = id;
    std::optional<std::uint64_t> expect;
    if (k.state.phase == "held") {
      r = {Request::What::kRestart, id, "restart", 0, "applied"};
    } else if (k.state.phase != "running" || !k.state.task) {
      return;  // nothing this test can do
    } else {
      const TaskInfo& task = *k.state.task;
      double roll = uniform(0, 1);
      std::optional<std::uint64_t> bad = bad_answer(task);
      if (roll < 0.03) {
        r = {Request::What::kHold, id, "hold", 0, "applied"};
      } else if (roll < 0.035) {
        r = {Request::What::kAbort, id, "abort", 0, "applied"};
      } else if (roll < 0.08 && bad) {
        r = {Request::What::kBadAnswer, id, "done", *bad, "refused"};
        expect = task.transition;
        refused_values_.insert({id, *bad});
      } else if (roll < 0.12 && task.transition > 1) {
        r = {Request::What::kStale, id, "done", answer(task), "stale"};
        expect = task.transition - 1;
      } else {
        r = {Request::What::kAnswer, id, "done", answer(task), "applied"};
        expect = task.transition;
      }
    }
    std::uint64_t number = next_request_++;
    requests_[number] = r;
    k.pending = number;
    k.touched = true;
    child_->send("event " + std::to_string(number) + " " + std::to_string(id) + " " + r.kind + " " +
                 hex(r.bits) + " " + (expect ? std::to_string(*expect) : "-"));
    if (chance(0.04)) {
      // Time passes while events are in flight: their tasks open at either time.
      clock_ += 30 + rng_() % 270;
      child_->send("clock " + std::to_string(next_request_++) + " " + std::to_string(clock_));
    }
  }

  // A valid answer to the task, inside the ask's range. Mostly within ReleaseCheck's
  // specification (examples/templates/quality_check.gmb), so that most lots are released;
  // otherwise anywhere in the range: a high pH holds the procedure, a Brix or salt out of
  // specification rejects the lot.
  std::uint64_t answer(const TaskInfo& task) {
    if (task.point != "ask" || task.answer == "bool") return 1;
    if (task.answer == "enum") {
      return chance(0.97) || task.choices == 0 ? 0 : rng_() % task.choices;
    }
    if (task.answer == "int") {
      if (!task.lo || !task.hi) return 1;
      auto lo = static_cast<std::int64_t>(*task.lo), hi = static_cast<std::int64_t>(*task.hi);
      return static_cast<std::uint64_t>(lo + static_cast<std::int64_t>(rng_() % (hi - lo + 1)));
    }
    if (task.answer != "real") return 0;
    if (!task.lo || !task.hi) return bits_of(1.0);
    double lo = real_of(*task.lo), hi = real_of(*task.hi);
    double value = uniform(lo, hi);
    if (chance(0.98)) {
      if (task.label == "pH") value = uniform(3.0, 4.1);
      if (task.label == "Brix") value = uniform(28.5, 31.5);
      if (task.label == "Salt") value = uniform(0.005, 0.024);  // base unit: 2.4 % is 0.024
    }
    return bits_of(std::clamp(value, lo, hi));
  }

  // An answer the engine must refuse, distinct from every valid one; nullopt when the
  // task has none.
  std::optional<std::uint64_t> bad_answer(const TaskInfo& task) {
    if (task.point != "ask") return std::nullopt;
    if (task.answer == "bool") return 2 + rng_() % 1000;
    if (task.answer == "real" && task.lo) {
      return bits_of(real_of(*task.lo) - 1000 - uniform(0, 1000));
    }
    return std::nullopt;
  }

  std::string child_binary_;
  std::mt19937_64 rng_;
  std::string seed_note_;  // how to replay a failure
  gemba::testing::TempDir dir_;
  std::filesystem::path data_;
  std::string stderr_path_;
  std::unique_ptr<ChildProcess> child_;
  Phase phase_ = Phase::kWaitReady;
  SteadyClock::time_point spawned_at_;

  std::map<std::uint64_t, KnownInstance> known_;
  std::map<std::uint64_t, Request> requests_;  // in flight, by number
  std::size_t pending_starts_ = 0;
  std::uint64_t next_request_ = 1;
  std::uint64_t dump_from_ = 1;  // instances numbered from here are new to the model
  std::vector<AckedEvent> acked_;
  std::set<std::pair<std::uint64_t, std::uint64_t>> refused_values_;
  // Timers.
  std::uint64_t clock_ = kClockStart;                               // the model clock, seconds
  std::set<std::pair<std::uint64_t, std::uint64_t>> fired_timers_;  // (instance, due us)
  std::vector<TimedOut> timeouts_;
  std::optional<Tick> tick_;   // in flight
  bool tick_wanted_ = false;   // send no more events; tick once nothing is in flight
  bool restart_tick_ = false;  // the next tick is the first of a restarted process
  int acks_since_tick_ = 0, tick_after_ = 100;
  IdempotentReceiver receiver_;
  std::map<std::string, std::string> expected_;
  Dump dump_;
  std::string awaited_;
  bool got_awaited_ = false;
  std::uint64_t drained_outbox_ = 0;
  std::size_t failures_ = 0;
  Figures figures_;
};

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr) return fallback;
  return parse_u64(text).value_or(fallback);
}

Kill pick_kill(std::mt19937_64& rng) {
  // timer 40 %, each hook 15 %, startup 15 %.
  std::uint64_t roll = rng() % 100;
  if (roll < 40) return Kill::kTimer;
  if (roll < 55) return Kill::kInTransaction;
  if (roll < 70) return Kill::kCommitted;
  if (roll < 85) return Kill::kDelivered;
  return Kill::kStartup;
}

TEST(CrashTest, KilledEngineResumesEveryInstanceAndAppliesEffectsExactlyOnce) {
#ifndef GEMBA_CRASH_CHILD
  GTEST_SKIP() << "GEMBA_CRASH_CHILD is not defined: gemba_crash_child was not built";
#else
  auto began = SteadyClock::now();
  std::uint64_t seed = env_u64("GEMBA_CRASH_SEED", std::random_device{}());
  int rounds = static_cast<int>(env_u64("GEMBA_CRASH_ROUNDS", kDefaultRounds));
  // A write to a child that was just killed must fail with EPIPE, not kill the test.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);

  std::mt19937_64 kills(seed ^ 0x9e3779b97f4a7c15ull);
  CrashHarness harness(GEMBA_CRASH_CHILD, seed);
  for (int k = 0; k < rounds; ++k) {
    // The first kill lands while the very first process creates the store, publishes
    // the version and fills the JIT's object cache.
    if (!harness.round(k == 0 ? Kill::kStartup : pick_kill(kills))) break;
    if (SteadyClock::now() - began > kTotalLimit) {
      ADD_FAILURE() << "the kill rounds took longer than " << kTotalLimit.count() << " s";
      break;
    }
  }
  double kill_seconds = seconds_since(began);
  if (harness.failures() == 0) harness.finish();
  sigaction(SIGPIPE, &previous, nullptr);

  const Figures& f = harness.figures();
  EXPECT_GE(f.rounds, std::min(rounds, 200));
  std::printf(
      "[crash] %d rounds in %.1f s (+%.1f s to finish), seed %llu\n"
      "[crash] kills: timer %d, in-transaction %d, committed %d, delivered %d, startup %d "
      "(hook not reached: %d)\n"
      "[crash] acknowledged %llu (applied %llu, refused %llu, stale %llu); in flight at a kill: "
      "%llu found committed, %llu not\n"
      "[crash] instances %zu (complete %zu, aborted %zu); effects %zu, duplicates dropped %zu\n"
      "[crash] restart: mean %.0f ms, max %.0f ms (engine open max %.0f ms); outbox at a "
      "restart: up to %llu rows\n"
      "[crash] timers: %llu ticks, %llu timeouts acknowledged + %llu found committed after a "
      "kill, %llu fired at a restart (clock moved while down %d times), %llu stale timers "
      "refused (of %llu answers raced), %llu escalations\n",
      f.rounds, kill_seconds, seconds_since(began) - kill_seconds,
      static_cast<unsigned long long>(seed), f.kills[0], f.kills[1], f.kills[2], f.kills[3],
      f.kills[4], f.hook_fallbacks, static_cast<unsigned long long>(f.acked),
      static_cast<unsigned long long>(f.applied), static_cast<unsigned long long>(f.refused),
      static_cast<unsigned long long>(f.stale),
      static_cast<unsigned long long>(f.committed_unacked),
      static_cast<unsigned long long>(f.lost_unacked), harness.instance_count(),
      harness.count_phase("complete"), harness.count_phase("aborted"),
      harness.receiver().applied().size(), harness.receiver().duplicates(),
      f.restarts ? f.total_restart_ms / f.restarts : 0.0, f.max_restart_ms, f.max_open_ms,
      static_cast<unsigned long long>(f.max_outbox), static_cast<unsigned long long>(f.ticks),
      static_cast<unsigned long long>(f.timeouts),
      static_cast<unsigned long long>(f.timeouts_at_kill),
      static_cast<unsigned long long>(f.fired_after_restart), f.clock_jumps,
      static_cast<unsigned long long>(f.stale_timers), static_cast<unsigned long long>(f.raced),
      static_cast<unsigned long long>(f.escalations));
#endif
}

}  // namespace
}  // namespace gemba::crash
