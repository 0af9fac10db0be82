// Group commit: HTTP handler threads that commit at the same time share one write
// transaction (one fsync) instead of queueing for LMDB's write lock one by one.
//
// A caller queues its batch; if no transaction is running it becomes the leader: it
// takes every queued batch (up to a record budget), commits them with
// IngestStore::commit_all, hands each caller its result and wakes them. Callers that
// arrived meanwhile form the next group. Each caller returns only after the transaction
// holding its batch is durable (or failed).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "runtime/center/ingest_store.h"

namespace gemba::center {

class CommitQueue {
 public:
  // A group holds batches until it has at least `max_group_records` records (one batch
  // alone may exceed it).
  explicit CommitQueue(IngestStore& store, std::size_t max_group_records = 4 * wire::kMaxBatchRecords);

  // Thread-safe. Same result as IngestStore::commit(batch).
  CommitResult commit(const wire::Batch& batch);

  struct Stats {
    std::uint64_t batches = 0;
    std::uint64_t transactions = 0;  // < batches when groups formed
  };
  Stats stats() const;
  // Batches queued and not yet taken into a transaction.
  std::size_t waiting() const;

 private:
  struct Pending {
    const wire::Batch* batch;
    CommitResult result;
    bool done = false;
  };
  void lead(std::unique_lock<std::mutex>& lock);

  IngestStore& store_;
  const std::size_t max_group_records_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::deque<Pending*> queue_;  // guarded by mutex_
  bool leading_ = false;        // a leader is committing a group
  Stats stats_;
};

}  // namespace gemba::center
