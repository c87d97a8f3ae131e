// The track store: positions, identities and provenance in the project database (one SQLite file).
// Tables (module "track", see docs/store.md): track_files (one row per ingested input file, with its
// sha256), track_sources (the logical sources inside it: the file itself or its archive entries),
// track_chunks (compressed columnar position chunks, indexed by MMSI and time), track_identities
// (static data history), track_file_counts (counters by kind per file), track_segments (one row per
// segment of an MMSI's positions) and track_chunk_segments (the segment of every position of a chunk,
// run-length coded).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "vesselwatch/track/chunk.hpp"
#include "vesselwatch/track/identity.hpp"
#include "vesselwatch/track/position.hpp"
#include "vesselwatch/track/segment.hpp"
#include "vesselwatch/util/sqlite.hpp"

namespace vw::track {

inline constexpr int kTrackSchemaVersion = 2;  ///< 2: segment tables
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

/// One segment of an MMSI's positions (see segment.hpp): its id and what it holds.
struct SegmentSummary {
    SegmentId id;
    std::int64_t first_ms = 0, last_ms = 0;  ///< first and last position
    std::uint64_t positions = 0;
    std::int32_t lat_min = 0, lat_max = 0, lon_min = 0, lon_max = 0;  ///< 1/10000 minute
};

/// Positions of one MMSI with the segment of each: segment_ms[k] is the SegmentId::first_time_ms of
/// positions[k] (its id is SegmentId{mmsi, segment_ms[k]}).
struct SegmentedTrack {
    std::vector<Position> positions;
    std::vector<std::int64_t> segment_ms;
};

/// Where segments shown by a query came from.
enum class SegmentOrigin : std::uint8_t {
    stored,    ///< track_segments / track_chunk_segments, written by recompute_segments
    computed,  ///< computed on the fly: the stored ones were missing or older than the positions
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
    /// Inserts a chunk encode_chunk() made (of `mmsi`'s positions from source `source_id`).
    void insert_chunk_blob(std::uint32_t mmsi, std::uint32_t source_id, const ChunkSummary& summary, std::string_view blob);
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
    /// The same, decoding only `columns` (the others are empty in the ChunkColumns passed to f).
    void scan(const std::function<void(const ChunkColumns&)>& f, Columns columns,
              std::optional<std::uint32_t> mmsi = std::nullopt);

    // ---- segments (issue 3)
    /// Positions of one MMSI with their segment, filtered as track(). Uses the stored segments when they
    /// are current for this MMSI, else computes them (same result, slower; `origin` says which).
    [[nodiscard]] SegmentedTrack track_segmented(std::uint32_t mmsi, const TrackFilter& filter,
                                                 SegmentOrigin* origin = nullptr);
    /// Segments of one MMSI holding positions, by id (stored when current, else computed).
    [[nodiscard]] std::vector<SegmentSummary> segments(std::uint32_t mmsi, SegmentOrigin* origin = nullptr);
    /// Whether the stored segments of `mmsi` cover every position of complete files.
    [[nodiscard]] bool segments_current(std::uint32_t mmsi);
    /// MMSIs whose stored segments do not cover every position of complete files (e.g. an ingest killed
    /// between marking a file complete and storing its segments), ascending.
    [[nodiscard]] std::vector<std::uint32_t> mmsis_with_stale_segments();
    /// Identity records, oldest first per MMSI (all MMSIs when nullopt).
    [[nodiscard]] std::vector<IdentityRecord> identities(std::optional<std::uint32_t> mmsi = std::nullopt);
    /// Reads one MMSI after another like scan(f, columns, mmsi) and identities(mmsi), with the statements
    /// prepared and the set of complete sources read once instead of per call (a pass over thousands
    /// of MMSIs, as recompute_segments makes, otherwise spends much of its time parsing SQL). Files must
    /// not be added, removed or completed while it is used.
    class MmsiReader {
    public:
        explicit MmsiReader(Store& store);
        /// The MMSI's chunks of complete files as stored (chunk id, source id, zstd blob), not decoded
        /// (decode_chunk decodes one; recompute_segments does that on its worker threads), in the
        /// order of scan(f, columns, mmsi).
        void scan_blobs(const std::function<void(std::int64_t, std::uint32_t, std::string_view)>& f, std::uint32_t mmsi);
        [[nodiscard]] std::vector<IdentityRecord> identities(std::uint32_t mmsi);

    private:
        std::unordered_set<std::uint32_t> complete_;
        db::Statement chunks_;
        db::Statement identities_;
    };
    /// MMSIs with positions or identity records in complete files, ascending; with `file_id`, only
    /// those stored from that file (what one ingest added or changed).
    [[nodiscard]] std::vector<std::uint32_t> mmsis(std::optional<std::int64_t> file_id = std::nullopt);
    /// Counts by kind summed over files (complete and not).
    [[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>> counts(bool complete_only);
    /// Messages of complete files that came from `vesselwatch simulate` (count "clean.simulated").
    [[nodiscard]] std::uint64_t simulated_messages();

    /// Segments every position of `mmsi` (complete files) from scratch: the segmenter runs over the
    /// MMSI's positions and identity records merged in (time, source, line) order. Used by
    /// recompute_segments and, when the stored segments are not current, by the queries.
    struct Segmentation {
        struct Chunk {
            std::int64_t chunk_id = 0;
            std::vector<std::int64_t> segment_ms;  ///< one per position, in chunk order
        };
        std::vector<Chunk> chunks;
        std::vector<SegmentSummary> segments;  ///< by id
    };
    [[nodiscard]] Segmentation segment_positions(std::uint32_t mmsi, const SegmenterOptions& options = {});

private:
    void create_schema();
    [[nodiscard]] bool has_segment_tables();
    [[nodiscard]] std::unordered_set<std::uint32_t> complete_sources();

    db::Database db_;
    std::optional<db::Statement> insert_chunk_;
    std::optional<db::Statement> insert_identity_;
    std::optional<bool> has_segment_tables_;
};

/// What recompute_segments did.
struct SegmentStats {
    std::uint64_t mmsis = 0;
    std::uint64_t positions = 0;
    std::uint64_t segments = 0;
};

/// Runs the segmenter over all stored positions of each MMSI in `mmsis` (complete files) and stores
/// the result (track_segments, track_chunk_segments), replacing what was stored for them, in one
/// transaction (call it outside any open transaction, after the files are marked complete).
///
/// Ids are stable: the segmenter is causal (a position's segment depends only on the reports before
/// it) and ids are (MMSI, time of the segment's first report), so re-running on the same data gives
/// the same ids, and appending later data leaves the ids of earlier positions unchanged. Data inserted
/// *before* already stored positions (an older file ingested later) can change the ids after it.
SegmentStats recompute_segments(Store& store, std::span<const std::uint32_t> mmsis,
                                const SegmenterOptions& options = {});

}  // namespace vw::track
