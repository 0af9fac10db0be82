// Resuming after a restart: how long the durable runtime (runtime/workflow/engine.h)
// takes to come back with many live instances, against the time LMDB takes merely to
// read their rows.
//
//   BM_Resume_Instances/N  untimed: a data directory with N live instances of the
//                     Readings procedure (durable_rows.h), started through the Engine
//                     kStartWindow at a time (group commit), the sink accepting every
//                     effect, drained, the engine closed. Timed, per iteration:
//                     Engine::open (the store, every instance row decoded and cached,
//                     the version compiled from its stored sources with the JIT's object
//                     cache warm, the threads started) and the first event applied (an
//                     answer to one instance's open ask, committed durably). Closing is
//                     not timed (manual time).
//
// Counters: build_s and build_per_s, the untimed build (the starts, queued many at a
// time, until the outbox is drained); scan_s, the baseline: a raw LMDB read transaction
// on the same data.mdb (opened read-only after the engine closed, the page cache as warm
// as for the engine) and a cursor over every row of `instances`, measured after each
// resume and averaged; decode_s, the same scan decoding every row (records.h);
// compile_s, the version compiled from its sources without the JIT
// (template_version.h). items_per_second: instances resumed per second. The summary
// prints them, and resume / scan.
//
//   build/tests/gemba_bench --benchmark_filter=BM_Resume_Instances
#include <benchmark/benchmark.h>
#include <lmdb.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/workflow/engine.h"
#include "runtime/workflow/records.h"
#include "runtime/workflow/template_version.h"
#include "tests/bench/durable_rows.h"
#include "tests/bench/summary.h"
#include "tests/support/temp_dir.h"

namespace {

namespace durable = gemba::bench::durable;
namespace workflow = gemba::workflow;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kInstances = 100'000;
// Starts queued before the first of them is awaited: several full transactions.
constexpr std::size_t kStartWindow = 8192;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class AcceptAll final : public workflow::EffectSink {
 public:
  bool deliver(const workflow::OutboxEffect&) override { return true; }
};

workflow::EngineOptions engine_options(const std::filesystem::path& dir) {
  workflow::EngineOptions options;
  options.data_dir = dir;
  options.use_jit = true;
  options.compiler_version = "bench";  // the JIT's object cache, under dir/jit-cache
  options.start_timers = false;
  return options;
}

std::unique_ptr<workflow::Engine> open_engine(const std::filesystem::path& dir,
                                              std::string* error) {
  gemba::store::Status status;
  std::unique_ptr<workflow::Engine> engine = workflow::Engine::open(engine_options(dir), &status);
  if (!engine) *error = "Engine::open: " + status.message();
  return engine;
}

// Fills `dir` with `count` live Readings instances and closes the engine; their ids in
// `ids`, and in `seconds` the time from the first start queued to the outbox drained.
bool build(const std::filesystem::path& dir, std::size_t count,
           std::vector<workflow::InstanceId>* ids, double* seconds, std::string* error) {
  std::unique_ptr<workflow::Engine> engine = open_engine(dir, error);
  if (!engine) return false;
  std::optional<std::string> version = engine->publish(durable::readings_version(), error);
  if (!version) return false;
  AcceptAll sink;
  engine->set_sink(&sink);
  const Clock::time_point start = Clock::now();
  std::vector<std::future<workflow::StartOutcome>> window;
  while (ids->size() < count) {
    window.clear();
    for (std::size_t k = ids->size(); k < count && window.size() < kStartWindow; ++k) {
      workflow::StartRequest request;
      request.version = *version;
      request.procedure = "Readings";
      request.args = {gemba::lower::Scalar{.i = durable::kReadingsCount}};
      request.actor = durable::kActor;
      window.push_back(engine->start(std::move(request)));
    }
    for (auto& future : window) {
      workflow::StartOutcome out = future.get();
      if (out.outcome.result != workflow::Outcome::Result::kApplied ||
          out.outcome.transition != 1) {
        *error = std::string("start: ") + workflow::spelling(out.outcome.result) + ": " +
                 out.outcome.message;
        return false;
      }
      ids->push_back(out.instance);
    }
  }
  engine->drain();
  *seconds = seconds_since(start);
  return true;
}

// Answers the ask `instance` opened at its start.
bool first_event(workflow::Engine& engine, workflow::InstanceId instance, std::string* error) {
  workflow::EventRequest request;
  request.instance = instance;
  request.kind = gemba::lower::EventKind::kDone;
  request.value = gemba::lower::Scalar{.r = 20.5};
  request.expect_transition = 1;
  request.actor = durable::kActor;
  request.note = "20.5";
  workflow::Outcome out = engine.submit(std::move(request)).get();
  if (out.result == workflow::Outcome::Result::kApplied) return true;
  *error = std::string("first event: ") + workflow::spelling(out.result) + ": " + out.message;
  return false;
}

// After the resume: the first and last instances are loaded and wait in their ask.
bool resumed_all(const workflow::Engine& engine, const std::vector<workflow::InstanceId>& ids,
                 std::string* error) {
  for (workflow::InstanceId id : {ids.front(), ids.back()}) {
    std::optional<workflow::InstanceView> view = engine.instance(id);
    if (!view || view->phase != workflow::Phase::kRunning || !view->task) {
      *error = "instance " + std::to_string(id) + " is not resumed waiting in its ask";
      return false;
    }
  }
  return true;
}

bool lmdb_ok(int rc, const char* what, std::string* error) {
  if (rc == MDB_SUCCESS) return true;
  *error = std::string("lmdb ") + what + ": " + mdb_strerror(rc);
  return false;
}

// The baseline: opens the closed engine's data.mdb read-only and reads every row of
// `instances` with a cursor (decoding each when `decode`); the rows in `*rows`.
bool scan_instances(const std::filesystem::path& dir, bool decode, std::uint64_t* rows,
                    std::string* error) {
  MDB_env* env = nullptr;
  if (!lmdb_ok(mdb_env_create(&env), "env_create", error)) return false;
  std::unique_ptr<MDB_env, void (*)(MDB_env*)> closing(env, mdb_env_close);
  MDB_txn* txn = nullptr;
  MDB_dbi dbi = 0;
  MDB_cursor* cursor = nullptr;
  if (!lmdb_ok(mdb_env_set_maxdbs(env, 64), "set_maxdbs", error) ||
      !lmdb_ok(mdb_env_open(env, dir.c_str(), MDB_RDONLY, 0644), "env_open", error) ||
      !lmdb_ok(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), "txn_begin", error)) {
    return false;
  }
  std::unique_ptr<MDB_txn, void (*)(MDB_txn*)> aborting(txn, mdb_txn_abort);
  if (!lmdb_ok(mdb_dbi_open(txn, "instances", 0, &dbi), "dbi_open", error) ||
      !lmdb_ok(mdb_cursor_open(txn, dbi, &cursor), "cursor_open", error)) {
    return false;
  }
  std::unique_ptr<MDB_cursor, void (*)(MDB_cursor*)> closing_cursor(cursor, mdb_cursor_close);
  MDB_val key{}, value{};
  std::uint64_t seen = 0, checksum = 0;
  for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
    const std::string_view bytes(static_cast<const char*>(value.mv_data), value.mv_size);
    if (decode) {
      std::optional<workflow::InstanceRow> row = workflow::decode_instance(bytes);
      if (!row) {
        *error = "an instance row does not decode";
        return false;
      }
      checksum += row->transitions;
    } else {
      checksum += static_cast<unsigned char>(bytes.back());  // touch the row's last page
    }
    ++seen;
  }
  benchmark::DoNotOptimize(checksum);
  *rows = seen;
  return true;
}

// Times one scan_instances; negative on failure.
double timed_scan(const std::filesystem::path& dir, bool decode, std::uint64_t expected,
                  std::string* error) {
  std::uint64_t rows = 0;
  const Clock::time_point start = Clock::now();
  if (!scan_instances(dir, decode, &rows, error)) return -1;
  const double seconds = seconds_since(start);
  if (rows == expected) return seconds;
  *error = "the scan read " + std::to_string(rows) + " instance rows, expected " +
           std::to_string(expected);
  return -1;
}

void BM_Resume_Instances(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  gemba::testing::TempDir dir;
  std::string error;
  std::vector<workflow::InstanceId> ids;
  double build_s = 0;
  if (!build(dir.path(), count, &ids, &build_s, &error)) {
    state.SkipWithError(error.c_str());
    return;
  }

  double scan_s = 0;
  std::size_t resumed = 0;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    std::unique_ptr<workflow::Engine> engine = open_engine(dir.path(), &error);
    if (!engine || !first_event(*engine, ids[resumed], &error)) break;
    state.SetIterationTime(seconds_since(start));
    if (!resumed_all(*engine, ids, &error)) break;
    engine.reset();  // the store closes: the raw scan may open it
    ++resumed;
    const double scan = timed_scan(dir.path(), false, count, &error);
    if (scan < 0) break;
    scan_s += scan;
  }
  const double decode_s = error.empty() ? timed_scan(dir.path(), true, count, &error) : -1;
  const Clock::time_point compiling = Clock::now();
  if (error.empty() && !workflow::compile_version(durable::readings_version(), &error)) {
    error = "compile_version: " + error;
  }
  const double compile_s = seconds_since(compiling);
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(count * resumed));
  state.counters["build_s"] = build_s;
  state.counters["build_per_s"] = static_cast<double>(count) / build_s;
  state.counters["scan_s"] = scan_s / static_cast<double>(resumed);
  state.counters["decode_s"] = decode_s;
  state.counters["compile_s"] = compile_s;
}

BENCHMARK(BM_Resume_Instances)
    ->Arg(kInstances)
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// ---- summary -----------------------------------------------------------------------

void print_summary(const gemba::bench::Counters& counters) {
  const std::string run = "BM_Resume_Instances/" + std::to_string(kInstances);
  auto value = [&](const char* name) { return gemba::bench::counter(counters, run, name); };
  const double rate = value("items_per_second");
  if (rate <= 0) return;
  const double resume_s = static_cast<double>(kInstances) / rate;
  const double scan_s = value("scan_s");
  std::printf("BM_Resume_Instances: %lld live instances\n", static_cast<long long>(kInstances));
  std::printf("  build (starts through the engine): %.2f s, %.0f starts/s\n", value("build_s"),
              value("build_per_s"));
  std::printf("  resume (Engine::open + first event): %.3f s, %.0f instances/s\n", resume_s, rate);
  std::printf("  raw LMDB scan of `instances`: %.4f s; resume / scan: %.1fx\n", scan_s,
              scan_s > 0 ? resume_s / scan_s : 0.0);
  std::printf("  of the resume: scan + decode %.4f s, compile the version (no JIT) %.3f s\n",
              value("decode_s"), value("compile_s"));
}

const bool registered_summary = gemba::bench::register_summary(&print_summary);

}  // namespace
