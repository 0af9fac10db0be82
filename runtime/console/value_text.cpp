#include "runtime/console/value_text.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "compiler/sema/rational.h"

namespace gemba::console {
namespace {

using lower::Scalar;
using lower::ValueFormat;
using Kind = ValueFormat::Kind;

// Calendar times shown and read: years 0000 .. 9999.
constexpr std::int64_t kFirstSecond = -62167219200;  // 0000-01-01 00:00:00 UTC
constexpr std::int64_t kLastSecond = 253402300799;   // 9999-12-31 23:59:59 UTC

Scalar int_scalar(std::int64_t i) { return Scalar{.i = i}; }
Scalar real_scalar(double r) { return Scalar{.r = r}; }
Scalar bool_scalar(bool b) {
  Scalar s{.i = 0};
  s.b = b;
  return s;
}

ParsedValue failure(std::string error) { return {std::nullopt, std::move(error)}; }
ParsedValue success(Scalar value) { return {value, ""}; }

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string without_blanks(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!is_blank(c)) out += c;
  }
  return out;
}

std::string quoted(std::string_view text) { return "`" + std::string(text) + "`"; }

// "a viscosity", "an area".
std::string a_or_an(const std::string& noun) {
  bool vowel = !noun.empty() && std::string_view("aeiouAEIOU").find(noun[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + noun;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t k = 0; k < items.size(); ++k) out += (k ? ", " : "") + items[k];
  return out;
}

// `x` with up to `digits` significant digits and no trailing zeros, without an exponent
// between 1e-4 and 1e15.
std::string number_text(double x, int digits = 6) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  if (x == 0) return "0";
  char buffer[400];
  double magnitude = std::fabs(x);
  if (magnitude < 1e-4 || magnitude >= 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, x);
    return buffer;
  }
  int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  std::snprintf(buffer, sizeof buffer, "%.*f", std::max(0, digits - 1 - exponent), x);
  std::string out = buffer;
  if (out.find('.') != std::string::npos) {
    out.erase(out.find_last_not_of('0') + 1);
    if (out.back() == '.') out.pop_back();
  }
  return out == "-0" ? "0" : out;
}

// A base value in the format's unit, as a number.
double shown(double base, const ValueFormat& format) {
  return (base - format.offset) / format.scale;
}

// "2026-11-26 14:05:00 UTC": the second the time falls in.
std::string time_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < kFirstSecond || seconds >= kLastSecond + 1.0) {
    return number_text(seconds) + " s since 1970";
  }
  auto t = static_cast<std::int64_t>(std::floor(seconds));
  std::int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  std::int64_t second_of_day = t - days * 86400;
  std::chrono::year_month_day date{
      std::chrono::sys_days{std::chrono::days{static_cast<std::int32_t>(days)}}};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d:%02d UTC",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
  return buffer;
}

std::string handle_text(std::int64_t handle, const Names* names) {
  std::optional<std::string> text = names ? names->text(handle) : std::nullopt;
  return text ? *text : "#" + std::to_string(handle);
}

std::string real_text(double base, const ValueFormat& format, int digits) {
  std::string number = number_text(shown(base, format), digits);
  return format.unit.empty() ? number : number + " " + format.unit;
}

// ---- Ranges -----------------------------------------------------------------------

bool ranged(const ValueFormat& format) {
  return format.kind == Kind::kInt || format.kind == Kind::kReal || format.kind == Kind::kTime;
}

bool less(Scalar a, Scalar b, const ValueFormat& format) {
  return format.kind == Kind::kInt ? a.i < b.i : a.r < b.r;
}

// A bound as a hint shows it: a number in the format's unit, without the unit.
std::string bound_text(Scalar bound, const ValueFormat& format) {
  if (format.kind == Kind::kInt) return std::to_string(bound.i);
  if (format.kind == Kind::kTime) return time_text(bound.r);
  return number_text(shown(bound.r, format));
}

// " between 800 and 1200", " of at least 800", or nothing.
std::string range_hint(const ValueFormat& format, std::optional<Scalar> lo,
                       std::optional<Scalar> hi) {
  if (!ranged(format)) return "";
  if (lo && hi) return " between " + bound_text(*lo, format) + " and " + bound_text(*hi, format);
  if (lo) return " of at least " + bound_text(*lo, format);
  if (hi) return " of at most " + bound_text(*hi, format);
  return "";
}

// Why `value` is outside [lo, hi], or empty. A value shown like a bound it exceeds is
// shown with more digits.
std::string range_error(Scalar value, const ValueFormat& format, std::optional<Scalar> lo,
                        std::optional<Scalar> hi) {
  bool below = lo && less(value, *lo, format);
  bool above = hi && less(*hi, value, format);
  if (!below && !above) return "";
  Scalar bound = below ? *lo : *hi;
  std::string text = format_value(value, format, nullptr);
  if (text == format_value(bound, format, nullptr) && format.kind == Kind::kReal) {
    text = real_text(value.r, format, 15);
  }
  std::string allowed = lo && hi ? "the allowed range " + format_value(*lo, format, nullptr) +
                                       " .. " + format_value(*hi, format, nullptr)
                        : lo ? "the minimum " + format_value(*lo, format, nullptr)
                             : "the maximum " + format_value(*hi, format, nullptr);
  return text + " is " + (below ? "below " : "above ") + allowed;
}

// ---- Parsing, by kind -------------------------------------------------------------

ParsedValue parse_bool(std::string_view text) {
  std::string word = lowercase(text);
  if (word == "yes" || word == "y" || word == "true") return success(bool_scalar(true));
  if (word == "no" || word == "n" || word == "false") return success(bool_scalar(false));
  return failure("type yes or no");
}

ParsedValue parse_int(std::string_view text, const std::string& expected) {
  std::string_view digits = text.size() > 1 && text[0] == '+' ? text.substr(1) : text;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc::result_out_of_range) {
    return failure(quoted(text) + " is too large: type " + expected);
  }
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return failure(quoted(text) + " is not a whole number: type " + expected);
  }
  return success(int_scalar(value));
}

// A decimal number at the start of `text`, as Rational::parse_decimal reads it (`.5`
// becomes `0.5`, `5.` becomes `5`), and what follows it.
struct LeadingNumber {
  std::string decimal;
  std::string_view rest;
};

std::optional<LeadingNumber> leading_number(std::string_view text) {
  std::size_t i = 0, n = text.size();
  std::string out;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    if (text[i++] == '-') out += '-';
  }
  std::size_t whole = i;
  while (i < n && is_digit(text[i])) out += text[i++];
  bool has_whole = i > whole;
  bool has_fraction = false;
  if (i < n && text[i] == '.') {
    std::size_t fraction = ++i;
    while (i < n && is_digit(text[i])) ++i;
    has_fraction = i > fraction;
    if (has_fraction)
      out += (has_whole ? "." : "0.") + std::string(text.substr(fraction, i - fraction));
  }
  if (!has_whole && !has_fraction) return std::nullopt;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {  // an exponent only when digits follow
    std::size_t j = i + 1;
    if (j < n && (text[j] == '+' || text[j] == '-')) ++j;
    std::size_t digits = j;
    while (j < n && is_digit(text[j])) ++j;
    if (j > digits) {
      out += "e" + std::string(text.substr(i + 1, j - i - 1));
      i = j;
    }
  }
  return LeadingNumber{out, text.substr(i)};
}

// How a unit maps typed numbers to base values.
struct Scaling {
  double scale, offset;
  ValueFormat::Fraction exact_scale, exact_offset;
};

// The scaling of the unit typed after a number: none typed is the format's own unit.
std::optional<Scaling> scaling_of(const ValueFormat& format, std::string_view typed_unit) {
  std::string unit = without_blanks(typed_unit);
  if (unit.empty() || unit == without_blanks(format.unit)) {
    return Scaling{format.scale, format.offset, format.exact_scale, format.exact_offset};
  }
  for (const ValueFormat::Unit& other : format.other_units) {
    if (unit == without_blanks(other.name)) {
      return Scaling{other.scale, other.offset, other.exact_scale, other.exact_offset};
    }
  }
  return std::nullopt;
}

std::optional<sema::Rational> rational(ValueFormat::Fraction f) {
  return f.den > 0 ? sema::Rational::make(f.num, f.den) : std::nullopt;
}

// decimal * scale + offset, rounded once as the compiler rounds a literal's value when
// every part is exact; else in doubles. nullopt when the result is not finite.
std::optional<double> to_base(const std::string& decimal, const Scaling& s) {
  std::optional<sema::Rational> value = sema::Rational::parse_decimal(decimal);
  std::optional<sema::Rational> scale = rational(s.exact_scale);
  std::optional<sema::Rational> offset = rational(s.exact_offset);
  if (value && scale && offset) {
    std::optional<sema::Rational> scaled = value->mul(*scale);
    std::optional<sema::Rational> base = scaled ? scaled->add(*offset) : std::nullopt;
    if (base) return base->to_double();
  }
  double typed = 0;
  auto [end, error] = std::from_chars(decimal.data(), decimal.data() + decimal.size(), typed);
  if (error != std::errc() || end != decimal.data() + decimal.size()) return std::nullopt;
  double base = typed * s.scale + s.offset;
  if (!std::isfinite(base)) return std::nullopt;
  return base;
}

ParsedValue parse_real(std::string_view text, const ValueFormat& format,
                       const std::string& expected) {
  std::optional<LeadingNumber> number = leading_number(text);
  if (!number) return failure(quoted(text) + " is not a number: type " + expected);
  std::string_view written = trimmed(text.substr(0, text.size() - number->rest.size()));
  if (number->rest.size() > 1 && number->rest[0] == ',' && is_digit(number->rest[1])) {
    return failure(quoted(text) + ": write decimals with a point, e.g. " + std::string(written) +
                   "." + std::string(trimmed(number->rest.substr(1))));
  }
  std::optional<Scaling> scaling = scaling_of(format, trimmed(number->rest));
  if (!scaling) {
    std::string what = format.type_name.empty() ? "number" : format.type_name;
    std::string in = format.unit.empty() ? "type a number" : "type a value in " + format.unit;
    return failure(std::string(text) + " is not " + a_or_an(what) + ": " + in + ", e.g. " +
                   std::string(written));
  }
  std::optional<double> base = to_base(number->decimal, *scaling);
  if (!base) return failure(quoted(text) + " is out of range: type " + expected);
  return success(real_scalar(*base));
}

ParsedValue parse_enum(std::string_view text, const ValueFormat& format) {
  std::string word = lowercase(text);
  for (std::size_t k = 0; k < format.choices.size(); ++k) {
    if (lowercase(format.choices[k]) == word)
      return success(int_scalar(static_cast<std::int64_t>(k)));
  }
  std::size_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc() && end == text.data() + text.size() && number >= 1 &&
      number <= format.choices.size()) {
    return success(int_scalar(static_cast<std::int64_t>(number - 1)));
  }
  return failure(quoted(text) + " is not one of " + joined(format.choices));
}

ParsedValue parse_name(std::string_view text, const ValueFormat& format, Names* names) {
  std::string what = format.kind == Kind::kLot ? "lot" : "material";
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return failure("a " + what +
                     " name cannot hold control characters: type the name as printed");
    }
  }
  if (names == nullptr) return failure("no " + what + " names can be recorded here");
  return success(int_scalar(names->handle(text)));
}

// Reads `width` digits at `text[*at]` into `*out`, advancing `*at`; false if they are
// not there.
bool read_digits(std::string_view text, std::size_t* at, std::size_t width, int* out) {
  if (*at + width > text.size()) return false;
  int value = 0;
  for (std::size_t k = 0; k < width; ++k) {
    char c = text[*at + k];
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  *at += width;
  *out = value;
  return true;
}

bool read_char(std::string_view text, std::size_t* at, char c) {
  if (*at >= text.size() || text[*at] != c) return false;
  ++*at;
  return true;
}

// `YYYY-MM-DD HH:MM[:SS]` (or with `T`), optionally followed by `UTC` or `Z`: seconds
// since 1970; nullopt for anything else or a day or time that does not exist.
std::optional<std::int64_t> utc_seconds(std::string_view text) {
  for (std::string_view zone : {std::string_view("UTC"), std::string_view("Z")}) {
    if (text.size() > zone.size() && text.substr(text.size() - zone.size()) == zone) {
      text = trimmed(text.substr(0, text.size() - zone.size()));
      break;
    }
  }
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool ok = read_digits(text, &at, 4, &year) && read_char(text, &at, '-') &&
            read_digits(text, &at, 2, &month) && read_char(text, &at, '-') &&
            read_digits(text, &at, 2, &day) &&
            (read_char(text, &at, ' ') || read_char(text, &at, 'T')) &&
            read_digits(text, &at, 2, &hour) && read_char(text, &at, ':') &&
            read_digits(text, &at, 2, &minute);
  if (ok && at < text.size()) {
    ok = read_char(text, &at, ':') && read_digits(text, &at, 2, &second);
  }
  if (!ok || at != text.size()) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(year),
                                   std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

ParsedValue parse_time(std::string_view text, const std::string& expected) {
  std::optional<std::int64_t> seconds = utc_seconds(text);
  if (!seconds) {
    return failure(quoted(text) + " is not a time: type " + expected + ", e.g. 2026-11-26 14:05");
  }
  return success(real_scalar(static_cast<double>(*seconds)));
}

ParsedValue parse_kind(std::string_view text, const ValueFormat& format, Names* names,
                       const std::string& expected) {
  switch (format.kind) {
    case Kind::kBool:
      return parse_bool(text);
    case Kind::kInt:
      return parse_int(text, expected);
    case Kind::kReal:
      return parse_real(text, format, expected);
    case Kind::kEnum:
      return parse_enum(text, format);
    case Kind::kMaterial:
    case Kind::kLot:
      return parse_name(text, format, names);
    case Kind::kTime:
      return parse_time(text, expected);
  }
  return failure("type " + expected);
}

// ---- Rendering --------------------------------------------------------------------

// What `{inside}` stands for, or nullopt to leave it as written.
std::optional<std::string> placeholder(std::string_view inside, const lower::Point& point,
                                       const std::vector<Scalar>& values, const Names* names,
                                       const EquipmentNames* equipment) {
  if (!inside.empty() && inside[0] == '$') {
    if (equipment == nullptr) return std::nullopt;
    auto it = equipment->find(inside.substr(1));
    return it == equipment->end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  std::size_t k = 0;
  auto [end, error] = std::from_chars(inside.data(), inside.data() + inside.size(), k);
  if (inside.empty() || error != std::errc() || end != inside.data() + inside.size() ||
      k >= values.size()) {
    return std::nullopt;
  }
  ValueFormat plain;
  const ValueFormat& format = k < point.value_formats.size() ? point.value_formats[k] : plain;
  return format_value(values[k], format, names);
}

}  // namespace

std::int64_t MemoryNames::handle(std::string_view text) {
  auto it = handles_.find(text);
  if (it != handles_.end()) return it->second;
  texts_.emplace_back(text);
  auto handle = static_cast<std::int64_t>(texts_.size());
  handles_.emplace(std::string(text), handle);
  return handle;
}

std::optional<std::string> MemoryNames::text(std::int64_t handle) const {
  if (handle < 1 || handle > static_cast<std::int64_t>(texts_.size())) return std::nullopt;
  return texts_[static_cast<std::size_t>(handle - 1)];
}

std::string format_value(Scalar value, const ValueFormat& format, const Names* names) {
  switch (format.kind) {
    case Kind::kBool:
      return value.b ? "true" : "false";
    case Kind::kInt:
      return std::to_string(value.i);
    case Kind::kReal:
      return real_text(value.r, format, 6);
    case Kind::kEnum:
      if (value.i >= 0 && static_cast<std::uint64_t>(value.i) < format.choices.size()) {
        return format.choices[static_cast<std::size_t>(value.i)];
      }
      return "#" + std::to_string(value.i);
    case Kind::kMaterial:
    case Kind::kLot:
      return handle_text(value.i, names);
    case Kind::kTime:
      return time_text(value.r);
  }
  return "?";
}

std::string render_text(const lower::Point& point, const std::vector<Scalar>& values,
                        const Names* names, const EquipmentNames* equipment) {
  const std::string& text = point.text;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    std::size_t close = c == '{' ? text.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += c;
      continue;
    }
    std::string_view inside(text.data() + i + 1, close - i - 1);
    std::optional<std::string> value = placeholder(inside, point, values, names, equipment);
    out += value ? *value : text.substr(i, close - i + 1);
    i = close;
  }
  return out;
}

ParsedValue parse_value(std::string_view text, const ValueFormat& format, std::optional<Scalar> lo,
                        std::optional<Scalar> hi, Names* names) {
  std::string expected = expected_input(format, lo, hi);
  text = trimmed(text);
  if (text.empty()) return failure("type " + expected);
  ParsedValue parsed = parse_kind(text, format, names, expected);
  if (!parsed.value || !ranged(format)) return parsed;
  std::string out_of_range = range_error(*parsed.value, format, lo, hi);
  return out_of_range.empty() ? parsed : failure(out_of_range);
}

std::string expected_input(const ValueFormat& format, std::optional<Scalar> lo,
                           std::optional<Scalar> hi) {
  switch (format.kind) {
    case Kind::kBool:
      return "yes or no";
    case Kind::kInt:
      return "a whole number" + range_hint(format, lo, hi);
    case Kind::kReal:
      return "a number" + (format.unit.empty() ? "" : " in " + format.unit) +
             range_hint(format, lo, hi);
    case Kind::kEnum:
      return "one of " + joined(format.choices);
    case Kind::kMaterial:
      return "a material name";
    case Kind::kLot:
      return "a lot name";
    case Kind::kTime:
      return "a time in UTC as YYYY-MM-DD HH:MM" + range_hint(format, lo, hi);
  }
  return "a value";
}

std::pair<std::optional<Scalar>, std::optional<Scalar>> ask_range(
    const lower::Point& point, const std::vector<Scalar>& values) {
  if (point.kind != lower::PointKind::kAsk || !point.has_range) return {};
  std::size_t tail = point.has_timeout ? 1 : 0;
  if (values.size() < 2 + tail) return {};
  return {values[values.size() - 2 - tail], values[values.size() - 1 - tail]};
}

}  // namespace gemba::console
