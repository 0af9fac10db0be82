// `gemba specialize TEMPLATE --plant NAME --plants DIR [-I DIR]...`: prints the
// plant-specific program of one template for one plant.
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
};

CLI::App* add_specialize_command(CLI::App& app, SpecializeCommandOptions& options);

// Prints the specialized program on stdout; on errors, the diagnostics instead.
// Returns 0, 1 (diagnostics with errors) or 2 (unknown plant, unreadable file).
int run_specialize_command(const SpecializeCommandOptions& options);

}  // namespace gemba::cli
