// The standard library's .gmb sources, compiled into the binary at build time by
// stdlib/embed_stdlib.cmake, so `gemba` needs no files beside it.
#pragma once

#include <span>
#include <string_view>

namespace gemba::stdlib {

struct EmbeddedFile {
  std::string_view path;  // relative to stdlib/, '/'-separated, e.g. "std/units.gmb"
  std::string_view text;  // the file's exact bytes
};

// Every embedded file, sorted by path (byte order). The views point to static storage
// and stay valid for the whole program.
std::span<const EmbeddedFile> embedded_files();

}  // namespace gemba::stdlib
