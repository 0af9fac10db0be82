// The workload of BM_EdgeAppend (edge_append_bench.cpp): the samples an edge collects,
// and the rows edge::Outbox::append() writes for them (edge/FORMAT.md), so that the
// variants that write them by hand (lmdb_raw, sqlite) store the same bytes as the
// Outbox (the gemba variant) does.
//
// Sample n (0-based over the whole run) is the reading of subject n % kSubjects (8
// instances x 6 signals, round-robin: one scan of every signal every 100 ms), with a
// value that moves with n. Appended, it gets seq n + 1. Per append (one durable commit):
//   records  append  key: seq (u64 BE), value: wire::encode(record), the seq included
//   state    put     "last_seq", "bytes", "quarantined" (u64 BE each), in that order
// and, once at creation, the state row "edge" (16 hex digits).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/wire/record.h"

namespace gemba::bench::edge_rows {

// Records per append (one durable commit each), the benchmark's argument.
constexpr int kBatchSizes[] = {1, 16, 256, 1024};

constexpr std::int64_t kEpochMicros = 1'795'000'000'000'000;  // 2026-11-18
constexpr std::int64_t kScanMicros = 100'000;                 // every signal, every 100 ms

// The edge identity the hand-written variants store (the Outbox draws its own).
constexpr const char* kEdgeId = "5eed0f0edce0be11";

enum class SignalType { kReal, kBool, kEnum };

struct Signal {
  const char* name;
  const char* unit;  // as declared; empty for bool and enum signals
  SignalType type;
  double low, high;  // kReal: the range the value moves in
};

constexpr const char* kInstances[] = {"kettle1", "kettle2", "kettle3", "kettle4",
                                      "mixer1",  "mixer2",  "filler1", "tank7"};
constexpr Signal kSignals[] = {
    {"temperature", "degC", SignalType::kReal, 15.0, 95.0},
    {"pressure", "bar", SignalType::kReal, 0.8, 3.5},
    {"level", "%", SignalType::kReal, 0.0, 100.0},
    {"flow", "l/min", SignalType::kReal, 0.0, 250.0},
    {"running", "", SignalType::kBool, 0, 1},
    {"mode", "", SignalType::kEnum, 0, 0},
};
constexpr const char* kModes[] = {"idle", "heating", "holding", "cooling", "cip"};

constexpr std::size_t kSignalCount = sizeof kSignals / sizeof kSignals[0];
constexpr std::size_t kSubjects = (sizeof kInstances / sizeof kInstances[0]) * kSignalCount;

inline const std::string& subject(std::size_t k) {
  static const std::vector<std::string> subjects = [] {
    std::vector<std::string> out;
    for (const char* instance : kInstances) {
      for (const Signal& signal : kSignals) out.push_back(std::string(instance) + "." + signal.name);
    }
    return out;
  }();
  return subjects[k];
}

// A deterministic fraction in [0, 1) that changes with n.
inline double fraction(std::uint64_t n) {
  std::uint64_t x = (n + 1) * 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 32;
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

// Sample n, its seq not yet assigned (0). Reuses `out`'s strings.
inline void make_record(std::uint64_t n, wire::Record* out) {
  const std::size_t k = n % kSubjects;
  const Signal& signal = kSignals[k % kSignalCount];
  out->seq = 0;
  out->time_us = kEpochMicros + static_cast<std::int64_t>(n / kSubjects) * kScanMicros +
                 static_cast<std::int64_t>(k) * 50;
  out->kind = wire::RecordKind::kSample;
  out->subject = subject(k);
  out->unit = signal.unit;
  const double u = fraction(n);
  switch (signal.type) {
    case SignalType::kReal:
      // A sensor's reading: 0.01 resolution, but a double like any other.
      out->value = std::round((signal.low + (signal.high - signal.low) * u) * 100.0) / 100.0;
      out->text.clear();
      break;
    case SignalType::kBool:
      out->value = u < 0.7 ? 1.0 : 0.0;
      out->text.clear();
      break;
    case SignalType::kEnum: {
      const std::size_t member = static_cast<std::size_t>(u * (sizeof kModes / sizeof kModes[0]));
      out->value = static_cast<double>(member);
      out->text = kModes[member];
      break;
    }
  }
}

// Samples [first, first + count) into `out` (resized; its records' strings reused).
inline void fill_batch(std::uint64_t first, std::size_t count, std::vector<wire::Record>* out) {
  out->resize(count);
  for (std::size_t i = 0; i < count; ++i) make_record(first + i, &(*out)[i]);
}

// What a record adds to the `bytes` state row (edge/outbox.cpp, AppendBatch::bytes()).
inline std::uint64_t quota_bytes(const wire::Record& r) {
  return r.subject.size() + r.unit.size() + r.text.size() + 32 + 16;
}

// The record row of seq `seq` (sample seq - 1), as the outbox stores it.
inline std::string expected_row(std::uint64_t seq) {
  wire::Record r;
  make_record(seq - 1, &r);
  r.seq = seq;
  return wire::encode(r);
}

// The `bytes` state row after samples [0, n).
inline std::uint64_t expected_bytes(std::uint64_t n) {
  std::uint64_t bytes = 0;
  wire::Record r;
  for (std::uint64_t i = 0; i < n; ++i) {
    make_record(i, &r);
    bytes += quota_bytes(r);
  }
  return bytes;
}

inline void put_u64_be(std::uint64_t value, unsigned char* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(value);
    value >>= 8;
  }
}

inline std::string u64_be(std::uint64_t value) {
  unsigned char bytes[8];
  put_u64_be(value, bytes);
  return std::string(reinterpret_cast<const char*>(bytes), 8);
}

// The seqs whose rows the checks compare byte for byte after a run of n records: the
// first, the last and some between.
inline std::vector<std::uint64_t> sample_seqs(std::uint64_t n) {
  std::vector<std::uint64_t> out;
  if (n == 0) return out;
  constexpr std::uint64_t kSamples = 16;
  for (std::uint64_t i = 0; i < kSamples; ++i) out.push_back(1 + (n - 1) * i / (kSamples - 1));
  return out;
}

}  // namespace gemba::bench::edge_rows
