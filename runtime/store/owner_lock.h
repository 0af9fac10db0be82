// The owner lock of a data directory (FORMAT.md, "owner.lock"): one process at a time
// opens a store. The lock is an flock() on DIR/owner.lock, so the kernel drops it when the
// owner dies, SIGKILL included; the file holds the owner's pid, for the message a second
// opener gets.
#pragma once

#include <filesystem>

#include "runtime/store/store.h"

namespace gemba::store {

class OwnerLock {
 public:
  OwnerLock() = default;
  ~OwnerLock();
  OwnerLock(const OwnerLock&) = delete;
  OwnerLock& operator=(const OwnerLock&) = delete;

  // Takes the lock on `dir` (which must exist) for this process. kBusy "data directory D
  // is in use by process N" when another process, or another open of this process, holds
  // it; kIOError when the file cannot be created or locked.
  Status acquire(const std::filesystem::path& dir);

 private:
  int fd_ = -1;
};

}  // namespace gemba::store
