// Test support: drives one procedure instance through a transition function (the
// reference interpreter's or the JIT's) and records what it emitted, by point kind.
#pragma once

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "compiler/lower/lowered.h"

namespace gemba::testing {

using Transition = std::function<lower::Fault(lower::Scalar* frame, const lower::Scalar* signals,
                                              const lower::Event& event, lower::Effect* effects,
                                              std::uint32_t capacity, std::uint32_t* count,
                                              std::uint32_t* site)>;

class MachineDriver {
 public:
  MachineDriver(const lower::Machine& machine, Transition transition,
                const std::vector<lower::Scalar>& args)
      : machine_(machine),
        transition_(std::move(transition)),
        frame_(lower::initial_frame(machine, args)),
        signals_(machine.signals.size(), lower::Scalar{.i = 0}) {}

  // Sends one event; the effects it emitted are in effects(), the fault is returned.
  lower::Fault send(lower::EventKind kind, lower::Scalar value = {.i = 0}, double time = 0) {
    lower::Event event{kind, 0, 0, time};
    std::memcpy(&event.value_bits, &value, sizeof value);
    effects_.assign(capacity_, lower::Effect{});
    std::uint32_t count = 0;
    lower::Fault fault = transition_(frame_.data(), signals_.data(), event, effects_.data(),
                                     capacity_, &count, site_);
    effects_.resize(fault == lower::Fault::kNone ? count : 0);
    return fault;
  }

  void set_signal(const std::string& name, lower::Scalar value) {
    for (std::size_t k = 0; k < machine_.signals.size(); ++k) {
      if (machine_.signals[k].name == name) signals_[k] = value;
    }
  }

  // "step Charge|ask|command ...tare": the kinds (and texts or targets) emitted.
  std::string trace() const {
    std::string out;
    for (const lower::Effect& e : effects_) {
      const lower::Point& p = machine_.points[e.point];
      out += (out.empty() ? "" : "|") + std::string(lower::spelling(p.kind));
      if (p.kind == lower::PointKind::kStep) out += " " + p.text;
      if (p.kind == lower::PointKind::kCommand) out += " " + p.target.substr(p.target.rfind('.') + 1);
    }
    return out;
  }

  // Value `k` of the `n`th effect emitted.
  lower::Scalar value(std::size_t n, std::size_t k) const {
    lower::Scalar s;
    std::memcpy(&s, &effects_.at(n).values[k], sizeof s);
    return s;
  }

  const lower::Wait& wait() const { return machine_.waits[frame_[lower::kStateSlot].i]; }
  const std::vector<lower::Effect>& effects() const { return effects_; }
  std::vector<lower::Scalar>& frame() { return frame_; }
  std::vector<lower::Scalar>& signals() { return signals_; }
  const std::uint32_t* site() const { return site_; }
  void set_capacity(std::uint32_t capacity) { capacity_ = capacity; }

 private:
  const lower::Machine& machine_;
  Transition transition_;
  std::vector<lower::Scalar> frame_;
  std::vector<lower::Scalar> signals_;
  std::vector<lower::Effect> effects_;
  std::uint32_t capacity_ = 64;
  std::uint32_t site_[2] = {0, 0};
};

}  // namespace gemba::testing
