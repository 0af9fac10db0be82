#include "compiler/plant/time_zone.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "compiler/diag/closest_name.h"

namespace gemba::plant {
namespace {

using std::chrono::hours;
using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::sys_seconds;
using std::chrono::year;

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return sys_days{year{y} / m / d} + hours(hh) + minutes(mm);
}

local_seconds local(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return local_days{year{y} / m / d} + hours(hh) + minutes(mm);
}

TimeZone zone(std::string_view name) {
  TimeZoneLookup lookup = find_time_zone(name);
  EXPECT_EQ(lookup.status, TimeZoneLookup::Status::kOk) << lookup.error;
  return lookup.zone.value();
}

TEST(TimeZoneTest, FindsAZoneByItsIanaName) {
  TimeZoneLookup lookup = find_time_zone("America/Chicago");
  EXPECT_EQ(lookup.status, TimeZoneLookup::Status::kOk);
  ASSERT_TRUE(lookup.zone.has_value());
  EXPECT_EQ(lookup.zone->name(), "America/Chicago");
  EXPECT_EQ(lookup.error, "");
}

TEST(TimeZoneTest, AnUnknownNameIsAnOrdinaryOutcome) {
  TimeZoneLookup lookup = find_time_zone("Mars/Olympus_Mons");
  EXPECT_EQ(lookup.status, TimeZoneLookup::Status::kUnknownName);
  EXPECT_FALSE(lookup.zone.has_value());
  EXPECT_EQ(lookup.error, "unknown time zone 'Mars/Olympus_Mons'");
  EXPECT_EQ(find_time_zone("").status, TimeZoneLookup::Status::kUnknownName);
  EXPECT_EQ(find_time_zone("America/").status, TimeZoneLookup::Status::kUnknownName);
  EXPECT_EQ(find_time_zone("../etc/passwd").status, TimeZoneLookup::Status::kUnknownName);
}

TEST(TimeZoneTest, NamesAreCaseSensitiveAndTheListSuggestsTheRightOne) {
  EXPECT_EQ(find_time_zone("america/chicago").status, TimeZoneLookup::Status::kUnknownName);
  const std::vector<std::string> names = time_zone_names();
  EXPECT_EQ(diag::closest_name("america/chicago", names), "America/Chicago");
  EXPECT_EQ(diag::closest_name("Europe/Berln", names), "Europe/Berlin");
}

TEST(TimeZoneTest, TheMachinesOwnZoneIsNotAPlantZone) {
  EXPECT_EQ(find_time_zone("localtime").status, TimeZoneLookup::Status::kUnknownName);
}

TEST(TimeZoneTest, ListsEveryZoneSortedWithoutTheMachinesOwn) {
  const std::vector<std::string> names = time_zone_names();
  EXPECT_GT(names.size(), 300u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const char* expected :
       {"America/Chicago", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "UTC"}) {
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), expected)) << expected;
  }
  EXPECT_FALSE(std::binary_search(names.begin(), names.end(), "localtime"));
  for (const std::string& name : names) {
    EXPECT_EQ(find_time_zone(name).status, TimeZoneLookup::Status::kOk) << name;
  }
}

TEST(TimeZoneTest, AliasesBehaveLikeTheirTarget) {
  TimeZone alias = zone("US/Central");
  TimeZone chicago = zone("America/Chicago");
  EXPECT_EQ(alias.name(), "US/Central");
  EXPECT_EQ(alias.to_utc(local(2026, 3, 8, 2, 30)), chicago.to_utc(local(2026, 3, 8, 2, 30)));
}

TEST(TimeZoneTest, CopiesAreTheSameZone) {
  TimeZone a = zone("Europe/Berlin");
  TimeZone b = a;
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, zone("Europe/Berlin"));
  EXPECT_FALSE(a == zone("America/Chicago"));
}

TEST(TimeZoneTest, ChicagoOffsetsInWinterAndSummer) {
  TimeZone chicago = zone("America/Chicago");
  EXPECT_EQ(chicago.utc_offset(utc(2026, 1, 15, 12)), hours(-6));
  EXPECT_EQ(chicago.utc_offset(utc(2026, 7, 15, 12)), hours(-5));
  EXPECT_EQ(chicago.to_local(utc(2026, 7, 15, 12)), local(2026, 7, 15, 7));
  EXPECT_EQ(chicago.to_utc(local(2026, 1, 15, 6)), utc(2026, 1, 15, 12));
}

// 2026-03-08: at 02:00 CST the clocks jump to 03:00 CDT (08:00 UTC).
TEST(TimeZoneTest, ChicagoSpringForwardGapMapsToTheFirstInstantAfterIt) {
  TimeZone chicago = zone("America/Chicago");
  EXPECT_EQ(chicago.to_utc(local(2026, 3, 8, 1, 59)), utc(2026, 3, 8, 7, 59));
  EXPECT_EQ(chicago.to_utc(local(2026, 3, 8, 2, 0)), utc(2026, 3, 8, 8));
  EXPECT_EQ(chicago.to_utc(local(2026, 3, 8, 2, 30)), utc(2026, 3, 8, 8));
  EXPECT_EQ(chicago.to_utc(local(2026, 3, 8, 3, 0)), utc(2026, 3, 8, 8));
  EXPECT_EQ(chicago.to_utc(local(2026, 3, 8, 3, 30)), utc(2026, 3, 8, 8, 30));
}

// 2026-11-01: at 02:00 CDT the clocks fall back to 01:00 CST (07:00 UTC).
TEST(TimeZoneTest, ChicagoFallBackFoldMapsToTheEarlierInstant) {
  TimeZone chicago = zone("America/Chicago");
  EXPECT_EQ(chicago.to_utc(local(2026, 11, 1, 1, 30)), utc(2026, 11, 1, 6, 30));
  EXPECT_EQ(chicago.to_utc(local(2026, 11, 1, 2, 0)), utc(2026, 11, 1, 8));
  EXPECT_EQ(chicago.to_local(utc(2026, 11, 1, 6, 30)), local(2026, 11, 1, 1, 30));
  EXPECT_EQ(chicago.to_local(utc(2026, 11, 1, 7, 30)), local(2026, 11, 1, 1, 30));
  EXPECT_EQ(chicago.utc_offset(utc(2026, 11, 1, 6, 59)), hours(-5));
  EXPECT_EQ(chicago.utc_offset(utc(2026, 11, 1, 7, 0)), hours(-6));
}

// 2026-03-29 02:00 CET -> 03:00 CEST (01:00 UTC); 2026-10-25 03:00 CEST -> 02:00 CET.
TEST(TimeZoneTest, BerlinGapAndFold) {
  TimeZone berlin = zone("Europe/Berlin");
  EXPECT_EQ(berlin.to_utc(local(2026, 3, 29, 1, 30)), utc(2026, 3, 29, 0, 30));
  EXPECT_EQ(berlin.to_utc(local(2026, 3, 29, 2, 30)), utc(2026, 3, 29, 1));
  EXPECT_EQ(berlin.to_utc(local(2026, 3, 29, 3, 30)), utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(berlin.to_utc(local(2026, 10, 25, 2, 30)), utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(berlin.to_utc(local(2026, 10, 25, 3, 0)), utc(2026, 10, 25, 2));
  EXPECT_EQ(berlin.to_local(utc(2026, 10, 25, 1, 30)), local(2026, 10, 25, 2, 30));
}

TEST(TimeZoneTest, KolkataHasAHalfHourOffsetAllYear) {
  TimeZone kolkata = zone("Asia/Kolkata");
  EXPECT_EQ(kolkata.utc_offset(utc(2026, 1, 15, 0)), hours(5) + minutes(30));
  EXPECT_EQ(kolkata.utc_offset(utc(2026, 7, 15, 0)), hours(5) + minutes(30));
  EXPECT_EQ(kolkata.to_utc(local(2026, 3, 8, 6)), utc(2026, 3, 8, 0, 30));
  EXPECT_EQ(kolkata.reliable_until(), sys_seconds::max());
}

// Southern hemisphere: AEDT (+11) in January, AEST (+10) in July.
// 2026-04-05 03:00 AEDT -> 02:00 AEST; 2026-10-04 02:00 AEST -> 03:00 AEDT.
TEST(TimeZoneTest, SydneyChangesTheOtherWayRound) {
  TimeZone sydney = zone("Australia/Sydney");
  EXPECT_EQ(sydney.utc_offset(utc(2026, 1, 15, 0)), hours(11));
  EXPECT_EQ(sydney.utc_offset(utc(2026, 7, 15, 0)), hours(10));
  EXPECT_EQ(sydney.to_utc(local(2026, 4, 5, 2, 30)), utc(2026, 4, 4, 15, 30));  // AEDT
  EXPECT_EQ(sydney.to_utc(local(2026, 4, 5, 3, 0)), utc(2026, 4, 4, 17));
  EXPECT_EQ(sydney.to_utc(local(2026, 10, 4, 2, 30)), utc(2026, 10, 3, 16));  // gap
}

// date/tz 3.0.1 ignores the TZif footer, so ongoing DST rules end with the data
// listed up to 2037. This also fails if Debian ever ships "slim" zone files, which
// list no future transitions at all.
TEST(TimeZoneTest, OngoingRulesAreReliableUntil2038) {
  TimeZone chicago = zone("America/Chicago");
  EXPECT_EQ(chicago.reliable_until(), sys_days{year{2038} / 1 / 1});
  EXPECT_EQ(chicago.utc_offset(utc(2037, 7, 1, 12)), hours(-5));
  EXPECT_EQ(zone("Australia/Sydney").reliable_until(), sys_days{year{2038} / 1 / 1});
  EXPECT_EQ(zone("UTC").reliable_until(), sys_seconds::max());
}

TEST(TimeZoneTest, LookupsAndQueriesFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (std::size_t i = 0; i < failures.size(); ++i) {
    threads.emplace_back([&failures, i] {
      for (int n = 0; n < 200; ++n) {
        TimeZoneLookup lookup = find_time_zone(i % 2 == 0 ? "Europe/Berlin" : "Asia/Tokyo");
        if (!lookup.zone || lookup.zone->utc_offset(utc(2026, 7, 1, 0)) != hours(i % 2 ? 9 : 2)) {
          ++failures[i];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace gemba::plant
