#include "edge/procedure_records.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "runtime/wire/batch.h"

namespace gemba::edge {
namespace {

using Json = nlohmann::json;

std::string dump(const Json& body) {
  // Replace rather than throw: every text in a record must be valid UTF-8 (WIRE.md).
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::int64_t micros(double seconds) { return std::llround(seconds * 1e6); }

std::string utc_text(double seconds) {
  lower::ValueFormat time;
  time.kind = lower::ValueFormat::Kind::kTime;
  return console::format_value(lower::Scalar{.r = seconds}, time, nullptr);
}

// Every string in `body` longer than `cap` bytes cut to `cap` plus the mark.
void cut_strings(Json& body, std::size_t cap) {
  if (body.is_string()) {
    const std::string& s = body.get_ref<const std::string&>();
    if (s.size() > cap) body = cut_utf8(s, cap) + kTruncatedMark;
    return;
  }
  if (body.is_structured()) {
    for (auto& item : body) cut_strings(item, cap);
  }
}

// The body as text within kMaxTextBytes; `*cut` when strings had to be shortened.
std::string fitted(const Json& body, bool* cut) {
  std::string text = dump(body);
  *cut = text.size() > wire::kMaxTextBytes;
  for (std::size_t cap = wire::kMaxTextBytes / 4; text.size() > wire::kMaxTextBytes; cap /= 2) {
    if (cap < 16) return dump(Json{{"truncated", true}});
    Json shorter = body;
    cut_strings(shorter, cap);
    if (shorter.is_object()) shorter["truncated"] = true;
    text = dump(shorter);
  }
  return text;
}

wire::Record event(std::string subject, double time, const Json& body) {
  wire::Record r;
  r.seq = 1;  // a placeholder for record_problem(): the outbox numbers records as they enter it
  r.kind = wire::RecordKind::kEvent;
  r.time_us = micros(time);
  r.subject = std::move(subject);
  bool cut = false;
  r.text = fitted(body, &cut);
  fit_record(&r);
  return r;
}

}  // namespace

std::string cut_utf8(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Back off continuation bytes (10xxxxxx) so that no character is split.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

wire::Record effect_record(const workflow::OutboxEffect& effect, const console::Names* names) {
  const lower::Point& point = *effect.point;
  Json values = Json::object();
  for (std::size_t k = 0; k < effect.values.size() && k < point.value_names.size(); ++k) {
    if (values.contains(point.value_names[k])) continue;  // the same path, the same value
    values[point.value_names[k]] =
        k < point.value_formats.size()
            ? console::format_value(effect.values[k], point.value_formats[k], names)
            : std::to_string(effect.values[k].r);
  }
  const std::string& procedure = effect.machine->name;
  Json body = {{"instance", effect.key.instance},
               {"procedure", procedure},
               {"version", effect.version.substr(0, 12)},
               {"transition", effect.key.transition},
               {"index", effect.key.index},
               {"kind", lower::spelling(point.kind)},
               {"text", console::render_text(point, effect.values, names)},
               {"values", std::move(values)}};
  if (!point.role.empty()) body["role"] = point.role;
  if (!point.target.empty()) body["target"] = point.target;
  return event(procedure + "#" + std::to_string(effect.key.instance), effect.time, body);
}

wire::Record audit_record(const workflow::AuditEntry& entry, const std::string& procedure) {
  Json body = {{"instance", entry.instance}, {"procedure", procedure},
               {"sequence", entry.sequence}, {"transition", entry.transition},
               {"actor", entry.actor},       {"action", entry.action},
               {"detail", entry.detail},     {"time", utc_text(entry.time)}};
  return event(procedure + "#" + std::to_string(entry.instance) + "/audit", entry.time, body);
}

bool fit_record(wire::Record* record) {
  bool cut = false;
  if (record->subject.size() > wire::kMaxSubjectBytes) {
    record->subject = cut_utf8(record->subject, wire::kMaxSubjectBytes);
    cut = true;
  }
  if (record->text.size() > wire::kMaxTextBytes) {
    Json body = Json::parse(record->text, nullptr, false);
    bool shortened = false;
    record->text =
        body.is_discarded()
            ? cut_utf8(record->text, wire::kMaxTextBytes - sizeof kTruncatedMark) + kTruncatedMark
            : fitted(body, &shortened);
    cut = true;
  }
  return cut;
}

}  // namespace gemba::edge
