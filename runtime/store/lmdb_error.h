// LMDB's return codes as Statuses: damage to the file (MDB_CORRUPTED, MDB_INVALID, ...)
// is kCorruption; everything else, the OS's errno values included, is kIOError.
#pragma once

#include <string_view>

#include "runtime/store/store.h"

namespace gemba::store {

// "`context`: `LMDB's text for rc`". `rc` is not 0.
Status lmdb_status(int rc, std::string_view context);

}  // namespace gemba::store
