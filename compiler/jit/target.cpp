// The host target machine, the optimization pipeline, and the textual outputs of
// codegen.h (IR and assembly).
#include <llvm/ADT/SmallString.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>

#include <mutex>

#include "compiler/jit/codegen.h"

namespace gemba::jit {

void initialize_native_target() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

std::unique_ptr<llvm::TargetMachine> host_target_machine(std::string* error) {
  initialize_native_target();
  std::string triple = llvm::sys::getProcessTriple();
  std::string problem;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, problem);
  if (target == nullptr) {
    if (error) *error = "no LLVM target for " + triple + ": " + problem;
    return nullptr;
  }
  std::string features;
  for (const auto& [name, enabled] : llvm::sys::getHostCPUFeatures()) {
    features += (enabled ? "+" : "-") + name.str() + ",";
  }
  llvm::TargetOptions options;
  options.AllowFPOpFusion = llvm::FPOpFusion::Strict;  // no FMA: bit-equal to the interpreter
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, llvm::sys::getHostCPUName(), features, options,
                                  llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Default));
  if (machine == nullptr && error) *error = "cannot create a target machine for " + triple;
  return machine;
}

void optimize_module(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
}

namespace {

// The module with the host's data layout and triple, so both outputs match the JIT's.
std::unique_ptr<llvm::Module> build_for(const lower::Module& module, llvm::LLVMContext& context,
                                        llvm::TargetMachine& machine, std::string* error) {
  std::unique_ptr<llvm::Module> result = build_module(module, context, "", error);
  if (result == nullptr) return nullptr;
  result->setDataLayout(machine.createDataLayout());
  result->setTargetTriple(machine.getTargetTriple().str());
  return result;
}

}  // namespace

std::string emit_llvm_ir(const lower::Module& module, bool optimized, std::string* error) {
  std::unique_ptr<llvm::TargetMachine> machine = host_target_machine(error);
  if (machine == nullptr) return "";
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> result = build_for(module, context, *machine, error);
  if (result == nullptr) return "";
  if (optimized) optimize_module(*result, *machine);
  std::string text;
  llvm::raw_string_ostream stream(text);
  result->print(stream, nullptr);
  return text;
}

std::string emit_assembly(const lower::Module& module, std::string* error) {
  std::unique_ptr<llvm::TargetMachine> machine = host_target_machine(error);
  if (machine == nullptr) return "";
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> result = build_for(module, context, *machine, error);
  if (result == nullptr) return "";
  optimize_module(*result, *machine);
  llvm::SmallString<4096> text;
  llvm::raw_svector_ostream stream(text);
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, stream, nullptr, llvm::CodeGenFileType::AssemblyFile)) {
    if (error) *error = "the host target cannot emit assembly";
    return "";
  }
  passes.run(*result);
  return std::string(text.str());
}

}  // namespace gemba::jit
