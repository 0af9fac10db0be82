// Executing lowered functions: the JIT (compiler/jit/) against the reference interpreter
// (compiler/interp/), the same formula in muParser, and the same computation written by
// hand in C++, in items per second.
//
//   BM_Limit/*  a limit check with its unit conversion, over 10 M raw readings in degF:
//               `0 degF + raw * 1 delta degF in 60 degC .. 70 degC` (the conversion to
//               kelvin is part of every variant's measured work).
//   BM_OEE/*    the ISO 22400 OEE, availability * performance * quality, over 1 M shift
//               records (durations in s, the lowered form's base unit; counts as reals).
//   BM_CompileLatency/cold  check + specialize + lower + JIT-compile one template-plant
//               pair, in pairs per second (a Jit without the object cache).
//
// /jit and /interp run the lowered function through the batch ABI
// (lower::BatchEntryPoint, with the run-time checks of compiler/lower/README.md) over
// blocks of kBlock items into a reused results buffer, then count or sum the block.
// /muparser uses muParser's bulk mode, its fastest documented way of evaluating one
// formula over many items: variables bound with DefineVar to whole arrays (one array per
// variable, made once outside the timed loop, since bulk mode reads `variable + item`),
// one `Eval(results, n)` call over all items, then the same count or sum. Debian builds
// muParser with OpenMP, which spreads bulk mode over every core; it is pinned to one
// thread here (omp_set_num_threads(1)), as every other variant runs on one. /native is a
// plain loop over the same arrays, compiled with this build's flags (the build type's
// -O level for baseline x86-64: the C++ compiler may vectorize with SSE2 only, and does
// not reorder the floating-point sum), while the JIT compiles for the host CPU;
// /native_call is the same C++ behind the lowered single-item ABI, called through a
// pointer once per item, which shows the cost of one call per item. All variants must
// agree with /native (count of in-band readings, bit-exact sum of OEE values), else the
// run fails.
//
//   build/tests/gemba_bench --benchmark_filter='BM_Limit|BM_OEE|BM_Compile'
#include <benchmark/benchmark.h>
#include <muParser.h>

#include <dlfcn.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"
#include "compiler/lower/lowered.h"
#include "tests/bench/bench_program.h"
#include "tests/bench/summary.h"

namespace {

using gemba::lower::BatchEntryPoint;
using gemba::lower::EntryPoint;
using gemba::lower::Scalar;

// ---- The program -------------------------------------------------------------------

const gemba::bench::Files& sources() { return gemba::bench::jit_bench_sources(); }

gemba::driver::CheckOptions lowering_options() {
  gemba::driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.lower = true;
  return options;
}

// The lowered module, or the reason it could not be made.
struct Lowered {
  gemba::lower::Module module;
  std::string problem;
};

Lowered lower_once() {
  Lowered out;
  gemba::driver::CheckRun run = gemba::driver::check_sources(sources(), lowering_options());
  if (run.errors() > 0 || run.lowered.size() != 1) {
    out.problem = std::to_string(run.errors()) + " errors, " + std::to_string(run.lowered.size()) +
                  " lowered pairs:\n" + gemba::diag::render_text(run.diagnostics, run.sources);
    return out;
  }
  out.module = std::move(run.lowered[0].module);
  for (const char* name : {"fn_in_band", "fn_oee"}) {
    if (out.module.find(name) == nullptr) {
      out.problem = std::string(name) + " not lowered:\n" + gemba::lower::listing(out.module);
    }
  }
  return out;
}

// The executors, made once (outside every timed loop).
struct Executors {
  std::string problem;
  gemba::lower::Module module;
  std::unique_ptr<gemba::jit::Jit> jit;
  std::unique_ptr<gemba::interp::Interpreter> interp;
  BatchEntryPoint jit_in_band = nullptr;
  BatchEntryPoint jit_oee = nullptr;
  std::size_t interp_in_band = 0;
  std::size_t interp_oee = 0;
};

Executors make_executors() {
  Executors e;
  Lowered lowered = lower_once();
  if (!lowered.problem.empty()) {
    e.problem = lowered.problem;
    return e;
  }
  e.module = std::move(lowered.module);
  e.jit = gemba::jit::Jit::create(&e.problem);
  if (!e.jit) return e;
  std::optional<gemba::jit::ModuleHandle> handle = e.jit->add(e.module, &e.problem);
  if (!handle) return e;
  e.jit_in_band = e.jit->lookup_batch(*handle, "fn_in_band");
  e.jit_oee = e.jit->lookup_batch(*handle, "fn_oee");
  e.interp = std::make_unique<gemba::interp::Interpreter>(e.module);
  e.interp_in_band = *e.interp->find("fn_in_band");
  e.interp_oee = *e.interp->find("fn_oee");
  if (!e.jit_in_band || !e.jit_oee) e.problem = "JIT lookup failed";
  return e;
}

Executors& executors() {
  static Executors e = make_executors();
  return e;
}

// Returns false (and fails the run) when the program could not be built.
bool ready(benchmark::State& state) {
  const Executors& e = executors();
  if (e.problem.empty()) return true;
  std::fprintf(stderr, "jit_bench: %s\n", e.problem.c_str());
  state.SkipWithError("program not lowered or not compiled (details on stderr)");
  return false;
}

// ---- Batches -----------------------------------------------------------------------

// Items per batch call: one block's results stay in the cache until they are folded.
constexpr std::size_t kBlock = 4096;

// Runs `run(records, results, n)` over the records of `in` (`record` scalars each) in
// blocks of kBlock, and `fold(results, n)` on each block's results; false at a fault.
template <typename Run, typename Fold>
bool over_blocks(const std::vector<Scalar>& in, std::size_t record, Run run, Fold fold) {
  std::vector<Scalar> results(kBlock);
  const std::size_t items = in.size() / record;
  for (std::size_t first = 0; first < items; first += kBlock) {
    const std::size_t n = std::min(kBlock, items - first);
    if (run(&in[first * record], results.data(), n) != 0) return false;
    fold(results.data(), n);
  }
  return true;
}

// One block through a JIT batch entry point or the interpreter's; non-zero on a fault.
struct JitBlock {
  BatchEntryPoint fn;
  std::int32_t operator()(const Scalar* args, Scalar* results, std::size_t n) const {
    std::uint64_t item = 0;
    std::uint32_t site = 0;
    return fn(args, results, n, &item, &site);
  }
};

struct InterpBlock {
  const gemba::interp::Interpreter* interp;
  std::size_t function;
  std::int32_t operator()(const Scalar* args, Scalar* results, std::size_t n) const {
    std::uint64_t item = 0;
    std::uint32_t site = 0;
    return static_cast<std::int32_t>(interp->call_batch(function, args, results, n, &item, &site));
  }
};

// ---- muParser in bulk mode ---------------------------------------------------------

// Pins muParser's OpenMP bulk mode to one thread (see the header comment). libgomp is
// loaded with libmuparser; without it (a build without OpenMP) there is nothing to pin.
void pin_muparser_to_one_thread() {
  using SetThreads = void (*)(int);
  static const bool pinned = [] {
    auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
    if (set != nullptr) set(1);
    return set != nullptr;
  }();
  (void)pinned;
}

// Field `field` of every record of `in` (records of `record` scalars): bulk mode binds
// a variable to one array, read at `variable + item`.
std::vector<double> column(const std::vector<Scalar>& in, std::size_t record, std::size_t field) {
  std::vector<double> out(in.size() / record);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = in[i * record + field].r;
  return out;
}

// A formula over the columns of a record array, evaluated in one bulk call.
class BulkFormula {
 public:
  BulkFormula(const std::vector<Scalar>& in, const std::vector<const char*>& names,
              const std::string& formula)
      : results_(in.size() / names.size()) {
    pin_muparser_to_one_thread();
    for (std::size_t f = 0; f < names.size(); ++f) {
      columns_.push_back(column(in, names.size(), f));
      parser_.DefineVar(names[f], columns_.back().data());
    }
    parser_.SetExpr(formula);
  }

  const std::vector<double>& eval() {
    parser_.Eval(results_.data(), static_cast<int>(results_.size()));
    return results_;
  }

 private:
  mu::Parser parser_;
  std::vector<std::vector<double>> columns_;
  std::vector<double> results_;
};

// ---- BM_Limit ----------------------------------------------------------------------

constexpr std::size_t kReadings = 10'000'000;

// Raw oven readings in degF around the band (140 .. 158 degF), generated once.
const std::vector<Scalar>& readings() {
  static const std::vector<Scalar> all = [] {
    std::mt19937_64 rng(22400);
    std::uniform_real_distribution<double> degf(120.0, 180.0);
    std::vector<Scalar> out(kReadings);
    for (Scalar& s : out) s.r = degf(rng);
    return out;
  }();
  return all;
}

// The hand-written conversion and check: the lowered constants (0 degF and 1 delta degF
// in kelvin, 60 degC and 70 degC in kelvin), the lowered order of operations.
constexpr double kZeroDegF = 459.67 * 5.0 / 9.0;
constexpr double kPerDegF = 5.0 / 9.0;
constexpr double kLow = 333.15;
constexpr double kHigh = 343.15;

// `&`, not `&&`: both comparisons are cheap and free of effects, so no branch (a branch
// on random readings mispredicts; the JIT's `and` is branch-free too).
inline bool native_in_band(double raw) {
  const double kelvin = kZeroDegF + raw * kPerDegF;
  return (kelvin >= kLow) & (kelvin <= kHigh);
}

std::int64_t native_count(const std::vector<Scalar>& in) {
  std::int64_t n = 0;
  for (const Scalar& s : in) n += native_in_band(s.r) ? 1 : 0;
  return n;
}

const std::int64_t& expected_count() {
  static const std::int64_t n = native_count(readings());
  return n;
}

// The same C++ behind the lowered ABI (no run-time checks).
__attribute__((noinline)) std::int32_t native_in_band_abi(const Scalar* args, Scalar* result,
                                                          std::uint32_t*) {
  result->i = 0;
  result->b = native_in_band(args[0].r);
  return 0;
}

std::int64_t count_through(EntryPoint fn, const std::vector<Scalar>& in, bool* fault) {
  std::int64_t n = 0;
  for (const Scalar& s : in) {
    Scalar r;
    std::uint32_t site = 0;
    if (fn(&s, &r, &site) != 0) *fault = true;
    n += r.b ? 1 : 0;
  }
  return n;
}

// A bool result is a zero-extended word: its `i` is 0 or 1.
template <typename Run>
std::int64_t count_batches(Run run, const std::vector<Scalar>& in, bool* fault) {
  std::int64_t n = 0;
  auto fold = [&n](const Scalar* results, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) n += results[k].i;
  };
  if (!over_blocks(in, 1, run, fold)) *fault = true;
  return n;
}

std::string exact(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// The formula without an intermediate variable: an assignment in bulk mode writes a
// whole array, which measured slower than computing `k` twice (muParser folds
// `c + raw * d` into one bytecode).
std::string limit_formula() {
  const std::string kelvin = "(" + exact(kZeroDegF) + " + raw * " + exact(kPerDegF) + ")";
  return kelvin + " >= " + exact(kLow) + " && " + kelvin + " <= " + exact(kHigh);
}

std::int64_t count_muparser(BulkFormula& formula) {
  std::int64_t n = 0;
  for (double r : formula.eval()) n += r != 0 ? 1 : 0;
  return n;
}

enum class Variant { kJit, kInterp, kMuParser, kNative, kNativeCall };

void BM_Limit(benchmark::State& state, Variant variant) {
  if (!ready(state)) return;
  const Executors& e = executors();
  const std::vector<Scalar>& in = readings();
  const std::int64_t expected = expected_count();
  std::optional<BulkFormula> mu;
  if (variant == Variant::kMuParser)
    mu.emplace(in, std::vector<const char*>{"raw"}, limit_formula());
  std::int64_t count = 0;
  bool fault = false;
  for (auto _ : state) {
    switch (variant) {
      case Variant::kJit:
        count = count_batches(JitBlock{e.jit_in_band}, in, &fault);
        break;
      case Variant::kInterp:
        count = count_batches(InterpBlock{e.interp.get(), e.interp_in_band}, in, &fault);
        break;
      case Variant::kMuParser:
        count = count_muparser(*mu);
        break;
      case Variant::kNative:
        count = native_count(in);
        break;
      case Variant::kNativeCall: {
        EntryPoint volatile fn = &native_in_band_abi;
        count = count_through(fn, in, &fault);
        break;
      }
    }
    benchmark::DoNotOptimize(count);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.counters["in_band"] = static_cast<double>(count);
  if (fault) state.SkipWithError("a function faulted");
  if (count != expected) {
    std::fprintf(stderr, "BM_Limit: %lld in band, native says %lld\n",
                 static_cast<long long>(count), static_cast<long long>(expected));
    state.SkipWithError("the variant disagrees with /native");
  }
}

// ---- BM_OEE ------------------------------------------------------------------------

constexpr std::size_t kShifts = 1'000'000;
constexpr std::size_t kFields = 5;  // apt, pbt, produced, good, cycle: fn_oee's parameters

// Shift records, in fn_oee's argument order and base units (s), generated once.
const std::vector<Scalar>& shifts() {
  static const std::vector<Scalar> all = [] {
    std::mt19937_64 rng(95);
    std::uniform_real_distribution<double> share(0.6, 0.98);
    std::uniform_real_distribution<double> cycle_s(2.0, 12.0);
    std::vector<Scalar> out(kShifts * kFields);
    for (std::size_t i = 0; i < kShifts; ++i) {
      const double pbt = 8 * 3600.0;
      const double apt = pbt * share(rng);
      const double cycle = cycle_s(rng);
      const double produced = std::floor(apt * share(rng) / cycle) + 1;
      const double good = std::floor(produced * share(rng));
      Scalar* r = &out[i * kFields];
      r[0].r = apt;
      r[1].r = pbt;
      r[2].r = produced;
      r[3].r = good;
      r[4].r = cycle;
    }
    return out;
  }();
  return all;
}

inline double native_oee(const Scalar* r) {
  const double apt = r[0].r, pbt = r[1].r, produced = r[2].r, good = r[3].r, cycle = r[4].r;
  return (apt / pbt) * (cycle * produced / apt) * (good / produced);
}

double native_sum(const std::vector<Scalar>& in) {
  double sum = 0;
  for (std::size_t i = 0; i < in.size(); i += kFields) sum += native_oee(&in[i]);
  return sum;
}

__attribute__((noinline)) std::int32_t native_oee_abi(const Scalar* args, Scalar* result,
                                                      std::uint32_t*) {
  result->r = native_oee(args);
  return 0;
}

double sum_through(EntryPoint fn, const std::vector<Scalar>& in, bool* fault) {
  double sum = 0;
  for (std::size_t i = 0; i < in.size(); i += kFields) {
    Scalar r;
    std::uint32_t site = 0;
    if (fn(&in[i], &r, &site) != 0) *fault = true;
    sum += r.r;
  }
  return sum;
}

// Summed in item order, as /native sums, so that the sums are bit-identical.
template <typename Run>
double sum_batches(Run run, const std::vector<Scalar>& in, bool* fault) {
  double sum = 0;
  auto fold = [&sum](const Scalar* results, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) sum += results[k].r;
  };
  if (!over_blocks(in, kFields, run, fold)) *fault = true;
  return sum;
}

double sum_muparser(BulkFormula& formula) {
  double sum = 0;
  for (double r : formula.eval()) sum += r;
  return sum;
}

void BM_OEE(benchmark::State& state, Variant variant) {
  if (!ready(state)) return;
  const Executors& e = executors();
  const std::vector<Scalar>& in = shifts();
  static const double expected = native_sum(in);
  std::optional<BulkFormula> mu;
  if (variant == Variant::kMuParser) {
    mu.emplace(in, std::vector<const char*>{"apt", "pbt", "produced", "good", "cycle"},
               "(apt / pbt) * (cycle * produced / apt) * (good / produced)");
  }
  double sum = 0;
  bool fault = false;
  for (auto _ : state) {
    switch (variant) {
      case Variant::kJit:
        sum = sum_batches(JitBlock{e.jit_oee}, in, &fault);
        break;
      case Variant::kInterp:
        sum = sum_batches(InterpBlock{e.interp.get(), e.interp_oee}, in, &fault);
        break;
      case Variant::kMuParser:
        sum = sum_muparser(*mu);
        break;
      case Variant::kNative:
        sum = native_sum(in);
        break;
      case Variant::kNativeCall: {
        EntryPoint volatile fn = &native_oee_abi;
        sum = sum_through(fn, in, &fault);
        break;
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kShifts));
  state.counters["mean_oee"] = sum / static_cast<double>(kShifts);
  if (fault) state.SkipWithError("a function faulted");
  if (sum != expected) {
    std::fprintf(stderr, "BM_OEE: sum %.17g, native says %.17g\n", sum, expected);
    state.SkipWithError("the variant disagrees with /native");
  }
}

constexpr std::pair<const char*, Variant> kVariants[] = {{"jit", Variant::kJit},
                                                         {"interp", Variant::kInterp},
                                                         {"muparser", Variant::kMuParser},
                                                         {"native", Variant::kNative},
                                                         {"native_call", Variant::kNativeCall}};

const bool registered_cases = [] {
  for (const auto& [name, variant] : kVariants) {
    benchmark::RegisterBenchmark((std::string("BM_Limit/") + name).c_str(), BM_Limit, variant)
        ->Unit(benchmark::kMillisecond)
        ->MinTime(1.0);
    benchmark::RegisterBenchmark((std::string("BM_OEE/") + name).c_str(), BM_OEE, variant)
        ->Unit(benchmark::kMillisecond)
        ->MinTime(1.0);
  }
  return true;
}();

// ---- BM_CompileLatency ----------------------------------------------------------

// This thread's CPU time, in seconds (what the table's CPU column measures).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// One pair per iteration: the front end, specialization and lowering (check_sources),
// then Jit::add (IR, O2, codegen, linking, symbol resolution); the module is removed
// afterwards, outside the split counters (CPU ms) but inside the iteration.
void BM_CompileLatency(benchmark::State& state) {
  std::string error;
  std::unique_ptr<gemba::jit::Jit> jit = gemba::jit::Jit::create(&error);
  if (!jit) {
    std::fprintf(stderr, "jit_bench: %s\n", error.c_str());
    state.SkipWithError("no JIT");
    return;
  }
  const gemba::bench::Files& files = sources();
  const gemba::driver::CheckOptions options = lowering_options();
  double lower_s = 0;
  double jit_s = 0;
  std::size_t functions = 0;
  for (auto _ : state) {
    double start = cpu_seconds();
    gemba::driver::CheckRun run = gemba::driver::check_sources(files, options);
    lower_s += cpu_seconds() - start;
    if (run.lowered.size() != 1) {
      state.SkipWithError("the pair was not lowered");
      return;
    }
    functions = run.lowered[0].module.functions.size();
    start = cpu_seconds();
    std::optional<gemba::jit::ModuleHandle> handle = jit->add(run.lowered[0].module, &error);
    jit_s += cpu_seconds() - start;
    if (!handle || !jit->remove(*handle, &error)) {
      std::fprintf(stderr, "jit_bench: %s\n", error.c_str());
      state.SkipWithError("JIT compilation failed");
      return;
    }
  }
  const double n = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["functions"] = static_cast<double>(functions);
  state.counters["lower_ms"] = 1e3 * lower_s / n;
  state.counters["jit_ms"] = 1e3 * jit_s / n;
}
BENCHMARK(BM_CompileLatency)
    ->Name("BM_CompileLatency/cold")
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// ---- summary: the targets ----------------------------------------------------------

// Items per second of `run` ("BM_Limit/jit"); registered names have no arguments, so
// the collector's key may end in '/'.
double rate(const gemba::bench::Counters& counters, const std::string& run) {
  const double v = gemba::bench::counter(counters, run, "items_per_second");
  return v > 0 ? v : gemba::bench::counter(counters, run + "/", "items_per_second");
}

void print_case(const gemba::bench::Counters& counters, const std::string& name) {
  const double jit = rate(counters, name + "/jit");
  const double native = rate(counters, name + "/native");
  const double call = rate(counters, name + "/native_call");
  const double mu = rate(counters, name + "/muparser");
  const double interp = rate(counters, name + "/interp");
  if (jit <= 0) return;
  std::printf(
      "%s: jit %.1f M/s, native %.1f M/s, native_call %.1f M/s, interp %.1f M/s, "
      "muparser %.1f M/s\n",
      name.c_str(), jit / 1e6, native / 1e6, call / 1e6, interp / 1e6, mu / 1e6);
  if (native > 0) {
    const double r = native / jit;
    std::printf("  jit/native time ratio: %.2f (target <= 1.25): %s\n", r,
                r <= 1.25 ? "MET" : "MISSED");
  }
  if (call > 0) {
    std::printf(
        "  one call per item: native_call/native time ratio %.2f, jit (batch) vs native_call "
        "%.2f\n",
        native / call, call / jit);
  }
  if (mu > 0) {
    const double r = jit / mu;
    std::printf("  muparser/jit time ratio: %.1f (target >= 10): %s\n", r,
                r >= 10 ? "MET" : "MISSED");
  }
  if (interp > 0) std::printf("  interp/jit time ratio: %.1f\n", jit / interp);
}

void print_summary(const gemba::bench::Counters& counters) {
  print_case(counters, "BM_Limit");
  print_case(counters, "BM_OEE");
  const double pairs = rate(counters, "BM_CompileLatency/cold");
  if (pairs > 0) {
    std::printf("compile latency (cold): %.1f pairs/s, %.1f ms per template-plant pair\n", pairs,
                1e3 / pairs);
  }
}

const bool registered_summary = gemba::bench::register_summary(&print_summary);

}  // namespace
