// What the checker learned about a program, kept for the passes after it
// (specialization, and later lowering): the type of every expression it checked, the
// symbol every name resolved to, and the unit of every literal and written type.
#pragma once

#include <unordered_map>

#include "compiler/ast/ast.h"
#include "compiler/sema/symbol.h"
#include "compiler/sema/type.h"
#include "compiler/sema/unit.h"

namespace gemba::sema {

struct Facts {
  std::unordered_map<const ast::Expr*, Type> types;
  std::unordered_map<const ast::Expr*, const Symbol*> names;  // NameExpr -> what it names
  std::unordered_map<const ast::NumberExpr*, Unit> literal_units;
  std::unordered_map<const ast::UnitExpr*, Type> written_types;  // `size: kg`, `as cP`
  std::unordered_map<const ast::UnitExpr*, Unit> written_units;  // the same, as units
  std::unordered_map<const ast::UseBinding*, const Symbol*> uses;
  // What the first name of a string's `{a.b}` names.
  std::unordered_map<const ast::Interpolation*, const Symbol*> interpolations;
  // The class a top-level rule's subject names: `Mixer` in `collect Mixer.temperature`.
  std::unordered_map<const ast::Path*, const ClassInfo*> rule_classes;
  // Every quantity literal's value (in base units), computed once when it is typed.
  std::unordered_map<const ast::NumberExpr*, Value> literal_values;

  const Type* type_of(const ast::Expr* expr) const {
    auto it = types.find(expr);
    return it == types.end() ? nullptr : &it->second;
  }
  const Symbol* symbol_of(const ast::Expr* expr) const {
    auto it = names.find(expr);
    return it == names.end() ? nullptr : it->second;
  }
};

}  // namespace gemba::sema
