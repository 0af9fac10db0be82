#include "compiler/jit/codegen.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <vector>

namespace gemba::jit {
namespace {

using lower::Fault;
using lower::Node;
using lower::Op;
using lower::Type;

llvm::Type* llvm_type(llvm::LLVMContext& context, Type type) {
  switch (type) {
    case Type::kBool:
      return llvm::Type::getInt1Ty(context);
    case Type::kInt:
      return llvm::Type::getInt64Ty(context);
    case Type::kReal:
      return llvm::Type::getDoubleTy(context);
  }
  return nullptr;
}

// `{ T, i32 }`: an impl's value and fault.
llvm::StructType* impl_result_type(llvm::LLVMContext& context, Type type) {
  return llvm::StructType::get(llvm_type(context, type), llvm::Type::getInt32Ty(context));
}

std::string impl_name(const lower::Function& function) { return "gemba.impl." + function.name; }

// What every function body needs from its module.
struct ModuleContext {
  const lower::Module* module;
  std::vector<llvm::Function*> impls;  // by function index
  llvm::FunctionCallee fmod;
  llvm::MDNode* unlikely;  // branch weights towards a fault block
};

// Emits the body of one impl: a depth-first walk from the root, so that nodes are
// evaluated (and can fault) in the interpreter's order, and the right operand of
// `and`/`or` lives in its own block.
class FunctionEmitter {
 public:
  FunctionEmitter(const ModuleContext& mc, const lower::Function& function, llvm::Function* impl)
      : mc_(mc),
        function_(function),
        impl_(impl),
        builder_(impl->getContext()),
        values_(function.nodes.size(), nullptr) {}

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
        return checked(constant(node), node.type, index);
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

  llvm::Value* constant(const Node& node) {
    switch (node.type) {
      case Type::kBool:
        return builder_.getInt1(node.value.b);
      case Type::kInt:
        return builder_.getInt64(static_cast<std::uint64_t>(node.value.i));
      case Type::kReal:
        return llvm::ConstantFP::get(builder_.getDoubleTy(), node.value.r);
    }
    return nullptr;
  }

  llvm::Value* binary(const Node& node, std::uint32_t index) {
    llvm::Value* a = value(node.args[0]);
    llvm::Value* b = value(node.args[1]);
    Type operand = function_.nodes[node.args[0]].type;
    if (node.type == Type::kBool) return compare(node.op, operand, a, b);
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
      default: {  // kMod (kDiv is real only)
        fault_if(builder_.CreateICmpEQ(b, builder_.getInt64(0)), Fault::kDivisionByZero, index);
        // x % -1 is 0 for every x; srem INT64_MIN, -1 is undefined, x % 1 is the same 0.
        llvm::Value* minus_one = builder_.CreateICmpEQ(b, builder_.getInt64(-1));
        return builder_.CreateSRem(a, builder_.CreateSelect(minus_one, builder_.getInt64(1), b));
      }
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

  // Operands are never NaN (they faulted earlier), so ordered predicates are exact.
  llvm::Value* compare(Op op, Type operand, llvm::Value* a, llvm::Value* b) {
    if (operand == Type::kReal) {
      switch (op) {
        case Op::kLt:
          return builder_.CreateFCmpOLT(a, b);
        case Op::kLe:
          return builder_.CreateFCmpOLE(a, b);
        case Op::kGt:
          return builder_.CreateFCmpOGT(a, b);
        case Op::kGe:
          return builder_.CreateFCmpOGE(a, b);
        case Op::kEq:
          return builder_.CreateFCmpOEQ(a, b);
        default:
          return builder_.CreateFCmpUNE(a, b);
      }
    }
    switch (op) {
      case Op::kLt:
        return builder_.CreateICmpSLT(a, b);
      case Op::kLe:
        return builder_.CreateICmpSLE(a, b);
      case Op::kGt:
        return builder_.CreateICmpSGT(a, b);
      case Op::kGe:
        return builder_.CreateICmpSGE(a, b);
      case Op::kEq:
        return builder_.CreateICmpEQ(a, b);
      default:
        return builder_.CreateICmpNE(a, b);
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
    llvm::Value* magnitude = builder_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
    llvm::Value* inf = llvm::ConstantFP::getInfinity(builder_.getDoubleTy());
    llvm::Value* not_finite = builder_.CreateFCmpUGE(magnitude, inf);  // unordered or >=
    auto* faulted = llvm::BasicBlock::Create(context(), "fault.real", impl_);
    auto* next = llvm::BasicBlock::Create(context(), "ok", impl_);
    builder_.CreateCondBr(not_finite, faulted, next, mc_.unlikely);
    builder_.SetInsertPoint(faulted);
    llvm::Value* fault =
        builder_.CreateSelect(builder_.CreateFCmpUNO(v, v),
                              builder_.getInt32(static_cast<std::int32_t>(Fault::kNotANumber)),
                              builder_.getInt32(static_cast<std::int32_t>(Fault::kInfinite)));
    builder_.CreateStore(builder_.getInt32(index), site());
    llvm::Value* pair = llvm::PoisonValue::get(impl_->getReturnType());
    builder_.CreateRet(builder_.CreateInsertValue(pair, fault, 1));
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
    builder_.CreateStore(builder_.getInt32(index), site());
    llvm::Value* pair = llvm::PoisonValue::get(impl_->getReturnType());
    builder_.CreateRet(builder_.CreateInsertValue(pair, fault, 1));
    builder_.SetInsertPoint(next);
  }

  const ModuleContext& mc_;
  const lower::Function& function_;
  llvm::Function* impl_;
  llvm::IRBuilder<> builder_;
  std::vector<llvm::Value*> values_;    // by node index; null until emitted in scope
  std::vector<std::uint32_t> defined_;  // nodes in values_, in emission order
};

llvm::Function* declare_impl(llvm::Module& module, const lower::Function& function) {
  llvm::LLVMContext& context = module.getContext();
  std::vector<llvm::Type*> params;
  for (Type type : function.params) params.push_back(llvm_type(context, type));
  params.push_back(llvm::Type::getInt32Ty(context));        // depth
  params.push_back(llvm::PointerType::getUnqual(context));  // fault_site
  auto* type = llvm::FunctionType::get(impl_result_type(context, function.result), params, false);
  auto* impl =
      llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, impl_name(function), module);
  impl->addFnAttr(llvm::Attribute::NoUnwind);
  return impl;
}

llvm::Value* load_argument(llvm::IRBuilder<>& builder, llvm::Value* args, std::size_t k,
                           Type type) {
  llvm::Value* slot = builder.CreateConstInBoundsGEP1_64(builder.getInt64Ty(), args, k);
  switch (type) {
    case Type::kBool:
      return builder.CreateICmpNE(builder.CreateLoad(builder.getInt8Ty(), slot),
                                  builder.getInt8(0));
    case Type::kInt:
      return builder.CreateLoad(builder.getInt64Ty(), slot);
    case Type::kReal:
      return builder.CreateLoad(builder.getDoubleTy(), slot);
  }
  return nullptr;
}

// `i32 name(const Scalar* args, Scalar* result, uint32_t* fault_site)`.
void emit_wrapper(llvm::Module& module, const lower::Function& function, llvm::Function* impl,
                  const std::string& name) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  auto* type = llvm::FunctionType::get(llvm::Type::getInt32Ty(context), {ptr, ptr, ptr}, false);
  auto* wrapper = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, name, module);
  wrapper->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", wrapper));
  llvm::Value* site = builder.CreateAlloca(builder.getInt32Ty());
  std::vector<llvm::Value*> args;
  for (std::size_t k = 0; k < function.params.size(); ++k) {
    args.push_back(load_argument(builder, wrapper->getArg(0), k, function.params[k]));
  }
  args.push_back(builder.getInt32(0));
  args.push_back(site);
  llvm::Value* pair = builder.CreateCall(impl, args);
  llvm::Value* fault = builder.CreateExtractValue(pair, 1);
  auto* done = llvm::BasicBlock::Create(context, "done", wrapper);
  auto* faulted = llvm::BasicBlock::Create(context, "fault", wrapper);
  auto* report = llvm::BasicBlock::Create(context, "report", wrapper);
  auto* out = llvm::BasicBlock::Create(context, "out", wrapper);
  builder.CreateCondBr(builder.CreateICmpEQ(fault, builder.getInt32(0)), done, faulted);

  builder.SetInsertPoint(done);
  llvm::Value* result = builder.CreateExtractValue(pair, 0);
  if (function.result == Type::kBool) result = builder.CreateZExt(result, builder.getInt64Ty());
  builder.CreateStore(result, wrapper->getArg(1));
  builder.CreateRet(builder.getInt32(0));

  builder.SetInsertPoint(faulted);
  builder.CreateCondBr(builder.CreateIsNull(wrapper->getArg(2)), out, report);
  builder.SetInsertPoint(report);
  builder.CreateStore(builder.CreateLoad(builder.getInt32Ty(), site), wrapper->getArg(2));
  builder.CreateBr(out);
  builder.SetInsertPoint(out);
  builder.CreateRet(fault);
}

}  // namespace

std::unique_ptr<llvm::Module> build_module(const lower::Module& module, llvm::LLVMContext& context,
                                           const std::string& symbol_prefix, std::string* error) {
  if (std::string problem = lower::verify(module); !problem.empty()) {
    if (error) *error = "invalid lowered module " + module.name + ": " + problem;
    return nullptr;
  }
  auto result = std::make_unique<llvm::Module>(module.name, context);
  llvm::Type* real = llvm::Type::getDoubleTy(context);
  ModuleContext mc{&module,
                   {},
                   result->getOrInsertFunction("fmod", real, real, real),
                   llvm::MDBuilder(context).createUnlikelyBranchWeights()};
  for (const lower::Function& function : module.functions) {
    mc.impls.push_back(declare_impl(*result, function));
  }
  for (std::size_t k = 0; k < module.functions.size(); ++k) {
    FunctionEmitter(mc, module.functions[k], mc.impls[k]).emit();
    emit_wrapper(*result, module.functions[k], mc.impls[k],
                 symbol_prefix + module.functions[k].name);
  }
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*result, &stream)) {
    if (error) *error = "code generator bug: invalid LLVM IR for " + module.name + ": " + problems;
    return nullptr;
  }
  return result;
}

}  // namespace gemba::jit
