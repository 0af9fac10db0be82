// Template parameters: `param batch_size: kg in 100 kg .. 1000 kg = 400 kg;`.
#include "compiler/sema/checker.h"
#include "compiler/sema/evaluate.h"

namespace gemba::sema {
namespace {

using diag::Code;

}  // namespace

std::optional<Value> Checker::plant_constant(const ast::Expr* expr, const char* what) {
  if (expr == nullptr) return std::nullopt;
  auto it = facts_.types.find(expr);
  if (it == facts_.types.end() || it->second.is_error()) return std::nullopt;
  auto value = evaluate(expr, facts_, EmptyEnvironment());
  if (!value) {
    sink_
        .report(Code::kNotConstant, expr->span,
                std::string(what) + " must be a constant: literals and arithmetic on them")
        .with_hint(
            "it cannot read a parameter, a signal or equipment; write a literal such "
            "as `500 kg`");
  }
  return value;
}

void Checker::resolve_param(Symbol* symbol) {
  const auto& decl = static_cast<const ast::ParamDecl&>(*symbol->decl);
  symbol->type = decl.type ? resolve_type(*decl.type) : Type();
  BodyContext ctx{Place::kExpression, symbol};
  if (decl.lo && decl.hi) {
    symbol->has_range = true;
    if (expect(symbol->type, check_expr(decl.lo.get(), ctx), decl.lo->span, "the lower bound") &&
        expect(symbol->type, check_expr(decl.hi.get(), ctx), decl.hi->span, "the upper bound")) {
      symbol->range_lo = plant_constant(decl.lo.get(), "a parameter's bound");
      symbol->range_hi = plant_constant(decl.hi.get(), "a parameter's bound");
      check_range(decl.lo.get(), decl.hi.get(),
                  {decl.lo->span.file, decl.lo->span.begin, decl.hi->span.end});
    }
  }
  if (!decl.value) return;
  if (!expect(symbol->type, check_expr(decl.value.get(), ctx), decl.value->span, "the default")) {
    return;
  }
  symbol->default_value = plant_constant(decl.value.get(), "a parameter's default");
  const auto& v = symbol->default_value;
  const auto& lo = symbol->range_lo;
  const auto& hi = symbol->range_hi;
  if (v && lo && hi && (v->number < lo->number || v->number > hi->number)) {
    sink_
        .report(Code::kDefaultOutOfRange, decl.value->span,
                "the default of `" + symbol->name + "` lies outside the range it allows plants")
        .note(decl.lo->span, "the range starts here")
        .with_hint("move the default into the range, or widen the range");
  }
}

}  // namespace gemba::sema
