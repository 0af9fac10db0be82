// Module-level bodies: procedures with their rules and steps, top-level limits and
// collect rules, functions and KPIs.
#include <algorithm>
#include <set>

#include "compiler/diag/closest_name.h"
#include "compiler/sema/checker.h"

namespace gemba::sema {
namespace {

using diag::Code;

}  // namespace

void Checker::check_decl(const ast::Decl& decl) {
  BodyContext top{Place::kReaction, nullptr};
  switch (decl.kind) {
    case ast::DeclKind::kLimit:
      check_limit(static_cast<const ast::LimitDecl&>(decl), /*top_level=*/true, top);
      return;
    case ast::DeclKind::kCollect:
      check_collect(static_cast<const ast::CollectDecl&>(decl), /*top_level=*/true);
      return;
    default:
      break;
  }
  // Named declarations: resolve (checks their own definition), then check bodies.
  auto it = by_decl_.find(&decl);
  if (it == by_decl_.end()) return;  // a duplicate: reported at declaration
  Symbol* symbol = it->second;
  resolve(symbol);
  if (auto* proc = ast::as<ast::ProcedureDecl>(&decl)) check_procedure(symbol, *proc);
  if (auto* fn = ast::as<ast::FunctionDecl>(&decl)) check_function(symbol, *fn);
  if (auto* kpi = ast::as<ast::KpiDecl>(&decl)) check_kpi(symbol, *kpi);
  if (auto* plant = ast::as<ast::PlantDecl>(&decl)) check_plant(*plant);
}

Type Checker::rule_subject(const ast::Path& path, bool top_level, const char* rule) {
  if (path.parts.empty()) return Type();
  const ast::Ident& head = path.parts.front();
  Symbol* symbol = lookup(head, /*report=*/!top_level);
  if (!symbol && top_level && !last_lookup_ambiguous_) {
    sink_
        .report(Code::kBadSubject, path.span,
                "`" + head.name + "` is not defined; a `" + rule +
                    "` rule outside a procedure "
                    "names an equipment class and its signal")
        .with_hint(std::string("e.g. `") + rule +
                   " Mixer.temperature ...`, or move the rule "
                   "into the procedure that binds `" +
                   head.name + "`");
    return Type();
  }
  if (!symbol) return Type();
  const ClassInfo* cls = nullptr;
  if (top_level) {
    if (symbol->kind != SymbolKind::kClass || path.parts.size() != 2) {
      sink_
          .report(Code::kBadSubject, path.span,
                  std::string("a `") + rule +
                      "` rule outside a procedure must name an equipment "
                      "class and its signal")
          .with_hint(std::string("e.g. `") + rule +
                     " Mixer.temperature ...`: the rule then "
                     "applies to every Mixer of every plant");
      return Type();
    }
    resolve(symbol);
    cls = &symbol->class_info;
    facts_.rule_classes[&path] = cls;
  } else {
    if (symbol->kind == SymbolKind::kLocal) symbol->used = true;
    if (symbol->kind != SymbolKind::kLocal || symbol->type.kind != TypeKind::kEquipment ||
        path.parts.size() != 2) {
      if (symbol->kind == SymbolKind::kLocal && symbol->type.is_error()) return Type();
      sink_
          .report(Code::kNotASignal, path.span,
                  std::string("a `") + rule +
                      "` rule needs a signal of a `uses` binding, such as "
                      "`mixer.temperature`")
          .with_hint("name the equipment binding, a dot, and one of its signals");
      return Type();
    }
    cls = symbol->type.equipment;
  }
  const ast::Ident& member_name = path.parts[1];
  const MemberInfo* member = cls->find(member_name.name);
  if (!member) {
    auto& d = sink_.report(
        Code::kUnknownMember, member_name.span,
        "equipment class `" + cls->name + "` has no signal `" + member_name.name + "`");
    if (auto guess = diag::closest_name(member_name.name, cls->member_names())) {
      d.with_hint("did you mean `" + *guess + "`?");
    }
    return Type();
  }
  if (member->kind != ast::ClassMember::Kind::kSignal) {
    sink_
        .report(Code::kNotASignal, member_name.span,
                "`" + member_name.name + "` is a " +
                    (member->kind == ast::ClassMember::Kind::kProperty ? "property" : "command") +
                    " of `" + cls->name + "`, not a signal")
        .note(member->span, "`" + member_name.name + "` is declared here")
        .with_hint(std::string("only signals (values read from the floor) can be ") +
                   (std::string(rule) == "limit" ? "limited" : "collected"));
    return Type();
  }
  return member->type;
}

void Checker::check_limit(const ast::LimitDecl& limit, bool top_level, const BodyContext& ctx) {
  Type signal = rule_subject(limit.subject, top_level, "limit");
  Type lo = check_expr(limit.lo.get(), ctx);
  Type hi = check_expr(limit.hi.get(), ctx);
  if (!signal.is_error() && !signal.is_numeric()) {
    sink_.report(Code::kBadOperand, limit.subject.span,
                 "a limit needs a numeric signal, but this is " + describe(signal));
  } else {
    if (limit.lo) expect(signal, lo, limit.lo->span, "the lower limit");
    if (limit.hi) expect(signal, hi, limit.hi->span, "the upper limit");
  }
  if (limit.lo && limit.hi) {
    check_range(limit.lo.get(), limit.hi.get(),
                {limit.lo->span.file, limit.lo->span.begin, limit.hi->span.end});
  }
  check_block(limit.on_violation, BodyContext{Place::kReaction, ctx.owner});
}

void Checker::check_collect(const ast::CollectDecl& collect, bool top_level) {
  BodyContext ctx{Place::kExpression, nullptr};
  Type signal = rule_subject(collect.signal, top_level, "collect");
  Type period = check_expr(collect.period.get(), ctx);
  if (!is_duration(period)) {
    sink_
        .report(Code::kBadPeriod, collect.period->span,
                "a collection period must be a duration, but this is " + describe(period))
        .with_hint("e.g. `every 1 s`");
  } else if (auto value = constant(collect.period.get()); value && !(*value > Rational())) {
    sink_.report(Code::kBadPeriod, collect.period->span, "a collection period must be positive");
  }
  if (collect.deadband) {
    Type band = check_expr(collect.deadband.get(), ctx);
    if (!band.is_error() && !signal.is_error()) {
      Type wanted = signal;
      if (wanted.kind == TypeKind::kQuantity) wanted.affinity = Affinity::kDifference;
      if (!signal.is_numeric() || !band.is_numeric()) {
        sink_.report(Code::kBadDeadband, collect.deadband->span,
                     "a deadband applies to a numeric signal; this one is " + describe(signal));
      } else if (band.affinity == Affinity::kAbsolute) {
        sink_
            .report(Code::kBadDeadband, collect.deadband->span,
                    "a deadband is a difference, but this is " + describe(band))
            .with_hint("write it with `delta`, e.g. `deadband 0.5 delta " +
                       (band.unit.empty() ? std::string("degC") : band.unit) + "`");
      } else if ((band.kind == TypeKind::kInt ? Type::real() : band).dimension !=
                 (signal.kind == TypeKind::kInt ? Type::real() : signal).dimension) {
        sink_.report(Code::kBadDeadband, collect.deadband->span,
                     "the deadband must be in the signal's dimension (" + describe(signal) +
                         "), but this is " + describe(band));
      } else if (auto value = constant(collect.deadband.get()); value && *value < Rational()) {
        sink_.report(Code::kBadDeadband, collect.deadband->span, "a deadband cannot be negative");
      }
    }
  }
  if (collect.valid_lo && collect.valid_hi) {
    Type lo = check_expr(collect.valid_lo.get(), ctx);
    Type hi = check_expr(collect.valid_hi.get(), ctx);
    expect(signal, lo, collect.valid_lo->span, "the lowest valid value");
    expect(signal, hi, collect.valid_hi->span, "the highest valid value");
    check_range(
        collect.valid_lo.get(), collect.valid_hi.get(),
        {collect.valid_lo->span.file, collect.valid_lo->span.begin, collect.valid_hi->span.end});
  }
}

void Checker::check_procedure(Symbol* symbol, const ast::ProcedureDecl& decl) {
  BodyContext step{Place::kStep, symbol};
  push_scope();  // the procedure's frame: parameters, bindings, step-level lets
  frame_depth_ = locals_.size() - 1;
  for (std::size_t i = 0; i < decl.params.size(); ++i) {
    add_local(decl.params[i].name, LocalKind::kParam, symbol->params[i].type);
  }
  for (std::size_t i = 0; i < decl.uses.size(); ++i) {
    const auto& use = decl.uses[i];
    Symbol* cls = lookup(use.equipment_class);
    if (cls && cls->kind != SymbolKind::kClass) {
      sink_
          .report(Code::kNotAnEquipmentClass, use.equipment_class.span,
                  "`" + cls->name + "` is " + a_kind(cls->kind) + ", not an equipment class")
          .with_hint("`uses` requires equipment: `uses mixer: Mixer`");
    }
    facts_.uses[&use] =
        add_local(use.name, LocalKind::kUses, symbol->params[decl.params.size() + i].type);
    if (use.constraint)
      check_condition(use.constraint.get(), BodyContext{Place::kExpression, symbol});
  }
  for (const auto& limit : decl.limits) check_limit(*limit, /*top_level=*/false, step);
  for (const auto& collect : decl.collects) check_collect(*collect, /*top_level=*/false);

  std::map<std::string, diag::Span> step_names;
  const ast::Step* aborting = nullptr;
  bool reported_unreachable = false;
  for (const auto& s : decl.steps) {
    std::string name = s.name ? s.name->value : "";
    if (auto [it, fresh] = step_names.emplace(name, s.span); !fresh) {
      sink_
          .report(Code::kDuplicateStep, s.name ? s.name->span : s.span,
                  "procedure `" + symbol->name + "` already has a step \"" + name + "\"")
          .note(it->second, "the first step \"" + name + "\" is here")
          .with_hint("step names identify where a running batch is; make them unique");
    }
    if (aborting && !reported_unreachable) {
      sink_
          .report(Code::kUnreachable, s.name ? s.name->span : s.span,
                  "step \"" + name + "\" never runs")
          .note(aborting->span, "the step before it always aborts the procedure");
      reported_unreachable = true;
    }
    check_string(s.name.get());
    // Step-level lets live in the procedure's frame: later steps see them.
    push_scope();
    bool ends = false;
    bool reported = false;
    for (const auto& stmt : s.body) {
      if (ends && !reported) {
        sink_.report(Code::kUnreachable, stmt->span, "this statement never runs")
            .with_hint("everything before it aborts the procedure; remove it or the abort");
        reported = true;
      }
      if (check_stmt(*stmt, step)) ends = true;
    }
    // Move this step's bindings into the frame, keeping their use marks.
    auto step_locals = std::move(locals_.back());
    locals_.pop_back();
    for (Symbol* local : step_locals) locals_.back().push_back(local);
    if (ends && !aborting) aborting = &s;
  }

  std::set<ast::Handler::Kind> seen;
  std::map<ast::Handler::Kind, diag::Span> handler_spans;
  for (const auto& handler : decl.handlers) {
    if (!seen.insert(handler.kind).second) {
      sink_
          .report(Code::kDuplicateHandler, handler.span,
                  std::string("procedure `") + symbol->name + "` already has an `on " +
                      ast::spelling(handler.kind) + "` handler")
          .note(handler_spans[handler.kind], "the first one is here")
          .with_hint("merge the two handlers into one");
    }
    handler_spans.emplace(handler.kind, handler.span);
  }
  // Handlers run at any moment: they see the parameters and bindings, not the lets of
  // steps that may not have run. Check them before the frame's lets are visible.
  auto frame = locals_.back();
  std::size_t fixed = decl.params.size() + decl.uses.size();
  locals_.back().resize(std::min(fixed, frame.size()));
  for (const auto& handler : decl.handlers) {
    check_block(handler.body, BodyContext{Place::kHandler, symbol});
  }
  locals_.back() = frame;
  frame_depth_.reset();
  pop_scope();
}

void Checker::check_function(Symbol* symbol, const ast::FunctionDecl& decl) {
  if (decl.is_builtin && decl.body) {
    sink_.report(Code::kBadBody, decl.body->span, "a builtin function has no body")
        .with_hint("remove `= ...`, or remove `builtin`");
  } else if (!decl.is_builtin && !decl.body) {
    sink_.report(Code::kBadBody, decl.name.span, "function `" + symbol->name + "` has no body")
        .with_hint("give it one: `function " + symbol->name + "(...): T = expression;`");
  }
  if (!decl.body) return;
  push_scope();
  for (std::size_t i = 0; i < decl.params.size(); ++i) {
    add_local(decl.params[i].name, LocalKind::kParam, symbol->params[i].type);
  }
  Type body = check_expr(decl.body.get(), BodyContext{Place::kExpression, symbol});
  expect(symbol->result, body, decl.body->span, "the function's result");
  pop_scope();
}

void Checker::check_kpi(Symbol* symbol, const ast::KpiDecl& decl) {
  static const std::vector<std::string> kWindows = {"shift", "day",   "week",
                                                    "month", "order", "batch"};
  BodyContext ctx{Place::kExpression, symbol};
  if (decl.window_name &&
      std::find(kWindows.begin(), kWindows.end(), decl.window_name->name) == kWindows.end()) {
    auto guess = diag::closest_name(decl.window_name->name, kWindows);
    sink_
        .report(Code::kUnknownWindow, decl.window_name->span,
                "`" + decl.window_name->name + "` is not a KPI window")
        .with_hint(guess ? "did you mean `" + *guess + "`?"
                         : "use one of shift, day, week, month, order, batch, or `over last 24 h`");
  }
  if (decl.window_last) {
    Type t = check_expr(decl.window_last.get(), ctx);
    if (!is_duration(t)) {
      sink_
          .report(Code::kNotADuration, decl.window_last->span,
                  "a rolling window must be a duration, but this is " + describe(t))
          .with_hint("e.g. `over last 24 h`");
    }
  }
  push_scope();
  for (std::size_t i = 0; i < decl.params.size(); ++i) {
    add_local(decl.params[i].name, LocalKind::kParam, symbol->params[i].type);
  }
  Type body = check_expr(decl.body.get(), ctx);
  if (decl.result) {
    if (decl.body) expect(symbol->result, body, decl.body->span, "the KPI's value");
  } else if (!body.is_numeric() && !body.is_error()) {
    sink_.report(Code::kTypeMismatch, decl.body ? decl.body->span : decl.name.span,
                 "a KPI must compute a number or quantity, but this is " + describe(body));
  } else {
    symbol->result = body;
  }
  pop_scope();
}

}  // namespace gemba::sema
