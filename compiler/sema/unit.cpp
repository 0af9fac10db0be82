#include "compiler/sema/unit.h"

#include <ostream>
#include <utility>

namespace gemba::sema {

Unit::Unit(std::string name, const Dimension& dimension, const Rational& scale,
           const Rational& offset)
    : name_(std::move(name)), dimension_(dimension), scale_(scale), offset_(offset) {
  assert(!scale_.is_zero());
}

Unit Unit::base(std::string name, const Dimension& dimension) {
  return Unit(std::move(name), dimension, Rational(1), Rational());
}

Unit Unit::named(std::string name) const {
  Unit result = *this;
  result.name_ = std::move(name);
  return result;
}

UnitResult Unit::multiply(const Unit& other) const {
  if (affine() || other.affine()) return UnitError::kAffineInCompound;
  std::optional<Dimension> dimension = dimension_.mul(other.dimension_);
  std::optional<Rational> scale = scale_.mul(other.scale_);
  if (!dimension || !scale) return UnitError::kOverflow;
  return Unit("", *dimension, *scale, Rational());
}

UnitResult Unit::divide(const Unit& other) const {
  if (affine() || other.affine()) return UnitError::kAffineInCompound;
  std::optional<Dimension> dimension = dimension_.div(other.dimension_);
  std::optional<Rational> scale = scale_.div(other.scale_);
  if (!dimension || !scale) return UnitError::kOverflow;
  return Unit("", *dimension, *scale, Rational());
}

UnitResult Unit::pow(int exponent) const {
  if (affine()) return UnitError::kAffineInCompound;
  std::optional<Dimension> dimension = dimension_.pow(exponent);
  std::optional<Rational> scale = scale_.pow(exponent);
  if (!dimension || !scale) return UnitError::kOverflow;
  return Unit("", *dimension, *scale, Rational());
}

UnitResult Unit::scaled(const Rational& factor) const {
  if (affine()) return UnitError::kAffineInCompound;
  if (factor.is_zero()) return UnitError::kZeroScale;
  std::optional<Rational> scale = scale_.mul(factor);
  if (!scale) return UnitError::kOverflow;
  return Unit("", dimension_, *scale, Rational());
}

UnitResult Unit::with_offset(const Rational& offset) const {
  std::optional<Rational> total = offset_.add(offset);
  if (!total) return UnitError::kOverflow;
  return Unit("", dimension_, scale_, *total);
}

Unit Unit::delta() const {
  if (!affine()) return *this;
  return Unit(name_.empty() ? "" : "delta " + name_, dimension_, scale_, Rational());
}

std::ostream& operator<<(std::ostream& os, const Unit& unit) {
  return os << unit.name() << "{" << unit.dimension() << ", scale=" << unit.scale()
            << ", offset=" << unit.offset() << "}";
}

bool compatible(const Unit& a, const Unit& b) { return a.dimension() == b.dimension(); }

bool equivalent(const Unit& a, const Unit& b) {
  return compatible(a, b) && a.scale() == b.scale() && a.offset() == b.offset();
}

// to = (v + o_from) * s_from / s_to - o_to = v * factor + (o_from * factor - o_to).
std::optional<Conversion> conversion(const Unit& from, const Unit& to) {
  if (!compatible(from, to)) return std::nullopt;
  std::optional<Rational> factor = from.scale().div(to.scale());
  if (!factor) return std::nullopt;
  std::optional<Rational> shifted = from.offset().mul(*factor);
  if (!shifted) return std::nullopt;
  std::optional<Rational> shift = shifted->sub(to.offset());
  if (!shift) return std::nullopt;
  return Conversion{*factor, *shift};
}

std::optional<Rational> convert(const Rational& value, const Unit& from, const Unit& to) {
  if (!compatible(from, to)) return std::nullopt;
  std::optional<Rational> reading = value.add(from.offset());
  if (reading) reading = reading->mul(from.scale());
  if (reading) reading = reading->div(to.scale());
  if (reading) reading = reading->sub(to.offset());
  return reading;
}

// Prefers the exact map, whose constants round once each, so that e.g. -40 degC gives exactly
// -40 degF; falls back to the defining formula when the map is not representable.
std::optional<double> convert(double value, const Unit& from, const Unit& to) {
  if (!compatible(from, to)) return std::nullopt;
  if (std::optional<Conversion> map = conversion(from, to)) {
    return value * map->factor.to_double() + map->shift.to_double();
  }
  return (value + from.offset().to_double()) * from.scale().to_double() / to.scale().to_double() -
         to.offset().to_double();
}

}  // namespace gemba::sema
