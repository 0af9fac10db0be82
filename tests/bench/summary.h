// gemba_bench prints Google Benchmark's table, then one summary per benchmark file:
// the in-run ratios (scaling, baselines) that the table's rows only imply. A file
// registers its summary at static initialization; bench_main.cpp calls each with the
// counters of every run, by run name ("BM_CheckFrontEnd/10000").
#pragma once

#include <map>
#include <string>

namespace gemba::bench {

// Run name -> counter name -> value, for iteration runs (not aggregates).
using Counters = std::map<std::string, std::map<std::string, double>>;

using Summary = void (*)(const Counters& counters);

// Returns true, so that `const bool x = register_summary(f);` registers at start-up.
bool register_summary(Summary summary);

// The counter's value, or 0 when the run or the counter is missing (filtered out).
double counter(const Counters& counters, const std::string& run, const std::string& name);

}  // namespace gemba::bench
