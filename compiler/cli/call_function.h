// `gemba compile ... --call 'f(1, 2.5, true)'`: runs one function of the compiled
// program (a user function, a limit check, a KPI formula) with the JIT, or with the
// reference interpreter (`--engine interp`), and prints its result. A run-time fault is
// a diagnostic (G1001) at the script location of the operation that faulted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/lower/lowered.h"

namespace gemba::cli {

struct CallRequest {
  std::string function;
  std::vector<std::string> args;  // as written
};

// `name(arg, ...)`; nullopt with `*error` set when it is not of that shape.
std::optional<CallRequest> parse_call(const std::string& text, std::string* error);

struct CallResult {
  std::string value;                       // the result as text, when it ran to the end
  std::optional<diag::Diagnostic> fault;   // G1001, when it faulted
  std::string error;                       // a usage error: unknown function, bad argument
};

CallResult call_function(const lower::Module& module, const CallRequest& request, bool use_jit);

}  // namespace gemba::cli
