#include "compiler/diag/diagnostic.h"

#include <gtest/gtest.h>

namespace gemba::diag {
namespace {

TEST(DiagnosticTest, BuildersAddNotesAndHint) {
  DiagnosticSink sink;
  sink.report(Code::kDuplicateModule, {0, 1, 2}, "twice")
      .note({0, 5, 6}, "first here")
      .note("no place")
      .with_hint("rename one");
  std::vector<Diagnostic> out = sink.sorted();
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].notes.size(), 2u);
  EXPECT_EQ(out[0].notes[0].span, (Span{0, 5, 6}));
  EXPECT_EQ(out[0].notes[0].message, "first here");
  EXPECT_FALSE(out[0].notes[1].span.has_value());
  EXPECT_EQ(out[0].hint, "rename one");
}

TEST(DiagnosticTest, SeverityComesFromTheCode) {
  DiagnosticSink sink;
  sink.report(Code::kDimensionMismatch, {}, "e");
  sink.report(Code::kUnusedBinding, {}, "w");
  sink.report(Code::kDuplicateImport, {}, "w");
  EXPECT_TRUE(sink.has_errors());
  EXPECT_EQ(sink.error_count(), 1u);
  EXPECT_EQ(sink.warning_count(), 2u);
  for (const Diagnostic& d : sink.sorted()) EXPECT_EQ(d.severity, info(d.code).severity);
}

TEST(DiagnosticTest, NoDiagnosticsNoErrors) {
  DiagnosticSink sink;
  EXPECT_FALSE(sink.has_errors());
  EXPECT_TRUE(sink.sorted().empty());
}

TEST(DiagnosticTest, SortedByFileThenPositionThenCode) {
  DiagnosticSink sink;
  sink.report(Code::kTypeMismatch, {1, 0, 1}, "file 1");
  sink.report(Code::kTypeMismatch, {0, 9, 10}, "late");
  sink.report(Code::kTypeMismatch, {0, 2, 3}, "early, later code");
  sink.report(Code::kUndefinedName, {0, 2, 3}, "early, earlier code");
  std::vector<Diagnostic> out = sink.sorted();
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].message, "early, earlier code");
  EXPECT_EQ(out[1].message, "early, later code");
  EXPECT_EQ(out[2].message, "late");
  EXPECT_EQ(out[3].message, "file 1");
}

TEST(DiagnosticTest, ExactRepeatsAreDropped) {
  DiagnosticSink sink;
  sink.report(Code::kUndefinedName, {0, 2, 3}, "undefined name `x`");
  sink.report(Code::kUndefinedName, {0, 2, 3}, "undefined name `x`");
  sink.report(Code::kUndefinedName, {0, 2, 3}, "undefined name `y`");  // other message
  sink.report(Code::kNotAType, {0, 2, 3}, "undefined name `x`");       // other code
  sink.report(Code::kUndefinedName, {0, 2, 4}, "undefined name `x`");  // other span
  EXPECT_EQ(sink.sorted().size(), 4u);
}

TEST(DiagnosticTest, SortIsStableForEqualKeysAndIdempotent) {
  DiagnosticSink sink;
  sink.report(Code::kTypeMismatch, {0, 5, 6}, "b");
  sink.report(Code::kTypeMismatch, {0, 1, 2}, "a");
  std::vector<Diagnostic> once = sink.sorted();
  std::vector<Diagnostic> twice = sink.sorted();
  ASSERT_EQ(once.size(), twice.size());
  for (std::size_t i = 0; i < once.size(); ++i) EXPECT_EQ(once[i].message, twice[i].message);
}

}  // namespace
}  // namespace gemba::diag
