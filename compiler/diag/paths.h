// How the paths of files that do not come from the user's disk are spelled.
#pragma once

#include <string_view>

namespace gemba::diag {

// Files of the embedded standard library are registered in the SourceManager as
// "<stdlib>/" + their path under stdlib/, e.g. "<stdlib>/std/units.gmb".
inline constexpr std::string_view kStdlibPathPrefix = "<stdlib>/";

inline bool is_stdlib_path(std::string_view path) { return path.starts_with(kStdlibPathPrefix); }

}  // namespace gemba::diag
