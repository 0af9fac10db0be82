#include "compiler/diag/snippet.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace gemba::diag {
namespace {

bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

// Appends the UTF-8 encoding of a code point in U+0800..U+FFFF (three bytes).
void append_bmp_code_point(std::string& out, std::uint32_t cp) {
  out += static_cast<char>(0xE0 | (cp >> 12));
  out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

// Expands `line` for display. columns[i] is the display column (0-based) at which the
// character holding byte i starts; columns[size] is the width of the whole line.
std::string expand(std::string_view line, std::vector<std::uint32_t>& columns) {
  std::string text;
  columns.assign(line.size() + 1, 0);
  std::uint32_t column = 0;
  std::uint32_t char_start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    if (is_continuation_byte(c)) {
      columns[i] = char_start;
      text += line[i];
      continue;
    }
    char_start = column;
    columns[i] = column;
    if (c == '\t') {
      std::uint32_t width = kTabWidth - column % kTabWidth;
      text.append(width, ' ');
      column += width;
    } else if (c < 0x20 || c == 0x7F) {
      append_bmp_code_point(text, c == 0x7F ? 0x2421 : 0x2400 + c);
      column += 1;
    } else {
      text += line[i];
      column += 1;
    }
  }
  columns[line.size()] = column;
  return text;
}

}  // namespace

Snippet make_snippet(const SourceFile& file, Span span) {
  Snippet out;
  auto size = static_cast<std::uint32_t>(file.text().size());
  std::uint32_t begin = std::min(span.begin, size);
  std::uint32_t end = std::clamp(span.end, begin, size);

  out.line = file.location(begin).line;
  std::string_view line = file.line_text(out.line);
  auto line_start = static_cast<std::uint32_t>(line.data() - file.text().data());
  auto line_size = static_cast<std::uint32_t>(line.size());

  std::vector<std::uint32_t> columns;
  out.text = expand(line, columns);

  std::uint32_t first = std::min(begin - line_start, line_size);
  std::uint32_t last = std::clamp(end - line_start, first, line_size);
  std::uint32_t from = columns[first];
  std::uint32_t to = std::max(columns[last], from + 1);
  out.markers.assign(from, ' ');
  out.markers += '^';
  out.markers.append(to - from - 1, '~');
  return out;
}

}  // namespace gemba::diag
