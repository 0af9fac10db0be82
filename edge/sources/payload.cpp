#include "edge/sources/payload.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace gemba::edge {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Parses exactly `digits` decimal digits at `text[pos]`.
bool take_digits(std::string_view text, std::size_t& pos, int digits, int& out) {
  if (pos + static_cast<std::size_t>(digits) > text.size()) return false;
  out = 0;
  for (int i = 0; i < digits; ++i) {
    char c = text[pos++];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool take(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> parse_iso(std::string_view text) {
  std::size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!take_digits(text, pos, 4, year) || !take(text, pos, '-') ||
      !take_digits(text, pos, 2, month) || !take(text, pos, '-') ||
      !take_digits(text, pos, 2, day)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!take_digits(text, pos, 2, hour) || !take(text, pos, ':') ||
      !take_digits(text, pos, 2, minute) || !take(text, pos, ':') ||
      !take_digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::int64_t micros = 0;
  if (take(text, pos, '.') || take(text, pos, ',')) {
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  std::int64_t offset_s = 0;
  if (take(text, pos, 'Z') || take(text, pos, 'z')) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos++] == '-' ? -1 : 1;
    int oh, om;
    if (!take_digits(text, pos, 2, oh)) return std::nullopt;
    take(text, pos, ':');
    if (!take_digits(text, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_s = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;  // no zone
  }
  if (pos != text.size()) return std::nullopt;
  std::int64_t seconds =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return seconds * 1000000 + micros;
}

std::string ticked(std::string_view text) { return "`" + printable(text, 60) + "`"; }

std::string signal_name(const SignalInfo& signal) {
  return signal.instance.empty() ? signal.address : signal.instance + "." + signal.signal;
}

std::string members(const SignalInfo& signal) {
  std::string out;
  for (const std::string& choice : signal.choices) out += (out.empty() ? "" : ", ") + choice;
  return out;
}

std::string bad(std::string_view text, std::string problem, Reading& reading) {
  reading.has_value = false;
  reading.value = 0;
  reading.text = printable(text);
  return problem;
}

std::string set_number(double number, std::string_view text, const SignalInfo* signal,
                       Reading& reading) {
  if (!std::isfinite(number))
    return bad(text, "the value " + ticked(text) + " is not finite", reading);
  if (signal != nullptr && signal->kind == SignalInfo::Kind::kBool && number != 0 && number != 1) {
    return bad(text, "the value " + ticked(text) + " is not a bool (true, false, 1 or 0)", reading);
  }
  if (signal != nullptr && signal->kind == SignalInfo::Kind::kEnum &&
      (number != std::floor(number) || number < 0 ||
       number >= static_cast<double>(signal->choices.size()))) {
    return bad(text,
               "the value " + ticked(text) + " is not an ordinal of " + signal_name(*signal) +
                   " (0.." + std::to_string(static_cast<int>(signal->choices.size()) - 1) + ")",
               reading);
  }
  reading.has_value = true;
  reading.value = number;
  reading.text.clear();
  return {};
}

std::string set_word(std::string_view text, const SignalInfo* signal, Reading& reading) {
  bool is_true = equal_ignoring_case(text, "true");
  bool is_false = equal_ignoring_case(text, "false");
  if (signal == nullptr) {
    if (is_true || is_false) return set_number(is_true ? 1 : 0, text, signal, reading);
    reading.has_value = false;
    reading.value = 0;
    reading.text = printable(text);
    return {};
  }
  switch (signal->kind) {
    case SignalInfo::Kind::kBool:
      if (is_true || is_false) return set_number(is_true ? 1 : 0, text, signal, reading);
      return bad(text, "the value " + ticked(text) + " is not a bool (true, false, 1 or 0)",
                 reading);
    case SignalInfo::Kind::kEnum: {
      const auto& choices = signal->choices;
      for (std::size_t i = 0; i < choices.size(); ++i) {
        if (choices[i] == text) return set_number(static_cast<double>(i), text, signal, reading);
      }
      for (std::size_t i = 0; i < choices.size(); ++i) {
        if (equal_ignoring_case(choices[i], text)) {
          return set_number(static_cast<double>(i), text, signal, reading);
        }
      }
      return bad(text,
                 ticked(text) + " is not a member of " + signal_name(*signal) + " (" +
                     members(*signal) + ")",
                 reading);
    }
    default:
      return bad(text, "the value " + ticked(text) + " is not a number", reading);
  }
}

}  // namespace

std::optional<std::int64_t> parse_time_us(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  std::int64_t micros = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), micros);
  if (ec == std::errc() && end == text.data() + text.size()) return micros;
  return parse_iso(text);
}

std::string set_value(std::string_view text, const SignalInfo* signal, Reading& reading) {
  std::string_view value = trim(text);
  if (value.empty()) return bad(text, "the value is empty", reading);
  double number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec == std::errc() && end == value.data() + value.size()) {
    return set_number(number, value, signal, reading);
  }
  if (ec == std::errc::result_out_of_range) {
    return bad(value, "the value " + ticked(value) + " is out of range", reading);
  }
  return set_word(value, signal, reading);
}

std::string set_json_value(const nlohmann::json& value, const SignalInfo* signal,
                           Reading& reading) {
  if (value.is_number()) {
    return set_number(value.get<double>(), value.dump(), signal, reading);
  }
  if (value.is_boolean()) return set_word(value.get<bool>() ? "true" : "false", signal, reading);
  if (value.is_string()) return set_value(value.get<std::string>(), signal, reading);
  std::string text = value.dump();
  return bad(text, "the value " + ticked(text) + " is not a number, true/false or a member name",
             reading);
}

std::string set_payload(std::string_view payload, const SignalInfo* signal, std::int64_t receipt_us,
                        Reading& reading) {
  reading.time_us = receipt_us;
  std::string_view text = trim(payload);
  if (text.empty() || text.front() != '{') return set_value(text, signal, reading);
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("value")) {
    return bad(payload,
               "the payload is not a number, true/false, a member name or "
               "{\"value\": ..., \"time\": ...}",
               reading);
  }
  if (auto time = json.find("time"); time != json.end()) {
    std::optional<std::int64_t> time_us;
    if (time->is_number_integer()) time_us = time->get<std::int64_t>();
    if (time->is_string()) time_us = parse_time_us(time->get<std::string>());
    if (!time_us) {
      return bad(payload,
                 "the time " + ticked(time->dump()) +
                     " is not ISO 8601 with a zone (2026-11-26T08:00:00.250Z) or integer "
                     "microseconds",
                 reading);
    }
    reading.time_us = *time_us;
  }
  std::string problem = set_json_value(json["value"], signal, reading);
  if (!problem.empty()) reading.text = printable(payload);
  return problem;
}

std::string printable(std::string_view raw, std::size_t limit) {
  std::string out;
  auto escape = [&](unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", c);
    out += buf;
  };
  std::size_t i = 0;
  while (i < raw.size() && out.size() < limit) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t') {
        escape(c);
      } else if (c == 0x7F) {
        escape(c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    int length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    bool valid = length > 0 && i + static_cast<std::size_t>(length) <= raw.size();
    for (int k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(raw[i + k]) & 0xC0) == 0x80;
    }
    if (valid && length == 3) {
      auto c1 = static_cast<unsigned char>(raw[i + 1]);
      valid = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogate
    }
    if (valid && length == 4) {
      auto c1 = static_cast<unsigned char>(raw[i + 1]);
      valid = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (!valid) {
      escape(c);
      ++i;
      continue;
    }
    out.append(raw.substr(i, static_cast<std::size_t>(length)));
    i += static_cast<std::size_t>(length);
  }
  if (i < raw.size()) out += "...";
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace gemba::edge
