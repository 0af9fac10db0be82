// The golden corpus of the language's diagnostics (see README.md beside this file).
// Each tests/diagnostics/fail/NAME.gmb is checked alone (a folder fail/NAME/ holds one
// program of several files, checked together; fail/lib/ holds helper modules) and its text
// rendering (no color, no summary) must equal fail/NAME.expected byte for byte; each pass/NAME.gmb
// (or pass/NAME/) must produce no diagnostic at all. A folder case with a `plants/` subfolder is
// checked with those plant models (`gemba check --plants`): its .expected starts with the
// template x plant matrix, and a pass case must specialize cleanly for every plant.
// GEMBA_UPDATE_GOLDEN=1 rewrites the .expected files instead of comparing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/codes.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"

namespace gemba {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = GEMBA_SOURCE_DIR;
const std::string kCorpus = "tests/diagnostics";

bool updating() {
  const char* value = std::getenv("GEMBA_UPDATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Subfolders of fail/ and pass/ named so hold modules that cases import, not cases.
const std::string kHelperFolder = "lib";

// The cases in tests/diagnostics/<folder>, sorted: the stem of each `*.gmb` file and
// the name of each subfolder directly in it, but for the helper folder.
std::vector<std::string> case_names(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(kSourceDir / kCorpus / folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".gmb") {
      names.push_back(entry.path().stem().string());
    } else if (entry.is_directory() && entry.path().filename() != kHelperFolder) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The files of a case, as {path relative to the source tree, text}: NAME.gmb alone, or
// every `*.gmb` below the folder NAME/, sorted by path.
std::vector<std::pair<std::string, std::string>> case_files(const std::string& folder,
                                                            const std::string& name) {
  std::string base = kCorpus + "/" + folder + "/" + name;
  if (!fs::is_directory(kSourceDir / base)) {
    return {{base + ".gmb", read(kSourceDir / (base + ".gmb"))}};
  }
  std::vector<std::string> paths;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(kSourceDir / base)) {
    if (entry.is_regular_file() && entry.path().extension() == ".gmb") {
      paths.push_back(base + "/" +
                      entry.path().lexically_relative(kSourceDir / base).generic_string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& path : paths) files.emplace_back(path, read(kSourceDir / path));
  return files;
}

// A test name gtest accepts: letters, digits and underscores.
std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A line diff in the style of `diff -u`, with three lines of context around changes.
std::string unified_diff(const std::string& expected, const std::string& actual) {
  std::vector<std::string> a = split_lines(expected), b = split_lines(actual);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::string> lines;  // every line with its ' ', '-' or '+' prefix
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      lines.push_back(' ' + a[i++]);
      ++j;
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      lines.push_back('-' + a[i++]);  // removals before additions, as diff -u prints them
    } else {
      lines.push_back('+' + b[j++]);
    }
  }
  std::string out = "--- expected\n+++ actual\n";
  constexpr std::size_t kContext = 3;
  std::size_t last_printed = 0;
  bool printed_any = false;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    bool near_change = false;
    for (std::size_t d = k >= kContext ? k - kContext : 0;
         d < std::min(lines.size(), k + kContext + 1); ++d) {
      near_change = near_change || lines[d][0] != ' ';
    }
    if (!near_change) continue;
    if (printed_any && k > last_printed + 1) out += "@@\n";
    out += lines[k] + '\n';
    last_printed = k;
    printed_any = true;
  }
  if (!printed_any) out += "(the files differ only in line endings or the final newline)\n";
  return out;
}

// The subfolder of a folder case that holds its plant models.
const std::string kPlantFolder = "plants";

// `tests/diagnostics/<folder>/NAME/plants` when the case has one, else empty.
std::string plant_folder(const std::string& folder, const std::string& name) {
  std::string plants = kCorpus + "/" + folder + "/" + name + "/" + kPlantFolder;
  return fs::is_directory(kSourceDir / plants) ? plants : "";
}

driver::CheckRun check_case(const std::string& folder, const std::string& name) {
  driver::CheckOptions options;
  if (std::string plants = plant_folder(folder, name); !plants.empty()) {
    options.plant_paths = {plants};
  }
  return driver::check_sources(case_files(folder, name), options);
}

std::string count_text(std::size_t errors, std::size_t warnings) {
  if (errors == 0 && warnings == 0) return "ok";
  auto plural = [](std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  std::string out = errors > 0 ? plural(errors, "error") : "";
  if (warnings > 0) out += (out.empty() ? "" : ", ") + plural(warnings, "warning");
  return out;
}

// The template x plant matrix, one line per cell (`matrix: TEMPLATE x PLANT: 1 error`),
// then a blank line. Not the CLI's table: its layout is the CLI's business (tests/cli/);
// the corpus pins down which cells there are and what each counts.
std::string render_matrix(const driver::CheckRun& run) {
  if (run.plant_names.empty()) return "matrix: no plant model under plants/\n\n";
  std::string out;
  for (const driver::MatrixCell& cell : run.matrix) {
    out += "matrix: " + cell.template_path + " x " + cell.plant + ": " +
           (cell.specialized ? count_text(cell.errors, cell.warnings) : "not checked (errors)") +
           "\n";
  }
  if (run.matrix.empty()) out += "matrix: no template\n";
  return out + "\n";
}

// Paths in a case are relative to the source tree, and imports not found among the
// case's files are looked up beside the importing file: run from the source tree, as
// ctest does.
class GoldenTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { fs::current_path(kSourceDir); }
};

class GoldenFailTest : public GoldenTest {};
class GoldenPassTest : public GoldenTest {};

TEST_P(GoldenFailTest, MatchesExpected) {
  const std::string& name = GetParam();
  driver::CheckRun run = check_case("fail", name);
  EXPECT_FALSE(run.diagnostics.empty()) << name << " must produce at least one diagnostic";
  EXPECT_TRUE(run.io_errors.empty());
  std::string actual = diag::render_text(run.diagnostics, run.sources);
  if (!plant_folder("fail", name).empty()) actual = render_matrix(run) + actual;
  fs::path expected_path = kSourceDir / kCorpus / "fail" / (name + ".expected");
  if (updating()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; create it with GEMBA_UPDATE_GOLDEN=1. Actual output:\n"
      << actual;
  std::string expected = read(expected_path);
  if (expected != actual) {
    ADD_FAILURE() << kCorpus << "/fail/" << name << ".expected differs from the output:\n"
                  << unified_diff(expected, actual)
                  << "If the change is intended, rerun with GEMBA_UPDATE_GOLDEN=1 and review "
                     "`git diff`.";
  }
}

TEST_P(GoldenPassTest, HasNoDiagnostics) {
  driver::CheckRun run = check_case("pass", GetParam());
  EXPECT_TRUE(run.io_errors.empty());
  EXPECT_TRUE(run.diagnostics.empty()) << diag::render_text(run.diagnostics, run.sources);
  if (plant_folder("pass", GetParam()).empty()) return;
  // With plants: every template specialized for every plant, without a diagnostic.
  EXPECT_FALSE(run.plant_names.empty()) << "plants/ declares no plant";
  EXPECT_FALSE(run.matrix.empty()) << "no template was specialized";
  for (const driver::MatrixCell& cell : run.matrix) {
    EXPECT_EQ(count_text(cell.errors, cell.warnings), "ok")
        << cell.template_path << " x " << cell.plant;
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenFailTest, ::testing::ValuesIn(case_names("fail")),
                         test_name);
INSTANTIATE_TEST_SUITE_P(Golden, GoldenPassTest, ::testing::ValuesIn(case_names("pass")),
                         test_name);
// The corpus may be empty (a fresh checkout of a branch without cases).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenFailTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenPassTest);

TEST(GoldenCorpusTest, EveryCodeAppearsInSomeExpectedFile) {
  std::string all_expected;
  for (const std::string& name : case_names("fail")) {
    all_expected += read(kSourceDir / kCorpus / "fail" / (name + ".expected"));
  }
  if (all_expected.empty()) GTEST_SKIP() << "the golden corpus has no .expected files yet";
  for (const diag::CodeInfo& code : diag::all_codes()) {
    // Run-time faults (G10xx) come from running code, not from `gemba check`: their
    // outputs are tested where code runs (tests/cli: `gemba compile --call`).
    if (code.id.starts_with("G10")) continue;
    EXPECT_NE(all_expected.find("[" + std::string(code.id) + "]"), std::string::npos)
        << code.id << " " << code.name << " appears in no " << kCorpus << "/fail/*.expected";
  }
}

}  // namespace
}  // namespace gemba
