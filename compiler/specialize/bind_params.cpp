// Template parameters: each gets the plant's value, or the template's default, or a
// diagnostic saying why it has none.

#include "compiler/specialize/specializer.h"

namespace gemba::specialize {

// Gives the parameter its value at this plant (or reports why it has none).
void Specializer::param_from(const ast::ParamDecl& decl) {
  const sema::Symbol* symbol = program_.symbol_of(&decl);
  if (symbol == nullptr || !params_seen_.insert(symbol).second) return;
  auto setting = plant_.params.find(symbol->name);
  if (setting == plant_.params.end()) {
    if (!symbol->default_value) {
      report(Code::kMissingParameter, decl.name.span,
             "plant `" + plant_.name + "` does not set `" + symbol->name +
                 "`, which this template needs and gives no default for")
          .note(plant_.decl->name.span, "the plant is declared here")
          .with_hint("add `param " + symbol->name + " = ...;` to plant `" + plant_.name + "`");
      return;
    }
    bind_param(symbol, *symbol->default_value, false);
    return;
  }
  const plant::ParamSetting& set = setting->second;
  diag::Span where = set.decl->value ? set.decl->value->span : set.decl->span;
  if (!compatible(symbol->type, set.value)) {
    report(Code::kParameterType, where,
           "plant `" + plant_.name + "` sets `" + symbol->name + "` to " +
               printer_.value(set.value) + ", but the template declares it as " +
               describe(symbol->type))
        .note(decl.name.span, "the template's parameter is declared here");
    return;
  }
  if (!symbol->has_range && symbol->default_value) {
    report(Code::kParameterFixed, where,
           "plant `" + plant_.name + "` sets `" + symbol->name +
               "`, but the template fixes it at " + printer_.value(*symbol->default_value))
        .note(decl.name.span, "declared without a range: plants may not change it")
        .with_hint(
            "remove the setting from the plant, or give the parameter a range "
            "(`in lo .. hi`) in the template");
    return;
  }
  if (symbol->range_lo && symbol->range_hi &&
      (set.value.number < symbol->range_lo->number ||
       set.value.number > symbol->range_hi->number)) {
    Printer as_written(program_, nullptr, [](const ast::Expr*) { return nullptr; });
    report(Code::kParameterOutOfRange, where,
           "plant `" + plant_.name + "` sets `" + symbol->name + "` to " +
               printer_.value(set.value) + ", outside the range " +
               printer_.value(*symbol->range_lo) + " .. " + printer_.value(*symbol->range_hi) +
               " the template allows")
        .note(decl.lo->span, "the template's range for `" + symbol->name +
                                 "`: " + as_written.expr(decl.lo.get()) + " .. " +
                                 as_written.expr(decl.hi.get()))
        .with_hint("choose a value within the range, or have the template's owner widen it");
    return;
  }
  bind_param(symbol, set.value, true);
}

bool Specializer::compatible(const sema::Type& type, const sema::Value& value) {
  using sema::TypeKind;
  if (type.is_error()) return true;
  if (type.kind == TypeKind::kQuantity) {
    if (value.type.kind != TypeKind::kQuantity && value.type.kind != TypeKind::kInt) return false;
    sema::Dimension d =
        value.type.kind == TypeKind::kInt ? sema::Dimension() : value.type.dimension;
    if (d != type.dimension) return false;
    bool abs_vs_diff = (type.affinity == sema::Affinity::kAbsolute) !=
                           (value.type.affinity == sema::Affinity::kAbsolute) &&
                       (type.affinity != sema::Affinity::kLinear ||
                        value.type.affinity != sema::Affinity::kLinear);
    return !abs_vs_diff;
  }
  if (type.kind == TypeKind::kEnum) {
    return value.type.kind == TypeKind::kEnum && value.type.enumeration == type.enumeration;
  }
  return type.kind == value.type.kind;
}

std::string Specializer::describe(const sema::Type& type) const {
  return sema::describe(type, program_.dimensions());
}

void Specializer::bind_param(const sema::Symbol* symbol, sema::Value value, bool from_plant) {
  if (value.type.kind == sema::TypeKind::kInt && symbol->type.kind == sema::TypeKind::kQuantity) {
    value.type = symbol->type;  // `1` for a real parameter
  }
  env_.set_param(symbol, value);
  out_.params.push_back({symbol, std::move(value), from_plant});
}

}  // namespace gemba::specialize
