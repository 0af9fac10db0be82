// The passes whose result `gemba check --dump-after=PASS` can print.
#pragma once

#include <array>
#include <string_view>

namespace gemba::driver {

inline constexpr std::array<std::string_view, 3> kDumpPasses = {"parse", "check", "specialize"};

}  // namespace gemba::driver
