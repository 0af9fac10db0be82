#include "runtime/store/lmdb_error.h"

#include <lmdb.h>

#include <string>

namespace gemba::store {
namespace {

bool is_damage(int rc) {
  switch (rc) {
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
    case MDB_INCOMPATIBLE:
      return true;
    default:
      return false;
  }
}

std::string text_of(int rc) {
  if (rc == MDB_MAP_FULL) return "the map is full (write() grows it and runs the body again)";
  return mdb_strerror(rc);  // strerror() for errno values
}

}  // namespace

Status lmdb_status(int rc, std::string_view context) {
  Status::Code code = is_damage(rc) ? Status::Code::kCorruption : Status::Code::kIOError;
  return Status::error(code, std::string(context) + ": " + text_of(rc));
}

}  // namespace gemba::store
