// Where a span is, in the terms every renderer prints: the file's path and the 1-based
// line and column of both ends. Shared by the text, JSON and SARIF renderers so that
// they never disagree about a position.
#pragma once

#include "compiler/diag/source.h"

namespace gemba::diag {

struct SpanLocation {
  const SourceFile* file = nullptr;  // null when the span names no file of the manager
  LineColumn begin;
  LineColumn end;  // the position just after the span (equal to begin when empty)
};

// Offsets past the end of the file clamp to its end; an end before the begin is taken
// as the begin.
SpanLocation locate(const SourceManager& sources, Span span);

}  // namespace gemba::diag
