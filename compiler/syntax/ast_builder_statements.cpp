// Statements, blocks, reactions and timeouts.
#include "compiler/syntax/ast_builder.h"

namespace gemba::syntax {

ast::Block AstBuilder::block(G::BlockContext* ctx) {
  ast::Block out;
  if (ctx == nullptr) return out;
  for (auto* stmt : ctx->statement()) {
    if (auto built = statement(stmt)) out.push_back(std::move(built));
  }
  return out;
}

ast::Own<ast::Stmt> AstBuilder::statement(G::StatementContext* ctx) {
  if (ctx == nullptr || ctx->exception != nullptr) return nullptr;
  if (auto* c = dynamic_cast<G::LetStmtContext*>(ctx))
    return let(c, false, c->typeRef(), c->expr());
  if (auto* c = dynamic_cast<G::VarStmtContext*>(ctx)) return let(c, true, c->typeRef(), c->expr());
  if (auto* c = dynamic_cast<G::AssignStmtContext*>(ctx)) {
    auto target = ident(token(c, G::ID));
    if (!target) return nullptr;
    auto out = std::make_unique<ast::AssignStmt>(span(c));
    out->target = std::move(*target);
    out->value = expr(c->expr(), end_of(c));
    return out;
  }
  if (auto* c = dynamic_cast<G::IfStmtContext*>(ctx)) return if_statement(c->ifStatement());
  if (auto* c = dynamic_cast<G::RepeatStmtContext*>(ctx)) {
    auto out = std::make_unique<ast::RepeatStmt>(span(c));
    out->count = expr(c->expr(), span(token(c, G::REPEAT)));
    out->body = block(c->block());
    return out;
  }
  if (auto* c = dynamic_cast<G::ForStmtContext*>(ctx)) {
    auto var = ident(token(c, G::ID));
    if (!var) return nullptr;
    auto out = std::make_unique<ast::ForStmt>(span(c));
    out->var = std::move(*var);
    out->lo = expr(c->lo, end_of(c));
    out->hi = expr(c->hi, end_of(c));
    out->body = block(c->block());
    return out;
  }
  if (auto* c = dynamic_cast<G::AskStmtContext*>(ctx)) return ask_statement(c);
  if (auto* c = dynamic_cast<G::AwaitStmtContext*>(ctx)) return await_statement(c);
  if (auto* c = dynamic_cast<G::CommandStmtContext*>(ctx)) {
    auto out = std::make_unique<ast::CommandStmt>(span(c));
    out->call = expr(c->expr(), end_of(c));
    return out;
  }
  if (auto* c = dynamic_cast<G::SignStmtContext*>(ctx)) return sign(c);
  if (auto* c = dynamic_cast<G::WaitStmtContext*>(ctx)) {
    auto out = std::make_unique<ast::WaitStmt>(span(c));
    out->duration = expr(c->expr(), end_of(c));
    return out;
  }
  if (auto* c = dynamic_cast<G::ConsumeStmtContext*>(ctx)) {
    auto out = std::make_unique<ast::MaterialStmt>(ast::StmtKind::kConsume, span(c));
    out->target = expr(c->lot, end_of(c));
    out->amount = expr(c->amount, end_of(c));
    return out;
  }
  if (auto* c = dynamic_cast<G::ProduceStmtContext*>(ctx)) {
    auto out = std::make_unique<ast::MaterialStmt>(ast::StmtKind::kProduce, span(c));
    out->target = expr(c->material, end_of(c));
    out->amount = expr(c->amount, end_of(c));
    return out;
  }
  if (auto* c = dynamic_cast<G::NotifyStmtContext*>(ctx)) return notify(c);
  if (auto* c = dynamic_cast<G::StartStmtContext*>(ctx)) return start(c);
  if (auto* c = dynamic_cast<G::ReactionStmtContext*>(ctx)) {
    auto out = reaction(c->reaction());
    if (out) out->span = span(c);
    return out;
  }
  return nullptr;  // a statement the parser could not make sense of: already reported
}

ast::Own<ast::Stmt> AstBuilder::let(Ctx* ctx, bool is_var, G::TypeRefContext* type_ref,
                                    G::ExprContext* init) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::LetStmt>(span(ctx));
  out->is_var = is_var;
  out->name = std::move(*name);
  if (token(ctx, G::COLON) != nullptr) out->type = type(type_ref);
  out->init = expr(init, end_of(ctx));
  return out;
}

// `else if` nests: the inner IfStmt is the only statement of else_block.
ast::Own<ast::Stmt> AstBuilder::if_statement(G::IfStatementContext* ctx) {
  if (ctx == nullptr) return nullptr;
  auto out = std::make_unique<ast::IfStmt>(span(ctx));
  diag::Span after_if = span(token(ctx, G::IF));
  out->condition = expr(ctx->expr(), {id_, after_if.end, after_if.end});
  bool after_else = false;
  for (auto* child : ctx->children) {
    if (auto* node = dynamic_cast<Node*>(child)) {
      if (node->getSymbol()->getType() == G::ELSE) after_else = out->has_else = true;
    } else if (auto* b = dynamic_cast<G::BlockContext*>(child)) {
      (after_else ? out->else_block : out->then_block) = block(b);
    } else if (auto* nested = dynamic_cast<G::IfStatementContext*>(child)) {
      if (auto built = if_statement(nested)) out->else_block.push_back(std::move(built));
    }
  }
  return out;
}

ast::Own<ast::Stmt> AstBuilder::ask_statement(G::AskStmtContext* ctx) {
  auto asked = ask(ctx->askExpr());
  if (ast::as<ast::AskExpr>(asked.get()) == nullptr) return nullptr;
  auto out = std::make_unique<ast::AskStmt>(span(ctx));
  out->ask = std::move(asked);
  return out;
}

ast::Own<ast::Stmt> AstBuilder::await_statement(G::AwaitStmtContext* ctx) {
  auto out = std::make_unique<ast::AwaitStmt>(span(ctx));
  out->condition = expr(ctx->expr(), span(token(ctx, G::AWAIT)));
  out->timeout = ctx->blockTimeout() != nullptr ? timeout(ctx->blockTimeout(), end_of(ctx->expr()))
                                                : timeout(ctx->timeout(), end_of(ctx->expr()));
  return out;
}

ast::Own<ast::Stmt> AstBuilder::sign(G::SignStmtContext* ctx) {
  auto role = ident(token(ctx, G::ID));
  if (!role) return nullptr;
  auto out = std::make_unique<ast::SignStmt>(span(ctx));
  out->role = std::move(*role);
  if (Node* meaning = token(ctx, G::STRING)) out->meaning = string_literal(meaning, span(meaning));
  return out;
}

ast::Own<ast::Stmt> AstBuilder::notify(G::NotifyStmtContext* ctx) {
  auto role = ident(token(ctx, G::ID));
  if (!role) return nullptr;
  auto out = std::make_unique<ast::NotifyStmt>(span(ctx));
  out->role = std::move(*role);
  if (Node* message = token(ctx, G::STRING)) out->message = string_literal(message, span(message));
  return out;
}

ast::Own<ast::Stmt> AstBuilder::start(G::StartStmtContext* ctx) {
  auto procedure = ident(token(ctx, G::ID));
  if (!procedure) return nullptr;
  auto out = std::make_unique<ast::StartStmt>(span(ctx));
  out->procedure = std::move(*procedure);
  out->args = arguments(ctx->argList());
  return out;
}

ast::Own<ast::Stmt> AstBuilder::reaction(G::ReactionContext* ctx) {
  if (auto* c = dynamic_cast<G::EscalateReactionContext*>(ctx)) {
    auto out = std::make_unique<ast::EscalateStmt>(span(c));
    out->message = string_literal(token(c, G::STRING), end_of(c));
    if (token(c, G::TO) != nullptr) out->role = ident(token(c, G::ID));
    return out;
  }
  ast::StmtKind kind;
  if (dynamic_cast<G::HoldReactionContext*>(ctx) != nullptr) {
    kind = ast::StmtKind::kHold;
  } else if (dynamic_cast<G::AbortReactionContext*>(ctx) != nullptr) {
    kind = ast::StmtKind::kAbort;
  } else {
    return nullptr;
  }
  auto out = std::make_unique<ast::HoldAbortStmt>(kind, span(ctx));
  if (Node* reason = token(ctx, G::STRING)) out->reason = string_literal(reason, span(reason));
  return out;
}

// Both parts are optional; an absent clause has an empty span where it would go.
// The `within D` part shared by both forms of timeout.
template <class Context>
ast::Timeout AstBuilder::timeout_within(Context* ctx, diag::Span fallback) {
  ast::Timeout out;
  out.span = ctx != nullptr ? span(ctx) : fallback;
  if (ctx == nullptr) return out;
  if (Node* within = token(ctx, G::WITHIN)) {
    diag::Span after = span(within);
    out.within = expr(ctx->expr(), {id_, after.end, after.end});
  }
  return out;
}

ast::Timeout AstBuilder::timeout(G::TimeoutContext* ctx, diag::Span fallback) {
  ast::Timeout out = timeout_within(ctx, fallback);
  if (ctx == nullptr) return out;
  if (token(ctx, G::OTHERWISE) != nullptr) {
    if (auto* r = ctx->reaction()) out.otherwise = reaction(r);
  }
  return out;
}

ast::Timeout AstBuilder::timeout(G::BlockTimeoutContext* ctx, diag::Span fallback) {
  ast::Timeout out = timeout_within(ctx, fallback);
  if (ctx == nullptr) return out;
  if (auto* b = ctx->block()) {
    out.otherwise_block = block(b);
    out.has_otherwise_block = true;
  }
  return out;
}

}  // namespace gemba::syntax
