// KPI formulas become pure functions of the ISO 22400 elements they read: KPIs they call
// are inlined, each element of each equipment is one input, and the result is computed
// in base units.
#include <gtest/gtest.h>

#include <string>

#include "compiler/driver/pipeline.h"
#include "compiler/interp/interpreter.h"
#include "compiler/lower/lower.h"

namespace gemba::lower {
namespace {

Lowering lowered_kpis(const std::string& body) {
  driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.lower = true;
  driver::CheckRun run = driver::check_sources(
      {{"lib.gmb",
        "module lib;\nimport std.units;\nimport std.isa95;\n"
        "equipment class Filler : WorkUnit { property max_speed: pcs/min; }\n"},
       {"k.gmb", "module k;\nimport std.units;\nimport std.isa95;\nimport std.kpi;\nimport lib;\n" +
                     body},
       {"plants/p.gmb",
        "module plants.p;\nimport std.units;\nimport std.isa95;\nimport lib;\n"
        "plant p { timezone \"UTC\"; shifts { A 06:00 .. 18:00; } }\n"}},
      options);
  EXPECT_EQ(run.errors(), 0u);
  EXPECT_EQ(run.lowered.size(), 1u);
  if (run.lowered.empty()) return {};
  EXPECT_EQ(verify(run.lowered[0].module), "");
  return std::move(run.lowered[0]);
}

TEST(KpiLoweringTest, OeeReadsFiveElementsAndInlinesTheKpisItCalls) {
  Lowering l = lowered_kpis(
      "kpi line_oee(f: Filler): real over shift = oee(f);\n"
      "kpi line_oee_pct(f: Filler): percent over last 24 h = oee(f) to percent;\n");
  ASSERT_EQ(l.module.kpis.size(), 2u) << listing(l.module);
  const Kpi& oee = l.module.kpis[0];
  EXPECT_EQ(oee.name, "line_oee");
  EXPECT_EQ(oee.window, "shift");
  EXPECT_EQ(oee.inputs, (std::vector<std::string>{"APT(f)", "PBT(f)", "PRI(f)", "PQ(f)", "GQ(f)"}));
  EXPECT_EQ(l.module.kpis[1].window, "last 86400 s");

  // A shift: 7 h of production out of 8 h planned, 1.2 s per item, 20000 made, 19400 good.
  interp::Interpreter interpreter(l.module);
  Scalar args[5];
  args[0].r = 7 * 3600;
  args[1].r = 8 * 3600;
  args[2].r = 1.2;
  args[3].r = 20000;
  args[4].r = 19400;
  Scalar result{};
  ASSERT_EQ(interpreter.call(oee.function, args, &result, nullptr), Fault::kNone);
  double expected = (args[0].r / args[1].r) * (args[2].r * args[3].r / args[0].r) *
                    (args[4].r / args[3].r);
  EXPECT_EQ(result.r, expected);
  // The percent KPI is the same ratio: percent is shown, not stored.
  ASSERT_EQ(interpreter.call(l.module.kpis[1].function, args, &result, nullptr), Fault::kNone);
  EXPECT_EQ(result.r, expected);

  // No production planned: a division by zero, reported at the `/` of availability.
  args[1].r = 0;
  std::uint32_t site = 0;
  ASSERT_EQ(interpreter.call(oee.function, args, &result, &site), Fault::kDivisionByZero);
  std::optional<diag::Span> span = fault_span(l.module, oee.function, site);
  ASSERT_TRUE(span.has_value());
  EXPECT_GT(span->end, span->begin);
}

TEST(KpiLoweringTest, AKpiOverAValueThatIsNotEquipmentIsListedAsNotLowered) {
  Lowering l = lowered_kpis(
      "kpi scaled(f: Filler, k: real): real over shift = availability(f) * k;\n"
      "kpi fine(f: Filler): real over day = availability(f);\n");
  ASSERT_EQ(l.module.kpis.size(), 1u);
  EXPECT_EQ(l.module.kpis[0].name, "fine");
  ASSERT_EQ(l.skipped.size(), 1u);
  EXPECT_EQ(l.skipped[0], "kpi scaled: parameter `k` is not equipment");
}

}  // namespace
}  // namespace gemba::lower
