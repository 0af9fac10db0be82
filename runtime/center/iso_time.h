// Times as the center's query API reads and writes them: ISO 8601 in UTC
// (`2026-11-26T08:00:00Z`, `2026-11-26T08:00:00.250Z`) or integer microseconds since
// 1970-01-01T00:00:00Z, the unit of Record::time_us.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gemba::center {

// `YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z` (years 0000 to 9999, no leap second), or an integer
// of microseconds (a leading `-` allowed). Nullopt for anything else, including a date
// that does not exist (2026-02-30) and an offset other than `Z`.
std::optional<std::int64_t> parse_time_us(std::string_view text);

// `YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` (six digits) before the `Z` when the time is not
// a whole second. Any int64 is formatted; years past 9999 get more digits.
std::string format_time_us(std::int64_t time_us);

}  // namespace gemba::center
