#include "runtime/center/ingest_rows.h"

#include "runtime/store/store.h"

namespace gemba::center::rows {
namespace {

constexpr std::uint64_t kTimeBias = std::uint64_t{1} << 63;

int hex_digit(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

}  // namespace

std::string edge_bytes(std::string_view edge_hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < edge_hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(hex_digit(edge_hex[i]) * 16 + hex_digit(edge_hex[i + 1])));
  }
  return bytes;
}

std::string edge_hex(std::string_view edge_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (char c : edge_bytes) {
    auto b = static_cast<unsigned char>(c);
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xf]);
  }
  return hex;
}

std::string edge_key(std::string_view plant, std::string_view edge_hex) {
  std::string key(plant);
  key.push_back('\0');
  return key + edge_bytes(edge_hex);
}

bool split_edge_key(std::string_view key, std::string* plant, std::string* edge) {
  std::size_t nul = key.find('\0');
  if (nul == std::string_view::npos || key.size() != nul + 9) return false;
  *plant = std::string(key.substr(0, nul));
  *edge = edge_hex(key.substr(nul + 1));
  return true;
}

std::string encode_edge(const EdgeRow& row) {
  return store::key_u64(row.acked_seq) + store::key_u64(row.records) +
         store::key_u64(static_cast<std::uint64_t>(row.first_seen_us)) +
         store::key_u64(static_cast<std::uint64_t>(row.last_seen_us));
}

std::optional<EdgeRow> decode_edge(std::string_view value) {
  if (value.size() != 32) return std::nullopt;
  EdgeRow row;
  row.acked_seq = store::u64_of_key(value, 0);
  row.records = store::u64_of_key(value, 8);
  row.first_seen_us = static_cast<std::int64_t>(store::u64_of_key(value, 16));
  row.last_seen_us = static_cast<std::int64_t>(store::u64_of_key(value, 24));
  return row;
}

std::string log_key(std::string_view plant, std::string_view edge_hex, std::uint64_t seq) {
  return edge_key(plant, edge_hex) + store::key_u64(seq);
}

std::string series_prefix(std::string_view plant, std::string_view subject) {
  std::string key(plant);
  key.push_back('\0');
  key += subject;
  key.push_back('\0');
  return key;
}

std::string time_key(std::int64_t time_us) {
  return store::key_u64(static_cast<std::uint64_t>(time_us) + kTimeBias);
}

std::int64_t time_of_key(std::string_view key, std::size_t offset) {
  return static_cast<std::int64_t>(store::u64_of_key(key, offset) - kTimeBias);
}

}  // namespace gemba::center::rows
