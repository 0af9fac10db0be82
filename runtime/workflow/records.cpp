#include "runtime/workflow/records.h"

#include <cmath>
#include <cstring>

#include "runtime/store/store.h"

namespace gemba::workflow {
namespace {

// Little-endian fixed-width fields; strings and lists carry a u32 length first.
class Writer {
 public:
  explicit Writer(std::uint8_t tag) {
    out_.reserve(256);  // most rows fit: one allocation per row
    out_.push_back(static_cast<char>(kRowFormat));
    u8(tag);
  }
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void words(const std::vector<std::uint64_t>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (std::uint64_t w : v) u64(w);
  }
  std::string take() { return std::move(out_); }

 private:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads what Writer wrote; any overrun or bad tag makes ok() false for good.
class Reader {
 public:
  Reader(std::string_view in, std::uint8_t tag) : in_(in) {
    if (u8() != kRowFormat || u8() != tag) ok_ = false;
  }
  std::uint8_t u8() {
    std::uint8_t v = 0;
    raw(&v, 1);
    return v;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  double f64() {
    double v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::string str() {
    std::uint32_t n = u32();
    if (!ok_ || n > in_.size() - at_) return fail(), std::string();
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }
  std::vector<std::uint64_t> words() {
    std::uint32_t n = u32();
    if (!ok_ || n > (in_.size() - at_) / 8) return fail(), std::vector<std::uint64_t>();
    std::vector<std::uint64_t> v(n);
    for (auto& w : v) w = u64();
    return v;
  }
  // A count of items of at least `min_size` bytes each, or 0 and failure when the rest
  // of the row cannot hold them.
  std::uint32_t count(std::size_t min_size) {
    std::uint32_t n = u32();
    if (!ok_ || n > (in_.size() - at_) / min_size) return fail(), 0;
    return n;
  }
  // True when every field was there and nothing is left over.
  bool done() const { return ok_ && at_ == in_.size(); }

 private:
  void raw(void* p, std::size_t n) {
    if (!ok_ || n > in_.size() - at_) return fail();
    std::memcpy(p, in_.data() + at_, n);
    at_ += n;
  }
  void fail() { ok_ = false; }
  std::string_view in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

// The second byte of every row: which table's row it is.
enum Tag : std::uint8_t {
  kVersion = 'V',
  kInstance = 'I',
  kJournal = 'J',
  kOutbox = 'O',
  kTimer = 'T',
  kAudit = 'A'
};

template <typename Row>
std::optional<Row> finished(const Reader& r, Row row) {
  if (!r.done()) return std::nullopt;
  return row;
}

}  // namespace

std::string encode(const VersionRow& row) {
  Writer w(kVersion);
  w.str(row.plant);
  w.str(row.compiler_version);
  w.u32(static_cast<std::uint32_t>(row.sources.size()));
  for (const auto& s : row.sources) {
    w.str(s.path);
    w.str(s.text);
    w.u8(s.plant ? 1 : 0);
  }
  w.u32(static_cast<std::uint32_t>(row.machines.size()));
  for (const auto& [name, fingerprint] : row.machines) {
    w.str(name);
    w.str(fingerprint);
  }
  return w.take();
}

std::optional<VersionRow> decode_version(std::string_view bytes) {
  Reader r(bytes, kVersion);
  VersionRow row;
  row.plant = r.str();
  row.compiler_version = r.str();
  for (std::uint32_t n = r.count(9); n > 0; --n) {
    VersionRow::Source s;
    s.path = r.str();
    s.text = r.str();
    s.plant = r.u8() != 0;
    row.sources.push_back(std::move(s));
  }
  for (std::uint32_t n = r.count(8); n > 0; --n) {
    std::string name = r.str();
    row.machines.emplace_back(std::move(name), r.str());
  }
  return finished(r, std::move(row));
}

std::string encode(const InstanceRow& row) {
  Writer w(kInstance);
  w.str(row.version);
  w.str(row.procedure);
  w.u32(row.wait);
  w.u8(row.phase);
  w.u64(row.transitions);
  w.f64(row.created);
  w.f64(row.updated);
  w.u64(row.input_cursor);
  w.u64(row.journal_first);
  w.u8(row.task ? 1 : 0);
  if (row.task) {
    w.u64(row.task->transition);
    w.u32(row.task->index);
    w.u32(row.task->point);
    w.f64(row.task->time);
    w.words(row.task->values);
  }
  w.str(row.timer_key);
  w.words(row.frame);
  w.words(row.signals);
  return w.take();
}

std::optional<InstanceRow> decode_instance(std::string_view bytes) {
  Reader r(bytes, kInstance);
  InstanceRow row;
  row.version = r.str();
  row.procedure = r.str();
  row.wait = r.u32();
  row.phase = r.u8();
  row.transitions = r.u64();
  row.created = r.f64();
  row.updated = r.f64();
  row.input_cursor = r.u64();
  row.journal_first = r.u64();
  if (r.u8() != 0) {
    TaskRow task;
    task.transition = r.u64();
    task.index = r.u32();
    task.point = r.u32();
    task.time = r.f64();
    task.values = r.words();
    row.task = std::move(task);
  }
  row.timer_key = r.str();
  row.frame = r.words();
  row.signals = r.words();
  return finished(r, std::move(row));
}

std::string encode(const JournalRow& row) {
  Writer w(kJournal);
  w.u64(row.instance);
  w.u64(row.transition);
  w.u32(row.kind);
  w.u64(row.value);
  w.f64(row.time);
  w.str(row.actor);
  w.u32(static_cast<std::uint32_t>(row.signals.size()));
  for (const auto& [index, bits] : row.signals) {
    w.u32(index);
    w.u64(bits);
  }
  w.words(row.args);
  return w.take();
}

std::optional<JournalRow> decode_journal(std::string_view bytes) {
  Reader r(bytes, kJournal);
  JournalRow row;
  row.instance = r.u64();
  row.transition = r.u64();
  row.kind = r.u32();
  row.value = r.u64();
  row.time = r.f64();
  row.actor = r.str();
  for (std::uint32_t n = r.count(12); n > 0; --n) {
    std::uint32_t index = r.u32();
    row.signals.emplace_back(index, r.u64());
  }
  row.args = r.words();
  if (row.kind >= lower::kEventKinds) return std::nullopt;
  return finished(r, std::move(row));
}

std::string encode(const OutboxRow& row) {
  Writer w(kOutbox);
  w.u64(row.instance);
  w.u64(row.transition);
  w.u32(row.index);
  w.u32(row.point);
  w.f64(row.time);
  w.words(row.values);
  return w.take();
}

std::optional<OutboxRow> decode_outbox(std::string_view bytes) {
  Reader r(bytes, kOutbox);
  OutboxRow row;
  row.instance = r.u64();
  row.transition = r.u64();
  row.index = r.u32();
  row.point = r.u32();
  row.time = r.f64();
  row.values = r.words();
  return finished(r, std::move(row));
}

std::string encode(const TimerRow& row) {
  Writer w(kTimer);
  w.u64(row.task_transition);
  w.u32(row.kind);
  return w.take();
}

std::optional<TimerRow> decode_timer(std::string_view bytes) {
  Reader r(bytes, kTimer);
  TimerRow row;
  row.task_transition = r.u64();
  row.kind = r.u32();
  return finished(r, row);
}

std::string encode(const AuditRow& row) {
  Writer w(kAudit);
  w.f64(row.time);
  w.u64(row.instance);
  w.u64(row.transition);
  w.str(row.actor);
  w.str(row.action);
  w.str(row.detail);
  return w.take();
}

std::optional<AuditRow> decode_audit(std::string_view bytes) {
  Reader r(bytes, kAudit);
  AuditRow row;
  row.time = r.f64();
  row.instance = r.u64();
  row.transition = r.u64();
  row.actor = r.str();
  row.action = r.str();
  row.detail = r.str();
  return finished(r, std::move(row));
}

std::string timer_key(double due, std::uint64_t instance) {
  double micros = std::ceil(std::max(due, 0.0) * 1e6);
  return store::key_u64(static_cast<std::uint64_t>(micros)) + store::key_u64(instance);
}

double timer_due(std::string_view key) { return static_cast<double>(store::u64_of_key(key)) / 1e6; }

}  // namespace gemba::workflow
