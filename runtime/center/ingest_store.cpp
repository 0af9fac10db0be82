#include "runtime/center/ingest_store.h"

#include <chrono>

#include "runtime/center/ingest_rows.h"

namespace gemba::center {
namespace {

using store::Status;
using Code = store::Status::Code;

// What one batch does to the transaction; kFailed only when a put failed.
CommitResult apply(store::WriteTxn& txn, store::Table edges, store::Table log,
                   store::Table series, const wire::Batch& batch, std::int64_t now_us) {
  CommitResult result;
  const std::string key = rows::edge_key(batch.plant, batch.edge);
  rows::EdgeRow row;
  row.first_seen_us = now_us;
  if (auto found = txn.get(edges, key)) {
    auto decoded = rows::decode_edge(*found);
    if (!decoded) {
      result.status = Status::error(Code::kCorruption, "the edges row of " + batch.plant + "/" +
                                                           batch.edge + " does not decode");
      result.message = result.status.message();
      return result;
    }
    row = *decoded;
  }
  const std::uint64_t mark = row.acked_seq;
  std::size_t first_new = 0;
  while (first_new < batch.records.size() && batch.records[first_new].seq <= mark) ++first_new;
  std::uint64_t expected = mark + 1;
  for (std::size_t i = first_new; i < batch.records.size(); ++i, ++expected) {
    if (batch.records[i].seq != expected) {
      result.outcome = CommitResult::Outcome::kGap;
      result.ack.acked_seq = mark;
      result.message = "records missing: the center has this edge's records up to seq " +
                       std::to_string(mark) + "; the batch goes on with seq " +
                       std::to_string(batch.records[i].seq) + " where " +
                       std::to_string(expected) + " was due";
      return result;
    }
  }
  for (std::size_t i = first_new; i < batch.records.size(); ++i) {
    const wire::Record& r = batch.records[i];
    Status s = txn.put(log, rows::log_key(batch.plant, batch.edge, r.seq), wire::encode(r));
    if (s.is_ok() && r.kind == wire::RecordKind::kSample) {
      s = txn.put(series,
                  rows::series_prefix(batch.plant, r.subject) + rows::time_key(r.time_us) +
                      rows::edge_bytes(batch.edge) + store::key_u64(r.seq),
                  {});
    }
    if (!s.is_ok()) {
      result.status = s;
      return result;
    }
  }
  const std::uint64_t stored = batch.records.size() - first_new;
  if (stored > 0) row.acked_seq = batch.records.back().seq;
  row.records += stored;
  row.last_seen_us = now_us;
  result.status = txn.put(edges, key, rows::encode_edge(row));
  if (!result.status.is_ok()) return result;
  result.outcome = CommitResult::Outcome::kCommitted;
  result.ack = {row.acked_seq, stored, first_new};
  return result;
}

}  // namespace

std::int64_t system_clock_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

IngestStore::IngestStore(std::unique_ptr<store::Store> store, Clock clock)
    : store_(std::move(store)),
      clock_(std::move(clock)),
      edges_(store_->table(rows::kEdges)),
      log_(store_->table(rows::kLog)),
      series_(store_->table(rows::kSeries)) {}

std::unique_ptr<IngestStore> IngestStore::open(const std::filesystem::path& dir, Status* status,
                                               Clock clock) {
  store::StoreOptions options;
  options.application = kApplication;
  options.format_version = kFormatVersion;
  options.tables = {rows::kEdges, rows::kLog, rows::kSeries};
  std::unique_ptr<store::Store> opened = store::Store::open(dir, options, status);
  if (!opened) return nullptr;
  return std::unique_ptr<IngestStore>(new IngestStore(std::move(opened), std::move(clock)));
}

CommitResult IngestStore::commit(const wire::Batch& batch) {
  const wire::Batch* one[] = {&batch};
  return std::move(commit_all(one).front());
}

std::vector<CommitResult> IngestStore::commit_all(std::span<const wire::Batch* const> batches) {
  const std::int64_t now = clock_();
  std::vector<CommitResult> results;
  // The body may run again after the map grows: it starts over from what it reads.
  Status status = store_->write([&](store::WriteTxn& txn) {
    results.clear();
    for (const wire::Batch* batch : batches) {
      results.push_back(apply(txn, edges_, log_, series_, *batch, now));
      const CommitResult& last = results.back();
      if (last.outcome == CommitResult::Outcome::kFailed) return last.status;
    }
    return Status::ok();
  });
  if (!status.is_ok()) {
    results.assign(batches.size(), {});
    for (CommitResult& r : results) {
      r.status = status;
      r.message = "the center's store failed: " + status.message();
    }
  }
  return results;
}

Status IngestStore::edges(std::vector<EdgeInfo>* out) const {
  out->clear();
  return store_->read([&](const store::ReadTxn& txn) {
    Status status;
    txn.scan(edges_, "", [&](std::string_view key, std::string_view value) {
      EdgeInfo info;
      auto row = rows::decode_edge(value);
      if (!row || !rows::split_edge_key(key, &info.plant, &info.edge)) {
        status = Status::error(Code::kCorruption, "an edges row does not decode");
        return false;
      }
      info.acked_seq = row->acked_seq;
      info.records = row->records;
      info.first_seen_us = row->first_seen_us;
      info.last_seen_us = row->last_seen_us;
      out->push_back(std::move(info));
      return true;
    });
    return status;
  });
}

Status IngestStore::edge(const std::string& plant, const std::string& edge,
                         std::optional<EdgeInfo>* out) const {
  out->reset();
  if (!wire::valid_plant(plant) || !wire::valid_edge(edge)) return Status::ok();
  return store_->read([&](const store::ReadTxn& txn) {
    auto found = txn.get(edges_, rows::edge_key(plant, edge));
    if (!found) return Status::ok();
    auto row = rows::decode_edge(*found);
    if (!row) return Status::error(Code::kCorruption, "the edges row of " + edge + " does not decode");
    *out = EdgeInfo{plant, edge, row->acked_seq, row->records, row->first_seen_us,
                    row->last_seen_us};
    return Status::ok();
  });
}

Status IngestStore::samples(const SampleQuery& query, SamplePage* out) const {
  *out = {};
  if (query.from_us >= query.to_us || query.limit == 0) return Status::ok();
  const std::string prefix = rows::series_prefix(query.plant, query.subject);
  const std::string plant_prefix = query.plant + std::string(1, '\0');
  return store_->read([&](const store::ReadTxn& txn) {
    Status status;
    txn.scan(series_, prefix + rows::time_key(query.from_us),
             [&](std::string_view key, std::string_view) {
               if (key.size() != prefix.size() + 24 || key.substr(0, prefix.size()) != prefix ||
                   rows::time_of_key(key, prefix.size()) >= query.to_us) {
                 return false;
               }
               if (out->samples.size() == query.limit) {
                 out->more = true;
                 return false;
               }
               std::string_view edge = key.substr(prefix.size() + 8, 8);
               std::string_view seq = key.substr(prefix.size() + 16, 8);
               std::string log_key = plant_prefix + std::string(edge) + std::string(seq);
               Sample sample{rows::edge_hex(edge), {}};
               auto row = txn.get(log_, log_key);
               if (!row || !wire::decode(*row, &sample.record)) {
                 status = Status::error(Code::kCorruption, "a series entry has no readable log row");
                 return false;
               }
               out->samples.push_back(std::move(sample));
               return true;
             });
    return status;
  });
}

Status IngestStore::records(const std::string& plant, const std::string& edge,
                            std::uint64_t after_seq, std::size_t limit, RecordPage* out) const {
  *out = {};
  if (!wire::valid_plant(plant) || !wire::valid_edge(edge) || limit == 0 ||
      after_seq == UINT64_MAX) {
    return Status::ok();
  }
  const std::string prefix = rows::edge_key(plant, edge);
  return store_->read([&](const store::ReadTxn& txn) {
    Status status;
    txn.scan(log_, rows::log_key(plant, edge, after_seq + 1),
             [&](std::string_view key, std::string_view value) {
               if (key.size() != prefix.size() + 8 || key.substr(0, prefix.size()) != prefix) {
                 return false;
               }
               if (out->records.size() == limit) {
                 out->more = true;
                 return false;
               }
               wire::Record record;
               if (!wire::decode(value, &record)) {
                 status = Status::error(Code::kCorruption, "a log row does not decode");
                 return false;
               }
               out->records.push_back(std::move(record));
               return true;
             });
    return status;
  });
}

}  // namespace gemba::center
