#include "compiler/diag/render_text.h"

#include <gtest/gtest.h>

namespace gemba::diag {
namespace {

class RenderTextTest : public ::testing::Test {
 protected:
  FileId add(std::string path, std::string text) {
    return sources_.add(std::move(path), std::move(text));
  }
  // A diagnostic on [begin, end) of `file`.
  Diagnostic make(Code code, FileId file, std::uint32_t begin, std::uint32_t end,
                  std::string message) {
    return {code, info(code).severity, {file, begin, end}, std::move(message), {}, {}};
  }
  std::string render(const Diagnostic& d, bool color = false) {
    return render_text(d, sources_, {.color = color});
  }

  SourceManager sources_;
};

TEST_F(RenderTextTest, CaretAtBeginTildesUnderTheRest) {
  FileId f = add("path/to/file.gmb", "unit kg: mass;\nlet x = 5 kg + 3 min;\n");
  Diagnostic d = make(Code::kDimensionMismatch, f, 23, 35, "cannot add mass and duration");
  EXPECT_EQ(render(d),
            "path/to/file.gmb:2:9: error[G0401]: cannot add mass and duration\n"
            "    2 | let x = 5 kg + 3 min;\n"
            "      |         ^~~~~~~~~~~~\n");
}

TEST_F(RenderTextTest, WarningsSayWarning) {
  FileId f = add("a.gmb", "import b;\n");
  Diagnostic d = make(Code::kDuplicateImport, f, 7, 8, "module `b` is imported twice");
  EXPECT_EQ(render(d),
            "a.gmb:1:8: warning[G0102]: module `b` is imported twice\n"
            "    1 | import b;\n"
            "      |        ^\n");
}

TEST_F(RenderTextTest, EmptySpanGetsOneCaret) {
  FileId f = add("a.gmb", "let x = ;\n");
  Diagnostic d = make(Code::kSyntaxError, f, 8, 8, "expected an expression");
  EXPECT_EQ(render(d),
            "a.gmb:1:9: error[G0001]: expected an expression\n"
            "    1 | let x = ;\n"
            "      |         ^\n");
}

TEST_F(RenderTextTest, SpanAtTheEndOfALinePointsPastItsLastCharacter) {
  FileId f = add("a.gmb", "let x = 1\nlet y = 2;\n");
  Diagnostic d = make(Code::kSyntaxError, f, 9, 10, "expected `;`");
  EXPECT_EQ(render(d),
            "a.gmb:1:10: error[G0001]: expected `;`\n"
            "    1 | let x = 1\n"
            "      |          ^\n");
}

TEST_F(RenderTextTest, SpanAtTheEndOfTheFile) {
  FileId f = add("a.gmb", "step \"x\" {\n");
  Diagnostic d = make(Code::kSyntaxError, f, 11, 11, "expected `}`");
  EXPECT_EQ(render(d),
            "a.gmb:2:1: error[G0001]: expected `}`\n"
            "    2 |\n"
            "      | ^\n");
}

TEST_F(RenderTextTest, MultiLineSpanIsUnderlinedToTheEndOfItsFirstLine) {
  FileId f = add("a.gmb", "step \"Heat\" {\n  wait 5 min;\n}\n");
  Diagnostic d = make(Code::kDuplicateStep, f, 0, 28, "duplicate step");
  EXPECT_EQ(render(d),
            "a.gmb:1:1: error[G0504]: duplicate step\n"
            "    1 | step \"Heat\" {\n"
            "      | ^~~~~~~~~~~~~\n");
}

TEST_F(RenderTextTest, TabsExpandInTheLineAndTheMarkersAlike) {
  // A tab at display column 0 (-> 4) and one after "x =" (display column 11 -> 12).
  FileId f = add("a.gmb", "\tlet x =\ty;\n");
  Diagnostic d = make(Code::kUndefinedName, f, 9, 10, "undefined name `y`");
  EXPECT_EQ(render(d),
            "a.gmb:1:10: error[G0201]: undefined name `y`\n"
            "    1 |     let x = y;\n"
            "      |             ^\n");
}

TEST_F(RenderTextTest, SpanOverATabUnderlinesItsWholeWidth) {
  FileId f = add("a.gmb", "a\tb\n");
  Diagnostic d = make(Code::kUnexpectedCharacter, f, 1, 2, "tab");
  EXPECT_EQ(render(d),
            "a.gmb:1:2: error[G0002]: tab\n"
            "    1 | a   b\n"
            "      |  ^~~\n");
}

TEST_F(RenderTextTest, MultiByteCharactersTakeOneColumn) {
  FileId f = add("a.gmb", "let é = ü + 1;\n");
  // "ü + 1" starts at byte 9.
  Diagnostic d = make(Code::kBadOperand, f, 9, 15, "bad operand");
  EXPECT_EQ(render(d),
            "a.gmb:1:9: error[G0306]: bad operand\n"
            "    1 | let é = ü + 1;\n"
            "      |         ^~~~~\n");
}

TEST_F(RenderTextTest, ControlCharactersAreShownAsPictures) {
  FileId f = add("a.gmb",
                 "a\x01"
                 "b\n");
  Diagnostic d = make(Code::kUnexpectedCharacter, f, 1, 2, "unexpected character");
  EXPECT_EQ(render(d),
            "a.gmb:1:2: error[G0002]: unexpected character\n"
            "    1 | a\u2401b\n"
            "      |  ^\n");
}

TEST_F(RenderTextTest, CrLfLinesShowWithoutTheCarriageReturn) {
  FileId f = add("a.gmb", "let x = y;\r\n");
  Diagnostic d = make(Code::kUndefinedName, f, 8, 9, "undefined name `y`");
  EXPECT_EQ(render(d),
            "a.gmb:1:9: error[G0201]: undefined name `y`\n"
            "    1 | let x = y;\n"
            "      |         ^\n");
}

TEST_F(RenderTextTest, NotesHintsAndTheirOrder) {
  FileId a = add("a.gmb", "module m;\n");
  FileId b = add("dir/b.gmb", "// b\nmodule m;\n");
  Diagnostic d = make(Code::kDuplicateModule, b, 12, 13, "module `m` is declared by two files");
  d.note(Span{a, 7, 8}, "first declared here")
      .note("modules are named once")
      .with_hint("rename one");
  EXPECT_EQ(render(d),
            "dir/b.gmb:2:8: error[G0104]: module `m` is declared by two files\n"
            "    2 | module m;\n"
            "      |        ^\n"
            "a.gmb:1:8: note: first declared here\n"
            "    1 | module m;\n"
            "      |        ^\n"
            "      = note: modules are named once\n"
            "      = hint: rename one\n");
}

TEST_F(RenderTextTest, GutterWidensForLongLineNumbers) {
  std::string text;
  for (int i = 0; i < 12344; ++i) text += "\n";
  text += "x;\n";
  FileId f = add("a.gmb", text);
  Diagnostic d = make(Code::kUndefinedName, f, 12344, 12345, "undefined name `x`");
  d.note(Span{f, 0, 0}, "line one");
  EXPECT_EQ(render(d),
            "a.gmb:12345:1: error[G0201]: undefined name `x`\n"
            " 12345 | x;\n"
            "       | ^\n"
            "a.gmb:1:1: note: line one\n"
            "     1 |\n"
            "       | ^\n");
}

TEST_F(RenderTextTest, SpanInAnUnknownFileStillPrintsTheMessage) {
  Diagnostic d = make(Code::kSyntaxError, 7, 0, 1, "lost");
  EXPECT_EQ(render(d), "<unknown>: error[G0001]: lost\n");
}

TEST_F(RenderTextTest, BlocksAreSeparatedByOneBlankLine) {
  FileId f = add("a.gmb", "x y\n");
  std::vector<Diagnostic> list = {make(Code::kUndefinedName, f, 0, 1, "x"),
                                  make(Code::kUndefinedName, f, 2, 3, "y")};
  EXPECT_EQ(render_text(list, sources_),
            "a.gmb:1:1: error[G0201]: x\n"
            "    1 | x y\n"
            "      | ^\n"
            "\n"
            "a.gmb:1:3: error[G0201]: y\n"
            "    1 | x y\n"
            "      |   ^\n");
  EXPECT_EQ(render_text(std::vector<Diagnostic>{}, sources_), "");
}

TEST_F(RenderTextTest, ColorOnlyWhenAsked) {
  FileId f = add("a.gmb", "x\n");
  Diagnostic d = make(Code::kUndefinedName, f, 0, 1, "x");
  d.with_hint("declare it");
  EXPECT_EQ(render(d).find('\x1b'), std::string::npos);
  std::string colored = render(d, true);
  EXPECT_NE(colored.find("\x1b[1;31merror[G0201]"), std::string::npos) << colored;
  EXPECT_NE(colored.find("\x1b[0m"), std::string::npos);
}

TEST(RenderSummaryTest, CountsAndPlurals) {
  EXPECT_EQ(render_summary(0, 0), "0 errors, 0 warnings\n");
  EXPECT_EQ(render_summary(1, 1), "1 error, 1 warning\n");
  EXPECT_EQ(render_summary(2, 3), "2 errors, 3 warnings\n");
  EXPECT_EQ(render_summary(2, 0, 1), "2 errors, 0 warnings in 1 file\n");
  EXPECT_EQ(render_summary(0, 1, 12), "0 errors, 1 warning in 12 files\n");
}

}  // namespace
}  // namespace gemba::diag
