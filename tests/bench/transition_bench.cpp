// Procedure transitions, in transitions per second: the same lowered state machine run
// by the JIT and by the reference interpreter.
//
//   BM_Transition/*  a chain of 1000 operator answers: each transition stores the
//                    answer, adds it to a running total, checks it against the plant's
//                    limit, and suspends at the next ask (emitting its prompt with two
//                    values). No I/O: the durable runtime's cost is BM_Transition_Durable.
//
//   build/tests/gemba_bench --benchmark_filter=BM_Transition
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/machine_interpreter.h"
#include "compiler/jit/jit.h"
#include "tests/bench/summary.h"

namespace {

using gemba::lower::Event;
using gemba::lower::EventKind;
using gemba::lower::Scalar;

constexpr int kChain = 1000;

constexpr const char* kTemplate = R"gmb(module bench.transition;
import std.units;
import std.isa95;
param fill_max: kg in 1 kg .. 100 kg = 25 kg;
procedure Weigh() {
  step "weigh" {
    var total = 0 kg;
    var heavy = 0;
    for i in 1 .. 1000 {
      let w = ask operator "Weight of sack {i} (total {total})" as kg within 5 min;
      total = total + w;
      if w > fill_max { heavy = heavy + 1; }
    }
    notify role supervisor "{heavy} sacks over {fill_max}";
  }
}
)gmb";

struct Program {
  gemba::driver::CheckRun run;
  const gemba::lower::Module* module = nullptr;
};

const Program& program() {
  static const Program* p = [] {
    auto* out = new Program;
    gemba::driver::CheckOptions options;
    options.plant_paths = {"plants"};
    options.lower = true;
    out->run = gemba::driver::check_sources(
        {{"t.gmb", kTemplate},
         {"plants/p.gmb",
          "module plants.p;\nimport std.units;\n"
          "plant p { timezone \"UTC\"; param fill_max = 30 kg; }\n"}},
        options);
    if (out->run.errors() > 0 || out->run.lowered.size() != 1 ||
        out->run.lowered[0].module.machines.size() != 1) {
      std::fprintf(stderr, "BM_Transition: the program does not lower\n%s",
                   gemba::diag::render_text(out->run.diagnostics, out->run.sources).c_str());
      std::abort();
    }
    out->module = &out->run.lowered[0].module;
    return out;
  }();
  return *p;
}


// Runs the whole chain once; returns the transitions made.
template <class Transition>
int chain(const gemba::lower::Machine& m, Transition&& transition, double* total) {
  std::vector<Scalar> frame = gemba::lower::initial_frame(m, {});
  gemba::lower::Effect effects[4];
  std::uint32_t count = 0, site[2];
  Event event{EventKind::kStart, 0, 0, 1.7e9};
  int made = 0;
  for (int k = 0; k <= kChain; ++k) {
    if (transition(frame.data(), &event, effects, &count, site) != 0) std::abort();
    ++made;
    Scalar answer{.r = 20.0 + (k % 17)};
    event = Event{EventKind::kDone, 0, 0, 1.7e9 + k};
    std::memcpy(&event.value_bits, &answer, sizeof answer);
  }
  *total = effects[0].count;
  return made;
}

void BM_Transition(benchmark::State& state, bool jit) {
  const Program& p = program();
  const gemba::lower::Machine& m = p.module->machines[0];
  std::string error;
  std::unique_ptr<gemba::jit::Jit> compiled;
  gemba::lower::TransitionEntry entry = nullptr;
  if (jit) {
    compiled = gemba::jit::Jit::create(&error);
    auto handle = compiled ? compiled->add(*p.module, &error) : std::nullopt;
    if (!handle) {
      state.SkipWithError(error.c_str());
      return;
    }
    entry = compiled->lookup_transition(*handle, m.name);
  }
  gemba::interp::MachineInterpreter interpreter(*p.module);
  Scalar no_signals{};
  std::int64_t transitions = 0;
  double sink = 0;
  for (auto _ : state) {
    if (jit) {
      transitions += chain(m, [&](Scalar* f, const Event* e, gemba::lower::Effect* x,
                                  std::uint32_t* n, std::uint32_t* s) {
        return entry(f, &no_signals, e, x, 4, n, s);
      }, &sink);
    } else {
      transitions += chain(m, [&](Scalar* f, const Event* e, gemba::lower::Effect* x,
                                  std::uint32_t* n, std::uint32_t* s) {
        return static_cast<std::int32_t>(interpreter.transition(0, f, &no_signals, *e, x, 4, n, s));
      }, &sink);
    }
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(transitions);
}

BENCHMARK_CAPTURE(BM_Transition, jit, true)->Name("BM_Transition/jit")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Transition, interp, false)
    ->Name("BM_Transition/interp")
    ->Unit(benchmark::kMicrosecond);

void print_summary(const gemba::bench::Counters& counters) {
  auto rate = [&](const std::string& run) {
    double v = gemba::bench::counter(counters, run, "items_per_second");
    return v > 0 ? v : gemba::bench::counter(counters, run + "/", "items_per_second");
  };
  double jit = rate("BM_Transition/jit");
  double interp = rate("BM_Transition/interp");
  if (jit == 0 || interp == 0) return;
  std::printf("BM_Transition: jit %.3g transitions/s, interp %.3g/s, jit/interp %.1fx\n", jit,
              interp, jit / interp);
}

const bool registered = gemba::bench::register_summary(&print_summary);

}  // namespace
