// Durable appends to the edge's outbox, in samples per second: edge::Outbox::append()
// (edge/outbox.h) assigns the seqs and commits one durable LMDB write transaction per
// call; the batch size B (records per append) is the benchmark's argument.
//
//   BM_EdgeAppend/gemba/B     the real Outbox (default OutboxOptions); each iteration
//                     appends B samples (edge_rows.h: 48 subjects such as
//                     `kettle2.temperature`, round-robin) with one append().
//   BM_EdgeAppend/lmdb_raw/B  the same rows (the same wire::encode bytes under the same
//                     keys, the same state rows) written straight with the LMDB C API:
//                     MDB_APPEND for the records, the counters kept in memory, one
//                     transaction per batch, an environment without MDB_NOSYNC (nor
//                     NOMETASYNC), so every commit is durable as the store's. The ceiling.
//   BM_EdgeAppend/sqlite/B    the same rows in SQLite: outbox (seq INTEGER PRIMARY KEY,
//                     row BLOB), state (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
//                     WAL journal, synchronous=FULL, prepared statements, one BEGIN
//                     IMMEDIATE ... COMMIT per batch. The baseline.
//
// Every run starts from a fresh store in its own temporary directory (removed after)
// and appends one untimed batch first. After the loop, outside the timing, the rows are
// checked (the run fails if they differ): the record count, the state rows, and 16
// records compared byte for byte with wire::encode of the expected record; for the
// gemba variant also the Outbox's own status(). The same check reads the Outbox's and
// lmdb_raw's LMDB files.
//
// Times are wall-clock (UseRealTime): at small batches the cost is the disk's fsync.
// Counters, per record: cpu_us_per_item (the process's CPU time: what the code costs
// beside the disk), written_B_per_item (/proc/self/io wchar: bytes passed to write
// calls; 0 where unreadable); store_MiB, the store's files at the end.
// The summary prints the ratios gemba/lmdb_raw and gemba/sqlite per batch size.
//
//   build/tests/gemba_bench --benchmark_filter=BM_EdgeAppend
#include <benchmark/benchmark.h>
#include <lmdb.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "edge/outbox.h"
#include "runtime/wire/record.h"
#include "tests/bench/edge_rows.h"
#include "tests/bench/bench_support.h"
#include "tests/bench/sqlite_wal.h"
#include "tests/bench/summary.h"
#include "tests/support/temp_dir.h"

namespace {

using gemba::bench::io_counter;
using gemba::bench::LmdbTxn;
using gemba::bench::lmdb_ok;
using gemba::bench::process_cpu_seconds;
using gemba::bench::store_mib;

namespace rows = gemba::bench::edge_rows;
namespace wire = gemba::wire;

// ---- LMDB helpers ------------------------------------------------------------------

MDB_val val(const void* data, std::size_t size) {
  return MDB_val{size, const_cast<void*>(data)};
}
MDB_val val(const std::string& text) { return val(text.data(), text.size()); }

// The rows after n records, read from the LMDB environment in `dir` (the Outbox's, once
// closed, or lmdb_raw's): the records' count, the state rows, a sample of rows byte for
// byte.
bool check_lmdb_rows(const std::filesystem::path& dir, std::uint64_t n, std::string* error) {
  MDB_env* env = nullptr;
  if (!lmdb_ok(mdb_env_create(&env), "env_create", error)) return false;
  std::unique_ptr<MDB_env, void (*)(MDB_env*)> closing(env, mdb_env_close);
  if (!lmdb_ok(mdb_env_set_maxdbs(env, 64), "set_maxdbs", error) ||
      !lmdb_ok(mdb_env_open(env, dir.c_str(), MDB_RDONLY, 0644), "env_open", error)) {
    return false;
  }
  LmdbTxn txn(env, MDB_RDONLY, error);
  if (txn.get() == nullptr) return false;
  MDB_dbi records = 0, state = 0;
  if (!lmdb_ok(mdb_dbi_open(txn.get(), "records", 0, &records), "open records", error) ||
      !lmdb_ok(mdb_dbi_open(txn.get(), "state", 0, &state), "open state", error)) {
    return false;
  }
  MDB_stat stat{};
  if (!lmdb_ok(mdb_stat(txn.get(), records, &stat), "stat", error)) return false;
  if (stat.ms_entries != n) {
    *error = "records after the run: " + std::to_string(stat.ms_entries) + ", expected " +
             std::to_string(n);
    return false;
  }
  const std::pair<const char*, std::string> state_rows[] = {
      {"last_seq", rows::u64_be(n)},
      {"bytes", rows::u64_be(rows::expected_bytes(n))},
      {"quarantined", rows::u64_be(0)},
  };
  for (const auto& [name, expected] : state_rows) {
    MDB_val k = val(name, std::strlen(name)), v{};
    if (!lmdb_ok(mdb_get(txn.get(), state, &k, &v), name, error)) return false;
    if (std::string(static_cast<const char*>(v.mv_data), v.mv_size) != expected) {
      *error = std::string("the state row ") + name + " differs from the expected one";
      return false;
    }
  }
  for (std::uint64_t seq : rows::sample_seqs(n)) {
    const std::string key = rows::u64_be(seq);
    MDB_val k = val(key), v{};
    if (!lmdb_ok(mdb_get(txn.get(), records, &k, &v), "get record", error)) return false;
    if (std::string(static_cast<const char*>(v.mv_data), v.mv_size) != rows::expected_row(seq)) {
      *error = "the record row of seq " + std::to_string(seq) + " differs from wire::encode's";
      return false;
    }
  }
  return true;
}

// ---- gemba -----------------------------------------------------------------------

class Gemba {
 public:
  bool open(const std::filesystem::path& dir, std::string* error) {
    dir_ = dir;
    gemba::store::Status status;
    outbox_ = gemba::edge::Outbox::open(dir, gemba::edge::OutboxOptions{}, &status);
    if (!outbox_) *error = "Outbox::open: " + status.message();
    return outbox_ != nullptr;
  }

  bool append(std::uint64_t first, std::size_t count, std::string* error) {
    rows::fill_batch(first, count, &batch_.records);
    gemba::store::Status status = outbox_->append(batch_);
    if (!status.is_ok()) {
      *error = "Outbox::append: " + status.message();
      return false;
    }
    if (batch_.records.back().seq != first + count) {
      *error = "append assigned seq " + std::to_string(batch_.records.back().seq) +
               ", expected " + std::to_string(first + count);
      return false;
    }
    return true;
  }

  // The Outbox's status, then (closed) its rows.
  bool check(std::uint64_t n, std::string* error) {
    const gemba::edge::OutboxStatus s = outbox_->status();
    if (s.last_seq != n || s.backlog != n || s.bytes != rows::expected_bytes(n)) {
      *error = "Outbox::status: last_seq " + std::to_string(s.last_seq) + ", backlog " +
               std::to_string(s.backlog) + ", bytes " + std::to_string(s.bytes) + "; expected " +
               std::to_string(n) + ", " + std::to_string(n) + ", " +
               std::to_string(rows::expected_bytes(n));
      return false;
    }
    outbox_.reset();
    return check_lmdb_rows(dir_, n, error);
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<gemba::edge::Outbox> outbox_;
  gemba::edge::AppendBatch batch_;
};

// ---- lmdb_raw --------------------------------------------------------------------

class LmdbRaw {
 public:
  LmdbRaw() = default;
  LmdbRaw(const LmdbRaw&) = delete;
  LmdbRaw& operator=(const LmdbRaw&) = delete;
  ~LmdbRaw() { close(); }

  bool open(const std::filesystem::path& dir, std::string* error) {
    dir_ = dir;
    std::filesystem::create_directories(dir);
    if (!lmdb_ok(mdb_env_create(&env_), "env_create", error)) return false;
    // 4 GiB of address space: the file only grows with the pages written.
    if (!lmdb_ok(mdb_env_set_mapsize(env_, std::size_t{4} << 30), "set_mapsize", error) ||
        !lmdb_ok(mdb_env_set_maxdbs(env_, 8), "set_maxdbs", error) ||
        !lmdb_ok(mdb_env_open(env_, dir.c_str(), 0, 0644), "env_open", error)) {
      return false;
    }
    LmdbTxn txn(env_, 0, error);
    if (txn.get() == nullptr) return false;
    MDB_dbi unused = 0;
    if (!lmdb_ok(mdb_dbi_open(txn.get(), "records", MDB_CREATE, &records_), "dbi_open", error) ||
        !lmdb_ok(mdb_dbi_open(txn.get(), "quarantine", MDB_CREATE, &unused), "dbi_open", error) ||
        !lmdb_ok(mdb_dbi_open(txn.get(), "cursors", MDB_CREATE, &unused), "dbi_open", error) ||
        !lmdb_ok(mdb_dbi_open(txn.get(), "state", MDB_CREATE, &state_), "dbi_open", error)) {
      return false;
    }
    MDB_val k = val("edge", 4), v = val(rows::kEdgeId, 16);
    return lmdb_ok(mdb_put(txn.get(), state_, &k, &v, 0), "put edge", error) && txn.commit(error);
  }

  bool append(std::uint64_t first, std::size_t count, std::string* error) {
    rows::fill_batch(first, count, &records_batch_);
    LmdbTxn txn(env_, 0, error);
    if (txn.get() == nullptr) return false;
    std::uint64_t last_seq = last_seq_, bytes = bytes_;
    unsigned char key[8];
    for (wire::Record& r : records_batch_) {
      r.seq = ++last_seq;
      bytes += rows::quota_bytes(r);
      rows::put_u64_be(r.seq, key);
      const std::string row = wire::encode(r);
      MDB_val k = val(key, sizeof key), v = val(row);
      if (!lmdb_ok(mdb_put(txn.get(), records_, &k, &v, MDB_APPEND), "append record", error)) {
        return false;
      }
    }
    unsigned char value[3][8];
    rows::put_u64_be(last_seq, value[0]);
    rows::put_u64_be(bytes, value[1]);
    rows::put_u64_be(0, value[2]);
    const char* names[] = {"last_seq", "bytes", "quarantined"};
    for (int i = 0; i < 3; ++i) {
      MDB_val k = val(names[i], std::strlen(names[i])), v = val(value[i], 8);
      if (!lmdb_ok(mdb_put(txn.get(), state_, &k, &v, 0), "put state", error)) return false;
    }
    if (!txn.commit(error)) return false;
    last_seq_ = last_seq;
    bytes_ = bytes;
    return true;
  }

  bool check(std::uint64_t n, std::string* error) {
    close();
    return check_lmdb_rows(dir_, n, error);
  }

 private:
  void close() {
    if (env_ != nullptr) mdb_env_close(std::exchange(env_, nullptr));
  }

  std::filesystem::path dir_;
  MDB_env* env_ = nullptr;
  MDB_dbi records_ = 0, state_ = 0;
  std::uint64_t last_seq_ = 0, bytes_ = 0;
  std::vector<wire::Record> records_batch_;
};

// ---- sqlite ----------------------------------------------------------------------

constexpr const char* kSqliteSchema = R"sql(
CREATE TABLE outbox (seq INTEGER PRIMARY KEY, row BLOB NOT NULL);
CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
)sql";

class Sqlite : private gemba::bench::SqliteWal {
 public:
  Sqlite() = default;
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;
  ~Sqlite() { close(); }

  bool open(const std::filesystem::path& dir, std::string* error) {
    std::filesystem::create_directories(dir);
    if (!open_wal((dir / "outbox.sqlite").string(), error)) return false;
    if (!exec(kSqliteSchema, error) || !prepare("BEGIN IMMEDIATE", &begin_, error) ||
        !prepare("COMMIT", &commit_, error) ||
        !prepare("INSERT INTO outbox (seq, row) VALUES (?, ?)", &insert_, error) ||
        !prepare("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", &state_, error) ||
        !prepare("SELECT row FROM outbox WHERE seq = ?", &select_, error)) {
      return false;
    }
    return put_state("edge", rows::kEdgeId, 16, error);
  }

  bool append(std::uint64_t first, std::size_t count, std::string* error) {
    rows::fill_batch(first, count, &records_batch_);
    if (!run(begin_, "begin", error)) return false;
    std::uint64_t last_seq = last_seq_, bytes = bytes_;
    for (wire::Record& r : records_batch_) {
      r.seq = ++last_seq;
      bytes += rows::quota_bytes(r);
      const std::string row = wire::encode(r);
      sqlite3_bind_int64(insert_, 1, static_cast<sqlite3_int64>(r.seq));
      sqlite3_bind_blob(insert_, 2, row.data(), static_cast<int>(row.size()), SQLITE_STATIC);
      if (!run(insert_, "insert record", error)) return rollback();
    }
    unsigned char value[3][8];
    rows::put_u64_be(last_seq, value[0]);
    rows::put_u64_be(bytes, value[1]);
    rows::put_u64_be(0, value[2]);
    if (!put_state("last_seq", value[0], 8, error) || !put_state("bytes", value[1], 8, error) ||
        !put_state("quarantined", value[2], 8, error)) {
      return rollback();
    }
    if (!run(commit_, "commit", error)) return rollback();
    last_seq_ = last_seq;
    bytes_ = bytes;
    return true;
  }

  bool check(std::uint64_t n, std::string* error) {
    std::string count;
    if (!query_text("SELECT count(*) FROM outbox", &count, error)) return false;
    if (std::stoull(count) != n) {
      *error = "sqlite records after the run: " + count + ", expected " + std::to_string(n);
      return false;
    }
    const std::pair<std::string, std::string> state_rows[] = {
        {"last_seq", rows::u64_be(n)},
        {"bytes", rows::u64_be(rows::expected_bytes(n))},
        {"quarantined", rows::u64_be(0)},
    };
    for (const auto& [name, expected] : state_rows) {
      std::string value;
      const std::string sql = "SELECT value FROM state WHERE key = '" + name + "'";
      if (!query_blob(sql.c_str(), &value, error)) return false;
      if (value != expected) {
        *error = "sqlite: the state row " + name + " differs from the expected one";
        return false;
      }
    }
    for (std::uint64_t seq : rows::sample_seqs(n)) {
      sqlite3_bind_int64(select_, 1, static_cast<sqlite3_int64>(seq));
      std::string row;
      if (sqlite3_step(select_) == SQLITE_ROW) {
        row.assign(static_cast<const char*>(sqlite3_column_blob(select_, 0)),
                   static_cast<std::size_t>(sqlite3_column_bytes(select_, 0)));
      }
      sqlite3_reset(select_);
      if (row != rows::expected_row(seq)) {
        *error = "sqlite: the record row of seq " + std::to_string(seq) +
                 " differs from wire::encode's";
        return false;
      }
    }
    return true;
  }

 private:
  void close() {
    for (sqlite3_stmt* s : {begin_, commit_, insert_, state_, select_}) sqlite3_finalize(s);
    begin_ = commit_ = insert_ = state_ = select_ = nullptr;
    sqlite3_close(db_);
    db_ = nullptr;
  }

  bool put_state(const char* key, const void* value, int size, std::string* error) {
    sqlite3_bind_text(state_, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(state_, 2, value, size, SQLITE_STATIC);
    return run(state_, "put state", error);
  }

  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* state_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
  std::uint64_t last_seq_ = 0, bytes_ = 0;
  std::vector<wire::Record> records_batch_;
};

// ---- the benchmark ---------------------------------------------------------------

template <class Variant>
void BM_EdgeAppend(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  gemba::testing::TempDir dir;
  const std::filesystem::path outbox = dir.path() / "outbox";
  std::string error;
  std::uint64_t next = batch, written = 0;
  double cpu = 0;
  {
    Variant store;
    // One untimed batch first: the tables' first pages exist before the timing.
    if (!store.open(outbox, &error) || !store.append(0, batch, &error)) {
      state.SkipWithError(error.c_str());
      return;
    }
    const std::uint64_t written_before = io_counter("wchar:");
    const double cpu_before = process_cpu_seconds();
    for (auto _ : state) {
      if (!store.append(next, batch, &error)) break;
      next += batch;
    }
    cpu = process_cpu_seconds() - cpu_before;
    written = io_counter("wchar:") - written_before;
    if (!error.empty() || !store.check(next, &error)) {
      state.SkipWithError(error.c_str());
      return;
    }
  }
  const std::uint64_t items = next - batch;
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  const double per = items > 0 ? 1.0 / static_cast<double>(items) : 0.0;
  state.counters["cpu_us_per_item"] = cpu * 1e6 * per;
  state.counters["written_B_per_item"] = static_cast<double>(written) * per;
  state.counters["store_MiB"] = store_mib(outbox);
}

// The variants interleaved by batch size (gemba, lmdb_raw, sqlite at 1, then at 16, ...),
// so that a drift of the disk's speed during the run touches the compared runs alike.
const bool registered = [] {
  for (int batch : rows::kBatchSizes) {
    for (auto [name, function] : {std::pair{"BM_EdgeAppend/gemba", &BM_EdgeAppend<Gemba>},
                                  {"BM_EdgeAppend/lmdb_raw", &BM_EdgeAppend<LmdbRaw>},
                                  {"BM_EdgeAppend/sqlite", &BM_EdgeAppend<Sqlite>}}) {
      benchmark::RegisterBenchmark(name, function)
          ->Arg(batch)
          ->UseRealTime()
          ->MinTime(0.5)
          ->Unit(benchmark::kMillisecond);
    }
  }
  return true;
}();

// ---- summary ---------------------------------------------------------------------

double counter(const gemba::bench::Counters& counters, const char* variant, int batch,
               const char* name) {
  return gemba::bench::counter(
      counters, std::string("BM_EdgeAppend/") + variant + "/" + std::to_string(batch), name);
}

void print_summary(const gemba::bench::Counters& counters) {
  bool header = false;
  for (int batch : rows::kBatchSizes) {
    const double gemba = counter(counters, "gemba", batch, "items_per_second");
    const double raw = counter(counters, "lmdb_raw", batch, "items_per_second");
    const double sqlite = counter(counters, "sqlite", batch, "items_per_second");
    if (gemba <= 0 && raw <= 0 && sqlite <= 0) continue;
    if (!header) {
      std::printf("BM_EdgeAppend: durable records/s, one commit per append\n");
      header = true;
    }
    std::printf("  batch %4d: gemba %.0f  lmdb_raw %.0f  sqlite %.0f\n", batch, gemba, raw,
                sqlite);
    if (gemba > 0 && raw > 0) {
      const double cpu_gemba = counter(counters, "gemba", batch, "cpu_us_per_item");
      const double cpu_raw = counter(counters, "lmdb_raw", batch, "cpu_us_per_item");
      std::printf("    gemba/lmdb_raw: %.3f   (cpu us/record: gemba %.2f, lmdb_raw %.2f)\n",
                  gemba / raw, cpu_gemba, cpu_raw);
    }
    if (gemba > 0 && sqlite > 0) std::printf("    gemba/sqlite:   %.3f\n", gemba / sqlite);
  }
}

const bool registered_summary = gemba::bench::register_summary(&print_summary);

}  // namespace
