#include "compiler/sema/rational.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>

namespace gemba::sema {
namespace {

constexpr int64_t kMax = INT64_MAX;

Rational Q(int64_t num, int64_t den = 1) {
  std::optional<Rational> value = Rational::make(num, den);
  EXPECT_TRUE(value.has_value()) << num << "/" << den;
  return value.value_or(Rational());
}

std::optional<Rational> Parse(std::string_view text) { return Rational::parse_decimal(text); }

TEST(RationalTest, MakeReducesAndNormalizesSign) {
  Rational r = Q(6, -4);
  EXPECT_EQ(r.num(), -3);
  EXPECT_EQ(r.den(), 2);
  EXPECT_EQ(Q(0, -7), Rational());
  EXPECT_EQ(Q(0, 5).den(), 1);
  EXPECT_EQ(Q(-10, -5), Rational(2));
}

TEST(RationalTest, MakeRejectsZeroDenominatorAndUnrepresentable) {
  EXPECT_FALSE(Rational::make(1, 0));
  EXPECT_FALSE(Rational::make(INT64_MIN, 1));
  EXPECT_FALSE(Rational::make(1, INT64_MIN));
  EXPECT_EQ(Rational::make(INT64_MIN, 2), Rational(INT64_MIN / 2));
  EXPECT_EQ(Rational::make(INT64_MIN, INT64_MIN), Rational(1));
}

TEST(RationalTest, ParsesDecimalsExactly) {
  EXPECT_EQ(Parse("12"), Rational(12));
  EXPECT_EQ(Parse("0.45359237"), Q(45359237, 100000000));
  EXPECT_EQ(Parse("273.15"), Q(5463, 20));
  EXPECT_EQ(Parse("1e-3"), Q(1, 1000));
  EXPECT_EQ(Parse("1E3"), Rational(1000));
  EXPECT_EQ(Parse("2.5e+2"), Rational(250));
  EXPECT_EQ(Parse("-2.5"), Q(-5, 2));
  EXPECT_EQ(Parse("+0.125"), Q(1, 8));
  EXPECT_EQ(Parse("007.50"), Q(15, 2));
  EXPECT_EQ(Parse("6.02e18"), Rational(6020000000000000000));
  EXPECT_EQ(Parse("9223372036854775807"), Rational(kMax));
  EXPECT_EQ(Parse("-9223372036854775807"), Rational(-kMax));
  EXPECT_EQ(Parse("1.5e-18"), Q(3, 2000000000000000000));
}

TEST(RationalTest, ParsesZerosAndTrailingZerosBeyondInt64) {
  EXPECT_EQ(Parse("0"), Rational());
  EXPECT_EQ(Parse("-0.000"), Rational());
  EXPECT_EQ(Parse("0e999999999999999999999"), Rational());
  EXPECT_EQ(Parse("1.00000000000000000000000000000000000000000000000000"), Rational(1));
  EXPECT_EQ(Parse("100000000000000000000e-20"), Rational(1));
  // 2^-54: 54 decimals, 38 significant digits, denominator beyond 10^18.
  EXPECT_EQ(Parse("0.00000000000000005551115123125782702118158340454101562500"),
            Q(1, int64_t{1} << 54));
}

TEST(RationalTest, ParseRejectsUnrepresentable) {
  EXPECT_FALSE(Parse("6.02e23"));
  EXPECT_FALSE(Parse("9223372036854775808"));
  EXPECT_FALSE(Parse("-9223372036854775808"));
  EXPECT_FALSE(Parse("1e-19"));  // Denominator 10^19 > INT64_MAX.
  EXPECT_FALSE(Parse("1e999999999999999999999"));
  EXPECT_FALSE(Parse("1e-999999999999999999999"));
  EXPECT_FALSE(Parse("123456789012345678901234567890123456789"));  // 39 significant digits.
  // Documented limit: 2^-62 is representable but written with 44 significant digits.
  EXPECT_FALSE(Parse("0.00000000000000000021684043449710088680149056017398834228515625"));
}

TEST(RationalTest, ParseRejectsMalformed) {
  for (const char* text : {"", "-", ".", ".5", "1.", "1e", "1e+", "e3", "abc", "1.2.3", " 1", "1 ",
                           "--1", "0x10", "1_000", "1/2", "1e3.5", "inf", "nan"}) {
    EXPECT_FALSE(Parse(text)) << '"' << text << '"';
  }
}

TEST(RationalTest, Arithmetic) {
  EXPECT_EQ(Q(1, 2).add(Q(1, 3)), Q(5, 6));
  EXPECT_EQ(Q(1, 2).sub(Q(1, 3)), Q(1, 6));
  EXPECT_EQ(Q(2, 3).mul(Q(9, 4)), Q(3, 2));
  EXPECT_EQ(Q(2, 3).div(Q(-4, 9)), Q(-3, 2));
  EXPECT_EQ(Q(1, 3).sub(Q(1, 3)), Rational());
  EXPECT_FALSE(Q(1, 3).div(Rational()));
}

TEST(RationalTest, WideIntermediatesAvoidSpuriousOverflow) {
  EXPECT_EQ(Rational(kMax).mul(Q(1, kMax)), Rational(1));
  EXPECT_EQ(Q(kMax - 1, kMax).add(Q(1, kMax)), Rational(1));
  EXPECT_EQ(Rational(kMax).div(Rational(kMax)), Rational(1));
}

TEST(RationalTest, OverflowIsReported) {
  EXPECT_FALSE(Rational(kMax).add(Rational(1)));
  EXPECT_FALSE(Rational(-kMax).sub(Rational(1)));
  EXPECT_FALSE(Rational(kMax).mul(Rational(2)));
  EXPECT_FALSE(Q(1, kMax).mul(Q(1, 2)));
  EXPECT_FALSE(Q(1, kMax).div(Rational(3)));
  EXPECT_FALSE(Q(1, kMax - 1).add(Q(1, kMax)));
}

TEST(RationalTest, Pow) {
  EXPECT_EQ(Q(2, 3).pow(3), Q(8, 27));
  EXPECT_EQ(Q(2, 3).pow(-2), Q(9, 4));
  EXPECT_EQ(Q(-2, 3).pow(-3), Q(-27, 8));
  EXPECT_EQ(Q(7, 5).pow(0), Rational(1));
  EXPECT_EQ(Rational().pow(0), Rational(1));
  EXPECT_EQ(Rational().pow(3), Rational());
  EXPECT_FALSE(Rational().pow(-1));
  EXPECT_EQ(Rational(2).pow(62), Rational(int64_t{1} << 62));
  EXPECT_FALSE(Rational(2).pow(63));
  EXPECT_EQ(Rational(10).pow(18), Rational(1000000000000000000));
  EXPECT_FALSE(Rational(10).pow(19));
  EXPECT_FALSE(Q(1, 10).pow(19));
  EXPECT_EQ(Rational(-1).pow(INT_MAX), Rational(-1));
  EXPECT_EQ(Rational(1).pow(INT_MIN), Rational(1));
  EXPECT_FALSE(Rational(2).pow(INT_MIN));
}

TEST(RationalTest, Comparison) {
  EXPECT_LT(Q(1, 3), Q(1, 2));
  EXPECT_LT(Q(-1, 2), Q(1, 3));
  EXPECT_GT(Q(kMax, kMax - 1), Rational(1));
  EXPECT_LT(Q(kMax - 1, kMax), Rational(1));
  EXPECT_LT(Q(kMax - 2, kMax - 1), Q(kMax - 1, kMax));
  EXPECT_EQ(Q(2, 4), Q(1, 2));
  EXPECT_NE(Q(1, 2), Q(-1, 2));
  EXPECT_LE(Q(1, 2), Q(1, 2));
}

TEST(RationalTest, Predicates) {
  EXPECT_TRUE(Rational().is_zero());
  EXPECT_FALSE(Q(1, 2).is_zero());
  EXPECT_TRUE(Q(3, 3).is_one());
  EXPECT_FALSE(Rational(-1).is_one());
  EXPECT_TRUE(Rational(5).is_integer());
  EXPECT_FALSE(Q(5, 2).is_integer());
}

TEST(RationalTest, ToString) {
  EXPECT_EQ(Rational(12).to_string(), "12");
  EXPECT_EQ(Rational(-12).to_string(), "-12");
  EXPECT_EQ(Rational().to_string(), "0");
  EXPECT_EQ(Q(1, 1000).to_string(), "0.001");
  EXPECT_EQ(Q(-1, 2).to_string(), "-0.5");
  EXPECT_EQ(Q(5463, 20).to_string(), "273.15");
  EXPECT_EQ(Q(-5463, 20).to_string(), "-273.15");
  EXPECT_EQ(Q(5, 9).to_string(), "5/9");
  EXPECT_EQ(Q(-1, 3).to_string(), "-1/3");
  EXPECT_EQ(Q(1, 1 << 20).to_string(), "0.00000095367431640625");
  EXPECT_EQ(Q(kMax, int64_t{1} << 62).to_string(),
            "1.99999999999999999978315956550289911319850943982601165771484375");
}

TEST(RationalTest, ToStringRoundTripsThroughParse) {
  for (const char* text : {"0.45359237", "0.0254", "4.4482216152605", "-459.67", "1e-3"}) {
    std::optional<Rational> value = Parse(text);
    ASSERT_TRUE(value) << text;
    EXPECT_EQ(Parse(value->to_string()), value) << text;
  }
}

TEST(RationalTest, ToDouble) {
  EXPECT_DOUBLE_EQ(Q(5, 9).to_double(), 5.0 / 9.0);
  EXPECT_DOUBLE_EQ(Q(5463, 20).to_double(), 273.15);
  EXPECT_DOUBLE_EQ(Rational(-kMax).to_double(), -9223372036854775807.0);
}

}  // namespace
}  // namespace gemba::sema
