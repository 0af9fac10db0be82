// The fast path of the generated entry points (compiler/jit/fast_body.cpp): on the edge
// cases of its may_fault rule, the single and the batch entry points give exactly what
// the reference interpreter gives (the same fault at the same node, or the same result),
// for one item and for a batch long enough to run the vectorized loop over many chunks.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"
#include "tests/compiler/jit/lowered_builder.h"

namespace gemba::jit {
namespace {

using lower::Fault;
using lower::Op;
using lower::Scalar;
using lower::Type;
using testing::B;
using testing::FunctionBuilder;
using testing::I;
using testing::module_of;
using testing::R;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();


struct Outcome {
  Fault fault = Fault::kNone;
  std::uint64_t bits = 0;  // the result, when there is no fault
  std::uint32_t site = 0;  // the faulting node, when there is one
  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Outcome& o) {
  if (o.fault != Fault::kNone) return out << lower::describe(o.fault) << " at n" << o.site;
  return out << "bits " << o.bits;
}

Outcome outcome(Fault fault, const Scalar& result, std::uint32_t site, Type type) {
  Outcome o{fault};
  if (fault != Fault::kNone) {
    o.site = site;
  } else if (type == Type::kBool) {
    o.bits = result.b ? 1 : 0;
  } else {
    std::memcpy(&o.bits, &result, sizeof o.bits);
  }
  return o;
}

Outcome expect_result(double r) { return outcome(Fault::kNone, R(r), 0, Type::kReal); }
Outcome expect_result(std::int64_t i) { return outcome(Fault::kNone, I(i), 0, Type::kInt); }
Outcome expect_bool(bool b) { return outcome(Fault::kNone, B(b), 0, Type::kBool); }
Outcome expect_fault(Fault fault, std::uint32_t site) { return Outcome{fault, 0, site}; }

// Items in a long batch: several chunks of the generated loop, and a partial one.
constexpr std::size_t kLong = 2500;

class FastPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    jit_ = Jit::create(&error);
    ASSERT_NE(jit_, nullptr) << error;
  }

  // Function `name` of `module` on `args`: the interpreter's outcome, after checking that
  // the JIT's single entry point, a one-item batch and a long batch of the same item
  // agree with it (a long batch faults at item 0, or gives the same result everywhere).
  Outcome run(const lower::Module& module, const std::string& name, std::vector<Scalar> args) {
    std::string error;
    std::optional<ModuleHandle> handle = jit_->add(module, &error);
    EXPECT_TRUE(handle.has_value()) << error;
    if (!handle) return {};
    interp::Interpreter interpreter(module);
    std::size_t index = *interpreter.find(name);
    Type type = module.functions[index].result;
    Scalar result{};
    std::uint32_t site = 0;
    Fault fault = interpreter.call(index, args.data(), &result, &site);
    Outcome expected = outcome(fault, result, site, type);

    lower::EntryPoint single = jit_->lookup(*handle, name);
    fault = static_cast<Fault>(single(args.data(), &result, &site));
    EXPECT_EQ(outcome(fault, result, site, type), expected) << name << ": single entry point";
    for (std::size_t count : {std::size_t{1}, kLong}) {
      EXPECT_EQ(run_batch(*handle, name, args, count, type), expected)
          << name << ": batch of " << count;
    }
    EXPECT_TRUE(jit_->remove(*handle, &error)) << error;
    return expected;
  }

  Outcome run_batch(ModuleHandle module, const std::string& name, const std::vector<Scalar>& args,
                    std::size_t count, Type type) {
    lower::BatchEntryPoint batch = jit_->lookup_batch(module, name);
    EXPECT_NE(batch, nullptr) << name;
    if (batch == nullptr) return {};
    std::vector<Scalar> records;
    for (std::size_t k = 0; k < count; ++k) records.insert(records.end(), args.begin(), args.end());
    std::vector<Scalar> results(count);
    std::uint64_t item = kNoItem;
    std::uint32_t site = 0;
    Fault fault = static_cast<Fault>(batch(records.data(), results.data(), count, &item, &site));
    if (fault != Fault::kNone) {
      EXPECT_EQ(item, 0u) << name;
      return outcome(fault, results[0], site, type);
    }
    EXPECT_EQ(item, kNoItem) << name << ": fault_item written without a fault";
    for (std::size_t k = 1; k < count; ++k) {
      EXPECT_EQ(outcome(fault, results[k], 0, type), outcome(fault, results[0], 0, type))
          << name << ": item " << k;
    }
    return outcome(fault, results[0], site, type);
  }

  static constexpr std::uint64_t kNoItem = 0xDEADBEEF;
  std::unique_ptr<Jit> jit_;
};

// f(a: int, b: int) = a % b
lower::Module int_remainder() {
  FunctionBuilder f("rem", Type::kInt);
  std::uint32_t a = f.param(Type::kInt);
  std::uint32_t b = f.param(Type::kInt);
  f.node(Op::kMod, Type::kInt, {a, b});
  return module_of({f.done()});
}

TEST_F(FastPathTest, Int64MinRemainderMinusOneIsZero) {
  EXPECT_EQ(run(int_remainder(), "rem", {I(kMin), I(-1)}), expect_result(std::int64_t{0}));
  EXPECT_EQ(run(int_remainder(), "rem", {I(kMin), I(0)}), expect_fault(Fault::kDivisionByZero, 2));
  EXPECT_EQ(run(int_remainder(), "rem", {I(-7), I(3)}), expect_result(std::int64_t{-1}));
}

// f(p: bool, a: int, b: int) = p and a % b == 0
lower::Module remainder_behind_and() {
  FunctionBuilder f("guarded", Type::kBool);
  std::uint32_t p = f.param(Type::kBool);
  std::uint32_t a = f.param(Type::kInt);
  std::uint32_t b = f.param(Type::kInt);
  std::uint32_t rem = f.node(Op::kMod, Type::kInt, {a, b});
  std::uint32_t zero = f.node(Op::kEq, Type::kBool, {rem, f.integer(0)});
  f.node(Op::kAnd, Type::kBool, {p, zero});
  return module_of({f.done()});
}

TEST_F(FastPathTest, RemainderByZeroOnTheMaskedSideOfAnd) {
  EXPECT_EQ(run(remainder_behind_and(), "guarded", {B(false), I(5), I(0)}), expect_bool(false));
  EXPECT_EQ(run(remainder_behind_and(), "guarded", {B(true), I(5), I(0)}),
            expect_fault(Fault::kDivisionByZero, 3));
  EXPECT_EQ(run(remainder_behind_and(), "guarded", {B(true), I(kMin), I(-1)}), expect_bool(true));
}

// f(p: bool, x: real) = p and x * 2 > 1: x itself is not tested (its use propagates),
// the product is (a comparison hides it).
lower::Module comparison_of_a_product() {
  FunctionBuilder f("hidden", Type::kBool);
  std::uint32_t p = f.param(Type::kBool);
  std::uint32_t x = f.param(Type::kReal);
  std::uint32_t twice = f.node(Op::kMul, Type::kReal, {x, f.real(2.0)});
  std::uint32_t above = f.node(Op::kGt, Type::kBool, {twice, f.real(1.0)});
  f.node(Op::kAnd, Type::kBool, {p, above});
  return module_of({f.done()});
}

TEST_F(FastPathTest, NaNHiddenBehindAComparison) {
  lower::Module m = comparison_of_a_product();
  EXPECT_EQ(run(m, "hidden", {B(true), R(kNaN)}), expect_fault(Fault::kNotANumber, 1));
  EXPECT_EQ(run(m, "hidden", {B(true), R(-kInf)}), expect_fault(Fault::kInfinite, 1));
  EXPECT_EQ(run(m, "hidden", {B(true), R(1e308)}), expect_fault(Fault::kInfinite, 3));
  EXPECT_EQ(run(m, "hidden", {B(false), R(kNaN)}), expect_bool(false));
  EXPECT_EQ(run(m, "hidden", {B(true), R(0.75)}), expect_bool(true));
}

// f(x: real, y: real) = x <op> y, real
lower::Module real_binary(Op op) {
  FunctionBuilder f("op", Type::kReal);
  std::uint32_t x = f.param(Type::kReal);
  std::uint32_t y = f.param(Type::kReal);
  f.node(op, Type::kReal, {x, y});
  return module_of({f.done()});
}

TEST_F(FastPathTest, DivisionByInfinityFaultsAtTheDivisor) {
  lower::Module m = real_binary(Op::kDiv);
  EXPECT_EQ(run(m, "op", {R(1.0), R(kInf)}), expect_fault(Fault::kInfinite, 1));
  EXPECT_EQ(run(m, "op", {R(kInf), R(2.0)}), expect_fault(Fault::kInfinite, 0));
  EXPECT_EQ(run(m, "op", {R(1.0), R(-0.0)}), expect_fault(Fault::kDivisionByZero, 2));
  EXPECT_EQ(run(m, "op", {R(0.0), R(0.0)}), expect_fault(Fault::kDivisionByZero, 2));
  EXPECT_EQ(run(m, "op", {R(1e308), R(1e-10)}), expect_fault(Fault::kInfinite, 2));
  EXPECT_EQ(run(m, "op", {R(1.0), R(3.0)}), expect_result(1.0 / 3.0));
}

TEST_F(FastPathTest, RemainderByInfinityFaultsAtTheDivisor) {
  lower::Module m = real_binary(Op::kMod);
  EXPECT_EQ(run(m, "op", {R(5.5), R(kInf)}), expect_fault(Fault::kInfinite, 1));
  EXPECT_EQ(run(m, "op", {R(5.5), R(kNaN)}), expect_fault(Fault::kNotANumber, 1));
  EXPECT_EQ(run(m, "op", {R(kInf), R(2.0)}), expect_fault(Fault::kInfinite, 0));
  EXPECT_EQ(run(m, "op", {R(5.5), R(0.0)}), expect_fault(Fault::kDivisionByZero, 2));
  EXPECT_EQ(run(m, "op", {R(-5.5), R(2.0)}), expect_result(-1.5));
}

// f(p: bool, a: int, b: int) = p or a + b > 0
lower::Module overflow_behind_or() {
  FunctionBuilder f("either", Type::kBool);
  std::uint32_t p = f.param(Type::kBool);
  std::uint32_t a = f.param(Type::kInt);
  std::uint32_t b = f.param(Type::kInt);
  std::uint32_t sum = f.node(Op::kAdd, Type::kInt, {a, b});
  std::uint32_t positive = f.node(Op::kGt, Type::kBool, {sum, f.integer(0)});
  f.node(Op::kOr, Type::kBool, {p, positive});
  return module_of({f.done()});
}

TEST_F(FastPathTest, OverflowMaskedByShortCircuit) {
  lower::Module m = overflow_behind_or();
  EXPECT_EQ(run(m, "either", {B(true), I(kMax), I(1)}), expect_bool(true));
  EXPECT_EQ(run(m, "either", {B(false), I(kMax), I(1)}), expect_fault(Fault::kOverflow, 3));
  EXPECT_EQ(run(m, "either", {B(false), I(kMax), I(-1)}), expect_bool(true));
}

// f0(x) calls f1(x) ... calls f<n-1>(x) = x + 1: f<k> runs at depth k.
lower::Module call_chain(int n) {
  std::vector<lower::Function> functions;
  for (int k = 0; k + 1 < n; ++k) {
    FunctionBuilder f("f" + std::to_string(k), Type::kReal);
    f.call(static_cast<std::uint32_t>(k + 1), Type::kReal, {f.param(Type::kReal)});
    functions.push_back(f.done());
  }
  FunctionBuilder last("f" + std::to_string(n - 1), Type::kReal);
  last.node(Op::kAdd, Type::kReal, {last.param(Type::kReal), last.real(1.0)});
  functions.push_back(last.done());
  return module_of(functions);
}

TEST_F(FastPathTest, DeepCallsStopAtTheDepthLimit) {
  // The deepest function runs at depth kMaxCallDepth: allowed; one more is not.
  lower::Module allowed = call_chain(lower::kMaxCallDepth + 1);
  EXPECT_EQ(run(allowed, "f0", {R(2.0)}), expect_result(3.0));
  EXPECT_EQ(run(allowed, "f0", {R(kNaN)}), expect_fault(Fault::kNotANumber, 0));
  lower::Module too_deep = call_chain(lower::kMaxCallDepth + 2);
  EXPECT_EQ(run(too_deep, "f0", {R(2.0)}), expect_fault(Fault::kCallDepth, 1));
  EXPECT_EQ(run(too_deep, "f1", {R(2.0)}), expect_result(3.0));
}

// countdown(n: int) = n <= 0 or countdown(n - 1): recursive, so the fast body calls the
// checked one, and eager evaluation of `or` still stops.
lower::Module countdown() {
  FunctionBuilder f("countdown", Type::kBool);
  std::uint32_t n = f.param(Type::kInt);
  std::uint32_t done = f.node(Op::kLe, Type::kBool, {n, f.integer(0)});
  std::uint32_t next = f.node(Op::kSub, Type::kInt, {n, f.integer(1)});
  f.node(Op::kOr, Type::kBool, {done, f.call(0, Type::kBool, {next})});
  return module_of({f.done()});
}

TEST_F(FastPathTest, RecursionThroughTheCheckedBody) {
  lower::Module m = countdown();
  EXPECT_EQ(run(m, "countdown", {I(lower::kMaxCallDepth)}), expect_bool(true));
  EXPECT_EQ(run(m, "countdown", {I(lower::kMaxCallDepth + 1)}), expect_fault(Fault::kCallDepth, 5));
  EXPECT_EQ(run(m, "countdown", {I(kMin)}), expect_bool(true));
}

}  // namespace
}  // namespace gemba::jit
