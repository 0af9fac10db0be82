#include "runtime/center/ingest_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "runtime/center/ingest_rows.h"
#include "tests/support/temp_dir.h"

namespace gemba::center {
namespace {

using gemba::testing::TempDir;
using Outcome = CommitResult::Outcome;

constexpr std::int64_t kT0 = 1'795'680'000'000'000;  // 2026-11-26T08:00:00Z
constexpr const char* kEdgeA = "00000000000000aa";
constexpr const char* kEdgeB = "00000000000000bb";

wire::Record sample(std::uint64_t seq, const std::string& subject = "kettle2.temperature") {
  wire::Record r;
  r.seq = seq;
  r.time_us = kT0 + static_cast<std::int64_t>(seq) * 1'000'000;
  r.subject = subject;
  r.value = 80 + static_cast<double>(seq);
  r.unit = "degC";
  return r;
}

wire::Batch batch(const std::string& edge, std::uint64_t first, std::uint64_t last,
                  const std::string& plant = "houston") {
  wire::Batch b{plant, edge, {}};
  for (std::uint64_t seq = first; seq <= last; ++seq) b.records.push_back(sample(seq));
  return b;
}

class CenterIngestStore : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    store_.reset();
    store::Status status;
    store_ = IngestStore::open(dir_.path() / "data", &status, [this] { return now_; });
    ASSERT_TRUE(store_) << status.message();
  }
  CommitResult commit(const wire::Batch& b) { return store_->commit(b); }
  EdgeInfo edge(const std::string& e, const std::string& plant = "houston") {
    std::optional<EdgeInfo> info;
    EXPECT_TRUE(store_->edge(plant, e, &info).is_ok());
    EXPECT_TRUE(info) << plant << "/" << e;
    return info.value_or(EdgeInfo{});
  }
  std::vector<wire::Record> records(const std::string& e, std::uint64_t after = 0,
                                    std::size_t limit = 1000, bool* more = nullptr) {
    RecordPage page;
    EXPECT_TRUE(store_->records("houston", e, after, limit, &page).is_ok());
    if (more) *more = page.more;
    return page.records;
  }
  SamplePage samples(SampleQuery q) {
    SamplePage page;
    EXPECT_TRUE(store_->samples(q, &page).is_ok());
    return page;
  }

  TempDir dir_;
  std::int64_t now_ = kT0;
  std::unique_ptr<IngestStore> store_;
};

void expect_committed(const CommitResult& r, std::uint64_t mark, std::uint64_t stored,
                      std::uint64_t duplicates) {
  ASSERT_EQ(r.outcome, Outcome::kCommitted) << r.message;
  EXPECT_EQ(r.ack.acked_seq, mark);
  EXPECT_EQ(r.ack.stored, stored);
  EXPECT_EQ(r.ack.duplicates, duplicates);
}

TEST_F(CenterIngestStore, CommitsAndAccountsForEveryRecord) {
  expect_committed(commit(batch(kEdgeA, 1, 5)), 5, 5, 0);
  EdgeInfo info = edge(kEdgeA);
  EXPECT_EQ(info.acked_seq, 5u);
  EXPECT_EQ(info.records, 5u);
  EXPECT_EQ(info.first_seen_us, kT0);
  std::vector<wire::Record> stored = records(kEdgeA);
  ASSERT_EQ(stored.size(), 5u);
  for (std::uint64_t seq = 1; seq <= 5; ++seq) EXPECT_EQ(stored[seq - 1], sample(seq));
}

TEST_F(CenterIngestStore, IgnoresDuplicatesAtOrBelowTheMark) {
  expect_committed(commit(batch(kEdgeA, 1, 5)), 5, 5, 0);
  now_ += 1000;
  expect_committed(commit(batch(kEdgeA, 1, 5)), 5, 0, 5);    // a whole resend
  expect_committed(commit(batch(kEdgeA, 3, 8)), 8, 3, 3);    // overlapping
  expect_committed(commit(batch(kEdgeA, 1, 0)), 8, 0, 0);    // empty: learns the mark
  EdgeInfo info = edge(kEdgeA);
  EXPECT_EQ(info.records, 8u);
  EXPECT_EQ(info.acked_seq, 8u);
  EXPECT_EQ(info.first_seen_us, kT0);
  EXPECT_EQ(info.last_seen_us, kT0 + 1000);
  std::vector<wire::Record> stored = records(kEdgeA);
  ASSERT_EQ(stored.size(), 8u);
  for (std::uint64_t seq = 1; seq <= 8; ++seq) EXPECT_EQ(stored[seq - 1].seq, seq);
}

TEST_F(CenterIngestStore, RefusesGapsAndStoresNothingOfThem) {
  expect_committed(commit(batch(kEdgeA, 1, 3)), 3, 3, 0);
  CommitResult gap = commit(batch(kEdgeA, 5, 9));
  EXPECT_EQ(gap.outcome, Outcome::kGap);
  EXPECT_EQ(gap.ack.acked_seq, 3u);
  EXPECT_NE(gap.message.find("up to seq 3"), std::string::npos) << gap.message;
  // A hole inside the part above the mark: refused whole, duplicates included.
  wire::Batch holed = batch(kEdgeA, 2, 6);
  holed.records.erase(holed.records.begin() + 3);  // 2 3 4 6
  EXPECT_EQ(commit(holed).outcome, Outcome::kGap);
  EXPECT_EQ(edge(kEdgeA).acked_seq, 3u);
  EXPECT_EQ(records(kEdgeA).size(), 3u);
  EXPECT_EQ(samples({"houston", "kettle2.temperature"}).samples.size(), 3u);
  // A new edge must start at 1.
  CommitResult fresh = commit(batch(kEdgeB, 2, 4));
  EXPECT_EQ(fresh.outcome, Outcome::kGap);
  EXPECT_EQ(fresh.ack.acked_seq, 0u);
  std::optional<EdgeInfo> none;
  ASSERT_TRUE(store_->edge("houston", kEdgeB, &none).is_ok());
  EXPECT_FALSE(none);
}

TEST_F(CenterIngestStore, MarksAndRecordsSurviveReopen) {
  expect_committed(commit(batch(kEdgeA, 1, 4)), 4, 4, 0);
  expect_committed(commit(batch(kEdgeB, 1, 2)), 2, 2, 0);
  reopen();
  EXPECT_EQ(edge(kEdgeA).acked_seq, 4u);
  EXPECT_EQ(edge(kEdgeB).acked_seq, 2u);
  expect_committed(commit(batch(kEdgeA, 1, 6)), 6, 2, 4);
  EXPECT_EQ(records(kEdgeA).size(), 6u);
}

TEST_F(CenterIngestStore, IsolatesEdgesAndPlants) {
  expect_committed(commit(batch(kEdgeA, 1, 3)), 3, 3, 0);
  expect_committed(commit(batch(kEdgeB, 1, 1)), 1, 1, 0);
  // The same edge identity at another plant is another edge: its own mark and log.
  expect_committed(commit(batch(kEdgeA, 1, 2, "austin")), 2, 2, 0);
  std::vector<EdgeInfo> all;
  ASSERT_TRUE(store_->edges(&all).is_ok());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].plant, "austin");
  EXPECT_EQ(all[1].plant + "/" + all[1].edge, std::string("houston/") + kEdgeA);
  EXPECT_EQ(all[2].edge, kEdgeB);
  for (const EdgeInfo& e : all) EXPECT_EQ(e.records, e.acked_seq);
  EXPECT_EQ(edge(kEdgeA).acked_seq, 3u);
  EXPECT_EQ(edge(kEdgeA, "austin").acked_seq, 2u);
  EXPECT_EQ(records(kEdgeB).size(), 1u);
  EXPECT_EQ(samples({"austin", "kettle2.temperature"}).samples.size(), 2u);
  EXPECT_EQ(samples({"houston", "kettle2.temperature"}).samples.size(), 4u);
}

TEST_F(CenterIngestStore, QueriesSamplesByTimeRange) {
  wire::Batch b = batch(kEdgeA, 1, 10);
  b.records[4].subject = "kettle2.level";           // seq 5: another signal
  b.records[5].kind = wire::RecordKind::kEvent;     // seq 6: not a sample
  b.records[0].time_us = -1'000'000;                // seq 1: before 1970
  expect_committed(commit(b), 10, 10, 0);
  expect_committed(commit(batch(kEdgeB, 1, 3)), 3, 3, 0);

  SamplePage all = samples({"houston", "kettle2.temperature"});
  // A: 1 2 3 4 7 8 9 10, B: 1 2 3, in time order; seq 1 of A first (1969).
  ASSERT_EQ(all.samples.size(), 11u);
  EXPECT_FALSE(all.more);
  EXPECT_EQ(all.samples[0].record.seq, 1u);
  EXPECT_EQ(all.samples[0].edge, kEdgeA);
  for (std::size_t i = 1; i < all.samples.size(); ++i) {
    EXPECT_LE(all.samples[i - 1].record.time_us, all.samples[i].record.time_us);
  }
  // [t2, t4): seq 2 and 3 of both edges, A before B at equal times.
  SamplePage window = samples({"houston", "kettle2.temperature", kT0 + 2'000'000, kT0 + 4'000'000});
  ASSERT_EQ(window.samples.size(), 4u);
  EXPECT_EQ(window.samples[0].edge, kEdgeA);
  EXPECT_EQ(window.samples[0].record.seq, 2u);
  EXPECT_EQ(window.samples[1].edge, kEdgeB);
  EXPECT_EQ(window.samples[3].record.seq, 3u);
  EXPECT_EQ(window.samples[3].record, sample(3));
  // The limit cuts, and says so.
  SamplePage two = samples({"houston", "kettle2.temperature", kT0, kT0 + 100'000'000, 2});
  EXPECT_EQ(two.samples.size(), 2u);
  EXPECT_TRUE(two.more);
  EXPECT_EQ(samples({"houston", "kettle2.level"}).samples.size(), 1u);
  EXPECT_EQ(samples({"houston", "kettle2"}).samples.size(), 0u);  // no prefix matches
  EXPECT_EQ(samples({"houston", "kettle2.temperature", kT0, kT0}).samples.size(), 0u);
}

TEST_F(CenterIngestStore, ListsRecordsAfterASeq) {
  expect_committed(commit(batch(kEdgeA, 1, 10)), 10, 10, 0);
  expect_committed(commit(batch(kEdgeB, 1, 10)), 10, 10, 0);
  bool more = false;
  std::vector<wire::Record> page = records(kEdgeA, 4, 3, &more);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].seq, 5u);
  EXPECT_EQ(page[2].seq, 7u);
  EXPECT_TRUE(more);
  page = records(kEdgeA, 7, 3, &more);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_FALSE(more);
  EXPECT_TRUE(records(kEdgeA, 10).empty());
  EXPECT_TRUE(records(kEdgeA, UINT64_MAX).empty());
}

TEST_F(CenterIngestStore, CommitAllAppliesBatchesInOrder) {
  wire::Batch first = batch(kEdgeA, 1, 3), second = batch(kEdgeA, 4, 6), gap = batch(kEdgeA, 9, 9),
              dup = batch(kEdgeA, 2, 6), other = batch(kEdgeB, 1, 2);
  const wire::Batch* all[] = {&first, &second, &gap, &dup, &other};
  std::vector<CommitResult> results = store_->commit_all(all);
  ASSERT_EQ(results.size(), 5u);
  expect_committed(results[0], 3, 3, 0);
  expect_committed(results[1], 6, 3, 0);
  EXPECT_EQ(results[2].outcome, Outcome::kGap);
  EXPECT_EQ(results[2].ack.acked_seq, 6u);
  expect_committed(results[3], 6, 0, 5);
  expect_committed(results[4], 2, 2, 0);
  EXPECT_EQ(records(kEdgeA).size(), 6u);
}

TEST_F(CenterIngestStore, ConcurrentCommitsStoreEachRecordOnce) {
  // Four threads send the same edge's 200 records in overlapping batches, each retrying
  // from the mark on a gap: every record ends up stored exactly once.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this] {
      std::uint64_t next = 1;
      while (next <= 200) {
        CommitResult r = store_->commit(batch(kEdgeA, next, std::min<std::uint64_t>(next + 9, 200)));
        ASSERT_NE(r.outcome, Outcome::kFailed) << r.message;
        next = r.ack.acked_seq + 1;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EdgeInfo info = edge(kEdgeA);
  EXPECT_EQ(info.acked_seq, 200u);
  EXPECT_EQ(info.records, 200u);
  std::vector<wire::Record> stored = records(kEdgeA);
  ASSERT_EQ(stored.size(), 200u);
  for (std::uint64_t seq = 1; seq <= 200; ++seq) EXPECT_EQ(stored[seq - 1], sample(seq));
}

TEST_F(CenterIngestStore, RefusesADirectoryInUse) {
  store::Status status;
  EXPECT_FALSE(IngestStore::open(dir_.path() / "data", &status));
  EXPECT_EQ(status.code(), store::Status::Code::kBusy);
}

TEST_F(CenterIngestStore, RefusesAnotherApplicationsStore) {
  store::StoreOptions options;
  options.application = "gemba-runtime";
  options.tables = {"rows"};
  store::Status status;
  ASSERT_TRUE(store::Store::open(dir_.path() / "runtime", options, &status)) << status.message();
  EXPECT_FALSE(IngestStore::open(dir_.path() / "runtime", &status));
  EXPECT_EQ(status.code(), store::Status::Code::kCorruption);
  EXPECT_NE(status.message().find("gemba-runtime"), std::string::npos) << status.message();
}

TEST(CenterIngestRows, KeysSortAsDocumented) {
  EXPECT_LT(rows::time_key(-1), rows::time_key(0));
  EXPECT_LT(rows::time_key(INT64_MIN), rows::time_key(INT64_MAX));
  EXPECT_EQ(rows::time_of_key(rows::time_key(-123456), 0), -123456);
  EXPECT_EQ(rows::edge_hex(rows::edge_bytes("0123456789abcdef")), "0123456789abcdef");
  std::string plant, edge;
  ASSERT_TRUE(rows::split_edge_key(rows::edge_key("houston", "00000000000000ff"), &plant, &edge));
  EXPECT_EQ(plant, "houston");
  EXPECT_EQ(edge, "00000000000000ff");
  EXPECT_LT(rows::log_key("houston", kEdgeA, 255), rows::log_key("houston", kEdgeA, 256));
  rows::EdgeRow row{5, 5, -1, 7};
  auto back = rows::decode_edge(rows::encode_edge(row));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->first_seen_us, -1);
  EXPECT_EQ(back->last_seen_us, 7);
  EXPECT_FALSE(rows::decode_edge("short"));
}

}  // namespace
}  // namespace gemba::center
