// The track store: positions, identities and provenance in the project database (one SQLite file).
// Tables (module "track", see docs/store.md): track_files (one row per ingested input file, with its
// sha256), track_sources (the logical sources inside it: the file itself or its archive entries),
// track_chunks (compressed columnar position chunks, indexed by MMSI and time), track_identities
// (static data history), track_file_counts (counters by kind per file).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "vesselwatch/track/chunk.hpp"
#include "vesselwatch/track/identity.hpp"
#include "vesselwatch/track/position.hpp"
#include "vesselwatch/util/sqlite.hpp"

namespace vw::track {

inline constexpr int kTrackSchemaVersion = 1;
inline constexpr std::string_view kTrackModule = "track";

/// Whether the store may be changed.
enum class Access : std::uint8_t { read_only, read_write };

struct FileRecord {
    std::int64_t id = 0;
    std::string path;      ///< as given on the command line
    std::string abs_path;  ///< absolute, to find it again
    std::uint64_t size = 0;
    std::string sha256;  ///< lower-case hex of the bytes on disk
    std::string format;  ///< "nmea", ...
    std::int64_t ingested_at_ms = 0;
    bool complete = false;
};

struct SourceRecord {
    std::uint32_t id = 0;
    std::int64_t file_id = 0;
    std::string entry;  ///< "" for the file itself, "!dir/b.txt" for an archive entry
    std::string name;   ///< display name at ingest
};

/// A time and area filter for track queries (all optional; the bbox in AIS units, 1/10000 minute).
struct TrackFilter {
    std::optional<std::int64_t> from_ms, to_ms;  ///< inclusive
    std::optional<std::int32_t> lat_min, lat_max, lon_min, lon_max;
    [[nodiscard]] bool has_bbox() const noexcept { return lat_min.has_value(); }
};

class Store {
public:
    /// Opens (read_write: creates when missing) and creates or checks the track tables.
    /// Throws vw::IoError when the file is not a vesselwatch database of a known version.
    Store(const std::string& path, Access access);

    [[nodiscard]] db::Database& database() noexcept { return db_; }
    [[nodiscard]] const std::string& path() const noexcept { return db_.path(); }

    // ---- ingest side (call inside a transaction)
    [[nodiscard]] std::optional<FileRecord> find_file(const std::string& sha256_hex);
    /// Deletes a file record and everything stored from it (sources, chunks, identities, counts).
    void delete_file(std::int64_t file_id);
    [[nodiscard]] std::int64_t insert_file(const FileRecord& f);
    [[nodiscard]] std::uint32_t insert_source(std::int64_t file_id, const std::string& entry, const std::string& name);
    /// Encodes and stores positions of one MMSI and one source, sorted by time, of one UTC day.
    void insert_chunk(std::span<const Position> positions, int zstd_level);
    void insert_identity(const IdentityRecord& r);
    void set_file_counts(std::int64_t file_id, const std::vector<std::pair<std::string, std::uint64_t>>& counts);
    void mark_complete(std::int64_t file_id);

    // ---- queries (complete files only unless said otherwise)
    [[nodiscard]] std::vector<FileRecord> files();
    [[nodiscard]] std::vector<SourceRecord> sources();
    [[nodiscard]] std::optional<SourceRecord> source(std::uint32_t id);
    [[nodiscard]] std::optional<FileRecord> file(std::int64_t id);
    /// Positions of one MMSI in time order, filtered.
    [[nodiscard]] std::vector<Position> track(std::uint32_t mmsi, const TrackFilter& filter);
    /// Every chunk of complete files (optionally one MMSI), in (mmsi, time) order; the columns are
    /// reused between calls.
    void scan(const std::function<void(const ChunkColumns&)>& f, std::optional<std::uint32_t> mmsi = std::nullopt);
    /// Identity records, oldest first per MMSI (all MMSIs when nullopt).
    [[nodiscard]] std::vector<IdentityRecord> identities(std::optional<std::uint32_t> mmsi = std::nullopt);
    /// MMSIs with positions or identity records in complete files, ascending; with `file_id`, only
    /// those stored from that file (what one ingest added or changed).
    [[nodiscard]] std::vector<std::uint32_t> mmsis(std::optional<std::int64_t> file_id = std::nullopt);
    /// Counts by kind summed over files (complete and not).
    [[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>> counts(bool complete_only);

private:
    void create_schema();
    [[nodiscard]] std::unordered_set<std::uint32_t> complete_sources();

    db::Database db_;
    std::optional<db::Statement> insert_chunk_;
    std::optional<db::Statement> insert_identity_;
};

}  // namespace vw::track
