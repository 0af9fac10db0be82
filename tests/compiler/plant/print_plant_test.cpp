// `--dump-after check`: a plant model as the checker read it, with its daylight-saving
// days, through the pipeline.
#include "compiler/plant/print_plant.h"

#include <gtest/gtest.h>

#include "compiler/driver/pipeline.h"

namespace gemba::plant {
namespace {

std::string dump(const std::string& plant_body) {
  driver::CheckOptions options;
  options.dump_after = "check";
  options.dump_year = 2026;
  auto run = driver::check_sources(
      {{"p.gmb",
        "import std.units;\nimport std.isa95;\n"
        "equipment class Mixer : Unit { property capacity: kg; signal temperature: degC; }\n"
        "plant houston \"Houston, TX\" {\n" +
            plant_body + "\n}\n"}},
      options);
  EXPECT_EQ(run.errors(), 0u) << run.dump;
  return run.dump;
}

TEST(PrintPlantTest, ShowsTheTreeWithValuesInThePlantsUnits) {
  std::string out = dump(
      "timezone \"America/Chicago\"; units lb;\n"
      "Site s { Area a { ProcessCell c { Mixer m1 \"Mixer 1\" { capacity = 500 kg; "
      "temperature <- \"mqtt://h/m1/t\"; } } } }");
  EXPECT_NE(out.find("plant houston \"Houston, TX\"\n  timezone America/Chicago\n  units lb\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("        Mixer m1 \"Mixer 1\"  // houston.s.a.c.m1\n"
                     "          capacity = 1102.31131 lb\n"
                     "          temperature <- \"mqtt://h/m1/t\"\n"),
            std::string::npos)
      << out;
}

TEST(PrintPlantTest, ListsTheNightsDaylightSavingMakesShorterOrLonger) {
  std::string out = dump(
      "timezone \"America/Chicago\";\n"
      "shifts { A 06:00 .. 14:00; B 14:00 .. 22:00; C 22:00 .. 06:00; }");
  EXPECT_NE(out.find("  shift C 22:00 .. 06:00\n"
                     "    2026-03-07: shift C lasts 7 h (daylight saving)\n"
                     "    2026-10-31: shift C lasts 9 h (daylight saving)\n"),
            std::string::npos)
      << out;
}

TEST(PrintPlantTest, AZoneWithoutDaylightSavingHasNoSuchDays) {
  std::string out =
      dump("timezone \"Asia/Kolkata\"; shifts { A 06:00 .. 18:00; B 18:00 .. 06:00; }");
  EXPECT_EQ(out.find("daylight saving"), std::string::npos) << out;
  EXPECT_NE(out.find("shift B 18:00 .. 06:00"), std::string::npos) << out;
}

}  // namespace
}  // namespace gemba::plant
