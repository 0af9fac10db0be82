// Loads a program: registers and parses the input files, names their modules, and
// follows their imports transitively, loading the standard library and files from the
// search folders as they are imported. Reports G0101 (unknown module), G0102
// (duplicate import) and G0104 (duplicate module); cycles are left to order_modules().
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"
#include "compiler/driver/file_reader.h"
#include "compiler/driver/loaded_module.h"

namespace gemba::driver {

struct LoaderOptions {
  // Searched, in order, for `a/b.gmb` on `import a.b;`; then the importing file's
  // own folder.
  std::vector<std::filesystem::path> include_dirs;
  FileReader read = read_text_file;
};

// `import a.b;` resolves to the first of:
//   1. a module of that name already known: an input declaring `module a.b;` (or,
//      when none does, an input whose file stem is `a.b`), or a file loaded earlier;
//   2. for `std.*`, the embedded standard library file `std/....gmb`;
//   3. `a/b.gmb` under each include folder, then under the importing file's folder.
class ModuleLoader {
 public:
  ModuleLoader(diag::SourceManager& sources, diag::DiagnosticSink& sink, LoaderOptions options);

  // Registers one input file and parses it. Call for every input before resolving.
  void add_input(std::string path, std::string text);

  // Names the inputs, then resolves every import of every module, including the
  // modules that resolving loads.
  void resolve_imports();

  std::vector<LoadedModule>& modules() { return modules_; }
  // Files that an import found but that could not be read.
  std::vector<std::string>& io_errors() { return io_errors_; }

 private:
  std::size_t load(std::string path, std::string text, ModuleOrigin origin);
  void name_inputs();
  void resolve_module(std::size_t index);
  std::optional<std::size_t> find_module(const std::string& name, std::size_t importer);
  std::optional<std::size_t> find_in_stdlib(const std::string& name);
  std::optional<std::size_t> find_on_disk(const std::string& name, std::size_t importer);
  std::vector<std::filesystem::path> search_dirs(std::size_t importer) const;
  void report_unknown(const ast::Import& import, const std::string& name, std::size_t importer);
  std::vector<std::string> known_names() const;

  diag::SourceManager& sources_;
  diag::DiagnosticSink& sink_;
  LoaderOptions options_;
  std::vector<LoadedModule> modules_;
  std::map<std::string, std::size_t> by_name_;  // module name -> index in modules_
  std::map<std::string, std::size_t> by_file_;  // absolute normal path -> index
  std::vector<std::string> io_errors_;
};

}  // namespace gemba::driver
