// Folding: every outermost expression the plant makes constant, with its value.

#include "compiler/specialize/specializer.h"
#include "compiler/specialize/walk.h"

namespace gemba::specialize {

void Specializer::fold_module() {
  for (const auto& decl : module_.decls) {
    for_each_expr_root(*decl, [&](const ast::Expr* root) { fold(root); });
  }
}

// Evaluates the tree once, bottom up (memo_), then records its outermost constants.
void Specializer::fold(const ast::Expr* root) { record_outermost(root); }

void Specializer::record_outermost(const ast::Expr* expr) {
  if (expr == nullptr) return;
  auto it = memo_.find(expr);
  // Not evaluated with its parent: under a call or an `ask`, which are never constant
  // and do not evaluate their operands.
  if (it == memo_.end()) {
    sema::evaluate(expr, facts_, env_, memo_);
    it = memo_.find(expr);
  }
  if (it != memo_.end() && it->second) {
    out_.folded.emplace(expr, *it->second);
    return;
  }
  for_each_child(expr, [&](const ast::Expr* child) { record_outermost(child); });
}

}  // namespace gemba::specialize
