#include "compiler/driver/syntax_cascades.h"

#include <algorithm>
#include <map>

namespace gemba::driver {
namespace {

bool inside(const diag::Span& outer, const diag::Span& inner) {
  return outer.file == inner.file && outer.begin <= inner.begin && inner.begin < outer.end;
}

}  // namespace

// The syntax group is G00xx; a code added to it later is covered without a change here.
bool is_syntax(diag::Code code) { return diag::info(code).id.starts_with("G00"); }

std::vector<diag::Diagnostic> drop_syntax_cascades(std::vector<diag::Diagnostic> diagnostics,
                                                   const std::vector<LoadedModule>& modules) {
  std::map<diag::FileId, std::vector<diag::Span>> broken;  // declarations with a syntax error
  for (const diag::Diagnostic& d : diagnostics) {
    if (!is_syntax(d.code)) continue;
    auto& spans = broken[d.span.file];
    for (const LoadedModule& module : modules) {
      if (!module.ast || module.file != d.span.file) continue;
      for (const auto& decl : module.ast->decls) {
        if (inside(decl->span, d.span)) spans.push_back(decl->span);
      }
    }
  }
  if (broken.empty()) return diagnostics;
  auto is_echo = [&](const diag::Diagnostic& d) {
    if (is_syntax(d.code)) return false;
    auto it = broken.find(d.span.file);
    if (it == broken.end()) return false;
    if (d.severity == diag::Severity::kWarning) return true;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const diag::Span& decl) { return inside(decl, d.span); });
  };
  diagnostics.erase(std::remove_if(diagnostics.begin(), diagnostics.end(), is_echo),
                    diagnostics.end());
  return diagnostics;
}

}  // namespace gemba::driver
