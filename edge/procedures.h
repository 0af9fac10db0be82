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
// HTTP (JSON in and out; errors {"error": "..."} in the operator's words):
//   GET  /v1/procedures                 the published procedures and their parameters
//   POST /v1/procedures/NAME/start      {"args":{"lot":"L-1",...},"actor":"..."} -> 201
//   GET  /v1/instances[?open=true], /v1/instances/N   phase, transitions, the open task
//   POST /v1/instances/N/answer         {"answer":"950 cP","actor":"...","transition":T}
//   POST /v1/instances/N/hold|restart|abort   {"actor":"...","reason":"..."}
// Answers: 200 applied; 400 not understood (what to type); 404 no such procedure or
// instance; 409 refused, or stale (the task changed); 422 a run-time fault; 500 the
// engine could not commit.
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

#include "runtime/console/operator_console.h"
#include "runtime/workflow/engine.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

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

  // The routes above. The server must be stopped before this object is destroyed.
  void register_routes(httplib::Server& server);

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
  void answer(const httplib::Request& req, httplib::Response& res);
  void control(const httplib::Request& req, httplib::Response& res);
  bool poll_audit();  // one batch; false when nothing was left or it failed
  void run_auditor();
  std::string procedure_of(workflow::InstanceId id);
  void note_error(const std::string& error);

  std::unique_ptr<workflow::Engine> engine_;
  std::string version_;
  Collector& collector_;
  bool simulate_;
  console::EngineNames names_;

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
