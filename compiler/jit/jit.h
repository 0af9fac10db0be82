// An in-process JIT for lowered modules (ORC LLJIT, LLVM 19), behind an interface free
// of LLVM headers, with an optional on-disk object cache.
//
// Each added module is optimized (O2) and compiled for the host CPU into one object file
// here, not by LLJIT's compile layer, and that object is linked into a JITDylib of the
// module's own: it is removed on its own, and two modules may define functions of the
// same name. Exported symbols are `gemba.<function>`, `gemba.<function>.batch` and
// `gemba.<machine>.transition`, the same in every module and every run, so a module's
// IR, hence its object, depends neither on the process nor on the order modules are
// added in: an object compiled by one run can be linked by the next. Process symbols are
// visible to generated code only through an allow-list (`fmod`), in the main JITDylib,
// which every module's JITDylib links against.
//
// Object cache (JitOptions::cache_dir; object_cache.h has the entry file layout): one
// file per module, `<key>.gobj`, holding magic, format version, key, payload length,
// payload SHA-256 and the object. The key is a SHA-256 over the cache format version,
// the lowered-form version (compiler/lower/README.md), the Gemba compiler version,
// LLVM_VERSION_STRING, the target machine's triple, CPU and features, the optimization
// settings, and the unoptimized IR text of the module, which covers the template and
// the plant model (plant constants are folded into the lowered form). On a hit, `add`
// links the stored object: no optimization, no code generation (the IR is still built,
// to compute the key). On a miss it compiles, links, then stores the object atomically;
// a failed write costs only the cache. An entry whose file does not check out (length,
// magic, format version, key, payload checksum), cannot be read, or does not link is
// never used: it is counted as rejected, the module is compiled, and the entry replaced.
//
// Not thread-safe: one Jit per thread, or a lock around it. Jits in several threads or
// processes may share a cache directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "compiler/lower/lowered.h"

namespace gemba::jit {

struct ModuleHandle {
  std::uint64_t id = 0;
};

struct JitOptions {
  // Where compiled objects are kept across runs; no cache when unset. The directory
  // need not exist; one that cannot be created or written only costs the cache.
  std::optional<std::filesystem::path> cache_dir;
  // Gemba's version (GEMBA_VERSION), part of every cache key: required with cache_dir.
  std::string compiler_version;
};

// What the object cache did since the Jit was created (all zero without a cache).
struct CacheStats {
  std::uint64_t hits = 0;            // modules linked from a stored object
  std::uint64_t misses = 0;          // modules compiled: no entry, or a rejected one
  std::uint64_t rejected = 0;        // entries found but not used (then replaced)
  std::uint64_t write_failures = 0;  // compiled objects that could not be stored
  std::string last_rejection;        // why the last rejected entry was not used
  std::string last_write_failure;    // why the last store failed
};

class Jit {
 public:
  // Null + error text on failure (no host target, or a cache_dir without a version).
  static std::unique_ptr<Jit> create(const JitOptions& options, std::string* error);
  static std::unique_ptr<Jit> create(std::string* error);  // no object cache
  ~Jit();
  Jit(const Jit&) = delete;
  Jit& operator=(const Jit&) = delete;

  // Compiles `module` (optimized, O2), or links its object from the cache, into a
  // JITDylib of its own and resolves every entry point, so lookups never compile; error
  // text on failure (never throws).
  std::optional<ModuleHandle> add(const lower::Module& module, std::string* error);

  // The ABI wrapper of `function` in that module, or null.
  lower::EntryPoint lookup(ModuleHandle module, const std::string& function);

  // The batch wrapper (`<function>.batch`, lower::BatchEntryPoint) of `function`, or null.
  lower::BatchEntryPoint lookup_batch(ModuleHandle module, const std::string& function);

  // The transition of procedure `machine` (`<machine>.transition`, lower::TransitionEntry),
  // or null.
  lower::TransitionEntry lookup_transition(ModuleHandle module, const std::string& machine);

  // Frees the module's code; lookups into it are invalid afterwards.
  bool remove(ModuleHandle module, std::string* error);

  const CacheStats& cache_stats() const;

 private:
  struct Impl;
  explicit Jit(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gemba::jit
