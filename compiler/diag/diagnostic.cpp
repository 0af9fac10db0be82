#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace gemba::diag {

Diagnostic& Diagnostic::note(std::string message) {
  notes.push_back({std::nullopt, std::move(message)});
  return *this;
}

Diagnostic& Diagnostic::note(Span span, std::string message) {
  notes.push_back({span, std::move(message)});
  return *this;
}

Diagnostic& Diagnostic::with_hint(std::string text) {
  hint = std::move(text);
  return *this;
}

Diagnostic& DiagnosticSink::report(Code code, Span span, std::string message) {
  Severity severity = info(code).severity;
  if (severity == Severity::kError) ++errors_;
  if (severity == Severity::kWarning) ++warnings_;
  diagnostics_.push_back({code, severity, span, std::move(message), {}, {}});
  return diagnostics_.back();
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
  std::vector<Diagnostic> out = diagnostics_;
  auto key = [](const Diagnostic& d) {
    return std::tie(d.span.file, d.span.begin, d.span.end, d.code, d.message);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

}  // namespace gemba::diag
