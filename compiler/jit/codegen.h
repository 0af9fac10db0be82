// Code generation: a lowered module (compiler/lower/lowered.h) becomes one LLVM module,
// following the run-time semantics of compiler/lower/README.md exactly, so that the JIT
// and the reference interpreter agree bit for bit.
//
// Every lowered function `f` becomes up to four LLVM functions (emit.h has the details;
// the fast body and the entry points are made only for `entry` functions, and the fast
// body for the functions their fast bodies call):
//   - `gemba.impl.f` (internal, checked): one early exit per possible fault; reports the
//     fault and the index of the faulting node *of f* (a fault inside a callee is
//     reported at f's kCall node that led to it).
//   - `gemba.fast.f` (internal, fast): no branch; the same value, and a flag set whenever
//     the checked body would fault (fast_body.cpp states the rule and argues it).
//   - `f` (external): the shared ABI, `i32 f(const Scalar*, Scalar*, uint32_t*)`.
//   - `f.batch` (external): the batch ABI (lower::BatchEntryPoint).
//   Both entry points run the fast body, and the checked one where the flag is set; a
//   bool result is stored as a zero-extended 64-bit word.
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

// Builds the (unoptimized, verified) LLVM module. Exported entry points are named
// `symbol_prefix + function.name` and that + ".batch". Null with `*error` set if
// `module` fails lower::verify or the generated IR fails LLVM's verifier (a code
// generator bug).
std::unique_ptr<llvm::Module> build_module(const lower::Module& module, llvm::LLVMContext& context,
                                           const std::string& symbol_prefix, std::string* error);

// Adds `<symbol_prefix><machine>.transition` (lower::TransitionEntry) for every machine
// of `module` to `out`, which must already hold the functions' `gemba.impl.*` bodies
// (codegen_machine.cpp).
void emit_machines(llvm::Module& out, const lower::Module& module,
                   const std::string& symbol_prefix);

// Runs the O2 pipeline on `module` for `machine` (no fast-math: the IR carries no flags).
void optimize_module(llvm::Module& module, llvm::TargetMachine& machine);

// A target machine for the host CPU: FP op fusion Strict, CodeGenOptLevel::Default.
// Null with `*error` set on failure. Initializes the native target on first use.
std::unique_ptr<llvm::TargetMachine> host_target_machine(std::string* error);

// Makes the native target, asm printer and asm parser available; idempotent.
void initialize_native_target();

}  // namespace gemba::jit
