#include "runtime/center/iso_time.h"

#include <gtest/gtest.h>

#include <limits>

namespace gemba::center {
namespace {

TEST(CenterIsoTime, ParsesIsoUtcAndMicroseconds) {
  EXPECT_EQ(parse_time_us("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_time_us("2026-11-26T08:00:00Z"), 1'795'680'000'000'000);
  EXPECT_EQ(parse_time_us("2026-11-26T08:00:00.5Z"), 1'795'680'000'500'000);
  EXPECT_EQ(parse_time_us("2026-11-26T08:00:00.000001Z"), 1'795'680'000'000'001);
  EXPECT_EQ(parse_time_us("1969-12-31T23:59:59Z"), -1'000'000);
  EXPECT_EQ(parse_time_us("2024-02-29T00:00:00Z"), 1'709'164'800'000'000);
  EXPECT_EQ(parse_time_us("1795680000000000"), 1'795'680'000'000'000);
  EXPECT_EQ(parse_time_us("-5"), -5);
}

TEST(CenterIsoTime, RefusesWhatIsNotATime) {
  for (const char* bad : {"", "now", "2026-11-26", "2026-11-26T08:00:00", "2026-11-26T08:00:00+01:00",
                          "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-26T24:00:00Z",
                          "2026-11-26T08:60:00Z", "2026-11-26T08:00:60Z", "2026-11-26T08:00:00.Z",
                          "2026-11-26T08:00:00.1234567Z", "2026-11-26 08:00:00Z", "12x",
                          "99999999999999999999", "2026-1-26T08:00:00Z"}) {
    EXPECT_EQ(parse_time_us(bad), std::nullopt) << bad;
  }
}

TEST(CenterIsoTime, FormatsAndRoundTrips) {
  EXPECT_EQ(format_time_us(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_time_us(1'795'680'000'250'000), "2026-11-26T08:00:00.250000Z");
  EXPECT_EQ(format_time_us(-1), "1969-12-31T23:59:59.999999Z");
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1'709'164'800'000'001},
                         std::int64_t{-62'135'596'800'000'000} /* 0001-01-01 */,
                         std::int64_t{253'402'300'799'999'999} /* 9999-12-31T23:59:59.999999 */}) {
    EXPECT_EQ(parse_time_us(format_time_us(t)), t) << format_time_us(t);
  }
  // Extremes format without overflowing (years beyond 9999 do not parse back).
  EXPECT_FALSE(format_time_us(std::numeric_limits<std::int64_t>::max()).empty());
  EXPECT_FALSE(format_time_us(std::numeric_limits<std::int64_t>::min()).empty());
}

}  // namespace
}  // namespace gemba::center
