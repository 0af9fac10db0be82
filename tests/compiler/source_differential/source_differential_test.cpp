// The whole pipeline on random well-typed programs with units (tests/support/
// random_source.h): each program and its plant models check without an error, every
// function lowers, and the reference interpreter and the JIT agree on every call (the same
// fault at the same node, or the same result bit for bit), with arguments in base units
// that include 0, negative, huge, NaN and infinite values. Oracle functions, whose value
// follows from conversion factors this file states itself (NIST), check that sema,
// specialization and lowering convert literals and plant parameters correctly.
#include <gtest/gtest.h>

#include <array>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"
#include "tests/compiler/differential/outcome.h"
#include "tests/support/random_module.h"
#include "tests/support/random_source.h"

namespace gemba {
namespace {

using lower::Scalar;
using testing::Outcome;
using testing::outcome_of;
using testing::RandomProgram;
using testing::show;

// ---- The pipeline --------------------------------------------------------------------

std::string program_text(const RandomProgram& program) {
  std::string text;
  for (const auto& [path, source] : program.files()) text += "==> " + path + "\n" + source;
  return text;
}

// Checks, specializes for every plant and lowers; fails the test (printing the program
// and its diagnostics) unless there is no error and every function was lowered.
std::optional<driver::CheckRun> compile(const RandomProgram& program, std::uint64_t seed) {
  driver::CheckOptions options;
  options.plant_paths = {"plants"};
  options.lower = true;
  driver::CheckRun run = driver::check_sources(program.files(), options);
  if (run.errors() != 0) {
    ADD_FAILURE() << "seed " << seed << ": the generated program does not check\n"
                  << diag::render_text(run.diagnostics, run.sources) << program_text(program);
    return std::nullopt;
  }
  if (run.lowered.size() != program.plants.size()) {
    ADD_FAILURE() << "seed " << seed << ": " << run.lowered.size() << " lowered modules for "
                  << program.plants.size() << " plants\n"
                  << program_text(program);
    return std::nullopt;
  }
  for (const lower::Lowering& lowering : run.lowered) {
    std::string problem = lower::verify(lowering.module);
    if (!lowering.skipped.empty()) problem += "not lowered: " + lowering.skipped.front();
    if (!problem.empty()) {
      ADD_FAILURE() << "seed " << seed << ", " << lowering.module.name << ": " << problem << "\n"
                    << program_text(program);
      return std::nullopt;
    }
  }
  return run;
}

const testing::RandomPlant* plant_of(const RandomProgram& program, const lower::Module& module) {
  for (const testing::RandomPlant& plant : program.plants) {
    if (module.name.size() > plant.name.size() &&
        module.name.compare(module.name.size() - plant.name.size() - 1, std::string::npos,
                            "@" + plant.name) == 0) {
      return &plant;
    }
  }
  return nullptr;
}

// ---- Arguments -----------------------------------------------------------------------

// A real in base units: mostly of a physical size (kg, K, s, m^3), often an edge (0, -0,
// +-1, the largest and smallest doubles), sometimes any bit pattern, NaN or an infinity.
double random_real(std::mt19937_64& rng) {
  static constexpr double kEdges[] = {0.0,    -0.0,    1.0,      -1.0,    273.15,   1e300,
                                      -1e300, DBL_MAX, -DBL_MAX, DBL_MIN, 4.9e-324, 1e-300,
                                      0x1p53, 1e16,    -459.67,  3600.0};
  static constexpr double kNonFinite[] = {std::numeric_limits<double>::quiet_NaN(),
                                          std::numeric_limits<double>::infinity(),
                                          -std::numeric_limits<double>::infinity()};
  std::uint64_t choice = rng() % 100;
  if (choice < 4) return kNonFinite[rng() % 3];
  if (choice < 20) return kEdges[rng() % std::size(kEdges)];
  if (choice < 28) return testing::random_detail::random_finite_bits(rng);
  // Three significant digits, from 1e-3 to 1e6, either sign.
  double mantissa = static_cast<double>(rng() % 1000) / 100.0;
  double value = mantissa * std::pow(10.0, static_cast<double>(rng() % 10) - 3.0);
  return rng() % 3 == 0 ? -value : value;
}

std::vector<Scalar> random_args(const lower::Function& f, std::mt19937_64& rng) {
  std::vector<Scalar> args(f.params.size());
  for (std::size_t k = 0; k < f.params.size(); ++k) {
    switch (f.params[k]) {
      case lower::Type::kBool:
        args[k].b = rng() % 2 == 0;
        break;
      case lower::Type::kInt:
        args[k].i = testing::random_detail::random_int(rng);
        break;
      case lower::Type::kReal:
        args[k].r = random_real(rng);
        break;
    }
  }
  return args;
}

// ---- Interpreter against JIT ---------------------------------------------------------

std::string show(const Scalar& value, lower::Type type) {
  char text[32];
  switch (type) {
    case lower::Type::kBool:
      return value.b ? "true" : "false";
    case lower::Type::kInt:
      return std::to_string(value.i);
    case lower::Type::kReal:
      std::snprintf(text, sizeof text, "%.17g", value.r);
      return text;
  }
  return "?";
}

struct Tally {
  std::size_t compared = 0;
  std::array<std::size_t, 6> by_fault{};  // index: lower::Fault of the interpreter
};

// Calls every function of `module` `calls` times in both executors; false at the first
// difference (reported).
bool compare_module(const lower::Module& module, jit::Jit& jit, int calls, std::mt19937_64& rng,
                    Tally* tally, const RandomProgram& program) {
  std::string error;
  std::optional<jit::ModuleHandle> handle = jit.add(module, &error);
  if (!handle) {
    ADD_FAILURE() << module.name << ": " << error << "\n" << program_text(program);
    return false;
  }
  interp::Interpreter interpreter(module);
  bool same = true;
  for (std::size_t f = 0; f < module.functions.size() && same; ++f) {
    const lower::Function& function = module.functions[f];
    lower::EntryPoint native = jit.lookup(*handle, function.name);
    if (native == nullptr) {
      ADD_FAILURE() << module.name << ": no entry point for " << function.name;
      same = false;
      break;
    }
    for (int call = 0; call < calls; ++call) {
      std::vector<Scalar> args = random_args(function, rng);
      Scalar r1{}, r2{};
      std::uint32_t s1 = 0, s2 = 0;
      auto fault = static_cast<std::int32_t>(interpreter.call(f, args.data(), &r1, &s1));
      Outcome expected = outcome_of(fault, r1, s1, function.result);
      fault = native(args.data(), &r2, &s2);
      Outcome actual = outcome_of(fault, r2, s2, function.result);
      ++tally->compared;
      if (expected.fault >= 0 && expected.fault < 6) ++tally->by_fault[expected.fault];
      if (expected != actual) {
        std::string shown;
        for (std::size_t k = 0; k < args.size(); ++k) {
          shown += (k ? ", " : "") + show(args[k], function.params[k]);
        }
        ADD_FAILURE() << module.name << ", " << function.name << "(" << shown << "): interpreter "
                      << show(expected) << ", JIT " << show(actual) << "\n"
                      << lower::listing(module) << program_text(program);
        same = false;
        break;
      }
    }
  }
  EXPECT_TRUE(jit.remove(*handle, &error)) << error;
  return same;
}

TEST(SourceDifferentialTest, InterpreterAndJitAgreeOnRandomProgramsWithUnits) {
  auto start = std::chrono::steady_clock::now();
  std::string error;
  auto jit = jit::Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  testing::RandomSourceOptions options;
  // The JIT compiles about 5 ms per function (optimized checked, fast and batch bodies)
  // and a call costs well under a microsecond: many calls per function, fewer functions.
  options.functions = 36;
  options.oracles = 6;
  options.plants = 1;
  std::mt19937_64 rng(1959);  // the year of the international pound
  Tally tally;
  std::size_t functions = 0;
  for (std::uint64_t seed = 1; seed <= 20 && !HasFailure(); ++seed) {
    RandomProgram program = testing::random_program(seed, options);
    std::optional<driver::CheckRun> run = compile(program, seed);
    if (!run) break;
    for (const lower::Lowering& lowering : run->lowered) {
      functions += lowering.module.functions.size();
      if (!compare_module(lowering.module, *jit, 130, rng, &tally, program)) break;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t faulted = tally.compared - tally.by_fault[0];
  std::cout << "[ source differential ] " << tally.compared << " calls of " << functions
            << " functions compared, " << faulted << " faulted (division by zero "
            << tally.by_fault[1] << ", overflow " << tally.by_fault[2] << ", NaN "
            << tally.by_fault[3] << ", infinite " << tally.by_fault[4] << "), " << seconds
            << " s\n";
  RecordProperty("compared", static_cast<int>(tally.compared));
  RecordProperty("faulted", static_cast<int>(faulted));
  EXPECT_GE(tally.compared, 100000u);
  // Both outcomes are exercised: results, and every fault the programs can provoke.
  EXPECT_GT(tally.by_fault[0], tally.compared / 4) << "too few calls without a fault";
  using F = lower::Fault;
  for (F f : {F::kDivisionByZero, F::kOverflow, F::kNotANumber, F::kInfinite}) {
    EXPECT_GT(tally.by_fault[static_cast<int>(f)], 100u) << lower::describe(f);
  }
}

// ---- The oracle ----------------------------------------------------------------------

// Base-unit factors of the units the oracle forms use, stated here, apart from std.units:
// SI prefixes, and the NIST definitions of the US customary units.
std::optional<double> factor(const std::string& unit) {
  static const std::pair<const char*, double> kFactors[] = {
      {"kg", 1.0},
      {"g", 1e-3},
      {"mg", 1e-6},
      {"t", 1000.0},
      {"lb", 0.45359237},
      {"oz", 0.45359237 / 16},
      {"s", 1.0},
      {"ms", 1e-3},
      {"min", 60.0},
      {"h", 3600.0},
      {"d", 86400.0},
      {"m3", 1.0},
      {"L", 1e-3},
      {"mL", 1e-6},
      {"hL", 0.1},
      {"gal", 231 * 0.0254 * 0.0254 * 0.0254},
      {"K", 1.0},
      {"delta degC", 1.0},
      {"delta degF", 5.0 / 9.0},
      {"percent", 0.01},
      {"", 1.0},
  };
  for (const auto& [name, value] : kFactors) {
    if (unit == name) return value;
  }
  if (std::size_t slash = unit.find('/'); slash != std::string::npos) {
    auto up = factor(unit.substr(0, slash));
    auto down = factor(unit.substr(slash + 1));
    if (up && down) return *up / *down;
  }
  return std::nullopt;
}

// The value of a written quantity in base units (kelvin for temperature readings), and
// the magnitude of the terms that make it up, which bounds its rounding error.
struct BaseValue {
  double value = 0;
  double magnitude = 0;
};

std::optional<BaseValue> base_value(const testing::WrittenQuantity& q) {
  double v = std::strtod(q.number.c_str(), nullptr);
  if (q.unit == "degC") return BaseValue{v + 273.15, std::fabs(v) + 273.15};
  if (q.unit == "degF") {
    return BaseValue{(v - 32) * 5 / 9 + 273.15, (std::fabs(v) + 32) * 5 / 9 + 273.15};
  }
  auto f = factor(q.unit);
  if (!f) return std::nullopt;
  return BaseValue{v * *f, std::fabs(v * *f)};
}

// Within a few units in the last place of `magnitude`: the compiler rounds the exact
// constant once, this file's arithmetic a few times.
bool close(double actual, double expected, double magnitude) {
  return std::fabs(actual - expected) <= 8 * DBL_EPSILON * magnitude + DBL_MIN;
}

using Shape = testing::OracleForm::Shape;

// What an oracle form gives for argument x and constant (or parameter) c, and the
// magnitude that bounds the rounding error.
BaseValue expected_value(Shape shape, double x, const BaseValue& c) {
  switch (shape) {
    case Shape::kPlusConstant:
    case Shape::kParamPlus:
      return {x + c.value, std::fabs(x) + c.magnitude};
    case Shape::kMinusParam:
      return {x - c.value, std::fabs(x) + c.magnitude};
    case Shape::kTimesConstant:
    case Shape::kTimesParam:
      return {x * c.value, std::fabs(x * c.value)};
    case Shape::kOverConstant:
      return {x / c.value, std::fabs(x / c.value)};
    case Shape::kLessThanConstant:
      return {x < c.value ? 1.0 : 0.0, std::fabs(x) + c.magnitude};
  }
  return {};
}

struct OracleTally {
  std::size_t checked = 0;
  std::set<Shape> shapes;
  std::set<std::string> units;  // of the constants and parameter values
};

void check_oracles(const RandomProgram& program, const lower::Module& module, jit::Jit& jit,
                   std::mt19937_64& rng, OracleTally* tally) {
  const testing::RandomPlant* plant = plant_of(program, module);
  ASSERT_NE(plant, nullptr) << module.name;
  std::string error;
  std::optional<jit::ModuleHandle> handle = jit.add(module, &error);
  ASSERT_TRUE(handle.has_value()) << error;
  interp::Interpreter interpreter(module);
  for (const testing::OracleForm& form : program.oracles) {
    bool by_param = !form.param.empty();
    const testing::WrittenQuantity* written = by_param ? plant->param(form.param) : &form.constant;
    ASSERT_NE(written, nullptr) << form.source;
    std::optional<BaseValue> c = base_value(*written);
    ASSERT_TRUE(c.has_value()) << "no factor for `" << written->unit << "`: " << form.source;
    tally->shapes.insert(form.shape);
    tally->units.insert(written->unit);
    lower::EntryPoint native = jit.lookup(*handle, form.function);
    std::optional<std::size_t> index = interpreter.find(form.function);
    ASSERT_TRUE(native != nullptr && index.has_value()) << form.function;
    std::string what =
        module.name + ": " + form.source +
        (by_param ? "  with " + form.param + " = " + written->number + " " + written->unit : "");
    for (int k = 0; k < 50; ++k) {
      double x = static_cast<double>(static_cast<std::int64_t>(rng() % 2000001) - 1000000) / 1000;
      Scalar arg{}, jit_result{}, interp_result{};
      arg.r = x;
      std::int32_t fault = native(&arg, &jit_result, nullptr);
      lower::Fault interp_fault = interpreter.call(*index, &arg, &interp_result, nullptr);
      ++tally->checked;
      ASSERT_EQ(fault, 0) << what << "\n  x = " << x;
      ASSERT_EQ(interp_fault, lower::Fault::kNone) << what << "\n  x = " << x;
      BaseValue expected = expected_value(form.shape, x, *c);
      if (form.shape == Shape::kLessThanConstant) {
        ASSERT_EQ(jit_result.b, interp_result.b) << what;
        if (close(x, c->value, expected.magnitude)) continue;  // too close to call
        ASSERT_EQ(jit_result.b, expected.value != 0)
            << what << "\n  x = " << x << " (c = " << c->value << ")";
        continue;
      }
      ASSERT_EQ(jit_result.r, interp_result.r) << what;
      ASSERT_TRUE(close(jit_result.r, expected.value, expected.magnitude))
          << what << "\n  x = " << x << ": JIT " << jit_result.r << ", expected " << expected.value;
    }
  }
  EXPECT_TRUE(jit.remove(*handle, &error)) << error;
}

TEST(SourceDifferentialTest, LiteralsAndPlantParametersConvertAsTheOracleSays) {
  std::string error;
  auto jit = jit::Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  testing::RandomSourceOptions options;
  options.functions = 2;
  options.params = 10;
  options.oracles = 30;
  options.plants = 3;
  std::mt19937_64 rng(45359237);
  OracleTally tally;
  for (std::uint64_t seed = 500; seed < 504 && !HasFailure(); ++seed) {
    RandomProgram program = testing::random_program(seed, options);
    std::optional<driver::CheckRun> run = compile(program, seed);
    if (!run) break;
    for (const lower::Lowering& lowering : run->lowered) {
      check_oracles(program, lowering.module, *jit, rng, &tally);
      if (HasFailure()) break;
    }
  }
  std::cout << "[ source differential ] " << tally.checked << " oracle calls checked\n";
  EXPECT_EQ(tally.checked, 4u * 3 * 30 * 50);
  // Every shape, and the conversions with a scale, an offset, or both.
  EXPECT_EQ(tally.shapes.size(), 7u);
  for (const char* unit : {"lb", "min", "gal", "degC", "degF", "delta degF", "percent"}) {
    EXPECT_TRUE(tally.units.count(unit)) << unit;
  }
}

TEST(SourceDifferentialTest, TheGeneratorIsAFunctionOfTheSeed) {
  testing::RandomSourceOptions options;
  EXPECT_EQ(program_text(testing::random_program(7, options)),
            program_text(testing::random_program(7, options)));
  EXPECT_NE(program_text(testing::random_program(7, options)),
            program_text(testing::random_program(8, options)));
}

}  // namespace
}  // namespace gemba
