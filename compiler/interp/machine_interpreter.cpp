#include "compiler/interp/machine_interpreter.h"

#include <cstring>
#include <vector>

namespace gemba::interp {

using lower::ActionKind;
using lower::EndKind;
using lower::Fault;
using lower::Scalar;

namespace {

constexpr std::uint32_t kNoSite = UINT32_MAX;

Fault machine_fault(Fault fault, std::uint32_t block, std::uint32_t* site) {
  if (site) {
    site[0] = kNoSite;
    site[1] = block;
  }
  return fault;
}

}  // namespace

MachineInterpreter::MachineInterpreter(const lower::Module& module) : functions_(module) {}

std::optional<std::size_t> MachineInterpreter::find(const std::string& name) const {
  const auto& machines = module().machines;
  for (std::size_t k = 0; k < machines.size(); ++k) {
    if (machines[k].name == name) return k;
  }
  return std::nullopt;
}

Fault MachineInterpreter::evaluate(const lower::Expression& e, const Scalar* frame,
                                   const Scalar* signals, const lower::Event& event, Scalar* out,
                                   std::uint32_t* fault_site) const {
  Scalar args[Interpreter::kInlineArgs];
  std::vector<Scalar> many;
  Scalar* in = args;
  if (e.operands.size() > Interpreter::kInlineArgs) {
    many.resize(e.operands.size());
    in = many.data();
  }
  for (std::size_t k = 0; k < e.operands.size(); ++k) {
    const lower::Operand& o = e.operands[k];
    switch (o.from) {
      case lower::Operand::From::kSlot:
        in[k] = frame[o.index];
        break;
      case lower::Operand::From::kSignal:
        in[k] = signals[o.index];
        break;
      case lower::Operand::From::kNow:
        in[k].r = event.time;
        break;
    }
  }
  std::uint32_t node = 0;
  Fault fault = functions_.call(e.function, in, out, &node);
  if (fault != Fault::kNone && fault_site) {
    fault_site[0] = e.function;
    fault_site[1] = node;
  }
  return fault;
}

Fault MachineInterpreter::transition(std::size_t machine, Scalar* frame, const Scalar* signals,
                                     const lower::Event& event, lower::Effect* effects,
                                     std::uint32_t capacity, std::uint32_t* effect_count,
                                     std::uint32_t* fault_site) const {
  const lower::Machine& m = module().machines[machine];
  *effect_count = 0;
  std::int64_t state = frame[lower::kStateSlot].i;
  if (state < 0 || static_cast<std::uint64_t>(state) >= m.waits.size()) {
    return machine_fault(Fault::kBadState, kNoSite, fault_site);
  }
  auto kind = static_cast<std::uint32_t>(event.kind);
  if (kind >= lower::kEventKinds || m.waits[state].on[kind] == lower::kNoBlock) {
    return machine_fault(Fault::kEventNotExpected, kNoSite, fault_site);
  }
  std::uint32_t block = m.waits[state].on[kind];
  for (std::uint32_t steps = 1;; ++steps) {
    if (steps > lower::kMaxBlocksPerTransition) {
      return machine_fault(Fault::kStepLimit, block, fault_site);
    }
    const lower::Block& b = m.blocks[block];
    for (const lower::Action& a : b.actions) {
      switch (a.kind) {
        case ActionKind::kSet: {
          Scalar value{};
          Fault f = evaluate(a.value, frame, signals, event, &value, fault_site);
          if (f != Fault::kNone) return f;
          frame[a.slot] = value;
          break;
        }
        case ActionKind::kSetEvent:
          std::memcpy(&frame[a.slot], &event.value_bits, sizeof(Scalar));
          break;
        case ActionKind::kSetBlock:
          frame[a.slot].i = a.block;
          break;
        case ActionKind::kEmit: {
          if (*effect_count == capacity) {
            return machine_fault(Fault::kTooManyEffects, block, fault_site);
          }
          lower::Effect& effect = effects[*effect_count];
          effect.point = a.point;
          effect.count = static_cast<std::uint32_t>(a.values.size());
          std::memset(effect.values, 0, sizeof effect.values);
          for (std::size_t k = 0; k < a.values.size(); ++k) {
            Scalar value{};
            Fault f = evaluate(a.values[k], frame, signals, event, &value, fault_site);
            if (f != Fault::kNone) return f;
            std::memcpy(&effect.values[k], &value, sizeof value);
          }
          ++*effect_count;
          break;
        }
      }
    }
    switch (b.end) {
      case EndKind::kJump:
        block = b.next;
        break;
      case EndKind::kBranch: {
        Scalar condition{};
        Fault f = evaluate(b.condition, frame, signals, event, &condition, fault_site);
        if (f != Fault::kNone) return f;
        block = condition.b ? b.next : b.other;
        break;
      }
      case EndKind::kJumpSlot: {
        std::int64_t target = frame[b.slot].i;
        if (target < 0 || static_cast<std::uint64_t>(target) >= m.blocks.size()) {
          return machine_fault(Fault::kBadState, block, fault_site);
        }
        block = static_cast<std::uint32_t>(target);
        break;
      }
      case EndKind::kJumpEvent: {
        auto target = static_cast<std::int64_t>(event.value_bits);
        if (target < 0 || static_cast<std::uint64_t>(target) >= b.targets.size()) {
          return machine_fault(Fault::kEventNotExpected, block, fault_site);
        }
        block = b.targets[target];
        break;
      }
      case EndKind::kSuspend:
        frame[lower::kStateSlot].i = b.wait;
        return Fault::kNone;
    }
  }
}

}  // namespace gemba::interp
