// The meta table (FORMAT.md, "The meta table"): what a data directory holds and in which
// format, written when the store is created and checked at every open.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <filesystem>

#include "runtime/store/store.h"

namespace gemba::store::meta {

inline constexpr char kTable[] = "meta";
// The layout of the store itself (this table, key encodings); FORMAT.md's version.
inline constexpr std::uint32_t kStoreFormat = 1;

inline constexpr char kStoreFormatKey[] = "store_format";
inline constexpr char kApplicationKey[] = "application";
inline constexpr char kFormatVersionKey[] = "format_version";
inline constexpr char kCreatedKey[] = "created_unix_ms";

// Inside the write transaction `txn`: writes the meta table of a new, empty environment,
// or checks the one it holds against `options`: kCorruption naming what `dir` holds and
// what this build reads when they differ, or when `dir` holds an LMDB environment that
// is not a store. LMDB errors are also kept in `*failure` when it is 0.
Status init_or_check(MDB_txn* txn, const std::filesystem::path& dir, const StoreOptions& options,
                     int* failure);

// A u32 as meta stores it: 4 bytes, big-endian.
std::string encode_u32(std::uint32_t value);

}  // namespace gemba::store::meta
