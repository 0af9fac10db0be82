// Values as people read and type them at the operator console. A frame holds a
// lower::Scalar per value (base units, enum ordinals, material and lot handles, seconds
// since 1970-01-01 UTC); a lower::ValueFormat (compiler/lower/machine.h) says how the
// script shows it: `85 degC` for 358.15, `Conforming` for 0, `L-1234` for a lot handle.
// Parsing is the inverse, with the answer's range checked and errors in the operator's
// words that say what to type.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lower/lowered.h"

namespace gemba::console {

// Material and lot names as the runtime stores them: handles (ints) stand for texts.
// Handle 0 stands for no name (a frame slot not yet set), so handles start at 1.
class Names {
 public:
  virtual ~Names() = default;
  // The handle of `text`, made on first use; the same text always gets the same handle.
  virtual std::int64_t handle(std::string_view text) = 0;
  // The text of a handle this table made; nullopt for any other.
  virtual std::optional<std::string> text(std::int64_t handle) const = 0;
};

// Names in memory: for tests and the interpreter-only paths. Handles are 1, 2, 3 ... in
// order of first use.
class MemoryNames final : public Names {
 public:
  std::int64_t handle(std::string_view text) override;
  std::optional<std::string> text(std::int64_t handle) const override;

 private:
  std::map<std::string, std::int64_t, std::less<>> handles_;
  std::vector<std::string> texts_;  // handle k is texts_[k - 1]
};

// A value as a person reads it: "85 degC", "true", "Conforming", "L-1234", "30 min",
// "2026-11-26 14:05:00 UTC" (kTime: seconds since 1970, shown to the second, UTC). Ints
// are written plainly; reals with up to 6 significant digits and no trailing zeros
// ("0.95", "1200", "1.5e-07"). A handle `names` does not know (or null `names`) is
// shown as "#7"; an ordinal outside the enum's choices as "#9".
std::string format_value(lower::Scalar value, const lower::ValueFormat& format, const Names* names);

// Equipment parameters by name (`mixer`, without the `$`) and the instance each names,
// for a point's `{$mixer}`.
using EquipmentNames = std::map<std::string, std::string, std::less<>>;

// A point's text with each `{k}` replaced by value k, formatted as
// `point.value_formats[k]` says; `{{` and `}}` become `{` and `}`. `{$name}` becomes the
// instance `equipment` names for it. Anything else in braces (an unknown `{$name}`, an
// index without a value) stays as written, braces included.
std::string render_text(const lower::Point& point, const std::vector<lower::Scalar>& values,
                        const Names* names, const EquipmentNames* equipment = nullptr);

// What an operator typed, read as a value: the value, or why not (for the operator).
struct ParsedValue {
  std::optional<lower::Scalar> value;
  std::string error;  // empty when `value` is set
};

// Reads `text` as a value of `format`, within [lo, hi] (base units, inclusive) when
// given (kInt, kReal, kTime only). Blanks around the text are ignored.
//   kBool: yes, no, y, n, true, false, in any case.
//   kInt: an integer.
//   kReal: a number (`950`, `-3.5`, `1e3`), then optionally its unit (`950 cP`,
//     `950cP`) or another unit of the same dimension the format lists (`30 min` for a
//     duration in s); converted exactly as the compiler converts a literal, so a typed
//     `1200 cP` equals a script's `1200 cP`. NaN and infinities are refused.
//   kEnum: a member's name in any case, or its number (1-based) in the list.
//   kMaterial, kLot: any text without control characters, made a handle by `names`.
//   kTime: `YYYY-MM-DD HH:MM[:SS]` in UTC (a `T` between date and time, and a trailing
//     `UTC` or `Z`, are accepted too).
// Errors say what was wrong and what to type: "type yes or no", "950 kg is not a
// viscosity: type a value in cP, e.g. 950", "1300 cP is above the allowed range 800 cP
// .. 1200 cP", "`Colour` is not one of Conforming, ColourOff, Separated, ForeignMatter".
ParsedValue parse_value(std::string_view text, const lower::ValueFormat& format,
                        std::optional<lower::Scalar> lo, std::optional<lower::Scalar> hi,
                        Names* names);

// A short hint of what to type: "yes or no", "a whole number between 3 and 12", "a
// number in cP between 800 and 1200", "one of Conforming, ColourOff, Separated,
// ForeignMatter", "a lot name", "a time in UTC as YYYY-MM-DD HH:MM".
std::string expected_input(const lower::ValueFormat& format, std::optional<lower::Scalar> lo,
                           std::optional<lower::Scalar> hi);

// The `lo`, `hi` an ask with a range emitted (its values end with lo, hi[, timeout]);
// both empty for any other point.
std::pair<std::optional<lower::Scalar>, std::optional<lower::Scalar>> ask_range(
    const lower::Point& point, const std::vector<lower::Scalar>& values);

}  // namespace gemba::console
