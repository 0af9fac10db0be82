// Operators' procedures run at the edge: the durable workflow engine
// (runtime/workflow/engine.h) on the edge's disk, driven over HTTP by operator
// stations, its records sent to the center through the edge's outbox (the Collector).
//
// Records (formats: procedure_records.h), exactly once across restarts:
//   - every effect the engine delivers becomes one record, committed with the cursor
//     `procedure:effects` = the effect's outbox sequence; a redelivered effect at or
//     below it is accepted without a record. deliver() accepts an effect only once its
//     record is durable.
//   - every audit row becomes one record, appended by a poller every ~200 ms in batches,
//     committed with the cursor `procedure:audit` = the last row's sequence.
//
// Equipment commands: with `simulate_equipment` a simulated controller completes each
// one when it is delivered (actor "equipment (simulated)"); without, a command stays
// open until an operator answers it `done`.
//
// Operator stations drive it over HTTP: operator_api.h.
//
// Shutdown: stop the HTTP server, then the Collector, then destroy this object. A
// delivery waits while the outbox is over its quota; stopping the collector first ends
// that wait (what was not recorded stays with the engine for the next run).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "edge/operator_api.h"
#include "runtime/console/operator_console.h"
#include "runtime/workflow/engine.h"

namespace gemba::edge {

class Collector;

class EdgeProcedures final : public workflow::EffectSink {
 public:
  // Opens the engine in `engine_dir`, publishes `version` (one without procedures gives
  // an empty list), becomes the engine's sink and starts the audit poller. Null and
  // `*error` when the engine or the version cannot be loaded. `collector` must outlive
  // the result.
  static std::unique_ptr<EdgeProcedures> open(const workflow::TemplateVersion& version,
                                              const std::filesystem::path& engine_dir,
                                              Collector& collector,
                                              const std::string& compiler_version,
                                              bool simulate_equipment, std::string* error);
  ~EdgeProcedures() override;  // stops, then closes the engine
  EdgeProcedures(const EdgeProcedures&) = delete;
  EdgeProcedures& operator=(const EdgeProcedures&) = delete;

  // The operators' routes (operator_api.h). The server must be stopped before this
  // object is destroyed.
  void register_routes(httplib::Server& server) { api_.register_routes(server); }

  // Stops the audit poller after a last poll, and refuses further effects (the engine
  // keeps them for the next run); idempotent.
  void stop();

  // {"version","procedures","instances_open","effects_recorded","effects_redelivered",
  //  "audit_recorded","last_error"}
  nlohmann::json status() const;

  bool deliver(const workflow::OutboxEffect& effect) override;  // the engine's dispatcher

  workflow::Engine& engine() { return *engine_; }
  const std::string& version() const { return version_; }

 private:
  EdgeProcedures(std::unique_ptr<workflow::Engine> engine, std::string version,
                 Collector& collector, bool simulate_equipment);

  void complete_command(const workflow::OutboxEffect& effect, bool redelivered);
  bool poll_audit();  // one batch; false when nothing was left or it failed
  void run_auditor();
  std::string procedure_of(workflow::InstanceId id);
  void note_error(const std::string& error);

  std::unique_ptr<workflow::Engine> engine_;
  std::string version_;
  Collector& collector_;
  bool simulate_;
  console::EngineNames names_;
  OperatorApi api_;

  std::mutex deliver_mutex_;        // one delivery at a time; guards effects_done_
  std::uint64_t effects_done_ = 0;  // `procedure:effects`
  std::uint64_t audit_done_ = 0;    // the poller's only: `procedure:audit`
  std::map<workflow::InstanceId, std::string> procedures_;  // the poller's cache
  int unknown_polls_ = 0;  // the poller's: polls its next row's instance was not yet seen

  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> effects_recorded_{0}, effects_redelivered_{0}, audit_recorded_{0};
  mutable std::mutex mutex_;  // guards last_error_, wake_
  std::condition_variable wake_;
  std::string last_error_;
  std::thread auditor_;
};

}  // namespace gemba::edge
