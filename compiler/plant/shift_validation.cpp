// validate_shifts (declared in shift_calendar.h): the checks on a declared shift list.
#include "compiler/plant/shift_calendar.h"

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gemba::plant {
namespace {

// The minutes of the clock day a shift covers; bit m is the minute [m, m + 1).
using ClockSet = std::bitset<kMinutesPerDay>;

// A half-open range of clock time; end < start runs over midnight.
struct ClockRange {
  int start;
  int end;
};

bool is_clock_time(int minute) { return minute >= 0 && minute < kMinutesPerDay; }

// Precondition: both clock times are in range and differ.
ClockSet minutes_of(const ShiftDefinition& shift) {
  ClockSet set;
  for (int m = shift.start_minute; m != shift.end_minute; m = (m + 1) % kMinutesPerDay) {
    set.set(static_cast<std::size_t>(m));
  }
  return set;
}

bool covers(const ClockSet& set, int minute) {
  return set.test(static_cast<std::size_t>((minute + kMinutesPerDay) % kMinutesPerDay));
}

// The maximal runs of `set`, in clock order; a run through midnight is one range
// (23:00..01:00). Precondition: `set` is neither empty nor full.
std::vector<ClockRange> runs_of(const ClockSet& set) {
  int origin = 0;  // a minute outside the set, so that no run straddles the origin
  while (covers(set, origin)) ++origin;
  std::vector<ClockRange> runs;
  for (int k = 1; k <= kMinutesPerDay; ++k) {
    const int m = (origin + k) % kMinutesPerDay;
    if (covers(set, m) && !covers(set, m - 1)) runs.push_back({m, m});
    if (covers(set, m) && !covers(set, m + 1)) runs.back().end = (m + 1) % kMinutesPerDay;
  }
  std::sort(runs.begin(), runs.end(),
            [](const ClockRange& a, const ClockRange& b) { return a.start < b.start; });
  return runs;
}

std::string quoted(const ShiftDefinition& shift) { return "`" + shift.name + "`"; }

std::string describe(const ShiftDefinition& shift) {
  return "shift " + quoted(shift) + " (" + format_clock(shift.start_minute) + ".." +
         format_clock(shift.end_minute) + ")";
}

bool is_well_formed(const ShiftDefinition& shift) {
  return is_clock_time(shift.start_minute) && is_clock_time(shift.end_minute) &&
         shift.start_minute != shift.end_minute;
}

std::optional<ShiftProblem> own_problem(const ShiftDefinition& shift, std::size_t index) {
  if (!is_clock_time(shift.start_minute) || !is_clock_time(shift.end_minute)) {
    return ShiftProblem{ShiftProblem::Kind::kClockOutOfRange, index, std::nullopt,
                        "shift " + quoted(shift) + " has a clock time outside 00:00..23:59"};
  }
  if (shift.start_minute == shift.end_minute) {
    return ShiftProblem{ShiftProblem::Kind::kZeroLength, index, std::nullopt,
                        "shift " + quoted(shift) + " starts and ends at " +
                            format_clock(shift.start_minute) +
                            ": a shift can be neither empty nor 24 hours long"};
  }
  return std::nullopt;
}

std::optional<ShiftProblem> overlap(const std::vector<ShiftDefinition>& shifts, std::size_t earlier,
                                    std::size_t later) {
  const ShiftDefinition& a = shifts[earlier];
  const ShiftDefinition& b = shifts[later];
  if (!is_well_formed(a) || !is_well_formed(b)) return std::nullopt;
  const ClockSet common = minutes_of(a) & minutes_of(b);
  if (common.none()) return std::nullopt;
  std::string message = describe(b) + " overlaps " + describe(a);
  const char* separator = " from ";
  for (const ClockRange& run : runs_of(common)) {
    message += separator + format_clock(run.start) + " to " + format_clock(run.end);
    separator = " and from ";
  }
  return ShiftProblem{ShiftProblem::Kind::kOverlap, later, earlier, std::move(message)};
}

std::optional<ShiftProblem> duplicate_name(const std::vector<ShiftDefinition>& shifts,
                                           std::size_t earlier, std::size_t later) {
  if (shifts[earlier].name != shifts[later].name) return std::nullopt;
  return ShiftProblem{ShiftProblem::Kind::kDuplicateName, later, earlier,
                      "a shift named " + quoted(shifts[later]) + " is already declared"};
}

}  // namespace

std::string format_clock(int minute) {
  char text[32];  // room for any int, so the compiler sees no truncation
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

std::vector<ShiftProblem> validate_shifts(const std::vector<ShiftDefinition>& shifts) {
  std::vector<ShiftProblem> problems;
  auto add = [&problems](std::optional<ShiftProblem> problem) {
    if (problem) problems.push_back(std::move(*problem));
  };
  for (std::size_t later = 0; later < shifts.size(); ++later) {
    add(own_problem(shifts[later], later));
    for (std::size_t earlier = 0; earlier < later; ++earlier) {
      add(duplicate_name(shifts, earlier, later));
      add(overlap(shifts, earlier, later));
    }
  }
  return problems;
}

}  // namespace gemba::plant
