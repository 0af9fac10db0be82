// A guard against inputs that would overflow the stack. The ANTLR parser recurses once
// per nested bracket, prefix operator (`-`, `not`), nested `ask` and `else if`; a file
// of 5000 `(` would crash it. This pass bounds that depth over the tokens, before
// parsing, so that such a file gets a diagnostic instead.
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/token_filter.h"

namespace gemba::syntax {

inline constexpr int kMaxNesting = 256;

// Reports G0001 "nesting too deep" at the first token past the limit and returns
// false; returns true when the tokens are shallow enough to parse. The measure is an
// upper bound of the parser's recursion, never an underestimate.
bool check_nesting(const std::vector<Token>& tokens, diag::DiagnosticSink& sink);

}  // namespace gemba::syntax
