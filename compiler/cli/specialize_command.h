// `gemba specialize TEMPLATE --plant NAME --plants DIR [-I DIR]...`: prints the
// plant-specific program of one template for one plant.
// `gemba compile TEMPLATE --plant NAME --plants DIR --emit listing|llvm|asm`: the same
// program lowered (compiler/lower/), as a listing, LLVM IR or the host's assembly.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gemba::cli {

struct SpecializeCommandOptions {
  std::vector<std::string> templates;  // files (or folders) whose templates to print
  std::string plant;
  std::vector<std::string> plant_paths;
  std::vector<std::string> include_dirs;
  std::string color = "auto";
  std::string emit;  // `gemba compile`: listing, llvm or asm; empty for `gemba specialize`
  std::string call;  // `gemba compile --call 'f(1, 2)'`: run one function, print its result
  std::string engine = "jit";  // for --call: jit or interp
};

CLI::App* add_specialize_command(CLI::App& app, SpecializeCommandOptions& options);
CLI::App* add_compile_command(CLI::App& app, SpecializeCommandOptions& options);

// Prints the specialized program (or, with `emit`, the lowered one) on stdout; on
// errors, the diagnostics instead.
// With `call`, runs that function instead and prints its result (a run-time fault is a
// G1001 diagnostic and exit code 1).
// Returns 0, 1 (diagnostics with errors) or 2 (unknown plant, unreadable file).
int run_specialize_command(const SpecializeCommandOptions& options);

}  // namespace gemba::cli
