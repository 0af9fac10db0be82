#include "compiler/sema/dimension.h"

#include <cassert>
#include <cstdint>
#include <ostream>

namespace gemba::sema {
namespace {

constexpr int64_t kMinExponent = INT8_MIN;
constexpr int64_t kMaxExponent = INT8_MAX;

bool fits_exponent(int64_t value) { return value >= kMinExponent && value <= kMaxExponent; }

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += '*';
    out += part;
  }
  return out;
}

std::string power(const std::string& name, int exponent) {
  return exponent == 1 ? name : name + "^" + std::to_string(exponent);
}

}  // namespace

Dimension Dimension::base(int index) {
  assert(index >= 0 && index < kMaxBaseDimensions);
  Dimension result;
  result.exponents_[index] = 1;
  return result;
}

int Dimension::exponent(int index) const {
  assert(index >= 0 && index < kMaxBaseDimensions);
  return exponents_[index];
}

bool Dimension::is_dimensionless() const { return *this == Dimension(); }

std::optional<Dimension> Dimension::mul(const Dimension& other) const {
  Dimension result;
  for (int i = 0; i < kMaxBaseDimensions; ++i) {
    int64_t sum = int64_t{exponents_[i]} + other.exponents_[i];
    if (!fits_exponent(sum)) return std::nullopt;
    result.exponents_[i] = static_cast<int8_t>(sum);
  }
  return result;
}

std::optional<Dimension> Dimension::div(const Dimension& other) const {
  Dimension result;
  for (int i = 0; i < kMaxBaseDimensions; ++i) {
    int64_t difference = int64_t{exponents_[i]} - other.exponents_[i];
    if (!fits_exponent(difference)) return std::nullopt;
    result.exponents_[i] = static_cast<int8_t>(difference);
  }
  return result;
}

std::optional<Dimension> Dimension::pow(int exponent) const {
  Dimension result;
  for (int i = 0; i < kMaxBaseDimensions; ++i) {
    int64_t product = int64_t{exponents_[i]} * exponent;
    if (!fits_exponent(product)) return std::nullopt;
    result.exponents_[i] = static_cast<int8_t>(product);
  }
  return result;
}

std::ostream& operator<<(std::ostream& os, const Dimension& dimension) {
  os << "Dimension{";
  const char* separator = "";
  for (int i = 0; i < kMaxBaseDimensions; ++i) {
    if (dimension.exponent(i) == 0) continue;
    os << separator << i << ":" << dimension.exponent(i);
    separator = ", ";
  }
  return os << "}";
}

std::optional<int> DimensionTable::add_base(std::string name) {
  if (base_count() >= kMaxBaseDimensions || find(name)) return std::nullopt;
  bases_.push_back(std::move(name));
  return base_count() - 1;
}

bool DimensionTable::add_named(std::string name, const Dimension& dimension) {
  if (find(name)) return false;
  derived_.push_back({std::move(name), dimension});
  return true;
}

std::optional<int> DimensionTable::find_base(std::string_view name) const {
  for (int i = 0; i < base_count(); ++i) {
    if (bases_[i] == name) return i;
  }
  return std::nullopt;
}

std::optional<Dimension> DimensionTable::find(std::string_view name) const {
  if (std::optional<int> index = find_base(name)) return Dimension::base(*index);
  for (const Derived& derived : derived_) {
    if (derived.name == name) return derived.dimension;
  }
  return std::nullopt;
}

std::optional<std::string_view> DimensionTable::derived_name(const Dimension& dimension) const {
  for (const Derived& derived : derived_) {
    if (derived.dimension == dimension) return derived.name;
  }
  return std::nullopt;
}

// Exponents of undeclared bases (a caller bug) print as "<base N>" rather than crash.
std::string DimensionTable::factor_name(int index) const {
  return index < base_count() ? bases_[index] : "<base " + std::to_string(index) + ">";
}

std::string DimensionTable::format(const Dimension& dimension) const {
  std::vector<std::string> numerator;
  std::vector<std::string> denominator;
  for (int i = 0; i < kMaxBaseDimensions; ++i) {
    int exponent = dimension.exponent(i);
    if (exponent > 0) numerator.push_back(power(factor_name(i), exponent));
    if (exponent < 0) denominator.push_back(power(factor_name(i), -exponent));
  }
  if (numerator.empty() && denominator.empty()) return "dimensionless";
  std::string out = numerator.empty() ? "1" : join(numerator);
  if (denominator.empty()) return out;
  std::string below = join(denominator);
  return out + "/" + (denominator.size() > 1 ? "(" + below + ")" : below);
}

std::string DimensionTable::describe(const Dimension& dimension) const {
  for (int i = 0; i < base_count(); ++i) {
    if (dimension == Dimension::base(i)) return bases_[i];
  }
  if (std::optional<std::string_view> name = derived_name(dimension)) {
    return std::string(*name) + " (" + format(dimension) + ")";
  }
  return format(dimension);
}

}  // namespace gemba::sema
