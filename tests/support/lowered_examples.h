// Test support: the example enterprise (examples/) checked against every plant model and
// lowered, once per test process (several suites read it; none changes it).
#pragma once

#include <string>

#include "compiler/driver/pipeline.h"

namespace gemba::testing {

inline const driver::CheckRun& lowered_examples() {
  static const driver::CheckRun* run = [] {
    driver::CheckOptions options;
    options.plant_paths = {std::string(GEMBA_SOURCE_DIR) + "/examples/plants"};
    options.lower = true;
    return new driver::CheckRun(
        driver::check_paths({std::string(GEMBA_SOURCE_DIR) + "/examples"}, options));
  }();
  return *run;
}

}  // namespace gemba::testing
