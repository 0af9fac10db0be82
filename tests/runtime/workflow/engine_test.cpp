#include "runtime/workflow/engine.h"

#include <gtest/gtest.h>

#include <thread>

#include "runtime/workflow/records.h"
#include "tests/runtime/workflow/engine_fixture.h"

namespace gemba::testing {
namespace {

using lower::EventKind;
using workflow::Outcome;
using workflow::Phase;

lower::Scalar yes() { return {.i = 1}; }
lower::Scalar real(double r) { return {.r = r}; }

// Answers every ask of a conforming lot, up to the QA signature.
void pass_every_check(EngineTest& t, workflow::InstanceId id,
                      const std::function<Outcome(lower::Scalar)>& answer) {
  for (int k = 0; k < 8; ++k) ASSERT_EQ(answer(yes()).result, Outcome::Result::kApplied);
  for (int k = 0; k < 8; ++k) {
    ASSERT_EQ(answer(real(3.9)).result, Outcome::Result::kApplied);   // pH
    ASSERT_EQ(answer(real(30)).result, Outcome::Result::kApplied);    // Brix
    ASSERT_EQ(answer(real(0.02)).result, Outcome::Result::kApplied);  // salt, 2 percent
  }
  ASSERT_EQ(answer(lower::Scalar{.i = 0}).result, Outcome::Result::kApplied);  // Conforming
  (void)t;
  (void)id;
}

TEST_F(EngineTest, RunsAProcedureToCompletionWithJournalAuditAndEffects) {
  RecordingSink sink;
  engine_->set_sink(&sink);
  workflow::InstanceId id = start();
  EXPECT_EQ(task_text(id), "Retain sample {0} of {1} of {2} labelled?");
  pass_every_check(*this, id, [&](lower::Scalar v) { return answer(id, v); });
  EXPECT_EQ(task_text(id), "{0} released");  // the QA signature
  ASSERT_EQ(answer(id, yes(), "qa maria").result, Outcome::Result::kApplied);

  auto view = engine_->instance(id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->phase, Phase::kComplete);
  EXPECT_FALSE(view->task);
  EXPECT_EQ(view->transitions, 1u + 8 + 24 + 1 + 1);
  EXPECT_EQ(engine_->journal(id).size(), view->transitions);

  engine_->drain();
  std::vector<workflow::OutboxEffect> effects = sink.effects();
  ASSERT_FALSE(effects.empty());
  EXPECT_EQ(effects.back().point->kind, lower::PointKind::kComplete);
  for (std::size_t k = 1; k < effects.size(); ++k) {
    EXPECT_LT(effects[k - 1].sequence, effects[k].sequence);
  }
  EXPECT_EQ(engine_->outbox_size(), 0u);

  std::vector<workflow::AuditEntry> audit = engine_->audit();
  auto has = [&](const std::string& action, const std::string& detail) {
    for (const auto& e : audit) {
      if (e.action == action && e.detail.find(detail) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("start", "ReleaseCheck"));
  EXPECT_TRUE(has("state", "idle -> running"));
  EXPECT_TRUE(has("answer", "pH of sample 3 = 3.9"));  // rendered, shown as the script says
  EXPECT_TRUE(has("answer", "Appearance of Ketchup = Conforming"));
  EXPECT_TRUE(has("signature", "meaning: L-1 released; signed by qa maria"));
  EXPECT_TRUE(has("state", "running -> complete"));
  EXPECT_EQ(send(id, EventKind::kHold).result, Outcome::Result::kRefused);
}

TEST_F(EngineTest, ResumesAfterReopenWithTheSameFrameTaskAndReplay) {
  workflow::InstanceId id = start();
  for (int k = 0; k < 5; ++k) ASSERT_EQ(answer(id, yes()).result, Outcome::Result::kApplied);
  auto before = engine_->instance(id);
  open();
  auto after = engine_->instance(id);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(after->transitions, before->transitions);
  ASSERT_EQ(after->frame.size(), before->frame.size());
  for (std::size_t k = 0; k < after->frame.size(); ++k) {
    EXPECT_EQ(after->frame[k].i, before->frame[k].i) << "slot " << k;
  }
  ASSERT_TRUE(after->task);
  EXPECT_EQ(after->task->key.transition, before->task->key.transition);
  std::string error;
  auto replayed = engine_->replay(id, &error);
  ASSERT_TRUE(replayed) << error;
  for (std::size_t k = 0; k < replayed->size(); ++k) EXPECT_EQ((*replayed)[k].i, after->frame[k].i);
  // And it goes on from there.
  EXPECT_EQ(answer(id, yes()).result, Outcome::Result::kApplied);
}

TEST_F(EngineTest, InterpreterAndJitStoreTheSameFrames) {
  workflow::InstanceId jit_id = start();
  for (int k = 0; k < 8; ++k) answer(jit_id, yes());
  answer(jit_id, real(4.1));
  open(/*use_jit=*/false);
  workflow::InstanceId interp_id = start();
  for (int k = 0; k < 8; ++k) answer(interp_id, yes());
  answer(interp_id, real(4.1));
  auto a = engine_->instance(jit_id), b = engine_->instance(interp_id);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->wait, b->wait);
  for (std::size_t k = 0; k < a->frame.size(); ++k) {
    EXPECT_EQ(a->frame[k].i, b->frame[k].i) << "slot " << k;
  }
}

TEST_F(EngineTest, RefusesStaleBadAndOutOfRangeAnswersWithoutJournalling) {
  workflow::InstanceId id = start();
  auto view = engine_->instance(id);
  std::uint64_t first_task = view->task->key.transition;
  ASSERT_EQ(answer(id, yes()).result, Outcome::Result::kApplied);

  workflow::EventRequest stale;
  stale.instance = id;
  stale.kind = EventKind::kDone;
  stale.value = yes();
  stale.expect_transition = first_task;  // answered already
  stale.actor = "lab jdoe";
  EXPECT_EQ(engine_->submit(stale).get().result, Outcome::Result::kStale);

  Outcome bad_bool = answer(id, lower::Scalar{.i = 7});
  EXPECT_EQ(bad_bool.result, Outcome::Result::kRefused);
  EXPECT_NE(bad_bool.message.find("0 or 1"), std::string::npos) << bad_bool.message;

  for (int k = 0; k < 7; ++k) answer(id, yes());
  Outcome high_ph = answer(id, real(9.5));  // pH is asked in 2.0 .. 8.0
  EXPECT_EQ(high_ph.result, Outcome::Result::kRefused);
  EXPECT_NE(high_ph.message.find("range"), std::string::npos) << high_ph.message;
  EXPECT_EQ(answer(id, real(8.0)).result, Outcome::Result::kApplied);  // the edge is inside

  EXPECT_EQ(engine_->journal(id).size(), 1u + 8 + 1);
  std::size_t refused = 0;
  for (const auto& e : engine_->audit()) refused += e.action == "refused";
  EXPECT_EQ(refused, 3u);
  EXPECT_EQ(send(99, EventKind::kHold).result, Outcome::Result::kRefused);
}

TEST_F(EngineTest, HoldRestartAndAbortFollowIsa88States) {
  workflow::InstanceId id = start();
  answer(id, yes());
  std::uint64_t open_task = engine_->instance(id)->task->key.transition;
  ASSERT_EQ(send(id, EventKind::kHold, "line stop").result, Outcome::Result::kApplied);
  EXPECT_EQ(engine_->instance(id)->phase, Phase::kHeld);
  EXPECT_FALSE(engine_->instance(id)->task);
  workflow::EventRequest while_held;
  while_held.instance = id;
  while_held.kind = EventKind::kDone;
  while_held.value = yes();
  while_held.actor = "lab jdoe";
  Outcome refused = engine_->submit(while_held).get();
  EXPECT_EQ(refused.result, Outcome::Result::kRefused);
  EXPECT_NE(refused.message.find("held"), std::string::npos) << refused.message;
  ASSERT_EQ(send(id, EventKind::kRestart).result, Outcome::Result::kApplied);
  auto view = engine_->instance(id);
  EXPECT_EQ(view->phase, Phase::kRunning);
  ASSERT_TRUE(view->task);
  EXPECT_GT(view->task->key.transition, open_task);  // the interrupted ask, asked again
  ASSERT_EQ(send(id, EventKind::kAbort, "lot recalled").result, Outcome::Result::kApplied);
  EXPECT_EQ(engine_->instance(id)->phase, Phase::kAborted);

  std::vector<std::string> states;
  for (const auto& e : engine_->audit()) {
    if (e.action == "state") states.push_back(e.detail);
  }
  EXPECT_EQ(states, (std::vector<std::string>{"idle -> running", "running -> holding -> held",
                                              "held -> restarting -> running",
                                              "running -> aborting -> aborted"}));
}

TEST_F(EngineTest, TimersFireOnTimeAndAfterDowntime) {
  RecordingSink sink;
  engine_->set_sink(&sink);
  workflow::InstanceId id = start();
  auto view = engine_->instance(id);
  ASSERT_TRUE(view->timer_due);
  EXPECT_DOUBLE_EQ(*view->timer_due, kStart + 30 * 60);  // within 30 min
  EXPECT_EQ(workflow::deadline(*view->task->point, view->task->time, view->task->values),
            view->timer_due);
  EXPECT_EQ(engine_->fire_due_timers(), 0u);
  clock_.advance(30 * 60 + 1);
  EXPECT_EQ(engine_->fire_due_timers(), 1u);
  engine_->drain();
  bool escalated = false;
  for (const auto& e : sink.effects()) {
    escalated |= e.point->kind == lower::PointKind::kEscalate &&
                 e.point->text.find("retain samples") != std::string::npos;
  }
  EXPECT_TRUE(escalated);
  // The ask is open again with a new timer, 30 min from the timeout: the one that fired
  // is gone, and does not fire again after a restart.
  view = engine_->instance(id);
  ASSERT_TRUE(view->timer_due);
  double due = *view->timer_due;
  EXPECT_DOUBLE_EQ(due, kStart + 30 * 60 + 1 + 30 * 60);
  open();
  EXPECT_EQ(engine_->fire_due_timers(), 0u);
  // The process stops; the timer falls due while nothing runs; it fires at the next start.
  engine_.reset();
  clock_.set(due + 3600);
  open();
  EXPECT_EQ(engine_->fire_due_timers(), 1u);
  engine_->drain();
  EXPECT_GT(engine_->instance(id)->transitions, view->transitions);
}

TEST_F(EngineTest, AnAnsweredTaskCancelsItsTimer) {
  workflow::InstanceId id = start();
  answer(id, yes());
  clock_.advance(31 * 60);
  // The second ask's timer is due, the first one's is gone: one fires, not two.
  EXPECT_EQ(engine_->fire_due_timers(), 1u);
  engine_->drain();
}

TEST_F(EngineTest, EffectsAreRedeliveredUntilAcceptedAndAfterARestart) {
  RecordingSink sink;
  sink.refuse_next(2);
  engine_->set_sink(&sink);
  workflow::InstanceId id = start();
  engine_->drain();
  // Refused twice, then delivered in order, once each.
  auto effects = sink.effects();
  EXPECT_EQ(sink.refused(), 2);
  ASSERT_GE(effects.size(), 2u);
  EXPECT_EQ(effects[0].key, (workflow::EffectKey{id, 1, 0}));
  EXPECT_EQ(effects[0].point->kind, lower::PointKind::kStep);
  EXPECT_EQ(engine_->outbox_size(), 0u);

  // Without a sink, effects wait in the outbox across a restart.
  engine_->set_sink(nullptr);
  answer(id, yes());
  std::size_t waiting = engine_->outbox_size();
  EXPECT_GT(waiting, 0u);
  open();
  RecordingSink later;
  engine_->set_sink(&later);
  engine_->drain();
  EXPECT_EQ(later.effects().size(), waiting);
  EXPECT_EQ(later.effects().front().key.transition, 2u);
}

TEST_F(EngineTest, GroupCommitSharesTransactionsAcrossSubmitters) {
  constexpr int kInstances = 40;
  std::vector<workflow::InstanceId> ids;
  for (int k = 0; k < kInstances; ++k) ids.push_back(start("Ketchup", "L-" + std::to_string(k)));
  auto before = engine_->stats();
  std::vector<std::thread> threads;
  std::atomic<int> applied{0};
  for (int k = 0; k < kInstances; ++k) {
    threads.emplace_back([&, id = ids[k]] {
      for (int n = 0; n < 8; ++n) applied += answer(id, yes()).result == Outcome::Result::kApplied;
    });
  }
  for (auto& th : threads) th.join();
  auto after = engine_->stats();
  EXPECT_EQ(applied, kInstances * 8);
  EXPECT_EQ(after.events - before.events, static_cast<std::uint64_t>(kInstances * 8));
  EXPECT_LT(after.transactions - before.transactions, after.events - before.events);
}

TEST_F(EngineTest, InstancesStayOnTheirVersionWhenTheTemplateChanges) {
  workflow::InstanceId old_instance = start();
  workflow::TemplateVersion edited = version_;
  for (auto& source : edited.sources) {
    if (source.path.find("quality_check") != std::string::npos) {
      auto at = source.text.find("pH of sample {i}");
      ASSERT_NE(at, std::string::npos);
      source.text.replace(at, 16, "pH (calibrated meter) of sample {i}");
    }
  }
  std::string error;
  auto edited_hash = engine_->publish(edited, &error);
  ASSERT_TRUE(edited_hash) << error;
  EXPECT_NE(*edited_hash, hash_);
  workflow::StartRequest r{
      *edited_hash, "ReleaseCheck", {lower::Scalar{.i = 1}, lower::Scalar{.i = 2}}, "test", ""};
  workflow::InstanceId new_instance = engine_->start(r).get().instance;
  for (auto id : {old_instance, new_instance}) {
    for (int k = 0; k < 8; ++k) answer(id, yes());
  }
  EXPECT_EQ(task_text(old_instance), "pH of sample {0}");
  EXPECT_EQ(task_text(new_instance), "pH (calibrated meter) of sample {0}");
  // After a restart both versions are loaded from the store, not from files.
  open();
  EXPECT_EQ(engine_->instance(old_instance)->version, hash_);
  EXPECT_EQ(task_text(old_instance), "pH of sample {0}");
  EXPECT_EQ(task_text(new_instance), "pH (calibrated meter) of sample {0}");
}

TEST_F(EngineTest, AVersionThatNoLongerCompilesToTheSameFrameStopsTheStart) {
  workflow::InstanceId id = start();
  engine_.reset();
  {
    store::StoreOptions so;
    so.application = "gemba-runtime";
    so.tables = {"versions", "instances", "journal", "outbox",
                 "timers",   "audit",     "names",   "sequences"};
    store::Status status;
    auto db = store::Store::open(dir_, so, &status);
    ASSERT_TRUE(db) << status.message();
    status = db->write([&](store::WriteTxn& txn) {
      auto row = workflow::decode_version(*txn.get(db->table("versions"), hash_));
      EXPECT_TRUE(row);
      for (auto& [name, fingerprint] : row->machines) fingerprint = "0000";
      row->compiler_version = "0.0.1";
      return txn.put(db->table("versions"), hash_, workflow::encode(*row));
    });
    ASSERT_TRUE(status.is_ok()) << status.message();
  }
  workflow::EngineOptions options;
  options.data_dir = dir_;
  options.clock = &clock_;
  store::Status status;
  EXPECT_FALSE(workflow::Engine::open(options, &status));
  EXPECT_EQ(status.code(), store::Status::Code::kCorruption);
  EXPECT_NE(status.message().find("version " + hash_.substr(0, 12)), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("another frame layout"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("live instance " + std::to_string(id)), std::string::npos)
      << status.message();
}

TEST_F(EngineTest, CorrectionsAreAppendedAndNeverHideTheOriginal) {
  workflow::InstanceId id = start();
  for (int k = 0; k < 8; ++k) answer(id, yes());
  workflow::EventRequest r;
  r.instance = id;
  r.kind = EventKind::kDone;
  r.value = real(4.4);
  r.expect_transition = engine_->instance(id)->task->key.transition;
  r.actor = "lab jdoe";
  r.note = "4.4";
  Outcome ph = engine_->submit(r).get();
  ASSERT_EQ(ph.result, Outcome::Result::kApplied);
  Outcome fix = engine_->correct(id, ph.transition, "lab jdoe", "pH was 4.1, meter misread").get();
  ASSERT_EQ(fix.result, Outcome::Result::kApplied);
  std::vector<workflow::AuditEntry> audit = engine_->audit();
  auto original = std::find_if(audit.begin(), audit.end(), [&](const auto& e) {
    return e.action == "answer" && e.transition == ph.transition;
  });
  ASSERT_NE(original, audit.end());
  EXPECT_NE(original->detail.find("= 4.4"), std::string::npos) << original->detail;
  EXPECT_EQ(audit.back().action, "correction");
  EXPECT_EQ(audit.back().transition, ph.transition);
  EXPECT_LT(original->sequence, audit.back().sequence);
  EXPECT_EQ(engine_->correct(id, 999, "x", "y").get().result, Outcome::Result::kRefused);
}

TEST_F(EngineTest, NamesAreDurableHandles) {
  std::int64_t a = engine_->name_handle("L-2026-0042");
  EXPECT_EQ(engine_->name_handle("L-2026-0042"), a);
  std::int64_t b = engine_->name_handle("Ketchup");
  EXPECT_NE(a, b);
  open();
  EXPECT_EQ(engine_->name_text(a), "L-2026-0042");
  EXPECT_EQ(engine_->name_handle("Ketchup"), b);
  EXPECT_FALSE(engine_->name_text(12345));
}

}  // namespace
}  // namespace gemba::testing
