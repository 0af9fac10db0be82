#include "compiler/lower/lower_procedure.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "compiler/ast/dump.h"
#include "compiler/lower/function_builder.h"
#include "compiler/lower/value_formats.h"
#include "compiler/sema/symbol.h"
#include "compiler/sema/type.h"

namespace gemba::lower {
namespace {

// Where a statement list runs: what a hold, an abort or a limit violation does while
// the machine waits inside it.
enum class Context { kMain, kReaction, kHoldHandler, kAbortHandler, kCleanup };

class ProcedureLowerer {
 public:
  ProcedureLowerer(const specialize::Specialization& s, const specialize::SpecializedProcedure& p,
                   Module& module, const std::map<const ast::Decl*, std::uint32_t>& callees,
                   const std::function<std::string(std::string)>& unique_name)
      : s_(s),
        facts_(s.program->facts()),
        proc_(*p.decl),
        uses_(p.uses),
        module_(module),
        callees_(callees),
        unique_name_(unique_name),
        formats_(*s.program) {}

  Machine run() {
    m_.name = proc_.name.name;
    m_.span = proc_.span;
    for (const specialize::BoundUse& use : uses_) {
      if (use.residual) unsupported("a `where` clause that depends on the arguments");
    }
    for (const char* fixed : {"$state", "$return", "$hold_return"}) {
      m_.slots.push_back({fixed, Type::kInt, "int", formats_.of(int_type())});
    }
    params();

    not_started_ = new_wait("not started", kNoBlock);
    complete_ = new_wait("complete", kNoBlock);
    aborted_ = new_wait("aborted", kNoBlock);
    m_.waits[complete_].final = m_.waits[aborted_].final = true;
    hold_entry_ = new_block("on hold");
    abort_entry_ = new_block("on abort");
    for (const auto& limit : proc_.limits) {
      m_.limits.push_back(limit->subject.text());
      reactions_.push_back(new_block("on violation of " + limit->subject.text()));
    }

    std::uint32_t start = new_block("start");
    m_.waits[not_started_].on[static_cast<int>(EventKind::kStart)] = start;
    open(start);
    for (const ast::Step& step : proc_.steps) {
      emit(point(PointKind::kStep, step.name.get(), step.span));
      block(step.body, Context::kMain, /*new_scope=*/false);
    }
    finish(complete_, PointKind::kComplete);

    held_ = new_wait("held", kNoBlock);
    handler(ast::Handler::Kind::kHold, hold_entry_, Context::kHoldHandler);
    suspend(held_);
    std::uint32_t restart = new_block("restart");
    open(restart);
    end_jump_slot(kHoldReturnSlot);
    m_.waits[held_].on[static_cast<int>(EventKind::kRestart)] = restart;
    m_.waits[held_].on[static_cast<int>(EventKind::kAbort)] = abort_entry_;

    handler(ast::Handler::Kind::kAbort, abort_entry_, Context::kAbortHandler);
    finish(aborted_, PointKind::kAborted);

    for (std::size_t k = 0; k < proc_.limits.size(); ++k) {
      open(reactions_[k]);
      block(proc_.limits[k]->on_violation, Context::kReaction);
      end_jump_slot(kReturnSlot);
    }
    return std::move(m_);
  }

 private:
  // ---- Frame ------------------------------------------------------------------------

  static std::pair<Type, std::string> slot_type(const sema::Type& type,
                                                const sema::DimensionTable& dimensions) {
    switch (type.kind) {
      case sema::TypeKind::kBool:
        return {Type::kBool, "bool"};
      case sema::TypeKind::kInt:
        return {Type::kInt, "int"};
      case sema::TypeKind::kQuantity:
        return {Type::kReal, sema::describe(type, dimensions)};
      case sema::TypeKind::kMaterial:
        return {Type::kInt, "Material"};
      case sema::TypeKind::kLot:
        return {Type::kInt, "Lot"};
      case sema::TypeKind::kEnum:
        return {Type::kInt, sema::describe(type, dimensions)};
      case sema::TypeKind::kTime:
        return {Type::kReal, "time"};
      default:
        unsupported("a value of type " + sema::describe(type, dimensions));
    }
  }

  // A slot for `name`, shown as `type` says or, when given, as `written` (its declared
  // type as written).
  std::uint32_t new_slot(const ast::Ident& name, const sema::Type& type,
                         const ast::UnitExpr* written = nullptr) {
    auto [lowered, kind] = slot_type(type, s_.program->dimensions());
    m_.slots.push_back({name.name, lowered, kind, format_of(type, written)});
    auto slot = static_cast<std::uint32_t>(m_.slots.size() - 1);
    slots_[key(name.span)] = slot;
    scopes_.back()[name.name] = slot;
    return slot;
  }

  // How a value of `type` is shown; `written`, when given, is the type as declared: a
  // compound of units (`kg / h`, `m^2`) is shown as written, which the type does not name.
  ValueFormat format_of(const sema::Type& type, const ast::UnitExpr* written = nullptr) const {
    return formats_.of(type, written, facts_);
  }


  static sema::Type int_type() {
    sema::Type type;
    type.kind = sema::TypeKind::kInt;
    return type;
  }

  std::uint32_t temp_slot(const std::string& name, Type type) {
    sema::Type shown = type == Type::kBool  ? sema::Type::of(sema::TypeKind::kBool)
                       : type == Type::kInt ? int_type()
                                            : sema::Type::real();
    m_.slots.push_back(
        {"$" + name + std::to_string(m_.slots.size()), type, spelling(type), formats_.of(shown)});
    return static_cast<std::uint32_t>(m_.slots.size() - 1);
  }

  static std::tuple<std::uint32_t, std::size_t> key(diag::Span span) {
    return {span.file, span.begin};
  }

  void params() {
    const sema::Symbol* symbol = s_.program->symbol_of(&proc_);
    if (symbol == nullptr || symbol->params.size() < proc_.params.size()) {
      unsupported("a procedure whose parameters were not checked");
    }
    for (std::size_t k = 0; k < proc_.params.size(); ++k) {
      const sema::Type& type = symbol->params[k].type;
      if (type.kind == sema::TypeKind::kEquipment) continue;  // bound by the plant
      m_.params.push_back(new_slot(proc_.params[k].name, type, proc_.params[k].type.get()));
    }
  }

  const sema::Type& type_of(const ast::Expr* expr) {
    const sema::Type* type = facts_.type_of(expr);
    if (type == nullptr) unsupported("an expression without a type");
    return *type;
  }

  // ---- Expressions ------------------------------------------------------------------

  // A slot or signal an expression reads; nullopt for anything else.
  std::optional<Operand> operand_of(const ast::Expr* expr) {
    if (const auto* call = ast::as<ast::CallExpr>(expr)) {
      const sema::Symbol* callee = facts_.symbol_of(call->callee.get());
      bool now = callee && callee->kind == sema::SymbolKind::kFunction && callee->name == "now" &&
                 call->args.empty() && s_.program->modules()[callee->module].name == "std.time";
      if (now) return Operand{Operand::From::kNow, 0};
      return std::nullopt;
    }
    if (expr->kind == ast::ExprKind::kName) {
      const sema::Symbol* symbol = facts_.symbol_of(expr);
      if (symbol == nullptr || symbol->kind != sema::SymbolKind::kLocal) return std::nullopt;
      auto it = slots_.find(key(symbol->span));
      if (it == slots_.end()) return std::nullopt;
      return Operand{Operand::From::kSlot, it->second};
    }
    if (expr->kind != ast::ExprKind::kMember) return std::nullopt;
    const auto& member = static_cast<const ast::MemberExpr&>(*expr);
    std::optional<Equipment> owner = equipment(member.object.get());
    if (!owner || owner->equipment_class == nullptr) return std::nullopt;
    const sema::MemberInfo* info = owner->equipment_class->find(member.member.name);
    if (info == nullptr || info->kind != ast::ClassMember::Kind::kSignal) return std::nullopt;
    const auto* object = ast::as<ast::NameExpr>(member.object.get());
    std::string written = (object ? object->name.name : std::string("?")) + "." + member.member.name;
    return Operand{Operand::From::kSignal,
                   signal(*owner, member.member.name, written, type_of(expr))};
  }

  // Equipment a procedure names: a `uses` binding (an instance of this plant) or an
  // equipment parameter (an instance the starter passes; `path` is then `$<parameter>`,
  // which the runtime resolves from the start's bindings).
  struct Equipment {
    std::string path;
    const sema::ClassInfo* equipment_class = nullptr;
  };

  std::optional<Equipment> equipment(const ast::Expr* expr) {
    const sema::Symbol* symbol = facts_.symbol_of(expr);
    if (symbol == nullptr || symbol->kind != sema::SymbolKind::kLocal ||
        symbol->type.kind != sema::TypeKind::kEquipment) {
      return std::nullopt;
    }
    if (symbol->local == sema::LocalKind::kParam) {
      return Equipment{"$" + symbol->name, symbol->type.equipment};
    }
    for (const specialize::BoundUse& use : uses_) {
      auto it = facts_.uses.find(use.use);
      if (it != facts_.uses.end() && it->second == symbol && use.instance != nullptr) {
        return Equipment{use.instance->path, use.instance->equipment_class};
      }
    }
    return std::nullopt;
  }

  // The index of signal `member` of `equipment` in the machine's inputs.
  std::uint32_t signal(const Equipment& equipment, const std::string& member,
                       const std::string& written, const sema::Type& type) {
    std::string source = equipment.path + "." + member;
    auto it = signals_.find(source);
    if (it != signals_.end()) return it->second;
    auto lowered = lowered_type(type);
    if (!lowered) unsupported("a signal that is not a number or a truth value");
    const sema::MemberInfo* info =
        equipment.equipment_class ? equipment.equipment_class->find(member) : nullptr;
    const ast::UnitExpr* declared = info ? declared_type(*s_.program, *info) : nullptr;
    m_.signals.push_back({written, source, *lowered, format_of(type, declared)});
    auto index = static_cast<std::uint32_t>(m_.signals.size() - 1);
    signals_[source] = index;
    return index;
  }

  Type lowered(const sema::Type& type) {
    return slot_type(type, s_.program->dimensions()).first;
  }

  // `expr` as a new function of the slots and signals it reads.
  Expression expression(const ast::Expr* expr, Type want) {
    Function f;
    f.entry = false;  // called by the transition only
    f.name = unique_name_(m_.name + "_e");
    f.result = want;
    f.span = expr->span;
    Expression out;
    std::map<std::pair<Operand::From, std::uint32_t>, std::uint32_t> seen;
    FreeValues free = [&](const ast::Expr* e) -> std::optional<std::uint32_t> {
      std::optional<Operand> operand = operand_of(e);
      if (!operand) return std::nullopt;
      auto [it, added] = seen.try_emplace({operand->from, operand->index},
                                          static_cast<std::uint32_t>(f.params.size()));
      if (added) {
        out.operands.push_back(*operand);
        f.params.push_back(operand->from == Operand::From::kSlot     ? m_.slots[operand->index].type
                           : operand->from == Operand::From::kSignal ? m_.signals[operand->index].type
                                                                     : Type::kReal);
      }
      return it->second;
    };
    std::map<const sema::Symbol*, std::uint32_t> none;
    FunctionBuilder builder(s_, f, none, callees_, module_, free);
    // Handles (materials, lots, enums) are ints; they are only copied, never computed.
    std::uint32_t root = builder.expr(expr, want);
    if (f.nodes[root].type != want) unsupported("a value of an unexpected type");
    f.root = root;
    out.function = static_cast<std::uint32_t>(module_.functions.size());
    module_.functions.push_back(std::move(f));
    return out;
  }

  static Node node(Op op, Type type, std::vector<std::uint32_t> args, diag::Span span) {
    Node n;
    n.op = op;
    n.type = type;
    n.args = std::move(args);
    n.span = span;
    return n;
  }

  // An internal function of `nodes` (the last is the root) over `operands`.
  Expression internal(const std::string& stem, std::vector<Operand> operands,
                      std::vector<Type> params, std::vector<Node> nodes, diag::Span span) {
    Function f;
    f.entry = false;  // called by the transition only
    f.name = unique_name_(m_.name + stem);
    f.params = std::move(params);
    f.result = nodes.back().type;
    f.span = span;
    f.root = static_cast<std::uint32_t>(nodes.size() - 1);
    f.nodes = std::move(nodes);
    Expression out{static_cast<std::uint32_t>(module_.functions.size()), std::move(operands)};
    module_.functions.push_back(std::move(f));
    return out;
  }

  // A function returning the slot's value: for interpolations and handles.
  Expression copy_of(Operand operand, Type type, diag::Span span) {
    return internal("_v", {operand}, {type}, {node(Op::kParam, type, {}, span)}, span);
  }

  Expression constant_of(Type type, Scalar value, diag::Span span) {
    Node c = node(Op::kConst, type, {}, span);
    c.value = value;
    return internal("_c", {}, {}, {c}, span);
  }

  // `x + by` (int) over a slot, for loops.
  Expression increment(std::uint32_t slot, std::int64_t by, diag::Span span) {
    Node c = node(Op::kConst, Type::kInt, {}, span);
    c.value.i = by;
    return internal("_step", {{Operand::From::kSlot, slot}}, {Type::kInt},
                    {node(Op::kParam, Type::kInt, {}, span), c,
                     node(Op::kAdd, Type::kInt, {0, 1}, span)},
                    span);
  }

  // `a <= b` (int) over two slots, for `for` loops.
  Expression at_most(std::uint32_t a, std::uint32_t b, diag::Span span) {
    Node y = node(Op::kParam, Type::kInt, {}, span);
    y.index = 1;
    return internal("_le", {{Operand::From::kSlot, a}, {Operand::From::kSlot, b}},
                    {Type::kInt, Type::kInt},
                    {node(Op::kParam, Type::kInt, {}, span), y,
                     node(Op::kLe, Type::kBool, {0, 1}, span)},
                    span);
  }

  // A value a point carries: how to compute it, and how to show it.
  struct PointValue {
    Expression value;
    std::string kind;
    ValueFormat format;
  };

  PointValue point_value(Expression value, const sema::Type& type) {
    return {std::move(value), slot_type(type, s_.program->dimensions()).second, format_of(type)};
  }

  // A `{path}` inside a string: a slot, a signal or a constant of the plant.
  PointValue interpolation(const ast::Interpolation& in) {
    auto found = facts_.interpolations.find(&in);
    const sema::Symbol* symbol = found == facts_.interpolations.end() ? nullptr : found->second;
    if (symbol == nullptr) unsupported("an interpolation that names nothing");
    if (in.path.parts.size() == 1 && symbol->kind == sema::SymbolKind::kLocal) {
      auto it = slots_.find(key(symbol->span));
      if (it == slots_.end()) unsupported("an interpolation of `" + in.path.text() + "`");
      const Slot& slot = m_.slots[it->second];
      return {copy_of({Operand::From::kSlot, it->second}, slot.type, in.path.span), slot.kind,
              slot.format};
    }
    if (in.path.parts.size() == 1 && symbol->kind == sema::SymbolKind::kParam) {
      for (const specialize::ParamValue& p : s_.params) {
        if (p.param != symbol) continue;
        auto value = scalar(p.value);
        if (!value) unsupported("an interpolation of a parameter that is not a number");
        return point_value(constant_of(value->first, value->second, in.path.span), p.value.type);
      }
    }
    if (in.path.parts.size() == 2 && symbol->kind == sema::SymbolKind::kLocal &&
        symbol->type.kind == sema::TypeKind::kEquipment) {
      const std::string& member = in.path.parts[1].name;
      for (const specialize::BoundUse& use : uses_) {
        auto it = facts_.uses.find(use.use);
        if (it == facts_.uses.end() || it->second != symbol || use.instance == nullptr) continue;
        if (auto property = use.instance->properties.find(member);
            property != use.instance->properties.end()) {
          auto value = scalar(property->second);
          if (!value) unsupported("an interpolation of a property that is not a number");
          return point_value(constant_of(value->first, value->second, in.path.span),
                             property->second.type);
        }
      }
      Equipment owner = symbol->local == sema::LocalKind::kParam
                            ? Equipment{"$" + symbol->name, symbol->type.equipment}
                            : Equipment{};
      for (const specialize::BoundUse& use : uses_) {
        auto it = facts_.uses.find(use.use);
        if (it != facts_.uses.end() && it->second == symbol && use.instance != nullptr) {
          owner = Equipment{use.instance->path, use.instance->equipment_class};
        }
      }
      const sema::MemberInfo* info =
          owner.equipment_class ? owner.equipment_class->find(member) : nullptr;
      if (info && info->kind == ast::ClassMember::Kind::kSignal) {
        std::uint32_t index = signal(owner, member, in.path.text(), info->type);
        return point_value(
            copy_of({Operand::From::kSignal, index}, m_.signals[index].type, in.path.span),
            info->type);
      }
    }
    unsupported("an interpolation of `" + in.path.text() + "`");
  }

  // ---- Points -----------------------------------------------------------------------

  // A point whose text is `text` with `{k}` for its interpolations (values 0..n-1).
  std::pair<std::uint32_t, std::vector<Expression>> point(PointKind kind, const ast::StringExpr* text,
                                                          diag::Span span) {
    Point p;
    p.kind = kind;
    p.span = span;
    std::vector<Expression> values;
    if (text != nullptr) {
      std::vector<std::string> replacements;
      for (const ast::Interpolation& in : text->interpolations) {
        if (std::optional<std::string> name = equipment_name(in)) {
          replacements.push_back(*name);
          continue;
        }
        PointValue value = interpolation(in);
        replacements.push_back("{" + std::to_string(values.size()) + "}");
        values.push_back(std::move(value.value));
        p.value_names.push_back(in.path.text());
        p.value_kinds.push_back(std::move(value.kind));
        p.value_formats.push_back(std::move(value.format));
      }
      p.text = replaced(text->value, replacements);
    }
    m_.points.push_back(std::move(p));
    return {static_cast<std::uint32_t>(m_.points.size() - 1), std::move(values)};
  }

  // `{equipment}` names the equipment: the bound instance's path, or `{$param}` for an
  // equipment parameter (the runtime substitutes the instance the starter passed).
  std::optional<std::string> equipment_name(const ast::Interpolation& in) {
    auto found = facts_.interpolations.find(&in);
    if (found == facts_.interpolations.end() || in.path.parts.size() != 1) return std::nullopt;
    const sema::Symbol* symbol = found->second;
    if (symbol == nullptr || symbol->kind != sema::SymbolKind::kLocal ||
        symbol->type.kind != sema::TypeKind::kEquipment) {
      return std::nullopt;
    }
    if (symbol->local == sema::LocalKind::kParam) return "{$" + symbol->name + "}";
    for (const specialize::BoundUse& use : uses_) {
      auto it = facts_.uses.find(use.use);
      if (it != facts_.uses.end() && it->second == symbol && use.instance != nullptr) {
        return use.instance->path;
      }
    }
    return std::nullopt;
  }

  // Each `{path}` of `text` (in order) by its replacement; `{{` and `}}` stay.
  static std::string replaced(const std::string& text, const std::vector<std::string>& with) {
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((text[i] == '{' || text[i] == '}') && i + 1 < text.size() && text[i + 1] == text[i]) {
        out += text.substr(i, 2);
        ++i;
      } else if (text[i] == '{') {
        std::size_t close = text.find('}', i);
        out += next < with.size() ? with[next++] : std::string();
        i = close == std::string::npos ? text.size() : close;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  void add_value(std::pair<std::uint32_t, std::vector<Expression>>& p, const std::string& name,
                 PointValue value) {
    Point& point = m_.points[p.first];
    point.value_names.push_back(name);
    point.value_kinds.push_back(std::move(value.kind));
    point.value_formats.push_back(std::move(value.format));
    p.second.push_back(std::move(value.value));
  }

  // A duration (a timeout, a wait) in seconds, shown as its expression's type says
  // (`10 min`).
  PointValue seconds(const ast::Expr* duration) {
    return {expression(duration, Type::kReal), "s", format_of(type_of(duration))};
  }

  void emit(std::pair<std::uint32_t, std::vector<Expression>> p) {
    if (p.second.size() > kMaxEffectValues) unsupported("more than 8 values in one message");
    Action a;
    a.kind = ActionKind::kEmit;
    a.point = p.first;
    a.values = std::move(p.second);
    current().actions.push_back(std::move(a));
  }

  // ---- Blocks -----------------------------------------------------------------------

  std::uint32_t new_block(std::string label) {
    Block b;
    b.label = std::move(label);
    m_.blocks.push_back(std::move(b));
    return static_cast<std::uint32_t>(m_.blocks.size() - 1);
  }

  std::uint32_t new_wait(std::string label, std::uint32_t point) {
    Wait w;
    w.label = std::move(label);
    w.point = point;
    for (auto& on : w.on) on = kNoBlock;
    m_.waits.push_back(w);
    return static_cast<std::uint32_t>(m_.waits.size() - 1);
  }

  Block& current() { return m_.blocks[current_]; }
  void open(std::uint32_t block) { current_ = block; }

  void set(std::uint32_t slot, Expression value) {
    Action a;
    a.kind = ActionKind::kSet;
    a.slot = slot;
    a.value = std::move(value);
    current().actions.push_back(std::move(a));
  }

  void set_block(std::uint32_t slot, std::uint32_t block) {
    Action a;
    a.kind = ActionKind::kSetBlock;
    a.slot = slot;
    a.block = block;
    current().actions.push_back(std::move(a));
  }

  void end_jump(std::uint32_t target) {
    current().end = EndKind::kJump;
    current().next = target;
  }
  void end_jump_slot(std::uint32_t slot) {
    current().end = EndKind::kJumpSlot;
    current().slot = slot;
  }
  void suspend(std::uint32_t wait) {
    current().end = EndKind::kSuspend;
    current().wait = wait;
  }

  // Ends the current block with `jump next` and continues in `next`.
  void continue_in(std::uint32_t next) {
    end_jump(next);
    open(next);
  }

  // After an abort: statements that follow are never run; they go to a block nothing
  // reaches (sema warns about them).
  void unreachable() { open(new_block("unreachable")); }

  void finish(std::uint32_t wait, PointKind kind) {
    handler(ast::Handler::Kind::kCleanup, kNoBlock, Context::kCleanup);
    emit(point(kind, nullptr, proc_.span));
    suspend(wait);
  }

  // The handler's body, from `entry` (or the current block when kNoBlock); falls through
  // in the current block.
  void handler(ast::Handler::Kind kind, std::uint32_t entry, Context context) {
    if (entry != kNoBlock) open(entry);
    for (const ast::Handler& h : proc_.handlers) {
      if (h.kind == kind) block(h.body, context);
    }
  }

  // The events a wait takes besides its own completion, by the context it is in.
  void interruptions(std::uint32_t wait, std::uint32_t reenter, std::uint32_t rewait,
                     Context context) {
    Wait& w = m_.waits[wait];
    auto on = [&](EventKind e) -> std::uint32_t& { return w.on[static_cast<int>(e)]; };
    on(EventKind::kSignal) = rewait;
    if (context == Context::kMain || context == Context::kReaction) {
      std::uint32_t hold = new_block("hold at " + w.label);
      m_.blocks[hold].actions.push_back({ActionKind::kSetBlock, kHoldReturnSlot, reenter, 0, {}, {}});
      m_.blocks[hold].end = EndKind::kJump;
      m_.blocks[hold].next = hold_entry_;
      on(EventKind::kHold) = hold;
    }
    if (context == Context::kMain) {
      std::uint32_t limit = new_block("limit at " + w.label);
      m_.blocks[limit].actions.push_back({ActionKind::kSetBlock, kReturnSlot, rewait, 0, {}, {}});
      m_.blocks[limit].end = EndKind::kJumpEvent;
      m_.blocks[limit].targets = reactions_;
      on(EventKind::kLimit) = limit;
    } else {
      on(EventKind::kLimit) = rewait;  // limits are not reacted to inside handlers
    }
    if (context != Context::kAbortHandler && context != Context::kCleanup) {
      on(EventKind::kAbort) = abort_entry_;
    }
  }

  // Emits `p` and suspends in a new wait; returns {wait, block that re-enters it (emits
  // again), block that waits again silently}. The current block is left ended.
  struct Suspension {
    std::uint32_t wait, reenter, rewait;
  };
  // `reenter` (when not kNoBlock) replaces the block a restart resumes at.
  Suspension suspension(std::pair<std::uint32_t, std::vector<Expression>> p,
                        const std::string& label, Context context,
                        std::uint32_t restart_at = kNoBlock) {
    std::uint32_t reenter = new_block(label);
    continue_in(reenter);
    std::uint32_t point_index = p.first;
    emit(std::move(p));
    std::uint32_t wait = new_wait(label, point_index);
    suspend(wait);
    std::uint32_t rewait = new_block(label + " (again)");
    m_.blocks[rewait].end = EndKind::kSuspend;
    m_.blocks[rewait].wait = wait;
    interruptions(wait, restart_at == kNoBlock ? reenter : restart_at, rewait, context);
    return {wait, reenter, rewait};
  }

  // `within d otherwise ...`: the timeout's value, and what the timeout event runs.
  void timeout_value(const ast::Timeout& t, std::pair<std::uint32_t, std::vector<Expression>>& p) {
    if (!t.within) return;
    m_.points[p.first].has_timeout = true;
    add_value(p, "timeout", seconds(t.within.get()));
  }

  void timeout_reaction(const ast::Timeout& t, const Suspension& s, Context context) {
    if (!t.within) return;
    std::uint32_t react = new_block(m_.waits[s.wait].label + " timed out");
    m_.waits[s.wait].on[static_cast<int>(EventKind::kTimeout)] = react;
    std::uint32_t saved = current_;
    open(react);
    if (t.otherwise) statement(*t.otherwise, context);
    if (t.has_otherwise_block) block(t.otherwise_block, context);
    end_jump(s.rewait);
    open(saved);
  }

  // Where the machine continues after a suspension completes.
  std::uint32_t resume_after(const Suspension& s) {
    std::uint32_t next = new_block(m_.waits[s.wait].label + " done");
    m_.waits[s.wait].on[static_cast<int>(EventKind::kDone)] = next;
    open(next);
    return next;
  }

  // ---- Statements -------------------------------------------------------------------

  // A step's names stay visible in the steps after it (as in sema); other blocks scope.
  void block(const ast::Block& body, Context context, bool new_scope = true) {
    if (new_scope) scopes_.emplace_back();
    for (const auto& stmt : body) statement(*stmt, context);
    if (new_scope) scopes_.pop_back();
  }

  void statement(const ast::Stmt& stmt, Context context) {
    using K = ast::StmtKind;
    switch (stmt.kind) {
      case K::kLet: {
        const auto& let = static_cast<const ast::LetStmt&>(stmt);
        const sema::Type* declared =
            let.type && facts_.written_types.count(let.type.get())
                ? &facts_.written_types.at(let.type.get())
                : nullptr;
        if (auto* ask = ast::as<ast::AskExpr>(let.init.get())) {
          std::uint32_t slot = declared
                                   ? new_slot(let.name, *declared, let.type.get())
                                   : new_slot(let.name, answer_type(*ask), ask->answer_type.get());
          return this->ask(*ask, slot, context);
        }
        const sema::Type& type = declared ? *declared : type_of(let.init.get());
        Expression value = expression(let.init.get(), lowered(type));
        return set(new_slot(let.name, type, declared ? let.type.get() : nullptr), std::move(value));
      }
      case K::kAssign: {
        const auto& assign = static_cast<const ast::AssignStmt&>(stmt);
        std::optional<std::uint32_t> slot = visible(assign.target.name);
        if (!slot) unsupported("an assignment to `" + assign.target.name + "`");
        return set(*slot, expression(assign.value.get(), m_.slots[*slot].type));
      }
      case K::kIf:
        return if_statement(static_cast<const ast::IfStmt&>(stmt), context);
      case K::kRepeat:
        return repeat(static_cast<const ast::RepeatStmt&>(stmt), context);
      case K::kFor:
        return for_loop(static_cast<const ast::ForStmt&>(stmt), context);
      case K::kAsk:
        return ask(static_cast<const ast::AskExpr&>(*static_cast<const ast::AskStmt&>(stmt).ask),
                   kNoBlock, context);
      case K::kAwait:
        return await(static_cast<const ast::AwaitStmt&>(stmt), context);
      case K::kCommand:
        return command(static_cast<const ast::CommandStmt&>(stmt), context);
      case K::kSign: {
        const auto& sign = static_cast<const ast::SignStmt&>(stmt);
        auto p = point(PointKind::kSign, sign.meaning.get(), sign.span);
        m_.points[p.first].role = sign.role.name;
        resume_after(suspension(std::move(p), "sign", context));
        return;
      }
      case K::kWait: {
        const auto& wait = static_cast<const ast::WaitStmt&>(stmt);
        auto p = point(PointKind::kWait, nullptr, wait.span);
        add_value(p, "duration", seconds(wait.duration.get()));
        resume_after(suspension(std::move(p), "wait", context));
        return;
      }
      case K::kConsume:
      case K::kProduce: {
        const auto& m = static_cast<const ast::MaterialStmt&>(stmt);
        auto p = point(stmt.kind == K::kConsume ? PointKind::kConsume : PointKind::kProduce,
                       nullptr, m.span);
        const sema::Type& target = type_of(m.target.get());
        add_value(p, stmt.kind == K::kConsume ? "lot" : "material",
                  point_value(expression(m.target.get(), Type::kInt), target));
        const sema::Type& amount = type_of(m.amount.get());
        add_value(p, "amount", point_value(expression(m.amount.get(), lowered(amount)), amount));
        return emit(std::move(p));
      }
      case K::kNotify: {
        const auto& n = static_cast<const ast::NotifyStmt&>(stmt);
        auto p = point(PointKind::kNotify, n.message.get(), n.span);
        m_.points[p.first].role = n.role.name;
        return emit(std::move(p));
      }
      case K::kEscalate: {
        const auto& e = static_cast<const ast::EscalateStmt&>(stmt);
        auto p = point(PointKind::kEscalate, e.message.get(), e.span);
        if (e.role) m_.points[p.first].role = e.role->name;
        return emit(std::move(p));
      }
      case K::kStart:
        return start(static_cast<const ast::StartStmt&>(stmt));
      case K::kHold: {
        const auto& h = static_cast<const ast::HoldAbortStmt&>(stmt);
        if (context == Context::kHoldHandler || context == Context::kAbortHandler ||
            context == Context::kCleanup) {
          unsupported("a hold inside an `on hold`, `on abort` or `on cleanup` handler");
        }
        emit(point(PointKind::kHold, h.reason.get(), h.span));
        std::uint32_t after = new_block("after hold");
        set_block(kHoldReturnSlot, after);
        end_jump(hold_entry_);
        open(after);
        return;
      }
      case K::kAbort: {
        const auto& a = static_cast<const ast::HoldAbortStmt&>(stmt);
        if (context == Context::kAbortHandler || context == Context::kCleanup) {
          unsupported("an abort inside an `on abort` or `on cleanup` handler");
        }
        emit(point(PointKind::kAbort, a.reason.get(), a.span));
        end_jump(abort_entry_);
        unreachable();
        return;
      }
    }
    unsupported("a statement of a kind not lowered yet");
  }

  // The slot a name denotes where the statement being lowered is (innermost scope first).
  std::optional<std::uint32_t> visible(const std::string& name) const {
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      if (auto it = scope->find(name); it != scope->end()) return it->second;
    }
    return std::nullopt;
  }

  void if_statement(const ast::IfStmt& s, Context context) {
    std::uint32_t then_block = new_block("then");
    std::uint32_t else_block = new_block("else");
    std::uint32_t join = new_block("end if");
    current().end = EndKind::kBranch;
    current().condition = expression(s.condition.get(), Type::kBool);
    current().next = then_block;
    current().other = else_block;
    open(then_block);
    block(s.then_block, context);
    end_jump(join);
    open(else_block);
    block(s.else_block, context);
    end_jump(join);
    open(join);
  }

  void repeat(const ast::RepeatStmt& s, Context context) {
    std::uint32_t counter = temp_slot("repeat", Type::kInt);
    std::uint32_t limit = temp_slot("times", Type::kInt);
    set(counter, constant_of(Type::kInt, Scalar{.i = 1}, s.span));
    set(limit, expression(s.count.get(), Type::kInt));
    loop(counter, limit, s.body, s.span, context);
  }

  void for_loop(const ast::ForStmt& s, Context context) {
    std::uint32_t var = new_slot(s.var, int_type());
    std::uint32_t limit = temp_slot("hi", Type::kInt);
    set(var, expression(s.lo.get(), Type::kInt));
    set(limit, expression(s.hi.get(), Type::kInt));
    loop(var, limit, s.body, s.span, context);
  }

  // while (counter <= limit) { body; counter += 1 }
  void loop(std::uint32_t counter, std::uint32_t limit, const ast::Block& body, diag::Span span,
            Context context) {
    std::uint32_t head = new_block("loop");
    std::uint32_t inner = new_block("loop body");
    std::uint32_t exit = new_block("end loop");
    continue_in(head);
    current().end = EndKind::kBranch;
    current().condition = at_most(counter, limit, span);
    current().next = inner;
    current().other = exit;
    open(inner);
    block(body, context);
    set(counter, increment(counter, 1, span));
    end_jump(head);
    open(exit);
  }

  const sema::Type& answer_type(const ast::AskExpr& a) {
    auto it = a.answer_type ? facts_.written_types.find(a.answer_type.get())
                            : facts_.written_types.end();
    if (it == facts_.written_types.end()) unsupported("an ask without an answer type");
    return it->second;
  }

  // `ask ...`: the answer goes to `slot` (kNoBlock: a confirmation, not kept).
  void ask(const ast::AskExpr& a, std::uint32_t slot, Context context) {
    auto p = point(PointKind::kAsk, a.prompt.get(), a.span);
    Point& point = m_.points[p.first];
    point.role = a.role ? a.role->name : "operator";
    const sema::Type& answer = answer_type(a);
    point.answer_kind = slot_type(answer, s_.program->dimensions()).second;
    point.answer = format_of(answer, a.answer_type.get());
    if (a.of) {  // `as Lot of product`: the material the lot must be of
      std::optional<std::uint32_t> material = visible(a.of->parts.front().name);
      if (!material || a.of->parts.size() != 1) unsupported("`of` a path that is not a material");
      add_value(p, "of",
                {copy_of({Operand::From::kSlot, *material}, Type::kInt, a.of->span), "Material",
                 m_.slots[*material].format});
    }
    if (a.lo && a.hi) {
      // The range is shown as the answer is: `800 cP .. 1200 cP`.
      Point& ranged = m_.points[p.first];
      ranged.has_range = true;
      Type type = lowered(answer);
      PointValue lo{expression(a.lo.get(), type), ranged.answer_kind, ranged.answer};
      PointValue hi{expression(a.hi.get(), type), ranged.answer_kind, ranged.answer};
      add_value(p, "lo", std::move(lo));
      add_value(p, "hi", std::move(hi));
    }
    timeout_value(a.timeout, p);
    Suspension s = suspension(std::move(p), "ask", context);
    timeout_reaction(a.timeout, s, context);
    resume_after(s);
    if (slot != kNoBlock) {
      Action a2;
      a2.kind = ActionKind::kSetEvent;
      a2.slot = slot;
      current().actions.push_back(std::move(a2));
    }
  }

  void await(const ast::AwaitStmt& a, Context context) {
    Expression condition = expression(a.condition.get(), Type::kBool);
    auto p = point(PointKind::kAwait, nullptr, a.span);
    timeout_value(a.timeout, p);
    std::uint32_t check = new_block("await");
    continue_in(check);
    std::uint32_t pending = new_block("await pending");
    std::uint32_t done = new_block("await done");
    current().end = EndKind::kBranch;
    current().condition = condition;
    current().next = done;
    current().other = pending;
    open(pending);
    // Restarted, it checks the condition again before waiting.
    Suspension s = suspension(std::move(p), "await", context, check);
    std::uint32_t recheck = new_block("await signal");
    m_.blocks[recheck].end = EndKind::kBranch;
    m_.blocks[recheck].condition = std::move(condition);
    m_.blocks[recheck].next = done;
    m_.blocks[recheck].other = s.rewait;
    m_.waits[s.wait].on[static_cast<int>(EventKind::kSignal)] = recheck;
    timeout_reaction(a.timeout, s, context);
    open(done);
  }

  void command(const ast::CommandStmt& c, Context context) {
    const auto* call = ast::as<ast::CallExpr>(c.call.get());
    const auto* member = call ? ast::as<ast::MemberExpr>(call->callee.get()) : nullptr;
    std::optional<Equipment> owner = member ? equipment(member->object.get()) : std::nullopt;
    if (!owner || owner->equipment_class == nullptr) {
      unsupported("a command that is not `equipment.command(...)`");
    }
    const sema::MemberInfo* info = owner->equipment_class->find(member->member.name);
    if (info == nullptr || info->kind != ast::ClassMember::Kind::kCommand) {
      unsupported("a command the class does not declare");
    }
    auto p = point(PointKind::kCommand, nullptr, c.span);
    m_.points[p.first].target = owner->path + "." + member->member.name;
    // Values in the command's declared parameter order.
    for (std::size_t k = 0; k < info->params.size(); ++k) {
      const ast::Expr* value = nullptr;
      for (std::size_t i = 0; i < call->args.size(); ++i) {
        const ast::Argument& arg = call->args[i];
        if ((arg.name && arg.name->name == info->params[k].name) || (!arg.name && i == k)) {
          value = arg.value.get();
        }
      }
      if (value == nullptr) unsupported("a command with a missing argument");
      const sema::Type& type = info->params[k].type;
      add_value(p, info->params[k].name, point_value(expression(value, lowered(type)), type));
    }
    resume_after(suspension(std::move(p), "command " + member->member.name, context));
  }

  // The name of parameter `k` of procedure `procedure` of this template, else `arg<k>`.
  std::string parameter_name(const std::string& procedure, std::size_t k) const {
    for (const specialize::SpecializedProcedure& p : s_.procedures) {
      if (p.decl->name.name == procedure && k < p.decl->params.size()) {
        return p.decl->params[k].name.name;
      }
    }
    return "arg" + std::to_string(k);
  }

  void start(const ast::StartStmt& s) {
    auto p = point(PointKind::kStart, nullptr, s.span);
    m_.points[p.first].target = s.procedure.name;
    for (std::size_t k = 0; k < s.args.size(); ++k) {
      const ast::Argument& arg = s.args[k];
      std::string name = arg.name ? arg.name->name : parameter_name(s.procedure.name, k);
      if (std::optional<Equipment> bound = equipment(arg.value.get())) {
        m_.points[p.first].bindings.push_back(name + "=" + bound->path);
        continue;
      }
      const sema::Type& type = type_of(arg.value.get());
      add_value(p, name, point_value(expression(arg.value.get(), lowered(type)), type));
    }
    emit(std::move(p));
  }

  const specialize::Specialization& s_;
  const sema::Facts& facts_;
  const ast::ProcedureDecl& proc_;
  const std::vector<specialize::BoundUse>& uses_;
  Module& module_;
  const std::map<const ast::Decl*, std::uint32_t>& callees_;
  const std::function<std::string(std::string)>& unique_name_;
  Formats formats_;

  Machine m_;
  std::map<std::tuple<std::uint32_t, std::size_t>, std::uint32_t> slots_;  // by declaring span
  std::map<std::string, std::uint32_t> signals_;                           // by source
  std::vector<std::map<std::string, std::uint32_t>> scopes_{1};             // names in scope
  std::vector<std::uint32_t> reactions_;
  std::uint32_t current_ = 0;
  std::uint32_t not_started_ = 0, complete_ = 0, aborted_ = 0, held_ = 0;
  std::uint32_t hold_entry_ = 0, abort_entry_ = 0;
};

}  // namespace

Machine lower_procedure(const specialize::Specialization& s,
                        const specialize::SpecializedProcedure& procedure, Module& module,
                        const std::map<const ast::Decl*, std::uint32_t>& callees,
                        const std::function<std::string(std::string)>& unique_name) {
  return ProcedureLowerer(s, procedure, module, callees, unique_name).run();
}

}  // namespace gemba::lower
