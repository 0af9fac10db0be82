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
  EXPECT_EQ(ir.find("contract"), std::string::npos);  // no fast-math flags
  EXPECT_EQ(ir.find("fast"), std::string::npos);
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
