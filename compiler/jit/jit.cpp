#include "compiler/jit/jit.h"

#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <string_view>
#include <unordered_map>
#include <utility>

#include "compiler/jit/codegen.h"
#include "compiler/jit/object_cache.h"

namespace gemba::jit {
namespace {

// The prefix of every exported symbol: fixed, so that a module's IR is the same in every
// run (jit.h).
constexpr const char* kSymbolPrefix = "gemba.";

// Consumes `error` (it must not be dropped unchecked) and returns its text.
std::string text_of(llvm::Error error) { return llvm::toString(std::move(error)); }

void set_error(std::string* out, std::string text) {
  if (out) *out = std::move(text);
}

// What an object depends on besides the IR and the target: optimize_module's pipeline
// (O2, target.cpp) and the target machine's code generation options.
std::string optimization_of(const llvm::TargetMachine& machine) {
  auto number = [](auto value) { return std::to_string(static_cast<int>(value)); };
  return "ir=O2 codegen=" + number(machine.getOptLevel()) +
         " reloc=" + number(machine.getRelocationModel()) +
         " code_model=" + number(machine.getCodeModel()) +
         " fp_fusion=" + number(machine.Options.AllowFPOpFusion);
}

}  // namespace

struct Jit::Impl {
  // Declared first, destroyed last: its session owns every module's JITDylib.
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  std::unique_ptr<llvm::TargetMachine> machine;  // optimizes and compiles every module
  std::optional<ObjectCache> cache;
  std::string compiler_version;
  CacheStats stats;
  struct Added {
    llvm::orc::JITDylib* dylib = nullptr;
    std::unordered_map<std::string, lower::EntryPoint> entries;
    std::unordered_map<std::string, lower::BatchEntryPoint> batches;
    std::unordered_map<std::string, lower::TransitionEntry> transitions;
  };
  std::unordered_map<std::uint64_t, Added> modules;
  std::uint64_t next_id = 1;
  std::uint64_t next_dylib = 1;  // JITDylib names are unique in the session

  CacheKey key_of(const llvm::Module& ir) const;
  std::optional<Added> load_cached(const lower::Module& module, const CacheKey& key);
  void store(const CacheKey& key, std::string_view object);
  llvm::Expected<Added> link(const lower::Module& module,
                             std::unique_ptr<llvm::MemoryBuffer> object);
  llvm::Error resolve(const lower::Module& module, Added& added);
  ModuleHandle keep(Added added);
};

CacheKey Jit::Impl::key_of(const llvm::Module& ir) const {
  CacheKeyInputs inputs;
  inputs.compiler_version = compiler_version;
  inputs.llvm_version = LLVM_VERSION_STRING;
  inputs.triple = machine->getTargetTriple().str();
  inputs.cpu = machine->getTargetCPU().str();
  inputs.features = machine->getTargetFeatureString().str();
  inputs.optimization = optimization_of(*machine);
  llvm::raw_string_ostream text(inputs.module_ir);
  ir.print(text, nullptr);
  text.flush();
  return cache_key(inputs);
}

// The module linked from its cache entry, or nothing (a miss, counted, maybe a rejection).
std::optional<Jit::Impl::Added> Jit::Impl::load_cached(const lower::Module& module,
                                                       const CacheKey& key) {
  CacheRead entry = cache->read(key);
  std::string rejection;
  if (entry.status == CacheStatus::kOk) {
    auto added = link(module, llvm::MemoryBuffer::getMemBufferCopy(entry.object, hex(key)));
    if (added) {
      ++stats.hits;
      return std::move(*added);
    }
    rejection = "does not link: " + text_of(added.takeError());
  } else if (entry.status != CacheStatus::kNotFound) {
    rejection = describe(entry.status);
    if (!entry.detail.empty()) rejection += ": " + entry.detail;
  }
  ++stats.misses;
  if (!rejection.empty()) {
    ++stats.rejected;
    stats.last_rejection = cache->entry_path(key).string() + ": " + rejection;
  }
  return std::nullopt;
}

void Jit::Impl::store(const CacheKey& key, std::string_view object) {
  std::string problem;
  if (cache->write(key, object, &problem) != CacheStatus::kOk) {
    ++stats.write_failures;
    stats.last_write_failure = std::move(problem);
  }
}

// `object` linked into a new JITDylib, every entry point resolved; on failure the
// JITDylib is gone again.
llvm::Expected<Jit::Impl::Added> Jit::Impl::link(const lower::Module& module,
                                                 std::unique_ptr<llvm::MemoryBuffer> object) {
  llvm::orc::ExecutionSession& session = lljit->getExecutionSession();
  Added added;
  added.dylib = &session.createBareJITDylib("gemba.module." + std::to_string(next_dylib++));
  added.dylib->setLinkOrder(
      {{&lljit->getMainJITDylib(), llvm::orc::JITDylibLookupFlags::MatchExportedSymbolsOnly}});
  llvm::Error failed = lljit->addObjectFile(*added.dylib, std::move(object));
  if (!failed) failed = resolve(module, added);
  if (failed) {
    llvm::consumeError(session.removeJITDylib(*added.dylib));
    return failed;
  }
  return added;
}

// The first lookup links the whole object; the others only read the symbol table.
llvm::Error Jit::Impl::resolve(const lower::Module& module, Added& added) {
  for (const lower::Function& function : module.functions) {
    if (!function.entry) continue;
    auto address = lljit->lookup(*added.dylib, kSymbolPrefix + function.name);
    if (!address) return address.takeError();
    added.entries.emplace(function.name, address->toPtr<lower::EntryPoint>());
    auto batch = lljit->lookup(*added.dylib, kSymbolPrefix + function.name + ".batch");
    if (!batch) return batch.takeError();
    added.batches.emplace(function.name, batch->toPtr<lower::BatchEntryPoint>());
  }
  for (const lower::Machine& machine : module.machines) {
    auto address = lljit->lookup(*added.dylib, kSymbolPrefix + machine.name + ".transition");
    if (!address) return address.takeError();
    added.transitions.emplace(machine.name, address->toPtr<lower::TransitionEntry>());
  }
  return llvm::Error::success();
}

ModuleHandle Jit::Impl::keep(Added added) {
  std::uint64_t id = next_id++;
  modules.emplace(id, std::move(added));
  return ModuleHandle{id};
}

Jit::Jit(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

// The LLJIT's destructor ends the session, which frees every module's JITDylib.
Jit::~Jit() = default;

std::unique_ptr<Jit> Jit::create(std::string* error) { return create(JitOptions{}, error); }

std::unique_ptr<Jit> Jit::create(const JitOptions& options, std::string* error) {
  if (options.cache_dir && options.compiler_version.empty()) {
    set_error(error, "an object cache needs the compiler version (JitOptions::compiler_version)");
    return nullptr;
  }
  initialize_native_target();
  auto impl = std::make_unique<Impl>();
  impl->machine = host_target_machine(error);
  if (impl->machine == nullptr) return nullptr;
  if (options.cache_dir) impl->cache.emplace(*options.cache_dir);
  impl->compiler_version = options.compiler_version;

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    set_error(error, "cannot detect the host: " + text_of(builder.takeError()));
    return nullptr;
  }
  auto lljit = llvm::orc::LLJITBuilder()
                   .setJITTargetMachineBuilder(std::move(*builder))
                   .setLinkProcessSymbolsByDefault(false)
                   .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                   .create();
  if (!lljit) {
    set_error(error, "cannot create the JIT: " + text_of(lljit.takeError()));
    return nullptr;
  }
  impl->lljit = std::move(*lljit);

  // The C library functions generated code calls, and nothing else of the process.
  llvm::orc::SymbolStringPtr fmod = impl->lljit->mangleAndIntern("fmod");
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      impl->lljit->getDataLayout().getGlobalPrefix(),
      [fmod](const llvm::orc::SymbolStringPtr& name) { return name == fmod; });
  if (!process) {
    set_error(error, "cannot search the process's symbols: " + text_of(process.takeError()));
    return nullptr;
  }
  impl->lljit->getMainJITDylib().addGenerator(std::move(*process));
  return std::unique_ptr<Jit>(new Jit(std::move(impl)));
}

std::optional<ModuleHandle> Jit::add(const lower::Module& module, std::string* error) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> ir = build_module(module, context, kSymbolPrefix, error);
  if (ir == nullptr) return std::nullopt;
  ir->setDataLayout(impl_->machine->createDataLayout());
  ir->setTargetTriple(impl_->machine->getTargetTriple().str());

  std::optional<CacheKey> key;
  if (impl_->cache) {
    key = impl_->key_of(*ir);
    if (std::optional<Impl::Added> added = impl_->load_cached(module, *key)) {
      return impl_->keep(std::move(*added));
    }
  }
  optimize_module(*ir, *impl_->machine);
  llvm::orc::SimpleCompiler compile(*impl_->machine);
  auto object = compile(*ir);
  if (!object) {
    set_error(error, "cannot compile " + module.name + ": " + text_of(object.takeError()));
    return std::nullopt;
  }
  // Stored only once it has linked: the cache never holds an object known to be bad.
  std::string bytes = key ? (*object)->getBuffer().str() : std::string();
  auto added = impl_->link(module, std::move(*object));
  if (!added) {
    set_error(error, "cannot link " + module.name + ": " + text_of(added.takeError()));
    return std::nullopt;
  }
  if (key) impl_->store(*key, bytes);
  return impl_->keep(std::move(*added));
}

lower::EntryPoint Jit::lookup(ModuleHandle module, const std::string& function) {
  auto added = impl_->modules.find(module.id);
  if (added == impl_->modules.end()) return nullptr;
  auto entry = added->second.entries.find(function);
  return entry == added->second.entries.end() ? nullptr : entry->second;
}

lower::BatchEntryPoint Jit::lookup_batch(ModuleHandle module, const std::string& function) {
  auto added = impl_->modules.find(module.id);
  if (added == impl_->modules.end()) return nullptr;
  auto entry = added->second.batches.find(function);
  return entry == added->second.batches.end() ? nullptr : entry->second;
}

lower::TransitionEntry Jit::lookup_transition(ModuleHandle module, const std::string& machine) {
  auto added = impl_->modules.find(module.id);
  if (added == impl_->modules.end()) return nullptr;
  auto entry = added->second.transitions.find(machine);
  return entry == added->second.transitions.end() ? nullptr : entry->second;
}

bool Jit::remove(ModuleHandle module, std::string* error) {
  auto added = impl_->modules.find(module.id);
  if (added == impl_->modules.end()) {
    set_error(error, "no module " + std::to_string(module.id) + " in this JIT");
    return false;
  }
  llvm::orc::JITDylib& dylib = *added->second.dylib;
  impl_->modules.erase(added);
  if (llvm::Error failed = impl_->lljit->getExecutionSession().removeJITDylib(dylib)) {
    set_error(error, "cannot remove module " + std::to_string(module.id) + ": " +
                         text_of(std::move(failed)));
    return false;
  }
  return true;
}

const CacheStats& Jit::cache_stats() const { return impl_->stats; }

}  // namespace gemba::jit
