#include "compiler/syntax/code_points.h"

namespace gemba::syntax {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

Utf8Char decode_utf8_char(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return {};
  auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (pos + length > text.size()) return {};
  for (std::size_t i = 1; i < length; ++i) {
    auto byte = static_cast<unsigned char>(text[pos + i]);
    if (!is_continuation(byte)) return {};
    cp = (cp << 6) | (byte & 0x3F);
  }
  bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (cp < min || cp > 0x10FFFF || surrogate) return {};
  return {cp, length};
}

CodePoints decode_utf8(std::string_view text) {
  CodePoints out;
  out.chars.reserve(text.size());
  out.byte_offsets.reserve(text.size() + 1);
  std::size_t pos = 0;
  while (pos < text.size()) {
    Utf8Char c = decode_utf8_char(text, pos);
    out.byte_offsets.push_back(static_cast<std::uint32_t>(pos));
    if (c.length == 0) {
      out.chars.push_back(kReplacement);
      pos += 1;
    } else {
      out.chars.push_back(c.code_point);
      pos += c.length;
    }
  }
  out.byte_offsets.push_back(static_cast<std::uint32_t>(text.size()));
  return out;
}

}  // namespace gemba::syntax
