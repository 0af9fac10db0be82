#include "compiler/ast/ast.h"

namespace gemba::ast {

std::string Path::text() const {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += '.';
    out += part.name;
  }
  return out;
}

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
  }
  return "?";
}

const char* spelling(Handler::Kind kind) {
  switch (kind) {
    case Handler::Kind::kHold:
      return "hold";
    case Handler::Kind::kAbort:
      return "abort";
    case Handler::Kind::kCleanup:
      return "cleanup";
  }
  return "";
}

}  // namespace gemba::ast
