// The template-plant pair the JIT benchmarks compile (jit_bench.cpp's BM_Limit, BM_OEE,
// BM_CompileLatency/cold; compile_cache_bench.cpp's BM_CompileLatency/cached): one
// definition, so that the cold and cached latencies measure the same program.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gemba::bench {

inline constexpr const char* kLibrary = R"(module bench.jit.eq;
import std.units;
import std.isa95;
equipment class Oven : Unit {
  property capacity: kg;
  signal temperature: degC;
  signal speed: rpm;
  command start(speed: rpm);
  command stop();
}
)";

// A realistic small template: parameters, two functions under test, a helper, a
// top-level rule and a procedure with two limits.
inline constexpr const char* kTemplate = R"(module bench.jit.t;
import std.units;
import std.isa95;
import bench.jit.eq;

param widen: delta degC in 0 delta degC .. 5 delta degC = 0 delta degC;
param batch: kg in 10 kg .. 1000 kg = 400 kg;

// A raw reading in degF, converted to a temperature, checked against the band.
function in_band(raw: real): bool = 0 degF + raw * 1 delta degF in 60 degC .. 70 degC;

// ISO 22400: availability * performance * quality.
function oee(apt: min, pbt: h, produced: real, good: real, cycle: s): real =
    (apt / pbt) * (cycle * produced / apt) * (good / produced);

function load(m: kg): real = batch / m;

limit Oven.temperature in 0 degC .. 250 degC;

procedure Bake(setpoint: degC) uses oven: Oven where oven.capacity >= batch {
  limit oven.temperature in 20 degC - widen .. setpoint + widen;
  limit oven.speed in 0 rpm .. 120 rpm;
  step "Heat" {
    command oven.start(speed: 60 rpm);
    await oven.temperature >= setpoint - 2 delta degC within 1 h;
    command oven.stop();
  }
}
)";

inline constexpr const char* kPlant = R"(module plants.bench;
import std.units;
import std.isa95;
import bench.jit.eq;
plant bench "Bench" {
  timezone "UTC";
  units degF;
  param widen = 3.6 delta degF;
  Site s { Area a { ProcessCell c {
    Oven o1 { capacity = 800 kg; temperature <- "sim://t"; speed <- "sim://s"; }
  } } }
}
)";

using Files = std::vector<std::pair<std::string, std::string>>;

inline const Files& jit_bench_sources() {
  static const Files files = {
      {"bench/jit/eq.gmb", kLibrary}, {"bench/jit/t.gmb", kTemplate}, {"plants/bench.gmb", kPlant}};
  return files;
}

}  // namespace gemba::bench
