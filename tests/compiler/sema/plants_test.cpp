// The checks of a plant model on its own (compiler/sema/plants.cpp), through the
// pipeline without --plants: time zone, shifts, working units, equipment hierarchy,
// property values and signal sources. Specialization is tests/compiler/specialize/.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/diag/codes.h"
#include "compiler/driver/pipeline.h"

namespace gemba::sema {
namespace {

using Codes = std::vector<std::string>;

const char* kClasses = R"(import std.units;
import std.isa95;
equipment class Mixer : Unit {
  property capacity: kg;
  property max_speed: rpm;
  signal temperature: degC;
  signal speed: rpm;
  command stop();
}
equipment class Scale : EquipmentModule {
  property max_load: kg;
  signal weight: kg;
}
)";

// A diagnostic as a test reads it: code, 1-based line and column, message, hint.
struct Seen {
  std::string code;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;
  std::string hint;
  std::vector<std::string> notes;
};

// Checks kClasses followed by `plant`, a file with no template: the plant is only
// checked, never specialized. Lines count from the first line of `plant`.
std::vector<Seen> check_plant(const std::string& plant) {
  std::string prelude = kClasses;
  std::size_t prelude_lines =
      static_cast<std::size_t>(std::count(prelude.begin(), prelude.end(), '\n'));
  driver::CheckRun run = driver::check_sources({{"plant.gmb", prelude + plant}}, {});
  std::vector<Seen> out;
  for (const diag::Diagnostic& d : run.diagnostics) {
    diag::LineColumn at = run.sources.file(d.span.file).location(d.span.begin);
    Seen seen{std::string(diag::info(d.code).id),
              at.line - prelude_lines,
              at.column,
              d.message,
              d.hint,
              {}};
    for (const diag::Note& note : d.notes) seen.notes.push_back(note.message);
    out.push_back(std::move(seen));
  }
  return out;
}

Codes codes_of(const std::vector<Seen>& seen) {
  Codes out;
  for (const Seen& s : seen) out.push_back(s.code);
  return out;
}

// A plant with everything right, to which each test adds one mistake.
std::string plant(const std::string& zone, const std::string& shifts,
                  const std::string& equipment) {
  return "plant houston \"Houston, TX\" {\n  timezone \"" + zone + "\";\n  shifts {\n" + shifts +
         "  }\n" + equipment + "}\n";
}

const char* kShifts = "    A 06:00 .. 14:00;\n    B 14:00 .. 22:00;\n    C 22:00 .. 06:00;\n";

const char* kEquipment = R"(  Site hou "Houston" {
    Area mixing "Mixing" {
      Mixer m1 "Mixer 1" {
        capacity = 1000 kg;
        max_speed = 150 rpm;
        temperature <- "mqtt://houston/m1/temperature";
        speed <- "modbus://10.0.4.20:502/1/40001";
        Scale s1 "Load cells" {
          max_load = 1500 kg;
          weight <- "sim://ramp";
        }
      }
    }
  }
)";

TEST(PlantsTest, ACompletePlantHasNoDiagnostics) {
  auto seen = check_plant(plant("America/Chicago", kShifts, kEquipment));
  EXPECT_EQ(codes_of(seen), Codes{}) << (seen.empty() ? "" : seen[0].message);
}

TEST(PlantsTest, EverySupportedSchemeIsAccepted) {
  std::string equipment = R"(  Mixer m1 "Mixer 1" {
    capacity = 1000 kg;
    max_speed = 150 rpm;
    temperature <- "mqtts://broker:8883/houston/m1/temperature";
    speed <- "file://recordings/m1_speed.csv";
  }
)";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", kShifts, equipment))), Codes{});
}

// ---- time zone

TEST(PlantsTest, AMisspeltTimeZoneSuggestsTheClosestName) {
  auto seen = check_plant(plant("America/Chicgo", kShifts, ""));
  ASSERT_EQ(codes_of(seen), Codes{"G0701"});
  EXPECT_EQ(seen[0].line, 2u);
  EXPECT_EQ(seen[0].column, 12u);  // the string, quotes included
  EXPECT_EQ(seen[0].message, "`America/Chicgo` is not a time zone of the IANA database");
  EXPECT_EQ(seen[0].hint, "did you mean `America/Chicago`?");
}

TEST(PlantsTest, TimeZoneNamesAreCaseSensitive) {
  auto seen = check_plant(plant("europe/berlin", kShifts, ""));
  ASSERT_EQ(codes_of(seen), Codes{"G0701"});
  EXPECT_EQ(seen[0].hint, "did you mean `Europe/Berlin`?");
}

TEST(PlantsTest, AnAliasOfTheDatabaseIsAZone) {
  EXPECT_EQ(codes_of(check_plant(plant("US/Central", kShifts, ""))), Codes{});
}

TEST(PlantsTest, LocaltimeIsNotAPlantsZone) {
  EXPECT_EQ(codes_of(check_plant(plant("localtime", kShifts, ""))), Codes{"G0701"});
}

TEST(PlantsTest, APlantWithoutTimeZoneIsReportedAtItsName) {
  auto seen = check_plant("plant houston \"Houston, TX\" {\n}\n");
  ASSERT_EQ(codes_of(seen), Codes{"G0710"});
  EXPECT_EQ(seen[0].line, 1u);
  EXPECT_EQ(seen[0].column, 7u);
}

TEST(PlantsTest, ASecondTimeZoneIsADuplicate) {
  auto seen = check_plant(
      "plant houston {\n  timezone \"America/Chicago\";\n  timezone \"America/Denver\";\n}\n");
  ASSERT_EQ(codes_of(seen), Codes{"G0202"});
  EXPECT_EQ(seen[0].line, 3u);
}

// ---- shifts

TEST(PlantsTest, ShiftsThatTileTheDayAcrossMidnightAreClean) {
  std::string two = "    Day 06:00 .. 18:00;\n    Night 18:00 .. 06:00;\n";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", two, ""))), Codes{});
  std::string ends_at_midnight = "    A 08:00 .. 16:00;\n    B 16:00 .. 24:00;\n";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", ends_at_midnight, ""))), Codes{});
}

TEST(PlantsTest, AGapBetweenShiftsIsAllowed) {
  std::string gap = "    A 06:00 .. 14:00;\n    B 15:00 .. 23:00;\n";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", gap, ""))), Codes{});
}

TEST(PlantsTest, OverlappingShiftsAreReportedOnTheLaterOne) {
  std::string shifts = "    A 06:00 .. 14:30;\n    B 14:00 .. 22:00;\n";
  auto seen = check_plant(plant("America/Chicago", shifts, ""));
  ASSERT_EQ(codes_of(seen), Codes{"G0702"});
  EXPECT_EQ(seen[0].line, 5u);  // B
  EXPECT_NE(seen[0].message.find("from 14:00 to 14:30"), std::string::npos) << seen[0].message;
  EXPECT_EQ(seen[0].notes.size(), 1u);
}

TEST(PlantsTest, AShiftCrossingMidnightOverlapsTheMorningShift) {
  std::string shifts = "    Night 22:00 .. 06:00;\n    Early 05:00 .. 13:00;\n";
  auto seen = check_plant(plant("America/Chicago", shifts, ""));
  ASSERT_EQ(codes_of(seen), Codes{"G0702"});
  EXPECT_NE(seen[0].message.find("from 05:00 to 06:00"), std::string::npos) << seen[0].message;
}

TEST(PlantsTest, AShiftCrossingMidnightOverlapsTheEveningShift) {
  std::string shifts = "    Late 14:00 .. 23:00;\n    Night 22:00 .. 06:00;\n";
  auto seen = check_plant(plant("America/Chicago", shifts, ""));
  ASSERT_EQ(codes_of(seen), Codes{"G0702"});
  EXPECT_NE(seen[0].message.find("from 22:00 to 23:00"), std::string::npos) << seen[0].message;
}

TEST(PlantsTest, TwoShiftsCrossingMidnightOverlapAcrossIt) {
  std::string shifts = "    C 22:00 .. 06:00;\n    D 23:00 .. 02:00;\n";
  auto seen = check_plant(plant("America/Chicago", shifts, ""));
  ASSERT_EQ(codes_of(seen), Codes{"G0702"});
  EXPECT_NE(seen[0].message.find("from 23:00 to 02:00"), std::string::npos) << seen[0].message;
}

TEST(PlantsTest, AShiftWithoutLengthIsRejected) {
  auto seen = check_plant(plant("America/Chicago", "    A 06:00 .. 06:00;\n", ""));
  ASSERT_EQ(codes_of(seen), Codes{"G0702"});
  EXPECT_NE(seen[0].hint.find("crosses midnight"), std::string::npos);
}

TEST(PlantsTest, TwoShiftsOfOneNameAreADuplicate) {
  std::string shifts = "    A 06:00 .. 14:00;\n    A 14:00 .. 22:00;\n";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", shifts, ""))), Codes{"G0202"});
}

TEST(PlantsTest, ClockTimesAreTwoDigitsEach) {
  std::string shifts = "    A 6:00 .. 14:00;\n    B 14:00 .. 24:01;\n    C 22:00 .. 23:60;\n";
  auto seen = check_plant(plant("America/Chicago", shifts, ""));
  EXPECT_EQ(codes_of(seen), (Codes{"G0007", "G0007", "G0007"}));
}

// ---- working units

TEST(PlantsTest, OneWorkingUnitPerDimension) {
  auto seen =
      check_plant("plant houston {\n  timezone \"America/Chicago\";\n  units lb, degF, g;\n}\n");
  ASSERT_EQ(codes_of(seen), Codes{"G0703"});
  EXPECT_EQ(seen[0].message, "the plant already works in `lb` for mass");
}

TEST(PlantsTest, AWorkingUnitMustBeAUnit) {
  auto seen = check_plant("plant houston {\n  timezone \"America/Chicago\";\n  units pounds;\n}\n");
  EXPECT_EQ(codes_of(seen), Codes{"G0201"});  // not a unit at all: a name error, not a conflict
}

// ---- equipment hierarchy

TEST(PlantsTest, ASiteInsideAnAreaViolatesTheHierarchy) {
  std::string equipment = "  Area mixing {\n    Site hou {}\n  }\n";
  auto seen = check_plant(plant("America/Chicago", kShifts, equipment));
  ASSERT_EQ(codes_of(seen), Codes{"G0707"});
  EXPECT_EQ(seen[0].line, 9u);
  EXPECT_EQ(seen[0].column, 5u);  // the class name
  EXPECT_EQ(
      seen[0].message,
      "`hou` is a Site (ISA-95 level Site); it cannot sit inside `mixing`, an Area (level Area)");
}

TEST(PlantsTest, AUnitInsideAUnitViolatesTheHierarchy) {
  std::string equipment = R"(  Mixer m1 {
    capacity = 1 kg;
    max_speed = 1 rpm;
    Mixer m2 { capacity = 1 kg; max_speed = 1 rpm; }
  }
)";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", kShifts, equipment))), Codes{"G0707"});
}

TEST(PlantsTest, LevelsMayBeSkippedDownwards) {
  // A unit directly in a site, an equipment module directly in an area: allowed.
  std::string equipment = R"(  Site hou {
    Mixer m1 { capacity = 1 kg; max_speed = 1 rpm; }
    Area weighing {
      Scale s1 { max_load = 1 kg; }
    }
  }
)";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", kShifts, equipment))), Codes{});
}

TEST(PlantsTest, EquipmentNamesAreUniqueAcrossAreas) {
  std::string equipment = R"(  Area a { Scale s1 { max_load = 1 kg; } }
  Area b { Scale s1 { max_load = 1 kg; } }
)";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", kShifts, equipment))), Codes{"G0202"});
}

// ---- properties and signals

TEST(PlantsTest, MissingPropertiesAreListedTogether) {
  auto seen = check_plant(plant("America/Chicago", kShifts, "  Mixer m1 \"Mixer 1\" {}\n"));
  ASSERT_EQ(codes_of(seen), Codes{"G0704"});
  EXPECT_EQ(seen[0].message, "`m1` gives no value for `capacity` and `max_speed` of `Mixer`");
  EXPECT_EQ(seen[0].column, 9u);  // the instance's name
}

TEST(PlantsTest, APropertyValueHasThePropertysType) {
  std::string equipment = "  Scale s1 { max_load = 1500 L; }\n";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", kShifts, equipment))), Codes{"G0401"});
}

TEST(PlantsTest, APropertyValueIsAConstant) {
  std::string equipment = "  Scale s1 { max_load = 1500 kg * 2; }\n";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", kShifts, equipment))), Codes{});
}

TEST(PlantsTest, AnUnknownMemberSuggestsTheClosest) {
  std::string equipment = "  Scale s1 { max_lod = 1500 kg; max_load = 1 kg; }\n";
  auto seen = check_plant(plant("America/Chicago", kShifts, equipment));
  ASSERT_EQ(codes_of(seen), Codes{"G0205"});
  EXPECT_EQ(seen[0].hint, "did you mean `max_load`?");
}

TEST(PlantsTest, SignalsTakeSourcesAndPropertiesTakeValues) {
  std::string equipment = R"(  Mixer m1 {
    capacity = 1000 kg;
    max_speed = 150 rpm;
    temperature = 20 degC;
    stop <- "mqtt://houston/m1/stop";
  }
)";
  auto seen = check_plant(plant("America/Chicago", kShifts, equipment));
  ASSERT_EQ(codes_of(seen), (Codes{"G0705", "G0705"}));
  EXPECT_EQ(seen[0].message, "`temperature` is a signal of `Mixer`");
  EXPECT_EQ(seen[1].message, "`stop` is a command of `Mixer`");
}

struct AddressCase {
  const char* address;
  const char* message;
};

class BadAddressTest : public ::testing::TestWithParam<AddressCase> {};

TEST_P(BadAddressTest, IsReportedOnTheAddress) {
  std::string equipment = std::string("  Scale s1 {\n    max_load = 1 kg;\n    weight <- \"") +
                          GetParam().address + "\";\n  }\n";
  auto seen = check_plant(plant("America/Chicago", kShifts, equipment));
  ASSERT_EQ(codes_of(seen), Codes{"G0706"}) << GetParam().address;
  EXPECT_EQ(seen[0].line, 10u);
  EXPECT_EQ(seen[0].column, 15u);
  EXPECT_EQ(seen[0].message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Plants, BadAddressTest,
    ::testing::Values(
        AddressCase{"opc.tcp://plc1:4840/ns=2;s=Weight",
                    "the edge agent cannot read from `opc.tcp://` sources"},
        AddressCase{"http://scale/weight", "the edge agent cannot read from `http://` sources"},
        AddressCase{"MQTT://broker/weight", "the edge agent cannot read from `MQTT://` sources"},
        AddressCase{"houston/s1/weight",
                    "`houston/s1/weight` is not a source address of the form scheme://..."},
        AddressCase{"://broker/weight",
                    "`://broker/weight` is not a source address of the form scheme://..."},
        AddressCase{"modbus://", "`modbus://` names no topic, register or file"}));

// ---- bindings

TEST(PlantsTest, ABindNamesEquipmentOfThePlant) {
  std::string equipment = "  bind MixBatch.scale = s2;\n  Scale s1 { max_load = 1 kg; }\n";
  auto seen = check_plant(plant("America/Chicago", kShifts, equipment));
  ASSERT_EQ(codes_of(seen), Codes{"G0709"});
  EXPECT_EQ(seen[0].hint, "did you mean `s1`?");
}

TEST(PlantsTest, AUsesBindingIsBoundOnce) {
  std::string equipment =
      "  bind MixBatch.scale = s1;\n  bind MixBatch.scale = s1;\n  Scale s1 { max_load = 1 kg; }\n";
  EXPECT_EQ(codes_of(check_plant(plant("America/Chicago", kShifts, equipment))), Codes{"G0709"});
}

}  // namespace
}  // namespace gemba::sema
