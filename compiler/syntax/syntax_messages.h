// Private to compiler/syntax: the words of syntax errors. What the parser expected, a
// token, a construct: "`;`", "`)` or `,`", "an expression", "a statement or `}`",
// "a declaration (unit, dimension, equipment class, procedure, ...)", "string \"abc\"".
#pragma once

#include <cstddef>
#include <string>

#include "antlr4-runtime.h"

namespace gemba::syntax {

struct ExpectedText {
  std::string text;   // empty when nothing useful can be said
  bool kind = false;  // names a kind of thing ("an expression", "a name"), not a token
};

// Large sets are summarized by the construct they start; after an expression, the
// operators that could continue it are left out when something else is expected.
ExpectedText describe_expected(const antlr4::dfa::Vocabulary& vocabulary,
                               const antlr4::misc::IntervalSet& expected);

// "`}`", "string \"abc\"", "end of file"; long texts are shortened.
std::string describe_token(const antlr4::Token* token);

// "the statement", "the unit declaration", ...; nullptr for rules without a good name.
const char* rule_noun(std::size_t rule);

}  // namespace gemba::syntax
