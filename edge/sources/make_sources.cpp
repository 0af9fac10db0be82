#include "edge/sources/make_sources.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <utility>

#include "edge/sources/address.h"
#include "edge/sources/modbus_point.h"
#include "edge/sources/modbus_source.h"
#include "edge/sources/mqtt_source.h"
#include "edge/sources/replay_source.h"

namespace gemba::edge {
namespace {

std::string name_of(const SignalInfo& signal) {
  return signal.instance.empty() ? signal.address : signal.instance + "." + signal.signal;
}

struct Groups {
  std::map<std::string, std::vector<SignalInfo>> mqtt;    // `scheme://authority`
  std::map<std::string, std::vector<SignalInfo>> modbus;  // authority
  std::vector<SignalInfo> sim;
  std::map<std::string, std::vector<SignalInfo>> files;  // path
  std::vector<std::string> errors;
};

void add(const SignalInfo& signal, Groups& groups) {
  auto fail = [&](const std::string& why) {
    groups.errors.push_back(name_of(signal) + ": the address `" + signal.address + "` " + why);
  };
  std::string error;
  std::optional<Address> address = parse_address(signal.address, &error);
  if (!address) return fail(error + " (write scheme://host/path, e.g. mqtt://broker/line1/speed)");
  if (address->scheme == "mqtt" || address->scheme == "mqtts") {
    if (address->path.empty()) return fail("has no topic after the host");
    if (address->path.find_first_of("+#") != std::string::npos) {
      return fail("has a wildcard (+ or #) in its topic: a signal reads one topic");
    }
    if (!parse_endpoint(address->authority, 1883, &error)) return fail(error);
    groups.mqtt[address->scheme + "://" + address->authority].push_back(signal);
  } else if (address->scheme == "modbus") {
    if (!parse_endpoint(address->authority, 502, &error)) return fail(error);
    if (!parse_modbus_point(*address, &error)) return fail(error);
    groups.modbus[address->authority].push_back(signal);
  } else if (address->scheme == "sim") {
    groups.sim.push_back(signal);
  } else if (address->scheme == "file") {
    groups.files[address->path].push_back(signal);
  } else {
    fail("has the unknown scheme `" + address->scheme +
         "`: use mqtt://, mqtts://, modbus://, sim:// or file://, or run with --simulate");
  }
}

bool readable(const std::string& path, std::string* why) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    *why = ec ? ec.message() : "not a regular file (or it does not exist)";
    return false;
  }
  if (!std::ifstream(path, std::ios::binary)) {
    *why = "it cannot be opened for reading";
    return false;
  }
  return true;
}

std::optional<Endpoint> endpoint_for(const std::string& authority, int default_port,
                                     const ConnectMap& connect, std::string* error) {
  std::string mapped = connect_authority(connect, authority);
  std::optional<Endpoint> endpoint = parse_endpoint(mapped, default_port, error);
  if (!endpoint) *error = "--connect " + authority + "=" + mapped + ": " + *error;
  return endpoint;
}

}  // namespace

std::vector<std::unique_ptr<Source>> make_sources(const std::vector<SignalInfo>& signals,
                                                  const SourceOptions& options,
                                                  std::string* error) {
  std::vector<std::unique_ptr<Source>> sources;
  Groups groups;
  const std::string plant = options.plant.empty() ? "plant" : options.plant;
  if (options.simulate) {
    groups.sim = signals;
  } else {
    for (const SignalInfo& signal : signals) add(signal, groups);
  }
  std::map<std::string, std::string> replays;  // path -> default address
  for (const auto& [path, readers] : groups.files) {
    replays[path] = readers.size() == 1 ? readers.front().address : std::string();
  }
  for (const std::string& path : options.replay_files) replays.emplace(path, std::string());
  for (const auto& [path, default_address] : replays) {
    std::string why;
    if (!readable(path, &why)) {
      groups.errors.push_back("the replay file `" + path + "` cannot be read: " + why +
                              " (check the path)");
    }
  }

  const std::string client_id =
      options.client_id.empty() ? "gemba-edge-" + plant : options.client_id;
  for (auto& [key, members] : groups.mqtt) {
    std::string why;
    Address address = *parse_address(members.front().address, &why);
    const bool tls = address.scheme == "mqtts";
    std::optional<Endpoint> endpoint =
        endpoint_for(address.authority, tls ? 8883 : 1883, options.connect, &why);
    if (!endpoint) {
      groups.errors.push_back(why);
      continue;
    }
    MqttSourceOptions mqtt;
    mqtt.name = key;
    mqtt.host = endpoint->host;
    mqtt.port = endpoint->port;
    mqtt.tls = tls;
    mqtt.ca_file = options.ca_file;
    mqtt.client_id = client_id + "@" + address.authority;
    mqtt.signals = std::move(members);
    sources.push_back(std::make_unique<MqttSource>(std::move(mqtt)));
  }
  for (auto& [authority, members] : groups.modbus) {
    std::string why;
    std::optional<Endpoint> endpoint = endpoint_for(authority, 502, options.connect, &why);
    if (!endpoint) {
      groups.errors.push_back(why);
      continue;
    }
    ModbusSourceOptions modbus;
    modbus.name = "modbus://" + authority;
    modbus.host = endpoint->host;
    modbus.port = endpoint->port;
    modbus.signals = std::move(members);
    sources.push_back(std::make_unique<ModbusSource>(std::move(modbus)));
  }
  if (!groups.sim.empty()) {
    sources.push_back(std::make_unique<SimSource>("sim://" + plant, std::move(groups.sim),
                                                  options.seed, options.sim));
  }
  for (const auto& [path, default_address] : replays) {
    sources.push_back(std::make_unique<ReplaySource>(path, signals, default_address));
  }

  if (!groups.errors.empty()) {
    std::string text;
    for (const std::string& line : groups.errors) text += (text.empty() ? "" : "\n") + line;
    *error = text;
    return {};
  }
  return sources;
}

}  // namespace gemba::edge
