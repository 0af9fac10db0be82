#include "compiler/syntax/nesting_limit.h"

#include <string>

#include "GembaLexer.h"

namespace gemba::syntax {
namespace {

using gemba_grammar::GembaLexer;

// Tokens after which a `-` is binary (subtraction) rather than a prefix negation.
bool ends_operand(std::size_t type) {
  switch (type) {
    case GembaLexer::ID:
    case GembaLexer::INT:
    case GembaLexer::DECIMAL:
    case GembaLexer::STRING:
    case GembaLexer::TRUE:
    case GembaLexer::FALSE:
    case GembaLexer::RPAREN:
      return true;
    default:
      return false;
  }
}

// Depth = open brackets + for each bracket level, the recursing constructs (prefix
// operators, `ask`, `else`) seen since that level's last `;` or closed statement.
class DepthCounter {
 public:
  void open() { chains_.push_back(0); }
  void close() {
    if (chains_.size() > 1) {
      sum_ -= chains_.back();
      chains_.pop_back();
    }
  }
  void nest() {
    ++chains_.back();
    ++sum_;
  }
  void end_statement() {
    sum_ -= chains_.back();
    chains_.back() = 0;
  }
  int depth() const { return static_cast<int>(chains_.size() - 1) + sum_; }

 private:
  std::vector<int> chains_ = {0};
  int sum_ = 0;
};

}  // namespace

bool check_nesting(const std::vector<Token>& tokens, diag::DiagnosticSink& sink) {
  DepthCounter counter;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::size_t type = tokens[i].type;
    std::size_t next = i + 1 < tokens.size() ? tokens[i + 1].type : GembaLexer::EOF;
    std::size_t prev = i > 0 ? tokens[i - 1].type : GembaLexer::EOF;
    switch (type) {
      case GembaLexer::LPAREN:
      case GembaLexer::LBRACE:
        counter.open();
        break;
      case GembaLexer::RPAREN:
        counter.close();
        break;
      case GembaLexer::RBRACE:
        counter.close();
        if (next != GembaLexer::ELSE) counter.end_statement();
        break;
      case GembaLexer::SEMI:
        counter.end_statement();
        break;
      case GembaLexer::MINUS:
        if (!ends_operand(prev)) counter.nest();
        break;
      case GembaLexer::NOT:
      case GembaLexer::ASK:
      case GembaLexer::ELSE:
        counter.nest();
        break;
      default:
        break;
    }
    if (counter.depth() > kMaxNesting) {
      sink.report(diag::Code::kSyntaxError, tokens[i].span,
                  "nesting too deep (more than " + std::to_string(kMaxNesting) + " levels)")
          .with_hint("split the expression or block, for example with `let`");
      return false;
    }
  }
  return true;
}

}  // namespace gemba::syntax
