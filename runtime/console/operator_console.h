// The operator console of `gemba run`: shows what a running procedure asks, reads the
// answers (from an answers file, then from the terminal), checks each against the
// declared type and range and asks again when it is wrong, and submits it to the
// engine. Equipment commands are completed by a simulated controller (there is no PLC
// on a laptop); every other effect is printed.
//
// Inputs are exactly-once across crashes: the number of answers-file lines consumed is
// stored with the instance in the same transaction as the event a line caused, so a
// restarted run skips exactly the lines whose events are committed.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/console/value_text.h"
#include "runtime/workflow/engine.h"

namespace gemba::console {

// The engine's durable names, as value_text's Names.
class EngineNames final : public Names {
 public:
  explicit EngineNames(workflow::Engine& engine) : engine_(engine) {}
  std::int64_t handle(std::string_view text) override { return engine_.name_handle(text); }
  std::optional<std::string> text(std::int64_t handle) const override {
    return engine_.name_text(handle);
  }

 private:
  workflow::Engine& engine_;
};

// Where answers come from: the lines of an answers file from a position on, then an
// interactive stream (null: none).
class OperatorInput {
 public:
  struct Line {
    std::string text;
    std::optional<std::uint64_t> cursor;  // answers-file lines consumed with this one
    bool scripted = false;
  };
  OperatorInput(std::vector<std::string> script, std::uint64_t consumed, std::istream* live);
  // The next line that is not blank or a `#` comment; nullopt at the end of all input.
  std::optional<Line> next();

 private:
  std::vector<std::string> script_;
  std::uint64_t at_;
  std::istream* live_;
};

// Prints effects as they leave the outbox; completes commands for the simulated
// equipment. Thread-safe (the engine's dispatcher calls it).
class ConsoleSink final : public workflow::EffectSink {
 public:
  ConsoleSink(workflow::Engine& engine, std::ostream& out, std::mutex& out_mutex)
      : engine_(engine), names_(engine), out_(out), out_mutex_(out_mutex) {}
  bool deliver(const workflow::OutboxEffect& effect) override;

 private:
  workflow::Engine& engine_;
  EngineNames names_;
  std::ostream& out_;
  std::mutex& out_mutex_;
};

enum class ConsoleEnd { kComplete, kAborted, kOutOfInput, kQuit };

// Drives instance `id` until it finishes, the input ends, or the operator types `quit`.
ConsoleEnd run_console(workflow::Engine& engine, workflow::InstanceId id, OperatorInput& input,
                       std::ostream& out, std::mutex& out_mutex);

}  // namespace gemba::console
