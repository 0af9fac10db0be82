#include "compiler/diag/render_sarif.h"

#include <gtest/gtest.h>

namespace gemba::diag {
namespace {

using nlohmann::json;

class RenderSarifTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = sources_.add("dir/a.gmb", "module m;\nlet x = 5 kg + 3 min;\n");
    std_ = sources_.add("<stdlib>/std/units.gmb", "unit kg: mass;\n");
  }
  Diagnostic make(Code code, Span span, std::string message) {
    return {code, info(code).severity, span, std::move(message), {}, {}};
  }
  json parse(const std::vector<Diagnostic>& list) {
    return json::parse(render_sarif(list, sources_, "1.2.3"));
  }

  SourceManager sources_;
  FileId a_ = 0, std_ = 0;
};

TEST_F(RenderSarifTest, LogEnvelope) {
  json log = parse({});
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "gemba");
  EXPECT_EQ(driver["version"], "1.2.3");
  // No informationUri: the project has no public address yet, and SARIF does not require one.
  EXPECT_FALSE(driver.contains("informationUri"));
  EXPECT_TRUE(log["runs"][0]["results"].is_array());
  EXPECT_EQ(log["runs"][0]["columnKind"], "unicodeCodePoints");
}

TEST_F(RenderSarifTest, OneRulePerCodeInTableOrder) {
  json log = parse({});
  const json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  auto codes = all_codes();
  ASSERT_EQ(rules.size(), codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    EXPECT_EQ(rules[i]["id"], std::string(codes[i].id));
    EXPECT_EQ(rules[i]["name"], std::string(codes[i].name));
    EXPECT_EQ(rules[i]["shortDescription"]["text"], std::string(codes[i].summary));
    std::string level = codes[i].severity == Severity::kError ? "error" : "warning";
    EXPECT_EQ(rules[i]["defaultConfiguration"]["level"], level);
  }
}

TEST_F(RenderSarifTest, ResultLocationAndRule) {
  Diagnostic d = make(Code::kDimensionMismatch, {a_, 18, 30}, "cannot add mass and duration");
  d.with_hint("convert one side");
  json log = parse({d});
  const json& result = log["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleId"], "G0401");
  std::size_t index = result["ruleIndex"];
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["rules"][index]["id"], "G0401");
  EXPECT_EQ(result["level"], "error");
  EXPECT_EQ(result["message"]["text"], "cannot add mass and duration\nhint: convert one side");
  const json& location = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "dir/a.gmb");
  EXPECT_EQ(location["region"]["startLine"], 2);
  EXPECT_EQ(location["region"]["startColumn"], 9);
  EXPECT_EQ(location["region"]["endLine"], 2);
  EXPECT_EQ(location["region"]["endColumn"], 21);
  EXPECT_FALSE(result.contains("relatedLocations"));
}

TEST_F(RenderSarifTest, WarningLevel) {
  json log = parse({make(Code::kUnusedBinding, {a_, 0, 1}, "unused")});
  EXPECT_EQ(log["runs"][0]["results"][0]["level"], "warning");
}

TEST_F(RenderSarifTest, NotesWithAPlaceBecomeRelatedLocations) {
  Diagnostic d = make(Code::kNotAUnit, {a_, 21, 23}, "`kg` is not a unit here");
  d.note(Span{std_, 5, 7}, "declared here").note("a note without a place");
  json log = parse({d});
  const json& result = log["runs"][0]["results"][0];
  ASSERT_EQ(result["relatedLocations"].size(), 1u);
  const json& related = result["relatedLocations"][0];
  EXPECT_EQ(related["id"], 0);
  EXPECT_EQ(related["message"]["text"], "declared here");
  EXPECT_EQ(related["physicalLocation"]["artifactLocation"]["uri"], "stdlib/std/units.gmb");
  EXPECT_EQ(related["physicalLocation"]["region"]["startColumn"], 6);
  EXPECT_EQ(result["message"]["text"], "`kg` is not a unit here\nnote: a note without a place");
}

TEST(SarifUriTest, RelativePathsStayRelativeWithForwardSlashes) {
  EXPECT_EQ(sarif_uri("a.gmb"), "a.gmb");
  EXPECT_EQ(sarif_uri("plants/houston/mix.gmb"), "plants/houston/mix.gmb");
  EXPECT_EQ(sarif_uri("plants\\houston\\mix.gmb"), "plants/houston/mix.gmb");
  EXPECT_EQ(sarif_uri("./a.gmb"), "./a.gmb");
}

TEST(SarifUriTest, StdlibFilesMapUnderStdlib) {
  EXPECT_EQ(sarif_uri("<stdlib>/std/units.gmb"), "stdlib/std/units.gmb");
}

TEST(SarifUriTest, AbsolutePathsBecomeFileUris) {
  EXPECT_EQ(sarif_uri("/home/me/a.gmb"), "file:///home/me/a.gmb");
}

TEST(SarifUriTest, ReservedBytesArePercentEncoded) {
  EXPECT_EQ(sarif_uri("my plant/a#1.gmb"), "my%20plant/a%231.gmb");
  EXPECT_EQ(sarif_uri("c:x.gmb"), "c%3Ax.gmb");
  EXPECT_EQ(sarif_uri("é.gmb"), "%C3%A9.gmb");
}

}  // namespace
}  // namespace gemba::diag
