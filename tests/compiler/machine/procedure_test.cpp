// Procedures lowered to state machines, run by the reference interpreter: the example
// batch procedure from start to completion, hold and restart, abort, limit reactions,
// refused events, loops, and run-time faults traced back to the script.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/lowered_examples.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/machine_interpreter.h"
#include "compiler/lower/lower.h"
#include "tests/compiler/machine/machine_driver.h"

namespace gemba {
namespace {

using lower::EventKind;
using lower::Fault;
using lower::Scalar;
using testing::MachineDriver;

Scalar real(double r) { return {.r = r}; }
Scalar integer(std::int64_t i) { return {.i = i}; }
Scalar boolean(bool b) {
  Scalar s{.i = 0};
  s.b = b;
  return s;
}

const lower::Lowering* at_plant(const driver::CheckRun& run, const std::string& name) {
  for (const lower::Lowering& l : run.lowered) {
    if (l.module.name == name) return &l;
  }
  return nullptr;
}

class MixBatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { run_ = &testing::lowered_examples(); }

  void SetUp() override {
    const lower::Lowering* houston = at_plant(*run_, "templates.mix_batch@houston");
    ASSERT_NE(houston, nullptr);
    interpreter_ = std::make_unique<interp::MachineInterpreter>(houston->module);
    auto index = interpreter_->find("MixBatch");
    ASSERT_TRUE(index.has_value()) << lower::listing(houston->module);
    machine_ = &interpreter_->module().machines[*index];
    // product = material 7, hold_time = 30 min.
    driver_ = std::make_unique<MachineDriver>(
        *machine_,
        [this, index](Scalar* frame, const Scalar* signals, const lower::Event& event,
                      lower::Effect* effects, std::uint32_t capacity, std::uint32_t* count,
                      std::uint32_t* site) {
          return interpreter_->transition(*index, frame, signals, event, effects, capacity,
                                          count, site);
        },
        std::vector<Scalar>{integer(7), real(1800)});
  }

  MachineDriver& d() { return *driver_; }

  // Starts the batch and leaves it asking for the lot.
  void start() {
    ASSERT_EQ(d().send(EventKind::kStart), Fault::kNone);
    ASSERT_EQ(d().trace(), "step Charge|ask");
  }

  // From the lot scan to the first await (the charge).
  void to_charge() {
    start();
    ASSERT_EQ(d().send(EventKind::kDone, integer(42)), Fault::kNone);
    ASSERT_EQ(d().trace(), "command tare");
    ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
    ASSERT_EQ(d().trace(), "await");
  }

  static const driver::CheckRun* run_;
  std::unique_ptr<interp::MachineInterpreter> interpreter_;
  const lower::Machine* machine_ = nullptr;
  std::unique_ptr<MachineDriver> driver_;
};

const driver::CheckRun* MixBatchTest::run_ = nullptr;

TEST_F(MixBatchTest, EveryExampleProcedureIsLowered) {
  std::size_t machines = 0;
  for (const lower::Lowering& l : run_->lowered) {
    for (const std::string& skipped : l.skipped) {
      EXPECT_EQ(skipped.rfind("procedure ", 0), std::string::npos) << l.module.name << ": " << skipped;
    }
    EXPECT_EQ(lower::verify(l.module), "") << l.module.name;
    machines += l.module.machines.size();
  }
  EXPECT_GE(machines, 10u);
}

TEST_F(MixBatchTest, RunsABatchFromStartToCompletion) {
  start();
  // The ask carries the product (prompt and `of`) and its 10 min deadline in seconds.
  EXPECT_EQ(d().value(1, 0).i, 7);
  EXPECT_EQ(d().value(1, 1).i, 7);
  EXPECT_EQ(d().value(1, 2).r, 600.0);
  ASSERT_EQ(d().send(EventKind::kDone, integer(42)), Fault::kNone);
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "await");
  EXPECT_EQ(d().wait().label, "await");

  // Houston's batch is 1200 kg: 1000 kg stable is not enough; nothing is emitted.
  d().set_signal("scale.weight", real(1000));
  d().set_signal("scale.stable", boolean(true));
  ASSERT_EQ(d().send(EventKind::kSignal), Fault::kNone);
  EXPECT_EQ(d().trace(), "");
  EXPECT_EQ(d().wait().label, "await");

  // 1250 kg is over 1200 * 1.02: an overcharge notice, then the lot is consumed.
  d().set_signal("scale.weight", real(1250));
  ASSERT_EQ(d().send(EventKind::kSignal), Fault::kNone);
  EXPECT_EQ(d().trace(), "notify|consume|step Heat|command start");
  EXPECT_EQ(d().value(0, 0).r, 1250.0);
  EXPECT_EQ(d().value(0, 1).r, 1200.0);
  EXPECT_EQ(d().value(1, 0).i, 42);
  EXPECT_EQ(d().value(1, 1).r, 1250.0);
  EXPECT_EQ(d().value(3, 0).r, 1.0);  // 60 rpm, in revolutions per second

  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "command heat");
  EXPECT_NEAR(d().value(0, 0).r, 358.15, 1e-9);  // 85 degC
  d().set_signal("mixer.temperature", real(300));
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "await");
  EXPECT_EQ(d().value(0, 0).r, 45 * 60.0);
  // Heating too slow: escalated, and still waiting.
  ASSERT_EQ(d().send(EventKind::kTimeout), Fault::kNone);
  EXPECT_EQ(d().trace(), "escalate");
  EXPECT_EQ(d().wait().label, "await");
  // 78 degC (85 - 3 - 4) is reached; jacket and product within 10 K: on to the hold.
  d().set_signal("mixer.temperature", real(352));
  d().set_signal("mixer.jacket_temperature", real(355));
  ASSERT_EQ(d().send(EventKind::kSignal), Fault::kNone);
  EXPECT_EQ(d().trace(), "step Hold|command start");
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "wait");
  EXPECT_EQ(d().value(0, 0).r, 1800.0);
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "step Check viscosity|ask");
  // 1000 cP (1 Pa s) is within Houston's 650 .. 1350 cP.
  ASSERT_EQ(d().send(EventKind::kDone, real(1.0)), Fault::kNone);
  EXPECT_EQ(d().trace(), "notify|sign");
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "step Discharge|command stop");
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "produce|command stop");
  EXPECT_EQ(d().value(0, 0).i, 7);
  EXPECT_EQ(d().value(0, 1).r, 1250 * 0.98);
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "complete");
  EXPECT_TRUE(d().wait().final);
  EXPECT_EQ(d().send(EventKind::kDone), Fault::kEventNotExpected);
}

TEST_F(MixBatchTest, AHeldBatchRunsItsHoldHandlerAndAsksAgainOnRestart) {
  start();
  ASSERT_EQ(d().send(EventKind::kHold), Fault::kNone);
  EXPECT_EQ(d().trace(), "command stop");  // on hold { command mixer.stop(); }
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().wait().label, "held");
  EXPECT_EQ(d().send(EventKind::kDone), Fault::kEventNotExpected);
  ASSERT_EQ(d().send(EventKind::kRestart), Fault::kNone);
  EXPECT_EQ(d().trace(), "ask");
  EXPECT_EQ(d().wait().label, "ask");
}

TEST_F(MixBatchTest, AnAbortRunsTheAbortAndCleanupHandlers) {
  start();
  ASSERT_EQ(d().send(EventKind::kAbort), Fault::kNone);
  EXPECT_EQ(d().trace(), "notify|command stop");
  EXPECT_EQ(d().value(0, 0).i, 7);  // "Batch of {product} aborted"
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().trace(), "aborted");
  EXPECT_TRUE(d().wait().final);
}

TEST_F(MixBatchTest, ALimitViolationRunsItsReactionAndResumesTheWait) {
  to_charge();
  // Limit 0 is the temperature: notify, start the inspection, hold.
  ASSERT_EQ(d().send(EventKind::kLimit, integer(0)), Fault::kNone);
  EXPECT_EQ(d().trace(), "notify|start|hold|command stop");
  const lower::Point& started = machine_->points[d().effects()[1].point];
  EXPECT_EQ(started.target, "InspectMixerHeating");
  ASSERT_EQ(started.bindings.size(), 1u);
  EXPECT_NE(started.bindings[0].find("mixer=houston."), std::string::npos);
  ASSERT_EQ(d().send(EventKind::kDone), Fault::kNone);
  EXPECT_EQ(d().wait().label, "held");
  // Restarted, it is back in the await, silently.
  ASSERT_EQ(d().send(EventKind::kRestart), Fault::kNone);
  EXPECT_EQ(d().trace(), "");
  EXPECT_EQ(d().wait().label, "await");
  // Limit 1 (speed) has no reaction; limit 2 does not exist.
  ASSERT_EQ(d().send(EventKind::kLimit, integer(1)), Fault::kNone);
  EXPECT_EQ(d().trace(), "");
  EXPECT_EQ(d().send(EventKind::kLimit, integer(2)), Fault::kEventNotExpected);
  EXPECT_EQ(d().site()[0], UINT32_MAX);
}

TEST_F(MixBatchTest, RefusesWhatItCannotTake) {
  EXPECT_EQ(d().send(EventKind::kDone), Fault::kEventNotExpected);  // not started
  EXPECT_EQ(d().site()[0], UINT32_MAX);
  EXPECT_EQ(d().site()[1], UINT32_MAX);
  d().set_capacity(1);  // the start emits a step and an ask
  EXPECT_EQ(d().send(EventKind::kStart), Fault::kTooManyEffects);
  d().frame()[lower::kStateSlot].i = 999;
  EXPECT_EQ(d().send(EventKind::kStart), Fault::kBadState);
  d().frame()[lower::kStateSlot].i = -1;
  EXPECT_EQ(d().send(EventKind::kStart), Fault::kBadState);
}

// ---- Small procedures -----------------------------------------------------------

struct Lowered {
  driver::CheckRun run;
  const lower::Lowering* lowering = nullptr;
  std::string source;
};

std::unique_ptr<Lowered> lower_template(const std::string& body) {
  auto out = std::make_unique<Lowered>();
  out->source = "module t;\nimport std.units;\nimport std.isa95;\n" + body;
  driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.lower = true;
  out->run = driver::check_sources(
      {{"t.gmb", out->source},
       {"plants/p.gmb",
        "module plants.p;\nimport std.units;\nimport std.isa95;\nplant p { timezone \"UTC\"; }\n"}},
      options);
  EXPECT_EQ(out->run.errors(), 0u);
  if (out->run.lowered.size() == 1) out->lowering = &out->run.lowered[0];
  return out;
}

// A driver of the module's first machine on the reference interpreter.
MachineDriver interpreted(const interp::MachineInterpreter& interpreter,
                          const std::vector<Scalar>& args) {
  return MachineDriver(
      interpreter.module().machines[0],
      [&interpreter](Scalar* f, const Scalar* s, const lower::Event& e, lower::Effect* x,
                     std::uint32_t c, std::uint32_t* n, std::uint32_t* site) {
        return interpreter.transition(0, f, s, e, x, c, n, site);
      },
      args);
}

TEST(ProcedureTest, LoopsAndInterpolationsRunStraightLine) {
  auto l = lower_template(
      "procedure P(n: int) {\n"
      "  step \"sum\" {\n"
      "    var total = 0;\n"
      "    for i in 1 .. n { total = total + i; }\n"
      "    repeat 2 times { notify role supervisor \"partial {total}\"; }\n"
      "    let ok = ask operator \"Sum {total}: fine?\" as bool within 5 min;\n"
      "    if not ok { abort \"not fine\"; }\n"
      "  }\n"
      "}\n");
  ASSERT_NE(l->lowering, nullptr);
  ASSERT_EQ(l->lowering->module.machines.size(), 1u) << l->lowering->skipped.size();
  interp::MachineInterpreter interpreter(l->lowering->module);
  MachineDriver d = interpreted(interpreter, {integer(4)});
  ASSERT_EQ(d.send(EventKind::kStart), Fault::kNone);
  EXPECT_EQ(d.trace(), "step sum|notify|notify|ask");
  EXPECT_EQ(d.value(1, 0).i, 10);
  EXPECT_EQ(d.value(3, 0).i, 10);
  EXPECT_EQ(d.value(3, 1).r, 300.0);
  ASSERT_EQ(d.send(EventKind::kDone, boolean(false)), Fault::kNone);
  EXPECT_EQ(d.trace(), "abort|aborted");
}

TEST(ProcedureTest, NowIsTheTimeOfTheEventBeingApplied) {
  auto l = lower_template(
      "import std.time;\n"
      "procedure P() {\n"
      "  step \"s\" {\n"
      "    let started = now();\n"
      "    wait 5 min;\n"
      "    let took = now() - started;\n"
      "    notify role supervisor \"took {took}\";\n"
      "  }\n"
      "}\n");
  ASSERT_NE(l->lowering, nullptr);
  ASSERT_EQ(l->lowering->module.machines.size(), 1u);
  interp::MachineInterpreter interpreter(l->lowering->module);
  MachineDriver d = interpreted(interpreter, {});
  ASSERT_EQ(d.send(EventKind::kStart, integer(0), 1.7e9), Fault::kNone);
  EXPECT_EQ(d.trace(), "step s|wait");
  // The timer fired late: the script sees the time the event was applied.
  ASSERT_EQ(d.send(EventKind::kDone, integer(0), 1.7e9 + 420), Fault::kNone);
  EXPECT_EQ(d.trace(), "notify|complete");
  EXPECT_EQ(d.value(0, 0).r, 420.0);
}

TEST(ProcedureTest, ARunTimeFaultNamesTheScriptLocation) {
  auto l = lower_template(
      "procedure P() {\n"
      "  step \"s\" {\n"
      "    let r = ask operator \"r\" as real within 1 min;\n"
      "    let x = 10 / r;\n"
      "    notify role supervisor \"x = {x}\";\n"
      "  }\n"
      "}\n");
  ASSERT_NE(l->lowering, nullptr);
  ASSERT_EQ(l->lowering->module.machines.size(), 1u);
  interp::MachineInterpreter interpreter(l->lowering->module);
  MachineDriver d = interpreted(interpreter, {});
  ASSERT_EQ(d.send(EventKind::kStart), Fault::kNone);
  ASSERT_EQ(d.send(EventKind::kDone, real(0.0)), Fault::kDivisionByZero);
  std::optional<diag::Span> span =
      lower::fault_span(l->lowering->module, d.site()[0], d.site()[1]);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->begin, l->source.find("10 / r") + 3);  // the `/`
}

TEST(ProcedureTest, ATransitionThatNeverSuspendsIsStopped) {
  lower::Module module;
  module.name = "spin";
  lower::Machine m;
  m.name = "Spin";
  for (const char* fixed : {"$state", "$return", "$hold_return"}) {
    m.slots.push_back({fixed, lower::Type::kInt, "int"});
  }
  lower::Wait start;
  start.label = "not started";
  start.point = lower::kNoBlock;
  for (auto& on : start.on) on = lower::kNoBlock;
  start.on[0] = 0;
  m.waits.push_back(start);
  lower::Block spin;
  spin.end = lower::EndKind::kJump;
  spin.next = 0;
  m.blocks.push_back(spin);
  module.machines.push_back(m);
  ASSERT_EQ(lower::verify(module), "");
  interp::MachineInterpreter interpreter(module);
  std::vector<Scalar> frame = lower::initial_frame(module.machines[0], {});
  lower::Event event{EventKind::kStart, 0, 0, 0};
  lower::Effect effects[1];
  std::uint32_t count = 0, site[2] = {0, 0};
  EXPECT_EQ(interpreter.transition(0, frame.data(), nullptr, event, effects, 1, &count, site),
            Fault::kStepLimit);
  EXPECT_EQ(site[0], UINT32_MAX);
  EXPECT_EQ(site[1], 0u);
}

}  // namespace
}  // namespace gemba
