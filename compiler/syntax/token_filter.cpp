#include "compiler/syntax/token_filter.h"

#include <cstdio>
#include <optional>
#include <string>

#include "GembaLexer.h"
#include "antlr4-runtime.h"
#include "compiler/syntax/code_points.h"

namespace gemba::syntax {
namespace {

using gemba_grammar::GembaLexer;

constexpr std::size_t kMaxListedChars = 8;

// An ANTLR char stream over already decoded code points: ANTLRInputStream would decode
// the UTF-8 itself and throw on the first invalid byte.
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  CodePointStream(std::u32string chars, std::string source_name) {
    _data = std::move(chars);
    p = 0;
    name = std::move(source_name);
  }
};

bool is_invisible(char32_t c) {
  return c == 0xA0 || c == 0xAD || (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
         (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF;
}

std::string code_point_name(char32_t c) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
  return buffer;
}

// How a diagnostic shows one offending character: `#`, `°` (U+00B0), U+0007, byte 0xFF.
struct ShownChar {
  std::string text;
  bool plain = false;  // printable ASCII: adjacent ones are shown together
  std::size_t length = 1;
  bool invalid = false;  // a byte that is not UTF-8
};

ShownChar show_char(std::string_view text, std::size_t pos) {
  Utf8Char c = decode_utf8_char(text, pos);
  if (c.length == 0) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned char>(text[pos]));
    return {buffer, false, 1, true};
  }
  char32_t cp = c.code_point;
  if (cp == '`') return {"`` ` ``", false, 1};
  if (cp > 0x20 && cp < 0x7F) return {std::string(1, static_cast<char>(cp)), true, 1};
  if (cp >= 0xA0 && !is_invisible(cp) && cp != 0xFFFD) {
    return {"`" + std::string(text.substr(pos, c.length)) + "` (" + code_point_name(cp) + ")",
            false, c.length};
  }
  return {code_point_name(cp), false, c.length};
}

std::string describe_chars(std::string_view text, diag::Span span) {
  std::vector<ShownChar> shown;
  bool all_invalid = true;
  std::size_t count = 0;
  for (std::size_t pos = span.begin; pos < span.end && pos < text.size(); ++count) {
    if (count == kMaxListedChars) break;
    shown.push_back(show_char(text, pos));
    pos += shown.back().length;
    all_invalid = all_invalid && shown.back().invalid;
  }
  std::string out;
  std::string plain_run;  // adjacent printable characters show as one `run`
  auto flush_plain = [&] {
    if (plain_run.empty()) return;
    out += (out.empty() ? "`" : " `") + plain_run + "`";
    plain_run.clear();
  };
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (shown[i].plain) {
      plain_run += shown[i].text;
      continue;
    }
    flush_plain();
    out += (out.empty() ? "" : " ") + shown[i].text;
  }
  flush_plain();
  if (count == kMaxListedChars) out += " ...";
  if (all_invalid) return (shown.size() > 1 ? "invalid UTF-8 bytes " : "invalid UTF-8 byte ") + out;
  return (shown.size() > 1 ? "unexpected characters " : "unexpected character ") + out;
}

std::string hint_for_char(std::string_view text, std::size_t pos) {
  Utf8Char c = decode_utf8_char(text, pos);
  if (c.length == 0) return "the file is not valid UTF-8 here; save it as UTF-8";
  switch (c.code_point) {
    case '#':
      return "comments start with `//`";
    case '\'':
      return "strings are written between double quotes: \"...\"";
    case '&':
      return "write `and` for a logical and";
    case '|':
      return "write `or` for a logical or";
    case '!':
      return "write `not` for a negation";
    case 0xB0:
      return "write a unit by its name, such as `degC`";
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0x2019:
      return "use a plain double quote `\"`";
    default:
      break;
  }
  if (is_invisible(c.code_point)) return "an invisible or non-breaking space; use a plain space";
  return {};
}

void report_bad_chars(const diag::SourceFile& file, diag::Span span, diag::DiagnosticSink& sink) {
  auto& d = sink.report(diag::Code::kUnexpectedCharacter, span, describe_chars(file.text(), span));
  std::string hint = hint_for_char(file.text(), span.begin);
  if (!hint.empty()) d.with_hint(std::move(hint));
}

// A string may hold any byte the lexer accepted; invalid UTF-8 would break every
// consumer of its value (JSON and SARIF output among them).
void check_string_encoding(const diag::SourceFile& file, diag::Span span,
                           diag::DiagnosticSink& sink) {
  std::string_view text = file.text();
  for (std::size_t pos = span.begin; pos < span.end;) {
    Utf8Char c = decode_utf8_char(text, pos);
    if (c.length == 0) {
      diag::Span at{span.file, static_cast<std::uint32_t>(pos),
                    static_cast<std::uint32_t>(pos + 1)};
      sink.report(diag::Code::kUnexpectedCharacter, at, describe_chars(text, at) + " in a string")
          .with_hint("the file is not valid UTF-8 here; save it as UTF-8");
      return;
    }
    pos += c.length;
  }
}

class Filter {
 public:
  Filter(const diag::SourceFile& file, diag::FileId id, diag::DiagnosticSink& sink)
      : file_(file), id_(id), sink_(sink) {}

  void add(std::size_t type, diag::Span span) {
    if (type == GembaLexer::ERROR_CHAR) {
      add_bad_char(span);
      return;
    }
    flush_bad_chars();
    switch (type) {
      case GembaLexer::UNTERMINATED_STRING:
        add_unterminated_string(span);
        return;
      case GembaLexer::UNTERMINATED_COMMENT: {
        diag::Span opening{id_, span.begin, std::min(span.end, span.begin + 2)};
        sink_.report(diag::Code::kUnterminatedComment, opening, "unterminated block comment")
            .with_hint("close the comment with `*/`");
        return;
      }
      case GembaLexer::STRING:
        check_string_encoding(file_, span, sink_);
        break;
      default:
        break;
    }
    out_.push_back({type, span});
  }

  std::vector<Token> finish() {
    flush_bad_chars();
    return std::move(out_);
  }

 private:
  void add_bad_char(diag::Span span) {
    if (span.begin == 0 && file_.text().compare(0, 3, "\xEF\xBB\xBF") == 0) return;  // BOM
    if (bad_run_ && bad_run_->end == span.begin) {
      bad_run_->end = span.end;
      return;
    }
    flush_bad_chars();
    bad_run_ = span;
  }

  // The parser gets a STRING, so that it reports nothing more. When the line ends in
  // `;` or `{`, the quote was most likely forgotten just before it: that character is
  // handed on as its own token, or the statement or step would lose it as well.
  void add_unterminated_string(diag::Span span) {
    std::string_view text =
        std::string_view(file_.text()).substr(span.begin, span.end - span.begin);
    std::size_t end = text.size();
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (end > 1 && blank(text[end - 1])) --end;
    std::optional<Token> last;
    if (end > 2 && text[end - 2] != '\\' && (text[end - 1] == ';' || text[end - 1] == '{')) {
      auto at = static_cast<std::uint32_t>(span.begin + end - 1);
      std::size_t type = text[end - 1] == ';' ? GembaLexer::SEMI : GembaLexer::LBRACE;
      last = Token{type, {id_, at, at + 1}};
      end -= 1;
      while (end > 1 && blank(text[end - 1])) --end;
    }
    diag::Span string{id_, span.begin, static_cast<std::uint32_t>(span.begin + end)};
    sink_.report(diag::Code::kUnterminatedString, string, "unterminated string")
        .with_hint("close the string with `\"` on the same line");
    check_string_encoding(file_, string, sink_);
    out_.push_back({GembaLexer::STRING, string});
    if (last) out_.push_back(*last);
  }

  void flush_bad_chars() {
    if (!bad_run_) return;
    report_bad_chars(file_, *bad_run_, sink_);
    bad_run_.reset();
  }

  const diag::SourceFile& file_;
  diag::FileId id_;
  diag::DiagnosticSink& sink_;
  std::vector<Token> out_;
  std::optional<diag::Span> bad_run_;
};

}  // namespace

std::vector<Token> filter_tokens(const diag::SourceFile& file, diag::FileId id,
                                 diag::DiagnosticSink& sink) {
  CodePoints decoded = decode_utf8(file.text());
  CodePointStream stream(std::move(decoded.chars), file.path());
  GembaLexer lexer(&stream);
  lexer.removeErrorListeners();  // ERROR_CHAR matches anything the other rules do not

  Filter filter(file, id, sink);
  const auto& offsets = decoded.byte_offsets;
  const std::size_t count = offsets.size() - 1;
  for (auto token = lexer.nextToken(); token->getType() != antlr4::Token::EOF;
       token = lexer.nextToken()) {
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    std::size_t start = std::min(token->getStartIndex(), count);
    std::size_t stop = std::min(token->getStopIndex() + 1, count);
    filter.add(token->getType(), diag::Span{id, offsets[start], offsets[std::max(start, stop)]});
  }
  return filter.finish();
}

std::string token_name(std::size_t type) {
  // The vocabulary is a static of the generated lexer; it outlives this lexer.
  static const antlr4::dfa::Vocabulary& vocabulary = []() -> const antlr4::dfa::Vocabulary& {
    antlr4::ANTLRInputStream empty;
    GembaLexer lexer(&empty);
    return lexer.getVocabulary();
  }();
  return vocabulary.getSymbolicName(type);
}

}  // namespace gemba::syntax
