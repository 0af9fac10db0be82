#include "runtime/workflow/executor.h"

namespace gemba::workflow {

std::unique_ptr<Executor> Executor::create(lower::Module module, jit::Jit* jit,
                                           std::mutex* jit_mutex, std::string* error) {
  std::unique_ptr<Executor> out(new Executor());
  out->module_ = std::make_unique<lower::Module>(std::move(module));
  if (jit == nullptr) {
    out->interpreter_ = std::make_unique<interp::MachineInterpreter>(*out->module_);
    return out;
  }
  std::lock_guard<std::mutex> lock(*jit_mutex);
  std::optional<jit::ModuleHandle> handle = jit->add(*out->module_, error);
  if (!handle) return nullptr;
  for (const lower::Machine& machine : out->module_->machines) {
    lower::TransitionEntry entry = jit->lookup_transition(*handle, machine.name);
    if (entry == nullptr) {
      *error = "the JIT has no transition for " + machine.name;
      return nullptr;
    }
    out->entries_.push_back(entry);
  }
  return out;
}

std::optional<std::size_t> Executor::find(const std::string& procedure) const {
  for (std::size_t k = 0; k < module_->machines.size(); ++k) {
    if (module_->machines[k].name == procedure) return k;
  }
  return std::nullopt;
}

lower::Fault Executor::run(std::size_t machine, lower::Scalar* frame, const lower::Scalar* signals,
                           const lower::Event& event, lower::Effect* effects,
                           std::uint32_t capacity, std::uint32_t* count,
                           std::uint32_t* site) const {
  if (interpreter_) {
    return interpreter_->transition(machine, frame, signals, event, effects, capacity, count, site);
  }
  return static_cast<lower::Fault>(
      entries_[machine](frame, signals, &event, effects, capacity, count, site));
}

}  // namespace gemba::workflow
