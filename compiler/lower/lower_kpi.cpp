#include "compiler/lower/lower_kpi.h"

#include <tuple>
#include <vector>

#include "compiler/lower/function_builder.h"
#include "compiler/sema/type.h"
#include "compiler/sema/value.h"

namespace gemba::lower {
namespace {

using SpanKey = std::tuple<std::uint32_t, std::size_t>;
SpanKey key(diag::Span span) { return {span.file, span.begin}; }

// Builds one KPI: the equipment each parameter of the KPIs being inlined stands for, and
// the inputs read so far.
class KpiLowerer {
 public:
  KpiLowerer(const specialize::Specialization& s, Function& f, Kpi& out)
      : s_(s), facts_(s.program->facts()), f_(f), out_(out) {}

  void enter(const std::vector<ast::Param>& params, const std::vector<std::string>& equipment) {
    std::map<SpanKey, std::string> frame;
    for (std::size_t k = 0; k < params.size(); ++k) frame[key(params[k].name.span)] = equipment[k];
    frames_.push_back(std::move(frame));
  }
  void leave() { frames_.pop_back(); }

  std::optional<std::uint32_t> call(const ast::CallExpr& c, FunctionBuilder& builder) {
    const sema::Symbol* callee = facts_.symbol_of(c.callee.get());
    if (callee == nullptr) return std::nullopt;
    const auto* function = ast::as<ast::FunctionDecl>(callee->decl);
    if (callee->kind == sema::SymbolKind::kFunction && function && function->is_builtin) {
      return input(c, *callee, builder);
    }
    const auto* kpi = ast::as<ast::KpiDecl>(callee->decl);
    if (callee->kind != sema::SymbolKind::kKpi || kpi == nullptr || !kpi->body) {
      return std::nullopt;
    }
    std::vector<std::string> equipment;
    for (const ast::Argument& arg : c.args) equipment.push_back(equipment_of(arg.value.get()));
    if (equipment.size() != kpi->params.size()) unsupported("a KPI call with missing arguments");
    if (frames_.size() > 32) unsupported("KPIs nested deeper than 32");
    enter(kpi->params, equipment);
    auto result = lowered_type(callee->result);
    if (!result) unsupported("a KPI whose result is not a number");
    std::uint32_t node = builder.expr(kpi->body.get(), *result);
    leave();
    return node;
  }

 private:
  // `APT(u)`: an input of the function, one per element and equipment.
  std::uint32_t input(const ast::CallExpr& c, const sema::Symbol& element, FunctionBuilder& builder) {
    if (c.args.size() != 1) unsupported("`" + element.name + "` with other than one argument");
    std::string name = element.name + "(" + equipment_of(c.args[0].value.get()) + ")";
    auto type = lowered_type(element.result);
    if (!type) unsupported("`" + element.name + "`, which is not a number");
    std::uint32_t index = 0;
    while (index < out_.inputs.size() && out_.inputs[index] != name) ++index;
    if (index == out_.inputs.size()) {
      out_.inputs.push_back(name);
      f_.params.push_back(*type);
    }
    return builder.add(Op::kParam, *type, {}, c.span, index);
  }

  // The KPI parameter an equipment argument stands for.
  std::string equipment_of(const ast::Expr* expr) {
    const sema::Symbol* symbol = facts_.symbol_of(expr);
    if (symbol && symbol->kind == sema::SymbolKind::kLocal && !frames_.empty()) {
      auto it = frames_.back().find(key(symbol->span));
      if (it != frames_.back().end()) return it->second;
    }
    unsupported("an argument that is not the KPI's equipment");
  }

  const specialize::Specialization& s_;
  const sema::Facts& facts_;
  Function& f_;
  Kpi& out_;
  std::vector<std::map<SpanKey, std::string>> frames_;
};

// `shift`, `day`, `last 86400 s` (a sliding window, in seconds); empty: the caller's.
std::string window_of(const specialize::Specialization& s, const ast::KpiDecl& decl) {
  if (decl.window_name) return decl.window_name->name;
  if (!decl.window_last) return "";
  const sema::Value* length = s.constant(decl.window_last.get());
  if (length == nullptr) unsupported("a window whose length is not constant");
  return "last " + sema::format_number(length->number) + " s";
}

}  // namespace

Kpi lower_kpi(const specialize::Specialization& s, const ast::KpiDecl& decl, Module& module,
              const std::map<const ast::Decl*, std::uint32_t>& callees,
              const std::function<std::string(std::string)>& unique_name) {
  const sema::Symbol* symbol = s.program->symbol_of(&decl);
  if (symbol == nullptr || !decl.body) unsupported("a KPI that was not checked");
  auto result = lowered_type(symbol->result);
  if (!result) unsupported("its result is not a number");
  std::vector<std::string> equipment;
  for (std::size_t k = 0; k < symbol->params.size(); ++k) {
    if (symbol->params[k].type.kind != sema::TypeKind::kEquipment) {
      unsupported("parameter `" + symbol->params[k].name + "` is not equipment");
    }
    equipment.push_back(symbol->params[k].name);
  }
  Kpi kpi;
  kpi.name = decl.name.name;
  kpi.window = window_of(s, decl);
  kpi.unit = sema::describe(symbol->result, s.program->dimensions());
  Function f;
  f.result = *result;
  f.span = decl.span;
  KpiLowerer lowerer(s, f, kpi);
  lowerer.enter(decl.params, equipment);
  std::map<const sema::Symbol*, std::uint32_t> none;
  FunctionBuilder builder(s, f, none, callees, module, nullptr,
                          [&](const ast::CallExpr& c, FunctionBuilder& b) { return lowerer.call(c, b); });
  f.root = builder.expr(decl.body.get(), *result);
  f.name = unique_name("kpi_" + decl.name.name);
  kpi.function = static_cast<std::uint32_t>(module.functions.size());
  module.functions.push_back(std::move(f));
  return kpi;
}

}  // namespace gemba::lower
