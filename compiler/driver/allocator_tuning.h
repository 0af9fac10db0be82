// Process-wide memory-allocator settings for programs that run the front end.
#pragma once

namespace gemba::driver {

// Call once, first thing in main. The parser allocates and frees millions of small
// parse-tree nodes; glibc's fastbins then pay consolidation passes whose cost grows
// with the heap, so checking 100 k lines took 15 % longer per line than 10 k lines.
// Without fastbins the cost per line stays flat and is lower at both sizes
// (tests/bench/frontend_bench.cpp measures it). A no-op on other C libraries.
void tune_allocator();

}  // namespace gemba::driver
