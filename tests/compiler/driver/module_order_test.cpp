#include "compiler/driver/module_order.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace gemba::driver {
namespace {

// A program built by hand: module i is file i, named names[i].
class ModuleOrderTest : public ::testing::Test {
 protected:
  void add_module(std::string name) {
    LoadedModule module;
    module.file = static_cast<diag::FileId>(modules_.size());
    module.ast = std::make_unique<ast::Module>();
    module.name = std::move(name);
    modules_.push_back(std::move(module));
  }
  // An import in `from` of `to`, written at offset `at` of from's file.
  void add_import(std::size_t from, std::size_t to, std::uint32_t at = 0) {
    ast::Module& ast = *modules_[from].ast;
    ast::Import import;
    import.module.parts.push_back({modules_[to].name, { modules_[from].file, at, at + 1 }});
    import.module.span = {modules_[from].file, at, at + 1};
    ast.imports.push_back(std::move(import));
  }
  // Edges from the AST's imports (after all add_import calls: the AST vector is stable).
  void link() {
    for (LoadedModule& module : modules_) {
      for (const ast::Import& import : module.ast->imports) {
        auto target = std::find_if(modules_.begin(), modules_.end(), [&](const LoadedModule& m) {
          return m.name == import.module.parts[0].name;
        });
        module.imports.push_back({&import, std::size_t(target - modules_.begin()), false});
      }
    }
  }
  std::size_t position(const std::vector<std::size_t>& order, std::size_t module) {
    return std::find(order.begin(), order.end(), module) - order.begin();
  }

  std::vector<LoadedModule> modules_;
  diag::DiagnosticSink sink_;
};

TEST_F(ModuleOrderTest, DependenciesComeFirst) {
  for (auto name : {"app", "lib", "base", "other"}) add_module(name);
  add_import(0, 1);
  add_import(1, 2);
  add_import(0, 2);
  link();
  std::vector<std::size_t> order = order_modules(modules_, sink_);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_LT(position(order, 2), position(order, 1));
  EXPECT_LT(position(order, 1), position(order, 0));
  EXPECT_TRUE(sink_.sorted().empty());
}

TEST_F(ModuleOrderTest, OrderIsDeterministic) {
  for (auto name : {"a", "b", "c"}) add_module(name);
  add_import(0, 2);
  add_import(0, 1);
  link();
  EXPECT_EQ(order_modules(modules_, sink_), (std::vector<std::size_t>{2, 1, 0}));
}

TEST_F(ModuleOrderTest, CycleIsReportedOnceAtTheClosingImport) {
  for (auto name : {"a", "b", "c"}) add_module(name);
  add_import(0, 1);
  add_import(1, 2);
  add_import(2, 0);
  link();
  std::vector<std::size_t> order = order_modules(modules_, sink_);
  EXPECT_EQ(order.size(), 3u);
  std::vector<diag::Diagnostic> out = sink_.sorted();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, diag::Code::kImportCycle);
  EXPECT_EQ(out[0].span.file, 2u);  // c's import of a closes it
  ASSERT_EQ(out[0].notes.size(), 1u);
  EXPECT_EQ(out[0].notes[0].message, "the cycle is a -> b -> c -> a");
  EXPECT_TRUE(modules_[2].imports[0].closes_cycle);
  EXPECT_FALSE(modules_[0].imports[0].closes_cycle);
  EXPECT_FALSE(modules_[1].imports[0].closes_cycle);
}

TEST_F(ModuleOrderTest, SelfImportIsACycle) {
  add_module("a");
  add_import(0, 0);
  link();
  order_modules(modules_, sink_);
  std::vector<diag::Diagnostic> out = sink_.sorted();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].notes[0].message, "the cycle is a -> a");
}

TEST_F(ModuleOrderTest, TwoSeparateCyclesAreTwoReports) {
  for (auto name : {"a", "b", "c", "d"}) add_module(name);
  add_import(0, 1);
  add_import(1, 0);
  add_import(2, 3);
  add_import(3, 2);
  link();
  order_modules(modules_, sink_);
  EXPECT_EQ(sink_.sorted().size(), 2u);
}

TEST_F(ModuleOrderTest, OrderWithoutClosingImportsRespectsTheRest) {
  for (auto name : {"a", "b", "base"}) add_module(name);
  add_import(0, 1);
  add_import(1, 0);
  add_import(1, 2);
  link();
  std::vector<std::size_t> order = order_modules(modules_, sink_);
  for (const LoadedModule& module : modules_) {
    std::size_t from = position(order, std::size_t(&module - modules_.data()));
    for (const ModuleEdge& edge : module.imports) {
      if (!edge.closes_cycle) {
        EXPECT_LT(position(order, edge.target), from);
      }
    }
  }
}

}  // namespace
}  // namespace gemba::driver
