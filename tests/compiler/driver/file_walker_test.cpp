#include "compiler/driver/file_walker.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace gemba::driver {
namespace {

using gemba::testing::TempDir;

std::vector<std::string> paths_of(const CollectedInputs& inputs) {
  std::vector<std::string> out;
  for (const InputFile& file : inputs.files) out.push_back(file.path);
  return out;
}

TEST(FileWalkerTest, FoldersAreWalkedRecursivelyAndSorted) {
  TempDir dir;
  dir.write("z.gmb", "z");
  dir.write("b/inner.gmb", "inner");
  dir.write("a.gmb", "a");
  dir.write("notes.txt", "not gemba");
  dir.write("b/deeper/x.gmb", "x");
  std::string root = dir.path().string();
  CollectedInputs inputs = collect_inputs({root});
  EXPECT_TRUE(inputs.io_errors.empty());
  EXPECT_EQ(paths_of(inputs), (std::vector<std::string>{root + "/a.gmb", root + "/b/deeper/x.gmb",
                                                        root + "/b/inner.gmb", root + "/z.gmb"}));
  EXPECT_EQ(inputs.files[0].text, "a");
}

TEST(FileWalkerTest, NamedFilesKeepTheirOrderAndAnyExtension) {
  TempDir dir;
  std::string b = dir.write("b.gmb", "b").string();
  std::string a = dir.write("a.txt", "a").string();
  CollectedInputs inputs = collect_inputs({b, a});
  EXPECT_EQ(paths_of(inputs), (std::vector<std::string>{b, a}));
}

TEST(FileWalkerTest, AFileReachedTwiceIsReadOnce) {
  TempDir dir;
  std::string a = dir.write("a.gmb", "a").string();
  CollectedInputs inputs = collect_inputs({a, dir.path().string(), a});
  EXPECT_EQ(paths_of(inputs), (std::vector<std::string>{a}));
}

TEST(FileWalkerTest, MissingPathIsAnIoError) {
  TempDir dir;
  std::string missing = (dir.path() / "missing.gmb").string();
  std::string a = dir.write("a.gmb", "a").string();
  CollectedInputs inputs = collect_inputs({missing, a});
  ASSERT_EQ(inputs.io_errors.size(), 1u);
  EXPECT_EQ(inputs.io_errors[0], "cannot read `" + missing + "`: No such file or directory");
  EXPECT_EQ(paths_of(inputs), (std::vector<std::string>{a}));
}

TEST(FileWalkerTest, ReadFailuresComeFromTheReader) {
  FileReader failing = [](const std::filesystem::path&) {
    return ReadResult{ReadResult::Status::kFailed, {}, "Permission denied"};
  };
  CollectedInputs inputs = collect_inputs({"x.gmb"}, failing);
  ASSERT_EQ(inputs.io_errors.size(), 1u);
  EXPECT_EQ(inputs.io_errors[0], "cannot read `x.gmb`: Permission denied");
}

TEST(FileWalkerTest, EmptyFolderGivesNoFiles) {
  TempDir dir;
  CollectedInputs inputs = collect_inputs({dir.path().string()});
  EXPECT_TRUE(inputs.files.empty());
  EXPECT_TRUE(inputs.io_errors.empty());
}

TEST(FileReaderTest, ReadsBytesExactly) {
  TempDir dir;
  std::string text("a\0b\r\n\xff", 6);
  ReadResult result = read_text_file(dir.write("a.gmb", text));
  EXPECT_EQ(result.status, ReadResult::Status::kOk);
  EXPECT_EQ(result.text, text);
}

TEST(FileReaderTest, MissingAndDirectory) {
  TempDir dir;
  EXPECT_EQ(read_text_file(dir.path() / "nope.gmb").status, ReadResult::Status::kNotFound);
  EXPECT_EQ(read_text_file(dir.path()).status, ReadResult::Status::kIsDirectory);
}

}  // namespace
}  // namespace gemba::driver
