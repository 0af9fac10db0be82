#include "compiler/sema/evaluate.h"

#include "compiler/ast/dump.h"

namespace gemba::sema {
namespace {

using Op = ast::BinaryOp;

class Evaluator {
 public:
  Evaluator(const Facts& facts, const Environment& env, EvaluationMemo* memo)
      : facts_(facts), env_(env), memo_(memo) {}

  std::optional<Value> eval(const ast::Expr* expr) {
    if (expr == nullptr) return std::nullopt;
    if (memo_ == nullptr) return compute(expr);
    if (auto it = memo_->find(expr); it != memo_->end()) return it->second;
    std::optional<Value> value = compute(expr);
    memo_->emplace(expr, value);
    return value;
  }

 private:
  std::optional<Value> compute(const ast::Expr* expr) {
    switch (expr->kind) {
      case ast::ExprKind::kNumber:
        return number(static_cast<const ast::NumberExpr&>(*expr));
      case ast::ExprKind::kBool:
        return Value::of_bool(static_cast<const ast::BoolExpr&>(*expr).value);
      case ast::ExprKind::kString: {
        const auto& s = static_cast<const ast::StringExpr&>(*expr);
        if (!s.interpolations.empty()) return std::nullopt;
        return Value::of_string(s.value);
      }
      case ast::ExprKind::kName: {
        const Symbol* symbol = facts_.symbol_of(expr);
        if (symbol == nullptr) return std::nullopt;
        return env_.name(*symbol);
      }
      case ast::ExprKind::kMember:
        return member(static_cast<const ast::MemberExpr&>(*expr));
      case ast::ExprKind::kUnary:
        return unary(static_cast<const ast::UnaryExpr&>(*expr));
      case ast::ExprKind::kBinary:
        return binary(static_cast<const ast::BinaryExpr&>(*expr));
      case ast::ExprKind::kInRange: {
        const auto& r = static_cast<const ast::InRangeExpr&>(*expr);
        auto value = eval(r.value.get());
        auto lo = eval(r.lo.get());
        auto hi = eval(r.hi.get());
        if (!value || !lo || !hi) return std::nullopt;
        return Value::of_bool(lo->number <= value->number && value->number <= hi->number);
      }
      case ast::ExprKind::kConvert: {
        // The base value does not change; the unit to show it in does.
        const auto& c = static_cast<const ast::ConvertExpr&>(*expr);
        auto value = eval(c.value.get());
        const Type* type = facts_.type_of(expr);
        if (!value || type == nullptr) return std::nullopt;
        Value out = Value::of_quantity(value->number, *type, unit_of(c.unit.get()));
        out.unit_text = ast::unit_text(c.unit.get());
        return out;
      }
      case ast::ExprKind::kCall:
      case ast::ExprKind::kAsk:
      case ast::ExprKind::kError:
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<Unit> unit_of(const ast::UnitExpr* expr) const {
    auto it = facts_.written_units.find(expr);
    if (it == facts_.written_units.end()) return std::nullopt;
    return it->second;
  }

  std::optional<Value> number(const ast::NumberExpr& n) {
    auto it = facts_.literal_values.find(&n);
    if (it == facts_.literal_values.end()) return std::nullopt;
    return it->second;
  }

  std::optional<Value> member(const ast::MemberExpr& m) {
    const Type* type = facts_.type_of(&m);
    if (type != nullptr && type->kind == TypeKind::kEnum) {
      Value v;
      v.type = *type;
      v.text = m.member.name;
      return v;
    }
    const Symbol* object = facts_.symbol_of(m.object.get());
    if (object == nullptr) return std::nullopt;
    return env_.member(*object, m.member.name);
  }

  std::optional<Value> unary(const ast::UnaryExpr& u) {
    // `-40 degF`: the sign belongs to the reading, before its offset.
    if (u.op == ast::UnaryOp::kNegate) {
      if (auto* n = ast::as<ast::NumberExpr>(u.operand.get()); n && n->unit) {
        auto unit = facts_.literal_units.find(n);
        const Type* type = facts_.type_of(n);
        if (unit == facts_.literal_units.end() || type == nullptr) return std::nullopt;
        auto out = literal_value(n->text, n->is_integer, &unit->second, *type, /*negate=*/true);
        if (out) out->unit_text = ast::unit_text(n->unit.get());
        return out;
      }
    }
    auto operand = eval(u.operand.get());
    if (!operand) return std::nullopt;
    if (u.op == ast::UnaryOp::kNot) return Value::of_bool(!operand->boolean);
    auto negated = Rational().sub(operand->number);
    if (!negated) return std::nullopt;
    Value out = *operand;
    out.number = *negated;
    return out;
  }

  std::optional<Value> binary(const ast::BinaryExpr& b) {
    if (b.op == Op::kAnd || b.op == Op::kOr) return logical(b);
    auto lhs = eval(b.lhs.get());
    auto rhs = eval(b.rhs.get());
    const Type* type = facts_.type_of(&b);
    if (!lhs || !rhs || type == nullptr) return std::nullopt;
    const Rational& x = lhs->number;
    const Rational& y = rhs->number;
    switch (b.op) {
      case Op::kLt:
        return Value::of_bool(x < y);
      case Op::kLe:
        return Value::of_bool(x <= y);
      case Op::kGt:
        return Value::of_bool(x > y);
      case Op::kGe:
        return Value::of_bool(x >= y);
      case Op::kEq:
      case Op::kNe: {
        bool equal = *lhs == *rhs;
        if (lhs->type.kind == TypeKind::kQuantity || lhs->type.kind == TypeKind::kInt) {
          equal = x == y;
        }
        return Value::of_bool(b.op == Op::kEq ? equal : !equal);
      }
      default:
        break;
    }
    std::optional<Rational> result;
    switch (b.op) {
      case Op::kAdd:
        result = x.add(y);
        break;
      case Op::kSub:
        result = x.sub(y);
        break;
      case Op::kMul:
        result = x.mul(y);
        break;
      case Op::kDiv:
        result = x.div(y);
        break;
      case Op::kMod:
        // Only the unambiguous case; negative or fractional operands fold at run time.
        if (x.is_integer() && y.is_integer() && x.num() >= 0 && y.num() > 0) {
          result = Rational(x.num() % y.num());
        }
        break;
      default:
        break;
    }
    if (!result) return std::nullopt;
    if (type->kind == TypeKind::kInt) return Value::of_int(*result);
    // + and - keep the unit of the reading or of the left operand; * and / make a new one.
    // The unit to show the result in: a sum keeps its reading's unit or its left
    // operand's; a product or quotient keeps the unit of an operand whose dimension it has
    // (`capacity / 2` stays in kg).
    const Value* from = nullptr;
    if (b.op == Op::kAdd || b.op == Op::kSub) {
      bool right_reading =
          rhs->type.affinity == Affinity::kAbsolute && lhs->type.affinity != Affinity::kAbsolute;
      from = right_reading || !lhs->unit ? &*rhs : &*lhs;
    } else if (lhs->unit && lhs->type.dimension == type->dimension) {
      from = &*lhs;
    } else if (rhs->unit && rhs->type.dimension == type->dimension) {
      from = &*rhs;
    }
    std::optional<Unit> unit = from ? from->unit : std::nullopt;
    std::string text = from ? from->unit_text : "";
    if (unit && type->affinity == Affinity::kDifference && unit->affine()) {
      unit = unit->delta();
      text = "delta " + text;
    }
    Value out = Value::of_quantity(*result, *type, unit);
    out.unit_text = std::move(text);
    return out;
  }

  std::optional<Value> logical(const ast::BinaryExpr& b) {
    auto lhs = eval(b.lhs.get());
    auto rhs = eval(b.rhs.get());
    bool decisive = b.op == Op::kOr;  // the operand value that decides alone
    if ((lhs && lhs->boolean == decisive) || (rhs && rhs->boolean == decisive)) {
      return Value::of_bool(decisive);
    }
    if (!lhs || !rhs) return std::nullopt;
    return Value::of_bool(!decisive);
  }

  const Facts& facts_;
  const Environment& env_;
  EvaluationMemo* memo_;  // may be null
};

}  // namespace

std::optional<Value> evaluate(const ast::Expr* expr, const Facts& facts, const Environment& env) {
  return Evaluator(facts, env, nullptr).eval(expr);
}

std::optional<Value> evaluate(const ast::Expr* expr, const Facts& facts, const Environment& env,
                              EvaluationMemo& memo) {
  return Evaluator(facts, env, &memo).eval(expr);
}

}  // namespace gemba::sema
