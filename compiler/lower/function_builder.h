// Private to compiler/lower/: builds one lowered Function's nodes from a checked,
// specialized expression. Shared by the lowering of functions and rules (lower.cpp)
// and of procedures (lower_procedure.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/lower/lowered.h"
#include "compiler/specialize/specialization.h"

namespace gemba::lower {

std::optional<Type> lowered_type(const sema::Type& type);

// A folded value as a constant node's payload; nullopt for a value lowering cannot hold
// (a string, an enum, an int beyond int64).
std::optional<std::pair<Type, Scalar>> scalar(const sema::Value& value);

// Why an expression cannot be lowered in this version. Thrown by FunctionBuilder (and the
// procedure lowering) deep in an expression and caught where a function or procedure is
// lowered, in compiler/lower/ only: it never crosses an API, and the reason ends up in
// Lowering::skipped.
struct Unsupported {
  std::string reason;
};
[[noreturn]] void unsupported(std::string reason);

// Reads of values that are not the function's own parameters (a procedure's slots,
// signals, `now()`): returns the parameter index the value arrives in, adding one to the function
// when it is new; nullopt when the expression is not such a value.
using FreeValues = std::function<std::optional<std::uint32_t>(const ast::Expr*)>;

class FunctionBuilder;
// Calls the builder does not lower itself (KPIs inline the KPIs they call and read the
// ISO 22400 elements as inputs): returns the node computing the call, or nullopt to
// lower it as a call of a user function.
using CallHook = std::function<std::optional<std::uint32_t>(const ast::CallExpr&, FunctionBuilder&)>;

class FunctionBuilder {
 public:
  FunctionBuilder(const specialize::Specialization& s, Function& out,
                  const std::map<const sema::Symbol*, std::uint32_t>& params,
                  const std::map<const ast::Decl*, std::uint32_t>& callees, const Module& module,
                  FreeValues free_values = nullptr, CallHook call_hook = nullptr);

  // The node computing `expr`, converted to `want` when that is real and it is int.
  std::uint32_t expr(const ast::Expr* expr, std::optional<Type> want = std::nullopt);
  std::uint32_t constant(Type type, Scalar value, diag::Span span);
  std::uint32_t add(Op op, Type type, std::vector<std::uint32_t> args, diag::Span span,
                    std::uint32_t index = 0);
  Type type_of(const ast::Expr* expr);

 private:
  std::uint32_t build(const ast::Expr* expr);
  std::uint32_t binary(const ast::BinaryExpr& b);
  std::uint32_t call(const ast::CallExpr& c);
  static Type wider(Type a, Type b);

  const specialize::Specialization& s_;
  const sema::Facts& facts_;
  Function& out_;
  const std::map<const sema::Symbol*, std::uint32_t>& params_;
  const std::map<const ast::Decl*, std::uint32_t>& callees_;
  const Module& module_;
  FreeValues free_values_;
  CallHook call_hook_;
};

}  // namespace gemba::lower
