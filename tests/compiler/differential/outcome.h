// What one call of a lowered function gives, in a form two executors can be compared by:
// the fault and its site, or the result's bits. Shared by the differential tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "compiler/lower/lowered.h"

namespace gemba::testing {

struct Outcome {
  std::int32_t fault = 0;
  std::uint64_t bits = 0;  // the result's bits, when there is no fault
  std::uint32_t site = 0;  // the faulting node, when there is a fault
  bool operator==(const Outcome&) const = default;
};

inline std::string show(const Outcome& o) {
  return o.fault != 0 ? "fault " + std::to_string(o.fault) + " at n" + std::to_string(o.site)
                      : "bits " + std::to_string(o.bits);
}

// The bits a result of `type` carries: a bool is one byte, the rest unspecified.
inline std::uint64_t bits_of(const lower::Scalar& value, lower::Type type) {
  if (type == lower::Type::kBool) return value.b ? 1 : 0;
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

inline Outcome outcome_of(std::int32_t fault, const lower::Scalar& result, std::uint32_t site,
                          lower::Type type) {
  Outcome o{fault};
  if (fault == 0) {
    o.bits = bits_of(result, type);
  } else {
    o.site = site;
  }
  return o;
}

}  // namespace gemba::testing
