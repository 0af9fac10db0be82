// Durable transitions, in events per second: the writes of the durable runtime
// (runtime/workflow/engine.h), one write transaction and one durable commit per batch
// of events (group commit), the batch size B being the benchmark's argument.
//
//   BM_Transition_Durable/gemba/B     the real Engine: kInstances instances of the
//                     Readings procedure (durable_rows.h), JIT-compiled (object cache
//                     on), a sink that accepts every effect; each iteration submits B
//                     answers (round-robin over the instances, each expecting its
//                     instance's open task) with one submit_all, so that they share one
//                     transaction, and waits until every one is applied.
//   BM_Transition_Durable/lmdb_raw/B  the same rows (durable_rows.h: what the engine
//                     writes for those answers, at the same sizes) written straight to
//                     LMDB: the engine's tables, MDB_APPEND where the engine appends; an
//                     environment without MDB_NOSYNC (nor NOMETASYNC), so every commit
//                     is durable, as runtime/store/store.h commits. The ceiling.
//   BM_Transition_Durable/sqlite/B    the same rows in SQLite: WAL journal,
//                     synchronous=FULL (durable commits), prepared statements, one
//                     BEGIN IMMEDIATE ... COMMIT per batch; sequences are INTEGER
//                     PRIMARY KEYs, timers a (due, instance) WITHOUT ROWID table.
//                     SQLite's defaults otherwise (4 KiB pages, automatic checkpoint at
//                     1000 WAL pages, run by the commit that crosses it, and timed with it).
//
// Every run starts from a fresh store in its own temporary directory: kInstances live
// instances, then one untimed batch; each timed iteration applies the next B events and
// deletes the outbox rows of those before (the raw variants: exactly the previous
// batch's; the engine: those its dispatcher has handed to the sink by then). After the
// loop the rows are checked (the run fails if a variant skipped work): the raw variants
// count them; the gemba variant checks that every answer was applied (EngineStats.events),
// that the outbox is empty after Engine::drain(), and that the sizes of the rows it wrote
// are those of durable_rows.h.
//
// Times are wall-clock (UseRealTime): the cost is mostly waiting for the disk.
// Counters, per event: written_B_per_event, the bytes the process passed to write calls
// (/proc/self/io wchar: LMDB's pages and meta, SQLite's WAL frames and checkpoints), and
// disk_B_per_event, what the kernel counts as sent to the disk on the process's behalf
// (write_bytes, page-cache accounting). Both read 0 where /proc/self/io is not readable.
// cpu_us_per_event: the CPU time of the whole process, every thread (the engine's
// committer and dispatcher too). commits_per_batch: durable commits per timed batch (1
// for the raw variants; the engine's deletion-only commits would show here). store_MiB:
// the size of the store's files at the end of the run (SQLite's WAL included).
//
// The summary compares the variants at each batch size, with the targets:
// gemba >= 0.8x lmdb_raw and >= 5x sqlite in events per second.
//
//   build/tests/gemba_bench --benchmark_filter=BM_Transition_Durable
#include <benchmark/benchmark.h>
#include <lmdb.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/workflow/engine.h"
#include "runtime/workflow/records.h"
#include "tests/bench/bench_support.h"
#include "tests/bench/durable_rows.h"
#include "tests/bench/sqlite_wal.h"
#include "tests/bench/summary.h"
#include "tests/support/temp_dir.h"

namespace {

using gemba::bench::io_counter;
using gemba::bench::LmdbTxn;
using gemba::bench::lmdb_ok;
using gemba::bench::process_cpu_seconds;
using gemba::bench::store_mib;

namespace durable = gemba::bench::durable;
namespace workflow = gemba::workflow;

// ---- lmdb_raw --------------------------------------------------------------------

MDB_val val(const unsigned char* data, std::size_t size) {
  return MDB_val{size, const_cast<unsigned char*>(data)};
}

class LmdbRaw {
 public:
  LmdbRaw() = default;
  LmdbRaw(const LmdbRaw&) = delete;
  LmdbRaw& operator=(const LmdbRaw&) = delete;
  ~LmdbRaw() {
    if (env_ != nullptr) mdb_env_close(env_);
  }

  bool open(const std::filesystem::path& dir, std::string* error) {
    if (!lmdb_ok(mdb_env_create(&env_), "env_create", error)) return false;
    // 4 GiB of address space: the file only grows with the pages written.
    if (!lmdb_ok(mdb_env_set_mapsize(env_, std::size_t{4} << 30), "set_mapsize", error) ||
        !lmdb_ok(mdb_env_set_maxdbs(env_, 8), "set_maxdbs", error) ||
        !lmdb_ok(mdb_env_open(env_, dir.c_str(), 0, 0644), "env_open", error)) {
      return false;
    }
    LmdbTxn txn(env_, 0, error);
    if (txn.get() == nullptr) return false;
    for (auto [name, dbi] : {std::pair{"journal", &journal_},
                             {"instances", &instances_},
                             {"outbox", &outbox_},
                             {"timers", &timers_},
                             {"audit", &audit_},
                             {"sequences", &sequences_}}) {
      if (!lmdb_ok(mdb_dbi_open(txn.get(), name, MDB_CREATE, dbi), "dbi_open", error)) return false;
    }
    return txn.commit(error);
  }

  // The live instances before the run (durable_rows.h, make_start_rows).
  bool start(std::string* error) {
    LmdbTxn txn(env_, 0, error);
    if (txn.get() == nullptr) return false;
    durable::EventRows rows;
    for (std::uint64_t i = 1; i <= durable::kInstances; ++i) {
      durable::make_start_rows(i, &rows);
      MDB_val jk = val(rows.journal_key, durable::kKeyBytes);
      MDB_val jv = val(rows.journal_value, durable::kStartJournalValueBytes);
      MDB_val tk = val(rows.timer_put_key, durable::kTimerKeyBytes);
      MDB_val tv = val(rows.timer_value, durable::kTimerValueBytes);
      if (!lmdb_ok(mdb_put(txn.get(), journal_, &jk, &jv, MDB_APPEND), "append journal", error) ||
          !lmdb_ok(mdb_put(txn.get(), timers_, &tk, &tv, 0), "put timer", error) ||
          !put_instance(txn.get(), rows, error) ||
          !append_audit(txn.get(), rows, durable::kStartAuditValueBytes[0], error)) {
        return false;
      }
      durable::make_start_audit(i, &rows);
      if (!append_audit(txn.get(), rows, durable::kStartAuditValueBytes[1], error)) return false;
    }
    return put_sequence(txn.get(), durable::outbox_sequence(0, 0), error) && txn.commit(error);
  }

  // One transaction: applies events [first, first + count), deletes the outbox rows of
  // events [delivered, delivered + delivered_count), commits durably.
  bool apply(std::uint64_t first, std::uint64_t count, std::uint64_t delivered,
             std::uint64_t delivered_count, std::string* error) {
    LmdbTxn txn(env_, 0, error);
    if (txn.get() == nullptr) return false;
    ++commits_;
    return write_batch(txn.get(), first, count, delivered, delivered_count, error) &&
           txn.commit(error);
  }

  // After the run: `next` events applied, the last `batch` of them not yet delivered.
  bool check(std::uint64_t next, std::uint64_t batch, std::string* error) {
    LmdbTxn txn(env_, MDB_RDONLY, error);
    if (txn.get() == nullptr) return false;
    struct Expected {
      const char* table;
      MDB_dbi dbi;
      std::uint64_t rows;
    };
    const Expected expected[] = {
        {"journal", journal_, durable::kInstances + next},
        {"audit", audit_, 2 * durable::kInstances + next},
        {"instances", instances_, durable::kInstances},
        {"timers", timers_, durable::kInstances},
        {"outbox", outbox_, batch * durable::kOutboxRowsPerEvent},
    };
    for (const Expected& e : expected) {
      MDB_stat stat{};
      if (!lmdb_ok(mdb_stat(txn.get(), e.dbi, &stat), "stat", error)) return false;
      if (stat.ms_entries != e.rows) {
        *error = std::string("rows after the run: ") + e.table + " has " +
                 std::to_string(stat.ms_entries) + ", expected " + std::to_string(e.rows);
        return false;
      }
    }
    return true;
  }

  std::uint64_t commits() const { return commits_; }

 private:
  bool put_instance(MDB_txn* txn, const durable::EventRows& rows, std::string* error) {
    MDB_val k = val(rows.instance_key, durable::kKeyBytes);
    MDB_val v = val(rows.instance_value, durable::kInstanceValueBytes);
    return lmdb_ok(mdb_put(txn, instances_, &k, &v, 0), "put instance", error);
  }

  bool append_audit(MDB_txn* txn, const durable::EventRows& rows, std::size_t size,
                    std::string* error) {
    MDB_val k = val(rows.audit_key, durable::kKeyBytes);
    MDB_val v = val(rows.audit_value, size);
    return lmdb_ok(mdb_put(txn, audit_, &k, &v, MDB_APPEND), "append audit", error);
  }

  // The `sequences` row "outbox": the next outbox sequence, rewritten by every commit.
  bool put_sequence(MDB_txn* txn, std::uint64_t next_outbox, std::string* error) {
    unsigned char value[durable::kSequenceValueBytes];
    durable::put_u64_be(next_outbox, value);
    MDB_val k{6, const_cast<char*>("outbox")};
    MDB_val v = val(value, sizeof value);
    return lmdb_ok(mdb_put(txn, sequences_, &k, &v, 0), "put sequence", error);
  }

  // The engine's writes for one event, in its order (durable_rows.h).
  bool write_event(MDB_txn* txn, const durable::EventRows& rows, std::string* error) {
    MDB_val jk = val(rows.journal_key, durable::kKeyBytes);
    MDB_val jv = val(rows.journal_value, durable::kJournalValueBytes);
    if (!lmdb_ok(mdb_put(txn, journal_, &jk, &jv, MDB_APPEND), "append journal", error)) {
      return false;
    }
    for (std::size_t i = 0; i < durable::kOutboxRowsPerEvent; ++i) {
      MDB_val k = val(rows.outbox_key[i], durable::kKeyBytes);
      MDB_val v = val(rows.outbox_value[i], durable::kOutboxValueBytes);
      if (!lmdb_ok(mdb_put(txn, outbox_, &k, &v, MDB_APPEND), "append outbox", error)) {
        return false;
      }
    }
    MDB_val erased = val(rows.timer_erased_key, durable::kTimerKeyBytes);
    MDB_val tk = val(rows.timer_put_key, durable::kTimerKeyBytes);
    MDB_val tv = val(rows.timer_value, durable::kTimerValueBytes);
    return lmdb_ok(mdb_del(txn, timers_, &erased, nullptr), "erase timer", error) &&
           lmdb_ok(mdb_put(txn, timers_, &tk, &tv, 0), "put timer", error) &&
           put_instance(txn, rows, error) &&
           append_audit(txn, rows, durable::kAuditValueBytes, error);
  }

  bool write_batch(MDB_txn* txn, std::uint64_t first, std::uint64_t count, std::uint64_t delivered,
                   std::uint64_t delivered_count, std::string* error) {
    durable::EventRows rows;
    for (std::uint64_t e = first; e < first + count; ++e) {
      durable::make_rows(e, &rows);
      if (!write_event(txn, rows, error)) return false;
    }
    unsigned char key[durable::kKeyBytes];
    for (std::uint64_t e = delivered; e < delivered + delivered_count; ++e) {
      for (std::size_t i = 0; i < durable::kOutboxRowsPerEvent; ++i) {
        durable::put_u64_be(durable::outbox_sequence(e, i), key);
        MDB_val k = val(key, sizeof key);
        if (!lmdb_ok(mdb_del(txn, outbox_, &k, nullptr), "delete outbox", error)) return false;
      }
    }
    return put_sequence(txn, durable::outbox_sequence(first + count, 0), error);
  }

  MDB_env* env_ = nullptr;
  MDB_dbi journal_ = 0, instances_ = 0, outbox_ = 0, timers_ = 0, audit_ = 0, sequences_ = 0;
  std::uint64_t commits_ = 0;
};

// ---- sqlite ----------------------------------------------------------------------

constexpr const char* kSqliteSchema = R"sql(
CREATE TABLE journal (sequence INTEGER PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE instances (instance INTEGER PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE outbox (sequence INTEGER PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE timers (due INTEGER NOT NULL, instance INTEGER NOT NULL, value BLOB NOT NULL,
                     PRIMARY KEY (due, instance)) WITHOUT ROWID;
CREATE TABLE audit (sequence INTEGER PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
)sql";

sqlite3_int64 as_int(std::uint64_t value) { return static_cast<sqlite3_int64>(value); }

// The due time of a timer key (durable_rows.h), as SQLite's integer key.
sqlite3_int64 due_of(std::uint64_t tick) {
  return as_int(durable::kEpochMicros + tick + durable::kTimeoutMicros);
}

class Sqlite : private gemba::bench::SqliteWal {
 public:
  Sqlite() = default;
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;
  ~Sqlite() {
    for (sqlite3_stmt* s : {begin_, commit_, journal_, instance_, outbox_, delete_, timer_erase_,
                            timer_put_, audit_, sequence_}) {
      sqlite3_finalize(s);
    }
  }

  bool open(const std::filesystem::path& dir, std::string* error) {
    return open_wal((dir / "gemba.sqlite").string(), error) && exec(kSqliteSchema, error) && prepare("BEGIN IMMEDIATE", &begin_, error) &&
           prepare("COMMIT", &commit_, error) &&
           prepare("INSERT INTO journal VALUES (?, ?)", &journal_, error) &&
           prepare("INSERT OR REPLACE INTO instances VALUES (?, ?)", &instance_, error) &&
           prepare("INSERT INTO outbox VALUES (?, ?)", &outbox_, error) &&
           prepare("DELETE FROM outbox WHERE sequence = ?", &delete_, error) &&
           prepare("DELETE FROM timers WHERE due = ? AND instance = ?", &timer_erase_, error) &&
           prepare("INSERT INTO timers VALUES (?, ?, ?)", &timer_put_, error) &&
           prepare("INSERT INTO audit VALUES (?, ?)", &audit_, error) &&
           prepare("INSERT OR REPLACE INTO sequences VALUES ('outbox', ?)", &sequence_, error);
  }

  bool start(std::string* error) {
    if (!run(begin_, "begin", error)) return false;
    durable::EventRows rows;
    for (std::uint64_t i = 1; i <= durable::kInstances; ++i) {
      durable::make_start_rows(i, &rows);
      if (!insert_blob(journal_, rows.journal_sequence, rows.journal_value,
                       durable::kStartJournalValueBytes, "insert journal", error) ||
          !put_timer(rows, error) ||
          !insert_blob(instance_, rows.instance, rows.instance_value, durable::kInstanceValueBytes,
                       "replace instance", error) ||
          !insert_blob(audit_, rows.audit_sequence, rows.audit_value,
                       durable::kStartAuditValueBytes[0], "insert audit", error)) {
        return rollback();
      }
      durable::make_start_audit(i, &rows);
      if (!insert_blob(audit_, rows.audit_sequence, rows.audit_value,
                       durable::kStartAuditValueBytes[1], "insert audit", error)) {
        return rollback();
      }
    }
    if (!put_sequence(durable::outbox_sequence(0, 0), error)) return rollback();
    return run(commit_, "commit", error);
  }

  // As LmdbRaw::apply.
  bool apply(std::uint64_t first, std::uint64_t count, std::uint64_t delivered,
             std::uint64_t delivered_count, std::string* error) {
    if (!run(begin_, "begin", error)) return false;
    ++commits_;
    if (!write_batch(first, count, delivered, delivered_count, error)) return rollback();
    return run(commit_, "commit", error);
  }

  // As LmdbRaw::check.
  bool check(std::uint64_t next, std::uint64_t batch, std::string* error) {
    const std::pair<const char*, std::uint64_t> expected[] = {
        {"journal", durable::kInstances + next},
        {"audit", 2 * durable::kInstances + next},
        {"instances", durable::kInstances},
        {"timers", durable::kInstances},
        {"outbox", batch * durable::kOutboxRowsPerEvent},
    };
    for (const auto& [table, rows] : expected) {
      std::string count;
      const std::string sql = std::string("SELECT count(*) FROM ") + table;
      if (!query_text(sql.c_str(), &count, error)) return false;
      if (std::stoull(count) != rows) {
        *error = std::string("rows after the run: ") + table + " has " + count + ", expected " +
                 std::to_string(rows);
        return false;
      }
    }
    return true;
  }

  std::uint64_t commits() const { return commits_; }

 private:
  bool write_batch(std::uint64_t first, std::uint64_t count, std::uint64_t delivered,
                   std::uint64_t delivered_count, std::string* error) {
    durable::EventRows rows;
    for (std::uint64_t e = first; e < first + count; ++e) {
      durable::make_rows(e, &rows);
      if (!write_event(rows, error)) return false;
    }
    for (std::uint64_t e = delivered; e < delivered + delivered_count; ++e) {
      for (std::size_t i = 0; i < durable::kOutboxRowsPerEvent; ++i) {
        sqlite3_bind_int64(delete_, 1, as_int(durable::outbox_sequence(e, i)));
        if (!run_one(delete_, "delete outbox", error)) return false;
      }
    }
    return put_sequence(durable::outbox_sequence(first + count, 0), error);
  }

  // The engine's writes for one event, in its order (durable_rows.h).
  bool write_event(const durable::EventRows& rows, std::string* error) {
    if (!insert_blob(journal_, rows.journal_sequence, rows.journal_value,
                     durable::kJournalValueBytes, "insert journal", error)) {
      return false;
    }
    for (std::size_t i = 0; i < durable::kOutboxRowsPerEvent; ++i) {
      if (!insert_blob(outbox_, rows.outbox_sequence[i], rows.outbox_value[i],
                       durable::kOutboxValueBytes, "insert outbox", error)) {
        return false;
      }
    }
    sqlite3_bind_int64(timer_erase_, 1, due_of(rows.timer_erased_tick));
    sqlite3_bind_int64(timer_erase_, 2, as_int(rows.instance));
    return run_one(timer_erase_, "erase timer", error) && put_timer(rows, error) &&
           insert_blob(instance_, rows.instance, rows.instance_value, durable::kInstanceValueBytes,
                       "replace instance", error) &&
           insert_blob(audit_, rows.audit_sequence, rows.audit_value, durable::kAuditValueBytes,
                       "insert audit", error);
  }

  bool put_timer(const durable::EventRows& rows, std::string* error) {
    sqlite3_bind_int64(timer_put_, 1, due_of(rows.timer_put_tick));
    sqlite3_bind_int64(timer_put_, 2, as_int(rows.instance));
    sqlite3_bind_blob(timer_put_, 3, rows.timer_value, durable::kTimerValueBytes, SQLITE_STATIC);
    return run(timer_put_, "put timer", error);
  }

  bool put_sequence(std::uint64_t next_outbox, std::string* error) {
    sqlite3_bind_int64(sequence_, 1, as_int(next_outbox));
    return run(sequence_, "put sequence", error);
  }

  // Binds (key, value) to a two-parameter insert and runs it.
  bool insert_blob(sqlite3_stmt* statement, std::uint64_t key, const unsigned char* value,
                   std::size_t size, const char* what, std::string* error) {
    sqlite3_bind_int64(statement, 1, as_int(key));
    sqlite3_bind_blob(statement, 2, value, static_cast<int>(size), SQLITE_STATIC);
    return run(statement, what, error);
  }

  // As run(), for a statement that must change exactly one row (a deletion).
  bool run_one(sqlite3_stmt* statement, const char* what, std::string* error) {
    if (!run(statement, what, error)) return false;
    if (sqlite3_changes(db_) == 1) return true;
    *error = std::string("sqlite ") + what + ": no such row";
    return false;
  }

  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* journal_ = nullptr;
  sqlite3_stmt* instance_ = nullptr;
  sqlite3_stmt* outbox_ = nullptr;
  sqlite3_stmt* delete_ = nullptr;
  sqlite3_stmt* timer_erase_ = nullptr;
  sqlite3_stmt* timer_put_ = nullptr;
  sqlite3_stmt* audit_ = nullptr;
  sqlite3_stmt* sequence_ = nullptr;
  std::uint64_t commits_ = 0;
};

// ---- gemba -----------------------------------------------------------------------

// Accepts every effect, so that the engine deletes its outbox rows as the raw variants
// do. Remembers the encoded size of the first effects' rows, for Gemba::check.
class AcceptingSink final : public workflow::EffectSink {
 public:
  bool deliver(const workflow::OutboxEffect& effect) override {
    using gemba::lower::PointKind;
    const bool sampled =
        sampled_ < kSamples && effect.point != nullptr &&
        (effect.point->kind == PointKind::kNotify || effect.point->kind == PointKind::kAsk);
    if (sampled) {
      workflow::OutboxRow row{
          effect.key.instance, effect.key.transition, effect.key.index, 0, effect.time, {}};
      for (gemba::lower::Scalar value : effect.values) row.values.push_back(value_bits(value));
      sizes_[sampled_++] = workflow::encode(row).size();
    }
    return true;
  }
  // Called after Engine::drain(), which orders it after every deliver().
  bool sizes_are(std::size_t size, std::string* error) const {
    for (std::size_t k = 0; k < sampled_; ++k) {
      if (sizes_[k] != size) {
        *error = "an outbox row of " + std::to_string(sizes_[k]) + " bytes; durable_rows.h says " +
                 std::to_string(size);
        return false;
      }
    }
    return true;
  }

 private:
  static std::uint64_t value_bits(gemba::lower::Scalar value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
  }
  static constexpr std::size_t kSamples = 64;
  std::size_t sampled_ = 0;  // only the dispatcher thread calls deliver()
  std::size_t sizes_[kSamples] = {};
};

// The engine's options for the benchmarks: the JIT with its object cache, timers fired
// only on request (none falls due within a run anyway: 8 h).
workflow::EngineOptions engine_options(const std::filesystem::path& dir) {
  workflow::EngineOptions options;
  options.data_dir = dir;
  options.use_jit = true;
  options.compiler_version = "bench";
  options.start_timers = false;
  options.max_batch = 1024;  // > the largest batch + its deletion work
  return options;
}

class Gemba {
 public:
  bool open(const std::filesystem::path& dir, std::string* error) {
    dir_ = dir;
    gemba::store::Status status;
    engine_ = workflow::Engine::open(engine_options(dir), &status);
    if (!engine_) {
      *error = "Engine::open: " + status.message();
      return false;
    }
    std::optional<std::string> hash = engine_->publish(durable::readings_version(), error);
    if (!hash) return false;
    version_ = *hash;
    return true;
  }

  // kInstances instances of Readings, queued together (group commit).
  bool start(std::string* error) {
    std::vector<std::future<workflow::StartOutcome>> started;
    for (std::uint64_t i = 0; i < durable::kInstances; ++i) {
      workflow::StartRequest request;
      request.version = version_;
      request.procedure = "Readings";
      request.args = {gemba::lower::Scalar{.i = durable::kReadingsCount}};
      request.actor = durable::kActor;
      started.push_back(engine_->start(std::move(request)));
    }
    for (auto& future : started) {
      workflow::StartOutcome out = future.get();
      if (out.outcome.result != workflow::Outcome::Result::kApplied) {
        *error = std::string("start: ") + workflow::spelling(out.outcome.result) + ": " +
                 out.outcome.message;
        return false;
      }
      instances_.push_back(out.instance);
      open_task_.push_back(out.outcome.transition);
    }
    engine_->set_sink(&sink_);
    return true;
  }

  // Answers events [first, first + count) in one submit_all; the engine deletes what its
  // dispatcher delivered by itself (the other arguments are the raw variants').
  bool apply(std::uint64_t first, std::uint64_t count, std::uint64_t, std::uint64_t,
             std::string* error) {
    std::vector<workflow::EventRequest> requests(count);
    for (std::uint64_t e = first; e < first + count; ++e) {
      const std::size_t k = e % durable::kInstances;
      workflow::EventRequest& r = requests[e - first];
      r.instance = instances_[k];
      r.kind = gemba::lower::EventKind::kDone;
      const double reading = 20.0 + static_cast<double>(e % 10) * 0.5;
      r.value = gemba::lower::Scalar{.r = reading};
      r.expect_transition = open_task_[k];
      r.actor = durable::kActor;
      char typed[16];
      std::snprintf(typed, sizeof typed, "%.1f", reading);  // 4 characters: the audit size
      r.note = typed;
    }
    std::vector<std::future<workflow::Outcome>> done = engine_->submit_all(std::move(requests));
    bool ok = true;
    for (std::uint64_t e = first; e < first + count; ++e) {
      workflow::Outcome out = done[e - first].get();
      if (out.result != workflow::Outcome::Result::kApplied) {
        if (ok) {
          *error = "answer " + std::to_string(e) + ": " + workflow::spelling(out.result) + ": " +
                   out.message;
        }
        ok = false;
        continue;
      }
      open_task_[e % durable::kInstances] = out.transition;  // it opened the next ask
    }
    return ok;
  }

  // After the run: every event applied, the outbox empty once drained, and the rows the
  // engine wrote of durable_rows.h's sizes. Closes the engine.
  bool check(std::uint64_t next, std::uint64_t, std::string* error) {
    engine_->drain();
    const workflow::EngineStats stats = engine_->stats();
    if (stats.events != durable::kInstances + next || stats.refused != 0) {
      *error = "the engine applied " + std::to_string(stats.events) + " events (" +
               std::to_string(stats.refused) + " refused), expected " +
               std::to_string(durable::kInstances + next);
      return false;
    }
    if (const std::size_t left = engine_->outbox_size(); left != 0) {
      *error = std::to_string(left) + " outbox rows left after drain()";
      return false;
    }
    if (!sink_.sizes_are(durable::kOutboxValueBytes, error)) return false;
    engine_.reset();
    return row_sizes_are_durable_rows(error);
  }

  std::uint64_t commits() const { return engine_ ? engine_->stats().transactions : 0; }
  std::uint64_t map_growths() const { return engine_ ? engine_->stats().store.map_growths : 0; }

 private:
  // Reads the closed engine's store with LMDB: the last journal and audit rows (an
  // answer's), an instance row, a timer row.
  bool row_sizes_are_durable_rows(std::string* error) const {
    MDB_env* env = nullptr;
    if (!lmdb_ok(mdb_env_create(&env), "env_create", error)) return false;
    std::unique_ptr<MDB_env, void (*)(MDB_env*)> closing(env, mdb_env_close);
    if (!lmdb_ok(mdb_env_set_maxdbs(env, 64), "set_maxdbs", error) ||
        !lmdb_ok(mdb_env_open(env, dir_.c_str(), MDB_RDONLY, 0644), "env_open", error)) {
      return false;
    }
    LmdbTxn txn(env, MDB_RDONLY, error);
    if (txn.get() == nullptr) return false;
    struct Row {
      const char* table;
      MDB_cursor_op at;
      std::size_t key_bytes, value_bytes;
    };
    const Row rows[] = {
        {"journal", MDB_LAST, durable::kKeyBytes, durable::kJournalValueBytes},
        {"audit", MDB_LAST, durable::kKeyBytes, durable::kAuditValueBytes},
        {"instances", MDB_FIRST, durable::kKeyBytes, durable::kInstanceValueBytes},
        {"timers", MDB_FIRST, durable::kTimerKeyBytes, durable::kTimerValueBytes},
    };
    for (const Row& row : rows) {
      MDB_dbi dbi = 0;
      MDB_cursor* cursor = nullptr;
      MDB_val key{}, value{};
      if (!lmdb_ok(mdb_dbi_open(txn.get(), row.table, 0, &dbi), row.table, error) ||
          !lmdb_ok(mdb_cursor_open(txn.get(), dbi, &cursor), row.table, error)) {
        return false;
      }
      const bool found = lmdb_ok(mdb_cursor_get(cursor, &key, &value, row.at), row.table, error);
      mdb_cursor_close(cursor);
      if (!found) return false;
      if (key.mv_size != row.key_bytes || value.mv_size != row.value_bytes) {
        *error = std::string("a ") + row.table + " row of " + std::to_string(key.mv_size) + " + " +
                 std::to_string(value.mv_size) + " bytes; durable_rows.h says " +
                 std::to_string(row.key_bytes) + " + " + std::to_string(row.value_bytes);
        return false;
      }
    }
    return true;
  }

  std::filesystem::path dir_;
  std::unique_ptr<workflow::Engine> engine_;
  std::string version_;
  AcceptingSink sink_;
  std::vector<workflow::InstanceId> instances_;  // by k = event % kInstances
  std::vector<std::uint64_t> open_task_;         // the transition that opened its ask
};

// ---- the benchmark ---------------------------------------------------------------

// Runs the workload against `Store`, which provides open(dir), start(), apply(),
// check() and commits() as LmdbRaw does; state.range(0) events per transaction.
template <class Store>
void BM_TransitionDurable(benchmark::State& state) {
  const auto batch = static_cast<std::uint64_t>(state.range(0));
  gemba::testing::TempDir dir;
  std::string error;
  std::uint64_t next = batch, commits = 0, map_growths = 0;
  std::uint64_t written = 0, disk = 0;
  double cpu = 0;
  {
    Store store;
    // One untimed batch first, so that every timed batch has outbox rows to delete.
    if (!store.open(dir.path(), &error) || !store.start(&error) ||
        !store.apply(0, batch, 0, 0, &error)) {
      state.SkipWithError(error.c_str());
      return;
    }
    const std::uint64_t commits_before = store.commits();
    const std::uint64_t written_before = io_counter("wchar:");
    const std::uint64_t disk_before = io_counter("write_bytes:");
    const double cpu_before = process_cpu_seconds();
    for (auto _ : state) {
      if (!store.apply(next, batch, next - batch, batch, &error)) break;
      next += batch;
    }
    cpu = process_cpu_seconds() - cpu_before;
    written = io_counter("wchar:") - written_before;
    disk = io_counter("write_bytes:") - disk_before;
    commits = store.commits() - commits_before;
    if constexpr (requires { store.map_growths(); }) map_growths = store.map_growths();
    if (!error.empty() || !store.check(next, batch, &error)) {
      state.SkipWithError(error.c_str());
      return;
    }
  }
  const std::uint64_t events = next - batch;
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  const auto per_event = [&](std::uint64_t bytes) {
    return events > 0 ? static_cast<double>(bytes) / static_cast<double>(events) : 0.0;
  };
  state.counters["written_B_per_event"] = per_event(written);
  state.counters["disk_B_per_event"] = per_event(disk);
  state.counters["cpu_us_per_event"] = events > 0 ? cpu * 1e6 / static_cast<double>(events) : 0.0;
  state.counters["commits_per_batch"] =
      static_cast<double>(commits) /
      static_cast<double>(std::max<std::uint64_t>(1, events / batch));
  if (map_growths > 0) state.counters["map_growths"] = static_cast<double>(map_growths);
  state.counters["store_MiB"] = store_mib(dir.path());
}

// Batch sizes and run length, the same for every variant.
void durable_runs(benchmark::internal::Benchmark* b) {
  for (int batch : durable::kBatchSizes) b->Arg(batch);
  b->UseRealTime()->MinTime(1.0)->Unit(benchmark::kMillisecond);
}

BENCHMARK_TEMPLATE(BM_TransitionDurable, Gemba)
    ->Name("BM_Transition_Durable/gemba")
    ->Apply(durable_runs);
BENCHMARK_TEMPLATE(BM_TransitionDurable, LmdbRaw)
    ->Name("BM_Transition_Durable/lmdb_raw")
    ->Apply(durable_runs);
BENCHMARK_TEMPLATE(BM_TransitionDurable, Sqlite)
    ->Name("BM_Transition_Durable/sqlite")
    ->Apply(durable_runs);

// ---- summary: the targets ----------------------------------------------------------

double rate(const gemba::bench::Counters& counters, const char* variant, int batch) {
  return gemba::bench::counter(
      counters, std::string("BM_Transition_Durable/") + variant + "/" + std::to_string(batch),
      "items_per_second");
}

void print_summary(const gemba::bench::Counters& counters) {
  bool header = false;
  for (int batch : durable::kBatchSizes) {
    const double gemba = rate(counters, "gemba", batch);
    const double raw = rate(counters, "lmdb_raw", batch);
    const double sqlite = rate(counters, "sqlite", batch);
    if (raw <= 0 && sqlite <= 0 && gemba <= 0) continue;
    if (!header) {
      std::printf("BM_Transition_Durable: events/s, one durable commit per batch\n");
      header = true;
    }
    std::printf("  batch %3d:", batch);
    for (const auto& [name, value] :
         {std::pair{"gemba", gemba}, {"lmdb_raw", raw}, {"sqlite", sqlite}}) {
      if (value > 0) std::printf(" %s %.0f", name, value);
    }
    std::printf("\n");
    if (gemba > 0 && raw > 0) {
      std::printf("    gemba/lmdb_raw: %.3f (target >= 0.8): %s\n", gemba / raw,
                  gemba / raw >= 0.8 ? "MET" : "MISSED");
    }
    if (gemba > 0 && sqlite > 0) {
      std::printf("    gemba/sqlite:   %.3f (target >= 5): %s\n", gemba / sqlite,
                  gemba / sqlite >= 5 ? "MET" : "MISSED");
    }
    if (raw > 0 && sqlite > 0) std::printf("    lmdb_raw/sqlite: %.3f\n", raw / sqlite);
  }
}

const bool registered_summary = gemba::bench::register_summary(&print_summary);

}  // namespace
