// The checks that need the plant's values: ranges, signal sources, setpoints, shifts.
#include <unordered_map>

#include "compiler/specialize/specializer.h"
#include "compiler/specialize/walk.h"

namespace gemba::specialize {

void Specializer::check_values() {
  for_each_range(module_, [&](const ast::Expr* lo, const ast::Expr* hi, const char* what) {
    const sema::Value* low = out_.constant(lo);
    const sema::Value* high = out_.constant(hi);
    if (low == nullptr || high == nullptr || !(low->number > high->number)) return;
    report(Code::kEmptyRangeAtPlant, diag::Span{lo->span.file, lo->span.begin, hi->span.end},
           "with plant `" + plant_.name + "`'s values, " + what +
               " is empty: " + printer_.value(*low) + " .. " + printer_.value(*high))
        .with_hint(
            "the plant's parameters move the bounds past each other; check the "
            "values the plant sets");
  });
  for (const SpecializedProcedure& proc : out_.procedures) {
    check_signals(proc);
    check_setpoints(proc);
  }
  for (const RuleInstance& rule : out_.rules) {
    const ast::Path& subject = rule.decl->kind == ast::DeclKind::kLimit
                                   ? static_cast<const ast::LimitDecl*>(rule.decl)->subject
                                   : static_cast<const ast::CollectDecl*>(rule.decl)->signal;
    require_source(*rule.instance, subject.parts[1].name, subject.span);
  }
  for (const ast::Decl* decl : out_.others) {
    auto* kpi = ast::as<ast::KpiDecl>(decl);
    if (kpi && kpi->window_name && kpi->window_name->name == "shift" && plant_.shifts.empty()) {
      report(Code::kNoShifts, kpi->window_name->span,
             "KPI `" + kpi->name.name + "` is computed per shift, but plant `" + plant_.name +
                 "` has no shift calendar")
          .with_hint("add `shifts { A 06:00 .. 14:00; ... }` to plant `" + plant_.name + "`");
    }
  }
}

// The equipment each `uses` local of the procedure stands for at this plant.
std::unordered_map<const sema::Symbol*, const plant::Instance*> Specializer::bound_instances(
    const SpecializedProcedure& proc) const {
  std::unordered_map<const sema::Symbol*, const plant::Instance*> bound;
  for (const BoundUse& use : proc.uses) {
    if (use.instance) bound[facts_.uses.at(use.use)] = use.instance;
  }
  return bound;
}

// Every signal of a bound instance that the procedure reads needs a source.
void Specializer::check_signals(const SpecializedProcedure& proc) {
  auto bound = bound_instances(proc);
  if (bound.empty()) return;
  for_each_signal_read(*proc.decl, facts_,
                       [&](const sema::Symbol* object, const std::string& signal, diag::Span span) {
                         auto it = bound.find(object);
                         if (it != bound.end()) require_source(*it->second, signal, span);
                       });
}

// Every constant argument of a command to bound equipment lies in the range the
// command declares for it, with the equipment's property values in its bounds.
void Specializer::check_setpoints(const SpecializedProcedure& proc) {
  auto bound = bound_instances(proc);
  for_each_command(*proc.decl, [&](const ast::CallExpr& call) {
    auto* callee = ast::as<ast::MemberExpr>(call.callee.get());
    const sema::Symbol* object = callee ? facts_.symbol_of(callee->object.get()) : nullptr;
    auto it = bound.find(object);
    if (it == bound.end() || it->second->equipment_class == nullptr) return;
    const plant::Instance& instance = *it->second;
    const sema::MemberInfo* command = instance.equipment_class->find(callee->member.name);
    if (command == nullptr) return;
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      const ast::Argument& arg = call.args[i];
      const sema::MemberInfo::Param* param = nullptr;
      for (std::size_t k = 0; k < command->params.size(); ++k) {
        if (arg.name ? command->params[k].name == arg.name->name : k == i) {
          param = &command->params[k];
        }
      }
      if (param == nullptr || param->lo == nullptr) continue;
      check_setpoint(instance, callee->member.name, *param, arg);
    }
  });
}

void Specializer::check_setpoint(const plant::Instance& instance, const std::string& command,
                                 const sema::MemberInfo::Param& param, const ast::Argument& arg) {
  const sema::Value* value = out_.constant(arg.value.get());
  if (value == nullptr) return;  // known at run time: checked there
  PropertyEnvironment properties(instance, env_);
  auto lo = sema::evaluate(param.lo, facts_, properties);
  auto hi = sema::evaluate(param.hi, facts_, properties);
  if (!lo || !hi) return;
  if (lo->number <= value->number && value->number <= hi->number) return;
  report(Code::kSetpointOutOfRange, arg.value->span,
         "at plant `" + plant_.name + "`, `" + instance.name + "." + command + "` accepts " +
             param.name + " from " + printer_.value(*lo) + " to " + printer_.value(*hi) +
             ", but gets " + printer_.value(*value))
      .note(instance.decl->name.span, "`" + instance.name + "` is declared here")
      .with_hint("the template asks more of the equipment than `" + instance.name +
                 "` can do; check the setpoint, or bind equipment with a wider range");
}

void Specializer::require_source(const plant::Instance& instance, const std::string& signal,
                                 diag::Span span) {
  if (instance.equipment_class == nullptr) return;
  const sema::MemberInfo* member = instance.equipment_class->find(signal);
  if (member == nullptr || member->kind != ast::ClassMember::Kind::kSignal) return;
  if (instance.sources.count(signal)) return;
  report(Code::kUnboundSignal, span,
         "`" + instance.name + "." + signal + "` has no source at plant `" + plant_.name + "`")
      .note(instance.decl->name.span, "`" + instance.name + "` is declared here")
      .with_hint("bind it in the plant model: `" + signal + " <- \"mqtt://...\";`");
}

}  // namespace gemba::specialize
