// One stored position of a vessel, in AIS units (exact: no float rounding between the decoder and the
// store), with its reference to the raw input it came from (issue 6).
#pragma once

#include <array>
#include <cstdint>

namespace vw::track {

// AIS "not available" values and units, ITU-R M.1371-5 (message 1/2/3/18/19).
inline constexpr std::int32_t kLatUnavailable = 91 * 600000;    ///< 91 degrees, in 1/10000 minute
inline constexpr std::int32_t kLonUnavailable = 181 * 600000;   ///< 181 degrees
inline constexpr std::int32_t kUnitsPerDegree = 600000;         ///< 1/10000 minute
inline constexpr std::uint16_t kSogUnavailable = 1023;          ///< 102.3 kn
inline constexpr std::uint16_t kCogUnavailable = 3600;          ///< 360.0 degrees
inline constexpr std::uint16_t kHeadingUnavailable = 511;
inline constexpr std::int8_t kTurnUnavailable = -128;
inline constexpr std::uint8_t kStatusUndefined = 15;
/// Extra fragment lines kept per position (a position message spans at most 2 sentences in practice;
/// the reassembler allows 9 fragments, so 8 extra lines).
inline constexpr std::size_t kMaxExtraLines = 8;

// Bits of Position::flags.
inline constexpr std::uint8_t kFlagAccuracy = 1;  ///< position accuracy flag (DGNSS, < 10 m)
inline constexpr std::uint8_t kFlagRaim = 2;
inline constexpr std::uint8_t kFlagClassBCs = 4;  ///< class B "CS" (carrier-sense TDMA) unit

/// Where a stored record came from: the logical source (track_sources.id) and its 1-based physical
/// line; for a multi-part message, the lines of the later fragments as offsets from `line`.
struct SourceRef {
    std::uint32_t source_id = 0;
    std::uint8_t fragments = 1;
    std::uint64_t line = 0;
    std::array<std::uint32_t, kMaxExtraLines> extra_line_offsets{};  ///< [0, fragments - 1)
};

struct Position {
    std::uint32_t mmsi = 0;
    std::int64_t time_ms = 0;  ///< receive time, Unix milliseconds UTC
    std::int32_t lat = 0;      ///< 1/10000 minute (AIS units)
    std::int32_t lon = 0;
    std::uint16_t sog = kSogUnavailable;  ///< 1/10 knot
    std::uint16_t cog = kCogUnavailable;  ///< 1/10 degree
    std::uint16_t heading = kHeadingUnavailable;
    std::int8_t turn = kTurnUnavailable;  ///< ROT_AIS as transmitted
    std::uint8_t status = kStatusUndefined;
    std::uint8_t type = 0;       ///< AIS message type; 0 = from a decoded dump without a type
    std::uint8_t flags = 0;      ///< kFlag* bits
    std::uint8_t receivers = 1;  ///< receivers that heard this message (duplicates folded in)
    SourceRef ref;

    [[nodiscard]] double lat_deg() const noexcept { return lat / static_cast<double>(kUnitsPerDegree); }
    [[nodiscard]] double lon_deg() const noexcept { return lon / static_cast<double>(kUnitsPerDegree); }
};

}  // namespace vw::track
