// Random, well-typed lowered modules and random arguments for them: the input of the
// differential tests between the reference interpreter and the JIT. Header-only (tests/
// builds only *_test.cpp files). Everything is a pure function of the seed: the
// distributions are explicit arithmetic on std::mt19937_64, which the standard fixes,
// not std::uniform_*_distribution, whose output varies between standard libraries.
#pragma once

#include <bit>
#include <cfloat>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "compiler/lower/lowered.h"

namespace gemba::testing {

struct RandomModuleOptions {
  int functions = 4;
  int max_depth = 6;  // of each function's expression tree; 0 gives single leaves
};

namespace random_detail {

inline std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) { return rng() % n; }
inline bool percent(std::mt19937_64& rng, std::uint64_t p) { return below(rng, 100) < p; }

template <typename T, std::size_t N>
T pick(std::mt19937_64& rng, const T (&values)[N]) {
  return values[below(rng, N)];
}

inline std::int64_t random_int(std::mt19937_64& rng) {
  // Around sqrt(INT64_MAX) products come near the edge; 2^53 + 1 is the first int a
  // double cannot hold.
  static constexpr std::int64_t kEdges[] = {0,
                                            1,
                                            -1,
                                            2,
                                            -2,
                                            10,
                                            INT64_MAX,
                                            INT64_MIN,
                                            INT64_MAX - 1,
                                            INT64_MIN + 1,
                                            3037000499,
                                            -3037000500,
                                            4294967296,
                                            -2147483648,
                                            4611686018427387904,
                                            9007199254740993};
  // Mostly small, so that deep trees often run to the end without overflowing.
  std::uint64_t choice = below(rng, 20);
  if (choice < 2) return pick(rng, kEdges);
  if (choice < 3) return static_cast<std::int64_t>(rng());
  return static_cast<std::int64_t>(below(rng, 201)) - 100;
}

// Any finite double, uniformly over bit patterns.
inline double random_finite_bits(std::mt19937_64& rng) {
  std::uint64_t bits = rng();
  if (((bits >> 52) & 0x7ff) == 0x7ff) bits &= ~(UINT64_C(1) << 62);  // not inf or NaN
  return std::bit_cast<double>(bits);
}

inline double random_real(std::mt19937_64& rng) {
  static constexpr double kEdges[] = {
      0.0,       -0.0,   1.0,     -1.0,     0.5,     2.0,      0.1,
      1e308,     -1e308, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, 4.9e-324,
      -4.9e-324, 1e-300, 0x1p53,  0x1p63,   1e16,    3.0,      -7.5,
  };
  switch (below(rng, 4)) {
    case 0:
      return pick(rng, kEdges);
    case 1:
      return random_finite_bits(rng);
    default:  // small values with short binary fractions, so sums often cancel exactly
      return static_cast<double>(static_cast<std::int64_t>(below(rng, 1601)) - 800) / 8.0;
  }
}

inline lower::Type random_type(std::mt19937_64& rng) {
  static constexpr lower::Type kTypes[] = {lower::Type::kBool, lower::Type::kInt,
                                           lower::Type::kReal};
  return pick(rng, kTypes);
}

// Builds one module. Functions are generated in order; function i calls only functions
// before it, so there is no recursion, and a bound on the nodes one call can evaluate
// (callees included) keeps nested calls from multiplying the work without limit.
class ModuleGenerator {
 public:
  static constexpr std::uint64_t kCostBudget = 4000;

  ModuleGenerator(std::uint64_t seed, const RandomModuleOptions& options)
      : rng_(seed), options_(options) {
    module_.name = "random." + std::to_string(seed);
  }

  lower::Module generate() {
    for (int i = 0; i < options_.functions; ++i) add_function(i);
    return std::move(module_);
  }

 private:
  void add_function(int i) {
    lower::Function f;
    f.name = "f" + std::to_string(i);
    std::uint64_t count = below(rng_, 5);
    for (std::uint64_t k = 0; k < count; ++k) f.params.push_back(random_type(rng_));
    f.result = random_type(rng_);
    function_ = &f;
    cost_ = 0;
    f.root = expr(f.result, 0);
    function_ = nullptr;
    costs_.push_back(cost_ + f.nodes.size());
    module_.functions.push_back(std::move(f));
  }

  std::uint32_t emit(lower::Op op, lower::Type type, std::vector<std::uint32_t> args) {
    lower::Node node;
    node.op = op;
    node.type = type;
    node.args = std::move(args);
    function_->nodes.push_back(std::move(node));
    return static_cast<std::uint32_t>(function_->nodes.size() - 1);
  }

  std::uint32_t unary(lower::Op op, lower::Type type, lower::Type operand, int depth) {
    std::uint32_t a = expr(operand, depth + 1);
    return emit(op, type, {a});
  }

  // Operands are generated in sequence: left subtree first, as evaluation goes.
  std::uint32_t binary(lower::Op op, lower::Type type, lower::Type operands, int depth) {
    std::uint32_t a = expr(operands, depth + 1);
    std::uint32_t b = expr(operands, depth + 1);
    return emit(op, type, {a, b});
  }

  std::uint32_t leaf(lower::Type type) {
    std::vector<std::uint32_t> matching;
    for (std::uint32_t k = 0; k < function_->params.size(); ++k) {
      if (function_->params[k] == type) matching.push_back(k);
    }
    if (!matching.empty() && percent(rng_, 50)) {
      std::uint32_t index = matching[below(rng_, matching.size())];
      std::uint32_t node = emit(lower::Op::kParam, type, {});
      function_->nodes[node].index = index;
      return node;
    }
    lower::Scalar value{};
    if (type == lower::Type::kBool) value.b = percent(rng_, 50);
    if (type == lower::Type::kInt) value.i = random_int(rng_);
    if (type == lower::Type::kReal) value.r = random_real(rng_);
    std::uint32_t node = emit(lower::Op::kConst, type, {});
    function_->nodes[node].value = value;
    return node;
  }

  std::optional<std::uint32_t> call(lower::Type type, int depth) {
    std::vector<std::uint32_t> callees;
    for (std::uint32_t j = 0; j < costs_.size(); ++j) {
      if (module_.functions[j].result == type && cost_ + costs_[j] <= kCostBudget) {
        callees.push_back(j);
      }
    }
    if (callees.empty()) return std::nullopt;
    std::uint32_t callee = callees[below(rng_, callees.size())];
    cost_ += costs_[callee];
    std::vector<std::uint32_t> args;
    for (lower::Type param : module_.functions[callee].params) {
      args.push_back(expr(param, depth + 1));
    }
    std::uint32_t node = emit(lower::Op::kCall, type, std::move(args));
    function_->nodes[node].index = callee;
    return node;
  }

  std::uint32_t expr(lower::Type type, int depth) {
    if (depth >= options_.max_depth || (depth > 0 && percent(rng_, 20))) return leaf(type);
    if (percent(rng_, 10)) {
      if (std::optional<std::uint32_t> node = call(type, depth)) return *node;
    }
    switch (type) {
      case lower::Type::kBool:
        return boolean(depth);
      case lower::Type::kInt:
        return integer(depth);
      case lower::Type::kReal:
        return real(depth);
    }
    return leaf(type);
  }

  std::uint32_t boolean(int depth) {
    using lower::Op;
    using lower::Type;
    static constexpr Op kOrdering[] = {Op::kLt, Op::kLe, Op::kGt, Op::kGe, Op::kEq, Op::kNe};
    switch (below(rng_, 5)) {
      case 0:
        return unary(Op::kNot, Type::kBool, Type::kBool, depth);
      case 1:
        return binary(percent(rng_, 50) ? Op::kAnd : Op::kOr, Type::kBool, Type::kBool, depth);
      case 2:
        return binary(percent(rng_, 50) ? Op::kEq : Op::kNe, Type::kBool, Type::kBool, depth);
      default:
        return binary(pick(rng_, kOrdering), Type::kBool,
                      percent(rng_, 50) ? Type::kInt : Type::kReal, depth);
    }
  }

  std::uint32_t integer(int depth) {
    using lower::Op;
    static constexpr Op kOps[] = {Op::kAdd, Op::kSub, Op::kMul, Op::kMod};
    if (percent(rng_, 15)) return unary(Op::kNeg, lower::Type::kInt, lower::Type::kInt, depth);
    return binary(pick(rng_, kOps), lower::Type::kInt, lower::Type::kInt, depth);
  }

  std::uint32_t real(int depth) {
    using lower::Op;
    using lower::Type;
    static constexpr Op kOps[] = {Op::kAdd, Op::kSub, Op::kMul, Op::kDiv, Op::kMod};
    switch (below(rng_, 7)) {
      case 0:
        return unary(Op::kNeg, Type::kReal, Type::kReal, depth);
      case 1:
        return unary(Op::kToReal, Type::kReal, Type::kInt, depth);
      default:
        return binary(pick(rng_, kOps), Type::kReal, Type::kReal, depth);
    }
  }

  std::mt19937_64 rng_;
  RandomModuleOptions options_;
  lower::Module module_;
  std::vector<std::uint64_t> costs_;  // worst-case nodes evaluated by one call of each
  lower::Function* function_ = nullptr;
  std::uint64_t cost_ = 0;  // of the calls in the function being generated
};

}  // namespace random_detail

// A module that passes lower::verify, with `options.functions` functions named f0, f1...
inline lower::Module random_module(std::uint64_t seed, const RandomModuleOptions& options = {}) {
  return random_detail::ModuleGenerator(seed, options).generate();
}

// One argument per parameter of `f`: edge values often, and for reals NaN or an infinity
// now and then (they must fault at the kParam node that reads them).
inline std::vector<lower::Scalar> random_args(const lower::Function& f, std::mt19937_64& rng) {
  using random_detail::below;
  using random_detail::percent;
  static constexpr double kNonFinite[] = {std::numeric_limits<double>::quiet_NaN(),
                                          std::numeric_limits<double>::infinity(),
                                          -std::numeric_limits<double>::infinity()};
  std::vector<lower::Scalar> args(f.params.size());
  for (std::size_t k = 0; k < f.params.size(); ++k) {
    switch (f.params[k]) {
      case lower::Type::kBool:
        args[k].b = percent(rng, 50);
        break;
      case lower::Type::kInt:
        args[k].i = random_detail::random_int(rng);
        break;
      case lower::Type::kReal:
        args[k].r = percent(rng, 3) ? random_detail::pick(rng, kNonFinite)
                                    : random_detail::random_real(rng);
        break;
    }
  }
  return args;
}

}  // namespace gemba::testing
