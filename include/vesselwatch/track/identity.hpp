// Vessel identities: the static and voyage data an MMSI broadcasts (AIS types 5, 19, 24, 21), kept as
// a history of records with validity intervals, plus the checks analysts rely on (IMO check digit,
// flag from the MMSI's Maritime Identification Digits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vesselwatch/track/position.hpp"

namespace vw::track {

/// What kind of station an MMSI's messages say it is.
enum class StationClass : std::uint8_t { unknown, class_a, class_b, base_station, aid_to_navigation, sar_aircraft };

[[nodiscard]] std::string_view station_class_name(StationClass c) noexcept;
[[nodiscard]] StationClass station_class_from_name(std::string_view s) noexcept;

/// IMO ship identification number: 7 digits, the last a check digit (sum of the first six weighted
/// 7..2, modulo 10). SOLAS XI-1/3, IMO Resolution A.1078(28).
[[nodiscard]] bool imo_is_valid(std::uint32_t imo) noexcept;

/// A type 5 ETA as stored in identities: "MM-DDTHH:MM" (two digits each, as sent: month 1-12, day 1-31,
/// hour 0-23, minute 0-59, with AIS's "not available" values 0, 0, 24 and 60 kept), or "" when month and
/// day are not available and the time is not available or 00:00.
[[nodiscard]] std::string eta_text(unsigned month, unsigned day, unsigned hour, unsigned minute);

/// A flag state.
struct Flag {
    std::string_view iso2;  ///< ISO 3166-1 alpha-2 ("PA"); some MIDs are territories with their own code
    std::string_view name;
};

/// The Maritime Identification Digits of an MMSI (ITU-R M.585): ships MIDxxxxxx, group 0MIDxxxxx,
/// coast stations 00MIDxxxx, SAR aircraft 111MIDxxx, handhelds 8MIDxxxxx, craft associated with a
/// parent ship 98MIDxxxx, aids to navigation 99MIDxxxx. nullopt for MMSIs that carry no MID
/// (970/972/974 devices, out of range).
[[nodiscard]] std::optional<unsigned> mid_of_mmsi(std::uint32_t mmsi) noexcept;

/// The flag state allocated a MID (ITU table compiled into the program; no data file needed).
[[nodiscard]] std::optional<Flag> flag_of_mid(unsigned mid) noexcept;

[[nodiscard]] inline std::optional<Flag> flag_of_mmsi(std::uint32_t mmsi) noexcept {
    const auto mid = mid_of_mmsi(mmsi);
    return mid ? flag_of_mid(*mid) : std::nullopt;
}

/// Static and voyage data as last reported. Empty text / 0 = not reported (AIS "not available").
struct StaticData {
    StationClass station_class = StationClass::unknown;
    std::string name;
    std::string callsign;
    std::uint32_t imo = 0;  ///< as transmitted (kept even when the check digit fails; see imo_is_valid)
    std::uint8_t ship_type = 0;
    std::uint16_t to_bow = 0, to_stern = 0;  ///< metres
    std::uint8_t to_port = 0, to_starboard = 0;
    std::uint8_t draught_dm = 0;  ///< decimetres
    std::string destination;
    std::string eta;  ///< "MM-DDTHH:MM" as transmitted (no year in AIS), "" when not available
    bool operator==(const StaticData&) const = default;

    [[nodiscard]] std::uint16_t length_m() const noexcept { return static_cast<std::uint16_t>(to_bow + to_stern); }
    [[nodiscard]] std::uint16_t beam_m() const noexcept { return static_cast<std::uint16_t>(to_port + to_starboard); }
};

/// One stored identity record: the data held unchanged over [first_ms, last_ms], seen in `reports`
/// messages, with the reference to the first message that reported it and the line of the last one.
struct IdentityRecord {
    std::int64_t id = 0;
    std::uint32_t mmsi = 0;
    std::int64_t first_ms = 0, last_ms = 0;
    std::uint32_t reports = 0;
    StaticData data;
    SourceRef first_ref;
    std::uint64_t last_line = 0;
};

}  // namespace vw::track
