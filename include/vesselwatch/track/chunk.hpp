// Compressed columnar chunks: the positions of one vessel, from one source, in one UTC day, sorted by
// time. Each column is delta-coded (zig-zag varints) or kept as bytes, the columns are laid out one
// after the other and the whole is compressed with zstd. Layout in docs/store.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/track/position.hpp"

namespace vw::track {

/// Which columns a scan needs (bit set); the others are left empty. time and the provenance columns
/// are cheap; lat/lon are what most scans need.
enum class Columns : std::uint16_t {
    time = 1,
    position = 2,    ///< lat, lon
    motion = 4,      ///< sog, cog, heading, turn
    status = 8,      ///< status, type, flags, receivers
    provenance = 16, ///< line, fragments, extra_line_offsets
    all = 31,
};
[[nodiscard]] constexpr Columns operator|(Columns a, Columns b) noexcept {
    return static_cast<Columns>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
[[nodiscard]] constexpr bool has(Columns set, Columns c) noexcept {
    return (static_cast<std::uint16_t>(set) & static_cast<std::uint16_t>(c)) != 0;
}

/// Positions of one chunk decoded column by column (what scans read; fast to fill).
struct ChunkColumns {
    std::uint32_t mmsi = 0;
    std::uint32_t source_id = 0;
    std::int64_t chunk_id = 0;  ///< track_chunks.id (0 when decoded outside a store)
    std::size_t count = 0;      ///< positions in the chunk, whatever columns were decoded
    std::vector<std::int64_t> time_ms;
    std::vector<std::int32_t> lat, lon;
    std::vector<std::uint16_t> sog, cog, heading;
    std::vector<std::int8_t> turn;
    std::vector<std::uint8_t> status, type, flags, receivers, fragments;
    std::vector<std::uint64_t> line;
    std::vector<std::uint32_t> extra_line_offsets;  ///< for positions with fragments > 1, in order

    [[nodiscard]] std::size_t size() const noexcept { return count; }
    /// Position k (extra fragment lines included; O(k) for them, O(1) otherwise). Needs all columns.
    [[nodiscard]] Position at(std::size_t k) const;
    /// All positions, in time order. Needs all columns.
    [[nodiscard]] std::vector<Position> positions() const;
};

/// Summary kept beside the blob in track_chunks (indexed; lets queries skip chunks).
struct ChunkSummary {
    std::uint32_t count = 0;
    std::int64_t t_min_ms = 0, t_max_ms = 0;
    std::int32_t lat_min = 0, lat_max = 0, lon_min = 0, lon_max = 0;  ///< 1/10000 minute
    std::uint64_t line_min = 0, line_max = 0;
};

/// Encodes positions (same mmsi and source, sorted by time) into a chunk blob.
/// `zstd_level` trades ingest speed for size.
[[nodiscard]] std::string encode_chunk(std::span<const Position> positions, int zstd_level, ChunkSummary& summary);

/// Decodes a blob into `out` (cleared first). Throws vw::IoError on a corrupt blob (`what` names it).
void decode_chunk(std::string_view blob, ChunkColumns& out, std::string_view what);
/// The same, filling only `columns` (the other vectors of `out` are left empty). The whole blob is still
/// checked: a corrupt chunk throws whatever columns are asked for.
void decode_chunk(std::string_view blob, ChunkColumns& out, std::string_view what, Columns columns);

/// Day number (UTC) of a Unix millisecond time: positions of one chunk share it.
[[nodiscard]] constexpr std::int64_t utc_day(std::int64_t time_ms) noexcept {
    constexpr std::int64_t kMsPerDay = 86400000;
    return time_ms >= 0 ? time_ms / kMsPerDay : -((-time_ms + kMsPerDay - 1) / kMsPerDay);
}

}  // namespace vw::track
