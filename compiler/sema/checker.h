// The checker's state and its passes. Private to compiler/sema: the public entry point
// is sema::check (check.h). The work is split by concept over several sources:
//   declarations.cpp  module scopes, lookup, declaring and resolving module-level names
//   units_check.cpp   unit expressions, types, quantity literals, constants
//   expressions.cpp   typing expressions
//   statements.cpp    statements, timeouts and the rules of suspension points
//   procedures.cpp    procedures, limits, collect rules, functions and KPIs
//   params.cpp        template parameters, and the constants plant models need
//   plants.cpp        plant models: time zone, units, shifts, equipment, bindings
//   lints.cpp         unused bindings and imports, recursion
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/plant/plant_model.h"
#include "compiler/sema/check.h"
#include "compiler/sema/dimension.h"
#include "compiler/sema/facts.h"
#include "compiler/sema/rational.h"
#include "compiler/sema/symbol.h"

namespace gemba::sema {

// Where a body is being checked: decides which statements may appear.
enum class Place {
  kStep,        // a procedure step: everything, including suspension points
  kHandler,     // on hold / abort / cleanup: everything
  kReaction,    // `on violation` and `otherwise`: no suspension points
  kExpression,  // functions, KPIs, constraints: expressions only
};

struct ModuleScope {
  const ModuleInput* input = nullptr;
  std::unordered_map<std::string, Symbol*> names;
  std::vector<bool> import_used;  // parallel to input->imports
};

struct BodyContext {
  Place place = Place::kExpression;
  Symbol* owner = nullptr;  // the function, KPI or procedure being checked (for recursion)
};

class Checker {
 public:
  Checker(const std::vector<ModuleInput>& modules, diag::DiagnosticSink& sink);
  void run();

  // ---- declarations.cpp
  void declare_module(std::size_t index);
  void declare(std::size_t module, SymbolKind kind, const ast::Ident& name, const ast::Decl* decl);
  // Looks a name up: locals (innermost first), the current module, its imports, the
  // prelude. Returns nullptr when not found (reported as G0201 when `report`) or
  // ambiguous (always reported, as G0207, and flagged in last_lookup_ambiguous_).
  Symbol* lookup(const ast::Ident& name, bool report = true);
  // Every name visible here whose symbol passes `keep`: candidates for "did you mean".
  std::vector<std::string> visible_names(bool (*keep)(const Symbol&));
  void suggest(diag::Diagnostic& d, const std::string& name, bool (*keep)(const Symbol&));
  void resolve(Symbol* symbol);
  void resolve_dimension(Symbol* symbol);
  void resolve_unit(Symbol* symbol);
  void resolve_class(Symbol* symbol);
  void resolve_enum(Symbol* symbol);
  void resolve_signature(Symbol* symbol);
  std::vector<ParamInfo> resolve_params(const std::vector<ast::Param>& params);
  void check_command_range(const ast::EquipmentClassDecl& decl, const ClassInfo& info,
                           const ast::Param& param, const Type& type);

  // ---- units_check.cpp
  // A unit expression as a unit. `numbers` allows scale factors (unit definitions);
  // `dimensions` allows dimension names (dimension definitions and types).
  std::optional<Unit> eval_unit(const ast::UnitExpr& expr, bool numbers, bool dimensions);
  Type resolve_type(const ast::UnitExpr& expr);
  Type literal_type(const ast::NumberExpr& expr);
  // The value of a constant quantity in coherent base units, when it is one.
  std::optional<Rational> constant(const ast::Expr* expr);
  void check_range(const ast::Expr* lo, const ast::Expr* hi, diag::Span span);
  // The base dimension named `duration` (std.units), if the program declares one.
  std::optional<Dimension> duration_dimension() const;
  bool is_duration(const Type& type) const;

  // ---- expressions.cpp
  // Types `expr` and records its type in facts_.
  Type check_expr(const ast::Expr* expr, const BodyContext& ctx);
  Type type_expr(const ast::Expr* expr, const BodyContext& ctx);
  Type check_binary(const ast::BinaryExpr& expr, const BodyContext& ctx);
  Type check_call(const ast::CallExpr& expr, const BodyContext& ctx, bool as_command);
  Type check_member(const ast::MemberExpr& expr, const BodyContext& ctx);
  void check_arguments(const std::vector<ast::Argument>& args, const std::vector<ParamInfo>& params,
                       const std::string& callee, diag::Span call_span, const BodyContext& ctx);
  void check_string(const ast::StringExpr* expr);
  // Reports when `actual` cannot be used where `expected` is required.
  bool expect(const Type& expected, const Type& actual, diag::Span span, const char* what);
  std::string describe(const Type& type) const;

  // ---- statements.cpp
  // Returns true when the block always ends the procedure (every path aborts).
  bool check_block(const ast::Block& block, const BodyContext& ctx, bool new_scope = true);
  bool check_stmt(const ast::Stmt& stmt, const BodyContext& ctx);
  Type check_ask(const ast::AskExpr& ask, const BodyContext& ctx);
  void check_timeout(const ast::Timeout& timeout, diag::Span owner, const char* what,
                     const BodyContext& ctx);
  void require_suspension(const BodyContext& ctx, diag::Span span, const char* what);
  void check_role(const ast::Ident& role);
  void check_condition(const ast::Expr* expr, const BodyContext& ctx);

  // ---- procedures.cpp
  void check_decl(const ast::Decl& decl);
  void check_procedure(Symbol* symbol, const ast::ProcedureDecl& decl);
  void check_limit(const ast::LimitDecl& limit, bool top_level, const BodyContext& ctx);
  void check_collect(const ast::CollectDecl& collect, bool top_level);
  // The type of a rule's subject (`mixer.temperature` or `Mixer.temperature`).
  Type rule_subject(const ast::Path& path, bool top_level, const char* rule);
  void check_function(Symbol* symbol, const ast::FunctionDecl& decl);
  void check_kpi(Symbol* symbol, const ast::KpiDecl& decl);

  // ---- params.cpp
  void resolve_param(Symbol* symbol);
  // A plant value or default: typed, and required to be a constant (G0708).
  std::optional<Value> plant_constant(const ast::Expr* expr, const char* what);

  // ---- plants.cpp
  void check_plant(const ast::PlantDecl& decl);
  void check_plant_units(const ast::PlantDecl& decl, plant::PlantModel& model);
  void check_plant_params(const ast::PlantDecl& decl, plant::PlantModel& model);
  void check_shifts(const ast::PlantDecl& decl, plant::PlantModel& model);
  void check_instance(const ast::InstanceDecl& decl, plant::PlantModel& model,
                      const plant::Instance* parent, const std::string& prefix);
  void check_plant_bindings(const ast::PlantDecl& decl, plant::PlantModel& model);

  // ---- lints.cpp and local scopes
  void push_scope();
  void pop_scope();  // reports unused bindings of the popped scope
  Symbol* add_local(const ast::Ident& name, LocalKind kind, const Type& type);
  void report_unused(const Symbol& local);
  void report_unused_imports(std::size_t module);
  void report_recursion();

  // ---- state
  Facts facts_;
  std::deque<plant::PlantModel> plants_;
  const std::vector<ModuleInput>& modules_;
  diag::DiagnosticSink& sink_;
  DimensionTable dimensions_;
  std::deque<Symbol> symbols_;  // stable addresses
  std::vector<ModuleScope> scopes_;
  std::unordered_map<std::string, Symbol*> prelude_;
  std::size_t current_ = 0;                   // the module being checked
  std::vector<std::vector<Symbol*>> locals_;  // innermost scope last
  std::map<Symbol*, std::vector<std::pair<Symbol*, diag::Span>>> calls_;  // for recursion
  std::unordered_map<const ast::Decl*, Symbol*> by_decl_;
  std::map<Dimension, Symbol*> base_units_;
  bool last_lookup_ambiguous_ = false;
  // While checking a procedure: the index in locals_ of its frame (parameters,
  // bindings, step-level lets). A step's top-level scope sits right above it.
  std::optional<std::size_t> frame_depth_;  // one base unit per dimension
};

}  // namespace gemba::sema
