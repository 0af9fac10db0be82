// The source text as the ANTLR lexer reads it: one element per code point. ANTLR's
// token indices count code points; diagnostics count bytes. This table converts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gemba::syntax {

struct CodePoints {
  // Each byte that does not start a valid UTF-8 sequence (overlong forms, surrogates
  // and values past U+10FFFF included) becomes one U+FFFD, so decoding never fails.
  std::u32string chars;
  // byte_offsets[i] is the byte offset of chars[i]; one more entry holds the text size.
  std::vector<std::uint32_t> byte_offsets;
};

CodePoints decode_utf8(std::string_view text);

// One UTF-8 sequence: `length` is 0 when the byte at the position starts none.
struct Utf8Char {
  char32_t code_point = 0;
  std::size_t length = 0;
};
Utf8Char decode_utf8_char(std::string_view text, std::size_t pos);

}  // namespace gemba::syntax
