// The sources an edge runs for its plant's signals, made from their addresses: one MQTT
// client per broker (mqtt:// and mqtts://, by scheme and authority), one Modbus
// connection per server, one simulator for every sim:// signal, one replay per file://
// file. With `simulate`, one simulator serves every signal instead, whatever its address
// (readings keep the address as written). Replay files (`--replay`) are sources in
// addition to those: each feeds readings for any signal, once (replay_source.h).
//
// `connect` maps an authority as written in the plant model to where this edge reaches
// it (`--connect hou-broker=127.0.0.1:1883`); readings keep the address as written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "edge/sources/sim_source.h"
#include "edge/sources/source.h"

namespace gemba::edge {

struct SourceOptions {
  ConnectMap connect;
  bool simulate = false;
  std::uint64_t seed = 1;
  std::vector<std::string> replay_files;
  std::string client_id;  // MQTT client ids are `client_id@authority`; empty: `gemba-edge-PLANT`
  std::string ca_file;    // mqtts://: the CA bundle; empty: the system's
  std::string plant;      // for names: `sim://hamburg`
  SimOptions sim;
};

// On a malformed or unsupported address, or an unreadable replay file: an empty vector
// and `error` with one line per problem, naming the signal, the address and the fix
// ("kettle2.temperature: the address `mqt://hou-broker/...` has the unknown scheme
// `mqt`: use mqtt://, mqtts://, modbus://, sim:// or file://, or run with --simulate").
std::vector<std::unique_ptr<Source>> make_sources(const std::vector<SignalInfo>& signals,
                                                  const SourceOptions& options, std::string* error);

}  // namespace gemba::edge
