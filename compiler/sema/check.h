// The semantic pass: names, types and units of measure over a whole program, plus
// the lints (unused bindings, unreachable steps). Reads the AST; reports diagnostics.
#pragma once

#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"

namespace gemba::sema {

struct ResolvedImport {
  const ast::Import* import;  // where the import is written
  std::size_t module;         // index of the imported module in the program
};

struct ModuleInput {
  const ast::Module* ast;
  std::string name;  // the declared name, or the file's stem when it declares none
  bool is_stdlib = false;
  std::vector<ResolvedImport> imports;  // only the imports the driver could resolve
};

// `modules` is in dependency order: every module comes after all modules it imports
// (the driver has already reported unknown modules and cycles).
void check(const std::vector<ModuleInput>& modules, diag::DiagnosticSink& sink);

}  // namespace gemba::sema
