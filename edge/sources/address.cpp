#include "edge/sources/address.h"

#include <cctype>
#include <charconv>

namespace gemba::edge {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_scheme(std::string_view scheme) {
  if (scheme.empty() || !std::isalpha(static_cast<unsigned char>(scheme[0]))) return false;
  for (char c : scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

bool parse_query(std::string_view text, std::map<std::string, std::string>& query,
                 std::string* error) {
  while (!text.empty()) {
    std::size_t amp = text.find('&');
    std::string_view item = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    if (eq == 0 || eq == std::string_view::npos) {
      *error = "the query item `" + std::string(item) + "` is not `name=value`";
      return false;
    }
    query[lower(item.substr(0, eq))] = std::string(item.substr(eq + 1));
  }
  return true;
}

}  // namespace

std::optional<Address> parse_address(std::string_view text, std::string* error) {
  std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    *error = "has no `scheme://`";
    return std::nullopt;
  }
  Address address;
  address.scheme = lower(text.substr(0, sep));
  if (!valid_scheme(address.scheme)) {
    *error = "the scheme `" + std::string(text.substr(0, sep)) + "` is not a scheme name";
    return std::nullopt;
  }
  std::string_view rest = text.substr(sep + 3);
  for (char c : rest) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      *error = "contains white space or a control character";
      return std::nullopt;
    }
  }
  if (address.scheme == "file") {
    if (rest.empty()) {
      *error = "has no file path after `file://`";
      return std::nullopt;
    }
    address.path = std::string(rest);
    return address;
  }
  std::size_t question = rest.find('?');
  std::string_view query = question == std::string_view::npos ? "" : rest.substr(question + 1);
  rest = rest.substr(0, question);
  std::size_t slash = rest.find('/');
  address.authority = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) address.path = std::string(rest.substr(slash + 1));
  if (address.authority.empty()) {
    *error = "has no host (or generator name) after `" + address.scheme + "://`";
    return std::nullopt;
  }
  if (!parse_query(query, address.query, error)) return std::nullopt;
  return address;
}

std::optional<Endpoint> parse_endpoint(std::string_view authority, int default_port,
                                       std::string* error) {
  Endpoint endpoint;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      *error = "the IPv6 host `" + std::string(authority) + "` has no closing `]`";
      return std::nullopt;
    }
    endpoint.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        *error = "`" + std::string(authority) + "` is not `[host]:port`";
        return std::nullopt;
      }
      port_text = after.substr(1);
    }
  } else {
    std::size_t colon = authority.rfind(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (colon != std::string_view::npos && port_text.empty()) port_text = "-";
  }
  if (endpoint.host.empty()) {
    *error = "`" + std::string(authority) + "` has no host";
    return std::nullopt;
  }
  endpoint.port = default_port;
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      *error = "the port `" + std::string(port_text) + "` is not a number in 1..65535";
      return std::nullopt;
    }
    endpoint.port = port;
  }
  return endpoint;
}

std::string connect_authority(const ConnectMap& connect, const std::string& authority) {
  if (auto found = connect.find(authority); found != connect.end()) return found->second;
  std::string error;
  if (auto endpoint = parse_endpoint(authority, 0, &error)) {
    auto found = connect.find(endpoint->host);
    if (found == connect.end()) return authority;
    // `--connect ham-broker=127.0.0.1` keeps the port written in the address.
    std::string mapped_error;
    auto mapped = parse_endpoint(found->second, 0, &mapped_error);
    if (mapped && mapped->port == 0 && endpoint->port != 0) {
      return found->second + ":" + std::to_string(endpoint->port);
    }
    return found->second;
  }
  return authority;
}

}  // namespace gemba::edge
