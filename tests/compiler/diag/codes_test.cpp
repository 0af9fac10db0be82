#include "compiler/diag/codes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace gemba::diag {
namespace {

TEST(CodesTest, TableFollowsTheEnumOrder) {
  auto codes = all_codes();
  ASSERT_FALSE(codes.empty());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(codes[i].code), i) << codes[i].id;
    EXPECT_EQ(&info(codes[i].code), &codes[i]);
  }
  // The last enumerator is in the table: nothing was added to the enum only.
  EXPECT_EQ(static_cast<std::size_t>(Code::kRuntimeFault), codes.size() - 1);
}

TEST(CodesTest, IdsAreUniqueAndWellFormed) {
  const std::regex format("G[0-9]{4}");
  std::set<std::string_view> ids;
  for (const CodeInfo& code : all_codes()) {
    EXPECT_TRUE(std::regex_match(std::string(code.id), format)) << code.id;
    EXPECT_TRUE(ids.insert(code.id).second) << "duplicate id " << code.id;
  }
}

TEST(CodesTest, IdsIncreaseWithinTheTable) {
  auto codes = all_codes();
  for (std::size_t i = 1; i < codes.size(); ++i) {
    EXPECT_LT(codes[i - 1].id, codes[i].id) << codes[i].id;
  }
}

TEST(CodesTest, NamesAreUniqueKebabCaseSlugs) {
  const std::regex slug("[a-z0-9]+(-[a-z0-9]+)*");
  std::set<std::string_view> names;
  for (const CodeInfo& code : all_codes()) {
    EXPECT_TRUE(std::regex_match(std::string(code.name), slug)) << code.name;
    EXPECT_TRUE(names.insert(code.name).second) << "duplicate name " << code.name;
  }
}

TEST(CodesTest, SummariesAreSentences) {
  for (const CodeInfo& code : all_codes()) {
    ASSERT_FALSE(code.summary.empty()) << code.id;
    EXPECT_EQ(code.summary.back(), '.') << code.id;
  }
}

TEST(CodesTest, SeveritiesAreErrorsOrWarnings) {
  for (const CodeInfo& code : all_codes()) {
    EXPECT_NE(code.severity, Severity::kNote) << code.id;
    if (code.id.starts_with("G09")) {
      EXPECT_EQ(code.severity, Severity::kWarning) << code.id;
    }
  }
}

TEST(CodesTest, KnownCodesKeepTheirIds) {
  // Released codes never change meaning: spot-check the anchors of each group.
  EXPECT_EQ(info(Code::kSyntaxError).id, "G0001");
  EXPECT_EQ(info(Code::kUnknownModule).id, "G0101");
  EXPECT_EQ(info(Code::kImportCycle).id, "G0103");
  EXPECT_EQ(info(Code::kDimensionMismatch).id, "G0401");
  EXPECT_EQ(info(Code::kDimensionMismatch).name, "dimension-mismatch");
  EXPECT_EQ(info(Code::kUnusedBinding).id, "G0901");
}

}  // namespace
}  // namespace gemba::diag
