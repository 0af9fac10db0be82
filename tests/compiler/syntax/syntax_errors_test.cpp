// Syntax errors: human messages, one per place, all independent errors of a file.
#include <gtest/gtest.h>

#include <set>

#include "compiler/ast/dump.h"
#include "tests/compiler/syntax/parse_helpers.h"

namespace gemba::syntax {
namespace {

using testing::parse_text;

TEST(SyntaxErrorsTest, IndependentErrorsAreAllReportedOnceEach) {
  auto p = parse_text(R"(procedure P() {
  step "a" {
    let x = 5
  }
  step "b" {
    let y = ;
    wait 5 s;
  }
  step "c" {
    if x = 3 { wait 1 s; }
    let z = (1 + 2;
  }
}
kpi k() = ;
dimension;
)");
  EXPECT_EQ(p->messages(), (std::vector<std::string>{
                               "4:3 G0001 missing `;` after the statement",
                               "6:13 G0001 expected an expression, found `;`",
                               "10:10 G0001 unexpected `=`; expected `{`",
                               "11:19 G0001 missing `)` after `2`",
                               "14:11 G0001 expected an expression, found `;`",
                               "15:10 G0001 missing a name after `dimension`",
                           }));
  EXPECT_TRUE(p->stats.used_ll);
  // What could be recovered is there, with ErrorExpr where an expression was missing.
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  ASSERT_NE(proc, nullptr);
  ASSERT_EQ(proc->steps.size(), 3u);
  const auto* let_y = ast::as<ast::LetStmt>(proc->steps[1].body[0].get());
  ASSERT_NE(let_y, nullptr);
  EXPECT_NE(ast::as<ast::ErrorExpr>(let_y->init.get()), nullptr);
  EXPECT_EQ(proc->steps[1].body.size(), 2u);  // the `wait` after the error is kept
  const auto* kpi = ast::as<ast::KpiDecl>(p->module->decls[1].get());
  ASSERT_NE(kpi, nullptr);
  EXPECT_NE(ast::as<ast::ErrorExpr>(kpi->body.get()), nullptr);
  EXPECT_EQ(p->module->decls.size(), 2u);  // `dimension;` has no name: skipped
}

TEST(SyntaxErrorsTest, MissingSemicolonPointsAtTheNextTokenWithANoteWhereItGoes) {
  auto p = parse_text("procedure P() {\n  step \"a\" {\n    wait 5 s\n    wait 1 s;\n  }\n}\n");
  auto diagnostics = p->sink.sorted();
  ASSERT_EQ(diagnostics.size(), 1u);
  const diag::Diagnostic& d = diagnostics[0];
  EXPECT_EQ(d.code, diag::Code::kSyntaxError);
  EXPECT_EQ(d.message, "missing `;` after the statement");
  EXPECT_EQ(p->where(d.span), "4:5");
  EXPECT_EQ(p->text(d.span), "wait");
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0].message, "add `;` here");
  ASSERT_TRUE(d.notes[0].span.has_value());
  EXPECT_EQ(p->where(*d.notes[0].span), "3:13");  // right after `s`
  EXPECT_EQ(d.notes[0].span->begin, d.notes[0].span->end);
}

TEST(SyntaxErrorsTest, UnexpectedTokenNamesWhatWasExpected) {
  EXPECT_EQ(parse_text("procedure P() { step \"a\" { let x 5; } }")->messages(),
            (std::vector<std::string>{"1:34 G0001 unexpected `5`; expected `:` or `=`"}));
  EXPECT_EQ(parse_text("procedure P(, x: kg) { }")->messages(),
            (std::vector<std::string>{"1:13 G0001 unexpected `,`; expected `)` or a name"}));
  // After an expression, the operators that could continue it are not suggested.
  EXPECT_EQ(parse_text("procedure P() { step \"a\" { let x = 5 + f(2) wait 1 s; } }")->messages(),
            (std::vector<std::string>{"1:45 G0001 missing `;` after the statement"}));
}

TEST(SyntaxErrorsTest, LargeExpectedSetsAreSummarized) {
  EXPECT_EQ(parse_text("let x = 1;")->messages(),
            (std::vector<std::string>{"1:1 G0001 expected a declaration (unit, dimension, "
                                      "equipment class, procedure, ...), found `let`"}));
  EXPECT_EQ(parse_text("procedure P() { step \"a\" { 5; } }")->messages(),
            (std::vector<std::string>{"1:28 G0001 expected a statement or `}`, found `5`"}));
  EXPECT_EQ(parse_text("procedure P() { let x = 1; }")->messages(),
            (std::vector<std::string>{"1:17 G0001 expected a procedure item (step, limit, "
                                      "collect, on hold, ...) or `}`, found `let`"}));
  EXPECT_EQ(parse_text("equipment class M { step x; }")->messages(),
            (std::vector<std::string>{"1:21 G0001 expected a class member (property, signal, "
                                      "command) or `}`, found `step`"}));
}

TEST(SyntaxErrorsTest, EndOfFileHasAnEmptySpanAtTheEnd) {
  auto p = parse_text("procedure P() {\n  step \"a\" {\n");
  auto diagnostics = p->sink.sorted();
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "expected a statement or `}`, found end of file");
  EXPECT_EQ(diagnostics[0].span.begin, p->file->text().size());
  EXPECT_EQ(diagnostics[0].span.end, p->file->text().size());
  // The procedure and its step are still in the AST.
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  ASSERT_NE(proc, nullptr);
  EXPECT_EQ(proc->steps.size(), 1u);
}

TEST(SyntaxErrorsTest, FailedLookaheadNamesTheConstruct) {
  EXPECT_EQ(parse_text("unit kg foo;")->messages(),
            (std::vector<std::string>{"1:9 G0001 unexpected `foo` in the unit declaration"}));
}

TEST(SyntaxErrorsTest, AssignmentInAConditionSuggestsEquality) {
  auto p = parse_text("procedure P() { step \"a\" { if x = 3 { wait 1 s; } wait 2 s; } }");
  auto diagnostics = p->sink.sorted();
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "unexpected `=`; expected `{`");
  EXPECT_EQ(diagnostics[0].hint, "write `==` to compare two values");
  // Recovery skips the whole `{ ... }` group, so the step keeps its last statement
  // instead of the `}` of the group closing the step.
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  ASSERT_NE(proc, nullptr);
  ASSERT_EQ(proc->steps.size(), 1u);
  ASSERT_EQ(proc->steps[0].body.size(), 2u);
  EXPECT_EQ(proc->steps[0].body[1]->kind, ast::StmtKind::kWait);

  // A statement the parser could not make sense of is left out: `expected {` must not
  // become an assignment for later passes to complain about.
  auto q = parse_text("procedure P(n: int) { step \"a\" { if m = n { wait 1 s; } } }");
  ASSERT_EQ(q->sink.error_count(), 1u);
  const auto* step = &ast::as<ast::ProcedureDecl>(q->module->decls[0].get())->steps[0];
  for (const auto& stmt : step->body) EXPECT_NE(stmt->kind, ast::StmtKind::kAssign);
}

TEST(SyntaxErrorsTest, ABadStatementDoesNotCloseItsBlock) {
  std::string text = "procedure P() { step \"a\" { 5; wait 1 s; } step \"b\" { wait 1 s; 6; } }";
  auto p = parse_text(text);
  EXPECT_EQ(p->messages(), (std::vector<std::string>{
                               "1:28 G0001 expected a statement or `}`, found `5`",
                               "1:64 G0001 expected a statement or `}`, found `6`",
                           }));
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  ASSERT_NE(proc, nullptr);
  ASSERT_EQ(proc->steps.size(), 2u);
  EXPECT_EQ(proc->steps[0].body.size(), 1u);
  EXPECT_EQ(proc->steps[1].body.size(), 1u);
}

TEST(SyntaxErrorsTest, StringsAreShortenedInMessages) {
  auto p = parse_text("role r \"a very long title that goes on and on and on\" \"again\";");
  EXPECT_EQ(p->messages(), (std::vector<std::string>{
                               "1:55 G0001 unexpected string \"again\"; expected `;`",
                           }));
  auto q = parse_text("role r \"x\" \"a very long title that goes on and on and on\";");
  ASSERT_EQ(q->messages().size(), 1u);
  EXPECT_EQ(q->messages()[0],
            "1:12 G0001 unexpected string \"a very long title that goes on ...; expected `;`");
}

TEST(SyntaxErrorsTest, NeverShowsAntlrWording) {
  const char* inputs[] = {
      "procedure P( { }",
      "procedure P() { step { } }",
      "equipment class { }",
      "unit = ;",
      "kpi k(u: X) over = 1;",
      "procedure P() { step \"s\" { await x within otherwise; let = 1; for in 1 .. { } } }",
      "function f(): int = 1 + * 2;",
      "limit a.b in 1 .. ;",
      "collect a every deadband valid ..;",
      ")))) }}}} ;;;; ....",
      "module a.; import ; import b",
      "procedure P() { step \"s\" { ask operator as kg; sign by QA; notify QA; start (); } }",
  };
  std::set<std::uint32_t> seen;
  for (const char* input : inputs) {
    auto p = parse_text(input);
    EXPECT_TRUE(p->sink.has_errors()) << input;
    std::set<std::uint32_t> offsets;
    for (const auto& d : p->sink.sorted()) {
      for (const char* antlr : {"mismatched input", "extraneous input", "no viable alternative",
                                "expecting", "<EOF>", "<missing", "' at '"}) {
        EXPECT_EQ(d.message.find(antlr), std::string::npos) << input << ": " << d.message;
      }
      // One syntax error per offending token.
      if (d.code == diag::Code::kSyntaxError) {
        EXPECT_TRUE(offsets.insert(d.span.begin).second) << input << ": " << d.message;
      }
    }
  }
}

}  // namespace
}  // namespace gemba::syntax
