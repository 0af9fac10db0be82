#include "runtime/workflow/engine.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "runtime/workflow/engine_impl.h"

namespace gemba::workflow {
namespace {

constexpr const char* kApplication = "gemba-runtime";
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kDispatchBatch = 512;
constexpr auto kDeleteDelay = std::chrono::milliseconds(200);

std::vector<lower::Scalar> scalars(const std::vector<std::uint64_t>& words) {
  std::vector<lower::Scalar> out(words.size());
  for (std::size_t k = 0; k < words.size(); ++k) out[k] = scalar_of(words[k]);
  return out;
}

store::Status corruption(const std::string& what) {
  return store::Status::error(store::Status::Code::kCorruption, what);
}

std::uint64_t next_after_last(const store::ReadTxn& txn, store::Table table) {
  auto last = txn.last(table);
  return last ? store::u64_of_key(last->first) + 1 : 1;
}

}  // namespace

const char* spelling(Phase phase) {
  switch (phase) {
    case Phase::kIdle:
      return "idle";
    case Phase::kRunning:
      return "running";
    case Phase::kHeld:
      return "held";
    case Phase::kComplete:
      return "complete";
    case Phase::kAborted:
      return "aborted";
  }
  return "?";
}

const char* spelling(Outcome::Result result) {
  switch (result) {
    case Outcome::Result::kApplied:
      return "applied";
    case Outcome::Result::kRefused:
      return "refused";
    case Outcome::Result::kStale:
      return "stale";
    case Outcome::Result::kFault:
      return "fault";
    case Outcome::Result::kFailed:
      return "failed";
  }
  return "?";
}

std::string to_string(const EffectKey& key) {
  return std::to_string(key.instance) + "/" + std::to_string(key.transition) + "/" +
         std::to_string(key.index);
}

// ---- Versions ----------------------------------------------------------------------

namespace {

// Compiles a stored or new version; null and error text on failure.
std::unique_ptr<LoadedVersion> load_version(const std::string& hash, const VersionRow& row,
                                            jit::Jit* jit, std::mutex* jit_mutex,
                                            std::string* error) {
  TemplateVersion version{row.plant, {}};
  for (const auto& s : row.sources) version.sources.push_back({s.path, s.text, s.plant});
  std::optional<CompiledVersion> compiled = compile_version(version, error);
  if (!compiled) return nullptr;
  auto loaded = std::make_unique<LoadedVersion>();
  loaded->hash = hash;
  loaded->plant = row.plant;
  loaded->sources = std::move(compiled->sources);
  for (lower::Lowering& lowering : compiled->lowered) {
    auto executor = Executor::create(std::move(lowering.module), jit, jit_mutex, error);
    if (!executor) return nullptr;
    for (std::size_t k = 0; k < executor->module().machines.size(); ++k) {
      loaded->procedures.emplace(executor->module().machines[k].name,
                                 std::make_pair(executor.get(), k));
    }
    loaded->executors.push_back(std::move(executor));
  }
  for (const auto& [name, fingerprint] : row.machines) {
    auto found = loaded->procedures.find(name);
    if (found == loaded->procedures.end()) {
      *error = "procedure " + name + " no longer compiles from the stored sources";
      return nullptr;
    }
    const Executor* executor = found->second.first;
    if (layout_fingerprint(executor->module().machines[found->second.second], executor->module()) !=
        fingerprint) {
      *error = "procedure " + name +
               " compiles to another frame layout with this gemba than "
               "with the one that published it (" +
               row.compiler_version + ")";
      return nullptr;
    }
  }
  return loaded;
}

VersionRow row_of(const TemplateVersion& version, const LoadedVersion& loaded,
                  const std::string& compiler_version) {
  VersionRow row;
  row.plant = version.plant;
  row.compiler_version = compiler_version;
  for (const auto& s : version.sources) row.sources.push_back({s.path, s.text, s.plant});
  for (const auto& [name, where] : loaded.procedures) {
    const lower::Module& module = where.first->module();
    row.machines.emplace_back(name, layout_fingerprint(module.machines[where.second], module));
  }
  return row;
}

}  // namespace

const LoadedVersion* Engine::Impl::version(const std::string& hash) const {
  std::shared_lock lock(state_mutex);
  auto found = versions.find(hash);
  return found == versions.end() ? nullptr : found->second.get();
}

std::optional<std::string> Engine::publish(const TemplateVersion& version, std::string* error) {
  std::string hash = version_hash(version);
  if (impl_->version(hash) != nullptr) return hash;
  // Copied out of the read, so that no compile holds a read transaction open.
  std::optional<VersionRow> stored;
  store::Status status = impl_->store->read([&](const store::ReadTxn& txn) {
    if (auto bytes = txn.get(impl_->t.versions, hash)) {
      stored = decode_version(*bytes);
      if (!stored) return corruption("the stored row of version " + hash + " does not decode");
    }
    return store::Status::ok();
  });
  if (!status.is_ok()) {
    *error = status.message();
    return std::nullopt;
  }
  std::unique_ptr<LoadedVersion> loaded;
  if (stored) loaded = load_version(hash, *stored, impl_->jit.get(), &impl_->jit_mutex, error);
  if (!loaded) {
    if (!error->empty()) return std::nullopt;
    VersionRow draft{version.plant, impl_->options.compiler_version, {}, {}};
    for (const auto& s : version.sources) draft.sources.push_back({s.path, s.text, s.plant});
    loaded = load_version(hash, draft, impl_->jit.get(), &impl_->jit_mutex, error);
    if (!loaded) return std::nullopt;
    std::string bytes = encode(row_of(version, *loaded, impl_->options.compiler_version));
    status = impl_->store->write([&](store::WriteTxn& txn) {
      if (txn.get(impl_->t.versions, hash)) return store::Status::ok();  // immutable
      return txn.put(impl_->t.versions, hash, bytes);
    });
    if (!status.is_ok()) {
      *error = status.message();
      return std::nullopt;
    }
  }
  std::unique_lock lock(impl_->state_mutex);
  impl_->versions.emplace(hash, std::move(loaded));
  return hash;
}

std::vector<std::string> Engine::procedures(const std::string& version) const {
  std::vector<std::string> out;
  if (const LoadedVersion* v = impl_->version(version)) {
    for (const auto& [name, where] : v->procedures) out.push_back(name);
  }
  return out;
}

const lower::Machine* Engine::machine(const std::string& version,
                                      const std::string& procedure) const {
  const LoadedVersion* v = impl_->version(version);
  if (v == nullptr) return nullptr;
  auto found = v->procedures.find(procedure);
  if (found == v->procedures.end()) return nullptr;
  return &found->second.first->module().machines[found->second.second];
}

// ---- Opening -----------------------------------------------------------------------

// Compiles every version an instance is pinned to and binds the instances to their
// procedures. A version only finished instances use may fail to load (they are shown
// without their machine); one a live instance needs stops the start.
store::Status Engine::Impl::load_pinned_versions(std::map<std::string, VersionRow>& stored) {
  Impl& impl = *this;
  std::map<std::string, std::string> failures;  // version -> why
  for (auto& [hash, row] : stored) {
    std::string error;
    auto loaded = load_version(hash, row, impl.jit.get(), &impl.jit_mutex, &error);
    if (loaded) {
      impl.versions.emplace(hash, std::move(loaded));
    } else {
      failures.emplace(hash, "version " + hash.substr(0, 12) + " (plant " + row.plant +
                                 ") cannot be loaded: " + error);
    }
  }
  for (auto& [id, inst] : impl.instances) {
    bool live = inst.row.phase != static_cast<std::uint8_t>(Phase::kComplete) &&
                inst.row.phase != static_cast<std::uint8_t>(Phase::kAborted);
    auto failed = failures.find(inst.row.version);
    if (failed != failures.end()) {
      if (!live) continue;
      return corruption(failed->second + "; live instance " + std::to_string(id) + " needs it");
    }
    const LoadedVersion* v = impl.versions[inst.row.version].get();
    auto found = v->procedures.find(inst.row.procedure);
    if (found == v->procedures.end()) {
      if (!live) continue;
      return corruption("instance " + std::to_string(id) + ": version " +
                        inst.row.version.substr(0, 12) + " has no procedure " + inst.row.procedure);
    }
    inst.version = v;
    inst.executor = found->second.first;
    inst.machine = found->second.second;
  }
  return store::Status::ok();
}

std::unique_ptr<Engine> Engine::open(const EngineOptions& options, store::Status* status) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->clock = options.clock ? options.clock : &impl->system_clock;
  store::StoreOptions so;
  so.application = kApplication;
  so.format_version = kFormatVersion;
  so.tables = {"versions", "instances", "journal", "outbox",
               "timers",   "audit",     "names",   "sequences"};
  impl->store = store::Store::open(options.data_dir, so, status);
  if (!impl->store) return nullptr;
  Tables& t = impl->t;
  t = {impl->store->table("versions"), impl->store->table("instances"),
       impl->store->table("journal"),  impl->store->table("outbox"),
       impl->store->table("timers"),   impl->store->table("audit"),
       impl->store->table("names"),    impl->store->table("sequences")};
  if (options.use_jit) {
    jit::JitOptions jo;
    if (!options.compiler_version.empty()) {
      jo.cache_dir = options.data_dir / "jit-cache";
      jo.compiler_version = options.compiler_version;
    }
    std::string error;
    impl->jit = jit::Jit::create(jo, &error);
    if (!impl->jit) {
      *status = store::Status::error(store::Status::Code::kIOError, "the JIT: " + error);
      return nullptr;
    }
  }
  std::map<std::string, VersionRow> stored;  // the versions instances are pinned to
  *status = impl->store->read([&](const store::ReadTxn& txn) -> store::Status {
    store::Status bad;
    txn.scan(t.instances, "", [&](std::string_view key, std::string_view value) {
      auto row = decode_instance(value);
      if (!row) {
        bad = corruption("instance row " + std::to_string(store::u64_of_key(key)) +
                         " does not decode");
        return false;
      }
      Instance inst;
      inst.row = std::move(*row);
      impl->instances.emplace(store::u64_of_key(key), std::move(inst));
      return true;
    });
    if (!bad.is_ok()) return bad;
    for (const auto& [id, inst] : impl->instances) {
      if (stored.count(inst.row.version)) continue;
      auto bytes = txn.get(t.versions, inst.row.version);
      auto row = bytes ? decode_version(*bytes) : std::nullopt;
      if (!row) {
        return corruption("instance " + std::to_string(id) + " is pinned to version " +
                          inst.row.version + ", which is not stored (or does not decode)");
      }
      stored.emplace(inst.row.version, std::move(*row));
    }
    txn.scan(t.timers, "", [&](std::string_view key, std::string_view value) {
      if (auto row = decode_timer(value)) impl->timers.emplace(std::string(key), *row);
      return true;
    });
    txn.scan(t.names, "h", [&](std::string_view key, std::string_view value) {
      if (key.empty() || key[0] != 'h') return false;
      auto handle = static_cast<std::int64_t>(store::u64_of_key(key, 1));
      impl->names.emplace(std::string(value), handle);
      impl->texts.emplace(handle, std::string(value));
      impl->next_name = std::max<std::uint64_t>(impl->next_name, handle + 1);
      return true;
    });
    impl->next_instance = next_after_last(txn, t.instances);
    impl->next_audit = next_after_last(txn, t.audit);
    impl->next_journal = next_after_last(txn, t.journal);
    impl->next_outbox = next_after_last(txn, t.outbox);
    if (auto seq = txn.get(t.sequences, "outbox")) {
      impl->next_outbox = std::max(impl->next_outbox, store::u64_of_key(*seq));
    }
    txn.scan(t.outbox, "", [&](std::string_view key, std::string_view) {
      impl->offer_from = store::u64_of_key(key);
      return false;
    });
    if (txn.count(t.outbox) == 0) impl->offer_from = impl->next_outbox;
    impl->committed_end = impl->next_outbox;
    return store::Status::ok();
  });
  if (!status->is_ok()) return nullptr;
  *status = impl->load_pinned_versions(stored);
  if (!status->is_ok()) return nullptr;
  std::unique_ptr<Engine> engine(new Engine(std::move(impl)));
  Impl* i = engine->impl_.get();
  i->committer = std::thread([i] { i->run_committer(); });
  i->dispatcher = std::thread([i] { i->run_dispatcher(); });
  if (options.start_timers) i->timer = std::thread([i] { i->run_timers(); });
  return engine;
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Engine::~Engine() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->work_cv.notify_all();
  impl_->dispatch_cv.notify_all();
  impl_->timer_cv.notify_all();
  for (std::thread* th : {&impl_->committer, &impl_->dispatcher, &impl_->timer}) {
    if (th->joinable()) th->join();
  }
}

// ---- Submitting --------------------------------------------------------------------

std::future<StartOutcome> Engine::start(StartRequest request) {
  Work work;
  work.kind = Work::Kind::kStart;
  work.start = std::move(request);
  std::future<StartOutcome> future = work.started.emplace().get_future();
  {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back(std::move(work));
  }
  impl_->work_cv.notify_one();
  return future;
}

std::future<Outcome> Engine::Impl::enqueue_event(EventRequest request) {
  Work work;
  work.kind = Work::Kind::kEvent;
  work.event = std::move(request);
  std::future<Outcome> future = work.done.emplace().get_future();
  {
    std::lock_guard lock(mu);
    queue.push_back(std::move(work));
  }
  work_cv.notify_one();
  return future;
}

std::future<Outcome> Engine::submit(EventRequest request) {
  return impl_->enqueue_event(std::move(request));
}

std::vector<std::future<Outcome>> Engine::submit_all(std::vector<EventRequest> requests) {
  std::vector<std::future<Outcome>> futures;
  {
    std::lock_guard lock(impl_->mu);
    for (EventRequest& request : requests) {
      Work work;
      work.kind = Work::Kind::kEvent;
      work.event = std::move(request);
      futures.push_back(work.done.emplace().get_future());
      impl_->queue.push_back(std::move(work));
    }
  }
  impl_->work_cv.notify_one();
  return futures;
}

std::future<Outcome> Engine::correct(InstanceId id, std::uint64_t transition, std::string actor,
                                     std::string detail) {
  Work work;
  work.kind = Work::Kind::kCorrect;
  work.event.instance = id;
  work.event.actor = std::move(actor);
  work.event.note = std::move(detail);
  work.transition = transition;
  std::future<Outcome> future = work.done.emplace().get_future();
  {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back(std::move(work));
  }
  impl_->work_cv.notify_one();
  return future;
}

std::int64_t Engine::name_handle(std::string_view text) {
  {
    std::shared_lock lock(impl_->state_mutex);
    auto found = impl_->names.find(std::string(text));
    if (found != impl_->names.end()) return found->second;
  }
  Work work;
  work.kind = Work::Kind::kName;
  work.text = std::string(text);
  std::future<std::int64_t> future = work.named.emplace().get_future();
  {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back(std::move(work));
  }
  impl_->work_cv.notify_one();
  return future.get();
}

std::optional<std::string> Engine::name_text(std::int64_t handle) const {
  std::shared_lock lock(impl_->state_mutex);
  auto found = impl_->texts.find(handle);
  if (found == impl_->texts.end()) return std::nullopt;
  return found->second;
}

void Engine::set_sink(EffectSink* sink) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->sink = sink;
  }
  impl_->dispatch_cv.notify_all();
}

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
