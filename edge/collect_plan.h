// What an edge collects: the plant's top-level collect rules, from the templates it is
// given, specialized for its plant and JIT-compiled. One rule per signal: when several
// templates collect the same signal, the shortest period and the smallest deadband win
// and every valid range must hold.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/lower/lowered.h"
#include "edge/sources/source.h"

namespace gemba::jit {
class Jit;
}
namespace gemba::workflow {
struct CompiledVersion;
}

namespace gemba::edge {

struct CollectRule {
  SignalInfo info;  // address, names, kind, unit, period, valid range (shown units)
  double scale = 1, offset = 0;  // value in base units = shown * scale + offset
  double deadband = 0;           // in base units (a difference)
  std::vector<lower::EntryPoint> valid;  // JIT-compiled `valid_...` (base units) -> bool
  std::string valid_text;                // `-20 degC .. 200 degC`, for messages
  std::string subject() const { return info.instance + "." + info.signal; }
};

struct CollectPlan {
  std::vector<CollectRule> rules;
  std::map<std::string, std::size_t> by_address;  // rules with an address
  std::map<std::string, std::size_t> by_subject;  // `kettle2.temperature`
  std::vector<std::string> notes;  // rules left out and why (no address, not constant)
  const CollectRule* find(const std::string& address_or_subject) const;
};

// Builds the plan from a compiled version, adding its modules to `jit` (which must
// outlive the plan). Error text on a JIT failure.
std::unique_ptr<CollectPlan> make_collect_plan(const workflow::CompiledVersion& version,
                                               jit::Jit& jit, std::string* error);

}  // namespace gemba::edge
