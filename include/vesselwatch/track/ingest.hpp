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
inline constexpr int kDefaultZstdLevel = 6;
/// Two copies of the same payload of one MMSI this close in time are the same transmission.
inline constexpr std::int64_t kDuplicateWindowMs = 30000;
/// A vessel not heard for this long (in data time) has its buffered positions written out.
inline constexpr std::int64_t kIdleFlushMs = 2 * 3600 * 1000;

struct IngestOptions {
    pipeline::StreamOptions stream;
    MissingTime missing_time = MissingTime::error;
    std::int64_t assumed_time_ms = 0;
    Duplicates duplicates = Duplicates::fold;
    std::size_t batch_messages = kDefaultBatchMessages;  ///< messages per committed transaction
    std::size_t chunk_max_positions = kDefaultChunkMaxPositions;
    std::size_t max_buffered_positions = kDefaultMaxBufferedPositions;
    int zstd_level = kDefaultZstdLevel;
};

/// Cleaning counters, reported by ingest and stored per file (track_file_counts).
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
    invalid_imo,            ///< IMO number with a wrong check digit (kept, flagged)
    other_messages,         ///< decoded messages that carry no position or identity (types 6-8, 10, ...)
    kCount
};
inline constexpr std::size_t kCleaningCount = static_cast<std::size_t>(Cleaning::kCount);
[[nodiscard]] std::string_view cleaning_name(Cleaning c) noexcept;

/// What ingesting one input file did.
struct FileResult {
    std::string path;
    std::string sha256;
    enum class Outcome : std::uint8_t { ingested, already_held, replaced_partial } outcome = Outcome::ingested;
    std::int64_t file_id = 0;
    std::uint64_t lines = 0, messages = 0, positions = 0, identities = 0, batches = 0;
    std::array<std::uint64_t, kCleaningCount> cleaning{};
    pipeline::StreamStats stream;
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

    /// Ingests one file (plain, compressed or archive). A file whose sha256 the store holds complete
    /// is skipped; one held partially (an interrupted ingest) is removed and ingested again.
    /// Throws vw::InputError for the time rule (nothing of the file is kept) and vw::IoError.
    FileResult ingest_file(const std::string& path, const std::function<void(const IngestProgress&)>& progress = {});

private:
    struct State;
    Store& store_;
    IngestOptions options_;
};

/// Files named by the arguments, in the order ingest reads them: files as given, directories
/// recursively in byte-wise name order, hidden entries and non-regular files skipped (as decode).
[[nodiscard]] std::vector<std::string> expand_inputs(const std::vector<std::string>& arguments,
                                                     std::vector<std::string>& skipped);

}  // namespace vw::track
