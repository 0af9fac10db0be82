// A ReadingSink for source tests: records what is offered (readings, batch sizes,
// cursors), and can hold offers (back-pressure), refuse them (the edge stopping), or
// accept a number of offers and refuse the rest (a crash after that many commits).
// Every wait is bounded.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edge/sources/source.h"

namespace gemba::edge::testing {

class RecordingSink : public ReadingSink {
 public:
  bool offer(std::vector<Reading> readings, const Cursor* cursor = nullptr) override {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !blocked_ || closed_; });
    --waiting_;
    if (closed_ || (accept_limit_ >= 0 && accepted_offers_ >= accept_limit_)) {
      ++refused_offers_;
      changed_.notify_all();
      return false;
    }
    ++accepted_offers_;
    batch_sizes_.push_back(readings.size());
    for (Reading& r : readings) readings_.push_back(std::move(r));
    if (cursor != nullptr) cursors_[cursor->key] = cursor->value;
    changed_.notify_all();
    return true;
  }

  std::string cursor(const std::string& key) override {
    std::lock_guard lock(mutex_);
    auto found = cursors_.find(key);
    return found == cursors_.end() ? std::string() : found->second;
  }

  // Offers wait until unblock() (or close()).
  void block() {
    set([&] { blocked_ = true; });
  }
  void unblock() {
    set([&] { blocked_ = false; });
  }
  // Every offer from now on returns false, also those waiting.
  void close() {
    set([&] { closed_ = true; });
  }
  // Accepts `offers` more offers in total, then refuses.
  void accept_only(int offers) {
    set([&] { accept_limit_ = offers; });
  }
  void set_cursor(const std::string& key, const std::string& value) {
    set([&] { cursors_[key] = value; });
  }

  // Waits up to `timeout` for `done` (called under the lock) to hold.
  bool wait(const std::function<bool()>& done,
            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, done);
  }
  // Waits for a reading that satisfies `match`.
  bool wait_for_reading(const std::function<bool(const Reading&)>& match,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::size_t seen = 0;
    return wait(
        [&] {
          for (; seen < readings_.size(); ++seen) {
            if (match(readings_[seen])) return true;
          }
          return false;
        },
        timeout);
  }
  bool wait_for_count(std::size_t count,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait([&] { return readings_.size() >= count; }, timeout);
  }
  bool wait_until_offer_waits(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait([&] { return waiting_ > 0; }, timeout);
  }

  std::vector<Reading> readings() const {
    std::lock_guard lock(mutex_);
    return readings_;
  }
  std::vector<std::size_t> batch_sizes() const {
    std::lock_guard lock(mutex_);
    return batch_sizes_;
  }
  std::map<std::string, std::string> cursors() const {
    std::lock_guard lock(mutex_);
    return cursors_;
  }
  int refused_offers() const {
    std::lock_guard lock(mutex_);
    return refused_offers_;
  }
  int accepted_offers() const {
    std::lock_guard lock(mutex_);
    return accepted_offers_;
  }

  // Readings of one address, in the order offered.
  std::vector<Reading> of(const std::string& address) const {
    std::lock_guard lock(mutex_);
    std::vector<Reading> out;
    for (const Reading& r : readings_) {
      if (r.address == address) out.push_back(r);
    }
    return out;
  }

 private:
  void set(const std::function<void()>& change) {
    std::lock_guard lock(mutex_);
    change();
    changed_.notify_all();
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool blocked_ = false, closed_ = false;
  int accept_limit_ = -1;
  int waiting_ = 0, accepted_offers_ = 0, refused_offers_ = 0;
  std::vector<Reading> readings_;
  std::vector<std::size_t> batch_sizes_;
  std::map<std::string, std::string> cursors_;
};

}  // namespace gemba::edge::testing

namespace gemba::edge::testing {

// Polls `done` every 20 ms for up to `timeout`: for conditions outside the sink (a
// source's status).
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace gemba::edge::testing
