// Reading one source file from disk, with the reason when it cannot be read.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace gemba::driver {

struct ReadResult {
  enum class Status { kOk, kNotFound, kIsDirectory, kFailed };
  Status status = Status::kOk;
  std::string text;   // the file's bytes, when kOk
  std::string error;  // why not, otherwise: "No such file or directory"
};

ReadResult read_text_file(const std::filesystem::path& path);

// What the driver reads files through, so that tests can give it a file system of
// their own.
using FileReader = std::function<ReadResult(const std::filesystem::path&)>;

}  // namespace gemba::driver
