#include "edge/procedures.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "edge/collector.h"
#include "edge/procedure_records.h"
#include "edge/status_api.h"
#include "runtime/wire/batch.h"

namespace gemba::edge {
namespace {

using Json = nlohmann::json;
using lower::PointKind;

constexpr char kEffectsCursor[] = "procedure:effects";
constexpr char kAuditCursor[] = "procedure:audit";
constexpr auto kAuditPoll = std::chrono::milliseconds(200);
constexpr std::size_t kAuditBatch = 500;  // rows per append
// Polls an audit row may wait for its instance to appear in the engine's views (the
// row is durable a moment before they are updated) before it is recorded without it.
constexpr int kUnknownInstancePolls = 50;

}  // namespace

// ---- Lifetime ----------------------------------------------------------------------

std::unique_ptr<EdgeProcedures> EdgeProcedures::open(const workflow::TemplateVersion& version,
                                                     const std::filesystem::path& engine_dir,
                                                     Collector& collector,
                                                     const std::string& compiler_version,
                                                     bool simulate_equipment, std::string* error) {
  workflow::EngineOptions options;
  options.data_dir = engine_dir;
  options.compiler_version = compiler_version;
  store::Status status;
  std::unique_ptr<workflow::Engine> engine = workflow::Engine::open(options, &status);
  if (!engine) {
    *error = "cannot open the procedures' data in " + engine_dir.string() + ": " + status.message();
    return nullptr;
  }
  std::string why;
  std::optional<std::string> hash = engine->publish(version, &why);
  if (!hash) {
    *error = "cannot load the procedures of plant " + version.plant + ": " + why;
    return nullptr;
  }
  std::unique_ptr<EdgeProcedures> p(
      new EdgeProcedures(std::move(engine), *hash, collector, simulate_equipment));
  p->engine_->set_sink(p.get());
  p->auditor_ = std::thread([raw = p.get()] { raw->run_auditor(); });
  return p;
}

EdgeProcedures::EdgeProcedures(std::unique_ptr<workflow::Engine> engine, std::string version,
                               Collector& collector, bool simulate_equipment)
    : engine_(std::move(engine)),
      version_(std::move(version)),
      collector_(collector),
      simulate_(simulate_equipment),
      names_(*engine_),
      api_(*engine_, version_, simulate_) {
  parse_u64(collector_.cursor(kEffectsCursor), &effects_done_);
  parse_u64(collector_.cursor(kAuditCursor), &audit_done_);
}

EdgeProcedures::~EdgeProcedures() {
  stop();
  // Joins the engine's threads while this sink is still whole: a delivery in flight
  // returns false (stopping) and stays in the engine's outbox for the next run.
  engine_.reset();
}

void EdgeProcedures::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true)) return;
  }
  wake_.notify_all();
  if (auditor_.joinable()) auditor_.join();
}

void EdgeProcedures::note_error(const std::string& error) {
  std::lock_guard lock(mutex_);
  last_error_ = error;
}

nlohmann::json EdgeProcedures::status() const {
  std::size_t open = 0;
  for (const workflow::InstanceView& view : engine_->instances()) {
    if (view.phase != workflow::Phase::kComplete && view.phase != workflow::Phase::kAborted) ++open;
  }
  std::lock_guard lock(mutex_);
  return {{"version", version_.substr(0, 12)},
          {"procedures", engine_->procedures(version_)},
          {"instances_open", open},
          {"effects_recorded", effects_recorded_.load()},
          {"effects_redelivered", effects_redelivered_.load()},
          {"audit_recorded", audit_recorded_.load()},
          {"last_error", last_error_}};
}

// ---- Effects -----------------------------------------------------------------------

bool EdgeProcedures::deliver(const workflow::OutboxEffect& effect) {
  std::lock_guard lock(deliver_mutex_);
  if (stopping_) return false;
  bool command = effect.point->kind == PointKind::kCommand;
  if (effect.sequence <= effects_done_) {
    // Recorded before a crash left the engine's row in place: no second record.
    ++effects_redelivered_;
    if (simulate_ && command) complete_command(effect, true);
    return true;
  }
  std::vector<wire::Record> records{effect_record(effect, &names_)};
  if (std::string problem = wire::record_problem(records[0]); !problem.empty()) {
    // Kept, the record would be refused by the center for ever: it is left out, said.
    note_error("effect " + workflow::to_string(effect.key) + " not recorded: " + problem);
    records.clear();
  }
  Cursor cursor{kEffectsCursor, std::to_string(effect.sequence)};
  std::size_t count = records.size();
  std::string error;
  if (!collector_.append(std::move(records), &cursor, &error)) {
    if (!error.empty()) note_error(error);
    return false;  // stopping: the engine offers it again
  }
  effects_done_ = effect.sequence;
  effects_recorded_ += count;
  if (simulate_ && command) complete_command(effect, false);
  return true;
}

void EdgeProcedures::complete_command(const workflow::OutboxEffect& effect, bool redelivered) {
  if (redelivered) {
    // After a restart the command may be done already: complete only an open one, so
    // that no stale completion is refused into the audit trail.
    std::optional<workflow::InstanceView> view = engine_->instance(effect.key.instance);
    if (!view || !view->task || view->task->key.transition != effect.key.transition ||
        view->task->point->kind != PointKind::kCommand) {
      return;
    }
  }
  workflow::EventRequest done;
  done.instance = effect.key.instance;
  done.kind = lower::EventKind::kDone;
  done.expect_transition = effect.key.transition;  // a repeated completion is stale
  done.actor = "equipment (simulated)";
  engine_->submit(std::move(done));
}

// ---- Audit -------------------------------------------------------------------------

void EdgeProcedures::run_auditor() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    while (poll_audit()) {
    }
    lock.lock();
    wake_.wait_for(lock, kAuditPoll, [&] { return stopping_.load(); });
  }
  lock.unlock();
  while (poll_audit()) {  // what the last moments added, while the collector takes it
  }
}

std::string EdgeProcedures::procedure_of(workflow::InstanceId id) {
  auto found = procedures_.find(id);
  if (found != procedures_.end()) return found->second;
  std::optional<workflow::InstanceView> view = engine_->instance(id);
  if (!view) return "";
  return procedures_[id] = view->procedure;
}

bool EdgeProcedures::poll_audit() {
  std::vector<workflow::AuditEntry> rows = engine_->audit(audit_done_ + 1);
  std::vector<wire::Record> records;
  std::uint64_t last = audit_done_;
  for (std::size_t k = 0; k < rows.size() && k < kAuditBatch; ++k) {
    const workflow::AuditEntry& row = rows[k];
    std::string procedure = procedure_of(row.instance);
    if (procedure.empty()) {
      if (++unknown_polls_ < kUnknownInstancePolls) break;  // its views come a moment later
      procedure = "instance";
    }
    unknown_polls_ = 0;
    wire::Record r = audit_record(row, procedure);
    if (std::string problem = wire::record_problem(r); !problem.empty()) {
      note_error("audit row " + std::to_string(row.sequence) + " not recorded: " + problem);
    } else {
      records.push_back(std::move(r));
    }
    last = row.sequence;
  }
  if (last == audit_done_) return false;
  std::size_t count = records.size();
  Cursor cursor{kAuditCursor, std::to_string(last)};
  std::string error;
  if (!collector_.append(std::move(records), &cursor, &error)) {
    if (!error.empty()) note_error(error);
    return false;
  }
  audit_done_ = last;
  audit_recorded_ += count;
  return rows.size() > kAuditBatch;
}

}  // namespace gemba::edge
