#include "compiler/sema/evaluate.h"

#include "compiler/ast/dump.h"

namespace gemba::sema {
namespace {

using Op = ast::BinaryOp;

class Evaluator {
 public:
  Evaluator(const Facts& facts, const Environment& env) : facts_(facts), env_(env) {}

  std::optional<Value> eval(const ast::Expr* expr) {
    if (expr == nullptr) return std::nullopt;
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

 private:
  std::optional<Unit> unit_of(const ast::UnitExpr* expr) const {
    auto it = facts_.written_units.find(expr);
    if (it == facts_.written_units.end()) return std::nullopt;
    return it->second;
  }

  std::optional<Value> number(const ast::NumberExpr& n) {
    auto value = Rational::parse_decimal(n.text);
    if (!value) return std::nullopt;
    if (!n.unit) return n.is_integer ? Value::of_int(*value) : quantity(*value, Type::real());
    auto unit = facts_.literal_units.find(&n);
    const Type* type = facts_.type_of(&n);
    if (unit == facts_.literal_units.end() || type == nullptr) return std::nullopt;
    const Unit& u = unit->second;
    Unit from = type->affinity == Affinity::kDifference ? u.delta() : u;
    auto base = convert(*value, from, Unit::base("", u.dimension()));
    if (!base) return std::nullopt;
    Value out = Value::of_quantity(*base, *type, u);
    out.unit_text = ast::unit_text(n.unit.get());
    return out;
  }

  static Value quantity(const Rational& value, const Type& type) {
    return Value::of_quantity(value, type, std::nullopt);
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
        auto value = Rational::parse_decimal(n->text);
        if (!value || unit == facts_.literal_units.end() || type == nullptr) return std::nullopt;
        const Unit& un = unit->second;
        Unit from = type->affinity == Affinity::kDifference ? un.delta() : un;
        auto negated = Rational().sub(*value);
        if (!negated) return std::nullopt;
        auto base = convert(*negated, from, Unit::base("", un.dimension()));
        if (!base) return std::nullopt;
        Value out = Value::of_quantity(*base, *type, un);
        out.unit_text = ast::unit_text(n->unit.get());
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
    std::optional<Unit> unit;
    std::string text;
    if (b.op == Op::kAdd || b.op == Op::kSub) {
      const Value& from = lhs->type.affinity == Affinity::kAbsolute || rhs->unit == std::nullopt
                              ? (lhs->unit ? *lhs : *rhs)
                              : *rhs;
      unit = from.unit;
      text = from.unit_text;
      if (unit && type->affinity == Affinity::kDifference && unit->affine()) {
        unit = unit->delta();
        text = "delta " + text;
      }
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
};

}  // namespace

std::optional<Value> evaluate(const ast::Expr* expr, const Facts& facts, const Environment& env) {
  return Evaluator(facts, env).eval(expr);
}

}  // namespace gemba::sema
