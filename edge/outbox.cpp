#include "edge/outbox.h"

#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

namespace gemba::edge {
namespace {

using store::Status;

constexpr char kApplication[] = "gemba-edge";
constexpr std::uint32_t kFormat = 1;
constexpr std::size_t kRowOverhead = 16;  // key and bookkeeping, counted per row

// The `state` table's keys.
constexpr char kEdge[] = "edge";
constexpr char kLastSeq[] = "last_seq";
constexpr char kAckedSeq[] = "acked_seq";
constexpr char kBytes[] = "bytes";
constexpr char kQuarantined[] = "quarantined";

std::uint64_t get_u64(const store::ReadTxn& txn, store::Table table, std::string_view key) {
  auto v = txn.get(table, key);
  return v && v->size() == 8 ? store::u64_of_key(*v) : 0;
}

std::string new_edge_id() {
  std::random_device random;
  std::uint64_t id = (std::uint64_t{random()} << 32) ^ random();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(id));
  return text;
}

std::size_t row_bytes(std::size_t payload) { return payload + kRowOverhead; }

}  // namespace

std::string encode(const QuarantineEntry& e) {
  nlohmann::json j = {{"format", 1},       {"id", e.id},           {"time_us", e.time_us},
                      {"address", e.address}, {"subject", e.subject}, {"has_value", e.has_value},
                      {"text", e.text},     {"reason", e.reason},   {"replayed", e.replayed}};
  // JSON has no NaN or infinity: a non-finite value (one reason to quarantine) is text.
  if (std::isfinite(e.value)) {
    j["value"] = e.value;
  } else {
    j["value"] = std::isnan(e.value) ? "nan" : (e.value > 0 ? "inf" : "-inf");
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool decode(std::string_view row, QuarantineEntry* out) {
  nlohmann::json j = nlohmann::json::parse(row, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", 0) != 1) return false;
  try {
    out->id = j.at("id").get<std::uint64_t>();
    out->time_us = j.at("time_us").get<std::int64_t>();
    out->address = j.at("address").get<std::string>();
    out->subject = j.at("subject").get<std::string>();
    out->has_value = j.at("has_value").get<bool>();
    const auto& v = j.at("value");
    out->value = v.is_number() ? v.get<double>() : std::strtod(v.get<std::string>().c_str(), nullptr);
    out->text = j.at("text").get<std::string>();
    out->reason = j.at("reason").get<std::string>();
    out->replayed = j.at("replayed").get<bool>();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return true;
}

std::size_t AppendBatch::bytes() const {
  std::size_t n = 0;
  for (const wire::Record& r : records) {
    n += row_bytes(r.subject.size() + r.unit.size() + r.text.size() + 32);
  }
  for (const QuarantineEntry& q : quarantined) {
    n += row_bytes(q.address.size() + q.subject.size() + q.text.size() + q.reason.size() + 160);
  }
  return n;
}

Outbox::Outbox(std::unique_ptr<store::Store> store, const OutboxOptions& options)
    : store_(std::move(store)),
      options_(options),
      records_(store_->table("records")),
      quarantine_(store_->table("quarantine")),
      cursors_(store_->table("cursors")),
      state_(store_->table("state")) {}

std::unique_ptr<Outbox> Outbox::open(const std::filesystem::path& dir, const OutboxOptions& options,
                                     store::Status* status) {
  store::StoreOptions so;
  so.application = kApplication;
  so.format_version = kFormat;
  so.tables = {"records", "quarantine", "cursors", "state"};
  so.initial_map_size = options.initial_map_size;
  auto store = store::Store::open(dir, so, status);
  if (!store) return nullptr;
  std::unique_ptr<Outbox> outbox(new Outbox(std::move(store), options));
  *status = outbox->load();
  if (!status->is_ok()) return nullptr;
  return outbox;
}

// Draws the edge's identity at creation, then reads the counters back.
Status Outbox::load() {
  Status s = store_->write([&](store::WriteTxn& txn) {
    if (txn.get(state_, kEdge)) return Status::ok();
    return txn.put(state_, kEdge, new_edge_id());
  });
  if (!s.is_ok()) return s;
  return store_->read([&](const store::ReadTxn& txn) {
    std::lock_guard lock(mutex_);
    status_.edge = std::string(*txn.get(state_, kEdge));
    status_.last_seq = get_u64(txn, state_, kLastSeq);
    status_.acked_seq = get_u64(txn, state_, kAckedSeq);
    status_.backlog = status_.last_seq - status_.acked_seq;
    status_.bytes = get_u64(txn, state_, kBytes);
    status_.quarantined = get_u64(txn, state_, kQuarantined);
    status_.quota_bytes = options_.quota_bytes;
    if (txn.count(records_) != status_.backlog) {
      return Status::error(Status::Code::kCorruption,
                           "the outbox holds " + std::to_string(txn.count(records_)) +
                               " records but its counters say " + std::to_string(status_.backlog));
    }
    return Status::ok();
  });
}

Status Outbox::append(AppendBatch& batch) { return append_locked(batch, std::nullopt); }

Status Outbox::append_replay(std::uint64_t id, AppendBatch& batch) {
  return append_locked(batch, id);
}

Status Outbox::append_locked(AppendBatch& batch, std::optional<std::uint64_t> replayed) {
  const std::uint64_t added = batch.bytes();
  std::uint64_t last_seq = 0, bytes = 0, quarantined = 0;
  Status s = store_->write([&](store::WriteTxn& txn) {
    last_seq = get_u64(txn, state_, kLastSeq);
    bytes = get_u64(txn, state_, kBytes);
    quarantined = get_u64(txn, state_, kQuarantined);
    // A batch larger than the whole quota is taken when nothing else is held: refusing
    // it would hold its source back for ever.
    if (bytes + added > options_.quota_bytes && bytes > 0) {
      return Status::error(Status::Code::kAborted,
                           "over quota: " + std::to_string(bytes) + " bytes held, " +
                               std::to_string(added) + " more would pass the quota of " +
                               std::to_string(options_.quota_bytes));
    }
    for (wire::Record& r : batch.records) {
      r.seq = ++last_seq;
      Status put = txn.append(records_, store::key_u64(r.seq), wire::encode(r));
      if (!put.is_ok()) return put;
    }
    for (QuarantineEntry& q : batch.quarantined) {
      q.id = ++quarantined;
      Status put = txn.append(quarantine_, store::key_u64(q.id), encode(q));
      if (!put.is_ok()) return put;
    }
    if (replayed) {
      auto row = txn.get(quarantine_, store::key_u64(*replayed));
      QuarantineEntry entry;
      if (!row || !decode(*row, &entry)) {
        return Status::error(Status::Code::kNotFound,
                             "no quarantined reading " + std::to_string(*replayed));
      }
      entry.replayed = true;
      Status put = txn.put(quarantine_, store::key_u64(*replayed), encode(entry));
      if (!put.is_ok()) return put;
    }
    for (const auto& [key, value] : batch.cursors) {
      Status put = txn.put(cursors_, key, value);
      if (!put.is_ok()) return put;
    }
    bytes += added;
    for (auto [key, value] : {std::pair{kLastSeq, last_seq}, std::pair{kBytes, bytes},
                              std::pair{kQuarantined, quarantined}}) {
      Status put = txn.put(state_, key, store::key_u64(value));
      if (!put.is_ok()) return put;
    }
    return Status::ok();
  });
  std::lock_guard lock(mutex_);
  if (s.code() == Status::Code::kAborted) ++status_.quota_refusals;
  if (!s.is_ok()) return s;
  status_.last_seq = last_seq;
  status_.backlog = last_seq - status_.acked_seq;
  status_.bytes = bytes;
  status_.quarantined = quarantined;
  return s;
}

std::vector<wire::Record> Outbox::pending(std::uint64_t after_seq, std::size_t max_records,
                                          std::size_t max_bytes, store::Status* status) const {
  std::vector<wire::Record> out;
  std::size_t bytes = 0;
  Status s = store_->read([&](const store::ReadTxn& txn) {
    Status damaged;
    txn.scan(records_, store::key_u64(after_seq + 1), [&](std::string_view key, std::string_view row) {
      wire::Record r;
      if (!wire::decode(row, &r)) {
        damaged = Status::error(Status::Code::kCorruption,
                                "the outbox row of seq " + std::to_string(store::u64_of_key(key)) +
                                    " does not decode (a damaged disk?)");
        return false;
      }
      bytes += row.size();
      out.push_back(std::move(r));
      return out.size() < max_records && bytes < max_bytes;
    });
    return damaged;
  });
  if (status != nullptr) *status = s;
  return out;
}

Status Outbox::acknowledge(std::uint64_t seq) {
  std::uint64_t acked = 0, bytes = 0;
  Status s = store_->write([&](store::WriteTxn& txn) {
    acked = get_u64(txn, state_, kAckedSeq);
    bytes = get_u64(txn, state_, kBytes);
    std::uint64_t last = get_u64(txn, state_, kLastSeq);
    std::uint64_t upto = std::min(seq, last);
    if (upto <= acked) return Status::ok();
    std::vector<std::string> keys;
    std::uint64_t freed = 0;
    txn.scan(records_, store::key_u64(acked + 1), [&](std::string_view key, std::string_view row) {
      if (store::u64_of_key(key) > upto) return false;
      wire::Record r;
      if (wire::decode(row, &r)) {
        AppendBatch one;
        one.records.push_back(std::move(r));
        freed += one.bytes();
      }
      keys.emplace_back(key);
      return true;
    });
    for (const std::string& key : keys) txn.erase(records_, key);
    acked = upto;
    bytes = freed > bytes ? 0 : bytes - freed;
    Status put = txn.put(state_, kAckedSeq, store::key_u64(acked));
    if (!put.is_ok()) return put;
    return txn.put(state_, kBytes, store::key_u64(bytes));
  });
  if (!s.is_ok()) return s;
  std::lock_guard lock(mutex_);
  status_.acked_seq = std::max(status_.acked_seq, acked);
  status_.backlog = status_.last_seq - status_.acked_seq;
  status_.bytes = bytes;
  return s;
}

std::string Outbox::cursor(const std::string& key) const {
  std::string value;
  store_->read([&](const store::ReadTxn& txn) {
    if (auto v = txn.get(cursors_, key)) value = std::string(*v);
    return Status::ok();
  });
  return value;
}

std::vector<std::pair<std::string, std::string>> Outbox::cursors(const std::string& prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  store_->read([&](const store::ReadTxn& txn) {
    txn.scan(cursors_, prefix, [&](std::string_view key, std::string_view value) {
      if (key.substr(0, prefix.size()) != prefix) return false;
      out.emplace_back(key, value);
      return true;
    });
    return Status::ok();
  });
  return out;
}

std::vector<QuarantineEntry> Outbox::quarantine(std::uint64_t after_id, std::size_t limit) const {
  std::vector<QuarantineEntry> out;
  store_->read([&](const store::ReadTxn& txn) {
    txn.scan(quarantine_, store::key_u64(after_id + 1), [&](std::string_view, std::string_view row) {
      QuarantineEntry e;
      if (decode(row, &e)) out.push_back(std::move(e));
      return out.size() < limit;
    });
    return Status::ok();
  });
  return out;
}

std::optional<QuarantineEntry> Outbox::quarantined(std::uint64_t id) const {
  std::optional<QuarantineEntry> out;
  store_->read([&](const store::ReadTxn& txn) {
    QuarantineEntry e;
    auto row = txn.get(quarantine_, store::key_u64(id));
    if (row && decode(*row, &e)) out = std::move(e);
    return Status::ok();
  });
  return out;
}

OutboxStatus Outbox::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

}  // namespace gemba::edge
