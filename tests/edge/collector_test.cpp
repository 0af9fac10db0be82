// The collector against the real collect rules of examples/templates/data_collection.gmb
// at Houston, JIT-compiled: period, deadband, valid range, quarantine, durability of
// the sampler state, and back-pressure from the quota.
#include "edge/collector.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "compiler/jit/jit.h"
#include "runtime/workflow/template_version.h"
#include "tests/support/temp_dir.h"

namespace gemba::edge {
namespace {

constexpr char kTemperature[] = "mqtt://hou-broker/blending/kettle2/temperature";

// The plan is compiled once per process; the JIT outlives every test.
struct Compiled {
  std::unique_ptr<jit::Jit> jit;
  workflow::CompiledVersion version;
  std::unique_ptr<CollectPlan> plan;
};

Compiled* compile(const std::string& template_file) {
  auto c = new Compiled;
  std::string error;
  std::string root = GEMBA_SOURCE_DIR;
  auto version = workflow::read_template_version(
      {root + "/examples/templates/" + template_file, root + "/examples/equipment"}, "houston",
      {root + "/examples/plants"}, {}, &error);
  EXPECT_TRUE(version) << error;
  auto v = workflow::compile_version(*version, &error);
  EXPECT_TRUE(v) << error;
  c->version = std::move(*v);
  c->jit = jit::Jit::create(&error);
  c->plan = make_collect_plan(c->version, *c->jit, &error);
  EXPECT_TRUE(c->plan) << error;
  return c;
}

const Compiled& houston() {
  static Compiled* compiled = compile("data_collection.gmb");
  return *compiled;
}

Reading reading(const std::string& address, std::int64_t time_s, double value) {
  Reading r;
  r.address = address;
  r.time_us = time_s * 1'000'000 + 1'700'000'000'000'000;
  r.value = value;
  return r;
}

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<Collector> collector;
  explicit Fixture(std::uint64_t quota = 1 << 30) { open(quota); }
  void open(std::uint64_t quota = 1 << 30) {
    collector.reset();
    outbox.reset();
    store::Status status;
    OutboxOptions options;
    options.quota_bytes = quota;
    outbox = Outbox::open(dir.path(), options, &status);
    ASSERT_TRUE(outbox) << status.message();
    collector = std::make_unique<Collector>(*houston().plan, *outbox);
  }
  std::vector<wire::Record> records() { return outbox->pending(0, 1000, 1 << 20); }
};

TEST(EdgeCollector, ThePlanHasTheRulesAsTheTemplateAndThePlantSayThem) {
  const CollectPlan& plan = *houston().plan;
  const CollectRule* t = plan.find(kTemperature);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->subject(), "kettle2.temperature");
  EXPECT_EQ(t->info.unit, "degC");
  EXPECT_EQ(t->info.period_us, 2'000'000);  // process_period's default, 2 s
  EXPECT_NEAR(t->deadband, 0.2, 1e-12);     // 0.2 delta degC is 0.2 K
  EXPECT_TRUE(t->info.has_valid);
  EXPECT_NEAR(t->info.valid_lo, -20, 1e-9);
  EXPECT_NEAR(t->info.valid_hi, 200, 1e-9);
  EXPECT_EQ(plan.find("kettle2.temperature"), t);
  const CollectRule* state = plan.find("kettle2.state");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->info.kind, SignalInfo::Kind::kEnum);
  EXPECT_FALSE(state->info.choices.empty());
}

// `signal return_conductivity: mS/cm`: a compound unit, read and checked in the unit the
// class declares (0.1 S/m per mS/cm), not in base units.
TEST(EdgeCollector, ASignalInACompoundUnitIsReadInThatUnit) {
  static Compiled* cip = compile("cip_cleaning.gmb");
  const CollectRule* rule = cip->plan->find("cip1.return_conductivity");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->info.unit, "mS/cm");
  EXPECT_NEAR(rule->scale, 0.1, 1e-12);
  EXPECT_NEAR(rule->info.valid_hi, 200, 1e-9);
  EXPECT_EQ(rule->valid_text, "0 mS/cm .. 200 mS/cm");
  testing::TempDir dir;
  store::Status status;
  auto outbox = Outbox::open(dir.path(), OutboxOptions{}, &status);
  ASSERT_TRUE(outbox) << status.message();
  Collector collector(*cip->plan, *outbox);
  ASSERT_TRUE(collector.offer({reading(rule->info.address, 0, 48.0), reading(rule->info.address, 5, 250.0)}));
  auto records = outbox->pending(0, 10, 1 << 20);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value, 48.0);
  EXPECT_EQ(records[0].unit, "mS/cm");
  auto q = outbox->quarantine(0, 10);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].reason, "cip1.return_conductivity = 250 mS/cm is outside its valid range 0 mS/cm .. 200 mS/cm");
}

TEST(EdgeCollector, RecordsByPeriodAndDeadband) {
  Fixture f;
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 0, 80.0)}));
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 2, 80.1)}));  // within 0.2: unchanged
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 4, 80.5)}));  // moved: recorded
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 5, 90.0)}));  // too soon: held
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 6, 80.6)}));  // due; within 0.2 of 80.5
  auto records = f.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].value, 80.0);
  EXPECT_EQ(records[1].value, 80.5);
  EXPECT_EQ(records[1].subject, "kettle2.temperature");
  EXPECT_EQ(records[1].unit, "degC");
  CollectorStatus s = f.collector->status();
  EXPECT_EQ(s.readings, 5u);
  EXPECT_EQ(s.recorded, 2u);
  EXPECT_EQ(s.unchanged, 2u);
  EXPECT_EQ(s.held, 1u);
}

TEST(EdgeCollector, InvalidAndUnknownReadingsAreQuarantinedWithTheReason) {
  Fixture f;
  Reading text = reading(kTemperature, 0, 0);
  text.has_value = false;
  text.text = "hot";
  Reading bad = reading("mqtt://hou-broker/blending/kettle2/state", 0, 0);
  bad.has_value = false;
  bad.text = "Exploded";
  Reading flagged = reading(kTemperature, 1, 0);
  flagged.problem = "line.csv:3: the value `x` is not a number";
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 0, 250.0), reading("mqtt://nowhere/x", 0, 1),
                                  text, bad, flagged}));
  EXPECT_TRUE(f.records().empty());
  auto q = f.outbox->quarantine(0, 10);
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0].reason,
            "kettle2.temperature = 250 degC is outside its valid range -20 degC .. 200 degC");
  EXPECT_EQ(q[0].subject, "kettle2.temperature");
  EXPECT_NE(q[1].reason.find("no collect rule at this plant reads `mqtt://nowhere/x`"),
            std::string::npos);
  EXPECT_NE(q[2].reason.find("`hot` is not a value of kettle2.temperature"), std::string::npos);
  EXPECT_NE(q[3].reason.find("`Exploded` is not a member of kettle2.state"), std::string::npos);
  EXPECT_EQ(q[4].reason, flagged.problem);
  EXPECT_EQ(f.outbox->status().quarantined, 5u);
}

TEST(EdgeCollector, EnumMembersByNameAreRecordedWithTheirName) {
  Fixture f;
  const CollectRule* state = houston().plan->find("kettle2.state");
  ASSERT_NE(state, nullptr);
  Reading r = reading(state->info.address, 0, 0);
  r.has_value = false;
  r.text = state->info.choices.back();
  ASSERT_TRUE(f.collector->offer({r}));
  auto records = f.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value, double(state->info.choices.size() - 1));
  EXPECT_EQ(records[0].text, state->info.choices.back());
}

TEST(EdgeCollector, TheDeadbandCarriesOverARestart) {
  Fixture f;
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 0, 80.0)}));
  f.open();
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 10, 80.1)}));  // within the deadband
  EXPECT_EQ(f.records().size(), 1u);
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 20, 81)}));
  EXPECT_EQ(f.records().size(), 2u);
}

TEST(EdgeCollector, AQuarantinedReadingCanBeReplayedOnce) {
  Fixture f;
  Reading r = reading("mqtt://hou-broker/blending/kettle2/temperature", 0, 1e9);
  ASSERT_TRUE(f.collector->offer({r}));
  ASSERT_EQ(f.outbox->quarantine(0, 10).size(), 1u);
  std::string error;
  // Replayed through the rules as they are: still out of range, so quarantined again.
  ASSERT_TRUE(f.collector->replay(1, &error)) << error;
  EXPECT_TRUE(f.outbox->quarantined(1)->replayed);
  EXPECT_EQ(f.outbox->quarantine(0, 10).size(), 2u);
  EXPECT_FALSE(f.collector->replay(1, &error));
  EXPECT_NE(error.find("already replayed"), std::string::npos);
  EXPECT_FALSE(f.collector->replay(77, &error));
}

TEST(EdgeCollector, AFullOutboxHoldsTheSourceBackUntilThereIsRoom) {
  Fixture f(1500);
  std::vector<Reading> first;
  for (int i = 0; i < 15; ++i) first.push_back(reading(kTemperature, 2 * i, 20 + i));
  ASSERT_TRUE(f.collector->offer(first));
  std::uint64_t last = f.outbox->status().last_seq;
  ASSERT_GT(last, 0u);
  std::vector<Reading> second;
  for (int i = 15; i < 30; ++i) second.push_back(reading(kTemperature, 2 * i, 20 + i));
  auto blocked = std::async(std::launch::async, [&] { return f.collector->offer(second); });
  bool over = false;
  for (int i = 0; i < 200 && !over; ++i) {
    over = f.collector->status().over_quota;
    if (!over) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(over) << "the collector never reported the full outbox";
  EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  EXPECT_EQ(f.outbox->status().last_seq, last);  // nothing overwritten, nothing dropped
  ASSERT_TRUE(f.outbox->acknowledge(last).is_ok());
  EXPECT_TRUE(blocked.get());
  EXPECT_EQ(f.outbox->status().last_seq, 30u);
  EXPECT_FALSE(f.collector->status().over_quota);
}

TEST(EdgeCollector, StoppingReleasesABlockedOffer) {
  Fixture f(600);
  ASSERT_TRUE(f.collector->offer({reading(kTemperature, 0, 1)}));  // holds something
  std::vector<Reading> many;
  for (int i = 1; i < 40; ++i) many.push_back(reading(kTemperature, 2 * i, 20 + i));
  auto blocked = std::async(std::launch::async, [&] { return f.collector->offer(many); });
  for (int i = 0; i < 200 && !f.collector->status().over_quota; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  f.collector->stop();
  EXPECT_FALSE(blocked.get());
  EXPECT_FALSE(f.collector->offer({reading(kTemperature, 100, 1)}));
}

}  // namespace
}  // namespace gemba::edge
