#include "compiler/specialize/plant_settings.h"

#include <map>
#include <set>
#include <string>

#include "compiler/diag/closest_name.h"

namespace gemba::specialize {
namespace {

struct Declared {
  std::set<std::string> params;
  std::map<std::string, std::set<std::string>> uses;  // procedure -> its `uses` names
};

Declared declared_by(const sema::Program& program, const std::vector<std::size_t>& templates) {
  Declared out;
  for (std::size_t index : templates) {
    for (const auto& decl : program.modules()[index].ast->decls) {
      if (auto* p = ast::as<ast::ParamDecl>(decl.get())) out.params.insert(p->name.name);
      if (auto* p = ast::as<ast::ProcedureDecl>(decl.get())) {
        auto& names = out.uses[p->name.name];
        for (const auto& use : p->uses) names.insert(use.name.name);
      }
    }
  }
  return out;
}

void suggest(diag::Diagnostic& d, const std::string& name, const std::set<std::string>& names) {
  if (auto guess = diag::closest_name(name, std::vector<std::string>(names.begin(), names.end()))) {
    d.with_hint("did you mean `" + *guess + "`?");
  }
}

}  // namespace

void check_plant_settings(const sema::Program& program, const std::vector<std::size_t>& templates,
                          const plant::PlantModel& plant, diag::DiagnosticSink& sink) {
  Declared declared = declared_by(program, templates);
  for (const auto& param : plant.decl->params) {
    if (declared.params.count(param.name.name)) continue;
    auto& d = sink.report(diag::Code::kUnknownPlantSetting, param.name.span,
                          "plant `" + plant.name + "` sets `" + param.name.name +
                              "`, but no checked template declares a parameter of that name");
    suggest(d, param.name.name, declared.params);
  }
  for (const auto& bind : plant.decl->bindings) {
    auto procedure = declared.uses.find(bind.procedure.name);
    if (procedure == declared.uses.end()) {
      std::set<std::string> names;
      for (const auto& [name, uses] : declared.uses) names.insert(name);
      auto& d =
          sink.report(diag::Code::kUnknownPlantSetting, bind.procedure.span,
                      "plant `" + plant.name + "` binds equipment for `" + bind.procedure.name +
                          "`, but no checked template declares a "
                          "procedure of that name");
      suggest(d, bind.procedure.name, names);
    } else if (!procedure->second.count(bind.use.name)) {
      auto& d = sink.report(
          diag::Code::kUnknownPlantSetting, bind.use.span,
          "procedure `" + bind.procedure.name + "` has no `uses` binding `" + bind.use.name + "`");
      suggest(d, bind.use.name, procedure->second);
    }
  }
}

}  // namespace gemba::specialize
