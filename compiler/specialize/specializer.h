// The specialization pass's state and steps: private to compiler/specialize. The
// public entry point is specialize() (specialization.h). The steps are split by concept:
//   specialize.cpp      the driver: run() in order, and reporting
//   bind_params.cpp     template parameters and the plant's values for them
//   bind_equipment.cpp  `uses` bindings, and top-level rules per piece of equipment
//   fold.cpp            folding what the plant makes constant
//   plant_checks.cpp    the checks that need folded values
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/sema/evaluate.h"
#include "compiler/specialize/plant_environment.h"
#include "compiler/specialize/printer.h"
#include "compiler/specialize/specialization.h"

namespace gemba::specialize {

class Specializer {
 public:
  Specializer(const sema::Program& program, std::size_t module, const plant::PlantModel& plant,
              diag::DiagnosticSink& sink);
  Specialization run();

 private:
  using Code = diag::Code;

  // Reports the problem and counts it for the matrix.
  diag::Diagnostic& report(Code code, diag::Span span, std::string message);

  // ---- bind_params.cpp
  // Gives the parameter its value at this plant (or reports why it has none).
  void param_from(const ast::ParamDecl& decl);
  static bool compatible(const sema::Type& type, const sema::Value& value);
  std::string describe(const sema::Type& type) const;
  void bind_param(const sema::Symbol* symbol, sema::Value value, bool from_plant);

  // ---- bind_equipment.cpp
  void procedure(const ast::ProcedureDecl& decl);
  const sema::ClassInfo* class_of(const ast::UseBinding& use) const;
  // What the `where` clause says of `candidate`: true, false, or nullopt (run time).
  std::optional<bool> holds(const ast::UseBinding& use, const plant::Instance& candidate);
  // The `where` clause with the candidate's values in it: `300 kg >= 400 kg`.
  // Only the parts of an `a and b and c` clause that are false for the candidate.
  std::string explain(const ast::UseBinding& use, const plant::Instance& candidate);
  static std::vector<const ast::Expr*> conjuncts(const ast::Expr* expr);
  BoundUse bind_use(const ast::ProcedureDecl& decl, const ast::UseBinding& use);
  void top_level_rule(const ast::Decl& decl);
  // The class a top-level rule's subject names, as the checker resolved it.
  const sema::ClassInfo* rule_class(const ast::Path& subject) const;

  // ---- fold.cpp
  void fold_module();
  // Evaluates the tree once, bottom up (memo_), then records its outermost constants.
  void fold(const ast::Expr* root);
  void record_outermost(const ast::Expr* expr);

  // ---- plant_checks.cpp
  std::unordered_map<const sema::Symbol*, const plant::Instance*> bound_instances(
      const SpecializedProcedure& proc) const;
  void check_values();
  // Every signal of a bound instance that the procedure reads needs a source.
  void check_signals(const SpecializedProcedure& proc);
  // Every constant argument of a command to bound equipment lies in the range the
  // command declares for it, with the equipment's property values in its bounds.
  void check_setpoints(const SpecializedProcedure& proc);
  void check_setpoint(const plant::Instance& instance, const std::string& command,
                      const sema::MemberInfo::Param& param, const ast::Argument& arg);
  void require_source(const plant::Instance& instance, const std::string& signal, diag::Span span);

  // ---- state
  const sema::Program& program_;
  const sema::Facts& facts_;
  const ast::Module& module_;
  const plant::PlantModel& plant_;
  diag::DiagnosticSink& sink_;
  PlantEnvironment env_;
  sema::EvaluationMemo memo_;  // valid once every `uses` is bound: filled by fold()
  std::unordered_set<const sema::Symbol*> params_seen_;  // each parameter is bound once
  Specialization out_;
  Printer printer_;
};

}  // namespace gemba::specialize
