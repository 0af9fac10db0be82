// The reference interpreter against each row of the run-time semantics table
// (compiler/lower/README.md), on hand-built modules with exact values and fault sites.
#include "compiler/interp/interpreter.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace gemba::interp {
namespace {

using lower::Fault;
using lower::Op;
using lower::Scalar;
using lower::Type;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Builds one function node by node; each method returns the new node's index.
class FunctionBuilder {
 public:
  FunctionBuilder(std::string name, std::vector<Type> params, Type result) {
    f_.name = std::move(name);
    f_.params = std::move(params);
    f_.result = result;
  }

  std::uint32_t boolean(bool b) { return constant(Type::kBool, Scalar{.b = b}); }
  std::uint32_t integer(std::int64_t i) { return constant(Type::kInt, Scalar{.i = i}); }
  std::uint32_t real(double r) { return constant(Type::kReal, Scalar{.r = r}); }

  std::uint32_t param(std::uint32_t index) {
    std::uint32_t n = node(Op::kParam, f_.params.at(index), {});
    f_.nodes[n].index = index;
    return n;
  }

  std::uint32_t node(Op op, Type type, std::vector<std::uint32_t> args) {
    lower::Node n;
    n.op = op;
    n.type = type;
    n.args = std::move(args);
    f_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(f_.nodes.size() - 1);
  }

  std::uint32_t call(std::uint32_t callee, Type type, std::vector<std::uint32_t> args) {
    std::uint32_t n = node(Op::kCall, type, std::move(args));
    f_.nodes[n].index = callee;
    return n;
  }

  lower::Function done() {
    f_.root = static_cast<std::uint32_t>(f_.nodes.size() - 1);
    return std::move(f_);
  }

 private:
  std::uint32_t constant(Type type, Scalar value) {
    std::uint32_t n = node(Op::kConst, type, {});
    f_.nodes[n].value = value;
    return n;
  }

  lower::Function f_;
};

lower::Module module_of(std::vector<lower::Function> functions) {
  lower::Module m;
  m.name = "test";
  m.functions = std::move(functions);
  EXPECT_EQ(lower::verify(m), "");
  return m;
}

struct Outcome {
  Fault fault;
  Scalar result;
  std::uint32_t site;
};

Outcome run(const lower::Module& m, std::vector<Scalar> args = {}, std::size_t function = 0) {
  Interpreter interpreter(m);
  Outcome out{Fault::kNone, Scalar{}, UINT32_MAX};
  out.fault = interpreter.call(function, args.data(), &out.result, &out.site);
  return out;
}

// `a op b` over two constants of one type.
lower::Module binary(Op op, Type type, Scalar a, Scalar b, Type result) {
  FunctionBuilder f("f", {}, result);
  std::uint32_t x = f.node(Op::kConst, type, {});
  std::uint32_t y = f.node(Op::kConst, type, {});
  f.node(op, result, {x, y});
  lower::Function fn = f.done();
  fn.nodes[x].value = a;
  fn.nodes[y].value = b;
  return module_of({std::move(fn)});
}

Outcome int_op(Op op, std::int64_t a, std::int64_t b) {
  return run(binary(op, Type::kInt, Scalar{.i = a}, Scalar{.i = b}, Type::kInt));
}

Outcome real_op(Op op, double a, double b) {
  return run(binary(op, Type::kReal, Scalar{.r = a}, Scalar{.r = b}, Type::kReal));
}

std::int64_t int_ok(Outcome o) {
  EXPECT_EQ(o.fault, Fault::kNone);
  return o.result.i;
}

double real_ok(Outcome o) {
  EXPECT_EQ(o.fault, Fault::kNone);
  return o.result.r;
}

TEST(Interpreter, IntArithmeticIsExact) {
  EXPECT_EQ(int_ok(int_op(Op::kAdd, INT64_MAX - 1, 1)), INT64_MAX);
  EXPECT_EQ(int_ok(int_op(Op::kSub, INT64_MIN + 1, 1)), INT64_MIN);
  EXPECT_EQ(int_ok(int_op(Op::kMul, -3037000499, 3037000499)), -9223372030926249001);
  EXPECT_EQ(int_ok(int_op(Op::kMul, INT64_MIN, 1)), INT64_MIN);
}

TEST(Interpreter, IntOverflowFaultsAtTheOperation) {
  for (Outcome o : {int_op(Op::kAdd, INT64_MAX, 1), int_op(Op::kSub, INT64_MIN, 1),
                    int_op(Op::kMul, INT64_MIN, -1), int_op(Op::kMul, 3037000500, 3037000500)}) {
    EXPECT_EQ(o.fault, Fault::kOverflow);
    EXPECT_EQ(o.site, 2u);
  }
}

TEST(Interpreter, IntNegationOverflowsOnlyAtMin) {
  auto neg = [](std::int64_t a) {
    FunctionBuilder f("f", {}, Type::kInt);
    f.node(Op::kNeg, Type::kInt, {f.integer(a)});
    return run(module_of({f.done()}));
  };
  EXPECT_EQ(int_ok(neg(INT64_MAX)), -INT64_MAX);
  EXPECT_EQ(int_ok(neg(0)), 0);
  Outcome o = neg(INT64_MIN);
  EXPECT_EQ(o.fault, Fault::kOverflow);
  EXPECT_EQ(o.site, 1u);
}

TEST(Interpreter, IntRemainderTruncates) {
  EXPECT_EQ(int_ok(int_op(Op::kMod, 7, -2)), 1);
  EXPECT_EQ(int_ok(int_op(Op::kMod, -7, 2)), -1);
  EXPECT_EQ(int_ok(int_op(Op::kMod, -7, -2)), -1);
  EXPECT_EQ(int_ok(int_op(Op::kMod, INT64_MIN, -1)), 0);
  EXPECT_EQ(int_ok(int_op(Op::kMod, INT64_MIN, INT64_MAX)), -1);
  Outcome o = int_op(Op::kMod, 5, 0);
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, 2u);
}

TEST(Interpreter, RealDivisionByZeroIsCheckedFirst) {
  for (Outcome o :
       {real_op(Op::kDiv, 1.0, 0.0), real_op(Op::kDiv, 0.0, 0.0), real_op(Op::kDiv, 1.0, -0.0),
        real_op(Op::kMod, 1.0, 0.0), real_op(Op::kMod, 0.0, -0.0)}) {
    EXPECT_EQ(o.fault, Fault::kDivisionByZero);
    EXPECT_EQ(o.site, 2u);
  }
}

TEST(Interpreter, RealResultsAreIeee) {
  EXPECT_EQ(real_ok(real_op(Op::kAdd, 0.1, 0.2)), 0.1 + 0.2);
  EXPECT_EQ(real_ok(real_op(Op::kDiv, 1.0, 3.0)), 1.0 / 3.0);
  EXPECT_EQ(real_ok(real_op(Op::kMod, -7.5, 2.0)), -1.5);
  EXPECT_EQ(real_ok(real_op(Op::kMod, 7.5, -2.0)), 1.5);
  EXPECT_EQ(real_ok(real_op(Op::kMul, 1e-300, 1e-300)), 0.0);  // underflow is no fault
  double negative_zero = real_ok(real_op(Op::kMul, -0.0, 1.0));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(negative_zero), std::bit_cast<std::uint64_t>(-0.0));
}

TEST(Interpreter, RealOverflowFaultsInfinite) {
  for (Outcome o : {real_op(Op::kMul, 1e308, 10.0), real_op(Op::kAdd, 1e308, 1e308),
                    real_op(Op::kSub, -1e308, 1e308), real_op(Op::kDiv, 1e308, 1e-10)}) {
    EXPECT_EQ(o.fault, Fault::kInfinite);
    EXPECT_EQ(o.site, 2u);
  }
}

TEST(Interpreter, ConversionToRealRoundsToNearest) {
  auto to_real = [](std::int64_t a) {
    FunctionBuilder f("f", {}, Type::kReal);
    f.node(Op::kToReal, Type::kReal, {f.integer(a)});
    return real_ok(run(module_of({f.done()})));
  };
  EXPECT_EQ(to_real(INT64_MAX), 0x1p63);
  EXPECT_EQ(to_real(INT64_MIN), -0x1p63);
  EXPECT_EQ(to_real((INT64_C(1) << 53) + 1), 0x1p53);  // ties to even
  EXPECT_EQ(to_real((INT64_C(1) << 53) + 3), 0x1p53 + 4);
  EXPECT_EQ(to_real(-5), -5.0);
}

TEST(Interpreter, NonFiniteArgumentsFaultAtTheirParam) {
  FunctionBuilder f("f", {Type::kReal, Type::kReal}, Type::kReal);
  std::uint32_t a = f.param(0);
  std::uint32_t b = f.param(1);
  f.node(Op::kAdd, Type::kReal, {a, b});
  lower::Module m = module_of({f.done()});
  Outcome nan = run(m, {Scalar{.r = 1.0}, Scalar{.r = kNaN}});
  EXPECT_EQ(nan.fault, Fault::kNotANumber);
  EXPECT_EQ(nan.site, 1u);
  Outcome inf = run(m, {Scalar{.r = -kInf}, Scalar{.r = kNaN}});  // the left one first
  EXPECT_EQ(inf.fault, Fault::kInfinite);
  EXPECT_EQ(inf.site, 0u);
  EXPECT_EQ(real_ok(run(m, {Scalar{.r = 1.5}, Scalar{.r = -0.25}})), 1.25);
}

TEST(Interpreter, ArgumentsNeverReadDoNotFault) {
  FunctionBuilder f("f", {Type::kReal, Type::kInt}, Type::kInt);
  f.param(1);
  EXPECT_EQ(int_ok(run(module_of({f.done()}), {Scalar{.r = kNaN}, Scalar{.i = 4}})), 4);
}

TEST(Interpreter, NonFiniteConstantsFaultAtTheirNode) {
  FunctionBuilder f("f", {}, Type::kReal);
  f.real(kInf);
  Outcome o = run(module_of({f.done()}));
  EXPECT_EQ(o.fault, Fault::kInfinite);
  EXPECT_EQ(o.site, 0u);
}

TEST(Interpreter, FirstFaultInEvaluationOrderIsReported) {
  // (1 / 0) + (1e308 * 10): the left operand faults first.
  FunctionBuilder f("f", {}, Type::kReal);
  std::uint32_t one = f.real(1.0);
  std::uint32_t zero = f.real(0.0);
  std::uint32_t div = f.node(Op::kDiv, Type::kReal, {one, zero});
  std::uint32_t big = f.real(1e308);
  std::uint32_t ten = f.real(10.0);
  std::uint32_t mul = f.node(Op::kMul, Type::kReal, {big, ten});
  f.node(Op::kAdd, Type::kReal, {div, mul});
  Outcome o = run(module_of({f.done()}));
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, div);

  // Depth first, not in node order: the right operand's subtree holds the earlier node.
  FunctionBuilder g("g", {}, Type::kReal);
  std::uint32_t overflow = g.node(Op::kMul, Type::kReal, {g.real(1e308), g.real(10.0)});
  std::uint32_t division = g.node(Op::kDiv, Type::kReal, {g.real(1.0), g.real(0.0)});
  g.node(Op::kAdd, Type::kReal, {division, overflow});
  o = run(module_of({g.done()}));
  EXPECT_EQ(o.fault, Fault::kDivisionByZero);
  EXPECT_EQ(o.site, division);
}

TEST(Interpreter, ComparisonsAreExact) {
  auto cmp = [](Op op, Type type, Scalar a, Scalar b) {
    Outcome o = run(binary(op, type, a, b, Type::kBool));
    EXPECT_EQ(o.fault, Fault::kNone);
    EXPECT_EQ(o.result.i & ~std::int64_t{1}, 0);  // a bool result is 0 or 1, rest zero
    return o.result.b;
  };
  EXPECT_TRUE(cmp(Op::kEq, Type::kReal, {.r = -0.0}, {.r = 0.0}));
  EXPECT_FALSE(cmp(Op::kLt, Type::kReal, {.r = -0.0}, {.r = 0.0}));
  EXPECT_TRUE(cmp(Op::kLt, Type::kReal, {.r = 0x1p53}, {.r = 0x1p53 + 2}));
  EXPECT_TRUE(cmp(Op::kLt, Type::kInt, {.i = INT64_MIN}, {.i = INT64_MAX}));
  EXPECT_TRUE(cmp(Op::kLe, Type::kInt, {.i = 3}, {.i = 3}));
  EXPECT_FALSE(cmp(Op::kGt, Type::kInt, {.i = 3}, {.i = 3}));
  EXPECT_TRUE(cmp(Op::kGe, Type::kReal, {.r = 1e-300}, {.r = 0.0}));
  EXPECT_TRUE(cmp(Op::kNe, Type::kInt, {.i = 1}, {.i = -1}));
  EXPECT_TRUE(cmp(Op::kEq, Type::kBool, {.b = false}, {.b = false}));
  EXPECT_TRUE(cmp(Op::kNe, Type::kBool, {.b = true}, {.b = false}));
}

// `left op (1 / 0 > 0)`, where the right operand faults whenever it is evaluated.
Outcome logical(Op op, bool left) {
  FunctionBuilder f("f", {}, Type::kBool);
  std::uint32_t l = f.boolean(left);
  std::uint32_t div = f.node(Op::kDiv, Type::kReal, {f.real(1.0), f.real(0.0)});
  std::uint32_t r = f.node(Op::kGt, Type::kBool, {div, f.real(0.0)});
  f.node(op, Type::kBool, {l, r});
  return run(module_of({f.done()}));
}

TEST(Interpreter, AndOrShortCircuit) {
  Outcome o = logical(Op::kAnd, false);
  EXPECT_EQ(o.fault, Fault::kNone);
  EXPECT_FALSE(o.result.b);
  o = logical(Op::kOr, true);
  EXPECT_EQ(o.fault, Fault::kNone);
  EXPECT_TRUE(o.result.b);
  for (Outcome evaluated : {logical(Op::kAnd, true), logical(Op::kOr, false)}) {
    EXPECT_EQ(evaluated.fault, Fault::kDivisionByZero);
    EXPECT_EQ(evaluated.site, 3u);
  }
}

TEST(Interpreter, NotAndLogicalValues) {
  for (bool a : {false, true}) {
    for (bool b : {false, true}) {
      lower::Module both = binary(Op::kAnd, Type::kBool, {.b = a}, {.b = b}, Type::kBool);
      lower::Module either = binary(Op::kOr, Type::kBool, {.b = a}, {.b = b}, Type::kBool);
      EXPECT_EQ(run(both).result.b, a && b);
      EXPECT_EQ(run(either).result.b, a || b);
    }
    FunctionBuilder f("f", {}, Type::kBool);
    f.node(Op::kNot, Type::kBool, {f.boolean(a)});
    EXPECT_EQ(run(module_of({f.done()})).result.b, !a);
  }
}

// f0(x: int) = x * 2; f1(x: int, y: real) = to_real(f0(x) + 1) / y; f2(x: int) = f1(f0(x), 4.0).
lower::Module call_chain() {
  FunctionBuilder f0("f0", {Type::kInt}, Type::kInt);
  f0.node(Op::kMul, Type::kInt, {f0.param(0), f0.integer(2)});
  FunctionBuilder f1("f1", {Type::kInt, Type::kReal}, Type::kReal);
  std::uint32_t doubled = f1.call(0, Type::kInt, {f1.param(0)});
  std::uint32_t sum = f1.node(Op::kAdd, Type::kInt, {doubled, f1.integer(1)});
  std::uint32_t real = f1.node(Op::kToReal, Type::kReal, {sum});
  f1.node(Op::kDiv, Type::kReal, {real, f1.param(1)});
  FunctionBuilder f2("f2", {Type::kInt}, Type::kReal);
  std::uint32_t inner = f2.call(0, Type::kInt, {f2.param(0)});
  f2.call(1, Type::kReal, {inner, f2.real(4.0)});
  return module_of({f0.done(), f1.done(), f2.done()});
}

TEST(Interpreter, CallChain) {
  lower::Module m = call_chain();
  EXPECT_EQ(real_ok(run(m, {Scalar{.i = 3}}, 2)), 13.0 / 4.0);  // (3*2*2 + 1) / 4
  EXPECT_EQ(real_ok(run(m, {Scalar{.i = 5}, Scalar{.r = 2.0}}, 1)), 5.5);
  EXPECT_EQ(int_ok(run(m, {Scalar{.i = -4}}, 0)), -8);
}

TEST(Interpreter, FaultInACalleeIsReportedAtTheCall) {
  lower::Module m = call_chain();
  Outcome o = run(m, {Scalar{.i = INT64_MAX / 2}}, 2);  // f0 fine, then f1's f0 overflows
  EXPECT_EQ(o.fault, Fault::kOverflow);
  EXPECT_EQ(o.site, 3u);  // f2's call of f1
  o = run(m, {Scalar{.i = INT64_MAX}}, 2);
  EXPECT_EQ(o.fault, Fault::kOverflow);
  EXPECT_EQ(o.site, 1u);                               // f2's call of f0
  o = run(m, {Scalar{.i = 1}, Scalar{.r = kNaN}}, 1);  // in the callee's own frame
  EXPECT_EQ(o.fault, Fault::kNotANumber);
  EXPECT_EQ(o.site, 5u);
}

TEST(Interpreter, CallArgumentsAreEvaluatedBeforeTheCall) {
  lower::Module m = call_chain();
  FunctionBuilder f3("f3", {Type::kReal}, Type::kReal);
  std::uint32_t overflow = f3.node(Op::kAdd, Type::kInt, {f3.integer(INT64_MAX), f3.integer(1)});
  std::uint32_t nan = f3.param(0);
  f3.call(1, Type::kReal, {overflow, nan});
  m.functions.push_back(f3.done());
  ASSERT_EQ(lower::verify(m), "");
  Outcome o = run(m, {Scalar{.r = kNaN}}, 3);
  EXPECT_EQ(o.fault, Fault::kOverflow);
  EXPECT_EQ(o.site, overflow);
}

// f(n: int): bool = n <= 0 or f(n - 1): n nested calls below the entry call.
lower::Module countdown() {
  FunctionBuilder f("f", {Type::kInt}, Type::kBool);
  std::uint32_t done = f.node(Op::kLe, Type::kBool, {f.param(0), f.integer(0)});
  std::uint32_t next = f.node(Op::kSub, Type::kInt, {f.param(0), f.integer(1)});
  std::uint32_t again = f.call(0, Type::kBool, {next});
  f.node(Op::kOr, Type::kBool, {done, again});
  return module_of({f.done()});
}

TEST(Interpreter, CallsNestAtMostSixtyFourDeep) {
  lower::Module m = countdown();
  Outcome o = run(m, {Scalar{.i = lower::kMaxCallDepth}});
  EXPECT_EQ(o.fault, Fault::kNone);
  EXPECT_TRUE(o.result.b);
  o = run(m, {Scalar{.i = lower::kMaxCallDepth + 1}});
  EXPECT_EQ(o.fault, Fault::kCallDepth);
  EXPECT_EQ(o.site, 6u);  // the kCall node, whichever depth it faulted at
  o = run(m, {Scalar{.i = INT64_MAX}});
  EXPECT_EQ(o.fault, Fault::kCallDepth);
}

TEST(Interpreter, UnboundedRecursionFaults) {
  FunctionBuilder f("f", {}, Type::kInt);
  f.call(0, Type::kInt, {});
  Outcome o = run(module_of({f.done()}));
  EXPECT_EQ(o.fault, Fault::kCallDepth);
  EXPECT_EQ(o.site, 0u);
}

TEST(Interpreter, FaultSiteMayBeNull) {
  Interpreter interpreter(binary(Op::kMod, Type::kInt, {.i = 1}, {.i = 0}, Type::kInt));
  Scalar result;
  EXPECT_EQ(interpreter.call(0, nullptr, &result, nullptr), Fault::kDivisionByZero);
}

TEST(Interpreter, FindsFunctionsByName) {
  Interpreter interpreter(call_chain());
  EXPECT_EQ(interpreter.find("f0"), 0u);
  EXPECT_EQ(interpreter.find("f2"), 2u);
  EXPECT_EQ(interpreter.find("g"), std::nullopt);
}

// f(x: int, y: int) = x % y
lower::Module remainder() {
  FunctionBuilder f("rem", {Type::kInt, Type::kInt}, Type::kInt);
  f.node(Op::kMod, Type::kInt, {f.param(0), f.param(1)});
  return module_of({f.done()});
}

TEST(Interpreter, BatchRunsEveryItem) {
  Interpreter interpreter(remainder());
  std::vector<Scalar> args = {{.i = 10}, {.i = 3},         {.i = -7},
                              {.i = 2},  {.i = INT64_MIN}, {.i = -1}};
  std::vector<Scalar> results(3);
  std::uint64_t item = 99;
  std::uint32_t site = 99;
  EXPECT_EQ(interpreter.call_batch(0, args.data(), results.data(), 3, &item, &site), Fault::kNone);
  EXPECT_EQ(results[0].i, 1);
  EXPECT_EQ(results[1].i, -1);
  EXPECT_EQ(results[2].i, 0);
  EXPECT_EQ(item, 99u);  // untouched without a fault
  EXPECT_EQ(interpreter.call_batch(0, nullptr, nullptr, 0, &item, &site), Fault::kNone);
}

TEST(Interpreter, BatchStopsAtTheFirstFault) {
  Interpreter interpreter(remainder());
  std::vector<Scalar> args = {{.i = 10}, {.i = 3}, {.i = 7}, {.i = 2},
                              {.i = 5},  {.i = 0}, {.i = 1}, {.i = 0}};
  std::vector<Scalar> results(4);
  std::uint64_t item = 99;
  std::uint32_t site = 99;
  EXPECT_EQ(interpreter.call_batch(0, args.data(), results.data(), 4, &item, &site),
            Fault::kDivisionByZero);
  EXPECT_EQ(item, 2u);
  EXPECT_EQ(site, 2u);
  EXPECT_EQ(results[0].i, 1);
  EXPECT_EQ(results[1].i, 1);
  EXPECT_EQ(interpreter.call_batch(0, args.data(), results.data(), 4, nullptr, nullptr),
            Fault::kDivisionByZero);
}

TEST(Interpreter, BatchOfAFunctionWithoutParameters) {
  FunctionBuilder f("answer", {}, Type::kInt);
  f.node(Op::kMul, Type::kInt, {f.integer(6), f.integer(7)});
  Interpreter interpreter(module_of({f.done()}));
  std::vector<Scalar> results(3);
  EXPECT_EQ(interpreter.call_batch(0, nullptr, results.data(), 3, nullptr, nullptr), Fault::kNone);
  for (const Scalar& r : results) EXPECT_EQ(r.i, 42);
}

}  // namespace
}  // namespace gemba::interp
