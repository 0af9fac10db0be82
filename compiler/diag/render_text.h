// Diagnostics for people, in the style of clang and rustc:
//
//   path/to/file.gmb:12:11: error[G0401]: cannot add mass and duration
//      12 |   let x = 5 kg + 3 min;
//         |           ^~~~~~~~~~~~
//   path/to/units.gmb:3:6: note: `min` is declared here
//       3 | unit min = 60 s;
//         |      ^~~
//         = note: a note without a place
//         = hint: convert one side with `to`
//
// Paths are printed as given to the SourceManager. The output of render_text() is
// what the golden files under tests/diagnostics/ hold, so any change to it is a
// change to every one of them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::diag {

struct TextOptions {
  bool color = false;  // ANSI escapes for a terminal
};

// One diagnostic as a block of lines, each ending in '\n'.
std::string render_text(const Diagnostic& diagnostic, const SourceManager& sources,
                        const TextOptions& options = {});

// Every diagnostic, in the given order, with one blank line between blocks. No summary.
std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                        const TextOptions& options = {});

// "2 errors, 1 warning\n".
std::string render_summary(std::size_t errors, std::size_t warnings);
// "2 errors, 1 warning in 3 files\n".
std::string render_summary(std::size_t errors, std::size_t warnings, std::size_t files);

}  // namespace gemba::diag
