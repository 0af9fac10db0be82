#include "compiler/syntax/string_literal.h"

#include <cstdio>
#include <string>

#include "compiler/syntax/code_points.h"

namespace gemba::syntax {
namespace {

constexpr std::size_t kMaxShown = 32;

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

std::string doubled_braces(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '{' || c == '}') out += c;
  }
  return out;
}

class StringDecoder {
 public:
  StringDecoder(std::string_view text, diag::Span span, diag::DiagnosticSink& sink)
      : text_(text), span_(span), sink_(sink), out_(std::make_unique<ast::StringExpr>(span)) {}

  ast::Own<ast::StringExpr> run() {
    std::size_t i = !text_.empty() && text_[0] == '"' ? 1 : 0;
    while (i < text_.size() && text_[i] != '"') {
      switch (text_[i]) {
        case '\\':
          i = escape(i);
          break;
        case '{':
          i = open_brace(i);
          break;
        case '}':
          i = close_brace(i);
          break;
        default:
          out_->value += text_[i++];
          break;
      }
    }
    return std::move(out_);
  }

 private:
  diag::Span at(std::size_t begin, std::size_t end) const {
    return {span_.file, static_cast<std::uint32_t>(span_.begin + begin),
            static_cast<std::uint32_t>(span_.begin + end)};
  }

  char peek(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  std::size_t escape(std::size_t i) {
    if (i + 1 >= text_.size()) {
      out_->value += '\\';
      return i + 1;
    }
    switch (text_[i + 1]) {
      case '"':
        out_->value += '"';
        return i + 2;
      case '\\':
        out_->value += '\\';
        return i + 2;
      case 'n':
        out_->value += '\n';
        return i + 2;
      case 't':
        out_->value += '\t';
        return i + 2;
      case '{':
        out_->value += "{{";
        return i + 2;
      case '}':
        out_->value += "}}";
        return i + 2;
      default:
        break;
    }
    Utf8Char c = decode_utf8_char(text_, i + 1);
    std::size_t length = c.length == 0 ? 1 : c.length;
    std::string shown;
    if (text_[i + 1] == '\n' || text_[i + 1] == '\r') {
      shown = "a `\\` before a line break";
    } else if (c.length == 0 || c.code_point < 0x20 || c.code_point == 0x7F) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c.code_point));
      shown = std::string("`\\` followed by ") + buffer;
    } else {
      shown = "`\\" + std::string(text_.substr(i + 1, length)) + "`";
    }
    sink_.report(diag::Code::kSyntaxError, at(i, i + 1 + length), "unknown escape " + shown)
        .with_hint("the escapes are `\\\"`, `\\\\`, `\\n`, `\\t`, `\\{` and `\\}`");
    out_->value += doubled_braces(text_.substr(i + 1, length));
    return i + 1 + length;
  }

  std::size_t open_brace(std::size_t i) {
    if (peek(i + 1) == '{') {
      out_->value += "{{";
      return i + 2;
    }
    std::size_t close = i + 1;
    while (close < text_.size() && text_[close] != '}' && text_[close] != '"') ++close;
    if (close >= text_.size() || text_[close] != '}') {
      sink_.report(diag::Code::kBadInterpolation, at(i, i + 1), "unclosed `{` in a string")
          .with_hint("close it with `}`, or write `{{` for a literal brace");
      out_->value += "{{";
      return i + 1;
    }
    std::string_view content = text_.substr(i + 1, close - i - 1);
    if (!interpolate(content, i + 1)) {
      std::string shown(content.substr(0, kMaxShown));
      if (content.size() > kMaxShown) shown += "...";
      std::string message = content.empty() ? std::string("empty `{}` in a string")
                                            : "`{" + shown + "}` in a string must hold a name";
      sink_.report(diag::Code::kBadInterpolation, at(i, close + 1), message)
          .with_hint(
              "interpolate a name such as `{product}` or `{mixer.temperature}`; "
              "write `{{` and `}}` for literal braces");
      out_->value += "{{" + doubled_braces(content) + "}}";
      return close + 1;
    }
    out_->value += "{" + std::string(content) + "}";
    return close + 1;
  }

  std::size_t close_brace(std::size_t i) {
    if (peek(i + 1) == '}') {
      out_->value += "}}";
      return i + 2;
    }
    sink_.report(diag::Code::kBadInterpolation, at(i, i + 1), "unmatched `}` in a string")
        .with_hint("write `}}` for a literal brace");
    out_->value += "}}";
    return i + 1;
  }

  // `content` starts at offset `begin` of the token. Adds the interpolation if it is a
  // dotted name.
  bool interpolate(std::string_view content, std::size_t begin) {
    ast::Path path;
    std::size_t start = 0;
    while (true) {
      std::size_t end = start;
      if (end >= content.size() || !is_name_start(content[end])) return false;
      while (end < content.size() && is_name_char(content[end])) ++end;
      path.parts.push_back(
          {std::string(content.substr(start, end - start)), at(begin + start, begin + end)});
      if (end == content.size()) break;
      if (content[end] != '.') return false;
      start = end + 1;
    }
    path.span = at(begin, begin + content.size());
    out_->interpolations.push_back({std::move(path)});
    return true;
  }

  std::string_view text_;
  diag::Span span_;
  diag::DiagnosticSink& sink_;
  ast::Own<ast::StringExpr> out_;
};

}  // namespace

ast::Own<ast::StringExpr> decode_string(std::string_view text, diag::Span span,
                                        diag::DiagnosticSink& sink) {
  return StringDecoder(text, span, sink).run();
}

}  // namespace gemba::syntax
