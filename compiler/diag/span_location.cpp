#include "compiler/diag/span_location.h"

#include <algorithm>

namespace gemba::diag {

SpanLocation locate(const SourceManager& sources, Span span) {
  SpanLocation out;
  if (span.file >= sources.size()) return out;
  out.file = &sources.file(span.file);
  out.begin = out.file->location(span.begin);
  out.end = out.file->location(std::max(span.begin, span.end));
  return out;
}

}  // namespace gemba::diag
