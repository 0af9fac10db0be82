// Procedures and what they contain: bindings, limits, collect rules, steps, handlers.
#include "compiler/syntax/ast_builder.h"

namespace gemba::syntax {

ast::Own<ast::Decl> AstBuilder::procedure(G::ProcedureDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::ProcedureDecl>(span(ctx));
  out->name = std::move(*name);
  out->params = params(ctx->paramList());
  if (auto* uses = ctx->usesClause()) {
    for (auto* binding : uses->useBinding()) {
      if (auto built = use_binding(binding)) out->uses.push_back(std::move(*built));
    }
  }
  for (auto* item : ctx->procedureItem()) procedure_item(item, *out);
  return out;
}

std::optional<ast::UseBinding> AstBuilder::use_binding(G::UseBindingContext* ctx) {
  if (ctx == nullptr || ctx->exception != nullptr) return std::nullopt;
  auto name = ident(token(ctx, G::ID, 0));
  auto equipment_class = ident(token(ctx, G::ID, 1));
  if (!name || !equipment_class) return std::nullopt;
  ast::UseBinding out;
  out.name = std::move(*name);
  out.equipment_class = std::move(*equipment_class);
  if (token(ctx, G::WHERE) != nullptr) out.constraint = expr(ctx->expr(), end_of(ctx));
  out.span = span(ctx);
  return out;
}

void AstBuilder::procedure_item(G::ProcedureItemContext* ctx, ast::ProcedureDecl& out) {
  if (ctx == nullptr) return;
  if (auto* c = ctx->limitDecl()) {
    if (auto built = limit(c)) out.limits.push_back(std::move(built));
  } else if (auto* c = ctx->collectDecl()) {
    if (auto built = collect(c)) out.collects.push_back(std::move(built));
  } else if (auto* step = ctx->stepDecl()) {
    ast::Step built;
    Node* name = token(step, G::STRING);
    built.name = string_literal(name, end_of(step));
    built.body = block(step->block());
    built.span = span(step);
    out.steps.push_back(std::move(built));
  } else if (auto* handler = ctx->handlerDecl()) {
    ast::Handler built;
    if (token(handler, G::HOLD) != nullptr) {
      built.kind = ast::Handler::Kind::kHold;
    } else if (token(handler, G::ABORT) != nullptr) {
      built.kind = ast::Handler::Kind::kAbort;
    } else if (token(handler, G::CLEANUP) != nullptr) {
      built.kind = ast::Handler::Kind::kCleanup;
    } else {
      return;
    }
    built.body = block(handler->block());
    built.span = span(handler);
    out.handlers.push_back(std::move(built));
  }
}

ast::Own<ast::LimitDecl> AstBuilder::limit(G::LimitDeclContext* ctx) {
  auto subject = path(ctx->path());
  if (!subject) return nullptr;
  auto out = std::make_unique<ast::LimitDecl>(span(ctx));
  out->subject = std::move(*subject);
  out->lo = expr(ctx->lo, end_of(ctx->path()));
  out->hi = expr(ctx->hi, ctx->lo != nullptr ? end_of(ctx->lo) : end_of(ctx));
  if (token(ctx, G::ON) != nullptr) {
    out->has_reaction = true;
    out->on_violation = block(ctx->block());
  }
  return out;
}

ast::Own<ast::CollectDecl> AstBuilder::collect(G::CollectDeclContext* ctx) {
  auto signal = path(ctx->path());
  if (!signal) return nullptr;
  auto out = std::make_unique<ast::CollectDecl>(span(ctx));
  out->signal = std::move(*signal);
  out->period = expr(ctx->period, end_of(ctx->path()));
  if (token(ctx, G::DEADBAND) != nullptr) out->deadband = expr(ctx->deadband, end_of(ctx));
  if (token(ctx, G::VALID) != nullptr) {
    out->valid_lo = expr(ctx->lo, end_of(ctx));
    out->valid_hi = expr(ctx->hi, end_of(ctx));
  }
  return out;
}

}  // namespace gemba::syntax
