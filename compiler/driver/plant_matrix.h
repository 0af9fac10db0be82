// The template x plant matrix of `gemba check --plants`: every template of a checked
// program specialized for every plant model, each pair a cell.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/pipeline.h"
#include "compiler/sema/program.h"

namespace gemba::driver {

struct MatrixInputs {
  std::set<std::string> plant_files;  // paths of the plant model files
  std::set<std::string> named_files;  // paths of the other input files: the templates
  // Modules with errors, or importing one (modules_with_errors): a template or plant
  // among them is not specialized, its cells are marked so.
  std::set<std::size_t> broken_modules;
};

// Indexes of the program's modules that have an error, or import (directly or not) a
// module that has one.
std::set<std::size_t> modules_with_errors(const sema::Program& program,
                                          const std::vector<diag::Diagnostic>& diagnostics);

// Fills run.matrix, run.plant_names (and run.dump for `--dump-after specialize`),
// reporting specialization diagnostics into `sink`.
void specialize_all(const sema::Program& program, const MatrixInputs& inputs,
                    const CheckOptions& options, diag::DiagnosticSink& sink, CheckRun& run);

}  // namespace gemba::driver
