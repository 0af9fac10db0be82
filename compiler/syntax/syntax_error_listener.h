// Private to compiler/syntax: turns the ANTLR parser's syntax errors into G0001
// diagnostics with messages written for people, never ANTLR's own ("mismatched input
// ... expecting {...}", "no viable alternative at input ...", "missing X at Y",
// "extraneous input ..."):
//   unexpected `}`; expected `;`
//   expected an expression, found `;`
//   missing `;` after the statement
//   expected a declaration (unit, dimension, equipment class, procedure, ...), found `x`
// The span is the offending token (an empty span at the end of the file for the
// end-of-file token). At most one error is reported per offending token offset, and an
// error a few tokens after the previous one on the same line is taken for a consequence
// of it (`import kpi.x;` would otherwise report `kpi`, then `.`, then `;`).
#pragma once

#include <set>

#include "antlr4-runtime.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::syntax {

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(const diag::SourceFile& file, diag::FileId id, diag::DiagnosticSink& sink)
      : file_(file), id_(id), sink_(sink) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, std::size_t line,
                   std::size_t column, const std::string& message,
                   std::exception_ptr error) override;

 private:
  bool is_cascade(const antlr4::Token* offending, diag::Span span) const;

  const diag::SourceFile& file_;
  diag::FileId id_;
  diag::DiagnosticSink& sink_;
  std::set<std::uint32_t> reported_;  // offsets of offending tokens already reported
  // The last reported error: its token index in the stream and its span.
  std::size_t last_index_ = INVALID_INDEX;
  diag::Span last_span_;
};

}  // namespace gemba::syntax
