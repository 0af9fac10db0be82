// The exit codes of `gemba`, which CI scripts rely on.
#pragma once

namespace gemba::cli {

inline constexpr int kExitClean = 0;        // no errors (warnings allowed, unless --werror)
inline constexpr int kExitDiagnostics = 1;  // the checked program has errors
inline constexpr int kExitUsage = 2;        // bad command line, unreadable file, internal failure

}  // namespace gemba::cli
