// Expressions, literals and arguments.
#include "compiler/syntax/ast_builder.h"

#include <string>

#include "compiler/syntax/string_literal.h"

namespace gemba::syntax {
namespace {

std::optional<ast::BinaryOp> binary_op(std::size_t type) {
  using G = gemba_grammar::GembaParser;
  switch (type) {
    case G::STAR:
      return ast::BinaryOp::kMul;
    case G::SLASH:
      return ast::BinaryOp::kDiv;
    case G::PERCENT:
      return ast::BinaryOp::kMod;
    case G::PLUS:
      return ast::BinaryOp::kAdd;
    case G::MINUS:
      return ast::BinaryOp::kSub;
    case G::LT:
      return ast::BinaryOp::kLt;
    case G::LE:
      return ast::BinaryOp::kLe;
    case G::GT:
      return ast::BinaryOp::kGt;
    case G::GE:
      return ast::BinaryOp::kGe;
    case G::EQ:
      return ast::BinaryOp::kEq;
    case G::NE:
      return ast::BinaryOp::kNe;
    case G::AND:
      return ast::BinaryOp::kAnd;
    case G::OR:
      return ast::BinaryOp::kOr;
    default:
      return std::nullopt;
  }
}

}  // namespace

ast::Own<ast::Expr> AstBuilder::error(diag::Span span) const {
  return std::make_unique<ast::ErrorExpr>(span);
}

void AstBuilder::report_too_deep(Ctx* ctx) {
  if (depth_reported_) return;
  depth_reported_ = true;
  sink_
      .report(
          diag::Code::kSyntaxError, span(ctx->getStart()),
          "expression nested too deeply (more than " + std::to_string(kMaxExprDepth) + " levels)")
      .with_hint("split it into smaller parts with `let`");
}

ast::Own<ast::Expr> AstBuilder::expr(G::ExprContext* ctx, diag::Span fallback) {
  if (ctx == nullptr) return error(fallback);
  if (depth_ >= kMaxExprDepth) {
    report_too_deep(ctx);
    return error(span(ctx));
  }
  ++depth_;
  auto out = expr_node(ctx);
  --depth_;
  return out ? std::move(out) : error(span(ctx));
}

ast::Own<ast::Expr> AstBuilder::expr_node(G::ExprContext* ctx) {
  if (auto* c = dynamic_cast<G::PrimaryExprContext*>(ctx)) return primary(c->primary());
  if (auto* c = dynamic_cast<G::MemberExprContext*>(ctx)) {
    auto member = member_name(c->memberName());
    if (!member) return nullptr;
    auto out = std::make_unique<ast::MemberExpr>(span(c));
    out->object = expr(c->expr(), span(c));
    out->member = std::move(*member);
    return out;
  }
  if (auto* c = dynamic_cast<G::CallExprContext*>(ctx)) {
    auto out = std::make_unique<ast::CallExpr>(span(c));
    out->callee = expr(c->expr(), span(c));
    out->args = arguments(c->argList());
    return out;
  }
  if (auto* c = dynamic_cast<G::NegateExprContext*>(ctx)) {
    return unary(c, ast::UnaryOp::kNegate, token(c, G::MINUS), c->expr());
  }
  if (auto* c = dynamic_cast<G::NotExprContext*>(ctx)) {
    return unary(c, ast::UnaryOp::kNot, token(c, G::NOT), c->expr());
  }
  if (auto* c = dynamic_cast<G::MulExprContext*>(ctx))
    return binary(c, c->op, c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<G::AddExprContext*>(ctx))
    return binary(c, c->op, c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<G::CompareExprContext*>(ctx)) {
    return binary(c, c->op, c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<G::AndExprContext*>(ctx)) {
    Node* op = token(c, G::AND);
    return binary(c, op != nullptr ? op->getSymbol() : nullptr, c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<G::OrExprContext*>(ctx)) {
    Node* op = token(c, G::OR);
    return binary(c, op != nullptr ? op->getSymbol() : nullptr, c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<G::ConvertExprContext*>(ctx)) {
    auto unit = unit_expr(c->unitExpr());
    if (!unit) return nullptr;
    auto out = std::make_unique<ast::ConvertExpr>(span(c));
    out->value = expr(c->expr(), span(c));
    out->unit = std::move(unit);
    return out;
  }
  if (auto* c = dynamic_cast<G::InRangeExprContext*>(ctx)) {
    auto out = std::make_unique<ast::InRangeExpr>(span(c));
    out->value = expr(c->expr(0), span(c));
    out->lo = expr(c->lo, end_of(c));
    out->hi = expr(c->hi, end_of(c));
    return out;
  }
  return nullptr;
}

ast::Own<ast::Expr> AstBuilder::binary(G::ExprContext* ctx, antlr4::Token* op, G::ExprContext* lhs,
                                       G::ExprContext* rhs) {
  auto kind = op != nullptr ? binary_op(op->getType()) : std::nullopt;
  if (!kind || op->getTokenIndex() == INVALID_INDEX) return nullptr;
  auto out = std::make_unique<ast::BinaryExpr>(span(ctx));
  out->op = *kind;
  out->op_span = span(op);
  out->lhs = expr(lhs, out->op_span);
  out->rhs = expr(rhs, {id_, out->op_span.end, out->op_span.end});
  return out;
}

ast::Own<ast::Expr> AstBuilder::unary(G::ExprContext* ctx, ast::UnaryOp op, Node* op_token,
                                      G::ExprContext* operand) {
  if (op_token == nullptr) return nullptr;
  auto out = std::make_unique<ast::UnaryExpr>(span(ctx));
  out->op = op;
  out->op_span = span(op_token);
  out->operand = expr(operand, {id_, out->op_span.end, out->op_span.end});
  return out;
}

ast::Own<ast::Expr> AstBuilder::primary(G::PrimaryContext* ctx) {
  if (auto* c = dynamic_cast<G::QuantityLiteralContext*>(ctx)) {
    Node* digits = token(c->number(), G::INT);
    bool is_integer = digits != nullptr;
    if (digits == nullptr) digits = token(c->number(), G::DECIMAL);
    if (digits == nullptr) return nullptr;
    auto out = std::make_unique<ast::NumberExpr>(span(c));
    out->text = number_text(digits);
    out->is_integer = is_integer;
    out->unit = unit_suffix(c->unitSuffix());
    return out;
  }
  if (auto* c = dynamic_cast<G::StringLiteralContext*>(ctx)) {
    Node* node = token(c, G::STRING);
    if (node == nullptr) return nullptr;
    return string_literal(node, span(c));
  }
  if (auto* c = dynamic_cast<G::BoolLiteralContext*>(ctx)) {
    bool value = token(c, G::TRUE) != nullptr;
    if (!value && token(c, G::FALSE) == nullptr) return nullptr;
    auto out = std::make_unique<ast::BoolExpr>(span(c));
    out->value = value;
    return out;
  }
  if (auto* c = dynamic_cast<G::NameRefContext*>(ctx)) {
    auto name = ident(token(c, G::ID));
    if (!name) return nullptr;
    auto out = std::make_unique<ast::NameExpr>(span(c));
    out->name = std::move(*name);
    return out;
  }
  if (auto* c = dynamic_cast<G::ParenExprContext*>(ctx)) return expr(c->expr(), end_of(c));
  if (auto* c = dynamic_cast<G::AskPrimaryContext*>(ctx)) return ask(c->askExpr());
  return nullptr;
}

ast::Own<ast::Expr> AstBuilder::ask(G::AskExprContext* ctx) {
  if (ctx == nullptr) return nullptr;
  auto answer_type = type(ctx->typeRef());
  std::optional<ast::Ident> role;
  if (token(ctx, G::ROLE) != nullptr) {
    role = ident(token(ctx, G::ID));
    if (!role) return nullptr;
  }
  if (!answer_type) return nullptr;
  auto out = std::make_unique<ast::AskExpr>(span(ctx));
  out->role = std::move(role);
  out->prompt = string_literal(token(ctx, G::STRING), end_of(ctx));
  out->answer_type = std::move(answer_type);
  if (token(ctx, G::OF) != nullptr) out->of = path(ctx->path());
  if (token(ctx, G::IN) != nullptr) {
    out->lo = expr(ctx->lo, end_of(ctx));
    out->hi = expr(ctx->hi, end_of(ctx));
  }
  out->timeout = ctx->blockTimeout() != nullptr ? timeout(ctx->blockTimeout(), end_of(ctx))
                                                : timeout(ctx->timeout(), end_of(ctx));
  return out;
}

ast::Own<ast::StringExpr> AstBuilder::string_literal(Node* node, diag::Span fallback) {
  if (node == nullptr) return std::make_unique<ast::StringExpr>(fallback);
  return decode_string(text(node), span(node), sink_);
}

std::vector<ast::Argument> AstBuilder::arguments(G::ArgListContext* ctx) {
  std::vector<ast::Argument> out;
  if (ctx == nullptr) return out;
  for (auto* arg : ctx->arg()) {
    ast::Argument built;
    if (token(arg, G::COLON) != nullptr) built.name = member_name(arg->memberName());
    built.value = expr(arg->expr(), end_of(arg));
    built.span = span(arg);
    out.push_back(std::move(built));
  }
  return out;
}

}  // namespace gemba::syntax
