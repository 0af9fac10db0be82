// After a syntax error the parser recovers, but the tree it recovers is a guess: a
// declaration with a syntax error yields semantic errors and warnings that are only
// echoes of it. This pass drops those echoes so that each mistake is reported once.
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/loaded_module.h"

namespace gemba::driver {

bool is_syntax(diag::Code code);

// Keeps every syntax diagnostic, and every other diagnostic unless it lies inside a
// top-level declaration that holds a syntax error, or is a warning in a file that holds
// one (unused-binding and unused-import warnings cannot be trusted there).
std::vector<diag::Diagnostic> drop_syntax_cascades(std::vector<diag::Diagnostic> diagnostics,
                                                   const std::vector<LoadedModule>& modules);

}  // namespace gemba::driver
