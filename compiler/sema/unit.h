#ifndef GEMBA_COMPILER_SEMA_UNIT_H_
#define GEMBA_COMPILER_SEMA_UNIT_H_

#include <cassert>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>

#include "compiler/sema/dimension.h"
#include "compiler/sema/rational.h"

namespace gemba::sema {

// Why a unit expression has no meaning. The caller turns it into a diagnostic.
enum class UnitError {
  kAffineInCompound,  // An affine unit (degC) used in *, /, ^ or a scale factor.
  kOverflow,          // A scale, offset or dimension exponent is not representable.
  kZeroScale,         // Scaling by 0 would make every value of the unit equal.
};

class UnitResult;

// A unit of measure. A value v in this unit denotes (v + offset) * scale in the coherent base
// units of its dimension (the units declared as `unit kg: mass;`).
// Invariant: scale != 0. A unit with a non-zero offset is affine: it reads a point on a scale
// (a thermometer reading) and may not appear in a compound unit expression; delta() gives the
// linear unit for differences of such readings.
class Unit {
 public:
  // The anonymous dimensionless unit 1, e.g. the `1` in `unit rpm = 1 / min;`.
  Unit() = default;
  // A coherent base unit: `unit kg: mass;`.
  static Unit base(std::string name, const Dimension& dimension);

  // Empty for an anonymous (compound) unit.
  const std::string& name() const { return name_; }
  const Dimension& dimension() const { return dimension_; }
  const Rational& scale() const { return scale_; }
  const Rational& offset() const { return offset_; }
  bool affine() const { return !offset_.is_zero(); }

  // The same unit under another name: `unit N = kg * m / s^2;`.
  Unit named(std::string name) const;

  // Compound units are anonymous. Each fails with kAffineInCompound when an operand is affine.
  UnitResult multiply(const Unit& other) const;
  UnitResult divide(const Unit& other) const;
  UnitResult pow(int exponent) const;
  // `0.001 kg`; fails with kZeroScale when factor is 0.
  UnitResult scaled(const Rational& factor) const;
  // `K offset 273.15`: a value v of the result denotes v + offset of this unit. Offsets compose,
  // so this unit may itself be affine. The result is anonymous.
  UnitResult with_offset(const Rational& offset) const;
  // `delta degC`: same dimension and scale, no offset, named "delta <name>" when this unit is
  // affine and named. A linear unit is returned unchanged.
  Unit delta() const;

  // Compares names too; see equivalent().
  bool operator==(const Unit&) const = default;

 private:
  Unit(std::string name, const Dimension& dimension, const Rational& scale, const Rational& offset);

  std::string name_;
  Dimension dimension_;
  Rational scale_{1};
  Rational offset_;
};

// Prints e.g. "degF{Dimension{3:1}, scale=5/9, offset=459.67}"; for test failure messages.
std::ostream& operator<<(std::ostream& os, const Unit& unit);

// Either a Unit or the reason there is none.
class UnitResult {
 public:
  UnitResult(Unit unit) : value_(std::move(unit)) {}  // NOLINT(google-explicit-constructor)
  UnitResult(UnitError error) : value_(error) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<Unit>(value_); }
  // Precondition: ok().
  const Unit& unit() const {
    assert(ok());
    return *std::get_if<Unit>(&value_);
  }
  // Precondition: !ok().
  UnitError error() const {
    assert(!ok());
    return *std::get_if<UnitError>(&value_);
  }

 private:
  std::variant<Unit, UnitError> value_;
};

// Same dimension: values of one can be converted to the other.
bool compatible(const Unit& a, const Unit& b);
// Same dimension, scale and offset; names are ignored.
bool equivalent(const Unit& a, const Unit& b);

// A reading in `from` maps to value * factor + shift in `to`, exactly.
struct Conversion {
  Rational factor;
  Rational shift;
};

// nullopt when the units are incompatible or the map is not representable. Precompute this once
// for a hot conversion, e.g. to emit it as code.
std::optional<Conversion> conversion(const Unit& from, const Unit& to);

// Converts a reading: (value + from.offset) * from.scale / to.scale - to.offset. Offsets of linear
// units are 0, so between linear units only scales apply; to convert a difference of affine
// readings, pass delta() units. nullopt when the units are incompatible or on overflow.
std::optional<Rational> convert(const Rational& value, const Unit& from, const Unit& to);
// The same in double arithmetic (not exact); nullopt only when the units are incompatible.
std::optional<double> convert(double value, const Unit& from, const Unit& to);

}  // namespace gemba::sema

#endif  // GEMBA_COMPILER_SEMA_UNIT_H_
