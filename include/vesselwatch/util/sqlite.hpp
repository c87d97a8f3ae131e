// A thin RAII layer over SQLite, the container of the project database (one file per project,
// e.g. "case.vw"). Every module that stores something (track store, sanctions lists, matches) goes
// through this; errors throw vw::IoError naming the database file and SQLite's message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vw::db {

enum class OpenMode : std::uint8_t {
    read_write_create,  ///< create the file when missing (ingest, import)
    read_write,         ///< must exist
    read_only,          ///< queries
};

class Statement;

/// One open database connection. WAL journal, foreign keys on, busy timeout set.
class Database {
public:
    Database(const std::string& path, OpenMode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&& o) noexcept : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)) {}

    /// Runs one or more statements without results.
    void exec(std::string_view sql);
    [[nodiscard]] Statement prepare(std::string_view sql);
    [[nodiscard]] std::int64_t last_insert_rowid() const noexcept;
    [[nodiscard]] int changes() const noexcept;
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

    /// Schema version per module, in table `vw_schema(module, version)`, so that modules (track store,
    /// sanctions lists, ...) create and migrate their own tables independently. 0 = not created yet.
    [[nodiscard]] int module_version(std::string_view module);
    void set_module_version(std::string_view module, int version);

    /// Throws for the last failed call: vw::OutputError when the database file cannot be written (disk
    /// full, I/O error, read-only file or directory: the exit code of "output failed", and callers that
    /// read inputs must not mistake it for a bad input), vw::IoError otherwise.
    [[noreturn]] void fail(std::string_view what) const;
    /// The same, with an error code and message captured before they were reset.
    [[noreturn]] void fail(std::string_view what, int code, std::string_view message) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

/// A prepared statement. Bind indexes are 1-based; column indexes 0-based (as SQLite).
class Statement {
public:
    Statement(Database& db, sqlite3_stmt* stmt) noexcept : db_(&db), stmt_(stmt) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& o) noexcept : db_(o.db_), stmt_(std::exchange(o.stmt_, nullptr)) {}

    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, double v);
    Statement& bind(int i, std::string_view v);  ///< text, copied by SQLite
    Statement& bind_blob(int i, const void* data, std::size_t n);
    Statement& bind_null(int i);
    template <class T>
    Statement& bind(int i, const std::optional<T>& v) {
        return v ? bind(i, *v) : bind_null(i);
    }

    /// Steps once: true when a row is available, false when done.
    [[nodiscard]] bool step();
    /// Runs to completion, ignoring rows.
    void run();
    /// Resets for re-use with new bindings (bindings are cleared).
    void reset();

    [[nodiscard]] std::int64_t int64(int col) const noexcept { return sqlite3_column_int64(stmt_, col); }
    [[nodiscard]] double real(int col) const noexcept { return sqlite3_column_double(stmt_, col); }
    [[nodiscard]] std::string_view text(int col) const noexcept;
    [[nodiscard]] std::string_view blob(int col) const noexcept;
    [[nodiscard]] bool is_null(int col) const noexcept { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

private:
    Database* db_;
    sqlite3_stmt* stmt_;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed (exception safety: a failing run leaves
/// the database as it was).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace vw::db
