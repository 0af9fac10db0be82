#include "runtime/wire/batch.h"

#include <cmath>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

namespace gemba::wire {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// A batch is three levels deep (object, records array, record object); anything much
// deeper is refused before the parser builds it.
constexpr int kMaxDepth = 8;

const std::set<std::string, std::less<>> kBatchFields = {"format", "plant", "edge", "records"};
const std::set<std::string, std::less<>> kRecordFields = {"seq",   "time_us", "kind", "subject",
                                                          "value", "unit",    "text", "hash"};

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    if (extra < 0 || i + extra >= s.size()) return false;
    std::uint32_t code = extra == 0 ? c : c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

// True when brackets outside strings nest deeper than `max` levels.
bool too_deep(std::string_view text, int max) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// nlohmann's messages start with "[json.exception.parse_error.101] ": drop that.
std::string json_message(const std::exception& e) {
  std::string message = e.what();
  if (message.rfind("[json.exception.", 0) == 0) {
    if (std::size_t end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
  }
  return message;
}

std::optional<std::uint64_t> as_u64(const Json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return v.get<std::int64_t>();
  return std::nullopt;
}

std::optional<std::int64_t> as_i64(const Json& v) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<std::int64_t>();
  if (v.is_number_unsigned() &&
      v.get<std::uint64_t>() <= std::uint64_t{std::numeric_limits<std::int64_t>::max()}) {
    return static_cast<std::int64_t>(v.get<std::uint64_t>());
  }
  return std::nullopt;
}

// Checks one record of a batch; on failure `*error` says which field and why (without
// the "records[i]." prefix).
std::optional<Record> parse_record(const Json& j, std::string* error) {
  if (!j.is_object()) {
    *error = ": must be an object";
    return std::nullopt;
  }
  for (const auto& [key, value] : j.items()) {
    if (!kRecordFields.count(key)) {
      *error = "." + key + ": unknown field (format 1 records have seq, time_us, kind, "
               "subject, value, unit, text, hash)";
      return std::nullopt;
    }
  }
  for (const std::string& key : kRecordFields) {
    if (!j.contains(key)) {
      *error = "." + key + ": missing";
      return std::nullopt;
    }
  }
  Record r;
  auto fail = [&](const std::string& what) {
    *error = what;
    return std::nullopt;
  };
  auto seq = as_u64(j["seq"]);
  if (!seq || *seq == 0) return fail(".seq: must be an integer from 1 to 18446744073709551615");
  r.seq = *seq;
  auto time = as_i64(j["time_us"]);
  if (!time) return fail(".time_us: must be an integer (microseconds since 1970, UTC)");
  r.time_us = *time;
  if (!j["kind"].is_string()) return fail(".kind: must be a string, \"sample\" or \"event\"");
  auto kind = record_kind(j["kind"].get_ref<const std::string&>());
  if (!kind) return fail(".kind: unknown kind `" + j["kind"].get<std::string>() +
                         "`; the kinds are \"sample\" and \"event\"");
  r.kind = *kind;
  if (!j["value"].is_number()) return fail(".value: must be a number");
  r.value = j["value"].get<double>();
  for (auto [key, field] : {std::pair{"subject", &r.subject}, std::pair{"unit", &r.unit},
                            std::pair{"text", &r.text}}) {
    if (!j[key].is_string()) return fail(std::string(".") + key + ": must be a string");
    *field = j[key].get<std::string>();
  }
  if (std::string problem = record_problem(r); !problem.empty()) return fail("." + problem);
  const Json& hash = j["hash"];
  if (!hash.is_string()) return fail(".hash: must be a string of 16 hex digits");
  if (hash.get_ref<const std::string&>() != content_hash(r)) {
    return fail(".hash: does not match the record's content");
  }
  return r;
}

std::optional<Batch> parse_batch_json(const Json& doc, std::string* error) {
  auto fail = [&](std::string what) {
    *error = std::move(what);
    return std::nullopt;
  };
  if (!doc.is_object()) return fail("batch: must be a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (!kBatchFields.count(key)) {
      return fail(key + ": unknown field (a format 1 batch has format, plant, edge, records)");
    }
  }
  auto format = doc.contains("format") ? as_u64(doc["format"]) : std::nullopt;
  if (!format) return fail("format: missing, or not a number (this center reads format 1)");
  if (*format != kWireFormat) {
    return fail("format: is " + std::to_string(*format) + "; this center reads format " +
                std::to_string(kWireFormat));
  }
  Batch batch;
  if (!doc.contains("plant") || !doc["plant"].is_string() ||
      !valid_plant(doc["plant"].get_ref<const std::string&>())) {
    return fail("plant: must be a plant name (1 to 64 letters, digits, `_`, `-` or `.`)");
  }
  batch.plant = doc["plant"].get<std::string>();
  if (!doc.contains("edge") || !doc["edge"].is_string() ||
      !valid_edge(doc["edge"].get_ref<const std::string&>())) {
    return fail("edge: must be the edge's identity, 16 lowercase hex digits");
  }
  batch.edge = doc["edge"].get<std::string>();
  if (!doc.contains("records") || !doc["records"].is_array()) {
    return fail("records: must be an array");
  }
  const Json& records = doc["records"];
  if (records.size() > kMaxBatchRecords) {
    return fail("records: " + std::to_string(records.size()) + " records; a batch holds at most " +
                std::to_string(kMaxBatchRecords));
  }
  batch.records.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    std::string where = "records[" + std::to_string(i) + "]";
    std::string problem;
    std::optional<Record> r = parse_record(records[i], &problem);
    if (!r) return fail(where + problem);
    if (!batch.records.empty() && r->seq <= batch.records.back().seq) {
      return fail(where + ".seq: " + std::to_string(r->seq) + " is not above the previous " +
                  "record's " + std::to_string(batch.records.back().seq) +
                  " (sequence numbers ascend strictly)");
    }
    batch.records.push_back(std::move(*r));
  }
  return batch;
}

std::string dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace

bool valid_plant(std::string_view plant) {
  if (plant.empty() || plant.size() > kMaxPlantBytes) return false;
  for (char c : plant) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool valid_edge(std::string_view edge) {
  if (edge.size() != 16) return false;
  for (char c : edge) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string record_problem(const Record& r) {
  if (r.seq == 0) return "seq: must not be 0";
  if (!std::isfinite(r.value)) return "value: must be a finite number";
  if (r.kind != RecordKind::kSample && r.kind != RecordKind::kEvent) return "kind: unknown";
  if (r.subject.empty()) return "subject: is empty";
  if (r.subject.find('\0') != std::string::npos) return "subject: contains a NUL character";
  struct Field {
    const char* name;
    const std::string* text;
    std::size_t max;
  };
  for (const Field& f : {Field{"subject", &r.subject, kMaxSubjectBytes},
                         Field{"unit", &r.unit, kMaxUnitBytes},
                         Field{"text", &r.text, kMaxTextBytes}}) {
    if (f.text->size() > f.max) {
      return std::string(f.name) + ": " + std::to_string(f.text->size()) +
             " bytes; at most " + std::to_string(f.max);
    }
    if (!valid_utf8(*f.text)) return std::string(f.name) + ": is not valid UTF-8";
  }
  return "";
}

std::string to_json(const Batch& batch) {
  OrderedJson records = OrderedJson::array();
  for (const Record& r : batch.records) {
    records.push_back({{"seq", r.seq},
                       {"time_us", r.time_us},
                       {"kind", spelling(r.kind)},
                       {"subject", r.subject},
                       {"value", r.value},
                       {"unit", r.unit},
                       {"text", r.text},
                       {"hash", content_hash(r)}});
  }
  OrderedJson doc = {{"format", kWireFormat},
                     {"plant", batch.plant},
                     {"edge", batch.edge},
                     {"records", std::move(records)}};
  return dump(doc);
}

std::optional<Batch> parse_batch(std::string_view json, std::string* error) {
  if (json.size() > kMaxBatchBytes) {
    *error = "batch: " + std::to_string(json.size()) + " bytes; at most " +
             std::to_string(kMaxBatchBytes);
    return std::nullopt;
  }
  if (too_deep(json, kMaxDepth)) {
    *error = "batch: nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return std::nullopt;
  }
  try {
    return parse_batch_json(Json::parse(json), error);
  } catch (const Json::exception& e) {
    *error = "batch: not JSON: " + json_message(e);
  } catch (const std::exception& e) {
    *error = std::string("batch: cannot be read: ") + e.what();
  }
  return std::nullopt;
}

std::string to_json(const Ack& ack) {
  OrderedJson doc = {
      {"acked_seq", ack.acked_seq}, {"stored", ack.stored}, {"duplicates", ack.duplicates}};
  return dump(doc);
}

std::optional<Ack> parse_ack(std::string_view json, std::string* error) {
  try {
    Json doc = Json::parse(json);
    if (!doc.is_object()) {
      *error = "ack: must be a JSON object";
      return std::nullopt;
    }
    Ack ack;
    for (auto [key, field] : {std::pair{"acked_seq", &ack.acked_seq},
                              std::pair{"stored", &ack.stored},
                              std::pair{"duplicates", &ack.duplicates}}) {
      auto value = doc.contains(key) ? as_u64(doc[key]) : std::nullopt;
      if (!value) {
        *error = std::string(key) + ": missing, or not a non-negative integer";
        return std::nullopt;
      }
      *field = *value;
    }
    return ack;
  } catch (const Json::exception& e) {
    *error = "ack: not JSON: " + json_message(e);
  } catch (const std::exception& e) {
    *error = std::string("ack: cannot be read: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace gemba::wire
