// Constant values: exact base-unit storage, display in any compatible unit, and the
// short decimal form the specialized program prints.
#include "compiler/sema/value.h"

#include <gtest/gtest.h>

namespace gemba::sema {
namespace {

const Dimension kMass = Dimension::base(0);
const Dimension kTemperature = Dimension::base(1);

Rational r(int64_t num, int64_t den = 1) { return *Rational::make(num, den); }

Unit kilogram() { return Unit::base("kg", kMass); }
Unit pound() { return kilogram().scaled(r(45359237, 100000000)).unit().named("lb"); }
Unit kelvin() { return Unit::base("K", kTemperature); }
Unit fahrenheit() {
  return kelvin().scaled(r(5, 9)).unit().with_offset(r(45967, 100)).unit().named("degF");
}

TEST(ValueTest, AQuantityIsShownInAnyUnitOfItsDimension) {
  Value v = Value::of_quantity(r(500), Type::quantity(kMass, Affinity::kLinear), kilogram());
  auto in_lb = in_unit(v, pound());
  ASSERT_TRUE(in_lb);
  EXPECT_EQ(format_number(*in_lb), "1102.31131");
  EXPECT_EQ(*in_unit(v, kilogram()), r(500));
}

TEST(ValueTest, AReadingTakesTheOffsetAndADifferenceDoesNot) {
  // 333.15 K is 60 degC is 140 degF; a difference of 10 K is 18 delta degF.
  Type reading = Type::quantity(kTemperature, Affinity::kAbsolute);
  Type difference = Type::quantity(kTemperature, Affinity::kDifference);
  EXPECT_EQ(*in_unit(Value::of_quantity(r(33315, 100), reading, std::nullopt), fahrenheit()),
            r(140));
  EXPECT_EQ(*in_unit(Value::of_quantity(r(10), difference, std::nullopt), fahrenheit()), r(18));
}

TEST(ValueTest, NumbersPrintExactlyWhenTheirDecimalEnds) {
  EXPECT_EQ(format_number(r(1, 4)), "0.25");
  EXPECT_EQ(format_number(r(-27315, 100)), "-273.15");
  EXPECT_EQ(format_number(r(1, 3)), "0.333333333");
  EXPECT_EQ(format_number(r(2, 3)), "0.666666667");
}

TEST(ValueTest, EqualityComparesValuesNotUnits) {
  Type mass = Type::quantity(kMass, Affinity::kLinear);
  EXPECT_EQ(Value::of_quantity(r(1), mass, kilogram()), Value::of_quantity(r(1), mass, pound()));
  EXPECT_NE(Value::of_quantity(r(1), mass, kilogram()), Value::of_quantity(r(2), mass, kilogram()));
  EXPECT_NE(Value::of_int(r(1)), Value::of_quantity(r(1), mass, kilogram()));
  EXPECT_EQ(Value::of_bool(true), Value::of_bool(true));
  EXPECT_NE(Value::of_string("a"), Value::of_string("b"));
}

}  // namespace
}  // namespace gemba::sema
