// Private to compiler/syntax: ANTLR's default error recovery with two changes that keep
// the block structure of the file intact, so that one error is reported once rather
// than as a cascade of misplaced `}`:
//  - when it skips tokens to resynchronize, it skips whole `{ ... }` groups. Without
//    this, an error in `if x = 3 { wait 1 s; }` skips to `wait`, whose `}` then closes
//    the enclosing step, and the rest of the step is reported as misplaced;
//  - a bad token at the start of a loop (`{ 5; }`: the first statement of a block) is
//    skipped and the loop goes on, as ANTLR already does for later iterations, instead
//    of abandoning the rule and leaving its `}` to the enclosing rule.
#pragma once

#include "antlr4-runtime.h"

namespace gemba::syntax {

class RecoveryStrategy : public antlr4::DefaultErrorStrategy {
 public:
  void sync(antlr4::Parser* recognizer) override;

 protected:
  void consumeUntil(antlr4::Parser* recognizer, const antlr4::misc::IntervalSet& set) override;
};

}  // namespace gemba::syntax
