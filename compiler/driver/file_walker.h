// The input files of a run: the files named on the command line, and every `*.gmb`
// under the folders named there.
#pragma once

#include <string>
#include <vector>

#include "compiler/driver/file_reader.h"

namespace gemba::driver {

struct InputFile {
  std::string path;  // as given, or the given folder joined with the path inside it
  std::string text;
};

struct CollectedInputs {
  std::vector<InputFile> files;
  std::vector<std::string> io_errors;  // "cannot read `PATH`: reason"
};

// Files in the order given; a named file is taken whatever its extension. A folder
// contributes every regular `*.gmb` file below it, sorted by path (byte order), so a
// run never depends on the order the file system lists them in. A file reached twice
// (named twice, or named and inside a named folder) is read once, at its first place.
CollectedInputs collect_inputs(const std::vector<std::string>& paths,
                               const FileReader& read = read_text_file);

}  // namespace gemba::driver
