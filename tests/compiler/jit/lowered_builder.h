// Builds small lowered modules by hand for the code generator and JIT tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/lower/lowered.h"

namespace gemba::jit::testing {

class FunctionBuilder {
 public:
  FunctionBuilder(std::string name, lower::Type result) {
    function_.name = std::move(name);
    function_.result = result;
  }

  // A new parameter and its kParam node.
  std::uint32_t param(lower::Type type) {
    function_.params.push_back(type);
    return node(lower::Op::kParam, type, {},
                static_cast<std::uint32_t>(function_.params.size() - 1));
  }
  std::uint32_t real(double v) {
    lower::Scalar s{};
    s.r = v;
    return node(lower::Op::kConst, lower::Type::kReal, {}, 0, s);
  }
  std::uint32_t integer(std::int64_t v) {
    lower::Scalar s{};
    s.i = v;
    return node(lower::Op::kConst, lower::Type::kInt, {}, 0, s);
  }
  std::uint32_t boolean(bool v) {
    lower::Scalar s{};
    s.b = v;
    return node(lower::Op::kConst, lower::Type::kBool, {}, 0, s);
  }
  std::uint32_t call(std::uint32_t callee, lower::Type type, std::vector<std::uint32_t> args) {
    return node(lower::Op::kCall, type, std::move(args), callee);
  }
  std::uint32_t node(lower::Op op, lower::Type type, std::vector<std::uint32_t> args,
                     std::uint32_t index = 0, lower::Scalar value = {}) {
    lower::Node n;
    n.op = op;
    n.type = type;
    n.value = value;
    n.index = index;
    n.args = std::move(args);
    function_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(function_.nodes.size() - 1);
  }

  // The function, its root being the last node.
  lower::Function done() {
    function_.root = static_cast<std::uint32_t>(function_.nodes.size() - 1);
    return function_;
  }

 private:
  lower::Function function_;
};

// Scalars for arguments: I(int), R(real), B(bool); the other bytes are zero.
inline lower::Scalar I(std::int64_t v) {
  lower::Scalar s{};
  s.i = v;
  return s;
}
inline lower::Scalar R(double v) {
  lower::Scalar s{};
  s.r = v;
  return s;
}
inline lower::Scalar B(bool v) {
  lower::Scalar s{};
  s.b = v;
  return s;
}

inline lower::Module module_of(std::vector<lower::Function> functions, std::string name = "test") {
  lower::Module module;
  module.name = std::move(name);
  module.functions = std::move(functions);
  return module;
}

}  // namespace gemba::jit::testing
