#include "compiler/lower/machine.h"

#include <optional>

#include "compiler/lower/lowered.h"

namespace gemba::lower {
namespace {

std::string expression_problem(const Machine& m, const Module& module, const Expression& e,
                               std::optional<Type> result) {
  if (e.function >= module.functions.size()) return "calls a function that does not exist";
  const Function& f = module.functions[e.function];
  if (result && f.result != *result) return "calls " + f.name + ", whose result has another type";
  if (e.operands.size() != f.params.size()) return "calls " + f.name + " with a wrong argument count";
  for (std::size_t k = 0; k < e.operands.size(); ++k) {
    const Operand& o = e.operands[k];
    std::optional<Type> type;
    if (o.from == Operand::From::kSlot && o.index < m.slots.size()) type = m.slots[o.index].type;
    if (o.from == Operand::From::kSignal && o.index < m.signals.size()) {
      type = m.signals[o.index].type;
    }
    if (o.from == Operand::From::kNow) type = Type::kReal;
    if (!type) return "passes a slot or signal that does not exist to " + f.name;
    if (*type != f.params[k]) return "passes an operand of another type to " + f.name;
  }
  return "";
}

std::string action_problem(const Machine& m, const Module& module, const Action& a) {
  switch (a.kind) {
    case ActionKind::kSet:
      if (a.slot < kFixedSlots || a.slot >= m.slots.size()) return "sets a slot out of range";
      return expression_problem(m, module, a.value, m.slots[a.slot].type);
    case ActionKind::kSetEvent:
      if (a.slot < kFixedSlots || a.slot >= m.slots.size()) return "sets a slot out of range";
      return "";
    case ActionKind::kSetBlock:
      if (a.slot != kReturnSlot && a.slot != kHoldReturnSlot) return "a return in a value slot";
      return a.block < m.blocks.size() ? "" : "returns to a block that does not exist";
    case ActionKind::kEmit:
      if (a.point >= m.points.size()) return "emits a point that does not exist";
      if (a.values.size() > kMaxEffectValues) return "emits too many values";
      if (a.values.size() != m.points[a.point].value_names.size())
        return "emits a value count its point does not name";
      for (const Expression& e : a.values) {
        if (std::string p = expression_problem(m, module, e, std::nullopt); !p.empty()) return p;
      }
      return "";
  }
  return "an unknown action";
}

std::string block_problem(const Machine& m, const Module& module, const Block& b) {
  for (const Action& a : b.actions) {
    if (std::string p = action_problem(m, module, a); !p.empty()) return p;
  }
  auto exists = [&](std::uint32_t block) { return block < m.blocks.size(); };
  switch (b.end) {
    case EndKind::kJump:
      return exists(b.next) ? "" : "jumps to a block that does not exist";
    case EndKind::kBranch:
      if (!exists(b.next) || !exists(b.other)) return "branches to a block that does not exist";
      return expression_problem(m, module, b.condition, Type::kBool);
    case EndKind::kJumpSlot:
      return b.slot == kReturnSlot || b.slot == kHoldReturnSlot ? "" : "returns through a value slot";
    case EndKind::kJumpEvent:
      for (std::uint32_t t : b.targets) {
        if (!exists(t)) return "dispatches to a block that does not exist";
      }
      return "";
    case EndKind::kSuspend:
      return b.wait < m.waits.size() ? "" : "suspends in a wait that does not exist";
  }
  return "an unknown end";
}

std::string operand_text(const Machine& m, const Operand& o) {
  if (o.from == Operand::From::kSignal) return "signal " + m.signals[o.index].name;
  if (o.from == Operand::From::kNow) return "now";
  return m.slots[o.index].name;
}

std::string expression_text(const Machine& m, const Module& module, const Expression& e) {
  std::string out = module.functions[e.function].name + "(";
  for (std::size_t k = 0; k < e.operands.size(); ++k) {
    out += (k ? ", " : "") + operand_text(m, e.operands[k]);
  }
  return out + ")";
}

std::string action_text(const Machine& m, const Module& module, const Action& a) {
  switch (a.kind) {
    case ActionKind::kSet:
      return m.slots[a.slot].name + " = " + expression_text(m, module, a.value);
    case ActionKind::kSetEvent:
      return m.slots[a.slot].name + " = event value";
    case ActionKind::kSetBlock:
      return m.slots[a.slot].name + " = b" + std::to_string(a.block);
    case ActionKind::kEmit: {
      std::string out = "emit p" + std::to_string(a.point) + " " + spelling(m.points[a.point].kind);
      for (const Expression& e : a.values) out += " " + expression_text(m, module, e);
      return out;
    }
  }
  return "?";
}

std::string end_text(const Machine& m, const Module& module, const Block& b) {
  switch (b.end) {
    case EndKind::kJump:
      return "jump b" + std::to_string(b.next);
    case EndKind::kBranch:
      return "branch " + expression_text(m, module, b.condition) + " ? b" + std::to_string(b.next) +
             " : b" + std::to_string(b.other);
    case EndKind::kJumpSlot:
      return "jump " + m.slots[b.slot].name;
    case EndKind::kJumpEvent: {
      std::string out = "jump by event value [";
      for (std::size_t k = 0; k < b.targets.size(); ++k) {
        out += (k ? ", b" : "b") + std::to_string(b.targets[k]);
      }
      return out + "]";
    }
    case EndKind::kSuspend:
      return "suspend w" + std::to_string(b.wait) + " (" + m.waits[b.wait].label + ")";
  }
  return "?";
}

}  // namespace

const char* spelling(EventKind kind) {
  switch (kind) {
    case EventKind::kStart:
      return "start";
    case EventKind::kDone:
      return "done";
    case EventKind::kTimeout:
      return "timeout";
    case EventKind::kSignal:
      return "signal";
    case EventKind::kHold:
      return "hold";
    case EventKind::kRestart:
      return "restart";
    case EventKind::kAbort:
      return "abort";
    case EventKind::kLimit:
      return "limit";
  }
  return "?";
}

const char* spelling(PointKind kind) {
  switch (kind) {
    case PointKind::kNotify:
      return "notify";
    case PointKind::kEscalate:
      return "escalate";
    case PointKind::kCommand:
      return "command";
    case PointKind::kStart:
      return "start";
    case PointKind::kConsume:
      return "consume";
    case PointKind::kProduce:
      return "produce";
    case PointKind::kAsk:
      return "ask";
    case PointKind::kAwait:
      return "await";
    case PointKind::kSign:
      return "sign";
    case PointKind::kWait:
      return "wait";
    case PointKind::kHold:
      return "hold";
    case PointKind::kAbort:
      return "abort";
    case PointKind::kStep:
      return "step";
    case PointKind::kComplete:
      return "complete";
    case PointKind::kAborted:
      return "aborted";
  }
  return "?";
}

std::string spelling(const ValueFormat& format) {
  switch (format.kind) {
    case ValueFormat::Kind::kBool:
      return "bool";
    case ValueFormat::Kind::kInt:
      return "int";
    case ValueFormat::Kind::kReal:
      return format.unit.empty() ? "real" : format.unit;
    case ValueFormat::Kind::kEnum: {
      std::string out = format.type_name + "{";
      for (std::size_t k = 0; k < format.choices.size(); ++k) {
        out += (k ? "," : "") + format.choices[k];
      }
      return out + "}";
    }
    case ValueFormat::Kind::kMaterial:
      return "Material";
    case ValueFormat::Kind::kLot:
      return "Lot";
    case ValueFormat::Kind::kTime:
      return "time";
  }
  return "?";
}

std::vector<Scalar> initial_frame(const Machine& machine, const std::vector<Scalar>& args) {
  std::vector<Scalar> frame(machine.slots.size(), Scalar{.i = 0});
  for (std::size_t k = 0; k < machine.params.size() && k < args.size(); ++k) {
    frame[machine.params[k]] = args[k];
  }
  return frame;
}

std::optional<diag::Span> fault_span(const Module& module, std::uint32_t function,
                                     std::uint32_t node) {
  if (function >= module.functions.size()) return std::nullopt;
  const Function& f = module.functions[function];
  if (node >= f.nodes.size()) return std::nullopt;
  return f.nodes[node].span;
}

std::string verify(const Machine& m, const Module& module) {
  if (m.slots.size() < kFixedSlots) return "the fixed slots are missing";
  for (std::uint32_t s = 0; s < kFixedSlots; ++s) {
    if (m.slots[s].type != Type::kInt) return "a fixed slot that is not an int";
  }
  for (std::uint32_t p : m.params) {
    if (p < kFixedSlots || p >= m.slots.size()) return "a parameter slot out of range";
  }
  if (m.waits.empty()) return "no waits";
  for (std::size_t w = 0; w < m.waits.size(); ++w) {
    const Wait& wait = m.waits[w];
    if (wait.point != kNoBlock && wait.point >= m.points.size()) {
      return "wait " + std::to_string(w) + " names a point that does not exist";
    }
    for (std::uint32_t b : wait.on) {
      if (b != kNoBlock && b >= m.blocks.size()) {
        return "wait " + std::to_string(w) + " starts a block that does not exist";
      }
    }
  }
  for (std::size_t b = 0; b < m.blocks.size(); ++b) {
    if (std::string p = block_problem(m, module, m.blocks[b]); !p.empty()) {
      return "block " + std::to_string(b) + ": " + p;
    }
  }
  return "";
}

std::string listing(const Machine& m, const Module& module) {
  std::string out = "procedure " + m.name + "\n  slots:";
  for (std::size_t s = 0; s < m.slots.size(); ++s) {
    out += " " + m.slots[s].name + ":" + spelling(m.slots[s].type);
    // The format when it says more than the type (an enum's members: what an ordinal means).
    std::string shown = spelling(m.slots[s].format);
    if (shown != spelling(m.slots[s].type)) out += "[" + shown + "]";
  }
  out += "\n  signals:";
  for (const SignalInput& s : m.signals) out += " " + s.name + "<-" + s.source;
  out += "\n";
  for (std::size_t p = 0; p < m.points.size(); ++p) {
    const Point& point = m.points[p];
    out += "  p" + std::to_string(p) + ": " + spelling(point.kind);
    if (!point.role.empty()) out += " role " + point.role;
    if (!point.target.empty()) out += " " + point.target;
    if (!point.text.empty()) out += " \"" + point.text + "\"";
    if (point.kind == PointKind::kAsk) out += " as " + spelling(point.answer);
    out += "\n";
  }
  for (std::size_t w = 0; w < m.waits.size(); ++w) {
    out += "  w" + std::to_string(w) + ": " + m.waits[w].label;
    for (std::size_t e = 0; e < kEventKinds; ++e) {
      if (m.waits[w].on[e] == kNoBlock) continue;
      out += std::string(" ") + spelling(static_cast<EventKind>(e)) + "->b" +
             std::to_string(m.waits[w].on[e]);
    }
    out += "\n";
  }
  for (std::size_t b = 0; b < m.blocks.size(); ++b) {
    const Block& block = m.blocks[b];
    out += "  b" + std::to_string(b) + ":" + (block.label.empty() ? "" : " ; " + block.label) + "\n";
    for (const Action& a : block.actions) out += "    " + action_text(m, module, a) + "\n";
    out += "    " + end_text(m, module, block) + "\n";
  }
  return out;
}

}  // namespace gemba::lower
