#include "compiler/driver/module_names.h"

#include <algorithm>

#include "compiler/diag/paths.h"
#include "stdlib/embedded_stdlib.h"

namespace gemba::driver {

std::string module_relative_path(std::string_view module_name) {
  std::string path(module_name);
  std::replace(path.begin(), path.end(), '.', '/');
  return path + ".gmb";
}

bool is_stdlib_module_name(std::string_view module_name) {
  return module_name == "std" || module_name.starts_with("std.");
}

std::optional<StdlibModule> find_stdlib_module(std::string_view module_name) {
  if (!is_stdlib_module_name(module_name)) return std::nullopt;
  std::string wanted = module_relative_path(module_name);
  for (const stdlib::EmbeddedFile& file : stdlib::embedded_files()) {
    if (file.path == wanted) {
      return StdlibModule{std::string(diag::kStdlibPathPrefix) + wanted, file.text};
    }
  }
  return std::nullopt;
}

std::vector<std::string> stdlib_module_names() {
  constexpr std::string_view kExtension = ".gmb";
  std::vector<std::string> names;
  for (const stdlib::EmbeddedFile& file : stdlib::embedded_files()) {
    if (!file.path.ends_with(kExtension)) continue;
    std::string name(file.path.substr(0, file.path.size() - kExtension.size()));
    std::replace(name.begin(), name.end(), '/', '.');
    if (is_stdlib_module_name(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace gemba::driver
