#include "compiler/lower/function_builder.h"

#include "compiler/sema/symbol.h"

namespace gemba::lower {

std::optional<Type> lowered_type(const sema::Type& type) {
  switch (type.kind) {
    case sema::TypeKind::kBool:
      return Type::kBool;
    case sema::TypeKind::kInt:
      return Type::kInt;
    case sema::TypeKind::kQuantity:
      return Type::kReal;
    case sema::TypeKind::kEnum:
      return Type::kInt;  // the member's ordinal
    case sema::TypeKind::kTime:
      return Type::kReal;  // seconds since 1970-01-01 UTC
    default:
      return std::nullopt;
  }
}

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
    case sema::TypeKind::kEnum: {
      const sema::EnumInfo* e = value.type.enumeration;
      if (e == nullptr) return std::nullopt;
      for (std::size_t k = 0; k < e->members.size(); ++k) {
        if (e->members[k] == value.text) {
          s.i = static_cast<std::int64_t>(k);
          return std::pair{Type::kInt, s};
        }
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

void unsupported(std::string reason) { throw Unsupported{std::move(reason)}; }

FunctionBuilder::FunctionBuilder(const specialize::Specialization& s, Function& out,
                                 const std::map<const sema::Symbol*, std::uint32_t>& params,
                                 const std::map<const ast::Decl*, std::uint32_t>& callees,
                                 const Module& module, FreeValues free_values,
                                 CallHook call_hook)
    : s_(s),
      facts_(s.program->facts()),
      out_(out),
      params_(params),
      callees_(callees),
      module_(module),
      free_values_(std::move(free_values)),
      call_hook_(std::move(call_hook)) {}

std::uint32_t FunctionBuilder::expr(const ast::Expr* expr, std::optional<Type> want) {
  std::uint32_t node = build(expr);
  if (want == Type::kReal && out_.nodes[node].type == Type::kInt) {
    node = add(Op::kToReal, Type::kReal, {node}, expr->span);
  }
  return node;
}

std::uint32_t FunctionBuilder::constant(Type type, Scalar value, diag::Span span) {
  Node n;
  n.op = Op::kConst;
  n.type = type;
  n.value = value;
  n.span = span;
  out_.nodes.push_back(std::move(n));
  return static_cast<std::uint32_t>(out_.nodes.size() - 1);
}

std::uint32_t FunctionBuilder::add(Op op, Type type, std::vector<std::uint32_t> args,
                                   diag::Span span, std::uint32_t index) {
  Node n;
  n.op = op;
  n.type = type;
  n.args = std::move(args);
  n.index = index;
  n.span = span;
  out_.nodes.push_back(std::move(n));
  return static_cast<std::uint32_t>(out_.nodes.size() - 1);
}

Type FunctionBuilder::type_of(const ast::Expr* expr) {
  const sema::Type* type = facts_.type_of(expr);
  if (type == nullptr) unsupported("an expression without a type");
  auto lowered = lowered_type(*type);
  if (!lowered) unsupported("a value that is not a number or a truth value");
  return *lowered;
}

std::uint32_t FunctionBuilder::build(const ast::Expr* expr) {
  if (expr == nullptr) unsupported("a missing expression");
  if (const sema::Value* folded = s_.constant(expr)) {
    auto value = scalar(*folded);
    if (!value) unsupported("a constant that is not a number or a truth value");
    return constant(value->first, value->second, expr->span);
  }
  if (free_values_ && (expr->kind == ast::ExprKind::kName || expr->kind == ast::ExprKind::kMember ||
                       expr->kind == ast::ExprKind::kCall)) {
    if (auto param = free_values_(expr)) {
      return add(Op::kParam, out_.params[*param], {}, expr->span, *param);
    }
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

Type FunctionBuilder::wider(Type a, Type b) {
  return a == Type::kReal || b == Type::kReal ? Type::kReal : a;
}

std::uint32_t FunctionBuilder::binary(const ast::BinaryExpr& b) {
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

std::uint32_t FunctionBuilder::call(const ast::CallExpr& c) {
  if (call_hook_) {
    if (std::optional<std::uint32_t> node = call_hook_(c, *this)) return *node;
  }
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

}  // namespace gemba::lower
