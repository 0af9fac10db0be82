// build_module (codegen.h): declares every function's bodies, has them and the entry
// points emitted (emit.h), verifies the result; and the small helpers emit.h shares.
#include "compiler/jit/codegen.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <vector>

#include "compiler/jit/emit.h"

namespace gemba::jit {

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

llvm::Value* not_finite(llvm::IRBuilder<>& builder, llvm::Value* v) {
  llvm::Value* magnitude = builder.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
  llvm::Value* inf = llvm::ConstantFP::getInfinity(builder.getDoubleTy());
  return builder.CreateFCmpUGE(magnitude, inf);  // unordered or >=
}

llvm::Constant* constant_of(llvm::IRBuilder<>& builder, const lower::Node& node) {
  switch (node.type) {
    case Type::kBool:
      return builder.getInt1(node.value.b);
    case Type::kInt:
      return builder.getInt64(static_cast<std::uint64_t>(node.value.i));
    case Type::kReal:
      return llvm::ConstantFP::get(builder.getDoubleTy(), node.value.r);
  }
  return nullptr;
}

// Real predicates are ordered (false on NaN) but for `!=` (true on NaN), as in C++.
llvm::Value* compare(llvm::IRBuilder<>& builder, Op op, Type operand, llvm::Value* a,
                     llvm::Value* b) {
  using P = llvm::CmpInst::Predicate;
  bool real = operand == Type::kReal;
  switch (op) {
    case Op::kLt:
      return builder.CreateCmp(real ? P::FCMP_OLT : P::ICMP_SLT, a, b);
    case Op::kLe:
      return builder.CreateCmp(real ? P::FCMP_OLE : P::ICMP_SLE, a, b);
    case Op::kGt:
      return builder.CreateCmp(real ? P::FCMP_OGT : P::ICMP_SGT, a, b);
    case Op::kGe:
      return builder.CreateCmp(real ? P::FCMP_OGE : P::ICMP_SGE, a, b);
    case Op::kEq:
      return builder.CreateCmp(real ? P::FCMP_OEQ : P::ICMP_EQ, a, b);
    default:
      return builder.CreateCmp(real ? P::FCMP_UNE : P::ICMP_NE, a, b);
  }
}

llvm::Value* int_remainder(llvm::IRBuilder<>& builder, llvm::Value* a, llvm::Value* b) {
  llvm::Value* minus_one = builder.CreateICmpEQ(b, builder.getInt64(-1));
  return builder.CreateSRem(a, builder.CreateSelect(minus_one, builder.getInt64(1), b));
}

void forbid_memory_builtins(llvm::Function& function) {
  for (const char* name : {"no-builtin-memset", "no-builtin-memcpy", "no-builtin-memmove"}) {
    function.addFnAttr(name);
  }
}

namespace {

// `{ T, second }`: a body's value and its fault (i32) or may_fault (i1) flag.
llvm::Function* declare_body(llvm::Module& module, const lower::Function& function,
                             const std::string& name, llvm::Type* second,
                             std::vector<llvm::Type*> extra) {
  llvm::LLVMContext& context = module.getContext();
  std::vector<llvm::Type*> params;
  for (Type type : function.params) params.push_back(llvm_type(context, type));
  params.insert(params.end(), extra.begin(), extra.end());
  auto* result = llvm::StructType::get(llvm_type(context, function.result), second);
  auto* type = llvm::FunctionType::get(result, params, false);
  auto* body = llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, name, module);
  body->addFnAttr(llvm::Attribute::NoUnwind);
  forbid_memory_builtins(*body);
  return body;
}

using CallGraph = std::vector<std::vector<std::uint32_t>>;  // callees, by function

// Whether function `f` can reach itself through calls.
bool calls_back(const CallGraph& callees, std::uint32_t f) {
  std::vector<bool> seen(callees.size(), false);
  std::vector<std::uint32_t> pending = callees[f];
  while (!pending.empty()) {
    std::uint32_t g = pending.back();
    pending.pop_back();
    if (g == f) return true;
    if (seen[g]) continue;
    seen[g] = true;
    pending.insert(pending.end(), callees[g].begin(), callees[g].end());
  }
  return false;
}

// By function index: whether it gets a fast body: entry functions (their entry points run
// it) and, transitively, the callees their fast bodies call (recursive ones excepted:
// fast bodies call their checked body).
std::vector<bool> fast_bodies(const lower::Module& module, const std::vector<bool>& recursive) {
  std::vector<bool> fast(module.functions.size(), false);
  std::vector<std::uint32_t> pending;
  for (std::uint32_t f = 0; f < fast.size(); ++f) {
    if (module.functions[f].entry) pending.push_back(f);
  }
  while (!pending.empty()) {
    std::uint32_t f = pending.back();
    pending.pop_back();
    if (fast[f]) continue;
    fast[f] = true;
    for (const lower::Node& node : module.functions[f].nodes) {
      if (node.op == Op::kCall && !recursive[node.index]) pending.push_back(node.index);
    }
  }
  return fast;
}

std::vector<bool> recursive_functions(const lower::Module& module) {
  CallGraph callees(module.functions.size());
  for (std::size_t f = 0; f < callees.size(); ++f) {
    for (const lower::Node& node : module.functions[f].nodes) {
      if (node.op == Op::kCall) callees[f].push_back(node.index);
    }
  }
  std::vector<bool> recursive(callees.size());
  for (std::uint32_t f = 0; f < callees.size(); ++f) recursive[f] = calls_back(callees, f);
  return recursive;
}

}  // namespace

llvm::Function* declare_impl(llvm::Module& module, const lower::Function& function) {
  llvm::LLVMContext& context = module.getContext();
  return declare_body(module, function, "gemba.impl." + function.name,
                      llvm::Type::getInt32Ty(context),
                      {llvm::Type::getInt32Ty(context), llvm::PointerType::getUnqual(context)});
}

llvm::Function* declare_fast(llvm::Module& module, const lower::Function& function) {
  llvm::LLVMContext& context = module.getContext();
  return declare_body(module, function, "gemba.fast." + function.name,
                      llvm::Type::getInt1Ty(context), {llvm::Type::getInt32Ty(context)});
}

std::unique_ptr<llvm::Module> build_module(const lower::Module& module, llvm::LLVMContext& context,
                                           const std::string& symbol_prefix, std::string* error) {
  if (std::string problem = lower::verify(module); !problem.empty()) {
    if (error) *error = "invalid lowered module " + module.name + ": " + problem;
    return nullptr;
  }
  auto result = std::make_unique<llvm::Module>(module.name, context);
  llvm::Type* real = llvm::Type::getDoubleTy(context);
  ModuleContext mc;
  mc.module = &module;
  mc.recursive = recursive_functions(module);
  mc.fmod = result->getOrInsertFunction("fmod", real, real, real);
  mc.unlikely = llvm::MDBuilder(context).createUnlikelyBranchWeights();
  std::vector<bool> fast = fast_bodies(module, mc.recursive);
  for (std::size_t k = 0; k < module.functions.size(); ++k) {
    mc.impls.push_back(declare_impl(*result, module.functions[k]));
    mc.fasts.push_back(fast[k] ? declare_fast(*result, module.functions[k]) : nullptr);
  }
  for (std::size_t k = 0; k < module.functions.size(); ++k) {
    emit_checked_body(mc, k);
    if (fast[k]) emit_fast_body(mc, k);
    if (module.functions[k].entry) {
      emit_entry_points(mc, k, symbol_prefix + module.functions[k].name);
    }
  }
  emit_machines(*result, module, symbol_prefix);
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*result, &stream)) {
    if (error) *error = "code generator bug: invalid LLVM IR for " + module.name + ": " + problems;
    return nullptr;
  }
  return result;
}

}  // namespace gemba::jit
