// The random module generator: every module it makes is well typed, it is a pure
// function of the seed, it reaches every operation, and the reference interpreter runs
// what it makes through every kind of fault.
#include "tests/support/random_module.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "compiler/interp/interpreter.h"

namespace gemba::testing {
namespace {

using lower::Fault;
using lower::Op;
using lower::Scalar;
using lower::Type;

TEST(RandomModule, EveryModuleVerifies) {
  for (std::uint64_t seed = 0; seed < 5000; ++seed) {
    lower::Module m = random_module(seed);
    ASSERT_EQ(lower::verify(m), "") << "seed " << seed << "\n" << lower::listing(m);
    ASSERT_EQ(m.functions.size(), 4u);
  }
}

TEST(RandomModule, OptionsShapeTheModule) {
  for (std::uint64_t seed = 0; seed < 500; ++seed) {
    for (RandomModuleOptions options :
         {RandomModuleOptions{1, 0}, RandomModuleOptions{12, 1}, RandomModuleOptions{8, 10}}) {
      lower::Module m = random_module(seed, options);
      ASSERT_EQ(lower::verify(m), "") << "seed " << seed << "\n" << lower::listing(m);
      ASSERT_EQ(m.functions.size(), static_cast<std::size_t>(options.functions));
      if (options.max_depth == 0) {
        for (const lower::Function& f : m.functions) EXPECT_EQ(f.nodes.size(), 1u);
      }
    }
  }
}

TEST(RandomModule, IsAFunctionOfTheSeed) {
  EXPECT_EQ(lower::listing(random_module(42)), lower::listing(random_module(42)));
  EXPECT_NE(lower::listing(random_module(42)), lower::listing(random_module(43)));
  std::mt19937_64 a(7);
  std::mt19937_64 b(7);
  lower::Module m = random_module(1);
  for (int k = 0; k < 100; ++k) {
    for (const lower::Function& f : m.functions) {
      std::vector<Scalar> x = random_args(f, a);
      std::vector<Scalar> y = random_args(f, b);
      ASSERT_EQ(x.size(), y.size());
      for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i].i, y[i].i);
    }
  }
}

TEST(RandomModule, CallsOnlyEarlierFunctions) {
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    lower::Module m = random_module(seed);
    for (std::size_t i = 0; i < m.functions.size(); ++i) {
      for (const lower::Node& n : m.functions[i].nodes) {
        if (n.op == Op::kCall) {
          ASSERT_LT(n.index, i) << "seed " << seed;
        }
      }
    }
  }
}

TEST(RandomModule, ReachesEveryOperationAndType) {
  std::set<std::pair<Op, Type>> seen;
  std::set<Type> params;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    for (const lower::Function& f : random_module(seed).functions) {
      params.insert(f.params.begin(), f.params.end());
      for (const lower::Node& n : f.nodes) {
        Type operand = n.args.empty() ? n.type : f.nodes[n.args[0]].type;
        seen.insert({n.op, operand});
      }
    }
  }
  EXPECT_EQ(params.size(), 3u);
  const std::pair<Op, Type> expected[] = {
      {Op::kConst, Type::kBool}, {Op::kConst, Type::kInt}, {Op::kConst, Type::kReal},
      {Op::kParam, Type::kBool}, {Op::kParam, Type::kInt}, {Op::kParam, Type::kReal},
      {Op::kNeg, Type::kInt},    {Op::kNeg, Type::kReal},  {Op::kNot, Type::kBool},
      {Op::kAdd, Type::kInt},    {Op::kAdd, Type::kReal},  {Op::kSub, Type::kInt},
      {Op::kSub, Type::kReal},   {Op::kMul, Type::kInt},   {Op::kMul, Type::kReal},
      {Op::kDiv, Type::kReal},   {Op::kMod, Type::kInt},   {Op::kMod, Type::kReal},
      {Op::kLt, Type::kInt},     {Op::kLt, Type::kReal},   {Op::kLe, Type::kInt},
      {Op::kGt, Type::kReal},    {Op::kGe, Type::kInt},    {Op::kEq, Type::kBool},
      {Op::kEq, Type::kInt},     {Op::kEq, Type::kReal},   {Op::kNe, Type::kBool},
      {Op::kAnd, Type::kBool},   {Op::kOr, Type::kBool},   {Op::kToReal, Type::kInt},
  };
  for (const auto& [op, type] : expected) {
    EXPECT_TRUE(seen.count({op, type})) << static_cast<int>(op) << " " << spelling(type);
  }
  bool calls = false;
  for (const auto& [op, type] : seen) calls = calls || op == Op::kCall;
  EXPECT_TRUE(calls);
}

// 20,000 calls: no crash (run it under ASan/UBSan too), every fault but kCallDepth seen,
// fault sites inside the function, results the same when run again.
TEST(RandomModule, InterpreterRunsEveryGeneratedFunction) {
  std::array<int, 6> faults{};
  std::mt19937_64 rng(2024);
  int calls = 0;
  for (std::uint64_t seed = 0; calls < 20000; ++seed) {
    lower::Module m = random_module(seed);
    interp::Interpreter interpreter(m);
    for (std::size_t i = 0; i < m.functions.size(); ++i) {
      const lower::Function& f = m.functions[i];
      for (int k = 0; k < 5; ++k, ++calls) {
        std::vector<Scalar> args = random_args(f, rng);
        Scalar first{};
        Scalar again{};
        std::uint32_t site = UINT32_MAX;
        std::uint32_t site_again = UINT32_MAX;
        Fault fault = interpreter.call(i, args.data(), &first, &site);
        ASSERT_EQ(interpreter.call(i, args.data(), &again, &site_again), fault);
        ++faults[static_cast<std::size_t>(fault)];
        if (fault == Fault::kNone) {
          ASSERT_EQ(first.i, again.i) << "seed " << seed;
          if (f.result == Type::kBool) {
            ASSERT_EQ(first.i & ~std::int64_t{1}, 0);
          }
        } else {
          ASSERT_LT(site, f.nodes.size()) << "seed " << seed;
          ASSERT_EQ(site, site_again);
        }
      }
    }
  }
  EXPECT_GT(faults[0], calls / 4) << "too few calls run without a fault";
  for (Fault f : {Fault::kDivisionByZero, Fault::kOverflow, Fault::kNotANumber, Fault::kInfinite}) {
    EXPECT_GT(faults[static_cast<std::size_t>(f)], 0) << describe(f);
  }
  EXPECT_EQ(faults[static_cast<std::size_t>(Fault::kCallDepth)], 0);
}

}  // namespace
}  // namespace gemba::testing
