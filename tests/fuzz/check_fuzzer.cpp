// libFuzzer target over the whole front end: bytes -> check_sources -> every renderer.
// The shapes and oracles are in check_one_input.h. Build and run it with
// `bash tests/fuzz/run_short.sh`; tests/fuzz/README.md has the rest.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/check_one_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gemba::fuzz::check_one_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
