// What a name can stand for, once declared: the entries of the checker's scopes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/type.h"
#include "compiler/sema/unit.h"
#include "compiler/sema/value.h"

namespace gemba::sema {

enum class SymbolKind {
  kBuiltinType,  // bool, int, real, string, time, Material, Lot
  kDimension,
  kUnit,
  kEnum,
  kRole,
  kClass,
  kFunction,
  kKpi,
  kProcedure,
  kParam,  // a template parameter: a constant whose value each plant may set
  kPlant,
  kLocal,  // a parameter, `uses` binding, let, var or loop variable
};

// kProperty: a property of the class, named in the range of one of its commands.
enum class LocalKind { kParam, kUses, kLet, kVar, kLoop, kProperty };

// Module-level entities are resolved on first use, so declaration order does not
// matter; `kResolving` detects definitions that depend on themselves.
enum class Resolution { kUnresolved, kResolving, kDone };

struct MemberInfo {
  ast::ClassMember::Kind kind;
  std::string name;
  Type type;  // property, signal
  struct Param {
    std::string name;
    Type type;
    const ast::Expr* lo = nullptr;  // the range the equipment accepts, when declared
    const ast::Expr* hi = nullptr;
  };
  std::vector<Param> params;  // command
  diag::Span span;
};

struct ClassInfo {
  std::string name;
  const ClassInfo* base = nullptr;
  std::map<std::string, MemberInfo> members;  // own members only
  const MemberInfo* find(const std::string& member) const;
  std::vector<std::string> member_names() const;  // own and inherited
  bool is_a(const ClassInfo* other) const;
};

struct EnumInfo {
  std::string name;
  std::vector<std::string> members;
};

struct ParamInfo {
  std::string name;
  Type type;
};

struct Symbol {
  SymbolKind kind;
  std::string name;
  diag::Span span;         // the name where it is declared
  std::size_t module = 0;  // the module that declares it
  const ast::Decl* decl = nullptr;
  Resolution resolution = Resolution::kUnresolved;

  Type type;                      // kBuiltinType: the type; kLocal: its type
  Dimension dimension;            // kDimension
  Unit unit;                      // kUnit
  ClassInfo class_info;           // kClass
  EnumInfo enum_info;             // kEnum
  std::vector<ParamInfo> params;  // kFunction, kKpi, kProcedure
  Type result;                    // kFunction, kKpi
  // kParam: the default and the range plants may choose from, each when given and
  // constant. `has_range`: the template lets plants set it (within lo .. hi).
  std::optional<Value> default_value;
  std::optional<Value> range_lo, range_hi;
  bool has_range = false;

  // kLocal
  LocalKind local = LocalKind::kLet;
  bool used = false;
};

const char* kind_name(SymbolKind kind);  // "unit", "equipment class", ...
std::string a_kind(SymbolKind kind);     // "a unit", "an equipment class", ...

}  // namespace gemba::sema
