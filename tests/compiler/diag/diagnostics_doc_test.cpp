// grammar/DIAGNOSTICS.md documents every diagnostic code, under a heading
// `### G0401 dimension-mismatch`, and nothing else.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "compiler/diag/codes.h"

namespace gemba::diag {
namespace {

std::string read_doc() {
  std::ifstream in(std::string(GEMBA_SOURCE_DIR) + "/grammar/DIAGNOSTICS.md", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::set<std::string> code_headings(const std::string& doc) {
  std::set<std::string> headings;
  std::istringstream lines(doc);
  const std::regex heading("### G[0-9]{4} .*");
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, heading)) headings.insert(line);
  }
  return headings;
}

TEST(DiagnosticsDocTest, EveryCodeHasItsHeading) {
  std::string doc = read_doc();
  ASSERT_FALSE(doc.empty()) << "grammar/DIAGNOSTICS.md is missing or empty";
  std::set<std::string> headings = code_headings(doc);
  for (const CodeInfo& code : all_codes()) {
    std::string wanted = "### " + std::string(code.id) + " " + std::string(code.name);
    EXPECT_TRUE(headings.contains(wanted)) << "missing heading: " << wanted;
  }
}

TEST(DiagnosticsDocTest, NoHeadingForACodeThatDoesNotExist) {
  std::set<std::string> known;
  for (const CodeInfo& code : all_codes()) {
    known.insert("### " + std::string(code.id) + " " + std::string(code.name));
  }
  for (const std::string& heading : code_headings(read_doc())) {
    EXPECT_TRUE(known.contains(heading)) << "stale heading: " << heading;
  }
}

}  // namespace
}  // namespace gemba::diag
