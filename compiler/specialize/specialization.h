// The specialization pass: one template (a checked module) read against one plant
// model. It binds every procedure's `uses` clause to equipment of the plant, gives every
// template parameter its plant value, folds what the plant makes constant, expands
// top-level rules to the plant's equipment, and checks every value that depends on the
// plant. The result refers to the template's AST and the checker's facts: nothing is
// copied, so specializing a template for many plants is cheap.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/plant/plant_model.h"
#include "compiler/sema/program.h"

namespace gemba::specialize {

// A procedure's `uses` binding and the equipment it takes at this plant.
struct BoundUse {
  const ast::UseBinding* use = nullptr;
  const plant::Instance* instance = nullptr;  // null when binding failed (reported)
  // The `where` clause, when it depends on the procedure's arguments: checked when the
  // procedure starts. Null when the plant's values decide it (it held).
  const ast::Expr* residual = nullptr;
  bool explicit_binding = false;  // chosen by the plant's `bind`
};

struct SpecializedProcedure {
  const ast::ProcedureDecl* decl = nullptr;
  std::vector<BoundUse> uses;
};

// A top-level limit or collect rule (`Mixer.temperature`) applied to one instance.
struct RuleInstance {
  const ast::Decl* decl = nullptr;  // a LimitDecl or CollectDecl
  const plant::Instance* instance = nullptr;
};

struct ParamValue {
  const sema::Symbol* param = nullptr;
  sema::Value value;
  bool from_plant = false;  // set by the plant, else the template's default
};

struct Specialization {
  const sema::Program* program = nullptr;
  std::size_t module = 0;  // the template
  const plant::PlantModel* plant = nullptr;
  std::vector<ParamValue> params;
  std::vector<SpecializedProcedure> procedures;
  std::vector<RuleInstance> rules;
  std::vector<const ast::Decl*> others;  // functions and KPIs, in declaration order
  // Every maximal expression that the plant's values make constant, with its value.
  std::unordered_map<const ast::Expr*, sema::Value> folded;
  std::size_t errors = 0;
  std::size_t warnings = 0;

  const sema::Value* constant(const ast::Expr* expr) const {
    auto it = folded.find(expr);
    return it == folded.end() ? nullptr : &it->second;
  }
};

// Whether a module is a template: it declares procedures, rules, KPIs or parameters.
bool is_template(const sema::ModuleInput& module);

// Specializes `program.modules()[module]` for `plant`, reporting plant-dependent
// problems into `sink`. Requires that neither the template nor the plant's module, nor
// anything they import, has errors (driver::modules_with_errors).
Specialization specialize(const sema::Program& program, std::size_t module,
                          const plant::PlantModel& plant, diag::DiagnosticSink& sink);

}  // namespace gemba::specialize
