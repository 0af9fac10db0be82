// Test helpers for the syntax pass: parse a string, look at the diagnostics as
// `line:column Gxxxx message` lines.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/codes.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"
#include "compiler/syntax/parse_stats.h"

namespace gemba::syntax::testing {

struct Parsed {
  std::unique_ptr<diag::SourceFile> file;
  diag::DiagnosticSink sink;
  syntax::ParseStats stats;
  std::unique_ptr<ast::Module> module;

  std::string where(diag::Span span) const {
    diag::LineColumn at = file->location(span.begin);
    return std::to_string(at.line) + ":" + std::to_string(at.column);
  }
  std::string text(diag::Span span) const {
    return file->text().substr(span.begin, span.end - span.begin);
  }
  // "3:5 G0001 missing `;` after the statement", in source order.
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& d : sink.sorted()) {
      out.push_back(where(d.span) + " " + std::string(diag::info(d.code).id) + " " + d.message);
    }
    return out;
  }
};

inline std::unique_ptr<Parsed> parse_text(std::string text) {
  auto out = std::make_unique<Parsed>();
  out->file = std::make_unique<diag::SourceFile>("test.gmb", std::move(text));
  out->module = syntax::parse_with_stats(*out->file, 0, out->sink, out->stats);
  return out;
}

}  // namespace gemba::syntax::testing
