#include "compiler/specialize/print_program.h"

#include "compiler/ast/dump.h"
#include "compiler/specialize/printer.h"

namespace gemba::specialize {
namespace {

class ProgramPrinter {
 public:
  explicit ProgramPrinter(const Specialization& s)
      : s_(s),
        p_(
            *s.program, s.plant, [&s](const ast::Expr* e) { return s.constant(e); },
            [&s](const sema::Symbol* param) -> const sema::Value* {
              for (const ParamValue& p : s.params) {
                if (p.param == param) return &p.value;
              }
              return nullptr;
            }) {}

  std::string run() {
    header();
    for (const ParamValue& param : s_.params) {
      line(0, "param " + param.param->name + " = " + p_.value(param.value) + ";  // " +
                  (param.from_plant ? "set by the plant" : "the template's default"));
    }
    if (!s_.params.empty()) out_ += '\n';
    for (const SpecializedProcedure& proc : s_.procedures) procedure(proc);
    for (const RuleInstance& rule : s_.rules) top_level_rule(rule);
    if (!s_.rules.empty()) out_ += '\n';
    for (const ast::Decl* decl : s_.others) other(*decl);
    return std::move(out_);
  }

 private:
  void line(int depth, const std::string& text) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  void header() {
    const plant::PlantModel& plant = *s_.plant;
    const auto& module = s_.program->modules()[s_.module];
    line(0, "// template " + module.name + " specialized for plant " + plant.name +
                (plant.title.empty() ? "" : " " + ast::quoted(plant.title)));
    std::string units;
    for (const auto& unit : plant.units) units += (units.empty() ? "" : ", ") + unit.name();
    line(0, "// time zone " + (plant.timezone.empty() ? "?" : plant.timezone) +
                (units.empty() ? "" : "; works in " + units));
    out_ += '\n';
  }

  void procedure(const SpecializedProcedure& proc) {
    const ast::ProcedureDecl& d = *proc.decl;
    std::string params;
    for (const auto& param : d.params) {
      params += (params.empty() ? "" : ", ") + param.name.name + ": " + p_.type(param.type.get());
    }
    line(0, "procedure " + d.name.name + "(" + params + ")");
    for (const BoundUse& use : proc.uses) {
      std::string target = use.instance ? use.instance->path : "<unbound>";
      line(2, "uses " + use.use->name.name + " = " + target + " (" + use.use->equipment_class.name +
                  (use.explicit_binding ? ", bound by the plant" : "") + ")");
      if (use.residual) line(3, "requires " + p_.expr(use.residual) + "  // checked at start");
    }
    line(0, "{");
    for (const auto& limit : d.limits) limit_rule(1, *limit, "");
    for (const auto& collect : d.collects)
      collect_rule(1, *collect, "", source_of(proc, collect->signal));
    for (const auto& step : d.steps) {
      line(1, "step " + p_.string_literal(step.name.get()) + " {");
      block(2, step.body);
      line(1, "}");
    }
    for (const auto& handler : d.handlers) {
      line(1, std::string("on ") + ast::spelling(handler.kind) + " {");
      block(2, handler.body);
      line(1, "}");
    }
    line(0, "}");
    out_ += '\n';
  }

  std::string source_of(const SpecializedProcedure& proc, const ast::Path& path) const {
    if (path.parts.size() < 2) return "";
    for (const BoundUse& use : proc.uses) {
      if (use.instance && use.use->name.name == path.parts[0].name) {
        auto it = use.instance->sources.find(path.parts[1].name);
        if (it != use.instance->sources.end()) return it->second;
      }
    }
    return "";
  }

  void top_level_rule(const RuleInstance& rule) {
    const std::string& name = rule.instance->name;
    if (auto* limit = ast::as<ast::LimitDecl>(rule.decl)) {
      limit_rule(0, *limit, name);
    } else if (auto* collect = ast::as<ast::CollectDecl>(rule.decl)) {
      auto it = rule.instance->sources.find(collect->signal.parts.back().name);
      collect_rule(0, *collect, name, it == rule.instance->sources.end() ? "" : it->second);
    }
  }

  static std::string subject(const ast::Path& path, const std::string& instance) {
    if (instance.empty() || path.parts.size() < 2) return path.text();
    return instance + "." + path.parts[1].name;
  }

  void limit_rule(int depth, const ast::LimitDecl& l, const std::string& instance) {
    std::string text = "limit " + subject(l.subject, instance) + " in " + p_.expr(l.lo.get()) +
                       " .. " + p_.expr(l.hi.get());
    if (!l.has_reaction) return line(depth, text + ";");
    line(depth, text + " on violation {");
    block(depth + 1, l.on_violation);
    line(depth, "}");
  }

  void collect_rule(int depth, const ast::CollectDecl& c, const std::string& instance,
                    const std::string& source) {
    std::string text =
        "collect " + subject(c.signal, instance) + " every " + p_.expr(c.period.get());
    if (c.deadband) text += " deadband " + p_.expr(c.deadband.get());
    if (c.valid_lo)
      text += " valid " + p_.expr(c.valid_lo.get()) + " .. " + p_.expr(c.valid_hi.get());
    line(depth, text + ";" + (source.empty() ? "" : "  // from " + source));
  }

  void other(const ast::Decl& decl) {
    if (auto* f = ast::as<ast::FunctionDecl>(&decl)) {
      if (!f->body) return;
      line(0, "function " + f->name.name + "(" + params(f->params) +
                  "): " + p_.type(f->result.get()) + " = " + p_.expr(f->body.get()) + ";");
    } else if (auto* k = ast::as<ast::KpiDecl>(&decl)) {
      std::string window;
      if (k->window_name) window = " over " + k->window_name->name;
      if (k->window_last) window = " over last " + p_.expr(k->window_last.get());
      line(0, "kpi " + k->name.name + "(" + params(k->params) + ")" +
                  (k->result ? ": " + p_.type(k->result.get()) : "") + window + " = " +
                  p_.expr(k->body.get()) + ";");
    }
  }

  std::string params(const std::vector<ast::Param>& list) const {
    std::string out;
    for (const auto& param : list) {
      out += (out.empty() ? "" : ", ") + param.name.name + ": " + p_.type(param.type.get());
    }
    return out;
  }

  void block(int depth, const ast::Block& body) {
    for (const auto& stmt : body) {
      if (stmt) statement(depth, *stmt);
    }
  }

  std::string timeout(const ast::Timeout& t) {
    std::string out;
    if (t.within) out += " within " + p_.expr(t.within.get());
    if (t.otherwise) out += " otherwise " + reaction(*t.otherwise);
    if (t.has_otherwise_block) out += " otherwise {";
    return out;
  }

  std::string ask(const ast::AskExpr& a) {
    std::string out = "ask " + (a.role ? "role " + a.role->name : std::string("operator")) + " " +
                      p_.string_literal(a.prompt.get()) + " as " + p_.type(a.answer_type.get());
    if (a.of) out += " of " + a.of->text();
    if (a.lo) out += " in " + p_.expr(a.lo.get()) + " .. " + p_.expr(a.hi.get());
    return out + timeout(a.timeout);
  }

  // A statement's last line: `;`, or ` otherwise {` opening a timeout block.
  static std::string end_of(const ast::Timeout* t) {
    return t != nullptr && t->has_otherwise_block ? "" : ";";
  }
  static const ast::Timeout* timeout_of(const ast::Expr* e) {
    auto* a = ast::as<ast::AskExpr>(e);
    return a ? &a->timeout : nullptr;
  }

  std::string value_or_ask(const ast::Expr* e) {
    if (auto* a = ast::as<ast::AskExpr>(e)) return ask(*a);
    return p_.expr(e);
  }

  std::string reaction(const ast::Stmt& stmt) {
    if (auto* e = ast::as<ast::EscalateStmt>(&stmt)) {
      return "escalate " + p_.string_literal(e->message.get()) +
             (e->role ? " to role " + e->role->name : "");
    }
    auto* h = static_cast<const ast::HoldAbortStmt*>(&stmt);
    std::string word = stmt.kind == ast::StmtKind::kHold ? "hold" : "abort";
    return word + (h->reason ? " " + p_.string_literal(h->reason.get()) : "");
  }

  void timeout_block(int depth, const ast::Timeout& t) {
    if (!t.has_otherwise_block) return;
    block(depth + 1, t.otherwise_block);
    line(depth, "}");
  }

  void statement(int depth, const ast::Stmt& stmt) {
    switch (stmt.kind) {
      case ast::StmtKind::kLet: {
        const auto& s = static_cast<const ast::LetStmt&>(stmt);
        std::string type = s.type ? ": " + p_.type(s.type.get()) : "";
        const ast::Timeout* t = timeout_of(s.init.get());
        line(depth, std::string(s.is_var ? "var " : "let ") + s.name.name + type + " = " +
                        value_or_ask(s.init.get()) + end_of(t));
        if (t) timeout_block(depth, *t);
        return;
      }
      case ast::StmtKind::kAssign: {
        const auto& s = static_cast<const ast::AssignStmt&>(stmt);
        return line(depth, s.target.name + " = " + p_.expr(s.value.get()) + ";");
      }
      case ast::StmtKind::kIf: {
        const auto* s = static_cast<const ast::IfStmt*>(&stmt);
        line(depth, "if " + p_.expr(s->condition.get()) + " {");
        for (;;) {
          block(depth + 1, s->then_block);
          if (!s->has_else) break;
          // `else if`: an else block holding exactly one if statement.
          const auto* chained =
              s->else_block.size() == 1 ? ast::as<ast::IfStmt>(s->else_block[0].get()) : nullptr;
          if (chained == nullptr) {
            line(depth, "} else {");
            block(depth + 1, s->else_block);
            break;
          }
          s = chained;
          line(depth, "} else if " + p_.expr(s->condition.get()) + " {");
        }
        return line(depth, "}");
      }
      case ast::StmtKind::kRepeat: {
        const auto& s = static_cast<const ast::RepeatStmt&>(stmt);
        line(depth, "repeat " + p_.expr(s.count.get()) + " times {");
        block(depth + 1, s.body);
        return line(depth, "}");
      }
      case ast::StmtKind::kFor: {
        const auto& s = static_cast<const ast::ForStmt&>(stmt);
        line(depth, "for " + s.var.name + " in " + p_.expr(s.lo.get()) + " .. " +
                        p_.expr(s.hi.get()) + " {");
        block(depth + 1, s.body);
        return line(depth, "}");
      }
      case ast::StmtKind::kAsk: {
        const auto& s = static_cast<const ast::AskStmt&>(stmt);
        const ast::Timeout* t = timeout_of(s.ask.get());
        line(depth, value_or_ask(s.ask.get()) + end_of(t));
        if (t) timeout_block(depth, *t);
        return;
      }
      case ast::StmtKind::kAwait: {
        const auto& s = static_cast<const ast::AwaitStmt&>(stmt);
        line(depth,
             "await " + p_.expr(s.condition.get()) + timeout(s.timeout) + end_of(&s.timeout));
        return timeout_block(depth, s.timeout);
      }
      case ast::StmtKind::kCommand:
        return line(
            depth,
            "command " + p_.expr(static_cast<const ast::CommandStmt&>(stmt).call.get()) + ";");
      case ast::StmtKind::kSign: {
        const auto& s = static_cast<const ast::SignStmt&>(stmt);
        return line(depth, "sign " + (s.meaning ? p_.string_literal(s.meaning.get()) + " " : "") +
                               "by role " + s.role.name + ";");
      }
      case ast::StmtKind::kWait:
        return line(
            depth, "wait " + p_.expr(static_cast<const ast::WaitStmt&>(stmt).duration.get()) + ";");
      case ast::StmtKind::kConsume:
      case ast::StmtKind::kProduce: {
        const auto& s = static_cast<const ast::MaterialStmt&>(stmt);
        std::string word = stmt.kind == ast::StmtKind::kConsume ? "consume " : "produce ";
        return line(depth, word + p_.expr(s.target.get()) + ", " + p_.expr(s.amount.get()) + ";");
      }
      case ast::StmtKind::kNotify: {
        const auto& s = static_cast<const ast::NotifyStmt&>(stmt);
        return line(depth, "notify role " + s.role.name +
                               (s.message ? " " + p_.string_literal(s.message.get()) : "") + ";");
      }
      case ast::StmtKind::kStart: {
        const auto& s = static_cast<const ast::StartStmt&>(stmt);
        std::string args;
        for (const auto& arg : s.args) {
          args += (args.empty() ? "" : ", ") + (arg.name ? arg.name->name + ": " : "") +
                  p_.expr(arg.value.get());
        }
        return line(depth, "start " + s.procedure.name + "(" + args + ");");
      }
      case ast::StmtKind::kEscalate:
      case ast::StmtKind::kHold:
      case ast::StmtKind::kAbort:
        return line(depth, reaction(stmt) + ";");
    }
  }

  const Specialization& s_;
  Printer p_;
  std::string out_;
};

}  // namespace

std::string print_program(const Specialization& specialization) {
  return ProgramPrinter(specialization).run();
}

}  // namespace gemba::specialize
