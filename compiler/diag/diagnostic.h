// A diagnostic is data: a user's mistake becomes one of these, never an exception.
// Passes report into a DiagnosticSink; the driver sorts and prints them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/codes.h"
#include "compiler/diag/source.h"

namespace gemba::diag {

struct Note {
  std::optional<Span> span;  // where the note points, if anywhere
  std::string message;
};

struct Diagnostic {
  Code code;
  Severity severity;
  Span span;  // primary location
  std::string message;
  std::vector<Note> notes;
  std::string hint;  // how to fix it; empty when there is nothing useful to say

  Diagnostic& note(std::string message);
  Diagnostic& note(Span span, std::string message);
  Diagnostic& with_hint(std::string text);
};

// Collects the diagnostics of a run. Order of reporting does not matter: sorted()
// orders them by file, then position, then code, and drops exact repeats (same code,
// span and message), so a pass may report without checking what others reported.
class DiagnosticSink {
 public:
  // The returned reference is valid until the next report().
  Diagnostic& report(Code code, Span span, std::string message);

  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return warnings_; }
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
};

}  // namespace gemba::diag
