// The specialization pass (compiler/specialize/), end to end through the pipeline with
// plant models held in memory: what a specialized program is (its `--dump-after
// specialize` text), which equipment each `uses` binding takes, and the matrix.
#include "compiler/specialize/specialization.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/codes.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"

namespace gemba::specialize {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

const char* kClasses = R"(module acme.classes;

import std.units;
import std.isa95;

equipment class Mixer : Unit {
  property capacity: kg;
  signal temperature: degC;
  signal speed: rpm;
  command start(speed: rpm);
  command stop();
}

equipment class HeatedMixer : Mixer {
  property max_temperature: degC;
  command heat(setpoint: degC);
}

equipment class Scale : EquipmentModule {
  property max_load: kg;
  signal weight: kg;
}
)";

// A plant file: `plant NAME { timezone ...; BODY }`, importing the classes and the
// units (BODY uses both), and `more` (`import std.isa95;\n` for sites and areas).
std::string plant(const std::string& name, const std::string& body, const std::string& more = "") {
  return "module plants." + name + ";\n\nimport std.units;\n" + more +
         "import acme.classes;\n\nplant " + name + " {\n  timezone \"America/Chicago\";\n" + body +
         "}\n";
}

// A HeatedMixer (`kettle`) or a Scale (`scale`) named NAME, every signal wired.
std::string kettle(const std::string& name, const std::string& capacity,
                   const std::string& max_temperature) {
  return "  HeatedMixer " + name + " {\n    capacity = " + capacity +
         ";\n    max_temperature = " + max_temperature + ";\n    temperature <- \"mqtt://p/" +
         name + "/temperature\";\n    speed <- \"mqtt://p/" + name + "/speed\";\n  }\n";
}

std::string scale(const std::string& name, const std::string& max_load) {
  return "  Scale " + name + " {\n    max_load = " + max_load + ";\n    weight <- \"mqtt://p/" +
         name + "/weight\";\n  }\n";
}

driver::CheckRun specialize_all(Files files, const std::string& dump_after = "") {
  files.insert(files.begin(), {"classes.gmb", kClasses});
  driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.dump_after = dump_after;
  return driver::check_sources(files, options);
}

std::string diagnostics(const driver::CheckRun& run) {
  return diag::render_text(run.diagnostics, run.sources);
}

std::vector<std::string> codes(const driver::CheckRun& run) {
  std::vector<std::string> out;
  for (const auto& d : run.diagnostics) out.emplace_back(diag::info(d.code).id);
  return out;
}

// The dump of each specialized program (template x plant), split where a new one
// starts, without the lines that differ between a template with parameters and the
// same template with their values written in: the `param` lines and blank lines.
std::vector<std::string> programs(const std::string& dump) {
  std::vector<std::string> out;
  std::istringstream in(dump);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("// template ", 0) == 0) out.emplace_back();
    if (line.empty() || line.rfind("param ", 0) == 0 || out.empty()) continue;
    out.back() += line + "\n";
  }
  return out;
}

// `text` with each whole-word name of `values` replaced by its value, and the lines
// declaring those names (`param NAME ...`) removed.
std::string written_in(std::string text,
                       const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    text = std::regex_replace(text, std::regex("\\n(param " + name + "\\b[^\\n]*)"), "\n");
    text = std::regex_replace(text, std::regex("\\b" + name + "\\b"), value);
  }
  return text;
}

// ---- (a) a specialized template equals the template with the plant's values in it

const char* kMixBatch = R"(module templates.mix_batch;

import std.units;
import std.isa95;
import acme.classes;

param batch_size: kg in 200 kg .. 2000 kg = 500 kg;
param heat_setpoint: degC = 85 degC;
param temp_widen: delta degC in 0 delta degC .. 6 delta degC = 0 delta degC;
param hold_time: duration in 5 min .. 60 min = 20 min;

procedure MixBatch(charge: kg)
    uses mixer: HeatedMixer where mixer.capacity >= batch_size
                             and mixer.max_temperature >= heat_setpoint + 10 delta degC,
         scale: Scale where scale.max_load >= charge {
  limit mixer.temperature in 0 degC .. heat_setpoint + 7 delta degC + temp_widen on violation {
    notify role supervisor "mixer temperature out of range";
    hold "mixer temperature";
  }
  collect mixer.temperature every 1 s deadband 0.1 delta degC;
  step "Charge" {
    await scale.weight >= batch_size * 1.02 - scale.max_load / 100 within 20 min;
    if scale.weight > mixer.capacity {
      abort "overcharged";
    }
  }
  step "Heat" {
    command mixer.start(speed: 60 rpm);
    command mixer.heat(setpoint: heat_setpoint);
    await mixer.temperature >= heat_setpoint - 3 delta degC - temp_widen within hold_time * 2;
    wait hold_time;
    command mixer.stop();
  }
}
)";

const char* kRules = R"(module templates.rules;

import std.units;
import std.isa95;
import acme.classes;

param max_temp: degC in 60 degC .. 120 degC = 95 degC;
param sample: duration in 100 ms .. 10 s = 1 s;

limit Mixer.temperature in 0 degC .. max_temp on violation {
  notify role supervisor "too hot";
}
collect Scale.weight every sample deadband 0.05 kg valid 0 kg .. 3000 kg;

procedure Cool(target: degC) uses mixer: Mixer where mixer.capacity >= 100 kg {
  step "Cool" {
    await mixer.temperature <= midpoint(target, max_temp - 20 delta degC) within 4 * sample * 600;
  }
}

function midpoint(a: degC, b: degC): degC = a + (b - a) / 2;
)";

// Two plants' equipment: houston works in pounds and Fahrenheit, berlin in the
// templates' own units. Both have two kettles that fit every template here.
std::string houston_equipment() {
  return kettle("k1", "2200 lb", "250 degF") + kettle("k2", "4400 lb", "250 degF") +
         scale("s1", "6000 lb");
}

std::string berlin_equipment() {
  return kettle("k1", "1000 kg", "120 degC") + kettle("k2", "2000 kg", "120 degC") +
         scale("s1", "3000 kg");
}

TEST(SpecializeTest, ASpecializedTemplateIsTheTemplateWithThePlantsValuesWrittenIn) {
  struct Case {
    const char* template_text;
    std::string plant_name;
    std::string params;  // the plant's `param` lines: gone when the values are written in
    std::string rest;    // the rest of the plant
    // The value every parameter takes at the plant, as a literal.
    std::vector<std::pair<std::string, std::string>> values;
  };
  std::vector<Case> cases = {
      {kMixBatch,
       "houston",
       "  param batch_size = 1100 lb;\n  param temp_widen = 4 delta degF;\n",
       "  units lb, degF;\n  bind MixBatch.mixer = k2;\n" + houston_equipment(),
       {{"batch_size", "1100 lb"},
        {"heat_setpoint", "85 degC"},
        {"temp_widen", "4 delta degF"},
        {"hold_time", "20 min"}}},
      {kMixBatch,
       "berlin",
       "  param batch_size = 1500 kg;\n  param hold_time = 45 min;\n",
       berlin_equipment(),
       {{"batch_size", "1500 kg"},
        {"heat_setpoint", "85 degC"},
        {"temp_widen", "0 delta degC"},
        {"hold_time", "45 min"}}},
      {kRules,
       "houston",
       "  param max_temp = 200 degF;\n",
       "  units lb, degF;\n  bind Cool.mixer = k1;\n" + houston_equipment(),
       {{"max_temp", "200 degF"}, {"sample", "1 s"}}},
      {kRules,
       "berlin",
       "  param sample = 250 ms;\n",
       "  bind Cool.mixer = k2;\n" + berlin_equipment(),
       {{"max_temp", "95 degC"}, {"sample", "250 ms"}}},
  };
  for (const Case& c : cases) {
    std::string first_line(c.template_text, std::string(c.template_text).find('\n'));
    SCOPED_TRACE(first_line + " at plant " + c.plant_name);
    std::string literal = written_in(c.template_text, c.values);
    ASSERT_EQ(literal.find("param "), std::string::npos) << literal;
    driver::CheckRun with_params = specialize_all(
        {{"t.gmb", c.template_text}, {"plants/p.gmb", plant(c.plant_name, c.params + c.rest)}},
        "specialize");
    driver::CheckRun with_literals = specialize_all(
        {{"t.gmb", literal}, {"plants/p.gmb", plant(c.plant_name, c.rest)}}, "specialize");
    ASSERT_EQ(codes(with_params), std::vector<std::string>{}) << diagnostics(with_params);
    ASSERT_EQ(codes(with_literals), std::vector<std::string>{}) << diagnostics(with_literals);
    std::vector<std::string> a = programs(with_params.dump);
    std::vector<std::string> b = programs(with_literals.dump);
    ASSERT_EQ(a.size(), 1u) << with_params.dump;
    ASSERT_EQ(b.size(), 1u) << with_literals.dump;
    EXPECT_EQ(a[0], b[0]) << "with parameters:\n"
                          << with_params.dump << "\nwith literals:\n"
                          << with_literals.dump;
  }
}

// ---- (b) values are shown in the units the plant works in

TEST(SpecializeTest, APlantsWorkingUnitsShowTheTemplatesValues) {
  const char* tpl = R"(module templates.heat;

import std.units;
import acme.classes;

param batch_size: kg = 500 kg;
param setpoint: degC = 60 degC;

procedure Heat() uses mixer: HeatedMixer {
  step "Heat" {
    command mixer.heat(setpoint: setpoint);
    await mixer.temperature >= setpoint within 1 h;
    if mixer.capacity < batch_size {
      abort "too small";
    }
  }
}
)";
  driver::CheckRun run = specialize_all(
      {{"t.gmb", tpl},
       {"plants/houston.gmb",
        plant("houston", "  units lb, degF;\n" + kettle("k1", "2000 lb", "250 degF"))}},
      "specialize");
  ASSERT_EQ(codes(run), std::vector<std::string>{}) << diagnostics(run);
  EXPECT_NE(run.dump.find("// time zone America/Chicago; works in lb, degF"), std::string::npos)
      << run.dump;
  EXPECT_NE(run.dump.find("param batch_size = 1102.31131 lb;"), std::string::npos) << run.dump;
  EXPECT_NE(run.dump.find("param setpoint = 140 degF;"), std::string::npos) << run.dump;
  EXPECT_NE(run.dump.find("command mixer.heat(setpoint: 140 degF);"), std::string::npos)
      << run.dump;
  EXPECT_NE(run.dump.find("await mixer.temperature >= 140 degF within 1 h;"), std::string::npos)
      << run.dump;
  EXPECT_EQ(run.dump.find(" kg"), std::string::npos) << run.dump;
  EXPECT_EQ(run.dump.find("degC"), std::string::npos) << run.dump;
}

TEST(SpecializeTest, WithoutWorkingUnitsValuesKeepTheTemplatesUnits) {
  const char* tpl = R"(module templates.heat;

import std.units;

param batch_size: kg = 500 kg;
param setpoint: degC = 60 degC;
)";
  driver::CheckRun run = specialize_all(
      {{"t.gmb", tpl}, {"plants/berlin.gmb", plant("berlin", scale("s1", "3000 kg"))}},
      "specialize");
  ASSERT_EQ(codes(run), std::vector<std::string>{}) << diagnostics(run);
  EXPECT_NE(run.dump.find("param batch_size = 500 kg;"), std::string::npos) << run.dump;
  EXPECT_NE(run.dump.find("param setpoint = 60 degC;"), std::string::npos) << run.dump;
}

// ---- (c) binding `uses` clauses to the plant's equipment

const char* kCharge = R"(module templates.charge;

import std.units;
import acme.classes;

param batch_size: kg in 100 kg .. 2000 kg = 500 kg;

procedure Charge(amount: kg)
    uses mixer: Mixer where mixer.capacity >= batch_size,
         scale: Scale where scale.max_load >= amount {
  step "Charge" {
    await scale.weight >= amount within 20 min;
    command mixer.start(speed: 60 rpm);
  }
}
)";

TEST(SpecializeTest, TheOnlyEquipmentSatisfyingWhereIsBound) {
  // k1 is too small for the batch, k2 is not: k2 is taken without a `bind`.
  driver::CheckRun run = specialize_all(
      {{"t.gmb", kCharge},
       {"plants/p.gmb",
        plant("berlin",
              "  param batch_size = 1500 kg;\n  Site b {\n" + kettle("k1", "1000 kg", "120 degC") +
                  kettle("k2", "2000 kg", "120 degC") + scale("s1", "3000 kg") + "  }\n",
              "import std.isa95;\n")}},
      "specialize");
  ASSERT_EQ(codes(run), std::vector<std::string>{}) << diagnostics(run);
  EXPECT_NE(run.dump.find("uses mixer = berlin.b.k2 (Mixer)\n"), std::string::npos) << run.dump;
}

TEST(SpecializeTest, AWhereOnAnArgumentStaysAsARequirement) {
  driver::CheckRun run = specialize_all(
      {{"t.gmb", kCharge},
       {"plants/p.gmb",
        plant("berlin", kettle("k1", "1000 kg", "120 degC") + scale("s1", "3000 kg"))}},
      "specialize");
  ASSERT_EQ(codes(run), std::vector<std::string>{}) << diagnostics(run);
  EXPECT_NE(run.dump.find("uses scale = berlin.s1 (Scale)\n      requires 3000 kg >= amount  // "
                          "checked at start\n"),
            std::string::npos)
      << run.dump;
  // The mixer's clause is decided at the plant: no requirement left.
  EXPECT_NE(run.dump.find("uses mixer = berlin.k1 (Mixer)\n    uses scale"), std::string::npos)
      << run.dump;
}

TEST(SpecializeTest, ABindSettlesAnAmbiguity) {
  std::string equipment = kettle("k1", "1000 kg", "120 degC") +
                          kettle("k2", "2000 kg", "120 degC") + scale("s1", "3000 kg");
  driver::CheckRun ambiguous = specialize_all(
      {{"t.gmb", kCharge}, {"plants/p.gmb", plant("berlin", equipment)}}, "specialize");
  EXPECT_EQ(codes(ambiguous), std::vector<std::string>{"G0802"}) << diagnostics(ambiguous);

  driver::CheckRun bound =
      specialize_all({{"t.gmb", kCharge},
                      {"plants/p.gmb", plant("berlin", "  bind Charge.mixer = k1;\n" + equipment)}},
                     "specialize");
  ASSERT_EQ(codes(bound), std::vector<std::string>{}) << diagnostics(bound);
  EXPECT_NE(bound.dump.find("uses mixer = berlin.k1 (Mixer, bound by the plant)"),
            std::string::npos)
      << bound.dump;
}

TEST(SpecializeTest, ABindIsStillCheckedAgainstWhere) {
  driver::CheckRun run = specialize_all(
      {{"t.gmb", kCharge},
       {"plants/p.gmb",
        plant("berlin", "  param batch_size = 1500 kg;\n  bind Charge.mixer = k1;\n" +
                            kettle("k1", "1000 kg", "120 degC") +
                            kettle("k2", "2000 kg", "120 degC") + scale("s1", "3000 kg"))}});
  EXPECT_EQ(codes(run), std::vector<std::string>{"G0803"}) << diagnostics(run);
}

TEST(SpecializeTest, EquipmentOfADerivedClassFitsABaseClassBinding) {
  // Charge wants a Mixer; a HeatedMixer is one.
  driver::CheckRun run =
      specialize_all({{"t.gmb", kCharge},
                      {"plants/p.gmb", plant("berlin", kettle("k1", "1000 kg", "120 degC") +
                                                           scale("s1", "3000 kg"))}});
  EXPECT_EQ(codes(run), std::vector<std::string>{}) << diagnostics(run);
}

// ---- (d) the matrix counts each template's problems at each plant

TEST(SpecializeTest, MatrixCellsCountProblemsPerTemplateAndPlant) {
  const char* scales = R"(module templates.scales;

import std.units;
import acme.classes;

limit Scale.weight in 0 kg .. 3000 kg;
)";
  // At dallas: no Scale for Charge (G0801) and a batch out of range (G0805): 2 errors;
  // the scales rule applies to nothing there (G0905): 1 warning.
  std::string dallas =
      plant("dallas", "  param batch_size = 5000 kg;\n" + kettle("k1", "9000 kg", "120 degC"));
  std::string berlin =
      plant("berlin", kettle("k1", "1000 kg", "120 degC") + scale("s1", "3000 kg"));
  driver::CheckRun run = specialize_all({{"charge.gmb", kCharge},
                                         {"scales.gmb", scales},
                                         {"plants/berlin.gmb", berlin},
                                         {"plants/dallas.gmb", dallas}});
  EXPECT_EQ(run.plant_names, (std::vector<std::string>{"berlin", "dallas"}));
  EXPECT_FALSE(run.specialization_skipped);
  std::vector<std::string> cells;
  for (const driver::MatrixCell& c : run.matrix) {
    cells.push_back(c.template_path + " x " + c.plant + ": " + std::to_string(c.errors) +
                    " errors, " + std::to_string(c.warnings) + " warnings");
  }
  EXPECT_EQ(cells, (std::vector<std::string>{"charge.gmb x berlin: 0 errors, 0 warnings",
                                             "charge.gmb x dallas: 2 errors, 0 warnings",
                                             "scales.gmb x berlin: 0 errors, 0 warnings",
                                             "scales.gmb x dallas: 0 errors, 1 warnings"}))
      << diagnostics(run);
  EXPECT_EQ(run.errors(), 2u);
  EXPECT_EQ(run.warnings(), 1u);
}

TEST(SpecializeTest, ABrokenPlantOrTemplateIsNotSpecializedTheOthersAre) {
  // dallas leaves the kettle's capacity unset (G0704): its column is not checked.
  // broken.gmb reads an undefined name (G0201): its row is not checked. The rest is.
  std::string dallas = plant("dallas", "  HeatedMixer k1 { max_temperature = 120 degC; }\n");
  std::string berlin =
      plant("berlin", kettle("k1", "1000 kg", "120 degC") + scale("s1", "3000 kg"));
  const char* broken =
      "module templates.broken;\nimport std.units;\nimport acme.classes;\n"
      "procedure Fill() uses m: Mixer {\n"
      "  step \"s\" { await m.temperature >= too_hot within 1 s; }\n}\n";
  driver::CheckRun run = specialize_all({{"charge.gmb", kCharge},
                                         {"broken.gmb", broken},
                                         {"plants/berlin.gmb", berlin},
                                         {"plants/dallas.gmb", dallas}});
  EXPECT_TRUE(run.specialization_skipped);
  std::vector<std::string> cells;
  for (const driver::MatrixCell& c : run.matrix) {
    cells.push_back(c.template_path + " x " + c.plant + ": " +
                    (c.specialized ? std::to_string(c.errors) + " errors" : "not checked"));
  }
  EXPECT_EQ(cells, (std::vector<std::string>{
                       "charge.gmb x berlin: 0 errors", "charge.gmb x dallas: not checked",
                       "broken.gmb x berlin: not checked", "broken.gmb x dallas: not checked"}))
      << diagnostics(run);
  EXPECT_EQ(codes(run), (std::vector<std::string>{"G0201", "G0704"})) << diagnostics(run);
}

TEST(SpecializeTest, AFileOutsideThePlantFoldersIsATemplateNotAPlant) {
  // Without plant_paths nothing is specialized, even with a plant among the files.
  driver::CheckRun run =
      driver::check_sources({{"classes.gmb", kClasses},
                             {"t.gmb", kCharge},
                             {"plants/p.gmb", plant("berlin", scale("s1", "1 kg"))}},
                            {});
  EXPECT_TRUE(run.matrix.empty());
  EXPECT_TRUE(run.plant_names.empty());
  EXPECT_EQ(codes(run), std::vector<std::string>{}) << diagnostics(run);
}

}  // namespace
}  // namespace gemba::specialize
