#include "runtime/center/tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <map>
#include <sstream>

#include "runtime/wire/batch.h"

namespace gemba::center {
namespace {

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t at = 0;
  while (true) {
    at = line.find_first_not_of(" \t\r", at);
    if (at == std::string_view::npos) return fields;
    std::size_t end = line.find_first_of(" \t\r", at);
    if (end == std::string_view::npos) end = line.size();
    fields.push_back(line.substr(at, end - at));
    at = end;
  }
}

bool printable_ascii(std::string_view s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// What is wrong with the line's fields, or empty.
std::string line_problem(const std::vector<std::string_view>& fields) {
  if (!wire::valid_plant(fields[0])) {
    return "`" + std::string(fields[0]) +
           "` is not a plant name (1 to 64 letters, digits, `_`, `-` or `.`)";
  }
  std::string plant(fields[0]);
  if (fields.size() == 1) return "plant `" + plant + "` has no token; write `plant token`";
  if (fields.size() > 2) {
    return "plant `" + plant + "`: " + std::to_string(fields.size()) +
           " fields; expected `plant token` (a token has no spaces)";
  }
  std::string_view token = fields[1];
  if (token.size() < kMinTokenLength) {
    return "plant `" + plant + "`: the token is " + std::to_string(token.size()) +
           " characters; a token has at least " + std::to_string(kMinTokenLength);
  }
  if (token.size() > kMaxTokenLength) {
    return "plant `" + plant + "`: the token is longer than " + std::to_string(kMaxTokenLength) +
           " characters";
  }
  if (!printable_ascii(token)) {
    return "plant `" + plant + "`: the token has a character that is not printable ASCII";
  }
  return "";
}

}  // namespace

std::optional<Tokens> Tokens::load(const std::filesystem::path& file, std::string* error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *error = file.string() + ": cannot read the tokens file";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string(), error);
}

std::optional<Tokens> Tokens::parse(std::string_view text, const std::string& file_name,
                                    std::string* error) {
  Tokens tokens;
  std::string errors;
  std::map<std::string, int, std::less<>> plant_line, token_line;
  int number = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++number;
    std::vector<std::string_view> fields = fields_of(line);
    if (fields.empty() || fields[0][0] == '#') continue;
    std::string where = file_name + ":" + std::to_string(number) + ": ";
    if (std::string problem = line_problem(fields); !problem.empty()) {
      errors += where + problem + "\n";
      continue;
    }
    std::string plant(fields[0]), token(fields[1]);
    if (auto seen = plant_line.find(plant); seen != plant_line.end()) {
      errors += where + "duplicate plant `" + plant + "` (first at line " +
                std::to_string(seen->second) + ")\n";
      continue;
    }
    if (auto seen = token_line.find(token); seen != token_line.end()) {
      errors += where + "plant `" + plant + "` has the same token as line " +
                std::to_string(seen->second) + "; each plant needs its own\n";
      continue;
    }
    plant_line.emplace(plant, number);
    token_line.emplace(token, number);
    tokens.entries_.push_back({plant, sha256(token)});
  }
  if (errors.empty() && tokens.entries_.empty()) {
    errors = file_name + ": no `plant token` line: no plant could post\n";
  }
  if (!errors.empty()) {
    errors.pop_back();
    *error = std::move(errors);
    return std::nullopt;
  }
  return tokens;
}

const std::string* Tokens::plant_of(std::string_view token) const {
  std::array<unsigned char, 32> digest = sha256(token);
  const std::string* found = nullptr;
  for (const Entry& entry : entries_) {
    bool same = CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0;
    if (same) found = &entry.plant;  // no early exit: every entry costs the same
  }
  return found;
}

}  // namespace gemba::center
