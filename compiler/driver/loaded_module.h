// A parsed file of a run, with its module name and the imports resolved so far. The
// module loader makes these; module ordering and the pipeline read them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/source.h"

namespace gemba::driver {

enum class ModuleOrigin {
  kInput,       // named on the command line, or given in memory
  kStdlib,      // the embedded standard library, loaded because something imports it
  kSearchPath,  // found as `a/b.gmb` under an include folder or the importer's folder
};

struct ModuleEdge {
  const ast::Import* import = nullptr;  // where the import is written
  std::size_t target = 0;               // index of the imported module
  bool closes_cycle = false;            // set by order_modules(); sema never sees it
};

struct LoadedModule {
  diag::FileId file = 0;
  std::unique_ptr<ast::Module> ast;
  // The declared name; else, for an input, the file's stem, and for a file found by
  // an import, the name it was imported by.
  std::string name;
  ModuleOrigin origin = ModuleOrigin::kInput;
  std::vector<ModuleEdge> imports;  // in source order; unknown and repeated ones left out
};

}  // namespace gemba::driver
