#include "vesselwatch/track/store.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <numeric>
#include <unordered_map>

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

// Version 2: segments (issue 3). track_segments: one row per segment holding positions;
// track_chunk_segments: per chunk, the segment of each position as runs (varint run length, zigzag
// varint of the segment's first_time_ms minus the previous run's, the first relative to the chunk's t_min).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS track_segments(
  mmsi INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,
  first_ms INTEGER NOT NULL,
  last_ms INTEGER NOT NULL,
  n INTEGER NOT NULL,
  lat_min INTEGER NOT NULL, lat_max INTEGER NOT NULL,
  lon_min INTEGER NOT NULL, lon_max INTEGER NOT NULL,
  PRIMARY KEY(mmsi, start_ms)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS track_chunk_segments(
  chunk_id INTEGER PRIMARY KEY REFERENCES track_chunks(id) ON DELETE CASCADE,
  runs BLOB NOT NULL
);
)sql";

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

constexpr std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

std::string encode_runs(std::span<const std::int64_t> segment_ms, std::int64_t t_min) {
    std::string out;
    std::int64_t prev = t_min;
    for (std::size_t k = 0; k < segment_ms.size();) {
        std::size_t e = k + 1;
        while (e < segment_ms.size() && segment_ms[e] == segment_ms[k]) ++e;
        put_varint(out, e - k);
        put_varint(out, zigzag(segment_ms[k] - prev));
        prev = segment_ms[k];
        k = e;
    }
    return out;
}

/// Decodes runs into one value per position; false when the blob does not describe exactly n positions.
bool decode_runs(std::string_view blob, std::int64_t t_min, std::size_t n, std::vector<std::int64_t>& out) {
    out.clear();
    const auto* p = reinterpret_cast<const std::uint8_t*>(blob.data());
    const auto* end = p + blob.size();
    auto varint = [&](std::uint64_t& v) {
        v = 0;
        for (unsigned shift = 0; shift < 64 && p < end; shift += 7) {
            const std::uint8_t b = *p++;
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (b < 0x80) return true;
        }
        return false;
    };
    std::int64_t prev = t_min;
    while (p < end) {
        std::uint64_t len = 0, delta = 0;
        if (!varint(len) || !varint(delta) || len > n - out.size()) return false;
        prev += unzigzag(delta);
        out.insert(out.end(), static_cast<std::size_t>(len), prev);
    }
    return out.size() == n;
}

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
    db_.exec(kSchemaV1);  // IF NOT EXISTS throughout: also upgrades a version 1 store
    db_.exec(kSchemaV2);
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
    insert_chunk_blob(ps.front().mmsi, ps.front().ref.source_id, s, blob);
}

void Store::insert_chunk_blob(std::uint32_t mmsi, std::uint32_t source_id, const ChunkSummary& s, std::string_view blob) {
    if (!insert_chunk_)
        insert_chunk_.emplace(db_.prepare(
            "INSERT INTO track_chunks(mmsi, source_id, n, t_min, t_max, lat_min, lat_max, lon_min, lon_max, "
            "line_min, line_max, data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    auto& st = *insert_chunk_;
    st.bind(1, static_cast<std::int64_t>(mmsi)).bind(2, static_cast<std::int64_t>(source_id));
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
    scan(f, Columns::all, mmsi);
}

namespace {

constexpr std::string_view kScanOneMmsiSql =
    "SELECT mmsi, source_id, data, id FROM track_chunks WHERE mmsi = ?1 ORDER BY t_min, id";

/// The rows of a chunk query (mmsi, source_id, data, id) of complete sources, decoded into `c`.
void scan_rows(db::Statement& st, const std::unordered_set<std::uint32_t>& complete, const std::string& path,
               const std::function<void(const ChunkColumns&)>& f, Columns columns, ChunkColumns& c) {
    std::string what;
    while (st.step()) {
        const auto source_id = static_cast<std::uint32_t>(st.int64(1));
        if (!complete.contains(source_id)) continue;
        c.chunk_id = st.int64(3);
        what.assign(path).append(" chunk ").append(std::to_string(c.chunk_id));
        decode_chunk(st.blob(2), c, what, columns);
        c.mmsi = static_cast<std::uint32_t>(st.int64(0));
        c.source_id = source_id;
        f(c);
    }
}

}  // namespace

void Store::scan(const std::function<void(const ChunkColumns&)>& f, Columns columns, std::optional<std::uint32_t> mmsi) {
    const auto complete = complete_sources();
    auto st = mmsi ? db_.prepare(kScanOneMmsiSql)
                   : db_.prepare("SELECT mmsi, source_id, data, id FROM track_chunks ORDER BY mmsi, t_min, id");
    if (mmsi) st.bind(1, static_cast<std::int64_t>(*mmsi));
    ChunkColumns c;
    scan_rows(st, complete, db_.path(), f, columns, c);
}

// ---- segments ------------------------------------------------------------------------------------------

bool Store::has_segment_tables() {
    if (!has_segment_tables_) {
        auto st = db_.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'track_chunk_segments'");
        has_segment_tables_ = st.step() && st.int64(0) > 0;
    }
    return *has_segment_tables_;
}

bool Store::segments_current(std::uint32_t mmsi) {
    if (!has_segment_tables()) return false;
    const auto complete = complete_sources();
    auto st = db_.prepare(
        "SELECT c.source_id FROM track_chunks c WHERE c.mmsi = ?1 AND NOT EXISTS "
        "(SELECT 1 FROM track_chunk_segments s WHERE s.chunk_id = c.id)");
    st.bind(1, static_cast<std::int64_t>(mmsi));
    while (st.step())
        if (complete.contains(static_cast<std::uint32_t>(st.int64(0)))) return false;
    return true;
}

std::vector<std::uint32_t> Store::mmsis_with_stale_segments() {
    std::vector<std::uint32_t> out;
    const bool tables = has_segment_tables();
    auto st = db_.prepare(
        tables ? "SELECT DISTINCT c.mmsi FROM track_chunks c JOIN track_sources s ON s.id = c.source_id JOIN "
                 "track_files f ON f.id = s.file_id WHERE f.complete = 1 AND NOT EXISTS "
                 "(SELECT 1 FROM track_chunk_segments g WHERE g.chunk_id = c.id) ORDER BY 1"
               : "SELECT DISTINCT c.mmsi FROM track_chunks c JOIN track_sources s ON s.id = c.source_id JOIN "
                 "track_files f ON f.id = s.file_id WHERE f.complete = 1 ORDER BY 1");
    while (st.step()) out.push_back(static_cast<std::uint32_t>(st.int64(0)));
    return out;
}

namespace {

SegIdentity seg_identity(const StaticData& d) {
    SegIdentity id;
    id.name = d.name;
    id.callsign = d.callsign;
    id.imo = d.imo;
    id.ship_type = d.ship_type;
    id.length_m = d.length_m();
    id.width_m = d.beam_m();
    return id;
}

constexpr double kTenths = 10.0;

}  // namespace

namespace {

/// What segmenting one MMSI reads from the store: one entry per report, positions (chunk index,
/// position index) and identity records (first and last report of the run).
struct SegmentInput {
    struct Entry {
        std::int64_t time_ms;
        std::uint32_t source_id;
        std::uint64_t line;
        std::uint32_t chunk;  // index into out.chunks, or kIdentity
        std::uint32_t index;  // position in the chunk, or identity record index
    };
    static constexpr std::uint32_t kIdentity = UINT32_MAX;
    struct Fix {
        std::int32_t lat, lon;
        std::uint16_t sog, cog;
    };
    struct Blob {
        std::int64_t chunk_id;
        std::uint32_t source_id;
        std::string data;
    };
    std::uint32_t mmsi = 0;
    std::string store_path;        // for error messages
    std::vector<Blob> blobs;       // the MMSI's chunks as stored, in scan order (decoded by segment_input)
    std::vector<Entry> entries;
    std::vector<std::vector<Fix>> fixes;
    std::vector<IdentityRecord> ids;
    Store::Segmentation out;  // chunks (ids, sizes) and segment ids, by segment_input()
};

/// Reads `mmsi`'s chunk blobs and identity records (SQLite: the store's thread). The chunks are
/// decoded by segment_input(), on whichever thread segments the MMSI: decoding (zstd and the column
/// varints) costs as much as segmenting, and only the SQLite reads need the store's thread.
SegmentInput load_segment_input(Store::MmsiReader& reader, std::uint32_t mmsi, const std::string& store_path) {
    SegmentInput in;
    in.mmsi = mmsi;
    in.store_path = store_path;
    reader.scan_blobs(
        [&](std::int64_t chunk_id, std::uint32_t source_id, std::string_view blob) {
            in.blobs.push_back({chunk_id, source_id, std::string(blob)});
        },
        mmsi);
    in.ids = reader.identities(mmsi);
    return in;
}

/// The entries to segment: one per position (chunk by chunk, in scan order), then the identity
/// records' first and last reports. No store access (any thread).
void decode_segment_input(SegmentInput& in) {
    ChunkColumns c;
    std::string what;
    for (const SegmentInput::Blob& b : in.blobs) {
        what.assign(in.store_path).append(" chunk ").append(std::to_string(b.chunk_id));
        decode_chunk(b.data, c, what, Columns::time | Columns::position | Columns::motion | Columns::provenance);
        const auto ci = static_cast<std::uint32_t>(in.out.chunks.size());
        in.out.chunks.push_back({b.chunk_id, std::vector<std::int64_t>(c.size())});
        auto& fx = in.fixes.emplace_back(c.size());
        for (std::size_t k = 0; k < c.size(); ++k) {
            in.entries.push_back({c.time_ms[k], b.source_id, c.line[k], ci, static_cast<std::uint32_t>(k)});
            fx[k] = {c.lat[k], c.lon[k], c.sog[k], c.cog[k]};
        }
    }
    in.blobs = {};
    for (std::size_t i = 0; i < in.ids.size(); ++i) {
        const auto& r = in.ids[i];
        in.entries.push_back({r.first_ms, r.first_ref.source_id, r.first_ref.line, SegmentInput::kIdentity,
                              static_cast<std::uint32_t>(i)});
        if (r.last_ms != r.first_ms)
            in.entries.push_back({r.last_ms, r.first_ref.source_id, r.last_line, SegmentInput::kIdentity,
                                  static_cast<std::uint32_t>(i)});
    }
}

/// Runs the segmenter over what load_segment_input() read (no store access: any thread).
Store::Segmentation segment_input(SegmentInput& in, const SegmenterOptions& options) {
    using Entry = SegmentInput::Entry;
    decode_segment_input(in);
    // Ordered by (time, source, line) so the order does not depend on the order files were ingested
    // in, only on the data.
    const auto before = [](const Entry& a, const Entry& b) {
        if (a.time_ms != b.time_ms) return a.time_ms < b.time_ms;
        if (a.source_id != b.source_id) return a.source_id < b.source_id;
        if (a.line != b.line) return a.line < b.line;
        if (a.chunk != b.chunk) return a.chunk < b.chunk;
        return a.index < b.index;
    };
    // Positions come first (chunk by chunk), identity entries after them. The order is total (no two
    // entries compare equal), so when the positions are already in order (one chunk per day, in
    // time order: the usual case) sorting the identity entries and merging gives the same order as
    // sorting everything.
    const auto first_identity =
        std::find_if(in.entries.begin(), in.entries.end(), [](const Entry& e) { return e.chunk == SegmentInput::kIdentity; });
    if (std::is_sorted(in.entries.begin(), first_identity, before)) {
        std::sort(first_identity, in.entries.end(), before);
        std::inplace_merge(in.entries.begin(), first_identity, in.entries.end(), before);
    } else {
        std::sort(in.entries.begin(), in.entries.end(), before);
    }

    Store::Segmentation& out = in.out;
    Segmenter seg(in.mmsi, options);
    std::map<std::int64_t, SegmentSummary> summaries;
    SegReport rep;
    for (const Entry& e : in.entries) {
        rep.time_ms = e.time_ms;
        if (e.chunk == SegmentInput::kIdentity) {
            rep.fix.reset();
            rep.identity = seg_identity(in.ids[e.index].data);
            (void)seg.add(rep);
            continue;
        }
        rep.identity.reset();
        const SegmentInput::Fix& f = in.fixes[e.chunk][e.index];
        SegFix sf;
        sf.time_ms = e.time_ms;
        sf.lat_deg = f.lat / static_cast<double>(kUnitsPerDegree);
        sf.lon_deg = f.lon / static_cast<double>(kUnitsPerDegree);
        if (f.sog != kSogUnavailable) sf.speed_knots = f.sog / kTenths;
        if (f.cog < kCogUnavailable) sf.course_deg = f.cog / kTenths;
        rep.fix = sf;
        const SegmentId id = seg.add(rep).id;
        out.chunks[e.chunk].segment_ms[e.index] = id.first_time_ms;
        auto [it, fresh] = summaries.try_emplace(id.first_time_ms);
        SegmentSummary& s = it->second;
        if (fresh) {
            s.id = id;
            s.first_ms = e.time_ms;
            s.lat_min = s.lat_max = f.lat;
            s.lon_min = s.lon_max = f.lon;
        }
        s.last_ms = e.time_ms;
        ++s.positions;
        s.lat_min = std::min(s.lat_min, f.lat);
        s.lat_max = std::max(s.lat_max, f.lat);
        s.lon_min = std::min(s.lon_min, f.lon);
        s.lon_max = std::max(s.lon_max, f.lon);
    }
    out.segments.reserve(summaries.size());
    for (auto& [ms, s] : summaries) out.segments.push_back(s);
    return std::move(out);
}

/// MMSIs per group of recompute_segments: one group is segmented on a second thread while the
/// store's thread reads the next group and writes the previous one.
constexpr std::size_t kSegmentGroupMmsis = 64;

}  // namespace

Store::Segmentation Store::segment_positions(std::uint32_t mmsi, const SegmenterOptions& options) {
    MmsiReader reader(*this);
    SegmentInput in = load_segment_input(reader, mmsi, path());
    return segment_input(in, options);
}

SegmentStats recompute_segments(Store& store, std::span<const std::uint32_t> mmsis, const SegmenterOptions& options) {
    SegmentStats stats;
    db::Database& db = store.database();
    db::Transaction tx(db);
    auto del_runs = db.prepare("DELETE FROM track_chunk_segments WHERE chunk_id IN (SELECT id FROM track_chunks WHERE mmsi = ?1)");
    auto del_segs = db.prepare("DELETE FROM track_segments WHERE mmsi = ?1");
    auto t_min = db.prepare("SELECT t_min FROM track_chunks WHERE id = ?1");
    auto ins_runs = db.prepare("INSERT INTO track_chunk_segments(chunk_id, runs) VALUES(?1, ?2)");
    auto ins_seg = db.prepare(
        "INSERT INTO track_segments(mmsi, start_ms, first_ms, last_ms, n, lat_min, lat_max, lon_min, lon_max) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    auto write = [&](std::uint32_t mmsi, const Store::Segmentation& sg) {
        const auto m = static_cast<std::int64_t>(mmsi);
        del_runs.bind(1, m).run();
        del_segs.bind(1, m).run();
        for (const auto& c : sg.chunks) {
            t_min.bind(1, c.chunk_id);
            const std::int64_t t0 = t_min.step() ? t_min.int64(0) : 0;
            t_min.reset();
            const std::string runs = encode_runs(c.segment_ms, t0);
            ins_runs.bind(1, c.chunk_id).bind_blob(2, runs.data(), runs.size()).run();
            stats.positions += c.segment_ms.size();
        }
        for (const auto& s : sg.segments) {
            ins_seg.bind(1, m).bind(2, s.id.first_time_ms).bind(3, s.first_ms).bind(4, s.last_ms);
            ins_seg.bind(5, static_cast<std::int64_t>(s.positions)).bind(6, s.lat_min).bind(7, s.lat_max);
            ins_seg.bind(8, s.lon_min).bind(9, s.lon_max).run();
        }
        stats.segments += sg.segments.size();
        ++stats.mmsis;
    };
    // SQLite reads and writes stay on this thread. Decoding the chunks and segmenting run on a helper
    // thread over group g while this thread reads group g + 1; then this thread joins in on what is
    // left of group g (both take the group's MMSIs in turn), then writes g. Writes happen in MMSI
    // order, as one MMSI at a time would do them.
    using Group = std::vector<SegmentInput>;
    Store::MmsiReader reader(store);
    auto read_group = [&](std::size_t first) {
        Group g;
        for (std::size_t k = first; k < std::min(mmsis.size(), first + kSegmentGroupMmsis); ++k)
            g.push_back(load_segment_input(reader, mmsis[k], store.path()));
        return g;
    };
    // One group's work: its inputs and results, and the helper thread that segments it with this one.
    struct Job {
        Group group;
        std::vector<Store::Segmentation> results;
        std::atomic<std::size_t> next{0};
        std::future<void> helper;
        void segment_rest(const SegmenterOptions& o) {
            for (std::size_t k; (k = next.fetch_add(1, std::memory_order_relaxed)) < group.size();)
                results[k] = segment_input(group[k], o);
        }
        /// On an error: no more MMSIs handed out; waits for the helper, which uses `group` and `results`.
        void stop() noexcept {
            next.store(group.size(), std::memory_order_relaxed);
            if (helper.valid()) helper.wait();
        }
    };
    auto start = [&options](Group g) {
        auto job = std::make_unique<Job>();
        job->group = std::move(g);
        job->results.resize(job->group.size());
        Job* j = job.get();
        job->helper = std::async(std::launch::async, [j, &options] { j->segment_rest(options); });
        return job;
    };
    // This thread reads group g + 1 while the helper segments g, joins in on g, starts the helper on
    // g + 1 and then writes g: the helper has work while this thread reads and while it writes.
    std::unique_ptr<Job> cur = start(read_group(0));
    std::unique_ptr<Job> nxt;
    try {
        for (std::size_t first = 0; first < mmsis.size(); first += kSegmentGroupMmsis) {
            Group next_group;
            if (first + kSegmentGroupMmsis < mmsis.size()) next_group = read_group(first + kSegmentGroupMmsis);
            cur->segment_rest(options);
            cur->helper.get();
            if (!next_group.empty()) nxt = start(std::move(next_group));
            for (std::size_t k = 0; k < cur->group.size(); ++k) write(mmsis[first + k], cur->results[k]);
            cur = std::move(nxt);
        }
    } catch (...) {
        if (cur) cur->stop();
        if (nxt) nxt->stop();
        throw;
    }
    tx.commit();
    return stats;
}

std::vector<SegmentSummary> Store::segments(std::uint32_t mmsi, SegmentOrigin* origin) {
    if (!segments_current(mmsi)) {
        if (origin != nullptr) *origin = SegmentOrigin::computed;
        return segment_positions(mmsi).segments;
    }
    if (origin != nullptr) *origin = SegmentOrigin::stored;
    std::vector<SegmentSummary> out;
    auto st = db_.prepare(
        "SELECT start_ms, first_ms, last_ms, n, lat_min, lat_max, lon_min, lon_max FROM track_segments "
        "WHERE mmsi = ?1 ORDER BY start_ms");
    st.bind(1, static_cast<std::int64_t>(mmsi));
    while (st.step()) {
        SegmentSummary s;
        s.id = SegmentId{mmsi, st.int64(0)};
        s.first_ms = st.int64(1);
        s.last_ms = st.int64(2);
        s.positions = static_cast<std::uint64_t>(st.int64(3));
        s.lat_min = static_cast<std::int32_t>(st.int64(4));
        s.lat_max = static_cast<std::int32_t>(st.int64(5));
        s.lon_min = static_cast<std::int32_t>(st.int64(6));
        s.lon_max = static_cast<std::int32_t>(st.int64(7));
        out.push_back(s);
    }
    return out;
}

namespace {
bool keep(const TrackFilter& flt, std::int64_t t, std::int32_t lat, std::int32_t lon) noexcept {
    if (flt.from_ms && t < *flt.from_ms) return false;
    if (flt.to_ms && t > *flt.to_ms) return false;
    if (flt.has_bbox() && (lat < *flt.lat_min || lat > *flt.lat_max || lon < *flt.lon_min || lon > *flt.lon_max))
        return false;
    return true;
}
}  // namespace

SegmentedTrack Store::track_segmented(std::uint32_t mmsi, const TrackFilter& flt, SegmentOrigin* origin) {
    const bool current = segments_current(mmsi);
    if (origin != nullptr) *origin = current ? SegmentOrigin::stored : SegmentOrigin::computed;
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> computed;  // chunk id -> segment per position
    if (!current)
        for (auto& c : segment_positions(mmsi).chunks) computed.emplace(c.chunk_id, std::move(c.segment_ms));
    const auto complete = complete_sources();
    auto st = db_.prepare(
        current ? "SELECT c.source_id, c.data, c.id, c.t_min, s.runs FROM track_chunks c JOIN track_chunk_segments s "
                  "ON s.chunk_id = c.id WHERE c.mmsi = ?1 AND c.t_min <= ?3 AND c.t_max >= ?2 AND c.lat_max >= ?4 "
                  "AND c.lat_min <= ?5 AND c.lon_max >= ?6 AND c.lon_min <= ?7 ORDER BY c.t_min, c.id"
                : "SELECT c.source_id, c.data, c.id, c.t_min FROM track_chunks c WHERE c.mmsi = ?1 AND c.t_min <= ?3 "
                  "AND c.t_max >= ?2 AND c.lat_max >= ?4 AND c.lat_min <= ?5 AND c.lon_max >= ?6 AND c.lon_min <= ?7 "
                  "ORDER BY c.t_min, c.id");
    st.bind(1, static_cast<std::int64_t>(mmsi)).bind(2, flt.from_ms.value_or(INT64_MIN)).bind(3, flt.to_ms.value_or(INT64_MAX));
    st.bind(4, static_cast<std::int64_t>(flt.lat_min.value_or(INT32_MIN)));
    st.bind(5, static_cast<std::int64_t>(flt.lat_max.value_or(INT32_MAX)));
    st.bind(6, static_cast<std::int64_t>(flt.lon_min.value_or(INT32_MIN)));
    st.bind(7, static_cast<std::int64_t>(flt.lon_max.value_or(INT32_MAX)));
    struct Item {
        Position p;
        std::int64_t seg;
    };
    std::vector<Item> items;
    ChunkColumns c;
    std::vector<std::int64_t> runs;
    std::string what;
    while (st.step()) {
        const auto source_id = static_cast<std::uint32_t>(st.int64(0));
        if (!complete.contains(source_id)) continue;
        const std::int64_t chunk_id = st.int64(2);
        what.assign(db_.path()).append(" chunk ").append(std::to_string(chunk_id));
        decode_chunk(st.blob(1), c, what);
        c.mmsi = mmsi;
        c.source_id = source_id;
        c.chunk_id = chunk_id;
        const std::vector<std::int64_t>* seg = nullptr;
        if (current) {
            if (!decode_runs(st.blob(4), st.int64(3), c.size(), runs))
                throw IoError(SourceLocation{what}, "corrupt segment runs (run 'vesselwatch ingest' again to rebuild)");
            seg = &runs;
        } else {
            seg = &computed.at(chunk_id);
        }
        const std::vector<Position> ps = c.positions();
        for (std::size_t k = 0; k < ps.size(); ++k)
            if (keep(flt, ps[k].time_ms, ps[k].lat, ps[k].lon)) items.push_back({ps[k], (*seg)[k]});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.p.time_ms < b.p.time_ms; });
    SegmentedTrack out;
    out.positions.reserve(items.size());
    out.segment_ms.reserve(items.size());
    for (const Item& i : items) {
        out.positions.push_back(i.p);
        out.segment_ms.push_back(i.seg);
    }
    return out;
}

namespace {

constexpr std::string_view kIdentityColumnsSql =
    "SELECT id, mmsi, source_id, first_ms, last_ms, reports, class, name, callsign, imo, ship_type, to_bow, "
    "to_stern, to_port, to_starboard, draught_dm, destination, eta, fragment_lines, last_line "
    "FROM track_identities";

/// The rows of an identity query (kIdentityColumnsSql) of complete sources, appended to `out`.
void identity_rows(db::Statement& st, const std::unordered_set<std::uint32_t>& complete, std::vector<IdentityRecord>& out) {
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
}

}  // namespace

std::vector<IdentityRecord> Store::identities(std::optional<std::uint32_t> mmsi) {
    const auto complete = complete_sources();
    std::string sql(kIdentityColumnsSql);
    sql += mmsi ? " WHERE mmsi = ?1 ORDER BY first_ms, id" : " ORDER BY mmsi, first_ms, id";
    auto st = db_.prepare(sql);
    if (mmsi) st.bind(1, static_cast<std::int64_t>(*mmsi));
    std::vector<IdentityRecord> out;
    identity_rows(st, complete, out);
    return out;
}

Store::MmsiReader::MmsiReader(Store& store)
    : complete_(store.complete_sources()),
      chunks_(store.database().prepare(kScanOneMmsiSql)),
      identities_(store.database().prepare(std::string(kIdentityColumnsSql) + " WHERE mmsi = ?1 ORDER BY first_ms, id")) {}

void Store::MmsiReader::scan_blobs(const std::function<void(std::int64_t, std::uint32_t, std::string_view)>& f,
                                   std::uint32_t mmsi) {
    chunks_.reset();
    chunks_.bind(1, static_cast<std::int64_t>(mmsi));
    while (chunks_.step()) {
        const auto source_id = static_cast<std::uint32_t>(chunks_.int64(1));
        if (!complete_.contains(source_id)) continue;
        f(chunks_.int64(3), source_id, chunks_.blob(2));
    }
    chunks_.reset();
}

std::vector<IdentityRecord> Store::MmsiReader::identities(std::uint32_t mmsi) {
    identities_.reset();
    identities_.bind(1, static_cast<std::int64_t>(mmsi));
    std::vector<IdentityRecord> out;
    identity_rows(identities_, complete_, out);
    identities_.reset();
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

std::uint64_t Store::simulated_messages() {
    std::uint64_t n = 0;
    for (const auto& [kind, count] : counts(true))
        if (kind == "clean.simulated") n += count;
    return n;
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
