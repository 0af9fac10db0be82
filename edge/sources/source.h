// Where an edge's readings come from. A source reads values of the plant's signals
// (addresses as the plant model writes them: `mqtt://hou-broker/blending/kettle1/level`,
// `modbus://10.40.1.21:502/1/40003`, `sim://hamburg/...`) and hands them to a
// ReadingSink from its own thread(s).
//
// Back-pressure: ReadingSink::offer blocks until the readings are durable in the
// outbox (or given to the quarantine), and it returns false only when the edge is
// stopping. A source acknowledges to its producer (an MQTT PUBACK, a replay file's
// position) only what offer() returned true for; while the outbox is over its disk
// quota, offer() blocks, so the source stops taking data instead of dropping it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gemba::edge {

struct Reading {
  std::string address;  // the signal's address as written in the plant model
  std::int64_t time_us = 0;  // UTC microseconds since 1970, when it was measured
  double value = 0;          // in the signal's declared unit; bools 0/1, enums ordinal
  // A value that is not a number as received (`"RUNNING"` for an enum signal, a payload
  // that does not parse): the collector resolves or quarantines it. Empty otherwise.
  std::string text;
  bool has_value = true;  // false: only `text` was received
  // Set when the source already knows the reading is bad ("line.csv:17: the value `abc`
  // is not a number"): it goes to the quarantine with this reason.
  std::string problem;
};

// A source's position (a replay file's byte offset), committed in the same transaction
// as the readings offered with it, so a restarted source resumes exactly after them.
struct Cursor {
  std::string key;    // unique per source: `replay:/data/line2.csv`
  std::string value;  // opaque to the sink
};

class ReadingSink {
 public:
  virtual ~ReadingSink() = default;
  // Blocks until every reading is durable (outbox or quarantine), with `cursor` when
  // given; false when the edge stops first (the readings may then not be stored: do not
  // acknowledge them).
  virtual bool offer(std::vector<Reading> readings, const Cursor* cursor = nullptr) = 0;
  // The value last committed for `key`, or empty.
  virtual std::string cursor(const std::string& key) = 0;
};

// What the edge knows of a signal it collects, from the plant model and the collect rule.
struct SignalInfo {
  std::string address;   // as written in the plant model
  std::string instance;  // `kettle2`
  std::string signal;    // `temperature`
  enum class Kind : std::uint8_t { kBool, kInt, kReal, kEnum } kind = Kind::kReal;
  std::string unit;                  // kReal: `degC`, `rpm`, `pcs`; may be empty
  std::vector<std::string> choices;  // kEnum: member names by ordinal
  std::int64_t period_us = 1000000;  // the collect rule's period
  bool has_valid = false;            // the rule's `valid lo .. hi`, in `unit`
  double valid_lo = 0, valid_hi = 0;
};

// What a source counts, for the edge's status endpoint.
struct SourceStatus {
  std::string name;   // `mqtt://127.0.0.1:1883`, `sim://hamburg`, `replay:data.csv`
  bool connected = false;
  std::uint64_t readings = 0;   // handed to offer() and accepted
  std::uint64_t errors = 0;     // connection losses, failed reads, unparsable messages
  // Polls that did not happen (Modbus): offer() was blocked or the server unreachable
  // when they were due.
  std::uint64_t missed = 0;
  std::string last_error;       // human-readable, with what to check
};

class Source {
 public:
  virtual ~Source() = default;
  // Starts the source's thread(s); they run until stop(). A source that cannot connect
  // keeps retrying (with backoff) and reports it in status(), it does not fail start().
  virtual void start(ReadingSink& sink) = 0;
  // Stops and joins the threads; idempotent. After it returns, offer() is not called.
  virtual void stop() = 0;
  virtual SourceStatus status() const = 0;
  // True once a finite source (a replay file) has delivered everything.
  virtual bool finished() const { return false; }
};

// `--connect NAME=HOST:PORT`: the authority of an address as written in the plant model
// (`hou-broker`, `10.40.1.21:502`, `ham-broker:8883`) mapped to where it is reached from
// this edge. Unmapped authorities are used as they are.
using ConnectMap = std::map<std::string, std::string>;

}  // namespace gemba::edge
