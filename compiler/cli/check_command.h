// `gemba check FILE|DIR... [--plants DIR]... [--format text|json|sarif] [--werror] [-I DIR]...
//                          [--dump-after PASS] [--color auto|always|never] [--quiet]`
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gemba::cli {

struct CheckCommandOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool werror = false;
  std::vector<std::string> include_dirs;
  std::string dump_after;
  std::string color = "auto";
  bool quiet = false;
  std::vector<std::string> plant_paths;  // --plants DIR: check every template x plant
};

// Declares the subcommand on `app`; parsing fills `options`.
CLI::App* add_check_command(CLI::App& app, CheckCommandOptions& options);

// Runs the check and prints its result: diagnostics on stdout, I/O errors on stderr.
// Returns the process exit code.
int run_check_command(const CheckCommandOptions& options);

}  // namespace gemba::cli
