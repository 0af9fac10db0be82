#include "compiler/plant/time_zone.h"

#include <date/tz.h>

#include <algorithm>

namespace gemba::plant {
namespace {

// /usr/share/zoneinfo/localtime: a link to the machine's own zone.
constexpr std::string_view kMachineZone = "localtime";

// The database, or null when it cannot be read (no /usr/share/zoneinfo). The library
// retries on the next call after a failure.
const date::tzdb* database() noexcept {
  try {
    return &date::get_tzdb();
  } catch (...) {  // the library throws std::runtime_error; nothing may escape
    return nullptr;
  }
}

// Not tzdb::locate_zone: Debian's libdate-tz does not export that member (only the
// throwing free function), and an unknown name is not exceptional here.
const date::time_zone* find_zone(const date::tzdb& db, std::string_view name) {
  auto it = std::find_if(db.zones.begin(), db.zones.end(),
                         [name](const date::time_zone& zone) { return zone.name() == name; });
  return it == db.zones.end() ? nullptr : &*it;
}

// The zone's file is read on first use, which may throw; afterwards queries cannot.
bool load(const date::time_zone& zone) noexcept {
  try {
    zone.get_info(std::chrono::sys_seconds{});
    return true;
  } catch (...) {
    return false;
  }
}

TimeZoneLookup failure(TimeZoneLookup::Status status, std::string error) {
  return TimeZoneLookup{.status = status, .zone = std::nullopt, .error = std::move(error)};
}

}  // namespace

const std::string& TimeZone::name() const { return zone_->name(); }

std::chrono::seconds TimeZone::utc_offset(std::chrono::sys_seconds t) const {
  return zone_->get_info(t).offset;
}

std::chrono::local_seconds TimeZone::to_local(std::chrono::sys_seconds t) const {
  return std::chrono::local_seconds{t.time_since_epoch() + utc_offset(t)};
}

std::chrono::sys_seconds TimeZone::to_utc(std::chrono::local_seconds t) const {
  const date::local_seconds local{t.time_since_epoch()};
  const date::local_info info = zone_->get_info(local);
  // In a gap, `first` is the period that ends where the gap starts: its end is the
  // first instant after the gap. In a fold, `first` is the earlier period.
  if (info.result == date::local_info::nonexistent) return info.first.end;
  return std::chrono::sys_seconds{t.time_since_epoch() - info.first.offset};
}

std::chrono::sys_seconds TimeZone::reliable_until() const {
  using std::chrono::sys_days;
  using std::chrono::year;
  // The OS files list transitions of ongoing rules through 2037, so a zone whose last
  // listed transition falls in 2037 is one whose later transitions are missing.
  const std::chrono::sys_seconds last = zone_->get_info(sys_days{year{9999} / 1 / 1}).begin;
  if (last < sys_days{year{2037} / 1 / 1}) return std::chrono::sys_seconds::max();
  return sys_days{year{2038} / 1 / 1};
}

TimeZoneLookup find_time_zone(std::string_view name) {
  const date::tzdb* db = database();
  if (db == nullptr) {
    return failure(TimeZoneLookup::Status::kNoDatabase,
                   "the time zone database (/usr/share/zoneinfo, package tzdata) cannot be read");
  }
  const date::time_zone* zone = name == kMachineZone ? nullptr : find_zone(*db, name);
  if (zone == nullptr) {
    return failure(TimeZoneLookup::Status::kUnknownName,
                   "unknown time zone '" + std::string(name) + "'");
  }
  if (!load(*zone)) {
    return failure(TimeZoneLookup::Status::kNoDatabase,
                   "the data of time zone '" + std::string(name) + "' cannot be read");
  }
  return TimeZoneLookup{.status = TimeZoneLookup::Status::kOk, .zone = TimeZone(zone), .error = {}};
}

std::vector<std::string> time_zone_names() {
  std::vector<std::string> names;
  const date::tzdb* db = database();
  if (db == nullptr) return names;
  names.reserve(db->zones.size());
  for (const date::time_zone& zone : db->zones) {
    if (zone.name() != kMachineZone) names.push_back(zone.name());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace gemba::plant
