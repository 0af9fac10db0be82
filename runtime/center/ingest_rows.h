// The keys and values of the center's tables (FORMAT.md): how ingest_store.cpp lays out
// edges, the log and the series index in the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gemba::center::rows {

// Table names.
inline constexpr const char* kEdges = "edges";
inline constexpr const char* kLog = "log";
inline constexpr const char* kSeries = "series";

// The edge's identity as 8 bytes (from its 16 hex digits), and back.
std::string edge_bytes(std::string_view edge_hex);
std::string edge_hex(std::string_view edge_bytes);

// edges: plant NUL edge(8).
std::string edge_key(std::string_view plant, std::string_view edge_hex);
// Splits an edges key; false if it is not one.
bool split_edge_key(std::string_view key, std::string* plant, std::string* edge_hex);

struct EdgeRow {
  std::uint64_t acked_seq = 0;
  std::uint64_t records = 0;
  std::int64_t first_seen_us = 0;
  std::int64_t last_seen_us = 0;
};
std::string encode_edge(const EdgeRow& row);  // 32 bytes, four big-endian u64
std::optional<EdgeRow> decode_edge(std::string_view value);

// log: plant NUL edge(8) seq(8) → wire::encode(record).
std::string log_key(std::string_view plant, std::string_view edge_hex, std::uint64_t seq);

// series: plant NUL subject NUL time(8) edge(8) seq(8) → empty. The time is
// time_us + 2^63 as big-endian u64, so that byte order is time order, before 1970 too.
std::string series_prefix(std::string_view plant, std::string_view subject);
std::string time_key(std::int64_t time_us);
std::int64_t time_of_key(std::string_view key, std::size_t offset);

}  // namespace gemba::center::rows
