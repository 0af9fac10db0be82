// The semantic pass, end to end through the pipeline: each test checks a small
// program and asserts the exact codes (and, where it matters, the message) reported.
#include "compiler/sema/check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"

namespace gemba::sema {
namespace {

const char* kPrelude = R"(import std.units;
import std.isa95;
equipment class Mixer : Unit {
  property capacity: kg;
  signal temperature: degC;
  signal speed: rpm;
  signal running: bool;
  command start(speed: rpm);
  command stop();
}
)";

struct Result {
  std::vector<std::string> codes;
  std::vector<std::string> messages;
};

Result check(const std::string& body, bool with_prelude = true) {
  std::string text = with_prelude ? kPrelude + body : body;
  auto run = driver::check_sources({{"test.gmb", text}}, {});
  Result out;
  for (const auto& d : run.diagnostics) {
    out.codes.emplace_back(diag::info(d.code).id);
    out.messages.push_back(d.message);
  }
  return out;
}

std::vector<std::string> codes(const std::string& body) { return check(body).codes; }

using Codes = std::vector<std::string>;

TEST(CheckTest, CleanProcedureHasNoDiagnostics) {
  auto r = check(R"(
procedure MixBatch(product: Material, size: kg) uses mixer: Mixer where mixer.capacity >= size {
  limit mixer.temperature in 60 degC .. 75 degC on violation { notify role supervisor "hot"; }
  step "Charge" {
    let lot = ask operator "Scan a lot of {product}" as Lot of product within 10 min;
    consume lot, size;
  }
  step "Heat" {
    command mixer.start(speed: 120 rpm);
    await mixer.temperature >= 65 degC within 30 min otherwise escalate "too slow";
  }
  step "Discharge" { produce product, size * 0.98; }
  on cleanup { command mixer.stop(); }
}
)");
  EXPECT_EQ(r.codes, Codes{}) << (r.messages.empty() ? "" : r.messages[0]);
}

TEST(CheckTest, AddingMassAndDurationIsADimensionError) {
  auto r = check("function f(): kg = 5 kg + 3 min;\n");
  ASSERT_EQ(r.codes, Codes{"G0401"});
  EXPECT_EQ(r.messages[0], "cannot add mass (kg) and duration (min)");
}

TEST(CheckTest, CompatibleUnitsAdd) {
  EXPECT_EQ(codes("function f(): kg = 500 g + 1 kg;\nfunction h(): kg = 2 lb + 1 kg;\n"), Codes{});
}

TEST(CheckTest, ReadingsFollowTheAffineRule) {
  EXPECT_EQ(codes("function f(): degC = 20 degC + 30 degC;\n"), Codes{"G0402"});
  EXPECT_EQ(codes("function f(): delta degC = 30 degC - 20 degC;\n"), Codes{});
  EXPECT_EQ(codes("function f(): degC = 20 degC + 5 delta degC;\n"), Codes{});
  EXPECT_EQ(codes("function f(): real = 20 degC * 2;\n"), Codes{"G0403"});
  EXPECT_EQ(codes("function f(): bool = 20 degC < 5 delta degC;\n"), Codes{"G0404"});
  EXPECT_EQ(codes("function f(): bool = 300 K < 30 degC;\n"), Codes{});
  EXPECT_EQ(codes("function f(): delta degC = 20 degC;\n"), Codes{"G0404"});
}

TEST(CheckTest, OffsetUnitInCompoundIsRejected) {
  EXPECT_EQ(codes("function f(r: degC / min): real = 1;\n"), (Codes{"G0901", "G0406"}));
  EXPECT_EQ(codes("function f(r: delta degC / min): real = 1;\n"), Codes{"G0901"});
}

TEST(CheckTest, AskAndAwaitNeedATimeout) {
  auto r = check(R"(
procedure P() uses mixer: Mixer {
  step "A" {
    await mixer.running;
    let v = ask operator "Viscosity" as real;
    ask operator "Ready?" as bool within 1 min;
    if v > 2 { hold; }
  }
}
)");
  EXPECT_EQ(r.codes, (Codes{"G0501", "G0501"}));
}

TEST(CheckTest, TimeoutMustBeADuration) {
  EXPECT_EQ(codes(R"(
procedure P() uses mixer: Mixer {
  step "A" { await mixer.running within 5 kg; }
}
)"),
            Codes{"G0509"});
}

TEST(CheckTest, ReactionsCannotPause) {
  EXPECT_EQ(codes(R"(
procedure P() uses mixer: Mixer {
  limit mixer.temperature in 60 degC .. 70 degC on violation { wait 5 min; command mixer.stop(); }
  step "A" { await mixer.running within 1 min otherwise { notify role supervisor; } }
}
)"),
            (Codes{"G0502", "G0502"}));
}

TEST(CheckTest, AskRangeIsCheckedAgainstTheAnswer) {
  EXPECT_EQ(codes(R"(
procedure P() {
  step "A" {
    let a = ask operator "Weight" as kg in 10 kg .. 5 kg within 1 min;
    let b = ask operator "Weight" as kg in 1 s .. 5 s within 1 min;
    let c = ask operator "Name" as string in 1 .. 2 within 1 min;
    produce a, b;
    notify role supervisor "{c}";
  }
}
)"),
            (Codes{"G0503", "G0401", "G0401", "G0306", "G0510"}));
}

TEST(CheckTest, AskInsideAnExpressionIsRejected) {
  EXPECT_EQ(codes(R"(
procedure P() {
  step "A" { let v = 1 + ask operator "n" as int within 1 min; notify role QA "{v}"; }
}
)"),
            Codes{"G0508"});
}

TEST(CheckTest, NamesResolveAndReportOnce) {
  auto r = check(R"(
procedure P() {
  step "A" { let v = undefined_thing + 1; notify role QA "{v} {nope}"; }
}
)");
  EXPECT_EQ(r.codes, (Codes{"G0201", "G0201"}));
}

TEST(CheckTest, CommandsAreCheckedAgainstTheClass) {
  EXPECT_EQ(codes(R"(
procedure P() uses mixer: Mixer {
  step "A" {
    command mixer.start(speed: 5 kg);
    command mixer.start(rate: 5 rpm);
    command mixer.start();
    command mixer.temperature;
    command mixer.explode();
  }
}
)"),
            (Codes{"G0401", "G0304", "G0303", "G0505", "G0205"}));
}

TEST(CheckTest, RolesMustBeDeclared) {
  EXPECT_EQ(codes(R"(
procedure P() {
  step "A" { sign by role wizard; notify role supervisor; }
}
)"),
            Codes{"G0210"});
}

TEST(CheckTest, UnusedBindingsAndUnreachableStepsWarn) {
  EXPECT_EQ(codes(R"(
procedure P(size: kg, _spare: kg) uses mixer: Mixer {
  step "A" { let x = 1; abort "no"; hold; }
  step "B" { hold; }
}
)"),
            (Codes{"G0901", "G0901", "G0901", "G0902", "G0902"}));
}

TEST(CheckTest, StepLetsAreVisibleInLaterStepsButNotInHandlers) {
  EXPECT_EQ(codes(R"(
procedure P(product: Material) {
  step "A" { let lot = ask operator "Lot" as Lot of product within 5 min; }
  step "B" { consume lot, 5 kg; }
  on abort { consume lot, 1 kg; }
}
)"),
            Codes{"G0201"});
}

TEST(CheckTest, DuplicateStepsAndHandlers) {
  EXPECT_EQ(codes(R"(
procedure P() {
  step "A" { hold; }
  step "A" { hold; }
  on hold { hold; }
  on hold { hold; }
}
)"),
            (Codes{"G0504", "G0506"}));
}

TEST(CheckTest, LoopsAreBounded) {
  EXPECT_EQ(codes(R"(
procedure P() {
  step "A" {
    repeat 0 times { hold; }
    repeat 2.5 times { hold; }
    for i in 1 .. 20000 { hold; }
    for j in 5 .. 1 { hold; }
    for k in 1 .. 3 { notify role QA "{k}"; }
  }
}
)"),
            (Codes{"G0507", "G0507", "G0901", "G0507", "G0901", "G0503"}));
}

TEST(CheckTest, CollectRules) {
  EXPECT_EQ(codes(R"(
collect Mixer.temperature every 1 s deadband 0.1 delta degC valid -20 degC .. 200 degC;
collect Mixer.temperature every 5 kg;
collect Mixer.temperature every 1 s deadband 0.1 degC;
collect Mixer.capacity every 1 s;
collect mixer.temperature every 1 s;
collect Mixer.temperature every 0 s valid 200 degC .. -20 degC;
)"),
            (Codes{"G0602", "G0603", "G0601", "G0605", "G0602", "G0503"}));
}

TEST(CheckTest, KpisAndRecursion) {
  EXPECT_EQ(check(R"(import std.units;
import std.isa95;
import std.kpi;
kpi a(u: WorkUnit) over shift = APT(u) / PBT(u);
kpi b(u: WorkUnit) over fortnight = a(u);
kpi c(u: WorkUnit) over last 5 kg = d(u);
kpi d(u: WorkUnit) = c(u);
kpi e(u: WorkUnit): real over day = APT(u);
)",
                  /*with_prelude=*/false)
                .codes,
            (Codes{"G0604", "G0509", "G0308", "G0401"}));
}

TEST(CheckTest, UnitDefinitions) {
  auto r = check(R"(
dimension mass;
dimension duration;
unit kg: mass;
unit gram: mass;
unit s: duration;
unit a = 2 b;
unit b = 3 a;
unit bad: kg;
unit degC2 = kg offset 1;
unit rate = degC2 / s;
)",
                 /*with_prelude=*/false);
  EXPECT_EQ(r.codes, (Codes{"G0407", "G0407", "G0208", "G0406"}));
}

TEST(CheckTest, AssignOnlyToVar) {
  EXPECT_EQ(codes(R"(
procedure P(n: int) {
  step "A" {
    var count = 0;
    let fixed = 1;
    count = count + fixed;
    fixed = 2;
    n = 3;
    count = 2 kg;
  }
}
)"),
            (Codes{"G0901", "G0307", "G0307", "G0301"}));
}

TEST(CheckTest, EquipmentInheritance) {
  EXPECT_EQ(codes(R"(
equipment class A : B { }
equipment class B : A { }
equipment class HotMixer : Mixer { signal temperature: degF; }
procedure P() uses m: HotMixer { step "A" { command m.start(speed: 1 rpm); } }
)"),
            (Codes{"G0209", "G0202"}));
}

TEST(CheckTest, AmbiguousImportsReportOnUse) {
  auto run = driver::check_sources({{"a.gmb", "module a;\nrole boss;\n"},
                                    {"b.gmb", "module b;\nrole boss;\n"},
                                    {"c.gmb",
                                     "module c;\nimport a;\nimport b;\nprocedure P() { step \"x\" "
                                     "{ notify role boss; } }\n"}},
                                   {});
  std::vector<std::string> ids;
  for (const auto& d : run.diagnostics) ids.emplace_back(diag::info(d.code).id);
  EXPECT_EQ(ids, Codes{"G0207"});
}

TEST(CheckTest, UnusedImportWarns) {
  EXPECT_EQ(check("import std.units;\nimport std.time;\nfunction f(): kg = 1 kg;\n", false).codes,
            Codes{"G0105"});
}

TEST(CheckTest, VariableAfterNumberIsNotAUnit) {
  auto r = check(R"(
procedure P(n: int) { step "A" { let per = 10 kg / n; notify role QA "{per}"; } }
)");
  ASSERT_EQ(r.codes, Codes{"G0203"});
}

}  // namespace
}  // namespace gemba::sema
