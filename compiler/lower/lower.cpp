#include "compiler/lower/lower.h"

#include "compiler/lower/function_builder.h"
#include "compiler/lower/lower_kpi.h"
#include "compiler/lower/lower_procedure.h"
#include "compiler/lower/value_formats.h"

#include <map>
#include <optional>
#include <set>

namespace gemba::lower {
namespace {

class Lowerer {
 public:
  explicit Lowerer(const specialize::Specialization& s) : s_(s), formats_(*s.program) {}

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
    for (const specialize::SpecializedProcedure& proc : s_.procedures) procedure(proc);
    for (const ast::Decl* decl : s_.others) {
      if (const auto* k = ast::as<ast::KpiDecl>(decl)) kpi(*k);
    }
    for (const specialize::RuleInstance& rule : s_.rules) {
      std::string what = rule.instance->name + "_" + rule_signal(*rule.decl);
      if (auto* l = ast::as<ast::LimitDecl>(rule.decl)) {
        range_check("limit", what, l->lo.get(), l->hi.get(), l->span);
      } else if (auto* c = ast::as<ast::CollectDecl>(rule.decl)) {
        std::string valid;
        if (c->valid_lo) valid = range_check("valid", what, c->valid_lo.get(), c->valid_hi.get(), c->span);
        collect(*c, *rule.instance, valid, what);
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

  // The procedure's machine; on Unsupported, its expression functions are dropped again
  // (they come after every function it may call).
  void procedure(const specialize::SpecializedProcedure& proc) {
    std::size_t functions = out_.module.functions.size();
    std::set<std::string> names = names_;
    try {
      out_.module.machines.push_back(lower_procedure(
          s_, proc, out_.module, callees_, [this](std::string name) { return unique_name(name); }));
    } catch (const Unsupported& u) {
      out_.module.functions.resize(functions);
      names_ = std::move(names);
      out_.skipped.push_back("procedure " + proc.decl->name.name + ": " + u.reason);
    }
  }

  void kpi(const ast::KpiDecl& decl) {
    std::set<std::string> names = names_;
    try {
      out_.module.kpis.push_back(lower_kpi(s_, decl, out_.module, callees_,
                                           [this](std::string name) { return unique_name(name); }));
    } catch (const Unsupported& u) {
      names_ = std::move(names);
      out_.skipped.push_back("kpi " + decl.name.name + ": " + u.reason);
    }
  }

  // The edge's view of a top-level collect rule at one instance; skipped (and said so)
  // when its period or deadband is not constant here or the signal is not a number.
  void collect(const ast::CollectDecl& c, const plant::Instance& instance,
               const std::string& valid, const std::string& what) {
    const std::string& signal = c.signal.parts.back().name;
    const sema::MemberInfo* member =
        instance.equipment_class ? instance.equipment_class->find(signal) : nullptr;
    auto type = member ? lowered_type(member->type) : std::nullopt;
    auto real_of = [&](const ast::Expr* e) -> std::optional<double> {
      const sema::Value* v = e ? s_.constant(e) : nullptr;
      auto x = v ? scalar(*v) : std::nullopt;
      if (!x) return std::nullopt;
      return x->first == Type::kInt ? static_cast<double>(x->second.i) : x->second.r;
    };
    std::optional<double> period = real_of(c.period.get());
    std::optional<double> deadband = c.deadband ? real_of(c.deadband.get()) : 0.0;
    if (!type || !period || !deadband || *period <= 0) {
      out_.skipped.push_back("collect_" + what + ": " +
                             (!type ? "the signal is not a number or a truth value"
                                    : "its period or deadband is not constant at this plant"));
      return;
    }
    Collect out;
    out.instance = instance.name;
    out.signal = signal;
    auto source = instance.sources.find(signal);
    if (source != instance.sources.end()) out.address = source->second;
    out.type = *type;
    out.format =
        formats_.of(member->type, declared_type(*s_.program, *member), s_.program->facts());
    out.period_s = *period;
    out.deadband = *deadband;
    out.span = c.span;
    if (!valid.empty()) {
      out.valid = valid;
      out.valid_lo = real_of(c.valid_lo.get()).value_or(0);
      out.valid_hi = real_of(c.valid_hi.get()).value_or(0);
    }
    out_.module.collects.push_back(std::move(out));
  }

  // `kind_what(value: real): bool` = lo <= value and value <= hi, with folded bounds;
  // returns the function's name, empty when it was skipped.
  std::string range_check(const char* kind, const std::string& what, const ast::Expr* lo,
                   const ast::Expr* hi, diag::Span span) {
    const sema::Value* low = s_.constant(lo);
    const sema::Value* high = s_.constant(hi);
    auto l = low ? scalar(*low) : std::nullopt;
    auto h = high ? scalar(*high) : std::nullopt;
    std::string name = std::string(kind) + "_" + what;
    if (!l || !h) {
      out_.skipped.push_back(name + ": its bounds are not constant at this plant");
      return "";
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
    std::string function = f.name;
    out_.module.functions.push_back(std::move(f));
    return function;
  }

  const specialize::Specialization& s_;
  Formats formats_;
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
