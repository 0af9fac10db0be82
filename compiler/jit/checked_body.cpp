// The checked body `gemba.impl.f` (emit.h): the run-time semantics of
// compiler/lower/README.md with one early exit per possible fault, so that the first
// fault in evaluation order is reported at its node.
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include "compiler/jit/emit.h"

namespace gemba::jit {
namespace {

using lower::Fault;
using lower::Node;
using lower::Op;
using lower::Type;

// A depth-first walk from the root, so that nodes are evaluated (and can fault) in the
// interpreter's order, and the right operand of `and`/`or` lives in its own block.
class CheckedEmitter {
 public:
  CheckedEmitter(const ModuleContext& mc, std::size_t index)
      : mc_(mc),
        function_(mc.module->functions[index]),
        impl_(mc.impls[index]),
        builder_(impl_->getContext()),
        values_(function_.nodes.size(), nullptr) {}

  void emit() {
    builder_.SetInsertPoint(llvm::BasicBlock::Create(context(), "entry", impl_));
    llvm::Value* result = value(function_.root);
    llvm::Value* pair = llvm::UndefValue::get(impl_->getReturnType());
    pair = builder_.CreateInsertValue(pair, result, 0);
    pair = builder_.CreateInsertValue(pair, builder_.getInt32(0), 1);
    builder_.CreateRet(pair);
  }

 private:
  llvm::LLVMContext& context() { return impl_->getContext(); }
  llvm::Value* depth() { return impl_->getArg(function_.params.size()); }
  llvm::Value* site() { return impl_->getArg(function_.params.size() + 1); }

  // Memoized: a value is reused only where it dominates, so values made inside the
  // right operand of `and`/`or` are forgotten when that operand's block is left.
  llvm::Value* value(std::uint32_t index) {
    if (values_[index] == nullptr) {
      values_[index] = compute(index);
      defined_.push_back(index);
    }
    return values_[index];
  }

  llvm::Value* compute(std::uint32_t index) {
    const Node& node = function_.nodes[index];
    switch (node.op) {
      case Op::kConst:
        return checked(constant_of(builder_, node), node.type, index);
      case Op::kParam:
        return checked(impl_->getArg(node.index), node.type, index);
      case Op::kNot:
        return builder_.CreateNot(value(node.args[0]));
      case Op::kAnd:
      case Op::kOr:
        return logical(node);
      case Op::kToReal:
        return checked(builder_.CreateSIToFP(value(node.args[0]), builder_.getDoubleTy()),
                       Type::kReal, index);
      case Op::kCall:
        return call(node, index);
      case Op::kNeg:
        if (node.type == Type::kInt) {
          return int_with_overflow(llvm::Intrinsic::ssub_with_overflow, builder_.getInt64(0),
                                   value(node.args[0]), index);
        }
        return checked(builder_.CreateFNeg(value(node.args[0])), Type::kReal, index);
      default:
        return binary(node, index);
    }
  }

  llvm::Value* binary(const Node& node, std::uint32_t index) {
    llvm::Value* a = value(node.args[0]);
    llvm::Value* b = value(node.args[1]);
    Type operand = function_.nodes[node.args[0]].type;
    // Operands are never NaN (they faulted earlier), so ordered predicates are exact.
    if (node.type == Type::kBool) return compare(builder_, node.op, operand, a, b);
    if (operand == Type::kInt) return int_arithmetic(node.op, a, b, index);
    return checked(real_arithmetic(node.op, a, b, index), Type::kReal, index);
  }

  llvm::Value* int_arithmetic(Op op, llvm::Value* a, llvm::Value* b, std::uint32_t index) {
    switch (op) {
      case Op::kAdd:
        return int_with_overflow(llvm::Intrinsic::sadd_with_overflow, a, b, index);
      case Op::kSub:
        return int_with_overflow(llvm::Intrinsic::ssub_with_overflow, a, b, index);
      case Op::kMul:
        return int_with_overflow(llvm::Intrinsic::smul_with_overflow, a, b, index);
      default:  // kMod (kDiv is real only)
        fault_if(builder_.CreateICmpEQ(b, builder_.getInt64(0)), Fault::kDivisionByZero, index);
        return int_remainder(builder_, a, b);
    }
  }

  llvm::Value* real_arithmetic(Op op, llvm::Value* a, llvm::Value* b, std::uint32_t index) {
    switch (op) {
      case Op::kAdd:
        return builder_.CreateFAdd(a, b);
      case Op::kSub:
        return builder_.CreateFSub(a, b);
      case Op::kMul:
        return builder_.CreateFMul(a, b);
      default: {  // kDiv, kMod: the divisor is checked first
        llvm::Value* zero = llvm::ConstantFP::get(builder_.getDoubleTy(), 0.0);
        fault_if(builder_.CreateFCmpOEQ(b, zero), Fault::kDivisionByZero, index);
        if (op == Op::kDiv) return builder_.CreateFDiv(a, b);
        return builder_.CreateCall(mc_.fmod, {a, b});
      }
    }
  }

  llvm::Value* int_with_overflow(llvm::Intrinsic::ID id, llvm::Value* a, llvm::Value* b,
                                 std::uint32_t index) {
    llvm::Value* pair = builder_.CreateBinaryIntrinsic(id, a, b);
    fault_if(builder_.CreateExtractValue(pair, 1), Fault::kOverflow, index);
    return builder_.CreateExtractValue(pair, 0);
  }

  // `a and b`: b in its own block, reached only when a is true; `or` when a is false.
  llvm::Value* logical(const Node& node) {
    bool is_and = node.op == Op::kAnd;
    llvm::Value* a = value(node.args[0]);
    llvm::BasicBlock* decided = builder_.GetInsertBlock();
    auto* right = llvm::BasicBlock::Create(context(), is_and ? "and.rhs" : "or.rhs", impl_);
    auto* merge = llvm::BasicBlock::Create(context(), is_and ? "and.end" : "or.end", impl_);
    builder_.CreateCondBr(a, is_and ? right : merge, is_and ? merge : right);
    builder_.SetInsertPoint(right);
    std::size_t scope = defined_.size();
    llvm::Value* b = value(node.args[1]);
    forget_since(scope);
    llvm::BasicBlock* right_end = builder_.GetInsertBlock();
    builder_.CreateBr(merge);
    builder_.SetInsertPoint(merge);
    llvm::PHINode* phi = builder_.CreatePHI(builder_.getInt1Ty(), 2);
    phi->addIncoming(builder_.getInt1(!is_and), decided);
    phi->addIncoming(b, right_end);
    return phi;
  }

  void forget_since(std::size_t scope) {
    for (std::size_t k = scope; k < defined_.size(); ++k) values_[defined_[k]] = nullptr;
    defined_.resize(scope);
  }

  // Arguments first (left to right), then the depth check, then the call. A fault in
  // the callee is reported at this kCall node.
  llvm::Value* call(const Node& node, std::uint32_t index) {
    std::vector<llvm::Value*> args;
    for (std::uint32_t arg : node.args) args.push_back(value(arg));
    llvm::Value* too_deep =
        builder_.CreateICmpUGE(depth(), builder_.getInt32(lower::kMaxCallDepth));
    fault_if(too_deep, Fault::kCallDepth, index);
    args.push_back(builder_.CreateAdd(depth(), builder_.getInt32(1)));
    args.push_back(site());
    llvm::Value* pair = builder_.CreateCall(mc_.impls[node.index], args);
    llvm::Value* fault = builder_.CreateExtractValue(pair, 1);
    fault_if(builder_.CreateICmpNE(fault, builder_.getInt32(0)), fault, index);
    return builder_.CreateExtractValue(pair, 0);
  }

  // Every real value is checked where it is made, with one branch on the hot path:
  // `!(|v| < inf)` holds for NaN and +-infinity alike; the fault block tells them apart.
  llvm::Value* checked(llvm::Value* v, Type type, std::uint32_t index) {
    if (type != Type::kReal) return v;
    auto* faulted = llvm::BasicBlock::Create(context(), "fault.real", impl_);
    auto* next = llvm::BasicBlock::Create(context(), "ok", impl_);
    builder_.CreateCondBr(not_finite(builder_, v), faulted, next, mc_.unlikely);
    builder_.SetInsertPoint(faulted);
    llvm::Value* fault =
        builder_.CreateSelect(builder_.CreateFCmpUNO(v, v),
                              builder_.getInt32(static_cast<std::int32_t>(Fault::kNotANumber)),
                              builder_.getInt32(static_cast<std::int32_t>(Fault::kInfinite)));
    return_fault(fault, index);
    builder_.SetInsertPoint(next);
    return v;
  }

  void fault_if(llvm::Value* condition, Fault fault, std::uint32_t index) {
    fault_if(condition, builder_.getInt32(static_cast<std::int32_t>(fault)), index);
  }

  // Branches to a block that stores `index` as the fault site and returns `fault`.
  void fault_if(llvm::Value* condition, llvm::Value* fault, std::uint32_t index) {
    auto* faulted = llvm::BasicBlock::Create(context(), "fault", impl_);
    auto* next = llvm::BasicBlock::Create(context(), "ok", impl_);
    builder_.CreateCondBr(condition, faulted, next, mc_.unlikely);
    builder_.SetInsertPoint(faulted);
    return_fault(fault, index);
    builder_.SetInsertPoint(next);
  }

  void return_fault(llvm::Value* fault, std::uint32_t index) {
    builder_.CreateStore(builder_.getInt32(index), site());
    llvm::Value* pair = llvm::PoisonValue::get(impl_->getReturnType());
    builder_.CreateRet(builder_.CreateInsertValue(pair, fault, 1));
  }

  const ModuleContext& mc_;
  const lower::Function& function_;
  llvm::Function* impl_;
  llvm::IRBuilder<> builder_;
  std::vector<llvm::Value*> values_;    // by node index; null until emitted in scope
  std::vector<std::uint32_t> defined_;  // nodes in values_, in emission order
};

}  // namespace

void emit_checked_body(const ModuleContext& mc, std::size_t index) {
  CheckedEmitter(mc, index).emit();
}

}  // namespace gemba::jit
