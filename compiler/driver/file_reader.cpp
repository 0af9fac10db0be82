#include "compiler/driver/file_reader.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

namespace gemba::driver {
namespace {

ReadResult failure(ReadResult::Status status, std::errc code) {
  return {status, {}, std::make_error_code(code).message()};
}

ReadResult from_errno(int error) {
  bool missing = error == ENOENT || error == ENOTDIR;
  return {missing ? ReadResult::Status::kNotFound : ReadResult::Status::kFailed,
          {},
          std::generic_category().message(error)};
}

}  // namespace

ReadResult read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return failure(ReadResult::Status::kIsDirectory, std::errc::is_a_directory);
  }
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return from_errno(errno);
  ReadResult out;
  char buffer[64 * 1024];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) out.text.append(buffer, n);
  if (std::ferror(file.get())) return from_errno(errno != 0 ? errno : EIO);
  return out;
}

}  // namespace gemba::driver
