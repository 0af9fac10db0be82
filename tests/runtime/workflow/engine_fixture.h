// Test support: an Engine on a fresh data directory with the example ReleaseCheck
// procedure (examples/templates/quality_check.gmb at Houston) published, a manual
// clock, and helpers to answer the open task.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/workflow/engine.h"

namespace gemba::testing {

inline workflow::TemplateVersion release_check_version(const std::string& plant = "houston") {
  std::string root = GEMBA_SOURCE_DIR;
  std::string error;
  auto version = workflow::read_template_version(
      {root + "/examples/templates/quality_check.gmb", root + "/examples/equipment/acme.gmb"},
      plant, {root + "/examples/plants"}, {}, &error);
  EXPECT_TRUE(version) << error;
  return version.value_or(workflow::TemplateVersion{});
}

// Records every effect delivered; refuses the first `refuse` deliveries.
class RecordingSink final : public workflow::EffectSink {
 public:
  bool deliver(const workflow::OutboxEffect& effect) override {
    std::lock_guard lock(mu_);
    if (refuse_ > 0) {
      --refuse_;
      ++refused_;
      return false;
    }
    effects_.push_back(effect);
    return true;
  }
  std::vector<workflow::OutboxEffect> effects() {
    std::lock_guard lock(mu_);
    return effects_;
  }
  void refuse_next(int n) {
    std::lock_guard lock(mu_);
    refuse_ = n;
  }
  int refused() {
    std::lock_guard lock(mu_);
    return refused_;
  }

 private:
  std::mutex mu_;
  std::vector<workflow::OutboxEffect> effects_;
  int refuse_ = 0, refused_ = 0;
};

class EngineTest : public ::testing::Test {
 protected:
  static constexpr double kStart = 1795000000;  // 2026-11-18, a fixed clock

  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("gemba-engine-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    version_ = release_check_version();
    open();
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  void open(bool use_jit = true) {
    engine_.reset();
    workflow::EngineOptions options;
    options.data_dir = dir_;
    options.use_jit = use_jit;
    options.clock = &clock_;
    options.start_timers = false;
    store::Status status;
    engine_ = workflow::Engine::open(options, &status);
    ASSERT_TRUE(engine_) << status.message();
    std::string error;
    auto hash = engine_->publish(version_, &error);
    ASSERT_TRUE(hash) << error;
    hash_ = *hash;
  }

  workflow::InstanceId start(const std::string& product = "Ketchup",
                             const std::string& lot = "L-1") {
    workflow::StartRequest r;
    r.version = hash_;
    r.procedure = "ReleaseCheck";
    r.args = {lower::Scalar{.i = engine_->name_handle(product)},
              lower::Scalar{.i = engine_->name_handle(lot)}};
    r.actor = "test";
    workflow::StartOutcome out = engine_->start(r).get();
    EXPECT_EQ(out.outcome.result, workflow::Outcome::Result::kApplied) << out.outcome.message;
    return out.instance;
  }

  // Answers the instance's open task with `value`.
  workflow::Outcome answer(workflow::InstanceId id, lower::Scalar value,
                           std::string actor = "lab jdoe") {
    auto view = engine_->instance(id);
    EXPECT_TRUE(view && view->task);
    workflow::EventRequest r;
    r.instance = id;
    r.kind = lower::EventKind::kDone;
    r.value = value;
    r.expect_transition = view->task->key.transition;
    r.actor = std::move(actor);
    return engine_->submit(r).get();
  }

  workflow::Outcome send(workflow::InstanceId id, lower::EventKind kind, std::string note = "") {
    workflow::EventRequest r;
    r.instance = id;
    r.kind = kind;
    r.actor = "supervisor kim";
    r.note = std::move(note);
    return engine_->submit(r).get();
  }

  std::string task_text(workflow::InstanceId id) {
    auto view = engine_->instance(id);
    if (!view || !view->task) return "";
    return view->task->point->text;
  }

  std::filesystem::path dir_;
  workflow::ManualClock clock_{kStart};
  workflow::TemplateVersion version_;
  std::string hash_;
  std::unique_ptr<workflow::Engine> engine_;
};

}  // namespace gemba::testing
