// Internal to the engine: engine.cpp (versions, opening, submitting), engine_threads.cpp
// (committer, dispatcher, timers), engine_apply.cpp (what one batch writes in its
// transaction), engine_views.cpp (reading the committed state back).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "runtime/workflow/engine.h"
#include "runtime/workflow/executor.h"
#include "runtime/workflow/records.h"

namespace gemba::workflow {

inline std::vector<lower::Scalar> scalars(const std::vector<std::uint64_t>& words) {
  std::vector<lower::Scalar> out(words.size());
  for (std::size_t k = 0; k < words.size(); ++k) out[k] = scalar_of(words[k]);
  return out;
}

// A published version, compiled: procedure name -> (executor, machine index).
struct LoadedVersion {
  std::string hash;
  std::string plant;
  std::unique_ptr<diag::SourceManager> sources;  // what fault spans point into
  std::vector<std::unique_ptr<Executor>> executors;
  std::map<std::string, std::pair<const Executor*, std::size_t>> procedures;
};

struct Instance {
  InstanceRow row;
  const LoadedVersion* version = nullptr;  // null: its version is not loaded (finished)
  const Executor* executor = nullptr;
  std::size_t machine = 0;
  const lower::Machine& m() const { return executor->module().machines[machine]; }
};

// One unit of work for the committer thread.
struct Work {
  enum class Kind { kStart, kEvent, kCorrect, kDeleteOutbox, kName } kind = Kind::kEvent;
  StartRequest start;
  EventRequest event;
  std::uint64_t transition = 0;       // kCorrect
  std::vector<std::uint64_t> outbox;  // kDeleteOutbox: sequences
  std::string text;                   // kName
  // The submitter's promise, of the one kind the work has (a promise allocates its
  // shared state when made: only the one needed is).
  std::optional<std::promise<StartOutcome>> started;
  std::optional<std::promise<Outcome>> done;
  std::optional<std::promise<std::int64_t>> named;
};

// What a batch changed, applied to the caches only once its commit is durable.
struct Pending {
  std::map<InstanceId, Instance> instances;
  std::map<std::string, TimerRow> timers_put;
  std::set<std::string> timers_erased;
  std::map<std::string, std::int64_t> names;
  std::uint64_t next_instance = 0, next_outbox = 0, next_audit = 0, next_name = 0, next_journal = 0;
  std::vector<Outcome> outcomes;      // by position in the batch
  std::vector<InstanceId> started;    // by position in the batch (kStart)
  std::vector<std::int64_t> handles;  // by position in the batch (kName)
  std::uint64_t applied = 0, refused = 0;
};

struct Tables {
  store::Table versions, instances, journal, outbox, timers, audit, names, sequences;
};

struct Engine::Impl {
  EngineOptions options;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  std::unique_ptr<store::Store> store;
  Tables t;
  std::unique_ptr<jit::Jit> jit;
  std::mutex jit_mutex;

  // The caches of committed state: written by the committer thread (under the unique
  // lock) after each durable commit, read by everyone (under the shared lock).
  mutable std::shared_mutex state_mutex;
  std::map<std::string, std::unique_ptr<LoadedVersion>> versions;
  std::map<InstanceId, Instance> instances;
  std::map<std::string, TimerRow> timers;  // mirror of the `timers` table
  std::map<std::string, std::int64_t> names;
  std::map<std::int64_t, std::string> texts;
  std::uint64_t next_instance = 1, next_outbox = 1, next_audit = 1, next_name = 1, next_journal = 1;

  // The queue, the dispatcher's position and the threads' flags.
  std::mutex mu;
  std::condition_variable work_cv, drained_cv, dispatch_cv, timer_cv;
  std::deque<Work> queue;
  // Outbox rows the sink accepted: deleted with the next batch of events, or on their
  // own once they waited kDeleteDelay (deletions alone would cost a commit each).
  std::vector<std::uint64_t> delivered_rows;
  std::chrono::steady_clock::time_point delivered_since;
  bool flush_deletes = false;  // drain() or shutdown: delete now
  std::size_t in_flight = 0;
  bool stopping = false;
  EffectSink* sink = nullptr;
  bool dispatching = false;
  std::uint64_t offer_from = 1;     // the next outbox sequence to offer to the sink
  std::uint64_t committed_end = 1;  // one past the last committed outbox sequence
  std::set<std::string> fired;      // timers submitted and not yet erased
  std::thread committer, dispatcher, timer;

  // The committer's scratch buffers, reused by every transition.
  std::vector<lower::Effect> effects;
  std::vector<lower::Scalar> frame, signals;

  std::atomic<std::uint64_t> transactions{0}, events{0}, refused{0}, delivered{0};

  // engine_apply.cpp
  void apply(store::WriteTxn& txn, Work& work, std::size_t position, Pending& p);
  // engine.cpp
  store::Status load_pinned_versions(std::map<std::string, VersionRow>& stored);
  Instance* touch(Pending& p, InstanceId id);
  const LoadedVersion* version(const std::string& hash) const;
  OutboxEffect effect_of(std::uint64_t sequence, const OutboxRow& row) const;
  InstanceView view_of(const Instance& instance) const;
  // Visits the journal rows of instance `id`, in order, until `visit` returns false.
  void scan_journal(const store::ReadTxn& txn, InstanceId id,
                    const std::function<bool(const JournalRow&)>& visit) const;
  void commit(std::vector<Work>& batch);
  void run_committer();
  void run_dispatcher();
  void run_timers();
  std::size_t fire_due_timers();
  std::future<Outcome> enqueue_event(EventRequest request);
};

}  // namespace gemba::workflow
