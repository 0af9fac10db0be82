#include "runtime/workflow/clock.h"

#include <chrono>

namespace gemba::workflow {

double SystemClock::now() const {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace gemba::workflow
