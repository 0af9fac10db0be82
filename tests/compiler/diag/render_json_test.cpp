#include "compiler/diag/render_json.h"

#include <gtest/gtest.h>

namespace gemba::diag {
namespace {

using nlohmann::json;

class RenderJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = sources_.add("dir/a.gmb", "module m;\nlet x = 5 kg + 3 min;\n");
    b_ = sources_.add("b.gmb", "module m;\n");
  }
  Diagnostic make(Code code, Span span, std::string message) {
    return {code, info(code).severity, span, std::move(message), {}, {}};
  }
  json parse(const std::vector<Diagnostic>& list, std::size_t files = 2) {
    return json::parse(render_json(list, sources_, files));
  }

  SourceManager sources_;
  FileId a_ = 0, b_ = 0;
};

TEST_F(RenderJsonTest, EmptyRunHasTheEnvelope) {
  json out = parse({}, 3);
  EXPECT_EQ(out["version"], 1);
  EXPECT_EQ(out["files_checked"], 3);
  EXPECT_EQ(out["errors"], 0);
  EXPECT_EQ(out["warnings"], 0);
  ASSERT_TRUE(out["diagnostics"].is_array());
  EXPECT_TRUE(out["diagnostics"].empty());
}

TEST_F(RenderJsonTest, DiagnosticFields) {
  Diagnostic d = make(Code::kDimensionMismatch, {a_, 18, 30}, "cannot add mass and duration");
  json out = parse({d});
  ASSERT_EQ(out["diagnostics"].size(), 1u);
  const json& j = out["diagnostics"][0];
  EXPECT_EQ(j["code"], "G0401");
  EXPECT_EQ(j["severity"], "error");
  EXPECT_EQ(j["message"], "cannot add mass and duration");
  EXPECT_EQ(j["file"], "dir/a.gmb");
  EXPECT_EQ(j["line"], 2);
  EXPECT_EQ(j["column"], 9);
  EXPECT_EQ(j["end_line"], 2);
  EXPECT_EQ(j["end_column"], 21);
  EXPECT_TRUE(j["notes"].is_array());
  EXPECT_TRUE(j["notes"].empty());
  EXPECT_FALSE(j.contains("hint"));
}

TEST_F(RenderJsonTest, NotesHaveAPlaceOnlyWhenTheyPointSomewhere) {
  Diagnostic d = make(Code::kDuplicateModule, {b_, 7, 8}, "module `m` is declared by two files");
  d.note(Span{a_, 7, 8}, "first declared here").note("no place").with_hint("rename one");
  json j = parse({d})["diagnostics"][0];
  ASSERT_EQ(j["notes"].size(), 2u);
  EXPECT_EQ(j["notes"][0]["message"], "first declared here");
  EXPECT_EQ(j["notes"][0]["file"], "dir/a.gmb");
  EXPECT_EQ(j["notes"][0]["line"], 1);
  EXPECT_EQ(j["notes"][0]["column"], 8);
  EXPECT_EQ(j["notes"][1]["message"], "no place");
  EXPECT_FALSE(j["notes"][1].contains("file"));
  EXPECT_FALSE(j["notes"][1].contains("line"));
  EXPECT_EQ(j["hint"], "rename one");
}

TEST_F(RenderJsonTest, CountsBySeverity) {
  json out = parse({make(Code::kUndefinedName, {a_, 0, 1}, "e1"),
                    make(Code::kDuplicateImport, {a_, 1, 2}, "w1"),
                    make(Code::kUnusedBinding, {a_, 2, 3}, "w2")});
  EXPECT_EQ(out["errors"], 1);
  EXPECT_EQ(out["warnings"], 2);
  EXPECT_EQ(out["diagnostics"][1]["severity"], "warning");
}

TEST_F(RenderJsonTest, InvalidUtf8DoesNotThrow) {
  Diagnostic d = make(Code::kUnexpectedCharacter, {a_, 0, 1}, "unexpected byte \xff");
  std::string text;
  ASSERT_NO_THROW(text = render_json({d}, sources_, 1));
  EXPECT_TRUE(json::accept(text)) << text;
}

TEST_F(RenderJsonTest, EndsWithANewline) {
  std::string text = render_json({}, sources_, 0);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace gemba::diag
