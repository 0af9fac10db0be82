#include "compiler/driver/syntax_cascades.h"

#include <gtest/gtest.h>

#include "compiler/driver/pipeline.h"

namespace gemba::driver {
namespace {

std::vector<std::string> ids(const CheckRun& run) {
  std::vector<std::string> out;
  for (const auto& d : run.diagnostics) out.emplace_back(diag::info(d.code).id);
  return out;
}

TEST(SyntaxCascadesTest, EchoesInsideABrokenDeclarationAreDropped) {
  // `=` for `==` breaks the procedure; the semantic errors and warnings it would cause
  // there are echoes. The dimension error in the other function is independent.
  CheckRun run = check_sources({{"a.gmb", R"(import std.units;
procedure P(n: int) {
  step "A" { if n = 3 { let unused = 1; } }
}
function f(): kg = 5 kg + 3 min;
)"}},
                               {});
  EXPECT_EQ(ids(run), (std::vector<std::string>{"G0001", "G0401"}));
}

TEST(SyntaxCascadesTest, WarningsOfAFileWithASyntaxErrorAreDropped) {
  CheckRun run =
      check_sources({{"a.gmb", "import std.units;\nimport std.time;\nunit x = ;\n"}}, {});
  for (const auto& d : run.diagnostics) EXPECT_TRUE(is_syntax(d.code)) << d.message;
  EXPECT_FALSE(run.diagnostics.empty());
}

TEST(SyntaxCascadesTest, OtherFilesKeepTheirWarnings) {
  CheckRun run = check_sources(
      {{"a.gmb", "module a;\nunit x = ;\n"}, {"b.gmb", "module b;\nimport std.time;\n"}}, {});
  EXPECT_EQ(ids(run), (std::vector<std::string>{"G0001", "G0105"}));
}

}  // namespace
}  // namespace gemba::driver
