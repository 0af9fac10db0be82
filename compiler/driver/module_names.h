// Where a module name leads: `import a.b;` means a file `a/b.gmb`, on disk or, for
// `std.*`, in the standard library embedded in the binary.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gemba::driver {

// "a.b" -> "a/b.gmb".
std::string module_relative_path(std::string_view module_name);

// True for `std` and every `std.*`: names only the standard library may provide.
bool is_stdlib_module_name(std::string_view module_name);

struct StdlibModule {
  std::string path;       // as registered in the SourceManager: "<stdlib>/std/units.gmb"
  std::string_view text;  // static storage
};

// The embedded file of a `std.*` module, if the standard library has one.
std::optional<StdlibModule> find_stdlib_module(std::string_view module_name);

// Every module the standard library provides ("std.units", ...), sorted.
std::vector<std::string> stdlib_module_names();

}  // namespace gemba::driver
