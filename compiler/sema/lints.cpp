// Local scopes and the lints that come from them: unused bindings and imports,
// shadowing, and recursion between functions and KPIs.
#include <functional>
#include <set>

#include <algorithm>

#include "compiler/sema/checker.h"

namespace gemba::sema {
namespace {

using diag::Code;

const char* local_kind_name(LocalKind kind) {
  switch (kind) {
    case LocalKind::kParam:
      return "parameter";
    case LocalKind::kUses:
      return "equipment binding";
    case LocalKind::kLet:
      return "`let` binding";
    case LocalKind::kVar:
      return "`var` binding";
    case LocalKind::kLoop:
      return "loop variable";
    case LocalKind::kProperty:
      return "property";
  }
  return "binding";
}

}  // namespace

void Checker::push_scope() { locals_.emplace_back(); }

void Checker::pop_scope() {
  for (const Symbol* local : locals_.back()) report_unused(*local);
  locals_.pop_back();
}

Symbol* Checker::add_local(const ast::Ident& name, LocalKind kind, const Type& type) {
  for (std::size_t depth = 0; depth < locals_.size(); ++depth) {
    for (Symbol* other : locals_[depth]) {
      if (other->name != name.name) continue;
      // A parameter declared twice was reported with the signature.
      if (kind == LocalKind::kParam && other->local == LocalKind::kParam) return other;
      // The top of a step shares the procedure's frame with parameters and other steps.
      bool same_frame =
          frame_depth_ && depth == *frame_depth_ && locals_.size() == *frame_depth_ + 2;
      if (depth + 1 == locals_.size() || same_frame) {
        sink_
            .report(Code::kDuplicateDefinition, name.span, "`" + name.name + "` is already defined")
            .note(other->span, "the first `" + name.name + "` is here")
            .with_hint(same_frame ? "a procedure's parameters, bindings and step-level lets "
                                    "share one frame; give this binding another name"
                                  : "give this binding another name");
      } else {
        sink_
            .report(Code::kShadowing, name.span,
                    "`" + name.name + "` hides the " + local_kind_name(other->local) +
                        " of the same name")
            .note(other->span, "the hidden `" + name.name + "` is here")
            .with_hint("rename one of them");
      }
    }
  }
  Symbol& s = symbols_.emplace_back();
  s.kind = SymbolKind::kLocal;
  s.name = name.name;
  s.span = name.span;
  s.module = current_;
  s.type = type;
  s.local = kind;
  s.resolution = Resolution::kDone;
  locals_.back().push_back(&s);
  return &s;
}

void Checker::report_unused(const Symbol& local) {
  if (local.used || local.name.empty() || local.name[0] == '_') return;
  if (modules_[local.module].is_stdlib) return;
  sink_
      .report(Code::kUnusedBinding, local.span,
              std::string(local_kind_name(local.local)) + " `" + local.name + "` is never used")
      .with_hint("remove it, or start its name with `_` to keep it on purpose");
}

void Checker::report_unused_imports(std::size_t module) {
  const ModuleScope& scope = scopes_[module];
  for (std::size_t i = 0; i < scope.import_used.size(); ++i) {
    if (scope.import_used[i]) continue;
    const auto& imported = modules_[scope.input->imports[i].module];
    sink_
        .report(Code::kUnusedImport, scope.input->imports[i].import->span,
                "nothing from module `" + imported.name + "` is used")
        .with_hint("remove this import");
  }
}

void Checker::report_recursion() {
  // Depth-first search over the call graph; a back edge closes a cycle. Each cycle is
  // reported once, at the call that closes it.
  enum class Mark { kNone, kActive, kDone };
  std::map<Symbol*, Mark> marks;
  std::vector<Symbol*> stack;
  std::function<void(Symbol*)> visit = [&](Symbol* from) {
    marks[from] = Mark::kActive;
    stack.push_back(from);
    for (const auto& [to, span] : calls_[from]) {
      if (marks[to] == Mark::kActive) {
        std::string path;
        auto start = std::find(stack.begin(), stack.end(), to);
        for (auto it = start; it != stack.end(); ++it) path += (*it)->name + " -> ";
        path += to->name;
        sink_
            .report(Code::kRecursion, span,
                    std::string(kind_name(to->kind)) + " `" + to->name + "` calls itself" +
                        (to == from ? std::string() : ": " + path))
            .with_hint("formulas are evaluated without loops; compute the value without recursion");
      } else if (marks[to] == Mark::kNone) {
        visit(to);
      }
    }
    stack.pop_back();
    marks[from] = Mark::kDone;
  };
  std::vector<Symbol*> roots;
  for (const auto& [from, edges] : calls_) roots.push_back(from);
  std::sort(roots.begin(), roots.end(),
            [](const Symbol* a, const Symbol* b) { return a->span.begin < b->span.begin; });
  for (Symbol* root : roots) {
    if (marks[root] == Mark::kNone) visit(root);
  }
}

}  // namespace gemba::sema
