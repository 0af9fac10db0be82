// The format, one node per line, two spaces of indentation per level of depth:
//   declarations  `procedure MixBatch`, `unit degF = (5 / 9) * K offset 459.67`, ...
//   statements    `let x: kg`, `if`, `then`, `else`, `await`, `within`, `otherwise`, ...
//   expressions   `binary +`, `number 65 degC`, `string "..."`, `name x`, `error`, ...
// Unit expressions print inline, a compound operand in parentheses. Strings print
// quoted, their interpolations as `interpolation a.b` children. A null child prints as
// `<missing>`. Keep this stable: parser tests and golden files compare it.
#include "compiler/ast/dump.h"

#include <cstdio>

namespace gemba::ast {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

namespace {
std::string operand_text(const UnitExpr* unit) {
  bool compound =
      unit != nullptr && (unit->kind == UnitExpr::Kind::kMul || unit->kind == UnitExpr::Kind::kDiv);
  return compound ? "(" + unit_text(unit) + ")" : unit_text(unit);
}
}  // namespace

std::string unit_text(const UnitExpr* unit) {
  if (unit == nullptr) return "<missing>";
  switch (unit->kind) {
    case UnitExpr::Kind::kName: {
      std::string out = (unit->delta ? "delta " : "") + unit->name.name;
      if (unit->exponent != 1) out += "^" + std::to_string(unit->exponent);
      return out;
    }
    case UnitExpr::Kind::kNumber:
      return unit->number;
    case UnitExpr::Kind::kMul:
      return operand_text(unit->lhs.get()) + " * " + operand_text(unit->rhs.get());
    case UnitExpr::Kind::kDiv:
      return operand_text(unit->lhs.get()) + " / " + operand_text(unit->rhs.get());
  }
  return "?";
}

namespace {

std::string param_text(const Param& param) {
  return param.name.name + ": " + unit_text(param.type.get());
}

class Dumper {
 public:
  std::string run(const Module& module) {
    if (module.name) line(0, "module " + module.name->text());
    for (const auto& import : module.imports) line(0, "import " + import.module.text());
    for (const auto& decl : module.decls) declaration(0, decl.get());
    return std::move(out_);
  }

 private:
  void line(int depth, const std::string& text) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  // ---- Declarations

  void declaration(int depth, const Decl* decl) {
    if (decl == nullptr) return line(depth, "<missing>");
    switch (decl->kind) {
      case DeclKind::kDimension:
        return dimension(depth, *as<DimensionDecl>(decl));
      case DeclKind::kUnit:
        return unit(depth, *as<UnitDecl>(decl));
      case DeclKind::kEnum:
        return enumeration(depth, *as<EnumDecl>(decl));
      case DeclKind::kRole:
        return role(depth, *as<RoleDecl>(decl));
      case DeclKind::kEquipmentClass:
        return equipment_class(depth, *as<EquipmentClassDecl>(decl));
      case DeclKind::kFunction:
        return function(depth, *as<FunctionDecl>(decl));
      case DeclKind::kProcedure:
        return procedure(depth, *as<ProcedureDecl>(decl));
      case DeclKind::kLimit:
        return limit(depth, *as<LimitDecl>(decl));
      case DeclKind::kCollect:
        return collect(depth, *as<CollectDecl>(decl));
      case DeclKind::kKpi:
        return kpi(depth, *as<KpiDecl>(decl));
      case DeclKind::kParam:
        return param_decl(depth, *as<ParamDecl>(decl));
      case DeclKind::kPlant:
        return plant(depth, *as<PlantDecl>(decl));
    }
  }

  void dimension(int depth, const DimensionDecl& d) {
    std::string text = "dimension " + d.name.name;
    if (d.definition) text += " = " + unit_text(d.definition.get());
    line(depth, text);
  }

  void unit(int depth, const UnitDecl& d) {
    if (d.base_of) return line(depth, "unit " + d.name.name + ": " + d.base_of->name);
    std::string text = "unit " + d.name.name + " = " + unit_text(d.definition.get());
    if (d.offset) text += " offset " + *d.offset;
    line(depth, text);
  }

  void enumeration(int depth, const EnumDecl& d) {
    std::string text = "enum " + d.name.name + ":";
    for (std::size_t i = 0; i < d.members.size(); ++i) {
      text += (i == 0 ? " " : ", ") + d.members[i].name;
    }
    line(depth, text);
  }

  void role(int depth, const RoleDecl& d) {
    line(depth, "role " + d.name.name + (d.title.empty() ? "" : " " + quoted(d.title)));
  }

  void equipment_class(int depth, const EquipmentClassDecl& d) {
    line(depth, "equipment class " + d.name.name + (d.base ? " : " + d.base->name : ""));
    for (const auto& member : d.members) {
      switch (member.kind) {
        case ClassMember::Kind::kProperty:
          line(depth + 1, "property " + member.name.name + ": " + unit_text(member.type.get()));
          break;
        case ClassMember::Kind::kSignal:
          line(depth + 1, "signal " + member.name.name + ": " + unit_text(member.type.get()));
          break;
        case ClassMember::Kind::kCommand: {
          std::string text = "command " + member.name.name + "(";
          for (std::size_t i = 0; i < member.params.size(); ++i) {
            text += (i == 0 ? "" : ", ") + param_text(member.params[i]);
          }
          line(depth + 1, text + ")");
          break;
        }
      }
    }
  }

  void params(int depth, const std::vector<Param>& params) {
    for (const auto& param : params) line(depth, "param " + param_text(param));
  }

  void function(int depth, const FunctionDecl& d) {
    line(depth, std::string(d.is_builtin ? "builtin " : "") + "function " + d.name.name);
    params(depth + 1, d.params);
    line(depth + 1, "result " + unit_text(d.result.get()));
    if (d.body) {
      line(depth + 1, "body");
      expr(depth + 2, d.body.get());
    }
  }

  void kpi(int depth, const KpiDecl& d) {
    line(depth, "kpi " + d.name.name);
    params(depth + 1, d.params);
    if (d.result) line(depth + 1, "result " + unit_text(d.result.get()));
    if (d.window_name) line(depth + 1, "over " + d.window_name->name);
    if (d.window_last) {
      line(depth + 1, "over last");
      expr(depth + 2, d.window_last.get());
    }
    line(depth + 1, "body");
    expr(depth + 2, d.body.get());
  }

  void param_decl(int depth, const ParamDecl& d) {
    line(depth, "param " + d.name.name + ": " + unit_text(d.type.get()));
    if (d.lo) {
      line(depth + 1, "range");
      expr(depth + 2, d.lo.get());
      expr(depth + 2, d.hi.get());
    }
    if (d.value) {
      line(depth + 1, "default");
      expr(depth + 2, d.value.get());
    }
  }

  static std::string clock_text(int minutes) {
    std::string text = std::to_string(minutes / 60 + 100).substr(1) + ":";
    return text + std::to_string(minutes % 60 + 100).substr(1);
  }

  void plant(int depth, const PlantDecl& d) {
    line(depth, "plant " + d.name.name + (d.title.empty() ? "" : " " + quoted(d.title)));
    if (d.timezone) line(depth + 1, "timezone " + quoted(*d.timezone));
    for (const auto& unit : d.units) line(depth + 1, "unit " + unit_text(unit.get()));
    for (const auto& param : d.params) {
      line(depth + 1, "param " + param.name.name);
      expr(depth + 2, param.value.get());
    }
    for (const auto& b : d.bindings) {
      line(depth + 1, "bind " + b.procedure.name + "." + b.use.name + " = " + b.target.text());
    }
    for (const auto& shift : d.shifts) {
      line(depth + 1, "shift " + shift.name.name + " " + clock_text(shift.start_minute) + " .. " +
                          clock_text(shift.end_minute));
    }
    for (const auto& child : d.instances) instance(depth + 1, *child);
  }

  void instance(int depth, const InstanceDecl& d) {
    line(depth,
         d.class_name.name + " " + d.name.name + (d.title.empty() ? "" : " " + quoted(d.title)));
    for (const auto& value : d.values) {
      line(depth + 1, value.member.name + " =");
      expr(depth + 2, value.value.get());
    }
    for (const auto& source : d.sources) {
      line(depth + 1, source.member.name + " <- " + quoted(source.address));
    }
    for (const auto& child : d.children) instance(depth + 1, *child);
  }

  void procedure(int depth, const ProcedureDecl& d) {
    line(depth, "procedure " + d.name.name);
    params(depth + 1, d.params);
    for (const auto& use : d.uses) {
      line(depth + 1, "uses " + use.name.name + ": " + use.equipment_class.name);
      if (use.constraint) {
        line(depth + 2, "where");
        expr(depth + 3, use.constraint.get());
      }
    }
    for (const auto& l : d.limits) limit(depth + 1, *l);
    for (const auto& c : d.collects) collect(depth + 1, *c);
    for (const auto& step : d.steps) {
      line(depth + 1, "step " + (step.name ? quoted(step.name->value) : "<missing>"));
      interpolations(depth + 2, step.name.get());
      block(depth + 2, step.body);
    }
    for (const auto& handler : d.handlers) {
      static const char* const kNames[] = {"on hold", "on abort", "on cleanup"};
      line(depth + 1, kNames[static_cast<int>(handler.kind)]);
      block(depth + 2, handler.body);
    }
  }

  void limit(int depth, const LimitDecl& d) {
    line(depth, "limit " + d.subject.text());
    expr(depth + 1, d.lo.get());
    expr(depth + 1, d.hi.get());
    if (d.has_reaction) {
      line(depth + 1, "on violation");
      block(depth + 2, d.on_violation);
    }
  }

  void collect(int depth, const CollectDecl& d) {
    line(depth, "collect " + d.signal.text());
    line(depth + 1, "every");
    expr(depth + 2, d.period.get());
    if (d.deadband) {
      line(depth + 1, "deadband");
      expr(depth + 2, d.deadband.get());
    }
    if (d.valid_lo || d.valid_hi) {
      line(depth + 1, "valid");
      expr(depth + 2, d.valid_lo.get());
      expr(depth + 2, d.valid_hi.get());
    }
  }

  // ---- Statements

  void block(int depth, const Block& stmts) {
    for (const auto& s : stmts) statement(depth, s.get());
  }

  void labelled_block(int depth, const char* label, const Block& stmts) {
    line(depth, label);
    block(depth + 1, stmts);
  }

  void timeout(int depth, const Timeout& t) {
    if (t.within) {
      line(depth, "within");
      expr(depth + 1, t.within.get());
    }
    if (t.otherwise) {
      line(depth, "otherwise");
      statement(depth + 1, t.otherwise.get());
    } else if (t.has_otherwise_block) {
      labelled_block(depth, "otherwise", t.otherwise_block);
    }
  }

  void statement(int depth, const Stmt* s) {
    if (s == nullptr) return line(depth, "<missing>");
    switch (s->kind) {
      case StmtKind::kLet: {
        const auto& let = *as<LetStmt>(s);
        std::string text = (let.is_var ? "var " : "let ") + let.name.name;
        if (let.type) text += ": " + unit_text(let.type.get());
        line(depth, text);
        return expr(depth + 1, let.init.get());
      }
      case StmtKind::kAssign: {
        const auto& assign = *as<AssignStmt>(s);
        line(depth, "assign " + assign.target.name);
        return expr(depth + 1, assign.value.get());
      }
      case StmtKind::kIf: {
        const auto& stmt = *as<IfStmt>(s);
        line(depth, "if");
        expr(depth + 1, stmt.condition.get());
        labelled_block(depth + 1, "then", stmt.then_block);
        if (stmt.has_else) labelled_block(depth + 1, "else", stmt.else_block);
        return;
      }
      case StmtKind::kRepeat: {
        const auto& stmt = *as<RepeatStmt>(s);
        line(depth, "repeat");
        expr(depth + 1, stmt.count.get());
        return labelled_block(depth + 1, "do", stmt.body);
      }
      case StmtKind::kFor: {
        const auto& stmt = *as<ForStmt>(s);
        line(depth, "for " + stmt.var.name);
        expr(depth + 1, stmt.lo.get());
        expr(depth + 1, stmt.hi.get());
        return labelled_block(depth + 1, "do", stmt.body);
      }
      case StmtKind::kAsk:
        return expr(depth, as<AskStmt>(s)->ask.get());
      case StmtKind::kAwait: {
        const auto& stmt = *as<AwaitStmt>(s);
        line(depth, "await");
        expr(depth + 1, stmt.condition.get());
        return timeout(depth + 1, stmt.timeout);
      }
      case StmtKind::kCommand:
        line(depth, "command");
        return expr(depth + 1, as<CommandStmt>(s)->call.get());
      case StmtKind::kSign: {
        const auto& stmt = *as<SignStmt>(s);
        std::string meaning = stmt.meaning ? quoted(stmt.meaning->value) + " " : "";
        line(depth, "sign " + meaning + "by role " + stmt.role.name);
        return interpolations(depth + 1, stmt.meaning.get());
      }
      case StmtKind::kWait:
        line(depth, "wait");
        return expr(depth + 1, as<WaitStmt>(s)->duration.get());
      case StmtKind::kConsume:
      case StmtKind::kProduce: {
        const auto& stmt = static_cast<const MaterialStmt&>(*s);
        line(depth, s->kind == StmtKind::kConsume ? "consume" : "produce");
        expr(depth + 1, stmt.target.get());
        return expr(depth + 1, stmt.amount.get());
      }
      case StmtKind::kNotify: {
        const auto& stmt = *as<NotifyStmt>(s);
        std::string message = stmt.message ? " " + quoted(stmt.message->value) : "";
        line(depth, "notify role " + stmt.role.name + message);
        return interpolations(depth + 1, stmt.message.get());
      }
      case StmtKind::kStart: {
        const auto& stmt = *as<StartStmt>(s);
        line(depth, "start " + stmt.procedure.name);
        return arguments(depth + 1, stmt.args);
      }
      case StmtKind::kEscalate: {
        const auto& stmt = *as<EscalateStmt>(s);
        std::string text = "escalate " + (stmt.message ? quoted(stmt.message->value) : "<missing>");
        if (stmt.role) text += " to role " + stmt.role->name;
        line(depth, text);
        return interpolations(depth + 1, stmt.message.get());
      }
      case StmtKind::kHold:
      case StmtKind::kAbort: {
        const auto& stmt = static_cast<const HoldAbortStmt&>(*s);
        std::string text = s->kind == StmtKind::kHold ? "hold" : "abort";
        if (stmt.reason) text += " " + quoted(stmt.reason->value);
        line(depth, text);
        return interpolations(depth + 1, stmt.reason.get());
      }
    }
  }

  // ---- Expressions

  void arguments(int depth, const std::vector<Argument>& args) {
    for (const auto& arg : args) {
      line(depth, arg.name ? "arg " + arg.name->name : "arg");
      expr(depth + 1, arg.value.get());
    }
  }

  void expr(int depth, const Expr* e) {
    if (e == nullptr) return line(depth, "<missing>");
    switch (e->kind) {
      case ExprKind::kNumber: {
        const auto& number = *as<NumberExpr>(e);
        std::string unit = number.unit ? " " + unit_text(number.unit.get()) : "";
        return line(depth, "number " + number.text + unit);
      }
      case ExprKind::kString:
        return string(depth, as<StringExpr>(e));
      case ExprKind::kBool:
        return line(depth, as<BoolExpr>(e)->value ? "bool true" : "bool false");
      case ExprKind::kName:
        return line(depth, "name " + as<NameExpr>(e)->name.name);
      case ExprKind::kMember: {
        const auto& member = *as<MemberExpr>(e);
        line(depth, "member " + member.member.name);
        return expr(depth + 1, member.object.get());
      }
      case ExprKind::kCall: {
        const auto& call = *as<CallExpr>(e);
        line(depth, "call");
        expr(depth + 1, call.callee.get());
        return arguments(depth + 1, call.args);
      }
      case ExprKind::kUnary: {
        const auto& unary = *as<UnaryExpr>(e);
        line(depth, unary.op == UnaryOp::kNegate ? "unary -" : "unary not");
        return expr(depth + 1, unary.operand.get());
      }
      case ExprKind::kBinary: {
        const auto& binary = *as<BinaryExpr>(e);
        line(depth, std::string("binary ") + spelling(binary.op));
        expr(depth + 1, binary.lhs.get());
        return expr(depth + 1, binary.rhs.get());
      }
      case ExprKind::kInRange: {
        const auto& range = *as<InRangeExpr>(e);
        line(depth, "in-range");
        expr(depth + 1, range.value.get());
        expr(depth + 1, range.lo.get());
        return expr(depth + 1, range.hi.get());
      }
      case ExprKind::kConvert: {
        const auto& convert = *as<ConvertExpr>(e);
        line(depth, "convert to " + unit_text(convert.unit.get()));
        return expr(depth + 1, convert.value.get());
      }
      case ExprKind::kAsk:
        return ask(depth, *as<AskExpr>(e));
      case ExprKind::kError:
        return line(depth, "error");
    }
  }

  void string(int depth, const StringExpr* s) {
    line(depth, "string " + quoted(s->value));
    interpolations(depth + 1, s);
  }

  void interpolations(int depth, const StringExpr* s) {
    if (s == nullptr) return;
    for (const auto& interpolation : s->interpolations) {
      line(depth, "interpolation " + interpolation.path.text());
    }
  }

  void ask(int depth, const AskExpr& a) {
    std::string text = a.role ? "ask role " + a.role->name : std::string("ask operator");
    text += " " + (a.prompt ? quoted(a.prompt->value) : "<missing>");
    text += " as " + unit_text(a.answer_type.get());
    if (a.of) text += " of " + a.of->text();
    line(depth, text);
    interpolations(depth + 1, a.prompt.get());
    if (a.lo || a.hi) {
      line(depth + 1, "range");
      expr(depth + 2, a.lo.get());
      expr(depth + 2, a.hi.get());
    }
    timeout(depth + 1, a.timeout);
  }

  std::string out_;
};

}  // namespace

std::string dump(const Module& module) { return Dumper().run(module); }

}  // namespace gemba::ast
