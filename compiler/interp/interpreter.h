// The reference interpreter of the lowered form (compiler/lower/README.md): a direct,
// recursive walk of each function's expression tree, written to be obviously correct
// rather than fast. The JIT (compiler/jit/) is tested against it bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "compiler/lower/lowered.h"

namespace gemba::interp {

class Interpreter {
 public:
  // `module` must pass lower::verify; the interpreter keeps its own copy.
  explicit Interpreter(const lower::Module& module);

  // Runs function `function` with the shared entry-point contract: `args` holds one
  // scalar per parameter; on kNone `*result` holds the value (a bool result has the other
  // seven bytes zero); on a fault `*result` is unspecified and `*fault_site` (when not
  // null) is the index of the faulting node *in function `function`*: a fault inside a
  // callee is reported at the kCall node of `function` that led to it.
  // Does not allocate unless a callee has more than kInlineArgs parameters.
  lower::Fault call(std::size_t function, const lower::Scalar* args, lower::Scalar* result,
                    std::uint32_t* fault_site) const;

  // Runs function `function` on `count` items with the batch contract of
  // lower::BatchEntryPoint: `args` holds one record of one scalar per parameter per item;
  // items run in order; on the first fault, its item index goes to `*fault_item` and its
  // site to `*fault_site` (each when not null), and results from that item on are
  // unspecified; otherwise `results[k]` holds item k's result.
  lower::Fault call_batch(std::size_t function, const lower::Scalar* args, lower::Scalar* results,
                          std::uint64_t count, std::uint64_t* fault_item,
                          std::uint32_t* fault_site) const;

  std::optional<std::size_t> find(const std::string& name) const;

  const lower::Module& module() const { return module_; }

  static constexpr std::size_t kInlineArgs = 16;

 private:
  struct Frame;

  lower::Fault eval(const Frame& frame, std::uint32_t node, lower::Scalar* out,
                    std::uint32_t* site) const;
  lower::Fault eval_binary(const Frame& frame, std::uint32_t node, lower::Scalar* out,
                           std::uint32_t* site) const;
  lower::Fault eval_logical(const Frame& frame, std::uint32_t node, lower::Scalar* out,
                            std::uint32_t* site) const;
  lower::Fault eval_call(const Frame& frame, std::uint32_t node, lower::Scalar* out,
                         std::uint32_t* site) const;
  lower::Fault run(std::size_t function, const lower::Scalar* args, int depth,
                   lower::Scalar* result, std::uint32_t* site) const;

  lower::Module module_;
  std::unordered_map<std::string, std::size_t> by_name_;
};

}  // namespace gemba::interp
