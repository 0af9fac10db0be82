// How one parse went: for tests (the fast SLL stage must succeed on correct input)
// and for performance reports. ANTLR-free.
#pragma once

#include <cstddef>
#include <memory>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::syntax {

struct ParseStats {
  std::size_t tokens = 0;  // tokens handed to the parser
  bool parsed = false;     // false when the file was refused before parsing (too deep)
  bool used_ll = false;    // SLL prediction failed: the file was parsed again with LL
};

// syntax::parse (parser.h), also filling `stats`.
std::unique_ptr<ast::Module> parse_with_stats(const diag::SourceFile& file, diag::FileId id,
                                              diag::DiagnosticSink& sink, ParseStats& stats);

}  // namespace gemba::syntax
