// How values of checked types are shown to people and typed by them (ValueFormat, in
// machine.h): shared by the lowering of procedures (slots, answers, signals) and of
// collect rules (the signals an edge collects).
#pragma once

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/ast/dump.h"
#include "compiler/lower/machine.h"
#include "compiler/sema/facts.h"
#include "compiler/sema/program.h"
#include "compiler/sema/symbol.h"
#include "compiler/sema/type.h"

namespace gemba::lower {

// How values of checked types are shown to people and typed by them (ValueFormat): a
// quantity in the unit its type names, found among the program's unit declarations.
class Formats {
 public:
  explicit Formats(const sema::Program& program) : dimensions_(program.dimensions()) {
    for (const sema::ModuleInput& module : program.modules()) {
      for (const auto& decl : module.ast->decls) {
        const sema::Symbol* symbol = program.symbol_of(decl.get());
        if (decl->kind == ast::DeclKind::kUnit && symbol &&
            symbol->kind == sema::SymbolKind::kUnit) {
          units_.push_back({symbol->name, &symbol->unit});
        }
      }
    }
  }

  // A value of `type`. A quantity is shown in the unit the type names (`degC`, `delta
  // degC`), else in its dimension's coherent unit: a declared one (`s` for `duration`,
  // `N`), else spelled in base units (`m^3/s`), else (a base without a unit) a plain
  // number.
  ValueFormat of(const sema::Type& type) const {
    if (type.kind != sema::TypeKind::kQuantity) return plain(type);
    std::string name = type.unit;
    if (name.rfind("delta ", 0) == 0) name.erase(0, 6);
    const Named* unit = named(name, type.dimension);
    if (unit == nullptr) unit = coherent(type.dimension);
    if (unit == nullptr) return quantity(type, base_spelling(type.dimension), nullptr);
    // `delta K` is K; `delta degC`, or a difference of degC readings, is not degC.
    bool reading = type.affinity == sema::Affinity::kAbsolute;
    bool as_delta = unit->unit->affine() && !reading;
    return quantity(type, as_delta ? "delta " + unit->name : unit->name, unit->unit);
  }

  // A value of `type` declared in `unit`, written as `text`: for a compound (`kg / h`),
  // which no name in the type carries. Blanks are dropped from the text (`kg/h`).
  ValueFormat of(const sema::Type& type, const sema::Unit& unit, const std::string& text) const {
    if (type.kind != sema::TypeKind::kQuantity) return plain(type);
    std::string name;
    for (char c : text) {
      if (c != ' ') name += c;
    }
    return quantity(type, name, &unit);
  }

  // A value of `type` as declared by `written` (its type as written, may be null): a
  // compound of units (`kg / h`, `mS/cm`) is shown as written, which the type does not
  // name; anything else as of(type) says.
  ValueFormat of(const sema::Type& type, const ast::UnitExpr* written, const sema::Facts& facts) const {
    bool compound = written != nullptr &&
                    (written->kind != ast::UnitExpr::Kind::kName || written->exponent != 1) &&
                    names_units(written);
    auto unit = compound ? facts.written_units.find(written) : facts.written_units.end();
    if (unit == facts.written_units.end()) return of(type);
    return of(type, unit->second, ast::unit_text(written));
  }

  // Whether `written` names units only (`kg / h`), not dimensions (`mass / duration`).
  bool names_units(const ast::UnitExpr* written) const {
    if (written == nullptr) return false;
    switch (written->kind) {
      case ast::UnitExpr::Kind::kName:
        return std::any_of(units_.begin(), units_.end(),
                           [&](const Named& u) { return u.name == written->name.name; });
      case ast::UnitExpr::Kind::kNumber:
        return true;
      case ast::UnitExpr::Kind::kMul:
      case ast::UnitExpr::Kind::kDiv:
        return names_units(written->lhs.get()) && names_units(written->rhs.get());
    }
    return false;
  }

 private:
  struct Named {
    std::string name;
    const sema::Unit* unit;
  };

  ValueFormat plain(const sema::Type& type) const {
    using K = ValueFormat::Kind;
    ValueFormat f;
    switch (type.kind) {
      case sema::TypeKind::kBool:
        f.kind = K::kBool;
        f.type_name = "bool";
        break;
      case sema::TypeKind::kInt:
        f.kind = K::kInt;
        f.type_name = "int";
        break;
      case sema::TypeKind::kMaterial:
        f.kind = K::kMaterial;
        f.type_name = "Material";
        break;
      case sema::TypeKind::kLot:
        f.kind = K::kLot;
        f.type_name = "Lot";
        break;
      case sema::TypeKind::kTime:
        f.kind = K::kTime;
        f.type_name = "time";
        break;
      case sema::TypeKind::kEnum:
        f.kind = K::kEnum;
        if (type.enumeration != nullptr) {
          f.choices = type.enumeration->members;
          f.type_name = type.enumeration->name;
        }
        break;
      default:
        f.type_name = "real";
        break;
    }
    return f;
  }

  // Shown in `unit` (null: the coherent unit) under `name` (empty: a plain number). A
  // reading keeps the unit's offset; a difference or a linear quantity has none.
  ValueFormat quantity(const sema::Type& type, std::string name, const sema::Unit* unit) const {
    ValueFormat f;
    f.kind = ValueFormat::Kind::kReal;
    f.type_name = type.dimension.is_dimensionless() ? "number" : dimension_name(type.dimension);
    bool reading = type.affinity == sema::Affinity::kAbsolute;
    f.unit = std::move(name);
    if (unit != nullptr) scale(*unit, reading, f);
    if (type.dimension.is_dimensionless()) return f;  // `5 percent` is no pH
    for (const Named& other : units_) {
      if (other.unit->dimension() != type.dimension) continue;
      ValueFormat::Unit u;
      u.name = other.unit->affine() && !reading ? "delta " + other.name : other.name;
      if (u.name == f.unit) continue;
      scale(*other.unit, reading, u);
      f.other_units.push_back(std::move(u));
    }
    return f;
  }

  // base = shown * scale + offset for a value in `unit` (sema: (v + offset) * scale); a
  // difference or a linear quantity has no offset.
  template <typename Scaled>
  static void scale(const sema::Unit& unit, bool reading, Scaled& out) {
    out.scale = unit.scale().to_double();
    out.exact_scale = {unit.scale().num(), unit.scale().den()};
    out.offset = 0;
    out.exact_offset = {0, 1};
    if (!reading || !unit.affine()) return;
    std::optional<sema::Rational> shift = unit.offset().mul(unit.scale());
    out.offset = shift ? shift->to_double() : unit.offset().to_double() * out.scale;
    out.exact_offset =
        shift ? ValueFormat::Fraction{shift->num(), shift->den()} : ValueFormat::Fraction{0, 0};
  }

  const Named* named(const std::string& name, const sema::Dimension& dimension) const {
    for (const Named& u : units_) {
      if (u.name == name && u.unit->dimension() == dimension) return &u;
    }
    return nullptr;
  }

  // The first declared unit of `dimension` with scale 1 and no offset (`s`, `N`).
  const Named* coherent(const sema::Dimension& dimension) const {
    for (const Named& u : units_) {
      if (u.unit->dimension() == dimension && u.unit->scale().is_one() && !u.unit->affine()) {
        return &u;
      }
    }
    return nullptr;
  }

  // The coherent unit of `dimension` spelled in its bases' units (`m^3/s`, `kg/(m*s)`);
  // empty when one of the bases has no declared unit.
  std::string base_spelling(const sema::Dimension& dimension) const {
    std::string over, under;
    int under_factors = 0;
    for (int i = 0; i < dimensions_.base_count(); ++i) {
      int exponent = dimension.exponent(i);
      if (exponent == 0) continue;
      const Named* unit = coherent(sema::Dimension::base(i));
      if (unit == nullptr) return "";
      std::string factor = unit->name;
      if (exponent != 1 && exponent != -1) factor += "^" + std::to_string(std::abs(exponent));
      std::string& side = exponent > 0 ? over : under;
      side += (side.empty() ? "" : "*") + factor;
      under_factors += exponent < 0;
    }
    if (under.empty()) return over;
    return (over.empty() ? "1" : over) + "/" + (under_factors > 1 ? "(" + under + ")" : under);
  }

  // For messages: "viscosity", "mass flow" (for `mass_flow`), "length/duration^3".
  std::string dimension_name(const sema::Dimension& dimension) const {
    std::optional<std::string_view> derived = dimensions_.derived_name(dimension);
    std::string name = derived ? std::string(*derived) : dimensions_.format(dimension);
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
  }

  const sema::DimensionTable& dimensions_;
  std::vector<Named> units_;  // every module's units, in declaration order
};

// The type of `member` (a signal or property of an equipment class) as its class
// declaration writes it (`mS/cm`), or null when it is not found.
inline const ast::UnitExpr* declared_type(const sema::Program& program,
                                          const sema::MemberInfo& member) {
  for (const sema::ModuleInput& module : program.modules()) {
    for (const auto& decl : module.ast->decls) {
      const auto* c = ast::as<ast::EquipmentClassDecl>(decl.get());
      if (c == nullptr) continue;
      for (const ast::ClassMember& m : c->members) {
        if (m.name.span.file == member.span.file && m.name.span.begin == member.span.begin) {
          return m.type.get();
        }
      }
    }
  }
  return nullptr;
}

}  // namespace gemba::lower
