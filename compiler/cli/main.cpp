// `gemba`: the command-line front end. Parses the command line and hands over to one
// subcommand. Every failure becomes an exit code: no exception leaves main.
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "compiler/cli/center_command.h"
#include "compiler/cli/check_command.h"
#include "compiler/cli/edge_command.h"
#include "compiler/cli/exit_codes.h"
#include "compiler/cli/explain_command.h"
#include "compiler/cli/run_command.h"
#include "compiler/cli/specialize_command.h"
#include "compiler/driver/allocator_tuning.h"
#include "gemba_version.h"

namespace {

int run(int argc, char** argv) {
  using namespace gemba::cli;
  CLI::App app("Gemba, the model-driven MES: check and run templates, collect at the plant edge, keep at the center", "gemba");
  app.set_version_flag("--version", "gemba " GEMBA_VERSION, "Print the version and exit");
  app.require_subcommand(1);

  CheckCommandOptions check_options;
  CLI::App* check = add_check_command(app, check_options);
  SpecializeCommandOptions specialize_options;
  CLI::App* specialize = add_specialize_command(app, specialize_options);
  SpecializeCommandOptions compile_options;
  CLI::App* compile = add_compile_command(app, compile_options);
  RunCommandOptions run_options;
  CLI::App* run_cmd = add_run_command(app, run_options);
  std::string code;
  CLI::App* explain = add_explain_command(app, code);
  EdgeCommandOptions edge_options;
  CLI::App* edge = add_edge_command(app, edge_options);
  CenterCommandOptions center_options;
  CLI::App* center = add_center_command(app, center_options);

  // CLI11 would call `gemba chek x` "A subcommand is required"; name the mistake.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands({})) {
      known = known || sub->check_name(argv[1]);
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::cerr << "gemba: unknown command `" << argv[1] << "`; the commands are: " << names
                << "\nRun with --help for more information.\n";
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here too, with exit code 0; app.exit() prints them
    // to stdout and real errors to stderr.
    return app.exit(e) == 0 ? kExitClean : kExitUsage;
  }
  if (check->parsed()) return run_check_command(check_options);
  if (specialize->parsed()) return run_specialize_command(specialize_options);
  if (compile->parsed()) return run_specialize_command(compile_options);
  if (run_cmd->parsed()) return run_run_command(run_options);
  if (explain->parsed()) return run_explain_command(code);
  if (edge->parsed()) return run_edge_command(edge_options);
  if (center->parsed()) return run_center_command(center_options);
  return kExitUsage;  // unreachable: a subcommand is required
}

}  // namespace

int main(int argc, char** argv) {
  gemba::driver::tune_allocator();
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "gemba: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "gemba: internal error: unknown exception\n";
  }
  return gemba::cli::kExitUsage;
}
