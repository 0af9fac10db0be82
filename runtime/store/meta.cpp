#include "runtime/store/meta.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/store/lmdb_error.h"

namespace gemba::store::meta {
namespace {

using Code = Status::Code;

MDB_val val_of(std::string_view text) { return {text.size(), const_cast<char*>(text.data())}; }

Status failed(int rc, std::string_view context, int* failure) {
  if (*failure == 0) *failure = rc;
  return lmdb_status(rc, context);
}

std::string where(const std::filesystem::path& dir) { return "data directory " + dir.string(); }

Status put(MDB_txn* txn, MDB_dbi dbi, std::string_view key, std::string_view value, int* failure) {
  MDB_val k = val_of(key);
  MDB_val v = val_of(value);
  int rc = mdb_put(txn, dbi, &k, &v, 0);
  return rc == 0 ? Status::ok() : failed(rc, "write the store's meta table", failure);
}

// True when the environment's main database names no table: a new environment.
Status is_empty(MDB_txn* txn, bool* empty, int* failure) {
  MDB_dbi main_dbi;
  int rc = mdb_dbi_open(txn, nullptr, 0, &main_dbi);
  MDB_stat stat;
  if (rc == 0) rc = mdb_stat(txn, main_dbi, &stat);
  if (rc != 0) return failed(rc, "read the store's main database", failure);
  *empty = stat.ms_entries == 0;
  return Status::ok();
}

Status create(MDB_txn* txn, const std::filesystem::path& dir, const StoreOptions& options,
              int* failure) {
  bool empty = false;
  Status status = is_empty(txn, &empty, failure);
  if (!status.is_ok()) return status;
  if (!empty) {
    return Status::error(Code::kCorruption,
                         where(dir) +
                             " holds an LMDB environment that is not a Gemba store (it "
                             "has no meta table): point this program at its own data "
                             "directory, or move this one away");
  }
  MDB_dbi dbi;
  int rc = mdb_dbi_open(txn, kTable, MDB_CREATE, &dbi);
  if (rc != 0) return failed(rc, "create the store's meta table", failure);
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  const std::pair<std::string_view, std::string> rows[] = {
      {kStoreFormatKey, encode_u32(kStoreFormat)},
      {kApplicationKey, options.application},
      {kFormatVersionKey, encode_u32(options.format_version)},
      {kCreatedKey, key_u64(ms)},
  };
  for (const auto& [key, value] : rows) {
    status = put(txn, dbi, key, value, failure);
    if (!status.is_ok()) return status;
  }
  return Status::ok();
}

// The row `key` of the meta table; kCorruption when it is missing.
Status row(MDB_txn* txn, MDB_dbi dbi, const std::filesystem::path& dir, std::string_view key,
           std::string_view* value, int* failure) {
  MDB_val k = val_of(key);
  MDB_val v;
  int rc = mdb_get(txn, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) {
    return Status::error(Code::kCorruption, where(dir) + ": the store's meta table has no row '" +
                                                std::string(key) + "'");
  }
  if (rc != 0) return failed(rc, "read the store's meta table", failure);
  *value = std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
  return Status::ok();
}

Status u32_row(MDB_txn* txn, MDB_dbi dbi, const std::filesystem::path& dir, std::string_view key,
               std::uint32_t* value, int* failure) {
  std::string_view bytes;
  Status status = row(txn, dbi, dir, key, &bytes, failure);
  if (!status.is_ok()) return status;
  if (bytes.size() != 4) {
    return Status::error(Code::kCorruption, where(dir) + ": the store's meta row '" +
                                                std::string(key) + "' has " +
                                                std::to_string(bytes.size()) + " bytes, not 4");
  }
  *value = 0;
  for (char byte : bytes) *value = (*value << 8) | static_cast<unsigned char>(byte);
  return Status::ok();
}

Status check_store_format(std::uint32_t held, const std::filesystem::path& dir) {
  if (held == kStoreFormat) return Status::ok();
  return Status::error(Code::kCorruption,
                       where(dir) + " holds store format " + std::to_string(held) +
                           "; this build reads store format " + std::to_string(kStoreFormat) +
                           ": run a build that reads store format " + std::to_string(held) +
                           ", or move the directory away to start empty");
}

Status check_application(std::string_view held, std::uint32_t held_format,
                         const std::filesystem::path& dir, const StoreOptions& options) {
  if (held == options.application) return Status::ok();
  return Status::error(Code::kCorruption,
                       where(dir) + " holds data of application '" + std::string(held) +
                           "' (format " + std::to_string(held_format) + "); this build is '" +
                           options.application + "' and reads format " +
                           std::to_string(options.format_version) +
                           ": point it at its own data directory, or move this one away");
}

Status check_format(std::string_view application, std::uint32_t held,
                    const std::filesystem::path& dir, const StoreOptions& options) {
  if (held == options.format_version) return Status::ok();
  return Status::error(Code::kCorruption,
                       where(dir) + " holds '" + std::string(application) + "' data in format " +
                           std::to_string(held) + "; this build reads format " +
                           std::to_string(options.format_version) +
                           ": run a build that reads format " + std::to_string(held) +
                           ", or move the directory away to start empty");
}

Status check(MDB_txn* txn, MDB_dbi dbi, const std::filesystem::path& dir,
             const StoreOptions& options, int* failure) {
  std::uint32_t store_format = 0;
  Status status = u32_row(txn, dbi, dir, kStoreFormatKey, &store_format, failure);
  if (status.is_ok()) status = check_store_format(store_format, dir);
  std::string_view application;
  if (status.is_ok()) status = row(txn, dbi, dir, kApplicationKey, &application, failure);
  std::uint32_t format = 0;
  if (status.is_ok()) status = u32_row(txn, dbi, dir, kFormatVersionKey, &format, failure);
  if (status.is_ok()) status = check_application(application, format, dir, options);
  if (status.is_ok()) status = check_format(application, format, dir, options);
  return status;
}

}  // namespace

std::string encode_u32(std::uint32_t value) {
  std::string bytes(4, '\0');
  for (int i = 3; i >= 0; --i, value >>= 8) bytes[i] = static_cast<char>(value & 0xff);
  return bytes;
}

Status init_or_check(MDB_txn* txn, const std::filesystem::path& dir, const StoreOptions& options,
                     int* failure) {
  MDB_dbi dbi;
  int rc = mdb_dbi_open(txn, kTable, 0, &dbi);
  if (rc == MDB_NOTFOUND) return create(txn, dir, options, failure);
  if (rc != 0) return failed(rc, "open the store's meta table", failure);
  return check(txn, dbi, dir, options, failure);
}

}  // namespace gemba::store::meta
