// The gate between the reads of a process and a change of its LMDB map (growth, or the
// adoption of a size another process set): remapping moves the pages every running read
// transaction points into, so it waits until no read runs.
//
// A shared/exclusive lock that prefers the exclusive side: once a remap waits, new reads
// wait behind it, so a steady stream of overlapping reads cannot starve the growth that a
// write is waiting for. Not reentrant: a thread holding the gate shared must not ask for
// it again (a nested read() runs under the outer one's hold instead), nor ask for it
// exclusively (store.h forbids write() inside read()).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace gemba::store {

class MapGate {
 public:
  void lock_shared() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !exclusive_ && waiting_exclusive_ == 0; });
    ++shared_;
  }
  void unlock_shared() {
    std::lock_guard lock(mutex_);
    if (--shared_ == 0) changed_.notify_all();
  }
  void lock() {
    std::unique_lock lock(mutex_);
    ++waiting_exclusive_;
    changed_.wait(lock, [&] { return !exclusive_ && shared_ == 0; });
    --waiting_exclusive_;
    exclusive_ = true;
  }
  void unlock() {
    std::lock_guard lock(mutex_);
    exclusive_ = false;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t shared_ = 0;
  std::size_t waiting_exclusive_ = 0;
  bool exclusive_ = false;
};

}  // namespace gemba::store
