// The generated transitions and the reference interpreter agree: on every procedure of
// the example enterprise, driven by random event sequences (answers of the awaited type,
// random signals and times, unexpected events), the same fault at the same site, or the
// same frame and the same effects, bit for bit.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "compiler/interp/machine_interpreter.h"
#include "compiler/jit/jit.h"

namespace gemba {
namespace {

using lower::EventKind;
using lower::Scalar;

std::uint64_t bits(Scalar s) { return std::bit_cast<std::uint64_t>(s); }

Scalar random_of(lower::Type type, std::mt19937_64& rng) {
  Scalar s{.i = 0};
  switch (type) {
    case lower::Type::kBool:
      s.b = rng() % 2 == 0;
      return s;
    case lower::Type::kInt: {
      static const std::int64_t kInts[] = {0, 1, 2, 3, 7, -1, INT64_MAX, INT64_MIN};
      s.i = kInts[rng() % std::size(kInts)];
      return s;
    }
    case lower::Type::kReal: {
      static const double kReals[] = {0.0, 1.0, -1.0, 300.0, 352.0, 1250.0, 1e308,
                                      std::numeric_limits<double>::quiet_NaN(),
                                      std::numeric_limits<double>::infinity()};
      s.r = rng() % 3 == 0 ? std::uniform_real_distribution<double>(-500, 2000)(rng)
                           : kReals[rng() % std::size(kReals)];
      return s;
    }
  }
  return s;
}

// The value an event carries: the answer's type where the wait stores it, else a small
// int (a limit's index, or ignored).
Scalar event_value(const lower::Machine& m, const std::vector<Scalar>& frame, EventKind kind,
                   std::mt19937_64& rng) {
  std::int64_t state = frame[lower::kStateSlot].i;
  if (state >= 0 && static_cast<std::size_t>(state) < m.waits.size()) {
    std::uint32_t block = m.waits[state].on[static_cast<int>(kind)];
    if (block != lower::kNoBlock) {
      for (const lower::Action& a : m.blocks[block].actions) {
        if (a.kind == lower::ActionKind::kSetEvent) return random_of(m.slots[a.slot].type, rng);
      }
    }
  }
  return Scalar{.i = static_cast<std::int64_t>(rng() % 4) - 1};
}

struct Counts {
  std::size_t transitions = 0, faults = 0, effects = 0, finished = 0;
};

// Runs `sequences` random event sequences through both executors; fails at the first
// difference.
void compare(const lower::Module& module, std::size_t machine, lower::TransitionEntry jitted,
             const interp::MachineInterpreter& interpreter, std::mt19937_64& rng, int sequences,
             Counts& counts) {
  const lower::Machine& m = module.machines[machine];
  constexpr std::uint32_t kCapacity = 16;
  for (int sequence = 0; sequence < sequences; ++sequence) {
    std::vector<Scalar> args;
    for (std::uint32_t slot : m.params) args.push_back(random_of(m.slots[slot].type, rng));
    std::vector<Scalar> a = lower::initial_frame(m, args);
    std::vector<Scalar> b = a;
    std::vector<Scalar> signals(m.signals.size() + 1);
    for (int step = 0; step < 40; ++step) {
      EventKind kind = step == 0 ? EventKind::kStart
                                 : static_cast<EventKind>(rng() % 10 < 6 ? 1 : rng() % 8);
      for (std::size_t k = 0; k < m.signals.size(); ++k) {
        if (rng() % 4 == 0) signals[k] = random_of(m.signals[k].type, rng);
      }
      lower::Event event{kind, 0, bits(event_value(m, a, kind, rng)), 1.7e9 + step * 60.0};
      lower::Effect ea[kCapacity], eb[kCapacity];
      std::uint32_t na = 0, nb = 0, sa[2] = {1, 1}, sb[2] = {2, 2};
      std::vector<Scalar> before = a;
      auto fa = interpreter.transition(machine, a.data(), signals.data(), event, ea, kCapacity,
                                       &na, sa);
      auto fb = static_cast<lower::Fault>(
          jitted(b.data(), signals.data(), &event, eb, kCapacity, &nb, sb));
      std::string where = m.name + " sequence " + std::to_string(sequence) + " step " +
                          std::to_string(step) + " event " + lower::spelling(kind);
      ASSERT_EQ(fa, fb) << where;
      ++counts.transitions;
      if (fa != lower::Fault::kNone) {
        ASSERT_EQ(sa[0], sb[0]) << where;
        ASSERT_EQ(sa[1], sb[1]) << where;
        ++counts.faults;
        a = b = before;  // a faulted transition is discarded
        continue;
      }
      for (std::size_t k = 0; k < a.size(); ++k) {
        ASSERT_EQ(bits(a[k]), bits(b[k])) << where << " slot " << m.slots[k].name;
      }
      ASSERT_EQ(na, nb) << where;
      for (std::uint32_t k = 0; k < na; ++k) {
        ASSERT_EQ(std::memcmp(&ea[k], &eb[k], sizeof ea[k]), 0) << where << " effect " << k;
      }
      counts.effects += na;
      if (m.waits[a[lower::kStateSlot].i].final) {
        ++counts.finished;
        break;
      }
    }
  }
}

TEST(MachineDifferentialTest, InterpreterAndJitAgreeOnEveryExampleProcedure) {
  driver::CheckOptions options;
  options.plant_paths = {std::string(GEMBA_SOURCE_DIR) + "/examples/plants"};
  options.lower = true;
  driver::CheckRun run =
      driver::check_paths({std::string(GEMBA_SOURCE_DIR) + "/examples"}, options);
  std::string error;
  auto jit = jit::Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  std::mt19937_64 rng(11);
  Counts counts;
  std::size_t machines = 0;
  for (const lower::Lowering& lowering : run.lowered) {
    if (lowering.module.machines.empty()) continue;
    auto handle = jit->add(lowering.module, &error);
    ASSERT_TRUE(handle.has_value()) << error;
    interp::MachineInterpreter interpreter(lowering.module);
    for (std::size_t k = 0; k < lowering.module.machines.size(); ++k) {
      lower::TransitionEntry jitted =
          jit->lookup_transition(*handle, lowering.module.machines[k].name);
      ASSERT_NE(jitted, nullptr) << lowering.module.machines[k].name;
      compare(lowering.module, k, jitted, interpreter, rng, 60, counts);
      ++machines;
    }
  }
  EXPECT_GE(machines, 10u);
  // The sequences reach every outcome: effects, faults (refused events, NaN answers) and
  // finished procedures.
  std::string seen = std::to_string(counts.transitions) + " transitions, " +
                     std::to_string(counts.faults) + " faults, " + std::to_string(counts.effects) +
                     " effects, " + std::to_string(counts.finished) + " finished";
  EXPECT_GT(counts.transitions, 10000u) << seen;
  EXPECT_GT(counts.faults, counts.transitions / 20) << seen;
  EXPECT_GT(counts.effects, counts.transitions / 4) << seen;
  EXPECT_GT(counts.finished, 10u) << seen;
}

}  // namespace
}  // namespace gemba
