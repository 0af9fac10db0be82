// Test support: running a command line through /bin/sh, as a user would, and reading
// what it printed.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace gemba::testing {

// `arg` as one single-quoted shell word.
inline std::string shell_quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct ShellResult {
  int exit_code = -1;  // -1: not run, or ended by a signal
  std::string out;     // what the command wrote on stdout
};

inline ShellResult run_shell(const std::string& command) {
  ShellResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  for (std::size_t n = 0; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    result.out.append(buffer, n);
  }
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace gemba::testing
