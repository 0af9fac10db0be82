// Diagnostics as one JSON object, for scripts and CI (`gemba check --format json`).
// Format version 1:
//
//   {"version": 1, "files_checked": N, "errors": E, "warnings": W,
//    "diagnostics": [{"code": "G0401", "severity": "error", "message": "...",
//                     "file": "a.gmb", "line": 12, "column": 11,
//                     "end_line": 12, "end_column": 23,
//                     "notes": [{"message": "...", "file"?, "line"?, "column"?}],
//                     "hint"?: "..."}]}
//
// Lines and columns are 1-based, columns count Unicode code points, and the end is
// the position just after the span. A note has a place only when it points somewhere;
// "hint" is absent when there is none. Fields are only ever added, never changed;
// a change that removes or redefines one bumps "version".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::diag {

inline constexpr int kJsonFormatVersion = 1;

nlohmann::ordered_json to_json(const std::vector<Diagnostic>& diagnostics,
                               const SourceManager& sources, std::size_t files_checked);

// The same object, indented, ending in a newline. Invalid UTF-8 in a message or path
// is replaced by U+FFFD rather than failing.
std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                        std::size_t files_checked);

}  // namespace gemba::diag
