// The exit codes of `gemba`, which CI scripts rely on.
#pragma once

namespace gemba::cli {

inline constexpr int kExitClean = 0;        // no errors (warnings allowed, unless --werror)
inline constexpr int kExitDiagnostics = 1;  // the checked program has errors
inline constexpr int kExitUsage = 2;        // bad command line, unreadable file, internal failure
// `gemba run` only: the procedure finished aborted; or it waits for input that did not
// come (the answers file ended and no terminal): run the same command again to go on.
inline constexpr int kExitAborted = 3;
inline constexpr int kExitWaiting = 4;

}  // namespace gemba::cli
