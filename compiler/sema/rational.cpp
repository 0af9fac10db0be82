#include "compiler/sema/rational.h"

#include <algorithm>
#include <numeric>
#include <ostream>

namespace gemba::sema {
namespace {

// Every product of two int64 values, and every sum of two such products, fits in 127 bits.
__extension__ using Wide = __int128;
__extension__ using UWide = unsigned __int128;

constexpr Wide kMax = std::numeric_limits<int64_t>::max();
// 10^38 - 1 < 2^127 - 1: any 38-digit mantissa fits in a Wide.
constexpr size_t kMaxSignificantDigits = 38;
// Exponents beyond this magnitude never yield a representable non-zero value.
constexpr int64_t kExponentCap = 1'000'000;

UWide gcd(UWide a, UWide b) {
  while (b != 0) {
    UWide t = a % b;
    a = b;
    b = t;
  }
  return a;
}

UWide magnitude(Wide v) { return v < 0 ? -static_cast<UWide>(v) : static_cast<UWide>(v); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The syntactic pieces of a decimal literal.
struct DecimalParts {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  int64_t exponent = 0;  // Clamped to [-kExponentCap, kExponentCap].
};

std::string_view take_digits(std::string_view text, size_t& pos) {
  size_t start = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  return text.substr(start, pos - start);
}

bool take_sign(std::string_view text, size_t& pos) {
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) return text[pos++] == '-';
  return false;
}

std::optional<int64_t> take_exponent(std::string_view text, size_t& pos) {
  bool negative = take_sign(text, pos);
  std::string_view digits = take_digits(text, pos);
  if (digits.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) value = std::min(kExponentCap, value * 10 + (c - '0'));
  return negative ? -value : value;
}

std::optional<DecimalParts> scan_decimal(std::string_view text) {
  DecimalParts parts;
  size_t pos = 0;
  parts.negative = take_sign(text, pos);
  parts.int_digits = take_digits(text, pos);
  if (parts.int_digits.empty()) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    parts.frac_digits = take_digits(text, ++pos);
    if (parts.frac_digits.empty()) return std::nullopt;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    std::optional<int64_t> exponent = take_exponent(text, ++pos);
    if (!exponent) return std::nullopt;
    parts.exponent = *exponent;
  }
  if (pos != text.size()) return std::nullopt;
  return parts;
}

// Number of times `factor` divides `value`, at most `limit`; divides them out of `value`.
int64_t divide_out(UWide& value, unsigned factor, int64_t limit) {
  int64_t count = 0;
  while (count < limit && value % factor == 0) {
    value /= factor;
    ++count;
  }
  return count;
}

// 2^twos * 5^fives, or nullopt when it exceeds INT64_MAX.
std::optional<Wide> power_of_2_and_5(int64_t twos, int64_t fives) {
  Wide result = 1;
  for (int64_t i = 0; i < twos + fives; ++i) {
    result *= i < twos ? 2 : 5;
    if (result > kMax) return std::nullopt;
  }
  return result;
}

// mantissa * 10^exponent, or nullopt when it exceeds INT64_MAX. Precondition: exponent >= 0.
std::optional<Wide> scale_up(UWide mantissa, int64_t exponent) {
  for (; exponent > 0; --exponent) {
    if (mantissa > static_cast<UWide>(kMax)) return std::nullopt;
    mantissa *= 10;
  }
  if (mantissa > static_cast<UWide>(kMax)) return std::nullopt;
  return static_cast<Wide>(mantissa);
}

bool has_finite_decimal(int64_t den) {
  while (den % 2 == 0) den /= 2;
  while (den % 5 == 0) den /= 5;
  return den == 1;
}

// num/den in lowest terms. Precondition: den != 0 and |num|, |den| < 2^127.
std::optional<Rational> from_wide(Wide num, Wide den) {
  Wide g = static_cast<Wide>(gcd(magnitude(num), magnitude(den)));
  num /= g;
  den /= g;
  if (num > kMax || num < -kMax || den > kMax || den < -kMax) return std::nullopt;
  return Rational::make(static_cast<int64_t>(num), static_cast<int64_t>(den));
}

// mantissa * 10^exponent, with mantissa % 10 != 0 unless mantissa == 0.
struct Significand {
  UWide mantissa = 0;
  int64_t exponent = 0;
};

// nullopt when the digits hold more than kMaxSignificantDigits significant digits.
std::optional<Significand> significand(const DecimalParts& parts) {
  std::string digits = std::string(parts.int_digits) + std::string(parts.frac_digits);
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Significand{};
  size_t last = digits.find_last_not_of('0');
  if (last - first + 1 > kMaxSignificantDigits) return std::nullopt;
  Significand result;
  result.exponent = parts.exponent - static_cast<int64_t>(parts.frac_digits.size()) +
                    static_cast<int64_t>(digits.size() - 1 - last);
  for (size_t i = first; i <= last; ++i) {
    result.mantissa = result.mantissa * 10 + static_cast<unsigned>(digits[i] - '0');
  }
  return result;
}

// The exact value of `value`, or nullopt when it is not representable.
std::optional<Rational> exact_value(Significand value) {
  if (value.exponent >= 0) {
    std::optional<Wide> scaled = scale_up(value.mantissa, value.exponent);
    if (!scaled) return std::nullopt;
    return from_wide(*scaled, 1);
  }
  // mantissa / (2^k * 5^k) with k = -exponent: cancel common factors of 2 and 5 first, since
  // mantissa may exceed int64 and 10^k may exceed even 128 bits.
  int64_t k = -value.exponent;
  int64_t twos = k - divide_out(value.mantissa, 2, k);
  int64_t fives = k - divide_out(value.mantissa, 5, k);
  std::optional<Wide> den = power_of_2_and_5(twos, fives);
  if (!den || value.mantissa > static_cast<UWide>(kMax)) return std::nullopt;
  return from_wide(static_cast<Wide>(value.mantissa), *den);
}

}  // namespace

std::optional<Rational> Rational::make(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  uint64_t abs_num = num < 0 ? -static_cast<uint64_t>(num) : static_cast<uint64_t>(num);
  uint64_t abs_den = den < 0 ? -static_cast<uint64_t>(den) : static_cast<uint64_t>(den);
  uint64_t g = std::gcd(abs_num, abs_den);
  abs_num /= g;
  abs_den /= g;
  constexpr uint64_t kLimit = std::numeric_limits<int64_t>::max();
  if (abs_num > kLimit || abs_den > kLimit) return std::nullopt;
  Rational result;
  result.num_ =
      (num < 0) != (den < 0) ? -static_cast<int64_t>(abs_num) : static_cast<int64_t>(abs_num);
  result.den_ = static_cast<int64_t>(abs_den);
  return result;
}

std::optional<Rational> Rational::parse_decimal(std::string_view text) {
  std::optional<DecimalParts> parts = scan_decimal(text);
  if (!parts) return std::nullopt;
  std::optional<Significand> value = significand(*parts);
  if (!value) return std::nullopt;
  std::optional<Rational> magnitude = exact_value(*value);
  if (!magnitude || !parts->negative) return magnitude;
  return Rational().sub(*magnitude);
}

std::optional<Rational> Rational::add(const Rational& other) const {
  return from_wide(Wide{num_} * other.den_ + Wide{other.num_} * den_, Wide{den_} * other.den_);
}

std::optional<Rational> Rational::sub(const Rational& other) const {
  return from_wide(Wide{num_} * other.den_ - Wide{other.num_} * den_, Wide{den_} * other.den_);
}

std::optional<Rational> Rational::mul(const Rational& other) const {
  return from_wide(Wide{num_} * other.num_, Wide{den_} * other.den_);
}

std::optional<Rational> Rational::div(const Rational& other) const {
  if (other.is_zero()) return std::nullopt;
  return from_wide(Wide{num_} * other.den_, Wide{den_} * other.num_);
}

// Square-and-multiply. Every square taken divides the final result, so an intermediate
// overflows only when the result does.
std::optional<Rational> Rational::pow(int exponent) const {
  int64_t remaining = exponent;
  Rational base = *this;
  if (remaining < 0) {
    std::optional<Rational> inverse = Rational(1).div(*this);
    if (!inverse) return std::nullopt;
    base = *inverse;
    remaining = -remaining;
  }
  Rational result(1);
  while (remaining != 0) {
    if (remaining & 1) {
      std::optional<Rational> product = result.mul(base);
      if (!product) return std::nullopt;
      result = *product;
    }
    remaining >>= 1;
    if (remaining == 0) break;
    std::optional<Rational> square = base.mul(base);
    if (!square) return std::nullopt;
    base = *square;
  }
  return result;
}

double Rational::to_double() const {
  return static_cast<double>(static_cast<long double>(num_) / static_cast<long double>(den_));
}

std::string Rational::to_string() const {
  if (den_ == 1) return std::to_string(num_);
  if (!has_finite_decimal(den_)) return std::to_string(num_) + "/" + std::to_string(den_);
  std::string out = num_ < 0 ? "-" : "";
  uint64_t abs_num = static_cast<uint64_t>(num_ < 0 ? -num_ : num_);
  uint64_t den = static_cast<uint64_t>(den_);
  out += std::to_string(abs_num / den) + ".";
  // Terminates: den == 2^a*5^b, so the remainder reaches 0 after max(a, b) digits.
  for (UWide rem = abs_num % den; rem != 0; rem %= den) {
    rem *= 10;
    out += static_cast<char>('0' + static_cast<int>(rem / den));
  }
  return out;
}

std::strong_ordering Rational::operator<=>(const Rational& other) const {
  return Wide{num_} * other.den_ <=> Wide{other.num_} * den_;
}

std::ostream& operator<<(std::ostream& os, const Rational& value) {
  return os << value.to_string();
}

}  // namespace gemba::sema
