// ast::dump on trees built by hand, so the format is pinned independently of the parser.
#include "compiler/ast/dump.h"

#include <gtest/gtest.h>

namespace gemba::ast {
namespace {

Ident id(std::string name) { return {std::move(name), {}}; }

Own<UnitExpr> unit(std::string name, int exponent = 1, bool delta = false) {
  auto out = std::make_unique<UnitExpr>();
  out->kind = UnitExpr::Kind::kName;
  out->name = id(std::move(name));
  out->exponent = exponent;
  out->delta = delta;
  return out;
}

Own<UnitExpr> unit_number(std::string text) {
  auto out = std::make_unique<UnitExpr>();
  out->kind = UnitExpr::Kind::kNumber;
  out->number = std::move(text);
  return out;
}

Own<UnitExpr> unit_op(UnitExpr::Kind kind, Own<UnitExpr> lhs, Own<UnitExpr> rhs) {
  auto out = std::make_unique<UnitExpr>();
  out->kind = kind;
  out->lhs = std::move(lhs);
  out->rhs = std::move(rhs);
  return out;
}

Own<Expr> number(std::string text, Own<UnitExpr> u = nullptr) {
  auto out = std::make_unique<NumberExpr>(Span{});
  out->text = std::move(text);
  out->unit = std::move(u);
  return out;
}

Own<StringExpr> string(std::string value, std::vector<std::string> interpolations = {}) {
  auto out = std::make_unique<StringExpr>(Span{});
  out->value = std::move(value);
  for (auto& name : interpolations) {
    Path path;
    path.parts.push_back(id(name));
    out->interpolations.push_back({std::move(path)});
  }
  return out;
}

Own<Expr> name(std::string n) {
  auto out = std::make_unique<NameExpr>(Span{});
  out->name = id(std::move(n));
  return out;
}

Own<Expr> binary(BinaryOp op, Own<Expr> lhs, Own<Expr> rhs) {
  auto out = std::make_unique<BinaryExpr>(Span{});
  out->op = op;
  out->lhs = std::move(lhs);
  out->rhs = std::move(rhs);
  return out;
}

Path path(std::vector<std::string> parts) {
  Path out;
  for (auto& part : parts) out.parts.push_back(id(part));
  return out;
}

template <class T>
Own<T> with_span() {
  return std::make_unique<T>(Span{});
}

TEST(DumpTest, EmptyModule) {
  Module m;
  EXPECT_EQ(dump(m), "");
}

TEST(DumpTest, Declarations) {
  Module m;
  m.name = path({"plants", "houston"});
  m.imports.push_back({path({"std", "units"}), {}});

  auto mass = with_span<DimensionDecl>();
  mass->name = id("mass");
  m.decls.push_back(std::move(mass));
  auto force = with_span<DimensionDecl>();
  force->name = id("force");
  force->definition =
      unit_op(UnitExpr::Kind::kDiv, unit_op(UnitExpr::Kind::kMul, unit("mass"), unit("length")),
              unit("duration", 2));
  m.decls.push_back(std::move(force));
  auto kg = with_span<UnitDecl>();
  kg->name = id("kg");
  kg->base_of = id("mass");
  m.decls.push_back(std::move(kg));
  auto degF = with_span<UnitDecl>();
  degF->name = id("degF");
  degF->definition =
      unit_op(UnitExpr::Kind::kMul,
              unit_op(UnitExpr::Kind::kDiv, unit_number("5"), unit_number("9")), unit("K"));
  degF->offset = "-459.67";
  m.decls.push_back(std::move(degF));
  auto grade = with_span<EnumDecl>();
  grade->name = id("Grade");
  grade->members = {id("A"), id("B")};
  m.decls.push_back(std::move(grade));
  auto role = with_span<RoleDecl>();
  role->name = id("supervisor");
  role->title = "Shift \"lead\"";
  m.decls.push_back(std::move(role));

  auto mixer = with_span<EquipmentClassDecl>();
  mixer->name = id("Mixer");
  mixer->base = id("WorkUnit");
  ClassMember capacity;
  capacity.kind = ClassMember::Kind::kProperty;
  capacity.name = id("capacity");
  capacity.type = unit("kg");
  mixer->members.push_back(std::move(capacity));
  ClassMember temperature;
  temperature.kind = ClassMember::Kind::kSignal;
  temperature.name = id("temperature");
  temperature.type = unit("degC", 1, true);
  mixer->members.push_back(std::move(temperature));
  ClassMember start;
  start.kind = ClassMember::Kind::kCommand;
  start.name = id("start");
  start.params.push_back({id("speed"), unit("rpm"), {}, nullptr, nullptr});
  start.params.push_back({id("mode"), nullptr, {}, nullptr, nullptr});
  mixer->members.push_back(std::move(start));
  m.decls.push_back(std::move(mixer));

  auto margin = with_span<FunctionDecl>();
  margin->name = id("margin");
  margin->params.push_back({id("x"), unit("kg"), {}, nullptr, nullptr});
  margin->result = unit("kg");
  margin->body = binary(BinaryOp::kSub, name("x"), number("1", unit("kg")));
  m.decls.push_back(std::move(margin));
  auto now = with_span<FunctionDecl>();
  now->is_builtin = true;
  now->name = id("now");
  now->result = unit("time");
  m.decls.push_back(std::move(now));

  auto availability = with_span<KpiDecl>();
  availability->name = id("availability");
  availability->params.push_back({id("u"), unit("WorkUnit"), {}, nullptr, nullptr});
  availability->result = unit("ratio");
  availability->window_name = id("shift");
  availability->body = name("u");
  m.decls.push_back(std::move(availability));
  auto rolling = with_span<KpiDecl>();
  rolling->name = id("rolling");
  rolling->window_last = number("24", unit("h"));
  rolling->body = std::make_unique<ErrorExpr>(Span{});
  m.decls.push_back(std::move(rolling));

  auto limit = with_span<LimitDecl>();
  limit->subject = path({"line", "pressure"});
  limit->lo = number("1", unit("bar"));
  limit->hi = number("2", unit("bar"));
  m.decls.push_back(std::move(limit));
  auto collect = with_span<CollectDecl>();
  collect->signal = path({"line", "pressure"});
  collect->period = number("500", unit("ms"));
  collect->deadband = number("0.1", unit("bar", 1, true));
  collect->valid_lo = number("0", unit("bar"));
  collect->valid_hi = number("10", unit("bar"));
  m.decls.push_back(std::move(collect));

  EXPECT_EQ(dump(m), R"(module plants.houston
import std.units
dimension mass
dimension force = (mass * length) / duration^2
unit kg: mass
unit degF = (5 / 9) * K offset -459.67
enum Grade: A, B
role supervisor "Shift \"lead\""
equipment class Mixer : WorkUnit
  property capacity: kg
  signal temperature: delta degC
  command start(speed: rpm, mode: <missing>)
function margin
  param x: kg
  result kg
  body
    binary -
      name x
      number 1 kg
builtin function now
  result time
kpi availability
  param u: WorkUnit
  result ratio
  over shift
  body
    name u
kpi rolling
  over last
    number 24 h
  body
    error
limit line.pressure
  number 1 bar
  number 2 bar
collect line.pressure
  every
    number 500 ms
  deadband
    number 0.1 delta bar
  valid
    number 0 bar
    number 10 bar
)");
}

TEST(DumpTest, ProcedureStatementsAndExpressions) {
  Module m;
  auto proc = with_span<ProcedureDecl>();
  proc->name = id("P");
  proc->params.push_back({id("size"), unit("kg"), {}, nullptr, nullptr});
  UseBinding use;
  use.name = id("mixer");
  use.equipment_class = id("Mixer");
  use.constraint = std::make_unique<BoolExpr>(Span{});
  proc->uses.push_back(std::move(use));
  auto limit = with_span<LimitDecl>();
  limit->subject = path({"mixer", "t"});
  limit->lo = number("1");
  limit->hi = nullptr;
  limit->has_reaction = true;
  auto escalate = std::make_unique<EscalateStmt>(Span{});
  escalate->message = string("hot {t}", {"t"});
  escalate->role = id("s");
  limit->on_violation.push_back(std::move(escalate));
  proc->limits.push_back(std::move(limit));

  Step step;
  step.name = string("Heat\n");
  auto let = std::make_unique<LetStmt>(Span{});
  let->is_var = true;
  let->name = id("n");
  let->type = unit("int");
  auto convert = std::make_unique<ConvertExpr>(Span{});
  convert->value = number("10", unit("kg"));
  convert->unit = unit("lb");
  let->init = std::move(convert);
  step.body.push_back(std::move(let));

  auto assign = std::make_unique<AssignStmt>(Span{});
  assign->target = id("n");
  auto negate = std::make_unique<UnaryExpr>(Span{});
  negate->op = UnaryOp::kNegate;
  negate->operand = name("n");
  assign->value = std::move(negate);
  step.body.push_back(std::move(assign));

  auto if_stmt = std::make_unique<IfStmt>(Span{});
  auto range = std::make_unique<InRangeExpr>(Span{});
  range->value = name("n");
  range->lo = number("1");
  range->hi = number("2");
  auto not_expr = std::make_unique<UnaryExpr>(Span{});
  not_expr->op = UnaryOp::kNot;
  not_expr->operand = std::move(range);
  if_stmt->condition = std::move(not_expr);
  auto wait = std::make_unique<WaitStmt>(Span{});
  wait->duration = number("1", unit("s"));
  if_stmt->then_block.push_back(std::move(wait));
  if_stmt->has_else = true;
  auto hold = std::make_unique<HoldAbortStmt>(StmtKind::kHold, Span{});
  hold->reason = string("why");
  if_stmt->else_block.push_back(std::move(hold));
  step.body.push_back(std::move(if_stmt));

  auto repeat = std::make_unique<RepeatStmt>(Span{});
  repeat->count = number("3");
  repeat->body.push_back(std::make_unique<HoldAbortStmt>(StmtKind::kAbort, Span{}));
  step.body.push_back(std::move(repeat));

  auto for_stmt = std::make_unique<ForStmt>(Span{});
  for_stmt->var = id("i");
  for_stmt->lo = number("1");
  for_stmt->hi = name("n");
  step.body.push_back(std::move(for_stmt));

  auto ask = std::make_unique<AskExpr>(Span{});
  ask->role = id("QA");
  ask->prompt = string("Scan {product}", {"product"});
  ask->answer_type = unit("Lot");
  ask->of = path({"product"});
  ask->lo = number("1");
  ask->hi = number("2");
  ask->timeout.within = number("5", unit("min"));
  ask->timeout.has_otherwise_block = true;
  ask->timeout.otherwise_block.push_back(std::make_unique<HoldAbortStmt>(StmtKind::kHold, Span{}));
  auto ask_stmt = std::make_unique<AskStmt>(Span{});
  ask_stmt->ask = std::move(ask);
  step.body.push_back(std::move(ask_stmt));

  auto await = std::make_unique<AwaitStmt>(Span{});
  auto member = std::make_unique<MemberExpr>(Span{});
  member->object = name("mixer");
  member->member = id("ready");
  await->condition = binary(BinaryOp::kAnd, std::move(member), std::make_unique<BoolExpr>(Span{}));
  await->timeout.otherwise = std::make_unique<HoldAbortStmt>(StmtKind::kAbort, Span{});
  step.body.push_back(std::move(await));

  auto command = std::make_unique<CommandStmt>(Span{});
  auto call = std::make_unique<CallExpr>(Span{});
  call->callee = name("start");
  call->args.push_back({id("speed"), number("120", unit("rpm")), {}});
  call->args.push_back({std::nullopt, string("x"), {}});
  command->call = std::move(call);
  step.body.push_back(std::move(command));

  auto sign = std::make_unique<SignStmt>(Span{});
  sign->meaning = string("ok");
  sign->role = id("QA");
  step.body.push_back(std::move(sign));
  auto sign_plain = std::make_unique<SignStmt>(Span{});
  sign_plain->role = id("QA");
  step.body.push_back(std::move(sign_plain));

  auto consume = std::make_unique<MaterialStmt>(StmtKind::kConsume, Span{});
  consume->target = name("lot");
  consume->amount = number("5", unit("kg"));
  step.body.push_back(std::move(consume));
  auto produce = std::make_unique<MaterialStmt>(StmtKind::kProduce, Span{});
  produce->target = name("product");
  produce->amount = binary(BinaryOp::kMul, name("size"), number("0.98"));
  step.body.push_back(std::move(produce));

  auto notify = std::make_unique<NotifyStmt>(Span{});
  notify->role = id("s");
  step.body.push_back(std::move(notify));
  auto start = std::make_unique<StartStmt>(Span{});
  start->procedure = id("Investigate");
  start->args.push_back({std::nullopt, name("mixer"), {}});
  step.body.push_back(std::move(start));
  step.body.push_back(nullptr);
  proc->steps.push_back(std::move(step));

  Handler handler;
  handler.kind = Handler::Kind::kCleanup;
  proc->handlers.push_back(std::move(handler));
  m.decls.push_back(std::move(proc));

  EXPECT_EQ(dump(m), R"(procedure P
  param size: kg
  uses mixer: Mixer
    where
      bool false
  limit mixer.t
    number 1
    <missing>
    on violation
      escalate "hot {t}" to role s
        interpolation t
  step "Heat\n"
    var n: int
      convert to lb
        number 10 kg
    assign n
      unary -
        name n
    if
      unary not
        in-range
          name n
          number 1
          number 2
      then
        wait
          number 1 s
      else
        hold "why"
    repeat
      number 3
      do
        abort
    for i
      number 1
      name n
      do
    ask role QA "Scan {product}" as Lot of product
      interpolation product
      range
        number 1
        number 2
      within
        number 5 min
      otherwise
        hold
    await
      binary and
        member ready
          name mixer
        bool false
      otherwise
        abort
    command
      call
        name start
        arg speed
          number 120 rpm
        arg
          string "x"
    sign "ok" by role QA
    sign by role QA
    consume
      name lot
      number 5 kg
    produce
      name product
      binary *
        name size
        number 0.98
    notify role s
    start Investigate
      arg
        name mixer
    <missing>
  on cleanup
)");
}

TEST(DumpTest, EveryBinaryOperatorSpelling) {
  const BinaryOp ops[] = {BinaryOp::kMul, BinaryOp::kDiv, BinaryOp::kMod, BinaryOp::kAdd,
                          BinaryOp::kSub, BinaryOp::kLt,  BinaryOp::kLe,  BinaryOp::kGt,
                          BinaryOp::kGe,  BinaryOp::kEq,  BinaryOp::kNe,  BinaryOp::kAnd,
                          BinaryOp::kOr};
  std::string expected;
  Module m;
  for (BinaryOp op : ops) {
    auto f = with_span<FunctionDecl>();
    f->name = id("f");
    f->body = binary(op, name("a"), name("b"));
    m.decls.push_back(std::move(f));
    expected += std::string("function f\n  result <missing>\n  body\n    binary ") + spelling(op) +
                "\n      name a\n      name b\n";
  }
  EXPECT_EQ(dump(m), expected);
}

}  // namespace
}  // namespace gemba::ast
