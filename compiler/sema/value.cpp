#include "compiler/sema/value.h"

#include <cstdio>

namespace gemba::sema {

Value Value::of_bool(bool value) {
  Value v;
  v.type = Type::of(TypeKind::kBool);
  v.boolean = value;
  return v;
}

Value Value::of_int(const Rational& value) {
  Value v;
  v.type = Type::of(TypeKind::kInt);
  v.number = value;
  return v;
}

Value Value::of_string(std::string text) {
  Value v;
  v.type = Type::of(TypeKind::kString);
  v.text = std::move(text);
  return v;
}

Value Value::of_quantity(const Rational& base_value, const Type& type, std::optional<Unit> unit) {
  Value v;
  v.type = type;
  v.number = base_value;
  v.unit = std::move(unit);
  return v;
}

bool Value::operator==(const Value& other) const {
  if (type.kind != other.type.kind) return false;
  switch (type.kind) {
    case TypeKind::kBool:
      return boolean == other.boolean;
    case TypeKind::kInt:
      return number == other.number;
    case TypeKind::kQuantity:
      return number == other.number && type.dimension == other.type.dimension;
    case TypeKind::kString:
    case TypeKind::kEnum:
      return text == other.text && type.enumeration == other.type.enumeration;
    default:
      return false;
  }
}

std::optional<Value> literal_value(const std::string& text, bool is_integer, const Unit* unit,
                                   const Type& type, bool negate) {
  auto value = Rational::parse_decimal(text);
  if (value && negate) value = Rational().sub(*value);
  if (!value) return std::nullopt;
  if (unit == nullptr) {
    return is_integer ? Value::of_int(*value)
                      : Value::of_quantity(*value, Type::real(), std::nullopt);
  }
  Unit from = type.affinity == Affinity::kDifference ? unit->delta() : *unit;
  auto base = convert(*value, from, Unit::base("", unit->dimension()));
  if (!base) return std::nullopt;
  return Value::of_quantity(*base, type, *unit);
}

std::optional<Rational> in_unit(const Value& value, const Unit& unit) {
  bool reading = value.type.affinity == Affinity::kAbsolute;
  Unit target = reading ? unit : unit.delta();
  return convert(value.number, Unit::base("", target.dimension()), target);
}

std::string format_number(const Rational& number) {
  std::string exact = number.to_string();
  if (exact.find('/') == std::string::npos && exact.size() <= 16) return exact;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", number.to_double());
  return buffer;
}

}  // namespace gemba::sema
