// Compile latency with the JIT's object cache (compiler/jit/object_cache.h) warm:
//
//   BM_CompileLatency/cached  check + specialize + lower + Jit::add one template-plant
//               pair, in pairs per second, as BM_CompileLatency/cold (jit_bench.cpp) does
//               but with the pair's object already in the cache directory (stored by one
//               add before the timed loop): every timed add reads the entry from disk and
//               links it, as after a restart, without optimization or code generation.
//
// The summary prints the ratio to BM_CompileLatency/cold when both ran:
//
//   build/tests/gemba_bench --benchmark_filter='BM_CompileLatency'
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "compiler/jit/jit.h"
#include "tests/bench/bench_program.h"
#include "tests/bench/summary.h"
#include "tests/support/temp_dir.h"

namespace {

const gemba::bench::Files& sources() { return gemba::bench::jit_bench_sources(); }

const gemba::driver::CheckOptions& lowering_options() {
  static const gemba::driver::CheckOptions options = [] {
    gemba::driver::CheckOptions o;
    o.plant_paths = {"plants"};
    o.lower = true;
    return o;
  }();
  return options;
}

// This thread's CPU time, in seconds (what the table's CPU column measures).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// One pair through the whole pipeline: adds `seconds` of CPU time to the front end and
// lowering, and to Jit::add; the module is removed again. False (with `*error`) if the
// pair does not lower to one module or does not compile.
bool compile_pair(gemba::jit::Jit& jit, double* lower_s, double* jit_s, std::size_t* functions,
                  std::string* error) {
  double start = cpu_seconds();
  gemba::driver::CheckRun run = gemba::driver::check_sources(sources(), lowering_options());
  *lower_s += cpu_seconds() - start;
  if (run.lowered.size() != 1) {
    *error = "the pair was not lowered";
    return false;
  }
  *functions = run.lowered[0].module.functions.size();
  start = cpu_seconds();
  std::optional<gemba::jit::ModuleHandle> handle = jit.add(run.lowered[0].module, error);
  *jit_s += cpu_seconds() - start;
  return handle && jit.remove(*handle, error);
}

void BM_CompileLatencyCached(benchmark::State& state) {
  gemba::testing::TempDir dir;
  gemba::jit::JitOptions options;
  options.cache_dir = dir.path() / "cache";
  options.compiler_version = "bench";
  std::string error;
  std::unique_ptr<gemba::jit::Jit> jit = gemba::jit::Jit::create(options, &error);
  double lower_s = 0;
  double jit_s = 0;
  std::size_t functions = 0;
  if (!jit || !compile_pair(*jit, &lower_s, &jit_s, &functions, &error)) {  // warms the cache
    std::fprintf(stderr, "compile_cache_bench: %s\n", error.c_str());
    state.SkipWithError("the pair did not compile");
    return;
  }
  lower_s = jit_s = 0;
  for (auto _ : state) {
    if (!compile_pair(*jit, &lower_s, &jit_s, &functions, &error)) {
      std::fprintf(stderr, "compile_cache_bench: %s\n", error.c_str());
      state.SkipWithError("the pair did not compile");
      return;
    }
  }
  const gemba::jit::CacheStats& stats = jit->cache_stats();
  if (stats.misses != 1 || stats.hits != static_cast<std::uint64_t>(state.iterations())) {
    std::fprintf(stderr, "compile_cache_bench: %llu hits, %llu misses (%s; %s)\n",
                 static_cast<unsigned long long>(stats.hits),
                 static_cast<unsigned long long>(stats.misses), stats.last_rejection.c_str(),
                 stats.last_write_failure.c_str());
    state.SkipWithError("not every timed add was a cache hit");
  }
  const double n = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["functions"] = static_cast<double>(functions);
  state.counters["lower_ms"] = 1e3 * lower_s / n;
  state.counters["jit_ms"] = 1e3 * jit_s / n;
}
BENCHMARK(BM_CompileLatencyCached)
    ->Name("BM_CompileLatency/cached")
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// ---- summary -------------------------------------------------------------------------

// A counter of `run`; registered names have no arguments, so the key may end in '/'.
double value(const gemba::bench::Counters& counters, const std::string& run,
             const std::string& name) {
  const double v = gemba::bench::counter(counters, run, name);
  return v > 0 ? v : gemba::bench::counter(counters, run + "/", name);
}

void print_summary(const gemba::bench::Counters& counters) {
  const std::string cached_run = "BM_CompileLatency/cached";
  const std::string cold_run = "BM_CompileLatency/cold";
  const double cached = value(counters, cached_run, "items_per_second");
  if (cached <= 0) return;
  const double cached_jit = value(counters, cached_run, "jit_ms");
  std::printf(
      "compile latency (cached): %.1f pairs/s, %.2f ms per template-plant pair "
      "(front end and lowering %.2f ms, Jit::add %.2f ms)\n",
      cached, 1e3 / cached, value(counters, cached_run, "lower_ms"), cached_jit);
  const double cold = value(counters, cold_run, "items_per_second");
  if (cold <= 0) {
    std::printf("  cold/cached: %s not run\n", cold_run.c_str());
    return;
  }
  const double cold_jit = value(counters, cold_run, "jit_ms");
  std::printf("  cold/cached time ratio: %.1f x per pair, %.1f x for Jit::add (%.2f ms cold)\n",
              cached / cold, cached_jit > 0 ? cold_jit / cached_jit : 0.0, cold_jit);
}

const bool registered_summary = gemba::bench::register_summary(&print_summary);

}  // namespace
