// Every input the fuzzer once crashed on, replayed exactly as the fuzzer runs it
// (tests/fuzz/check_one_input.h): each file of tests/fuzz/regressions/ must go
// through the whole pipeline and every renderer and return. One test per file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/check_one_input.h"

namespace gemba::fuzz {
namespace {

namespace fs = std::filesystem;

fs::path regressions_dir() { return fs::path(GEMBA_SOURCE_DIR) / "tests/fuzz/regressions"; }

// Every regular file except README.md and dotfiles, sorted.
std::vector<fs::path> regression_files() {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(regressions_dir(), error)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name == "README.md" || name.starts_with('.')) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A GoogleTest name: letters, digits and '_' only.
std::string test_name(const fs::path& path) {
  std::string name = path.filename().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class FuzzRegression : public testing::TestWithParam<fs::path> {};

TEST_P(FuzzRegression, ChecksAndRendersWithoutCrashing) {
  const fs::path& path = GetParam();
  ASSERT_TRUE(fs::is_regular_file(path)) << path;
  check_one_input(read_bytes(path));  // a crash or a broken oracle aborts the test
  SUCCEED();
}

INSTANTIATE_TEST_SUITE_P(Inputs, FuzzRegression, testing::ValuesIn(regression_files()),
                         [](const testing::TestParamInfo<fs::path>& info) {
                           return test_name(info.param);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzRegression);

TEST(FuzzRegressions, FolderExists) { EXPECT_TRUE(fs::is_directory(regressions_dir())); }

}  // namespace
}  // namespace gemba::fuzz
