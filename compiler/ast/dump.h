// A readable, stable text form of the AST, for `gemba check --dump-after=parse` and
// for parser tests.
#pragma once

#include <string>

#include "compiler/ast/ast.h"

namespace gemba::ast {

// One node per line, indented by depth, e.g.
//   procedure MixBatch
//     param size: kg
//     step "Heat"
//       await
//         binary >= ...
// Spans are not printed; the format is for people and golden tests.
std::string dump(const Module& module);

}  // namespace gemba::ast
