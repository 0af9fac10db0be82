// `uses` bindings: each to the one piece of the plant's equipment that satisfies it;
// top-level rules: one per piece of equipment of their class.
#include <algorithm>
#include <unordered_map>

#include "compiler/specialize/specializer.h"
#include "compiler/specialize/walk.h"

namespace gemba::specialize {

void Specializer::procedure(const ast::ProcedureDecl& decl) {
  SpecializedProcedure& proc = out_.procedures.emplace_back();
  proc.decl = &decl;
  for (const auto& use : decl.uses) proc.uses.push_back(bind_use(decl, use));
}

const sema::ClassInfo* Specializer::class_of(const ast::UseBinding& use) const {
  auto it = facts_.uses.find(&use);
  if (it == facts_.uses.end()) return nullptr;
  return it->second->type.equipment;
}

// What the `where` clause says of `candidate`: true, false, or nullopt (run time).
std::optional<bool> Specializer::holds(const ast::UseBinding& use,
                                       const plant::Instance& candidate) {
  if (!use.constraint) return true;
  const sema::Symbol* local = facts_.uses.at(&use);
  env_.bind(local, &candidate);
  auto value = sema::evaluate(use.constraint.get(), facts_, env_);
  env_.bind(local, nullptr);
  if (!value) return std::nullopt;
  return value->boolean;
}

// The parts of the `where` clause (`a and b and c`) that are false for `candidate`,
// with its values in them: "300 kg >= 400 kg is false".
std::string Specializer::explain(const ast::UseBinding& use, const plant::Instance& candidate) {
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
    for_each_child(
        part, [&](const ast::Expr* operand) { outermost_values(operand, facts_, env_, values); });
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

std::vector<const ast::Expr*> Specializer::conjuncts(const ast::Expr* expr) {
  auto* b = ast::as<ast::BinaryExpr>(expr);
  if (b == nullptr || b->op != ast::BinaryOp::kAnd) return {expr};
  std::vector<const ast::Expr*> out = conjuncts(b->lhs.get());
  for (const ast::Expr* part : conjuncts(b->rhs.get())) out.push_back(part);
  return out;
}

BoundUse Specializer::bind_use(const ast::ProcedureDecl& decl, const ast::UseBinding& use) {
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
             "plant `" + plant_.name + "` binds " + what + " to `" + target->name + "`, which is " +
                 (target->equipment_class ? "a " + target->equipment_class->name : "unknown") +
                 ", not a " + cls->name)
          .note(use.span, "the template's `uses` binding is declared here");
      return out;
    }
    auto verdict = holds(use, *target);
    if (verdict == false) {
      report(Code::kBindingRejected, chosen->decl->target.span,
             "plant `" + plant_.name + "` binds " + what + " to `" + target->name + "`, but `" +
                 target->name + "` does not satisfy the `where` clause: " + explain(use, *target))
          .note(use.constraint->span, "the template's `where` clause");
      return out;
    }
    out.instance = target;
    // Not false: true (decided) or unknown until the procedure starts (kept).
    out.residual = verdict.has_value() ? nullptr : use.constraint.get();
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
    d.with_hint("this template cannot run at plant `" + plant_.name +
                "` until the plant model has a " + cls->name + " (or a class derived from it)");
    return out;
  }
  if (accepted.empty()) {
    auto& d = report(Code::kNoEquipment, use.constraint->span,
                     "no " + cls->name + " of plant `" + plant_.name +
                         "` satisfies the `where` clause of " + what);
    for (const plant::Instance* candidate : of_class) {
      d.note(candidate->decl->name.span, "`" + candidate->name + "`: " + explain(use, *candidate));
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
  out.residual = verdicts[it - of_class.begin()].has_value() ? nullptr : use.constraint.get();
  env_.bind(local, out.instance);
  return out;
}

void Specializer::top_level_rule(const ast::Decl& decl) {
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
    report(
        Code::kRuleMatchesNothing, subject.span,
        "plant `" + plant_.name + "` has no " + cls->name + ": this rule applies to nothing there");
  }
}

// The class a top-level rule's subject names, as the checker resolved it.
const sema::ClassInfo* Specializer::rule_class(const ast::Path& subject) const {
  auto it = facts_.rule_classes.find(&subject);
  return it == facts_.rule_classes.end() ? nullptr : it->second;
}

}  // namespace gemba::specialize
