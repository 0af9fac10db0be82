#include "runtime/center/iso_time.h"

#include <charconv>
#include <cstdio>

namespace gemba::center {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
// algorithms, exact for every int64 day count used here).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// `count` decimal digits at `at`, or -1.
int digits(std::string_view s, std::size_t at, std::size_t count) {
  if (at + count > s.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_iso(std::string_view s) {
  // 0123456789012345678
  // YYYY-MM-DDTHH:MM:SS
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s.back() != 'Z') {
    return std::nullopt;
  }
  int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
      sec > 59 || static_cast<unsigned>(d) > days_in_month(y, mo)) {
    return std::nullopt;
  }
  std::int64_t micros = 0;
  std::string_view fraction = s.substr(19, s.size() - 20);
  if (!fraction.empty()) {
    if (fraction.size() < 2 || fraction.size() > 7 || fraction[0] != '.') return std::nullopt;
    int f = digits(fraction, 1, fraction.size() - 1);
    if (f < 0) return std::nullopt;
    micros = f;
    for (std::size_t n = fraction.size() - 1; n < 6; ++n) micros *= 10;
  }
  std::int64_t seconds = days_from_civil(y, mo, d) * kSecondsPerDay + h * 3600 + mi * 60 + sec;
  return seconds * kMicrosPerSecond + micros;
}

}  // namespace

std::optional<std::int64_t> parse_time_us(std::string_view text) {
  if (text.find('T') != std::string_view::npos) return parse_iso(text);
  return parse_integer(text);
}

std::string format_time_us(std::int64_t time_us) {
  // Floor division, so that times before 1970 count back from the right second.
  std::int64_t seconds = time_us / kMicrosPerSecond;
  std::int64_t micros = time_us % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    seconds -= 1;
  }
  std::int64_t days = seconds / kSecondsPerDay;
  std::int64_t rest = seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    days -= 1;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, &y, &m, &d);
  char buffer[64];
  int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d",
                        static_cast<long long>(y), m, d, static_cast<int>(rest / 3600),
                        static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  std::string out(buffer, n);
  if (micros != 0) {
    std::snprintf(buffer, sizeof buffer, ".%06lld", static_cast<long long>(micros));
    out += buffer;
  }
  return out + "Z";
}

}  // namespace gemba::center
