// Private to compiler/lower/: a specialized procedure as a state machine (machine.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "compiler/lower/lowered.h"
#include "compiler/specialize/specialization.h"

namespace gemba::lower {

// Appends the procedure's expressions to `module.functions` and returns its machine.
// Throws Unsupported (function_builder.h) for what this version cannot lower; the caller
// then drops the functions it appended. `callees` are the lowered user functions;
// `unique_name` makes a function name unique in the module.
Machine lower_procedure(const specialize::Specialization& s,
                        const specialize::SpecializedProcedure& procedure, Module& module,
                        const std::map<const ast::Decl*, std::uint32_t>& callees,
                        const std::function<std::string(std::string)>& unique_name);

}  // namespace gemba::lower
