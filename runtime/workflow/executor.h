// Runs the transitions of one compiled module's procedures: the JIT's generated code,
// or the reference interpreter. Transitions are pure functions of their arguments, so
// run() may be called from several threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interp/machine_interpreter.h"
#include "compiler/jit/jit.h"
#include "compiler/lower/lowered.h"

namespace gemba::workflow {

class Executor {
 public:
  // Compiles `module` with `jit` (guarded by `jit_mutex`: a Jit is not thread-safe), or
  // prepares the interpreter when `jit` is null. Null and error text on failure.
  static std::unique_ptr<Executor> create(lower::Module module, jit::Jit* jit,
                                          std::mutex* jit_mutex, std::string* error);

  const lower::Module& module() const { return *module_; }
  std::optional<std::size_t> find(const std::string& procedure) const;

  // lower::TransitionEntry's contract, for machine `machine` of the module.
  lower::Fault run(std::size_t machine, lower::Scalar* frame, const lower::Scalar* signals,
                   const lower::Event& event, lower::Effect* effects, std::uint32_t capacity,
                   std::uint32_t* count, std::uint32_t* site) const;

 private:
  Executor() = default;
  std::unique_ptr<lower::Module> module_;
  std::unique_ptr<interp::MachineInterpreter> interpreter_;  // when there is no JIT
  std::vector<lower::TransitionEntry> entries_;              // by machine, with the JIT
};

}  // namespace gemba::workflow
