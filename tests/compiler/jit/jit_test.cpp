#include "compiler/jit/jit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

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
constexpr std::uint32_t kNoSite = 0xFFFFFFFF;


struct Outcome {
  Fault fault = Fault::kNone;
  Scalar result{};
  std::uint32_t site = kNoSite;
};

// f(a: type, b: type) -> result = a <op> b
lower::Function binary(const std::string& name, Op op, Type operand, Type result) {
  FunctionBuilder f(name, result);
  std::uint32_t a = f.param(operand);
  std::uint32_t b = f.param(operand);
  f.node(op, result, {a, b});
  return f.done();
}

class JitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    jit_ = Jit::create(&error);
    ASSERT_NE(jit_, nullptr) << error;
  }

  ModuleHandle add(const lower::Module& module) {
    std::string error;
    std::optional<ModuleHandle> handle = jit_->add(module, &error);
    EXPECT_TRUE(handle.has_value()) << error;
    return handle.value_or(ModuleHandle{});
  }

  // Compiles a one-function module and runs it.
  Outcome run1(const lower::Function& function, std::vector<Scalar> args) {
    return run(add(module_of({function})), function.name, args);
  }

  Outcome run(ModuleHandle module, const std::string& name, std::vector<Scalar> args) {
    Outcome out;
    lower::EntryPoint entry = jit_->lookup(module, name);
    EXPECT_NE(entry, nullptr) << name;
    if (entry == nullptr) return out;
    out.fault = static_cast<Fault>(entry(args.data(), &out.result, &out.site));
    return out;
  }

  std::unique_ptr<Jit> jit_;
};

TEST_F(JitTest, IntArithmetic) {
  ModuleHandle m = add(module_of({binary("add", Op::kAdd, Type::kInt, Type::kInt),
                                  binary("sub", Op::kSub, Type::kInt, Type::kInt),
                                  binary("mul", Op::kMul, Type::kInt, Type::kInt),
                                  binary("mod", Op::kMod, Type::kInt, Type::kInt)}));
  EXPECT_EQ(run(m, "add", {I(40), I(2)}).result.i, 42);
  EXPECT_EQ(run(m, "sub", {I(40), I(-2)}).result.i, 42);
  EXPECT_EQ(run(m, "mul", {I(-6), I(7)}).result.i, -42);
  EXPECT_EQ(run(m, "mod", {I(-7), I(3)}).result.i, -1);  // sign of the dividend
  EXPECT_EQ(run(m, "mod", {I(7), I(-3)}).result.i, 1);
  EXPECT_EQ(run(m, "add", {I(kMax), I(0)}).fault, Fault::kNone);
}

TEST_F(JitTest, IntNegation) {
  FunctionBuilder f("neg", Type::kInt);
  f.node(Op::kNeg, Type::kInt, {f.param(Type::kInt)});
  lower::Function neg = f.done();
  EXPECT_EQ(run1(neg, {I(5)}).result.i, -5);
  EXPECT_EQ(run1(neg, {I(kMax)}).result.i, -kMax);
  Outcome o = run1(neg, {I(kMin)});
  EXPECT_EQ(o.fault, Fault::kOverflow);
  EXPECT_EQ(o.site, 1u);
}

TEST_F(JitTest, Int64MinEdges) {
  ModuleHandle m = add(module_of({binary("add", Op::kAdd, Type::kInt, Type::kInt),
                                  binary("sub", Op::kSub, Type::kInt, Type::kInt),
                                  binary("mul", Op::kMul, Type::kInt, Type::kInt),
                                  binary("mod", Op::kMod, Type::kInt, Type::kInt)}));
  Outcome mod = run(m, "mod", {I(kMin), I(-1)});
  EXPECT_EQ(mod.fault, Fault::kNone);
  EXPECT_EQ(mod.result.i, 0);
  EXPECT_EQ(run(m, "mod", {I(kMin), I(1)}).result.i, 0);
  EXPECT_EQ(run(m, "mod", {I(kMin), I(kMax)}).result.i, -1);
  EXPECT_EQ(run(m, "mod", {I(kMax), I(-1)}).result.i, 0);
  EXPECT_EQ(run(m, "sub", {I(kMin), I(1)}).fault, Fault::kOverflow);
  EXPECT_EQ(run(m, "sub", {I(0), I(kMin)}).fault, Fault::kOverflow);
  EXPECT_EQ(run(m, "add", {I(kMax), I(1)}).fault, Fault::kOverflow);
  EXPECT_EQ(run(m, "add", {I(kMin), I(kMax)}).result.i, -1);
  EXPECT_EQ(run(m, "mul", {I(kMin), I(-1)}).fault, Fault::kOverflow);
  EXPECT_EQ(run(m, "mul", {I(kMin), I(1)}).result.i, kMin);
  Outcome o = run(m, "mul", {I(std::int64_t{1} << 32), I(std::int64_t{1} << 31)});
  EXPECT_EQ(o.fault, Fault::kOverflow);
  EXPECT_EQ(o.site, 2u);
}

TEST_F(JitTest, RealArithmeticIsBitExact) {
  // a * b + c: a fused multiply-add would give 5.551115123125783e-17, not 0.
  FunctionBuilder f("fma_probe", Type::kReal);
  std::uint32_t a = f.param(Type::kReal);
  std::uint32_t b = f.param(Type::kReal);
  std::uint32_t c = f.param(Type::kReal);
  f.node(Op::kAdd, Type::kReal, {f.node(Op::kMul, Type::kReal, {a, b}), c});
  volatile double x = 0.1, y = 10.0, z = -1.0;
  double product = x * y;
  Outcome o = run1(f.done(), {R(x), R(y), R(z)});
  ASSERT_EQ(o.fault, Fault::kNone);
  EXPECT_EQ(o.result.r, product + z);
  EXPECT_EQ(o.result.r, 0.0);

  ModuleHandle m = add(module_of({binary("div", Op::kDiv, Type::kReal, Type::kReal),
                                  binary("mod", Op::kMod, Type::kReal, Type::kReal),
                                  binary("sub", Op::kSub, Type::kReal, Type::kReal)}));
  EXPECT_EQ(run(m, "div", {R(1.0), R(3.0)}).result.r, 1.0 / 3.0);
  EXPECT_EQ(run(m, "mod", {R(5.5), R(-2.0)}).result.r, std::fmod(5.5, -2.0));
  EXPECT_EQ(run(m, "mod", {R(-1e300), R(0.7)}).result.r, std::fmod(-1e300, 0.7));
  EXPECT_TRUE(std::signbit(run(m, "mod", {R(-4.0), R(2.0)}).result.r));  // fmod: -0
  EXPECT_EQ(run(m, "sub", {R(0.3), R(0.1)}).result.r, 0.3 - 0.1);
}

TEST_F(JitTest, NegationAndConversion) {
  FunctionBuilder f("conv", Type::kReal);
  f.node(Op::kNeg, Type::kReal, {f.node(Op::kToReal, Type::kReal, {f.param(Type::kInt)})});
  lower::Function conv = f.done();
  std::int64_t odd = (std::int64_t{1} << 53) + 1;  // not representable: rounds to even
  EXPECT_EQ(run1(conv, {I(odd)}).result.r, -static_cast<double>(odd));
  EXPECT_EQ(run1(conv, {I(kMin)}).result.r, 9223372036854775808.0);
}

TEST_F(JitTest, ComparisonsAndBools) {
  ModuleHandle m = add(module_of({binary("lt", Op::kLt, Type::kReal, Type::kBool),
                                  binary("ge", Op::kGe, Type::kInt, Type::kBool),
                                  binary("eq", Op::kEq, Type::kBool, Type::kBool),
                                  binary("ne", Op::kNe, Type::kReal, Type::kBool)}));
  EXPECT_TRUE(run(m, "lt", {R(-0.5), R(0.25)}).result.b);
  EXPECT_FALSE(run(m, "lt", {R(0.25), R(0.25)}).result.b);
  EXPECT_TRUE(run(m, "ge", {I(kMin + 1), I(kMin)}).result.b);
  EXPECT_TRUE(run(m, "eq", {B(false), B(false)}).result.b);
  EXPECT_FALSE(run(m, "ne", {R(0.0), R(-0.0)}).result.b);
  // A bool result is a zero-extended word, like the interpreter's.
  Scalar dirty;
  dirty.i = -1;
  lower::EntryPoint eq = jit_->lookup(m, "eq");
  Scalar args[2] = {B(true), B(true)};
  ASSERT_EQ(eq(args, &dirty, nullptr), 0);
  EXPECT_EQ(dirty.i, 1);
}

TEST_F(JitTest, RealFaultsAtTheirNode) {
  ModuleHandle m = add(module_of({binary("div", Op::kDiv, Type::kReal, Type::kReal),
                                  binary("mod", Op::kMod, Type::kReal, Type::kReal),
                                  binary("mul", Op::kMul, Type::kReal, Type::kReal),
                                  binary("add", Op::kAdd, Type::kReal, Type::kReal)}));
  Outcome o = run(m, "div", {R(1.0), R(-0.0)});
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, 2u);
  EXPECT_EQ(run(m, "mod", {R(1.0), R(0.0)}).fault, Fault::kDivisionByZero);
  o = run(m, "mul", {R(1e308), R(10.0)});
  EXPECT_EQ(o.fault, Fault::kInfinite);
  EXPECT_EQ(o.site, 2u);
  EXPECT_EQ(run(m, "div", {R(1e308), R(1e-10)}).fault, Fault::kInfinite);
  EXPECT_EQ(run(m, "add", {R(-1.7e308), R(-1.7e308)}).fault, Fault::kInfinite);
  // Arguments are checked at their kParam node, the first one first.
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  o = run(m, "add", {R(1.0), R(nan)});
  EXPECT_EQ(o.fault, Fault::kNotANumber);
  EXPECT_EQ(o.site, 1u);
  o = run(m, "add", {R(-inf), R(nan)});
  EXPECT_EQ(o.fault, Fault::kInfinite);
  EXPECT_EQ(o.site, 0u);
  // The divisor is a NaN argument: it faults before the division is considered.
  EXPECT_EQ(run(m, "div", {R(1.0), R(nan)}).fault, Fault::kNotANumber);
}

TEST_F(JitTest, IntModByZero) {
  Outcome o = run1(binary("mod", Op::kMod, Type::kInt, Type::kInt), {I(kMin), I(0)});
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, 2u);
}

TEST_F(JitTest, NullFaultSiteIsAllowed) {
  ModuleHandle m = add(module_of({binary("mod", Op::kMod, Type::kInt, Type::kInt)}));
  Scalar args[2] = {I(1), I(0)};
  Scalar result{};
  EXPECT_EQ(jit_->lookup(m, "mod")(args, &result, nullptr),
            static_cast<std::int32_t>(Fault::kDivisionByZero));
}

// f(p: bool, x: real) = p and 1.0 / x > 0.0, or with `or`.
lower::Function guarded(const std::string& name, Op op) {
  FunctionBuilder f(name, Type::kBool);
  std::uint32_t p = f.param(Type::kBool);
  std::uint32_t x = f.param(Type::kReal);
  std::uint32_t q = f.node(Op::kDiv, Type::kReal, {f.real(1.0), x});
  std::uint32_t positive = f.node(Op::kGt, Type::kBool, {q, f.real(0.0)});
  f.node(op, Type::kBool, {p, positive});
  return f.done();
}

TEST_F(JitTest, AndOrShortCircuit) {
  ModuleHandle m = add(module_of({guarded("and_", Op::kAnd), guarded("or_", Op::kOr)}));
  Outcome o = run(m, "and_", {B(false), R(0.0)});
  EXPECT_EQ(o.fault, Fault::kNone);
  EXPECT_FALSE(o.result.b);
  o = run(m, "or_", {B(true), R(0.0)});
  EXPECT_EQ(o.fault, Fault::kNone);
  EXPECT_TRUE(o.result.b);
  o = run(m, "and_", {B(true), R(0.0)});
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, 3u);
  EXPECT_EQ(run(m, "or_", {B(false), R(0.0)}).fault, Fault::kDivisionByZero);
  EXPECT_TRUE(run(m, "and_", {B(true), R(2.0)}).result.b);
  EXPECT_FALSE(run(m, "or_", {B(false), R(-2.0)}).result.b);
}

TEST_F(JitTest, NodeSharedBetweenRightOperandAndLaterUse) {
  // (p and x / y > 1) == (x / y > 2), the quotient node shared by both sides.
  FunctionBuilder f("shared", Type::kBool);
  std::uint32_t p = f.param(Type::kBool);
  std::uint32_t x = f.param(Type::kReal);
  std::uint32_t y = f.param(Type::kReal);
  std::uint32_t q = f.node(Op::kDiv, Type::kReal, {x, y});
  std::uint32_t left =
      f.node(Op::kAnd, Type::kBool, {p, f.node(Op::kGt, Type::kBool, {q, f.real(1.0)})});
  std::uint32_t right = f.node(Op::kGt, Type::kBool, {q, f.real(2.0)});
  f.node(Op::kEq, Type::kBool, {left, right});
  lower::Function shared = f.done();
  ModuleHandle m = add(module_of({shared}));
  EXPECT_TRUE(run(m, "shared", {B(true), R(3.0), R(1.0)}).result.b);
  EXPECT_FALSE(run(m, "shared", {B(false), R(3.0), R(1.0)}).result.b);
  Outcome o = run(m, "shared", {B(false), R(3.0), R(0.0)});
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, q);
}

// countdown(n: int) = n <= 0 or countdown(n - 1)
lower::Function countdown() {
  FunctionBuilder f("countdown", Type::kBool);
  std::uint32_t n = f.param(Type::kInt);
  std::uint32_t done = f.node(Op::kLe, Type::kBool, {n, f.integer(0)});
  std::uint32_t next = f.node(Op::kSub, Type::kInt, {n, f.integer(1)});
  f.node(Op::kOr, Type::kBool, {done, f.call(0, Type::kBool, {next})});
  return f.done();
}

TEST_F(JitTest, CallDepth) {
  ModuleHandle m = add(module_of({countdown()}));
  Outcome o = run(m, "countdown", {I(lower::kMaxCallDepth)});
  EXPECT_EQ(o.fault, Fault::kNone);
  EXPECT_TRUE(o.result.b);
  o = run(m, "countdown", {I(lower::kMaxCallDepth + 1)});
  EXPECT_EQ(o.fault, Fault::kCallDepth);
  EXPECT_EQ(o.site, 5u);  // the kCall node of the entry function
}

TEST_F(JitTest, UnboundedRecursionStopsAtTheDepthLimit) {
  FunctionBuilder f("forever", Type::kReal);
  f.call(0, Type::kReal, {f.param(Type::kReal)});
  Outcome o = run1(f.done(), {R(1.0)});
  EXPECT_EQ(o.fault, Fault::kCallDepth);
  EXPECT_EQ(o.site, 1u);
}

TEST_F(JitTest, CalleeFaultIsReportedAtTheCall) {
  // inverse(x) = 1 / x; caller(a, b) = a + inverse(b)
  FunctionBuilder inv("inverse", Type::kReal);
  inv.node(Op::kDiv, Type::kReal, {inv.real(1.0), inv.param(Type::kReal)});
  FunctionBuilder caller("caller", Type::kReal);
  std::uint32_t a = caller.param(Type::kReal);
  std::uint32_t b = caller.param(Type::kReal);
  std::uint32_t call = caller.call(0, Type::kReal, {b});
  caller.node(Op::kAdd, Type::kReal, {a, call});
  ModuleHandle m = add(module_of({inv.done(), caller.done()}));
  EXPECT_EQ(run(m, "caller", {R(1.0), R(4.0)}).result.r, 1.25);
  Outcome o = run(m, "caller", {R(1.0), R(0.0)});
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, call);
  o = run(m, "inverse", {R(0.0)});
  EXPECT_EQ(o.site, 2u);
}

TEST_F(JitTest, RemoveThenAddAgain) {
  lower::Module module = module_of({binary("add", Op::kAdd, Type::kInt, Type::kInt)});
  ModuleHandle first = add(module);
  ASSERT_NE(jit_->lookup(first, "add"), nullptr);
  std::string error;
  ASSERT_TRUE(jit_->remove(first, &error)) << error;
  EXPECT_EQ(jit_->lookup(first, "add"), nullptr);
  EXPECT_FALSE(jit_->remove(first, &error));
  EXPECT_FALSE(error.empty());
  ModuleHandle second = add(module);
  EXPECT_NE(second.id, first.id);
  EXPECT_EQ(run(second, "add", {I(2), I(3)}).result.i, 5);
}

TEST_F(JitTest, ModulesMayShareFunctionNames) {
  ModuleHandle adds = add(module_of({binary("f", Op::kAdd, Type::kInt, Type::kInt)}, "a"));
  ModuleHandle muls = add(module_of({binary("f", Op::kMul, Type::kInt, Type::kInt)}, "a"));
  EXPECT_EQ(run(adds, "f", {I(3), I(4)}).result.i, 7);
  EXPECT_EQ(run(muls, "f", {I(3), I(4)}).result.i, 12);
}

TEST_F(JitTest, FunctionNamedLikeAProcessSymbol) {
  // Exported names carry a prefix: a function `fmod` neither shadows nor clashes with C's.
  ModuleHandle m = add(module_of({binary("fmod", Op::kMod, Type::kReal, Type::kReal)}));
  EXPECT_EQ(run(m, "fmod", {R(5.5), R(-2.0)}).result.r, std::fmod(5.5, -2.0));
}

TEST_F(JitTest, ManyFunctionsInOneModule) {
  std::vector<lower::Function> functions;
  for (int k = 0; k < 200; ++k) {
    FunctionBuilder f("plus_" + std::to_string(k), Type::kInt);
    f.node(Op::kAdd, Type::kInt, {f.param(Type::kInt), f.integer(k)});
    functions.push_back(f.done());
  }
  ModuleHandle m = add(module_of(functions));
  for (int k = 0; k < 200; ++k) {
    EXPECT_EQ(run(m, "plus_" + std::to_string(k), {I(1000)}).result.i, 1000 + k);
  }
  EXPECT_EQ(jit_->lookup(m, "plus_200"), nullptr);
  EXPECT_EQ(jit_->lookup(ModuleHandle{9999}, "plus_1"), nullptr);
}

TEST_F(JitTest, InvalidModuleIsAnErrorNotACrash) {
  FunctionBuilder f("bad", Type::kInt);
  f.node(Op::kAdd, Type::kInt, {f.param(Type::kInt), f.real(1.0)});  // int + real
  std::string error;
  EXPECT_FALSE(jit_->add(module_of({f.done()}), &error).has_value());
  EXPECT_NE(error.find("invalid lowered module"), std::string::npos) << error;
}

TEST_F(JitTest, NoParameters) {
  FunctionBuilder f("answer", Type::kInt);
  f.node(Op::kMul, Type::kInt, {f.integer(6), f.integer(7)});
  Outcome o = run1(f.done(), {});
  EXPECT_EQ(o.result.i, 42);
}

}  // namespace
}  // namespace gemba::jit
