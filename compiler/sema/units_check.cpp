// Unit expressions, types written by users, quantity literals and constant values.
#include <cassert>

#include "compiler/ast/dump.h"

#include "compiler/sema/checker.h"

namespace gemba::sema {
namespace {

using diag::Code;

}  // namespace

std::optional<Dimension> Checker::duration_dimension() const {
  auto base = dimensions_.find_base("duration");
  if (!base) return std::nullopt;
  return Dimension::base(*base);
}

bool Checker::is_duration(const Type& type) const {
  if (type.is_error()) return true;
  std::optional<Dimension> d = duration_dimension();
  return d && type.kind == TypeKind::kQuantity && type.dimension == *d &&
         type.affinity != Affinity::kAbsolute;
}

std::optional<Unit> Checker::eval_unit(const ast::UnitExpr& expr, bool numbers, bool dimensions) {
  using Kind = ast::UnitExpr::Kind;
  auto combine = [&](const UnitResult& result, diag::Span span) -> std::optional<Unit> {
    if (result.ok()) return result.unit();
    switch (result.error()) {
      case UnitError::kAffineInCompound:
        sink_
            .report(Code::kAffineInCompound, span,
                    "a unit with an offset (a reading scale such as degC) cannot be scaled or "
                    "combined with other units")
            .with_hint(
                "combine its difference unit (`delta degC`) or kelvin instead; to define "
                "a new scale, start from a linear unit: `unit degF = 5/9 K offset 459.67;`");
        break;
      case UnitError::kOverflow:
        sink_
            .report(Code::kInexactUnit, span,
                    "this unit is out of range: its exact scale overflows 64-bit fractions, "
                    "or a dimension's exponent passes 127")
            .with_hint("define an intermediate unit with a simpler scale");
        break;
      case UnitError::kZeroScale:
        sink_.report(Code::kBadUnitDefinition, span, "a unit cannot have a scale of zero");
        break;
    }
    return std::nullopt;
  };

  switch (expr.kind) {
    case Kind::kNumber: {
      auto value = Rational::parse_decimal(expr.number);
      if (!numbers) {
        if (value && value->is_one()) return Unit::base("", Dimension());
        sink_.report(Code::kBadUnitDefinition, expr.span,
                     "a number cannot appear here; only `1` may stand for a unit, as in `1/min`");
        return std::nullopt;
      }
      if (!value) {
        sink_.report(Code::kInexactUnit, expr.span,
                     "`" + expr.number +
                         "` cannot be represented exactly as a fraction of 64-bit "
                         "integers");
        return std::nullopt;
      }
      return combine(Unit::base("", Dimension()).scaled(*value), expr.span);
    }
    case Kind::kMul:
    case Kind::kDiv: {
      auto lhs = eval_unit(*expr.lhs, numbers, dimensions);
      auto rhs = eval_unit(*expr.rhs, numbers, dimensions);
      if (!lhs || !rhs) return std::nullopt;
      return combine(expr.kind == Kind::kMul ? lhs->multiply(*rhs) : lhs->divide(*rhs), expr.span);
    }
    case Kind::kName:
      break;
  }

  Symbol* symbol = lookup(expr.name);
  if (!symbol) return std::nullopt;
  std::optional<Unit> unit;
  if (symbol->kind == SymbolKind::kUnit) {
    if (symbol->resolution == Resolution::kResolving) {
      sink_
          .report(Code::kBadUnitDefinition, expr.name.span,
                  "unit `" + symbol->name + "` is defined in terms of itself")
          .note(symbol->span, "`" + symbol->name + "` is declared here");
      return std::nullopt;
    }
    resolve(symbol);
    if (symbol->unit.name().empty()) return std::nullopt;  // its definition was reported
    unit = symbol->unit;
  } else if (symbol->kind == SymbolKind::kDimension && dimensions) {
    if (symbol->resolution == Resolution::kResolving) {
      sink_.report(Code::kBadUnitDefinition, expr.name.span,
                   "dimension `" + symbol->name + "` is defined in terms of itself");
      return std::nullopt;
    }
    resolve(symbol);
    unit = Unit::base(symbol->name, symbol->dimension);
  } else {
    auto& d = sink_.report(Code::kNotAUnit, expr.name.span,
                           "`" + symbol->name + "` is " + a_kind(symbol->kind) + ", not a unit" +
                               (dimensions ? " or dimension" : ""));
    if (symbol->kind == SymbolKind::kLocal) {
      symbol->used = true;  // the mistake is reported; do not also call it unused
      d.with_hint("a unit after a number is greedy: to divide by `" + symbol->name +
                  "`, write the quantity in parentheses, e.g. `(10 kg) / " + symbol->name + "`");
    } else if (symbol->span.end > 0) {
      d.note(symbol->span, "`" + symbol->name + "` is declared here");
    }
    return std::nullopt;
  }
  if (expr.delta) {
    if (!unit->affine()) {
      sink_
          .report(Code::kBadUnitDefinition, expr.name.span,
                  "`delta` applies only to units with an offset; `" + symbol->name +
                      "` has none, so `" + symbol->name + "` is already a difference unit")
          .with_hint("remove `delta`");
      return std::nullopt;
    }
    unit = unit->delta();
  }
  if (expr.exponent != 1) return combine(unit->pow(expr.exponent), expr.span);
  return unit;
}

void Checker::resolve_unit(Symbol* symbol) {
  const auto& decl = static_cast<const ast::UnitDecl&>(*symbol->decl);
  if (decl.base_of) {
    Symbol* dim = lookup(*decl.base_of);
    if (!dim) return;
    if (dim->kind != SymbolKind::kDimension) {
      sink_
          .report(Code::kNotADimension, decl.base_of->span,
                  "`" + dim->name + "` is " + a_kind(dim->kind) + ", not a dimension")
          .with_hint("a base unit names its dimension: `unit kg: mass;`");
      return;
    }
    resolve(dim);
    auto [it, fresh] = base_units_.emplace(dim->dimension, symbol);
    if (!fresh) {
      sink_
          .report(
              Code::kBadUnitDefinition, symbol->span,
              "dimension `" + dim->name + "` already has the base unit `" + it->second->name + "`")
          .note(it->second->span, "`" + it->second->name + "` is declared here")
          .with_hint("define `" + symbol->name + "` from it, e.g. `unit " + symbol->name +
                     " = 0.001 " + it->second->name + ";`");
      return;
    }
    symbol->unit = Unit::base(symbol->name, dim->dimension);
    return;
  }
  if (!decl.definition) return;  // the parser reported it
  auto unit = eval_unit(*decl.definition, /*numbers=*/true, /*dimensions=*/false);
  if (!unit) return;
  if (decl.offset) {
    auto offset = Rational::parse_decimal(*decl.offset);
    if (!offset) {
      sink_.report(Code::kInexactUnit, decl.offset_span,
                   "offset `" + *decl.offset + "` cannot be represented exactly");
      return;
    }
    if (unit->affine()) {
      sink_
          .report(Code::kAffineInCompound, decl.offset_span,
                  "`" + symbol->name + "` is defined from a unit that already has an offset")
          .with_hint("define it from the linear unit, e.g. `unit degF = 5/9 K offset 459.67;`");
      return;
    }
    UnitResult shifted = unit->with_offset(*offset);
    if (!shifted.ok()) {
      sink_.report(Code::kInexactUnit, decl.offset_span,
                   "offset `" + *decl.offset + "` cannot be represented exactly with this scale");
      return;
    }
    unit = shifted.unit();
  }
  symbol->unit = unit->named(symbol->name);
}

Type Checker::resolve_type(const ast::UnitExpr& expr) {
  if (expr.kind == ast::UnitExpr::Kind::kName && !expr.delta && expr.exponent == 1) {
    Symbol* symbol = lookup(expr.name);
    if (!symbol) return Type();
    switch (symbol->kind) {
      case SymbolKind::kBuiltinType:
        return symbol->type;
      case SymbolKind::kClass: {
        resolve(symbol);
        Type t = Type::of(TypeKind::kEquipment);
        t.equipment = &symbol->class_info;
        return t;
      }
      case SymbolKind::kEnum: {
        resolve(symbol);
        Type t = Type::of(TypeKind::kEnum);
        t.enumeration = &symbol->enum_info;
        return t;
      }
      case SymbolKind::kDimension:
      case SymbolKind::kUnit:
        break;
      default:
        sink_
            .report(Code::kNotAType, expr.name.span,
                    "`" + symbol->name + "` is " + a_kind(symbol->kind) + ", not a type")
            .with_hint(
                "a type is bool, int, real, string, time, Material, Lot, a unit or "
                "dimension, an enumeration or an equipment class");
        return Type();
    }
  }
  auto unit = eval_unit(expr, /*numbers=*/false, /*dimensions=*/true);
  if (!unit) return Type();
  Affinity affinity = unit->affine() ? Affinity::kAbsolute
                      : expr.kind == ast::UnitExpr::Kind::kName && expr.delta
                          ? Affinity::kDifference
                          : Affinity::kLinear;
  std::string name = expr.kind == ast::UnitExpr::Kind::kName
                         ? (expr.delta ? "delta " : "") + expr.name.name
                         : unit->name();
  Type type = Type::quantity(unit->dimension(), affinity, name);
  facts_.written_types[&expr] = type;
  facts_.written_units.insert_or_assign(&expr, *unit);
  return type;
}

Type Checker::literal_type(const ast::NumberExpr& expr) {
  if (!expr.unit) {
    Type type = expr.is_integer ? Type::of(TypeKind::kInt) : Type::real();
    if (auto value = literal_value(expr.text, expr.is_integer, nullptr, type)) {
      facts_.literal_values.insert_or_assign(&expr, std::move(*value));
    }
    return type;
  }
  auto unit = eval_unit(*expr.unit, /*numbers=*/false, /*dimensions=*/false);
  if (!unit) return Type();
  bool single = expr.unit->kind == ast::UnitExpr::Kind::kName;
  Affinity affinity = unit->affine()               ? Affinity::kAbsolute
                      : single && expr.unit->delta ? Affinity::kDifference
                                                   : Affinity::kLinear;
  std::string name = single ? (expr.unit->delta ? "delta " : "") + expr.unit->name.name : "";
  facts_.literal_units.insert_or_assign(&expr, *unit);
  Type type = Type::quantity(unit->dimension(), affinity, name);
  if (auto value = literal_value(expr.text, expr.is_integer, &*unit, type)) {
    value->unit_text = ast::unit_text(expr.unit.get());
    facts_.literal_values.insert_or_assign(&expr, std::move(*value));
  }
  return type;
}

std::optional<Rational> Checker::constant(const ast::Expr* expr) {
  if (!expr) return std::nullopt;
  bool negate = false;
  if (auto* u = ast::as<ast::UnaryExpr>(expr); u && u->op == ast::UnaryOp::kNegate) {
    // The sign belongs to the number, before any offset: `-40 degF` is 233.15 K.
    if (ast::as<ast::NumberExpr>(u->operand.get())) {
      negate = true;
      expr = u->operand.get();
    }
  }
  if (auto* n = ast::as<ast::NumberExpr>(expr)) {
    auto value = Rational::parse_decimal(n->text);
    if (value && negate) value = Rational().sub(*value);
    if (!value || !n->unit) return value;
    auto unit = eval_unit(*n->unit, false, false);  // already reported if bad
    if (!unit) return std::nullopt;
    auto base = Unit::base("", unit->dimension());
    return convert(*value, *unit, base);
  }
  if (auto* u = ast::as<ast::UnaryExpr>(expr); u && u->op == ast::UnaryOp::kNegate) {
    auto value = constant(u->operand.get());
    if (!value) return std::nullopt;
    return Rational().sub(*value);
  }
  return std::nullopt;
}

void Checker::check_range(const ast::Expr* lo, const ast::Expr* hi, diag::Span span) {
  // Any problem of the literals themselves was reported when they were typed; the
  // sink drops the repeats.
  auto low = constant(lo);
  auto high = constant(hi);
  if (low && high && *low > *high) {
    sink_
        .report(Code::kEmptyRange, span,
                "this range is empty: its lower bound is above its upper bound")
        .with_hint("swap the bounds");
  }
}

}  // namespace gemba::sema
