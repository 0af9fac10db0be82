// A signal's address as the plant model writes it, taken apart:
// `scheme://authority/path?query`. The sources use the scheme to pick a source, the
// authority (mapped by `--connect`) to reach a broker or server, and the path (the MQTT
// topic, `unit/register` for Modbus, a name for the simulator).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "edge/sources/source.h"

namespace gemba::edge {

struct Address {
  std::string scheme;     // lowercase: `mqtt`, `mqtts`, `modbus`, `sim`, `file`
  std::string authority;  // as written: `hou-broker`, `10.40.1.21:502`, `ham-broker:8883`
  std::string path;       // without the leading `/` and the query: `blending/kettle1/level`
  std::map<std::string, std::string> query;  // `?type=f32&scale=0.1`
};

// Parses `text`; on failure nullopt and `error` saying what is wrong ("has no `://`").
// `file://` keeps everything after `://` as the path (`file://data/line2.csv` is the
// relative path `data/line2.csv`), with an empty authority.
std::optional<Address> parse_address(std::string_view text, std::string* error);

struct Endpoint {
  std::string host;  // without brackets for IPv6
  int port = 0;
};

// Splits `host[:port]` (`[v6]:port` for IPv6); `default_port` when none is written.
std::optional<Endpoint> parse_endpoint(std::string_view authority, int default_port,
                                       std::string* error);

// Where `authority` is reached from this edge: its `--connect` mapping (by the authority
// as written, else by its host alone), or the authority itself.
std::string connect_authority(const ConnectMap& connect, const std::string& authority);

}  // namespace gemba::edge
