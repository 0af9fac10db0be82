#include "compiler/sema/dimension.h"

#include <gtest/gtest.h>

#include <string>

namespace gemba::sema {
namespace {

Dimension Must(std::optional<Dimension> dimension) {
  EXPECT_TRUE(dimension.has_value());
  return dimension.value_or(Dimension());
}

// The standard library's base dimensions, in declaration order.
class DimensionTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"mass", "length", "duration", "temperature", "current", "amount", "luminosity"}) {
      ASSERT_TRUE(table.add_base(name));
    }
    mass = *table.find("mass");
    length = *table.find("length");
    duration = *table.find("duration");
    velocity = Must(length.div(duration));
    acceleration = Must(velocity.div(duration));
    force = Must(mass.mul(acceleration));
    pressure = Must(force.div(Must(length.pow(2))));
  }

  DimensionTable table;
  Dimension mass, length, duration, velocity, acceleration, force, pressure;
};

TEST(DimensionTest, DefaultIsDimensionless) {
  EXPECT_TRUE(Dimension().is_dimensionless());
  EXPECT_FALSE(Dimension::base(0).is_dimensionless());
  EXPECT_TRUE(Must(Dimension::base(3).div(Dimension::base(3))).is_dimensionless());
}

TEST(DimensionTest, Algebra) {
  Dimension m = Dimension::base(0);
  Dimension l = Dimension::base(1);
  Dimension t = Dimension::base(2);
  Dimension f = Must(Must(m.mul(l)).div(Must(t.pow(2))));
  EXPECT_EQ(f.exponent(0), 1);
  EXPECT_EQ(f.exponent(1), 1);
  EXPECT_EQ(f.exponent(2), -2);
  EXPECT_EQ(f.exponent(15), 0);
  EXPECT_EQ(Must(f.pow(-1)).exponent(2), 2);
  EXPECT_EQ(Must(f.pow(0)), Dimension());
  EXPECT_EQ(Must(m.mul(l)), Must(l.mul(m)));
  EXPECT_NE(m, l);
}

TEST(DimensionTest, ExponentOverflowIsReported) {
  Dimension m = Dimension::base(0);
  EXPECT_EQ(Must(m.pow(127)).exponent(0), 127);
  EXPECT_EQ(Must(m.pow(-128)).exponent(0), -128);
  EXPECT_FALSE(m.pow(128));
  EXPECT_FALSE(m.pow(-129));
  EXPECT_FALSE(Must(m.pow(100)).mul(Must(m.pow(100))));
  EXPECT_FALSE(Must(m.pow(-100)).div(Must(m.pow(100))));
  EXPECT_FALSE(Must(m.pow(2)).pow(1 << 30));
}

TEST(DimensionTest, OrderedForMaps) {
  Dimension a = Dimension::base(0);
  Dimension b = Dimension::base(1);
  EXPECT_TRUE((a < b) != (b < a));
  EXPECT_FALSE(a < a);
}

TEST_F(DimensionTableTest, BasesAreIndexedInDeclarationOrder) {
  EXPECT_EQ(table.base_count(), 7);
  EXPECT_EQ(table.find_base("mass"), 0);
  EXPECT_EQ(table.find_base("luminosity"), 6);
  EXPECT_EQ(table.base_name(2), "duration");
  EXPECT_EQ(table.find("length"), Dimension::base(1));
  EXPECT_FALSE(table.find_base("count"));
  EXPECT_FALSE(table.find("count"));
}

TEST_F(DimensionTableTest, UserBasesUpToTheLimit) {
  EXPECT_EQ(table.add_base("count"), 7);
  EXPECT_EQ(table.add_base("currency"), 8);
  for (int i = 9; i < kMaxBaseDimensions; ++i) {
    EXPECT_EQ(table.add_base("extra" + std::to_string(i)), i);
  }
  EXPECT_FALSE(table.add_base("one_too_many"));
  EXPECT_FALSE(table.find("one_too_many"));
  EXPECT_EQ(table.format(Dimension::base(15)), "extra15");
}

TEST_F(DimensionTableTest, NamesAreUnique) {
  EXPECT_FALSE(table.add_base("mass"));
  EXPECT_TRUE(table.add_named("force", force));
  EXPECT_FALSE(table.add_named("force", mass));
  EXPECT_FALSE(table.add_named("mass", force));
  EXPECT_FALSE(table.add_base("force"));
  EXPECT_EQ(table.find("force"), force);
  EXPECT_FALSE(table.find_base("force"));
}

TEST_F(DimensionTableTest, Format) {
  EXPECT_EQ(table.format(mass), "mass");
  EXPECT_EQ(table.format(acceleration), "length/duration^2");
  EXPECT_EQ(table.format(force), "mass*length/duration^2");
  EXPECT_EQ(table.format(Must(duration.pow(-1))), "1/duration");
  EXPECT_EQ(table.format(Dimension()), "dimensionless");
  EXPECT_EQ(table.format(pressure), "mass/(length*duration^2)");
  EXPECT_EQ(table.format(Must(length.pow(3))), "length^3");
  EXPECT_EQ(table.format(Must(Must(length.pow(-2)).div(mass))), "1/(mass*length^2)");
}

TEST_F(DimensionTableTest, DescribePrefersDeclaredNames) {
  ASSERT_TRUE(table.add_named("force", force));
  ASSERT_TRUE(table.add_named("weight", force));
  ASSERT_TRUE(table.add_named("heaviness", mass));
  EXPECT_EQ(table.describe(force), "force (mass*length/duration^2)");
  EXPECT_EQ(table.derived_name(force), "force");
  EXPECT_EQ(table.describe(mass), "mass");
  EXPECT_EQ(table.describe(acceleration), "length/duration^2");
  EXPECT_EQ(table.describe(Dimension()), "dimensionless");
}

}  // namespace
}  // namespace gemba::sema
