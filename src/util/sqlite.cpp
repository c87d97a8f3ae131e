#include "vesselwatch/util/sqlite.hpp"

#include "vesselwatch/util/error.hpp"

namespace vw::db {

namespace {
constexpr int kBusyTimeoutMs = 10000;
}

Database::Database(const std::string& path, OpenMode mode) : path_(path) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
        case OpenMode::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
        case OpenMode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
        case OpenMode::read_only: flags |= SQLITE_OPEN_READONLY; break;
    }
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw IoError(SourceLocation{path}, "cannot open database: " + msg);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    sqlite3_extended_result_codes(db_, 1);
    if (mode != OpenMode::read_only) {
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    }
    exec("PRAGMA foreign_keys=ON;");
    // Refuse a file that is not a database (SQLite opens lazily; touch the schema now).
    exec("SELECT count(*) FROM sqlite_master;");
    if (mode != OpenMode::read_only)
        exec("CREATE TABLE IF NOT EXISTS vw_schema(module TEXT PRIMARY KEY, version INTEGER NOT NULL);");
}

Database::~Database() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

void Database::fail(std::string_view what) const {
    fail(what, sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
}

void Database::fail(std::string_view what, int code, std::string_view message) const {
    std::string text = std::string(what) + ": " + std::string(message);
    switch (code & 0xff) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_PERM:
            throw OutputError(SourceLocation{path_}, std::move(text));
        default:
            throw IoError(SourceLocation{path_}, std::move(text));
    }
}

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    const std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        fail("SQL failed", sqlite3_extended_errcode(db_), msg);
    }
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK)
        fail("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
    return Statement(*this, st);
}

std::int64_t Database::last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const noexcept { return sqlite3_changes(db_); }

int Database::module_version(std::string_view module) {
    auto st = prepare("SELECT version FROM vw_schema WHERE module = ?1");
    st.bind(1, module);
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

void Database::set_module_version(std::string_view module, int version) {
    auto st = prepare("INSERT INTO vw_schema(module, version) VALUES(?1, ?2) "
                      "ON CONFLICT(module) DO UPDATE SET version = excluded.version");
    st.bind(1, module).bind(2, version).run();
}

Statement::~Statement() {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) db_->fail("bind");
    return *this;
}
Statement& Statement::bind(int i, double v) {
    if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) db_->fail("bind");
    return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
    if (sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
        db_->fail("bind");
    return *this;
}
Statement& Statement::bind_blob(int i, const void* data, std::size_t n) {
    if (sqlite3_bind_blob64(stmt_, i, data, n, SQLITE_TRANSIENT) != SQLITE_OK) db_->fail("bind");
    return *this;
}
Statement& Statement::bind_null(int i) {
    if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) db_->fail("bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // Reset before throwing so that the statement (often a cached insert) works again once the cause
    // is gone, e.g. after a full disk; the message is taken first because the reset may change it.
    const int code = sqlite3_extended_errcode(db_->handle());
    const std::string message = sqlite3_errmsg(db_->handle());
    sqlite3_reset(stmt_);
    db_->fail("SQL step failed", code, message);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::text(int col) const noexcept {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p == nullptr ? std::string_view{} : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string_view Statement::blob(int col) const noexcept {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p == nullptr ? std::string_view{} : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): nothing more to do in a destructor
        }
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace vw::db
