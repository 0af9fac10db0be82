// Units of measure, types and number literals.
#include "compiler/syntax/ast_builder.h"

#include <charconv>
#include <string>

namespace gemba::syntax {
namespace {

constexpr std::string_view kMaxInt64 = "9223372036854775807";

bool fits_int64(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return digits.size() < kMaxInt64.size() ||
         (digits.size() == kMaxInt64.size() && digits <= kMaxInt64);
}

}  // namespace

std::string AstBuilder::number_text(Node* node) {
  std::string out;
  for (char c : text(node)) {
    if (c != '_') out += c;
  }
  if (node == nullptr) return out;
  if (node->getSymbol()->getType() == G::INT) {
    if (!fits_int64(out)) {
      sink_.report(diag::Code::kBadNumber, span(node), "integer `" + out + "` is too large")
          .with_hint("the largest integer is " + std::string(kMaxInt64) +
                     "; write a decimal such as `1e20` for a larger, approximate value");
    }
    return out;
  }
  double value = 0;
  auto result = std::from_chars(out.data(), out.data() + out.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    sink_.report(diag::Code::kBadNumber, span(node),
                 "number `" + out + "` is out of range for a 64-bit floating-point value");
  }
  return out;
}

ast::Own<ast::UnitExpr> AstBuilder::combine(ast::UnitExpr::Kind kind, ast::Own<ast::UnitExpr> lhs,
                                            ast::Own<ast::UnitExpr> rhs) {
  if (!lhs) return rhs;
  if (!rhs) return lhs;
  auto out = std::make_unique<ast::UnitExpr>();
  out->kind = kind;
  out->span = {id_, lhs->span.begin, rhs->span.end};
  out->lhs = std::move(lhs);
  out->rhs = std::move(rhs);
  return out;
}

// `kg*m/s^2`: the operators are children between the factors, left-associative.
ast::Own<ast::UnitExpr> AstBuilder::unit_expr(G::UnitExprContext* ctx) {
  if (ctx == nullptr) return nullptr;
  UnitScope scope(*this);
  ast::Own<ast::UnitExpr> out;
  auto kind = ast::UnitExpr::Kind::kMul;
  for (auto* child : ctx->children) {
    if (auto* factor = dynamic_cast<G::UnitFactorContext*>(child)) {
      if (++unit_nodes_ > kMaxExprDepth) {
        report_too_deep(ctx);
        break;
      }
      out = combine(kind, std::move(out), unit_factor(factor));
      kind = ast::UnitExpr::Kind::kMul;
    } else if (auto* node = dynamic_cast<Node*>(child)) {
      std::size_t type = node->getSymbol()->getType();
      if (type == G::STAR) kind = ast::UnitExpr::Kind::kMul;
      if (type == G::SLASH) kind = ast::UnitExpr::Kind::kDiv;
    }
  }
  return out;
}

ast::Own<ast::UnitExpr> AstBuilder::unit_factor(G::UnitFactorContext* ctx) {
  if (auto* c = dynamic_cast<G::UnitOneContext*>(ctx)) return unit_number(token(c, G::INT));
  if (auto* c = dynamic_cast<G::UnitDeltaContext*>(ctx)) {
    return unit_name(c->unitName(), true, nullptr, c);
  }
  if (auto* c = dynamic_cast<G::UnitPowerContext*>(ctx)) {
    return unit_name(c->unitName(), false, c->signedInt(), c);
  }
  if (auto* c = dynamic_cast<G::UnitParenContext*>(ctx)) return unit_expr(c->unitExpr());
  return nullptr;
}

// In a unit definition, juxtaposition multiplies: `5/9 K` is (5/9)*K.
ast::Own<ast::UnitExpr> AstBuilder::unit_def_expr(G::UnitDefExprContext* ctx) {
  if (ctx == nullptr) return nullptr;
  UnitScope scope(*this);
  ast::Own<ast::UnitExpr> out;
  auto kind = ast::UnitExpr::Kind::kMul;
  for (auto* child : ctx->children) {
    if (auto* factor = dynamic_cast<G::UnitDefFactorContext*>(child)) {
      if (++unit_nodes_ > kMaxExprDepth) {
        report_too_deep(ctx);
        break;
      }
      out = combine(kind, std::move(out), unit_def_factor(factor));
      kind = ast::UnitExpr::Kind::kMul;
    } else if (auto* node = dynamic_cast<Node*>(child)) {
      if (node->getSymbol()->getType() == G::SLASH) kind = ast::UnitExpr::Kind::kDiv;
    }
  }
  return out;
}

ast::Own<ast::UnitExpr> AstBuilder::unit_def_factor(G::UnitDefFactorContext* ctx) {
  if (auto* c = dynamic_cast<G::UnitDefNumberContext*>(ctx)) {
    if (c->number() == nullptr) return nullptr;
    Node* digits = token(c->number(), G::INT);
    return unit_number(digits != nullptr ? digits : token(c->number(), G::DECIMAL));
  }
  if (auto* c = dynamic_cast<G::UnitDefDeltaContext*>(ctx)) {
    return unit_name(c->unitName(), true, nullptr, c);
  }
  if (auto* c = dynamic_cast<G::UnitDefNameContext*>(ctx)) {
    return unit_name(c->unitName(), false, c->signedInt(), c);
  }
  if (auto* c = dynamic_cast<G::UnitDefParenContext*>(ctx)) return unit_def_expr(c->unitDefExpr());
  return nullptr;
}

// The unit of a quantity literal: `m/s^2`, `delta degC`, `kg/(m*s)`.
ast::Own<ast::UnitExpr> AstBuilder::unit_suffix(G::UnitSuffixContext* ctx) {
  if (ctx == nullptr) return nullptr;
  UnitScope scope(*this);
  ast::Own<ast::UnitExpr> out;
  for (auto* atom : ctx->unitAtom()) {
    out = combine(ast::UnitExpr::Kind::kDiv, std::move(out), unit_atom(atom));
  }
  if (auto* denominator = ctx->unitExpr()) {
    out = combine(ast::UnitExpr::Kind::kDiv, std::move(out), unit_expr(denominator));
  }
  return out;
}

ast::Own<ast::UnitExpr> AstBuilder::unit_atom(G::UnitAtomContext* ctx) {
  if (ctx == nullptr) return nullptr;
  return unit_name(ctx->unitName(), token(ctx, G::DELTA) != nullptr, ctx->signedInt(), ctx);
}

std::optional<ast::Ident> AstBuilder::unit_name_ident(G::UnitNameContext* ctx) const {
  Node* name = token(ctx, G::ID);
  return ident(name != nullptr ? name : token(ctx, G::IN));
}

ast::Own<ast::UnitExpr> AstBuilder::unit_name(G::UnitNameContext* ctx, bool delta,
                                              G::SignedIntContext* exponent, Ctx* whole) {
  auto name = unit_name_ident(ctx);
  if (!name) return nullptr;
  auto out = std::make_unique<ast::UnitExpr>();
  out->kind = ast::UnitExpr::Kind::kName;
  out->span = span(whole);
  out->name = std::move(*name);
  out->delta = delta;
  if (Node* digits = token(exponent, G::INT)) {
    std::string text = token(exponent, G::MINUS) != nullptr ? "-" : "";
    for (char c : this->text(digits)) {
      if (c != '_') text += c;
    }
    int value = 1;
    auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc()) {
      sink_.report(diag::Code::kBadNumber, span(exponent), "exponent `" + text + "` is too large");
    } else {
      out->exponent = value;
    }
  }
  return out;
}

ast::Own<ast::UnitExpr> AstBuilder::unit_number(Node* node) {
  if (node == nullptr) return nullptr;
  auto out = std::make_unique<ast::UnitExpr>();
  out->kind = ast::UnitExpr::Kind::kNumber;
  out->span = span(node);
  out->number = number_text(node);
  return out;
}

ast::Own<ast::UnitExpr> AstBuilder::type(G::TypeRefContext* ctx) {
  return ctx == nullptr ? nullptr : unit_expr(ctx->unitExpr());
}

}  // namespace gemba::syntax
