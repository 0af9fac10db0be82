// Every example of grammar/REFERENCE.md (and of README.md) is checked: a ```gmb block must give no
// diagnostic at all; a ```gmb-fail G0401 ... block must give exactly the listed codes,
// at the places and with the messages its shown output names (the plain ``` block right
// after it).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/diag/codes.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"

namespace gemba {
namespace {

const char* const kReferencePath = GEMBA_SOURCE_DIR "/grammar/REFERENCE.md";
const char* const kReadmePath = GEMBA_SOURCE_DIR "/README.md";

struct Block {
  std::string doc;              // "REFERENCE.md" or "README.md"
  int line = 0;                 // 1-based line of the opening fence
  bool fail = false;            // ```gmb-fail
  std::set<std::string> codes;  // the codes a gmb-fail block must produce
  std::string text;             // the module, one '\n' per line
  std::string shown_output;     // the plain block after a gmb-fail block
  bool has_shown_output = false;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Fences start at the beginning of a line. A fence that is neither gmb nor gmb-fail
// (a shell snippet, a diagnostic output) is skipped whole, so its closing fence is
// never taken for an opening one.
std::vector<Block> extract_blocks(const std::string& doc, const std::string& markdown) {
  std::vector<Block> blocks;
  std::vector<std::string> lines = split_lines(markdown);
  bool previous_was_fail = false;  // a gmb-fail block just closed, only blank lines since
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.rfind("```", 0) != 0) {
      if (!line.empty()) previous_was_fail = false;
      continue;
    }
    std::istringstream info(line.substr(3));
    std::string tag;
    info >> tag;
    std::string body;
    std::size_t j = i + 1;
    for (; j < lines.size() && lines[j] != "```"; ++j) body += lines[j] + "\n";
    if (tag == "gmb" || tag == "gmb-fail") {
      Block block;
      block.doc = doc;
      block.line = static_cast<int>(i) + 1;
      block.fail = tag == "gmb-fail";
      for (std::string code; info >> code;) block.codes.insert(code);
      block.text = body;
      blocks.push_back(std::move(block));
      previous_was_fail = blocks.back().fail;
    } else {
      if (tag.empty() && previous_was_fail && !blocks.empty()) {
        blocks.back().shown_output = body;
        blocks.back().has_shown_output = true;
      }
      previous_was_fail = false;
    }
    i = j;  // the closing fence
  }
  return blocks;
}

// gtest prints a failing parameter; the line is what a reader needs.
void PrintTo(const Block& block, std::ostream* os) {
  *os << block.doc << ":" << block.line << (block.fail ? " (gmb-fail)" : " (gmb)");
}

const std::vector<Block>& reference_blocks() {
  static const std::vector<Block> blocks =
      extract_blocks("REFERENCE.md", read_file(kReferencePath));
  return blocks;
}

// The reference's examples, then the README's: both are read by people who copy them.
const std::vector<Block>& documented_blocks() {
  static const std::vector<Block> blocks = [] {
    std::vector<Block> all = reference_blocks();
    for (Block& block : extract_blocks("README.md", read_file(kReadmePath))) {
      all.push_back(std::move(block));
    }
    return all;
  }();
  return blocks;
}

// "example.gmb:12:5: error[G0401]: msg" -> (12, 5, "G0401", "msg") for each header line:
// the shown output must not drift from what gemba prints.
std::multiset<std::tuple<int, int, std::string, std::string>> headers(const std::string& output) {
  static const std::regex kHeader(R"(^\S+:(\d+):(\d+): (?:error|warning)\[(G\d{4})\]: (.*)$)");
  std::multiset<std::tuple<int, int, std::string, std::string>> out;
  for (const std::string& line : split_lines(output)) {
    std::smatch m;
    if (std::regex_search(line, m, kHeader)) {
      out.insert({std::stoi(m[1].str()), std::stoi(m[2].str()), m[3].str(), m[4].str()});
    }
  }
  return out;
}

TEST(ReferenceTest, HasExamples) {
  const auto& blocks = reference_blocks();
  ASSERT_FALSE(blocks.empty()) << "no ```gmb blocks found in " << kReferencePath;
  std::size_t passing = 0, failing = 0;
  for (const Block& block : blocks) (block.fail ? failing : passing)++;
  EXPECT_GE(passing, 30u);
  EXPECT_GE(failing, 20u);
}

class ReferenceBlockTest : public ::testing::TestWithParam<Block> {};

TEST_P(ReferenceBlockTest, ChecksAsDocumented) {
  const Block& block = GetParam();
  std::string path = block.doc + "#" + std::to_string(block.line);
  driver::CheckRun run = driver::check_sources({{path, block.text}}, {});
  std::string rendered = diag::render_text(run.diagnostics, run.sources);
  SCOPED_TRACE(block.doc + ":" + std::to_string(block.line));
  EXPECT_TRUE(run.io_errors.empty());

  if (!block.fail) {
    EXPECT_TRUE(run.diagnostics.empty()) << "a ```gmb block must check clean:\n" << rendered;
    return;
  }

  ASSERT_FALSE(block.codes.empty()) << "a ```gmb-fail block must list the codes it produces";
  std::set<std::string> known;
  for (const diag::CodeInfo& info : diag::all_codes()) known.insert(std::string(info.id));
  for (const std::string& code : block.codes) {
    EXPECT_TRUE(known.count(code)) << code << " is not a diagnostic code";
  }
  std::set<std::string> actual;
  for (const diag::Diagnostic& d : run.diagnostics)
    actual.insert(std::string(diag::info(d.code).id));
  EXPECT_EQ(actual, block.codes) << rendered;

  // The output shown in the reference names the same places, codes and messages.
  ASSERT_TRUE(block.has_shown_output)
      << "a ```gmb-fail block must be followed by a plain ``` block with its output";
  auto expected = headers(block.shown_output);
  EXPECT_FALSE(expected.empty()) << "the shown output has no `file:line:col: error[G....]` line";
  EXPECT_EQ(headers(rendered), expected) << "actual output:\n" << rendered;
}

std::string block_name(const ::testing::TestParamInfo<Block>& info) {
  std::string doc = info.param.doc == "README.md" ? "Readme" : "";
  return doc + "Line" + std::to_string(info.param.line) + (info.param.fail ? "_fail" : "");
}

INSTANTIATE_TEST_SUITE_P(Reference, ReferenceBlockTest, ::testing::ValuesIn(documented_blocks()),
                         block_name);

TEST(ReferenceTest, ReadmeHasAnExample) {
  bool found = false;
  for (const Block& block : documented_blocks()) found = found || block.doc == "README.md";
  EXPECT_TRUE(found) << "README.md lost its ```gmb example";
}

}  // namespace
}  // namespace gemba
