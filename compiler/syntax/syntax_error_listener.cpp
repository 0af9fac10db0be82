#include "compiler/syntax/syntax_error_listener.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "GembaParser.h"
#include "compiler/syntax/parser_tokens.h"
#include "compiler/syntax/syntax_messages.h"

namespace gemba::syntax {
namespace {

using gemba_grammar::GembaParser;

// An error this many tokens or fewer after the previous one, on the same line, is
// taken for a consequence of it.
constexpr std::size_t kCascadeTokens = 3;

std::size_t rule_of(const antlr4::RuleContext* ctx) {
  return ctx == nullptr ? INVALID_INDEX : ctx->getRuleIndex();
}

enum class ErrorKind { kMissing, kUnwanted, kNoViableAlternative, kOther };

struct ErrorInfo {
  ErrorKind kind = ErrorKind::kOther;
  antlr4::misc::IntervalSet expected;
  std::size_t rule = INVALID_INDEX;
  bool lookahead_failed = false;          // no viable alternative, detected past the first token
  const antlr4::Token* anchor = nullptr;  // where a missing token goes; null: LT(-1)
};

// What happened, from the exception ANTLR reports (if any) and the parser's state.
ErrorInfo classify(antlr4::Parser* parser, const antlr4::Token* offending,
                   const std::string& message, std::exception_ptr error) {
  ErrorInfo info;
  if (parser != nullptr) info.rule = rule_of(parser->getContext());
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const antlr4::NoViableAltException& e) {
      info.kind = ErrorKind::kNoViableAlternative;
      info.expected = e.getExpectedTokens();
      info.rule = rule_of(e.getCtx());
      const antlr4::Token* start = e.getStartToken();
      info.lookahead_failed = start != nullptr && offending != nullptr &&
                              start->getTokenIndex() != offending->getTokenIndex();
    } catch (const antlr4::InputMismatchException& e) {
      info.kind = ErrorKind::kUnwanted;
      info.expected = e.getExpectedTokens();
    } catch (...) {
      info.kind = ErrorKind::kOther;
    }
    return info;
  }
  // DefaultErrorStrategy reports single-token insertion and deletion without an
  // exception; its message says which it was.
  if (message.rfind("missing ", 0) == 0) info.kind = ErrorKind::kMissing;
  if (message.rfind("extraneous input", 0) == 0) info.kind = ErrorKind::kUnwanted;
  if (parser != nullptr) info.expected = parser->getExpectedTokens();
  return info;
}

// The message: "missing `;` after the statement", "expected an expression, found `;`",
// "unexpected `}`; expected `;`", "unexpected `foo` in the unit declaration".
std::string compose(const ErrorInfo& info, const ExpectedText& expected, antlr4::Parser* parser,
                    const antlr4::Token* offending) {
  std::string found = describe_token(offending);
  const char* noun = rule_noun(info.rule);
  if (info.kind == ErrorKind::kMissing && !expected.text.empty()) {
    const antlr4::Token* previous = parser != nullptr ? parser->getTokenStream()->LT(-1) : nullptr;
    if (expected.text == "`;`" && noun != nullptr) {
      return "missing `;` after " + std::string(noun);
    }
    std::string after = previous != nullptr ? " after " + describe_token(previous) : "";
    return "missing " + expected.text + after;
  }
  if (info.lookahead_failed) {
    return "unexpected " + found + (noun != nullptr ? " in " + std::string(noun) : "");
  }
  if (expected.kind) return "expected " + expected.text + ", found " + found;
  if (!expected.text.empty()) return "unexpected " + found + "; expected " + expected.text;
  return "unexpected " + found;
}

// Notes and hints that point at the fix.
void add_help(diag::Diagnostic& d, const ErrorInfo& info, const ExpectedText& expected,
              antlr4::Parser* parser, const antlr4::Token* offending, const diag::SourceFile& file,
              diag::FileId id) {
  const antlr4::Token* previous = info.anchor != nullptr ? info.anchor
                                  : parser != nullptr    ? parser->getTokenStream()->LT(-1)
                                                         : nullptr;
  if (info.kind == ErrorKind::kMissing && !expected.text.empty() && expected.text.front() == '`' &&
      previous != nullptr) {
    diag::Span after = token_span(previous, file, id);
    d.note({id, after.end, after.end}, "add " + expected.text + " here");
  }
  // `if x = 3 {`: an assignment where a condition ends.
  auto expects = [&](std::size_t type) { return info.expected.contains(type); };
  if (offending != nullptr && offending->getType() == GembaParser::ASSIGN &&
      !expects(GembaParser::ASSIGN) &&
      (expects(GembaParser::LBRACE) || expects(GembaParser::SEMI))) {
    d.with_hint("write `==` to compare two values");
  }
}

}  // namespace

bool SyntaxErrorListener::is_cascade(const antlr4::Token* offending, diag::Span span) const {
  if (offending == nullptr || last_index_ == INVALID_INDEX) return false;
  std::size_t index = offending->getTokenIndex();
  if (index == INVALID_INDEX || index <= last_index_ || index > last_index_ + kCascadeTokens) {
    return false;
  }
  std::string_view between(file_.text());
  between = between.substr(last_span_.begin, span.begin - std::min(span.begin, last_span_.begin));
  return between.find('\n') == std::string_view::npos;
}

void SyntaxErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending,
                                      std::size_t, std::size_t, const std::string& message,
                                      std::exception_ptr error) {
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  ErrorInfo info;
  ExpectedText expected;
  try {
    info = classify(parser, offending, message, error);
    if (parser != nullptr) expected = describe_expected(parser->getVocabulary(), info.expected);
  } catch (...) {
    // Computing the expected set walks the ATN; if the runtime fails there, the
    // message gets less precise rather than the parse failing.
    expected = {};
  }
  // A statement that could go on in several ways and stops at a new line is missing
  // its `;`: `await x within 4 h` followed by `}` says so rather than "unexpected `}`".
  const antlr4::Token* previous = nullptr;
  if (parser != nullptr && offending != nullptr && offending->getTokenIndex() != INVALID_INDEX) {
    antlr4::TokenStream* tokens = parser->getTokenStream();
    for (std::size_t i = offending->getTokenIndex(); i-- > 0;) {
      if (tokens->get(i)->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
        previous = tokens->get(i);
        break;
      }
    }
  }
  if (info.kind == ErrorKind::kNoViableAlternative &&
      info.expected.contains(static_cast<std::size_t>(GembaParser::SEMI)) && previous != nullptr &&
      offending != nullptr &&
      file_.location(token_span(offending, file_, id_).begin).line >
          file_.location(token_span(previous, file_, id_).end).line) {
    info.kind = ErrorKind::kMissing;
    info.anchor = previous;
    expected = {"`;`", false};
  }
  diag::Span span = token_span(offending, file_, id_);
  if (is_cascade(offending, span) || !reported_.insert(span.begin).second) return;
  last_index_ = offending != nullptr ? offending->getTokenIndex() : INVALID_INDEX;
  last_span_ = span;

  auto& d =
      sink_.report(diag::Code::kSyntaxError, span, compose(info, expected, parser, offending));
  add_help(d, info, expected, parser, offending, file_, id_);
}

}  // namespace gemba::syntax
