#include "vesselwatch/track/store.hpp"

#include <algorithm>

#include "vesselwatch/util/error.hpp"

namespace vw::track {

namespace {

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS track_files(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  abs_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  ingested_at_ms INTEGER NOT NULL,
  complete INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS track_files_sha256 ON track_files(sha256);
CREATE TABLE IF NOT EXISTS track_sources(
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES track_files(id) ON DELETE CASCADE,
  entry TEXT NOT NULL,
  name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS track_sources_file ON track_sources(file_id);
CREATE TABLE IF NOT EXISTS track_chunks(
  id INTEGER PRIMARY KEY,
  mmsi INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES track_sources(id) ON DELETE CASCADE,
  n INTEGER NOT NULL,
  t_min INTEGER NOT NULL,
  t_max INTEGER NOT NULL,
  lat_min INTEGER NOT NULL, lat_max INTEGER NOT NULL,
  lon_min INTEGER NOT NULL, lon_max INTEGER NOT NULL,
  line_min INTEGER NOT NULL, line_max INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS track_chunks_mmsi_time ON track_chunks(mmsi, t_min);
CREATE INDEX IF NOT EXISTS track_chunks_source ON track_chunks(source_id);
CREATE TABLE IF NOT EXISTS track_identities(
  id INTEGER PRIMARY KEY,
  mmsi INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES track_sources(id) ON DELETE CASCADE,
  first_ms INTEGER NOT NULL,
  last_ms INTEGER NOT NULL,
  reports INTEGER NOT NULL,
  class TEXT NOT NULL,
  name TEXT NOT NULL, callsign TEXT NOT NULL,
  imo INTEGER NOT NULL, imo_valid INTEGER NOT NULL,
  ship_type INTEGER NOT NULL,
  to_bow INTEGER NOT NULL, to_stern INTEGER NOT NULL, to_port INTEGER NOT NULL, to_starboard INTEGER NOT NULL,
  draught_dm INTEGER NOT NULL,
  destination TEXT NOT NULL, eta TEXT NOT NULL,
  flag TEXT NOT NULL,
  line INTEGER NOT NULL,
  fragment_lines TEXT NOT NULL,
  last_line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS track_identities_mmsi ON track_identities(mmsi, first_ms);
CREATE INDEX IF NOT EXISTS track_identities_source ON track_identities(source_id);
CREATE TABLE IF NOT EXISTS track_file_counts(
  file_id INTEGER NOT NULL REFERENCES track_files(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(file_id, kind)
) WITHOUT ROWID;
)sql";

db::OpenMode open_mode(Access a) {
    return a == Access::read_only ? db::OpenMode::read_only : db::OpenMode::read_write_create;
}

/// "12,13" -> offsets of the later fragments (stored for identities as text: they are few).
std::string fragment_lines_text(const SourceRef& r) {
    std::string s = std::to_string(r.line);
    for (std::size_t k = 0; k + 1 < r.fragments && k < kMaxExtraLines; ++k) {
        s += ',';
        s += std::to_string(r.line + r.extra_line_offsets[k]);
    }
    return s;
}

void parse_fragment_lines(std::string_view text, SourceRef& r) {
    r.fragments = 0;
    std::size_t start = 0;
    while (start < text.size() && r.fragments <= kMaxExtraLines) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        std::uint64_t v = 0;
        for (std::size_t k = start; k < comma; ++k) v = v * 10 + static_cast<std::uint64_t>(text[k] - '0');
        if (r.fragments == 0)
            r.line = v;
        else
            r.extra_line_offsets[r.fragments - 1u] = static_cast<std::uint32_t>(v - r.line);
        ++r.fragments;
        start = comma + 1;
    }
    if (r.fragments == 0) r.fragments = 1;
}

FileRecord read_file_row(db::Statement& st) {
    FileRecord f;
    f.id = st.int64(0);
    f.path = std::string(st.text(1));
    f.abs_path = std::string(st.text(2));
    f.size = static_cast<std::uint64_t>(st.int64(3));
    f.sha256 = std::string(st.text(4));
    f.format = std::string(st.text(5));
    f.ingested_at_ms = st.int64(6);
    f.complete = st.int64(7) != 0;
    return f;
}

constexpr std::string_view kFileColumns = "id, path, abs_path, size, sha256, format, ingested_at_ms, complete";

}  // namespace

Store::Store(const std::string& path, Access access) : db_(path, open_mode(access)) {
    if (access == Access::read_only) {
        auto st = db_.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'track_chunks'");
        if (!st.step() || st.int64(0) == 0)
            throw IoError(SourceLocation{path}, "not a vesselwatch store with tracks (run 'vesselwatch ingest' first)");
        return;
    }
    create_schema();
}

void Store::create_schema() {
    const int v = db_.module_version(kTrackModule);
    if (v > kTrackSchemaVersion)
        throw IoError(SourceLocation{db_.path()}, "track tables have schema version " + std::to_string(v) +
                                                      ", newer than this program (" +
                                                      std::to_string(kTrackSchemaVersion) + "): upgrade vesselwatch");
    if (v == kTrackSchemaVersion) return;
    db::Transaction tx(db_);
    db_.exec(kSchemaV1);
    db_.set_module_version(kTrackModule, kTrackSchemaVersion);
    tx.commit();
}

std::optional<FileRecord> Store::find_file(const std::string& sha256_hex) {
    auto st = db_.prepare("SELECT " + std::string(kFileColumns) +
                          " FROM track_files WHERE sha256 = ?1 ORDER BY complete DESC, id LIMIT 1");
    st.bind(1, sha256_hex);
    if (!st.step()) return std::nullopt;
    return read_file_row(st);
}

void Store::delete_file(std::int64_t file_id) {
    // Children first, explicitly (cheaper than cascades row by row, same result).
    auto run = [&](std::string_view sql) {
        auto st = db_.prepare(sql);
        st.bind(1, file_id).run();
    };
    run("DELETE FROM track_chunks WHERE source_id IN (SELECT id FROM track_sources WHERE file_id = ?1)");
    run("DELETE FROM track_identities WHERE source_id IN (SELECT id FROM track_sources WHERE file_id = ?1)");
    run("DELETE FROM track_sources WHERE file_id = ?1");
    run("DELETE FROM track_file_counts WHERE file_id = ?1");
    run("DELETE FROM track_files WHERE id = ?1");
}

std::int64_t Store::insert_file(const FileRecord& f) {
    auto st = db_.prepare(
        "INSERT INTO track_files(path, abs_path, size, sha256, format, ingested_at_ms, complete) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0)");
    st.bind(1, f.path).bind(2, f.abs_path).bind(3, static_cast<std::int64_t>(f.size)).bind(4, f.sha256);
    st.bind(5, f.format).bind(6, f.ingested_at_ms).run();
    return db_.last_insert_rowid();
}

std::uint32_t Store::insert_source(std::int64_t file_id, const std::string& entry, const std::string& name) {
    auto st = db_.prepare("INSERT INTO track_sources(file_id, entry, name) VALUES(?1, ?2, ?3)");
    st.bind(1, file_id).bind(2, entry).bind(3, name).run();
    return static_cast<std::uint32_t>(db_.last_insert_rowid());
}

void Store::insert_chunk(std::span<const Position> ps, int zstd_level) {
    if (ps.empty()) return;
    ChunkSummary s;
    const std::string blob = encode_chunk(ps, zstd_level, s);
    if (!insert_chunk_)
        insert_chunk_.emplace(db_.prepare(
            "INSERT INTO track_chunks(mmsi, source_id, n, t_min, t_max, lat_min, lat_max, lon_min, lon_max, "
            "line_min, line_max, data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    auto& st = *insert_chunk_;
    st.bind(1, static_cast<std::int64_t>(ps.front().mmsi)).bind(2, static_cast<std::int64_t>(ps.front().ref.source_id));
    st.bind(3, static_cast<std::int64_t>(s.count)).bind(4, s.t_min_ms).bind(5, s.t_max_ms);
    st.bind(6, s.lat_min).bind(7, s.lat_max).bind(8, s.lon_min).bind(9, s.lon_max);
    st.bind(10, static_cast<std::int64_t>(s.line_min)).bind(11, static_cast<std::int64_t>(s.line_max));
    st.bind_blob(12, blob.data(), blob.size());
    st.run();
}

void Store::insert_identity(const IdentityRecord& r) {
    if (!insert_identity_)
        insert_identity_.emplace(db_.prepare(
            "INSERT INTO track_identities(mmsi, source_id, first_ms, last_ms, reports, class, name, callsign, imo, "
            "imo_valid, ship_type, to_bow, to_stern, to_port, to_starboard, draught_dm, destination, eta, flag, "
            "line, fragment_lines, last_line) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
            "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"));
    auto& st = *insert_identity_;
    const StaticData& d = r.data;
    const auto flag = flag_of_mmsi(r.mmsi);
    st.bind(1, static_cast<std::int64_t>(r.mmsi)).bind(2, static_cast<std::int64_t>(r.first_ref.source_id));
    st.bind(3, r.first_ms).bind(4, r.last_ms).bind(5, static_cast<std::int64_t>(r.reports));
    st.bind(6, station_class_name(d.station_class)).bind(7, d.name).bind(8, d.callsign);
    st.bind(9, static_cast<std::int64_t>(d.imo)).bind(10, imo_is_valid(d.imo) ? 1 : 0);
    st.bind(11, static_cast<int>(d.ship_type)).bind(12, static_cast<int>(d.to_bow)).bind(13, static_cast<int>(d.to_stern));
    st.bind(14, static_cast<int>(d.to_port)).bind(15, static_cast<int>(d.to_starboard));
    st.bind(16, static_cast<int>(d.draught_dm)).bind(17, d.destination).bind(18, d.eta);
    st.bind(19, flag ? flag->iso2 : std::string_view(""));
    st.bind(20, static_cast<std::int64_t>(r.first_ref.line)).bind(21, fragment_lines_text(r.first_ref));
    st.bind(22, static_cast<std::int64_t>(r.last_line));
    st.run();
}

void Store::set_file_counts(std::int64_t file_id, const std::vector<std::pair<std::string, std::uint64_t>>& counts) {
    auto st = db_.prepare(
        "INSERT INTO track_file_counts(file_id, kind, n) VALUES(?1, ?2, ?3) "
        "ON CONFLICT(file_id, kind) DO UPDATE SET n = excluded.n");
    for (const auto& [kind, n] : counts) {
        if (n == 0) continue;
        st.bind(1, file_id).bind(2, kind).bind(3, static_cast<std::int64_t>(n));
        st.run();
    }
}

void Store::mark_complete(std::int64_t file_id) {
    auto st = db_.prepare("UPDATE track_files SET complete = 1 WHERE id = ?1");
    st.bind(1, file_id).run();
}

std::vector<FileRecord> Store::files() {
    std::vector<FileRecord> out;
    auto st = db_.prepare("SELECT " + std::string(kFileColumns) + " FROM track_files ORDER BY id");
    while (st.step()) out.push_back(read_file_row(st));
    return out;
}

std::vector<SourceRecord> Store::sources() {
    std::vector<SourceRecord> out;
    auto st = db_.prepare("SELECT id, file_id, entry, name FROM track_sources ORDER BY id");
    while (st.step())
        out.push_back({static_cast<std::uint32_t>(st.int64(0)), st.int64(1), std::string(st.text(2)), std::string(st.text(3))});
    return out;
}

std::optional<SourceRecord> Store::source(std::uint32_t id) {
    auto st = db_.prepare("SELECT id, file_id, entry, name FROM track_sources WHERE id = ?1");
    st.bind(1, static_cast<std::int64_t>(id));
    if (!st.step()) return std::nullopt;
    return SourceRecord{static_cast<std::uint32_t>(st.int64(0)), st.int64(1), std::string(st.text(2)), std::string(st.text(3))};
}

std::optional<FileRecord> Store::file(std::int64_t id) {
    auto st = db_.prepare("SELECT " + std::string(kFileColumns) + " FROM track_files WHERE id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_file_row(st);
}

std::unordered_set<std::uint32_t> Store::complete_sources() {
    std::unordered_set<std::uint32_t> ids;
    auto st = db_.prepare(
        "SELECT s.id FROM track_sources s JOIN track_files f ON f.id = s.file_id WHERE f.complete = 1");
    while (st.step()) ids.insert(static_cast<std::uint32_t>(st.int64(0)));
    return ids;
}

std::vector<Position> Store::track(std::uint32_t mmsi, const TrackFilter& flt) {
    const auto complete = complete_sources();
    auto st = db_.prepare(
        "SELECT source_id, data, id FROM track_chunks WHERE mmsi = ?1 AND t_min <= ?3 AND t_max >= ?2 "
        "AND lat_max >= ?4 AND lat_min <= ?5 AND lon_max >= ?6 AND lon_min <= ?7 ORDER BY t_min");
    constexpr std::int64_t kMin = INT64_MIN, kMax = INT64_MAX;
    st.bind(1, static_cast<std::int64_t>(mmsi)).bind(2, flt.from_ms.value_or(kMin)).bind(3, flt.to_ms.value_or(kMax));
    st.bind(4, static_cast<std::int64_t>(flt.lat_min.value_or(INT32_MIN)));
    st.bind(5, static_cast<std::int64_t>(flt.lat_max.value_or(INT32_MAX)));
    st.bind(6, static_cast<std::int64_t>(flt.lon_min.value_or(INT32_MIN)));
    st.bind(7, static_cast<std::int64_t>(flt.lon_max.value_or(INT32_MAX)));
    std::vector<Position> out;
    ChunkColumns c;
    while (st.step()) {
        const auto source_id = static_cast<std::uint32_t>(st.int64(0));
        if (!complete.contains(source_id)) continue;
        decode_chunk(st.blob(1), c, db_.path() + " chunk " + std::to_string(st.int64(2)));
        c.mmsi = mmsi;
        c.source_id = source_id;
        for (Position& p : c.positions()) {
            if (flt.from_ms && p.time_ms < *flt.from_ms) continue;
            if (flt.to_ms && p.time_ms > *flt.to_ms) continue;
            if (flt.has_bbox() && (p.lat < *flt.lat_min || p.lat > *flt.lat_max || p.lon < *flt.lon_min ||
                                   p.lon > *flt.lon_max))
                continue;
            out.push_back(p);
        }
    }
    // Chunks of different sources overlap in time: merge (stable: equal times keep source order).
    std::stable_sort(out.begin(), out.end(), [](const Position& a, const Position& b) { return a.time_ms < b.time_ms; });
    return out;
}

void Store::scan(const std::function<void(const ChunkColumns&)>& f, std::optional<std::uint32_t> mmsi) {
    const auto complete = complete_sources();
    auto st = mmsi ? db_.prepare("SELECT mmsi, source_id, data, id FROM track_chunks WHERE mmsi = ?1 ORDER BY t_min")
                   : db_.prepare("SELECT mmsi, source_id, data, id FROM track_chunks ORDER BY mmsi, t_min");
    if (mmsi) st.bind(1, static_cast<std::int64_t>(*mmsi));
    ChunkColumns c;
    while (st.step()) {
        const auto source_id = static_cast<std::uint32_t>(st.int64(1));
        if (!complete.contains(source_id)) continue;
        decode_chunk(st.blob(2), c, db_.path() + " chunk " + std::to_string(st.int64(3)));
        c.mmsi = static_cast<std::uint32_t>(st.int64(0));
        c.source_id = source_id;
        f(c);
    }
}

std::vector<IdentityRecord> Store::identities(std::optional<std::uint32_t> mmsi) {
    const auto complete = complete_sources();
    std::string sql =
        "SELECT id, mmsi, source_id, first_ms, last_ms, reports, class, name, callsign, imo, ship_type, to_bow, "
        "to_stern, to_port, to_starboard, draught_dm, destination, eta, fragment_lines, last_line "
        "FROM track_identities";
    sql += mmsi ? " WHERE mmsi = ?1 ORDER BY first_ms, id" : " ORDER BY mmsi, first_ms, id";
    auto st = db_.prepare(sql);
    if (mmsi) st.bind(1, static_cast<std::int64_t>(*mmsi));
    std::vector<IdentityRecord> out;
    while (st.step()) {
        IdentityRecord r;
        r.id = st.int64(0);
        r.mmsi = static_cast<std::uint32_t>(st.int64(1));
        r.first_ref.source_id = static_cast<std::uint32_t>(st.int64(2));
        if (!complete.contains(r.first_ref.source_id)) continue;
        r.first_ms = st.int64(3);
        r.last_ms = st.int64(4);
        r.reports = static_cast<std::uint32_t>(st.int64(5));
        r.data.station_class = station_class_from_name(st.text(6));
        r.data.name = std::string(st.text(7));
        r.data.callsign = std::string(st.text(8));
        r.data.imo = static_cast<std::uint32_t>(st.int64(9));
        r.data.ship_type = static_cast<std::uint8_t>(st.int64(10));
        r.data.to_bow = static_cast<std::uint16_t>(st.int64(11));
        r.data.to_stern = static_cast<std::uint16_t>(st.int64(12));
        r.data.to_port = static_cast<std::uint8_t>(st.int64(13));
        r.data.to_starboard = static_cast<std::uint8_t>(st.int64(14));
        r.data.draught_dm = static_cast<std::uint8_t>(st.int64(15));
        r.data.destination = std::string(st.text(16));
        r.data.eta = std::string(st.text(17));
        parse_fragment_lines(st.text(18), r.first_ref);
        r.last_line = static_cast<std::uint64_t>(st.int64(19));
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<std::uint32_t> Store::mmsis(std::optional<std::int64_t> file_id) {
    const std::string where = file_id ? "f.complete = 1 AND f.id = ?1" : "f.complete = 1";
    auto st = db_.prepare(
        "SELECT c.mmsi FROM track_chunks c JOIN track_sources s ON s.id = c.source_id JOIN track_files f ON "
        "f.id = s.file_id WHERE " + where +
        " UNION SELECT i.mmsi FROM track_identities i JOIN track_sources s ON s.id = i.source_id JOIN "
        "track_files f ON f.id = s.file_id WHERE " + where + " ORDER BY 1");
    if (file_id) st.bind(1, *file_id);
    std::vector<std::uint32_t> out;
    while (st.step()) out.push_back(static_cast<std::uint32_t>(st.int64(0)));
    return out;
}

std::vector<std::pair<std::string, std::uint64_t>> Store::counts(bool complete_only) {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    auto st = db_.prepare(complete_only ? "SELECT c.kind, sum(c.n) FROM track_file_counts c JOIN track_files f "
                                          "ON f.id = c.file_id WHERE f.complete = 1 GROUP BY c.kind ORDER BY c.kind"
                                        : "SELECT kind, sum(n) FROM track_file_counts GROUP BY kind ORDER BY kind");
    while (st.step()) out.emplace_back(std::string(st.text(0)), static_cast<std::uint64_t>(st.int64(1)));
    return out;
}

}  // namespace vw::track
