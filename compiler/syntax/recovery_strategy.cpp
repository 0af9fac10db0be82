#include "compiler/syntax/recovery_strategy.h"

#include "GembaParser.h"

namespace gemba::syntax {

void RecoveryStrategy::sync(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  const antlr4::atn::ATN& atn = recognizer->getATN();
  antlr4::atn::ATNState* state = atn.states[recognizer->getState()];
  if (state->getStateType() != antlr4::atn::ATNState::STAR_LOOP_ENTRY) {
    DefaultErrorStrategy::sync(recognizer);
    return;
  }
  const antlr4::misc::IntervalSet& next = atn.nextTokens(state);
  std::size_t la = recognizer->getTokenStream()->LA(1);
  if (next.contains(antlr4::Token::EPSILON) || next.contains(la)) return;
  // What DefaultErrorStrategy does at a loop back.
  reportUnwantedToken(recognizer);
  antlr4::misc::IntervalSet expecting = recognizer->getExpectedTokens();
  consumeUntil(recognizer, expecting.Or(getErrorRecoverySet(recognizer)));
}

void RecoveryStrategy::consumeUntil(antlr4::Parser* recognizer,
                                    const antlr4::misc::IntervalSet& set) {
  using gemba_grammar::GembaParser;
  int depth = 0;  // of braces opened while skipping
  for (std::size_t type = recognizer->getInputStream()->LA(1); type != antlr4::Token::EOF;
       type = recognizer->getInputStream()->LA(1)) {
    if (depth == 0 && set.contains(type)) return;
    if (type == GembaParser::LBRACE) ++depth;
    if (type == GembaParser::RBRACE) --depth;
    if (depth < 0) return;  // a `}` of an enclosing block: let that block have it
    recognizer->consume();
  }
}

}  // namespace gemba::syntax
