// `gemba explain CODE`: what a diagnostic code means.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace gemba::cli {

// Declares the subcommand on `app`; parsing fills `code`.
CLI::App* add_explain_command(CLI::App& app, std::string& code);

// Prints the code's id, slug, severity and summary. `code` is an id ("G0401", any
// case) or a slug ("dimension-mismatch"). Returns the process exit code: 2 when no
// code matches.
int run_explain_command(const std::string& code);

}  // namespace gemba::cli
