#include "compiler/diag/source.h"

#include <gtest/gtest.h>

namespace gemba::diag {
namespace {

LineColumn at(const SourceFile& file, std::uint32_t offset) { return file.location(offset); }

TEST(SourceFileTest, FirstCharacterIsLineOneColumnOne) {
  SourceFile file("a.gmb", "abc");
  EXPECT_EQ(at(file, 0).line, 1u);
  EXPECT_EQ(at(file, 0).column, 1u);
  EXPECT_EQ(at(file, 2).column, 3u);
}

TEST(SourceFileTest, NewlineStartsTheNextLine) {
  SourceFile file("a.gmb", "ab\ncd\n\nef");
  EXPECT_EQ(at(file, 2).line, 1u);  // the '\n' itself belongs to line 1
  EXPECT_EQ(at(file, 2).column, 3u);
  EXPECT_EQ(at(file, 3).line, 2u);
  EXPECT_EQ(at(file, 3).column, 1u);
  EXPECT_EQ(at(file, 6).line, 3u);
  EXPECT_EQ(at(file, 7).line, 4u);
  EXPECT_EQ(at(file, 8).column, 2u);
  EXPECT_EQ(file.line_count(), 4u);
}

TEST(SourceFileTest, ColumnsCountCodePointsNotBytes) {
  // "é" is 2 bytes, "€" 3 bytes, "𝄞" 4 bytes.
  SourceFile file("a.gmb", "é€𝄞x");
  EXPECT_EQ(at(file, 2).column, 2u);  // €
  EXPECT_EQ(at(file, 5).column, 3u);  // 𝄞
  EXPECT_EQ(at(file, 9).column, 4u);  // x
}

TEST(SourceFileTest, OffsetsPastTheEndClamp) {
  SourceFile file("a.gmb", "ab\ncd");
  EXPECT_EQ(at(file, 100).line, 2u);
  EXPECT_EQ(at(file, 100).column, 3u);
}

TEST(SourceFileTest, EmptyFileHasOneEmptyLine) {
  SourceFile file("a.gmb", "");
  EXPECT_EQ(file.line_count(), 1u);
  EXPECT_EQ(at(file, 0).line, 1u);
  EXPECT_EQ(file.line_text(1), "");
}

TEST(SourceFileTest, LineTextDropsTheTerminator) {
  SourceFile file("a.gmb", "one\r\ntwo\nthree");
  EXPECT_EQ(file.line_text(1), "one");
  EXPECT_EQ(file.line_text(2), "two");
  EXPECT_EQ(file.line_text(3), "three");
  EXPECT_EQ(file.line_text(0), "");
  EXPECT_EQ(file.line_text(4), "");
}

TEST(SourceManagerTest, IdsAreDenseInInsertionOrder) {
  SourceManager sources;
  EXPECT_EQ(sources.add("a.gmb", "a"), 0u);
  EXPECT_EQ(sources.add("b.gmb", "b"), 1u);
  EXPECT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources.file(1).path(), "b.gmb");
  EXPECT_EQ(sources.file(0).text(), "a");
}

TEST(SourceManagerTest, FileAddressesSurviveLaterAdds) {
  SourceManager sources;
  const SourceFile* first = &sources.file(sources.add("a.gmb", "a"));
  for (int i = 0; i < 100; ++i) sources.add("f.gmb", "x");
  EXPECT_EQ(first, &sources.file(0));
}

}  // namespace
}  // namespace gemba::diag
