#include "compiler/driver/pipeline.h"

#include <filesystem>
#include <map>
#include <set>

#include "compiler/ast/dump.h"
#include "compiler/driver/file_walker.h"
#include "compiler/driver/module_loader.h"
#include "compiler/driver/module_order.h"
#include "compiler/driver/plant_matrix.h"
#include "compiler/driver/syntax_cascades.h"
#include "compiler/plant/print_plant.h"
#include "compiler/sema/program.h"

namespace gemba::driver {
namespace {

// The parsed inputs, each headed by its path: `--dump-after=parse`.
std::string dump_inputs(const std::vector<LoadedModule>& modules,
                        const diag::SourceManager& sources) {
  std::string out;
  for (const LoadedModule& module : modules) {
    if (module.origin != ModuleOrigin::kInput) continue;
    if (!out.empty()) out += '\n';
    out += "=== " + sources.file(module.file).path() + " ===\n";
    out += ast::dump(*module.ast);
  }
  return out;
}

// Sema's view of the program, in dependency order.
std::vector<sema::ModuleInput> program_in_order(const std::vector<LoadedModule>& modules,
                                                const std::vector<std::size_t>& order) {
  std::vector<std::size_t> position(modules.size());
  for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  std::vector<sema::ModuleInput> program;
  for (std::size_t index : order) {
    const LoadedModule& module = modules[index];
    sema::ModuleInput input{
        module.ast.get(), module.name, module.origin == ModuleOrigin::kStdlib, {}};
    for (const ModuleEdge& edge : module.imports) {
      if (!edge.closes_cycle) input.imports.push_back({edge.import, position[edge.target]});
    }
    program.push_back(std::move(input));
  }
  return program;
}

// The plant models as the checker read them: `--dump-after=check`.
std::string dump_plants(const sema::Program& program, int year) {
  std::string out;
  for (const plant::PlantModel& plant : program.plants()) {
    if (!out.empty()) out += '\n';
    out += plant::print_plant(program, plant, year);
  }
  return out;
}

void run_pipeline(std::vector<InputFile> inputs, const std::set<std::string>& plant_files,
                  const CheckOptions& options, CheckRun& run) {
  std::set<std::string> named_files;
  for (const InputFile& input : inputs) {
    if (!plant_files.count(input.path)) named_files.insert(input.path);
  }
  diag::DiagnosticSink sink;
  ModuleLoader loader(run.sources, sink, {options.include_dirs, read_text_file});
  for (InputFile& input : inputs) loader.add_input(std::move(input.path), std::move(input.text));

  std::vector<LoadedModule>& modules = loader.modules();
  if (options.dump_after == "parse") {
    run.dump = dump_inputs(modules, run.sources);
  } else {
    loader.resolve_imports();
    std::vector<std::size_t> order = order_modules(modules, sink);
    std::vector<sema::ModuleInput> inputs_in_order = program_in_order(modules, order);
    sema::Program program(inputs_in_order, sink);
    if (options.dump_after == "check") run.dump = dump_plants(program, options.dump_year);
    if (!options.plant_paths.empty()) {
      std::set<std::size_t> broken = modules_with_errors(program, sink.sorted());
      specialize_all(program, {plant_files, named_files, broken}, options, sink, run);
    }
  }

  for (const LoadedModule& module : modules) {
    if (module.origin != ModuleOrigin::kStdlib) ++run.files_checked;
  }
  for (std::string& error : loader.io_errors()) run.io_errors.push_back(std::move(error));
  run.diagnostics = drop_syntax_cascades(sink.sorted(), modules);
}

std::size_t count(const std::vector<diag::Diagnostic>& diagnostics, diag::Severity severity) {
  std::size_t n = 0;
  for (const diag::Diagnostic& d : diagnostics) n += d.severity == severity ? 1 : 0;
  return n;
}

}  // namespace

std::size_t CheckRun::errors() const { return count(diagnostics, diag::Severity::kError); }

std::size_t CheckRun::warnings() const { return count(diagnostics, diag::Severity::kWarning); }

CheckRun check_paths(const std::vector<std::string>& paths, const CheckOptions& options) {
  CheckRun run;
  // Plant files first: a file both under --plants and among the paths is a plant file.
  CollectedInputs plants = collect_inputs(options.plant_paths);
  CollectedInputs collected = collect_inputs(paths);
  std::set<std::string> plant_files;
  std::vector<InputFile> inputs;
  std::set<std::string> seen;
  for (InputFile& file : plants.files) {
    std::error_code ignored;
    seen.insert(std::filesystem::weakly_canonical(file.path, ignored).string());
    plant_files.insert(file.path);
    inputs.push_back(std::move(file));
  }
  for (InputFile& file : collected.files) {
    std::error_code ignored;
    if (seen.count(std::filesystem::weakly_canonical(file.path, ignored).string())) continue;
    inputs.push_back(std::move(file));
  }
  run.io_errors = std::move(plants.io_errors);
  for (std::string& error : collected.io_errors) run.io_errors.push_back(std::move(error));
  run_pipeline(std::move(inputs), plant_files, options, run);
  return run;
}

// The inputs come from memory; an import that none of them declares is still looked up
// in the standard library and on disk (include folders, the importing file's folder
// taken relative to the working directory), as check_paths does.
CheckRun check_sources(const std::vector<std::pair<std::string, std::string>>& files,
                       const CheckOptions& options) {
  CheckRun run;
  std::vector<InputFile> inputs;
  std::set<std::string> plant_files;
  for (const auto& [path, text] : files) {
    inputs.push_back({path, text});
    for (const std::string& dir : options.plant_paths) {
      if (path == dir || path.rfind(dir + "/", 0) == 0) plant_files.insert(path);
    }
  }
  run_pipeline(std::move(inputs), plant_files, options, run);
  return run;
}

}  // namespace gemba::driver
