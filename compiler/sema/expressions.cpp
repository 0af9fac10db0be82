// Typing expressions: names, members, calls, operators and the affine rule.
#include <algorithm>

#include "compiler/diag/closest_name.h"
#include "compiler/sema/checker.h"

namespace gemba::sema {
namespace {

using diag::Code;

bool is_comparison(ast::BinaryOp op) {
  using Op = ast::BinaryOp;
  return op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe || op == Op::kEq ||
         op == Op::kNe;
}

// int and real (dimensionless) mix freely; a quantity with a dimension does not.
Type as_quantity(const Type& t) { return t.kind == TypeKind::kInt ? Type::real() : t; }

}  // namespace

std::string Checker::describe(const Type& type) const { return sema::describe(type, dimensions_); }

bool Checker::expect(const Type& expected, const Type& actual, diag::Span span, const char* what) {
  if (expected.is_error() || actual.is_error()) return true;
  auto mismatch = [&]() {
    sink_.report(
        Code::kTypeMismatch, span,
        std::string(what) + " must be " + describe(expected) + ", but this is " + describe(actual));
    return false;
  };
  if (expected.kind == TypeKind::kQuantity && actual.is_numeric()) {
    Type a = as_quantity(actual);
    if (a.dimension != expected.dimension) {
      sink_
          .report(Code::kDimensionMismatch, span,
                  std::string(what) + " must be " + describe(expected) + ", but this is " +
                      describe(actual))
          .with_hint(expected.unit.empty()
                         ? ""
                         : "write a quantity in " + expected.unit + " or a compatible unit");
      return false;
    }
    bool abs_for_diff =
        expected.affinity == Affinity::kDifference && a.affinity == Affinity::kAbsolute;
    bool diff_for_abs =
        expected.affinity == Affinity::kAbsolute && a.affinity == Affinity::kDifference;
    if (abs_for_diff || diff_for_abs) {
      sink_
          .report(Code::kAbsoluteVsDifference, span,
                  std::string(what) + " must be " + describe(expected) + ", but this is " +
                      describe(actual))
          .with_hint(abs_for_diff ? "a difference is written with `delta`, e.g. `2 delta degC`"
                                  : "a reading is written without `delta`, e.g. `65 degC`");
      return false;
    }
    return true;
  }
  if (expected.kind != actual.kind) return mismatch();
  switch (expected.kind) {
    case TypeKind::kEquipment:
      if (!actual.equipment->is_a(expected.equipment)) return mismatch();
      return true;
    case TypeKind::kEnum:
      if (actual.enumeration != expected.enumeration) return mismatch();
      return true;
    default:
      return true;
  }
}

Type Checker::check_expr(const ast::Expr* expr, const BodyContext& ctx) {
  if (!expr) return Type();
  Type type = type_expr(expr, ctx);
  facts_.types.insert_or_assign(expr, type);
  return type;
}

Type Checker::type_expr(const ast::Expr* expr, const BodyContext& ctx) {
  switch (expr->kind) {
    case ast::ExprKind::kNumber:
      return literal_type(static_cast<const ast::NumberExpr&>(*expr));
    case ast::ExprKind::kString:
      check_string(static_cast<const ast::StringExpr*>(expr));
      return Type::of(TypeKind::kString);
    case ast::ExprKind::kBool:
      return Type::of(TypeKind::kBool);
    case ast::ExprKind::kError:
      return Type();
    case ast::ExprKind::kName: {
      const auto& name = static_cast<const ast::NameExpr&>(*expr).name;
      Symbol* symbol = lookup(name);
      if (!symbol) return Type();
      facts_.names[expr] = symbol;
      if (symbol->kind == SymbolKind::kLocal) {
        symbol->used = true;
        return symbol->type;
      }
      if (symbol->kind == SymbolKind::kParam) {
        resolve(symbol);
        return symbol->type;
      }
      if (symbol->kind == SymbolKind::kEnum) {
        resolve(symbol);
        Type t = Type::of(TypeKind::kEnumName);
        t.enumeration = &symbol->enum_info;
        return t;
      }
      auto& d = sink_.report(Code::kTypeMismatch, name.span,
                             "`" + name.name + "` is " + a_kind(symbol->kind) + ", not a value");
      if (symbol->kind == SymbolKind::kUnit)
        d.with_hint("write a quantity, e.g. `1 " + name.name + "`");
      if (symbol->kind == SymbolKind::kFunction || symbol->kind == SymbolKind::kKpi) {
        d.with_hint("call it: `" + name.name + "(...)`");
      }
      return Type();
    }
    case ast::ExprKind::kMember:
      return check_member(static_cast<const ast::MemberExpr&>(*expr), ctx);
    case ast::ExprKind::kCall:
      return check_call(static_cast<const ast::CallExpr&>(*expr), ctx, /*as_command=*/false);
    case ast::ExprKind::kUnary: {
      const auto& u = static_cast<const ast::UnaryExpr&>(*expr);
      Type t = check_expr(u.operand.get(), ctx);
      if (t.is_error()) return t;
      if (u.op == ast::UnaryOp::kNot) {
        if (t.kind != TypeKind::kBool) {
          sink_.report(Code::kBadOperand, u.op_span,
                       "`not` needs a bool, but this is " + describe(t));
          return Type();
        }
        return t;
      }
      if (!t.is_numeric()) {
        sink_.report(Code::kBadOperand, u.op_span, "cannot negate " + describe(t));
        return Type();
      }
      if (t.affinity == Affinity::kAbsolute) {
        if (ast::as<ast::NumberExpr>(u.operand.get())) return t;  // `-20 degC` is a reading
        sink_.report(Code::kScaleAbsolute, u.op_span, "cannot negate " + describe(t))
            .with_hint("a reading has no opposite; subtract two readings to get a difference");
        return Type();
      }
      return t;
    }
    case ast::ExprKind::kBinary:
      return check_binary(static_cast<const ast::BinaryExpr&>(*expr), ctx);
    case ast::ExprKind::kInRange: {
      const auto& r = static_cast<const ast::InRangeExpr&>(*expr);
      Type value = check_expr(r.value.get(), ctx);
      Type lo = check_expr(r.lo.get(), ctx);
      Type hi = check_expr(r.hi.get(), ctx);
      if (!value.is_error() && !value.is_numeric() && value.kind != TypeKind::kTime) {
        sink_.report(Code::kBadOperand, r.value->span,
                     "a range test needs a number or quantity, but this is " + describe(value));
        return Type::of(TypeKind::kBool);
      }
      expect(value, lo, r.lo->span, "the lower bound");
      expect(value, hi, r.hi->span, "the upper bound");
      check_range(r.lo.get(), r.hi.get(), r.span);
      return Type::of(TypeKind::kBool);
    }
    case ast::ExprKind::kConvert: {
      const auto& c = static_cast<const ast::ConvertExpr&>(*expr);
      Type value = check_expr(c.value.get(), ctx);
      if (!c.unit) return Type();
      Type target = resolve_type(*c.unit);
      if (value.is_error() || target.is_error()) return Type();
      if (target.kind != TypeKind::kQuantity || !value.is_numeric()) {
        sink_.report(Code::kBadOperand, c.span,
                     "`to` converts a quantity to a unit, but this converts " + describe(value) +
                         " to " + describe(target));
        return Type();
      }
      Type v = as_quantity(value);
      if (v.dimension != target.dimension) {
        sink_.report(Code::kDimensionMismatch, c.span,
                     "cannot convert " + describe(value) + " to " + target.unit + ", a unit of " +
                         dimensions_.describe(target.dimension));
        return Type();
      }
      if (v.affinity == Affinity::kDifference && target.affinity == Affinity::kAbsolute) {
        sink_
            .report(Code::kAbsoluteVsDifference, c.span,
                    "a difference cannot be converted to a reading scale")
            .with_hint("convert to `delta " + target.unit + "`");
        return Type();
      }
      Type out = target;
      if (v.affinity != Affinity::kLinear) out.affinity = v.affinity;
      if (v.affinity == Affinity::kAbsolute && target.affinity == Affinity::kLinear) {
        out.affinity = Affinity::kLinear;  // `20 degC to K`: kelvin are linear
      }
      return out;
    }
    case ast::ExprKind::kAsk: {
      if (ctx.place != Place::kStep && ctx.place != Place::kHandler) {
        check_ask(static_cast<const ast::AskExpr&>(*expr), ctx);  // reports G0502
        return Type();
      }
      sink_
          .report(Code::kAskNotStandalone, expr->span,
                  "an `ask` must be a whole statement or the whole value of a `let`")
          .with_hint("ask first: `let answer = ask ...;`, then use `answer`");
      check_ask(static_cast<const ast::AskExpr&>(*expr), ctx);
      return Type();
    }
  }
  return Type();
}

Type Checker::check_member(const ast::MemberExpr& expr, const BodyContext& ctx) {
  Type object = check_expr(expr.object.get(), ctx);
  if (object.is_error()) return object;
  const std::string& name = expr.member.name;
  if (object.kind == TypeKind::kEnumName) {
    const auto& members = object.enumeration->members;
    if (std::find(members.begin(), members.end(), name) == members.end()) {
      auto& d = sink_.report(
          Code::kUnknownMember, expr.member.span,
          "enumeration `" + object.enumeration->name + "` has no member `" + name + "`");
      if (auto guess = diag::closest_name(name, members))
        d.with_hint("did you mean `" + *guess + "`?");
      return Type();
    }
    Type t = Type::of(TypeKind::kEnum);
    t.enumeration = object.enumeration;
    return t;
  }
  if (object.kind != TypeKind::kEquipment) {
    sink_.report(Code::kUnknownMember, expr.member.span,
                 describe(object) + " has no members; `." + name +
                     "` applies to equipment and enumerations");
    return Type();
  }
  const MemberInfo* member = object.equipment->find(name);
  if (!member) {
    auto& d = sink_.report(Code::kUnknownMember, expr.member.span,
                           "equipment class `" + object.equipment->name +
                               "` has no property, signal or command `" + name + "`");
    if (auto guess = diag::closest_name(name, object.equipment->member_names())) {
      d.with_hint("did you mean `" + *guess + "`?");
    }
    return Type();
  }
  if (member->kind == ast::ClassMember::Kind::kCommand) {
    Type t = Type::of(TypeKind::kCommand);
    t.command = member;
    return t;
  }
  return member->type;
}

void Checker::check_arguments(const std::vector<ast::Argument>& args,
                              const std::vector<ParamInfo>& params, const std::string& callee,
                              diag::Span call_span, const BodyContext& ctx) {
  std::vector<const ast::Argument*> bound(params.size(), nullptr);
  std::size_t position = 0;
  bool ok = true;
  for (const auto& arg : args) {
    Type actual = check_expr(arg.value.get(), ctx);
    std::size_t index = position;
    if (arg.name) {
      auto it = std::find_if(params.begin(), params.end(),
                             [&](const ParamInfo& p) { return p.name == arg.name->name; });
      if (it == params.end()) {
        sink_.report(Code::kUnknownArgument, arg.name->span,
                     "`" + callee + "` has no parameter `" + arg.name->name + "`");
        ok = false;
        continue;
      }
      index = static_cast<std::size_t>(it - params.begin());
    } else {
      ++position;
    }
    if (index >= params.size()) continue;  // one too many: counted below
    if (bound[index]) {
      sink_.report(Code::kUnknownArgument, arg.span,
                   "parameter `" + params[index].name + "` of `" + callee + "` is given twice");
      ok = false;
      continue;
    }
    bound[index] = &arg;
    std::string what = "argument `" + params[index].name + "`";
    expect(params[index].type, actual, arg.value ? arg.value->span : arg.span, what.c_str());
  }
  std::size_t given = std::count(bound.begin(), bound.end(), nullptr);
  if (ok && (given != 0 || position > params.size())) {
    sink_.report(Code::kArgumentCount, call_span,
                 "`" + callee + "` takes " + std::to_string(params.size()) + " argument" +
                     (params.size() == 1 ? "" : "s") + ", but " + std::to_string(args.size()) +
                     (args.size() == 1 ? " is" : " are") + " given");
  }
}

Type Checker::check_call(const ast::CallExpr& expr, const BodyContext& ctx, bool as_command) {
  if (auto* name = ast::as<ast::NameExpr>(expr.callee.get())) {
    Symbol* symbol = lookup(name->name);
    if (!symbol) {
      for (const auto& arg : expr.args) check_expr(arg.value.get(), ctx);
      return Type();
    }
    facts_.names[name] = symbol;
    if (symbol->kind == SymbolKind::kFunction || symbol->kind == SymbolKind::kKpi) {
      resolve(symbol);
      if (ctx.owner) calls_[ctx.owner].push_back({symbol, name->name.span});
      check_arguments(expr.args, symbol->params, symbol->name, expr.span, ctx);
      if (as_command) {
        sink_
            .report(
                Code::kNotACommand, expr.callee->span,
                "`" + symbol->name + "` is " + a_kind(symbol->kind) + ", not an equipment command")
            .with_hint("`command` sends a command of a `uses` binding: `command mixer.start();`");
      }
      return symbol->result;
    }
    auto& d =
        sink_.report(as_command ? Code::kNotACommand : Code::kNotCallable, name->name.span,
                     "`" + symbol->name + "` is " + a_kind(symbol->kind) + " and cannot be called");
    if (symbol->kind == SymbolKind::kProcedure) {
      d.with_hint("start a procedure with `start " + symbol->name + "(...);`");
    }
    for (const auto& arg : expr.args) check_expr(arg.value.get(), ctx);
    return Type();
  }
  Type callee = check_expr(expr.callee.get(), ctx);
  if (callee.is_error()) {
    for (const auto& arg : expr.args) check_expr(arg.value.get(), ctx);
    return callee;
  }
  if (callee.kind == TypeKind::kCommand) {
    std::vector<ParamInfo> params;
    for (const auto& p : callee.command->params) params.push_back({p.name, p.type});
    check_arguments(expr.args, params, callee.command->name, expr.span, ctx);
    if (!as_command) {
      std::string target = callee.command->name;
      if (auto* member = ast::as<ast::MemberExpr>(expr.callee.get())) {
        if (auto* object = ast::as<ast::NameExpr>(member->object.get())) {
          target = object->name.name + "." + target;
        }
      }
      sink_
          .report(Code::kNotACommand, expr.span,
                  "equipment commands are sent with `command`, not called in an expression")
          .with_hint("write it as a statement: `command " + target + "(...);`");
      return Type();  // reported: no second error where its value is used
    }
    return Type::of(TypeKind::kVoid);
  }
  auto& d = sink_.report(as_command ? Code::kNotACommand : Code::kNotCallable, expr.callee->span,
                         describe(callee) + " cannot be called");
  if (auto* member = ast::as<ast::MemberExpr>(expr.callee.get())) {
    d.with_hint("`" + member->member.name + "` is a value: read it without parentheses");
  }
  for (const auto& arg : expr.args) check_expr(arg.value.get(), ctx);
  return Type();
}

Type Checker::check_binary(const ast::BinaryExpr& expr, const BodyContext& ctx) {
  using Op = ast::BinaryOp;
  Type lhs = check_expr(expr.lhs.get(), ctx);
  Type rhs = check_expr(expr.rhs.get(), ctx);
  if (lhs.is_error() || rhs.is_error()) {
    return is_comparison(expr.op) || expr.op == Op::kAnd || expr.op == Op::kOr
               ? Type::of(TypeKind::kBool)
               : Type();
  }
  const std::string op = ast::spelling(expr.op);
  auto bad_operands = [&]() {
    sink_.report(Code::kBadOperand, expr.op_span,
                 "`" + op + "` cannot combine " + describe(lhs) + " and " + describe(rhs));
    return Type();
  };

  if (expr.op == Op::kAnd || expr.op == Op::kOr) {
    if (lhs.kind != TypeKind::kBool || rhs.kind != TypeKind::kBool) bad_operands();
    return Type::of(TypeKind::kBool);
  }

  // Time points: time - time = duration; time +/- duration = time.
  if (lhs.kind == TypeKind::kTime || rhs.kind == TypeKind::kTime) {
    std::optional<Dimension> duration = duration_dimension();
    if (lhs.kind == TypeKind::kTime && rhs.kind == TypeKind::kTime) {
      if (is_comparison(expr.op)) return Type::of(TypeKind::kBool);
      if (expr.op == Op::kSub && duration) return Type::quantity(*duration, Affinity::kDifference);
      if (expr.op == Op::kAdd) {
        sink_.report(Code::kAddAbsolutes, expr.op_span, "cannot add two points in time")
            .with_hint("subtract them to get a duration, or add a duration to one of them");
        return Type();
      }
      return bad_operands();
    }
    const Type& other = lhs.kind == TypeKind::kTime ? rhs : lhs;
    if ((expr.op == Op::kAdd || (expr.op == Op::kSub && lhs.kind == TypeKind::kTime)) &&
        is_duration(other)) {
      return Type::of(TypeKind::kTime);
    }
    return bad_operands();
  }

  if (is_comparison(expr.op) && !lhs.is_numeric() && !rhs.is_numeric()) {
    bool equality = expr.op == Op::kEq || expr.op == Op::kNe;
    bool same = lhs.kind == rhs.kind && lhs.enumeration == rhs.enumeration &&
                lhs.kind != TypeKind::kEquipment && lhs.kind != TypeKind::kCommand &&
                lhs.kind != TypeKind::kEnumName;
    if (!same || (!equality && lhs.kind != TypeKind::kString)) bad_operands();
    return Type::of(TypeKind::kBool);
  }
  if (!lhs.is_numeric() || !rhs.is_numeric()) {
    Type result = bad_operands();
    return is_comparison(expr.op) ? Type::of(TypeKind::kBool) : result;
  }

  bool both_int = lhs.kind == TypeKind::kInt && rhs.kind == TypeKind::kInt;
  Type a = as_quantity(lhs);
  Type b = as_quantity(rhs);
  const bool abs_a = a.affinity == Affinity::kAbsolute;
  const bool abs_b = b.affinity == Affinity::kAbsolute;

  auto same_dimension = [&](const char* verb) {
    if (a.dimension == b.dimension) return true;
    const char* joint = std::string_view(verb) == "compare" ? " with " : " and ";
    sink_
        .report(Code::kDimensionMismatch, expr.op_span,
                std::string("cannot ") + verb + " " + describe(lhs) + joint + describe(rhs))
        .with_hint("both sides must measure the same dimension; convert or fix the units");
    return false;
  };

  switch (expr.op) {
    case Op::kAdd:
    case Op::kSub: {
      const char* verb = expr.op == Op::kAdd ? "add" : "subtract";
      if (!same_dimension(verb)) return Type();
      if (both_int) return Type::of(TypeKind::kInt);
      if (abs_a && abs_b) {
        if (expr.op == Op::kSub) return Type::quantity(a.dimension, Affinity::kDifference);
        sink_
            .report(Code::kAddAbsolutes, expr.op_span,
                    "cannot add two readings: " + describe(lhs) + " and " + describe(rhs))
            .with_hint(
                "to add a temperature change, write it as a difference, e.g. `5 delta "
                "degC`; to average readings, subtract and scale the difference");
        return Type();
      }
      if (abs_a) return a;
      if (abs_b) {
        if (expr.op == Op::kAdd) return b;
        sink_
            .report(Code::kAbsoluteVsDifference, expr.op_span,
                    "cannot subtract " + describe(rhs) + " from " + describe(lhs) +
                        ": only a reading minus a reading, or a reading minus a difference, "
                        "has a meaning")
            .with_hint("swap the operands if you meant `reading - difference`");
        return Type();
      }
      Affinity affinity = a.affinity == Affinity::kDifference || b.affinity == Affinity::kDifference
                              ? Affinity::kDifference
                              : Affinity::kLinear;
      return Type::quantity(a.dimension, affinity, a.unit.empty() ? b.unit : a.unit);
    }
    case Op::kMul:
    case Op::kDiv:
    case Op::kMod: {
      if (abs_a || abs_b) {
        sink_
            .report(Code::kScaleAbsolute, expr.op_span,
                    "cannot " + std::string(expr.op == Op::kMul ? "multiply" : "divide") + " " +
                        describe(abs_a ? lhs : rhs) + ": it is a reading on an offset scale")
            .with_hint(
                "convert it to an absolute scale first (`x to K`), or work with a "
                "difference (`x - 20 degC`)");
        return Type();
      }
      if (expr.op == Op::kMod) {
        if (!same_dimension("take the remainder of")) return Type();
        return both_int ? Type::of(TypeKind::kInt) : a;
      }
      if (both_int && expr.op == Op::kMul) return Type::of(TypeKind::kInt);
      auto dim = expr.op == Op::kMul ? a.dimension.mul(b.dimension) : a.dimension.div(b.dimension);
      if (!dim) {
        sink_.report(Code::kTooManyDimensions, expr.op_span,
                     "the dimension of this product is out of range (an exponent above 127)");
        return Type();
      }
      std::string unit;
      if (b.dimension.is_dimensionless()) unit = a.unit;
      if (a.dimension.is_dimensionless() && expr.op == Op::kMul) unit = b.unit;
      return Type::quantity(*dim, Affinity::kLinear, unit);
    }
    default:
      break;
  }

  // Comparisons.
  if (!same_dimension("compare")) return Type::of(TypeKind::kBool);
  if ((abs_a && b.affinity == Affinity::kDifference) ||
      (abs_b && a.affinity == Affinity::kDifference)) {
    sink_
        .report(Code::kAbsoluteVsDifference, expr.op_span,
                "cannot compare " + describe(lhs) + " with " + describe(rhs))
        .with_hint(
            "compare readings with readings (`65 degC`) and differences with differences "
            "(`5 delta degC`)");
  }
  return Type::of(TypeKind::kBool);
}

void Checker::check_string(const ast::StringExpr* expr) {
  if (!expr) return;
  BodyContext ctx;
  for (const auto& interp : expr->interpolations) {
    if (interp.path.parts.empty()) continue;
    auto name = std::make_unique<ast::NameExpr>(interp.path.parts[0].span);
    name->name = interp.path.parts[0];
    std::unique_ptr<ast::Expr> e = std::move(name);
    const ast::Expr* head = e.get();
    std::vector<const ast::Expr*> temporaries{head};
    for (std::size_t i = 1; i < interp.path.parts.size(); ++i) {
      auto member = std::make_unique<ast::MemberExpr>(interp.path.span);
      member->object = std::move(e);
      member->member = interp.path.parts[i];
      e = std::move(member);
      temporaries.push_back(e.get());
    }
    check_expr(e.get(), ctx);
    // Facts are about the AST: keep what the interpolation names, not the temporaries.
    if (const Symbol* symbol = facts_.symbol_of(head)) facts_.interpolations[&interp] = symbol;
    for (const ast::Expr* temporary : temporaries) {
      facts_.types.erase(temporary);
      facts_.names.erase(temporary);
    }
  }
}

}  // namespace gemba::sema
