// Inputs a fuzzer would find: the parser never crashes, never throws, never hangs, and
// every span it reports lies inside the file.
#include <gtest/gtest.h>

#include <pthread.h>

#include <random>
#include <string>

#include "compiler/ast/dump.h"
#include "tests/compiler/syntax/parse_helpers.h"

namespace gemba::syntax {
namespace {

using testing::parse_text;

constexpr const char* kValid = R"(module m;
procedure MixBatch(size: kg) uses mixer: Mixer where mixer.capacity >= size {
  limit mixer.temperature in 60 degC .. 70 degC on violation { notify role s "hot {x}"; }
  collect mixer.temperature every 1 s deadband 0.1 delta degC valid -20 degC .. 200 degC;
  step "Heat" {
    command mixer.start(speed: 120 rpm);
    await mixer.temperature >= 65 degC within 30 min otherwise escalate "slow" to role s;
    let v = ask operator "Viscosity" as cP in 800 cP .. 1200 cP within 5 min;
    if v > 1 { wait 2 min; } else if v < 0 { hold; } else { abort "x"; }
  }
  on hold { sign "ok" by role QA; }
}
unit degF = 5/9 K offset -459.67;
kpi k(u: WorkUnit) over last 24 h = (u.a - u.b) / u.c to percent;
)";

// Parses `text`; checks that nothing escaped and every span is inside the file.
void expect_survives(const std::string& text) {
  auto p = parse_text(text);
  ASSERT_NE(p->module, nullptr);
  auto size = static_cast<std::uint32_t>(text.size());
  for (const auto& d : p->sink.sorted()) {
    EXPECT_LE(d.span.begin, d.span.end) << d.message;
    EXPECT_LE(d.span.end, size) << d.message;
    EXPECT_EQ(d.message.find("internal error"), std::string::npos) << d.message;
    EXPECT_FALSE(d.message.empty());
  }
  ast::dump(*p->module);  // walks every node: no dangling or half-built ones
}

TEST(ParserRobustnessTest, DeeplyNestedParenthesesAreRefusedNotCrashed) {
  std::string text =
      "function f(): int = " + std::string(5000, '(') + "1" + std::string(5000, ')') + ";";
  auto p = parse_text(text);
  EXPECT_FALSE(p->stats.parsed);
  EXPECT_EQ(p->messages(),
            (std::vector<std::string>{"1:277 G0001 nesting too deep (more than 256 levels)"}));
}

TEST(ParserRobustnessTest, NestingJustUnderTheLimitParses) {
  std::string text =
      "function f(): int = " + std::string(250, '(') + "1" + std::string(250, ')') + ";";
  auto p = parse_text(text);
  EXPECT_TRUE(p->stats.parsed);
  EXPECT_FALSE(p->sink.has_errors());
}

TEST(ParserRobustnessTest, OtherDeepRecursionsAreRefused) {
  std::string minus = "function f(): int = ";
  for (int i = 0; i < 5000; ++i) minus += "- ";
  std::string nots = "function f(): bool = ";
  for (int i = 0; i < 5000; ++i) nots += "not ";
  std::string asks = "function f(): int = ";
  for (int i = 0; i < 1000; ++i) asks += "ask operator \"x\" as kg in ";
  std::string else_ifs = "procedure p() { step \"s\" { if a {} ";
  for (int i = 0; i < 5000; ++i) else_ifs += "else if a {} ";
  std::string braces = "procedure p() { step \"s\" { ";
  for (int i = 0; i < 5000; ++i) braces += "if a { ";
  for (const std::string& text :
       {minus + "1;", nots + "true;", asks + "1;", else_ifs + "} }", braces}) {
    auto p = parse_text(text);
    EXPECT_FALSE(p->stats.parsed);
    ASSERT_EQ(p->sink.error_count(), 1u);
    EXPECT_EQ(p->sink.sorted()[0].message, "nesting too deep (more than 256 levels)");
  }
}

TEST(ParserRobustnessTest, VeryLongOperatorChainsAreCutOff) {
  std::string sum = "function f(): int = 1";
  for (int i = 0; i < 5000; ++i) sum += " + 1";
  auto p = parse_text(sum + ";");
  EXPECT_TRUE(p->stats.parsed);
  EXPECT_EQ(
      p->messages(),
      (std::vector<std::string>{"1:21 G0001 expression nested too deeply (more than 512 levels)"}));
  std::string unit = "unit u = kg";
  for (int i = 0; i < 5000; ++i) unit += " * kg";
  auto q = parse_text(unit + ";");
  ASSERT_EQ(q->sink.error_count(), 1u);
  EXPECT_EQ(q->sink.sorted()[0].message, "expression nested too deeply (more than 512 levels)");
  expect_survives(sum + ";");
}

// The limits leave a wide margin: the deepest inputs they let through parse on a
// thread with a quarter of the usual 8 MiB stack, even in a sanitizer build.
TEST(ParserRobustnessTest, DeepestAcceptedInputsFitInASmallStack) {
  static std::vector<std::string> inputs;
  inputs = {
      // 256 open parentheses and an error: the LL stage with recovery.
      "function f(): int = " + std::string(256, '(') + "1;",
      "function f(): int = " + std::string(250, '(') + "1" + std::string(250, ')') + ";",
  };
  std::string sum = "function f(): int = 1";
  for (int i = 0; i < 600; ++i) sum += " + 1";
  inputs.push_back(sum + ";");
  std::string asks = "function f(): int = ";
  for (int i = 0; i < 255; ++i) asks += "ask operator \"x\" as kg in ";
  inputs.push_back(asks + " ;");

  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, 2 << 20);
  pthread_t thread;
  auto run = [](void*) -> void* {
    for (const auto& text : inputs) parse_text(text);
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attributes, run, nullptr), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
}

TEST(ParserRobustnessTest, EveryPrefixOfAValidFile) {
  std::string text = kValid;
  for (std::size_t n = 0; n <= text.size(); ++n) {
    SCOPED_TRACE(n);
    expect_survives(text.substr(0, n));
  }
}

TEST(ParserRobustnessTest, EverySingleTokenDeletion) {
  std::string text = kValid;
  // Delete each run of non-space characters in turn.
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find_first_of(" \n", begin);
    if (end == std::string::npos) end = text.size();
    SCOPED_TRACE(begin);
    expect_survives(text.substr(0, begin) + text.substr(end));
    begin = end + 1;
  }
}

TEST(ParserRobustnessTest, RandomBytes) {
  std::mt19937 random(20240611);
  for (int i = 0; i < 300; ++i) {
    std::string text(random() % 300, '\0');
    for (char& c : text) c = static_cast<char>(random() & 0xFF);
    SCOPED_TRACE(i);
    expect_survives(text);
  }
}

TEST(ParserRobustnessTest, RandomTokenSoup) {
  const char* pieces[] = {
      "procedure", "step",      "\"s\"",    "{",    "}",    "(",    ")",     ";",   "let", "x",
      "=",         "1",         "kg",       "ask",  "else", "if",   "await", "..",  "in",  "to",
      "within",    "otherwise", "escalate", "unit", "/",    "^",    "-2",    "not", "and", ".",
      "\"{a\"",    "\"\\q\"",   "/*",       "*/",   "#",    "\xff", ",",     ":",   "on",  "hold",
  };
  std::mt19937 random(7);
  for (int i = 0; i < 400; ++i) {
    std::string text;
    int count = static_cast<int>(random() % 120);
    for (int j = 0; j < count; ++j) {
      text += pieces[random() % std::size(pieces)];
      text += random() % 4 == 0 ? "\n" : " ";
    }
    SCOPED_TRACE(text);
    expect_survives(text);
  }
}

TEST(ParserRobustnessTest, NulBytesAndInvalidUtf8) {
  expect_survives(std::string("procedure P() {\0 step \"a\0b\" { } }", 33));
  auto p = parse_text("role r \"caf\xe9\";\nrole s \"ok\";\n");
  EXPECT_EQ(p->messages(),
            (std::vector<std::string>{"1:12 G0002 invalid UTF-8 byte 0xE9 in a string"}));
  EXPECT_EQ(p->module->decls.size(), 2u);
}

}  // namespace
}  // namespace gemba::syntax
