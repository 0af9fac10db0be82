#include "compiler/syntax/parser_tokens.h"

#include <algorithm>

namespace gemba::syntax {

FilteredTokenSource::FilteredTokenSource(const std::vector<Token>& tokens,
                                         const diag::SourceFile& file)
    : tokens_(tokens), file_(file) {}

std::unique_ptr<antlr4::Token> FilteredTokenSource::nextToken() {
  std::pair<antlr4::TokenSource*, antlr4::CharStream*> source(this, nullptr);
  if (next_ >= tokens_.size()) {
    // Past the end, every call returns a fresh end-of-file token, as a lexer does.
    std::size_t size = file_.text().size();
    auto eof = std::make_unique<antlr4::CommonToken>(
        source, antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, size, size - 1);
    eof->setText("<EOF>");
    return eof;
  }
  const Token& token = tokens_[next_++];
  auto out = std::make_unique<antlr4::CommonToken>(
      source, token.type, antlr4::Token::DEFAULT_CHANNEL, token.span.begin, token.span.end - 1);
  out->setText(file_.text().substr(token.span.begin, token.span.end - token.span.begin));
  return out;
}

antlr4::TokenFactory<antlr4::CommonToken>* FilteredTokenSource::getTokenFactory() {
  return antlr4::CommonTokenFactory::DEFAULT.get();
}

diag::Span token_span(const antlr4::Token* token, const diag::SourceFile& file, diag::FileId id) {
  auto size = static_cast<std::uint32_t>(file.text().size());
  if (token == nullptr || token->getType() == antlr4::Token::EOF ||
      token->getTokenIndex() == INVALID_INDEX || token->getStartIndex() >= size) {
    return {id, size, size};
  }
  auto begin = static_cast<std::uint32_t>(token->getStartIndex());
  std::size_t stop = token->getStopIndex();
  auto end = stop >= size ? size : static_cast<std::uint32_t>(stop + 1);
  return {id, begin, std::max(begin, end)};
}

}  // namespace gemba::syntax
