// Code generation: a lowered module (compiler/lower/lowered.h) becomes one LLVM module,
// following the run-time semantics of compiler/lower/README.md exactly, so that the JIT
// and the reference interpreter agree bit for bit.
//
// Every lowered function `f` becomes two LLVM functions:
//   - `gemba.impl.f` (internal): typed parameters (i1, i64, double), then `i32 depth`
//     and `ptr fault_site`; returns `{ T, i32 }`, the value and the fault (0 = none).
//     On a fault it stores the index of the faulting node *of f* into fault_site: a
//     fault inside a callee is reported at f's kCall node that led to it.
//   - `f` (external): the shared ABI, `i32 f(const Scalar*, Scalar*, uint32_t*)`,
//     which loads the arguments, calls the impl at depth 0 and stores the result (a bool
//     result is stored as a zero-extended 64-bit word).
//
// This header stays free of LLVM headers: only compiler/jit/*.cpp include them.
#pragma once

#include <memory>
#include <string>

#include "compiler/lower/lowered.h"

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
}  // namespace llvm

namespace gemba::jit {

// The textual IR of `module`; `optimized` runs the same O2 pipeline as the JIT first.
// Empty, with `*error` set (when not null), if `module` fails lower::verify.
std::string emit_llvm_ir(const lower::Module& module, bool optimized = false,
                         std::string* error = nullptr);

// Optimized assembly for the host CPU; empty with `*error` set on failure.
std::string emit_assembly(const lower::Module& module, std::string* error);

// ---- For compiler/jit/*.cpp only (they include the LLVM headers) -----------------------

// Builds the (unoptimized, verified) LLVM module. Exported wrappers are named
// `symbol_prefix + function.name`. Null with `*error` set if `module` fails
// lower::verify or the generated IR fails LLVM's verifier (a code generator bug).
std::unique_ptr<llvm::Module> build_module(const lower::Module& module, llvm::LLVMContext& context,
                                           const std::string& symbol_prefix, std::string* error);

// Runs the O2 pipeline on `module` for `machine` (no fast-math: the IR carries no flags).
void optimize_module(llvm::Module& module, llvm::TargetMachine& machine);

// A target machine for the host CPU: FP op fusion Strict, CodeGenOptLevel::Default.
// Null with `*error` set on failure. Initializes the native target on first use.
std::unique_ptr<llvm::TargetMachine> host_target_machine(std::string* error);

// Makes the native target, asm printer and asm parser available; idempotent.
void initialize_native_target();

}  // namespace gemba::jit
