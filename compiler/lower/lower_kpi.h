// Private to compiler/lower/: a KPI formula as a pure function of the ISO 22400
// elements it reads (lowered.h, Kpi).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "compiler/lower/lowered.h"
#include "compiler/specialize/specialization.h"

namespace gemba::lower {

// Appends the KPI's function to `module.functions` and returns its description. Throws
// Unsupported (function_builder.h) for what this version cannot lower, before appending.
Kpi lower_kpi(const specialize::Specialization& s, const ast::KpiDecl& kpi, Module& module,
              const std::map<const ast::Decl*, std::uint32_t>& callees,
              const std::function<std::string(std::string)>& unique_name);

}  // namespace gemba::lower
