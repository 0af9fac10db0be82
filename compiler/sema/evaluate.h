// Constant evaluation: the value of an expression when everything it reads is known.
// Sema evaluates plant values and parameter defaults with it; specialization folds
// templates with the plant's values through an Environment.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "compiler/ast/ast.h"
#include "compiler/sema/facts.h"
#include "compiler/sema/value.h"

namespace gemba::sema {

// What a name or an equipment member is worth, where that is known.
class Environment {
 public:
  virtual ~Environment() = default;
  // A parameter's or binding's value; nullopt when it is known only at run time.
  virtual std::optional<Value> name(const Symbol& symbol) const = 0;
  // `object.member` where `object` names a symbol (a `uses` binding): a property value.
  virtual std::optional<Value> member(const Symbol& object, const std::string& member) const = 0;
};

// No names are known: literals, enum members and what they compute.
class EmptyEnvironment : public Environment {
 public:
  std::optional<Value> name(const Symbol&) const override { return std::nullopt; }
  std::optional<Value> member(const Symbol&, const std::string&) const override {
    return std::nullopt;
  }
};

// The value of `expr`, or nullopt when it depends on something known only at run time,
// or when computing it exactly would overflow, divide by zero or take a remainder of a
// non-integer (run time then decides, with its documented semantics). Requires that
// `expr` was checked without errors: `facts` holds its type.
// `false and x` and `true or x` are constant whatever x is.
std::optional<Value> evaluate(const ast::Expr* expr, const Facts& facts, const Environment& env);

// The same, remembering the result of every sub-expression in `memo` (and reading it
// from there), so that a caller can then find the outermost constants of a tree
// without evaluating any node twice. `memo` is valid only for the same `env`.
using EvaluationMemo = std::unordered_map<const ast::Expr*, std::optional<Value>>;
std::optional<Value> evaluate(const ast::Expr* expr, const Facts& facts, const Environment& env,
                              EvaluationMemo& memo);

}  // namespace gemba::sema
