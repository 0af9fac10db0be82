#include "compiler/sema/check.h"

#include "compiler/sema/checker.h"

namespace gemba::sema {

void check(const std::vector<ModuleInput>& modules, diag::DiagnosticSink& sink) {
  Checker checker(modules, sink);
  checker.run();
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
