#include "compiler/syntax/token_filter.h"

#include <gtest/gtest.h>

#include "compiler/syntax/code_points.h"

namespace gemba::syntax {
namespace {

struct Filtered {
  diag::SourceFile file;
  diag::DiagnosticSink sink;
  std::vector<Token> tokens;

  explicit Filtered(std::string text) : file("t.gmb", std::move(text)) {
    tokens = filter_tokens(file, 2, sink);
  }
  // "NAME:text" for each token.
  std::vector<std::string> token_list() const {
    std::vector<std::string> out;
    for (const Token& t : tokens) {
      out.push_back(token_name(t.type) + ":" +
                    file.text().substr(t.span.begin, t.span.end - t.span.begin));
    }
    return out;
  }
  // "[begin,end) Gxxxx message | hint"
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& d : sink.sorted()) {
      std::string line = "[" + std::to_string(d.span.begin) + "," + std::to_string(d.span.end) +
                         ") " + std::string(diag::info(d.code).id) + " " + d.message;
      if (!d.hint.empty()) line += " | " + d.hint;
      out.push_back(line);
    }
    return out;
  }
};

using Strings = std::vector<std::string>;

TEST(TokenFilterTest, DropsWhitespaceAndComments) {
  Filtered f("let /* c */ x = 1.5e3 // end\n;");
  EXPECT_EQ(f.token_list(), (Strings{"LET:let", "ID:x", "ASSIGN:=", "DECIMAL:1.5e3", "SEMI:;"}));
  EXPECT_TRUE(f.messages().empty());
}

TEST(TokenFilterTest, SpansAreByteOffsetsEvenAfterMultiByteCharacters) {
  Filtered f("\"é€😀\" x");
  ASSERT_EQ(f.tokens.size(), 2u);
  EXPECT_EQ(f.tokens[0].span, (diag::Span{2, 0, 11}));  // 1 + 2 + 3 + 4 + 1 bytes
  EXPECT_EQ(f.tokens[1].span, (diag::Span{2, 12, 13}));
}

TEST(TokenFilterTest, UnterminatedStringIsReportedOnceAndBecomesAString) {
  Filtered f("x = \"open\ny");
  EXPECT_EQ(f.token_list(), (Strings{"ID:x", "ASSIGN:=", "STRING:\"open", "ID:y"}));
  EXPECT_EQ(f.messages(),
            (Strings{"[4,9) G0003 unterminated string | close the string with `\"` on the same "
                     "line"}));
}

TEST(TokenFilterTest, UnterminatedStringGivesBackATrailingSemicolonOrBrace) {
  Filtered semi("notify role r \"hot ;  \nstep \"s {\n");
  EXPECT_EQ(semi.token_list(), (Strings{"NOTIFY:notify", "ROLE:role", "ID:r", "STRING:\"hot",
                                        "SEMI:;", "STEP:step", "STRING:\"s", "LBRACE:{"}));
  EXPECT_EQ(semi.sink.error_count(), 2u);
  // An escaped character at the end stays in the string.
  Filtered escaped("\"a\\;");
  EXPECT_EQ(escaped.token_list(), (Strings{"STRING:\"a\\;"}));
}

TEST(TokenFilterTest, UnterminatedCommentIsReportedAndDropped) {
  Filtered f("x /* never\n closed");
  EXPECT_EQ(f.token_list(), (Strings{"ID:x"}));
  EXPECT_EQ(f.messages(),
            (Strings{"[2,4) G0004 unterminated block comment | close the comment with `*/`"}));
}

TEST(TokenFilterTest, BadCharactersAreReportedAndDropped) {
  Filtered f("a # b @$ c");
  EXPECT_EQ(f.token_list(), (Strings{"ID:a", "ID:b", "ID:c"}));
  EXPECT_EQ(f.messages(), (Strings{
                              "[2,3) G0002 unexpected character `#` | comments start with `//`",
                              "[6,8) G0002 unexpected characters `@$`",
                          }));
}

TEST(TokenFilterTest, NonPrintableAndNonAsciiCharacters) {
  Filtered f("\x01\x7f x \xc2\xb0 y \xe2\x80\x8b z \xe2\x80\x9c");
  EXPECT_EQ(f.token_list(), (Strings{"ID:x", "ID:y", "ID:z"}));
  EXPECT_EQ(f.messages(),
            (Strings{
                "[0,2) G0002 unexpected characters U+0001 U+007F",
                "[5,7) G0002 unexpected character `°` (U+00B0) | write a unit by its name, such "
                "as `degC`",
                "[10,13) G0002 unexpected character U+200B | an invisible or non-breaking space; "
                "use a plain space",
                "[16,19) G0002 unexpected character `“` (U+201C) | use a plain double quote `\"`",
            }));
}

TEST(TokenFilterTest, InvalidUtf8) {
  Filtered f("a \xff\xfe b \"s\xc3\"");
  EXPECT_EQ(f.token_list(), (Strings{"ID:a", "ID:b", "STRING:\"s\xc3\""}));
  EXPECT_EQ(f.messages(),
            (Strings{
                "[2,4) G0002 invalid UTF-8 bytes 0xFF 0xFE | the file is not valid UTF-8 here; "
                "save it as UTF-8",
                "[9,10) G0002 invalid UTF-8 byte 0xC3 in a string | the file is not valid UTF-8 "
                "here; save it as UTF-8",
            }));
}

TEST(TokenFilterTest, LongRunsOfBadCharactersAreOneDiagnostic) {
  Filtered f(std::string(1000, '?') + " x");
  EXPECT_EQ(f.token_list(), (Strings{"ID:x"}));
  EXPECT_EQ(f.messages(), (Strings{"[0,1000) G0002 unexpected characters `????????` ..."}));
}

TEST(TokenFilterTest, ByteOrderMarkIsSkipped) {
  Filtered f("\xef\xbb\xbfunit kg: mass;");
  EXPECT_EQ(f.token_list().front(), "UNIT:unit");
  EXPECT_TRUE(f.messages().empty());
  Filtered inside("x \xef\xbb\xbf y");
  EXPECT_EQ(inside.sink.error_count(), 1u);
}

TEST(TokenFilterTest, KeywordsNumbersAndRanges) {
  Filtered f("1..5 1_000 2.5 in delta");
  EXPECT_EQ(f.token_list(), (Strings{"INT:1", "RANGE:..", "INT:5", "INT:1_000", "DECIMAL:2.5",
                                     "IN:in", "DELTA:delta"}));
}

TEST(CodePointsTest, OffsetsOfEachCodePoint) {
  CodePoints cp = decode_utf8("aé€😀");
  EXPECT_EQ(cp.chars, (std::u32string{U'a', U'é', U'€', U'😀'}));
  EXPECT_EQ(cp.byte_offsets, (std::vector<std::uint32_t>{0, 1, 3, 6, 10}));
}

TEST(CodePointsTest, InvalidBytesBecomeOneReplacementEach) {
  // A lone continuation byte, an overlong `/`, a surrogate, a truncated sequence.
  CodePoints cp = decode_utf8(
      "\x80"
      "\xc0\xaf"
      "\xed\xa0\x80"
      "\xe2\x82");
  EXPECT_EQ(cp.chars.size(), 8u);
  for (char32_t c : cp.chars) EXPECT_EQ(c, U'\uFFFD');
  EXPECT_EQ(cp.byte_offsets.back(), 8u);
  EXPECT_EQ(decode_utf8_char("\xf4\x90\x80\x80", 0).length, 0u);  // past U+10FFFF
  EXPECT_EQ(decode_utf8_char("\xf4\x8f\xbf\xbf", 0).code_point, 0x10FFFFu);
  EXPECT_TRUE(decode_utf8("").chars.empty());
  EXPECT_EQ(decode_utf8("").byte_offsets, (std::vector<std::uint32_t>{0}));
}

}  // namespace
}  // namespace gemba::syntax
