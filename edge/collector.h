// The collector: the ReadingSink every source offers to. It applies the collect rules
// (period, deadband, valid range by the JIT-compiled check), turns accepted readings
// into records and refused ones into quarantine entries, and commits them to the outbox
// on one committer thread that groups concurrent offers into one transaction (group
// commit). offer() returns once its readings are durable.
//
// Sampling: a rule records at most one value per period, the latest one: a reading that
// comes sooner than one period after the last recorded value is held, and recorded when
// the period has passed (by the next reading, or by the committer's tick) unless a newer
// one replaced it. A value is recorded only when it moved by more than the deadband from
// the last recorded one (any change when the deadband is 0); the first one always is.
// The last recorded time and value of each signal are committed with the record (cursor
// `sample:SUBJECT`), so a restarted edge applies the deadband as if it had not stopped.
// Every reading outside its valid range, not a number, or for no known signal is
// quarantined with the reason, whatever its timing.
//
// Back-pressure: while the outbox is over its quota, offers wait (the committer retries
// every 200 ms) and status says so; nothing is dropped.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "edge/collect_plan.h"
#include "edge/outbox.h"
#include "edge/sources/source.h"

namespace gemba::edge {

struct CollectorStatus {
  std::uint64_t readings = 0;     // offered
  std::uint64_t recorded = 0;     // became records
  std::uint64_t unchanged = 0;    // within the deadband, not recorded
  std::uint64_t quarantined = 0;  // refused since start
  std::uint64_t held = 0;         // came within a period; replaced or recorded later
  bool over_quota = false;        // offers are waiting for space
  std::string last_error;         // the last commit failure, empty once one succeeds
};

class Collector : public ReadingSink {
 public:
  // `committed` is called after each commit that added records (to wake the forwarder).
  Collector(const CollectPlan& plan, Outbox& outbox, std::function<void()> committed = {});
  ~Collector() override;  // stops

  bool offer(std::vector<Reading> readings, const Cursor* cursor = nullptr) override;
  std::string cursor(const std::string& key) override;

  // Records that did not come from a source (a procedure's events at this edge), through
  // the same commits; with `cursor` as in offer(). False when stopping, or (with
  // `*error`, nothing appended) when a record breaks the wire's limits (too long a
  // subject or text, WIRE.md), which the center would refuse for ever.
  bool append(std::vector<wire::Record> records, const Cursor* cursor, std::string* error);

  // Offers a quarantined reading again, as it was received, through the rules as they
  // are now; the entry is marked replayed in the same commit. Error text when unknown
  // or already replayed.
  bool replay(std::uint64_t quarantine_id, std::string* error);

  // Unblocks every offer (they return false) and joins the committer; idempotent.
  void stop();
  CollectorStatus status() const;

 private:
  struct Pending {
    AppendBatch batch;
    std::optional<std::uint64_t> replayed;
    std::promise<bool> done;
  };
  struct SignalState {
    bool has_last = false;
    std::int64_t last_time_us = 0;
    double last_base = 0;
    std::optional<wire::Record> held;  // came too soon; recorded when its period is due
    double held_base = 0;
  };

  bool submit(AppendBatch batch, std::optional<std::uint64_t> replayed);
  void classify(const Reading& reading, AppendBatch& batch);
  void sample(const CollectRule& rule, SignalState& state, wire::Record record, double base,
              AppendBatch& batch);
  void release_due(std::int64_t now_us, AppendBatch& batch);
  void run();

  const CollectPlan& plan_;
  Outbox& outbox_;
  std::function<void()> committed_;
  std::vector<SignalState> signals_;  // by rule index, guarded by mutex_

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool stopping_ = false;
  CollectorStatus status_;
  std::thread committer_;
};

}  // namespace gemba::edge
