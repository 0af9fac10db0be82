#include "compiler/lower/lowered.h"

#include <cinttypes>
#include <cstdio>

namespace gemba::lower {
namespace {

const char* op_name(Op op) {
  switch (op) {
    case Op::kConst:
      return "const";
    case Op::kParam:
      return "param";
    case Op::kNeg:
      return "neg";
    case Op::kNot:
      return "not";
    case Op::kAdd:
      return "add";
    case Op::kSub:
      return "sub";
    case Op::kMul:
      return "mul";
    case Op::kDiv:
      return "div";
    case Op::kMod:
      return "mod";
    case Op::kLt:
      return "lt";
    case Op::kLe:
      return "le";
    case Op::kGt:
      return "gt";
    case Op::kGe:
      return "ge";
    case Op::kEq:
      return "eq";
    case Op::kNe:
      return "ne";
    case Op::kAnd:
      return "and";
    case Op::kOr:
      return "or";
    case Op::kToReal:
      return "to_real";
    case Op::kCall:
      return "call";
  }
  return "?";
}

std::size_t arity(Op op) {
  switch (op) {
    case Op::kConst:
    case Op::kParam:
      return 0;
    case Op::kNeg:
    case Op::kNot:
    case Op::kToReal:
      return 1;
    case Op::kCall:
      return SIZE_MAX;  // the callee's
    default:
      return 2;
  }
}

std::string scalar_text(Type type, Scalar value) {
  char buffer[64];
  switch (type) {
    case Type::kBool:
      return value.b ? "true" : "false";
    case Type::kInt:
      std::snprintf(buffer, sizeof buffer, "%" PRId64, value.i);
      return buffer;
    case Type::kReal:
      std::snprintf(buffer, sizeof buffer, "%.17g", value.r);
      return buffer;
  }
  return "?";
}

// The operand and result types an operation requires; empty when it is not well typed.
std::string check_node(const Module& module, const Function& f, std::size_t i) {
  const Node& n = f.nodes[i];
  auto type_of = [&](std::size_t k) { return f.nodes[n.args[k]].type; };
  for (std::uint32_t arg : n.args) {
    if (arg >= i) return "operand " + std::to_string(arg) + " does not come before its node";
  }
  std::size_t want = arity(n.op);
  if (n.op == Op::kCall) {
    if (n.index >= module.functions.size()) return "call of an unknown function";
    const Function& callee = module.functions[n.index];
    if (n.args.size() != callee.params.size()) return "call with the wrong argument count";
    for (std::size_t k = 0; k < n.args.size(); ++k) {
      if (type_of(k) != callee.params[k]) return "call argument of the wrong type";
    }
    return n.type == callee.result ? "" : "call result of the wrong type";
  }
  if (n.args.size() != want) return std::string(op_name(n.op)) + " with the wrong operand count";
  bool numeric = n.args.empty() || type_of(0) != Type::kBool;
  bool same = n.args.size() < 2 || type_of(0) == type_of(1);
  switch (n.op) {
    case Op::kConst:
      return "";
    case Op::kParam:
      if (n.index >= f.params.size()) return "param beyond the function's parameters";
      return n.type == f.params[n.index] ? "" : "param of the wrong type";
    case Op::kNot:
    case Op::kAnd:
    case Op::kOr:
      for (std::size_t k = 0; k < n.args.size(); ++k) {
        if (type_of(k) != Type::kBool) return std::string(op_name(n.op)) + " of a non-bool";
      }
      return n.type == Type::kBool ? "" : "logical operation not bool";
    case Op::kToReal:
      return type_of(0) == Type::kInt && n.type == Type::kReal ? "" : "to_real needs int -> real";
    case Op::kDiv:
      return same && type_of(0) == Type::kReal && n.type == Type::kReal ? "" : "div needs reals";
    case Op::kNeg:
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kMod:
      return numeric && same && n.type == type_of(0) ? "" : "arithmetic with mismatched types";
    case Op::kEq:
    case Op::kNe:
      return same && n.type == Type::kBool ? "" : "equality with mismatched types";
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return numeric && same && n.type == Type::kBool ? "" : "comparison with mismatched types";
    case Op::kCall:
      break;
  }
  return "";
}

}  // namespace

const char* spelling(Type type) {
  switch (type) {
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kReal:
      return "real";
  }
  return "?";
}

const char* describe(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "no fault";
    case Fault::kDivisionByZero:
      return "division by zero";
    case Fault::kOverflow:
      return "integer overflow";
    case Fault::kNotANumber:
      return "a computation gave no number (NaN)";
    case Fault::kInfinite:
      return "a computation gave an infinite value";
    case Fault::kCallDepth:
      return "calls nested too deep";
    case Fault::kEventNotExpected:
      return "the procedure does not expect this event in its current state";
    case Fault::kTooManyEffects:
      return "the transition emitted more effects than the buffer holds";
    case Fault::kStepLimit:
      return "the transition ran too many blocks without reaching a suspension point";
    case Fault::kBadState:
      return "the frame's state names no state of the procedure";
  }
  return "unknown fault";
}

const Function* Module::find(const std::string& function) const {
  for (const Function& f : functions) {
    if (f.name == function) return &f;
  }
  return nullptr;
}

std::string verify(const Module& module) {
  for (const Function& f : module.functions) {
    if (f.nodes.empty()) return f.name + ": no nodes";
    if (f.root != f.nodes.size() - 1) return f.name + ": the root is not the last node";
    if (f.nodes[f.root].type != f.result) return f.name + ": the root's type is not the result's";
    for (std::size_t i = 0; i < f.nodes.size(); ++i) {
      std::string problem = check_node(module, f, i);
      if (!problem.empty()) return f.name + ": node " + std::to_string(i) + ": " + problem;
    }
  }
  for (const Machine& m : module.machines) {
    if (std::string problem = verify(m, module); !problem.empty()) return m.name + ": " + problem;
  }
  return "";
}

std::string listing(const Module& module) {
  std::string out = "module " + module.name + "\n";
  for (const Function& f : module.functions) {
    out += std::string(f.entry ? "\nfunction " : "\ninternal function ") + f.name + "(";
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      out += (i ? ", " : "") + std::string("%") + std::to_string(i) + ": " + spelling(f.params[i]);
    }
    out += "): " + std::string(spelling(f.result)) + "\n";
    for (std::size_t i = 0; i < f.nodes.size(); ++i) {
      const Node& n = f.nodes[i];
      std::string line =
          "  n" + std::to_string(i) + ": " + spelling(n.type) + " = " + op_name(n.op);
      if (n.op == Op::kConst) line += " " + scalar_text(n.type, n.value);
      if (n.op == Op::kParam) line += " %" + std::to_string(n.index);
      if (n.op == Op::kCall) line += " " + module.functions[n.index].name;
      for (std::uint32_t arg : n.args) line += " n" + std::to_string(arg);
      out += line + "\n";
    }
  }
  for (const Kpi& k : module.kpis) {
    out += "\nkpi " + k.name + (k.window.empty() ? "" : " over " + k.window) + " = " +
           module.functions[k.function].name + "(";
    for (std::size_t i = 0; i < k.inputs.size(); ++i) out += (i ? ", " : "") + k.inputs[i];
    out += "): " + k.unit + "\n";
  }
  for (const Machine& m : module.machines) out += "\n" + listing(m, module);
  return out;
}

}  // namespace gemba::lower
