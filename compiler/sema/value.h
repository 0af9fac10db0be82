// A constant value known at compile time: a literal, a plant's property value or
// parameter, or what folding them gives. Quantities are exact rationals in the coherent
// base units of their dimension (a reading on an offset scale in the base unit too:
// 20 degC is 293.15 K), so arithmetic and comparison never depend on the unit written.
#pragma once

#include <optional>
#include <string>

#include "compiler/sema/rational.h"
#include "compiler/sema/type.h"
#include "compiler/sema/unit.h"

namespace gemba::sema {

struct Value {
  Type type;             // kBool, kInt, kQuantity, kString or kEnum
  Rational number;       // kInt, kQuantity: kInt as written, kQuantity in base units
  bool boolean = false;  // kBool
  std::string text;      // kString: the text; kEnum: the member's name
  // kQuantity: the unit to show it in when nothing better is known (the unit it was
  // written in); anonymous for a computed quantity.
  std::optional<Unit> unit;
  std::string unit_text;  // `unit` as written (`pcs/min`), to show an anonymous unit

  static Value of_bool(bool value);
  static Value of_int(const Rational& value);
  static Value of_string(std::string text);
  static Value of_quantity(const Rational& base_value, const Type& type, std::optional<Unit> unit);

  bool operator==(const Value& other) const;  // same kind and value; units ignored
};

// A literal's value: `text` as written (`"0.98"`, `"65"`) in `unit` (null for a plain
// number), of the checked `type`. `negate` applies the sign before any offset, as in
// `-40 degF`. nullopt when it cannot be represented exactly.
std::optional<Value> literal_value(const std::string& text, bool is_integer, const Unit* unit,
                                   const Type& type, bool negate = false);

// The value in `unit`, exactly: (base / scale) - offset for a reading, base / scale for
// a difference or a linear quantity. nullopt on overflow.
std::optional<Rational> in_unit(const Value& value, const Unit& unit);

// The number as a short decimal: exact when it terminates ("0.25", "1102.31131"),
// else rounded to 9 significant digits.
std::string format_number(const Rational& number);

}  // namespace gemba::sema
