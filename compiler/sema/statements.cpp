// Statements, timeouts, and where a procedure may pause.
#include "compiler/sema/checker.h"

namespace gemba::sema {
namespace {

using diag::Code;

constexpr std::int64_t kMaxIterations = 10000;

const char* place_name(Place place) {
  switch (place) {
    case Place::kStep:
      return "a step";
    case Place::kHandler:
      return "a handler";
    case Place::kReaction:
      return "a reaction (`on violation` or `otherwise`)";
    case Place::kExpression:
      return "a function, KPI or constraint";
  }
  return "";
}

}  // namespace

void Checker::require_suspension(const BodyContext& ctx, diag::Span span, const char* what) {
  if (ctx.place == Place::kStep || ctx.place == Place::kHandler) return;
  auto& d = sink_.report(Code::kSuspensionNotAllowed, span,
                         std::string("`") + what + "` pauses the procedure, which " +
                             place_name(ctx.place) + " cannot do");
  if (ctx.place == Place::kReaction) {
    d.with_hint(
        "a reaction must finish at once: use notify, escalate, hold, abort, or `start` a "
        "procedure that does the waiting");
  } else {
    d.with_hint(
        "functions, KPIs and `where` constraints compute a value at once; pause in a "
        "procedure step instead");
  }
}

void Checker::check_role(const ast::Ident& role) {
  Symbol* symbol = lookup(role, /*report=*/false);
  if ((symbol && symbol->kind == SymbolKind::kRole) || last_lookup_ambiguous_) return;
  auto& d =
      sink_.report(Code::kUnknownRole, role.span, "`" + role.name + "` is not a declared role");
  if (symbol) {
    d.note(symbol->span, "`" + role.name + "` is " + a_kind(symbol->kind));
  } else {
    suggest(d, role.name, [](const Symbol& s) { return s.kind == SymbolKind::kRole; });
    if (d.hint.empty()) {
      d.with_hint("declare it (`role " + role.name +
                  " \"...\";`) or import std.isa95 for the "
                  "standard roles");
    }
  }
}

void Checker::check_condition(const ast::Expr* expr, const BodyContext& ctx) {
  Type t = check_expr(expr, ctx);
  if (!t.is_error() && t.kind != TypeKind::kBool) {
    sink_.report(Code::kConditionNotBool, expr->span,
                 "a condition must be a bool, but this is " + describe(t));
  }
  if (auto* b = ast::as<ast::BoolExpr>(expr)) {
    sink_.report(Code::kConstantCondition, expr->span,
                 std::string("this condition is always ") + (b->value ? "true" : "false"));
  }
}

void Checker::check_timeout(const ast::Timeout& timeout, diag::Span owner, const char* what,
                            const BodyContext& ctx) {
  if (!timeout.within) {
    sink_
        .report(Code::kMissingTimeout, owner,
                std::string("this `") + what + "` has no timeout and could wait forever")
        .with_hint(
            "add `within 10 min` (and `otherwise escalate \"...\"` to choose what happens "
            "then; by default the procedure holds)");
  } else {
    Type t = check_expr(timeout.within.get(), ctx);
    if (!is_duration(t)) {
      sink_
          .report(Code::kNotADuration, timeout.within->span,
                  "a timeout must be a duration, but this is " + describe(t))
          .with_hint("write it with a unit of time, e.g. `within 30 min`");
    }
  }
  BodyContext reaction{Place::kReaction, ctx.owner};
  if (timeout.otherwise) check_stmt(*timeout.otherwise, reaction);
  if (timeout.has_otherwise_block) check_block(timeout.otherwise_block, reaction);
}

Type Checker::check_ask(const ast::AskExpr& ask, const BodyContext& ctx) {
  require_suspension(ctx, ask.span, "ask");
  if (ask.role) check_role(*ask.role);
  check_string(ask.prompt.get());
  Type answer = ask.answer_type ? resolve_type(*ask.answer_type) : Type();
  if (ask.answer_type) facts_.written_types.insert_or_assign(ask.answer_type.get(), answer);
  if (ask.of) {
    if (!answer.is_error() && answer.kind != TypeKind::kLot) {
      sink_.report(Code::kNotMaterial, ask.of->span,
                   "`of` names the material of a Lot, but the answer is " + describe(answer));
    }
    ast::Ident first = ask.of->parts.front();
    Symbol* symbol = lookup(first);
    if (symbol && symbol->kind == SymbolKind::kLocal) {
      symbol->used = true;
      if (!symbol->type.is_error() && symbol->type.kind != TypeKind::kMaterial) {
        sink_.report(
            Code::kNotMaterial, ask.of->span,
            "`of` needs a Material, but `" + first.name + "` is " + describe(symbol->type));
      }
    } else if (symbol) {
      sink_.report(Code::kNotMaterial, ask.of->span,
                   "`of` needs a Material, but `" + first.name + "` is " + a_kind(symbol->kind));
    }
  }
  if (ask.lo || ask.hi) {
    if (!answer.is_error() && !answer.is_numeric()) {
      sink_.report(
          Code::kBadOperand, ask.lo ? ask.lo->span : ask.span,
          "a range applies to numbers and quantities, but the answer is " + describe(answer));
    } else {
      if (ask.lo) expect(answer, check_expr(ask.lo.get(), ctx), ask.lo->span, "the lower bound");
      if (ask.hi) expect(answer, check_expr(ask.hi.get(), ctx), ask.hi->span, "the upper bound");
      if (ask.lo && ask.hi) {
        check_range(ask.lo.get(), ask.hi.get(),
                    {ask.lo->span.file, ask.lo->span.begin, ask.hi->span.end});
      }
    }
  }
  check_timeout(ask.timeout, ask.span, "ask", ctx);
  return answer;
}

bool Checker::check_block(const ast::Block& block, const BodyContext& ctx, bool new_scope) {
  if (new_scope) push_scope();
  bool ends = false;
  bool reported = false;
  for (const auto& stmt : block) {
    if (ends && !reported) {
      sink_.report(Code::kUnreachable, stmt->span, "this statement never runs")
          .with_hint("everything before it aborts the procedure; remove it or the abort");
      reported = true;
    }
    if (check_stmt(*stmt, ctx)) ends = true;
  }
  if (new_scope) pop_scope();
  return ends;
}

bool Checker::check_stmt(const ast::Stmt& stmt, const BodyContext& ctx) {
  using K = ast::StmtKind;
  switch (stmt.kind) {
    case K::kLet: {
      const auto& let = static_cast<const ast::LetStmt&>(stmt);
      Type value;
      if (auto* ask = ast::as<ast::AskExpr>(let.init.get())) {
        value = check_ask(*ask, ctx);
      } else {
        value = check_expr(let.init.get(), ctx);
      }
      if (value.kind == TypeKind::kVoid || value.kind == TypeKind::kEnumName ||
          value.kind == TypeKind::kCommand) {
        sink_.report(Code::kTypeMismatch, let.init->span, "this has no value to bind");
        value = Type();
      }
      Type declared = let.type ? resolve_type(*let.type) : value;
      if (let.type) facts_.written_types.insert_or_assign(let.type.get(), declared);
      if (let.type) {
        expect(declared, value, let.init ? let.init->span : let.span, "the value");
      }
      add_local(let.name, let.is_var ? LocalKind::kVar : LocalKind::kLet, declared);
      return false;
    }
    case K::kAssign: {
      const auto& assign = static_cast<const ast::AssignStmt&>(stmt);
      Type value = check_expr(assign.value.get(), ctx);
      Symbol* target = lookup(assign.target);
      if (!target) return false;
      if (target->kind != SymbolKind::kLocal || target->local != LocalKind::kVar) {
        auto& d = sink_.report(Code::kAssignToImmutable, assign.target.span,
                               "cannot assign to `" + target->name + "`: it is not a `var`");
        if (target->kind == SymbolKind::kLocal) {
          d.note(target->span, "`" + target->name + "` is declared here")
              .with_hint(target->local == LocalKind::kLet
                             ? "declare it with `var` to change it later"
                             : "parameters, bindings and loop variables cannot change");
        }
        return false;
      }
      expect(target->type, value, assign.value->span, "the new value");
      return false;
    }
    case K::kIf: {
      const auto& s = static_cast<const ast::IfStmt&>(stmt);
      check_condition(s.condition.get(), ctx);
      bool then_ends = check_block(s.then_block, ctx);
      bool else_ends = s.has_else && check_block(s.else_block, ctx);
      return then_ends && else_ends;
    }
    case K::kRepeat: {
      const auto& s = static_cast<const ast::RepeatStmt&>(stmt);
      Type count = check_expr(s.count.get(), ctx);
      if (!count.is_error() && count.kind != TypeKind::kInt) {
        sink_.report(Code::kBadLoopBound, s.count->span,
                     "`repeat` needs an int count, but this is " + describe(count));
      } else if (auto n = constant(s.count.get());
                 n && (*n < Rational(1) || *n > Rational(kMaxIterations))) {
        sink_.report(Code::kBadLoopBound, s.count->span,
                     "a loop runs between 1 and " + std::to_string(kMaxIterations) +
                         " times; this one would run " + n->to_string() + " times");
      }
      check_block(s.body, ctx);
      return false;
    }
    case K::kFor: {
      const auto& s = static_cast<const ast::ForStmt&>(stmt);
      for (const auto* bound : {s.lo.get(), s.hi.get()}) {
        Type t = check_expr(bound, ctx);
        if (!t.is_error() && t.kind != TypeKind::kInt) {
          sink_.report(Code::kBadLoopBound, bound->span,
                       "a `for` bound must be an int, but this is " + describe(t));
        }
      }
      auto lo = constant(s.lo.get());
      auto hi = constant(s.hi.get());
      if (lo && hi) {
        auto span = hi->sub(*lo);
        if (*lo > *hi) {
          sink_
              .report(Code::kEmptyRange, s.lo->span,
                      "this loop never runs: " + lo->to_string() + " is above " + hi->to_string())
              .with_hint("swap the bounds");
        } else if (span && *span >= Rational(kMaxIterations)) {
          sink_.report(Code::kBadLoopBound, s.hi->span,
                       "a loop runs at most " + std::to_string(kMaxIterations) +
                           " times; this one would run " +
                           span->add(Rational(1)).value_or(*span).to_string() + " times");
        }
      }
      push_scope();
      add_local(s.var, LocalKind::kLoop, Type::of(TypeKind::kInt));
      check_block(s.body, ctx, /*new_scope=*/false);
      pop_scope();
      return false;
    }
    case K::kAsk: {
      const auto& s = static_cast<const ast::AskStmt&>(stmt);
      if (auto* ask = ast::as<ast::AskExpr>(s.ask.get())) check_ask(*ask, ctx);
      return false;
    }
    case K::kAwait: {
      const auto& s = static_cast<const ast::AwaitStmt&>(stmt);
      require_suspension(ctx, s.span, "await");
      check_condition(s.condition.get(), ctx);
      check_timeout(s.timeout, s.span, "await", ctx);
      return false;
    }
    case K::kCommand: {
      const auto& s = static_cast<const ast::CommandStmt&>(stmt);
      require_suspension(ctx, s.span, "command");
      if (auto* call = ast::as<ast::CallExpr>(s.call.get())) {
        check_call(*call, ctx, /*as_command=*/true);
      } else if (s.call && s.call->kind != ast::ExprKind::kError) {
        Type t = check_expr(s.call.get(), ctx);
        if (!t.is_error()) {
          sink_.report(Code::kNotACommand, s.call->span,
                       "`command` needs an equipment command call, e.g. `command mixer.stop();`");
        }
      }
      return false;
    }
    case K::kSign: {
      const auto& s = static_cast<const ast::SignStmt&>(stmt);
      require_suspension(ctx, s.span, "sign");
      check_string(s.meaning.get());
      check_role(s.role);
      return false;
    }
    case K::kWait: {
      const auto& s = static_cast<const ast::WaitStmt&>(stmt);
      require_suspension(ctx, s.span, "wait");
      Type t = check_expr(s.duration.get(), ctx);
      if (!is_duration(t)) {
        sink_
            .report(Code::kNotADuration, s.duration->span,
                    "`wait` needs a duration, but this is " + describe(t))
            .with_hint("e.g. `wait 5 min;`");
      }
      return false;
    }
    case K::kConsume:
    case K::kProduce: {
      const auto& s = static_cast<const ast::MaterialStmt&>(stmt);
      bool consume = stmt.kind == K::kConsume;
      require_suspension(ctx, s.span, consume ? "consume" : "produce");
      Type target = check_expr(s.target.get(), ctx);
      TypeKind wanted = consume ? TypeKind::kLot : TypeKind::kMaterial;
      if (!target.is_error() && target.kind != wanted) {
        sink_
            .report(Code::kNotMaterial, s.target->span,
                    std::string(consume ? "`consume` takes a Lot" : "`produce` takes a Material") +
                        ", but this is " + describe(target))
            .with_hint(consume ? "ask for a lot first: `let lot = ask operator \"Scan a lot\" as "
                                 "Lot of product within 10 min;`"
                               : "pass the Material parameter of the procedure");
      }
      Type amount = check_expr(s.amount.get(), ctx);
      if (!amount.is_error() && (!amount.is_numeric() || amount.affinity != Affinity::kLinear)) {
        sink_.report(
            Code::kNotMaterial, s.amount->span,
            "an amount of material must be a count or a quantity, but this is " + describe(amount));
      }
      return false;
    }
    case K::kNotify: {
      const auto& s = static_cast<const ast::NotifyStmt&>(stmt);
      check_role(s.role);
      check_string(s.message.get());
      return false;
    }
    case K::kStart: {
      const auto& s = static_cast<const ast::StartStmt&>(stmt);
      Symbol* symbol = lookup(s.procedure);
      if (symbol && symbol->kind != SymbolKind::kProcedure) {
        sink_.report(
            Code::kTypeMismatch, s.procedure.span,
            "`start` needs a procedure, but `" + symbol->name + "` is " + a_kind(symbol->kind));
        symbol = nullptr;
      }
      if (symbol) {
        resolve(symbol);
        check_arguments(s.args, symbol->params, symbol->name, s.span, ctx);
      } else {
        for (const auto& arg : s.args) check_expr(arg.value.get(), ctx);
      }
      return false;
    }
    case K::kEscalate: {
      const auto& s = static_cast<const ast::EscalateStmt&>(stmt);
      check_string(s.message.get());
      if (s.role) check_role(*s.role);
      return false;
    }
    case K::kHold:
    case K::kAbort: {
      const auto& s = static_cast<const ast::HoldAbortStmt&>(stmt);
      check_string(s.reason.get());
      return stmt.kind == K::kAbort;
    }
  }
  return false;
}

}  // namespace gemba::sema
