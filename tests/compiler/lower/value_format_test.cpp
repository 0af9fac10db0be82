// How a machine's values are shown and typed (lower::ValueFormat): each slot, each value
// of a point and each ask's answer carries the unit the script names with its exact
// scale and offset, an enum's members in order, or the kind of handle it is.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/lowered_examples.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"
#include "compiler/lower/lower.h"

namespace gemba::lower {
namespace {

using Kind = ValueFormat::Kind;

const Machine* machine_named(const driver::CheckRun& run, const std::string& module,
                             const std::string& name) {
  for (const Lowering& l : run.lowered) {
    if (l.module.name != module) continue;
    for (const Machine& m : l.module.machines) {
      if (m.name == name) return &m;
    }
  }
  return nullptr;
}

// The first point of `kind` whose text contains `text`.
const Point* point_with(const Machine& m, PointKind kind, const std::string& text) {
  for (const Point& p : m.points) {
    if (p.kind == kind && p.text.find(text) != std::string::npos) return &p;
  }
  return nullptr;
}

const Slot* slot_named(const Machine& m, const std::string& name) {
  for (const Slot& s : m.slots) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const ValueFormat::Unit* other_unit(const ValueFormat& f, const std::string& name) {
  for (const ValueFormat::Unit& u : f.other_units) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

// `f` is num/den (in lowest terms or not).
void expect_exact(const ValueFormat::Fraction& f, std::int64_t num, std::int64_t den) {
  EXPECT_GT(f.den, 0);
  EXPECT_EQ(f.num * den, num * f.den) << f.num << "/" << f.den << " is not " << num << "/" << den;
}

class ExampleFormatsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { run_ = &testing::lowered_examples(); }

  const Machine& release_check() {
    const Machine* m = machine_named(*run_, "templates.quality_check@houston", "ReleaseCheck");
    EXPECT_NE(m, nullptr);
    return *m;
  }
  const Machine& mix_batch() {
    const Machine* m = machine_named(*run_, "templates.mix_batch@houston", "MixBatch");
    EXPECT_NE(m, nullptr);
    return *m;
  }

  static const driver::CheckRun* run_;
};

const driver::CheckRun* ExampleFormatsTest::run_ = nullptr;

TEST_F(ExampleFormatsTest, EveryPointHasAFormatPerValueAndTheMachinesVerify) {
  // (Hamburg cannot run MixBatch, by design: the examples' one error.)
  EXPECT_EQ(run_->errors(), 1u) << diag::render_text(run_->diagnostics, run_->sources);
  EXPECT_FALSE(run_->lowered.empty());
  for (const Lowering& l : run_->lowered) {
    for (const Machine& m : l.module.machines) {
      EXPECT_EQ(verify(m, l.module), "") << l.module.name << " " << m.name;
      for (const Point& p : m.points) {
        EXPECT_EQ(p.value_formats.size(), p.value_kinds.size()) << m.name << " " << p.text;
      }
    }
  }
}

TEST_F(ExampleFormatsTest, APercentAnswerIsTypedInPercentAndItsRangeShownSo) {
  const Point* salt = point_with(release_check(), PointKind::kAsk, "Salt of sample");
  ASSERT_NE(salt, nullptr);
  EXPECT_EQ(salt->answer.kind, Kind::kReal);
  EXPECT_EQ(salt->answer.unit, "percent");
  EXPECT_DOUBLE_EQ(salt->answer.scale, 0.01);
  EXPECT_EQ(salt->answer.offset, 0);
  expect_exact(salt->answer.exact_scale, 1, 100);
  expect_exact(salt->answer.exact_offset, 0, 1);
  EXPECT_EQ(salt->answer.type_name, "number");
  // A dimensionless answer takes no other unit: `5 ppm` is no salt content.
  EXPECT_TRUE(salt->answer.other_units.empty());
  // Values: {i}, then lo, hi, timeout; the range is shown as the answer is.
  ASSERT_TRUE(salt->has_range);
  ASSERT_EQ(salt->value_formats.size(), 4u);
  EXPECT_EQ(salt->value_formats[0].kind, Kind::kInt);
  EXPECT_EQ(salt->value_formats[1].unit, "percent");
  EXPECT_EQ(salt->value_formats[2].unit, "percent");
  EXPECT_EQ(salt->value_names[3], "timeout");
  EXPECT_EQ(salt->value_formats[3].unit, "min");
  EXPECT_DOUBLE_EQ(salt->value_formats[3].scale, 60);
  EXPECT_EQ(salt->value_formats[3].type_name, "duration");
}

TEST_F(ExampleFormatsTest, APlainRealAnswerIsANumberWithoutAUnit) {
  const Point* ph = point_with(release_check(), PointKind::kAsk, "pH of sample");
  ASSERT_NE(ph, nullptr);
  EXPECT_EQ(ph->answer.kind, Kind::kReal);
  EXPECT_EQ(ph->answer.unit, "");
  EXPECT_EQ(ph->answer.scale, 1);
  EXPECT_EQ(ph->answer.type_name, "number");
  EXPECT_TRUE(ph->answer.other_units.empty());
}

TEST_F(ExampleFormatsTest, AnEnumAnswerListsItsMembersInOrder) {
  const Machine& m = release_check();
  const Point* look = point_with(m, PointKind::kAsk, "Appearance of");
  ASSERT_NE(look, nullptr);
  EXPECT_EQ(look->answer.kind, Kind::kEnum);
  EXPECT_EQ(look->answer.type_name, "Appearance");
  std::vector<std::string> members{"Conforming", "ColourOff", "Separated", "ForeignMatter"};
  EXPECT_EQ(look->answer.choices, members);
  ASSERT_EQ(look->value_formats.size(), 2u);  // {product}, timeout
  EXPECT_EQ(look->value_formats[0].kind, Kind::kMaterial);
  // The slot the answer goes to, and a notify that shows it.
  const Slot* slot = slot_named(m, "look");
  ASSERT_NE(slot, nullptr);
  EXPECT_EQ(slot->format.choices, members);
  const Point* notify = point_with(m, PointKind::kNotify, "appearance: {");
  ASSERT_NE(notify, nullptr);
  ASSERT_EQ(notify->value_formats.size(), 2u);
  EXPECT_EQ(notify->value_formats[0].kind, Kind::kLot);
  EXPECT_EQ(notify->value_formats[1].choices, members);
  const Lowering* houston = nullptr;
  for (const Lowering& l : run_->lowered) {
    if (l.module.name == "templates.quality_check@houston") houston = &l;
  }
  ASSERT_NE(houston, nullptr);
  EXPECT_NE(listing(m, houston->module).find("look:int[Appearance{Conforming,"), std::string::npos);
}

TEST_F(ExampleFormatsTest, ABoolAnswerAndIntsAndHandles) {
  const Machine& m = release_check();
  const Point* retain = point_with(m, PointKind::kAsk, "Retain sample");
  ASSERT_NE(retain, nullptr);
  EXPECT_EQ(retain->answer.kind, Kind::kBool);
  EXPECT_EQ(retain->answer.type_name, "bool");
  ASSERT_GE(retain->value_formats.size(), 3u);  // {i}, {sample_count}, {lot}
  EXPECT_EQ(retain->value_formats[0].kind, Kind::kInt);
  EXPECT_EQ(retain->value_formats[1].kind, Kind::kInt);  // a plant constant
  EXPECT_EQ(retain->value_formats[2].kind, Kind::kLot);
  EXPECT_EQ(slot_named(m, "product")->format.kind, Kind::kMaterial);
  EXPECT_EQ(slot_named(m, "lot")->format.kind, Kind::kLot);
  EXPECT_EQ(slot_named(m, "$state")->format.kind, Kind::kInt);
  EXPECT_EQ(slot_named(m, "highest_ph")->format.kind, Kind::kReal);
}

TEST_F(ExampleFormatsTest, MixBatchParametersAreAMaterialAndADurationInSeconds) {
  const Machine& m = mix_batch();
  ASSERT_EQ(m.params.size(), 2u);
  const ValueFormat& product = m.slots[m.params[0]].format;
  EXPECT_EQ(product.kind, Kind::kMaterial);
  EXPECT_EQ(product.type_name, "Material");
  const ValueFormat& hold = m.slots[m.params[1]].format;
  EXPECT_EQ(m.slots[m.params[1]].name, "hold_time");
  EXPECT_EQ(hold.kind, Kind::kReal);
  EXPECT_EQ(hold.unit, "s");
  EXPECT_EQ(hold.scale, 1);
  EXPECT_EQ(hold.type_name, "duration");
  // `--arg hold_time=30 min`: the other units of the duration, in declaration order.
  ASSERT_EQ(hold.other_units.size(), 4u);
  EXPECT_EQ(hold.other_units[0].name, "ms");
  EXPECT_EQ(hold.other_units[1].name, "min");
  EXPECT_EQ(hold.other_units[1].scale, 60);
  expect_exact(hold.other_units[1].exact_scale, 60, 1);
  EXPECT_EQ(hold.other_units[2].name, "h");
  EXPECT_EQ(hold.other_units[2].scale, 3600);
  EXPECT_EQ(hold.other_units[3].name, "d");
  // `wait hold_time` shows its duration the same way.
  const Point* wait = nullptr;
  for (const Point& p : m.points) {
    if (p.kind == PointKind::kWait) wait = &p;
  }
  ASSERT_NE(wait, nullptr);
  ASSERT_EQ(wait->value_formats.size(), 1u);
  EXPECT_EQ(wait->value_formats[0].unit, "s");
}

TEST_F(ExampleFormatsTest, ADegCReadingHasAnOffsetAndTakesOtherReadings) {
  const Machine& m = mix_batch();
  const Point* hold = point_with(m, PointKind::kHold, "left the hold window");
  ASSERT_NE(hold, nullptr);
  ASSERT_EQ(hold->value_formats.size(), 2u);
  for (const ValueFormat& f : hold->value_formats) {
    EXPECT_EQ(f.kind, Kind::kReal);
    EXPECT_EQ(f.unit, "degC");
    EXPECT_EQ(f.scale, 1);
    EXPECT_DOUBLE_EQ(f.offset, 273.15);
    expect_exact(f.exact_offset, 27315, 100);
    EXPECT_EQ(f.type_name, "temperature");
    const ValueFormat::Unit* kelvin = other_unit(f, "K");
    ASSERT_NE(kelvin, nullptr);
    EXPECT_EQ(kelvin->scale, 1);
    EXPECT_EQ(kelvin->offset, 0);
    const ValueFormat::Unit* fahrenheit = other_unit(f, "degF");
    ASSERT_NE(fahrenheit, nullptr);
    expect_exact(fahrenheit->exact_scale, 5, 9);
    expect_exact(fahrenheit->exact_offset, 45967, 180);  // 459.67 * 5/9
    EXPECT_DOUBLE_EQ(fahrenheit->offset, 459.67 * 5 / 9);
  }
  EXPECT_EQ(slot_named(m, "hold_low")->format.unit, "degC");
  // Signals carry their class's unit, for `mixer.temperature = 85 degC` at a console.
  bool temperature = false;
  for (const SignalInput& s : m.signals) {
    if (s.name != "mixer.temperature") continue;
    temperature = true;
    EXPECT_EQ(s.format.unit, "degC");
    EXPECT_DOUBLE_EQ(s.format.offset, 273.15);
  }
  EXPECT_TRUE(temperature);
  // The command's setpoint (`command heat(setpoint: degC)`).
  const Point* heat = nullptr;
  for (const Point& p : m.points) {
    if (p.kind == PointKind::kCommand && p.target.ends_with(".heat")) heat = &p;
  }
  ASSERT_NE(heat, nullptr);
  ASSERT_EQ(heat->value_formats.size(), 1u);
  EXPECT_EQ(heat->value_formats[0].unit, "degC");
  EXPECT_DOUBLE_EQ(heat->value_formats[0].offset, 273.15);
}

TEST_F(ExampleFormatsTest, AViscosityAnswerIsInCentipoise) {
  const Machine& m = mix_batch();
  const Point* ask = point_with(m, PointKind::kAsk, "Viscosity of the batch");
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(ask->answer.unit, "cP");
  EXPECT_DOUBLE_EQ(ask->answer.scale, 0.001);
  expect_exact(ask->answer.exact_scale, 1, 1000);
  EXPECT_EQ(ask->answer.type_name, "viscosity");
  const ValueFormat::Unit* poise = other_unit(ask->answer, "P");
  ASSERT_NE(poise, nullptr);
  expect_exact(poise->exact_scale, 1, 10);
  EXPECT_EQ(other_unit(ask->answer, "Pa"), nullptr);  // a pressure is no viscosity
  const Point* water = point_with(m, PointKind::kAsk, "water added?");
  ASSERT_NE(water, nullptr);
  EXPECT_EQ(water->answer.unit, "L");
  expect_exact(water->answer.exact_scale, 1, 1000);
  ASSERT_GE(water->value_formats.size(), 1u);
  EXPECT_EQ(water->value_formats[0].unit, "cP");  // {viscosity}
}

TEST_F(ExampleFormatsTest, MassesFromSignalsAndPlantConstantsAreInKilograms) {
  const Machine& m = mix_batch();
  const Point* over = point_with(m, PointKind::kNotify, "Overcharge");
  ASSERT_NE(over, nullptr);
  ASSERT_EQ(over->value_formats.size(), 2u);  // {charged}, {batch_size}
  EXPECT_EQ(over->value_formats[0].unit, "kg");
  EXPECT_EQ(over->value_formats[0].type_name, "mass");
  EXPECT_EQ(over->value_formats[1].unit, "kg");
  const Point* consume = nullptr;
  for (const Point& p : m.points) {
    if (p.kind == PointKind::kConsume) consume = &p;
  }
  ASSERT_NE(consume, nullptr);
  ASSERT_EQ(consume->value_formats.size(), 2u);
  EXPECT_EQ(consume->value_formats[0].kind, Kind::kLot);
  EXPECT_EQ(consume->value_formats[1].unit, "kg");
  const Point* inspect =
      point_with(*machine_named(*run_, "templates.mix_batch@houston", "InspectMixerHeating"),
                 PointKind::kAsk, "fit for use?");
  ASSERT_NE(inspect, nullptr);
  EXPECT_EQ(inspect->answer.kind, Kind::kBool);
}

// A template of its own, for what the examples do not show.
const Machine* lowered_procedure(const std::string& source, driver::CheckRun* run) {
  driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.lower = true;
  *run = driver::check_sources(
      {{"t.gmb", "module t;\nimport std.units;\nimport std.isa95;\n" + source},
       {"plants/p.gmb",
        "module plants.p;\nimport std.units;\nimport std.isa95;\n"
        "plant p { timezone \"UTC\"; }\n"}},
      options);
  EXPECT_EQ(run->errors(), 0u) << diag::render_text(run->diagnostics, run->sources);
  if (run->lowered.empty() || run->lowered[0].module.machines.empty()) return nullptr;
  EXPECT_EQ(verify(run->lowered[0].module.machines[0], run->lowered[0].module), "");
  return &run->lowered[0].module.machines[0];
}

TEST(ValueFormatTest, DifferencesCompoundsTimesAndCoherentUnits) {
  driver::CheckRun run;
  const Machine* m = lowered_procedure(
      "procedure P(d: delta degC, f: kg / h, at: time, n: int, push: force, a: area,\n"
      "            mf: mass / duration) {\n"
      "  step \"s\" {\n"
      "    let g: degF = 100 degF;\n"
      "    let q = ask operator \"How much?\" as kg in 1 kg .. 2 kg within 5 min;\n"
      "    notify role supervisor \"{d} {f} {at} {n} {push} {a} {g} {q}\";\n"
      "  }\n}\n",
      &run);
  ASSERT_NE(m, nullptr);
  // A difference of degC has no offset, and takes only linear units (or deltas).
  const ValueFormat& d = slot_named(*m, "d")->format;
  EXPECT_EQ(d.unit, "delta degC");
  EXPECT_EQ(d.scale, 1);
  EXPECT_EQ(d.offset, 0);
  expect_exact(d.exact_offset, 0, 1);
  ASSERT_NE(other_unit(d, "K"), nullptr);
  const ValueFormat::Unit* delta_f = other_unit(d, "delta degF");
  ASSERT_NE(delta_f, nullptr);
  EXPECT_EQ(delta_f->offset, 0);
  expect_exact(delta_f->exact_scale, 5, 9);
  EXPECT_EQ(other_unit(d, "degF"), nullptr);
  // A compound unit as written, blanks dropped, with its exact scale.
  const ValueFormat& f = slot_named(*m, "f")->format;
  EXPECT_EQ(f.unit, "kg/h");
  expect_exact(f.exact_scale, 1, 3600);
  EXPECT_EQ(f.type_name, "mass flow");  // `mass_flow`, as a person writes it
  // Dimensions are not units: the coherent unit, spelled in base units.
  EXPECT_EQ(slot_named(*m, "mf")->format.unit, "kg/s");
  EXPECT_EQ(slot_named(*m, "mf")->format.scale, 1);
  EXPECT_EQ(slot_named(*m, "at")->format.kind, Kind::kTime);
  EXPECT_EQ(slot_named(*m, "n")->format.kind, Kind::kInt);
  // A dimension as a type: its coherent unit, declared (N) or spelled in base units.
  EXPECT_EQ(slot_named(*m, "push")->format.unit, "N");
  EXPECT_EQ(slot_named(*m, "push")->format.type_name, "force");
  EXPECT_EQ(slot_named(*m, "a")->format.unit, "m^2");
  EXPECT_EQ(slot_named(*m, "a")->format.type_name, "area");
  // A declared local type, and an ask.
  const ValueFormat& g = slot_named(*m, "g")->format;
  EXPECT_EQ(g.unit, "degF");
  expect_exact(g.exact_scale, 5, 9);
  expect_exact(g.exact_offset, 45967, 180);
  const Point* ask = point_with(*m, PointKind::kAsk, "How much?");
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(ask->answer.unit, "kg");
  EXPECT_EQ(slot_named(*m, "q")->format.unit, "kg");
  const Point* notify = point_with(*m, PointKind::kNotify, "{0}");
  ASSERT_NE(notify, nullptr);
  ASSERT_EQ(notify->value_formats.size(), 8u);
  EXPECT_EQ(notify->value_formats[1].unit, "kg/h");
  EXPECT_EQ(notify->value_formats[6].unit, "degF");
}

TEST(ValueFormatTest, ComputedQuantitiesUseTheUnitTheirTypeCarries) {
  driver::CheckRun run;
  const Machine* m = lowered_procedure(
      "procedure P(a: degC, b: degC, w: kg) {\n"
      "  step \"s\" {\n"
      "    let spread = a - b;\n"
      "    let warmer = a + 2 delta degC;\n"
      "    let rate = w / 10 min;\n"
      "    notify role supervisor \"{spread} {warmer} {rate}\";\n"
      "  }\n}\n",
      &run);
  ASSERT_NE(m, nullptr);
  // A difference of two readings: the coherent unit K, no offset.
  EXPECT_EQ(slot_named(*m, "spread")->format.unit, "K");
  EXPECT_EQ(slot_named(*m, "spread")->format.offset, 0);
  EXPECT_EQ(slot_named(*m, "warmer")->format.unit, "degC");
  EXPECT_DOUBLE_EQ(slot_named(*m, "warmer")->format.offset, 273.15);
  // A mass over a duration: a compound named nowhere, in base units.
  EXPECT_EQ(slot_named(*m, "rate")->format.unit, "kg/s");
  EXPECT_EQ(slot_named(*m, "rate")->format.scale, 1);
}

}  // namespace
}  // namespace gemba::lower
