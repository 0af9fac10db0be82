#include "compiler/lower/lower.h"

#include <map>
#include <optional>
#include <set>

namespace gemba::lower {
namespace {

std::optional<Type> lowered_type(const sema::Type& type) {
  switch (type.kind) {
    case sema::TypeKind::kBool:
      return Type::kBool;
    case sema::TypeKind::kInt:
      return Type::kInt;
    case sema::TypeKind::kQuantity:
      return Type::kReal;
    default:
      return std::nullopt;
  }
}

// A folded value as a constant node's payload; nullopt for a value lowering cannot hold
// (a string, an enum, an int beyond int64).
std::optional<std::pair<Type, Scalar>> scalar(const sema::Value& value) {
  Scalar s{};
  switch (value.type.kind) {
    case sema::TypeKind::kBool:
      s.b = value.boolean;
      return std::pair{Type::kBool, s};
    case sema::TypeKind::kInt:
      if (!value.number.is_integer()) return std::nullopt;
      s.i = value.number.num();
      return std::pair{Type::kInt, s};
    case sema::TypeKind::kQuantity:
      s.r = value.number.to_double();
      return std::pair{Type::kReal, s};
    default:
      return std::nullopt;
  }
}

// Why an expression cannot be lowered in this version. Thrown by FunctionBuilder deep in
// an expression and caught in Lowerer::function, in this file only: it never crosses an
// API, and the reason ends up in Lowering::skipped.
struct Unsupported {
  std::string reason;
};

// Builds one function's nodes from a checked, specialized expression.
class FunctionBuilder {
 public:
  FunctionBuilder(const specialize::Specialization& s, Function& out,
                  const std::map<const sema::Symbol*, std::uint32_t>& params,
                  const std::map<const ast::Decl*, std::uint32_t>& callees, const Module& module)
      : s_(s),
        facts_(s.program->facts()),
        out_(out),
        params_(params),
        callees_(callees),
        module_(module) {}

  // The node computing `expr`, converted to `want` when that is real and it is int.
  std::uint32_t expr(const ast::Expr* expr, std::optional<Type> want = std::nullopt) {
    std::uint32_t node = build(expr);
    if (want == Type::kReal && out_.nodes[node].type == Type::kInt) {
      node = add(Op::kToReal, Type::kReal, {node}, expr->span);
    }
    return node;
  }

  std::uint32_t constant(Type type, Scalar value, diag::Span span) {
    Node n;
    n.op = Op::kConst;
    n.type = type;
    n.value = value;
    n.span = span;
    out_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  std::uint32_t add(Op op, Type type, std::vector<std::uint32_t> args, diag::Span span,
                    std::uint32_t index = 0) {
    Node n;
    n.op = op;
    n.type = type;
    n.args = std::move(args);
    n.index = index;
    n.span = span;
    out_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

 private:
  [[noreturn]] static void unsupported(std::string reason) { throw Unsupported{std::move(reason)}; }

  Type type_of(const ast::Expr* expr) {
    const sema::Type* type = facts_.type_of(expr);
    if (type == nullptr) unsupported("an expression without a type");
    auto lowered = lowered_type(*type);
    if (!lowered) unsupported("a value that is not a number or a truth value");
    return *lowered;
  }

  std::uint32_t build(const ast::Expr* expr) {
    if (expr == nullptr) unsupported("a missing expression");
    if (const sema::Value* folded = s_.constant(expr)) {
      auto value = scalar(*folded);
      if (!value) unsupported("a constant that is not a number or a truth value");
      return constant(value->first, value->second, expr->span);
    }
    switch (expr->kind) {
      case ast::ExprKind::kName: {
        const sema::Symbol* symbol = facts_.symbol_of(expr);
        auto it = symbol ? params_.find(symbol) : params_.end();
        if (it == params_.end()) unsupported("a name that is not a parameter of the function");
        return add(Op::kParam, out_.params[it->second], {}, expr->span, it->second);
      }
      case ast::ExprKind::kUnary: {
        const auto& u = static_cast<const ast::UnaryExpr&>(*expr);
        Type type = type_of(expr);
        std::uint32_t operand = this->expr(u.operand.get(), type);
        return add(u.op == ast::UnaryOp::kNot ? Op::kNot : Op::kNeg, type, {operand}, u.op_span);
      }
      case ast::ExprKind::kBinary:
        return binary(static_cast<const ast::BinaryExpr&>(*expr));
      case ast::ExprKind::kInRange: {
        // lo <= x and x <= hi; x is one node, read twice.
        const auto& r = static_cast<const ast::InRangeExpr&>(*expr);
        Type operands =
            wider(type_of(r.value.get()), wider(type_of(r.lo.get()), type_of(r.hi.get())));
        std::uint32_t value = this->expr(r.value.get(), operands);
        std::uint32_t lo = this->expr(r.lo.get(), operands);
        std::uint32_t hi = this->expr(r.hi.get(), operands);
        std::uint32_t low_ok = add(Op::kLe, Type::kBool, {lo, value}, expr->span);
        std::uint32_t high_ok = add(Op::kLe, Type::kBool, {value, hi}, expr->span);
        return add(Op::kAnd, Type::kBool, {low_ok, high_ok}, expr->span);
      }
      case ast::ExprKind::kConvert:
        // The value in base units does not change; only its unit of display does.
        return this->expr(static_cast<const ast::ConvertExpr&>(*expr).value.get(), Type::kReal);
      case ast::ExprKind::kCall:
        return call(static_cast<const ast::CallExpr&>(*expr));
      default:
        unsupported("an expression of a kind not lowered yet");
    }
  }

  static Type wider(Type a, Type b) {
    return a == Type::kReal || b == Type::kReal ? Type::kReal : a;
  }

  std::uint32_t binary(const ast::BinaryExpr& b) {
    using B = ast::BinaryOp;
    Type result = type_of(&b);
    Type left = type_of(b.lhs.get());
    Type right = type_of(b.rhs.get());
    Op op = Op::kAdd;
    switch (b.op) {
      case B::kAdd:
        op = Op::kAdd;
        break;
      case B::kSub:
        op = Op::kSub;
        break;
      case B::kMul:
        op = Op::kMul;
        break;
      case B::kDiv:
        op = Op::kDiv;
        break;
      case B::kMod:
        op = Op::kMod;
        break;
      case B::kLt:
        op = Op::kLt;
        break;
      case B::kLe:
        op = Op::kLe;
        break;
      case B::kGt:
        op = Op::kGt;
        break;
      case B::kGe:
        op = Op::kGe;
        break;
      case B::kEq:
        op = Op::kEq;
        break;
      case B::kNe:
        op = Op::kNe;
        break;
      case B::kAnd:
        op = Op::kAnd;
        break;
      case B::kOr:
        op = Op::kOr;
        break;
    }
    // Operands share one type: int meets real as real; `/` is always real.
    Type operands = b.op == B::kDiv ? Type::kReal : wider(left, right);
    if (op == Op::kAnd || op == Op::kOr) operands = Type::kBool;
    std::uint32_t lhs = expr(b.lhs.get(), operands);
    std::uint32_t rhs = expr(b.rhs.get(), operands);
    return add(op, result, {lhs, rhs}, b.op_span);
  }

  std::uint32_t call(const ast::CallExpr& c) {
    const sema::Symbol* callee = facts_.symbol_of(c.callee.get());
    if (callee == nullptr || callee->kind != sema::SymbolKind::kFunction) {
      unsupported("a call of something other than a function");
    }
    auto it = callees_.find(callee->decl);
    if (it == callees_.end()) unsupported("a call of `" + callee->name + "`, which is not lowered");
    const Function& target = module_.functions[it->second];
    if (c.args.size() != target.params.size())
      unsupported("a call with named or missing arguments");
    std::vector<std::uint32_t> args;
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      if (c.args[i].name) unsupported("a call with named arguments");
      args.push_back(expr(c.args[i].value.get(), target.params[i]));
    }
    return add(Op::kCall, target.result, std::move(args), c.span, it->second);
  }

  const specialize::Specialization& s_;
  const sema::Facts& facts_;
  Function& out_;
  const std::map<const sema::Symbol*, std::uint32_t>& params_;
  const std::map<const ast::Decl*, std::uint32_t>& callees_;
  const Module& module_;
};

class Lowerer {
 public:
  explicit Lowerer(const specialize::Specialization& s) : s_(s) {}

  Lowering run() {
    const auto& module = s_.program->modules()[s_.module];
    out_.module.name = module.name + "@" + s_.plant->name;
    functions();
    for (const specialize::SpecializedProcedure& proc : s_.procedures) {
      for (const auto& limit : proc.decl->limits) {
        range_check("limit", proc.decl->name.name + "_" + limit->subject.text(), limit->lo.get(),
                    limit->hi.get(), limit->span);
      }
      for (const auto& collect : proc.decl->collects) {
        if (!collect->valid_lo) continue;
        range_check("valid", proc.decl->name.name + "_" + collect->signal.text(),
                    collect->valid_lo.get(), collect->valid_hi.get(), collect->span);
      }
    }
    for (const specialize::RuleInstance& rule : s_.rules) {
      std::string what = rule.instance->name + "_" + rule_signal(*rule.decl);
      if (auto* l = ast::as<ast::LimitDecl>(rule.decl)) {
        range_check("limit", what, l->lo.get(), l->hi.get(), l->span);
      } else if (auto* c = ast::as<ast::CollectDecl>(rule.decl); c && c->valid_lo) {
        range_check("valid", what, c->valid_lo.get(), c->valid_hi.get(), c->span);
      }
    }
    return std::move(out_);
  }

 private:
  static std::string rule_signal(const ast::Decl& decl) {
    const ast::Path& p = decl.kind == ast::DeclKind::kLimit
                             ? static_cast<const ast::LimitDecl&>(decl).subject
                             : static_cast<const ast::CollectDecl&>(decl).signal;
    return p.parts.back().name;
  }

  // A C identifier, unique in the module: `limit_MixBatch_mixer_temperature`.
  std::string unique_name(std::string name) {
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    }
    std::string candidate = name;
    for (int n = 2; !names_.insert(candidate).second; ++n)
      candidate = name + "_" + std::to_string(n);
    return candidate;
  }

  // User functions, in declaration order; a function that cannot be lowered is listed in
  // `skipped`, and so is every function that calls it. Callees come first: sema rejects
  // recursion, so a second pass settles calls to functions declared later.
  void functions() {
    std::vector<const ast::FunctionDecl*> decls;
    for (const ast::Decl* decl : s_.others) {
      auto* f = ast::as<ast::FunctionDecl>(decl);
      if (f && f->body) decls.push_back(f);
    }
    std::set<const ast::FunctionDecl*> done;
    for (bool progress = true; progress;) {
      progress = false;
      for (const ast::FunctionDecl* f : decls) {
        if (done.count(f) || failed_.count(f)) continue;
        switch (function(*f)) {
          case Outcome::kLowered:
            done.insert(f);
            progress = true;
            break;
          case Outcome::kFailed:
            failed_.insert(f);
            progress = true;
            break;
          case Outcome::kWaiting:
            break;
        }
      }
    }
    for (const ast::FunctionDecl* f : decls) {
      if (!done.count(f) && !failed_.count(f)) {
        out_.skipped.push_back("function " + f->name.name + ": calls a function not lowered");
      }
    }
  }

  enum class Outcome { kLowered, kFailed, kWaiting };

  Outcome function(const ast::FunctionDecl& decl) {
    const sema::Symbol* symbol = s_.program->symbol_of(&decl);
    if (symbol == nullptr) return Outcome::kFailed;
    Function f;
    f.name = "fn_" + decl.name.name;
    f.span = decl.span;
    auto result = lowered_type(symbol->result);
    if (!result) return skip(decl, "its result is not a number or a truth value");
    f.result = *result;
    std::map<const sema::Symbol*, std::uint32_t> params;
    for (std::size_t i = 0; i < symbol->params.size(); ++i) {
      auto type = lowered_type(symbol->params[i].type);
      if (!type) return skip(decl, "parameter `" + symbol->params[i].name + "` is not a number");
      f.params.push_back(*type);
    }
    // The body's names resolve to the checker's locals, which carry the parameters' names.
    for (const auto& [expr, named] : s_.program->facts().names) {
      if (named->kind != sema::SymbolKind::kLocal || !within(expr->span, decl.span)) continue;
      for (std::size_t i = 0; i < decl.params.size(); ++i) {
        if (decl.params[i].name.name == named->name) params[named] = static_cast<std::uint32_t>(i);
      }
    }
    // Calls into functions not lowered yet wait for a later pass.
    std::uint32_t index = static_cast<std::uint32_t>(out_.module.functions.size());
    callees_[&decl] = index;  // for the checks below; undone on failure
    out_.module.functions.push_back({});
    try {
      FunctionBuilder builder(s_, f, params, callees_, out_.module);
      builder.expr(decl.body.get(), f.result);
    } catch (const Unsupported& u) {
      out_.module.functions.pop_back();
      callees_.erase(&decl);
      if (u.reason.find("which is not lowered") != std::string::npos && !calls_failed(decl)) {
        return Outcome::kWaiting;
      }
      return skip(decl, u.reason);
    }
    f.root = static_cast<std::uint32_t>(f.nodes.size() - 1);
    f.name = unique_name(f.name);
    out_.module.functions[index] = std::move(f);
    return Outcome::kLowered;
  }

  bool calls_failed(const ast::FunctionDecl& decl) const {
    for (const auto& [expr, named] : s_.program->facts().names) {
      if (named->kind == sema::SymbolKind::kFunction && within(expr->span, decl.span) &&
          failed_.count(static_cast<const ast::FunctionDecl*>(named->decl))) {
        return true;
      }
    }
    return false;
  }

  static bool within(diag::Span inner, diag::Span outer) {
    return inner.file == outer.file && inner.begin >= outer.begin && inner.end <= outer.end;
  }

  Outcome skip(const ast::FunctionDecl& decl, const std::string& reason) {
    out_.skipped.push_back("function " + decl.name.name + ": " + reason);
    return Outcome::kFailed;
  }

  // `kind_what(value: real): bool` = lo <= value and value <= hi, with folded bounds.
  void range_check(const char* kind, const std::string& what, const ast::Expr* lo,
                   const ast::Expr* hi, diag::Span span) {
    const sema::Value* low = s_.constant(lo);
    const sema::Value* high = s_.constant(hi);
    auto l = low ? scalar(*low) : std::nullopt;
    auto h = high ? scalar(*high) : std::nullopt;
    std::string name = std::string(kind) + "_" + what;
    if (!l || !h) {
      out_.skipped.push_back(name + ": its bounds are not constant at this plant");
      return;
    }
    Function f;
    f.name = unique_name(name);
    f.params = {Type::kReal};
    f.result = Type::kBool;
    f.span = span;
    std::map<const sema::Symbol*, std::uint32_t> none;
    FunctionBuilder b(s_, f, none, callees_, out_.module);
    auto as_real = [](std::pair<Type, Scalar> v) {
      if (v.first == Type::kInt) v.second.r = static_cast<double>(v.second.i);
      return v.second;
    };
    std::uint32_t value = b.add(Op::kParam, Type::kReal, {}, span, 0);
    std::uint32_t lo_node = b.constant(Type::kReal, as_real(*l), lo->span);
    std::uint32_t hi_node = b.constant(Type::kReal, as_real(*h), hi->span);
    std::uint32_t low_ok = b.add(Op::kLe, Type::kBool, {lo_node, value}, lo->span);
    std::uint32_t high_ok = b.add(Op::kLe, Type::kBool, {value, hi_node}, hi->span);
    b.add(Op::kAnd, Type::kBool, {low_ok, high_ok}, span);
    f.root = static_cast<std::uint32_t>(f.nodes.size() - 1);
    out_.module.functions.push_back(std::move(f));
  }

  const specialize::Specialization& s_;
  Lowering out_;
  std::map<const ast::Decl*, std::uint32_t> callees_;
  std::set<const ast::FunctionDecl*> failed_;
  std::set<std::string> names_;
};

}  // namespace

Lowering lower_program(const specialize::Specialization& specialization) {
  return Lowerer(specialization).run();
}

}  // namespace gemba::lower
