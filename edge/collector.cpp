#include "edge/collector.h"

#include "runtime/wire/batch.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <map>

namespace gemba::edge {
namespace {

using Clock = std::chrono::system_clock;
constexpr auto kTick = std::chrono::milliseconds(100);
constexpr auto kQuotaRetry = std::chrono::milliseconds(200);
// A held reading older than this on the wall clock is from a replay: only the replay's
// next reading decides about it, not the clock.
constexpr std::int64_t kLiveWindowUs = 60'000'000;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
      .count();
}

constexpr char kSamplePrefix[] = "sample:";

// A signal's last recorded time and value (base units), as its cursor holds them.
std::string sampler_row(std::int64_t time_us, double base) {
  std::string row(16, '\0');
  std::memcpy(row.data(), &time_us, 8);
  std::memcpy(row.data() + 8, &base, 8);
  return row;
}

std::string number(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

// The reading's value as the signal's kind takes it, or the reason it cannot be one.
std::optional<double> value_of(const Reading& r, const CollectRule& rule, std::string* why) {
  const SignalInfo& s = rule.info;
  if (!r.has_value) {
    if (s.kind == SignalInfo::Kind::kEnum) {
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        if (s.choices[i] == r.text) return static_cast<double>(i);
      }
      std::string names;
      for (const std::string& c : s.choices) names += (names.empty() ? "" : ", ") + c;
      *why = "`" + r.text + "` is not a member of " + rule.subject() + " (" + names + ")";
      return std::nullopt;
    }
    if (s.kind == SignalInfo::Kind::kBool && (r.text == "true" || r.text == "false")) {
      return r.text == "true" ? 1.0 : 0.0;
    }
    *why = "`" + r.text + "` is not a value of " + rule.subject();
    return std::nullopt;
  }
  if (!std::isfinite(r.value)) {
    *why = number(r.value) + " is not a finite number";
    return std::nullopt;
  }
  if (s.kind == SignalInfo::Kind::kBool && r.value != 0 && r.value != 1) {
    *why = number(r.value) + " is not a truth value (0 or 1)";
    return std::nullopt;
  }
  if ((s.kind == SignalInfo::Kind::kInt || s.kind == SignalInfo::Kind::kEnum) &&
      r.value != std::floor(r.value)) {
    *why = number(r.value) + " is not a whole number";
    return std::nullopt;
  }
  if (s.kind == SignalInfo::Kind::kEnum && (r.value < 0 || r.value >= s.choices.size())) {
    *why = number(r.value) + " is not an ordinal of " + rule.subject() + " (0 .. " +
           std::to_string(s.choices.size()) + ")";
    return std::nullopt;
  }
  return r.value;
}

// Whether every valid_ check of the rule accepts `base`.
bool valid(const CollectRule& rule, double base) {
  for (lower::EntryPoint fn : rule.valid) {
    lower::Scalar arg{}, result{};
    arg.r = base;
    if (fn(&arg, &result, nullptr) != 0 || !result.b) return false;
  }
  return true;
}

}  // namespace

Collector::Collector(const CollectPlan& plan, Outbox& outbox, std::function<void()> committed)
    : plan_(plan),
      outbox_(outbox),
      committed_(std::move(committed)),
      signals_(plan.rules.size()) {
  for (const auto& [key, row] : outbox_.cursors(kSamplePrefix)) {
    auto it = plan_.by_subject.find(key.substr(sizeof kSamplePrefix - 1));
    if (it == plan_.by_subject.end() || row.size() != 16) continue;
    SignalState& s = signals_[it->second];
    s.has_last = true;
    std::memcpy(&s.last_time_us, row.data(), 8);
    std::memcpy(&s.last_base, row.data() + 8, 8);
  }
  committer_ = std::thread([this] { run(); });
}

Collector::~Collector() { stop(); }

void Collector::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (committer_.joinable()) committer_.join();
}

std::string Collector::cursor(const std::string& key) { return outbox_.cursor(key); }

bool Collector::offer(std::vector<Reading> readings, const Cursor* cursor) {
  AppendBatch batch;
  {
    std::lock_guard lock(mutex_);
    for (const Reading& r : readings) classify(r, batch);
    status_.readings += readings.size();
  }
  if (cursor != nullptr) batch.cursors.emplace_back(cursor->key, cursor->value);
  return submit(std::move(batch), std::nullopt);
}

bool Collector::append(std::vector<wire::Record> records, const Cursor* cursor,
                       std::string* error) {
  // The center refuses such a record every time: it would stop this edge's stream.
  for (const wire::Record& r : records) {
    wire::Record numbered = r;  // the outbox numbers it; the check wants a number
    numbered.seq = 1;
    if (std::string problem = wire::record_problem(numbered); !problem.empty()) {
      *error = r.subject + ": " + problem;
      return false;
    }
  }
  AppendBatch batch;
  batch.records = std::move(records);
  if (cursor != nullptr) batch.cursors.emplace_back(cursor->key, cursor->value);
  return submit(std::move(batch), std::nullopt);
}

bool Collector::replay(std::uint64_t id, std::string* error) {
  std::optional<QuarantineEntry> entry = outbox_.quarantined(id);
  if (!entry) {
    *error = "no quarantined reading " + std::to_string(id);
    return false;
  }
  if (entry->replayed) {
    *error = "quarantined reading " + std::to_string(id) + " was already replayed";
    return false;
  }
  Reading r;
  r.address = entry->address;
  r.time_us = entry->time_us;
  r.has_value = entry->has_value;
  r.value = entry->value;
  r.text = entry->text;
  AppendBatch batch;
  {
    std::lock_guard lock(mutex_);
    classify(r, batch);
  }
  if (!submit(std::move(batch), id)) {
    *error = "the edge is stopping";
    return false;
  }
  return true;
}

bool Collector::submit(AppendBatch batch, std::optional<std::uint64_t> replayed) {
  auto pending = std::make_unique<Pending>();
  pending->batch = std::move(batch);
  pending->replayed = replayed;
  std::future<bool> done = pending->done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    queue_.push_back(std::move(pending));
  }
  wake_.notify_all();
  return done.get();
}

void Collector::classify(const Reading& r, AppendBatch& batch) {
  auto quarantine = [&](const CollectRule* rule, std::string reason) {
    QuarantineEntry q;
    q.time_us = r.time_us;
    q.address = r.address;
    q.subject = rule ? rule->subject() : "";
    q.has_value = r.has_value;
    q.value = r.value;
    q.text = r.text;
    q.reason = std::move(reason);
    batch.quarantined.push_back(std::move(q));
    ++status_.quarantined;
  };
  const CollectRule* rule = plan_.find(r.address);
  if (!r.problem.empty()) return quarantine(rule, r.problem);
  if (rule == nullptr) {
    return quarantine(nullptr, "no collect rule at this plant reads `" + r.address +
                                   "`: check the address in the plant model and the templates");
  }
  std::string why;
  std::optional<double> value = value_of(r, *rule, &why);
  if (!value) return quarantine(rule, why);
  double base = *value * rule->scale + rule->offset;
  if (!valid(*rule, base)) {
    std::string shown = number(*value) + (rule->info.unit.empty() ? "" : " " + rule->info.unit);
    return quarantine(rule, rule->subject() + " = " + shown + " is outside its valid range " +
                                rule->valid_text);
  }
  wire::Record record;
  record.time_us = r.time_us;
  record.kind = wire::RecordKind::kSample;
  record.subject = rule->subject();
  record.value = *value;
  record.unit = rule->info.unit;
  if (rule->info.kind == SignalInfo::Kind::kEnum) {
    record.text = rule->info.choices[static_cast<std::size_t>(*value)];
  }
  std::size_t index = static_cast<std::size_t>(rule - plan_.rules.data());
  sample(*rule, signals_[index], std::move(record), base, batch);
}

void Collector::sample(const CollectRule& rule, SignalState& s, wire::Record record, double base,
                       AppendBatch& batch) {
  bool moved = !s.has_last || std::fabs(base - s.last_base) > rule.deadband ||
               (rule.deadband == 0 && base != s.last_base);
  bool due = !s.has_last || record.time_us >= s.last_time_us + rule.info.period_us;
  if (due) {
    s.held.reset();
    if (!moved) {
      ++status_.unchanged;
      return;
    }
    s.has_last = true;
    s.last_time_us = record.time_us;
    s.last_base = base;
    batch.cursors.emplace_back(kSamplePrefix + record.subject, sampler_row(record.time_us, base));
    batch.records.push_back(std::move(record));
    ++status_.recorded;
    return;
  }
  if (moved) {
    s.held = std::move(record);
    s.held_base = base;
    ++status_.held;
  } else {
    s.held.reset();  // back within the deadband: the earlier change is superseded
  }
}

void Collector::release_due(std::int64_t now, AppendBatch& batch) {
  for (std::size_t i = 0; i < signals_.size(); ++i) {
    SignalState& s = signals_[i];
    if (!s.held || now < s.last_time_us + plan_.rules[i].info.period_us) continue;
    if (s.held->time_us < now - kLiveWindowUs) continue;
    s.last_time_us = s.held->time_us;
    s.last_base = s.held_base;
    batch.cursors.emplace_back(kSamplePrefix + s.held->subject, sampler_row(s.last_time_us, s.last_base));
    batch.records.push_back(std::move(*s.held));
    s.held.reset();
    ++status_.recorded;
  }
}

// The committer: takes every queued offer, commits them as one batch, answers them all.
void Collector::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, kTick, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) break;
    std::vector<std::unique_ptr<Pending>> taken;
    AppendBatch batch;
    std::optional<std::uint64_t> replayed;
    // A replay marks its entry: it commits alone, after what came before it.
    while (!queue_.empty() && !replayed && !(queue_.front()->replayed && !taken.empty())) {
      std::unique_ptr<Pending> p = std::move(queue_.front());
      queue_.pop_front();
      if (p->replayed) replayed = p->replayed;
      for (auto& r : p->batch.records) batch.records.push_back(std::move(r));
      for (auto& q : p->batch.quarantined) batch.quarantined.push_back(std::move(q));
      for (auto& c : p->batch.cursors) batch.cursors.push_back(std::move(c));
      taken.push_back(std::move(p));
    }
    release_due(now_us(), batch);
    // One put per cursor: the last value of each key wins.
    std::map<std::string, std::string> cursors;
    for (auto& [key, value] : batch.cursors) cursors[std::move(key)] = std::move(value);
    batch.cursors.assign(std::make_move_iterator(cursors.begin()),
                         std::make_move_iterator(cursors.end()));
    if (batch.records.empty() && batch.quarantined.empty() && batch.cursors.empty() && !replayed) {
      for (auto& p : taken) p->done.set_value(true);
      continue;
    }
    lock.unlock();
    store::Status s;
    bool warned = false;
    while (true) {
      s = replayed ? outbox_.append_replay(*replayed, batch) : outbox_.append(batch);
      if (s.is_ok() || s.code() == store::Status::Code::kNotFound) break;
      bool quota = s.code() == store::Status::Code::kAborted;
      // Said in the log before the status shows it, so whoever sees one finds the other.
      if (!warned) {
        std::cerr << "gemba edge: " << (quota ? "outbox full, holding the sources back: " : "")
                  << s.message() << '\n';
        warned = true;
      }
      {
        std::lock_guard relock(mutex_);
        status_.over_quota = quota;
        status_.last_error = s.message();
        if (stopping_) break;
      }
      std::this_thread::sleep_for(kQuotaRetry);
    }
    lock.lock();
    if (s.is_ok()) {
      if (status_.over_quota) std::cerr << "gemba edge: outbox has room again\n";
      status_.over_quota = false;
      status_.last_error.clear();
    }
    for (auto& p : taken) p->done.set_value(s.is_ok());
    if (s.is_ok() && !batch.records.empty() && committed_) committed_();
  }
  for (auto& p : queue_) p->done.set_value(false);
  queue_.clear();
}

CollectorStatus Collector::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

}  // namespace gemba::edge
