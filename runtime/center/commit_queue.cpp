#include "runtime/center/commit_queue.h"

#include <vector>

namespace gemba::center {

CommitQueue::CommitQueue(IngestStore& store, std::size_t max_group_records)
    : store_(store), max_group_records_(max_group_records) {}

CommitResult CommitQueue::commit(const wire::Batch& batch) {
  Pending pending{&batch, {}};
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&pending);
  // Either a leader takes this batch into its group, or this caller leads a group
  // itself once no transaction is running: it never waits on a group it is not in.
  while (!pending.done) {
    if (leading_) {
      done_.wait(lock);
    } else {
      lead(lock);
    }
  }
  return std::move(pending.result);
}

void CommitQueue::lead(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  std::vector<Pending*> group;
  std::vector<const wire::Batch*> batches;
  std::size_t records = 0;
  while (!queue_.empty() && (group.empty() || records < max_group_records_)) {
    group.push_back(queue_.front());
    batches.push_back(queue_.front()->batch);
    records += queue_.front()->batch->records.size();
    queue_.pop_front();
  }
  lock.unlock();
  std::vector<CommitResult> results;
  try {
    results = store_.commit_all(batches);
  } catch (const std::exception& e) {  // bad_alloc: fail the group, never strand its callers
    results.assign(group.size(), {});
    for (CommitResult& r : results) r.message = std::string("commit failed: ") + e.what();
  }
  lock.lock();
  for (std::size_t i = 0; i < group.size(); ++i) {
    group[i]->result = std::move(results[i]);
    group[i]->done = true;
  }
  stats_.batches += group.size();
  stats_.transactions += 1;
  leading_ = false;
  done_.notify_all();
}

CommitQueue::Stats CommitQueue::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

std::size_t CommitQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

}  // namespace gemba::center
