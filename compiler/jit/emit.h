// The parts of code generation (codegen.h) that build one LLVM function each, and what
// they share. Includes LLVM headers: for compiler/jit/*.cpp only.
//
// Per lowered function `f` of a module (the fast body and entry points only for entry
// functions, `lower::Function::entry`, and the fast body for their callees):
//   gemba.impl.f  checked body (checked_body.cpp): `{ T, i32 fault } (params..., i32 depth,
//                 ptr fault_site)`, one early exit per possible fault, the reference
//                 semantics of compiler/lower/README.md.
//   gemba.fast.f  fast body (fast_body.cpp): `{ T, i1 may_fault } (params..., i32 depth)`,
//                 no branch; its value equals the checked body's whenever may_fault is
//                 false, and may_fault is true whenever the checked body would fault.
//   f, f.batch    exported entry points (entry_points.cpp): run the fast body, and the
//                 checked body only where may_fault is set.
#pragma once

#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Metadata.h>
#include <llvm/IR/Module.h>

#include <string>
#include <vector>

#include "compiler/lower/lowered.h"

namespace gemba::jit {

// What every body needs from its module, by function index.
struct ModuleContext {
  const lower::Module* module = nullptr;
  std::vector<llvm::Function*> impls;  // checked bodies
  std::vector<llvm::Function*> fasts;  // fast bodies (null where none is needed)
  std::vector<bool> recursive;         // on a call cycle (fast bodies call its impl)
  llvm::FunctionCallee fmod;
  llvm::MDNode* unlikely = nullptr;  // branch weights towards a rarely taken block
};

llvm::Type* llvm_type(llvm::LLVMContext& context, lower::Type type);

// `!(|v| < inf)`: true for NaN and +-infinity.
llvm::Value* not_finite(llvm::IRBuilder<>& builder, llvm::Value* v);

// The lowered constant `node.value` as an LLVM constant of `node.type`.
llvm::Constant* constant_of(llvm::IRBuilder<>& builder, const lower::Node& node);

// `a <op> b` for a comparison op; operands of one type (`operand`).
llvm::Value* compare(llvm::IRBuilder<>& builder, lower::Op op, lower::Type operand, llvm::Value* a,
                     llvm::Value* b);

// `srem a, b` with the divisor -1 replaced by 1 (x % -1 == x % 1 == 0, and INT64_MIN %
// -1 is undefined in LLVM); a zero divisor must be excluded by the caller.
llvm::Value* int_remainder(llvm::IRBuilder<>& builder, llvm::Value* a, llvm::Value* b);

// Keeps the optimizer from turning loops into calls to memset, memcpy or memmove: the
// JIT resolves no C library symbol but fmod (jit.cpp).
void forbid_memory_builtins(llvm::Function& function);

llvm::Function* declare_impl(llvm::Module& module, const lower::Function& function);
llvm::Function* declare_fast(llvm::Module& module, const lower::Function& function);

// The bodies of function `index` (declared, still empty).
void emit_checked_body(const ModuleContext& mc, std::size_t index);
void emit_fast_body(const ModuleContext& mc, std::size_t index);

// `i32 name(const Scalar* args, Scalar* result, uint32_t* fault_site)` and
// `i32 name.batch(const Scalar* args, Scalar* results, uint64_t count,
//                 uint64_t* fault_item, uint32_t* fault_site)` for function `index`.
void emit_entry_points(const ModuleContext& mc, std::size_t index, const std::string& name);

}  // namespace gemba::jit
