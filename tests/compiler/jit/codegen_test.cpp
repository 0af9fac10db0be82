#include "compiler/jit/codegen.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/compiler/jit/lowered_builder.h"

namespace gemba::jit {
namespace {

using lower::Op;
using lower::Type;
using testing::FunctionBuilder;
using testing::module_of;

lower::Module sample() {
  FunctionBuilder scale("scale", Type::kReal);
  std::uint32_t x = scale.param(Type::kReal);
  scale.node(Op::kMod, Type::kReal,
             {scale.node(Op::kMul, Type::kReal, {x, scale.real(2.5)}), scale.real(7.0)});
  FunctionBuilder limit("limit_0", Type::kBool);
  std::uint32_t v = limit.param(Type::kReal);
  std::uint32_t scaled = limit.call(0, Type::kReal, {v});
  limit.node(Op::kAnd, Type::kBool,
             {limit.node(Op::kGe, Type::kBool, {scaled, limit.real(0.0)}),
              limit.node(Op::kLe, Type::kBool, {scaled, limit.real(5.0)})});
  return module_of({scale.done(), limit.done()}, "templates.mix@houston");
}

TEST(CodegenTest, IrHasWrappersAndImpls) {
  std::string error;
  std::string ir = emit_llvm_ir(sample(), false, &error);
  ASSERT_FALSE(ir.empty()) << error;
  EXPECT_NE(ir.find("define i32 @scale(ptr"), std::string::npos) << ir;
  EXPECT_NE(ir.find("define i32 @limit_0(ptr"), std::string::npos);
  EXPECT_NE(ir.find("define internal { double, i32 } @gemba.impl.scale(double"), std::string::npos);
  EXPECT_NE(ir.find("@fmod(double"), std::string::npos);
  EXPECT_NE(ir.find("and.rhs"), std::string::npos);
  for (const char* flag : {" fast ", " contract ", " reassoc ", " nnan ", " ninf ", " afn "}) {
    EXPECT_EQ(ir.find(flag), std::string::npos) << flag;  // no fast-math flags
  }
}

// The text of the definition of `@name` in `ir` (from `define` to its closing brace).
std::string definition(const std::string& ir, const std::string& name) {
  std::size_t at = ir.find("@" + name + "(");
  std::size_t start = ir.rfind("define ", at);
  if (at == std::string::npos || start == std::string::npos) return "";
  return ir.substr(start, ir.find("\n}\n", at) - start);
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(CodegenTest, IrHasFastBodiesAndBatchEntryPoints) {
  std::string error;
  std::string ir = emit_llvm_ir(sample(), false, &error);
  ASSERT_FALSE(ir.empty()) << error;
  EXPECT_NE(ir.find("define internal { double, i1 } @gemba.fast.scale(double"), std::string::npos)
      << ir;
  EXPECT_NE(ir.find("define i32 @scale.batch(ptr"), std::string::npos);
  EXPECT_NE(ir.find("define i32 @limit_0.batch(ptr"), std::string::npos);
  for (const char* fast : {"gemba.fast.scale", "gemba.fast.limit_0"}) {
    std::string body = definition(ir, fast);
    ASSERT_FALSE(body.empty()) << fast;
    EXPECT_EQ(body.find(" br "), std::string::npos) << body;  // one basic block
  }
  // A fast body calls its callee's fast body.
  EXPECT_NE(definition(ir, "gemba.fast.limit_0").find("call { double, i1 } @gemba.fast.scale("),
            std::string::npos);
}

// in_band(raw) = 255.37 + raw * 0.56 in 333.15 .. 343.15, as the lowering makes it.
lower::Module limit_check() {
  FunctionBuilder f("in_band", Type::kBool);
  std::uint32_t raw = f.param(Type::kReal);
  std::uint32_t kelvin = f.node(
      Op::kAdd, Type::kReal, {f.real(255.37), f.node(Op::kMul, Type::kReal, {raw, f.real(0.56)})});
  f.node(Op::kAnd, Type::kBool,
         {f.node(Op::kLe, Type::kBool, {f.real(333.15), kelvin}),
          f.node(Op::kLe, Type::kBool, {kelvin, f.real(343.15)})});
  return module_of({f.done()});
}

TEST(CodegenTest, FastBodyTestsFinitenessOnlyWhereAUseHidesIt) {
  std::string error;
  std::string ir = emit_llvm_ir(limit_check(), false, &error);
  ASSERT_FALSE(ir.empty()) << error;
  // raw and the product propagate into the sum; the sum feeds comparisons: one test.
  EXPECT_EQ(occurrences(definition(ir, "gemba.fast.in_band"), "call double @llvm.fabs"), 1u)
      << definition(ir, "gemba.fast.in_band");
  // The checked body tests every real node (constants fold once optimized).
  EXPECT_EQ(occurrences(definition(ir, "gemba.impl.in_band"), "call double @llvm.fabs"), 7u);
}

TEST(CodegenTest, BatchLoopIsVectorized) {
  std::string error;
  std::string ir = emit_llvm_ir(limit_check(), true, &error);
  ASSERT_FALSE(ir.empty()) << error;
  std::string batch = definition(ir, "in_band.batch");
  ASSERT_FALSE(batch.empty()) << ir;
  EXPECT_NE(batch.find("fmul <"), std::string::npos) << batch;  // <N x double>, N >= 2
  EXPECT_NE(batch.find("fcmp ole <"), std::string::npos) << batch;
}

TEST(CodegenTest, InternalFunctionsGetNoEntryPoints) {
  lower::Module module = sample();
  module.functions[1].entry = false;  // limit_0: only its checked body remains
  std::string error;
  std::string ir = emit_llvm_ir(module, false, &error);
  ASSERT_FALSE(ir.empty()) << error;
  EXPECT_NE(ir.find("@gemba.impl.limit_0("), std::string::npos) << ir;
  EXPECT_EQ(ir.find("@gemba.fast.limit_0("), std::string::npos);
  EXPECT_EQ(ir.find("@limit_0("), std::string::npos);
  EXPECT_EQ(ir.find("@limit_0.batch("), std::string::npos);
  module.functions[0].entry = false;
  module.functions[1].entry = true;  // limit_0 calls scale: scale keeps its fast body
  ir = emit_llvm_ir(module, false, &error);
  EXPECT_NE(ir.find("@gemba.fast.scale("), std::string::npos) << ir;
  EXPECT_EQ(ir.find("@scale("), std::string::npos);
}

TEST(CodegenTest, OptimizedIrKeepsTheEntryPoints) {
  std::string error;
  std::string ir = emit_llvm_ir(sample(), true, &error);
  ASSERT_FALSE(ir.empty()) << error;
  EXPECT_NE(ir.find("@scale(ptr"), std::string::npos) << ir;
  EXPECT_NE(ir.find("@limit_0(ptr"), std::string::npos);
  EXPECT_EQ(ir.find("fmuladd"), std::string::npos);
}

TEST(CodegenTest, AssemblyForTheHost) {
  std::string error;
  std::string assembly = emit_assembly(sample(), &error);
  ASSERT_FALSE(assembly.empty()) << error;
  EXPECT_NE(assembly.find("scale:"), std::string::npos) << assembly;
  EXPECT_NE(assembly.find("limit_0:"), std::string::npos);
  EXPECT_NE(assembly.find(".globl\tscale"), std::string::npos);
}

TEST(CodegenTest, InvalidModuleGivesAnError) {
  FunctionBuilder f("bad", Type::kBool);
  f.node(Op::kNot, Type::kBool, {f.param(Type::kInt)});
  std::string error;
  EXPECT_TRUE(emit_llvm_ir(module_of({f.done()}), false, &error).empty());
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_TRUE(emit_assembly(module_of({f.done()}), &error).empty());
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace gemba::jit
