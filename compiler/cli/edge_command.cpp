#include "compiler/cli/edge_command.h"

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "compiler/cli/exit_codes.h"
#include "edge/edge_agent.h"
#include "gemba_version.h"

namespace gemba::cli {
namespace {

// `12.5MiB` as {12.5, "MiB"}; nullopt when it does not start with a positive number.
std::optional<std::pair<double, std::string>> number_and_unit(const std::string& text) {
  std::size_t end = 0;
  double number = 0;
  try {
    number = std::stod(text, &end);
  } catch (...) {
    return std::nullopt;
  }
  if (!(number > 0)) return std::nullopt;
  return std::pair{number, text.substr(end)};
}

// `1GiB`, `512MiB`, `100MB`, `65536`: bytes; nullopt when it is none of these.
std::optional<std::uint64_t> parse_size(const std::string& text) {
  static const std::pair<const char*, double> kUnits[] = {
      {"", 1},         {"B", 1},           {"KB", 1e3},          {"MB", 1e6}, {"GB", 1e9},
      {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
  auto parsed = number_and_unit(text);
  for (auto [name, scale] : kUnits) {
    if (parsed && parsed->second == name) return static_cast<std::uint64_t>(parsed->first * scale);
  }
  return std::nullopt;
}

// `90s`, `10min`, `2h`: microseconds.
std::optional<std::int64_t> parse_duration(const std::string& text) {
  auto parsed = number_and_unit(text);
  if (!parsed) return std::nullopt;
  const std::string& unit = parsed->second;
  double scale = unit == "s" ? 1 : unit == "min" ? 60 : unit == "h" ? 3600 : 0;
  if (scale == 0) return std::nullopt;
  return static_cast<std::int64_t>(parsed->first * scale * 1e6);
}

std::optional<std::string> read_token(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read the token file " + path;
    return std::nullopt;
  }
  std::string line, token;
  while (std::getline(in, line)) {
    auto begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    token = line.substr(begin, line.find_last_not_of(" \t\r") + 1 - begin);
    break;
  }
  if (token.empty()) {
    *error = "the token file " + path + " holds no token (the plant's token alone on a line)";
    return std::nullopt;
  }
  return token;
}

bool write_address(const std::string& path, const std::string& address) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp);
    out << address << '\n';
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  return !ec;
}

}  // namespace

CLI::App* add_edge_command(CLI::App& app, EdgeCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "edge", "Run the plant agent: collect by the collect rules, keep, forward to the center");
  cmd->add_option("inputs", o.inputs,
                  "Templates (their collect rules and procedures run here), and the modules they "
                  "need; default: the folder that holds the --plants folder");
  cmd->add_option("--plant", o.plant, "The plant this edge serves")->required();
  cmd->add_option("--plants", o.plant_paths, "Plant model files or folders")->required();
  cmd->add_option("-I,--include", o.include_dirs, "Folders searched for imported modules");
  cmd->add_option("--center", o.center, "The center: http://HOST:PORT or https://HOST:PORT");
  cmd->add_option("--token-file", o.token_file, "A file holding this plant's token");
  cmd->add_option("--ca-file", o.ca_file, "The CA certificate for https:// and mqtts://");
  cmd->add_option("--data", o.data_dir, "The edge's data directory (outbox, quarantine)")
      ->required();
  cmd->add_option("--listen", o.listen, "HOST:PORT of the status and operator endpoint (port 0: any)")
      ->capture_default_str();
  cmd->add_option("--address-file", o.address_file, "Where to write HOST:PORT once listening");
  cmd->add_option("--connect", o.connect,
                  "NAME=HOST:PORT: reach the broker or server the plant model names NAME there");
  cmd->add_flag("--simulate", o.simulate, "Read every signal from the built-in simulator");
  cmd->add_option("--seed", o.seed, "The simulator's seed");
  cmd->add_option("--sim-speed", o.sim_speed, "Simulated seconds per second (0: flat out)");
  cmd->add_option("--sim-duration", o.sim_duration, "Simulate this long (e.g. 10min), then stop");
  cmd->add_option("--sim-start", o.sim_start,
                  "Start the simulated clock here (seconds since 1970; default: now)");
  cmd->add_option("--replay", o.replay, "A CSV or JSON-lines file of readings to replay");
  cmd->add_flag("--replay-only", o.replay_only,
                "Read only the --replay files: connect to no broker or server");
  cmd->add_option("--quota", o.quota, "The outbox's disk quota (e.g. 1GiB, 200MB)")
      ->capture_default_str();
  cmd->add_option("--batch-records", o.batch_records, "Records per batch to the center, at most")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("--exit-when-drained", o.exit_when_drained,
                "Exit once replays and simulations are done and the center has everything");
  return cmd;
}

int run_edge_command(const EdgeCommandOptions& o) {
  edge::EdgeOptions eo;
  eo.inputs = o.inputs;
  if (eo.inputs.empty()) {
    // The enterprise's folder: its templates, equipment classes and plants together
    // (`--plants examples/plants` reads examples/).
    std::filesystem::path plants = std::filesystem::absolute(o.plant_paths.front()).lexically_normal();
    if (!plants.has_filename()) plants = plants.parent_path();
    eo.inputs = {plants.parent_path().string()};
    std::cerr << "gemba edge: no templates given: reading " << eo.inputs.front()
              << " (the folder of the plant models)\n";
  }
  eo.plant = o.plant;
  eo.plant_paths = o.plant_paths;
  eo.include_dirs = o.include_dirs;
  eo.center = o.center;
  eo.ca_file = o.ca_file;
  eo.data_dir = o.data_dir;
  eo.listen = o.listen;
  eo.simulate = o.simulate;
  eo.seed = o.seed;
  eo.sim_speed = o.sim_speed;
  eo.sim_start_us = o.sim_start * 1'000'000;
  eo.replay = o.replay;
  eo.live = !o.replay_only;
  eo.batch_records = o.batch_records;
  eo.compiler_version = GEMBA_VERSION;
  std::string error;
  auto usage = [](const std::string& message) {
    std::cerr << "gemba edge: error: " << message << '\n';
    return kExitUsage;
  };
  if (!o.center.empty()) {
    if (o.center.rfind("http://", 0) != 0 && o.center.rfind("https://", 0) != 0) {
      return usage("--center " + o.center + ": write http://HOST:PORT or https://HOST:PORT");
    }
    if (o.token_file.empty()) return usage("--center needs --token-file with the plant's token");
    auto token = read_token(o.token_file, &error);
    if (!token) return usage(error);
    eo.token = *token;
  }
  auto quota = parse_size(o.quota);
  if (!quota) return usage("--quota " + o.quota + ": write a size such as 1GiB, 500MB or 65536");
  eo.quota_bytes = *quota;
  if (!o.sim_duration.empty()) {
    auto duration = parse_duration(o.sim_duration);
    if (!duration) return usage("--sim-duration " + o.sim_duration + ": write e.g. 90s, 10min, 2h");
    eo.sim_duration_us = *duration;
  }
  if (o.sim_speed < 0) return usage("--sim-speed must be 0 (flat out) or positive");
  for (const std::string& c : o.connect) {
    auto eq = c.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == c.size()) {
      return usage("--connect " + c + ": write NAME=HOST:PORT, e.g. hou-broker=127.0.0.1:1883");
    }
    eo.connect[c.substr(0, eq)] = c.substr(eq + 1);
  }

  // SIGTERM and SIGINT are taken synchronously by this thread; every thread started
  // from here on inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  bool program_error = false;
  auto agent = edge::EdgeAgent::open(eo, &error, &program_error);
  if (!agent) {
    std::cerr << (program_error ? "" : "gemba edge: error: ") << error << '\n';
    if (program_error && o.inputs.empty()) {
      std::cerr << "gemba edge: give the templates plant " << o.plant
                << " runs as inputs, e.g. `gemba edge examples/templates/data_collection.gmb "
                   "examples/equipment ...`\n";
    }
    return program_error ? kExitDiagnostics : kExitUsage;
  }
  if (!agent->start(&error)) return usage(error);
  if (!o.address_file.empty() && !write_address(o.address_file, agent->address())) {
    return usage("cannot write " + o.address_file);
  }
  timespec tick{0, 100'000'000};
  while (true) {
    int signal = sigtimedwait(&signals, nullptr, &tick);
    if (signal == SIGTERM || signal == SIGINT) {
      std::cerr << "gemba edge: stopping (" << (signal == SIGTERM ? "SIGTERM" : "SIGINT") << ")\n";
      break;
    }
    if (o.exit_when_drained && agent->drained()) {
      std::cerr << (o.center.empty() ? "gemba edge: everything collected is stored (no --center); exiting\n"
                                      : "gemba edge: everything collected is at the center; exiting\n");
      break;
    }
  }
  agent->stop();
  auto status = agent->status();
  std::cerr << "gemba edge: stopped: last_seq " << status["last_seq"] << ", acked_seq "
            << status["acked_seq"] << ", backlog " << status["backlog"] << ", quarantined "
            << status["quarantined"] << '\n';
  return kExitClean;
}

}  // namespace gemba::cli
