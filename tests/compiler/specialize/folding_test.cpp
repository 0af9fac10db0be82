// Folding at specialization, observed through the printed program: what the plant's
// values make constant is computed exactly; what depends on run time is left alone.
#include <gtest/gtest.h>

#include <string>

#include "compiler/driver/pipeline.h"

namespace gemba {
namespace {

const char* kClasses = R"(module lib;
import std.units;
import std.isa95;
equipment class Mixer : Unit {
  property capacity: kg;
  property heated: bool;
  signal temperature: degC;
  command start(speed: rpm);
}
)";

// The specialized program of `tpl` for a plant with `plant_body` (one mixer `m1` with
// capacity 500 kg and heated = true unless the body says otherwise).
std::string specialized(const std::string& tpl, const std::string& plant_items,
                        const std::string& mixer = "capacity = 500 kg; heated = true;") {
  std::string plant =
      "module plants.p;\nimport std.units;\nimport std.isa95;\nimport lib;\n"
      "plant p { timezone \"UTC\"; " +
      plant_items + " Site s { Area a { ProcessCell c { Mixer m1 { " + mixer +
      " temperature <- \"sim://t\"; } } } } }\n";
  driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.dump_after = "specialize";
  driver::CheckRun run =
      driver::check_sources({{"lib.gmb", kClasses},
                             {"t.gmb", "module t;\nimport std.units;\nimport lib;\n" + tpl},
                             {"plants/p.gmb", plant}},
                            options);
  std::string out;
  for (const auto& d : run.diagnostics) out += "DIAGNOSTIC " + d.message + "\n";
  return out + run.dump;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(FoldingTest, ParametersAndPropertiesFoldIntoArithmetic) {
  std::string out = specialized(
      "param widen: delta degC in 0 delta degC .. 5 delta degC = 1 delta degC;\n"
      "procedure P() uses m: Mixer {\n"
      "  limit m.temperature in 60 degC - widen .. 70 degC + 2 * widen;\n"
      "  step \"s\" { let half = m.capacity / 2; let lot = ask operator \"lot\" as Lot "
      "within 1 min; consume lot, half; }\n}\n",
      "param widen = 3 delta degC;");
  EXPECT_TRUE(contains(out, "limit m.temperature in 57 degC .. 76 degC;")) << out;
  EXPECT_TRUE(contains(out, "let half = 250 kg;")) << out;
}

TEST(FoldingTest, RunTimeValuesStayAndDecidedConjunctsDisappear) {
  std::string out = specialized(
      "procedure P(size: kg) uses m: Mixer where m.heated and m.capacity >= size {\n"
      "  step \"s\" { await m.temperature >= 60 degC within 1 h; }\n}\n",
      "");
  EXPECT_TRUE(contains(out, "requires 500 kg >= size")) << out;
  EXPECT_TRUE(contains(out, "await m.temperature >= 60 degC within 1 h;")) << out;
}

TEST(FoldingTest, AFalseConjunctRejectsWhateverTheRunTimePartSays) {
  std::string out = specialized(
      "procedure P(size: kg) uses m: Mixer where m.heated and m.capacity >= size {\n"
      "  step \"s\" { await m.temperature >= 60 degC within 1 h; }\n}\n",
      "", "capacity = 500 kg; heated = false;");
  EXPECT_TRUE(contains(out, "DIAGNOSTIC no Mixer of plant `p` satisfies")) << out;
}

TEST(FoldingTest, ExactArithmeticOnMixedUnits) {
  // 1 lb + 1 kg = 1.45359237 kg exactly; 32 degF is 0 degC.
  std::string out = specialized(
      "procedure P() uses m: Mixer {\n"
      "  step \"s\" { let w = 1 lb + 1 kg; let t = 32 degF to degC; "
      "await m.temperature >= t within 1 h; let lot = ask operator \"lot\" as Lot within 1 min; "
      "consume lot, w; }\n}\n",
      "");
  EXPECT_TRUE(contains(out, "let w = 3.20462262 lb;")) << out;
  EXPECT_TRUE(contains(out, "let t = 0 degC;")) << out;
}

TEST(FoldingTest, DivisionByZeroIsLeftToRunTime) {
  std::string out = specialized(
      "param n: real in 0 .. 10 = 0;\n"
      "procedure P() uses m: Mixer {\n"
      "  step \"s\" { let r = m.capacity / n; let lot = ask operator \"lot\" as Lot within 1 min; "
      "consume lot, r; }\n}\n",
      "");
  EXPECT_TRUE(contains(out, "let r = 500 kg / 0;")) << out;
}

}  // namespace
}  // namespace gemba

namespace gemba {
namespace {

TEST(FoldingTest, AParameterInAStringShowsThePlantsValue) {
  std::string out = specialized(
      "param batch: kg in 100 kg .. 1000 kg = 400 kg;\n"
      "procedure P(n: int) uses m: Mixer {\n"
      "  step \"s\" { hold \"batch of {batch} on {m}, {n} left\"; }\n}\n",
      "units lb; param batch = 500 lb;");
  EXPECT_TRUE(contains(out, "hold \"batch of 500 lb on {m}, {n} left\";")) << out;
}

}  // namespace
}  // namespace gemba
