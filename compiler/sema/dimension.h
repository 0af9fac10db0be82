#ifndef GEMBA_COMPILER_SEMA_DIMENSION_H_
#define GEMBA_COMPILER_SEMA_DIMENSION_H_

#include <array>
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gemba::sema {

inline constexpr int kMaxBaseDimensions = 16;

// A product of integer powers of base dimensions, e.g. mass*length/duration^2. Exponent i belongs
// to the base dimension with index i in a DimensionTable. The default value is dimensionless.
// Operations that would take an exponent outside [-128, 127] return nullopt.
class Dimension {
 public:
  constexpr Dimension() = default;
  // The base dimension `index` to the power 1. Precondition: 0 <= index < kMaxBaseDimensions.
  static Dimension base(int index);

  // Precondition: 0 <= index < kMaxBaseDimensions.
  int exponent(int index) const;
  bool is_dimensionless() const;

  std::optional<Dimension> mul(const Dimension& other) const;
  std::optional<Dimension> div(const Dimension& other) const;
  std::optional<Dimension> pow(int exponent) const;

  bool operator==(const Dimension&) const = default;
  // An arbitrary total order, for use as a map key.
  std::strong_ordering operator<=>(const Dimension&) const = default;

 private:
  std::array<int8_t, kMaxBaseDimensions> exponents_{};
};

// Prints the raw exponents, e.g. "Dimension{0:1, 2:-2}"; for test failure messages.
std::ostream& operator<<(std::ostream& os, const Dimension& dimension);

// The declared dimensions of a program: base dimensions (index = declaration order) and named
// derived dimensions. Names are unique across both kinds.
class DimensionTable {
 public:
  // Declares a base dimension and returns its index. nullopt when the table already holds
  // kMaxBaseDimensions bases or `name` is already declared; find() tells the two apart.
  std::optional<int> add_base(std::string name);
  // Declares a named derived dimension. false when `name` is already declared.
  bool add_named(std::string name, const Dimension& dimension);

  std::optional<int> find_base(std::string_view name) const;
  // The dimension a name denotes, base or derived.
  std::optional<Dimension> find(std::string_view name) const;
  // The first-declared derived dimension equal to `dimension`, if any.
  std::optional<std::string_view> derived_name(const Dimension& dimension) const;

  int base_count() const { return static_cast<int>(bases_.size()); }
  // Precondition: 0 <= index < base_count().
  const std::string& base_name(int index) const { return bases_[index]; }

  // Canonical form in base names: "mass", "length/duration^2", "1/duration", "dimensionless",
  // "mass/(length*duration^2)". Factors appear in base declaration order.
  std::string format(const Dimension& dimension) const;
  // For diagnostics: a base as its name ("mass"), a declared derived dimension as
  // "force (mass*length/duration^2)", anything else as format().
  std::string describe(const Dimension& dimension) const;

 private:
  struct Derived {
    std::string name;
    Dimension dimension;
  };

  std::string factor_name(int index) const;

  std::vector<std::string> bases_;
  std::vector<Derived> derived_;
};

}  // namespace gemba::sema

#endif  // GEMBA_COMPILER_SEMA_DIMENSION_H_
