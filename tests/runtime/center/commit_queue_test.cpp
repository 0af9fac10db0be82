#include "runtime/center/commit_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/support/temp_dir.h"

namespace gemba::center {
namespace {

using namespace std::chrono_literals;
using Outcome = CommitResult::Outcome;

wire::Batch batch(const std::string& edge, std::uint64_t first, std::uint64_t last) {
  wire::Batch b{"houston", edge, {}};
  for (std::uint64_t seq = first; seq <= last; ++seq) {
    wire::Record r;
    r.seq = seq;
    r.time_us = static_cast<std::int64_t>(seq);
    r.subject = "kettle2.temperature";
    r.value = static_cast<double>(seq);
    b.records.push_back(r);
  }
  return b;
}

// A clock that holds the first transaction at its start until released, so that the
// test can line callers up behind it.
class GateClock {
 public:
  std::int64_t now() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (calls_++ == 0) open_.wait(lock, [this] { return released_; });
    return 1;
  }
  bool held() {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_ > 0 && !released_;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = true;
    open_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable open_;
  int calls_ = 0;
  bool released_ = false;
};

TEST(CenterCommitQueue, CallersWaitingTogetherShareOneTransaction) {
  gemba::testing::TempDir dir;
  GateClock clock;
  store::Status status;
  auto store = IngestStore::open(dir.path(), &status, [&] { return clock.now(); });
  ASSERT_TRUE(store) << status.message();
  CommitQueue queue(*store);

  std::vector<CommitResult> results(4);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { results[0] = queue.commit(batch("00000000000000a0", 1, 3)); });
  // The first caller leads a transaction of its own, held by the clock; three more queue.
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!clock.held() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  for (int i = 1; i < 4; ++i) {
    threads.emplace_back([&, i] {
      std::string edge = "00000000000000a" + std::to_string(i);
      results[i] = queue.commit(batch(edge, 1, 2));
    });
  }
  while (queue.waiting() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(queue.waiting(), 3u) << "callers did not queue within 30 s";
  clock.release();
  for (std::thread& t : threads) t.join();
  for (const CommitResult& r : results) EXPECT_EQ(r.outcome, Outcome::kCommitted) << r.message;
  EXPECT_EQ(results[0].ack.acked_seq, 3u);
  EXPECT_EQ(results[3].ack.acked_seq, 2u);
  CommitQueue::Stats stats = queue.stats();
  EXPECT_EQ(stats.batches, 4u);
  EXPECT_EQ(stats.transactions, 2u);
  std::vector<EdgeInfo> edges;
  ASSERT_TRUE(store->edges(&edges).is_ok());
  EXPECT_EQ(edges.size(), 4u);
}

TEST(CenterCommitQueue, ManyThreadsStoreEveryRecordOnce) {
  gemba::testing::TempDir dir;
  store::Status status;
  auto store = IngestStore::open(dir.path(), &status);
  ASSERT_TRUE(store) << status.message();
  CommitQueue queue(*store, 25);  // small groups: several per run
  // Two threads per edge race the same edge's 100 records, resending from the mark.
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::string edge = "0000000000000ed" + std::to_string(t / 2);
      std::uint64_t next = 1;
      while (next <= 100) {
        CommitResult r = queue.commit(batch(edge, next, std::min<std::uint64_t>(next + 6, 100)));
        ASSERT_NE(r.outcome, Outcome::kFailed) << r.message;
        next = r.ack.acked_seq + 1;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<EdgeInfo> edges;
  ASSERT_TRUE(store->edges(&edges).is_ok());
  ASSERT_EQ(edges.size(), 3u);
  for (const EdgeInfo& e : edges) {
    EXPECT_EQ(e.acked_seq, 100u);
    EXPECT_EQ(e.records, 100u);
    RecordPage page;
    ASSERT_TRUE(store->records("houston", e.edge, 0, 1000, &page).is_ok());
    ASSERT_EQ(page.records.size(), 100u);
    for (std::uint64_t seq = 1; seq <= 100; ++seq) EXPECT_EQ(page.records[seq - 1].seq, seq);
  }
  EXPECT_LE(queue.stats().transactions, queue.stats().batches);
}

}  // namespace
}  // namespace gemba::center
