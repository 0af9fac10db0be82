#include "runtime/wire/record.h"

#include <openssl/evp.h>

#include <bit>
#include <cstring>

namespace gemba::wire {
namespace {

constexpr std::uint8_t kRowFormat = 1;  // the first byte of every row (WIRE.md)

void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

// LEB128, shortest form only: decode refuses a longer spelling of the same number, so
// that one record has exactly one row (and one hash).
void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_text(std::string& out, const std::string& text) {
  put_varint(out, text.size());
  out += text;
}

// Reads a row front to back; any read past the end fails the whole decode.
class Reader {
 public:
  explicit Reader(std::string_view row) : row_(row) {}
  bool u8(std::uint8_t* v) {
    if (row_.empty()) return false;
    *v = static_cast<std::uint8_t>(row_.front());
    row_.remove_prefix(1);
    return true;
  }
  bool u64(std::uint64_t* v) {
    if (row_.size() < 8) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i) *v = (*v << 8) | static_cast<std::uint8_t>(row_[i]);
    row_.remove_prefix(8);
    return true;
  }
  bool varint(std::uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t byte = 0;
      if (!u8(&byte)) return false;
      if (shift == 63 && byte > 1) return false;  // more than 64 bits
      *v |= std::uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return byte != 0 || shift == 0;  // no overlong zero tail
    }
    return false;
  }
  bool text(std::string* out) {
    std::uint64_t size = 0;
    if (!varint(&size) || size > row_.size()) return false;
    out->assign(row_.substr(0, size));
    row_.remove_prefix(size);
    return true;
  }
  bool at_end() const { return row_.empty(); }

 private:
  std::string_view row_;
};

}  // namespace

const char* spelling(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSample:
      return "sample";
    case RecordKind::kEvent:
      return "event";
  }
  return "unknown";
}

std::optional<RecordKind> record_kind(std::string_view spelling) {
  if (spelling == "sample") return RecordKind::kSample;
  if (spelling == "event") return RecordKind::kEvent;
  return std::nullopt;
}

std::string encode(const Record& record) {
  std::string row;
  row.reserve(2 + 24 + 3 + record.subject.size() + record.unit.size() + record.text.size());
  row.push_back(static_cast<char>(kRowFormat));
  row.push_back(static_cast<char>(record.kind));
  put_u64(row, record.seq);
  put_u64(row, static_cast<std::uint64_t>(record.time_us));
  put_u64(row, std::bit_cast<std::uint64_t>(record.value));
  put_text(row, record.subject);
  put_text(row, record.unit);
  put_text(row, record.text);
  return row;
}

bool decode(std::string_view row, Record* out) {
  Reader in(row);
  std::uint8_t format = 0, kind = 0;
  std::uint64_t time = 0, value = 0;
  if (!in.u8(&format) || format != kRowFormat || !in.u8(&kind)) return false;
  if (kind != static_cast<std::uint8_t>(RecordKind::kSample) &&
      kind != static_cast<std::uint8_t>(RecordKind::kEvent)) {
    return false;
  }
  out->kind = static_cast<RecordKind>(kind);
  if (!in.u64(&out->seq) || !in.u64(&time) || !in.u64(&value)) return false;
  out->time_us = static_cast<std::int64_t>(time);
  out->value = std::bit_cast<double>(value);
  return in.text(&out->subject) && in.text(&out->unit) && in.text(&out->text) && in.at_end();
}

std::string content_hash(const Record& record) {
  std::string row = encode(record);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(row.data(), row.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 8; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace gemba::wire
