// IANA time zones ("America/Chicago") from the operating system's database: the
// tzdata package's /usr/share/zoneinfo, read through Howard Hinnant's date/tz library
// (Debian's libhowardhinnant-date-dev, built with USE_OS_TZDB). GCC 12's libstdc++
// has no std::chrono::tzdb.
//
// No function here throws. Every function is safe to call from several threads.
// Instants and local times passed in must lie within the years 1..9999.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}  // namespace date

namespace gemba::plant {

struct TimeZoneLookup;
TimeZoneLookup find_time_zone(std::string_view name);

// One zone. A small value: copies share the process-wide zone data, which lives
// until the process ends.
class TimeZone {
 public:
  const std::string& name() const;

  // The offset from UTC in effect at `t` (local = UTC + offset).
  std::chrono::seconds utc_offset(std::chrono::sys_seconds t) const;

  // The local clock time at `t`.
  std::chrono::local_seconds to_local(std::chrono::sys_seconds t) const;

  // The instant at which the local clock shows `t`. Two rules make this total:
  // - a local time that does not exist (in the gap of a spring-forward change, e.g.
  //   02:30 on 2026-03-08 in America/Chicago) maps to the first instant after the
  //   gap (03:00 CDT, 08:00 UTC);
  // - a local time that occurs twice (in the fold of a fall-back change, e.g. 01:30
  //   on 2026-11-01 in America/Chicago) maps to the earlier instant (01:30 CDT,
  //   06:30 UTC).
  // Both rules keep the mapping non-decreasing: a later local time never maps to an
  // earlier instant.
  std::chrono::sys_seconds to_utc(std::chrono::local_seconds t) const;

  // Answers for instants before this one are as good as the tzdata package. The OS
  // files list each transition explicitly only up to 2037; the rule for later years
  // sits in a footer that date/tz 3.0.1 ignores (upstream issue #760), so for a zone
  // that still changes its clocks every year the offsets from 2038-01-01T00:00Z on
  // stay at the last listed one. Zones whose rules stopped changing before 2037
  // (Asia/Kolkata) are good forever: sys_seconds::max().
  std::chrono::sys_seconds reliable_until() const;

  friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.zone_ == b.zone_; }

 private:
  friend TimeZoneLookup find_time_zone(std::string_view name);
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}

  const date::time_zone* zone_;  // never null; owned by the library's database
};

struct TimeZoneLookup {
  enum class Status {
    kOk,
    kUnknownName,  // no zone of that name: a user's mistake, not a failure
    kNoDatabase,   // the zone database (or this zone's file) cannot be read
  };
  Status status = Status::kOk;
  std::optional<TimeZone> zone;  // set exactly when kOk
  std::string error;             // why not, otherwise
};

// Looks up a zone by its exact, case-sensitive IANA name, including the backward-
// compatible aliases the OS installs ("US/Central"). "localtime" is rejected: it names
// whatever zone the machine is set to, and a plant model must not depend on that.
// On kOk the zone's data is already loaded, so no later query can fail.
TimeZoneLookup find_time_zone(std::string_view name);

// Every name find_time_zone accepts, sorted; empty when the database cannot be read.
// For "did you mean" suggestions (see diag::closest_name).
std::vector<std::string> time_zone_names();

}  // namespace gemba::plant
