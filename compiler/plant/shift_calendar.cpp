#include "compiler/plant/shift_calendar.h"

#include <algorithm>
#include <utility>

namespace gemba::plant {
namespace {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::sys_days;
using std::chrono::sys_seconds;
using std::chrono::year;

// The dates that have instances: a day of margin inside TimeZone's years 1..9999.
constexpr year kFirstYear{1};
constexpr year kLastYear{9998};
constexpr sys_days kFirstDay{kFirstYear / 1 / 2};
constexpr sys_days kEndDay{kLastYear / 12 / 31};

bool in_domain(local_days day) {
  const year y = std::chrono::year_month_day(day).year();
  return y >= kFirstYear && y <= kLastYear;
}

sys_seconds clamp_to_domain(sys_seconds t) {
  return std::clamp(t, sys_seconds{kFirstDay}, sys_seconds{kEndDay});
}

local_days local_day_of(const TimeZone& zone, sys_seconds t) {
  return std::chrono::floor<days>(zone.to_local(t));
}

bool by_start(const ShiftInstance& a, const ShiftInstance& b) { return a.start < b.start; }

}  // namespace

ShiftCalendarBuild build_shift_calendar(TimeZone zone, std::vector<ShiftDefinition> shifts) {
  ShiftCalendarBuild build;
  build.problems = validate_shifts(shifts);
  if (build.problems.empty()) build.calendar = ShiftCalendar(zone, std::move(shifts));
  return build;
}

std::optional<ShiftInstance> ShiftCalendar::instance(std::size_t index, local_days day) const {
  const ShiftDefinition& shift = shifts_[index];
  const std::chrono::local_seconds start = day + std::chrono::minutes(shift.start_minute);
  std::chrono::local_seconds end = day + std::chrono::minutes(shift.end_minute);
  if (shift.end_minute < shift.start_minute) end += days(1);
  ShiftInstance result{.shift_index = index,
                       .name = shift.name,
                       .date = std::chrono::year_month_day(day),
                       .start = zone_.to_utc(start),
                       .end = zone_.to_utc(end)};
  if (result.end <= result.start) return std::nullopt;  // wholly in a gap
  return result;
}

std::vector<ShiftInstance> ShiftCalendar::instances(local_days first, local_days last) const {
  std::vector<ShiftInstance> result;
  for (local_days day = first; day <= last; day += days(1)) {
    if (!in_domain(day)) continue;
    for (std::size_t i = 0; i < shifts_.size(); ++i) {
      if (std::optional<ShiftInstance> found = instance(i, day)) result.push_back(*found);
    }
  }
  std::sort(result.begin(), result.end(), by_start);
  return result;
}

std::vector<ShiftInstance> ShiftCalendar::shifts_on(std::chrono::year_month_day date) const {
  if (!date.ok()) return {};
  return instances(local_days(date), local_days(date));
}

std::optional<ShiftInstance> ShiftCalendar::shift_at(sys_seconds t) const {
  if (t != clamp_to_domain(t)) return std::nullopt;
  // An instance that contains `t` starts on t's local day or the day before: shifts
  // last less than a clock day, and to_utc(to_local(t)) <= t.
  const local_days day = local_day_of(zone_, t);
  for (const ShiftInstance& candidate : instances(day - days(1), day)) {
    if (candidate.start <= t && t < candidate.end) return candidate;
  }
  return std::nullopt;
}

std::vector<ShiftInstance> ShiftCalendar::shifts_overlapping(sys_seconds from,
                                                             sys_seconds to) const {
  from = clamp_to_domain(from);
  to = clamp_to_domain(to);
  if (from >= to) return {};
  // One day of margin on each side covers shifts running over midnight and local
  // days that a fall-back change makes overlap.
  std::vector<ShiftInstance> result =
      instances(local_day_of(zone_, from) - days(1), local_day_of(zone_, to) + days(1));
  std::erase_if(result, [from, to](const ShiftInstance& instance) {
    return instance.end <= from || instance.start >= to;
  });
  return result;
}

}  // namespace gemba::plant
