#include "compiler/jit/jit.h"

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

#include <unordered_map>
#include <utility>

#include "compiler/jit/codegen.h"

namespace gemba::jit {
namespace {

// Consumes `error` (it must not be dropped unchecked) and returns its text.
std::string text_of(llvm::Error error) { return llvm::toString(std::move(error)); }

void set_error(std::string* out, std::string text) {
  if (out) *out = std::move(text);
}

std::string symbol_prefix(std::uint64_t id) { return "gemba." + std::to_string(id) + "."; }

}  // namespace

struct Jit::Impl {
  // Declared first, destroyed last: trackers (in `modules`) refer to its session.
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  std::unique_ptr<llvm::TargetMachine> machine;  // for the optimization pipeline
  struct Added {
    llvm::orc::ResourceTrackerSP tracker;
    std::unordered_map<std::string, lower::EntryPoint> entries;
    std::unordered_map<std::string, lower::BatchEntryPoint> batches;
  };
  std::unordered_map<std::uint64_t, Added> modules;
  std::uint64_t next_id = 1;
};

Jit::Jit(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Jit::~Jit() {
  // Free every module's code while the session still exists; errors cannot be reported.
  for (auto& [id, added] : impl_->modules) llvm::consumeError(added.tracker->remove());
  impl_->modules.clear();
}

std::unique_ptr<Jit> Jit::create(std::string* error) {
  initialize_native_target();
  auto impl = std::make_unique<Impl>();
  impl->machine = host_target_machine(error);
  if (impl->machine == nullptr) return nullptr;

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    set_error(error, "cannot detect the host: " + text_of(builder.takeError()));
    return nullptr;
  }
  builder->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Strict;
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);
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
  std::uint64_t id = impl_->next_id++;
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> ir = build_module(module, *context, symbol_prefix(id), error);
  if (ir == nullptr) return std::nullopt;
  ir->setDataLayout(impl_->lljit->getDataLayout());
  ir->setTargetTriple(impl_->lljit->getTargetTriple().str());
  optimize_module(*ir, *impl_->machine);

  llvm::orc::JITDylib& dylib = impl_->lljit->getMainJITDylib();
  Impl::Added added{dylib.createResourceTracker(), {}};
  llvm::orc::ThreadSafeModule safe(std::move(ir), std::move(context));
  if (llvm::Error failed = impl_->lljit->addIRModule(added.tracker, std::move(safe))) {
    set_error(error, "cannot add " + module.name + ": " + text_of(std::move(failed)));
    llvm::consumeError(added.tracker->remove());
    return std::nullopt;
  }
  // The first lookup compiles the whole module; the others only read the symbol table.
  for (const lower::Function& function : module.functions) {
    auto address = impl_->lljit->lookup(dylib, symbol_prefix(id) + function.name);
    if (!address) {
      set_error(error, "cannot compile " + module.name + ": " + text_of(address.takeError()));
      llvm::consumeError(added.tracker->remove());
      return std::nullopt;
    }
    added.entries.emplace(function.name, address->toPtr<lower::EntryPoint>());
    // TODO(batch): required once codegen emits `<name>.batch` for every function.
    auto batch = impl_->lljit->lookup(dylib, symbol_prefix(id) + function.name + ".batch");
    if (batch) {
      added.batches.emplace(function.name, batch->toPtr<lower::BatchEntryPoint>());
    } else {
      llvm::consumeError(batch.takeError());
    }
  }
  impl_->modules.emplace(id, std::move(added));
  return ModuleHandle{id};
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

bool Jit::remove(ModuleHandle module, std::string* error) {
  auto added = impl_->modules.find(module.id);
  if (added == impl_->modules.end()) {
    set_error(error, "no module " + std::to_string(module.id) + " in this JIT");
    return false;
  }
  llvm::Error failed = added->second.tracker->remove();
  impl_->modules.erase(added);
  if (failed) {
    set_error(error, "cannot remove module " + std::to_string(module.id) + ": " +
                         text_of(std::move(failed)));
    return false;
  }
  return true;
}

}  // namespace gemba::jit
