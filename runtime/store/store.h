// Gemba's embedded store: one LMDB environment in a data directory, with named tables,
// a format version kept in the data itself, a map that grows when it fills, and one
// owning process at a time. Shared by the workflow runtime, the edge and the center.
//
// Durability: every write() commits with a full fsync (LMDB without MDB_NOSYNC); when
// write() returns kOk, what the body wrote survives a crash or a power cut.
// Failures are Status values, never exceptions; misuse (an unknown table) is an
// assertion.
//
// Threads: write() calls are serialized (one writer); read() may run on any thread, at
// the same time as a write. Growing the map waits until no read is running, so:
// - read() must not be called from inside a write body (it would not see the body's
//   writes), and write() must not be called from inside a read body or another write
//   body: growing the map would wait for that read forever. Both are refused (kAborted,
//   and an assertion in debug builds).
// - A read body must not wait for a write() running on another thread, for the same
//   reason. Keep read bodies short: copy what you need and return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gemba::store {

class Status {
 public:
  enum class Code {
    kOk,
    kNotFound,    // a key or a directory that is not there
    kCorruption,  // a row or a file that does not decode, or a format we do not read
    kIOError,     // the disk or the OS refused (ENOSPC, EACCES, ...)
    kBusy,        // another process owns the data directory
    kAborted,     // the body of a write asked to abort (its own status is the message)
  };
  Status() = default;
  static Status ok() { return {}; }
  static Status error(Code code, std::string message) { return Status(code, std::move(message)); }
  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A named table (an LMDB named database), valid for the Store's lifetime.
struct Table {
  unsigned int dbi = 0;
  const char* name = "";
};

struct StoreOptions {
  // What the directory holds and in which format, checked at every open (meta table,
  // FORMAT.md): opening a directory written by another application, or by a format
  // version this build does not read, fails with kCorruption and a message naming both.
  std::string application;  // e.g. "gemba-runtime"
  std::uint32_t format_version = 1;
  std::vector<std::string> tables;  // created at first open; at most 30
  std::size_t initial_map_size = std::size_t{64} << 20;
};

// What the store did since it was opened, for status pages and tests.
struct StoreStats {
  std::uint64_t commits = 0;
  std::uint64_t map_growths = 0;            // MDB_MAP_FULL answered by a bigger map
  std::uint64_t stale_readers_cleared = 0;  // at open: readers left by dead processes
  std::size_t map_size = 0;
};

class ReadTxn {
 public:
  // The value stored under `key`; nullopt when absent. The view is valid until the
  // transaction ends.
  std::optional<std::string_view> get(Table table, std::string_view key) const;
  // Rows with key >= `from`, in key order, until `visit` returns false.
  void scan(Table table, std::string_view from,
            const std::function<bool(std::string_view key, std::string_view value)>& visit) const;
  // The row with the greatest key, or nullopt when the table is empty.
  std::optional<std::pair<std::string_view, std::string_view>> last(Table table) const;
  std::size_t count(Table table) const;

 protected:
  friend class Store;
  explicit ReadTxn(void* txn, int* failure) : txn_(txn), failure_(failure) {}
  // Keeps the first LMDB error of the transaction: write() tells a full map (grow and
  // run the body again) from a failed disk even when the body ignores a put's status.
  void record_failure(int lmdb_error) const;
  void* txn_;     // MDB_txn*
  int* failure_;  // the transaction's first LMDB error; 0 while there is none
};

class WriteTxn : public ReadTxn {
 public:
  // Puts a row, replacing any row of the same key.
  Status put(Table table, std::string_view key, std::string_view value);
  // Puts a row whose key is greater than every key of the table (LMDB's MDB_APPEND:
  // faster); a smaller key fails with kCorruption.
  Status append(Table table, std::string_view key, std::string_view value);
  // Deletes the row; true if there was one.
  bool erase(Table table, std::string_view key);

 private:
  friend class Store;
  explicit WriteTxn(void* txn, int* failure) : ReadTxn(txn, failure) {}
};

class Store {
 public:
  // Opens (creating it if needed) the store in directory `dir`; null and `*status` on
  // failure. Takes an exclusive lock on the directory (kBusy with the owner's pid when
  // another process holds it), clears readers left by crashed processes, checks or
  // writes the format, and opens every table in `options.tables`.
  static std::unique_ptr<Store> open(const std::filesystem::path& dir, const StoreOptions& options,
                                     Status* status);
  ~Store();  // no read() or write() may be running
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Table table(std::string_view name) const;  // asserts it was in options.tables

  // Runs `body` in one write transaction and commits it, durably. When the map fills
  // (MDB_MAP_FULL at a put or at the commit), the transaction is aborted, the map is
  // doubled and `body` runs again from the start: it must derive everything it writes
  // from what it reads in the transaction (or be otherwise safe to repeat). A body that
  // returns an error aborts the transaction; write() returns that error. An LMDB failure
  // under the body (a full disk, a broken file) aborts it too, even when the body
  // returned ok: kIOError (or kCorruption) naming it. Nothing is lost: a batch is either
  // committed whole or not at all.
  Status write(const std::function<Status(WriteTxn&)>& body);

  // Runs `body` in a read transaction: a consistent snapshot. Returns the body's status,
  // or kIOError when LMDB failed under it. Views into the snapshot die with the body.
  // A read body may call read() again (another snapshot), never write().
  Status read(const std::function<Status(const ReadTxn&)>& body) const;

  StoreStats stats() const;
  const std::filesystem::path& dir() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Keys that sort as numbers do: big-endian. `key_u64(a) + key_u64(b)` is a composite key.
std::string key_u64(std::uint64_t value);
std::uint64_t u64_of_key(std::string_view key, std::size_t offset = 0);  // asserts the size

}  // namespace gemba::store
