#include "compiler/cli/check_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "compiler/cli/exit_codes.h"
#include "compiler/cli/matrix_table.h"
#include "compiler/diag/render_json.h"
#include "compiler/diag/render_sarif.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/passes.h"
#include "compiler/driver/pipeline.h"
#include "gemba_version.h"

namespace gemba::cli {
namespace {

// `--color=auto`: color when stdout is a terminal that wants it (https://no-color.org).
bool stdout_wants_color() {
  const char* term = std::getenv("TERM");
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(fileno(stdout)) != 0 && (no_color == nullptr || *no_color == '\0') &&
         (term == nullptr || std::strcmp(term, "dumb") != 0);
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return stdout_wants_color();
}

void print_text(const driver::CheckRun& run, const CheckCommandOptions& options) {
  if (!run.dump.empty()) std::cout << run.dump << '\n';
  if (!options.plant_paths.empty()) {
    if (run.plant_names.empty()) {
      std::cout << "no plant model found under --plants\n\n";
    } else {
      std::cout << render_matrix(run.matrix, run.plant_names);
      if (run.specialization_skipped) {
        std::cout << "(not checked: the template or the plant model has errors, below)\n";
      }
      std::cout << '\n';
    }
  }
  std::string text =
      diag::render_text(run.diagnostics, run.sources, {.color = use_color(options.color)});
  std::cout << text;
  if (options.quiet) return;
  if (!text.empty()) std::cout << '\n';
  std::cout << diag::render_summary(run.errors(), run.warnings(), run.files_checked);
}

int current_year() {
  auto today = std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  return static_cast<int>(today.year());
}

int exit_code(const driver::CheckRun& run, bool werror) {
  if (!run.io_errors.empty()) return kExitUsage;
  if (run.errors() > 0 || (werror && run.warnings() > 0)) return kExitDiagnostics;
  return kExitClean;
}

}  // namespace

CLI::App* add_check_command(CLI::App& app, CheckCommandOptions& options) {
  CLI::App* check = app.add_subcommand(
      "check", "Check .gmb files and folders (recursively) as one program, and report diagnostics");
  check->add_option("paths", options.paths, "Files and folders to check")
      ->required()
      ->type_name("FILE|DIR");
  check->add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  check->add_flag("--werror", options.werror, "Treat warnings as errors for the exit code");
  check
      ->add_option("-I,--include-dir", options.include_dirs,
                   "Also look for imported modules here (`import a.b;` -> DIR/a/b.gmb)")
      ->allow_extra_args(false)
      ->type_name("DIR");
  std::vector<std::string> passes(driver::kDumpPasses.begin(), driver::kDumpPasses.end());
  check
      ->add_option("--dump-after", options.dump_after,
                   "Print the program after this pass and stop there (text format only)")
      ->check(CLI::IsMember(passes))
      ->type_name("PASS");
  check->add_option("--color", options.color, "Color the text output")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  check->add_flag("-q,--quiet", options.quiet, "Do not print the summary line");
  check
      ->add_option("--plants", options.plant_paths,
                   "Plant models (files or folders): specialize every template for every plant "
                   "and print the template x plant matrix")
      ->allow_extra_args(false)
      ->type_name("DIR");
  return check;
}

int run_check_command(const CheckCommandOptions& options) {
  if (!options.dump_after.empty() && options.format != "text") {
    std::cerr << "gemba: error: --dump-after prints text; it cannot be combined with --format "
              << options.format << '\n';
    return kExitUsage;
  }
  driver::CheckOptions check_options;
  check_options.include_dirs.assign(options.include_dirs.begin(), options.include_dirs.end());
  check_options.dump_after = options.dump_after;
  check_options.plant_paths = options.plant_paths;
  check_options.dump_year = current_year();
  driver::CheckRun run = driver::check_paths(options.paths, check_options);

  for (const std::string& error : run.io_errors) std::cerr << "gemba: error: " << error << '\n';
  if (options.format == "json") {
    nlohmann::json out = diag::to_json(run.diagnostics, run.sources, run.files_checked);
    if (!options.plant_paths.empty()) {
      out["matrix"] = matrix_json(run.matrix);
      // Some cells were not specialized because their template or plant has errors.
      out["specialization_skipped"] = run.specialization_skipped;
    }
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (options.format == "sarif") {
    std::cout << diag::render_sarif(run.diagnostics, run.sources, GEMBA_VERSION);
  } else {
    print_text(run, options);
  }
  std::cout.flush();
  return exit_code(run, options.werror);
}

}  // namespace gemba::cli
