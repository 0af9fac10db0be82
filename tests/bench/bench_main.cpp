// gemba_bench's main: tune the allocator as `gemba` does (measure what ships), run the
// benchmarks selected on the command line, then print each file's summary.
#include <benchmark/benchmark.h>

#include <vector>

#include "compiler/driver/allocator_tuning.h"
#include "tests/bench/summary.h"

namespace gemba::bench {
namespace {

std::vector<Summary>& summaries() {
  static std::vector<Summary> all;
  return all;
}

// Keeps every iteration run's counters as the table is printed.
class CounterCollector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) failed_ = true;
      if (run.run_type != Run::RT_Iteration) continue;
      auto& values = counters_[run.run_name.function_name + "/" + run.run_name.args];
      for (const auto& [name, value] : run.counters) values[name] = value.value;
    }
  }
  const Counters& counters() const { return counters_; }
  bool failed() const { return failed_; }

 private:
  Counters counters_;
  bool failed_ = false;
};

}  // namespace

bool register_summary(Summary summary) {
  summaries().push_back(summary);
  return true;
}

double counter(const Counters& counters, const std::string& run, const std::string& name) {
  auto r = counters.find(run);
  if (r == counters.end()) return 0;
  auto c = r->second.find(name);
  return c == r->second.end() ? 0 : c->second;
}

}  // namespace gemba::bench

int main(int argc, char** argv) {
  gemba::driver::tune_allocator();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  gemba::bench::CounterCollector reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  for (gemba::bench::Summary summary : gemba::bench::summaries()) summary(reporter.counters());
  return reporter.failed() ? 1 : 0;
}
