#include "compiler/sema/check.h"

#include "compiler/sema/checker.h"
#include "compiler/sema/program.h"

namespace gemba::sema {

void check(const std::vector<ModuleInput>& modules, diag::DiagnosticSink& sink) {
  Program program(modules, sink);
}

Program::Program(const std::vector<ModuleInput>& modules, diag::DiagnosticSink& sink)
    : checker_(std::make_unique<Checker>(modules, sink)) {
  checker_->run();
}

Program::~Program() = default;

const std::vector<ModuleInput>& Program::modules() const { return checker_->modules_; }
const Facts& Program::facts() const { return checker_->facts_; }
const std::deque<plant::PlantModel>& Program::plants() const { return checker_->plants_; }
const DimensionTable& Program::dimensions() const { return checker_->dimensions_; }

const Symbol* Program::symbol_of(const ast::Decl* decl) const {
  auto it = checker_->by_decl_.find(decl);
  return it == checker_->by_decl_.end() ? nullptr : it->second;
}

void Checker::run() {
  for (std::size_t i = 0; i < modules_.size(); ++i) declare_module(i);
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    current_ = i;
    for (const auto& decl : modules_[i].ast->decls) check_decl(*decl);
  }
  // Imports are used by whatever resolved through them, in any module's check.
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    if (!modules_[i].is_stdlib) report_unused_imports(i);
  }
  report_recursion();
}

}  // namespace gemba::sema
