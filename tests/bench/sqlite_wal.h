// The SQLite baseline of the durable benchmarks: a database in WAL mode with
// synchronous=FULL (every commit durable), checked after opening, and the few calls the
// baselines make, each reporting failures as text. Benchmarks derive from it.
#pragma once

#include <sqlite3.h>

#include <string>

namespace gemba::bench {

class SqliteWal {
 public:
  SqliteWal() = default;
  SqliteWal(const SqliteWal&) = delete;
  SqliteWal& operator=(const SqliteWal&) = delete;
  ~SqliteWal() { sqlite3_close(db_); }  // statements are finalized by the derived class

 protected:
  // Opens (creating) `file`, then sets and checks WAL and synchronous=FULL.
  bool open_wal(const std::string& file, std::string* error) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      return fail("open", error);
    }
    std::string mode, sync;
    if (!query_text("PRAGMA journal_mode=WAL", &mode, error)) return false;
    if (mode != "wal") {
      *error = "sqlite: journal_mode is " + mode + ", not wal";
      return false;
    }
    if (!exec("PRAGMA synchronous=FULL", error) || !query_text("PRAGMA synchronous", &sync, error)) {
      return false;
    }
    if (sync != "2") {
      *error = "sqlite: synchronous is " + sync + ", not 2 (FULL)";
      return false;
    }
    return true;
  }

  // Steps a prepared statement to its end and resets it.
  bool run(sqlite3_stmt* statement, const char* what, std::string* error) {
    const bool done = sqlite3_step(statement) == SQLITE_DONE || fail(what, error);
    sqlite3_reset(statement);
    return done;
  }

  // Ends a failed transaction; returns false (the failure is already in `error`).
  bool rollback() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }

  bool exec(const char* sql, std::string* error) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK || fail(sql, error);
  }

  bool prepare(const char* sql, sqlite3_stmt** statement, std::string* error) {
    return sqlite3_prepare_v2(db_, sql, -1, statement, nullptr) == SQLITE_OK || fail(sql, error);
  }

  // The first column of the first row of `sql`, as text.
  bool query_text(const char* sql, std::string* out, std::string* error) {
    sqlite3_stmt* statement = nullptr;
    if (!prepare(sql, &statement, error)) return false;
    const bool row = sqlite3_step(statement) == SQLITE_ROW;
    if (row) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      *out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(statement);
    return row || fail(sql, error);
  }

  // The first column of the first row of `sql`, as bytes.
  bool query_blob(const char* sql, std::string* out, std::string* error) {
    sqlite3_stmt* statement = nullptr;
    if (!prepare(sql, &statement, error)) return false;
    const bool row = sqlite3_step(statement) == SQLITE_ROW;
    if (row) {
      out->assign(static_cast<const char*>(sqlite3_column_blob(statement, 0)),
                  static_cast<std::size_t>(sqlite3_column_bytes(statement, 0)));
    }
    sqlite3_finalize(statement);
    return row || fail(sql, error);
  }

  bool fail(const char* what, std::string* error) {
    *error = std::string("sqlite ") + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    return false;
  }

  sqlite3* db_ = nullptr;
};

}  // namespace gemba::bench
