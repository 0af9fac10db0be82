#include "compiler/syntax/string_literal.h"

#include <gtest/gtest.h>

#include "tests/compiler/syntax/parse_helpers.h"

namespace gemba::syntax {
namespace {

// Decodes `literal` as if it started at byte 100 of file 3.
struct Decoded {
  ast::Own<ast::StringExpr> expr;
  diag::DiagnosticSink sink;
  std::vector<std::string> messages;  // "[begin,end) Gxxxx message"
};

std::unique_ptr<Decoded> decode(std::string_view literal) {
  auto out = std::make_unique<Decoded>();
  diag::Span span{3, 100, static_cast<std::uint32_t>(100 + literal.size())};
  out->expr = decode_string(literal, span, out->sink);
  for (const auto& d : out->sink.sorted()) {
    out->messages.push_back("[" + std::to_string(d.span.begin) + "," + std::to_string(d.span.end) +
                            ") " + std::string(diag::info(d.code).id) + " " + d.message);
  }
  return out;
}

TEST(StringLiteralTest, PlainTextAndEscapes) {
  auto d = decode(R"("say \"hi\"\n\ta\\b")");
  EXPECT_TRUE(d->messages.empty());
  EXPECT_EQ(d->expr->value, "say \"hi\"\n\ta\\b");
  EXPECT_TRUE(d->expr->interpolations.empty());
  EXPECT_EQ(d->expr->span, (diag::Span{3, 100, 120}));
}

TEST(StringLiteralTest, LiteralBracesStayDoubledInTheTemplate) {
  auto d = decode(R"("{{x}} \{y\}")");
  EXPECT_TRUE(d->messages.empty());
  EXPECT_EQ(d->expr->value, "{{x}} {{y}}");
  EXPECT_TRUE(d->expr->interpolations.empty());
}

TEST(StringLiteralTest, InterpolationsWithSpansInsideTheString) {
  auto d = decode(R"("Lot {product} at {mixer.temperature}!")");
  EXPECT_TRUE(d->messages.empty());
  EXPECT_EQ(d->expr->value, "Lot {product} at {mixer.temperature}!");
  ASSERT_EQ(d->expr->interpolations.size(), 2u);
  const ast::Path& first = d->expr->interpolations[0].path;
  EXPECT_EQ(first.text(), "product");
  EXPECT_EQ(first.span, (diag::Span{3, 106, 113}));
  const ast::Path& second = d->expr->interpolations[1].path;
  ASSERT_EQ(second.parts.size(), 2u);
  EXPECT_EQ(second.parts[0].name, "mixer");
  EXPECT_EQ(second.parts[0].span, (diag::Span{3, 119, 124}));
  EXPECT_EQ(second.parts[1].name, "temperature");
  EXPECT_EQ(second.parts[1].span, (diag::Span{3, 125, 136}));
  EXPECT_EQ(second.span, (diag::Span{3, 119, 136}));
}

TEST(StringLiteralTest, BadInterpolations) {
  auto d = decode(R"("a {1 + 2} b {} c } d {x.} e {oops")");
  EXPECT_EQ(d->messages, (std::vector<std::string>{
                             "[103,110) G0005 `{1 + 2}` in a string must hold a name",
                             "[113,115) G0005 empty `{}` in a string",
                             "[118,119) G0005 unmatched `}` in a string",
                             "[122,126) G0005 `{x.}` in a string must hold a name",
                             "[129,130) G0005 unclosed `{` in a string",
                         }));
  EXPECT_TRUE(d->expr->interpolations.empty());
  // The template stays well formed: every brace of the bad parts is doubled.
  EXPECT_EQ(d->expr->value, "a {{1 + 2}} b {{}} c }} d {{x.}} e {{oops");
  EXPECT_EQ(d->sink.sorted()[0].hint,
            "interpolate a name such as `{product}` or `{mixer.temperature}`; write `{{` and "
            "`}}` for literal braces");
}

TEST(StringLiteralTest, UnknownEscapes) {
  auto d = decode(R"("a\qb\é")");
  EXPECT_EQ(d->messages, (std::vector<std::string>{
                             "[102,104) G0001 unknown escape `\\q`",
                             "[105,108) G0001 unknown escape `\\é`",
                         }));
  EXPECT_EQ(d->expr->value, "aqbé");
}

TEST(StringLiteralTest, UnterminatedStringDecodesToTheEnd) {
  auto d = decode(R"("open {x})");
  EXPECT_TRUE(d->messages.empty());
  EXPECT_EQ(d->expr->value, "open {x}");
  ASSERT_EQ(d->expr->interpolations.size(), 1u);
}

TEST(StringLiteralTest, InterpolationSpansMapToTheFile) {
  auto p =
      testing::parse_text("procedure P() {\n  step \"s\" { notify role r \"é {lot.id}\"; }\n}\n");
  ASSERT_FALSE(p->sink.has_errors());
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  const auto* notify = ast::as<ast::NotifyStmt>(proc->steps[0].body[0].get());
  ASSERT_NE(notify, nullptr);
  ASSERT_EQ(notify->message->interpolations.size(), 1u);
  const ast::Path& path = notify->message->interpolations[0].path;
  EXPECT_EQ(p->text(path.span), "lot.id");
  EXPECT_EQ(p->where(path.span), "2:32");
  EXPECT_EQ(p->text(path.parts[1].span), "id");
}

TEST(StringLiteralTest, ErrorsInsideAParsedFile) {
  auto p = testing::parse_text("role r \"{1x}\";\nrole s \"\\z\";\n");
  EXPECT_EQ(p->messages(), (std::vector<std::string>{
                               "1:9 G0005 `{1x}` in a string must hold a name",
                               "2:9 G0001 unknown escape `\\z`",
                           }));
}

}  // namespace
}  // namespace gemba::syntax
