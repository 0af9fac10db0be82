// The driver end to end on small programs held in memory (and, for the search folders,
// in a temporary folder). Sema runs too, so tests look only at the codes they are about.
#include "compiler/driver/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "compiler/driver/module_names.h"
#include "tests/support/temp_dir.h"

namespace gemba::driver {
namespace {

using diag::Code;
using diag::Diagnostic;
using Files = std::vector<std::pair<std::string, std::string>>;

std::vector<Diagnostic> with_code(const CheckRun& run, Code code) {
  std::vector<Diagnostic> out;
  std::copy_if(run.diagnostics.begin(), run.diagnostics.end(), std::back_inserter(out),
               [&](const Diagnostic& d) { return d.code == code; });
  return out;
}

diag::LineColumn begin_of(const CheckRun& run, const diag::Span& span) {
  return run.sources.file(span.file).location(span.begin);
}

CheckOptions with_include(std::filesystem::path dir) {
  CheckOptions options;
  options.include_dirs.push_back(std::move(dir));
  return options;
}

CheckOptions dump_after(std::string pass) {
  CheckOptions options;
  options.dump_after = std::move(pass);
  return options;
}

bool has_file(const CheckRun& run, const std::string& path) {
  for (std::size_t i = 0; i < run.sources.size(); ++i) {
    if (run.sources.file(static_cast<diag::FileId>(i)).path() == path) return true;
  }
  return false;
}

TEST(PipelineTest, ImportOfAnInputModuleResolves) {
  CheckRun run = check_sources(
      {{"main.gmb", "module main;\nimport plant.mixer;\n"}, {"mixer.gmb", "module plant.mixer;\n"}},
      {});
  EXPECT_TRUE(with_code(run, Code::kUnknownModule).empty());
  EXPECT_EQ(run.files_checked, 2u);
  EXPECT_TRUE(run.io_errors.empty());
}

TEST(PipelineTest, UnknownModuleSuggestsTheClosestName) {
  CheckRun run = check_sources({{"main.gmb", "module main;\nimport plant.mixers;\n"},
                                {"mixer.gmb", "module plant.mixer;\n"}},
                               {});
  std::vector<Diagnostic> unknown = with_code(run, Code::kUnknownModule);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].severity, diag::Severity::kError);
  EXPECT_EQ(unknown[0].message, "unknown module `plant.mixers`");
  EXPECT_EQ(unknown[0].hint, "did you mean `plant.mixer`?");
  EXPECT_EQ(run.sources.file(unknown[0].span.file).path(), "main.gmb");
  EXPECT_EQ(begin_of(run, unknown[0].span).line, 2u);
  EXPECT_EQ(begin_of(run, unknown[0].span).column, 8u);
  EXPECT_GE(run.errors(), 1u);
}

TEST(PipelineTest, UnknownModuleWithNothingCloseSaysWhereItLooked) {
  CheckRun run =
      check_sources({{"dir/main.gmb", "module main;\nimport zzz.qqq;\n"}}, with_include("inc"));
  std::vector<Diagnostic> unknown = with_code(run, Code::kUnknownModule);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].hint.find("`module zzz.qqq;`"), std::string::npos) << unknown[0].hint;
  EXPECT_NE(unknown[0].hint.find("`inc/zzz/qqq.gmb`"), std::string::npos) << unknown[0].hint;
  EXPECT_NE(unknown[0].hint.find("`dir/zzz/qqq.gmb`"), std::string::npos) << unknown[0].hint;
}

TEST(PipelineTest, FileStemNamesAModuleWithoutADeclaration) {
  CheckRun run = check_sources(
      {{"main.gmb", "module main;\nimport helper;\n"}, {"lib/helper.gmb", "// no module line\n"}},
      {});
  EXPECT_TRUE(with_code(run, Code::kUnknownModule).empty());
}

TEST(PipelineTest, ImportCycleIsReportedOnce) {
  CheckRun run = check_sources({{"a.gmb", "module a;\nimport b;\n"},
                                {"b.gmb", "module b;\nimport c;\n"},
                                {"c.gmb", "module c;\nimport a;\n"}},
                               {});
  std::vector<Diagnostic> cycles = with_code(run, Code::kImportCycle);
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(run.sources.file(cycles[0].span.file).path(), "c.gmb");
  ASSERT_EQ(cycles[0].notes.size(), 1u);
  EXPECT_EQ(cycles[0].notes[0].message, "the cycle is a -> b -> c -> a");
}

TEST(PipelineTest, DuplicateModulePointsAtTheFirst) {
  CheckRun run =
      check_sources({{"one.gmb", "module same;\n"}, {"two.gmb", "// two\nmodule same;\n"}}, {});
  std::vector<Diagnostic> dups = with_code(run, Code::kDuplicateModule);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(run.sources.file(dups[0].span.file).path(), "two.gmb");
  EXPECT_EQ(begin_of(run, dups[0].span).line, 2u);
  ASSERT_EQ(dups[0].notes.size(), 1u);
  ASSERT_TRUE(dups[0].notes[0].span.has_value());
  EXPECT_EQ(run.sources.file(dups[0].notes[0].span->file).path(), "one.gmb");
}

TEST(PipelineTest, DuplicateImportIsAWarning) {
  CheckRun run =
      check_sources({{"a.gmb", "module a;\nimport b;\nimport b;\n"}, {"b.gmb", "module b;\n"}}, {});
  std::vector<Diagnostic> dups = with_code(run, Code::kDuplicateImport);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(dups[0].severity, diag::Severity::kWarning);
  EXPECT_EQ(begin_of(run, dups[0].span).line, 3u);
  ASSERT_EQ(dups[0].notes.size(), 1u);
  EXPECT_EQ(begin_of(run, *dups[0].notes[0].span).line, 2u);
  EXPECT_GE(run.warnings(), 1u);
}

TEST(PipelineTest, StdImportLoadsTheEmbeddedFile) {
  std::vector<std::string> std_modules = stdlib_module_names();
  if (std::find(std_modules.begin(), std_modules.end(), "std.units") == std_modules.end()) {
    GTEST_SKIP() << "the embedded standard library has no std/units.gmb yet";
  }
  CheckRun run = check_sources({{"a.gmb", "module a;\nimport std.units;\n"}}, {});
  EXPECT_TRUE(with_code(run, Code::kUnknownModule).empty());
  EXPECT_TRUE(has_file(run, "<stdlib>/std/units.gmb"));
  EXPECT_EQ(run.files_checked, 1u);  // the standard library is not counted
}

TEST(PipelineTest, StdlibIsLoadedOnlyWhenImported) {
  CheckRun run = check_sources({{"a.gmb", "module a;\n"}}, {});
  EXPECT_EQ(run.sources.size(), 1u);
}

TEST(PipelineTest, UnknownStdModule) {
  CheckRun run = check_sources({{"a.gmb", "module a;\nimport std.nothing_like_this;\n"}}, {});
  std::vector<Diagnostic> unknown = with_code(run, Code::kUnknownModule);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].hint.find("standard library"), std::string::npos) << unknown[0].hint;
}

TEST(PipelineTest, DumpAfterParseSkipsResolution) {
  CheckRun run = check_sources(
      {{"a.gmb", "module a;\nimport nowhere;\n"}, {"b.gmb", "module b;\n"}}, dump_after("parse"));
  EXPECT_NE(run.dump.find("=== a.gmb ===\n"), std::string::npos) << run.dump;
  EXPECT_NE(run.dump.find("=== b.gmb ===\n"), std::string::npos) << run.dump;
  EXPECT_LT(run.dump.find("a.gmb"), run.dump.find("b.gmb"));
  EXPECT_TRUE(with_code(run, Code::kUnknownModule).empty());
}

TEST(PipelineTest, AnImportTheParserRepairedIsNotResolved) {
  // `let` is a keyword that cannot name a member: the parser reports the path and keeps `foo`.
  CheckRun run = check_sources({{"a.gmb", "module a;\nimport foo.let;\n"}}, {});
  EXPECT_FALSE(with_code(run, Code::kSyntaxError).empty());
  EXPECT_TRUE(with_code(run, Code::kUnknownModule).empty());
}

TEST(PipelineTest, AnImportMissingItsSemicolonStillResolves) {
  CheckRun run = check_sources(
      {{"a.gmb", "module a;\nimport nowhere.at_all\n"}, {"b.gmb", "module b;\n"}}, {});
  std::vector<Diagnostic> unknown = with_code(run, Code::kUnknownModule);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].message, "unknown module `nowhere.at_all`");
}

TEST(PipelineTest, NoInputsNoDiagnostics) {
  CheckRun run = check_sources({}, {});
  EXPECT_TRUE(run.diagnostics.empty());
  EXPECT_EQ(run.files_checked, 0u);
  EXPECT_EQ(run.errors(), 0u);
  EXPECT_EQ(run.warnings(), 0u);
}

TEST(PipelineTest, DiagnosticsAreSortedByFileAndPosition) {
  CheckRun run = check_sources(
      {{"a.gmb", "module a;\nimport x1;\nimport x2;\n"}, {"b.gmb", "module b;\nimport y1;\n"}}, {});
  for (std::size_t i = 1; i < run.diagnostics.size(); ++i) {
    const diag::Span& prev = run.diagnostics[i - 1].span;
    const diag::Span& next = run.diagnostics[i].span;
    EXPECT_TRUE(prev.file < next.file || (prev.file == next.file && prev.begin <= next.begin));
  }
  EXPECT_EQ(with_code(run, Code::kUnknownModule).size(), 3u);
}

TEST(PipelineDiskTest, IncludeFolderAndImporterFolder) {
  gemba::testing::TempDir dir;
  dir.write("inc/lib/util.gmb", "module lib.util;\n");
  dir.write("src/near.gmb", "module near;\n");
  std::string main =
      dir.write("src/main.gmb", "module main;\nimport lib.util;\nimport near;\n").string();
  CheckRun run = check_paths({main}, with_include(dir.path() / "inc"));
  EXPECT_TRUE(with_code(run, Code::kUnknownModule).empty());
  EXPECT_TRUE(has_file(run, (dir.path() / "inc/lib/util.gmb").generic_string()));
  EXPECT_TRUE(has_file(run, (dir.path() / "src/near.gmb").generic_string()));
  EXPECT_EQ(run.files_checked, 3u);
}

TEST(PipelineDiskTest, AFileFoundByImportThatIsAlsoAnInputIsLoadedOnce) {
  gemba::testing::TempDir dir;
  dir.write("a/b.gmb", "// no module line: named `b` as an input\n");
  dir.write("main.gmb", "module main;\nimport a.b;\n");
  CheckRun run = check_paths({dir.path().string()}, {});
  EXPECT_TRUE(with_code(run, Code::kUnknownModule).empty());
  EXPECT_EQ(run.sources.size(), 2u);
}

TEST(PipelineDiskTest, MissingPathIsAnIoErrorAndTheRestIsChecked) {
  gemba::testing::TempDir dir;
  std::string good = dir.write("good.gmb", "module good;\n").string();
  std::string missing = (dir.path() / "missing.gmb").string();
  CheckRun run = check_paths({missing, good}, {});
  ASSERT_EQ(run.io_errors.size(), 1u);
  EXPECT_EQ(run.io_errors[0], "cannot read `" + missing + "`: No such file or directory");
  EXPECT_EQ(run.files_checked, 1u);
}

}  // namespace
}  // namespace gemba::driver
