// The plant-specific program in a readable form (`gemba specialize`,
// `--dump-after specialize`): Gemba's syntax with every `uses` binding resolved to the
// plant's equipment, parameters and plant constants folded, quantities and types in the
// plant's units, and top-level rules expanded per piece of equipment. A `where` clause
// that depends on arguments is kept as `requires`. Stable: golden tests compare it.
#pragma once

#include <string>

#include "compiler/specialize/specialization.h"

namespace gemba::specialize {

std::string print_program(const Specialization& specialization);

}  // namespace gemba::specialize
