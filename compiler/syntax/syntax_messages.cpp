#include "compiler/syntax/syntax_messages.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "GembaParser.h"

namespace gemba::syntax {
namespace {

using gemba_grammar::GembaParser;
using TokenSet = std::vector<std::size_t>;

constexpr std::size_t kMaxListed = 4;
constexpr std::size_t kMaxShownText = 32;

// Token kinds that start each construct. A set of expected tokens that contains all of
// one of these is described by the construct's name.
const TokenSet kDeclarationStart = {
    GembaParser::DIMENSION, GembaParser::UNIT,    GembaParser::ENUM,     GembaParser::ROLE,
    GembaParser::EQUIPMENT, GembaParser::BUILTIN, GembaParser::FUNCTION, GembaParser::PROCEDURE,
    GembaParser::LIMIT,     GembaParser::COLLECT, GembaParser::KPI};
const TokenSet kStatementStart = {GembaParser::LET,      GembaParser::VAR,    GembaParser::ID,
                                  GembaParser::IF,       GembaParser::REPEAT, GembaParser::FOR,
                                  GembaParser::ASK,      GembaParser::AWAIT,  GembaParser::COMMAND,
                                  GembaParser::SIGN,     GembaParser::WAIT,   GembaParser::CONSUME,
                                  GembaParser::PRODUCE,  GembaParser::NOTIFY, GembaParser::START,
                                  GembaParser::ESCALATE, GembaParser::HOLD,   GembaParser::ABORT};
const TokenSet kProcedureItemStart = {GembaParser::LIMIT, GembaParser::COLLECT, GembaParser::STEP,
                                      GembaParser::ON};
const TokenSet kClassMemberStart = {GembaParser::PROPERTY, GembaParser::SIGNAL,
                                    GembaParser::COMMAND};
const TokenSet kExpressionStart = {GembaParser::ID,     GembaParser::INT,   GembaParser::DECIMAL,
                                   GembaParser::STRING, GembaParser::TRUE,  GembaParser::FALSE,
                                   GembaParser::LPAREN, GembaParser::MINUS, GembaParser::NOT,
                                   GembaParser::ASK};
const TokenSet kUnitStart = {GembaParser::ID, GembaParser::IN, GembaParser::DELTA,
                             GembaParser::LPAREN, GembaParser::INT};
// Tokens that may continue an expression (an operator, a call, a member, the unit after
// a number).
const TokenSet kContinuation = {
    GembaParser::DOT,     GembaParser::LPAREN, GembaParser::STAR,  GembaParser::SLASH,
    GembaParser::PERCENT, GembaParser::PLUS,   GembaParser::MINUS, GembaParser::TO,
    GembaParser::LT,      GembaParser::LE,     GembaParser::GT,    GembaParser::GE,
    GembaParser::EQ,      GembaParser::NE,     GembaParser::IN,    GembaParser::AND,
    GembaParser::OR,      GembaParser::CARET,  GembaParser::DELTA, GembaParser::ID};
// Closing tokens worth naming next to a construct: "a statement or `}`".
const TokenSet kClosers = {GembaParser::RBRACE, GembaParser::RPAREN, GembaParser::COMMA,
                           GembaParser::SEMI};

struct Category {
  const TokenSet* start;
  const char* text;
};
const Category kCategories[] = {
    {&kDeclarationStart, "a declaration (unit, dimension, equipment class, procedure, ...)"},
    {&kStatementStart, "a statement"},
    {&kProcedureItemStart, "a procedure item (step, limit, collect, on hold, ...)"},
    {&kClassMemberStart, "a class member (property, signal, command)"},
    {&kExpressionStart, "an expression"},
    {&kUnitStart, "a unit or a type"},
};

bool contains(const TokenSet& set, std::size_t type) {
  return std::find(set.begin(), set.end(), type) != set.end();
}

bool contains_all(const TokenSet& set, const TokenSet& subset) {
  return std::all_of(subset.begin(), subset.end(),
                     [&](std::size_t type) { return contains(set, type); });
}

TokenSet without(const TokenSet& set, const TokenSet& removed) {
  TokenSet out;
  for (std::size_t type : set) {
    if (!contains(removed, type)) out.push_back(type);
  }
  return out;
}

TokenSet to_set(const antlr4::misc::IntervalSet& expected) {
  TokenSet out;
  for (const auto& interval : expected.getIntervals()) {
    for (ssize_t type = interval.a; type <= interval.b; ++type) {
      out.push_back(type < 0 ? antlr4::Token::EOF : static_cast<std::size_t>(type));
    }
  }
  return out;
}

std::string token_kind_text(const antlr4::dfa::Vocabulary& vocabulary, std::size_t type) {
  switch (type) {
    case antlr4::Token::EOF:
      return "end of file";
    case GembaParser::ID:
      return "a name";
    case GembaParser::INT:
    case GembaParser::DECIMAL:
      return "a number";
    case GembaParser::STRING:
      return "a string";
    default:
      break;
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'')
    literal = literal.substr(1, literal.size() - 2);
  if (literal.empty()) literal = vocabulary.getSymbolicName(type);
  return "`" + literal + "`";
}

std::string join_alternatives(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

std::string list_tokens(const antlr4::dfa::Vocabulary& vocabulary, const TokenSet& set) {
  std::vector<std::string> items;
  for (std::size_t type : set) {
    std::string text = token_kind_text(vocabulary, type);
    if (std::find(items.begin(), items.end(), text) == items.end()) items.push_back(text);
  }
  if (items.size() <= kMaxListed) return join_alternatives(items);
  items.resize(kMaxListed);
  std::string out = "one of ";
  for (const auto& item : items) out += item + ", ";
  return out + "...";
}

std::optional<std::string> describe_category(const antlr4::dfa::Vocabulary& vocabulary,
                                             const TokenSet& set) {
  for (const Category& category : kCategories) {
    if (!contains_all(set, *category.start)) continue;
    std::vector<std::string> items = {category.text};
    for (std::size_t type : set) {
      if (contains(kClosers, type) && !contains(*category.start, type)) {
        items.push_back(token_kind_text(vocabulary, type));
      }
    }
    return join_alternatives(items);
  }
  return std::nullopt;
}

std::string shorten(const std::string& text) {
  if (text.size() <= kMaxShownText) return text;
  std::size_t cut = kMaxShownText;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return text.substr(0, cut) + "...";
}

}  // namespace

ExpectedText describe_expected(const antlr4::dfa::Vocabulary& vocabulary,
                               const antlr4::misc::IntervalSet& raw) {
  TokenSet set = to_set(raw);
  if (auto category = describe_category(vocabulary, set)) return {*category, true};
  // After an expression, operators that could continue it are possible, but rarely what
  // is missing: `let x = 5 }` wants a `;`, not a `+` or a unit.
  if (contains(set, GembaParser::PLUS) || contains(set, GembaParser::STAR)) {
    TokenSet essential = without(set, kContinuation);
    if (!essential.empty()) set = essential;
  }
  if (set.empty()) return {};
  if (auto category = describe_category(vocabulary, set)) return {*category, true};
  std::string text = list_tokens(vocabulary, set);
  return {text, text.front() != '`' && text.rfind("one of", 0) != 0};
}

std::string describe_token(const antlr4::Token* token) {
  if (token == nullptr || token->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = shorten(token->getText());
  if (token->getType() == GembaParser::STRING) return "string " + text;
  return "`" + text + "`";
}

// The construct being parsed, for "missing `;` after the statement".
const char* rule_noun(std::size_t rule) {
  switch (rule) {
    case GembaParser::RuleStatement:
      return "the statement";
    case GembaParser::RuleModuleDecl:
      return "the module declaration";
    case GembaParser::RuleImportDecl:
      return "the import";
    case GembaParser::RuleDimensionDecl:
      return "the dimension declaration";
    case GembaParser::RuleUnitDecl:
      return "the unit declaration";
    case GembaParser::RuleRoleDecl:
      return "the role declaration";
    case GembaParser::RuleClassMember:
      return "the member";
    case GembaParser::RuleFunctionDecl:
      return "the function declaration";
    case GembaParser::RuleLimitDecl:
      return "the limit";
    case GembaParser::RuleCollectDecl:
      return "the collect rule";
    case GembaParser::RuleKpiDecl:
      return "the KPI declaration";
    case GembaParser::RuleWindow:
      return "the KPI window";
    case GembaParser::RuleArg:
      return "the argument";
    default:
      return nullptr;
  }
}

}  // namespace gemba::syntax
