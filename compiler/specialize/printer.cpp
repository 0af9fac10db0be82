#include "compiler/specialize/printer.h"

#include "compiler/ast/dump.h"

namespace gemba::specialize {
namespace {

int precedence(ast::BinaryOp op) {
  using Op = ast::BinaryOp;
  switch (op) {
    case Op::kOr:
      return 1;
    case Op::kAnd:
      return 2;
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
    case Op::kEq:
    case Op::kNe:
      return 4;
    case Op::kAdd:
    case Op::kSub:
      return 6;
    case Op::kMul:
    case Op::kDiv:
    case Op::kMod:
      return 7;
  }
  return 0;
}

}  // namespace

std::optional<sema::Unit> display_unit(const sema::Value& value, const plant::PlantModel* plant) {
  if (plant != nullptr) {
    if (const sema::Unit* unit = plant->unit_for(value.type.dimension)) return *unit;
  }
  if (value.unit && !value.unit->name().empty()) return value.unit;
  return std::nullopt;
}

std::string Printer::unit_name(const sema::Unit& unit, const sema::Type& type) const {
  if (type.affinity == sema::Affinity::kDifference && unit.affine()) return "delta " + unit.name();
  return unit.name();
}

std::string Printer::value(const sema::Value& v) const {
  switch (v.type.kind) {
    case sema::TypeKind::kBool:
      return v.boolean ? "true" : "false";
    case sema::TypeKind::kInt:
      return v.number.to_string();
    case sema::TypeKind::kString:
      return ast::quoted(v.text);
    case sema::TypeKind::kEnum:
      return (v.type.enumeration ? v.type.enumeration->name + "." : "") + v.text;
    case sema::TypeKind::kQuantity: {
      if (v.type.dimension.is_dimensionless() && (!v.unit || v.unit->name().empty())) {
        return sema::format_number(v.number);
      }
      if (auto unit = display_unit(v, plant_)) {
        if (auto shown = sema::in_unit(v, *unit)) {
          return sema::format_number(*shown) + " " + unit_name(*unit, v.type);
        }
      }
      // A compound unit as the template wrote it: `120 pcs/min`.
      if (v.unit && !v.unit_text.empty()) {
        if (auto shown = sema::in_unit(v, *v.unit)) {
          return sema::format_number(*shown) + " " + v.unit_text;
        }
      }
      // No unit at all: coherent base units, spelled by dimension.
      return sema::format_number(v.number) + " [" + program_.dimensions().format(v.type.dimension) +
             "]";
    }
    default:
      return "?";
  }
}

std::string Printer::written_unit(const ast::UnitExpr* unit) const { return ast::unit_text(unit); }

std::string Printer::type(const ast::UnitExpr* type) const {
  const auto& facts = program_.facts();
  auto it = facts.written_types.find(type);
  if (it != facts.written_types.end() && plant_ != nullptr &&
      it->second.kind == sema::TypeKind::kQuantity) {
    if (const sema::Unit* unit = plant_->unit_for(it->second.dimension)) {
      return unit_name(*unit, it->second);
    }
  }
  return written_unit(type);
}

std::string Printer::string_literal(const ast::StringExpr* s) const {
  if (s == nullptr) return "\"\"";
  std::string text = s->value;
  if (params_ != nullptr) {
    const auto& interpolations = program_.facts().interpolations;
    for (const ast::Interpolation& interp : s->interpolations) {
      auto it = interpolations.find(&interp);
      if (it == interpolations.end() || interp.path.parts.size() != 1) continue;
      const sema::Value* v = params_(it->second);
      if (v == nullptr) continue;
      std::string shown = v->type.kind == sema::TypeKind::kString ? v->text : value(*v);
      std::string pattern = "{" + interp.path.text() + "}";
      for (auto at = text.find(pattern); at != std::string::npos;
           at = text.find(pattern, at + shown.size())) {
        text.replace(at, pattern.size(), shown);
      }
    }
  }
  return ast::quoted(text);
}

std::string Printer::expr(const ast::Expr* e) const {
  if (e == nullptr) return "<missing>";
  if (const sema::Value* v = constants_(e)) return value(*v);
  switch (e->kind) {
    case ast::ExprKind::kNumber: {
      const auto& n = static_cast<const ast::NumberExpr&>(*e);
      return n.text + (n.unit ? " " + written_unit(n.unit.get()) : "");
    }
    case ast::ExprKind::kString:
      return string_literal(static_cast<const ast::StringExpr*>(e));
    case ast::ExprKind::kBool:
      return static_cast<const ast::BoolExpr&>(*e).value ? "true" : "false";
    case ast::ExprKind::kName:
      return static_cast<const ast::NameExpr&>(*e).name.name;
    case ast::ExprKind::kMember: {
      const auto& m = static_cast<const ast::MemberExpr&>(*e);
      return expr(m.object.get()) + "." + m.member.name;
    }
    case ast::ExprKind::kCall: {
      const auto& c = static_cast<const ast::CallExpr&>(*e);
      std::string out = expr(c.callee.get()) + "(";
      for (std::size_t i = 0; i < c.args.size(); ++i) {
        if (i > 0) out += ", ";
        if (c.args[i].name) out += c.args[i].name->name + ": ";
        out += expr(c.args[i].value.get());
      }
      return out + ")";
    }
    case ast::ExprKind::kUnary: {
      const auto& u = static_cast<const ast::UnaryExpr&>(*e);
      std::string operand = expr(u.operand.get());
      bool compound = u.operand->kind == ast::ExprKind::kBinary ||
                      u.operand->kind == ast::ExprKind::kInRange ||
                      u.operand->kind == ast::ExprKind::kConvert;
      if (compound && constants_(u.operand.get()) == nullptr) operand = "(" + operand + ")";
      return (u.op == ast::UnaryOp::kNot ? "not " : "-") + operand;
    }
    case ast::ExprKind::kBinary:
      return binary(static_cast<const ast::BinaryExpr&>(*e));
    case ast::ExprKind::kInRange: {
      const auto& r = static_cast<const ast::InRangeExpr&>(*e);
      return expr(r.value.get()) + " in " + expr(r.lo.get()) + " .. " + expr(r.hi.get());
    }
    case ast::ExprKind::kConvert: {
      const auto& c = static_cast<const ast::ConvertExpr&>(*e);
      return expr(c.value.get()) + " to " + written_unit(c.unit.get());
    }
    case ast::ExprKind::kAsk:
      return "ask ...";
    case ast::ExprKind::kError:
      return "<error>";
  }
  return "?";
}

std::string Printer::binary(const ast::BinaryExpr& b) const {
  // `true and x` is `x`, `false or x` is `x`: the plant decided one side.
  if (b.op == ast::BinaryOp::kAnd || b.op == ast::BinaryOp::kOr) {
    bool neutral = b.op == ast::BinaryOp::kAnd;
    const sema::Value* l = constants_(b.lhs.get());
    const sema::Value* r = constants_(b.rhs.get());
    if (l != nullptr && l->type.kind == sema::TypeKind::kBool && l->boolean == neutral) {
      return expr(b.rhs.get());
    }
    if (r != nullptr && r->type.kind == sema::TypeKind::kBool && r->boolean == neutral) {
      return expr(b.lhs.get());
    }
  }
  auto side = [&](const ast::Expr* operand, bool right) {
    std::string text = expr(operand);
    const auto* inner = ast::as<ast::BinaryExpr>(operand);
    if (inner != nullptr && constants_(operand) == nullptr) {
      int mine = precedence(b.op);
      int theirs = precedence(inner->op);
      if (theirs < mine || (right && theirs == mine)) text = "(" + text + ")";
    } else if (operand != nullptr && constants_(operand) == nullptr &&
               (operand->kind == ast::ExprKind::kInRange ||
                operand->kind == ast::ExprKind::kConvert)) {
      text = "(" + text + ")";
    }
    return text;
  };
  return side(b.lhs.get(), false) + " " + ast::spelling(b.op) + " " + side(b.rhs.get(), true);
}

}  // namespace gemba::specialize
