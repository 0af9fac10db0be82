// The abstract syntax tree of one Gemba module, as the parser builds it. It records
// what was written, with a span for every node; names are not yet resolved and
// nothing is typed (compiler/sema/ does that). Nodes are owned by their parent
// through unique_ptr; the Module owns the whole tree.
//
// Each node class carries `static constexpr Kind kKind`, so `ast::as<LetStmt>(stmt)`
// gives a typed pointer or nullptr.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/source.h"

namespace gemba::ast {

using diag::Span;

struct Ident {
  std::string name;
  Span span;
};

// `a.b.c`: a module name, or a path to a signal such as `mixer.temperature`.
struct Path {
  std::vector<Ident> parts;
  Span span;
  std::string text() const;  // "a.b.c"
};

template <class T>
using Own = std::unique_ptr<T>;

template <class T, class Node>
T* as(Node* node) {
  return node && node->kind == T::kKind ? static_cast<T*>(node) : nullptr;
}
template <class T, class Node>
const T* as(const Node* node) {
  return node && node->kind == T::kKind ? static_cast<const T*>(node) : nullptr;
}

// ---- Units and types ------------------------------------------------------------

// A unit, dimension or type expression: `kg`, `m/s^2`, `delta degC`, `1/min`, `int`,
// `Mixer`. In unit definitions it may also hold numbers: `5/9 K`, `0.001 kg`.
struct UnitExpr {
  enum class Kind { kName, kNumber, kMul, kDiv };
  Kind kind;
  Span span;
  // kName: the name, `delta` and the exponent (`s^-2` has exponent -2).
  Ident name;
  bool delta = false;
  int exponent = 1;
  // kNumber: the literal's text as written (digit separators removed).
  std::string number;
  // kMul, kDiv
  Own<UnitExpr> lhs, rhs;
};

// ---- Expressions ----------------------------------------------------------------

enum class ExprKind {
  kNumber,
  kString,
  kBool,
  kName,
  kMember,
  kCall,
  kUnary,
  kBinary,
  kInRange,
  kConvert,
  kAsk,
  kError,  // where the parser recovered from a syntax error
};

struct Expr {
  const ExprKind kind;
  Span span;
  explicit Expr(ExprKind k, Span s) : kind(k), span(s) {}
  virtual ~Expr() = default;
};

// `120`, `0.98`, `65 degC`, `0.1 delta degC`, `9.81 m/s^2`.
struct NumberExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kNumber;
  explicit NumberExpr(Span s) : Expr(kKind, s) {}
  std::string text;         // digits as written, separators removed: "1000", "0.98", "1e-3"
  bool is_integer = false;  // no point and no exponent
  Own<UnitExpr> unit;       // null for a plain number
};

// A `{name}` or `{a.b}` inside a string.
struct Interpolation {
  Path path;
};

struct StringExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kString;
  explicit StringExpr(Span s) : Expr(kKind, s) {}
  std::string value;  // escapes decoded; interpolations left as written
  std::vector<Interpolation> interpolations;
};

struct BoolExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBool;
  explicit BoolExpr(Span s) : Expr(kKind, s) {}
  bool value = false;
};

struct NameExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kName;
  explicit NameExpr(Span s) : Expr(kKind, s) {}
  Ident name;
};

// `mixer.temperature`, `Grade.A`
struct MemberExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kMember;
  explicit MemberExpr(Span s) : Expr(kKind, s) {}
  Own<Expr> object;
  Ident member;
};

struct Argument {
  std::optional<Ident> name;  // `speed: 120 rpm` is named
  Own<Expr> value;
  Span span;
};

// `f(x)`, `mixer.start(speed: 120 rpm)`
struct CallExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kCall;
  explicit CallExpr(Span s) : Expr(kKind, s) {}
  Own<Expr> callee;
  std::vector<Argument> args;
};

enum class UnaryOp { kNegate, kNot };
struct UnaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  explicit UnaryExpr(Span s) : Expr(kKind, s) {}
  UnaryOp op;
  Span op_span;
  Own<Expr> operand;
};

enum class BinaryOp { kMul, kDiv, kMod, kAdd, kSub, kLt, kLe, kGt, kGe, kEq, kNe, kAnd, kOr };
const char* spelling(BinaryOp op);  // "*", "<=", "and", ...

struct BinaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  explicit BinaryExpr(Span s) : Expr(kKind, s) {}
  BinaryOp op;
  Span op_span;  // the operator token: where a caret points
  Own<Expr> lhs, rhs;
};

// `x in lo .. hi`
struct InRangeExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kInRange;
  explicit InRangeExpr(Span s) : Expr(kKind, s) {}
  Own<Expr> value, lo, hi;
};

// `x to lb`: an explicit, exact conversion.
struct ConvertExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kConvert;
  explicit ConvertExpr(Span s) : Expr(kKind, s) {}
  Own<Expr> value;
  Own<UnitExpr> unit;
};

// ---- Reactions and timeouts -----------------------------------------------------

struct Stmt;
using Block = std::vector<Own<Stmt>>;

// `within 30 min otherwise escalate "heating too slow"`. Both parts are optional in
// the tree; sema requires `within`.
struct Timeout {
  Own<Expr> within;       // null when missing
  Own<Stmt> otherwise;    // a reaction statement, or null
  Block otherwise_block;  // `otherwise { ... }`
  bool has_otherwise_block = false;
  Span span;  // the whole clause; empty at the end of the ask/await if absent
};

// `ask operator "Viscosity" as cP in 800 cP .. 1200 cP within 5 min`
struct AskExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kAsk;
  explicit AskExpr(Span s) : Expr(kKind, s) {}
  std::optional<Ident> role;  // null: `operator`
  Own<StringExpr> prompt;
  Own<UnitExpr> answer_type;
  std::optional<Path> of;  // `as Lot of product`
  Own<Expr> lo, hi;        // `in lo .. hi`
  Timeout timeout;
};

struct ErrorExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kError;
  explicit ErrorExpr(Span s) : Expr(kKind, s) {}
};

// ---- Statements -----------------------------------------------------------------

enum class StmtKind {
  kLet,  // also `var`
  kAssign,
  kIf,
  kRepeat,
  kFor,
  kAsk,
  kAwait,
  kCommand,
  kSign,
  kWait,
  kConsume,
  kProduce,
  kNotify,
  kStart,
  kEscalate,
  kHold,
  kAbort,
};

struct Stmt {
  const StmtKind kind;
  Span span;
  explicit Stmt(StmtKind k, Span s) : kind(k), span(s) {}
  virtual ~Stmt() = default;
};

struct LetStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kLet;
  explicit LetStmt(Span s) : Stmt(kKind, s) {}
  bool is_var = false;
  Ident name;
  Own<UnitExpr> type;  // null when inferred
  Own<Expr> init;
};

struct AssignStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kAssign;
  explicit AssignStmt(Span s) : Stmt(kKind, s) {}
  Ident target;
  Own<Expr> value;
};

struct IfStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kIf;
  explicit IfStmt(Span s) : Stmt(kKind, s) {}
  Own<Expr> condition;
  Block then_block;
  Block else_block;  // an `else if` is one IfStmt inside else_block
  bool has_else = false;
};

// `repeat 3 times { ... }`
struct RepeatStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kRepeat;
  explicit RepeatStmt(Span s) : Stmt(kKind, s) {}
  Own<Expr> count;
  Block body;
};

// `for i in 1 .. n { ... }`: both bounds inclusive.
struct ForStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kFor;
  explicit ForStmt(Span s) : Stmt(kKind, s) {}
  Ident var;
  Own<Expr> lo, hi;
  Block body;
};

// An ask whose answer is not kept (a confirmation).
struct AskStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kAsk;
  explicit AskStmt(Span s) : Stmt(kKind, s) {}
  Own<Expr> ask;  // an AskExpr
};

struct AwaitStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kAwait;
  explicit AwaitStmt(Span s) : Stmt(kKind, s) {}
  Own<Expr> condition;
  Timeout timeout;
};

// `command mixer.start(speed: 120 rpm);` — `call` is normally a CallExpr on a member.
struct CommandStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kCommand;
  explicit CommandStmt(Span s) : Stmt(kKind, s) {}
  Own<Expr> call;
};

// `sign "approval" by role QA;`
struct SignStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kSign;
  explicit SignStmt(Span s) : Stmt(kKind, s) {}
  Own<StringExpr> meaning;  // may be null
  Ident role;
};

struct WaitStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kWait;
  explicit WaitStmt(Span s) : Stmt(kKind, s) {}
  Own<Expr> duration;
};

// `consume lot, size;` and `produce product, size * 0.98;`
struct MaterialStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kConsume;  // `kind` tells consume from produce
  MaterialStmt(StmtKind k, Span s) : Stmt(k, s) {}
  Own<Expr> target;  // a Lot for consume, a Material for produce
  Own<Expr> amount;
};

struct NotifyStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kNotify;
  explicit NotifyStmt(Span s) : Stmt(kKind, s) {}
  Ident role;
  Own<StringExpr> message;  // may be null
};

// `start Investigate(mixer);`
struct StartStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kStart;
  explicit StartStmt(Span s) : Stmt(kKind, s) {}
  Ident procedure;
  std::vector<Argument> args;
};

struct EscalateStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kEscalate;
  explicit EscalateStmt(Span s) : Stmt(kKind, s) {}
  Own<StringExpr> message;
  std::optional<Ident> role;  // `to role supervisor`
};

// `hold "reason";` and `abort "reason";`. `kind` tells which.
struct HoldAbortStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kHold;
  HoldAbortStmt(StmtKind k, Span s) : Stmt(k, s) {}
  Own<StringExpr> reason;  // may be null
};

// ---- Declarations ---------------------------------------------------------------

enum class DeclKind {
  kDimension,
  kUnit,
  kEnum,
  kRole,
  kEquipmentClass,
  kFunction,
  kProcedure,
  kLimit,
  kCollect,
  kKpi,
  kParam,
  kPlant,
};

struct Decl {
  const DeclKind kind;
  Span span;
  explicit Decl(DeclKind k, Span s) : kind(k), span(s) {}
  virtual ~Decl() = default;
};

struct Param {
  Ident name;
  Own<UnitExpr> type;
  Span span;
  // Equipment commands only: the values the equipment accepts (`in lo .. hi`); both null
  // or both set. The bounds may name properties of the command's class.
  Own<Expr> lo, hi;
};

struct DimensionDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kDimension;
  explicit DimensionDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  Own<UnitExpr> definition;  // null for a base dimension
};

// `unit kg: mass;` (base: `base_of` set) or `unit degF = 5/9 K offset 459.67;`
struct UnitDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kUnit;
  explicit UnitDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  std::optional<Ident> base_of;  // the dimension of a base unit
  Own<UnitExpr> definition;
  std::optional<std::string> offset;  // as written, with its sign: "-32", "459.67"
  Span offset_span;
};

struct EnumDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kEnum;
  explicit EnumDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  std::vector<Ident> members;
};

struct RoleDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kRole;
  explicit RoleDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  std::string title;  // may be empty
};

struct ClassMember {
  enum class Kind { kProperty, kSignal, kCommand };
  Kind kind;
  Ident name;
  Own<UnitExpr> type;         // property and signal
  std::vector<Param> params;  // command
  Span span;
};

struct EquipmentClassDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kEquipmentClass;
  explicit EquipmentClassDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  std::optional<Ident> base;
  std::vector<ClassMember> members;
};

struct FunctionDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kFunction;
  explicit FunctionDecl(Span s) : Decl(kKind, s) {}
  bool is_builtin = false;
  Ident name;
  std::vector<Param> params;
  Own<UnitExpr> result;
  Own<Expr> body;  // null for a builtin
};

// `limit mixer.temperature in 60 degC .. 70 degC on violation { ... }`
struct LimitDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kLimit;
  explicit LimitDecl(Span s) : Decl(kKind, s) {}
  Path subject;
  Own<Expr> lo, hi;
  Block on_violation;
  bool has_reaction = false;
};

// `collect mixer.temperature every 1 s deadband 0.1 delta degC valid -20 degC .. 200 degC;`
struct CollectDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kCollect;
  explicit CollectDecl(Span s) : Decl(kKind, s) {}
  Path signal;
  Own<Expr> period;
  Own<Expr> deadband;            // may be null
  Own<Expr> valid_lo, valid_hi;  // both null or both set
};

struct UseBinding {
  Ident name;
  Ident equipment_class;
  Own<Expr> constraint;  // `where ...`, may be null
  Span span;
};

struct Step {
  Own<StringExpr> name;
  Block body;
  Span span;
};

struct Handler {
  enum class Kind { kHold, kAbort, kCleanup };
  Kind kind;
  Block body;
  Span span;
};
const char* spelling(Handler::Kind kind);  // "hold", "abort", "cleanup"


struct ProcedureDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kProcedure;
  explicit ProcedureDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  std::vector<Param> params;
  std::vector<UseBinding> uses;
  std::vector<Own<LimitDecl>> limits;
  std::vector<Own<CollectDecl>> collects;
  std::vector<Step> steps;
  std::vector<Handler> handlers;
};

// `kpi availability(u: WorkUnit) over shift = APT(u) / PBT(u);`
struct KpiDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kKpi;
  explicit KpiDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  std::vector<Param> params;
  Own<UnitExpr> result;              // may be null: inferred
  std::optional<Ident> window_name;  // `over shift`
  Own<Expr> window_last;             // `over last 24 h`
  Own<Expr> body;
};

// `param batch_size: kg in 100 kg .. 1000 kg = 400 kg;`: a template parameter.
struct ParamDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kParam;
  explicit ParamDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  Own<UnitExpr> type;
  Own<Expr> lo, hi;  // both null or both set: the values a plant may choose
  Own<Expr> value;   // the default; null when every plant must set it
};

// ---- Plant models ---------------------------------------------------------------

// `capacity = 500 kg;` inside an instance.
struct PropertyValue {
  Ident member;
  Own<Expr> value;
  Span span;
};

// `temperature <- "mqtt://houston/mixer1/temp";`
struct SignalSource {
  Ident member;
  std::string address;
  Span address_span;
  Span span;
};

// `Mixer mixer1 "Mixer 1" { ... }`: a piece of equipment and what it contains.
struct InstanceDecl {
  Ident class_name;
  Ident name;
  std::string title;  // may be empty
  std::vector<PropertyValue> values;
  std::vector<SignalSource> sources;
  std::vector<Own<InstanceDecl>> children;
  Span span;
};

// `param recipe_widen = 4 delta degC;`: sets a template parameter at this plant.
struct PlantParam {
  Ident name;
  Own<Expr> value;
  Span span;
};

// `bind MixBatch.mixer = mixer2;`: the equipment a procedure's `uses` binding takes.
struct PlantBinding {
  Ident procedure;
  Ident use;
  Path target;
  Span span;
};

// `A 06:00 .. 14:00;` in minutes since local midnight; end <= start crosses midnight.
struct ShiftDef {
  Ident name;
  int start_minute = 0;
  int end_minute = 0;
  Span span;
};

struct PlantDecl : Decl {
  static constexpr DeclKind kKind = DeclKind::kPlant;
  explicit PlantDecl(Span s) : Decl(kKind, s) {}
  Ident name;
  std::string title;  // may be empty
  std::optional<std::string> timezone;
  Span timezone_span;
  std::vector<Own<UnitExpr>> units;  // the units the plant works in, one per dimension
  std::vector<PlantParam> params;
  std::vector<PlantBinding> bindings;
  std::vector<ShiftDef> shifts;
  bool has_shifts = false;
  std::vector<Own<InstanceDecl>> instances;
};

// ---- Module ---------------------------------------------------------------------

struct Import {
  Path module;
  Span span;
};

struct Module {
  diag::FileId file = 0;
  std::optional<Path> name;  // `module plants.houston;`; null when the file has none
  std::vector<Import> imports;
  std::vector<Own<Decl>> decls;
};

}  // namespace gemba::ast
