// A directory of compiled objects, one file per key, that survives the process: the
// JIT's object cache (jit.h). Free of LLVM headers.
//
// Entry file `<directory>/<hex key>.gobj`, integers little-endian:
//
//   offset  size  field
//        0     8  magic "GEMBAOBJ"
//        8     4  format version (kCacheFormatVersion)
//       12    32  key: the SHA-256 the entry was stored under (cache_key)
//       44     8  payload length in bytes
//       52    32  SHA-256 of the payload
//       84     n  payload: the object file (ELF on Linux), as the code generator made it
//
// An entry is valid only if every field checks out and the file ends exactly after the
// payload; read() reports the first field that does not (a status value, no exception),
// and never returns the payload of an invalid entry. write() is atomic: a temporary
// `<hex key>.tmp.XXXXXX` in the same directory is written, fsynced, renamed over the
// entry, and the directory fsynced; readers see the old entry or the new one, whole. A
// temporary left by a crash is never read and may be deleted.
//
// A change to the layout or to what the key covers increments kCacheFormatVersion.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace gemba::jit {

// The lowered form's version (compiler/lower/README.md, "Changes"): part of every key.
inline constexpr std::uint32_t kLoweredFormVersion = 2;

// The version of the entry layout above and of the key's composition (cache_key).
inline constexpr std::uint32_t kCacheFormatVersion = 1;

using CacheKey = std::array<std::uint8_t, 32>;  // a SHA-256 digest

std::string hex(const CacheKey& key);  // 64 lowercase hex digits

// Everything a compiled object depends on. Equal inputs compile to interchangeable
// objects; the module's IR covers the template and the plant model (plant constants are
// folded into the lowered form, hence into the IR).
struct CacheKeyInputs {
  std::string compiler_version;  // Gemba's (GEMBA_VERSION)
  std::string llvm_version;      // LLVM_VERSION_STRING
  std::string triple;            // the target machine's triple, CPU and features
  std::string cpu;
  std::string features;
  std::string optimization;  // the IR pipeline and the target machine's code options
  std::string module_ir;     // the unoptimized IR text, symbols under a fixed prefix
};

// SHA-256 over kCacheFormatVersion, kLoweredFormVersion and every field of `inputs` in
// declaration order, each field as its length (8 bytes, little-endian) then its bytes.
CacheKey cache_key(const CacheKeyInputs& inputs);

enum class CacheStatus : std::uint8_t {
  kOk,
  kNotFound,     // no entry under the key (nor a directory above it)
  kIoError,      // the file system refused: `detail` says which operation and why
  kBadLength,    // shorter than its header, or not header + declared payload length
  kBadMagic,     // not an entry file
  kBadVersion,   // an entry of another format version
  kKeyMismatch,  // an entry stored under another key
  kBadChecksum,  // the payload is not the one stored
};
const char* describe(CacheStatus status);  // "payload checksum mismatch", ...

struct CacheRead {
  CacheStatus status = CacheStatus::kNotFound;
  std::string object;  // the payload, when kOk; empty otherwise
  std::string detail;  // when kIoError: the failed operation and the system's reason
};

class ObjectCache {
 public:
  // The directory need not exist: write() creates it.
  explicit ObjectCache(std::filesystem::path directory);

  std::filesystem::path entry_path(const CacheKey& key) const;

  CacheRead read(const CacheKey& key) const;

  // Stores `object` under `key`, replacing any entry. kOk, or kIoError with `*detail`
  // set (when not null); a failed write leaves no temporary behind.
  CacheStatus write(const CacheKey& key, std::string_view object, std::string* detail) const;

 private:
  std::filesystem::path directory_;
};

}  // namespace gemba::jit
