// `gemba center --data DIR --listen ADDR --tokens FILE [--tls-cert F --tls-key F]`: the
// center service. Runs until SIGTERM or SIGINT, then stops taking requests, finishes
// the batches it is committing and exits 0.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace gemba::cli {

struct CenterCommandOptions {
  std::string data_dir;
  std::string listen = "127.0.0.1:8400";  // HOST:PORT; port 0 picks a free one
  std::string tokens;                     // `plant token` per line; `#` comments
  std::string tls_cert, tls_key;          // both or neither: HTTPS
  // Where the chosen address is written once listening (`127.0.0.1:41234`), for
  // scripts and tests that use port 0.
  std::string address_file;
};

CLI::App* add_center_command(CLI::App& app, CenterCommandOptions& options);

// Exit codes: 0 stopped by a signal, 2 usage, I/O or a data directory it cannot open.
int run_center_command(const CenterCommandOptions& options);

}  // namespace gemba::cli
