// Code generation for procedure state machines (compiler/lower/machine.h): one exported
// `<prefix><machine>.transition` per machine, with the lower::TransitionEntry ABI, doing
// exactly what compiler/interp/machine_interpreter.cpp does. Each lowered block is one
// LLVM basic block; expressions call the functions' checked impls (codegen.h).
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <cstddef>
#include <vector>

#include "compiler/jit/codegen.h"
#include "compiler/jit/emit.h"

namespace gemba::jit {
namespace {

using lower::ActionKind;
using lower::EndKind;
using lower::Fault;
using lower::Type;

constexpr std::uint32_t kNoSite = UINT32_MAX;

class MachineEmitter {
 public:
  MachineEmitter(llvm::Module& out, const lower::Module& module, const lower::Machine& machine,
                 llvm::Function* transition)
      : out_(out),
        module_(module),
        m_(machine),
        fn_(transition),
        b_(transition->getContext()),
        blocks_(machine.blocks.size(), nullptr) {}

  void emit() {
    llvm::LLVMContext& context = fn_->getContext();
    auto* entry = llvm::BasicBlock::Create(context, "entry", fn_);
    for (std::size_t k = 0; k < m_.blocks.size(); ++k) {
      blocks_[k] = llvm::BasicBlock::Create(context, "b" + std::to_string(k), fn_);
    }
    b_.SetInsertPoint(entry);
    steps_ = b_.CreateAlloca(b_.getInt32Ty(), nullptr, "steps");
    node_ = b_.CreateAlloca(b_.getInt32Ty(), nullptr, "node");
    b_.CreateStore(b_.getInt32(0), steps_);
    b_.CreateStore(b_.getInt32(0), count_arg());
    dispatch();
    for (std::size_t k = 0; k < m_.blocks.size(); ++k) block(static_cast<std::uint32_t>(k));
  }

 private:
  llvm::Value* frame() { return fn_->getArg(0); }
  llvm::Value* signals() { return fn_->getArg(1); }
  llvm::Value* event() { return fn_->getArg(2); }
  llvm::Value* effects() { return fn_->getArg(3); }
  llvm::Value* capacity() { return fn_->getArg(4); }
  llvm::Value* count_arg() { return fn_->getArg(5); }
  llvm::Value* site() { return fn_->getArg(6); }

  llvm::Value* word(llvm::Value* base, std::uint64_t index) {
    return b_.CreateConstInBoundsGEP1_64(b_.getInt64Ty(), base, index);
  }

  // The state's wait, then the event kind's block; anything else is refused.
  void dispatch() {
    llvm::LLVMContext& context = fn_->getContext();
    auto* bad_state = llvm::BasicBlock::Create(context, "bad_state", fn_);
    auto* refused = llvm::BasicBlock::Create(context, "not_expected", fn_);
    llvm::Value* state = b_.CreateLoad(b_.getInt64Ty(), word(frame(), lower::kStateSlot));
    llvm::SwitchInst* by_state =
        b_.CreateSwitch(state, bad_state, static_cast<unsigned>(m_.waits.size()));
    for (std::size_t w = 0; w < m_.waits.size(); ++w) {
      auto* wait = llvm::BasicBlock::Create(context, "w" + std::to_string(w), fn_);
      by_state->addCase(b_.getInt64(w), wait);
      b_.SetInsertPoint(wait);
      llvm::Value* kind = b_.CreateLoad(b_.getInt32Ty(), event());
      llvm::SwitchInst* by_event = b_.CreateSwitch(kind, refused, lower::kEventKinds);
      for (std::size_t e = 0; e < lower::kEventKinds; ++e) {
        if (m_.waits[w].on[e] != lower::kNoBlock) {
          by_event->addCase(b_.getInt32(static_cast<std::uint32_t>(e)), blocks_[m_.waits[w].on[e]]);
        }
      }
    }
    b_.SetInsertPoint(bad_state);
    fail(Fault::kBadState, b_.getInt32(kNoSite), b_.getInt32(kNoSite));
    b_.SetInsertPoint(refused);
    fail(Fault::kEventNotExpected, b_.getInt32(kNoSite), b_.getInt32(kNoSite));
  }

  // Stores the site (when asked for) and returns `fault`; ends the current block.
  void fail(Fault fault, llvm::Value* first, llvm::Value* second) {
    fail(b_.getInt32(static_cast<std::int32_t>(fault)), first, second);
  }
  void fail(llvm::Value* fault, llvm::Value* first, llvm::Value* second) {
    llvm::LLVMContext& context = fn_->getContext();
    auto* store = llvm::BasicBlock::Create(context, "site", fn_);
    auto* out = llvm::BasicBlock::Create(context, "fault", fn_);
    b_.CreateCondBr(b_.CreateIsNull(site()), out, store);
    b_.SetInsertPoint(store);
    b_.CreateStore(first, site());
    b_.CreateStore(second, b_.CreateConstInBoundsGEP1_64(b_.getInt32Ty(), site(), 1));
    b_.CreateBr(out);
    b_.SetInsertPoint(out);
    b_.CreateRet(fault);
  }

  // Branches to a fault exit when `condition` holds; continues in a new block.
  void fail_if(llvm::Value* condition, Fault fault, std::uint32_t block) {
    llvm::LLVMContext& context = fn_->getContext();
    auto* faulted = llvm::BasicBlock::Create(context, "machine_fault", fn_);
    auto* next = llvm::BasicBlock::Create(context, "ok", fn_);
    b_.CreateCondBr(condition, faulted, next);
    b_.SetInsertPoint(faulted);
    fail(fault, b_.getInt32(kNoSite), b_.getInt32(block));
    b_.SetInsertPoint(next);
  }

  llvm::Type* type_of(Type type) {
    switch (type) {
      case Type::kBool:
        return b_.getInt1Ty();
      case Type::kInt:
        return b_.getInt64Ty();
      case Type::kReal:
        return b_.getDoubleTy();
    }
    return nullptr;
  }

  llvm::Value* load(llvm::Value* base, std::uint32_t index, Type type) {
    llvm::Value* slot = word(base, index);
    if (type == Type::kBool) {
      return b_.CreateICmpNE(b_.CreateLoad(b_.getInt8Ty(), slot), b_.getInt8(0));
    }
    return b_.CreateLoad(type_of(type), slot);
  }

  // A value as a 64-bit word: a bool zero-extended, a real's bits.
  void store(llvm::Value* value, Type type, llvm::Value* address) {
    if (type == Type::kBool) value = b_.CreateZExt(value, b_.getInt64Ty());
    b_.CreateStore(value, address);
  }

  // Calls the expression's function; returns its value, or leaves through a fault exit.
  llvm::Value* evaluate(const lower::Expression& e) {
    const lower::Function& f = module_.functions[e.function];
    llvm::Function* impl = out_.getFunction("gemba.impl." + f.name);
    std::vector<llvm::Value*> args;
    for (std::size_t k = 0; k < e.operands.size(); ++k) {
      const lower::Operand& o = e.operands[k];
      switch (o.from) {
        case lower::Operand::From::kSlot:
          args.push_back(load(frame(), o.index, f.params[k]));
          break;
        case lower::Operand::From::kSignal:
          args.push_back(load(signals(), o.index, f.params[k]));
          break;
        case lower::Operand::From::kNow:
          args.push_back(load(event(), 2, Type::kReal));  // Event::time
          break;
      }
    }
    args.push_back(b_.getInt32(0));  // depth
    args.push_back(node_);
    llvm::Value* pair = b_.CreateCall(impl, args);
    llvm::Value* fault = b_.CreateExtractValue(pair, 1);
    llvm::LLVMContext& context = fn_->getContext();
    auto* faulted = llvm::BasicBlock::Create(context, "expr_fault", fn_);
    auto* next = llvm::BasicBlock::Create(context, "ok", fn_);
    b_.CreateCondBr(b_.CreateICmpNE(fault, b_.getInt32(0)), faulted, next);
    b_.SetInsertPoint(faulted);
    fail(fault, b_.getInt32(e.function), b_.CreateLoad(b_.getInt32Ty(), node_));
    b_.SetInsertPoint(next);
    return b_.CreateExtractValue(pair, 0);
  }

  void block(std::uint32_t index) {
    const lower::Block& block = m_.blocks[index];
    b_.SetInsertPoint(blocks_[index]);
    llvm::Value* steps = b_.CreateAdd(b_.CreateLoad(b_.getInt32Ty(), steps_), b_.getInt32(1));
    b_.CreateStore(steps, steps_);
    fail_if(b_.CreateICmpUGT(steps, b_.getInt32(lower::kMaxBlocksPerTransition)),
            Fault::kStepLimit, index);
    for (const lower::Action& a : block.actions) action(a, index);
    end(block, index);
  }

  void action(const lower::Action& a, std::uint32_t index) {
    switch (a.kind) {
      case ActionKind::kSet: {
        llvm::Value* value = evaluate(a.value);
        store(value, m_.slots[a.slot].type, word(frame(), a.slot));
        return;
      }
      case ActionKind::kSetEvent:
        b_.CreateStore(b_.CreateLoad(b_.getInt64Ty(), word(event(), 1)), word(frame(), a.slot));
        return;
      case ActionKind::kSetBlock:
        b_.CreateStore(b_.getInt64(a.block), word(frame(), a.slot));
        return;
      case ActionKind::kEmit:
        emit(a, index);
        return;
    }
  }

  // effects[count] = {point, n, values...}; the capacity is checked first.
  void emit(const lower::Action& a, std::uint32_t index) {
    llvm::Value* count = b_.CreateLoad(b_.getInt32Ty(), count_arg());
    fail_if(b_.CreateICmpEQ(count, capacity()), Fault::kTooManyEffects, index);
    llvm::Value* effect = b_.CreateInBoundsGEP(
        b_.getInt8Ty(), effects(),
        b_.CreateMul(b_.CreateZExt(count, b_.getInt64Ty()), b_.getInt64(sizeof(lower::Effect))));
    b_.CreateStore(b_.getInt32(a.point), effect);
    b_.CreateStore(b_.getInt32(static_cast<std::uint32_t>(a.values.size())),
                   b_.CreateConstInBoundsGEP1_64(b_.getInt32Ty(), effect, 1));
    llvm::Value* values = b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), effect, 8);
    for (std::uint32_t k = 0; k < lower::kMaxEffectValues; ++k) {
      b_.CreateStore(b_.getInt64(0), word(values, k));  // stores, not a memset call
    }
    for (std::size_t k = 0; k < a.values.size(); ++k) {
      llvm::Value* value = evaluate(a.values[k]);
      store(value, module_.functions[a.values[k].function].result, word(values, k));
    }
    b_.CreateStore(b_.CreateAdd(count, b_.getInt32(1)), count_arg());
  }

  void end(const lower::Block& block, std::uint32_t index) {
    llvm::LLVMContext& context = fn_->getContext();
    switch (block.end) {
      case EndKind::kJump:
        b_.CreateBr(blocks_[block.next]);
        return;
      case EndKind::kBranch:
        b_.CreateCondBr(evaluate(block.condition), blocks_[block.next], blocks_[block.other]);
        return;
      case EndKind::kJumpSlot: {
        auto* bad = llvm::BasicBlock::Create(context, "bad_return", fn_);
        llvm::Value* target = b_.CreateLoad(b_.getInt64Ty(), word(frame(), block.slot));
        llvm::SwitchInst* jump =
            b_.CreateSwitch(target, bad, static_cast<unsigned>(m_.blocks.size()));
        for (std::size_t k = 0; k < m_.blocks.size(); ++k) {
          jump->addCase(b_.getInt64(k), blocks_[k]);
        }
        b_.SetInsertPoint(bad);
        fail(Fault::kBadState, b_.getInt32(kNoSite), b_.getInt32(index));
        return;
      }
      case EndKind::kJumpEvent: {
        auto* bad = llvm::BasicBlock::Create(context, "bad_event_value", fn_);
        llvm::Value* value = b_.CreateLoad(b_.getInt64Ty(), word(event(), 1));
        llvm::SwitchInst* jump =
            b_.CreateSwitch(value, bad, static_cast<unsigned>(block.targets.size()));
        for (std::size_t k = 0; k < block.targets.size(); ++k) {
          jump->addCase(b_.getInt64(k), blocks_[block.targets[k]]);
        }
        b_.SetInsertPoint(bad);
        fail(Fault::kEventNotExpected, b_.getInt32(kNoSite), b_.getInt32(index));
        return;
      }
      case EndKind::kSuspend:
        b_.CreateStore(b_.getInt64(block.wait), word(frame(), lower::kStateSlot));
        b_.CreateRet(b_.getInt32(0));
        return;
    }
  }

  llvm::Module& out_;
  const lower::Module& module_;
  const lower::Machine& m_;
  llvm::Function* fn_;
  llvm::IRBuilder<> b_;
  std::vector<llvm::BasicBlock*> blocks_;
  llvm::Value* steps_ = nullptr;
  llvm::Value* node_ = nullptr;
};

}  // namespace

void emit_machines(llvm::Module& out, const lower::Module& module,
                   const std::string& symbol_prefix) {
  llvm::LLVMContext& context = out.getContext();
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  auto* type = llvm::FunctionType::get(i32, {ptr, ptr, ptr, ptr, i32, ptr, ptr}, false);
  for (const lower::Machine& machine : module.machines) {
    auto* transition = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                              symbol_prefix + machine.name + ".transition", out);
    transition->addFnAttr(llvm::Attribute::NoUnwind);
    forbid_memory_builtins(*transition);
    MachineEmitter(out, module, machine, transition).emit();
  }
}

}  // namespace gemba::jit
