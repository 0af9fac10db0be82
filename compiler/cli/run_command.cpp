#include "compiler/cli/run_command.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

#include "compiler/cli/exit_codes.h"
#include "gemba_version.h"
#include "runtime/console/operator_console.h"
#include "runtime/workflow/engine.h"

namespace gemba::cli {
namespace {

void on_interrupt(int) {
  static const char kMessage[] =
      "\ngemba run: interrupted; every answer acknowledged so far is saved. Run the same "
      "command again to continue.\n";
  ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
  _exit(130);
}

std::optional<std::vector<std::string>> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The instance a previous run left unfinished (the newest), if any.
std::optional<workflow::InstanceView> unfinished(const workflow::Engine& engine,
                                                 const std::string& procedure) {
  std::optional<workflow::InstanceView> found;
  for (workflow::InstanceView& view : engine.instances()) {
    bool live = view.phase != workflow::Phase::kComplete && view.phase != workflow::Phase::kAborted;
    if (live && (procedure.empty() || view.procedure == procedure)) found = std::move(view);
  }
  return found;
}

// The procedure to run: the one named, or the only one no other procedure starts.
std::optional<std::string> choose_procedure(const workflow::Engine& engine,
                                            const std::string& version, const std::string& wanted,
                                            std::string* error) {
  std::vector<std::string> all = engine.procedures(version);
  std::string names;
  for (const auto& name : all) names += (names.empty() ? "" : ", ") + name;
  if (!wanted.empty()) {
    if (std::find(all.begin(), all.end(), wanted) != all.end()) return wanted;
    *error = "no procedure `" + wanted + "` in the inputs; they have: " + names;
    return std::nullopt;
  }
  std::set<std::string> started;
  for (const auto& name : all) {
    for (const lower::Point& p : engine.machine(version, name)->points) {
      if (p.kind == lower::PointKind::kStart) started.insert(p.target);
    }
  }
  std::vector<std::string> top;
  for (const auto& name : all) {
    if (!started.count(name)) top.push_back(name);
  }
  if (top.size() == 1) return top.front();
  *error = all.empty() ? "the inputs declare no procedure that runs at this plant"
                       : "the inputs have several procedures (" + names +
                             "): choose one with --procedure NAME";
  return std::nullopt;
}

// The arguments of `machine`'s parameters from `--arg name=value`.
std::optional<std::vector<lower::Scalar>> parse_args(const lower::Machine& machine,
                                                     const std::vector<std::string>& given,
                                                     console::Names& names, std::string* error) {
  std::vector<lower::Scalar> args;
  std::string usage;
  for (std::uint32_t slot : machine.params) {
    const lower::Slot& s = machine.slots[slot];
    usage += " --arg '" + s.name + "=<" + console::expected_input(s.format, {}, {}) + ">'";
  }
  for (std::uint32_t slot : machine.params) {
    const lower::Slot& s = machine.slots[slot];
    auto it = std::find_if(given.begin(), given.end(),
                           [&](const std::string& a) { return a.rfind(s.name + "=", 0) == 0; });
    if (it == given.end()) {
      *error = machine.name + " needs" + usage;
      return std::nullopt;
    }
    console::ParsedValue parsed =
        console::parse_value(it->substr(s.name.size() + 1), s.format, {}, {}, &names);
    if (!parsed.value) {
      *error = "--arg " + s.name + ": " + parsed.error;
      return std::nullopt;
    }
    args.push_back(*parsed.value);
  }
  for (const std::string& a : given) {
    std::string name = a.substr(0, a.find('='));
    bool known = std::any_of(machine.params.begin(), machine.params.end(),
                             [&](std::uint32_t slot) { return machine.slots[slot].name == name; });
    if (!known) {
      *error =
          "--arg " + a + ": " + machine.name + " has no parameter `" + name + "`; it takes" + usage;
      return std::nullopt;
    }
  }
  return args;
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a procedure on the durable runtime, with an operator console in the terminal");
  cmd->add_option("inputs", options.inputs, "The template, and the modules or folders it needs")
      ->required();
  cmd->add_option("--plant", options.plant, "The plant to run at")->required();
  cmd->add_option("--plants", options.plant_paths, "Plant model files or folders")->required();
  cmd->add_option("-I,--include", options.include_dirs, "Folders searched for imported modules");
  cmd->add_option("--data", options.data_dir,
                  "The runtime's data directory: run again with the same one to resume")
      ->required();
  cmd->add_option("--procedure", options.procedure, "The procedure to start");
  cmd->add_option("--arg", options.args, "A parameter of the procedure: name=value");
  cmd->add_option("--answers", options.answers,
                  "Answers, one per line, read before the terminal (scripted runs)");
  cmd->add_flag("--new", options.fresh,
               "Start a new instance even if the data directory has an unfinished one");
  cmd->add_option("--engine", options.engine, "What runs the transitions")
      ->check(CLI::IsMember({"jit", "interp"}));
  return cmd;
}

int run_run_command(const RunCommandOptions& options) {
  std::vector<std::string> script;
  if (!options.answers.empty()) {
    auto lines = read_lines(options.answers);
    if (!lines) {
      std::cerr << "gemba: error: cannot read the answers file " << options.answers << '\n';
      return kExitUsage;
    }
    script = std::move(*lines);
  }
  workflow::EngineOptions eo;
  eo.data_dir = options.data_dir;
  eo.use_jit = options.engine == "jit";
  eo.compiler_version = GEMBA_VERSION;
  store::Status status;
  std::unique_ptr<workflow::Engine> engine = workflow::Engine::open(eo, &status);
  if (!engine) {
    std::cerr << "gemba: error: cannot open the data directory " << options.data_dir << ": "
              << status.message() << '\n';
    return kExitUsage;
  }
  console::EngineNames names(*engine);
  std::optional<workflow::InstanceView> resumed;
  if (!options.fresh) resumed = unfinished(*engine, options.procedure);
  workflow::InstanceId id = 0;
  std::uint64_t consumed = 0;
  if (resumed) {
    id = resumed->id;
    consumed = resumed->input_cursor;
    std::cout << "Resuming instance " << id << " of " << resumed->procedure << " (version "
              << resumed->version.substr(0, 12) << ", " << workflow::spelling(resumed->phase)
              << ", transition " << resumed->transitions << ")\n";
  } else {
    std::string error;
    auto version = workflow::read_template_version(
        options.inputs, options.plant, options.plant_paths, options.include_dirs, &error);
    if (!version) {
      std::cerr << error;
      return error.rfind("error: no plant", 0) == 0 ? kExitUsage : kExitDiagnostics;
    }
    auto hash = engine->publish(*version, &error);
    if (!hash) {
      std::cerr << "gemba: error: " << error << '\n';
      return kExitDiagnostics;
    }
    auto procedure = choose_procedure(*engine, *hash, options.procedure, &error);
    auto args = procedure
                    ? parse_args(*engine->machine(*hash, *procedure), options.args, names, &error)
                    : std::nullopt;
    if (!args) {
      std::cerr << "gemba: error: " << error << '\n';
      return kExitUsage;
    }
    std::string note;
    for (const std::string& a : options.args) note += (note.empty() ? "" : ", ") + a;
    workflow::StartOutcome started =
        engine->start({*hash, *procedure, *args, "gemba run", note}).get();
    if (started.outcome.result != workflow::Outcome::Result::kApplied) {
      std::cerr << "gemba: error: " << *procedure << " did not start: " << started.outcome.message
                << '\n';
      return kExitUsage;
    }
    id = started.instance;
    std::cout << "Started instance " << id << " of " << *procedure << " at " << options.plant
              << " (version " << hash->substr(0, 12) << ", data in " << options.data_dir << ")\n";
  }
  signal(SIGINT, on_interrupt);
  std::mutex out_mutex;
  console::ConsoleSink sink(*engine, std::cout, out_mutex);
  engine->set_sink(&sink);
  // After the answers file, a terminal or a pipe goes on; /dev/null or a file ends it.
  struct stat in {};
  bool piped = fstat(STDIN_FILENO, &in) == 0 && S_ISFIFO(in.st_mode);
  bool interactive = options.answers.empty() || isatty(STDIN_FILENO) || piped;
  console::OperatorInput input(std::move(script), consumed, interactive ? &std::cin : nullptr);
  console::ConsoleEnd end = console::run_console(*engine, id, input, std::cout, out_mutex);
  engine->drain();
  switch (end) {
    case console::ConsoleEnd::kComplete:
      return kExitClean;
    case console::ConsoleEnd::kAborted:
      return kExitAborted;
    case console::ConsoleEnd::kQuit:
      std::cout << "Left instance " << id << "; run the same command again to continue.\n";
      return kExitClean;
    case console::ConsoleEnd::kOutOfInput:
      std::cout << "No more answers: instance " << id
                << " waits here; run the same command again to continue.\n";
      return kExitWaiting;
  }
  return kExitUsage;
}

}  // namespace gemba::cli
