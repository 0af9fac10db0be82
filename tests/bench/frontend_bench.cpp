// Front-end throughput: `check_sources` (parse, imports, checks) on generated, realistic
// Gemba programs of 10 000 and 100 000 lines, in lines per CPU second (the machines
// are shared; CPU time is the steadier measure of a single-threaded pass). The same
// run reports how the rate scales from 10 k to 100 k lines: a ratio near 1.0 means the
// front end is linear in the size of its input; well below 1.0, something is not.
//
//   cmake --build build --target gemba_bench && build/tests/gemba_bench
//
// Every generated program must check with zero errors and zero warnings (a benchmark
// of error recovery would measure something else): that is verified once per size,
// before timing, and the run fails with the diagnostics otherwise. About 15 s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "compiler/diag/render_text.h"
#include "compiler/driver/allocator_tuning.h"
#include "compiler/driver/pipeline.h"
#include "tests/bench/summary.h"

namespace {

// ---- The generator -----------------------------------------------------------------

// One production line of a plant, about 117 lines: an enum, two equipment classes,
// class-wide limits and collect rules, functions, KPIs (std.kpi's ISO 22400 ones and
// custom formulas), and two procedures with limits,
// collect rules, steps (let, var, ask, await, command, if/else, repeat, for, sign,
// consume, produce, start) and handlers. `@` stands for the section's index, so every
// name is unique.
constexpr std::string_view kSection = R"(// ---- Line @ ----

enum Grade@ { Prime, Standard, Rework }

equipment class Reactor@ : Unit {
  property capacity: kg;
  property max_speed: rpm;
  signal temperature: degC;
  signal jacket_temperature: degC;
  signal pressure: bar;
  signal speed: rpm;
  signal level: L;
  signal running: bool;
  command start(speed: rpm);
  command heat(setpoint: degC);
  command stop();
}

equipment class Doser@ : EquipmentModule {
  signal weight: kg;
  signal flow: L/min;
  signal stable: bool;
  command tare();
  command dose(amount: kg);
}

limit Reactor@.pressure in 0.5 bar .. 6 bar on violation {
  notify role maintenance "Pressure out of range on a reactor of line @";
}
limit Doser@.flow in 0 L/min .. 200 L/min;
collect Reactor@.temperature every 1 s deadband 0.1 delta degC valid -20 degC .. 250 degC;
collect Reactor@.pressure every 5 s deadband 0.01 bar valid 0 bar .. 16 bar;
collect Reactor@.state every 1 s;
collect Doser@.weight every 500 ms deadband 0.05 kg;

function headroom@(capacity: kg, load: kg): kg = capacity - load;
function fits@(capacity: kg, load: kg): bool = headroom@(capacity, load) >= 0 kg;

kpi reactor_oee@(r: Reactor@): real over shift = oee(r);
kpi reactor_availability@(r: Reactor@): percent over last 24 h = availability(r) to percent;
kpi reactor_loss@(r: Reactor@): real over day = 1 - quality_ratio(r) * effectiveness(r);
kpi reactor_fill@(r: Reactor@): real over shift = r.level / 1000 L;
kpi reactor_margin@(r: Reactor@): kg over day = headroom@(r.capacity, 250 kg);

procedure Inspect@(reactor: Reactor@) {
  step "Cool down" {
    await reactor.temperature <= 40 degC within 2 h
        otherwise escalate "reactor @ is not cooling down" to role maintenance;
  }
  step "Inspect" {
    let ok = ask role maintenance "Jacket and probe fit for use?" as bool within 4 h;
    if not ok {
      notify role supervisor "Reactor @ taken out of service";
    }
    sign "inspection" by role maintenance;
  }
}

procedure Batch@(product: Material, size: kg, hold_time: duration)
    uses reactor: Reactor@ where reactor.capacity >= size, doser: Doser@ {
  limit reactor.temperature in 5 degC .. 95 degC on violation {
    notify role supervisor "Temperature out of range in a batch of {product}";
    start Inspect@(reactor);
    hold "temperature excursion";
  }
  limit reactor.speed in 0 rpm .. 150 rpm;
  collect reactor.speed every 2 s deadband 1 rpm;

  step "Charge" {
    let lot = ask operator "Scan a lot of {product}" as Lot of product
        within 10 min otherwise escalate "no lot of {product} scanned" to role supervisor;
    command doser.tare();
    command doser.dose(amount: size);
    await doser.weight >= size and doser.stable within 20 min
        otherwise escalate "charge of {size} not complete" to role supervisor;
    let charged = doser.weight;
    if charged > size * 1.02 {
      notify role supervisor "Overcharge: {charged} for a batch of {size}";
    }
    consume lot, charged;
  }

  step "Heat" {
    command reactor.start(speed: 60 rpm);
    command reactor.heat(setpoint: 80 degC);
    await reactor.temperature >= 78 degC within 45 min otherwise escalate "heating too slow";
    await reactor.jacket_temperature - reactor.temperature <= 10 delta degC within 15 min otherwise {
      notify role engineer "Jacket and product temperatures do not converge";
      hold "temperature not uniform";
    }
  }

  step "Hold" {
    var samples = 0;
    repeat 3 times {
      wait hold_time;
      samples = samples + 1;
    }
    for k in 1 .. 3 {
      notify role QA "Sample {k} of {samples} taken";
    }
  }

  step "Check" {
    let grade = ask role QA "Grade of the batch of {product}" as Grade@ within 15 min;
    let viscosity = ask role QA "Viscosity" as cP in 100 cP .. 5000 cP
        within 15 min otherwise escalate "no viscosity reading" to role QA;
    if grade == Grade@.Rework {
      abort "batch rejected: grade";
    } else if viscosity > 1200 cP and fits@(reactor.capacity, size * 1.05) {
      let water = ask operator "Viscosity {viscosity} is high: water added?" as L in 0 L .. 50 L within 20 min;
      notify role QA "Water added: {water}";
    } else {
      notify role QA "Viscosity {viscosity}, headroom {size}";
    }
    sign "approval" by role QA;
  }

  step "Discharge" {
    command reactor.stop();
    produce product, size * 0.98;
  }

  on hold { command reactor.stop(); }
  on abort { notify role supervisor "Batch of {product} aborted on line @"; }
  on cleanup { command reactor.stop(); }
}

)";

std::string section(int i) {
  const std::string index = std::to_string(i);
  std::string out;
  out.reserve(kSection.size() + 64 * index.size());
  for (char c : kSection) {
    if (c == '@') {
      out += index;
    } else {
      out += c;
    }
  }
  return out;
}

std::size_t count_lines(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

struct Script {
  std::string text;
  std::size_t lines = 0;
};

// A module of at least `target_lines` lines (whole sections: at most one section over).
Script generate_script(std::size_t target_lines) {
  Script script;
  script.text =
      "// Generated by tests/bench/frontend_bench.cpp.\n"
      "module bench.plant;\n\n"
      "import std.units;\n"
      "import std.isa95;\n"
      "import std.kpi;\n\n";
  script.lines = count_lines(script.text);
  for (int i = 0; script.lines < target_lines; ++i) {
    const std::string next = section(i);
    script.lines += count_lines(next);
    script.text += next;
  }
  return script;
}

// ---- The benchmark -----------------------------------------------------------------

using Files = std::vector<std::pair<std::string, std::string>>;

struct Prepared {
  Files files;
  std::size_t lines = 0;
  std::string problem;  // empty if the program checks cleanly
};

// Generated and verified once per size, outside the timed loop.
const Prepared& prepared(std::size_t target_lines) {
  static std::map<std::size_t, Prepared> cache;
  auto [it, inserted] = cache.try_emplace(target_lines);
  Prepared& p = it->second;
  if (!inserted) return p;
  Script script = generate_script(target_lines);
  p.lines = script.lines;
  p.files = {{"bench/plant.gmb", std::move(script.text)}};
  gemba::driver::CheckRun run = gemba::driver::check_sources(p.files, {});
  if (!run.diagnostics.empty() || !run.io_errors.empty()) {
    const std::size_t shown = std::min<std::size_t>(run.diagnostics.size(), 10);
    std::vector<gemba::diag::Diagnostic> first(run.diagnostics.begin(),
                                               run.diagnostics.begin() + shown);
    p.problem = "the generated program of " + std::to_string(p.lines) + " lines does not " +
                "check cleanly: " + std::to_string(run.errors()) + " errors, " +
                std::to_string(run.warnings()) + " warnings; the first ones:\n" +
                gemba::diag::render_text(first, run.sources);
  }
  return p;
}

void BM_CheckFrontEnd(benchmark::State& state) {
  const Prepared& input = prepared(static_cast<std::size_t>(state.range(0)));
  if (!input.problem.empty()) {
    std::fprintf(stderr, "%s\n", input.problem.c_str());
    state.SkipWithError("generated program does not check cleanly (diagnostics on stderr)");
    return;
  }
  for (auto _ : state) {
    gemba::driver::CheckRun run = gemba::driver::check_sources(input.files, {});
    benchmark::DoNotOptimize(run.diagnostics.data());
  }
  const double lines = static_cast<double>(input.lines);
  state.counters["lines"] = lines;
  state.counters["lines_per_second"] = benchmark::Counter(
      lines * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CheckFrontEnd)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// The baseline for driver::tune_allocator(): the same 100 k-line check with glibc's
// default fastbins, in the same run.
void BM_CheckFrontEndDefaultAllocator(benchmark::State& state) {
#if defined(__GLIBC__)
  constexpr int kGlibcDefaultMaxFast = 64 * sizeof(std::size_t) / 4;  // DEFAULT_MXFAST
  mallopt(M_MXFAST, kGlibcDefaultMaxFast);
  BM_CheckFrontEnd(state);
  gemba::driver::tune_allocator();
#else
  state.SkipWithError("the allocator baseline needs glibc");
#endif
}
BENCHMARK(BM_CheckFrontEndDefaultAllocator)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3.0);

// ---- summary: the scaling ratio and the allocator baseline ---------------------

void print_summary(const gemba::bench::Counters& counters) {
  using gemba::bench::counter;
  const double small = counter(counters, "BM_CheckFrontEnd/10000", "lines_per_second");
  const double large = counter(counters, "BM_CheckFrontEnd/100000", "lines_per_second");
  if (small > 0 && large > 0) {
    std::printf("front end: %.0f lines/s at 10k lines, %.0f lines/s at 100k lines\n", small, large);
    std::printf("scaling ratio (100k/10k lines per second): %.2f\n", large / small);
  }
  const double untuned =
      counter(counters, "BM_CheckFrontEndDefaultAllocator/100000", "lines_per_second");
  if (large > 0 && untuned > 0) {
    std::printf("allocator tuning at 100k lines: %.2fx the lines/s of glibc's defaults\n",
                large / untuned);
  }
}

const bool registered = gemba::bench::register_summary(&print_summary);

}  // namespace
