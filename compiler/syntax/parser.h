// The syntax pass: source text to AST. The ANTLR-generated parser is used only behind
// this interface (compiler/syntax/*.cpp are the only files that include its headers).
#pragma once

#include <memory>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::syntax {

// Parses one file. Never throws and never aborts on bad input: every lexical and
// syntax error is reported to `sink` (the parser recovers and goes on, so a file with
// several independent errors gets them all), and the returned module holds whatever
// could be recovered, with ErrorExpr where an expression was missing.
// Parsing is two-stage: fast SLL prediction first; full LL with error recovery only if
// SLL fails, so that prediction stays linear on large, correct files.
std::unique_ptr<ast::Module> parse(const diag::SourceFile& file, diag::FileId id,
                                   diag::DiagnosticSink& sink);

}  // namespace gemba::syntax
