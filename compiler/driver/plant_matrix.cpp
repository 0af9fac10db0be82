#include "compiler/driver/plant_matrix.h"

#include <map>

#include "compiler/specialize/plant_settings.h"
#include "compiler/specialize/print_program.h"
#include "compiler/specialize/specialization.h"

namespace gemba::driver {

std::set<std::size_t> modules_with_errors(const sema::Program& program,
                                          const std::vector<diag::Diagnostic>& diagnostics) {
  std::set<diag::FileId> files;
  for (const diag::Diagnostic& d : diagnostics) {
    if (d.severity == diag::Severity::kError) files.insert(d.span.file);
  }
  // Modules come in dependency order: every import is already decided.
  std::set<std::size_t> broken;
  const auto& modules = program.modules();
  for (std::size_t i = 0; i < modules.size(); ++i) {
    bool bad = files.count(modules[i].ast->file) > 0;
    for (const sema::ResolvedImport& import : modules[i].imports) {
      bad = bad || broken.count(import.module) > 0;
    }
    if (bad) broken.insert(i);
  }
  return broken;
}

// Specializes every template of the program for every plant of the plant files.
void specialize_all(const sema::Program& program, const MatrixInputs& inputs,
                    const CheckOptions& options, diag::DiagnosticSink& sink, CheckRun& run) {
  const std::set<std::string>& plant_files = inputs.plant_files;
  const std::set<std::string>& named_files = inputs.named_files;
  auto path_of = [&](const sema::ModuleInput& m) { return run.sources.file(m.ast->file).path(); };
  std::vector<const plant::PlantModel*> plants;
  std::map<std::string, const plant::PlantModel*> by_name;
  for (const plant::PlantModel& plant : program.plants()) {
    if (!plant_files.count(path_of(program.modules()[plant.module]))) continue;
    // Within one file sema reports a second `plant houston`; across files, here.
    if (auto [it, fresh] = by_name.emplace(plant.name, &plant); !fresh) {
      sink.report(diag::Code::kDuplicateDefinition, plant.decl->name.span,
                  "another plant model is named `" + plant.name + "`")
          .note(it->second->decl->name.span, "the first is here")
          .with_hint(
              "plant names identify a plant everywhere: in the matrix, in "
              "`gemba specialize --plant` and at the center; rename one");
      continue;
    }
    run.plant_names.push_back(plant.name);
    if (options.only_plant.empty() || options.only_plant == plant.name) plants.push_back(&plant);
  }
  std::vector<std::size_t> templates;
  for (std::size_t i = 0; i < program.modules().size(); ++i) {
    const sema::ModuleInput& module = program.modules()[i];
    std::string path = path_of(module);
    // Templates are the input files; modules found through imports are libraries.
    if (!specialize::is_template(module) || !named_files.count(path)) continue;
    templates.push_back(i);
  }
  for (std::size_t i : templates) {
    std::string path = path_of(program.modules()[i]);
    for (const plant::PlantModel* plant : plants) {
      if (inputs.broken_modules.count(i) || inputs.broken_modules.count(plant->module)) {
        MatrixCell cell{path, plant->name};
        cell.specialized = false;
        run.matrix.push_back(cell);
        run.specialization_skipped = true;
        continue;
      }
      specialize::Specialization result = specialize::specialize(program, i, *plant, sink);
      run.matrix.push_back({path, plant->name, result.errors, result.warnings});
      if (options.lower && result.errors == 0) run.lowered.push_back(lower::lower_program(result));
      if (options.dump_after == "specialize") {
        if (!run.dump.empty()) run.dump += '\n';
        run.dump += specialize::print_program(result);
      }
    }
  }
  // With a subset of the templates, a setting for another one is no mistake.
  if (!options.only_named_templates) {
    for (const plant::PlantModel* plant : plants) {
      specialize::check_plant_settings(program, templates, *plant, sink);
    }
  }
}

}  // namespace gemba::driver
