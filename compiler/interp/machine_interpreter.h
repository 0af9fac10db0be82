// The reference interpreter of procedure state machines (compiler/lower/machine.h): a
// direct reading of the transition rules, against which the generated transitions are
// tested. Expressions run on the function interpreter (interpreter.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "compiler/interp/interpreter.h"
#include "compiler/lower/lowered.h"

namespace gemba::interp {

class MachineInterpreter {
 public:
  // `module` must pass lower::verify; the interpreter keeps its own copy.
  explicit MachineInterpreter(const lower::Module& module);

  // Machine `machine`'s transition, with the contract of lower::TransitionEntry.
  lower::Fault transition(std::size_t machine, lower::Scalar* frame, const lower::Scalar* signals,
                          const lower::Event& event, lower::Effect* effects,
                          std::uint32_t capacity, std::uint32_t* effect_count,
                          std::uint32_t* fault_site) const;

  std::optional<std::size_t> find(const std::string& name) const;
  const lower::Module& module() const { return functions_.module(); }

 private:
  lower::Fault evaluate(const lower::Expression& e, const lower::Scalar* frame,
                        const lower::Scalar* signals, const lower::Event& event,
                        lower::Scalar* out,
                        std::uint32_t* fault_site) const;

  Interpreter functions_;
};

}  // namespace gemba::interp
