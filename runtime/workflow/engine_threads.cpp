// The engine's threads: the committer (one write transaction per batch), the
// dispatcher (outbox rows to the sink, at least once) and the timer thread.
#include <algorithm>
#include <chrono>

#include "runtime/workflow/engine_impl.h"

namespace gemba::workflow {
namespace {

constexpr std::size_t kDispatchBatch = 512;
constexpr auto kDeleteDelay = std::chrono::milliseconds(200);

}  // namespace

// ---- The committer -----------------------------------------------------------------

Instance* Engine::Impl::touch(Pending& p, InstanceId id) {
  auto staged = p.instances.find(id);
  if (staged != p.instances.end()) return &staged->second;
  // Only this thread writes `instances`, so reading it here needs no lock.
  auto found = instances.find(id);
  if (found == instances.end()) return nullptr;
  return &p.instances.emplace(id, found->second).first->second;
}

void Engine::Impl::commit(std::vector<Work>& batch) {
  Pending p;
  store::Status status = store->write([&](store::WriteTxn& txn) {
    p = Pending{};
    p.next_instance = next_instance;
    p.next_outbox = next_outbox;
    p.next_audit = next_audit;
    p.next_name = next_name;
    p.next_journal = next_journal;
    p.outcomes.resize(batch.size());
    p.started.resize(batch.size());
    p.handles.resize(batch.size());
    for (std::size_t k = 0; k < batch.size(); ++k) apply(txn, batch[k], k, p);
    if (options.crash_hook) options.crash_hook("in-transaction");
    // The outbox's next sequence survives the deletion of every row.
    return txn.put(t.sequences, "outbox", store::key_u64(p.next_outbox));
  });
  if (status.is_ok()) {
    if (options.crash_hook) options.crash_hook("committed");
    {
      std::unique_lock lock(state_mutex);
      for (auto& [id, inst] : p.instances) instances[id] = std::move(inst);
      for (const auto& key : p.timers_erased) timers.erase(key);
      for (const auto& [key, row] : p.timers_put) timers[key] = row;
      for (const auto& [text, handle] : p.names) {
        names[text] = handle;
        texts[handle] = text;
      }
      next_instance = p.next_instance;
      next_audit = p.next_audit;
      next_name = p.next_name;
      next_outbox = p.next_outbox;
      next_journal = p.next_journal;
    }
    ++transactions;
    events += p.applied;
    refused += p.refused;
    {
      std::lock_guard lock(mu);
      committed_end = p.next_outbox;
      for (const auto& key : p.timers_erased) fired.erase(key);
    }
    dispatch_cv.notify_all();
    timer_cv.notify_all();
  }
  for (std::size_t k = 0; k < batch.size(); ++k) {
    Outcome outcome = p.outcomes.size() > k ? p.outcomes[k] : Outcome{};
    if (!status.is_ok()) {
      outcome = Outcome{Outcome::Result::kFailed, 0, "not committed: " + status.message()};
    }
    switch (batch[k].kind) {
      case Work::Kind::kStart:
        batch[k].started->set_value({outcome, status.is_ok() ? p.started[k] : 0});
        break;
      case Work::Kind::kName:
        batch[k].named->set_value(status.is_ok() ? p.handles[k] : -1);
        break;
      case Work::Kind::kDeleteOutbox:
        break;
      default:
        batch[k].done->set_value(outcome);
    }
  }
}

void Engine::Impl::run_committer() {
  for (;;) {
    std::vector<Work> batch;
    {
      std::unique_lock lock(mu);
      batch.reserve(std::min(queue.size(), options.max_batch) + 1);
      auto deletes_due = [&] {
        return !delivered_rows.empty() &&
               (flush_deletes || stopping ||
                std::chrono::steady_clock::now() - delivered_since >= kDeleteDelay);
      };
      while (queue.empty() && !deletes_due() && !stopping) {
        if (delivered_rows.empty()) {
          work_cv.wait(lock);
        } else {
          work_cv.wait_until(lock, delivered_since + kDeleteDelay);
        }
      }
      if (queue.empty() && delivered_rows.empty()) return;  // stopping, nothing left
      while (!queue.empty() && batch.size() < options.max_batch) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      if (!delivered_rows.empty()) {
        Work deletes;
        deletes.kind = Work::Kind::kDeleteOutbox;
        deletes.outbox = std::move(delivered_rows);
        delivered_rows.clear();
        flush_deletes = false;
        batch.push_back(std::move(deletes));
      }
      in_flight = batch.size();
    }
    commit(batch);
    {
      std::lock_guard lock(mu);
      in_flight = 0;
    }
    drained_cv.notify_all();
  }
}

// ---- The dispatcher ----------------------------------------------------------------

OutboxEffect Engine::Impl::effect_of(std::uint64_t sequence, const OutboxRow& row) const {
  OutboxEffect e;
  e.key = {row.instance, row.transition, row.index};
  e.sequence = sequence;
  e.time = row.time;
  e.values = scalars(row.values);
  std::shared_lock lock(state_mutex);
  auto found = instances.find(row.instance);
  if (found != instances.end() && found->second.executor != nullptr) {
    e.version = found->second.row.version;
    e.machine = &found->second.m();
    if (row.point < e.machine->points.size()) e.point = &e.machine->points[row.point];
  }
  return e;
}

void Engine::Impl::run_dispatcher() {
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    EffectSink* target = nullptr;
    std::uint64_t from = 0, end = 0;
    {
      std::unique_lock lock(mu);
      dispatch_cv.wait(lock, [&] { return stopping || (sink && offer_from < committed_end); });
      if (stopping) return;
      target = sink;
      from = offer_from;
      // Rows at or past `end` may be durable before the caches know their instance (a
      // new one): effect_of would find no machine and the row would be passed over.
      end = committed_end;
      dispatching = true;
    }
    std::vector<OutboxEffect> rows;
    store->read([&](const store::ReadTxn& txn) {
      txn.scan(t.outbox, store::key_u64(from), [&](std::string_view key, std::string_view value) {
        if (store::u64_of_key(key) >= end) return false;
        if (auto row = decode_outbox(value))
          rows.push_back(effect_of(store::u64_of_key(key), *row));
        return rows.size() < kDispatchBatch;
      });
      return store::Status::ok();
    });
    std::vector<std::uint64_t> accepted;
    bool failed = false;
    std::uint64_t next = from;
    for (const OutboxEffect& e : rows) {
      if (e.point == nullptr || !target->deliver(e)) {
        failed = e.point != nullptr;
        if (!failed) next = e.sequence + 1;  // a row of an unloaded version: left in place
        if (failed) break;
        continue;
      }
      accepted.push_back(e.sequence);
      next = e.sequence + 1;
      ++delivered;
    }
    if (!accepted.empty() && options.crash_hook) options.crash_hook("delivered");
    if (rows.empty()) next = end;  // rows deleted meanwhile; not past `end`: unread
    {
      std::lock_guard lock(mu);
      offer_from = std::max(offer_from, next);
      dispatching = false;
      if (!accepted.empty()) {
        if (delivered_rows.empty()) delivered_since = std::chrono::steady_clock::now();
        delivered_rows.insert(delivered_rows.end(), accepted.begin(), accepted.end());
      }
    }
    work_cv.notify_one();
    drained_cv.notify_all();
    // Back off only when the receiver took nothing: one that refuses now and then must
    // not slow every later batch down to one per 5 s.
    if (failed && accepted.empty()) {
      std::unique_lock lock(mu);
      dispatch_cv.wait_for(lock, backoff, [&] { return stopping; });
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    } else {
      backoff = std::chrono::milliseconds(50);
    }
  }
}

// ---- Timers ------------------------------------------------------------------------

std::size_t Engine::fire_due_timers() { return impl_->fire_due_timers(); }

std::size_t Engine::Impl::fire_due_timers() {
  double now = clock->now();
  std::vector<EventRequest> due;
  {
    std::shared_lock state(state_mutex);
    std::lock_guard lock(mu);
    for (const auto& [key, row] : timers) {
      if (timer_due(key) > now) break;
      if (!fired.insert(key).second) continue;
      EventRequest r;
      r.instance = store::u64_of_key(key, 8);
      r.kind = static_cast<lower::EventKind>(row.kind);
      r.expect_transition = row.task_transition;
      r.actor = "timer";
      due.push_back(std::move(r));
    }
  }
  for (EventRequest& r : due) enqueue_event(std::move(r));
  return due.size();
}

void Engine::Impl::run_timers() {
  for (;;) {
    double next_due = -1;
    {
      std::shared_lock state(state_mutex);
      std::lock_guard lock(mu);
      for (const auto& [key, row] : timers) {
        if (fired.count(key) == 0) {
          next_due = timer_due(key);
          break;
        }
      }
    }
    std::unique_lock lock(mu);
    if (stopping) return;
    double wait = next_due < 0 ? 60.0 : std::max(0.0, next_due - clock->now());
    timer_cv.wait_for(lock, std::chrono::duration<double>(std::min(wait, 60.0)));
    if (stopping) return;
    lock.unlock();
    fire_due_timers();
  }
}

void Engine::drain() {
  std::unique_lock lock(impl_->mu);
  for (;;) {
    bool offered = impl_->sink == nullptr || impl_->offer_from >= impl_->committed_end;
    bool idle = impl_->queue.empty() && impl_->in_flight == 0 && !impl_->dispatching;
    if (idle && offered && impl_->delivered_rows.empty()) return;
    if (idle && offered) {
      impl_->flush_deletes = true;
      impl_->work_cv.notify_one();
    }
    impl_->drained_cv.wait(lock);
  }
}

EngineStats Engine::stats() const {
  EngineStats s;
  s.transactions = impl_->transactions;
  s.events = impl_->events;
  s.refused = impl_->refused;
  s.delivered = impl_->delivered;
  s.store = impl_->store->stats();
  return s;
}

}  // namespace gemba::workflow
