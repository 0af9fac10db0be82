// The types the checker gives to expressions, parameters, signals and properties.
#pragma once

#include <string>

#include "compiler/sema/dimension.h"

namespace gemba::sema {

struct ClassInfo;
struct EnumInfo;
struct MemberInfo;

enum class TypeKind {
  kError,  // already reported: accepted everywhere, so one mistake gives one diagnostic
  kVoid,   // a builtin with no result
  kBool,
  kInt,
  kQuantity,  // a number with a dimension; dimensionless = `real`
  kString,
  kTime,  // a point in time: absolute, with `duration` as its difference
  kMaterial,
  kLot,
  kEquipment,
  kEnum,
  kEnumName,  // an enum's name used as a value, only to reach a member: `Grade.A`
  kCommand,   // an equipment command: only `command` may call it
};

// Whether a quantity is a reading on an offset scale (degC), a difference between two
// readings, or neither (kg, K, m: for these the distinction does not arise).
enum class Affinity { kLinear, kAbsolute, kDifference };

struct Type {
  TypeKind kind = TypeKind::kError;
  Dimension dimension;                    // kQuantity
  Affinity affinity = Affinity::kLinear;  // kQuantity
  std::string unit;                       // kQuantity: unit it was written in, for messages
  const ClassInfo* equipment = nullptr;   // kEquipment
  const EnumInfo* enumeration = nullptr;  // kEnum, kEnumName
  const MemberInfo* command = nullptr;    // kCommand

  static Type of(TypeKind kind) {
    Type t;
    t.kind = kind;
    return t;
  }
  static Type quantity(const Dimension& dimension, Affinity affinity, std::string unit = {});
  static Type real() { return quantity(Dimension(), Affinity::kLinear); }

  bool is_error() const { return kind == TypeKind::kError; }
  bool is_numeric() const { return kind == TypeKind::kInt || kind == TypeKind::kQuantity; }
  bool is_real() const { return kind == TypeKind::kQuantity && dimension.is_dimensionless(); }
};

class DimensionTable;
// "mass (kg)", "absolute temperature (degC)", "temperature difference", "int", "Mixer".
std::string describe(const Type& type, const DimensionTable& dimensions);

}  // namespace gemba::sema
