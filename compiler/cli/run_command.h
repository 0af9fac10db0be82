// `gemba run INPUTS... --plant NAME --plants DIR --data DIR [--procedure P]
// [--arg name=value]... [--answers FILE] [--engine jit|interp]`: runs one procedure on
// the durable runtime with an operator console in the terminal. Started again with the
// same --data, it resumes the instance it left (after Ctrl-C, SIGKILL or a power cut)
// on the template version it started with, even if the files changed since.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gemba::cli {

struct RunCommandOptions {
  std::vector<std::string> inputs;  // the template, and modules or folders it needs
  std::string plant;
  std::vector<std::string> plant_paths;
  std::vector<std::string> include_dirs;
  std::string data_dir;
  std::string procedure;          // empty: the template's only top-level procedure
  std::vector<std::string> args;  // `name=value`, as an operator would type the value
  // A file of answers, one per line, read first; then the terminal or a pipe on stdin,
  // if there is one (not /dev/null or a file: the run then stops, exit code 4).
  std::string answers;
  std::string engine = "jit";
  bool fresh = false;  // --new: start an instance even when one is unfinished
};

CLI::App* add_run_command(CLI::App& app, RunCommandOptions& options);

// Exit codes: 0 complete, 1 the program has errors, 2 usage or I/O, 3 aborted, 4 waiting
// for input that did not come.
int run_run_command(const RunCommandOptions& options);

}  // namespace gemba::cli
