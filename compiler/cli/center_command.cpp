#include "compiler/cli/center_command.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "compiler/cli/exit_codes.h"
#include "runtime/center/center_server.h"
#include "runtime/center/ingest_store.h"
#include "runtime/center/tokens.h"

namespace gemba::cli {
namespace {

// One line to stderr, whole, from any thread.
void log_line(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::cerr << "gemba center: " << line << std::endl;
}

int fail(const std::string& message) {
  log_line("error: " + message);
  return kExitUsage;
}

// Writes `text` to `path` through a temporary file and a rename, so that a reader sees
// the whole address or no file.
bool write_atomically(const std::string& path, const std::string& text) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  return !ec;
}

// SIGTERM and SIGINT, blocked in every thread so that only sigwait() takes them.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

CLI::App* add_center_command(CLI::App& app, CenterCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "center", "Run the center service: takes batches from plant edges, answers queries");
  cmd->add_option("--data", options.data_dir, "The center's data directory")->required();
  cmd->add_option("--listen", options.listen, "HOST:PORT to listen on; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--tokens", options.tokens,
                  "The tokens file: `plant token` per line, `#` comments")
      ->required();
  cmd->add_option("--tls-cert", options.tls_cert, "PEM certificate: serve HTTPS");
  cmd->add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert");
  cmd->add_option("--address-file", options.address_file,
                  "Where to write HOST:PORT once listening (for port 0)");
  return cmd;
}

int run_center_command(const CenterCommandOptions& options) {
  // Before any thread starts, so that every thread inherits the mask.
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client gone in the middle of a TLS write

  std::string error;
  std::optional<center::Tokens> tokens = center::Tokens::load(options.tokens, &error);
  if (!tokens) return fail("bad tokens file:\n" + error);
  center::CenterServerOptions server_options;
  auto address = center::parse_listen_address(options.listen, &error);
  if (!address) return fail("--listen: " + error);
  server_options.address = *address;
  server_options.tls_cert = options.tls_cert;
  server_options.tls_key = options.tls_key;
  server_options.log = log_line;
  store::Status status;
  std::unique_ptr<center::IngestStore> store = center::IngestStore::open(options.data_dir, &status);
  if (!store) return fail("cannot open the data directory " + options.data_dir + ": " + status.message());
  std::unique_ptr<center::CenterServer> server =
      center::CenterServer::bind(*store, *tokens, server_options, &error);
  if (!server) return fail(error);
  if (!options.address_file.empty() &&
      !write_atomically(options.address_file, server->address() + "\n")) {
    return fail("cannot write the address file " + options.address_file);
  }

  std::atomic<int> stopped_by{0};
  std::thread waiter([&] {
    int sig = 0;
    if (sigwait(&signals, &sig) == 0) stopped_by = sig;
    server->stop();
  });
  std::size_t plants = tokens->size();
  log_line("listening on " + server->url() + " (data " + options.data_dir + ", " +
           std::to_string(plants) + (plants == 1 ? " plant)" : " plants)"));
  server->run();
  const int sig = stopped_by;
  if (sig == 0) pthread_kill(waiter.native_handle(), SIGTERM);  // wake it to end
  waiter.join();
  if (sig == 0) return fail("the server stopped by itself on " + server->url());
  center::CommitQueue::Stats stats = server->api().commit_stats();
  log_line(std::string("stopped on SIG") + sigabbrev_np(sig) + ": " +
           std::to_string(stats.batches) + " batches committed in " +
           std::to_string(stats.transactions) + " transactions");
  return kExitClean;
}

}  // namespace gemba::cli
