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

// `"a \"b\""`: a string as a Gemba literal.
std::string quoted(const std::string& text);
// `kg * m / s^2`, `delta degC`: a unit expression as written.
std::string unit_text(const UnitExpr* unit);

}  // namespace gemba::ast
