// The center's tokens file (`--tokens FILE`): which bearer token authenticates which
// plant. One `plant token` pair per line; blank lines and lines starting with `#` are
// ignored; a plant has one token, and a token belongs to one plant.
//
//   # plant    token
//   houston    3f9c2a7be1d04c55a9e1
//   rotterdam  b8d1f0e94c2a7735c6aa
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gemba::center {

inline constexpr std::size_t kMinTokenLength = 16;
inline constexpr std::size_t kMaxTokenLength = 512;

class Tokens {
 public:
  // Reads the file; on failure nullopt and `*error` with one line per mistake,
  // `FILE:LINE: what is wrong`.
  static std::optional<Tokens> load(const std::filesystem::path& file, std::string* error);
  // The same from text; `file_name` names it in errors.
  static std::optional<Tokens> parse(std::string_view text, const std::string& file_name,
                                     std::string* error);

  // The plant that `token` authenticates, or nullptr. Runs in a time that does not depend
  // on how much of the token matches any configured token: every entry is compared, as
  // SHA-256 digests, with CRYPTO_memcmp.
  const std::string* plant_of(std::string_view token) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string plant;
    std::array<unsigned char, 32> digest;  // SHA-256 of the token
  };
  std::vector<Entry> entries_;
};

}  // namespace gemba::center
