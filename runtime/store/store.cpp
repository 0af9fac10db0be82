#include "runtime/store/store.h"

#include <lmdb.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <system_error>
#include <utility>

#include "runtime/store/lmdb_error.h"
#include "runtime/store/map_gate.h"
#include "runtime/store/meta.h"
#include "runtime/store/owner_lock.h"

namespace gemba::store {
namespace {

using Code = Status::Code;

constexpr std::size_t kMaxTables = 30;
constexpr unsigned int kMaxDbs = kMaxTables + 2;  // the tables, meta, one spare
// Growth stops here: a body that never stops writing fails instead of filling the disk.
constexpr std::size_t kMaxMapSize = std::size_t{1} << 40;
constexpr int kMapResizedRetries = 3;

MDB_txn* txn_of(void* txn) { return static_cast<MDB_txn*>(txn); }
MDB_val val_of(std::string_view text) { return {text.size(), const_cast<char*>(text.data())}; }
std::string_view view_of(const MDB_val& val) {
  return {static_cast<const char*>(val.mv_data), val.mv_size};
}

// Misuse of the API: a bug in the caller, reported and stopped in every build.
[[noreturn]] void misuse(const std::string& message) {
  std::fprintf(stderr, "gemba::store: %s\n", message.c_str());
  std::abort();
}

std::size_t round_to_pages(std::size_t size) {
  auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return std::max(page, (size + page - 1) / page * page);
}

// The stores whose read or write body this thread is running, to refuse the nesting
// that deadlocks (store.h, "Threads").
struct Bodies {
  std::vector<const void*> reads;
  std::vector<const void*> writes;
};
thread_local Bodies t_bodies;

class BodyMark {
 public:
  BodyMark(std::vector<const void*>* marks, const void* store) : marks_(marks) {
    marks_->push_back(store);
  }
  ~BodyMark() { marks_->pop_back(); }
  BodyMark(const BodyMark&) = delete;
  BodyMark& operator=(const BodyMark&) = delete;

 private:
  std::vector<const void*>* marks_;
};

bool contains(const std::vector<const void*>& marks, const void* store) {
  return std::find(marks.begin(), marks.end(), store) != marks.end();
}

// Aborts the transaction unless it was released to a commit.
class TxnGuard {
 public:
  explicit TxnGuard(MDB_txn* txn) : txn_(txn) {}
  ~TxnGuard() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }
  TxnGuard(const TxnGuard&) = delete;
  TxnGuard& operator=(const TxnGuard&) = delete;
  MDB_txn* release() { return std::exchange(txn_, nullptr); }

 private:
  MDB_txn* txn_;
};

class CursorGuard {
 public:
  explicit CursorGuard(MDB_cursor* cursor) : cursor_(cursor) {}
  ~CursorGuard() { mdb_cursor_close(cursor_); }
  CursorGuard(const CursorGuard&) = delete;
  CursorGuard& operator=(const CursorGuard&) = delete;

 private:
  MDB_cursor* cursor_;
};

void check_options(const StoreOptions& options) {
  if (options.application.empty()) misuse("StoreOptions::application is empty");
  if (options.tables.size() > kMaxTables) {
    misuse(std::to_string(options.tables.size()) + " tables; a store has at most 30");
  }
  std::set<std::string_view> seen;
  for (const std::string& name : options.tables) {
    if (name.empty() || name == meta::kTable) misuse("table name '" + name + "' is reserved");
    if (!seen.insert(name).second) misuse("table '" + name + "' is listed twice");
  }
}

}  // namespace

// A write body at the LMDB level: the open's initialization, or a WriteTxn body. LMDB
// errors are kept in `*failure` (the first one) besides the returned Status.
using RawBody = std::function<Status(MDB_txn* txn, int* failure)>;

struct Store::Impl {
  std::filesystem::path dir;
  OwnerLock owner;  // declared first: released after the environment is closed
  MDB_env* env = nullptr;
  std::map<std::string, Table, std::less<>> tables;  // Table::name points into the key

  // Order: write_mutex, then gate. The writer takes the gate only to change the map, and
  // only with no transaction of its own.
  std::mutex write_mutex;
  mutable MapGate gate;
  // Set when a remap failed and LMDB has no map any more; guarded by write_mutex and the
  // gate held exclusively to set, either of them to read.
  std::optional<Status> broken;

  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> map_growths{0};
  std::uint64_t stale_readers_cleared = 0;
  std::atomic<std::size_t> map_size{0};

  ~Impl() {
    if (env != nullptr) mdb_env_close(env);
  }

  std::string where() const { return "data directory " + dir.string(); }

  Status open(const StoreOptions& options);
  Status open_env(const StoreOptions& options);
  Status open_tables(const StoreOptions& options);
  Status set_map_size(std::size_t size);
  Status clear_stale_readers();

  enum class Attempt { kCommitted, kMapFull, kFailed };
  Status run_write(const RawBody& body);  // write_mutex held
  Attempt attempt(const RawBody& body, Status* status);
  Status begin_write(MDB_txn** txn);
  Status grow();
  Status adopt_map_size();  // write_mutex held: MDB_MAP_RESIZED
  Status remap(std::size_t size, const char* why);
};

Status Store::Impl::open(const StoreOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Status::error(Code::kIOError, "cannot create " + where() + ": " + error.message());
  }
  Status status = owner.acquire(dir);
  if (status.is_ok()) status = open_env(options);
  if (status.is_ok()) status = clear_stale_readers();
  if (status.is_ok()) status = open_tables(options);
  commits = 0;  // StoreStats counts the commits of write()
  return status;
}

Status Store::Impl::open_env(const StoreOptions& options) {
  int rc = mdb_env_create(&env);
  if (rc != 0) return lmdb_status(rc, "cannot create the LMDB environment of " + where());
  rc = mdb_env_set_maxdbs(env, kMaxDbs);
  std::size_t initial = round_to_pages(options.initial_map_size);
  std::error_code error;
  bool fresh = std::filesystem::file_size(dir / "data.mdb", error) == 0 || error;
  // An existing environment keeps the map size it grew to (LMDB stores it in its header).
  if (rc == 0 && fresh) rc = mdb_env_set_mapsize(env, initial);
  if (rc == 0) rc = mdb_env_open(env, dir.c_str(), MDB_NOTLS, 0644);
  if (rc != 0) return lmdb_status(rc, "cannot open the store in " + where());
  MDB_envinfo info;
  mdb_env_info(env, &info);
  map_size = info.me_mapsize;
  return info.me_mapsize < initial ? set_map_size(initial) : Status::ok();
}

Status Store::Impl::set_map_size(std::size_t size) {
  int rc = mdb_env_set_mapsize(env, size);
  if (rc != 0) return lmdb_status(rc, "cannot map the store in " + where());
  map_size = size;
  return Status::ok();
}

// Readers left in the lock file by dead processes. LMDB resets the whole reader table
// when it opens an environment no other process has open; this finds the readers that
// survive that, when another process (a backup, mdb_stat) kept the environment open.
Status Store::Impl::clear_stale_readers() {
  int dead = 0;
  int rc = mdb_reader_check(env, &dead);
  if (rc != 0) return lmdb_status(rc, "cannot check the readers of " + where());
  stale_readers_cleared = static_cast<std::uint64_t>(dead);
  return Status::ok();
}

// Checks or writes the meta table, then opens every table, creating those that are new.
Status Store::Impl::open_tables(const StoreOptions& options) {
  std::vector<MDB_dbi> dbis;
  auto body = [&](MDB_txn* txn, int* failure) {
    dbis.clear();
    Status status = meta::init_or_check(txn, dir, options, failure);
    for (std::size_t i = 0; status.is_ok() && i < options.tables.size(); ++i) {
      MDB_dbi dbi;
      int rc = mdb_dbi_open(txn, options.tables[i].c_str(), MDB_CREATE, &dbi);
      if (rc != 0) {
        if (*failure == 0) *failure = rc;
        status = lmdb_status(rc, "cannot open table " + options.tables[i] + " in " + where());
      }
      dbis.push_back(dbi);
    }
    return status;
  };
  std::lock_guard lock(write_mutex);
  Status status = run_write(body);
  if (!status.is_ok()) return status;
  for (std::size_t i = 0; i < options.tables.size(); ++i) {
    auto [it, inserted] = tables.emplace(options.tables[i], Table{dbis[i], ""});
    it->second.name = it->first.c_str();
  }
  return Status::ok();
}

Status Store::Impl::run_write(const RawBody& body) {
  for (;;) {
    if (broken) return *broken;
    Status status;
    switch (attempt(body, &status)) {
      case Attempt::kCommitted:
        return Status::ok();
      case Attempt::kFailed:
        return status;
      case Attempt::kMapFull:
        status = grow();
        if (!status.is_ok()) return status;
        break;
    }
  }
}

Store::Impl::Attempt Store::Impl::attempt(const RawBody& body, Status* status) {
  MDB_txn* txn = nullptr;
  *status = begin_write(&txn);
  if (!status->is_ok()) return Attempt::kFailed;
  TxnGuard guard(txn);
  int failure = 0;
  Status result = body(txn, &failure);
  if (failure == MDB_MAP_FULL) return Attempt::kMapFull;
  if (failure != 0) {
    *status = lmdb_status(failure, "write to the store in " + where());
    return Attempt::kFailed;
  }
  if (!result.is_ok()) {
    *status = std::move(result);
    return Attempt::kFailed;
  }
  int rc = mdb_txn_commit(guard.release());  // frees the transaction, even when it fails
  if (rc == MDB_MAP_FULL) return Attempt::kMapFull;
  if (rc != 0) {
    *status = lmdb_status(rc, "cannot commit to the store in " + where());
    return Attempt::kFailed;
  }
  ++commits;
  return Attempt::kCommitted;
}

Status Store::Impl::begin_write(MDB_txn** txn) {
  for (int i = 0; i < kMapResizedRetries; ++i) {
    int rc = mdb_txn_begin(env, nullptr, 0, txn);
    if (rc == 0) return Status::ok();
    if (rc != MDB_MAP_RESIZED) return lmdb_status(rc, "cannot begin a write in " + where());
    Status status = adopt_map_size();
    if (!status.is_ok()) return status;
  }
  return lmdb_status(MDB_MAP_RESIZED, "cannot begin a write in " + where());
}

// Doubles the map. The caller holds write_mutex and has no transaction.
Status Store::Impl::grow() {
  std::size_t current = map_size;
  if (current >= kMaxMapSize) {
    return Status::error(
        Code::kIOError, "the store in " + where() + " is full: its map reached the limit of 1 TiB");
  }
  Status status = remap(std::min(current * 2, kMaxMapSize), "grow");
  if (status.is_ok()) ++map_growths;
  return status;
}

// Takes the map size another process committed. The caller holds write_mutex.
Status Store::Impl::adopt_map_size() { return remap(0, "adopt the new map size of"); }

// Remaps with no transaction running in this process; `size` 0 adopts the size in the
// file. A failed remap leaves LMDB without a map: the store is then broken for good.
Status Store::Impl::remap(std::size_t size, const char* why) {
  std::lock_guard lock(gate);
  int rc = mdb_env_set_mapsize(env, size);
  if (rc != 0) {
    broken =
        lmdb_status(rc, std::string("cannot ") + why + " the store in " + where() + " (reopen it)");
    return *broken;
  }
  MDB_envinfo info;
  mdb_env_info(env, &info);
  map_size = info.me_mapsize;
  return Status::ok();
}

// ---- Store ---------------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::filesystem::path& dir, const StoreOptions& options,
                                   Status* status) {
  check_options(options);
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  *status = impl->open(options);
  if (!status->is_ok()) return nullptr;
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Table Store::table(std::string_view name) const {
  auto it = impl_->tables.find(name);
  if (it == impl_->tables.end()) misuse("unknown table '" + std::string(name) + "'");
  return it->second;
}

Status Store::write(const std::function<Status(WriteTxn&)>& body) {
  const void* self = impl_.get();
  if (contains(t_bodies.reads, self) || contains(t_bodies.writes, self)) {
    assert(!"write() inside a read or write body of the same store");
    return Status::error(Code::kAborted,
                         "write() called inside a read or write body of the same store: "
                         "growing the map would deadlock");
  }
  BodyMark mark(&t_bodies.writes, self);
  std::lock_guard lock(impl_->write_mutex);
  return impl_->run_write([&](MDB_txn* txn, int* failure) {
    WriteTxn write_txn(txn, failure);
    return body(write_txn);
  });
}

Status Store::read(const std::function<Status(const ReadTxn&)>& body) const {
  const void* self = impl_.get();
  if (contains(t_bodies.writes, self)) {
    assert(!"read() inside a write body of the same store");
    return Status::error(Code::kAborted, "read() called inside a write body of the same store");
  }
  // A nested read runs under its outer read's hold of the gate: the map cannot change
  // meanwhile, and waiting behind a pending growth would deadlock.
  bool nested = contains(t_bodies.reads, self);
  BodyMark mark(&t_bodies.reads, self);
  auto run = [&](MDB_txn* txn) {
    TxnGuard guard(txn);
    int failure = 0;
    Status status = body(ReadTxn(txn, &failure));
    if (failure != 0) return lmdb_status(failure, "read from the store in " + impl_->where());
    return status;
  };
  for (int i = 1;; ++i) {
    std::shared_lock gate(impl_->gate, std::defer_lock);
    if (!nested) gate.lock();
    if (impl_->broken) return *impl_->broken;
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(impl_->env, nullptr, MDB_RDONLY, &txn);
    if (rc == 0) return run(txn);
    if (rc != MDB_MAP_RESIZED || nested || i == kMapResizedRetries) {
      return lmdb_status(rc, "cannot begin a read in " + impl_->where());
    }
    gate.unlock();
    std::lock_guard lock(impl_->write_mutex);
    Status status = impl_->adopt_map_size();
    if (!status.is_ok()) return status;
  }
}

StoreStats Store::stats() const {
  StoreStats stats;
  stats.commits = impl_->commits;
  stats.map_growths = impl_->map_growths;
  stats.stale_readers_cleared = impl_->stale_readers_cleared;
  stats.map_size = impl_->map_size;
  return stats;
}

const std::filesystem::path& Store::dir() const { return impl_->dir; }

// ---- ReadTxn, WriteTxn -----------------------------------------------------------------

void ReadTxn::record_failure(int lmdb_error) const {
  if (*failure_ == 0) *failure_ = lmdb_error;
}

std::optional<std::string_view> ReadTxn::get(Table table, std::string_view key) const {
  MDB_val k = val_of(key);
  MDB_val v;
  int rc = mdb_get(txn_of(txn_), table.dbi, &k, &v);
  if (rc == 0) return view_of(v);
  // MDB_BAD_VALSIZE: an empty or over-long key, which no row can have.
  if (rc != MDB_NOTFOUND && rc != MDB_BAD_VALSIZE) record_failure(rc);
  return std::nullopt;
}

void ReadTxn::scan(
    Table table, std::string_view from,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) const {
  MDB_cursor* cursor = nullptr;
  int rc = mdb_cursor_open(txn_of(txn_), table.dbi, &cursor);
  if (rc != 0) return record_failure(rc);
  CursorGuard guard(cursor);
  MDB_val k = val_of(from);
  MDB_val v;
  rc = mdb_cursor_get(cursor, &k, &v, from.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == 0) {
    if (!visit(view_of(k), view_of(v))) return;
    rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
  }
  if (rc != MDB_NOTFOUND) record_failure(rc);
}

std::optional<std::pair<std::string_view, std::string_view>> ReadTxn::last(Table table) const {
  MDB_cursor* cursor = nullptr;
  int rc = mdb_cursor_open(txn_of(txn_), table.dbi, &cursor);
  if (rc != 0) {
    record_failure(rc);
    return std::nullopt;
  }
  CursorGuard guard(cursor);
  MDB_val k;
  MDB_val v;
  rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST);
  if (rc == 0) return std::pair{view_of(k), view_of(v)};
  if (rc != MDB_NOTFOUND) record_failure(rc);
  return std::nullopt;
}

std::size_t ReadTxn::count(Table table) const {
  MDB_stat stat;
  int rc = mdb_stat(txn_of(txn_), table.dbi, &stat);
  if (rc == 0) return stat.ms_entries;
  record_failure(rc);
  return 0;
}

namespace {

// The Status of mdb_put's `rc`: kCorruption for a key LMDB cannot store (the transaction
// goes on), LMDB's error otherwise.
Status put_status(int rc, Table table, std::string_view key) {
  if (rc == 0) return Status::ok();
  if (rc == MDB_BAD_VALSIZE) {
    return Status::error(Code::kCorruption, "table " + std::string(table.name) + ": a key of " +
                                                std::to_string(key.size()) +
                                                " bytes (keys have 1 to 511 bytes)");
  }
  if (rc == MDB_KEYEXIST) {
    return Status::error(Code::kCorruption,
                         "append to table " + std::string(table.name) +
                             ": the key is not greater than the table's last key");
  }
  return lmdb_status(rc, "put to table " + std::string(table.name));
}

// Whether a put's failure leaves the transaction unusable, for write() to answer.
bool is_failure(int rc) { return rc != 0 && rc != MDB_BAD_VALSIZE && rc != MDB_KEYEXIST; }

}  // namespace

Status WriteTxn::put(Table table, std::string_view key, std::string_view value) {
  MDB_val k = val_of(key);
  MDB_val v = val_of(value);
  int rc = mdb_put(txn_of(txn_), table.dbi, &k, &v, 0);
  if (is_failure(rc)) record_failure(rc);
  return put_status(rc, table, key);
}

// MDB_APPEND answers MDB_KEYEXIST, before touching the tree, when the key is not greater
// than the last one.
Status WriteTxn::append(Table table, std::string_view key, std::string_view value) {
  MDB_val k = val_of(key);
  MDB_val v = val_of(value);
  int rc = mdb_put(txn_of(txn_), table.dbi, &k, &v, MDB_APPEND);
  if (is_failure(rc)) record_failure(rc);
  return put_status(rc, table, key);
}

bool WriteTxn::erase(Table table, std::string_view key) {
  MDB_val k = val_of(key);
  int rc = mdb_del(txn_of(txn_), table.dbi, &k, nullptr);
  if (rc == 0) return true;
  if (rc != MDB_NOTFOUND && rc != MDB_BAD_VALSIZE) record_failure(rc);
  return false;
}

// ---- Keys ----------------------------------------------------------------------------

std::string key_u64(std::uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i, value >>= 8) bytes[i] = static_cast<char>(value & 0xff);
  return bytes;
}

std::uint64_t u64_of_key(std::string_view key, std::size_t offset) {
  if (offset > key.size() || key.size() - offset < 8) {
    misuse("u64_of_key: no 8 bytes at offset " + std::to_string(offset) + " of a key of " +
           std::to_string(key.size()) + " bytes");
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i)
    value = (value << 8) | static_cast<unsigned char>(key[offset + i]);
  return value;
}

}  // namespace gemba::store
