// Ingest: raw AIS files -> the track store. Reuses the decode pipeline (pipeline::for_each_message +
// ais::decode) unchanged; adds the time rule, cleaning, multi-receiver de-duplication, identities and
// transactional batches. One input file is the unit of idempotence (sha256) and of completeness.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/pipeline/message_stream.hpp"
#include "vesselwatch/track/ingest_rows.hpp"
#include "vesselwatch/track/store.hpp"

namespace vw::track {

/// What to do with a message that has no receive time (NMEA without tag blocks, trailers or wrappers).
enum class MissingTime : std::uint8_t {
    error,   ///< stop with an error naming file:line and the options (default)
    skip,    ///< count it (cleaning counter missing_time) and go on
    assume,  ///< give it IngestOptions::assumed_time_ms
};

/// Messages heard by several receivers (or repeated verbatim).
enum class Duplicates : std::uint8_t {
    fold,  ///< store once, count the receivers (default)
    keep,  ///< store every copy with its own line
};

inline constexpr std::size_t kDefaultBatchMessages = 200000;
inline constexpr std::size_t kDefaultChunkMaxPositions = 8192;
inline constexpr std::size_t kDefaultMaxBufferedPositions = std::size_t{1} << 22;
inline constexpr int kDefaultZstdLevel = 3;
/// Two copies of the same payload of one MMSI this close in time are the same transmission.
inline constexpr std::int64_t kDuplicateWindowMs = 30000;
/// Without a payload to compare (decoded-dump rows, and positions already stored from another file,
/// which keep no payload), two records of one MMSI are the same transmission when their position,
/// speed, course and heading are identical and their times differ by at most this. Shorter than the
/// 10 s a stationary class A ship waits between reports, longer than receiver clock errors.
inline constexpr std::int64_t kStoredDuplicateWindowMs = 5000;
/// Bad rows reported with their file:line (the rest only counted).
inline constexpr std::size_t kMaxRowIssueExamples = 10;
/// Files at least this large, of a size no file of the store has, are hashed on a helper thread while
/// they are read (the digest is settled before the first commit); smaller ones, and any of a size
/// the store already holds (a re-ingest, or a re-run after a crash), are hashed before reading.
inline constexpr std::uint64_t kDefaultBackgroundDigestBytes = std::uint64_t{16} << 20;
/// Flushes of at least this many positions at once (the memory bound, the end of a file) encode their
/// chunks on two threads (inserted in the same order as by one).
inline constexpr std::size_t kDefaultParallelFlushPositions = 65536;
/// A vessel not heard for this long (in data time) has its buffered positions written out.
inline constexpr std::int64_t kIdleFlushMs = 2 * 3600 * 1000;

struct IngestOptions {
    pipeline::StreamOptions stream;  ///< also: strictness (--strict) for rows, bomb limits, line limits
    std::optional<InputFormat> format;  ///< nullopt: detected from each file's first line
    RowOptions rows;                    ///< --columns and --time-format for InputFormat::csv
    MissingTime missing_time = MissingTime::error;
    std::int64_t assumed_time_ms = 0;
    Duplicates duplicates = Duplicates::fold;
    std::size_t batch_messages = kDefaultBatchMessages;  ///< messages per committed transaction
    std::size_t chunk_max_positions = kDefaultChunkMaxPositions;
    std::size_t max_buffered_positions = kDefaultMaxBufferedPositions;
    int zstd_level = kDefaultZstdLevel;
    std::uint64_t background_digest_bytes = kDefaultBackgroundDigestBytes;  ///< see kDefaultBackgroundDigestBytes
    std::size_t parallel_flush_positions = kDefaultParallelFlushPositions;  ///< see kDefaultParallelFlushPositions
};

/// Cleaning counters, reported by ingest and stored per file (track_file_counts).
/// Tag-block source stations of simulated data start with this (docs/scenarios.md): such messages are
/// counted as Cleaning::simulated, and every report made from a store holding them says so.
inline constexpr std::string_view kSimulatedStationPrefix = "SIM";

enum class Cleaning : std::uint8_t {
    position_unavailable,   ///< lat 91 / lon 181: the message has no position (not stored as one)
    position_out_of_range,  ///< |lat| > 90 or |lon| > 180 (not stored)
    speed_unavailable,      ///< SOG 102.3 kn (kept as n/a)
    noise_speed,            ///< SOG 51.2, 63.0 or 102.2 kn: known transponder noise (set to n/a)
    course_unavailable,     ///< COG 360 (kept as n/a); > 360 also set to n/a
    heading_unavailable,    ///< 511 (kept as n/a); 360..510 also set to n/a
    out_of_order,           ///< earlier than the previous message of the same MMSI (sorted on write)
    exact_duplicates,       ///< same payload, same time, same station: dropped
    receiver_duplicates,    ///< same payload within kDuplicateWindowMs: folded (receivers + 1)
    missing_time,           ///< no receive time and --missing-time skip
    stored_duplicates,      ///< the same position already stored from another file (kStoredDuplicateWindowMs)
    invalid_imo,            ///< IMO number with a wrong check digit (kept, flagged)
    other_messages,         ///< decoded messages that carry no position or identity (types 6-8, 10, ...)
    simulated,              ///< messages from `vesselwatch simulate` (tag-block station "SIM..."): kept, flagged
    kCount
};
inline constexpr std::size_t kCleaningCount = static_cast<std::size_t>(Cleaning::kCount);
[[nodiscard]] std::string_view cleaning_name(Cleaning c) noexcept;

/// Where one file's ingest spent its time (wall seconds per phase, and the two pipeline threads' CPU
/// time and time blocked on their queue), for `--stats` and docs/benchmarks.md.
struct IngestTiming {
    double digest_s = 0;   ///< deciding how to hash, and the sha256 before reading when hashed first
    double open_s = 0;     ///< format detection, the store's file record
    double read_s = 0;     ///< reading and storing, the two threads overlapped
    double flush_s = 0;    ///< the vessels' last buffers written at the end of the file
    double commit_s = 0;   ///< counts, completion mark, the last commit
    double reader_cpu_s = 0, storer_cpu_s = 0;    ///< CPU time of the reading and the storing thread
    double reader_wait_s = 0, storer_wait_s = 0;  ///< blocked: reader on a free batch, storer on a full one
};

/// What ingesting one input file did.
struct FileResult {
    std::string path;
    std::string sha256;
    enum class Outcome : std::uint8_t {
        ingested,
        already_held,
        replaced_partial,
        failed,  ///< nothing of it kept (the store is as before the file); `error` says why
    } outcome = Outcome::ingested;
    std::string error;
    std::string format;  ///< input_format_name of what was read
    std::int64_t file_id = 0;
    std::uint64_t lines = 0, messages = 0, positions = 0, identities = 0, batches = 0;
    std::array<std::uint64_t, kCleaningCount> cleaning{};
    pipeline::StreamStats stream;
    std::array<std::uint64_t, kRowIssueCount> row_issues{};  ///< decoded dumps: bad rows by kind
    std::vector<std::string> row_issue_examples;             ///< "source:line: kind" (first few)
    IngestTiming timing;
};

/// Progress of the current file, for progress bars and --json-progress.
struct IngestProgress {
    const std::string& file;
    std::uint64_t consumed_bytes;
    std::optional<std::uint64_t> total_bytes;
    std::uint64_t lines;
    std::uint64_t positions;
};

class Ingester {
public:
    Ingester(Store& store, IngestOptions options);
    ~Ingester();
    Ingester(const Ingester&) = delete;
    Ingester& operator=(const Ingester&) = delete;

    /// Ingests one file (plain, compressed or archive; NMEA or a decoded dump, see InputFormat), or
    /// standard input for "-" (copied to a temporary file beside the store while its sha256 is
    /// computed, recorded as path "-"). A file whose sha256 the store holds complete is skipped; one
    /// held partially (an interrupted ingest) is removed and ingested again.
    /// On any failure nothing of the file is kept (the store is as before it) and it throws:
    /// vw::InputError for the time rule, --strict faults and unknown formats, vw::IoError for
    /// unreadable, truncated or corrupt inputs and decompression bombs (errors of the store itself
    /// name the store's path).
    FileResult ingest_file(const std::string& path, const std::function<void(const IngestProgress&)>& progress = {});

private:
    struct State;
    void read_nmea(State& st, const pipeline::StreamOptions& so);
    void read_rows(State& st, const pipeline::StreamOptions& so, InputFormat format);
    Store& store_;
    IngestOptions options_;
};

/// Files named by the arguments, in the order ingest reads them: files as given, directories
/// recursively in byte-wise name order, hidden entries and non-regular files skipped (as decode);
/// "-" (standard input) at most once.
[[nodiscard]] std::vector<std::string> expand_inputs(const std::vector<std::string>& arguments,
                                                     std::vector<std::string>& skipped);

}  // namespace vw::track
