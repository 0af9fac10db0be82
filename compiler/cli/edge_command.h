// `gemba edge [INPUTS...] --plant NAME --plants DIR --center URL --data DIR --listen ADDR`:
// the plant agent. Collects the plant's signals by the collect rules of the templates
// given as INPUTS (default: the folder that holds the plant models' folder), specialized
// for the plant and JIT-compiled, runs their procedures for operator stations, keeps
// every accepted reading durably in its outbox, forwards it to the center, and serves
// its status.
// Runs until SIGTERM or SIGINT (or, with --exit-when-drained, until its replay files
// are read and everything is acknowledged), then exits 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gemba::cli {

struct EdgeCommandOptions {
  std::vector<std::string> inputs;  // templates, and modules or folders they need; may be empty
  std::string plant;
  std::vector<std::string> plant_paths;
  std::vector<std::string> include_dirs;
  std::string center;      // http://HOST:PORT or https://HOST:PORT
  std::string token_file;  // the plant's token, alone on a line
  std::string ca_file;     // for https:// and mqtts://: the CA to trust
  std::string data_dir;
  std::string listen = "127.0.0.1:8401";  // the status endpoint; port 0 picks one
  std::string address_file;               // written once listening
  std::vector<std::string> connect;       // NAME=HOST:PORT, see edge/sources/source.h
  bool simulate = false;                  // every signal from the simulator
  std::uint64_t seed = 1;                 // the simulator's seed
  double sim_speed = 1;                   // simulated seconds per second; 0: flat out
  std::string sim_duration;               // e.g. `10min`: simulate that much, then stop
  std::int64_t sim_start = 0;             // simulated clock start, seconds since 1970; 0: now
  std::vector<std::string> replay;        // CSV or JSON-lines files to replay
  bool replay_only = false;               // no live sources, only the replay files
  std::string quota = "1GiB";             // the outbox's disk quota
  std::size_t batch_records = 5000;       // records per batch to the center, at most
  bool exit_when_drained = false;
};

CLI::App* add_edge_command(CLI::App& app, EdgeCommandOptions& options);

// Exit codes: 0 stopped, 1 the templates have errors, 2 usage, I/O or data directory.
int run_edge_command(const EdgeCommandOptions& options);

}  // namespace gemba::cli
