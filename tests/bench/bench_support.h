// What the durable benchmarks share: process counters (bytes written, CPU time), the size
// of a store on disk, and the raw LMDB calls of their ceiling variants (`lmdb_raw`),
// each failure reported as text.
#pragma once

#include <lmdb.h>
#include <time.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

namespace gemba::bench {

// A field of /proc/self/io ("wchar:", "write_bytes:"), or 0 when it is not readable.
inline std::uint64_t io_counter(const std::string& field) {
  std::ifstream io("/proc/self/io");
  std::string name;
  std::uint64_t value = 0;
  while (io >> name >> value) {
    if (name == field) return value;
  }
  return 0;
}

// CPU time of the whole process (every thread), in seconds.
inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The size of the files under `dir`, in MiB.
inline double store_mib(const std::filesystem::path& dir) {
  std::error_code ec;
  std::uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
  }
  return static_cast<double>(bytes) / (1 << 20);
}

inline bool lmdb_ok(int rc, const char* what, std::string* error) {
  if (rc == MDB_SUCCESS) return true;
  *error = std::string("lmdb ") + what + ": " + mdb_strerror(rc);
  return false;
}

// A transaction, aborted at the end of its scope unless it was committed.
class LmdbTxn {
 public:
  LmdbTxn(MDB_env* env, unsigned flags, std::string* error) {
    lmdb_ok(mdb_txn_begin(env, nullptr, flags, &txn_), "txn_begin", error);
  }
  ~LmdbTxn() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }
  LmdbTxn(const LmdbTxn&) = delete;
  LmdbTxn& operator=(const LmdbTxn&) = delete;
  MDB_txn* get() const { return txn_; }
  bool commit(std::string* error) {
    return lmdb_ok(mdb_txn_commit(std::exchange(txn_, nullptr)), "commit", error);
  }

 private:
  MDB_txn* txn_ = nullptr;
};

}  // namespace gemba::bench
