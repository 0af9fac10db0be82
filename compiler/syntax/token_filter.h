// The first stage of parsing: lex the whole file and hand the parser only tokens it
// can use. Lexical errors are reported here, once each, and repaired so that the
// parser does not report them a second time:
//   UNTERMINATED_STRING   G0003, passed on as a STRING (the parser sees a literal);
//   UNTERMINATED_COMMENT  G0004, dropped;
//   ERROR_CHAR            G0002, dropped (a run of adjacent ones is one diagnostic).
// Whitespace and closed comments are dropped too; a byte-order mark at the start of the
// file is skipped silently.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::syntax {

struct Token {
  std::size_t type;  // the lexer's token type (gemba_grammar::GembaLexer); see token_name()
  diag::Span span;   // byte offsets into the file
};

// The default-channel tokens of `file`, in order, without the end-of-file token.
std::vector<Token> filter_tokens(const diag::SourceFile& file, diag::FileId id,
                                 diag::DiagnosticSink& sink);

// The lexer's symbolic name of a token type: "STRING", "ID", "SEMI", ...
std::string token_name(std::size_t type);

}  // namespace gemba::syntax
