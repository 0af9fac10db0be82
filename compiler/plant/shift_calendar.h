// A plant's shift pattern: named shifts given as local clock times that repeat every
// day in the plant's time zone, and the real shift instances (UTC intervals) they
// make. The checker validates the pattern; the KPI engine asks which shift an event
// fell in and which shifts a reporting window covers.
//
// Rules that hold for every instance (see TimeZone::to_utc):
// - A shift instance belongs to the local calendar date on which it starts; a shift
//   whose end clock time is earlier than its start (22:00..06:00) ends the next day.
// - Its start and end are the instants at which the local clock shows the start and
//   end times: a time in a spring-forward gap maps to the first instant after the
//   gap, a time in a fall-back fold to the earlier of its two instants. So in
//   America/Chicago a 22:00..06:00 shift lasts 7 h on the spring-forward night and
//   9 h on the fall-back night, and the repeated hour belongs to the shift whose
//   clock range contains it.
// - Instances are half-open [start, end). Those of a valid calendar never overlap,
//   and a shift that ends at the clock time another starts abuts it exactly.
// - A shift lying wholly in a gap (02:00..02:30 on a spring-forward day) does not
//   happen that day: it has no instance.
// - Only dates in the years 1..9998, and the instants within them, have instances.
// - Offsets are only as good as the zone's data: see TimeZone::reliable_until().
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/plant/time_zone.h"

namespace gemba::plant {

inline constexpr int kMinutesPerDay = 24 * 60;

// A shift as the plant model declares it (the checker copies plant::Shift of
// plant_model.h into it; this library stays free of the AST). Clock times are minutes
// of the local day, in [0, kMinutesPerDay). start == end is not allowed: a shift is
// neither empty nor 24 hours long.
struct ShiftDefinition {
  std::string name;
  int start_minute = 0;
  int end_minute = 0;
};

// Why a list of shifts cannot form a calendar. Data, not an exception: the checker
// turns it into a diagnostic at the offending shift's declaration.
struct ShiftProblem {
  enum class Kind {
    kClockOutOfRange,  // a clock time outside 00:00..23:59
    kZeroLength,       // start == end
    kDuplicateName,    // the name of an earlier shift
    kOverlap,          // shares clock time with an earlier shift
  };
  Kind kind = Kind::kZeroLength;
  std::size_t shift_index = 0;             // the offending shift: the later one of a pair
  std::optional<std::size_t> other_index;  // the earlier shift of a pair
  std::string message;                     // names the shifts and clock times involved

  friend bool operator==(const ShiftProblem&, const ShiftProblem&) = default;
};

// Every problem, ordered by shift_index; for one shift, its own problems first, then
// those with earlier shifts in their order. Empty when the shifts form a calendar.
std::vector<ShiftProblem> validate_shifts(const std::vector<ShiftDefinition>& shifts);

// "HH:MM" for a minute of the day in [0, kMinutesPerDay).
std::string format_clock(int minute);

// One occurrence of a shift.
struct ShiftInstance {
  std::size_t shift_index = 0;         // into ShiftCalendar::shifts()
  std::string name;                    // the shift's name
  std::chrono::year_month_day date{};  // the local date on which it starts
  std::chrono::sys_seconds start{};    // its first instant
  std::chrono::sys_seconds end{};      // the first instant after it

  // Real elapsed time, which differs from the clock length across a DST change.
  std::chrono::seconds length() const { return end - start; }

  friend bool operator==(const ShiftInstance&, const ShiftInstance&) = default;
};

struct ShiftCalendarBuild;
ShiftCalendarBuild build_shift_calendar(TimeZone zone, std::vector<ShiftDefinition> shifts);

// A validated shift pattern in one zone. Immutable; safe to share between threads.
// An empty pattern is valid: no instant is in a shift.
class ShiftCalendar {
 public:
  const TimeZone& zone() const { return zone_; }
  const std::vector<ShiftDefinition>& shifts() const { return shifts_; }

  // The instances that start on the local date `date`, ordered by start. Empty for an
  // invalid date or one outside the years 1..9998.
  std::vector<ShiftInstance> shifts_on(std::chrono::year_month_day date) const;

  // The instance with start <= t < end, or none when `t` falls between shifts.
  std::optional<ShiftInstance> shift_at(std::chrono::sys_seconds t) const;

  // The instances that share at least one instant with [from, to), ordered by start;
  // empty when from >= to. Cost grows with the number of days the interval spans.
  std::vector<ShiftInstance> shifts_overlapping(std::chrono::sys_seconds from,
                                                std::chrono::sys_seconds to) const;

 private:
  friend ShiftCalendarBuild build_shift_calendar(TimeZone zone,
                                                 std::vector<ShiftDefinition> shifts);
  ShiftCalendar(TimeZone zone, std::vector<ShiftDefinition> shifts)
      : zone_(zone), shifts_(std::move(shifts)) {}

  // Shift `index` starting on local day `day`; none when it falls wholly in a gap.
  std::optional<ShiftInstance> instance(std::size_t index, std::chrono::local_days day) const;
  // Every instance starting on a day in [first, last], ordered by start.
  std::vector<ShiftInstance> instances(std::chrono::local_days first,
                                       std::chrono::local_days last) const;

  TimeZone zone_;
  std::vector<ShiftDefinition> shifts_;  // invariant: validate_shifts(shifts_) is empty
};

struct ShiftCalendarBuild {
  std::optional<ShiftCalendar> calendar;  // set exactly when `problems` is empty
  std::vector<ShiftProblem> problems;
};

// Validates `shifts` and, when they have no problem, makes the calendar.
ShiftCalendarBuild build_shift_calendar(TimeZone zone, std::vector<ShiftDefinition> shifts);

}  // namespace gemba::plant
