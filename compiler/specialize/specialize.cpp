// The specialization pass (specialization.h): the driver. Steps, in order: parameters,
// `uses` bindings, top-level rules, folding, then the checks that need folded values.
#include "compiler/specialize/specializer.h"

namespace gemba::specialize {

Specializer::Specializer(const sema::Program& program, std::size_t module,
                         const plant::PlantModel& plant, diag::DiagnosticSink& sink)
    : program_(program),
      facts_(program.facts()),
      module_(*program.modules()[module].ast),
      plant_(plant),
      sink_(sink),
      env_([this](const sema::Symbol& param) {
        param_from(static_cast<const ast::ParamDecl&>(*param.decl));
      }),
      printer_(program, &plant, [this](const ast::Expr* e) { return out_.constant(e); }) {
  out_.program = &program;
  out_.module = module;
  out_.plant = &plant;
}

Specialization Specializer::run() {
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

// Reports the problem and counts it for the matrix.
diag::Diagnostic& Specializer::report(Code code, diag::Span span, std::string message) {
  diag::Diagnostic& d = sink_.report(code, span, std::move(message));
  (d.severity == diag::Severity::kError ? out_.errors : out_.warnings) += 1;
  return d;
}

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
