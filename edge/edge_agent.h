// The edge agent: one plant's collection, outbox, forwarding and status, composed.
// `gemba edge` is a thin command around it; tests run it in-process too.
//
// Data directory layout: DIR/outbox (the outbox store, edge/FORMAT.md), DIR/engine (the
// durable workflow engine running operators' procedures, runtime/workflow/FORMAT.md),
// DIR/jit (the compiled-object cache).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "edge/sources/source.h"

namespace gemba::edge {

struct EdgeOptions {
  std::vector<std::string> inputs;  // templates and the modules or folders they need
  std::string plant;
  std::vector<std::string> plant_paths;
  std::vector<std::string> include_dirs;
  std::string center;  // empty: collect and keep, do not forward
  std::string token;
  std::string ca_file;
  std::string data_dir;
  std::string listen;  // HOST:PORT of the status endpoint; empty: none
  ConnectMap connect;
  bool simulate = false;
  std::uint64_t seed = 1;
  double sim_speed = 1;            // 0: as fast as the outbox takes
  std::int64_t sim_duration_us = 0;  // 0: forever
  std::int64_t sim_start_us = 0;     // 0: now
  std::vector<std::string> replay;
  bool live = true;  // false: only the replay files (and the simulator, when simulate)
  std::uint64_t quota_bytes = std::uint64_t{1} << 30;
  std::size_t batch_records = 5000;  // per batch to the center
  std::string compiler_version;  // for the JIT cache key
};

class EdgeAgent {
 public:
  // Compiles the plant's collect rules, opens the outbox and makes the sources; null and
  // `*error` on failure, with `*program_error` true when the templates have errors.
  static std::unique_ptr<EdgeAgent> open(const EdgeOptions& options, std::string* error,
                                         bool* program_error);
  ~EdgeAgent();  // stops

  // Starts the sources, the forwarder and the status endpoint; false and `*error` when
  // the endpoint cannot listen.
  bool start(std::string* error);
  // Stops the sources first (their offers end), then the collector and the forwarder.
  void stop();

  std::string address() const;  // HOST:PORT the status endpoint listens on
  // Every finite source finished and, when forwarding, the outbox is empty (all
  // acknowledged).
  bool drained() const;
  nlohmann::json status() const;  // what GET /v1/status answers

 private:
  struct Impl;
  explicit EdgeAgent(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gemba::edge
