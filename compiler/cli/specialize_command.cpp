#include "compiler/cli/specialize_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "compiler/cli/call_function.h"
#include "compiler/cli/exit_codes.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"
#include "compiler/jit/codegen.h"
#include "compiler/lower/lower.h"

namespace gemba::cli {

namespace {

void add_common_options(CLI::App* cmd, SpecializeCommandOptions& options) {
  cmd->add_option("template", options.templates, "Template files")
      ->required()
      ->type_name("TEMPLATE");
  cmd->add_option("--plant", options.plant, "The plant's name (as in `plant NAME { ... }`)")
      ->required();
  cmd->add_option("--plants", options.plant_paths, "Plant model files or folders")
      ->required()
      ->allow_extra_args(false)
      ->type_name("DIR");
  cmd->add_option("-I,--include-dir", options.include_dirs,
                  "Also look for imported modules here (`import a.b;` -> DIR/a/b.gmb)")
      ->allow_extra_args(false)
      ->type_name("DIR");
  cmd->add_option("--color", options.color, "Color the diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

// What `gemba compile --emit` prints for one lowered program; nullopt with `*error`.
std::optional<std::string> emitted(const lower::Lowering& lowering, const std::string& emit,
                                   std::string* error) {
  if (emit == "listing") {
    std::string out = lower::listing(lowering.module);
    for (const std::string& line : lowering.skipped) out += "// not lowered: " + line + "\n";
    return out;
  }
  std::string text = emit == "llvm" ? jit::emit_llvm_ir(lowering.module, false, error)
                                    : jit::emit_assembly(lowering.module, error);
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

CLI::App* add_specialize_command(CLI::App& app, SpecializeCommandOptions& options) {
  CLI::App* cmd =
      app.add_subcommand("specialize",
                         "Print a template as one plant runs it: equipment bound, plant constants "
                         "folded, quantities in the plant's units");
  add_common_options(cmd, options);
  return cmd;
}

CLI::App* add_compile_command(CLI::App& app, SpecializeCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "compile",
      "Compile a template for one plant and print the lowered listing, LLVM IR or assembly");
  add_common_options(cmd, options);
  CLI::Option* emit = cmd->add_option("--emit", options.emit, "What to print")
                          ->check(CLI::IsMember({"listing", "llvm", "asm"}));
  CLI::Option* call =
      cmd->add_option("--call", options.call,
                      "Run one function and print its result: 'name(arg, ...)', arguments "
                      "in base units (s, kg, K)")
          ->excludes(emit);
  cmd->add_option("--engine", options.engine, "What runs --call: the JIT or the interpreter")
      ->check(CLI::IsMember({"jit", "interp"}))
      ->needs(call);
  cmd->callback([emit, call] {
    if (emit->count() == 0 && call->count() == 0) {
      throw CLI::RequiredError("--emit or --call");
    }
  });
  return cmd;
}

namespace {

// `--call`: runs the function in the (single) lowered program.
int run_call(const driver::CheckRun& run, const SpecializeCommandOptions& options, bool color) {
  std::string error;
  auto request = parse_call(options.call, &error);
  if (!request) {
    std::cerr << "gemba: error: " << error << '\n';
    return kExitUsage;
  }
  if (run.lowered.size() != 1) {
    std::cerr << "gemba: error: --call needs exactly one template; " << run.lowered.size()
              << " were compiled\n";
    return kExitUsage;
  }
  CallResult result = call_function(run.lowered[0].module, *request, options.engine == "jit");
  if (!result.error.empty()) {
    std::cerr << "gemba: error: " << result.error << '\n';
    return kExitUsage;
  }
  if (result.fault) {
    std::cerr << diag::render_text(*result.fault, run.sources, {.color = color});
    return kExitDiagnostics;
  }
  std::cout << request->function << " = " << result.value << '\n';
  return kExitClean;
}

}  // namespace

int run_specialize_command(const SpecializeCommandOptions& options) {
  driver::CheckOptions check;
  check.include_dirs.assign(options.include_dirs.begin(), options.include_dirs.end());
  check.plant_paths = options.plant_paths;
  check.only_plant = options.plant;
  check.only_named_templates = true;
  bool compile = !options.emit.empty() || !options.call.empty();
  check.dump_after = compile ? "" : "specialize";
  check.lower = compile;
  driver::CheckRun run = driver::check_paths(options.templates, check);

  for (const std::string& error : run.io_errors) std::cerr << "gemba: error: " << error << '\n';
  if (!run.io_errors.empty()) return kExitUsage;
  bool color = options.color == "always" || (options.color == "auto" && isatty(fileno(stderr)));
  std::string diagnostics = diag::render_text(run.diagnostics, run.sources, {.color = color});
  if (!run.specialization_skipped && std::find(run.plant_names.begin(), run.plant_names.end(),
                                               options.plant) == run.plant_names.end()) {
    std::string known;
    for (const auto& name : run.plant_names) known += (known.empty() ? "" : ", ") + name;
    std::cerr << "gemba: error: no plant `" << options.plant << "` under the --plants paths"
              << (known.empty() ? std::string("; they declare no plant")
                                : "; the plants are: " + known)
              << '\n';
    return kExitUsage;
  }
  if (run.matrix.empty() && !run.specialization_skipped) {
    std::cerr << "gemba: error: the files given declare no template (no procedure, rule, KPI "
                 "or parameter)\n";
    return kExitUsage;
  }
  if (run.errors() > 0) {
    std::cerr << diagnostics
              << diag::render_summary(run.errors(), run.warnings(), run.files_checked);
    return kExitDiagnostics;
  }
  if (!options.call.empty()) {
    std::cerr << diagnostics;  // warnings, if any
    return run_call(run, options, color);
  }
  if (options.emit.empty()) {
    std::cout << run.dump;
  } else {
    for (const lower::Lowering& lowering : run.lowered) {
      std::string error;
      auto text = emitted(lowering, options.emit, &error);
      if (!text) {
        std::cerr << "gemba: error: code generation failed: " << error << '\n';
        return kExitUsage;
      }
      std::cout << *text;
    }
  }
  std::cerr << diagnostics;  // warnings, if any
  return kExitClean;
}

}  // namespace gemba::cli
