// An in-process JIT for lowered modules (ORC LLJIT, LLVM 19), behind an interface free
// of LLVM headers. One JITDylib; each added module lives in its own ResourceTracker, so
// it can be removed on its own. Exported symbols carry a per-module prefix
// (`gemba.<id>.<function>`), so two modules may define functions of the same name.
// Process symbols are visible to generated code only through an allow-list (`fmod`).
//
// Not thread-safe: one Jit per thread, or a lock around it.
//
// Object cache (not implemented; where it would go): `Jit::add` would compute a key
// from the lowered-form version (compiler/lower/README.md), the LLVM version, the host
// triple, CPU name and features, the optimization level, and a hash of the IR printed
// by build_module (before the per-module symbol prefix, or with a fixed one and a
// rename at link time). An llvm::ObjectCache set on the IRCompileLayer's compiler
// (`LLJITBuilder::setCompileFunctionCreator` returning a SimpleCompiler/
// ConcurrentIRCompiler with the cache) would then read/write `<key>.o` files; on a hit
// `addObjectFile(tracker, buffer)` skips codegen and optimization entirely. The key
// format would be written down beside the code, with its own version.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "compiler/lower/lowered.h"

namespace gemba::jit {

struct ModuleHandle {
  std::uint64_t id = 0;
};

class Jit {
 public:
  static std::unique_ptr<Jit> create(std::string* error);  // null + error text on failure
  ~Jit();
  Jit(const Jit&) = delete;
  Jit& operator=(const Jit&) = delete;

  // Compiles `module` (optimized, O2) into its own ResourceTracker and resolves every
  // entry point, so lookups never compile; error text on failure (never throws).
  std::optional<ModuleHandle> add(const lower::Module& module, std::string* error);

  // The ABI wrapper of `function` in that module, or null.
  lower::EntryPoint lookup(ModuleHandle module, const std::string& function);

  // The batch wrapper (`<function>.batch`, lower::BatchEntryPoint) of `function`, or null.
  lower::BatchEntryPoint lookup_batch(ModuleHandle module, const std::string& function);

  // Frees the module's code; lookups into it are invalid afterwards.
  bool remove(ModuleHandle module, std::string* error);

 private:
  struct Impl;
  explicit Jit(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gemba::jit
