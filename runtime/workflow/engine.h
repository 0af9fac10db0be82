// The durable workflow engine (DESIGN.md, "The durable runtime"): procedure instances
// as state machines over flat frames, kept in the store (runtime/store/store.h), moved
// by events, one LMDB write transaction per batch of events (group commit).
//
// For each event the engine, inside the batch's transaction: checks it against the
// instance (known, not final, the expected transition when the event answers a task),
// runs the transition on a copy of the frame (JIT, or the reference interpreter),
// journals the event, stores the new frame, appends each effect to the outbox with its
// key (instance, transition, index), replaces the instance's timer, appends audit rows.
// A refused event (not expected in the current wait, a run-time fault, a stale answer)
// writes nothing but an audit row and is reported to its submitter. After the commit is
// durable, every submitter of the batch gets its Outcome; then the dispatcher hands the
// new outbox rows to the EffectSink, at least once, and deletes each row the sink
// accepted. The on-disk rows are described in FORMAT.md.
//
// Threads: one committer thread runs every transition and owns the write transaction;
// one dispatcher thread calls the sink; one timer thread turns due timers into events.
// Every public member may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lower/lowered.h"
#include "runtime/store/store.h"
#include "runtime/workflow/clock.h"
#include "runtime/workflow/template_version.h"

namespace gemba::workflow {

using InstanceId = std::uint64_t;

// ISA-88 procedural states as the runtime reports them. Holding, restarting and aborting
// last only while a transition runs the language's handlers; they appear in the audit
// trail (`running -> holding -> held`), never as a resting state.
enum class Phase : std::uint8_t { kIdle, kRunning, kHeld, kComplete, kAborted };
const char* spelling(Phase phase);  // "idle", "running", ...

// The idempotency key of an effect: the instance, its transition (1 = the start), and
// the effect's index among those that transition emitted.
struct EffectKey {
  InstanceId instance = 0;
  std::uint64_t transition = 0;
  std::uint32_t index = 0;
  friend bool operator==(const EffectKey&, const EffectKey&) = default;
};
std::string to_string(const EffectKey& key);  // "17/4/0"

// One outbox row, as handed to the sink.
struct OutboxEffect {
  EffectKey key;
  std::uint64_t sequence = 0;               // the outbox row's key: increasing across instances
  double time = 0;                          // when the transition ran
  std::string version;                      // the instance's template version (hash)
  const lower::Machine* machine = nullptr;  // the procedure; valid for the Engine's life
  const lower::Point* point = nullptr;      // what was emitted: kind, role, text ...
  std::vector<lower::Scalar> values;        // the point's values
};

// When a suspension opened at `time` with these values times out (an ask's or an
// await's `within`) or ends (a `wait`): the operator task's deadline; nullopt if never.
std::optional<double> deadline(const lower::Point& point, double time,
                               const std::vector<lower::Scalar>& values);

// Receives effects after their commit. Returns true once the effect is applied (or
// safely queued) on the receiver's side: the row is then deleted. False, or a crash
// before the deletion, delivers the effect again later: receivers drop repeats by key.
class EffectSink {
 public:
  virtual ~EffectSink() = default;
  virtual bool deliver(const OutboxEffect& effect) = 0;
};

struct EventRequest {
  InstanceId instance = 0;
  lower::EventKind kind = lower::EventKind::kDone;
  lower::Scalar value{.i = 0};  // kDone: an ask's answer; kLimit: the reaction's index
  // kSignal: the inputs that changed, by index in Machine::signals.
  std::vector<std::pair<std::uint32_t, lower::Scalar>> signals;
  // When set, the event applies only if the instance's last transition is this one:
  // an answer to the task that transition opened. Otherwise it is refused as stale
  // (a timer that lost the race, an answer delivered twice).
  std::optional<std::uint64_t> expect_transition;
  std::string actor;  // who: "operator jdoe", "timer", "equipment", "console"
  std::string note;   // for the audit: the answer as typed, a signature's meaning
  // An opaque position in the caller's input, stored with the instance in the same
  // transaction (the console's line in an answers file): exactly-once for inputs.
  std::optional<std::uint64_t> input_cursor;
};

struct Outcome {
  enum class Result { kApplied, kRefused, kStale, kFault, kFailed };
  Result result = Result::kFailed;
  std::uint64_t transition = 0;  // kApplied: the transition's number
  std::string message;           // why not applied: a fault with its script location
};
const char* spelling(Outcome::Result result);

struct StartRequest {
  std::string version;  // a published version's hash
  std::string procedure;
  std::vector<lower::Scalar> args;  // one per Machine::params, in order
  std::string actor;
  std::string note;  // for the audit: the arguments as typed
};

struct StartOutcome {
  Outcome outcome;
  InstanceId instance = 0;
};

// An instance as last committed.
struct InstanceView {
  InstanceId id = 0;
  std::string version;
  std::string procedure;
  const lower::Machine* machine = nullptr;
  Phase phase = Phase::kIdle;
  std::uint32_t wait = 0;  // index in machine->waits
  std::uint64_t transitions = 0;
  std::vector<lower::Scalar> frame;
  std::vector<lower::Scalar> signals;
  // The suspension the instance rests at (ask, await, command, sign, wait) as emitted,
  // when it rests at one: what an operator station shows.
  std::optional<OutboxEffect> task;
  std::optional<double> timer_due;  // the instance's pending timer
  std::uint64_t input_cursor = 0;
};

struct JournalEntry {
  std::uint64_t transition = 0;
  lower::Event event;
  std::vector<std::pair<std::uint32_t, lower::Scalar>> signals;
  std::string actor;
};

struct AuditEntry {
  std::uint64_t sequence = 0;
  double time = 0;
  InstanceId instance = 0;
  std::uint64_t transition = 0;  // 0 when the entry is not a transition's
  std::string actor;
  std::string action;  // "start", "answer", "signature", "command done", "wait ended",
                       // "reading", "request", "state", "refused", "correction"
  std::string detail;  // "running -> holding -> held", "viscosity = 950 cP"
};

struct EngineOptions {
  std::filesystem::path data_dir;
  bool use_jit = true;           // false: the reference interpreter runs the transitions
  std::string compiler_version;  // for the JIT's object cache under data_dir/jit-cache
  const Clock* clock = nullptr;  // null: the system clock
  std::size_t max_batch = 1024;  // events per transaction
  bool start_timers = true;      // false: timers fire only through fire_due_timers()
  // For crash tests: called at the points where a crash matters most, so a test can
  // kill the process exactly there: "in-transaction" (the batch is written, the commit
  // not begun), "committed" (durable, submitters not yet told), "delivered" (the sink
  // accepted effects whose rows are not yet deleted).
  std::function<void(std::string_view point)> crash_hook;
};

struct EngineStats {
  std::uint64_t transactions = 0;  // commits of event batches
  std::uint64_t events = 0;        // events applied
  std::uint64_t refused = 0;
  std::uint64_t delivered = 0;  // effects the sink accepted
  store::StoreStats store;
};

class Engine {
 public:
  // Opens the data directory, loads every version that has live instances (an error
  // names the version that cannot be loaded and why), and starts the threads; timers
  // that fell due while no process ran fire at once.
  static std::unique_ptr<Engine> open(const EngineOptions& options, store::Status* status);
  ~Engine();  // stops the threads after the batch in flight; what was acknowledged stays
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Stores `version` (if new) and loads it; its hash, or error text (its diagnostics).
  std::optional<std::string> publish(const TemplateVersion& version, std::string* error);
  // The procedures of a published version (name order), and one of them, or null.
  std::vector<std::string> procedures(const std::string& version) const;
  const lower::Machine* machine(const std::string& version, const std::string& procedure) const;

  std::future<StartOutcome> start(StartRequest request);
  std::future<Outcome> submit(EventRequest request);
  // Several events queued at once, so that they share one transaction when the
  // committer is idle (a batch of samples, a benchmark's batch).
  std::vector<std::future<Outcome>> submit_all(std::vector<EventRequest> requests);

  // Sets where effects go (null: they stay in the outbox). Rows still in the outbox,
  // from before a crash, are delivered again.
  void set_sink(EffectSink* sink);

  std::optional<InstanceView> instance(InstanceId id) const;
  std::vector<InstanceView> instances() const;  // every instance, by id
  std::vector<JournalEntry> journal(InstanceId id) const;
  std::vector<AuditEntry> audit(std::uint64_t from = 0) const;
  std::size_t outbox_size() const;

  // Replays the instance's journal from its initial frame with the instance's executor:
  // the frame the journal says it has (compare with instance()->frame), or error text.
  std::optional<std::vector<lower::Scalar>> replay(InstanceId id, std::string* error) const;

  // Appends an audit row correcting a recorded value: the original stays as it was.
  std::future<Outcome> correct(InstanceId id, std::uint64_t transition, std::string actor,
                               std::string detail);

  // Submits a timeout (or a wait's completion) for every timer due at the clock's now;
  // returns how many. The timer thread calls this; tests with a manual clock too.
  std::size_t fire_due_timers();

  // Material and lot names (console::Names): a durable handle per text, made on first
  // use (committed before it is returned), and the text of a handle.
  std::int64_t name_handle(std::string_view text);
  std::optional<std::string> name_text(std::int64_t handle) const;

  // Blocks until every event submitted so far is committed and every outbox row so far
  // was offered to the sink once.
  void drain();

  EngineStats stats() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gemba::workflow
