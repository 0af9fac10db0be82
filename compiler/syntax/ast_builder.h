// Private to compiler/syntax: builds the AST from ANTLR's parse tree.
//
// The tree may be partial: after a syntax error the parser recovers and leaves
// contexts with missing children, unlabelled alternatives, and tokens it made up. The
// builder never trusts it: a missing expression becomes an ErrorExpr, and a
// declaration, member, parameter or statement that lacks its name (or another part
// without which it means nothing) is skipped. A statement, parameter, binding or member
// whose rule failed is skipped too: the parser could not make sense of it, and a
// half-built one would only make later passes report the same mistake again in other
// words (`if a = b {` must not become an assignment to `b`). The syntax error itself
// was already reported. The builder is split by concept over ast_builder*.cpp.
#pragma once

#include <memory>
#include <optional>

#include "GembaParser.h"
#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::syntax {

// Expressions and unit expressions nested deeper than this (say, a sum of 600 terms)
// are replaced by an ErrorExpr: every later pass walks the tree recursively.
inline constexpr int kMaxExprDepth = 512;

std::unique_ptr<ast::Module> build_ast(gemba_grammar::GembaParser::FileContext* tree,
                                       const diag::SourceFile& file, diag::FileId id,
                                       diag::DiagnosticSink& sink);

class AstBuilder {
 public:
  using G = gemba_grammar::GembaParser;
  using Node = antlr4::tree::TerminalNode;
  using Ctx = antlr4::ParserRuleContext;

  AstBuilder(const diag::SourceFile& file, diag::FileId id, diag::DiagnosticSink& sink)
      : file_(file), id_(id), sink_(sink) {}

  std::unique_ptr<ast::Module> module(G::FileContext* ctx);

 private:
  // ---- ast_builder.cpp: tokens, spans, names, module and declarations
  Node* token(Ctx* ctx, std::size_t type, std::size_t index = 0) const;
  diag::Span span(const antlr4::Token* token) const;
  diag::Span span(Node* node) const;
  diag::Span span(Ctx* ctx) const;
  diag::Span end_of(Ctx* ctx) const;  // an empty span where `ctx` ends
  std::string text(Node* node) const;
  std::optional<ast::Ident> ident(Node* node) const;
  std::optional<ast::Ident> member_name(G::MemberNameContext* ctx) const;
  std::optional<ast::Path> dotted(Ctx* ctx, const std::vector<G::MemberNameContext*>& rest) const;
  std::optional<ast::Path> qualified_name(G::QualifiedNameContext* ctx) const;
  std::optional<ast::Path> path(G::PathContext* ctx) const;

  ast::Own<ast::Decl> declaration(G::DeclarationContext* ctx);
  ast::Own<ast::Decl> dimension(G::DimensionDeclContext* ctx);
  ast::Own<ast::Decl> unit_decl(G::UnitDeclContext* ctx);
  ast::Own<ast::Decl> enum_decl(G::EnumDeclContext* ctx);
  ast::Own<ast::Decl> role(G::RoleDeclContext* ctx);
  ast::Own<ast::Decl> equipment_class(G::EquipmentClassDeclContext* ctx);
  std::optional<ast::ClassMember> class_member(G::ClassMemberContext* ctx);
  ast::Own<ast::Decl> function(G::FunctionDeclContext* ctx);
  std::vector<ast::Param> params(G::ParamListContext* ctx);
  std::vector<ast::Param> command_params(G::CommandParamListContext* ctx);
  ast::Own<ast::Decl> kpi(G::KpiDeclContext* ctx);

  // ---- ast_builder_procedures.cpp
  ast::Own<ast::Decl> procedure(G::ProcedureDeclContext* ctx);
  std::optional<ast::UseBinding> use_binding(G::UseBindingContext* ctx);
  void procedure_item(G::ProcedureItemContext* ctx, ast::ProcedureDecl& out);
  ast::Own<ast::LimitDecl> limit(G::LimitDeclContext* ctx);
  ast::Own<ast::CollectDecl> collect(G::CollectDeclContext* ctx);

  // ---- ast_builder_plants.cpp: template parameters and plant models
  ast::Own<ast::Decl> param_decl(G::ParamDeclContext* ctx);
  ast::Own<ast::Decl> plant(G::PlantDeclContext* ctx);
  void plant_item(G::PlantItemContext* ctx, ast::PlantDecl& out);
  std::optional<ast::ShiftDef> shift(G::ShiftDefContext* ctx);
  std::optional<int> clock(G::ClockContext* ctx);  // minutes since midnight; reports G0007
  ast::Own<ast::InstanceDecl> instance(G::InstanceDeclContext* ctx);

  // ---- ast_builder_units.cpp: units, types and number literals
  ast::Own<ast::UnitExpr> unit_expr(G::UnitExprContext* ctx);
  ast::Own<ast::UnitExpr> unit_factor(G::UnitFactorContext* ctx);
  ast::Own<ast::UnitExpr> unit_def_expr(G::UnitDefExprContext* ctx);
  ast::Own<ast::UnitExpr> unit_def_factor(G::UnitDefFactorContext* ctx);
  ast::Own<ast::UnitExpr> unit_suffix(G::UnitSuffixContext* ctx);
  ast::Own<ast::UnitExpr> unit_atom(G::UnitAtomContext* ctx);
  std::optional<ast::Ident> unit_name_ident(G::UnitNameContext* ctx) const;
  ast::Own<ast::UnitExpr> unit_name(G::UnitNameContext* ctx, bool delta,
                                    G::SignedIntContext* exponent, Ctx* whole);
  ast::Own<ast::UnitExpr> type(G::TypeRefContext* ctx);
  ast::Own<ast::UnitExpr> unit_number(Node* node);
  ast::Own<ast::UnitExpr> combine(ast::UnitExpr::Kind kind, ast::Own<ast::UnitExpr> lhs,
                                  ast::Own<ast::UnitExpr> rhs);
  std::string number_text(Node* node);  // digit separators removed; reports G0006

  // ---- ast_builder_statements.cpp
  ast::Block block(G::BlockContext* ctx);
  ast::Own<ast::Stmt> statement(G::StatementContext* ctx);
  ast::Own<ast::Stmt> let(Ctx* ctx, bool is_var, G::TypeRefContext* type, G::ExprContext* init);
  ast::Own<ast::Stmt> if_statement(G::IfStatementContext* ctx);
  ast::Own<ast::Stmt> ask_statement(G::AskStmtContext* ctx);
  ast::Own<ast::Stmt> await_statement(G::AwaitStmtContext* ctx);
  ast::Own<ast::Stmt> sign(G::SignStmtContext* ctx);
  ast::Own<ast::Stmt> notify(G::NotifyStmtContext* ctx);
  ast::Own<ast::Stmt> start(G::StartStmtContext* ctx);
  ast::Own<ast::Stmt> reaction(G::ReactionContext* ctx);
  ast::Timeout timeout(G::TimeoutContext* ctx, diag::Span fallback);
  ast::Timeout timeout(G::BlockTimeoutContext* ctx, diag::Span fallback);
  template <class Context>
  ast::Timeout timeout_within(Context* ctx, diag::Span fallback);

  // ---- ast_builder_expressions.cpp
  ast::Own<ast::Expr> expr(G::ExprContext* ctx, diag::Span fallback);
  ast::Own<ast::Expr> expr_node(G::ExprContext* ctx);
  ast::Own<ast::Expr> primary(G::PrimaryContext* ctx);
  ast::Own<ast::Expr> binary(G::ExprContext* ctx, antlr4::Token* op, G::ExprContext* lhs,
                             G::ExprContext* rhs);
  ast::Own<ast::Expr> unary(G::ExprContext* ctx, ast::UnaryOp op, Node* op_token,
                            G::ExprContext* operand);
  ast::Own<ast::Expr> ask(G::AskExprContext* ctx);
  ast::Own<ast::StringExpr> string_literal(Node* node, diag::Span fallback);
  std::vector<ast::Argument> arguments(G::ArgListContext* ctx);
  ast::Own<ast::Expr> error(diag::Span span) const;
  void report_too_deep(Ctx* ctx);  // once per file
  // Unit expressions: how deeply unit_expr & co. are nested, and how many nodes the
  // outermost one has built (its depth is at most that).
  struct UnitScope {
    explicit UnitScope(AstBuilder& builder) : builder_(builder) {
      if (builder_.unit_nesting_++ == 0) builder_.unit_nodes_ = 0;
    }
    ~UnitScope() { --builder_.unit_nesting_; }
    AstBuilder& builder_;
  };

  const diag::SourceFile& file_;
  diag::FileId id_;
  diag::DiagnosticSink& sink_;
  int depth_ = 0;  // of expr() calls: a bound of the expression tree's depth
  int unit_nesting_ = 0;
  int unit_nodes_ = 0;
  bool depth_reported_ = false;
};

}  // namespace gemba::syntax
