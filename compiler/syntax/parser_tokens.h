// Private to compiler/syntax: the filtered tokens as an ANTLR token source.
//
// Invariant: the tokens handed to the parser carry BYTE offsets in their start/stop
// indices (ANTLR's own lexer tokens count code points). Every span taken from the
// parse tree is therefore token_span(...) and nothing else converts offsets. The
// end-of-file token starts at the size of the file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "antlr4-runtime.h"
#include "compiler/diag/source.h"
#include "compiler/syntax/token_filter.h"

namespace gemba::syntax {

class FilteredTokenSource : public antlr4::TokenSource {
 public:
  FilteredTokenSource(const std::vector<Token>& tokens, const diag::SourceFile& file);

  std::unique_ptr<antlr4::Token> nextToken() override;
  std::size_t getLine() const override { return 0; }
  std::size_t getCharPositionInLine() override { return 0; }
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return file_.path(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override;

 private:
  const std::vector<Token>& tokens_;
  const diag::SourceFile& file_;
  std::size_t next_ = 0;
};

// The byte span of a token of the parser; an empty span at the end of the file for
// the end-of-file token and for tokens the error recovery made up.
diag::Span token_span(const antlr4::Token* token, const diag::SourceFile& file, diag::FileId id);

}  // namespace gemba::syntax
