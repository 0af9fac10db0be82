// The edge's outbox: sequence numbers, durability across reopen, acknowledgement,
// the quota (refuse, never drop), cursors and the quarantine.
#include "edge/outbox.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/support/temp_dir.h"

namespace gemba::edge {
namespace {

wire::Record sample(const std::string& subject, double value, std::int64_t time_us = 1000) {
  wire::Record r;
  r.time_us = time_us;
  r.subject = subject;
  r.value = value;
  r.unit = "degC";
  return r;
}

std::unique_ptr<Outbox> open_outbox(const std::filesystem::path& dir, std::uint64_t quota = 1 << 30) {
  store::Status status;
  OutboxOptions options;
  options.quota_bytes = quota;
  auto outbox = Outbox::open(dir, options, &status);
  EXPECT_TRUE(outbox) << status.message();
  return outbox;
}

TEST(EdgeOutbox, AssignsDenseSequenceNumbersThatSurviveReopen) {
  testing::TempDir dir;
  std::string edge;
  {
    auto outbox = open_outbox(dir.path());
    edge = outbox->status().edge;
    EXPECT_EQ(edge.size(), 16u);
    AppendBatch a;
    a.records = {sample("k.t", 1), sample("k.t", 2)};
    ASSERT_TRUE(outbox->append(a).is_ok());
    EXPECT_EQ(a.records[0].seq, 1u);
    EXPECT_EQ(a.records[1].seq, 2u);
    AppendBatch b;
    b.records = {sample("k.t", 3)};
    ASSERT_TRUE(outbox->append(b).is_ok());
    EXPECT_EQ(b.records[0].seq, 3u);
  }
  auto outbox = open_outbox(dir.path());
  OutboxStatus s = outbox->status();
  EXPECT_EQ(s.edge, edge);
  EXPECT_EQ(s.last_seq, 3u);
  EXPECT_EQ(s.backlog, 3u);
  auto pending = outbox->pending(0, 10, 1 << 20);
  ASSERT_EQ(pending.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(pending[i].seq, i + 1);
    EXPECT_EQ(pending[i].value, double(i + 1));
  }
  EXPECT_EQ(outbox->pending(1, 1, 1 << 20).front().seq, 2u);
}

TEST(EdgeOutbox, ADamagedRowIsReportedNotSkipped) {
  testing::TempDir dir;
  {
    auto outbox = open_outbox(dir.path());
    AppendBatch a;
    a.records = {sample("k.t", 1), sample("k.t", 2), sample("k.t", 3)};
    ASSERT_TRUE(outbox->append(a).is_ok());
  }
  {
    store::StoreOptions options;
    options.application = "gemba-edge";
    options.tables = {"records", "quarantine", "cursors", "state"};
    store::Status status;
    auto raw = store::Store::open(dir.path(), options, &status);
    ASSERT_TRUE(raw) << status.message();
    ASSERT_TRUE(raw->write([&](store::WriteTxn& txn) {
                     return txn.put(raw->table("records"), store::key_u64(2), "garbage");
                   }).is_ok());
  }
  auto outbox = open_outbox(dir.path());
  store::Status status;
  auto pending = outbox->pending(0, 10, 1 << 20, &status);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(status.code(), store::Status::Code::kCorruption);
  EXPECT_NE(status.message().find("seq 2 does not decode"), std::string::npos) << status.message();
  outbox->pending(2, 10, 1 << 20, &status);
  EXPECT_TRUE(status.is_ok());
}

TEST(EdgeOutbox, TwoDirectoriesAreTwoEdges) {
  testing::TempDir a, b;
  EXPECT_NE(open_outbox(a.path())->status().edge, open_outbox(b.path())->status().edge);
}

TEST(EdgeOutbox, AcknowledgementDeletesOnlyUpToTheMark) {
  testing::TempDir dir;
  auto outbox = open_outbox(dir.path());
  AppendBatch a;
  for (int i = 0; i < 10; ++i) a.records.push_back(sample("k.t", i));
  ASSERT_TRUE(outbox->append(a).is_ok());
  std::uint64_t full = outbox->status().bytes;
  ASSERT_TRUE(outbox->acknowledge(4).is_ok());
  EXPECT_EQ(outbox->status().acked_seq, 4u);
  EXPECT_EQ(outbox->status().backlog, 6u);
  EXPECT_LT(outbox->status().bytes, full);
  EXPECT_EQ(outbox->pending(4, 100, 1 << 20).front().seq, 5u);
  // An older mark changes nothing; a mark past the last record stops there.
  ASSERT_TRUE(outbox->acknowledge(2).is_ok());
  EXPECT_EQ(outbox->status().acked_seq, 4u);
  ASSERT_TRUE(outbox->acknowledge(99).is_ok());
  EXPECT_EQ(outbox->status().acked_seq, 10u);
  EXPECT_EQ(outbox->status().backlog, 0u);
  EXPECT_TRUE(outbox->pending(10, 100, 1 << 20).empty());
  // Numbering goes on after the mark, across a reopen.
  outbox.reset();
  outbox = open_outbox(dir.path());
  AppendBatch b;
  b.records = {sample("k.t", 42)};
  ASSERT_TRUE(outbox->append(b).is_ok());
  EXPECT_EQ(b.records[0].seq, 11u);
}

TEST(EdgeOutbox, OverTheQuotaRefusesTheWholeBatchAndKeepsEverything) {
  testing::TempDir dir;
  auto outbox = open_outbox(dir.path(), 2000);
  AppendBatch a;
  for (int i = 0; i < 20; ++i) a.records.push_back(sample("k.t", i));
  ASSERT_TRUE(outbox->append(a).is_ok());
  AppendBatch b;
  for (int i = 0; i < 20; ++i) b.records.push_back(sample("k.t", 100 + i));
  b.cursors = {{"replay:/x", "99"}};
  store::Status s = outbox->append(b);
  ASSERT_EQ(s.code(), store::Status::Code::kAborted);
  EXPECT_NE(s.message().find("over quota"), std::string::npos);
  EXPECT_EQ(outbox->status().last_seq, 20u);
  EXPECT_EQ(outbox->status().quota_refusals, 1u);
  EXPECT_EQ(outbox->cursor("replay:/x"), "");  // the cursor did not move either
  ASSERT_TRUE(outbox->acknowledge(20).is_ok());
  ASSERT_TRUE(outbox->append(b).is_ok());
  EXPECT_EQ(b.records.front().seq, 21u);
  EXPECT_EQ(outbox->cursor("replay:/x"), "99");
}

TEST(EdgeOutbox, ABatchLargerThanTheQuotaIsTakenWhenNothingElseIsHeld) {
  testing::TempDir dir;
  auto outbox = open_outbox(dir.path(), 500);
  AppendBatch big;
  for (int i = 0; i < 20; ++i) big.records.push_back(sample("k.t", i));
  ASSERT_GT(big.bytes(), 500u);
  ASSERT_TRUE(outbox->append(big).is_ok());  // else its source would wait for ever
  AppendBatch next;
  next.records = {sample("k.t", 99)};
  EXPECT_EQ(outbox->append(next).code(), store::Status::Code::kAborted);
  ASSERT_TRUE(outbox->acknowledge(20).is_ok());
  EXPECT_TRUE(outbox->append(next).is_ok());
}

TEST(EdgeOutbox, CursorsCommitWithTheRecords) {
  testing::TempDir dir;
  {
    auto outbox = open_outbox(dir.path());
    AppendBatch a;
    a.records = {sample("k.t", 1)};
    a.cursors = {{"sample:k.t", "abc"}, {"sample:k.u", "def"}, {"replay:/f", "10"}};
    ASSERT_TRUE(outbox->append(a).is_ok());
  }
  auto outbox = open_outbox(dir.path());
  EXPECT_EQ(outbox->cursor("replay:/f"), "10");
  auto samples = outbox->cursors("sample:");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].first, "sample:k.t");
  EXPECT_EQ(samples[1].second, "def");
}

TEST(EdgeOutbox, QuarantineKeepsEntriesAndMarksReplays) {
  testing::TempDir dir;
  auto outbox = open_outbox(dir.path());
  AppendBatch a;
  QuarantineEntry q;
  q.address = "mqtt://b/x";
  q.text = "abc";
  q.reason = "`abc` is not a number";
  a.quarantined = {q, q};
  a.quarantined[1].has_value = true;
  a.quarantined[1].value = std::numeric_limits<double>::infinity();
  ASSERT_TRUE(outbox->append(a).is_ok());
  EXPECT_EQ(outbox->status().quarantined, 2u);
  EXPECT_EQ(outbox->status().last_seq, 0u);
  auto items = outbox->quarantine(0, 10);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, 1u);
  EXPECT_EQ(items[0].reason, q.reason);
  EXPECT_TRUE(std::isinf(items[1].value));
  AppendBatch replay;
  replay.records = {sample("x", 1)};
  ASSERT_TRUE(outbox->append_replay(1, replay).is_ok());
  EXPECT_TRUE(outbox->quarantined(1)->replayed);
  EXPECT_FALSE(outbox->quarantined(2)->replayed);
  AppendBatch none;
  EXPECT_EQ(outbox->append_replay(7, none).code(), store::Status::Code::kNotFound);
}

TEST(EdgeOutbox, QuarantineRowsRoundTripAndRefuseForeignRows) {
  QuarantineEntry e;
  e.id = 3;
  e.time_us = -5;
  e.address = "a\"b";
  e.has_value = true;
  e.value = std::nan("");
  e.reason = "r";
  QuarantineEntry back;
  ASSERT_TRUE(decode(encode(e), &back));
  EXPECT_EQ(back.id, 3u);
  EXPECT_EQ(back.address, "a\"b");
  EXPECT_TRUE(std::isnan(back.value));
  EXPECT_FALSE(decode("{\"format\":2}", &back));
  EXPECT_FALSE(decode("not json", &back));
}

}  // namespace
}  // namespace gemba::edge
