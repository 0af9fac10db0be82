#ifndef GEMBA_COMPILER_SEMA_RATIONAL_H_
#define GEMBA_COMPILER_SEMA_RATIONAL_H_

#include <cassert>
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace gemba::sema {

// An exact rational number num/den, used for unit scales and offsets.
// Invariant: den > 0, gcd(|num|, den) == 1, num != INT64_MIN (so |num| and -num never overflow).
// Zero is 0/1. Arithmetic is checked: every operation returns nullopt on overflow or division by
// zero, never a wrapped or rounded result.
class Rational {
 public:
  constexpr Rational() = default;
  // Precondition: value != INT64_MIN.
  constexpr explicit Rational(int64_t value) : num_(value) {
    assert(value != std::numeric_limits<int64_t>::min());
  }

  // num/den in lowest terms; nullopt when den == 0 or the reduced value is not representable.
  static std::optional<Rational> make(int64_t num, int64_t den);

  // Parses the exact value of `[+-]?D+(.D+)?([eE][+-]?D+)?` (D a decimal digit), e.g. "12",
  // "0.45359237", "1e-3". nullopt on any other text, when the value is not representable
  // ("6.02e23"), or when the digits hold more than 38 significant digits.
  static std::optional<Rational> parse_decimal(std::string_view text);

  int64_t num() const { return num_; }
  int64_t den() const { return den_; }
  bool is_zero() const { return num_ == 0; }
  bool is_one() const { return num_ == 1 && den_ == 1; }
  bool is_integer() const { return den_ == 1; }

  std::optional<Rational> add(const Rational& other) const;
  std::optional<Rational> sub(const Rational& other) const;
  std::optional<Rational> mul(const Rational& other) const;
  std::optional<Rational> div(const Rational& other) const;
  // A negative exponent takes the reciprocal; x^0 == 1 (also for x == 0); 0^-n is nullopt.
  std::optional<Rational> pow(int exponent) const;

  // Nearest double to num/den, up to one rounding of each operand and of the quotient.
  double to_double() const;
  // "12" for an integer; the exact decimal when den == 2^a*5^b ("0.001", "-273.15");
  // otherwise "num/den" ("5/9", "-1/3").
  std::string to_string() const;

  bool operator==(const Rational&) const = default;
  std::strong_ordering operator<=>(const Rational& other) const;

 private:
  int64_t num_ = 0;
  int64_t den_ = 1;
};

std::ostream& operator<<(std::ostream& os, const Rational& value);

}  // namespace gemba::sema

#endif  // GEMBA_COMPILER_SEMA_RATIONAL_H_
