// Walks over the parts of a template that specialization reads: expression roots,
// children, ranges and the signals a procedure reads.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>

#include "compiler/ast/ast.h"
#include "compiler/sema/evaluate.h"

namespace gemba::specialize {

using ExprFn = std::function<void(const ast::Expr*)>;

// Every outermost expression of `decl` (a procedure's, rule's, function's or KPI's),
// including those in statements, timeouts and reactions. Parameters and plants have
// none: their values are the checker's.
void for_each_expr_root(const ast::Decl& decl, const ExprFn& fn);

// The direct sub-expressions of `expr`; for an `ask`, its range and timeout.
void for_each_child(const ast::Expr* expr, const ExprFn& fn);

// Every `lo .. hi` of the module that must not be inverted: limits, valid ranges,
// ask ranges, `in` tests and for-loops. `what` names it for a message.
void for_each_range(const ast::Module& module,
                    const std::function<void(const ast::Expr*, const ast::Expr*, const char*)>& fn);

// Every `object.signal` a procedure reads where `object` is one of its `uses`
// bindings: in expressions, limit subjects and collect rules.
void for_each_signal_read(
    const ast::ProcedureDecl& decl, const sema::Facts& facts,
    const std::function<void(const sema::Symbol*, const std::string&, diag::Span)>& fn);

// Every `command x.c(...)` call of a procedure, in steps, handlers and reactions.
void for_each_command(const ast::ProcedureDecl& decl,
                      const std::function<void(const ast::CallExpr&)>& fn);

// The values of the outermost sub-expressions of `expr` (itself included) that `env`
// makes constant, for quoting a condition with its values in it: `300 kg >= 400 kg`.
void outermost_values(const ast::Expr* expr, const sema::Facts& facts, const sema::Environment& env,
                      std::unordered_map<const ast::Expr*, sema::Value>& values);

}  // namespace gemba::specialize
