// String literals: escapes and `{name}` interpolations.
//
// StringExpr::value is a template: escapes are decoded, `{path}` interpolations are
// left as written, and literal braces stay doubled (`{{`, `}}`; the escapes `\{` and
// `\}` also become `{{` and `}}`). So in `value`, a `{` always starts either `{{` or
// an interpolation, in the order of `interpolations`.
#pragma once

#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"

namespace gemba::syntax {

// `text` is the STRING token as written, quotes included; the closing quote may be
// missing (an unterminated string, already reported). `span` is the token's span; the
// interpolations' spans point inside it. Reports unknown escapes (G0001) and malformed
// interpolations (G0005); never fails.
ast::Own<ast::StringExpr> decode_string(std::string_view text, diag::Span span,
                                        diag::DiagnosticSink& sink);

}  // namespace gemba::syntax
