// The source line under a diagnostic, as a terminal shows it, with the marker line
// that points into it:
//
//     let x = 5 kg + 3 min;
//             ^~~~~~~~~~~~
#pragma once

#include <cstdint>
#include <string>

#include "compiler/diag/source.h"

namespace gemba::diag {

// Tabs expand to the next multiple of this many columns, in the text and in the
// markers alike, so that the caret stays under the character it points at.
inline constexpr std::uint32_t kTabWidth = 4;

struct Snippet {
  std::uint32_t line = 1;  // 1-based number of the line shown
  // The line with tabs expanded and control characters shown as their Unicode
  // "control pictures" (U+2400...), one column each; no line terminator.
  std::string text;
  // A `^` under the span's first character and `~` under the rest of it on this line
  // (a span that goes on to later lines is underlined to the end of this one); a single
  // `^` for an empty span. Indented with spaces; never ends in a space.
  std::string markers;
};

// The snippet of the line `span.begin` is on. `span.file` is not consulted.
Snippet make_snippet(const SourceFile& file, Span span);

}  // namespace gemba::diag
