#include "compiler/syntax/ast_builder.h"

#include <algorithm>

#include "compiler/syntax/parser_tokens.h"
#include "compiler/syntax/string_literal.h"

namespace gemba::syntax {

std::unique_ptr<ast::Module> build_ast(gemba_grammar::GembaParser::FileContext* tree,
                                       const diag::SourceFile& file, diag::FileId id,
                                       diag::DiagnosticSink& sink) {
  return AstBuilder(file, id, sink).module(tree);
}

// ---- Tokens, spans and names -------------------------------------------------------

// The index-th child token of a type, ignoring the error nodes of recovery: tokens it
// skipped and tokens it made up ("<missing ID>").
AstBuilder::Node* AstBuilder::token(Ctx* ctx, std::size_t type, std::size_t index) const {
  if (ctx == nullptr) return nullptr;
  for (auto* child : ctx->children) {
    auto* node = dynamic_cast<Node*>(child);
    if (node == nullptr || dynamic_cast<antlr4::tree::ErrorNode*>(child) != nullptr) continue;
    const antlr4::Token* symbol = node->getSymbol();
    if (symbol == nullptr || symbol->getType() != type) continue;
    if (index-- == 0) return node;
  }
  return nullptr;
}

diag::Span AstBuilder::span(const antlr4::Token* token) const {
  return token_span(token, file_, id_);
}

diag::Span AstBuilder::span(Node* node) const {
  return span(node == nullptr ? nullptr : node->getSymbol());
}

diag::Span AstBuilder::span(Ctx* ctx) const {
  auto size = static_cast<std::uint32_t>(file_.text().size());
  if (ctx == nullptr || ctx->getStart() == nullptr) return {id_, size, size};
  diag::Span first = span(ctx->getStart());
  const antlr4::Token* stop = ctx->getStop();
  // A context that matched nothing stops before it starts.
  if (stop == nullptr || stop->getTokenIndex() == INVALID_INDEX ||
      stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) {
    if (stop != nullptr && stop->getTokenIndex() != INVALID_INDEX) {
      diag::Span before = span(stop);
      return {id_, before.end, before.end};
    }
    return {id_, first.begin, first.begin};
  }
  return {id_, first.begin, std::max(first.begin, span(stop).end)};
}

diag::Span AstBuilder::end_of(Ctx* ctx) const {
  diag::Span whole = span(ctx);
  return {id_, whole.end, whole.end};
}

std::string AstBuilder::text(Node* node) const {
  diag::Span s = span(node);
  return file_.text().substr(s.begin, s.end - s.begin);
}

std::optional<ast::Ident> AstBuilder::ident(Node* node) const {
  if (node == nullptr) return std::nullopt;
  return ast::Ident{text(node), span(node)};
}

// A member name may be a keyword (`command start(...)`): take whichever token it is.
std::optional<ast::Ident> AstBuilder::member_name(G::MemberNameContext* ctx) const {
  if (ctx == nullptr) return std::nullopt;
  for (auto* child : ctx->children) {
    auto* node = dynamic_cast<Node*>(child);
    if (node != nullptr && dynamic_cast<antlr4::tree::ErrorNode*>(child) == nullptr) {
      return ident(node);
    }
  }
  return std::nullopt;
}

// `a.b.c` where every part after the first may be a keyword: module names and paths.
std::optional<ast::Path> AstBuilder::dotted(Ctx* ctx,
                                            const std::vector<G::MemberNameContext*>& rest) const {
  Node* head = token(ctx, G::ID);
  if (head == nullptr) head = token(ctx, G::PLANT);  // `module plant.mixing;`
  auto first = ident(head);
  if (!first) return std::nullopt;
  ast::Path out;
  out.parts.push_back(*first);
  for (auto* member : rest) {
    if (auto name = member_name(member)) out.parts.push_back(*name);
  }
  out.span = {id_, out.parts.front().span.begin, out.parts.back().span.end};
  return out;
}

std::optional<ast::Path> AstBuilder::qualified_name(G::QualifiedNameContext* ctx) const {
  if (ctx == nullptr) return std::nullopt;
  return dotted(ctx, ctx->memberName());
}

std::optional<ast::Path> AstBuilder::path(G::PathContext* ctx) const {
  if (ctx == nullptr) return std::nullopt;
  return dotted(ctx, ctx->memberName());
}

// ---- Module and declarations ---------------------------------------------------------

std::unique_ptr<ast::Module> AstBuilder::module(G::FileContext* ctx) {
  auto out = std::make_unique<ast::Module>();
  out->file = id_;
  if (ctx == nullptr) return out;
  if (auto* decl = ctx->moduleDecl()) out->name = qualified_name(decl->qualifiedName());
  for (auto* import : ctx->importDecl()) {
    if (auto name = qualified_name(import->qualifiedName())) {
      out->imports.push_back({std::move(*name), span(import)});
    }
  }
  for (auto* decl : ctx->declaration()) {
    if (auto built = declaration(decl)) out->decls.push_back(std::move(built));
  }
  return out;
}

ast::Own<ast::Decl> AstBuilder::declaration(G::DeclarationContext* ctx) {
  if (ctx == nullptr) return nullptr;
  if (auto* c = ctx->dimensionDecl()) return dimension(c);
  if (auto* c = ctx->unitDecl()) return unit_decl(c);
  if (auto* c = ctx->enumDecl()) return enum_decl(c);
  if (auto* c = ctx->roleDecl()) return role(c);
  if (auto* c = ctx->equipmentClassDecl()) return equipment_class(c);
  if (auto* c = ctx->functionDecl()) return function(c);
  if (auto* c = ctx->procedureDecl()) return procedure(c);
  if (auto* c = ctx->limitDecl()) return limit(c);
  if (auto* c = ctx->collectDecl()) return collect(c);
  if (auto* c = ctx->kpiDecl()) return kpi(c);
  if (auto* c = ctx->paramDecl()) return param_decl(c);
  if (auto* c = ctx->plantDecl()) return plant(c);
  return nullptr;
}

ast::Own<ast::Decl> AstBuilder::dimension(G::DimensionDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::DimensionDecl>(span(ctx));
  out->name = std::move(*name);
  if (token(ctx, G::ASSIGN) != nullptr) out->definition = unit_expr(ctx->unitExpr());
  return out;
}

ast::Own<ast::Decl> AstBuilder::unit_decl(G::UnitDeclContext* ctx) {
  if (auto* base = dynamic_cast<G::BaseUnitDeclContext*>(ctx)) {
    auto name = unit_name_ident(base->unitName());
    auto dimension = ident(token(base, G::ID));
    if (!name || !dimension) return nullptr;
    auto out = std::make_unique<ast::UnitDecl>(span(ctx));
    out->name = std::move(*name);
    out->base_of = std::move(*dimension);
    return out;
  }
  auto* derived = dynamic_cast<G::DerivedUnitDeclContext*>(ctx);
  if (derived == nullptr) return nullptr;
  auto name = unit_name_ident(derived->unitName());
  auto definition = unit_def_expr(derived->unitDefExpr());
  if (!name || !definition) return nullptr;
  auto out = std::make_unique<ast::UnitDecl>(span(ctx));
  out->name = std::move(*name);
  out->definition = std::move(definition);
  G::SignedNumberContext* offset = derived->signedNumber();
  if (token(derived, G::OFFSET) != nullptr && offset != nullptr && offset->number() != nullptr) {
    Node* digits = token(offset->number(), G::INT);
    if (digits == nullptr) digits = token(offset->number(), G::DECIMAL);
    if (digits != nullptr) {
      out->offset = (token(offset, G::MINUS) != nullptr ? "-" : "") + number_text(digits);
      out->offset_span = span(offset);
    }
  }
  return out;
}

ast::Own<ast::Decl> AstBuilder::enum_decl(G::EnumDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::EnumDecl>(span(ctx));
  out->name = std::move(*name);
  for (auto* member : ctx->memberName()) {
    if (auto member_ident = member_name(member)) out->members.push_back(std::move(*member_ident));
  }
  return out;
}

ast::Own<ast::Decl> AstBuilder::role(G::RoleDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::RoleDecl>(span(ctx));
  out->name = std::move(*name);
  if (Node* title = token(ctx, G::STRING)) out->title = string_literal(title, span(title))->value;
  return out;
}

ast::Own<ast::Decl> AstBuilder::equipment_class(G::EquipmentClassDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::EquipmentClassDecl>(span(ctx));
  out->name = std::move(*name);
  if (token(ctx, G::COLON) != nullptr) out->base = ident(token(ctx, G::ID, 1));
  for (auto* member : ctx->classMember()) {
    if (auto built = class_member(member)) out->members.push_back(std::move(*built));
  }
  return out;
}

std::optional<ast::ClassMember> AstBuilder::class_member(G::ClassMemberContext* ctx) {
  if (ctx == nullptr || ctx->exception != nullptr) return std::nullopt;
  ast::ClassMember out;
  out.span = span(ctx);
  std::optional<ast::Ident> name;
  if (auto* c = dynamic_cast<G::PropertyMemberContext*>(ctx)) {
    out.kind = ast::ClassMember::Kind::kProperty;
    name = member_name(c->memberName());
    out.type = type(c->typeRef());
  } else if (auto* c = dynamic_cast<G::SignalMemberContext*>(ctx)) {
    out.kind = ast::ClassMember::Kind::kSignal;
    name = member_name(c->memberName());
    out.type = type(c->typeRef());
  } else if (auto* c = dynamic_cast<G::CommandMemberContext*>(ctx)) {
    out.kind = ast::ClassMember::Kind::kCommand;
    name = member_name(c->memberName());
    out.params = command_params(c->commandParamList());
  }
  if (!name) return std::nullopt;
  out.name = std::move(*name);
  return out;
}

ast::Own<ast::Decl> AstBuilder::function(G::FunctionDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::FunctionDecl>(span(ctx));
  out->is_builtin = token(ctx, G::BUILTIN) != nullptr;
  out->name = std::move(*name);
  out->params = params(ctx->paramList());
  out->result = type(ctx->typeRef());
  if (token(ctx, G::ASSIGN) != nullptr) out->body = expr(ctx->expr(), end_of(ctx));
  return out;
}

std::vector<ast::Param> AstBuilder::params(G::ParamListContext* ctx) {
  std::vector<ast::Param> out;
  if (ctx == nullptr) return out;
  for (auto* param : ctx->param()) {
    if (param->exception != nullptr) continue;
    auto name = ident(token(param, G::ID));
    if (!name) continue;
    out.push_back({std::move(*name), type(param->typeRef()), span(param), nullptr, nullptr});
  }
  return out;
}

std::vector<ast::Param> AstBuilder::command_params(G::CommandParamListContext* ctx) {
  std::vector<ast::Param> out;
  if (ctx == nullptr) return out;
  for (auto* param : ctx->commandParam()) {
    if (param->exception != nullptr) continue;
    auto name = ident(token(param, G::ID));
    if (!name) continue;
    ast::Param built{std::move(*name), type(param->typeRef()), span(param), nullptr, nullptr};
    if (token(param, G::IN) != nullptr) {
      built.lo = expr(param->lo, end_of(param->typeRef()));
      built.hi = expr(param->hi, param->lo != nullptr ? end_of(param->lo) : end_of(param));
    }
    out.push_back(std::move(built));
  }
  return out;
}

ast::Own<ast::Decl> AstBuilder::kpi(G::KpiDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::KpiDecl>(span(ctx));
  out->name = std::move(*name);
  out->params = params(ctx->paramList());
  if (token(ctx, G::COLON) != nullptr) out->result = type(ctx->typeRef());
  if (auto* named = dynamic_cast<G::NamedWindowContext*>(ctx->window())) {
    out->window_name = ident(token(named, G::ID));
  } else if (auto* rolling = dynamic_cast<G::RollingWindowContext*>(ctx->window())) {
    out->window_last = expr(rolling->expr(), end_of(rolling));
  }
  out->body = expr(ctx->expr(), end_of(ctx));
  return out;
}

}  // namespace gemba::syntax
