// The fast body `gemba.fast.f` (emit.h): every node reachable from the root is
// evaluated eagerly, in one basic block, with the same IEEE operations as the checked
// body (no fast-math flags, no contraction), and returns the value and an i1
// `may_fault`. Two properties make it interchangeable with the checked body:
//
// (1) Same value. Where the checked body evaluates a node without faulting, the fast
//     body computes the same operation on the same operands. `a and b` is `a & b`, `a or
//     b` is `a | b`: equal to the short-circuit result whenever b is defined, and every
//     value here is defined (no poison): int `%` divides by 1 where the divisor is 0 or
//     -1, overflowing int operations wrap, IEEE operations never trap, fmod runs on
//     operands replaced by harmless ones where they are not finite or the divisor is 0
//     (so it never sets errno either).
//
// (2) Superset of faults. bad(n), "evaluating n in the checked body faults", composes:
//       bad(n)       = OR bad(operand) | own(n)      (own: overflow, divisor 0, depth,
//                                                     callee fault, n not finite)
//       bad(a and b) = bad(a) | (a & bad(b))         bad(a or b) = bad(a) | (!a & bad(b))
//     (when bad(a) is false, a is the checked value, so the mask is exact). The fast
//     body computes that formula, except that it drops finiteness and real-divisor tests
//     that IEEE propagation makes redundant:
//       - A non-finite operand makes the result non-finite for real `+ - *`, negation,
//         and the dividend of `/` (inf*0 and inf-inf are NaN, NaN propagates): those
//         uses propagate. A real `/` by +-0 gives +-inf or NaN: its zero divisor makes
//         the quotient non-finite too.
//       - Other uses hide a non-finite operand: comparisons, the divisor of `/` (x/inf is
//         0), both operands of `%` (fmod(x, inf) is x; here they are replaced anyway),
//         call arguments (the callee may not read them), and the function's result.
//     Rule: a real node is tested for finiteness iff some use of it hides (the root
//     counts as one), except nodes finite by construction: int -> real (|int64| <
//     2^63), calls (the callee tests its own result) and real `%` (fmod of a finite
//     dividend by a finite nonzero divisor). Real `/` gets no zero test; int and real
//     `%` test their divisor.
//     Why it is enough, by induction over operands: bad(n) implies (fast bad(n)) or
//     "n is not finite". An untested operand's non-finiteness reaches n through a
//     propagating use, and a zero real divisor makes n non-finite; an untested n in turn
//     only feeds propagating uses, up to a tested node, and the root is tested (or
//     finite by construction).
//
// Calls run the callee's fast body at depth + 1, or its checked body (reporting any
// fault as may_fault) when the callee is recursive: eager evaluation would not stop
// there. The depth test is the checked body's, made a flag.
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include <cmath>

#include "compiler/jit/emit.h"

namespace gemba::jit {
namespace {

using lower::Node;
using lower::Op;
using lower::Type;

// Whether a use of operand `k` of `user` carries a non-finite operand into a non-finite
// result (or a zero divisor into a non-finite quotient).
bool propagates(const Node& user, std::size_t k) {
  if (user.type != Type::kReal) return false;
  switch (user.op) {
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kNeg:
      return true;
    case Op::kDiv:
      return k == 0;
    default:
      return false;
  }
}

bool finite_by_construction(const Node& node) {
  return node.op == Op::kToReal || node.op == Op::kCall || node.op == Op::kMod;
}

// By node: whether the fast body tests the node's value for finiteness (the rule above).
std::vector<bool> finiteness_tests(const lower::Function& function) {
  std::vector<bool> hidden(function.nodes.size(), false);
  hidden[function.root] = true;
  for (const Node& user : function.nodes) {
    for (std::size_t k = 0; k < user.args.size(); ++k) {
      if (!propagates(user, k)) hidden[user.args[k]] = true;
    }
  }
  std::vector<bool> tested(function.nodes.size(), false);
  for (std::size_t n = 0; n < function.nodes.size(); ++n) {
    const Node& node = function.nodes[n];
    tested[n] = node.type == Type::kReal && hidden[n] && !finite_by_construction(node);
  }
  return tested;
}

// A node's value and bad(node) as the fast body computes it.
struct Evaluated {
  llvm::Value* value = nullptr;
  llvm::Value* bad = nullptr;  // i1
};

class FastEmitter {
 public:
  FastEmitter(const ModuleContext& mc, std::size_t index)
      : mc_(mc),
        function_(mc.module->functions[index]),
        fast_(mc.fasts[index]),
        builder_(fast_->getContext()),
        tested_(finiteness_tests(function_)),
        done_(function_.nodes.size()) {}

  void emit() {
    builder_.SetInsertPoint(llvm::BasicBlock::Create(fast_->getContext(), "entry", fast_));
    Evaluated root = node(function_.root);
    llvm::Value* pair = llvm::UndefValue::get(fast_->getReturnType());
    pair = builder_.CreateInsertValue(pair, root.value, 0);
    pair = builder_.CreateInsertValue(pair, root.bad, 1);
    builder_.CreateRet(pair);
  }

 private:
  llvm::Value* depth() { return fast_->getArg(function_.params.size()); }
  llvm::Value* no() { return builder_.getFalse(); }

  // `a | b` and `a & b` of i1 flags, folding a constant operand (keeps the unoptimized
  // IR readable: most nodes cannot fault).
  llvm::Value* either(llvm::Value* a, llvm::Value* b) {
    if (a == no()) return b;
    if (b == no()) return a;
    return builder_.CreateOr(a, b);
  }
  llvm::Value* both(llvm::Value* a, llvm::Value* b) {
    if (a == no() || b == no()) return no();
    return builder_.CreateAnd(a, b);
  }

  // A constant's finiteness is known here; other values are tested at run time.
  llvm::Value* finiteness_test(const Node& n, llvm::Value* v) {
    if (n.op == Op::kConst) return builder_.getInt1(!std::isfinite(n.value.r));
    return not_finite(builder_, v);
  }

  Evaluated node(std::uint32_t index) {
    if (done_[index].value == nullptr) {
      Evaluated e = compute(function_.nodes[index]);
      if (tested_[index]) e.bad = either(e.bad, finiteness_test(function_.nodes[index], e.value));
      done_[index] = e;
    }
    return done_[index];
  }

  Evaluated compute(const Node& n) {
    switch (n.op) {
      case Op::kConst:
        return {constant_of(builder_, n), no()};
      case Op::kParam:
        return {fast_->getArg(n.index), no()};
      case Op::kNot: {
        Evaluated a = node(n.args[0]);
        return {builder_.CreateNot(a.value), a.bad};
      }
      case Op::kAnd:
      case Op::kOr:
        return logical(n);
      case Op::kToReal: {
        Evaluated a = node(n.args[0]);
        return {builder_.CreateSIToFP(a.value, builder_.getDoubleTy()), a.bad};
      }
      case Op::kCall:
        return call(n);
      case Op::kNeg:
        return negation(n);
      default:
        return binary(n);
    }
  }

  Evaluated negation(const Node& n) {
    Evaluated a = node(n.args[0]);
    if (n.type == Type::kReal) return {builder_.CreateFNeg(a.value), a.bad};
    return with_overflow(llvm::Intrinsic::ssub_with_overflow, builder_.getInt64(0), a.value, a.bad);
  }

  // bad(a and b) = bad(a) | (a & bad(b)); bad(a or b) = bad(a) | (!a & bad(b)).
  Evaluated logical(const Node& n) {
    Evaluated a = node(n.args[0]);
    Evaluated b = node(n.args[1]);
    bool is_and = n.op == Op::kAnd;
    llvm::Value* value =
        is_and ? builder_.CreateAnd(a.value, b.value) : builder_.CreateOr(a.value, b.value);
    llvm::Value* decides_not = is_and ? a.value : builder_.CreateNot(a.value);
    return {value, either(a.bad, both(decides_not, b.bad))};
  }

  Evaluated binary(const Node& n) {
    Evaluated a = node(n.args[0]);
    Evaluated b = node(n.args[1]);
    llvm::Value* bad = either(a.bad, b.bad);
    Type operand = function_.nodes[n.args[0]].type;
    if (n.type == Type::kBool) return {compare(builder_, n.op, operand, a.value, b.value), bad};
    if (operand == Type::kInt) return int_arithmetic(n.op, a.value, b.value, bad);
    return real_arithmetic(n.op, a.value, b.value, bad);
  }

  Evaluated int_arithmetic(Op op, llvm::Value* a, llvm::Value* b, llvm::Value* bad) {
    switch (op) {
      case Op::kAdd:
        return with_overflow(llvm::Intrinsic::sadd_with_overflow, a, b, bad);
      case Op::kSub:
        return with_overflow(llvm::Intrinsic::ssub_with_overflow, a, b, bad);
      case Op::kMul:
        return with_overflow(llvm::Intrinsic::smul_with_overflow, a, b, bad);
      default: {  // kMod
        llvm::Value* zero = builder_.CreateICmpEQ(b, builder_.getInt64(0));
        llvm::Value* divisor = builder_.CreateSelect(zero, builder_.getInt64(1), b);
        return {int_remainder(builder_, a, divisor), either(bad, zero)};
      }
    }
  }

  Evaluated with_overflow(llvm::Intrinsic::ID id, llvm::Value* a, llvm::Value* b,
                          llvm::Value* bad) {
    llvm::Value* pair = builder_.CreateBinaryIntrinsic(id, a, b);
    return {builder_.CreateExtractValue(pair, 0),
            either(bad, builder_.CreateExtractValue(pair, 1))};
  }

  // The finiteness of a real result is tested in node(), per the rule.
  Evaluated real_arithmetic(Op op, llvm::Value* a, llvm::Value* b, llvm::Value* bad) {
    switch (op) {
      case Op::kAdd:
        return {builder_.CreateFAdd(a, b), bad};
      case Op::kSub:
        return {builder_.CreateFSub(a, b), bad};
      case Op::kMul:
        return {builder_.CreateFMul(a, b), bad};
      case Op::kDiv:
        return {builder_.CreateFDiv(a, b), bad};
      default:
        return remainder(a, b, bad);
    }
  }

  // fmod with operands outside its domain errors replaced: a non-finite dividend by 0,
  // a zero or non-finite divisor by 1. Both operands are tested (their uses hide), and
  // the zero divisor is tested here, so the replacement only happens under may_fault.
  Evaluated remainder(llvm::Value* a, llvm::Value* b, llvm::Value* bad) {
    llvm::Type* real = builder_.getDoubleTy();
    llvm::Value* zero = builder_.CreateFCmpOEQ(b, llvm::ConstantFP::get(real, 0.0));
    llvm::Value* dividend =
        builder_.CreateSelect(not_finite(builder_, a), llvm::ConstantFP::get(real, 0.0), a);
    llvm::Value* divisor = builder_.CreateSelect(builder_.CreateOr(zero, not_finite(builder_, b)),
                                                 llvm::ConstantFP::get(real, 1.0), b);
    llvm::CallInst* call = builder_.CreateCall(mc_.fmod, {dividend, divisor});
    call->setDoesNotAccessMemory();  // no domain error, so errno is untouched
    call->setDoesNotThrow();
    return {call, either(bad, zero)};
  }

  Evaluated call(const Node& n) {
    std::vector<llvm::Value*> args;
    llvm::Value* bad = builder_.CreateICmpUGE(depth(), builder_.getInt32(lower::kMaxCallDepth));
    for (std::uint32_t arg : n.args) {
      Evaluated a = node(arg);
      args.push_back(a.value);
      bad = either(bad, a.bad);
    }
    args.push_back(builder_.CreateAdd(depth(), builder_.getInt32(1)));
    if (mc_.recursive[n.index]) {
      args.push_back(scratch_site());
      llvm::Value* pair = builder_.CreateCall(mc_.impls[n.index], args);
      llvm::Value* fault = builder_.CreateExtractValue(pair, 1);
      return {builder_.CreateExtractValue(pair, 0),
              either(bad, builder_.CreateICmpNE(fault, builder_.getInt32(0)))};
    }
    llvm::Value* pair = builder_.CreateCall(mc_.fasts[n.index], args);
    return {builder_.CreateExtractValue(pair, 0),
            either(bad, builder_.CreateExtractValue(pair, 1))};
  }

  // Where a checked callee stores its (ignored) fault site; one per body.
  llvm::Value* scratch_site() {
    if (scratch_ == nullptr) {
      llvm::IRBuilder<> entry(&fast_->getEntryBlock(), fast_->getEntryBlock().begin());
      scratch_ = entry.CreateAlloca(entry.getInt32Ty());
    }
    return scratch_;
  }

  const ModuleContext& mc_;
  const lower::Function& function_;
  llvm::Function* fast_;
  llvm::IRBuilder<> builder_;
  std::vector<bool> tested_;     // by node: finiteness tested (the rule above)
  std::vector<Evaluated> done_;  // by node; value null until emitted
  llvm::Value* scratch_ = nullptr;
};

}  // namespace

void emit_fast_body(const ModuleContext& mc, std::size_t index) { FastEmitter(mc, index).emit(); }

}  // namespace gemba::jit
