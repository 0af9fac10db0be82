#include "compiler/interp/interpreter.h"

#include <cmath>
#include <vector>

namespace gemba::interp {

using lower::Fault;
using lower::Function;
using lower::Node;
using lower::Op;
using lower::Scalar;
using lower::Type;

// One activation: the function being evaluated, its arguments, and how many calls
// enclose it (the entry function is at depth 0).
struct Interpreter::Frame {
  const Function& function;
  const Scalar* args;
  int depth;
};

namespace {

Scalar make_bool(bool value) {
  Scalar s{};  // all eight bytes zero, so results compare byte for byte
  s.b = value;
  return s;
}

Scalar make_int(std::int64_t value) {
  Scalar s{};
  s.i = value;
  return s;
}

Scalar make_real(double value) {
  Scalar s{};
  s.r = value;
  return s;
}

// The check every real value gets, at the node that produces it.
Fault check_real(double value) {
  if (std::isnan(value)) return Fault::kNotANumber;
  if (std::isinf(value)) return Fault::kInfinite;
  return Fault::kNone;
}

Fault int_arithmetic(Op op, std::int64_t a, std::int64_t b, std::int64_t* out) {
  switch (op) {
    case Op::kAdd:
      return __builtin_add_overflow(a, b, out) ? Fault::kOverflow : Fault::kNone;
    case Op::kSub:
      return __builtin_sub_overflow(a, b, out) ? Fault::kOverflow : Fault::kNone;
    case Op::kMul:
      return __builtin_mul_overflow(a, b, out) ? Fault::kOverflow : Fault::kNone;
    case Op::kMod:
      if (b == 0) return Fault::kDivisionByZero;
      *out = b == -1 ? 0 : a % b;  // INT64_MIN % -1 is 0 (and UB in C++ if computed)
      return Fault::kNone;
    default:
      return Fault::kNone;  // verify rejects any other int arithmetic
  }
}

// Real arithmetic; the NaN and infinity checks follow in eval (they apply to every node).
Fault real_arithmetic(Op op, double a, double b, double* out) {
  switch (op) {
    case Op::kAdd:
      *out = a + b;
      return Fault::kNone;
    case Op::kSub:
      *out = a - b;
      return Fault::kNone;
    case Op::kMul:
      *out = a * b;
      return Fault::kNone;
    case Op::kDiv:
      if (b == 0.0) return Fault::kDivisionByZero;  // also -0.0
      *out = a / b;
      return Fault::kNone;
    case Op::kMod:
      if (b == 0.0) return Fault::kDivisionByZero;
      *out = std::fmod(a, b);
      return Fault::kNone;
    default:
      return Fault::kNone;
  }
}

template <typename T>
bool compare(Op op, T a, T b) {
  switch (op) {
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    case Op::kGe:
      return a >= b;
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    default:
      return false;
  }
}

bool is_comparison(Op op) {
  return op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe || op == Op::kEq ||
         op == Op::kNe;
}

Scalar compare_scalars(Op op, Type type, Scalar a, Scalar b) {
  switch (type) {
    case Type::kBool:
      return make_bool(compare(op, a.b, b.b));
    case Type::kInt:
      return make_bool(compare(op, a.i, b.i));
    case Type::kReal:
      return make_bool(compare(op, a.r, b.r));
  }
  return make_bool(false);
}

Fault arithmetic(Op op, Type type, Scalar a, Scalar b, Scalar* out) {
  if (type == Type::kInt) {
    std::int64_t value = 0;
    Fault fault = int_arithmetic(op, a.i, b.i, &value);
    *out = make_int(value);
    return fault;
  }
  double value = 0;
  Fault fault = real_arithmetic(op, a.r, b.r, &value);
  *out = make_real(value);
  return fault;
}

}  // namespace

Interpreter::Interpreter(const lower::Module& module) : module_(module) {
  for (std::size_t i = 0; i < module_.functions.size(); ++i) {
    by_name_.emplace(module_.functions[i].name, i);
  }
}

std::optional<std::size_t> Interpreter::find(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

Fault Interpreter::call(std::size_t function, const Scalar* args, Scalar* result,
                        std::uint32_t* fault_site) const {
  std::uint32_t site = 0;
  Fault fault = run(function, args, 0, result, &site);
  if (fault != Fault::kNone && fault_site != nullptr) *fault_site = site;
  return fault;
}

Fault Interpreter::call_batch(std::size_t function, const Scalar* args, Scalar* results,
                              std::uint64_t count, std::uint64_t* fault_item,
                              std::uint32_t* fault_site) const {
  const std::size_t record = module_.functions[function].params.size();
  for (std::uint64_t k = 0; k < count; ++k) {
    Fault fault = call(function, args + k * record, &results[k], fault_site);
    if (fault == Fault::kNone) continue;
    if (fault_item != nullptr) *fault_item = k;
    return fault;
  }
  return Fault::kNone;
}

Fault Interpreter::run(std::size_t function, const Scalar* args, int depth, Scalar* result,
                       std::uint32_t* site) const {
  const Function& f = module_.functions[function];
  return eval(Frame{f, args, depth}, f.root, result, site);
}

// Invariant: on a fault, *site is the index of a node of frame.function.
Fault Interpreter::eval(const Frame& frame, std::uint32_t node, Scalar* out,
                        std::uint32_t* site) const {
  const Node& n = frame.function.nodes[node];
  Fault fault = Fault::kNone;
  switch (n.op) {
    case Op::kConst:
      *out = n.type == Type::kBool ? make_bool(n.value.b) : n.value;
      break;
    case Op::kParam:
      *out = n.type == Type::kBool ? make_bool(frame.args[n.index].b) : frame.args[n.index];
      break;
    case Op::kNeg:
    case Op::kNot:
    case Op::kToReal: {
      Scalar a;
      fault = eval(frame, n.args[0], &a, site);
      if (fault != Fault::kNone) return fault;
      if (n.op == Op::kNot) {
        *out = make_bool(!a.b);
      } else if (n.op == Op::kToReal) {
        *out = make_real(static_cast<double>(a.i));
      } else if (n.type == Type::kReal) {
        *out = make_real(-a.r);
      } else {
        std::int64_t value = 0;
        fault =
            __builtin_sub_overflow(std::int64_t{0}, a.i, &value) ? Fault::kOverflow : Fault::kNone;
        *out = make_int(value);
      }
      break;
    }
    case Op::kAnd:
    case Op::kOr:
      return eval_logical(frame, node, out, site);
    case Op::kCall:
      fault = eval_call(frame, node, out, site);
      if (fault != Fault::kNone) return fault;  // the site is already the kCall node
      break;
    default:
      return eval_binary(frame, node, out, site);
  }
  if (fault == Fault::kNone && n.type == Type::kReal) fault = check_real(out->r);
  if (fault != Fault::kNone) *site = node;
  return fault;
}

// Arithmetic and comparisons: both operands, left first, then the operation.
Fault Interpreter::eval_binary(const Frame& frame, std::uint32_t node, Scalar* out,
                               std::uint32_t* site) const {
  const Node& n = frame.function.nodes[node];
  Scalar a;
  Scalar b;
  Fault fault = eval(frame, n.args[0], &a, site);
  if (fault != Fault::kNone) return fault;
  fault = eval(frame, n.args[1], &b, site);
  if (fault != Fault::kNone) return fault;
  Type operands = frame.function.nodes[n.args[0]].type;
  if (is_comparison(n.op)) {
    *out = compare_scalars(n.op, operands, a, b);
    return Fault::kNone;
  }
  fault = arithmetic(n.op, operands, a, b, out);
  if (fault == Fault::kNone && n.type == Type::kReal) fault = check_real(out->r);
  if (fault != Fault::kNone) *site = node;
  return fault;
}

// `and` and `or`: the right operand is evaluated only when the left does not decide.
Fault Interpreter::eval_logical(const Frame& frame, std::uint32_t node, Scalar* out,
                                std::uint32_t* site) const {
  const Node& n = frame.function.nodes[node];
  Scalar a;
  Fault fault = eval(frame, n.args[0], &a, site);
  if (fault != Fault::kNone) return fault;
  bool decided = n.op == Op::kAnd ? !a.b : a.b;
  if (decided) {
    *out = make_bool(a.b);
    return Fault::kNone;
  }
  Scalar b;
  fault = eval(frame, n.args[1], &b, site);
  if (fault != Fault::kNone) return fault;
  *out = make_bool(b.b);
  return Fault::kNone;
}

// A call: the arguments left to right, then the depth check, then the callee. Any fault
// in the callee is reported at this node.
Fault Interpreter::eval_call(const Frame& frame, std::uint32_t node, Scalar* out,
                             std::uint32_t* site) const {
  const Node& n = frame.function.nodes[node];
  Scalar inline_args[kInlineArgs];
  std::vector<Scalar> heap_args;  // only for callees with many parameters
  Scalar* args = inline_args;
  if (n.args.size() > kInlineArgs) {
    heap_args.resize(n.args.size());
    args = heap_args.data();
  }
  for (std::size_t k = 0; k < n.args.size(); ++k) {
    Fault fault = eval(frame, n.args[k], &args[k], site);
    if (fault != Fault::kNone) return fault;
  }
  std::uint32_t callee_site = 0;
  Fault fault = frame.depth + 1 > lower::kMaxCallDepth
                    ? Fault::kCallDepth
                    : run(n.index, args, frame.depth + 1, out, &callee_site);
  if (fault != Fault::kNone) *site = node;
  return fault;
}

}  // namespace gemba::interp
