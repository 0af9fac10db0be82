#include "compiler/jit/object_cache.h"

#include <fcntl.h>
#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace gemba::jit {
namespace {

// The entry layout (object_cache.h).
constexpr std::string_view kMagic = "GEMBAOBJ";
constexpr std::size_t kVersionAt = 8;
constexpr std::size_t kKeyAt = 12;
constexpr std::size_t kLengthAt = 44;
constexpr std::size_t kChecksumAt = 52;
constexpr std::size_t kHeaderSize = 84;

CacheKey sha256(std::string_view bytes) {
  return llvm::SHA256::hash(
      llvm::ArrayRef(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string_view view(const CacheKey& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

void put_le(std::string& out, std::uint64_t value, int bytes) {
  for (int k = 0; k < bytes; ++k) out.push_back(static_cast<char>((value >> (8 * k)) & 0xFF));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int k = 0; k < bytes; ++k) {
    value |= std::uint64_t{static_cast<unsigned char>(in[at + k])} << (8 * k);
  }
  return value;
}

std::string encode(const CacheKey& key, std::string_view object) {
  std::string entry;
  entry.reserve(kHeaderSize + object.size());
  entry.append(kMagic);
  put_le(entry, kCacheFormatVersion, 4);
  entry.append(view(key));
  put_le(entry, object.size(), 8);
  entry.append(view(sha256(object)));
  entry.append(object);
  return entry;
}

// The first field of `file` that does not check out, or kOk with `*object` set.
CacheStatus decode(const CacheKey& key, std::string_view file, std::string* object) {
  if (file.size() < kKeyAt) return CacheStatus::kBadLength;
  if (file.substr(0, kMagic.size()) != kMagic) return CacheStatus::kBadMagic;
  if (get_le(file, kVersionAt, 4) != kCacheFormatVersion) return CacheStatus::kBadVersion;
  if (file.size() < kHeaderSize) return CacheStatus::kBadLength;
  if (file.substr(kKeyAt, key.size()) != view(key)) return CacheStatus::kKeyMismatch;
  if (get_le(file, kLengthAt, 8) != file.size() - kHeaderSize) return CacheStatus::kBadLength;
  std::string_view payload = file.substr(kHeaderSize);
  if (file.substr(kChecksumAt, key.size()) != view(sha256(payload))) {
    return CacheStatus::kBadChecksum;
  }
  object->assign(payload);
  return CacheStatus::kOk;
}

// "<operation> <path>: <reason>", from errno; call right after the failing call.
std::string failure(const char* operation, const std::filesystem::path& path) {
  return std::string(operation) + " " + path.string() + ": " +
         std::generic_category().message(errno);
}

// kOk with the whole file in `*bytes`, kNotFound, or kIoError with `*detail`.
CacheStatus read_file(const std::filesystem::path& path, std::string* bytes, std::string* detail) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return CacheStatus::kNotFound;
    *detail = failure("open", path);
    return CacheStatus::kIoError;
  }
  char buffer[1 << 16];
  CacheStatus status = CacheStatus::kOk;
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      bytes->append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      *detail = failure("read", path);
      status = CacheStatus::kIoError;
      break;
    }
  }
  ::close(fd);
  return status;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Writes `bytes` to a new file named after `temp` (a mkostemp pattern, in the directory of
// `target`), makes it durable and renames it over `target`; empty on success, else the
// reason (and no temporary is left).
std::string replace_durably(std::string temp, const std::filesystem::path& target,
                            std::string_view bytes) {
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return failure("create a temporary file", temp);
  std::string problem;
  if (!write_all(fd, bytes)) {
    problem = failure("write", temp);
  } else if (::fsync(fd) != 0) {
    problem = failure("fsync", temp);
  }
  if (::close(fd) != 0 && problem.empty()) problem = failure("close", temp);
  if (problem.empty() && ::rename(temp.c_str(), target.c_str()) != 0) {
    problem = failure("rename to", target);
  }
  if (!problem.empty()) ::unlink(temp.c_str());
  return problem;
}

// Makes the directory's entries (a rename into it) durable; empty or the reason.
std::string sync_directory(const std::filesystem::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return failure("open", directory);
  std::string problem;
  if (::fsync(fd) != 0) problem = failure("fsync", directory);
  ::close(fd);
  return problem;
}

}  // namespace

std::string hex(const CacheKey& key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (std::uint8_t byte : key) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0xF]);
  }
  return text;
}

CacheKey cache_key(const CacheKeyInputs& inputs) {
  llvm::SHA256 sha;
  auto field = [&sha](std::string_view bytes) {
    std::string length;
    put_le(length, bytes.size(), 8);
    sha.update(llvm::StringRef(length));
    sha.update(llvm::StringRef(bytes.data(), bytes.size()));
  };
  field(std::to_string(kCacheFormatVersion));
  field(std::to_string(kLoweredFormVersion));
  field(inputs.compiler_version);
  field(inputs.llvm_version);
  field(inputs.triple);
  field(inputs.cpu);
  field(inputs.features);
  field(inputs.optimization);
  field(inputs.module_ir);
  return sha.final();
}

const char* describe(CacheStatus status) {
  switch (status) {
    case CacheStatus::kOk:
      return "valid entry";
    case CacheStatus::kNotFound:
      return "no entry";
    case CacheStatus::kIoError:
      return "I/O error";
    case CacheStatus::kBadLength:
      return "wrong length (truncated, or bytes after the payload)";
    case CacheStatus::kBadMagic:
      return "not a cache entry (wrong magic)";
    case CacheStatus::kBadVersion:
      return "another format version";
    case CacheStatus::kKeyMismatch:
      return "stored under another key";
    case CacheStatus::kBadChecksum:
      return "payload checksum mismatch";
  }
  return "unknown status";
}

ObjectCache::ObjectCache(std::filesystem::path directory) : directory_(std::move(directory)) {}

std::filesystem::path ObjectCache::entry_path(const CacheKey& key) const {
  return directory_ / (hex(key) + ".gobj");
}

CacheRead ObjectCache::read(const CacheKey& key) const {
  CacheRead result;
  std::string file;
  result.status = read_file(entry_path(key), &file, &result.detail);
  if (result.status == CacheStatus::kOk) result.status = decode(key, file, &result.object);
  return result;
}

CacheStatus ObjectCache::write(const CacheKey& key, std::string_view object,
                               std::string* detail) const {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  std::string problem;
  if (ec) {
    problem = "create directory " + directory_.string() + ": " + ec.message();
  } else {
    problem = replace_durably((directory_ / (hex(key) + ".tmp.XXXXXX")).string(), entry_path(key),
                              encode(key, object));
  }
  if (problem.empty()) problem = sync_directory(directory_);
  if (problem.empty()) return CacheStatus::kOk;
  if (detail) *detail = std::move(problem);
  return CacheStatus::kIoError;
}

}  // namespace gemba::jit
