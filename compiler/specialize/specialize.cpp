// The specialization pass (specialization.h). Steps, in order: parameters, `uses`
// bindings, top-level rules, folding, then the checks that need folded values.
#include <algorithm>
#include <unordered_set>

#include "compiler/sema/evaluate.h"
#include "compiler/specialize/plant_environment.h"
#include "compiler/specialize/printer.h"
#include "compiler/specialize/specialization.h"
#include "compiler/specialize/walk.h"

namespace gemba::specialize {
namespace {

using diag::Code;

class Specializer {
 public:
  Specializer(const sema::Program& program, std::size_t module, const plant::PlantModel& plant,
              diag::DiagnosticSink& sink)
      : program_(program),
        facts_(program.facts()),
        module_(*program.modules()[module].ast),
        plant_(plant),
        sink_(sink),
        env_(plant,
             [this](const sema::Symbol& param) {
               param_from(static_cast<const ast::ParamDecl&>(*param.decl));
             }),
        printer_(program, &plant, [this](const ast::Expr* e) { return out_.constant(e); }) {
    out_.program = &program;
    out_.module = module;
    out_.plant = &plant;
  }

  Specialization run() {
    for (const auto& decl : module_.decls) {
      if (auto* p = ast::as<ast::ParamDecl>(decl.get())) param_from(*p);
    }
    for (const auto& decl : module_.decls) {
      if (auto* p = ast::as<ast::ProcedureDecl>(decl.get())) procedure(*p);
      if (decl->kind == ast::DeclKind::kLimit || decl->kind == ast::DeclKind::kCollect) {
        top_level_rule(*decl);
      }
      if (decl->kind == ast::DeclKind::kFunction || decl->kind == ast::DeclKind::kKpi) {
        out_.others.push_back(decl.get());
      }
    }
    fold_module();
    check_values();
    return std::move(out_);
  }

 private:
  std::string at_plant() const { return "at plant `" + plant_.name + "`"; }

  // Reports the problem and counts it for the matrix.
  diag::Diagnostic& report(Code code, diag::Span span, std::string message) {
    diag::Diagnostic& d = sink_.report(code, span, std::move(message));
    (d.severity == diag::Severity::kError ? out_.errors : out_.warnings) += 1;
    return d;
  }

  // ---- parameters

  // Gives the parameter its value at this plant (or reports why it has none).
  void param_from(const ast::ParamDecl& decl) {
    const sema::Symbol* symbol = program_.symbol_of(&decl);
    if (symbol == nullptr || !params_seen_.insert(symbol).second) return;
    auto setting = plant_.params.find(symbol->name);
    if (setting == plant_.params.end()) {
      if (!symbol->default_value) {
        report(Code::kMissingParameter, decl.name.span,
               "plant `" + plant_.name + "` does not set `" + symbol->name +
                   "`, which this template needs and gives no default for")
            .note(plant_.decl->name.span, "the plant is declared here")
            .with_hint("add `param " + symbol->name + " = ...;` to plant `" + plant_.name + "`");
        return;
      }
      bind_param(symbol, *symbol->default_value, false);
      return;
    }
    const plant::ParamSetting& set = setting->second;
    diag::Span where = set.decl->value ? set.decl->value->span : set.decl->span;
    if (!compatible(symbol->type, set.value)) {
      report(Code::kParameterType, where,
             "plant `" + plant_.name + "` sets `" + symbol->name + "` to " +
                 printer_.value(set.value) + ", but the template declares it as " +
                 describe(symbol->type))
          .note(decl.name.span, "the template's parameter is declared here");
      return;
    }
    if (!symbol->has_range && symbol->default_value) {
      report(Code::kParameterFixed, where,
             "plant `" + plant_.name + "` sets `" + symbol->name +
                 "`, but the template fixes it at " + printer_.value(*symbol->default_value))
          .note(decl.name.span, "declared without a range: plants may not change it")
          .with_hint(
              "remove the setting from the plant, or give the parameter a range "
              "(`in lo .. hi`) in the template");
      return;
    }
    if (symbol->range_lo && symbol->range_hi &&
        (set.value.number < symbol->range_lo->number ||
         set.value.number > symbol->range_hi->number)) {
      Printer as_written(program_, nullptr, [](const ast::Expr*) { return nullptr; });
      report(Code::kParameterOutOfRange, where,
             "plant `" + plant_.name + "` sets `" + symbol->name + "` to " +
                 printer_.value(set.value) + ", outside the range " +
                 printer_.value(*symbol->range_lo) + " .. " + printer_.value(*symbol->range_hi) +
                 " the template allows")
          .note(decl.lo->span, "the template's range for `" + symbol->name +
                                   "`: " + as_written.expr(decl.lo.get()) + " .. " +
                                   as_written.expr(decl.hi.get()))
          .with_hint("choose a value within the range, or have the template's owner widen it");
      return;
    }
    bind_param(symbol, set.value, true);
  }

  static bool compatible(const sema::Type& type, const sema::Value& value) {
    using sema::TypeKind;
    if (type.is_error()) return true;
    if (type.kind == TypeKind::kQuantity) {
      if (value.type.kind != TypeKind::kQuantity && value.type.kind != TypeKind::kInt) return false;
      sema::Dimension d =
          value.type.kind == TypeKind::kInt ? sema::Dimension() : value.type.dimension;
      if (d != type.dimension) return false;
      bool abs_vs_diff = (type.affinity == sema::Affinity::kAbsolute) !=
                             (value.type.affinity == sema::Affinity::kAbsolute) &&
                         (type.affinity != sema::Affinity::kLinear ||
                          value.type.affinity != sema::Affinity::kLinear);
      return !abs_vs_diff;
    }
    if (type.kind == TypeKind::kEnum) {
      return value.type.kind == TypeKind::kEnum && value.type.enumeration == type.enumeration;
    }
    return type.kind == value.type.kind;
  }

  std::string describe(const sema::Type& type) const {
    return sema::describe(type, program_.dimensions());
  }

  void bind_param(const sema::Symbol* symbol, sema::Value value, bool from_plant) {
    if (value.type.kind == sema::TypeKind::kInt && symbol->type.kind == sema::TypeKind::kQuantity) {
      value.type = symbol->type;  // `1` for a real parameter
    }
    env_.set_param(symbol, value);
    out_.params.push_back({symbol, std::move(value), from_plant});
  }

  // ---- `uses` bindings

  void procedure(const ast::ProcedureDecl& decl) {
    SpecializedProcedure& proc = out_.procedures.emplace_back();
    proc.decl = &decl;
    for (const auto& use : decl.uses) proc.uses.push_back(bind_use(decl, use));
  }

  const sema::ClassInfo* class_of(const ast::UseBinding& use) const {
    auto it = facts_.uses.find(&use);
    if (it == facts_.uses.end()) return nullptr;
    return it->second->type.equipment;
  }

  // What the `where` clause says of `candidate`: true, false, or nullopt (run time).
  std::optional<bool> holds(const ast::UseBinding& use, const plant::Instance& candidate) {
    if (!use.constraint) return true;
    const sema::Symbol* local = facts_.uses.at(&use);
    env_.bind(local, &candidate);
    auto value = sema::evaluate(use.constraint.get(), facts_, env_);
    env_.bind(local, nullptr);
    if (!value) return std::nullopt;
    return value->boolean;
  }

  // The `where` clause with the candidate's values in it: `300 kg >= 400 kg`.
  // Only the parts of an `a and b and c` clause that are false for the candidate.
  std::string explain(const ast::UseBinding& use, const plant::Instance& candidate) {
    const sema::Symbol* local = facts_.uses.at(&use);
    env_.bind(local, &candidate);
    std::vector<const ast::Expr*> failing;
    for (const ast::Expr* part : conjuncts(use.constraint.get())) {
      auto value = sema::evaluate(part, facts_, env_);
      if (value && !value->boolean) failing.push_back(part);
    }
    if (failing.empty()) failing.push_back(use.constraint.get());
    std::unordered_map<const ast::Expr*, sema::Value> values;
    // The operands of each failing part, folded: the part itself is just `false`.
    for (const ast::Expr* part : failing) {
      for_each_child(part, [&](const ast::Expr* operand) {
        outermost_values(operand, facts_, env_, values);
      });
    }
    env_.bind(local, nullptr);
    Printer p(program_, &plant_, [&](const ast::Expr* e) -> const sema::Value* {
      auto it = values.find(e);
      return it == values.end() ? nullptr : &it->second;
    });
    std::string out;
    for (const ast::Expr* part : failing) {
      out += (out.empty() ? "" : ", and ") + p.expr(part) + " is false";
    }
    return out;
  }

  static std::vector<const ast::Expr*> conjuncts(const ast::Expr* expr) {
    auto* b = ast::as<ast::BinaryExpr>(expr);
    if (b == nullptr || b->op != ast::BinaryOp::kAnd) return {expr};
    std::vector<const ast::Expr*> out = conjuncts(b->lhs.get());
    for (const ast::Expr* part : conjuncts(b->rhs.get())) out.push_back(part);
    return out;
  }

  BoundUse bind_use(const ast::ProcedureDecl& decl, const ast::UseBinding& use) {
    BoundUse out;
    out.use = &use;
    const sema::ClassInfo* cls = class_of(use);
    if (cls == nullptr) return out;
    std::string what = "`" + use.name.name + ": " + cls->name + "` of `" + decl.name.name + "`";
    const sema::Symbol* local = facts_.uses.at(&use);

    if (const plant::Binding* chosen = plant_.binding(decl.name.name, use.name.name)) {
      const plant::Instance* target = chosen->target;
      out.explicit_binding = true;
      if (target->equipment_class == nullptr || !target->equipment_class->is_a(cls)) {
        report(Code::kBindingRejected, chosen->decl->target.span,
               "plant `" + plant_.name + "` binds " + what + " to `" + target->name +
                   "`, which is " +
                   (target->equipment_class ? "a " + target->equipment_class->name : "unknown") +
                   ", not a " + cls->name)
            .note(use.span, "the template's `uses` binding is declared here");
        return out;
      }
      auto verdict = holds(use, *target);
      if (verdict == false) {
        report(Code::kBindingRejected, chosen->decl->target.span,
               "plant `" + plant_.name + "` binds " + what + " to `" + target->name + "`, but `" +
                   target->name +
                   "` does not satisfy the `where` clause: " + explain(use, *target))
            .note(use.constraint->span, "the template's `where` clause");
        return out;
      }
      out.instance = target;
      out.residual = verdict ? nullptr : use.constraint.get();
      env_.bind(local, target);
      return out;
    }

    std::vector<const plant::Instance*> of_class, accepted;
    std::vector<std::optional<bool>> verdicts;
    for (const auto& instance : plant_.instances) {
      if (instance.equipment_class == nullptr || !instance.equipment_class->is_a(cls)) continue;
      of_class.push_back(&instance);
      auto verdict = holds(use, instance);
      verdicts.push_back(verdict);
      if (verdict != false) accepted.push_back(&instance);
    }
    if (of_class.empty()) {
      auto& d = report(Code::kNoEquipment, use.span,
                       "plant `" + plant_.name + "` has no " + cls->name + " for " + what);
      d.note(plant_.decl->name.span, "plant `" + plant_.name + "` is declared here");
      // What the plant has instead: equipment of a class the wanted one derives from.
      for (const auto& instance : plant_.instances) {
        if (instance.equipment_class && instance.equipment_class != cls &&
            cls->is_a(instance.equipment_class) && instance.equipment_class->base != nullptr) {
          d.note(instance.decl->name.span, "`" + instance.name + "` is a " +
                                               instance.equipment_class->name + ", not a " +
                                               cls->name);
        }
      }
      d
          .with_hint("this template cannot run at plant `" + plant_.name +
                     "` until the plant model has a " + cls->name +
                     " (or a class derived "
                     "from it)");
      return out;
    }
    if (accepted.empty()) {
      auto& d = report(Code::kNoEquipment, use.constraint->span,
                       "no " + cls->name + " of plant `" + plant_.name +
                           "` satisfies the `where` "
                           "clause of " +
                           what);
      for (const plant::Instance* candidate : of_class) {
        d.note(candidate->decl->name.span,
               "`" + candidate->name + "`: " + explain(use, *candidate));
      }
      d.with_hint("the plant's equipment cannot run this template as written");
      return out;
    }
    if (accepted.size() > 1) {
      auto& d = report(Code::kAmbiguousEquipment, use.span,
                       std::to_string(accepted.size()) + " pieces of equipment of plant `" +
                           plant_.name + "` fit " + what);
      for (const plant::Instance* candidate : accepted) {
        d.note(candidate->decl->name.span, "`" + candidate->name + "` (" + candidate->path + ")");
      }
      d.with_hint("choose one in the plant model: `bind " + decl.name.name + "." + use.name.name +
                  " = " + accepted.front()->name + ";`");
      return out;
    }
    out.instance = accepted.front();
    auto it = std::find(of_class.begin(), of_class.end(), out.instance);
    out.residual = verdicts[it - of_class.begin()] ? nullptr : use.constraint.get();
    env_.bind(local, out.instance);
    return out;
  }

  // ---- top-level rules: `collect Mixer.temperature ...` for each Mixer of the plant

  void top_level_rule(const ast::Decl& decl) {
    const ast::Path& subject = decl.kind == ast::DeclKind::kLimit
                                   ? static_cast<const ast::LimitDecl&>(decl).subject
                                   : static_cast<const ast::CollectDecl&>(decl).signal;
    const sema::ClassInfo* cls = rule_class(subject);
    if (cls == nullptr) return;
    std::size_t before = out_.rules.size();
    for (const auto& instance : plant_.instances) {
      if (instance.equipment_class && instance.equipment_class->is_a(cls)) {
        out_.rules.push_back({&decl, &instance});
      }
    }
    if (out_.rules.size() == before) {
      report(Code::kRuleMatchesNothing, subject.span,
             "plant `" + plant_.name + "` has no " + cls->name +
                 ": this rule applies to nothing "
                 "there");
    }
  }

  // The class a top-level rule's subject names, as the checker resolved it.
  const sema::ClassInfo* rule_class(const ast::Path& subject) const {
    auto it = facts_.rule_classes.find(&subject);
    return it == facts_.rule_classes.end() ? nullptr : it->second;
  }

  // ---- folding and the checks that need folded values

  void fold_module() {
    for (const auto& decl : module_.decls) {
      for_each_expr_root(*decl, [&](const ast::Expr* root) { fold(root); });
    }
  }

  // Evaluates the tree once, bottom up (memo_), then records its outermost constants.
  void fold(const ast::Expr* root) { record_outermost(root); }

  void record_outermost(const ast::Expr* expr) {
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

  void check_values() {
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

  // Every signal of a bound instance that the procedure reads needs a source.
  void check_signals(const SpecializedProcedure& proc) {
    std::unordered_map<const sema::Symbol*, const plant::Instance*> bound;
    for (const BoundUse& use : proc.uses) {
      if (use.instance) bound[facts_.uses.at(use.use)] = use.instance;
    }
    if (bound.empty()) return;
    for_each_signal_read(
        *proc.decl, facts_,
        [&](const sema::Symbol* object, const std::string& signal, diag::Span span) {
          auto it = bound.find(object);
          if (it != bound.end()) require_source(*it->second, signal, span);
        });
  }

  // Every constant argument of a command to bound equipment lies in the range the
  // command declares for it, with the equipment's property values in its bounds.
  void check_setpoints(const SpecializedProcedure& proc) {
    std::unordered_map<const sema::Symbol*, const plant::Instance*> bound;
    for (const BoundUse& use : proc.uses) {
      if (use.instance) bound[facts_.uses.at(use.use)] = use.instance;
    }
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

  void check_setpoint(const plant::Instance& instance, const std::string& command,
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

  void require_source(const plant::Instance& instance, const std::string& signal, diag::Span span) {
    if (instance.equipment_class == nullptr) return;
    const sema::MemberInfo* member = instance.equipment_class->find(signal);
    if (member == nullptr || member->kind != ast::ClassMember::Kind::kSignal) return;
    if (instance.sources.count(signal)) return;
    report(Code::kUnboundSignal, span,
           "`" + instance.name + "." + signal + "` has no source at plant `" + plant_.name + "`")
        .note(instance.decl->name.span, "`" + instance.name + "` is declared here")
        .with_hint("bind it in the plant model: `" + signal + " <- \"mqtt://...\";`");
  }

  const sema::Program& program_;
  const sema::Facts& facts_;
  const ast::Module& module_;
  const plant::PlantModel& plant_;
  diag::DiagnosticSink& sink_;
  PlantEnvironment env_;
  sema::EvaluationMemo memo_;
  std::unordered_set<const sema::Symbol*>
      params_seen_;  // each parameter is bound once  // valid once every `uses` is bound: filled by
                     // fold()
  Specialization out_;
  Printer printer_;
};

}  // namespace

bool is_template(const sema::ModuleInput& module) {
  if (module.is_stdlib) return false;
  for (const auto& decl : module.ast->decls) {
    switch (decl->kind) {
      case ast::DeclKind::kProcedure:
      case ast::DeclKind::kLimit:
      case ast::DeclKind::kCollect:
      case ast::DeclKind::kKpi:
      case ast::DeclKind::kParam:
        return true;
      default:
        break;
    }
  }
  return false;
}

Specialization specialize(const sema::Program& program, std::size_t module,
                          const plant::PlantModel& plant, diag::DiagnosticSink& sink) {
  return Specializer(program, module, plant, sink).run();
}

}  // namespace gemba::specialize
