// What the engine shows of its committed state: instances, journals, the audit trail,
// the outbox's size, and the replay of a journal.
#include "runtime/workflow/engine_impl.h"

namespace gemba::workflow {

// ---- Views -------------------------------------------------------------------------

InstanceView Engine::Impl::view_of(const Instance& inst) const {
  InstanceView v;
  v.version = inst.row.version;
  v.procedure = inst.row.procedure;
  v.wait = inst.row.wait;
  v.transitions = inst.row.transitions;
  v.frame = scalars(inst.row.frame);
  v.signals = scalars(inst.row.signals);
  v.input_cursor = inst.row.input_cursor;
  if (!inst.row.timer_key.empty()) v.timer_due = timer_due(inst.row.timer_key);
  v.phase = static_cast<Phase>(inst.row.phase);
  if (inst.executor == nullptr) return v;
  v.machine = &inst.m();
  if (inst.row.task) {
    OutboxEffect task;
    task.key = {0, inst.row.task->transition, inst.row.task->index};
    task.time = inst.row.task->time;
    task.version = inst.row.version;
    task.machine = v.machine;
    task.point = &v.machine->points[inst.row.task->point];
    task.values = scalars(inst.row.task->values);
    v.task = std::move(task);
  }
  return v;
}

std::optional<InstanceView> Engine::instance(InstanceId id) const {
  std::shared_lock lock(impl_->state_mutex);
  auto found = impl_->instances.find(id);
  if (found == impl_->instances.end()) return std::nullopt;
  InstanceView v = impl_->view_of(found->second);
  v.id = id;
  if (v.task) v.task->key.instance = id;
  return v;
}

std::vector<InstanceView> Engine::instances() const {
  std::shared_lock lock(impl_->state_mutex);
  std::vector<InstanceView> out;
  for (const auto& [id, inst] : impl_->instances) {
    out.push_back(impl_->view_of(inst));
    out.back().id = id;
    if (out.back().task) out.back().task->key.instance = id;
  }
  return out;
}

void Engine::Impl::scan_journal(const store::ReadTxn& txn, InstanceId id,
                                const std::function<bool(const JournalRow&)>& visit) const {
  std::uint64_t first = 0, last = 0;
  {
    std::shared_lock lock(state_mutex);
    auto found = instances.find(id);
    if (found == instances.end()) return;
    first = found->second.row.journal_first;
    last = found->second.row.transitions;
  }
  std::uint64_t seen = 0;
  txn.scan(t.journal, store::key_u64(first), [&](std::string_view, std::string_view value) {
    auto row = decode_journal(value);
    if (!row) return visit(JournalRow{id, 0, lower::kEventKinds, 0, 0, "", {}, {}});
    if (row->instance != id) return true;
    return visit(*row) && ++seen < last;
  });
}

std::vector<JournalEntry> Engine::journal(InstanceId id) const {
  std::vector<JournalEntry> out;
  impl_->store->read([&](const store::ReadTxn& txn) {
    impl_->scan_journal(txn, id, [&](const JournalRow& row) {
      if (row.kind >= lower::kEventKinds) return false;  // does not decode
      JournalEntry e;
      e.transition = row.transition;
      e.event = lower::Event{static_cast<lower::EventKind>(row.kind), 0, row.value, row.time};
      for (const auto& [index, b] : row.signals) e.signals.emplace_back(index, scalar_of(b));
      e.actor = row.actor;
      out.push_back(std::move(e));
      return true;
    });
    return store::Status::ok();
  });
  return out;
}

std::vector<AuditEntry> Engine::audit(std::uint64_t from) const {
  std::vector<AuditEntry> out;
  impl_->store->read([&](const store::ReadTxn& txn) {
    txn.scan(impl_->t.audit, store::key_u64(from),
             [&](std::string_view key, std::string_view value) {
               auto row = decode_audit(value);
               if (!row) return false;
               out.push_back({store::u64_of_key(key), row->time, row->instance, row->transition,
                              row->actor, row->action, row->detail});
               return true;
             });
    return store::Status::ok();
  });
  return out;
}

std::size_t Engine::outbox_size() const {
  std::size_t n = 0;
  impl_->store->read([&](const store::ReadTxn& txn) {
    n = txn.count(impl_->t.outbox);
    return store::Status::ok();
  });
  return n;
}

std::optional<std::vector<lower::Scalar>> Engine::replay(InstanceId id, std::string* error) const {
  const Executor* executor = nullptr;
  std::size_t machine = 0;
  std::uint64_t transitions = 0;
  {
    std::shared_lock lock(impl_->state_mutex);
    auto found = impl_->instances.find(id);
    if (found == impl_->instances.end() || found->second.executor == nullptr) {
      *error = "no loaded instance " + std::to_string(id);
      return std::nullopt;
    }
    executor = found->second.executor;
    machine = found->second.machine;
    transitions = found->second.row.transitions;
  }
  const lower::Machine& m = executor->module().machines[machine];
  std::vector<lower::Scalar> frame, signals(m.signals.size(), lower::Scalar{.i = 0});
  std::vector<lower::Effect> effects(256);
  bool ok = true;
  std::uint64_t expected = 1;
  impl_->store->read([&](const store::ReadTxn& txn) {
    impl_->scan_journal(txn, id, [&](const JournalRow& row) {
      if (row.kind >= lower::kEventKinds || row.transition != expected++) {
        *error = "journal row " + std::to_string(expected - 1) + " of instance " +
                 std::to_string(id) + " is missing or does not decode";
        return ok = false;
      }
      if (row.kind == static_cast<std::uint32_t>(lower::EventKind::kStart)) {
        frame = lower::initial_frame(m, scalars(row.args));
      }
      for (const auto& [index, b] : row.signals) {
        if (index < signals.size()) signals[index] = scalar_of(b);
      }
      lower::Event event{static_cast<lower::EventKind>(row.kind), 0, row.value, row.time};
      std::uint32_t count = 0, site[2];
      if (frame.empty() ||
          executor->run(machine, frame.data(), signals.data(), event, effects.data(), 256, &count,
                        site) != lower::Fault::kNone) {
        *error = "journal row " + std::to_string(expected - 1) + " of instance " +
                 std::to_string(id) + " does not replay";
        return ok = false;
      }
      return true;
    });
    return store::Status::ok();
  });
  if (ok && expected - 1 != transitions) {
    *error = "the journal of instance " + std::to_string(id) + " has " +
             std::to_string(expected - 1) + " rows for " + std::to_string(transitions) +
             " transitions";
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return frame;
}

}  // namespace gemba::workflow
