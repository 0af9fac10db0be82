// What a source receives, turned into a Reading: times (ISO 8601 or microseconds) and
// values as text (a number, `true`/`false`, an enum member name) or JSON. Shared by the
// MQTT source (payloads) and the replay source (file lines), so the same text means the
// same reading whichever way it came.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "edge/sources/source.h"

namespace gemba::edge {

// A time as UTC microseconds since 1970: ISO 8601 with a zone
// (`2026-11-26T08:00:00.250Z`, `2026-11-26T09:00:00+01:00`, a fraction of any length,
// cut to microseconds), or an integer count of microseconds. nullopt otherwise, and for a
// time without a zone (which zone was meant is not known).
std::optional<std::int64_t> parse_time_us(std::string_view text);

// `text` without the white space around it.
std::string_view trim(std::string_view text);

// Sets `reading`'s value from `text` as received for `signal` (nullptr: not known here).
// A number is the value; `true`/`false` are 1/0 for a bool signal; an enum member name
// (exactly, else ignoring case) is its ordinal. Text the source cannot judge (a name for
// an unknown signal) stays in `text` with has_value false, for the collector. Returns why
// the value is bad ("the value `abc` is not a number"), and then sets has_value false and
// `text` to what was received; empty when it is not bad. Does not set `problem`.
std::string set_value(std::string_view text, const SignalInfo* signal, Reading& reading);

// The same for a JSON value: a number, a bool, or a string read as by set_value.
std::string set_json_value(const nlohmann::json& value, const SignalInfo* signal, Reading& reading);

// An MQTT payload: `21.5`, `true`, `Execute`, or `{"value": 21.5, "time": "..."}` (time
// as by parse_time_us; `receipt_us` when absent). Returns the problem as set_value does.
std::string set_payload(std::string_view payload, const SignalInfo* signal, std::int64_t receipt_us,
                        Reading& reading);

// `raw` made safe to keep and show: valid UTF-8 is kept, other bytes and control
// characters become `\xNN`, and text past `limit` bytes is cut and ends with `...`.
std::string printable(std::string_view raw, std::size_t limit = 1024);

}  // namespace gemba::edge
