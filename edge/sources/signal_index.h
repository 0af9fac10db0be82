// The signals an edge collects, found by what a source receives: the address as written
// in the plant model, or `instance.signal` (replay files may use either).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edge/sources/source.h"

namespace gemba::edge {

class SignalIndex {
 public:
  explicit SignalIndex(const std::vector<SignalInfo>& signals);

  // By address first, then by `instance.signal`; nullptr when neither is known.
  const SignalInfo* find(std::string_view name) const;
  bool empty() const { return signals_.empty(); }

 private:
  std::vector<SignalInfo> signals_;
  std::unordered_map<std::string, std::size_t> by_address_;
  std::unordered_map<std::string, std::size_t> by_name_;
};

}  // namespace gemba::edge
