#include "compiler/plant/shift_calendar.h"

#include <gtest/gtest.h>

namespace gemba::plant {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;
using std::chrono::year;
using std::chrono::year_month_day;

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return sys_days{year{y} / m / d} + hours(hh) + minutes(mm);
}

year_month_day day(int y, unsigned m, unsigned d) { return year{y} / m / d; }

ShiftDefinition shift(std::string name, int start_hour, int end_hour, int start_min = 0,
                      int end_min = 0) {
  return {std::move(name), start_hour * 60 + start_min, end_hour * 60 + end_min};
}

// A 06:00..14:00, B 14:00..22:00, C 22:00..06:00.
std::vector<ShiftDefinition> three_shifts() {
  return {shift("A", 6, 14), shift("B", 14, 22), shift("C", 22, 6)};
}

ShiftCalendar calendar(std::string_view zone_name, std::vector<ShiftDefinition> shifts) {
  TimeZoneLookup lookup = find_time_zone(zone_name);
  EXPECT_TRUE(lookup.zone.has_value()) << lookup.error;
  ShiftCalendarBuild build = build_shift_calendar(*lookup.zone, std::move(shifts));
  EXPECT_TRUE(build.problems.empty()) << build.problems.front().message;
  return std::move(build.calendar).value();
}

// The one instance of `name` starting on `date`.
ShiftInstance only(const ShiftCalendar& cal, year_month_day date, std::string_view name) {
  std::vector<ShiftInstance> found = cal.shifts_on(date);
  std::erase_if(found, [name](const ShiftInstance& i) { return i.name != name; });
  EXPECT_EQ(found.size(), 1u) << name;
  return found.empty() ? ShiftInstance{} : found.front();
}

void expect_instance(const ShiftInstance& instance, sys_seconds start, sys_seconds end) {
  EXPECT_EQ(instance.start, start) << instance.name;
  EXPECT_EQ(instance.end, end) << instance.name;
  EXPECT_EQ(instance.length(), end - start) << instance.name;
}

// ---- Instances of one date -----------------------------------------------------

TEST(ShiftCalendarTest, AnOrdinaryWinterDayInChicago) {
  ShiftCalendar cal = calendar("America/Chicago", three_shifts());
  std::vector<ShiftInstance> instances = cal.shifts_on(day(2026, 1, 15));
  ASSERT_EQ(instances.size(), 3u);
  EXPECT_EQ(instances[0],
            (ShiftInstance{0, "A", day(2026, 1, 15), utc(2026, 1, 15, 12), utc(2026, 1, 15, 20)}));
  EXPECT_EQ(instances[1],
            (ShiftInstance{1, "B", day(2026, 1, 15), utc(2026, 1, 15, 20), utc(2026, 1, 16, 4)}));
  EXPECT_EQ(instances[2],
            (ShiftInstance{2, "C", day(2026, 1, 15), utc(2026, 1, 16, 4), utc(2026, 1, 16, 12)}));
  for (const ShiftInstance& instance : instances) EXPECT_EQ(instance.length(), hours(8));
}

TEST(ShiftCalendarTest, ChicagoSpringForwardNightShiftIsSevenHours) {
  ShiftCalendar cal = calendar("America/Chicago", three_shifts());
  ShiftInstance night = only(cal, day(2026, 3, 7), "C");  // 22:00 CST .. 06:00 CDT
  expect_instance(night, utc(2026, 3, 8, 4), utc(2026, 3, 8, 11));
  EXPECT_EQ(night.length(), hours(7));
  EXPECT_EQ(night.date, day(2026, 3, 7));
  expect_instance(only(cal, day(2026, 3, 8), "A"), utc(2026, 3, 8, 11), utc(2026, 3, 8, 19));
  expect_instance(only(cal, day(2026, 3, 8), "B"), utc(2026, 3, 8, 19), utc(2026, 3, 9, 3));
  expect_instance(only(cal, day(2026, 3, 8), "C"), utc(2026, 3, 9, 3), utc(2026, 3, 9, 11));
}

TEST(ShiftCalendarTest, ChicagoFallBackNightShiftIsNineHours) {
  ShiftCalendar cal = calendar("America/Chicago", three_shifts());
  expect_instance(only(cal, day(2026, 10, 31), "B"), utc(2026, 10, 31, 19), utc(2026, 11, 1, 3));
  ShiftInstance night = only(cal, day(2026, 10, 31), "C");  // 22:00 CDT .. 06:00 CST
  expect_instance(night, utc(2026, 11, 1, 3), utc(2026, 11, 1, 12));
  EXPECT_EQ(night.length(), hours(9));
  expect_instance(only(cal, day(2026, 11, 1), "A"), utc(2026, 11, 1, 12), utc(2026, 11, 1, 20));
}

TEST(ShiftCalendarTest, BerlinNightShiftsAcrossBothChanges) {
  ShiftCalendar cal = calendar("Europe/Berlin", three_shifts());
  ShiftInstance spring = only(cal, day(2026, 3, 28), "C");  // 22:00 CET .. 06:00 CEST
  expect_instance(spring, utc(2026, 3, 28, 21), utc(2026, 3, 29, 4));
  EXPECT_EQ(spring.length(), hours(7));
  ShiftInstance autumn = only(cal, day(2026, 10, 24), "C");  // 22:00 CEST .. 06:00 CET
  expect_instance(autumn, utc(2026, 10, 24, 20), utc(2026, 10, 25, 5));
  EXPECT_EQ(autumn.length(), hours(9));
  expect_instance(only(cal, day(2026, 3, 29), "A"), utc(2026, 3, 29, 4), utc(2026, 3, 29, 12));
}

TEST(ShiftCalendarTest, KolkataShiftsAreAlwaysEightHours) {
  ShiftCalendar cal = calendar("Asia/Kolkata", three_shifts());
  expect_instance(only(cal, day(2026, 3, 8), "A"), utc(2026, 3, 8, 0, 30), utc(2026, 3, 8, 8, 30));
  expect_instance(only(cal, day(2026, 3, 8), "C"), utc(2026, 3, 8, 16, 30), utc(2026, 3, 9, 0, 30));
  expect_instance(only(cal, day(2026, 11, 1), "C"), utc(2026, 11, 1, 16, 30),
                  utc(2026, 11, 2, 0, 30));
}

// AEDT (+11) ends on 2026-04-05 and starts again on 2026-10-04.
TEST(ShiftCalendarTest, SydneyNightShiftsAcrossBothChanges) {
  ShiftCalendar cal = calendar("Australia/Sydney", three_shifts());
  ShiftInstance autumn = only(cal, day(2026, 4, 4), "C");  // 22:00 AEDT .. 06:00 AEST
  expect_instance(autumn, utc(2026, 4, 4, 11), utc(2026, 4, 4, 20));
  EXPECT_EQ(autumn.length(), hours(9));
  ShiftInstance spring = only(cal, day(2026, 10, 3), "C");  // 22:00 AEST .. 06:00 AEDT
  expect_instance(spring, utc(2026, 10, 3, 12), utc(2026, 10, 3, 19));
  EXPECT_EQ(spring.length(), hours(7));
}

TEST(ShiftCalendarTest, AStartInTheGapBeginsRightAfterIt) {
  ShiftCalendar chicago = calendar("America/Chicago", {shift("N", 2, 10, 30, 30)});
  expect_instance(only(chicago, day(2026, 3, 8), "N"), utc(2026, 3, 8, 8), utc(2026, 3, 8, 15, 30));
  ShiftCalendar berlin = calendar("Europe/Berlin", {shift("N", 2, 10, 30, 30)});
  expect_instance(only(berlin, day(2026, 3, 29), "N"), utc(2026, 3, 29, 1),
                  utc(2026, 3, 29, 8, 30));
}

TEST(ShiftCalendarTest, AnEndInTheGapIsTheFirstInstantAfterIt) {
  ShiftCalendar cal = calendar("America/Chicago", {shift("Late", 20, 2, 0, 30)});
  ShiftInstance late = only(cal, day(2026, 3, 7), "Late");  // 20:00 CST .. 03:00 CDT
  expect_instance(late, utc(2026, 3, 8, 2), utc(2026, 3, 8, 8));
  EXPECT_EQ(late.length(), hours(6));
}

TEST(ShiftCalendarTest, AnAmbiguousStartTakesTheEarlierInstant) {
  ShiftCalendar chicago = calendar("America/Chicago", {shift("M", 1, 9, 30, 30)});
  ShiftInstance m = only(chicago, day(2026, 11, 1), "M");  // 01:30 CDT .. 09:30 CST
  expect_instance(m, utc(2026, 11, 1, 6, 30), utc(2026, 11, 1, 15, 30));
  EXPECT_EQ(m.length(), hours(9));
  ShiftCalendar berlin = calendar("Europe/Berlin", {shift("M", 2, 10, 30, 30)});
  expect_instance(only(berlin, day(2026, 10, 25), "M"), utc(2026, 10, 25, 0, 30),
                  utc(2026, 10, 25, 9, 30));
}

TEST(ShiftCalendarTest, AShiftWhollyInTheGapDoesNotHappenThatDay) {
  ShiftCalendar cal = calendar("America/Chicago", {shift("Ghost", 2, 2, 0, 45)});
  EXPECT_TRUE(cal.shifts_on(day(2026, 3, 8)).empty());
  EXPECT_EQ(cal.shifts_on(day(2026, 3, 9)).size(), 1u);
  EXPECT_EQ(cal.shifts_on(day(2026, 11, 1)).front().length(), minutes(45));
}

TEST(ShiftCalendarTest, InvalidOrFarOffDatesHaveNoInstances) {
  ShiftCalendar cal = calendar("UTC", three_shifts());
  EXPECT_TRUE(cal.shifts_on(day(2026, 2, 30)).empty());
  EXPECT_TRUE(cal.shifts_on(year{-5} / 1 / 1).empty());
  EXPECT_EQ(cal.shifts_on(day(2026, 2, 28)).size(), 3u);
}

// Over a whole year, in every test zone, A B C tile time without gaps or overlaps.
TEST(ShiftCalendarTest, ContiguousShiftsTileTheWholeYear) {
  for (const char* zone :
       {"America/Chicago", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"}) {
    ShiftCalendar cal = calendar(zone, three_shifts());
    std::vector<ShiftInstance> year_2026 =
        cal.shifts_overlapping(utc(2026, 1, 1, 0), utc(2027, 1, 1, 0));
    ASSERT_GE(year_2026.size(), 3u * 365);
    seconds total{0};
    for (std::size_t i = 1; i < year_2026.size(); ++i) {
      EXPECT_EQ(year_2026[i - 1].end, year_2026[i].start) << zone << " #" << i;
      EXPECT_EQ(year_2026[i].shift_index, (year_2026[i - 1].shift_index + 1) % 3) << zone;
      total += year_2026[i].length();
    }
    EXPECT_EQ(year_2026.back().end - year_2026.front().start, total + year_2026[0].length());
  }
}

// ---- The instance containing an instant ---------------------------------------

TEST(ShiftCalendarTest, ShiftAtFindsTheInstanceHalfOpen) {
  ShiftCalendar cal = calendar("America/Chicago", three_shifts());
  std::optional<ShiftInstance> at = cal.shift_at(utc(2026, 3, 8, 11));
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->name, "A");
  EXPECT_EQ(at->date, day(2026, 3, 8));
  at = cal.shift_at(utc(2026, 3, 8, 11) - seconds(1));
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->name, "C");
  EXPECT_EQ(at->date, day(2026, 3, 7));
}

TEST(ShiftCalendarTest, TheRepeatedHourBelongsToTheNightShift) {
  ShiftCalendar cal = calendar("America/Chicago", three_shifts());
  for (sys_seconds t : {utc(2026, 11, 1, 6, 30), utc(2026, 11, 1, 7, 30)}) {  // 01:30 twice
    std::optional<ShiftInstance> at = cal.shift_at(t);
    ASSERT_TRUE(at.has_value());
    EXPECT_EQ(at->name, "C");
    EXPECT_EQ(at->date, day(2026, 10, 31));
  }
}

TEST(ShiftCalendarTest, NoShiftBetweenShifts) {
  ShiftCalendar cal = calendar("Europe/Berlin", {shift("A", 6, 14), shift("B", 14, 22)});
  EXPECT_FALSE(cal.shift_at(utc(2026, 7, 1, 21)).has_value());     // 23:00 CEST
  EXPECT_FALSE(cal.shift_at(utc(2026, 7, 1, 3, 59)).has_value());  // 05:59 CEST
  ASSERT_TRUE(cal.shift_at(utc(2026, 7, 1, 4)).has_value());
  EXPECT_EQ(cal.shift_at(utc(2026, 7, 1, 4))->name, "A");
  EXPECT_FALSE(cal.shift_at(utc(2026, 7, 1, 20)).has_value());  // B's end is exclusive
}

TEST(ShiftCalendarTest, AMidnightShiftHoldsInstantsOfTheNextDate) {
  ShiftCalendar cal = calendar("Asia/Kolkata", {shift("Night", 20, 4)});
  std::optional<ShiftInstance> at = cal.shift_at(utc(2026, 5, 1, 19, 30));  // 05-02 01:00 IST
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->date, day(2026, 5, 1));
  expect_instance(*at, utc(2026, 5, 1, 14, 30), utc(2026, 5, 1, 22, 30));
}

TEST(ShiftCalendarTest, AnEmptyCalendarHasNoShifts) {
  ShiftCalendar cal = calendar("UTC", {});
  EXPECT_FALSE(cal.shift_at(utc(2026, 1, 1, 12)).has_value());
  EXPECT_TRUE(cal.shifts_on(day(2026, 1, 1)).empty());
  EXPECT_TRUE(cal.shifts_overlapping(utc(2026, 1, 1, 0), utc(2026, 2, 1, 0)).empty());
}

TEST(ShiftCalendarTest, FarOffInstantsAreInNoShift) {
  ShiftCalendar cal = calendar("UTC", three_shifts());
  EXPECT_FALSE(cal.shift_at(sys_seconds::max()).has_value());
  EXPECT_FALSE(cal.shift_at(sys_seconds::min()).has_value());
}

// ---- Instances overlapping an interval ----------------------------------------

TEST(ShiftCalendarTest, OverlappingAnIntervalIsHalfOpenOnBothSides) {
  ShiftCalendar cal = calendar("America/Chicago", three_shifts());
  // C of 03-07 ends at 11:00 UTC; B of 03-08 starts at 19:00 UTC.
  std::vector<ShiftInstance> found =
      cal.shifts_overlapping(utc(2026, 3, 8, 10), utc(2026, 3, 8, 20));
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "C");
  EXPECT_EQ(found[0].date, day(2026, 3, 7));
  EXPECT_EQ(found[1].name, "A");
  EXPECT_EQ(found[2].name, "B");
  found = cal.shifts_overlapping(utc(2026, 3, 8, 11), utc(2026, 3, 8, 19));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "A");
}

TEST(ShiftCalendarTest, AnEmptyOrReversedIntervalOverlapsNothing) {
  ShiftCalendar cal = calendar("America/Chicago", three_shifts());
  EXPECT_TRUE(cal.shifts_overlapping(utc(2026, 3, 8, 12), utc(2026, 3, 8, 12)).empty());
  EXPECT_TRUE(cal.shifts_overlapping(utc(2026, 3, 9, 0), utc(2026, 3, 8, 0)).empty());
}

TEST(ShiftCalendarTest, AWeekHasTwentyOneShiftsAndItsEdgeShifts) {
  ShiftCalendar cal = calendar("Europe/Berlin", three_shifts());
  // Monday 2026-03-23 06:00 CET to Monday 2026-03-30 06:00 CEST, across the change.
  std::vector<ShiftInstance> week =
      cal.shifts_overlapping(utc(2026, 3, 23, 5), utc(2026, 3, 30, 4));
  ASSERT_EQ(week.size(), 21u);
  EXPECT_EQ(week.front().name, "A");
  EXPECT_EQ(week.back().name, "C");
  EXPECT_EQ(week.back().date, day(2026, 3, 29));
}

// ---- Validation ---------------------------------------------------------------

ShiftProblem only_problem(const std::vector<ShiftDefinition>& shifts) {
  std::vector<ShiftProblem> problems = validate_shifts(shifts);
  EXPECT_EQ(problems.size(), 1u);
  return problems.empty() ? ShiftProblem{} : problems.front();
}

TEST(ShiftCalendarValidationTest, AValidPatternHasNoProblems) {
  EXPECT_TRUE(validate_shifts(three_shifts()).empty());
  EXPECT_TRUE(validate_shifts({shift("A", 6, 14), shift("B", 15, 23)}).empty());  // gaps
  EXPECT_TRUE(validate_shifts({}).empty());
}

TEST(ShiftCalendarValidationTest, OverlapNamesBothShiftsAndTheClockRange) {
  ShiftProblem problem = only_problem({shift("A", 6, 14), shift("B", 14, 22), shift("C", 21, 6)});
  EXPECT_EQ(problem.kind, ShiftProblem::Kind::kOverlap);
  EXPECT_EQ(problem.shift_index, 2u);
  EXPECT_EQ(problem.other_index, 1u);
  EXPECT_EQ(problem.message,
            "shift `C` (21:00..06:00) overlaps shift `B` (14:00..22:00) from 21:00 to 22:00");
}

TEST(ShiftCalendarValidationTest, OverlapAcrossMidnight) {
  ShiftProblem problem = only_problem({shift("C", 22, 6), shift("A", 5, 13)});
  EXPECT_EQ(problem.message,
            "shift `A` (05:00..13:00) overlaps shift `C` (22:00..06:00) from 05:00 to 06:00");
  problem = only_problem({shift("C", 22, 2), shift("N", 23, 1)});
  EXPECT_EQ(problem.message,
            "shift `N` (23:00..01:00) overlaps shift `C` (22:00..02:00) from 23:00 to 01:00");
}

TEST(ShiftCalendarValidationTest, OverlapInTwoPieces) {
  ShiftProblem problem = only_problem({shift("Night", 20, 8), shift("Day", 6, 22)});
  EXPECT_EQ(problem.message,
            "shift `Day` (06:00..22:00) overlaps shift `Night` (20:00..08:00) from 06:00 to "
            "08:00 and from 20:00 to 22:00");
}

TEST(ShiftCalendarValidationTest, ZeroLengthShift) {
  ShiftProblem problem = only_problem({shift("A", 6, 14), shift("X", 6, 6, 30, 30)});
  EXPECT_EQ(problem.kind, ShiftProblem::Kind::kZeroLength);
  EXPECT_EQ(problem.shift_index, 1u);
  EXPECT_EQ(problem.other_index, std::nullopt);
  EXPECT_EQ(problem.message,
            "shift `X` starts and ends at 06:30: a shift can be neither empty nor 24 hours long");
}

TEST(ShiftCalendarValidationTest, ClockTimeOutOfRange) {
  std::vector<ShiftProblem> problems =
      validate_shifts({{"Late", 22 * 60, 24 * 60}, {"Early", -1, 60}, shift("A", 6, 14)});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].kind, ShiftProblem::Kind::kClockOutOfRange);
  EXPECT_EQ(problems[0].shift_index, 0u);
  EXPECT_EQ(problems[0].message, "shift `Late` has a clock time outside 00:00..23:59");
  EXPECT_EQ(problems[1].shift_index, 1u);
}

TEST(ShiftCalendarValidationTest, DuplicateNames) {
  ShiftProblem problem = only_problem({shift("A", 6, 14), shift("A", 14, 22)});
  EXPECT_EQ(problem.kind, ShiftProblem::Kind::kDuplicateName);
  EXPECT_EQ(problem.shift_index, 1u);
  EXPECT_EQ(problem.other_index, 0u);
  EXPECT_EQ(problem.message, "a shift named `A` is already declared");
}

TEST(ShiftCalendarValidationTest, ProblemsComeInShiftOrder) {
  std::vector<ShiftProblem> problems =
      validate_shifts({shift("A", 6, 14), shift("B", 13, 22), shift("A", 21, 7), shift("Z", 3, 3)});
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[0].kind, ShiftProblem::Kind::kOverlap);        // B with A
  EXPECT_EQ(problems[1].kind, ShiftProblem::Kind::kDuplicateName);  // A again
  EXPECT_EQ(problems[2].kind, ShiftProblem::Kind::kOverlap);        // A2 with A (06:00..07:00)
  EXPECT_EQ(problems[3].kind, ShiftProblem::Kind::kOverlap);        // A2 with B (21:00..22:00)
  EXPECT_EQ(problems[4].kind, ShiftProblem::Kind::kZeroLength);
}

TEST(ShiftCalendarValidationTest, BuildRefusesAnInvalidPattern) {
  ShiftCalendarBuild build =
      build_shift_calendar(*find_time_zone("UTC").zone, {shift("A", 6, 14), shift("B", 13, 22)});
  EXPECT_FALSE(build.calendar.has_value());
  ASSERT_EQ(build.problems.size(), 1u);
  EXPECT_EQ(build.problems[0].kind, ShiftProblem::Kind::kOverlap);
}

TEST(ShiftCalendarValidationTest, FormatClock) {
  EXPECT_EQ(format_clock(0), "00:00");
  EXPECT_EQ(format_clock(6 * 60 + 5), "06:05");
  EXPECT_EQ(format_clock(kMinutesPerDay - 1), "23:59");
}

}  // namespace
}  // namespace gemba::plant
