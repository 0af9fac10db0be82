// The front end's pipeline: read files, parse, resolve imports, check. One place that
// composes the passes; `gemba check`, the tests, the fuzzer and the benchmark all come
// through here.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::driver {

struct CheckOptions {
  // Extra folders searched for imported modules: `import a.b;` looks for `a/b.gmb`.
  std::vector<std::filesystem::path> include_dirs;
  // Stop after this pass and print its result to `dump` instead ("parse"): empty = none.
  std::string dump_after;
};

struct CheckRun {
  diag::SourceManager sources;
  std::vector<diag::Diagnostic> diagnostics;  // sorted by location, no repeats
  std::vector<std::string> io_errors;         // a path that cannot be read: exit code 2
  std::size_t files_checked = 0;
  std::string dump;  // the output of CheckOptions::dump_after
  std::size_t errors() const;
  std::size_t warnings() const;
};

// Checks the given files and folders (recursively, every `*.gmb`) together as one
// program, with the embedded standard library available to `import std.*;`.
CheckRun check_paths(const std::vector<std::string>& paths, const CheckOptions& options);

// The same for sources held in memory: {path, text} pairs.
CheckRun check_sources(const std::vector<std::pair<std::string, std::string>>& files,
                       const CheckOptions& options);

}  // namespace gemba::driver
