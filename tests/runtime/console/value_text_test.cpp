// Values as operators read and type them: every kind of value shown and parsed, units
// converted both ways (exactly, so a typed `1200 cP` is the script's `1200 cP`), affine
// units, inclusive range edges, bad input with its message, and example points rendered.
#include "tests/support/lowered_examples.h"
#include "runtime/console/value_text.h"

#include <gtest/gtest.h>

#include <string>

#include "compiler/driver/pipeline.h"
#include "compiler/lower/lower.h"
#include "compiler/sema/rational.h"

namespace gemba::console {
namespace {

using lower::Scalar;
using lower::ValueFormat;
using Kind = ValueFormat::Kind;

Scalar real(double r) { return Scalar{.r = r}; }
Scalar integer(std::int64_t i) { return Scalar{.i = i}; }
Scalar boolean(bool b) {
  Scalar s{.i = 0};
  s.b = b;
  return s;
}

// num/den as the compiler makes a literal's value: one Rational, rounded once.
double exactly(std::int64_t num, std::int64_t den) {
  return sema::Rational::make(num, den)->to_double();
}

ValueFormat::Unit unit(std::string name, std::int64_t num, std::int64_t den,
                       std::int64_t offset_num = 0, std::int64_t offset_den = 1) {
  ValueFormat::Unit u;
  u.name = std::move(name);
  u.scale = exactly(num, den);
  u.offset = exactly(offset_num, offset_den);
  u.exact_scale = {num, den};
  u.exact_offset = {offset_num, offset_den};
  return u;
}

// A real shown in `shown`; `others` may be typed too.
ValueFormat real_format(const std::string& type_name, const ValueFormat::Unit& shown,
                        std::vector<ValueFormat::Unit> others = {}) {
  ValueFormat f;
  f.kind = Kind::kReal;
  f.type_name = type_name;
  f.unit = shown.name;
  f.scale = shown.scale;
  f.offset = shown.offset;
  f.exact_scale = shown.exact_scale;
  f.exact_offset = shown.exact_offset;
  f.other_units = std::move(others);
  return f;
}

ValueFormat centipoise() {
  return real_format("viscosity", unit("cP", 1, 1000), {unit("P", 1, 10)});
}
ValueFormat celsius() {
  return real_format("temperature", unit("degC", 1, 1, 27315, 100),
                     {unit("K", 1, 1), unit("degF", 5, 9, 45967, 180)});
}
ValueFormat fahrenheit() {
  return real_format("temperature", unit("degF", 5, 9, 45967, 180),
                     {unit("K", 1, 1), unit("degC", 1, 1, 27315, 100)});
}
ValueFormat celsius_difference() {
  return real_format("temperature", unit("delta degC", 1, 1),
                     {unit("K", 1, 1), unit("delta degF", 5, 9)});
}
ValueFormat seconds() {
  return real_format("duration", unit("s", 1, 1),
                     {unit("ms", 1, 1000), unit("min", 60, 1), unit("h", 3600, 1)});
}
ValueFormat percent() { return real_format("number", unit("percent", 1, 100)); }
ValueFormat plain_real() {
  ValueFormat f;
  f.kind = Kind::kReal;
  f.type_name = "number";
  return f;
}
ValueFormat of_kind(Kind kind) {
  ValueFormat f;
  f.kind = kind;
  return f;
}
ValueFormat appearance() {
  ValueFormat f = of_kind(Kind::kEnum);
  f.type_name = "Appearance";
  f.choices = {"Conforming", "ColourOff", "Separated", "ForeignMatter"};
  return f;
}

// The parsed value, or the error as a test failure.
Scalar parsed(std::string_view text, const ValueFormat& format,
              std::optional<Scalar> lo = std::nullopt, std::optional<Scalar> hi = std::nullopt,
              Names* names = nullptr) {
  ParsedValue p = parse_value(text, format, lo, hi, names);
  EXPECT_TRUE(p.value.has_value()) << "`" << text << "`: " << p.error;
  EXPECT_EQ(p.error, "");
  return p.value.value_or(Scalar{.i = -1});
}

// The error, and a test failure if the text parsed.
std::string error(std::string_view text, const ValueFormat& format,
                  std::optional<Scalar> lo = std::nullopt, std::optional<Scalar> hi = std::nullopt,
                  Names* names = nullptr) {
  ParsedValue p = parse_value(text, format, lo, hi, names);
  EXPECT_FALSE(p.value.has_value()) << "`" << text << "` parsed";
  return p.error;
}

// ---- Names ------------------------------------------------------------------------

TEST(MemoryNamesTest, TheSameTextGetsTheSameHandleFromOne) {
  MemoryNames names;
  EXPECT_EQ(names.handle("L-1234"), 1);
  EXPECT_EQ(names.handle("Tomato base"), 2);
  EXPECT_EQ(names.handle("L-1234"), 1);
  EXPECT_EQ(names.text(1), "L-1234");
  EXPECT_EQ(names.text(2), "Tomato base");
  EXPECT_EQ(names.text(0), std::nullopt);
  EXPECT_EQ(names.text(3), std::nullopt);
  EXPECT_EQ(names.text(-1), std::nullopt);
}

// ---- Showing values ---------------------------------------------------------------

TEST(FormatValueTest, EveryKind) {
  MemoryNames names;
  std::int64_t lot = names.handle("L-1234");
  std::int64_t material = names.handle("Tomato base");
  EXPECT_EQ(format_value(boolean(true), of_kind(Kind::kBool), nullptr), "true");
  EXPECT_EQ(format_value(boolean(false), of_kind(Kind::kBool), nullptr), "false");
  EXPECT_EQ(format_value(integer(-5), of_kind(Kind::kInt), nullptr), "-5");
  EXPECT_EQ(format_value(integer(1234567890123), of_kind(Kind::kInt), nullptr), "1234567890123");
  EXPECT_EQ(format_value(real(358.15), celsius(), nullptr), "85 degC");
  EXPECT_EQ(format_value(real(0.95), centipoise(), nullptr), "950 cP");
  EXPECT_EQ(format_value(real(1800), seconds(), nullptr), "1800 s");
  EXPECT_EQ(format_value(real(0.025), percent(), nullptr), "2.5 percent");
  EXPECT_EQ(format_value(real(4.2), plain_real(), nullptr), "4.2");
  EXPECT_EQ(format_value(integer(1), appearance(), nullptr), "ColourOff");
  EXPECT_EQ(format_value(integer(9), appearance(), nullptr), "#9");
  EXPECT_EQ(format_value(integer(-1), appearance(), nullptr), "#-1");
  EXPECT_EQ(format_value(integer(lot), of_kind(Kind::kLot), &names), "L-1234");
  EXPECT_EQ(format_value(integer(material), of_kind(Kind::kMaterial), &names), "Tomato base");
  EXPECT_EQ(format_value(integer(99), of_kind(Kind::kLot), &names), "#99");
  EXPECT_EQ(format_value(integer(lot), of_kind(Kind::kLot), nullptr), "#1");
  EXPECT_EQ(format_value(real(1795701900), of_kind(Kind::kTime), nullptr),
            "2026-11-26 14:05:00 UTC");
}

TEST(FormatValueTest, AffineUnitsShowTheReadingNotTheKelvins) {
  EXPECT_EQ(format_value(real(273.15), celsius(), nullptr), "0 degC");
  EXPECT_EQ(format_value(real(233.15), celsius(), nullptr), "-40 degC");
  EXPECT_EQ(format_value(real(373.15), fahrenheit(), nullptr), "212 degF");
  EXPECT_EQ(format_value(real(233.15), fahrenheit(), nullptr), "-40 degF");
  EXPECT_EQ(format_value(real(5), celsius_difference(), nullptr), "5 delta degC");
}

TEST(FormatValueTest, RealsHaveUpToSixSignificantDigitsAndNoTrailingZeros) {
  ValueFormat f = plain_real();
  EXPECT_EQ(format_value(real(1.0 / 3), f, nullptr), "0.333333");
  EXPECT_EQ(format_value(real(2.50), f, nullptr), "2.5");
  EXPECT_EQ(format_value(real(1234567.8), f, nullptr), "1234568");
  EXPECT_EQ(format_value(real(123.456789), f, nullptr), "123.457");
  EXPECT_EQ(format_value(real(0.000123456789), f, nullptr), "0.000123457");
  EXPECT_EQ(format_value(real(1.5e-7), f, nullptr), "1.5e-07");
  EXPECT_EQ(format_value(real(1e20), f, nullptr), "1e+20");
  EXPECT_EQ(format_value(real(0), f, nullptr), "0");
  EXPECT_EQ(format_value(real(-0.0), f, nullptr), "0");
  EXPECT_EQ(format_value(real(-2.5), f, nullptr), "-2.5");
  EXPECT_EQ(format_value(real(999.9999999), f, nullptr), "1000");
}

TEST(FormatValueTest, TimesAreShownToTheSecondInUtc) {
  ValueFormat f = of_kind(Kind::kTime);
  EXPECT_EQ(format_value(real(0), f, nullptr), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(format_value(real(-1), f, nullptr), "1969-12-31 23:59:59 UTC");
  EXPECT_EQ(format_value(real(1795701900.75), f, nullptr), "2026-11-26 14:05:00 UTC");
  EXPECT_EQ(format_value(real(951782400), f, nullptr), "2000-02-29 00:00:00 UTC");
  EXPECT_EQ(format_value(real(1e18), f, nullptr), "1e+18 s since 1970");
}

// ---- Reading values ---------------------------------------------------------------

TEST(ParseValueTest, Booleans) {
  ValueFormat f = of_kind(Kind::kBool);
  for (const char* yes : {"yes", "Y", "TRUE", "  yes  ", "True"}) EXPECT_TRUE(parsed(yes, f).b);
  for (const char* no : {"no", "n", "false", "NO", "\tfalse\n"}) EXPECT_FALSE(parsed(no, f).b);
  EXPECT_EQ(parsed("yes", f).i, 1);  // a whole 64-bit word: 0 or 1
  EXPECT_EQ(error("maybe", f), "type yes or no");
  EXPECT_EQ(error("", f), "type yes or no");
  EXPECT_EQ(error("yess", f), "type yes or no");
  EXPECT_EQ(expected_input(f, std::nullopt, std::nullopt), "yes or no");
}

TEST(ParseValueTest, IntegersWithInclusiveRange) {
  ValueFormat f = of_kind(Kind::kInt);
  EXPECT_EQ(parsed("12", f).i, 12);
  EXPECT_EQ(parsed("+3", f).i, 3);
  EXPECT_EQ(parsed(" -4 ", f).i, -4);
  Scalar lo = integer(3), hi = integer(12);
  EXPECT_EQ(parsed("3", f, lo, hi).i, 3);
  EXPECT_EQ(parsed("12", f, lo, hi).i, 12);
  EXPECT_EQ(error("13", f, lo, hi), "13 is above the allowed range 3 .. 12");
  EXPECT_EQ(error("2", f, lo, hi), "2 is below the allowed range 3 .. 12");
  EXPECT_EQ(error("2.5", f, lo, hi),
            "`2.5` is not a whole number: type a whole number between 3 and 12");
  EXPECT_EQ(error("five", f), "`five` is not a whole number: type a whole number");
  EXPECT_EQ(error("99999999999999999999", f),
            "`99999999999999999999` is too large: type a whole number");
  EXPECT_EQ(error("", f, lo, hi), "type a whole number between 3 and 12");
  EXPECT_EQ(parsed("13", f, lo, std::nullopt).i, 13);  // no upper bound
  EXPECT_EQ(error("1", f, lo, std::nullopt), "1 is below the minimum 3");
}

TEST(ParseValueTest, RealsInTheirUnitExactlyAsTheCompilerConvertsLiterals) {
  ValueFormat f = centipoise();
  double cp950 = exactly(19, 20);  // 950 cP = 0.95 Pa*s
  EXPECT_EQ(parsed("950", f).r, cp950);
  EXPECT_EQ(parsed("950 cP", f).r, cp950);
  EXPECT_EQ(parsed("950cP", f).r, cp950);
  EXPECT_EQ(parsed("  950   cP  ", f).r, cp950);
  EXPECT_EQ(parsed("9.5 P", f).r, cp950);  // another unit of viscosity
  EXPECT_EQ(parsed("9.5P", f).r, cp950);
  EXPECT_EQ(parsed("950.0", f).r, cp950);
  EXPECT_EQ(parsed("9.5e2", f).r, cp950);
  EXPECT_EQ(parsed("0.1", f).r, exactly(1, 10000));
  EXPECT_EQ(parsed(".5", f).r, exactly(1, 2000));
  EXPECT_EQ(parsed("-3", f).r, exactly(-3, 1000));
  EXPECT_EQ(expected_input(f, std::nullopt, std::nullopt), "a number in cP");
}

TEST(ParseValueTest, RealRangesAreInclusiveAndShownInTheUnit) {
  ValueFormat f = centipoise();
  Scalar lo = real(exactly(4, 5)), hi = real(exactly(6, 5));  // 800 cP .. 1200 cP
  EXPECT_EQ(parsed("800", f, lo, hi).r, lo.r);
  EXPECT_EQ(parsed("1200", f, lo, hi).r, hi.r);
  EXPECT_EQ(parsed("12 P", f, lo, hi).r, hi.r);
  EXPECT_EQ(error("1300", f, lo, hi), "1300 cP is above the allowed range 800 cP .. 1200 cP");
  EXPECT_EQ(error("13 P", f, lo, hi), "1300 cP is above the allowed range 800 cP .. 1200 cP");
  EXPECT_EQ(error("799.9", f, lo, hi), "799.9 cP is below the allowed range 800 cP .. 1200 cP");
  // Just outside, the value shows enough digits to tell it from the bound.
  EXPECT_EQ(error("1200.0000001", f, lo, hi),
            "1200.0000001 cP is above the allowed range 800 cP .. 1200 cP");
  EXPECT_EQ(expected_input(f, lo, hi), "a number in cP between 800 and 1200");
  EXPECT_EQ(error("", f, lo, hi), "type a number in cP between 800 and 1200");
}

TEST(ParseValueTest, BadRealsSayWhatToType) {
  ValueFormat f = centipoise();
  Scalar lo = real(exactly(4, 5)), hi = real(exactly(6, 5));
  EXPECT_EQ(error("950 kg", f), "950 kg is not a viscosity: type a value in cP, e.g. 950");
  EXPECT_EQ(error("950 Pa", f), "950 Pa is not a viscosity: type a value in cP, e.g. 950");
  EXPECT_EQ(error("950 cp", f), "950 cp is not a viscosity: type a value in cP, e.g. 950");
  EXPECT_EQ(error("9 5", f), "9 5 is not a viscosity: type a value in cP, e.g. 9");
  EXPECT_EQ(error("abc", f, lo, hi),
            "`abc` is not a number: type a number in cP between 800 and 1200");
  EXPECT_EQ(error("cP", f), "`cP` is not a number: type a number in cP");
  EXPECT_EQ(error("nan", f), "`nan` is not a number: type a number in cP");
  EXPECT_EQ(error("inf", f), "`inf` is not a number: type a number in cP");
  EXPECT_EQ(error("-", f), "`-` is not a number: type a number in cP");
  EXPECT_EQ(error("1e400", f), "`1e400` is out of range: type a number in cP");
  EXPECT_EQ(error("85,5", f), "`85,5`: write decimals with a point, e.g. 85.5");
  EXPECT_EQ(error("4.2 kg", plain_real()), "4.2 kg is not a number: type a number, e.g. 4.2");
  EXPECT_EQ(error("5 kg", real_format("area", unit("m^2", 1, 1))),
            "5 kg is not an area: type a value in m^2, e.g. 5");
}

TEST(ParseValueTest, AffineUnitsConvertBothWays) {
  ValueFormat f = celsius();
  double c85 = exactly(35815, 100);
  EXPECT_EQ(parsed("85", f).r, c85);
  EXPECT_EQ(parsed("85 degC", f).r, c85);
  EXPECT_EQ(parsed("358.15 K", f).r, c85);
  EXPECT_EQ(parsed("185 degF", f).r, c85);  // (185 + 459.67) * 5/9, exactly
  EXPECT_EQ(parsed("-40 degF", f).r, parsed("-40", f).r);
  EXPECT_EQ(format_value(parsed("185 degF", f), f, nullptr), "85 degC");
  EXPECT_EQ(parsed("212", fahrenheit()).r, exactly(37315, 100));
  EXPECT_EQ(format_value(parsed("100 degC", fahrenheit()), fahrenheit(), nullptr), "212 degF");
  // A degC range, shown in degC; 32 degF is exactly its lower edge.
  Scalar lo = real(exactly(27315, 100)), hi = real(exactly(36515, 100));  // 0 .. 92 degC
  EXPECT_EQ(parsed("0", f, lo, hi).r, lo.r);
  EXPECT_EQ(parsed("32 degF", f, lo, hi).r, lo.r);
  EXPECT_EQ(parsed("92", f, lo, hi).r, hi.r);
  EXPECT_EQ(error("93", f, lo, hi), "93 degC is above the allowed range 0 degC .. 92 degC");
  EXPECT_EQ(error("-1", f, lo, hi), "-1 degC is below the allowed range 0 degC .. 92 degC");
  EXPECT_EQ(error("200 degF", f, lo, hi),
            "93.3333 degC is above the allowed range 0 degC .. 92 degC");
  EXPECT_EQ(expected_input(f, lo, hi), "a number in degC between 0 and 92");
  // A difference has no offset, and takes deltas.
  ValueFormat d = celsius_difference();
  EXPECT_EQ(parsed("5", d).r, 5);
  EXPECT_EQ(parsed("5 K", d).r, 5);
  EXPECT_EQ(parsed("9 delta degF", d).r, 5);
  EXPECT_EQ(parsed("5 delta degC", d).r, 5);
  EXPECT_EQ(error("5 degF", d), "5 degF is not a temperature: type a value in delta degC, e.g. 5");
}

TEST(ParseValueTest, DurationsTakeTheirOtherUnits) {
  ValueFormat f = seconds();
  EXPECT_EQ(parsed("30 min", f).r, 1800);
  EXPECT_EQ(parsed("1800", f).r, 1800);
  EXPECT_EQ(parsed("1.5 h", f).r, 5400);
  EXPECT_EQ(parsed("500 ms", f).r, 0.5);
  EXPECT_EQ(format_value(parsed("30min", f), f, nullptr), "1800 s");
  EXPECT_EQ(error("30 minutes", f), "30 minutes is not a duration: type a value in s, e.g. 30");
}

TEST(ParseValueTest, PercentAndPlainNumbers) {
  EXPECT_EQ(parsed("2.5", percent()).r, exactly(1, 40));
  EXPECT_EQ(parsed("2.5 percent", percent()).r, exactly(1, 40));
  EXPECT_EQ(parsed("2.5percent", percent()).r, exactly(1, 40));
  Scalar lo = real(2), hi = real(8);
  EXPECT_EQ(parsed("4.2", plain_real(), lo, hi).r, 4.2);
  EXPECT_EQ(parsed("8", plain_real(), lo, hi).r, 8);
  EXPECT_EQ(error("8.01", plain_real(), lo, hi), "8.01 is above the allowed range 2 .. 8");
  EXPECT_EQ(expected_input(plain_real(), lo, hi), "a number between 2 and 8");
}

TEST(ParseValueTest, EnumsByNameInAnyCaseOrByNumber) {
  ValueFormat f = appearance();
  EXPECT_EQ(parsed("Conforming", f).i, 0);
  EXPECT_EQ(parsed("colouroff", f).i, 1);
  EXPECT_EQ(parsed(" SEPARATED ", f).i, 2);
  EXPECT_EQ(parsed("1", f).i, 0);
  EXPECT_EQ(parsed("4", f).i, 3);
  EXPECT_EQ(error("Colour", f),
            "`Colour` is not one of Conforming, ColourOff, Separated, ForeignMatter");
  EXPECT_EQ(error("0", f), "`0` is not one of Conforming, ColourOff, Separated, ForeignMatter");
  EXPECT_EQ(error("5", f), "`5` is not one of Conforming, ColourOff, Separated, ForeignMatter");
  EXPECT_EQ(error("", f), "type one of Conforming, ColourOff, Separated, ForeignMatter");
  EXPECT_EQ(expected_input(f, std::nullopt, std::nullopt),
            "one of Conforming, ColourOff, Separated, ForeignMatter");
  // A range does not apply to an enum.
  EXPECT_EQ(parsed("4", f, integer(0), integer(0)).i, 3);
}

TEST(ParseValueTest, MaterialsAndLotsAreInternedNames) {
  MemoryNames names;
  ValueFormat lot = of_kind(Kind::kLot);
  Scalar first = parsed("  L-1234 ", lot, std::nullopt, std::nullopt, &names);
  EXPECT_EQ(first.i, 1);
  EXPECT_EQ(parsed("L-1234", lot, std::nullopt, std::nullopt, &names).i, 1);
  EXPECT_EQ(parsed("Tomato base", of_kind(Kind::kMaterial), std::nullopt, std::nullopt, &names).i,
            2);
  EXPECT_EQ(format_value(first, lot, &names), "L-1234");
  EXPECT_EQ(error("L-\x01", lot, std::nullopt, std::nullopt, &names),
            "a lot name cannot hold control characters: type the name as printed");
  EXPECT_EQ(error("", lot, std::nullopt, std::nullopt, &names), "type a lot name");
  EXPECT_EQ(error("L-1", lot), "no lot names can be recorded here");
  EXPECT_EQ(expected_input(of_kind(Kind::kMaterial), std::nullopt, std::nullopt),
            "a material name");
}

TEST(ParseValueTest, TimesInUtc) {
  ValueFormat f = of_kind(Kind::kTime);
  EXPECT_EQ(parsed("2026-11-26 14:05", f).r, 1795701900);
  EXPECT_EQ(parsed("2026-11-26 14:05:00", f).r, 1795701900);
  EXPECT_EQ(parsed("2026-11-26T14:05:07Z", f).r, 1795701907);
  EXPECT_EQ(parsed("2026-11-26 14:05:00 UTC", f).r, 1795701900);  // as format_value shows it
  EXPECT_EQ(parsed("1969-12-31 23:59:59", f).r, -1);
  EXPECT_EQ(parsed("2000-02-29 00:00", f).r, 951782400);
  std::string hint = "type a time in UTC as YYYY-MM-DD HH:MM, e.g. 2026-11-26 14:05";
  EXPECT_EQ(error("26.11.2026 14:05", f), "`26.11.2026 14:05` is not a time: " + hint);
  EXPECT_EQ(error("2026-02-29 10:00", f), "`2026-02-29 10:00` is not a time: " + hint);
  EXPECT_EQ(error("2026-11-26 24:00", f), "`2026-11-26 24:00` is not a time: " + hint);
  EXPECT_EQ(error("2026-11-26", f), "`2026-11-26` is not a time: " + hint);
  EXPECT_EQ(error("2026-11-26 14:05:", f), "`2026-11-26 14:05:` is not a time: " + hint);
  Scalar lo = real(1795651200), hi = real(1795737599);  // that day
  EXPECT_EQ(parsed("2026-11-26 00:00", f, lo, hi).r, lo.r);
  EXPECT_EQ(error("2026-11-27 00:00", f, lo, hi),
            "2026-11-27 00:00:00 UTC is above the allowed range 2026-11-26 00:00:00 UTC .. "
            "2026-11-26 23:59:59 UTC");
}

TEST(ParseValueTest, WhatFormatValueShowsParsesBack) {
  MemoryNames names;
  struct Case {
    ValueFormat format;
    Scalar value;
  };
  std::int64_t lot = names.handle("L-77");
  std::vector<Case> cases = {
      {celsius(), real(exactly(35815, 100))}, {fahrenheit(), real(exactly(37315, 100))},
      {centipoise(), real(exactly(19, 20))},  {seconds(), real(1800)},
      {percent(), real(exactly(1, 40))},      {appearance(), integer(2)},
      {of_kind(Kind::kBool), boolean(true)},  {of_kind(Kind::kInt), integer(-7)},
      {of_kind(Kind::kLot), integer(lot)},    {of_kind(Kind::kTime), real(1795701900)},
      {celsius_difference(), real(2.5)},
  };
  for (const Case& c : cases) {
    std::string text = format_value(c.value, c.format, &names);
    Scalar back = parsed(text, c.format, std::nullopt, std::nullopt, &names);
    EXPECT_EQ(back.i, c.value.i) << text;  // the same bits
  }
}

// ---- Rendering --------------------------------------------------------------------

lower::Point point(std::string text, std::vector<ValueFormat> formats) {
  lower::Point p;
  p.kind = lower::PointKind::kNotify;
  p.text = std::move(text);
  p.value_formats = std::move(formats);
  p.value_kinds.resize(p.value_formats.size());
  p.value_names.resize(p.value_formats.size());
  return p;
}

TEST(RenderPointTextTest, PlaceholdersBracesAndEquipment) {
  lower::Point p =
      point("Viscosity {0} within {1} .. {2}", {centipoise(), centipoise(), centipoise()});
  EXPECT_EQ(render_text(p, {real(0.95), real(0.8), real(1.2)}, nullptr),
            "Viscosity 950 cP within 800 cP .. 1200 cP");
  lower::Point braces = point("{{0}} is {0}; }} {{", {appearance()});
  EXPECT_EQ(render_text(braces, {integer(3)}, nullptr), "{0} is ForeignMatter; } {");
  lower::Point unknown = point("{$mixer} at {0}, {1} {", {celsius()});
  EXPECT_EQ(render_text(unknown, {real(358.15)}, nullptr), "{$mixer} at 85 degC, {1} {");
  EquipmentNames equipment{{"mixer", "houston.blending.kettle1"}};
  EXPECT_EQ(render_text(unknown, {real(358.15)}, nullptr, &equipment),
            "houston.blending.kettle1 at 85 degC, {1} {");
  lower::Point other = point("{$scale} and {x}", {});
  EXPECT_EQ(render_text(other, {}, nullptr, &equipment), "{$scale} and {x}");
}

// The example templates, lowered for Houston, as the console shows their points.
class ExamplePointsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { run_ = &testing::lowered_examples(); }

  static const lower::Point& find(const std::string& module, const std::string& machine,
                                  lower::PointKind kind, const std::string& text) {
    for (const lower::Lowering& l : run_->lowered) {
      if (l.module.name != module) continue;
      for (const lower::Machine& m : l.module.machines) {
        if (m.name != machine) continue;
        for (const lower::Point& p : m.points) {
          if (p.kind == kind && p.text.find(text) != std::string::npos) return p;
        }
      }
    }
    ADD_FAILURE() << "no point `" << text << "` in " << module << " " << machine;
    static const lower::Point none{};
    return none;
  }

  static const driver::CheckRun* run_;
};

const driver::CheckRun* ExamplePointsTest::run_ = nullptr;

TEST_F(ExamplePointsTest, MixBatchMessagesShowTheirUnits) {
  const std::string mix = "templates.mix_batch@houston";
  const lower::Point& within = find(mix, "MixBatch", lower::PointKind::kNotify, "within");
  EXPECT_EQ(render_text(within, {real(0.95), real(0.8), real(1.2)}, nullptr),
            "Viscosity 950 cP within 800 cP .. 1200 cP");
  const lower::Point& window = find(mix, "MixBatch", lower::PointKind::kHold, "hold window");
  EXPECT_EQ(render_text(window, {real(355.15), real(361.15)}, nullptr),
            "product left the hold window 82 degC .. 88 degC");
  MemoryNames names;
  std::int64_t product = names.handle("Tomato base");
  const lower::Point& over = find(mix, "MixBatch", lower::PointKind::kNotify, "Overcharge");
  EXPECT_EQ(render_text(over, {real(512.25), real(500)}, &names),
            "Overcharge: 512.25 kg for a batch of 500 kg");
  const lower::Point& scan = find(mix, "MixBatch", lower::PointKind::kAsk, "Scan a lot");
  EXPECT_EQ(render_text(scan, {integer(product)}, &names), "Scan a lot of Tomato base");
}

TEST_F(ExamplePointsTest, AViscosityAnswerIsReadAgainstTheAsksRange) {
  const lower::Point& ask = find("templates.mix_batch@houston", "MixBatch", lower::PointKind::kAsk,
                                 "Viscosity of the batch");
  ASSERT_TRUE(ask.has_range);
  // Values: {product}, lo, hi, timeout. The range is 100 cP .. 5000 cP.
  ASSERT_EQ(ask.value_formats.size(), 4u);
  Scalar lo = real(exactly(1, 10)), hi = real(exactly(5, 1));
  EXPECT_EQ(format_value(lo, ask.value_formats[1], nullptr), "100 cP");
  EXPECT_EQ(format_value(real(15 * 60), ask.value_formats[3], nullptr), "15 min");
  EXPECT_EQ(expected_input(ask.answer, lo, hi), "a number in cP between 100 and 5000");
  EXPECT_EQ(parse_value("950", ask.answer, lo, hi, nullptr).value->r, exactly(19, 20));
  EXPECT_EQ(parse_value("5000 cP", ask.answer, lo, hi, nullptr).value->r, hi.r);
  EXPECT_EQ(parse_value("6000", ask.answer, lo, hi, nullptr).error,
            "6000 cP is above the allowed range 100 cP .. 5000 cP");
  EXPECT_EQ(parse_value("950 kg", ask.answer, lo, hi, nullptr).error,
            "950 kg is not a viscosity: type a value in cP, e.g. 950");
}

TEST_F(ExamplePointsTest, ReleaseCheckShowsLotsEnumsAndPercent) {
  const std::string qc = "templates.quality_check@houston";
  MemoryNames names;
  std::int64_t lot = names.handle("L-1234");
  const lower::Point& look = find(qc, "ReleaseCheck", lower::PointKind::kNotify, "appearance");
  EXPECT_EQ(render_text(look, {integer(lot), integer(1)}, &names), "L-1234 appearance: ColourOff");
  const lower::Point& ask = find(qc, "ReleaseCheck", lower::PointKind::kAsk, "Appearance of");
  EXPECT_EQ(parse_value("separated", ask.answer, std::nullopt, std::nullopt, nullptr).value->i, 2);
  const lower::Point& salt = find(qc, "ReleaseCheck", lower::PointKind::kAsk, "Salt of sample");
  Scalar lo = real(0), hi = real(exactly(1, 10));
  EXPECT_EQ(parse_value("2.5", salt.answer, lo, hi, nullptr).value->r, exactly(1, 40));
  EXPECT_EQ(parse_value("11 percent", salt.answer, lo, hi, nullptr).error,
            "11 percent is above the allowed range 0 percent .. 10 percent");
  const lower::Point& retain = find(qc, "ReleaseCheck", lower::PointKind::kAsk, "Retain sample");
  EXPECT_EQ(render_text(retain, {integer(2), integer(5), integer(lot)}, &names),
            "Retain sample 2 of 5 of L-1234 labelled?");
  EXPECT_EQ(parse_value("y", retain.answer, std::nullopt, std::nullopt, nullptr).value->b, true);
}

}  // namespace
}  // namespace gemba::console
