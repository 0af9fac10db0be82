// Lowering a specialized program: functions, limit checks and validations become pure
// functions over reals in base units, with the plant's constants folded in.
#include "compiler/lower/lower.h"

#include <gtest/gtest.h>

#include <string>

#include "compiler/driver/pipeline.h"

namespace gemba::lower {
namespace {

const char* kClasses = R"(module lib;
import std.units;
import std.isa95;
equipment class Mixer : Unit {
  property capacity: kg;
  signal temperature: degC;
}
)";

// The lowered module of template `tpl` at a plant with one mixer m1 and `plant_items`.
Lowering lowered(const std::string& tpl, const std::string& plant_items = "") {
  std::string plant =
      "module plants.p;\nimport std.units;\nimport std.isa95;\nimport lib;\n"
      "plant p { timezone \"UTC\"; " +
      plant_items +
      " Site s { Area a { ProcessCell c { Mixer m1 { capacity = 500 kg; "
      "temperature <- \"sim://t\"; } } } } }\n";
  driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.lower = true;
  driver::CheckRun run =
      driver::check_sources({{"lib.gmb", kClasses},
                             {"t.gmb", "module t;\nimport std.units;\nimport lib;\n" + tpl},
                             {"plants/p.gmb", plant}},
                            options);
  EXPECT_EQ(run.errors(), 0u);
  EXPECT_EQ(run.lowered.size(), 1u);
  if (run.lowered.empty()) return {};
  EXPECT_EQ(verify(run.lowered[0].module), "");
  return std::move(run.lowered[0]);
}

TEST(LowerTest, ALimitBecomesARangeCheckInBaseUnits) {
  Lowering l = lowered(
      "param widen: delta degC in 0 delta degC .. 5 delta degC = 0 delta degC;\n"
      "procedure P() uses m: Mixer {\n"
      "  limit m.temperature in 60 degC - widen .. 70 degC + widen;\n"
      "  step \"s\" { await m.temperature >= 60 degC within 1 h; }\n}\n",
      "param widen = 3 delta degC;");
  const Function* f = l.module.find("limit_P_m_temperature");
  ASSERT_NE(f, nullptr) << listing(l.module);
  EXPECT_EQ(f->params, std::vector<Type>{Type::kReal});
  EXPECT_EQ(f->result, Type::kBool);
  // 57 degC and 73 degC, in kelvin.
  std::string text = listing(l.module);
  EXPECT_NE(text.find("real = const 330.14999999999998"), std::string::npos) << text;
  EXPECT_NE(text.find("real = const 346.14999999999998"), std::string::npos) << text;
}

TEST(LowerTest, FunctionsLowerWithCallsAndConversions) {
  // A parameter makes the module a template (functions alone are a library).
  Lowering l = lowered(
      "param k: real = 1;\n"
      "function margin(x: kg, y: kg): kg = x - y;\n"
      "function ratio(n: int, d: int): real = n / d;\n"
      "function spare(x: kg): bool = margin(x, 400 kg) > 10 kg and x in 0 kg .. 1000 kg;\n");
  ASSERT_NE(l.module.find("fn_margin"), nullptr) << listing(l.module);
  const Function* ratio = l.module.find("fn_ratio");
  ASSERT_NE(ratio, nullptr);
  EXPECT_EQ(ratio->params, (std::vector<Type>{Type::kInt, Type::kInt}));
  std::string text = listing(l.module);
  EXPECT_NE(text.find("to_real"), std::string::npos) << text;  // int / int is real
  EXPECT_NE(text.find("call fn_margin"), std::string::npos) << text;
  EXPECT_TRUE(l.skipped.empty()) << l.skipped.front();
}

TEST(LowerTest, WhatCannotBeLoweredYetIsListed) {
  Lowering l = lowered(
      "param k: real = 1;\n"
      "function label(s: string): bool = s == \"x\";\n"
      "function twice(x: kg): kg = 2 * x;\n");
  EXPECT_NE(l.module.find("fn_twice"), nullptr);
  EXPECT_EQ(l.module.find("fn_label"), nullptr);
  ASSERT_EQ(l.skipped.size(), 1u);
  EXPECT_EQ(l.skipped[0], "function label: parameter `s` is not a number");
}

TEST(LowerTest, ValidRangesOfTopLevelCollectRulesArePerInstance) {
  Lowering l = lowered("collect Mixer.temperature every 1 s valid -20 degC .. 200 degC;\n");
  EXPECT_NE(l.module.find("valid_m1_temperature"), nullptr) << listing(l.module);
}

}  // namespace
}  // namespace gemba::lower
