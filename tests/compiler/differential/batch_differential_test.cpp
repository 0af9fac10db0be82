// The batch entry points (lower::BatchEntryPoint) of the reference interpreter and of
// the JIT agree, and agree with the single-item entry points: on random batches of random
// modules and of the example enterprise, with a fault placed at a random item (after
// items that do not fault), the same fault, item and site, and the same results bit for
// bit before it. Batch sizes cross the JIT's chunk boundaries (kChunk = 1024 items), so
// faults are found by the checked re-run of a later chunk too.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"
#include "tests/compiler/differential/outcome.h"
#include "tests/support/random_module.h"

namespace gemba {
namespace {

using lower::Scalar;
using testing::Outcome;
using testing::outcome_of;
using testing::show;

// Argument records of one function, sorted by whether the interpreter faults on them.
struct Pool {
  std::vector<std::vector<Scalar>> clean;
  std::vector<std::vector<Scalar>> faulting;
};

Pool make_pool(const interp::Interpreter& interpreter, std::size_t f, std::mt19937_64& rng) {
  Pool pool;
  const lower::Function& function = interpreter.module().functions[f];
  for (int k = 0; k < 200; ++k) {
    std::vector<Scalar> args = testing::random_args(function, rng);
    Scalar result{};
    bool faults = interpreter.call(f, args.data(), &result, nullptr) != lower::Fault::kNone;
    (faults ? pool.faulting : pool.clean).push_back(std::move(args));
  }
  return pool;
}

const std::vector<Scalar>& pick(const std::vector<std::vector<Scalar>>& from,
                                std::mt19937_64& rng) {
  return from[rng() % from.size()];
}

// A batch of `count` records: clean ones before item `fault_at`, a faulting one there,
// random ones after it (when the pool has both kinds; else random records throughout).
std::vector<Scalar> make_batch(const Pool& pool, std::size_t count, std::size_t fault_at,
                               std::mt19937_64& rng) {
  bool placed = !pool.clean.empty() && !pool.faulting.empty();
  std::vector<Scalar> records;
  for (std::size_t k = 0; k < count; ++k) {
    const std::vector<Scalar>* item = nullptr;
    if (placed && k < fault_at) {
      item = &pick(pool.clean, rng);
    } else if (placed && k == fault_at) {
      item = &pick(pool.faulting, rng);
    } else {
      bool clean = pool.faulting.empty() || (!pool.clean.empty() && rng() % 2 == 0);
      item = &pick(clean ? pool.clean : pool.faulting, rng);
    }
    records.insert(records.end(), item->begin(), item->end());
  }
  return records;
}

// One batch run: its outcome (at the fault item, or of the batch), the fault item, and
// every result before the fault (or all of them).
struct BatchRun {
  Outcome outcome;
  std::uint64_t item = 0;
  std::vector<std::uint64_t> bits;
  bool operator==(const BatchRun&) const = default;
};

std::string show(const BatchRun& run) {
  std::string text = show(run.outcome) + ", " + std::to_string(run.bits.size()) + " results";
  return run.outcome.fault == 0 ? text : text + ", item " + std::to_string(run.item);
}

template <typename Batch>
BatchRun run_batch(Batch batch, const std::vector<Scalar>& records, std::size_t count,
                   lower::Type type) {
  std::vector<Scalar> results(count);
  BatchRun run;
  std::uint32_t site = 0;
  std::int32_t fault = batch(records.data(), results.data(), count, &run.item, &site);
  run.outcome = outcome_of(fault, Scalar{}, site, type);
  std::size_t valid = fault == 0 ? count : run.item;
  if (fault == 0) run.item = 0;
  for (std::size_t k = 0; k < valid && k < count; ++k) {
    run.bits.push_back(testing::bits_of(results[k], type));
  }
  return run;
}

// Counts what the comparisons covered.
struct Coverage {
  std::size_t batches = 0;
  std::size_t faulted = 0;
  std::size_t faulted_in_a_later_chunk = 0;
  std::size_t items = 0;
};

class BatchComparison {
 public:
  BatchComparison(const lower::Module& module, jit::Jit& jit, jit::ModuleHandle handle)
      : module_(module), jit_(jit), handle_(handle), interpreter_(module) {}

  // Compares `batches` random batches of every function; false at the first difference.
  bool run(int batches, std::mt19937_64& rng, Coverage* coverage) {
    for (std::size_t f = 0; f < module_.functions.size(); ++f) {
      if (!module_.functions[f].entry) continue;  // a procedure's: machine_differential_test
      Pool pool = make_pool(interpreter_, f, rng);
      for (int b = 0; b < batches; ++b) {
        std::size_t count = batch_size(rng);
        std::size_t fault_at = count == 0 ? 0 : rng() % count;
        if (!compare(f, make_batch(pool, count, fault_at, rng), count, coverage)) return false;
      }
    }
    return true;
  }

 private:
  static std::size_t batch_size(std::mt19937_64& rng) {
    static constexpr std::size_t kSizes[] = {0, 1, 2, 7, 64, 1023, 1024, 1025, 2100, 3333};
    return kSizes[rng() % std::size(kSizes)];
  }

  bool compare(std::size_t f, const std::vector<Scalar>& records, std::size_t count,
               Coverage* coverage) {
    const lower::Function& function = module_.functions[f];
    lower::BatchEntryPoint jit_batch = jit_.lookup_batch(handle_, function.name);
    if (jit_batch == nullptr) {
      ADD_FAILURE() << "no batch entry point for " << function.name;
      return false;
    }
    auto interp_batch = [&](const Scalar* args, Scalar* results, std::uint64_t n,
                            std::uint64_t* item, std::uint32_t* site) {
      return static_cast<std::int32_t>(interpreter_.call_batch(f, args, results, n, item, site));
    };
    BatchRun expected = run_batch(interp_batch, records, count, function.result);
    BatchRun actual = run_batch(jit_batch, records, count, function.result);
    ++coverage->batches;
    coverage->items += count;
    if (expected.outcome.fault != 0) {
      ++coverage->faulted;
      if (expected.item >= 1024) ++coverage->faulted_in_a_later_chunk;
    }
    if (expected != actual) {
      ADD_FAILURE() << function.name << ", batch of " << count << ": interpreter " << show(expected)
                    << ", JIT " << show(actual) << "\n"
                    << lower::listing(module_);
      return false;
    }
    return agrees_with_single_calls(f, records, expected);
  }

  // The JIT's single entry point gives each result before the fault, and the fault.
  bool agrees_with_single_calls(std::size_t f, const std::vector<Scalar>& records,
                                const BatchRun& batch) {
    const lower::Function& function = module_.functions[f];
    lower::EntryPoint single = jit_.lookup(handle_, function.name);
    const std::size_t record = function.params.size();
    auto call = [&](std::size_t k) {
      Scalar result{};
      std::uint32_t site = 0;
      std::int32_t fault = single(records.data() + k * record, &result, &site);
      return outcome_of(fault, result, site, function.result);
    };
    for (std::size_t k = 0; k < batch.bits.size(); ++k) {
      Outcome expected{0, batch.bits[k]};
      if (call(k) != expected) {
        ADD_FAILURE() << function.name << ", item " << k << ": single " << show(call(k))
                      << ", batch " << show(expected);
        return false;
      }
    }
    if (batch.outcome.fault != 0 && call(batch.item) != batch.outcome) {
      ADD_FAILURE() << function.name << ", fault item " << batch.item << ": single "
                    << show(call(batch.item)) << ", batch " << show(batch.outcome);
      return false;
    }
    return true;
  }

  const lower::Module& module_;
  jit::Jit& jit_;
  jit::ModuleHandle handle_;
  interp::Interpreter interpreter_;
};

// Adds `module` to `jit`, compares `batches` batches per function, removes it.
void compare_module(const lower::Module& module, jit::Jit& jit, int batches, std::mt19937_64& rng,
                    Coverage* coverage) {
  std::string error;
  std::optional<jit::ModuleHandle> handle = jit.add(module, &error);
  ASSERT_TRUE(handle.has_value()) << module.name << ": " << error;
  BatchComparison(module, jit, *handle).run(batches, rng, coverage);
  EXPECT_TRUE(jit.remove(*handle, &error)) << error;
}

TEST(BatchDifferentialTest, InterpreterAndJitBatchesAgreeOnRandomModules) {
  std::string error;
  auto jit = jit::Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  std::mt19937_64 rng(95);
  Coverage coverage;
  for (std::uint64_t seed = 1000; seed < 1100 && !HasFailure(); ++seed) {
    lower::Module module = testing::random_module(seed);
    module.name = "random" + std::to_string(seed);
    compare_module(module, *jit, 4, rng, &coverage);
  }
  EXPECT_EQ(coverage.batches, 1600u);
  EXPECT_GT(coverage.faulted, coverage.batches / 3);
  EXPECT_GT(coverage.faulted_in_a_later_chunk, 40u);
  EXPECT_GT(coverage.items, 1'000'000u);
}

TEST(BatchDifferentialTest, InterpreterAndJitBatchesAgreeOnTheExampleEnterprise) {
  driver::CheckOptions options;
  options.plant_paths = {std::string(GEMBA_SOURCE_DIR) + "/examples/plants"};
  options.lower = true;
  driver::CheckRun run =
      driver::check_paths({std::string(GEMBA_SOURCE_DIR) + "/examples"}, options);
  ASSERT_FALSE(run.lowered.empty());
  std::string error;
  auto jit = jit::Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  std::mt19937_64 rng(22400);
  Coverage coverage;
  for (const lower::Lowering& lowering : run.lowered) {
    compare_module(lowering.module, *jit, 3, rng, &coverage);
    if (HasFailure()) break;
  }
  EXPECT_GT(coverage.batches, 0u);
}

}  // namespace
}  // namespace gemba
