#include "runtime/workflow/engine.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "runtime/workflow/engine_impl.h"

namespace gemba::workflow {
namespace {

constexpr const char* kApplication = "gemba-runtime";
constexpr std::uint32_t kFormatVersion = 1;
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

}  // namespace gemba::workflow
