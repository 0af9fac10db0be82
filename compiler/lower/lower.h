// Lowering: a specialized program (functions, limit checks, collect validations, KPIs,
// procedures) into the lowered form of lowered.h and machine.h. Plant constants are
// already folded by specialization; here every quantity becomes a real in coherent base
// units.
#pragma once

#include <string>
#include <vector>

#include "compiler/lower/lowered.h"
#include "compiler/specialize/specialization.h"

namespace gemba::lower {

struct Lowering {
  Module module;
  // What was not lowered in this version, one line each: "function f: a string parameter".
  std::vector<std::string> skipped;
};

// Requires a specialization without errors. The result passes verify().
Lowering lower_program(const specialize::Specialization& specialization);

}  // namespace gemba::lower
