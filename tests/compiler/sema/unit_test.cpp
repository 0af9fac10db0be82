#include "compiler/sema/unit.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace gemba::sema {
namespace {

Rational R(std::string_view text) {
  std::optional<Rational> value = Rational::parse_decimal(text);
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(Rational());
}

Rational Q(int64_t num, int64_t den) { return Rational::make(num, den).value(); }

Unit Must(const UnitResult& result) {
  EXPECT_TRUE(result.ok());
  return result.ok() ? result.unit() : Unit();
}

// Mirrors the standard library declarations, e.g. `unit N = kg * m / s^2;`.
class UnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"mass", "length", "duration", "temperature"}) {
      ASSERT_TRUE(dims.add_base(name));
    }
    kg = Unit::base("kg", *dims.find("mass"));
    m = Unit::base("m", *dims.find("length"));
    s = Unit::base("s", *dims.find("duration"));
    K = Unit::base("K", *dims.find("temperature"));
    g = Must(kg.scaled(R("0.001"))).named("g");
    lb = Must(kg.scaled(R("0.45359237"))).named("lb");
    min = Must(s.scaled(Rational(60))).named("min");
    Hz = Must(Unit().divide(s)).named("Hz");
    rpm = Must(Unit().divide(min)).named("rpm");
    percent = Must(Unit().scaled(R("0.01"))).named("percent");
    N = Must(Must(kg.multiply(m)).divide(Must(s.pow(2)))).named("N");
    Pa = Must(N.divide(Must(m.pow(2)))).named("Pa");
    bar = Must(Pa.scaled(R("1e5"))).named("bar");
    in = Must(m.scaled(R("0.0254"))).named("in");
    lbf = Must(N.scaled(R("4.4482216152605"))).named("lbf");
    psi = Must(lbf.divide(Must(in.pow(2)))).named("psi");
    L = Must(Must(m.pow(3)).scaled(R("0.001"))).named("L");
    gal = Must(Must(in.pow(3)).scaled(Rational(231))).named("gal");
    degC = Must(K.with_offset(R("273.15"))).named("degC");
    degF = Must(Must(K.scaled(Q(5, 9))).with_offset(R("459.67"))).named("degF");
  }

  Rational Convert(int64_t value, const Unit& from, const Unit& to) {
    std::optional<Rational> result = convert(Rational(value), from, to);
    EXPECT_TRUE(result.has_value()) << value << " " << from << " -> " << to;
    return result.value_or(Rational());
  }

  DimensionTable dims;
  Unit kg, m, s, K, g, lb, min, Hz, rpm, percent, N, Pa, bar, in, lbf, psi, L, gal, degC, degF;
};

TEST_F(UnitTest, BaseAndDerivedUnits) {
  EXPECT_EQ(kg.name(), "kg");
  EXPECT_TRUE(kg.scale().is_one());
  EXPECT_FALSE(kg.affine());
  EXPECT_EQ(dims.format(N.dimension()), "mass*length/duration^2");
  EXPECT_TRUE(N.scale().is_one());
  EXPECT_EQ(dims.format(Pa.dimension()), "mass/(length*duration^2)");
  EXPECT_TRUE(Unit().dimension().is_dimensionless());
  EXPECT_TRUE(percent.dimension().is_dimensionless());
}

TEST_F(UnitTest, CompoundUnitsAreAnonymous) {
  UnitResult product = kg.multiply(m);
  ASSERT_TRUE(product.ok());
  EXPECT_EQ(product.unit().name(), "");
  EXPECT_TRUE(equivalent(Must(product.unit().divide(Must(s.pow(2)))), N));
  EXPECT_FALSE(Must(product.unit().divide(Must(s.pow(2)))) == N);  // Names differ.
}

TEST_F(UnitTest, GramsAndKilograms) {
  // 500 g + 1 kg = 1.5 kg.
  Rational total = Convert(500, g, kg).add(Rational(1)).value();
  EXPECT_EQ(total, Q(3, 2));
  EXPECT_EQ(total.to_string(), "1.5");
  EXPECT_EQ(Convert(1, kg, g), Rational(1000));
}

TEST_F(UnitTest, PoundIsExactlyDefined) {
  EXPECT_EQ(Convert(1, lb, g), R("453.59237"));
  EXPECT_EQ(Convert(1, lb, g).to_string(), "453.59237");
}

TEST_F(UnitTest, CelsiusFahrenheitKelvinExactly) {
  EXPECT_EQ(Convert(100, degC, degF), Rational(212));
  EXPECT_EQ(Convert(0, degC, degF), Rational(32));
  EXPECT_EQ(Convert(212, degF, degC), Rational(100));
  EXPECT_EQ(Convert(0, degC, K), R("273.15"));
  EXPECT_EQ(Convert(0, K, degC), R("-273.15"));
  EXPECT_EQ(Convert(-40, degC, degF), Rational(-40));
  EXPECT_EQ(Convert(-40, degF, degC), Rational(-40));
  EXPECT_EQ(Convert(0, degF, K), Q(229835, 900));
}

TEST_F(UnitTest, DeltaUnitsConvertDifferences) {
  Unit delta_degC = degC.delta();
  Unit delta_degF = degF.delta();
  EXPECT_EQ(delta_degC.name(), "delta degC");
  EXPECT_FALSE(delta_degC.affine());
  EXPECT_TRUE(equivalent(delta_degC, K));
  EXPECT_EQ(Convert(100, delta_degC, delta_degF), Rational(180));
  EXPECT_EQ(Convert(10, delta_degC, K), Rational(10));
  EXPECT_EQ(K.delta(), K);
  // A heating rate is a compound of the linear delta unit.
  Unit rate = Must(delta_degC.divide(min));
  EXPECT_EQ(dims.format(rate.dimension()), "temperature/duration");
  EXPECT_EQ(rate.scale(), Q(1, 60));
}

TEST_F(UnitTest, PsiIsExactRational) {
  Rational one_psi = Convert(1, psi, Pa);
  EXPECT_EQ(one_psi, Q(44482216152605, 6451600000));
  EXPECT_EQ(one_psi, Q(8896443230521, 1290320000));
  EXPECT_NEAR(one_psi.to_double(), 6894.757293168, 1e-9);
  EXPECT_EQ(psi.scale(), one_psi);
}

TEST_F(UnitTest, GallonsBarAndRpm) {
  EXPECT_EQ(Convert(1, gal, L), R("3.785411784"));
  EXPECT_EQ(Convert(1, bar, Pa), Rational(100000));
  EXPECT_EQ(Convert(1, bar, psi), Q(129032000000000, 8896443230521));
  EXPECT_EQ(Convert(1, rpm, Hz), Q(1, 60));
  EXPECT_EQ(Convert(3000, rpm, Hz), Rational(50));
  EXPECT_EQ(Convert(50, percent, Unit()), Q(1, 2));
}

TEST_F(UnitTest, ConversionMapIsExact) {
  std::optional<Conversion> c_to_f = conversion(degC, degF);
  ASSERT_TRUE(c_to_f);
  EXPECT_EQ(c_to_f->factor, Q(9, 5));
  EXPECT_EQ(c_to_f->shift, Rational(32));
  std::optional<Conversion> g_to_kg = conversion(g, kg);
  ASSERT_TRUE(g_to_kg);
  EXPECT_EQ(g_to_kg->factor, R("0.001"));
  EXPECT_TRUE(g_to_kg->shift.is_zero());
  EXPECT_FALSE(conversion(g, m));
}

TEST_F(UnitTest, DoubleConversion) {
  EXPECT_EQ(convert(-40.0, degC, degF), -40.0);
  EXPECT_EQ(convert(100.0, degC, degF), 212.0);
  EXPECT_DOUBLE_EQ(convert(0.0, degC, K).value(), 273.15);
  EXPECT_DOUBLE_EQ(convert(500.0, g, kg).value(), 0.5);
  EXPECT_NEAR(convert(1.0, psi, Pa).value(), 6894.757293168, 1e-9);
  EXPECT_FALSE(convert(1.0, psi, kg));
}

TEST_F(UnitTest, IncompatibleUnitsDoNotConvert) {
  EXPECT_TRUE(compatible(g, lb));
  EXPECT_TRUE(compatible(degC, K));
  EXPECT_TRUE(compatible(rpm, Hz));
  EXPECT_FALSE(compatible(g, m));
  EXPECT_FALSE(compatible(percent, Hz));
  EXPECT_FALSE(convert(Rational(1), g, m));
  EXPECT_FALSE(convert(Rational(1), N, Pa));
}

TEST_F(UnitTest, AffineUnitsAreRejectedInCompounds) {
  for (const UnitResult& result :
       {degC.divide(min), min.divide(degC), degC.multiply(m), m.multiply(degF), degC.pow(2),
        degC.pow(1), degC.scaled(R("2"))}) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), UnitError::kAffineInCompound);
  }
}

TEST_F(UnitTest, OffsetsCompose) {
  Unit shifted = Must(degC.with_offset(Rational(10)));
  EXPECT_EQ(convert(Rational(0), shifted, degC), Rational(10));
  EXPECT_FALSE(Must(shifted.with_offset(R("-283.15"))).affine());
}

TEST_F(UnitTest, ZeroScaleIsRejected) {
  UnitResult result = kg.scaled(Rational());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), UnitError::kZeroScale);
}

TEST_F(UnitTest, OverflowIsReportedNotWrong) {
  Unit huge = Must(kg.scaled(Rational(1000000000000000000)));
  UnitResult squared = huge.multiply(huge);
  ASSERT_FALSE(squared.ok());
  EXPECT_EQ(squared.error(), UnitError::kOverflow);
  EXPECT_EQ(huge.pow(2).error(), UnitError::kOverflow);
  EXPECT_EQ(huge.scaled(Rational(10)).error(), UnitError::kOverflow);
  EXPECT_EQ(g.pow(7).error(), UnitError::kOverflow);  // Denominator 10^21.

  Unit m100 = Must(m.pow(100));
  EXPECT_EQ(m100.multiply(m100).error(), UnitError::kOverflow);

  EXPECT_FALSE(convert(Rational(INT64_MAX / 2), kg, g));
  EXPECT_FALSE(convert(Rational(INT64_MAX), degC, K));
  EXPECT_EQ(K.with_offset(Rational(INT64_MAX)).unit().with_offset(Rational(1)).error(),
            UnitError::kOverflow);
}

}  // namespace
}  // namespace gemba::sema
