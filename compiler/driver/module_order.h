// The order sema checks modules in: every module after the modules it imports.
#pragma once

#include <cstddef>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/loaded_module.h"

namespace gemba::driver {

// Reports each import cycle once (G0103), at the import that closes it, with a note
// naming the cycle (`a -> b -> a`), and marks that import `closes_cycle`. Returns the
// indices of all modules, dependencies first, ignoring the marked imports. The result
// depends only on the modules' order and their imports' order: a depth-first search
// from each module in turn, following imports in source order.
std::vector<std::size_t> order_modules(std::vector<LoadedModule>& modules,
                                       diag::DiagnosticSink& sink);

}  // namespace gemba::driver
