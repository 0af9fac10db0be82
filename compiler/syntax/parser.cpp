#include "compiler/syntax/parser.h"

#include <exception>
#include <limits>
#include <string>

#include "GembaParser.h"
#include "antlr4-runtime.h"
#include "compiler/syntax/ast_builder.h"
#include "compiler/syntax/nesting_limit.h"
#include "compiler/syntax/parse_stats.h"
#include "compiler/syntax/parser_tokens.h"
#include "compiler/syntax/recovery_strategy.h"
#include "compiler/syntax/syntax_error_listener.h"
#include "compiler/syntax/token_filter.h"

namespace gemba::syntax {
namespace {

using gemba_grammar::GembaParser;

std::unique_ptr<ast::Module> empty_module(diag::FileId id) {
  auto out = std::make_unique<ast::Module>();
  out->file = id;
  return out;
}

// Stage 1: SLL prediction, no recovery, no listeners: fast, and enough for almost
// every correct file. Stage 2, only if stage 1 gave up: full LL with error recovery
// (RecoveryStrategy) and the listener that reports every syntax error.
GembaParser::FileContext* parse_two_stage(GembaParser& parser, SyntaxErrorListener& listener,
                                          ParseStats& stats) {
  auto* simulator = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  simulator->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  try {
    return parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    stats.used_ll = true;
  }
  parser.reset();  // also rewinds the token stream
  parser.setErrorHandler(std::make_shared<RecoveryStrategy>());
  parser.addErrorListener(&listener);
  simulator->setPredictionMode(antlr4::atn::PredictionMode::LL);
  return parser.file();
}

void report_internal_error(const diag::SourceFile& file, diag::FileId id,
                           diag::DiagnosticSink& sink, const std::string& what) {
  auto size = static_cast<std::uint32_t>(
      std::min<std::size_t>(file.text().size(), std::numeric_limits<std::uint32_t>::max()));
  sink.report(diag::Code::kSyntaxError, {id, 0, std::min<std::uint32_t>(size, 1)},
              "internal error in the parser: " + what)
      .with_hint("this is a bug in gemba; please report it with this file");
}

}  // namespace

std::unique_ptr<ast::Module> parse_with_stats(const diag::SourceFile& file, diag::FileId id,
                                              diag::DiagnosticSink& sink, ParseStats& stats) {
  // The ANTLR runtime reports failures by throwing; none of it may escape.
  try {
    if (file.text().size() >= std::numeric_limits<std::uint32_t>::max()) {
      sink.report(diag::Code::kSyntaxError, {id, 0, 0}, "file too large to parse (4 GiB or more)");
      return empty_module(id);
    }
    std::vector<Token> tokens = filter_tokens(file, id, sink);
    stats.tokens = tokens.size();
    if (!check_nesting(tokens, sink)) return empty_module(id);

    FilteredTokenSource source(tokens, file);
    antlr4::CommonTokenStream stream(&source);
    GembaParser parser(&stream);
    SyntaxErrorListener listener(file, id, sink);
    GembaParser::FileContext* tree = parse_two_stage(parser, listener, stats);
    stats.parsed = true;
    // The tree belongs to the parser: build the AST before the parser goes.
    return build_ast(tree, file, id, sink);
  } catch (const std::exception& e) {
    report_internal_error(file, id, sink, e.what());
  } catch (...) {
    report_internal_error(file, id, sink, "unknown exception");
  }
  return empty_module(id);
}

std::unique_ptr<ast::Module> parse(const diag::SourceFile& file, diag::FileId id,
                                   diag::DiagnosticSink& sink) {
  ParseStats stats;
  return parse_with_stats(file, id, sink, stats);
}

}  // namespace gemba::syntax
