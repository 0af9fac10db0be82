#include "runtime/center/center_api.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <nlohmann/json.hpp>

#include "runtime/center/iso_time.h"

namespace gemba::center {
namespace {

using Json = nlohmann::ordered_json;
using Outcome = CommitResult::Outcome;

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

ApiResponse error(int status, const std::string& message, Json extra = Json::object()) {
  Json body = {{"error", message}};
  body.update(extra);
  return {status, dump(body), {}};
}

// The token of an `Authorization: Bearer TOKEN` header; empty if there is none.
std::string_view bearer_token(std::string_view header) {
  auto trim = [](std::string_view s) {
    std::size_t begin = s.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return std::string_view();
    return s.substr(begin, s.find_last_not_of(" \t") + 1 - begin);
  };
  header = trim(header);
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  return trim(header.substr(kScheme.size()));
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Checks the names of `params` against `known`; the first unknown one, or empty.
std::string unknown_param(const Params& params, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : params) {
    if (std::find(known.begin(), known.end(), name) == known.end()) return name;
  }
  return "";
}

// `limit`, if given, within 1..kMaxPageLimit; else kDefaultPageLimit.
std::optional<std::size_t> page_limit(const Params& params, std::string* why) {
  auto it = params.find("limit");
  if (it == params.end()) return kDefaultPageLimit;
  auto n = parse_u64(it->second);
  if (!n || *n == 0 || *n > kMaxPageLimit) {
    *why = "limit: `" + it->second + "` is not an integer from 1 to " + std::to_string(kMaxPageLimit);
    return std::nullopt;
  }
  return *n;
}

std::optional<std::int64_t> time_param(const Params& params, const char* name,
                                       std::int64_t fallback, std::string* why) {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  auto time = parse_time_us(it->second);
  if (!time) {
    *why = std::string(name) + ": `" + it->second +
           "` is not a time: write ISO 8601 in UTC (2026-11-26T08:00:00Z) or integer "
           "microseconds since 1970";
  }
  return time;
}

Json record_json(const wire::Record& r) {
  return {{"seq", r.seq},         {"time", format_time_us(r.time_us)}, {"time_us", r.time_us},
          {"kind", wire::spelling(r.kind)}, {"subject", r.subject},   {"value", r.value},
          {"unit", r.unit},       {"text", r.text}, {"hash", wire::content_hash(r)}};
}

ApiResponse store_failed(const store::Status& status) {
  ApiResponse response = error(503, "the center's store failed: " + status.message());
  response.headers.emplace_back("Retry-After", "5");
  return response;
}

}  // namespace

CenterApi::CenterApi(IngestStore& store, const Tokens& tokens)
    : store_(store), tokens_(tokens), queue_(store) {}

ApiResponse CenterApi::ingest(std::string_view authorization, std::string_view body) {
  std::string_view token = bearer_token(authorization);
  const std::string* plant = token.empty() ? nullptr : tokens_.plant_of(token);
  if (plant == nullptr) {
    ApiResponse response = error(401, token.empty() ? "no `Authorization: Bearer TOKEN` header"
                                                    : "unknown token");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
  }
  std::string why;
  std::optional<wire::Batch> batch = wire::parse_batch(body, &why);
  if (!batch) return error(400, why);
  if (batch->plant != *plant) {
    return error(403, "the token is plant `" + *plant + "`'s; the batch is plant `" +
                          batch->plant + "`'s");
  }
  CommitResult result = queue_.commit(*batch);
  switch (result.outcome) {
    case Outcome::kCommitted:
      return {200, wire::to_json(result.ack), {}};
    case Outcome::kGap:
      return error(409, result.message, {{"acked_seq", result.ack.acked_seq}});
    case Outcome::kFailed:
      break;
  }
  ApiResponse response = error(503, result.message);
  response.headers.emplace_back("Retry-After", "5");
  return response;
}

ApiResponse CenterApi::edges() const {
  std::vector<EdgeInfo> edges;
  if (store::Status s = store_.edges(&edges); !s.is_ok()) return store_failed(s);
  Json list = Json::array();
  for (const EdgeInfo& e : edges) {
    list.push_back({{"plant", e.plant},
                    {"edge", e.edge},
                    {"acked_seq", e.acked_seq},
                    {"records", e.records},
                    {"first_seen", format_time_us(e.first_seen_us)},
                    {"last_seen", format_time_us(e.last_seen_us)},
                    {"first_seen_us", e.first_seen_us},
                    {"last_seen_us", e.last_seen_us}});
  }
  return {200, dump(list), {}};
}

ApiResponse CenterApi::samples(const Params& params) const {
  if (std::string name = unknown_param(params, {"plant", "signal", "from", "to", "limit"});
      !name.empty()) {
    return error(400, "unknown parameter `" + name + "`; the parameters are plant, signal, "
                      "from, to, limit");
  }
  SampleQuery query;
  auto plant = params.find("plant");
  auto signal = params.find("signal");
  if (plant == params.end() || !wire::valid_plant(plant->second)) {
    return error(400, "plant: missing, or not a plant name");
  }
  if (signal == params.end() || signal->second.empty() ||
      signal->second.size() > wire::kMaxSubjectBytes) {
    return error(400, "signal: missing; write signal=instance.signal");
  }
  query.plant = plant->second;
  query.subject = signal->second;
  std::string why;
  auto from = time_param(params, "from", query.from_us, &why);
  auto to = from ? time_param(params, "to", query.to_us, &why) : std::nullopt;
  auto limit = to ? page_limit(params, &why) : std::nullopt;
  if (!limit) return error(400, why);
  if (*from >= *to) return error(400, "from: must be before to");
  query.from_us = *from;
  query.to_us = *to;
  query.limit = *limit;
  SamplePage page;
  if (store::Status s = store_.samples(query, &page); !s.is_ok()) return store_failed(s);
  Json list = Json::array();
  for (const Sample& sample : page.samples) {
    const wire::Record& r = sample.record;
    list.push_back({{"time", format_time_us(r.time_us)},
                    {"time_us", r.time_us},
                    {"value", r.value},
                    {"unit", r.unit},
                    {"text", r.text},
                    {"edge", sample.edge},
                    {"seq", r.seq}});
  }
  Json body = {{"plant", query.plant},
               {"signal", query.subject},
               {"samples", std::move(list)},
               {"more", page.more}};
  return {200, dump(body), {}};
}

ApiResponse CenterApi::records(const Params& params) const {
  if (std::string name = unknown_param(params, {"plant", "edge", "after", "limit"});
      !name.empty()) {
    return error(400, "unknown parameter `" + name + "`; the parameters are plant, edge, after, "
                      "limit");
  }
  auto plant = params.find("plant");
  auto edge = params.find("edge");
  if (plant == params.end() || !wire::valid_plant(plant->second)) {
    return error(400, "plant: missing, or not a plant name");
  }
  if (edge == params.end() || !wire::valid_edge(edge->second)) {
    return error(400, "edge: missing, or not 16 lowercase hex digits");
  }
  std::uint64_t after = 0;
  if (auto it = params.find("after"); it != params.end()) {
    auto n = parse_u64(it->second);
    if (!n) return error(400, "after: `" + it->second + "` is not a sequence number");
    after = *n;
  }
  std::string why;
  auto limit = page_limit(params, &why);
  if (!limit) return error(400, why);
  std::optional<EdgeInfo> info;
  if (store::Status s = store_.edge(plant->second, edge->second, &info); !s.is_ok()) {
    return store_failed(s);
  }
  if (!info) {
    return error(404, "no edge " + edge->second + " at plant `" + plant->second + "`");
  }
  RecordPage page;
  store::Status s = store_.records(plant->second, edge->second, after, *limit, &page);
  if (!s.is_ok()) return store_failed(s);
  Json list = Json::array();
  for (const wire::Record& r : page.records) list.push_back(record_json(r));
  Json body = {{"plant", info->plant},
               {"edge", info->edge},
               {"acked_seq", info->acked_seq},
               {"records", std::move(list)},
               {"more", page.more}};
  return {200, dump(body), {}};
}

ApiResponse CenterApi::health() const { return {200, R"({"status":"ok"})", {}}; }

}  // namespace gemba::center
