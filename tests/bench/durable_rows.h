// The workload of BM_Transition_Durable (durable_bench.cpp): the rows one durable
// transition writes, for the variants that write them by hand (lmdb_raw, sqlite), so
// that they do the same writes as the engine (the gemba variant) does for the bench's
// Readings procedure (below): one operator answer, recorded, notified, and the next
// reading asked.
//
// kInstances live instances; event n (0-based over the whole run) answers instance
// 1 + n % kInstances (round-robin). Per event, in the batch's write transaction, in the
// engine's order (runtime/workflow/engine_apply.cpp):
//   journal    append  key: global sequence (u64 BE), value kJournalValueBytes
//   outbox     append  kOutboxRowsPerEvent rows (the notify, the next ask), key: global
//                      sequence (u64 BE), value kOutboxValueBytes each
//   timers     erase   the instance's timer (the ask just answered), then
//              put     the next ask's: key due (microseconds, u64 BE) + instance (u64 BE),
//                      8 h after the event, so that due times increase; kTimerValueBytes
//   instances  replace key: instance (u64 BE), value kInstanceValueBytes
//   audit      append  key: global sequence (u64 BE), value kAuditValueBytes ("answer")
// then, once per transaction, the previous batch's outbox rows are deleted (the sink
// accepted them) and the `sequences` row "outbox" is rewritten (the next outbox
// sequence). One durable commit per batch.
//
// Since events go round-robin, the timer an event erases is always the oldest one: the
// timers table is a queue (erase at the front, insert at the back), in the engine too.
//
// Before the run each instance has what its start left: its instance row, the start's
// journal row, two audit rows ("start", "state"), its timer; its start's outbox rows are
// delivered (deleted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "runtime/workflow/template_version.h"

namespace gemba::bench::durable {

// ---- The procedure (the gemba variant runs it; BM_Resume_Instances resumes it) -------

constexpr const char* kReadingsSource = R"gmb(module bench.readings;

import std.units;

role shift_lead "Shift lead";

// A reading loop: each answer is recorded and notified, then the next is asked.
procedure Readings(count: int) {
  step "Read" {
    for i in 1 .. count {
      let v = ask role shift_lead "Reading {i}" as real within 8 h;
      notify role shift_lead "Reading {i} is {v}";
    }
  }
}
)gmb";

constexpr const char* kPlantSource = R"gmb(module plants.bench;

plant bench "Benchmark plant" {
  timezone "UTC";
}
)gmb";

// Started with this count, an instance never finishes within a run.
constexpr std::int64_t kReadingsCount = 1'000'000'000;
constexpr const char* kActor = "bench";

// The template version the benches publish (sources sorted by path).
inline workflow::TemplateVersion readings_version() {
  return {"bench",
          {{"bench/plants/bench.gmb", kPlantSource, true},
           {"bench/readings.gmb", kReadingsSource, false}}};
}

// ---- The rows, for the variants that write them by hand --------------------------------

constexpr std::uint64_t kInstances = 1000;

constexpr std::size_t kKeyBytes = 8;  // one u64, big-endian: keys sort as numbers

// The sizes of the engine's rows (runtime/workflow/records.h, encode(); FORMAT.md) for
// the Readings procedure, measured from a store the engine wrote (mdb_dump of a run with
// actor "bench" and answers typed with 4 characters, "20.5"), and checked again after every gemba
// run (durable_bench.cpp, Gemba::check): change them when the row format or the procedure changes.
//   journal   2 + instance 8 + transition 8 + kind 4 + value 8 + time 8 + actor (4 + 5)
//             + signal changes 4 + arguments 4 (+ 8 for the start's one argument)
//   instance  2 + version (4 + 64) + procedure (4 + 8) + wait 4 + phase 1 + transitions 8
//             + created, updated, input cursor, first journal sequence 4 x 8 + task flag 1
//             + task (8 + 4 + 4 + 8 + words: 4 + 2 x 8) + timer key (4 + 16)
//             + frame (4 + 7 x 8) + signals 4
//   audit     2 + time 8 + instance 8 + transition 8 + actor (4 + 5) + action (4 + 6)
//             + detail (4 + 18: "Reading {0} = 20.5")
//   outbox    2 + instance 8 + transition 8 + index 4 + point 4 + time 8 + values (4 + 2 x 8)
//   timer     2 + task transition 8 + kind 4
constexpr std::size_t kJournalValueBytes = 55;
constexpr std::size_t kStartJournalValueBytes = 63;
constexpr std::size_t kInstanceValueBytes = 256;
constexpr std::size_t kAuditValueBytes = 67;
constexpr std::size_t kStartAuditValueBytes[] = {80, 63};  // "start", "state"
constexpr std::size_t kOutboxRowsPerEvent = 2;
constexpr std::size_t kOutboxValueBytes = 54;          // the notify and the ask alike
constexpr std::size_t kTimerKeyBytes = 2 * kKeyBytes;  // due + instance
constexpr std::size_t kTimerValueBytes = 14;
constexpr std::size_t kSequenceValueBytes = kKeyBytes;  // `sequences`, key "outbox"

// Events per transaction, the benchmark's argument.
constexpr int kBatchSizes[] = {1, 16, 256};

// Times: tick k is kEpochMicros + k microseconds. Instance i started at tick i - 1;
// event n happens at tick kInstances + n. A timer is due kTimeoutMicros after its tick.
constexpr std::uint64_t kEpochMicros = 1'795'000'000'000'000;  // 2026-11-18
constexpr std::uint64_t kTimeoutMicros = 8ull * 3600 * 1'000'000;

inline void put_u64_be(std::uint64_t value, unsigned char* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(value);
    value >>= 8;
  }
}

inline std::uint64_t instance_of(std::uint64_t event) { return 1 + event % kInstances; }
// Global sequences (the first row of each table is 1, as in the engine): the starts come
// first, then the events in order.
inline std::uint64_t journal_sequence(std::uint64_t event) { return kInstances + 1 + event; }
inline std::uint64_t audit_sequence(std::uint64_t event) { return 2 * kInstances + 1 + event; }
inline std::uint64_t outbox_sequence(std::uint64_t event, std::size_t index) {
  return kOutboxRowsPerEvent * (kInstances + event) + 1 + index;
}
// The key of the timer of the task opened at `tick` by instance `instance`.
inline void timer_key(std::uint64_t tick, std::uint64_t instance, unsigned char* out) {
  put_u64_be(kEpochMicros + tick + kTimeoutMicros, out);
  put_u64_be(instance, out + kKeyBytes);
}

// The bytes of every row one event writes. Values are filler that changes with the
// event (neither store compresses; the content only has to differ between writes).
struct EventRows {
  std::uint64_t instance = 0;
  std::uint64_t journal_sequence = 0, audit_sequence = 0;
  std::uint64_t outbox_sequence[kOutboxRowsPerEvent] = {};
  unsigned char journal_key[kKeyBytes];
  unsigned char journal_value[kStartJournalValueBytes];  // kJournalValueBytes used
  unsigned char instance_key[kKeyBytes];
  unsigned char instance_value[kInstanceValueBytes];
  unsigned char audit_key[kKeyBytes];
  unsigned char audit_value[kStartAuditValueBytes[0]];  // kAuditValueBytes used
  std::uint64_t timer_erased_tick = 0, timer_put_tick = 0;
  unsigned char timer_erased_key[kTimerKeyBytes];
  unsigned char timer_put_key[kTimerKeyBytes];
  unsigned char timer_value[kTimerValueBytes];
  unsigned char outbox_key[kOutboxRowsPerEvent][kKeyBytes];
  unsigned char outbox_value[kOutboxRowsPerEvent][kOutboxValueBytes];
};

inline void fill(std::uint64_t seed, unsigned char* out, std::size_t size) {
  for (std::size_t i = 0; i < size; i += kKeyBytes) {
    unsigned char word[kKeyBytes];
    put_u64_be(seed * 0x9E3779B97F4A7C15ull + i, word);
    std::memcpy(out + i, word, size - i < kKeyBytes ? size - i : kKeyBytes);
  }
}

// The rows of event n. Its instance's open task was opened at tick n (by its start, or
// by its previous answer, event n - kInstances): that timer is erased, and the next
// ask's, at this event's tick, put.
inline void make_rows(std::uint64_t event, EventRows* rows) {
  rows->instance = instance_of(event);
  rows->journal_sequence = journal_sequence(event);
  rows->audit_sequence = audit_sequence(event);
  put_u64_be(rows->journal_sequence, rows->journal_key);
  fill(event, rows->journal_value, kJournalValueBytes);
  put_u64_be(rows->instance, rows->instance_key);
  fill(event + 1, rows->instance_value, kInstanceValueBytes);
  put_u64_be(rows->audit_sequence, rows->audit_key);
  fill(event + 2, rows->audit_value, kAuditValueBytes);
  rows->timer_erased_tick = event;
  rows->timer_put_tick = kInstances + event;
  timer_key(rows->timer_erased_tick, rows->instance, rows->timer_erased_key);
  timer_key(rows->timer_put_tick, rows->instance, rows->timer_put_key);
  fill(event + 3, rows->timer_value, kTimerValueBytes);
  for (std::size_t i = 0; i < kOutboxRowsPerEvent; ++i) {
    rows->outbox_sequence[i] = outbox_sequence(event, i);
    put_u64_be(rows->outbox_sequence[i], rows->outbox_key[i]);
    fill(event + 4 + i, rows->outbox_value[i], kOutboxValueBytes);
  }
}

// What instance i (1 .. kInstances) has before the run: its instance row, its start's
// journal row, the start's first audit row (make_start_audit gives the second), and its
// timer (tick i - 1). Sequences as the engine's starts take them.
inline void make_start_rows(std::uint64_t instance, EventRows* rows) {
  rows->instance = instance;
  rows->journal_sequence = instance;
  rows->audit_sequence = 2 * instance - 1;
  put_u64_be(rows->journal_sequence, rows->journal_key);
  fill(~instance, rows->journal_value, kStartJournalValueBytes);
  put_u64_be(instance, rows->instance_key);
  fill(~instance + 1, rows->instance_value, kInstanceValueBytes);
  put_u64_be(rows->audit_sequence, rows->audit_key);
  fill(~instance + 2, rows->audit_value, kStartAuditValueBytes[0]);
  rows->timer_put_tick = instance - 1;
  timer_key(rows->timer_put_tick, instance, rows->timer_put_key);
  fill(~instance + 3, rows->timer_value, kTimerValueBytes);
}

// The start's second audit row ("state": idle -> running), in place of the first.
inline void make_start_audit(std::uint64_t instance, EventRows* rows) {
  rows->audit_sequence = 2 * instance;
  put_u64_be(rows->audit_sequence, rows->audit_key);
  fill(~instance + 4, rows->audit_value, kStartAuditValueBytes[1]);
}

}  // namespace gemba::bench::durable
