#include "runtime/workflow/records.h"

#include <gtest/gtest.h>

namespace gemba::workflow {
namespace {

InstanceRow an_instance() {
  InstanceRow row;
  row.version = std::string(64, 'a');
  row.procedure = "ReleaseCheck";
  row.wait = 7;
  row.phase = 1;
  row.transitions = 12;
  row.created = 1795000000.5;
  row.updated = 1795000100.25;
  row.input_cursor = 9;
  row.journal_first = 40;
  row.task = TaskRow{12, 1, 3, 1795000100.25, {bits_of({.r = 2.0}), bits_of({.r = 8.0})}};
  row.timer_key = timer_key(1795001300.25, 5);
  row.frame = {1, 2, 3, bits_of({.r = -0.5})};
  row.signals = {bits_of({.r = 358.15})};
  return row;
}

TEST(RecordsTest, EveryRowRoundTrips) {
  InstanceRow i = an_instance();
  auto back = decode_instance(encode(i));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->version, i.version);
  EXPECT_EQ(back->task->values, i.task->values);
  EXPECT_EQ(back->frame, i.frame);
  EXPECT_EQ(back->timer_key, i.timer_key);
  EXPECT_EQ(back->journal_first, 40u);

  JournalRow j{5, 12, 1, bits_of({.i = 1}), 1795000100.25, "lab jdoe", {{2, 77}}, {}};
  auto jb = decode_journal(encode(j));
  ASSERT_TRUE(jb);
  EXPECT_EQ(jb->instance, 5u);
  EXPECT_EQ(jb->signals, j.signals);
  EXPECT_EQ(jb->actor, "lab jdoe");

  OutboxRow o{5, 12, 1, 3, 1795000100.25, {1, 2}};
  EXPECT_EQ(decode_outbox(encode(o))->values, o.values);
  AuditRow a{1795000100.25, 5, 12, "qa maria", "signature", "meaning: released"};
  EXPECT_EQ(decode_audit(encode(a))->detail, a.detail);
  TimerRow t{12, 2};
  EXPECT_EQ(decode_timer(encode(t))->task_transition, 12u);
  VersionRow v{"houston", "0.1.0", {{"a.gmb", "module a;", false}}, {{"P", "fp"}}};
  EXPECT_EQ(decode_version(encode(v))->sources[0].text, "module a;");
}

TEST(RecordsTest, TruncatedPaddedOrForeignBytesDoNotDecode) {
  std::string bytes = encode(an_instance());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(decode_instance(bytes.substr(0, n))) << "truncated to " << n;
  }
  EXPECT_FALSE(decode_instance(bytes + "x"));
  EXPECT_FALSE(decode_journal(bytes));  // an instance row is not a journal row
  std::string other_format = bytes;
  other_format[0] = 2;
  EXPECT_FALSE(decode_instance(other_format));
  // A length that claims more than the row holds is refused, not allocated.
  std::string huge = encode(OutboxRow{1, 1, 0, 0, 0, {}});
  huge.replace(huge.size() - 4, 4, std::string("\xff\xff\xff\x7f", 4));
  EXPECT_FALSE(decode_outbox(huge));
}

TEST(RecordsTest, TimerKeysSortByDueTimeThenInstance) {
  EXPECT_LT(timer_key(100.0, 9), timer_key(100.5, 1));
  EXPECT_LT(timer_key(100.0, 1), timer_key(100.0, 2));
  EXPECT_DOUBLE_EQ(timer_due(timer_key(1795001300.25, 5)), 1795001300.25);
}

}  // namespace
}  // namespace gemba::workflow
