// The reference interpreter and the JIT agree: on random well-typed modules (every
// operation, edge constants, NaN and infinite arguments) and on the lowered example
// enterprise, the same fault at the same node, or the same result bit for bit.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>

#include "compiler/driver/pipeline.h"
#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"
#include "tests/compiler/differential/outcome.h"
#include "tests/support/random_module.h"

namespace gemba {
namespace {

using testing::Outcome;
using testing::outcome_of;
using testing::show;

// Runs every function of `module` on `calls` random argument lists in both executors
// and returns the number of calls compared; fails the test at the first difference.
// How often each fault (index) was seen: the comparisons must cover results and faults.
using FaultCounts = std::array<std::size_t, 6>;

std::size_t compare(const lower::Module& module, jit::Jit& jit, std::mt19937_64& rng, int calls,
                    const std::string& what, FaultCounts* counts = nullptr) {
  std::string error;
  auto handle = jit.add(module, &error);
  EXPECT_TRUE(handle.has_value()) << what << ": " << error;
  if (!handle) return 0;
  interp::Interpreter interpreter(module);
  std::size_t compared = 0;
  for (std::size_t f = 0; f < module.functions.size(); ++f) {
    const lower::Function& function = module.functions[f];
    if (!function.entry) continue;  // a procedure's expression: machine_differential_test
    lower::EntryPoint native = jit.lookup(*handle, function.name);
    EXPECT_NE(native, nullptr) << what << ": " << function.name;
    if (native == nullptr) continue;
    for (int call = 0; call < calls; ++call) {
      std::vector<lower::Scalar> args = testing::random_args(function, rng);
      lower::Scalar r1{}, r2{};
      std::uint32_t s1 = 0, s2 = 0;
      // Each call before its outcome_of: argument evaluation order is unspecified.
      auto fault = static_cast<std::int32_t>(interpreter.call(f, args.data(), &r1, &s1));
      Outcome a = outcome_of(fault, r1, s1, function.result);
      fault = native(args.data(), &r2, &s2);
      Outcome b = outcome_of(fault, r2, s2, function.result);
      ++compared;
      if (counts != nullptr && a.fault >= 0 && a.fault < 6) ++(*counts)[a.fault];
      if (a != b) {
        ADD_FAILURE() << what << ", " << function.name << ", call " << call << ": interpreter "
                      << show(a) << ", JIT " << show(b) << "\n"
                      << lower::listing(module);
        return compared;
      }
    }
  }
  EXPECT_TRUE(jit.remove(*handle, &error)) << error;
  return compared;
}

TEST(DifferentialTest, InterpreterAndJitAgreeOnRandomModules) {
  std::string error;
  auto jit = jit::Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  std::mt19937_64 rng(20261126);
  std::size_t compared = 0;
  FaultCounts counts{};
  // 250 modules of 4 functions, 100 argument lists each: 100,000 comparisons.
  for (std::uint64_t seed = 1; seed <= 250 && !HasFailure(); ++seed) {
    lower::Module module = testing::random_module(seed);
    module.name = "random" + std::to_string(seed);
    ASSERT_EQ(lower::verify(module), "") << "seed " << seed;
    compared += compare(module, *jit, rng, 100, "seed " + std::to_string(seed), &counts);
  }
  EXPECT_GE(compared, 100000u);
  // Both outcomes are exercised: mostly results, and every fault the generator can
  // provoke (it makes no recursion, so no kCallDepth).
  using F = lower::Fault;
  EXPECT_GT(counts[0], compared / 4) << "too few calls without a fault";
  for (F f : {F::kDivisionByZero, F::kOverflow, F::kNotANumber, F::kInfinite}) {
    EXPECT_GT(counts[static_cast<int>(f)], 100u) << lower::describe(f);
  }
}

TEST(DifferentialTest, InterpreterAndJitAgreeOnTheExampleEnterprise) {
  driver::CheckOptions options;
  options.plant_paths = {std::string(GEMBA_SOURCE_DIR) + "/examples/plants"};
  options.lower = true;
  driver::CheckRun run =
      driver::check_paths({std::string(GEMBA_SOURCE_DIR) + "/examples"}, options);
  ASSERT_FALSE(run.lowered.empty());
  std::string error;
  auto jit = jit::Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  std::mt19937_64 rng(7);
  std::size_t functions = 0;
  for (const lower::Lowering& lowering : run.lowered) {
    ASSERT_EQ(lower::verify(lowering.module), "") << lowering.module.name;
    functions += lowering.module.functions.size();
    compare(lowering.module, *jit, rng, 200, lowering.module.name);
  }
  EXPECT_GT(functions, 0u);
}

}  // namespace
}  // namespace gemba
