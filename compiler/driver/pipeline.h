// The front end's pipeline: read files, parse, resolve imports, check. One place that
// composes the passes; `gemba check`, the tests, the fuzzer and the benchmark all come
// through here.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"
#include "compiler/lower/lower.h"

namespace gemba::driver {

struct CheckOptions {
  // Extra folders searched for imported modules: `import a.b;` looks for `a/b.gmb`.
  std::vector<std::filesystem::path> include_dirs;
  // Stop after this pass and print its result to `dump` instead ("parse"): empty = none.
  // "check" prints every plant model as the checker read it; "specialize" prints every
  // specialized program (template x plant).
  std::string dump_after;
  // The year whose daylight-saving days the "check" dump lists (see print_plant.h).
  int dump_year = 2026;
  // Plant model files and folders (`--plants DIR`): when given, every template is
  // specialized for every plant they declare, filling CheckRun::matrix.
  std::vector<std::string> plant_paths;
  // Specialize only for the plant of this name (`gemba specialize`). Empty = all.
  std::string only_plant;
  // The paths hold some of the templates, not all: a plant setting that none of them
  // declares is then no mistake (no G0906).
  bool only_named_templates = false;
  // Lower every pair specialized without errors into CheckRun::lowered (gemba compile).
  bool lower = false;
};

// One template (a checked file that declares procedures, rules, KPIs or parameters)
// specialized for one plant.
struct MatrixCell {
  std::string template_path;
  std::string plant;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  // False when the template or the plant model (or a module either imports) has
  // errors: the pair was not specialized, and errors/warnings are 0.
  bool specialized = true;
};

struct CheckRun {
  diag::SourceManager sources;
  std::vector<diag::Diagnostic> diagnostics;  // sorted by location, no repeats
  std::vector<std::string> io_errors;         // a path that cannot be read: exit code 2
  std::size_t files_checked = 0;
  std::string dump;                      // the output of CheckOptions::dump_after
  std::vector<MatrixCell> matrix;        // row by row: templates in input order x plants
  std::vector<std::string> plant_names;  // the plants found under plant_paths, in order
  bool specialization_skipped = false;   // some cell was not specialized (errors)
  std::vector<lower::Lowering> lowered;  // CheckOptions::lower: one per pair without errors
  std::size_t errors() const;
  std::size_t warnings() const;
};

// Checks the given files and folders (recursively, every `*.gmb`) together as one
// program, with the embedded standard library available to `import std.*;`.
CheckRun check_paths(const std::vector<std::string>& paths, const CheckOptions& options);

// The same for sources held in memory: {path, text} pairs. A file whose path is an
// entry of CheckOptions::plant_paths, or lies under one, is a plant file.
CheckRun check_sources(const std::vector<std::pair<std::string, std::string>>& files,
                       const CheckOptions& options);

}  // namespace gemba::driver
