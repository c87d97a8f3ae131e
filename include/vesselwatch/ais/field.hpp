// Field descriptors shared by every consumer of the typed AIS messages. Each message type lists its
// fields exactly once (see messages.hpp, `visit`); a visitor receives a `Field` plus a reference to
// the struct member and does its job: decode from bits, encode to bits, write or read JSON.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace vw::ais {

/// How a field is shown in gpsd-compatible JSON (and read back). Raw integer values are stored in the
/// structs exactly as transmitted; these formats say how gpsd scales them.
enum class Fmt : std::uint8_t {
    uint,             // %u
    sint,             // %d
    boolean,          // true/false
    text,             // escaped string
    nav_status,       // %u plus "<name>_text" legend (navigational status)
    nav_status_text,  // legend only, as a string (type 27)
    epfd,             // %u plus "epfd_text"
    shiptype,         // %u plus "shiptype_text"
    station_type,     // %u plus "stationtype_text"
    aid_type,         // %u plus "aid_type_text"
    rot,              // "nan"/"fastleft"/"fastright" or round((rot/4.733)^2), as gpsd 3.22 prints it
    sog_tenths,       // "nan" (1023), "fast" (1022), else value/10 %.1f
    tenths,           // value/10 %.1f
    sar_alt,          // "nan" (4095), "high" (4094), else %u
    sar_speed,        // "nan" (1023), "fast" (1022), else %u
    latlon_1e4min,    // 1/10000 minute -> degrees %.6f
    latlon_1e1min,    // 1/10 minute -> degrees %.1f
    corner_1e1min,    // 1/10 minute -> degrees "%.6f" as a JSON string (types 22, 23)
    latlon_1e3min,    // 1/1000 minute -> degrees %.4f (IMO met-hydro)
    scaled,           // (raw - offset) / divisor with `decimals` decimals
    ts_year,          // parts of "timestamp":"YYYY-MM-DDTHH:MM:SSZ" (types 4, 11)
    ts_month,
    ts_day,
    ts_hour,
    ts_minute,
    ts_second,  // the composite is written when this last part is visited
    eta_month,  // parts of "eta":"MM-DDTHH:MMZ" (type 5)
    eta_day,
    eta_hour,
    eta_minute,
    dts_day,  // parts of "timestamp":"DDTHH:MMZ" (met-hydro)
    dts_hour,
    dts_minute,
    trend,         // legend only: steady/increasing/decreasing/N/A
    precip,        // %u plus "preciptype_text"
    precip_text,   // legend only
    ice,           // %u plus "ice_text"
    ice_text,      // legend only
    ana_05v,       // GLA AtoN analogue: 0 -> 0, else value*0.05 %.2f
    racon,         // %u plus "racon_text"
    light,         // %u plus "light_text"
    eri_shiptype,  // %u plus "shiptype_text" from the ERI (inland) ship type table
    hazard,        // %u plus "hazard_text" (inland hazardous cargo: blue cones)
    loaded,        // %u plus "loaded_text"
    data,          // "data":"<nbits>:<hex>"
};

/// Field flags.
inline constexpr std::uint8_t kNoJson = 1;  // transmitted but not part of gpsd's JSON (spares, ...)
inline constexpr std::uint8_t kNoAir = 2;   // JSON only, not in this payload (merged 24A name, ...)

/// Linear scaling for Fmt::scaled: json = (raw - offset) / divisor.
struct Scale {
    std::int32_t offset = 0;
    std::int32_t divisor = 1;
    std::uint8_t decimals = 0;
};

struct Field {
    std::string_view name;
    std::uint16_t pos = 0;    // first bit
    std::uint16_t width = 0;  // bits; text: 6 * chars; 0 = "to the end of the payload"
    Fmt fmt = Fmt::uint;
    std::uint8_t flags = 0;
    Scale scale{};
};

/// A spare or otherwise JSON-less field.
constexpr Field hidden(std::string_view name, std::uint16_t pos, std::uint16_t width) noexcept {
    return Field{name, pos, width, Fmt::uint, kNoJson, {}};
}

/// How a repeated group's entry count follows from the bit length.
enum class Entries : std::uint8_t { complete, started };

/// Fixed-capacity 6-bit text, stored decoded ('@' padding and trailing spaces removed, as gpsd).
template <std::size_t N>
struct Text {
    static constexpr std::size_t kCapacity = N;
    std::array<char, N> c{};
    std::uint8_t n = 0;

    [[nodiscard]] std::string_view view() const noexcept { return {c.data(), n}; }
    [[nodiscard]] std::size_t size() const noexcept { return n; }
    /// Copies at most N characters.
    void assign(std::string_view s) noexcept {
        n = static_cast<std::uint8_t>(std::min(s.size(), N));
        std::memcpy(c.data(), s.data(), n);
        std::fill(c.begin() + n, c.end(), '\0');
    }
    friend bool operator==(const Text& a, const Text& b) noexcept { return a.view() == b.view(); }
};

/// Largest binary application payload we keep, in bits (a 5-slot message minus the smallest header).
inline constexpr std::size_t kMaxDataBits = 1008;

/// Raw binary data bits (types 6, 8, 17, 25, 26), packed MSB first. The bits after `nbits` up to the
/// byte boundary hold what followed the data in the payload (gpsd's hex dump shows them: the start of
/// the communication state in type 26); they are not part of the data and are ignored by ==.
struct BitData {
    alignas(8) std::array<std::uint8_t, kMaxDataBits / 8 + 8> bytes{};
    std::uint16_t nbits = 0;

    [[nodiscard]] std::size_t nbytes() const noexcept { return (nbits + 7u) / 8u; }
    friend bool operator==(const BitData& a, const BitData& b) noexcept {
        if (a.nbits != b.nbits) return false;
        const std::size_t full = a.nbits / 8u;
        if (std::memcmp(a.bytes.data(), b.bytes.data(), full) != 0) return false;
        const unsigned rest = a.nbits % 8u;
        const auto mask = static_cast<std::uint8_t>(0xFF00u >> rest);
        return rest == 0 || ((a.bytes[full] ^ b.bytes[full]) & mask) == 0;
    }
};

}  // namespace vw::ais
