#include "runtime/store/store.h"

#include <gtest/gtest.h>
#include <lmdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace gemba::store {
namespace {

using gemba::testing::TempDir;
using Code = Status::Code;
using namespace std::chrono_literals;

StoreOptions test_options(std::size_t map_size = std::size_t{64} << 20) {
  StoreOptions options;
  options.application = "gemba-test";
  options.format_version = 1;
  options.tables = {"rows", "other"};
  options.initial_map_size = map_size;
  return options;
}

std::unique_ptr<Store> open_ok(const std::filesystem::path& dir, const StoreOptions& options) {
  Status status;
  std::unique_ptr<Store> store = Store::open(dir, options, &status);
  EXPECT_TRUE(status.is_ok()) << status.message();
  return store;
}

Status open_error(const std::filesystem::path& dir, const StoreOptions& options) {
  Status status;
  std::unique_ptr<Store> store = Store::open(dir, options, &status);
  EXPECT_EQ(store, nullptr);
  return status;
}

std::optional<std::string> get(const Store& store, std::string_view table, std::string_view key) {
  std::optional<std::string> value;
  Status status = store.read([&](const ReadTxn& txn) {
    if (auto found = txn.get(store.table(table), key)) value = std::string(*found);
    return Status::ok();
  });
  EXPECT_TRUE(status.is_ok()) << status.message();
  return value;
}

std::size_t count(const Store& store, std::string_view table) {
  std::size_t rows = 0;
  Status status = store.read([&](const ReadTxn& txn) {
    rows = txn.count(store.table(table));
    return Status::ok();
  });
  EXPECT_TRUE(status.is_ok()) << status.message();
  return rows;
}

Status put_one(Store& store, std::string_view key, std::string_view value) {
  return store.write([&](WriteTxn& txn) { return txn.put(store.table("rows"), key, value); });
}

// A value of `size` bytes that tells its key apart from its neighbours'.
std::string value_for(std::uint64_t key, std::size_t size) {
  std::string value(size, static_cast<char>('a' + key % 26));
  std::string tag = std::to_string(key);
  value.replace(0, std::min(tag.size(), size), tag.substr(0, size));
  return value;
}

// ---- Child processes -------------------------------------------------------------------

// A pipe a child writes one byte to, to say it reached a point.
class Signal {
 public:
  Signal() { EXPECT_EQ(pipe(fds_), 0); }
  ~Signal() {
    close(fds_[0]);
    close(fds_[1]);
  }
  void send() const {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(fds_[1], &byte, 1);
  }
  // True when the byte came within `timeout`.
  bool wait(std::chrono::milliseconds timeout) const {
    pollfd fd{fds_[0], POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(timeout.count())) != 1) return false;
    char byte;
    return ::read(fds_[0], &byte, 1) == 1;
  }

 private:
  int fds_[2] = {-1, -1};
};

// Runs `body` in a forked child that exits with its result, never returning here.
pid_t fork_child(const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  EXPECT_GT(pid, 0);
  return pid;
}

// The child's exit code, or -1 if it did not exit normally within `timeout` (it is then
// killed).
int wait_exit(pid_t pid, std::chrono::milliseconds timeout = 30s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(5ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

// ---- Rows ------------------------------------------------------------------------------

TEST(StoreTest, PutGetScanLastCountErase) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options());
  ASSERT_NE(store, nullptr);
  Table rows = store->table("rows");
  EXPECT_STREQ(rows.name, "rows");
  Status status = store->write([&](WriteTxn& txn) {
    for (std::uint64_t key : {3, 1, 2, 5}) {
      Status put = txn.put(rows, key_u64(key), "v" + std::to_string(key));
      if (!put.is_ok()) return put;
    }
    return txn.put(rows, key_u64(2), "two");  // replaces
  });
  ASSERT_TRUE(status.is_ok()) << status.message();

  EXPECT_EQ(get(*store, "rows", key_u64(2)), "two");
  EXPECT_EQ(get(*store, "rows", key_u64(4)), std::nullopt);
  EXPECT_EQ(get(*store, "rows", ""), std::nullopt);
  EXPECT_EQ(get(*store, "other", key_u64(2)), std::nullopt);  // tables are separate
  EXPECT_EQ(count(*store, "rows"), 4u);

  status = store->read([&](const ReadTxn& txn) {
    std::vector<std::uint64_t> seen;
    txn.scan(rows, key_u64(2), [&](std::string_view key, std::string_view) {
      seen.push_back(u64_of_key(key));
      return seen.size() < 2;
    });
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{2, 3}));
    seen.clear();
    txn.scan(rows, "", [&](std::string_view key, std::string_view) {
      seen.push_back(u64_of_key(key));
      return true;
    });
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3, 5}));
    auto last = txn.last(rows);
    EXPECT_TRUE(last && u64_of_key(last->first) == 5 && last->second == "v5");
    EXPECT_EQ(txn.last(store->table("other")), std::nullopt);
    return Status::ok();
  });
  ASSERT_TRUE(status.is_ok()) << status.message();

  status = store->write([&](WriteTxn& txn) {
    EXPECT_TRUE(txn.erase(rows, key_u64(3)));
    EXPECT_FALSE(txn.erase(rows, key_u64(3)));
    EXPECT_FALSE(txn.erase(rows, ""));
    EXPECT_EQ(txn.get(rows, key_u64(3)), std::nullopt);  // a write sees its own rows
    return Status::ok();
  });
  ASSERT_TRUE(status.is_ok()) << status.message();
  EXPECT_EQ(count(*store, "rows"), 3u);
  EXPECT_EQ(store->stats().commits, 2u);
}

TEST(StoreTest, AppendNeedsAGreaterKey) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options());
  Table rows = store->table("rows");
  Status smaller, equal;
  Status status = store->write([&](WriteTxn& txn) {
    EXPECT_TRUE(txn.append(rows, key_u64(10), "a").is_ok());
    EXPECT_TRUE(txn.append(rows, key_u64(11), "b").is_ok());
    smaller = txn.append(rows, key_u64(5), "c");
    equal = txn.append(rows, key_u64(11), "d");
    return txn.append(rows, key_u64(12), "e");  // the transaction goes on
  });
  ASSERT_TRUE(status.is_ok()) << status.message();
  EXPECT_EQ(smaller.code(), Code::kCorruption);
  EXPECT_NE(smaller.message().find("not greater"), std::string::npos) << smaller.message();
  EXPECT_EQ(equal.code(), Code::kCorruption);
  EXPECT_EQ(count(*store, "rows"), 3u);
  EXPECT_EQ(get(*store, "rows", key_u64(11)), "b");
  EXPECT_EQ(get(*store, "rows", key_u64(5)), std::nullopt);
}

TEST(StoreTest, KeysLmdbCannotStoreAreRefused) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options());
  Status empty, too_long;
  Status status = store->write([&](WriteTxn& txn) {
    empty = txn.put(store->table("rows"), "", "x");
    too_long = txn.put(store->table("rows"), std::string(600, 'k'), "x");
    return txn.put(store->table("rows"), "k", "x");
  });
  ASSERT_TRUE(status.is_ok()) << status.message();
  EXPECT_EQ(empty.code(), Code::kCorruption);
  EXPECT_EQ(too_long.code(), Code::kCorruption);
  EXPECT_NE(too_long.message().find("600 bytes"), std::string::npos) << too_long.message();
  EXPECT_EQ(count(*store, "rows"), 1u);
}

TEST(StoreTest, KeysAreBigEndian) {
  EXPECT_EQ(key_u64(0x0102030405060708), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_LT(key_u64(255), key_u64(256));
  EXPECT_LT(key_u64(1), key_u64(std::uint64_t{1} << 56));
  std::string composite = key_u64(7) + key_u64(~std::uint64_t{0});
  EXPECT_EQ(u64_of_key(composite), 7u);
  EXPECT_EQ(u64_of_key(composite, 8), ~std::uint64_t{0});
  EXPECT_DEATH(u64_of_key(composite, 9), "no 8 bytes at offset 9");
}

TEST(StoreTest, UnknownTableIsAnAssertion) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options());
  EXPECT_DEATH(store->table("nope"), "unknown table 'nope'");
}

// ---- Transactions ------------------------------------------------------------------------

TEST(StoreTest, ABodyErrorAbortsEverythingItWrote) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options());
  ASSERT_TRUE(put_one(*store, "keep", "1").is_ok());
  Status status = store->write([&](WriteTxn& txn) {
    EXPECT_TRUE(txn.put(store->table("rows"), "a", "1").is_ok());
    EXPECT_TRUE(txn.put(store->table("other"), "b", "2").is_ok());
    EXPECT_TRUE(txn.erase(store->table("rows"), "keep"));
    return Status::error(Code::kAborted, "the operator cancelled");
  });
  EXPECT_EQ(status.code(), Code::kAborted);
  EXPECT_EQ(status.message(), "the operator cancelled");
  EXPECT_EQ(get(*store, "rows", "a"), std::nullopt);
  EXPECT_EQ(get(*store, "other", "b"), std::nullopt);
  EXPECT_EQ(get(*store, "rows", "keep"), "1");
  EXPECT_EQ(store->stats().commits, 1u);
}

TEST(StoreTest, DataSurvivesCloseAndReopen) {
  TempDir dir;
  {
    auto store = open_ok(dir.path(), test_options());
    ASSERT_TRUE(put_one(*store, "k", "v").is_ok());
  }
  auto store = open_ok(dir.path(), test_options());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(get(*store, "rows", "k"), "v");
  EXPECT_EQ(store->stats().commits, 0u);
  EXPECT_EQ(store->dir(), dir.path());
}

TEST(StoreTest, ANewTableIsCreatedAtALaterOpen) {
  TempDir dir;
  open_ok(dir.path(), test_options());
  StoreOptions options = test_options();
  options.tables.push_back("added");
  auto store = open_ok(dir.path(), options);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(count(*store, "added"), 0u);
}

TEST(StoreTest, NestedBodiesAreRefused) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options());
  auto write_in_read = [&] {
    return store->read(
        [&](const ReadTxn&) { return store->write([](WriteTxn&) { return Status::ok(); }); });
  };
  auto read_in_write = [&] {
    return store->write(
        [&](WriteTxn&) { return store->read([](const ReadTxn&) { return Status::ok(); }); });
  };
#ifdef NDEBUG
  EXPECT_EQ(write_in_read().code(), Code::kAborted);
  EXPECT_EQ(read_in_write().code(), Code::kAborted);
#else
  EXPECT_DEATH(write_in_read(), "write\\(\\) inside a read or write body");
  EXPECT_DEATH(read_in_write(), "read\\(\\) inside a write body");
#endif
  EXPECT_TRUE(put_one(*store, "after", "ok").is_ok());
}

// ---- Map growth ----------------------------------------------------------------------------

constexpr std::size_t kTinyMap = std::size_t{64} << 10;

// Writes batch `batch`: `rows` rows of `size` bytes under keys batch*rows + i, ignoring
// every put's status, as a careless body would.
Status write_batch(Store& store, std::uint64_t batch, std::uint64_t rows, std::size_t size) {
  return store.write([&](WriteTxn& txn) {
    for (std::uint64_t i = 0; i < rows; ++i) {
      std::uint64_t key = batch * rows + i;
      txn.put(store.table("rows"), key_u64(key), value_for(key, size));
    }
    txn.put(store.table("other"), "batches", key_u64(batch + 1));
    return Status::ok();
  });
}

TEST(StoreTest, TheMapGrowsAndNoBatchIsLost) {
  TempDir dir;
  constexpr std::uint64_t kBatches = 8, kRows = 1000;
  constexpr std::size_t kSize = 3000;  // 3 MB per batch
  {
    auto store = open_ok(dir.path(), test_options(kTinyMap));
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->stats().map_size, kTinyMap);
    for (std::uint64_t batch = 0; batch < kBatches; ++batch) {
      Status status = write_batch(*store, batch, kRows, kSize);
      ASSERT_TRUE(status.is_ok()) << status.message();
    }
    StoreStats stats = store->stats();
    EXPECT_EQ(stats.commits, kBatches);
    EXPECT_GT(stats.map_growths, 0u);
    EXPECT_GE(stats.map_size, kBatches * kRows * kSize);
  }
  auto store = open_ok(dir.path(), test_options(kTinyMap));
  ASSERT_NE(store, nullptr);
  EXPECT_GE(store->stats().map_size, kBatches * kRows * kSize);  // the grown size is kept
  EXPECT_EQ(count(*store, "rows"), kBatches * kRows);
  Status status = store->read([&](const ReadTxn& txn) {
    std::uint64_t expected = 0;
    txn.scan(store->table("rows"), "", [&](std::string_view key, std::string_view value) {
      EXPECT_EQ(u64_of_key(key), expected);
      EXPECT_EQ(value, value_for(expected, kSize));
      ++expected;
      return true;
    });
    EXPECT_EQ(expected, kBatches * kRows);
    return Status::ok();
  });
  EXPECT_TRUE(status.is_ok()) << status.message();
}

TEST(StoreTest, AFullMapIsRetriedWhenTheBodyReturnsThePutsStatus) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options(kTinyMap));
  int runs = 0;
  Status status = store->write([&](WriteTxn& txn) {
    ++runs;
    for (std::uint64_t key = 0; key < 2000; ++key) {
      Status put = txn.put(store->table("rows"), key_u64(key), value_for(key, 1000));
      if (!put.is_ok()) return put;
    }
    return Status::ok();
  });
  ASSERT_TRUE(status.is_ok()) << status.message();
  EXPECT_GT(runs, 1);
  EXPECT_EQ(store->stats().map_growths, static_cast<std::uint64_t>(runs - 1));
  EXPECT_EQ(count(*store, "rows"), 2000u);
}

// Readers on other threads during writes that grow the map: every snapshot they see is
// whole (the batch counter matches the rows), and the growth is not starved by them.
TEST(StoreTest, ReadsRunDuringWritesThatGrowTheMap) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options(kTinyMap));
  ASSERT_NE(store, nullptr);
  constexpr std::uint64_t kBatches = 12, kRows = 500;
  constexpr std::size_t kSize = 2000;
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> reads{0}, torn{0}, errors{0};
  auto reader = [&] {
    while (!done) {
      Status status = store->read([&](const ReadTxn& txn) {
        auto batches = txn.get(store->table("other"), "batches");
        std::uint64_t n = batches ? u64_of_key(*batches) : 0;
        std::size_t rows = txn.count(store->table("rows"));
        auto last = txn.last(store->table("rows"));
        bool whole =
            rows == n * kRows && (n == 0 ? !last
                                         : last && u64_of_key(last->first) == n * kRows - 1 &&
                                               last->second == value_for(n * kRows - 1, kSize));
        if (!whole) ++torn;
        return Status::ok();
      });
      if (!status.is_ok()) ++errors;
      ++reads;
    }
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(reader);
  for (std::uint64_t batch = 0; batch < kBatches; ++batch) {
    Status status = write_batch(*store, batch, kRows, kSize);
    EXPECT_TRUE(status.is_ok()) << status.message();
  }
  done = true;
  for (std::thread& thread : readers) thread.join();
  EXPECT_GT(store->stats().map_growths, 0u);
  EXPECT_GT(reads.load(), 0u);
  EXPECT_EQ(torn.load(), 0u);
  EXPECT_EQ(errors.load(), 0u);
  EXPECT_EQ(count(*store, "rows"), kBatches * kRows);
}

// Growth waits for the reads in flight; a read nested in one of them does not wait
// behind that growth (which would deadlock).
TEST(StoreTest, GrowthWaitsForReadsAndANestedReadDoesNotWaitForIt) {
  TempDir dir;
  auto store = open_ok(dir.path(), test_options(kTinyMap));
  ASSERT_NE(store, nullptr);
  std::atomic<bool> written{false};
  std::thread writer;
  Status nested;
  Status outer = store->read([&](const ReadTxn&) {
    writer = std::thread([&] {
      EXPECT_TRUE(write_batch(*store, 0, 1000, 1000).is_ok());  // 1 MB: grows the map
      written = true;
    });
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(written);
    nested = store->read([&](const ReadTxn& txn) {
      EXPECT_EQ(txn.count(store->table("rows")), 0u);
      return Status::ok();
    });
    return Status::ok();
  });
  writer.join();
  EXPECT_TRUE(outer.is_ok()) << outer.message();
  EXPECT_TRUE(nested.is_ok()) << nested.message();
  EXPECT_TRUE(written);
  EXPECT_GT(store->stats().map_growths, 0u);
  EXPECT_EQ(count(*store, "rows"), 1000u);
}

// Another process grows the map past ours (an LMDB tool writing to the directory): this
// process adopts the new size at its next transaction (MDB_MAP_RESIZED).
TEST(StoreTest, AMapGrownByAnotherProcessIsAdopted) {
  TempDir dir;
  constexpr std::size_t kMap = std::size_t{1} << 20;
  auto store = open_ok(dir.path(), test_options(kMap));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(put_one(*store, "mine", "1").is_ok());
  std::string path = dir.path().string();
  pid_t child = fork_child([&] {
    MDB_env* env = nullptr;
    MDB_txn* txn = nullptr;
    MDB_dbi dbi;
    if (mdb_env_create(&env) || mdb_env_set_maxdbs(env, 32) ||
        mdb_env_set_mapsize(env, std::size_t{16} << 20) ||
        mdb_env_open(env, path.c_str(), 0, 0644) || mdb_txn_begin(env, nullptr, 0, &txn) ||
        mdb_dbi_open(txn, "rows", 0, &dbi)) {
      return 1;
    }
    std::string big(4 << 20, 'x');
    MDB_val k{5, const_cast<char*>("other")}, v{big.size(), big.data()};
    if (mdb_put(txn, dbi, &k, &v, 0) || mdb_txn_commit(txn)) return 2;
    mdb_env_close(env);
    return 0;
  });
  ASSERT_EQ(wait_exit(child), 0);
  EXPECT_EQ(get(*store, "rows", "other").value_or("").size(), std::size_t{4} << 20);
  EXPECT_GE(store->stats().map_size, std::size_t{16} << 20);
  EXPECT_TRUE(put_one(*store, "mine", "2").is_ok());
  EXPECT_EQ(get(*store, "rows", "mine"), "2");
}

// ---- Format ------------------------------------------------------------------------------

// The meta table as FORMAT.md describes it, read with LMDB alone.
TEST(StoreTest, TheMetaTableHoldsTheFormat) {
  TempDir dir;
  StoreOptions options = test_options();
  options.format_version = 0x01020304;
  auto before = std::chrono::system_clock::now();
  open_ok(dir.path(), options);
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  ASSERT_EQ(mdb_env_set_maxdbs(env, 4), 0);
  ASSERT_EQ(mdb_env_open(env, dir.path().c_str(), MDB_RDONLY, 0644), 0);
  MDB_txn* txn = nullptr;
  MDB_dbi dbi;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), 0);
  ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
  auto row = [&](std::string key) -> std::string {
    MDB_val k{key.size(), key.data()}, v;
    if (mdb_get(txn, dbi, &k, &v) != 0) return "<missing>";
    return std::string(static_cast<const char*>(v.mv_data), v.mv_size);
  };
  EXPECT_EQ(row("store_format"), std::string("\0\0\0\x01", 4));
  EXPECT_EQ(row("application"), "gemba-test");
  EXPECT_EQ(row("format_version"), std::string("\x01\x02\x03\x04", 4));
  std::string created = row("created_unix_ms");
  ASSERT_EQ(created.size(), 8u);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch());
  EXPECT_GE(u64_of_key(created), static_cast<std::uint64_t>(ms.count()));
  EXPECT_LE(u64_of_key(created), static_cast<std::uint64_t>(ms.count()) + 60'000);
  MDB_stat stat;
  ASSERT_EQ(mdb_stat(txn, dbi, &stat), 0);
  EXPECT_EQ(stat.ms_entries, 4u);
  mdb_txn_abort(txn);
  mdb_env_close(env);
}

TEST(StoreTest, AnotherApplicationsDirectoryIsRefused) {
  TempDir dir;
  StoreOptions runtime = test_options();
  runtime.application = "gemba-runtime";
  open_ok(dir.path(), runtime);
  StoreOptions center = test_options();
  center.application = "gemba-center";
  center.format_version = 3;
  Status status = open_error(dir.path(), center);
  EXPECT_EQ(status.code(), Code::kCorruption);
  EXPECT_EQ(status.message(), "data directory " + dir.path().string() +
                                  " holds data of application 'gemba-runtime' (format 1); this "
                                  "build is 'gemba-center' and reads format 3: point it at its "
                                  "own data directory, or move this one away");
  // The failed open left the directory as it was, and unlocked.
  EXPECT_NE(open_ok(dir.path(), runtime), nullptr);
}

TEST(StoreTest, AnotherFormatVersionIsRefused) {
  TempDir dir;
  open_ok(dir.path(), test_options());
  StoreOptions newer = test_options();
  newer.format_version = 2;
  Status status = open_error(dir.path(), newer);
  EXPECT_EQ(status.code(), Code::kCorruption);
  EXPECT_EQ(status.message(), "data directory " + dir.path().string() +
                                  " holds 'gemba-test' data in format 1; this build reads format "
                                  "2: run a build that reads format 1, or move the directory "
                                  "away to start empty");
}

TEST(StoreTest, AnLmdbEnvironmentThatIsNotAStoreIsRefused) {
  TempDir dir;
  {
    MDB_env* env = nullptr;
    MDB_txn* txn = nullptr;
    MDB_dbi dbi;
    ASSERT_EQ(mdb_env_create(&env), 0);
    ASSERT_EQ(mdb_env_set_maxdbs(env, 4), 0);
    ASSERT_EQ(mdb_env_open(env, dir.path().c_str(), 0, 0644), 0);
    ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "foreign", MDB_CREATE, &dbi), 0);
    ASSERT_EQ(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
  }
  Status status = open_error(dir.path(), test_options());
  EXPECT_EQ(status.code(), Code::kCorruption);
  EXPECT_NE(status.message().find("not a Gemba store"), std::string::npos) << status.message();
}

TEST(StoreTest, AFileThatIsNotLmdbIsCorruption) {
  TempDir dir;
  dir.write("data.mdb", std::string(64 << 10, 'x'));
  Status status = open_error(dir.path(), test_options());
  EXPECT_EQ(status.code(), Code::kCorruption) << status.message();
  EXPECT_NE(status.message().find(dir.path().string()), std::string::npos) << status.message();
}

TEST(StoreTest, ADirectoryThatCannotBeCreatedIsAnIoError) {
  TempDir dir;
  std::filesystem::path file = dir.write("file", "not a directory");
  Status status = open_error(file / "data", test_options());
  EXPECT_EQ(status.code(), Code::kIOError) << status.message();
  EXPECT_NE(status.message().find("cannot create data directory " + (file / "data").string()),
            std::string::npos)
      << status.message();
}

// ---- Owning process --------------------------------------------------------------------------

TEST(StoreTest, ASecondOpenInTheSameProcessIsBusy) {
  TempDir dir;
  auto first = open_ok(dir.path(), test_options());
  ASSERT_NE(first, nullptr);
  Status status = open_error(dir.path(), test_options());
  EXPECT_EQ(status.code(), Code::kBusy);
  EXPECT_EQ(status.message(), "data directory " + dir.path().string() + " is in use by process " +
                                  std::to_string(getpid()));
  EXPECT_TRUE(put_one(*first, "still", "mine").is_ok());
  first.reset();
  EXPECT_NE(open_ok(dir.path(), test_options()), nullptr);
}

TEST(StoreTest, AnotherProcessIsBusyWhileTheOwnerLives) {
  TempDir dir;
  auto owner = open_ok(dir.path(), test_options());
  ASSERT_NE(owner, nullptr);
  std::string expected =
      "data directory " + dir.path().string() + " is in use by process " + std::to_string(getpid());
  pid_t child = fork_child([&] {
    Status status;
    auto store = Store::open(dir.path(), test_options(), &status);
    return store == nullptr && status.code() == Code::kBusy && status.message() == expected ? 0 : 1;
  });
  EXPECT_EQ(wait_exit(child), 0);
}

TEST(StoreTest, AKilledOwnerDoesNotBlockARestart) {
  TempDir dir;
  Signal ready;
  pid_t child = fork_child([&] {
    Status status;
    auto store = Store::open(dir.path(), test_options(), &status);
    if (store == nullptr || !put_one(*store, "k", "from the child").is_ok()) return 1;
    ready.send();
    pause();
    return 2;
  });
  ASSERT_TRUE(ready.wait(20s));
  Status busy = open_error(dir.path(), test_options());
  EXPECT_EQ(busy.code(), Code::kBusy);
  EXPECT_NE(busy.message().find("process " + std::to_string(child)), std::string::npos)
      << busy.message();
  kill_and_reap(child);
  auto store = open_ok(dir.path(), test_options());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(get(*store, "rows", "k"), "from the child");
}

// The owner dies in the middle of a read. LMDB resets the reader table when no process
// has the environment open; here a second process (as mdb_stat or a backup would) keeps
// it open, so the dead reader's slot survives until the next owner's mdb_reader_check.
TEST(StoreTest, AReaderLeftByAKilledOwnerIsCleared) {
  TempDir dir;
  std::string path = dir.path().string();
  Signal reading, watching;
  pid_t owner = fork_child([&] {
    Status status;
    auto store = Store::open(dir.path(), test_options(), &status);
    if (store == nullptr || !put_one(*store, "k", "v").is_ok()) return 1;
    store->read([&](const ReadTxn&) {
      reading.send();
      pause();
      return Status::ok();
    });
    return 2;
  });
  ASSERT_TRUE(reading.wait(20s));
  pid_t watcher = fork_child([&] {
    MDB_env* env = nullptr;
    if (mdb_env_create(&env) || mdb_env_set_maxdbs(env, 32) ||
        mdb_env_open(env, path.c_str(), MDB_RDONLY, 0644)) {
      return 1;
    }
    watching.send();
    pause();
    return 2;
  });
  ASSERT_TRUE(watching.wait(20s));
  kill_and_reap(owner);
  auto store = open_ok(dir.path(), test_options());
  kill_and_reap(watcher);
  ASSERT_NE(store, nullptr);
  EXPECT_GE(store->stats().stale_readers_cleared, 1u);
  EXPECT_EQ(get(*store, "rows", "k"), "v");
  EXPECT_TRUE(put_one(*store, "k", "w").is_ok());
}

TEST(StoreTest, AReaderKilledAloneLeavesNothingBehind) {
  TempDir dir;
  Signal reading;
  pid_t owner = fork_child([&] {
    Status status;
    auto store = Store::open(dir.path(), test_options(), &status);
    if (store == nullptr) return 1;
    store->read([&](const ReadTxn&) {
      reading.send();
      pause();
      return Status::ok();
    });
    return 2;
  });
  ASSERT_TRUE(reading.wait(20s));
  kill_and_reap(owner);
  auto store = open_ok(dir.path(), test_options());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->stats().stale_readers_cleared, 0u);  // LMDB reset the reader table
  EXPECT_TRUE(put_one(*store, "k", "v").is_ok());
}

// ---- Durability and failures -------------------------------------------------------------------

TEST(StoreTest, ACommittedWriteSurvivesSigkill) {
  TempDir dir;
  Signal committed;
  pid_t child = fork_child([&] {
    Status status;
    auto store = Store::open(dir.path(), test_options(), &status);
    if (store == nullptr) return 1;
    for (std::uint64_t i = 0;; ++i) {
      if (!put_one(*store, key_u64(i), value_for(i, 100)).is_ok()) return 2;
      if (i == 50) committed.send();
    }
  });
  ASSERT_TRUE(committed.wait(20s));
  kill_and_reap(child);
  auto store = open_ok(dir.path(), test_options());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(get(*store, "rows", key_u64(50)), value_for(50, 100));
  EXPECT_GE(count(*store, "rows"), 51u);
}

// The disk refuses a write (here RLIMIT_FSIZE: EFBIG, as ENOSPC would): write() returns
// kIOError, the process lives on, nothing of the batch is kept, and the store works once
// the disk takes writes again.
TEST(StoreTest, ADiskErrorIsAStatus) {
  TempDir dir;
  pid_t child = fork_child([&] {
    signal(SIGXFSZ, SIG_IGN);
    Status status;
    auto store = Store::open(dir.path(), test_options(), &status);
    if (store == nullptr || !put_one(*store, "before", "1").is_ok()) return 1;
    rlimit limit;
    getrlimit(RLIMIT_FSIZE, &limit);
    rlimit tight = limit;
    tight.rlim_cur = std::filesystem::file_size(dir.path() / "data.mdb") + (64 << 10);
    if (setrlimit(RLIMIT_FSIZE, &tight) != 0) return 2;
    status = write_batch(*store, 0, 1000, 4000);
    if (status.code() != Code::kIOError) return 3;
    std::fprintf(stderr, "the refused write: %s\n", status.message().c_str());
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return 4;
    if (count(*store, "rows") != 1) return 5;
    if (!write_batch(*store, 0, 1000, 4000).is_ok()) return 6;
    if (count(*store, "rows") != 1001 || get(*store, "rows", "before") != "1") return 7;
    return 0;
  });
  EXPECT_EQ(wait_exit(child), 0);
}

}  // namespace
}  // namespace gemba::store
