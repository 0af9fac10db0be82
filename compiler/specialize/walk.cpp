#include "compiler/specialize/walk.h"

namespace gemba::specialize {
namespace {

void block_roots(const ast::Block& block, const ExprFn& fn);
void stmt_roots(const ast::Stmt& stmt, const ExprFn& fn);

void timeout_roots(const ast::Timeout& timeout, const ExprFn& fn) {
  fn(timeout.within.get());
  block_roots(timeout.otherwise_block, fn);
}

void stmt_roots(const ast::Stmt& stmt, const ExprFn& fn) {
  switch (stmt.kind) {
    case ast::StmtKind::kLet:
      return fn(static_cast<const ast::LetStmt&>(stmt).init.get());
    case ast::StmtKind::kAssign:
      return fn(static_cast<const ast::AssignStmt&>(stmt).value.get());
    case ast::StmtKind::kIf: {
      const auto& s = static_cast<const ast::IfStmt&>(stmt);
      fn(s.condition.get());
      block_roots(s.then_block, fn);
      return block_roots(s.else_block, fn);
    }
    case ast::StmtKind::kRepeat: {
      const auto& s = static_cast<const ast::RepeatStmt&>(stmt);
      fn(s.count.get());
      return block_roots(s.body, fn);
    }
    case ast::StmtKind::kFor: {
      const auto& s = static_cast<const ast::ForStmt&>(stmt);
      fn(s.lo.get());
      fn(s.hi.get());
      return block_roots(s.body, fn);
    }
    case ast::StmtKind::kAsk:
      return fn(static_cast<const ast::AskStmt&>(stmt).ask.get());
    case ast::StmtKind::kAwait: {
      const auto& s = static_cast<const ast::AwaitStmt&>(stmt);
      fn(s.condition.get());
      if (s.timeout.otherwise) stmt_roots(*s.timeout.otherwise, fn);
      return timeout_roots(s.timeout, fn);
    }
    case ast::StmtKind::kCommand:
      return fn(static_cast<const ast::CommandStmt&>(stmt).call.get());
    case ast::StmtKind::kWait:
      return fn(static_cast<const ast::WaitStmt&>(stmt).duration.get());
    case ast::StmtKind::kConsume:
    case ast::StmtKind::kProduce: {
      const auto& s = static_cast<const ast::MaterialStmt&>(stmt);
      fn(s.target.get());
      return fn(s.amount.get());
    }
    case ast::StmtKind::kStart:
      for (const auto& arg : static_cast<const ast::StartStmt&>(stmt).args) fn(arg.value.get());
      return;
    case ast::StmtKind::kSign:
    case ast::StmtKind::kNotify:
    case ast::StmtKind::kEscalate:
    case ast::StmtKind::kHold:
    case ast::StmtKind::kAbort:
      return;
  }
}

void block_roots(const ast::Block& block, const ExprFn& fn) {
  for (const auto& stmt : block) {
    if (stmt) stmt_roots(*stmt, fn);
  }
}

void limit_roots(const ast::LimitDecl& limit, const ExprFn& fn) {
  fn(limit.lo.get());
  fn(limit.hi.get());
  block_roots(limit.on_violation, fn);
}

void collect_roots(const ast::CollectDecl& collect, const ExprFn& fn) {
  fn(collect.period.get());
  fn(collect.deadband.get());
  fn(collect.valid_lo.get());
  fn(collect.valid_hi.get());
}

// Every expression of a declaration, outermost and nested: for range and signal scans.
void for_each_expr(const ast::Decl& decl, const ExprFn& fn) {
  std::function<void(const ast::Expr*)> visit = [&](const ast::Expr* expr) {
    if (expr == nullptr) return;
    fn(expr);
    for_each_child(expr, visit);
  };
  for_each_expr_root(decl, visit);
}

}  // namespace

void for_each_expr_root(const ast::Decl& decl, const ExprFn& fn) {
  switch (decl.kind) {
    case ast::DeclKind::kProcedure: {
      const auto& p = static_cast<const ast::ProcedureDecl&>(decl);
      for (const auto& use : p.uses) fn(use.constraint.get());
      for (const auto& limit : p.limits) limit_roots(*limit, fn);
      for (const auto& collect : p.collects) collect_roots(*collect, fn);
      for (const auto& step : p.steps) block_roots(step.body, fn);
      for (const auto& handler : p.handlers) block_roots(handler.body, fn);
      return;
    }
    case ast::DeclKind::kLimit:
      return limit_roots(static_cast<const ast::LimitDecl&>(decl), fn);
    case ast::DeclKind::kCollect:
      return collect_roots(static_cast<const ast::CollectDecl&>(decl), fn);
    case ast::DeclKind::kFunction:
      return fn(static_cast<const ast::FunctionDecl&>(decl).body.get());
    case ast::DeclKind::kKpi: {
      const auto& k = static_cast<const ast::KpiDecl&>(decl);
      fn(k.window_last.get());
      return fn(k.body.get());
    }
    default:
      return;
  }
}

void for_each_child(const ast::Expr* expr, const ExprFn& fn) {
  if (expr == nullptr) return;
  switch (expr->kind) {
    case ast::ExprKind::kMember:
      return fn(static_cast<const ast::MemberExpr&>(*expr).object.get());
    case ast::ExprKind::kCall: {
      const auto& c = static_cast<const ast::CallExpr&>(*expr);
      fn(c.callee.get());
      for (const auto& arg : c.args) fn(arg.value.get());
      return;
    }
    case ast::ExprKind::kUnary:
      return fn(static_cast<const ast::UnaryExpr&>(*expr).operand.get());
    case ast::ExprKind::kBinary: {
      const auto& b = static_cast<const ast::BinaryExpr&>(*expr);
      fn(b.lhs.get());
      return fn(b.rhs.get());
    }
    case ast::ExprKind::kInRange: {
      const auto& r = static_cast<const ast::InRangeExpr&>(*expr);
      fn(r.value.get());
      fn(r.lo.get());
      return fn(r.hi.get());
    }
    case ast::ExprKind::kConvert:
      return fn(static_cast<const ast::ConvertExpr&>(*expr).value.get());
    case ast::ExprKind::kAsk: {
      const auto& a = static_cast<const ast::AskExpr&>(*expr);
      fn(a.lo.get());
      fn(a.hi.get());
      if (a.timeout.otherwise) stmt_roots(*a.timeout.otherwise, fn);
      return timeout_roots(a.timeout, fn);
    }
    default:
      return;
  }
}

void for_each_range(
    const ast::Module& module,
    const std::function<void(const ast::Expr*, const ast::Expr*, const char*)>& fn) {
  auto limit = [&](const ast::LimitDecl& l) { fn(l.lo.get(), l.hi.get(), "the limit's range"); };
  auto collect = [&](const ast::CollectDecl& c) {
    if (c.valid_lo) fn(c.valid_lo.get(), c.valid_hi.get(), "the valid range");
  };
  for (const auto& decl : module.decls) {
    if (auto* l = ast::as<ast::LimitDecl>(decl.get())) limit(*l);
    if (auto* c = ast::as<ast::CollectDecl>(decl.get())) collect(*c);
    if (auto* p = ast::as<ast::ProcedureDecl>(decl.get())) {
      for (const auto& l : p->limits) limit(*l);
      for (const auto& c : p->collects) collect(*c);
    }
    for_each_expr(*decl, [&](const ast::Expr* expr) {
      if (auto* a = ast::as<ast::AskExpr>(expr); a && a->lo) {
        fn(a->lo.get(), a->hi.get(), "the answer's range");
      }
      if (auto* r = ast::as<ast::InRangeExpr>(expr)) fn(r->lo.get(), r->hi.get(), "the range");
    });
  }
}

void for_each_signal_read(
    const ast::ProcedureDecl& decl, const sema::Facts& facts,
    const std::function<void(const sema::Symbol*, const std::string&, diag::Span)>& fn) {
  auto path = [&](const ast::Path& p) {
    if (p.parts.size() < 2) return;
    for (const auto& use : decl.uses) {
      if (use.name.name != p.parts[0].name) continue;
      auto it = facts.uses.find(&use);
      if (it != facts.uses.end()) fn(it->second, p.parts[1].name, p.span);
    }
  };
  for (const auto& limit : decl.limits) path(limit->subject);
  for (const auto& collect : decl.collects) path(collect->signal);
  for_each_expr(decl, [&](const ast::Expr* expr) {
    auto* m = ast::as<ast::MemberExpr>(expr);
    if (m == nullptr) return;
    if (const sema::Symbol* object = facts.symbol_of(m->object.get())) {
      fn(object, m->member.name, m->span);
    }
  });
}

namespace {

void block_commands(const ast::Block& block, const std::function<void(const ast::CallExpr&)>& fn) {
  for (const auto& stmt : block) {
    if (!stmt) continue;
    if (auto* c = ast::as<ast::CommandStmt>(stmt.get())) {
      if (auto* call = ast::as<ast::CallExpr>(c->call.get())) fn(*call);
    } else if (auto* s = ast::as<ast::IfStmt>(stmt.get())) {
      block_commands(s->then_block, fn);
      block_commands(s->else_block, fn);
    } else if (auto* s = ast::as<ast::RepeatStmt>(stmt.get())) {
      block_commands(s->body, fn);
    } else if (auto* s = ast::as<ast::ForStmt>(stmt.get())) {
      block_commands(s->body, fn);
    } else if (auto* s = ast::as<ast::AwaitStmt>(stmt.get())) {
      block_commands(s->timeout.otherwise_block, fn);
    }
  }
}

}  // namespace

void for_each_command(const ast::ProcedureDecl& decl,
                      const std::function<void(const ast::CallExpr&)>& fn) {
  for (const auto& limit : decl.limits) block_commands(limit->on_violation, fn);
  for (const auto& step : decl.steps) block_commands(step.body, fn);
  for (const auto& handler : decl.handlers) block_commands(handler.body, fn);
}

void outermost_values(const ast::Expr* expr, const sema::Facts& facts, const sema::Environment& env,
                      std::unordered_map<const ast::Expr*, sema::Value>& values) {
  if (expr == nullptr) return;
  if (auto value = sema::evaluate(expr, facts, env)) {
    values.emplace(expr, std::move(*value));
    return;
  }
  for_each_child(expr,
                 [&](const ast::Expr* child) { outermost_values(child, facts, env, values); });
}

}  // namespace gemba::specialize
