#include "compiler/sema/type.h"

#include "compiler/sema/symbol.h"

namespace gemba::sema {

Type Type::quantity(const Dimension& dimension, Affinity affinity, std::string unit) {
  Type t;
  t.kind = TypeKind::kQuantity;
  t.dimension = dimension;
  t.affinity = affinity;
  t.unit = std::move(unit);
  return t;
}

std::string describe(const Type& type, const DimensionTable& dimensions) {
  switch (type.kind) {
    case TypeKind::kError:
      return "an erroneous value";
    case TypeKind::kVoid:
      return "nothing";
    case TypeKind::kBool:
      return "bool";
    case TypeKind::kInt:
      return "int";
    case TypeKind::kString:
      return "string";
    case TypeKind::kTime:
      return "time";
    case TypeKind::kMaterial:
      return "Material";
    case TypeKind::kLot:
      return "Lot";
    case TypeKind::kEquipment:
      return "equipment `" + type.equipment->name + "`";
    case TypeKind::kEnum:
      return "enumeration `" + type.enumeration->name + "`";
    case TypeKind::kEnumName:
      return "the enumeration name `" + type.enumeration->name + "`";
    case TypeKind::kCommand:
      return "the command `" + type.command->name + "`";
    case TypeKind::kQuantity:
      break;
  }
  if (type.dimension.is_dimensionless() && type.unit.empty()) return "real";
  // With a unit at hand, the dimension's name is enough: "volume (L)", not
  // "volume (length^3) (L)".
  std::string text = dimensions.describe(type.dimension);
  if (!type.unit.empty()) {
    auto name = dimensions.derived_name(type.dimension);
    text = name ? std::string(*name) : dimensions.format(type.dimension);
  }
  if (type.affinity == Affinity::kAbsolute) text = "a reading of " + text;
  if (type.affinity == Affinity::kDifference) text += " difference";
  if (!type.unit.empty() && type.unit != text) text += " (" + type.unit + ")";
  return text;
}

}  // namespace gemba::sema
