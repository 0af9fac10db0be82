// Random, well-typed Gemba programs with units of measure: a template module of
// functions over quantities (mass, temperature readings and differences, durations,
// volumes, compound and dimensionless quantities), ints and bools, with template
// parameters, and plant models that set those parameters in other units. The input of
// the source-level differential test (tests/compiler/source_differential/), which runs
// each program through check, specialization and lowering, then in the reference
// interpreter and the JIT. Header-only (tests/ builds only *_test.cpp files).
//
// Every choice is typed by the checker's rules (compiler/sema/expressions.cpp): `+` and
// `-` of one dimension (two readings only as `reading - reading`), `*` `/` `%` never of
// a reading, comparisons never of a reading with a difference, `to` only within a
// dimension and never from a difference to a reading scale. A generated program must
// check without an error; one that does not is a bug of this generator or of sema.
//
// Everything is a pure function of the seed: the distributions are explicit arithmetic on
// std::mt19937_64, which the standard fixes, never std::uniform_*_distribution.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace gemba::testing {

struct RandomSourceOptions {
  int functions = 24;  // f0, f1, ...; each calls only functions before it
  int params = 8;      // template parameters p0, p1, ...
  int oracles = 10;    // functions o0, o1, ... whose value the test computes itself
  int plants = 2;      // plant models q0, q1, ...
  int max_depth = 5;   // of each function body's expression tree
};

// A number and the unit it is written in, as in the source: {"11", "lb"}, {"-40",
// "degF"}, {"9", "delta degF"}, {"1.5", ""} (a plain number), {"3", "kg/h"}.
struct WrittenQuantity {
  std::string number;
  std::string unit;
};

struct RandomPlant {
  std::string name;  // q0: lowered modules are named `gen@q0`
  std::string path;  // plants/q0.gmb
  std::string text;
  // The value of every numeric template parameter at this plant, as written where it
  // comes from: the plant's `param` if it sets one, else the template's default.
  std::vector<std::pair<std::string, WrittenQuantity>> params;
  const WrittenQuantity* param(const std::string& name) const {
    for (const auto& [n, q] : params) {
      if (n == name) return &q;
    }
    return nullptr;
  }
};

// A function of one real argument `x` (in base units) whose value the test computes
// from the conversion factors it knows, not from the compiler's.
struct OracleForm {
  enum class Shape {
    kPlusConstant,      // x + constant
    kTimesConstant,     // x * constant
    kOverConstant,      // x / constant
    kMinusParam,        // x - param
    kParamPlus,         // param + x
    kTimesParam,        // x * param
    kLessThanConstant,  // x < constant: a bool
  };
  std::string function;  // the lowered name: fn_o3
  Shape shape = Shape::kPlusConstant;
  WrittenQuantity constant;  // the constant shapes
  std::string param;         // the parameter shapes: its value is RandomPlant::param
  std::string source;        // the declaration, for messages
};

struct RandomProgram {
  std::string template_path = "gen.gmb";
  std::string template_text;
  std::vector<RandomPlant> plants;
  std::vector<OracleForm> oracles;
  // Every file, for driver::check_sources (with plant path "plants").
  std::vector<std::pair<std::string, std::string>> files() const {
    std::vector<std::pair<std::string, std::string>> out{{template_path, template_text}};
    for (const RandomPlant& plant : plants) out.emplace_back(plant.path, plant.text);
    return out;
  }
};

namespace source_detail {

// ---- Exact fractions ---------------------------------------------------------------
// The checker holds every scale, offset and literal as a fraction of 64-bit integers and
// rejects a unit whose scale overflows; the generator computes the same values exactly
// and keeps well inside that range, so it never writes a literal or a unit the checker
// cannot hold.
struct Frac {
  __int128 num = 0;
  __int128 den = 1;
  bool ok = true;

  static constexpr __int128 kLimit = 100'000'000'000'000'000;  // 1e17, below INT64_MAX

  static __int128 gcd(__int128 a, __int128 b) {
    if (a < 0) a = -a;
    while (b != 0) {
      __int128 t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
  static Frac make(__int128 n, __int128 d, bool ok = true) {
    Frac f;
    if (!ok || d == 0) {
      f.ok = false;
      return f;
    }
    if (d < 0) {
      n = -n;
      d = -d;
    }
    __int128 g = gcd(n, d);
    if (g > 1) {
      n /= g;
      d /= g;
    }
    f.num = n;
    f.den = d;
    f.ok = (n < 0 ? -n : n) <= kLimit && d <= kLimit;
    return f;
  }
  Frac operator+(const Frac& o) const {
    return make(num * o.den + o.num * den, den * o.den, ok && o.ok);
  }
  Frac operator-(const Frac& o) const {
    return make(num * o.den - o.num * den, den * o.den, ok && o.ok);
  }
  Frac operator*(const Frac& o) const {
    // Cross-reduce first, so that exact products of large factors stay in range.
    if (!ok || !o.ok) return make(0, 1, false);
    __int128 g1 = gcd(num, o.den), g2 = gcd(o.num, den);
    if (g1 == 0) g1 = 1;
    if (g2 == 0) g2 = 1;
    return make((num / g1) * (o.num / g2), (den / g2) * (o.den / g1));
  }
  Frac operator/(const Frac& o) const { return *this * make(o.den, o.num, o.ok && o.num != 0); }
  Frac pow(int e) const {
    Frac r = make(1, 1);
    Frac b = e < 0 ? make(1, 1) / *this : *this;
    for (int k = 0; k < (e < 0 ? -e : e); ++k) r = r * b;
    return r;
  }
  bool operator<(const Frac& o) const { return num * o.den < o.num * den; }
  bool operator<=(const Frac& o) const { return num * o.den <= o.num * den; }
};

inline Frac frac(std::int64_t n, std::int64_t d = 1) { return Frac::make(n, d); }

// ---- Dimensions and units ------------------------------------------------------------

// Exponents of mass, length, duration, temperature: the base dimensions of std.units
// the generator uses.
using Dim = std::array<int, 4>;
inline constexpr Dim kNone{0, 0, 0, 0};
inline constexpr Dim kMass{1, 0, 0, 0};
inline constexpr Dim kLength{0, 1, 0, 0};
inline constexpr Dim kDuration{0, 0, 1, 0};
inline constexpr Dim kTemperature{0, 0, 0, 1};
inline constexpr Dim kVolume{0, 3, 0, 0};

inline Dim sub(const Dim& a, const Dim& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]};
}
inline bool small(const Dim& d) {
  return std::abs(d[0]) <= 3 && std::abs(d[1]) <= 6 && std::abs(d[2]) <= 3 && std::abs(d[3]) <= 2;
}

// A named linear unit of std.units and its exact scale to base units.
struct NamedUnit {
  const char* name;
  Dim dim;
  std::int64_t num;
  std::int64_t den;
};

// Exact, as std/units.gmb defines them (NIST). psi and hp are left out: their exact
// scales have long fractions.
inline const std::vector<NamedUnit>& named_units() {
  static const std::vector<NamedUnit> units = {
      {"kg", kMass, 1, 1},
      {"g", kMass, 1, 1000},
      {"mg", kMass, 1, 1000000},
      {"t", kMass, 1000, 1},
      {"lb", kMass, 45359237, 100000000},
      {"oz", kMass, 45359237, 1600000000},
      {"m", kLength, 1, 1},
      {"cm", kLength, 1, 100},
      {"mm", kLength, 1, 1000},
      {"km", kLength, 1000, 1},
      {"in", kLength, 127, 5000},
      {"ft", kLength, 381, 1250},
      {"m3", kVolume, 1, 1},
      {"L", kVolume, 1, 1000},
      {"mL", kVolume, 1, 1000000},
      {"hL", kVolume, 1, 10},
      {"gal", kVolume, 473176473, 125000000000},
      {"s", kDuration, 1, 1},
      {"ms", kDuration, 1, 1000},
      {"min", kDuration, 60, 1},
      {"h", kDuration, 3600, 1},
      {"d", kDuration, 86400, 1},
      {"K", kTemperature, 1, 1},
      {"Hz", {0, 0, -1, 0}, 1, 1},
      {"rpm", {0, 0, -1, 0}, 1, 60},
      {"N", {1, 1, -2, 0}, 1, 1},
      {"kN", {1, 1, -2, 0}, 1000, 1},
      {"lbf", {1, 1, -2, 0}, 8896443230521, 2000000000000},
      {"Pa", {1, -1, -2, 0}, 1, 1},
      {"kPa", {1, -1, -2, 0}, 1000, 1},
      {"bar", {1, -1, -2, 0}, 100000, 1},
      {"mbar", {1, -1, -2, 0}, 100, 1},
      {"J", {1, 2, -2, 0}, 1, 1},
      {"kJ", {1, 2, -2, 0}, 1000, 1},
      {"Wh", {1, 2, -2, 0}, 3600, 1},
      {"W", {1, 2, -3, 0}, 1, 1},
      {"kW", {1, 2, -3, 0}, 1000, 1},
  };
  return units;
}

// Dimensions std.units names, usable as types.
inline const char* dimension_name(const Dim& d) {
  static const std::pair<Dim, const char*> kNames[] = {
      {kMass, "mass"},
      {kLength, "length"},
      {kDuration, "duration"},
      {kTemperature, "temperature"},
      {{0, 2, 0, 0}, "area"},
      {kVolume, "volume"},
      {{0, 1, -1, 0}, "velocity"},
      {{0, 1, -2, 0}, "acceleration"},
      {{0, 0, -1, 0}, "frequency"},
      {{1, 1, -2, 0}, "force"},
      {{1, -1, -2, 0}, "pressure"},
      {{1, 2, -2, 0}, "energy"},
      {{1, 2, -3, 0}, "power"},
      {{1, -3, 0, 0}, "density"},
      {{1, 0, -1, 0}, "mass_flow"},
      {{0, 3, -1, 0}, "volume_flow"},
  };
  for (const auto& [dim, name] : kNames) {
    if (dim == d) return name;
  }
  return nullptr;
}

// A linear unit: a product of named units to integer powers, with its exact scale.
struct Unit {
  std::vector<std::pair<std::string, int>> factors;  // in order; powers never 0
  std::vector<Frac> scales;                          // of each factor's unit
  Frac scale = frac(1);

  void multiply(const std::string& name, int e, const Frac& unit_scale) {
    factors.emplace_back(name, e);
    scales.push_back(unit_scale);
    scale = scale * unit_scale.pow(e);
  }
  // Whether the checker can hold the scale at every step of evaluating text() and
  // suffix() as written, left to right (each step is an exact fraction of 64-bit
  // integers; `oz*d^-2` alone overflows even where the whole unit would not).
  bool representable() const {
    Frac written = frac(1);
    for (std::size_t k = 0; k < factors.size(); ++k) {
      if (factors[k].second > 0) written = written * scales[k].pow(factors[k].second);
    }
    for (std::size_t k = 0; k < factors.size(); ++k) {
      if (factors[k].second < 0) written = written / scales[k].pow(-factors[k].second);
    }
    std::size_t first = first_positive();
    Frac rest = frac(1);
    for (std::size_t k = 0; k < factors.size(); ++k) {
      if (k != first) rest = rest * scales[k].pow(-factors[k].second);
    }
    Frac suffixed = scales[first].pow(factors[first].second) / rest;
    return scale.ok && written.ok && suffixed.ok;
  }
  std::size_t first_positive() const {
    for (std::size_t k = 0; k < factors.size(); ++k) {
      if (factors[k].second > 0) return k;
    }
    return 0;
  }

  static std::string power(const std::string& name, int e) {
    return e == 1 ? name : name + "^" + std::to_string(e);
  }
  // As a type or after `to`: `kg`, `kg*m^-3`, `L/min`, `1/s`.
  std::string text() const {
    std::string up, down;
    for (const auto& [name, e] : factors) {
      if (e > 0) up += (up.empty() ? "" : "*") + power(name, e);
    }
    for (const auto& [name, e] : factors) {
      if (e < 0) down += "/" + power(name, -e);
    }
    return (up.empty() ? "1" : up) + down;
  }
  // After a number, where one `/` at most may follow the first unit: `kg`, `kg/m^3`,
  // `kg/(m^3*s)`, `s^-1`, `kg/(s^-1)`.
  std::string suffix() const {
    std::size_t first = first_positive();
    std::string out = power(factors[first].first, factors[first].second);
    std::vector<std::string> rest;
    for (std::size_t k = 0; k < factors.size(); ++k) {
      if (k != first) rest.push_back(power(factors[k].first, -factors[k].second));
    }
    if (rest.size() == 1 && rest[0].find('-') == std::string::npos) return out + "/" + rest[0];
    if (rest.empty()) return out;
    std::string joined;
    for (const std::string& r : rest) joined += (joined.empty() ? "" : "*") + r;
    return out + "/(" + joined + ")";
  }
};

// ---- Types ---------------------------------------------------------------------------

enum class Kind { kBool, kInt, kQuantity };
// A quantity of temperature is a reading (degC), a difference (delta degC) or linear (K);
// every other quantity is linear.
enum class Aff { kLinear, kAbsolute, kDifference };

struct Ty {
  Kind kind = Kind::kQuantity;
  Dim dim = kNone;
  Aff aff = Aff::kLinear;
  bool operator==(const Ty&) const = default;
};

inline Ty bool_type() { return {Kind::kBool, kNone, Aff::kLinear}; }
inline Ty int_type() { return {Kind::kInt, kNone, Aff::kLinear}; }
inline Ty quantity(const Dim& d, Aff a = Aff::kLinear) { return {Kind::kQuantity, d, a}; }

// A declared type: what is written, and what it means.
struct Declared {
  Ty ty;
  std::string text;
};

// An expression's text, and its exact value in base units when the checker reads it as a
// constant: a literal, or a negated one (sema's Checker::constant, used for `in` ranges).
// `closed` when it reads no function parameter and calls nothing: then specialization
// may fold it to a constant at a plant, and checks a range of two such bounds (G0809).
struct Expr {
  std::string text;
  std::optional<Frac> constant;
  bool closed = true;
};

inline std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) { return rng() % n; }
inline bool chance(std::mt19937_64& rng, std::uint64_t percent) {
  return below(rng, 100) < percent;
}
template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& values) {
  return values[below(rng, values.size())];
}

// A number as written: mantissa / 10^decimals.
struct Number {
  std::int64_t mantissa = 0;
  int decimals = 0;
  Frac value() const {
    __int128 den = 1;
    for (int k = 0; k < decimals; ++k) den *= 10;
    return Frac::make(mantissa, den);
  }
  // `real` forces a decimal point, so that a plain number reads as a real, not an int.
  std::string text(bool real = false) const {
    std::string digits = std::to_string(mantissa < 0 ? -mantissa : mantissa);
    if (decimals > 0) {
      if (digits.size() <= static_cast<std::size_t>(decimals)) {
        digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
      }
      digits.insert(digits.size() - static_cast<std::size_t>(decimals), ".");
    } else if (real) {
      digits += ".0";
    }
    return (mantissa < 0 ? "-" : "") + digits;
  }
};

// The nearest number to `x` with `digits` significant digits (at most 9 decimals),
// computed exactly: no floating point, so the same text on every platform.
inline Number round_number(const Frac& x, int digits) {
  if (x.num == 0 || !x.ok) return {};
  __int128 least = 1;  // 10^(digits - 1)
  for (int k = 1; k < digits; ++k) least *= 10;
  __int128 scale = 1;
  for (int decimals = 0;; ++decimals, scale *= 10) {
    __int128 twice = 2 * x.num * scale;  // round half away from zero
    __int128 m = (twice + (twice < 0 ? -x.den : x.den)) / (2 * x.den);
    if ((m < 0 ? -m : m) >= least || decimals == 9) {
      return {static_cast<std::int64_t>(m), decimals};
    }
  }
}

// ---- The generator -------------------------------------------------------------------

class SourceGenerator {
 public:
  SourceGenerator(std::uint64_t seed, const RandomSourceOptions& options)
      : rng_(seed), options_(options) {}

  RandomProgram generate() {
    std::string text =
        "// Generated by tests/support/random_source.h.\nmodule gen;\n\n"
        "import std.units;\n\n";
    for (int k = 0; k < options_.params; ++k) text += template_param(k);
    text += "\n";
    for (int k = 0; k < options_.functions; ++k) text += function(k);
    text += "\n";
    for (int k = 0; k < options_.oracles; ++k) text += oracle(k);
    program_.template_text = std::move(text);
    for (int k = 0; k < options_.plants; ++k) program_.plants.push_back(plant(k));
    return std::move(program_);
  }

 private:
  struct Param {
    std::string name;
    Declared type;
    bool settable = false;       // has a range, or no default: a plant may (must) set it
    bool required = false;       // no default: every plant must set it
    std::optional<Frac> lo, hi;  // the range, in base units
    WrittenQuantity fallback;    // the default, or what a plant writes for a required one
    std::string plant_unit;      // another unit of the same kind, for the plants
  };
  struct Signature {
    std::string name;
    std::vector<std::pair<std::string, Declared>> params;
    Declared result;
    std::uint64_t cost = 0;  // nodes one call evaluates at most, callees included
  };

  static constexpr std::uint64_t kCostBudget = 3000;

  std::uint64_t below(std::uint64_t n) { return source_detail::below(rng_, n); }
  bool chance(std::uint64_t percent) { return source_detail::chance(rng_, percent); }

  // -- Units -------------------------------------------------------------------------

  std::vector<const NamedUnit*> named_of(const Dim& d) const {
    std::vector<const NamedUnit*> out;
    for (const NamedUnit& u : named_units()) {
      if (u.dim == d) out.push_back(&u);
    }
    return out;
  }

  // A linear unit of dimension `d` (not dimensionless): a named one, or a product of
  // units of the base dimensions.
  Unit unit_of(const Dim& d) {
    std::vector<const NamedUnit*> named = named_of(d);
    if (!named.empty() && chance(60)) {
      const NamedUnit* u = named[below(named.size())];
      Unit out;
      out.multiply(u->name, 1, frac(u->num, u->den));
      return out;
    }
    for (int attempt = 0; attempt < 4; ++attempt) {
      Unit u;
      for (int axis = 0; axis < 4; ++axis) {
        int e = d[axis];
        if (e == 0) continue;
        const NamedUnit* f = nullptr;
        if (axis == 1 && e % 3 == 0 && chance(50)) {
          e /= 3;
          f = pick_named(kVolume, attempt);
        } else {
          f = pick_named(axis == 0   ? kMass
                         : axis == 1 ? kLength
                         : axis == 2 ? kDuration
                                     : kTemperature,
                         attempt);
        }
        u.multiply(f->name, e, frac(f->num, f->den));
      }
      if (u.representable() && u.scale.den <= 1'000'000'000'000 &&
          u.scale.num <= 1'000'000'000'000) {
        return u;
      }
    }
    return si_unit(d);
  }
  // After a failed attempt, only coherent units (scale 1) of the base dimension.
  const NamedUnit* pick_named(const Dim& d, int attempt) {
    std::vector<const NamedUnit*> all = named_of(d);
    if (attempt >= 2) return all[0];
    return all[below(all.size())];
  }
  static Unit si_unit(const Dim& d) {
    static const char* kBase[] = {"kg", "m", "s", "K"};
    Unit u;
    for (int axis = 0; axis < 4; ++axis) {
      if (d[axis] != 0) u.multiply(kBase[axis], d[axis], frac(1));
    }
    return u;
  }

  // A temperature unit of the affinity: `degC`, `delta degF`, `K`; its scale and offset.
  struct TemperatureUnit {
    std::string text;
    Frac scale;
    Frac offset;  // a reading v means (v + offset) * scale
  };
  TemperatureUnit temperature_unit(Aff aff) {
    bool fahrenheit = chance(50);
    Frac scale = fahrenheit ? frac(5, 9) : frac(1);
    switch (aff) {
      case Aff::kAbsolute:
        return {fahrenheit ? "degF" : "degC", scale,
                fahrenheit ? frac(45967, 100) : frac(27315, 100)};
      case Aff::kDifference:
        return {fahrenheit ? "delta degF" : "delta degC", scale, frac(0)};
      case Aff::kLinear:
        break;
    }
    return {"K", frac(1), frac(0)};
  }

  // A declared type: written as a unit, a dimension, `real`, `percent`, `int`, `bool`.
  Declared declared(const Ty& ty) {
    switch (ty.kind) {
      case Kind::kBool:
        return {ty, "bool"};
      case Kind::kInt:
        return {ty, "int"};
      case Kind::kQuantity:
        break;
    }
    if (ty.dim == kNone) return {ty, chance(70) ? "real" : chance(50) ? "percent" : "ppm"};
    if (ty.dim == kTemperature) {
      if (ty.aff == Aff::kLinear && chance(20)) return {ty, "temperature"};
      return {ty, temperature_unit(ty.aff).text};
    }
    if (const char* name = dimension_name(ty.dim); name && chance(15)) return {ty, name};
    return {ty, unit_of(ty.dim).text()};
  }

  // The types of parameters and results.
  Ty random_type() {
    static const std::vector<Dim> kCompound = {
        {1, 0, -1, 0}, {1, -3, 0, 0},  {0, 3, -1, 0}, {0, 0, -1, 1}, {0, 0, -1, 0},
        {1, 1, -2, 0}, {1, -1, -2, 0}, {0, 1, 0, 0},  {1, 0, 0, 1},  {1, 2, -3, 0},
    };
    switch (below(20)) {
      case 0:
      case 1:
        return bool_type();
      case 2:
      case 3:
      case 4:
        return int_type();
      case 5:
      case 6:
        return quantity(kNone);
      case 7:
      case 8:
      case 9:
        return quantity(kMass);
      case 10:
        return quantity(kDuration);
      case 11:
        return quantity(kVolume);
      case 12:
      case 13:
        return quantity(kTemperature, Aff::kAbsolute);
      case 14:
        return quantity(kTemperature, Aff::kDifference);
      case 15:
        return quantity(kTemperature, Aff::kLinear);
      default:
        return quantity(pick(rng_, kCompound));
    }
  }

  // -- Literals ----------------------------------------------------------------------

  Number random_number() {
    switch (below(16)) {
      case 0:
        return {0, 0};
      case 1:
      case 2:
        return {static_cast<std::int64_t>(below(10)) + 1, 0};
      case 3:
      case 4:
        return {static_cast<std::int64_t>(below(100000)), 3};
      case 5:
      case 6:
        return {static_cast<std::int64_t>(below(1000000)), 0};
      default:
        return {static_cast<std::int64_t>(below(2000)), static_cast<int>(below(3))};
    }
  }

  // `(12.5 kg)`, `(-40 degF)`, `(2.5)`, `(3 percent)`, `(0.5 kg/(m^3*s))`.
  Expr literal(const Ty& ty) {
    if (ty.kind == Kind::kBool) return {chance(50) ? "true" : "false", std::nullopt};
    bool negative = chance(20);
    if (ty.kind == Kind::kInt) {
      static const std::vector<std::int64_t> kEdges = {
          0, 1, 2, 3037000499, 4294967296, 4611686018427387904, 9223372036854775807};
      std::int64_t n = chance(10) ? pick(rng_, kEdges) : static_cast<std::int64_t>(below(50));
      std::string digits = std::to_string(n);
      Frac value = Frac::make(negative ? -static_cast<__int128>(n) : n, 1);
      return {negative ? "(-" + digits + ")" : digits, value};
    }
    for (int attempt = 0;; ++attempt) {
      Number n = attempt < 6 ? random_number() : Number{static_cast<std::int64_t>(below(9)) + 1, 0};
      std::string sign = negative ? "-" : "";
      Frac v = negative ? frac(0) - n.value() : n.value();
      std::string text;
      Frac base;
      if (ty.dim == kNone) {
        if (chance(70)) {
          text = sign + n.text(/*real=*/true);
          base = v;
        } else {
          bool pct = chance(50);
          text = sign + n.text() + (pct ? " percent" : " ppm");
          base = v * (pct ? frac(1, 100) : frac(1, 1000000));
        }
      } else if (ty.dim == kTemperature) {
        TemperatureUnit u = temperature_unit(ty.aff);
        text = sign + n.text() + " " + u.text;
        base = (v + u.offset) * u.scale;
      } else {
        Unit u = unit_of(ty.dim);
        text = sign + n.text() + " " + u.suffix();
        base = v * u.scale;
      }
      if (base.ok || attempt > 8) return {"(" + text + ")", base};
    }
  }

  // -- Expressions -------------------------------------------------------------------

  // The types a place of type `expected` accepts (sema's Checker::expect): an int where a
  // real is expected; a linear temperature where a reading or difference is expected; any
  // temperature where a linear one is.
  std::vector<Ty> accepted(const Ty& expected) const {
    std::vector<Ty> out{expected};
    if (expected.kind != Kind::kQuantity) return out;
    if (expected.dim == kNone) out.push_back(int_type());
    if (expected.dim == kTemperature) {
      if (expected.aff != Aff::kLinear) out.push_back(quantity(kTemperature));
      if (expected.aff == Aff::kLinear) {
        out.push_back(quantity(kTemperature, Aff::kAbsolute));
        out.push_back(quantity(kTemperature, Aff::kDifference));
      }
    }
    return out;
  }

  // An expression that a place of type `expected` accepts.
  Expr into(const Ty& expected, int depth) { return expr(pick(rng_, accepted(expected)), depth); }

  // An expression of exactly type `ty`.
  Expr expr(const Ty& ty, int depth) {
    if (depth >= options_.max_depth || (depth > 0 && chance(25)) || cost_ > kCostBudget) {
      return leaf(ty, depth);
    }
    ++cost_;
    switch (ty.kind) {
      case Kind::kBool:
        return boolean(depth + 1);
      case Kind::kInt:
        return integer(depth + 1);
      case Kind::kQuantity:
        break;
    }
    return quantity_expr(ty, depth + 1);
  }

  Expr leaf(const Ty& ty, int depth) {
    ++cost_;
    std::vector<std::string> locals, params;
    for (const auto& [name, type] : signature_->params) {
      if (type.ty == ty) locals.push_back(name);
    }
    for (const Param& p : params_) {
      if (p.type.ty == ty) params.push_back(p.name);
    }
    std::uint64_t r = below(100);
    if (r < 50 && !locals.empty()) return {pick(rng_, locals), std::nullopt, false};
    if (r < 62 && !params.empty()) return {pick(rng_, params), std::nullopt};
    if (r < 75 && depth <= options_.max_depth) {  // arguments nest, but not without end
      if (std::optional<Expr> c = call(ty, depth)) return *c;
    }
    return literal(ty);
  }

  std::optional<Expr> call(const Ty& ty, int depth) {
    std::vector<const Signature*> callees;
    for (const Signature& s : signatures_) {
      if (s.result.ty == ty && cost_ + s.cost <= kCostBudget) callees.push_back(&s);
    }
    if (callees.empty()) return std::nullopt;
    const Signature& callee = *pick(rng_, callees);
    cost_ += callee.cost;
    std::string text = callee.name + "(";
    for (std::size_t k = 0; k < callee.params.size(); ++k) {
      text += (k ? ", " : "") + into(callee.params[k].second.ty, depth + 1).text;
    }
    return Expr{text + ")", std::nullopt, false};
  }

  static Expr binary(const Expr& a, const char* op, const Expr& b) {
    return {"(" + a.text + " " + op + " " + b.text + ")", std::nullopt, a.closed && b.closed};
  }

  Expr boolean(int depth) {
    switch (below(8)) {
      case 0: {
        Expr a = expr(bool_type(), depth);
        return {"(not " + a.text + ")", std::nullopt, a.closed};
      }
      case 1: {
        Expr a = expr(bool_type(), depth);
        return binary(a, chance(50) ? "and" : "or", expr(bool_type(), depth));
      }
      case 2: {
        Expr a = expr(bool_type(), depth);
        return binary(a, chance(50) ? "==" : "!=", expr(bool_type(), depth));
      }
      case 3:
      case 4:
        return in_range(depth);
      default:
        return comparison(depth);
    }
  }

  // A dimension for an operand: mostly the palette of random_type, then anything small.
  Dim operand_dimension() {
    Ty t = random_type();
    return t.kind == Kind::kQuantity ? t.dim : kNone;
  }

  // Two operand types that sema lets one compare: one dimension, never a reading with a
  // difference; ints with ints or reals.
  std::pair<Ty, Ty> comparable() {
    if (chance(20)) return {int_type(), int_type()};
    Dim d = operand_dimension();
    std::vector<Ty> kinds =
        d == kTemperature ? std::vector<Ty>{quantity(d, Aff::kLinear), quantity(d, Aff::kAbsolute),
                                            quantity(d, Aff::kDifference)}
                          : std::vector<Ty>{quantity(d)};
    if (d == kNone) kinds.push_back(int_type());
    for (;;) {
      Ty a = pick(rng_, kinds), b = pick(rng_, kinds);
      bool reading_vs_difference = (a.aff == Aff::kAbsolute && b.aff == Aff::kDifference) ||
                                   (a.aff == Aff::kDifference && b.aff == Aff::kAbsolute);
      if (!reading_vs_difference) return {a, b};
    }
  }

  Expr comparison(int depth) {
    static const std::vector<const char*> kOps = {"<", "<=", ">", ">=", "==", "!="};
    auto [ta, tb] = comparable();
    Expr a = expr(ta, depth);
    return binary(a, pick(rng_, kOps), expr(tb, depth));
  }

  // `(x in lo .. hi)`: bounds of the value's dimension, ordered when both are literals.
  Expr in_range(int depth) {
    auto [value_type, unused] = comparable();
    Expr value = expr(value_type, depth);
    Expr lo = into(value_type, depth);
    Expr hi = into(value_type, depth);
    if (chance(50)) lo = literal(pick(rng_, accepted(value_type)));
    if (chance(50)) hi = literal(pick(rng_, accepted(value_type)));
    if (lo.constant && hi.constant && lo.constant->ok && hi.constant->ok) {
      if (*hi.constant < *lo.constant) std::swap(lo, hi);
    } else if (lo.closed && hi.closed) {
      // Both may fold at a plant, in an order unknown here: hi = lo + a non-negative
      // linear amount of lo's own type, which folds (if at all) to no less than lo.
      hi = binary(lo, "+", literal_at_least_zero(value_type));
    }
    return {"(" + value.text + " in " + lo.text + " .. " + hi.text + ")", std::nullopt,
            value.closed && lo.closed && hi.closed};
  }
  Expr literal_at_least_zero(const Ty& ty) {
    std::string n = std::to_string(below(10));
    if (ty.kind == Kind::kInt) return {n, std::nullopt};
    if (ty.dim == kNone) return {n + ".5", std::nullopt};
    if (ty.dim == kTemperature) return {"(" + n + " K)", std::nullopt};
    return {"(" + n + " " + si_unit(ty.dim).suffix() + ")", std::nullopt};
  }

  // `(-x)`: sema reads a negated constant as a constant too (Checker::constant).
  Expr negate(const Expr& x) {
    Expr out{"(-" + x.text + ")", std::nullopt, x.closed};
    if (x.constant) out.constant = frac(0) - *x.constant;
    return out;
  }

  Expr integer(int depth) {
    static const std::vector<const char*> kOps = {"+", "-", "*", "%"};
    if (chance(12)) return negate(expr(int_type(), depth));
    Expr a = expr(int_type(), depth);
    return binary(a, pick(rng_, kOps), expr(int_type(), depth));
  }

  // An operand type of dimension `d` that is not a reading: linear, or a difference of
  // temperature; an int now and then where a real goes.
  Ty not_reading(const Dim& d, bool int_allowed) {
    if (d == kTemperature && chance(50)) return quantity(d, Aff::kDifference);
    if (d == kNone && int_allowed && chance(35)) return int_type();
    return quantity(d);
  }

  Expr quantity_expr(const Ty& ty, int depth) {
    for (;;) {
      switch (below(9)) {
        case 0:
        case 1:
        case 2:
          return sum(ty, depth);
        case 3:
          if (ty.aff == Aff::kLinear) return product(ty, depth);
          break;
        case 4:
          if (ty.aff == Aff::kLinear) return quotient(ty, depth);
          break;
        case 5:
          if (ty.aff != Aff::kAbsolute) return remainder(ty, depth);
          break;
        case 6:
          if (ty.aff != Aff::kAbsolute) return negate(expr(ty, depth));
          break;
        case 7:
        case 8:
          if (std::optional<Expr> e = conversion(ty, depth)) return *e;
          break;
      }
    }
  }

  // `+` and `-`: a reading plus or minus a difference or a linear quantity is a reading;
  // a reading minus a reading is a difference; a difference with anything not a reading
  // is a difference.
  Expr sum(const Ty& ty, int depth) {
    const Ty lin = quantity(ty.dim), abs = quantity(ty.dim, Aff::kAbsolute),
             diff = quantity(ty.dim, Aff::kDifference);
    if (ty.aff == Aff::kAbsolute) {
      Ty other = chance(50) ? lin : diff;
      switch (below(3)) {
        case 0:
          return binary(expr(abs, depth), "+", expr(other, depth));
        case 1:
          return binary(expr(other, depth), "+", expr(abs, depth));
        default:
          return binary(expr(abs, depth), "-", expr(other, depth));
      }
    }
    const char* op = chance(50) ? "+" : "-";
    if (ty.aff == Aff::kDifference) {
      if (chance(25)) return binary(expr(abs, depth), "-", expr(abs, depth));
      Ty a = diff, b = diff;
      if (chance(50)) (chance(50) ? a : b) = lin;
      return binary(expr(a, depth), op, expr(b, depth));
    }
    Ty a = not_reading_linear(ty.dim), b = not_reading_linear(ty.dim);
    if (a.kind == Kind::kInt && b.kind == Kind::kInt) b = ty;  // int + int is an int
    return binary(expr(a, depth), op, expr(b, depth));
  }
  Ty not_reading_linear(const Dim& d) {
    return d == kNone && chance(30) ? int_type() : quantity(d);
  }

  // `*` and `/` make linear quantities of new dimensions; a reading never takes part.
  Expr product(const Ty& ty, int depth) {
    Dim a = operand_dimension();
    Dim b = sub(ty.dim, a);
    if (!small(b)) {
      a = kNone;
      b = ty.dim;
    }
    Ty ta = not_reading(a, true), tb = not_reading(b, true);
    if (ta.kind == Kind::kInt && tb.kind == Kind::kInt) tb = quantity(kNone);  // int * int
    return binary(expr(ta, depth), "*", expr(tb, depth));
  }
  Expr quotient(const Ty& ty, int depth) {
    Dim a = operand_dimension();
    Dim b = sub(a, ty.dim);
    if (!small(b)) {
      a = ty.dim;
      b = kNone;
    }
    // int / int is a real, so both may be ints.
    return binary(expr(not_reading(a, true), depth), "/", expr(not_reading(b, true), depth));
  }
  // `%` keeps the dividend's type: a difference stays one.
  Expr remainder(const Ty& ty, int depth) {
    Ty a = ty, b = not_reading(ty.dim, ty.dim == kNone);
    if (ty.dim == kNone && chance(30)) a = int_type();
    if (a.kind == Kind::kInt && b.kind == Kind::kInt) b = ty;  // int % int is an int
    return binary(expr(a, depth), "%", expr(b, depth));
  }

  // `(x to u)`: the value in base units is unchanged. Into a temperature: a linear value
  // or a reading to a reading scale is a reading, a difference or linear value to a
  // `delta` unit a difference, a reading or linear value to K linear, a difference to K a
  // difference.
  std::optional<Expr> conversion(const Ty& ty, int depth) {
    std::string target;
    Ty from = ty;
    if (ty.dim == kTemperature) {
      switch (ty.aff) {
        case Aff::kAbsolute:
          from = quantity(kTemperature, chance(50) ? Aff::kLinear : Aff::kAbsolute);
          target = temperature_unit(Aff::kAbsolute).text;
          break;
        case Aff::kDifference:
          from = quantity(kTemperature, chance(50) ? Aff::kLinear : Aff::kDifference);
          target = from.aff == Aff::kLinear || chance(50) ? temperature_unit(Aff::kDifference).text
                                                          : "K";
          break;
        case Aff::kLinear:
          from = quantity(kTemperature, chance(50) ? Aff::kLinear : Aff::kAbsolute);
          target = "K";
          break;
      }
    } else if (ty.dim == kNone) {
      if (chance(30)) from = int_type();
      target = chance(50) ? "percent" : "ppm";
    } else {
      target = unit_of(ty.dim).text();
    }
    Expr value = expr(from, depth);
    return Expr{"(" + value.text + " to " + target + ")", std::nullopt, value.closed};
  }

  // -- Declarations ------------------------------------------------------------------

  std::string function(int k) {
    Signature s;
    s.name = "f" + std::to_string(k);
    std::uint64_t count = below(5);
    for (std::uint64_t i = 0; i < count; ++i) {
      s.params.emplace_back("x" + std::to_string(i), declared(random_type()));
    }
    s.result = declared(random_type());
    signature_ = &s;
    cost_ = 0;
    Expr body = into(s.result.ty, 0);
    signature_ = nullptr;
    s.cost = cost_ + 1;
    std::string text = "function " + s.name + "(";
    for (std::size_t i = 0; i < s.params.size(); ++i) {
      text += (i ? ", " : "") + s.params[i].first + ": " + s.params[i].second.text;
    }
    text += "): " + s.result.text + " = " + body.text + ";\n";
    signatures_.push_back(std::move(s));
    return text;
  }

  // A template parameter, in one of the four forms: range and default (a plant may set
  // it), range alone or neither (a plant must set it), default alone (fixed).
  std::string template_param(int k) {
    Param p;
    p.name = "p" + std::to_string(k);
    static const std::vector<Ty> kTypes = {
        quantity(kMass),
        quantity(kMass),
        quantity(kTemperature, Aff::kAbsolute),
        quantity(kTemperature, Aff::kAbsolute),
        quantity(kTemperature, Aff::kDifference),
        quantity(kTemperature, Aff::kLinear),
        quantity(kDuration),
        quantity(kVolume),
        quantity({1, 0, -1, 0}),
        quantity(kNone),
        int_type(),
        bool_type(),
    };
    Ty ty = pick(rng_, kTypes);
    if (ty.kind == Kind::kBool) {
      p.type = {ty, "bool"};
      params_.push_back(p);
      return "param " + p.name + ": bool = " + (chance(50) ? "true" : "false") + ";\n";
    }
    // The template's unit and another of the same kind for the plants.
    std::string unit, other;
    Frac scale = frac(1), offset = frac(0);
    if (ty.kind == Kind::kInt) {
      p.type = {ty, "int"};
    } else if (ty.dim == kNone) {
      p.type = {ty, "real"};
      other = "percent";
    } else if (ty.dim == kTemperature) {
      TemperatureUnit u = ty.aff == Aff::kLinear ? TemperatureUnit{"K", frac(1), frac(0)}
                                                 : temperature_unit(ty.aff);
      unit = u.text;
      scale = u.scale;
      offset = u.offset;
      p.type = {ty, unit};
      // A linear temperature takes a difference, never a reading (G0807).
      other = ty.aff == Aff::kLinear     ? "delta degF"
              : ty.aff == Aff::kAbsolute ? (unit == "degC" ? "degF" : "degC")
                                         : (unit == "delta degC" ? "delta degF" : "delta degC");
    } else {
      std::vector<const NamedUnit*> named = named_of(ty.dim);
      Unit u;
      if (named.empty()) {
        u.multiply("kg", 1, frac(1));
        u.multiply("h", -1, frac(3600));
      }
      if (!named.empty()) {
        std::size_t i = below(named.size());
        std::size_t j = (i + 1 + below(named.size() - 1)) % named.size();
        u.multiply(named[i]->name, 1, frac(named[i]->num, named[i]->den));
        other = named[j]->name;
      } else {
        other = chance(50) ? "lb/min" : "g/s";
      }
      unit = u.text();
      scale = u.scale;
      p.type = {ty, unit};
    }
    p.plant_unit = other;
    std::int64_t lo = static_cast<std::int64_t>(below(101)) - 50;
    std::int64_t hi = lo + 10 + static_cast<std::int64_t>(below(90));
    std::int64_t def = (lo + hi) / 2;
    auto written = [&](std::int64_t v) {
      std::string number = (ty.kind == Kind::kQuantity && ty.dim == kNone) ? Number{v, 0}.text(true)
                                                                           : std::to_string(v);
      return unit.empty() ? number : number + " " + unit;
    };
    auto base = [&](std::int64_t v) { return (frac(v) + offset) * scale; };
    std::string text = "param " + p.name + ": " + p.type.text;
    std::uint64_t form = below(4);
    if (form <= 1) {  // in lo .. hi, with a default or not
      text += " in " + written(lo) + " .. " + written(hi);
      p.lo = base(lo);
      p.hi = base(hi);
      p.settable = true;
    }
    if (form == 0 || form == 2) {
      text += " = " + written(def);
    } else {
      p.required = true;
      p.settable = true;
    }
    p.fallback = {ty.kind == Kind::kQuantity && ty.dim == kNone ? Number{def, 0}.text(true)
                                                                : std::to_string(def),
                  unit};
    params_.push_back(p);
    return text + ";\n";
  }

  // -- Oracle forms ------------------------------------------------------------------

  // Units the test's own conversion table knows, by family.
  struct Family {
    std::vector<std::string> units;
  };
  static const std::vector<Family>& oracle_families() {
    static const std::vector<Family> families = {
        {{"kg", "g", "lb", "oz", "t", "mg"}}, {{"s", "min", "h", "ms"}},
        {{"L", "m3", "gal", "mL", "hL"}},     {{"kg/h", "lb/min", "g/s", "t/h"}},
        {{"L/min", "m3/h", "gal/min"}},       {{"g/L", "kg/m3", "lb/gal"}},
        {{"K", "delta degC", "delta degF"}},
    };
    return families;
  }

  Number oracle_number(bool nonzero) {
    Number n{static_cast<std::int64_t>(below(200000)) - 100000, static_cast<int>(below(4))};
    if (nonzero && n.mantissa == 0) n.mantissa = 7;
    return n;
  }

  std::string oracle(int k) {
    OracleForm form;
    std::string name = "o" + std::to_string(k);
    form.function = "fn_" + name;
    const Family& family = pick(rng_, oracle_families());
    const std::string u1 = pick(rng_, family.units), u2 = pick(rng_, family.units);
    // `x`, or `(x to u)`, which leaves the value in base units as it is.
    const std::string x = chance(30) ? "(x to " + pick(rng_, family.units) + ")" : "x";
    std::vector<const Param*> quantities;  // parameters the plants set
    for (const Param& p : params_) {
      if (p.type.ty.kind == Kind::kQuantity) quantities.push_back(&p);
    }
    std::string head = "function " + name + "(x: ";
    std::string text;
    switch (below(quantities.empty() ? 5 : 8)) {
      case 0:
      case 1:
        form.shape = OracleForm::Shape::kPlusConstant;
        if (chance(30)) {  // a difference plus a reading is a reading
          std::string reading = chance(50) ? "degC" : "degF";
          form.constant = {oracle_number(false).text(), reading};
          text = head + (chance(50) ? "delta degC" : "delta degF") + "): " + reading + " = x + (" +
                 form.constant.number + " " + reading + ")";
        } else {
          form.constant = {oracle_number(false).text(), u2};
          text =
              head + u1 + "): " + u1 + " = " + x + " + (" + form.constant.number + " " + u2 + ")";
        }
        break;
      case 2:
        form.shape = OracleForm::Shape::kTimesConstant;
        form.constant = {oracle_number(false).text(), u2};
        text = head + "real): " + u1 + " = x * (" + form.constant.number + " " + u2 + ")";
        break;
      case 3:
        form.shape = OracleForm::Shape::kOverConstant;
        form.constant = {oracle_number(true).text(), u2};
        text = head + u1 + "): real = " + x + " / (" + form.constant.number + " " + u2 + ")";
        break;
      case 4: {
        form.shape = OracleForm::Shape::kLessThanConstant;
        bool readings = chance(30);  // a reading compared with a reading
        std::string a = readings ? (chance(50) ? "degC" : "degF") : u1;
        std::string b = readings ? (chance(50) ? "degC" : "degF") : u2;
        form.constant = {oracle_number(false).text(), b};
        text = head + a + "): bool = " + (readings ? "x" : x) + " < (" + form.constant.number +
               " " + b + ")";
        break;
      }
      default:
        text = param_oracle(form, head, *quantities[below(quantities.size())], u1);
        break;
    }
    form.source = text + ";";
    program_.oracles.push_back(form);
    return text + ";\n";
  }

  // `x * p` for a real parameter; `x - p` and `p + x` for one of a dimension (a reading
  // minus a reading is a difference; a reading plus a difference a reading).
  std::string param_oracle(OracleForm& form, const std::string& head, const Param& p,
                           const std::string& real_unit) {
    form.param = p.name;
    const Ty& t = p.type.ty;
    const std::string& unit = p.type.text;
    if (t.dim == kNone) {
      form.shape = OracleForm::Shape::kTimesParam;
      return head + real_unit + "): " + real_unit + " = x * " + p.name;
    }
    bool minus = chance(50);
    form.shape = minus ? OracleForm::Shape::kMinusParam : OracleForm::Shape::kParamPlus;
    if (t.aff == Aff::kAbsolute) {
      std::string delta = chance(50) ? "delta degC" : "delta degF";
      return minus ? head + unit + "): " + delta + " = x - " + p.name
                   : head + delta + "): " + unit + " = " + p.name + " + x";
    }
    std::string x = t.dim == kTemperature ? "K" : unit;
    return head + x + "): " + unit + " = " + (minus ? "x - " + p.name : p.name + " + x");
  }

  // -- Plants ------------------------------------------------------------------------

  RandomPlant plant(int k) {
    RandomPlant plant;
    plant.name = "q" + std::to_string(k);
    plant.path = "plants/" + plant.name + ".gmb";
    std::string text = "module plants." + plant.name + ";\n\nimport std.units;\n\nplant " +
                       plant.name + " \"Plant " + std::to_string(k) + "\" {\n  timezone \"UTC\";\n";
    if (chance(50)) text += "  units lb, degF, gal;\n";
    for (const Param& p : params_) {
      if (p.type.ty.kind == Kind::kBool) continue;
      WrittenQuantity value = p.fallback;
      if (p.settable && (p.required || chance(70))) {
        value = plant_value(p);
        std::string written = value.unit.empty() ? value.number : value.number + " " + value.unit;
        text += "  param " + p.name + " = " + written + ";\n";
      }
      plant.params.emplace_back(p.name, value);
    }
    plant.text = text + "}\n";
    return plant;
  }

  // A value for `p` in the plant's unit, inside the template's range.
  WrittenQuantity plant_value(const Param& p) {
    const Ty& ty = p.type.ty;
    if (ty.kind == Kind::kInt) {
      std::int64_t lo = p.lo ? static_cast<std::int64_t>(p.lo->num) : -1000;
      std::int64_t hi = p.hi ? static_cast<std::int64_t>(p.hi->num) : 1000;
      return {std::to_string(
                  lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)))),
              ""};
    }
    // A target in base units: in the range, else anywhere moderate.
    Frac target = p.lo && p.hi
                      ? p.lo.value() + (p.hi.value() - p.lo.value()) *
                                           frac(static_cast<std::int64_t>(below(9)) + 1, 10)
                      : frac(static_cast<std::int64_t>(below(2000)) + 1, 10);
    Frac scale = frac(1), offset = frac(0);
    if (!unit_scale(p.plant_unit, &scale, &offset)) return p.fallback;
    Number n = round_number(target / scale - offset, 6);
    Frac base = (n.value() + offset) * scale;
    bool inside = base.ok && (!p.lo || (*p.lo <= base && base <= *p.hi));
    if (!inside) return p.fallback;
    return {ty.dim == kNone && p.plant_unit.empty() ? n.text(true) : n.text(), p.plant_unit};
  }

  // The scale and offset of a unit a plant writes a parameter in.
  static bool unit_scale(const std::string& unit, Frac* scale, Frac* offset) {
    if (unit == "degC") {
      *offset = frac(27315, 100);
      return true;
    }
    if (unit == "degF") {
      *scale = frac(5, 9);
      *offset = frac(45967, 100);
      return true;
    }
    if (unit == "delta degC" || unit == "K") return true;
    if (unit == "delta degF") {
      *scale = frac(5, 9);
      return true;
    }
    if (unit == "percent") {
      *scale = frac(1, 100);
      return true;
    }
    if (unit == "lb/min") {
      *scale = frac(45359237, 6000000000);
      return true;
    }
    if (unit == "g/s") {
      *scale = frac(1, 1000);
      return true;
    }
    for (const NamedUnit& u : named_units()) {
      if (unit == u.name) {
        *scale = frac(u.num, u.den);
        return true;
      }
    }
    return false;
  }

  std::mt19937_64 rng_;
  RandomSourceOptions options_;
  RandomProgram program_;
  std::vector<Param> params_;
  std::vector<Signature> signatures_;
  const Signature* signature_ = nullptr;  // the function being generated
  std::uint64_t cost_ = 0;                // of its body so far, calls included
};

}  // namespace source_detail

// A template module `gen` (file gen.gmb) of `options.functions` random functions f0...
// (lowered as fn_f0...), `options.oracles` oracle functions o0..., `options.params`
// template parameters, and `options.plants` plant models (plants/q0.gmb...) that set
// the parameters in other units. Checks without an error with driver::check_sources.
inline RandomProgram random_program(std::uint64_t seed, const RandomSourceOptions& options = {}) {
  return source_detail::SourceGenerator(seed, options).generate();
}

}  // namespace gemba::testing
