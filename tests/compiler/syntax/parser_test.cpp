#include "compiler/syntax/parser.h"

#include <gtest/gtest.h>

#include "compiler/ast/dump.h"
#include "tests/compiler/syntax/parse_helpers.h"

namespace gemba::syntax {
namespace {

using testing::parse_text;

constexpr const char* kMixBatch = R"(module plants.houston;
import std.isa95;

// A batch of paint, ISA-88 style.
procedure MixBatch(size: kg, product: Material)
    uses mixer: Mixer where mixer.capacity >= size {
  limit mixer.temperature in 60 degC .. 70 degC on violation {
    notify role supervisor "too hot: {mixer.temperature}";
  }
  collect mixer.temperature every 1 s deadband 0.1 delta degC valid -20 degC .. 200 degC;

  step "Heat" {
    command mixer.start(speed: 120 rpm);
    await mixer.temperature >= 65 degC within 30 min otherwise escalate "heating too slow" to role supervisor;
  }
  step "Check" {
    let v = ask operator "Viscosity of {product}" as cP in 800 cP .. 1200 cP within 5 min;
    if v > 1000 cP { wait 2 min; } else if v < 900 cP { hold "too thin"; } else { sign "approval" by role QA; }
  }
  step "Discharge" { produce product, size * 0.98; }
  on abort { abort; }
}
)";

constexpr const char* kMixBatchDump = R"(module plants.houston
import std.isa95
procedure MixBatch
  param size: kg
  param product: Material
  uses mixer: Mixer
    where
      binary >=
        member capacity
          name mixer
        name size
  limit mixer.temperature
    number 60 degC
    number 70 degC
    on violation
      notify role supervisor "too hot: {mixer.temperature}"
        interpolation mixer.temperature
  collect mixer.temperature
    every
      number 1 s
    deadband
      number 0.1 delta degC
    valid
      unary -
        number 20 degC
      number 200 degC
  step "Heat"
    command
      call
        member start
          name mixer
        arg speed
          number 120 rpm
    await
      binary >=
        member temperature
          name mixer
        number 65 degC
      within
        number 30 min
      otherwise
        escalate "heating too slow" to role supervisor
  step "Check"
    let v
      ask operator "Viscosity of {product}" as cP
        interpolation product
        range
          number 800 cP
          number 1200 cP
        within
          number 5 min
    if
      binary >
        name v
        number 1000 cP
      then
        wait
          number 2 min
      else
        if
          binary <
            name v
            number 900 cP
          then
            hold "too thin"
          else
            sign "approval" by role QA
  step "Discharge"
    produce
      name product
      binary *
        name size
        number 0.98
  on abort
    abort
)";

TEST(ParserTest, FullProcedureDumpsAsExpected) {
  auto p = parse_text(kMixBatch);
  EXPECT_EQ(p->messages(), std::vector<std::string>{});
  EXPECT_EQ(ast::dump(*p->module), kMixBatchDump);
}

TEST(ParserTest, SllStageSucceedsOnCorrectInput) {
  auto p = parse_text(kMixBatch);
  EXPECT_FALSE(p->sink.has_errors());
  EXPECT_TRUE(p->stats.parsed);
  EXPECT_FALSE(p->stats.used_ll);
  EXPECT_GT(p->stats.tokens, 100u);
}

TEST(ParserTest, LlStageRunsOnlyWhenSllFails) {
  auto p = parse_text("procedure P() { step \"a\" { let x = 5 } }");
  EXPECT_TRUE(p->stats.used_ll);
  EXPECT_EQ(p->sink.error_count(), 1u);
}

TEST(ParserTest, PublicEntryPointMatchesStatsVariant) {
  diag::SourceFile file("a.gmb", kMixBatch);
  diag::DiagnosticSink sink;
  auto module = parse(file, 7, sink);
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(module->file, 7u);
  EXPECT_FALSE(sink.has_errors());
  EXPECT_EQ(ast::dump(*module), kMixBatchDump);
  ASSERT_EQ(module->decls.size(), 1u);
  EXPECT_EQ(module->decls[0]->span.file, 7u);
}

TEST(ParserTest, FullProcedureTypedFields) {
  auto p = parse_text(kMixBatch);
  const ast::Module& m = *p->module;
  ASSERT_TRUE(m.name.has_value());
  EXPECT_EQ(m.name->text(), "plants.houston");
  ASSERT_EQ(m.imports.size(), 1u);
  EXPECT_EQ(m.imports[0].module.text(), "std.isa95");
  EXPECT_EQ(p->text(m.imports[0].span), "import std.isa95;");

  ASSERT_EQ(m.decls.size(), 1u);
  const auto* proc = ast::as<ast::ProcedureDecl>(m.decls[0].get());
  ASSERT_NE(proc, nullptr);
  EXPECT_EQ(proc->name.name, "MixBatch");
  ASSERT_EQ(proc->params.size(), 2u);
  EXPECT_EQ(proc->params[1].name.name, "product");
  ASSERT_NE(proc->params[1].type, nullptr);
  EXPECT_EQ(proc->params[1].type->kind, ast::UnitExpr::Kind::kName);
  EXPECT_EQ(proc->params[1].type->name.name, "Material");
  EXPECT_EQ(p->text(proc->params[0].span), "size: kg");

  ASSERT_EQ(proc->uses.size(), 1u);
  EXPECT_EQ(proc->uses[0].name.name, "mixer");
  EXPECT_EQ(proc->uses[0].equipment_class.name, "Mixer");
  const auto* where = ast::as<ast::BinaryExpr>(proc->uses[0].constraint.get());
  ASSERT_NE(where, nullptr);
  EXPECT_EQ(where->op, ast::BinaryOp::kGe);
  EXPECT_EQ(p->text(where->op_span), ">=");
  EXPECT_EQ(p->text(where->span), "mixer.capacity >= size");

  ASSERT_EQ(proc->limits.size(), 1u);
  const ast::LimitDecl& limit = *proc->limits[0];
  EXPECT_EQ(limit.subject.text(), "mixer.temperature");
  EXPECT_EQ(p->text(limit.subject.span), "mixer.temperature");
  EXPECT_TRUE(limit.has_reaction);
  ASSERT_EQ(limit.on_violation.size(), 1u);
  const auto* notify = ast::as<ast::NotifyStmt>(limit.on_violation[0].get());
  ASSERT_NE(notify, nullptr);
  EXPECT_EQ(notify->role.name, "supervisor");
  ASSERT_NE(notify->message, nullptr);
  ASSERT_EQ(notify->message->interpolations.size(), 1u);
  EXPECT_EQ(p->text(notify->message->interpolations[0].path.span), "mixer.temperature");

  ASSERT_EQ(proc->collects.size(), 1u);
  const auto* deadband = ast::as<ast::NumberExpr>(proc->collects[0]->deadband.get());
  ASSERT_NE(deadband, nullptr);
  EXPECT_EQ(deadband->text, "0.1");
  EXPECT_FALSE(deadband->is_integer);
  ASSERT_NE(deadband->unit, nullptr);
  EXPECT_TRUE(deadband->unit->delta);
  EXPECT_EQ(deadband->unit->name.name, "degC");
  EXPECT_EQ(p->text(deadband->unit->span), "delta degC");
  const auto* valid_lo = ast::as<ast::UnaryExpr>(proc->collects[0]->valid_lo.get());
  ASSERT_NE(valid_lo, nullptr);
  EXPECT_EQ(valid_lo->op, ast::UnaryOp::kNegate);
  EXPECT_NE(proc->collects[0]->valid_hi, nullptr);

  ASSERT_EQ(proc->steps.size(), 3u);
  EXPECT_EQ(proc->steps[0].name->value, "Heat");
  ASSERT_EQ(proc->steps[0].body.size(), 2u);
  const auto* command = ast::as<ast::CommandStmt>(proc->steps[0].body[0].get());
  ASSERT_NE(command, nullptr);
  const auto* call = ast::as<ast::CallExpr>(command->call.get());
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->args.size(), 1u);
  ASSERT_TRUE(call->args[0].name.has_value());
  EXPECT_EQ(call->args[0].name->name, "speed");
  const auto* callee = ast::as<ast::MemberExpr>(call->callee.get());
  ASSERT_NE(callee, nullptr);
  EXPECT_EQ(callee->member.name, "start");  // a keyword as a member name

  const auto* await = ast::as<ast::AwaitStmt>(proc->steps[0].body[1].get());
  ASSERT_NE(await, nullptr);
  const auto* within = ast::as<ast::NumberExpr>(await->timeout.within.get());
  ASSERT_NE(within, nullptr);
  EXPECT_EQ(within->text, "30");
  EXPECT_TRUE(within->is_integer);
  EXPECT_EQ(within->unit->name.name, "min");
  const auto* escalate = ast::as<ast::EscalateStmt>(await->timeout.otherwise.get());
  ASSERT_NE(escalate, nullptr);
  EXPECT_EQ(escalate->message->value, "heating too slow");
  ASSERT_TRUE(escalate->role.has_value());
  EXPECT_EQ(escalate->role->name, "supervisor");
  EXPECT_EQ(p->text(await->timeout.span),
            "within 30 min otherwise escalate \"heating too slow\" to role supervisor");

  const auto* let = ast::as<ast::LetStmt>(proc->steps[1].body[0].get());
  ASSERT_NE(let, nullptr);
  const auto* ask = ast::as<ast::AskExpr>(let->init.get());
  ASSERT_NE(ask, nullptr);
  EXPECT_FALSE(ask->role.has_value());
  EXPECT_EQ(ask->prompt->value, "Viscosity of {product}");
  EXPECT_EQ(ask->answer_type->name.name, "cP");
  EXPECT_NE(ask->lo, nullptr);
  EXPECT_NE(ask->hi, nullptr);

  const auto* outer_if = ast::as<ast::IfStmt>(proc->steps[1].body[1].get());
  ASSERT_NE(outer_if, nullptr);
  EXPECT_TRUE(outer_if->has_else);
  ASSERT_EQ(outer_if->else_block.size(), 1u);
  const auto* inner_if = ast::as<ast::IfStmt>(outer_if->else_block[0].get());
  ASSERT_NE(inner_if, nullptr);
  EXPECT_TRUE(inner_if->has_else);
  ASSERT_EQ(inner_if->then_block.size(), 1u);
  EXPECT_EQ(inner_if->then_block[0]->kind, ast::StmtKind::kHold);
  EXPECT_EQ(inner_if->else_block[0]->kind, ast::StmtKind::kSign);

  const auto* produce = ast::as<ast::MaterialStmt>(proc->steps[2].body[0].get());
  EXPECT_EQ(produce, nullptr);  // as<> keys on kConsume; produce has its own kind
  ASSERT_EQ(proc->steps[2].body[0]->kind, ast::StmtKind::kProduce);

  ASSERT_EQ(proc->handlers.size(), 1u);
  EXPECT_EQ(proc->handlers[0].kind, ast::Handler::Kind::kAbort);
  ASSERT_EQ(proc->handlers[0].body.size(), 1u);
  EXPECT_EQ(proc->handlers[0].body[0]->kind, ast::StmtKind::kAbort);
}

TEST(ParserTest, SpansAreByteOffsetsAndMapToLineAndColumn) {
  // Multi-byte characters before the code: ANTLR counts code points, spans count bytes.
  auto p = parse_text(
      "// Température — ünits\n"
      "procedure P() {\n"
      "  step \"Äpfel\" { let x = 1 + 2; }\n"
      "}\n");
  ASSERT_FALSE(p->sink.has_errors());
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  ASSERT_NE(proc, nullptr);
  EXPECT_EQ(p->where(proc->span), "2:1");
  EXPECT_EQ(p->text(proc->steps[0].name->span), "\"Äpfel\"");
  const auto* let = ast::as<ast::LetStmt>(proc->steps[0].body[0].get());
  ASSERT_NE(let, nullptr);
  EXPECT_EQ(p->text(let->span), "let x = 1 + 2;");
  EXPECT_EQ(p->where(let->span), "3:18");
  EXPECT_EQ(p->where(let->name.span), "3:22");
  const auto* sum = ast::as<ast::BinaryExpr>(let->init.get());
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(p->text(sum->op_span), "+");
  EXPECT_EQ(p->where(sum->op_span), "3:28");
  EXPECT_EQ(p->text(sum->rhs->span), "2");
  EXPECT_EQ(sum->rhs->span.end - sum->rhs->span.begin, 1u);
}

TEST(ParserTest, Declarations) {
  auto p = parse_text(R"(dimension mass;
dimension force = mass * length / duration^2;
unit kg: mass;
unit in: length;
unit g = 0.001 kg;
unit degF = 5/9 K offset -459.67;
unit N = kg m / s^2;
enum Grade { A, B, start, }
role supervisor "Shift supervisor";
role QA;
equipment class Mixer : WorkUnit {
  property capacity: kg;
  signal temperature: degC;
  command start(speed: rpm, direction: int);
}
function margin(x: kg, y: kg): kg = x - y;
builtin function now(): time;
kpi availability(u: WorkUnit): ratio over shift = APT(u) / PBT(u);
kpi scrap(u: WorkUnit) over last 24 h = u.scrap to kg;
limit line.pressure in 1 bar .. 2 bar;
collect line.pressure every 500 ms;
)");
  EXPECT_EQ(p->messages(), std::vector<std::string>{});
  EXPECT_FALSE(p->stats.used_ll);
  EXPECT_EQ(ast::dump(*p->module), R"(dimension mass
dimension force = (mass * length) / duration^2
unit kg: mass
unit in: length
unit g = 0.001 * kg
unit degF = (5 / 9) * K offset -459.67
unit N = (kg * m) / s^2
enum Grade: A, B, start
role supervisor "Shift supervisor"
role QA
equipment class Mixer : WorkUnit
  property capacity: kg
  signal temperature: degC
  command start(speed: rpm, direction: int)
function margin
  param x: kg
  param y: kg
  result kg
  body
    binary -
      name x
      name y
builtin function now
  result time
kpi availability
  param u: WorkUnit
  result ratio
  over shift
  body
    binary /
      call
        name APT
        arg
          name u
      call
        name PBT
        arg
          name u
kpi scrap
  param u: WorkUnit
  over last
    number 24 h
  body
    convert to kg
      member scrap
        name u
limit line.pressure
  number 1 bar
  number 2 bar
collect line.pressure
  every
    number 500 ms
)");

  const auto& decls = p->module->decls;
  ASSERT_EQ(decls.size(), 17u);
  const auto* degF = ast::as<ast::UnitDecl>(decls[5].get());
  ASSERT_NE(degF, nullptr);
  EXPECT_FALSE(degF->base_of.has_value());
  ASSERT_TRUE(degF->offset.has_value());
  EXPECT_EQ(*degF->offset, "-459.67");
  EXPECT_EQ(p->text(degF->offset_span), "-459.67");
  // `5/9 K` is (5/9)*K: juxtaposition multiplies, left to right.
  const ast::UnitExpr& def = *degF->definition;
  EXPECT_EQ(def.kind, ast::UnitExpr::Kind::kMul);
  EXPECT_EQ(def.lhs->kind, ast::UnitExpr::Kind::kDiv);
  EXPECT_EQ(def.lhs->lhs->number, "5");
  EXPECT_EQ(def.rhs->name.name, "K");
  EXPECT_EQ(p->text(def.span), "5/9 K");

  const auto* inch = ast::as<ast::UnitDecl>(decls[3].get());
  ASSERT_NE(inch, nullptr);
  EXPECT_EQ(inch->name.name, "in");  // `in` is a keyword and the inch
  ASSERT_TRUE(inch->base_of.has_value());
  EXPECT_EQ(inch->base_of->name, "length");
  EXPECT_EQ(inch->definition, nullptr);

  const auto* force = ast::as<ast::DimensionDecl>(decls[1].get());
  ASSERT_NE(force, nullptr);
  EXPECT_EQ(force->definition->rhs->exponent, 2);
  EXPECT_EQ(ast::as<ast::DimensionDecl>(decls[0].get())->definition, nullptr);

  const auto* grade = ast::as<ast::EnumDecl>(decls[7].get());
  ASSERT_NE(grade, nullptr);
  ASSERT_EQ(grade->members.size(), 3u);
  EXPECT_EQ(grade->members[2].name, "start");

  EXPECT_EQ(ast::as<ast::RoleDecl>(decls[8].get())->title, "Shift supervisor");
  EXPECT_EQ(ast::as<ast::RoleDecl>(decls[9].get())->title, "");

  const auto* mixer = ast::as<ast::EquipmentClassDecl>(decls[10].get());
  ASSERT_NE(mixer, nullptr);
  EXPECT_EQ(mixer->base->name, "WorkUnit");
  ASSERT_EQ(mixer->members.size(), 3u);
  EXPECT_EQ(mixer->members[2].kind, ast::ClassMember::Kind::kCommand);
  EXPECT_EQ(mixer->members[2].params.size(), 2u);

  const auto* now = ast::as<ast::FunctionDecl>(decls[12].get());
  ASSERT_NE(now, nullptr);
  EXPECT_TRUE(now->is_builtin);
  EXPECT_EQ(now->body, nullptr);

  const auto* availability = ast::as<ast::KpiDecl>(decls[13].get());
  ASSERT_NE(availability, nullptr);
  EXPECT_EQ(availability->window_name->name, "shift");
  EXPECT_EQ(availability->window_last, nullptr);
  const auto* scrap = ast::as<ast::KpiDecl>(decls[14].get());
  ASSERT_NE(scrap, nullptr);
  EXPECT_FALSE(scrap->window_name.has_value());
  EXPECT_NE(scrap->window_last, nullptr);
  EXPECT_EQ(scrap->result, nullptr);

  EXPECT_FALSE(ast::as<ast::LimitDecl>(decls[15].get())->has_reaction);
  const auto* collect = ast::as<ast::CollectDecl>(decls[16].get());
  ASSERT_NE(collect, nullptr);
  EXPECT_EQ(collect->deadband, nullptr);
  EXPECT_EQ(collect->valid_lo, nullptr);
  EXPECT_EQ(collect->valid_hi, nullptr);
}

TEST(ParserTest, QuantityLiterals) {
  auto p = parse_text(
      "function f(): int = 9.81 m/s^2 + 0.1 delta degC + 1_000_000 + 1.5e3 + 2e-3 + 10 kg / n "
      "+ (10 kg) / n;");
  ASSERT_EQ(p->messages(), std::vector<std::string>{});
  const auto* f = ast::as<ast::FunctionDecl>(p->module->decls[0].get());
  ASSERT_NE(f, nullptr);
  // Collect the operands of the left-nested sum, last first.
  std::vector<const ast::Expr*> terms;
  const ast::Expr* e = f->body.get();
  while (const auto* sum = ast::as<ast::BinaryExpr>(e)) {
    if (sum->op != ast::BinaryOp::kAdd) break;
    terms.insert(terms.begin(), sum->rhs.get());
    e = sum->lhs.get();
  }
  terms.insert(terms.begin(), e);
  ASSERT_EQ(terms.size(), 7u);

  const auto* accel = ast::as<ast::NumberExpr>(terms[0]);
  ASSERT_NE(accel, nullptr);
  EXPECT_EQ(accel->text, "9.81");
  ASSERT_NE(accel->unit, nullptr);
  EXPECT_EQ(accel->unit->kind, ast::UnitExpr::Kind::kDiv);
  EXPECT_EQ(accel->unit->lhs->name.name, "m");
  EXPECT_EQ(accel->unit->rhs->name.name, "s");
  EXPECT_EQ(accel->unit->rhs->exponent, 2);
  EXPECT_EQ(p->text(accel->span), "9.81 m/s^2");

  const auto* delta = ast::as<ast::NumberExpr>(terms[1]);
  ASSERT_NE(delta, nullptr);
  EXPECT_TRUE(delta->unit->delta);

  const auto* million = ast::as<ast::NumberExpr>(terms[2]);
  ASSERT_NE(million, nullptr);
  EXPECT_EQ(million->text, "1000000");
  EXPECT_TRUE(million->is_integer);
  EXPECT_EQ(million->unit, nullptr);

  EXPECT_EQ(ast::as<ast::NumberExpr>(terms[3])->text, "1.5e3");
  EXPECT_FALSE(ast::as<ast::NumberExpr>(terms[3])->is_integer);
  EXPECT_EQ(ast::as<ast::NumberExpr>(terms[4])->text, "2e-3");
  EXPECT_FALSE(ast::as<ast::NumberExpr>(terms[4])->is_integer);

  // The unit suffix is greedy: `10 kg / n` is ten kg-per-n.
  const auto* greedy = ast::as<ast::NumberExpr>(terms[5]);
  ASSERT_NE(greedy, nullptr);
  EXPECT_EQ(greedy->unit->kind, ast::UnitExpr::Kind::kDiv);
  EXPECT_EQ(greedy->unit->rhs->name.name, "n");
  const auto* divided = ast::as<ast::BinaryExpr>(terms[6]);
  ASSERT_NE(divided, nullptr);
  EXPECT_EQ(divided->op, ast::BinaryOp::kDiv);
}

TEST(ParserTest, NumbersOutOfRange) {
  auto p =
      parse_text("function f(): int = 9223372036854775807 + 9_223_372_036_854_775_808 + 1e999;");
  EXPECT_EQ(p->messages(),
            (std::vector<std::string>{
                "1:43 G0006 integer `9223372036854775808` is too large",
                "1:71 G0006 number `1e999` is out of range for a 64-bit floating-point value",
            }));
}

TEST(ParserTest, UnitExponentOutOfRange) {
  auto p = parse_text("dimension d = m^99999999999;");
  EXPECT_EQ(p->messages(),
            (std::vector<std::string>{"1:17 G0006 exponent `99999999999` is too large"}));
}

TEST(ParserTest, Statements) {
  auto p = parse_text(R"(procedure P(lot: Lot) {
  step "s" {
    var n: int = 0;
    n = n + 1;
    repeat 3 times { wait 1 s; }
    for i in 1 .. n { escalate "again"; }
    ask role QA "Scan a lot of {product}" as Lot of product within 10 min;
    consume lot, 5 kg;
    start Investigate(lot, reason: "check", start: 1);
    let ok = not a in 1 .. 2 and b or c;
    hold;
    abort "stop";
    await done otherwise { notify role QA; }
  }
  on cleanup { }
})");
  ASSERT_EQ(p->messages(), std::vector<std::string>{});
  EXPECT_EQ(ast::dump(*p->module), R"(procedure P
  param lot: Lot
  step "s"
    var n: int
      number 0
    assign n
      binary +
        name n
        number 1
    repeat
      number 3
      do
        wait
          number 1 s
    for i
      number 1
      name n
      do
        escalate "again"
    ask role QA "Scan a lot of {product}" as Lot of product
      interpolation product
      within
        number 10 min
    consume
      name lot
      number 5 kg
    start Investigate
      arg
        name lot
      arg reason
        string "check"
      arg start
        number 1
    let ok
      binary or
        binary and
          unary not
            in-range
              name a
              number 1
              number 2
          name b
        name c
    hold
    abort "stop"
    await
      name done
      otherwise
        notify role QA
  on cleanup
)");
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  ASSERT_NE(proc, nullptr);
  const ast::Block& body = proc->steps[0].body;
  ASSERT_EQ(body.size(), 11u);
  EXPECT_TRUE(ast::as<ast::LetStmt>(body[0].get())->is_var);
  const auto* ask = ast::as<ast::AskStmt>(body[4].get());
  ASSERT_NE(ask, nullptr);
  const auto* asked = ast::as<ast::AskExpr>(ask->ask.get());
  ASSERT_NE(asked, nullptr);
  EXPECT_EQ(asked->role->name, "QA");
  ASSERT_TRUE(asked->of.has_value());
  EXPECT_EQ(asked->of->text(), "product");
  EXPECT_EQ(body[5]->kind, ast::StmtKind::kConsume);
  EXPECT_NE(ast::as<ast::MaterialStmt>(body[5].get()), nullptr);
  EXPECT_EQ(body[8]->kind, ast::StmtKind::kHold);
  EXPECT_EQ(body[9]->kind, ast::StmtKind::kAbort);
  EXPECT_EQ(p->text(body[9]->span), "abort \"stop\";");
  const auto* await = ast::as<ast::AwaitStmt>(body[10].get());
  ASSERT_NE(await, nullptr);
  EXPECT_EQ(await->timeout.within, nullptr);
  EXPECT_TRUE(await->timeout.has_otherwise_block);
  EXPECT_EQ(await->timeout.otherwise_block.size(), 1u);
}

TEST(ParserTest, ModuleNameSegmentsMayBeKeywords) {
  auto p = parse_text("module plants.step;\nimport std.kpi;\nimport a.unit.limit;\n");
  ASSERT_EQ(p->messages(), std::vector<std::string>{});
  EXPECT_EQ(p->module->name->text(), "plants.step");
  ASSERT_EQ(p->module->imports.size(), 2u);
  EXPECT_EQ(p->module->imports[0].module.text(), "std.kpi");
  EXPECT_EQ(p->text(p->module->imports[1].module.span), "a.unit.limit");
  // The first segment is a plain name.
  EXPECT_EQ(parse_text("import kpi.x;")->sink.error_count(), 1u);
}

TEST(ParserTest, AbsentTimeoutHasEmptySpanAfterTheCondition) {
  auto p = parse_text("procedure P() { step \"s\" { await a > 1; } }");
  ASSERT_FALSE(p->sink.has_errors());
  const auto* proc = ast::as<ast::ProcedureDecl>(p->module->decls[0].get());
  const auto* await = ast::as<ast::AwaitStmt>(proc->steps[0].body[0].get());
  ASSERT_NE(await, nullptr);
  EXPECT_EQ(await->timeout.within, nullptr);
  EXPECT_EQ(await->timeout.otherwise, nullptr);
  EXPECT_EQ(await->timeout.span.begin, await->timeout.span.end);
  EXPECT_EQ(await->timeout.span.begin, await->condition->span.end);
}

TEST(ParserTest, EmptyFileAndCommentsOnly) {
  for (const char* text : {"", "   \n\t\n", "// just a comment\n/* and a block\n comment */\n"}) {
    auto p = parse_text(text);
    EXPECT_EQ(p->messages(), std::vector<std::string>{}) << text;
    EXPECT_FALSE(p->module->name.has_value());
    EXPECT_TRUE(p->module->decls.empty());
    EXPECT_EQ(ast::dump(*p->module), "");
  }
}

}  // namespace
}  // namespace gemba::syntax
