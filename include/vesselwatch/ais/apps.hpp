// DAC/FI application payloads carried by binary messages 6 and 8 (IMO SN.1/Circ.236 and 289, GLA).
// Bit positions are relative to the first bit after the FI field. The raw data bits always stay in
// the message (`data`); an application struct is a decoded view of them.
#pragma once

#include <cstdint>
#include <variant>

#include "vesselwatch/ais/field.hpp"

namespace vw::ais {

/// DAC 1 FI 0: text telegram (IMO 236/289), messages 6 and 8. gpsd does not decode it (prints data).
struct TextTelegram {
    static constexpr std::uint16_t kMinBits = 12;
    static constexpr std::uint16_t kNominalBits = 12;
    static constexpr bool kGpsdStructured = false;
    bool ack_required = false;
    std::uint16_t msg_seq = 0;
    Text<161> text;
    bool operator==(const TextTelegram&) const = default;
};

template <class V, class M>
void visit_app(V& v, M& m, TextTelegram*) {
    v(Field{"ack_required", 0, 1, Fmt::boolean}, m.ack_required);
    v(Field{"msg_seq", 1, 11}, m.msg_seq);
    v(Field{"text", 12, 0, Fmt::text}, m.text);
}

/// DAC 1 FI 11: IMO 236 meteorological and hydrological data (message 8).
struct MetHydro236 {
    static constexpr std::uint16_t kMinBits = 0;  // gpsd decodes any length (missing bits read as 0)
    static constexpr std::uint16_t kNominalBits = 296;
    static constexpr bool kGpsdStructured = true;
    std::int32_t lat = 0, lon = 0;  // 1/1000 minute
    std::uint8_t day = 0, hour = 0, minute = 0;
    std::uint8_t wspeed = 0, wgust = 0;
    std::uint16_t wdir = 0, wgustdir = 0, airtemp = 0;
    std::uint8_t humidity = 0;
    std::uint16_t dewpoint = 0, pressure = 0;
    std::uint8_t pressuretend = 0, visibility = 0;
    std::uint16_t waterlevel = 0;
    std::uint8_t leveltrend = 0, cspeed = 0;
    std::uint16_t cdir = 0;
    std::uint8_t cspeed2 = 0;
    std::uint16_t cdir2 = 0;
    std::uint8_t cdepth2 = 0, cspeed3 = 0;
    std::uint16_t cdir3 = 0;
    std::uint8_t cdepth3 = 0, waveheight = 0, waveperiod = 0;
    std::uint16_t wavedir = 0;
    std::uint8_t swellheight = 0, swellperiod = 0;
    std::uint16_t swelldir = 0;
    std::uint8_t seastate = 0;
    std::uint16_t watertemp = 0;
    std::uint8_t preciptype = 0;
    std::uint16_t salinity = 0;
    std::uint8_t ice = 0, spare = 0;
    bool operator==(const MetHydro236&) const = default;
};

template <class V, class M>
void visit_app(V& v, M& m, MetHydro236*) {
    constexpr Scale kTenths{0, 10, 1};
    v(Field{"lat", 0, 24, Fmt::latlon_1e3min}, m.lat);
    v(Field{"lon", 24, 25, Fmt::latlon_1e3min}, m.lon);
    v(Field{"day", 49, 5, Fmt::dts_day}, m.day);
    v(Field{"hour", 54, 5, Fmt::dts_hour}, m.hour);
    v(Field{"timestamp", 59, 6, Fmt::dts_minute}, m.minute);
    v(Field{"wspeed", 65, 7}, m.wspeed);
    v(Field{"wgust", 72, 7}, m.wgust);
    v(Field{"wdir", 79, 9}, m.wdir);
    v(Field{"wgustdir", 88, 9}, m.wgustdir);
    v(Field{"humidity", 108, 7}, m.humidity);
    v(Field{"airtemp", 97, 11, Fmt::scaled, 0, {600, 10, 1}}, m.airtemp);
    v(Field{"dewpoint", 115, 10, Fmt::scaled, 0, {200, 10, 1}}, m.dewpoint);
    v(Field{"pressure", 125, 9, Fmt::scaled, 0, {-800, 1, 0}}, m.pressure);
    v(Field{"pressuretend", 134, 2, Fmt::trend}, m.pressuretend);
    v(Field{"visibility", 136, 8, Fmt::scaled, 0, kTenths}, m.visibility);
    v(Field{"waterlevel", 144, 9, Fmt::scaled, 0, {100, 10, 1}}, m.waterlevel);
    v(Field{"leveltrend", 153, 2, Fmt::trend}, m.leveltrend);
    v(Field{"cspeed", 155, 8, Fmt::scaled, 0, kTenths}, m.cspeed);
    v(Field{"cdir", 163, 9}, m.cdir);
    v(Field{"cspeed2", 172, 8, Fmt::scaled, 0, kTenths}, m.cspeed2);
    v(Field{"cdir2", 180, 9}, m.cdir2);
    v(Field{"cdepth2", 189, 5}, m.cdepth2);
    v(Field{"cspeed3", 194, 8, Fmt::scaled, 0, kTenths}, m.cspeed3);
    v(Field{"cdir3", 202, 9}, m.cdir3);
    v(Field{"cdepth3", 211, 5}, m.cdepth3);
    v(Field{"waveheight", 216, 8, Fmt::scaled, 0, kTenths}, m.waveheight);
    v(Field{"waveperiod", 224, 6}, m.waveperiod);
    v(Field{"wavedir", 230, 9}, m.wavedir);
    v(Field{"swellheight", 239, 8, Fmt::scaled, 0, kTenths}, m.swellheight);
    v(Field{"swellperiod", 247, 6}, m.swellperiod);
    v(Field{"swelldir", 253, 9}, m.swelldir);
    v(Field{"seastate", 262, 4}, m.seastate);
    v(Field{"watertemp", 266, 10, Fmt::scaled, 0, {100, 10, 1}}, m.watertemp);
    v(Field{"preciptype", 276, 3, Fmt::precip}, m.preciptype);
    v(Field{"salinity", 279, 9, Fmt::scaled, 0, kTenths}, m.salinity);
    v(Field{"ice", 288, 2, Fmt::ice}, m.ice);
    v(hidden("spare", 290, 6), m.spare);
}

/// DAC 1 FI 31: IMO 289 meteorological and hydrological data (message 8).
struct MetHydro289 {
    static constexpr std::uint16_t kMinBits = 0;  // gpsd decodes any length (missing bits read as 0)
    static constexpr std::uint16_t kNominalBits = 304;
    static constexpr bool kGpsdStructured = true;
    std::int32_t lon = 0, lat = 0;  // 1/1000 minute
    bool accuracy = false;
    std::uint8_t day = 0, hour = 0, minute = 0;
    std::uint8_t wspeed = 0, wgust = 0;
    std::uint16_t wdir = 0, wgustdir = 0;
    std::int16_t airtemp = 0;  // 0.1 degC, signed
    std::uint8_t humidity = 0;
    std::int16_t dewpoint = 0;  // 0.1 degC, signed
    std::uint16_t pressure = 0;
    std::uint8_t pressuretend = 0;
    bool visgreater = false;
    std::uint8_t visibility = 0;
    std::uint16_t waterlevel = 0;
    std::uint8_t leveltrend = 0, cspeed = 0;
    std::uint16_t cdir = 0;
    std::uint8_t cspeed2 = 0;
    std::uint16_t cdir2 = 0;
    std::uint8_t cdepth2 = 0, cspeed3 = 0;
    std::uint16_t cdir3 = 0;
    std::uint8_t cdepth3 = 0, waveheight = 0, waveperiod = 0;
    std::uint16_t wavedir = 0;
    std::uint8_t swellheight = 0, swellperiod = 0;
    std::uint16_t swelldir = 0;
    std::uint8_t seastate = 0;
    std::int16_t watertemp = 0;  // 0.1 degC, signed
    std::uint8_t preciptype = 0;
    std::uint16_t salinity = 0;
    std::uint8_t ice = 0;
    std::uint16_t spare = 0;
    bool operator==(const MetHydro289&) const = default;
};

template <class V, class M>
void visit_app(V& v, M& m, MetHydro289*) {
    constexpr Scale kTenths{0, 10, 1};
    v(Field{"lat", 25, 24, Fmt::latlon_1e3min}, m.lat);
    v(Field{"lon", 0, 25, Fmt::latlon_1e3min}, m.lon);
    v(Field{"accuracy", 49, 1, Fmt::boolean}, m.accuracy);
    v(Field{"day", 50, 5, Fmt::dts_day}, m.day);
    v(Field{"hour", 55, 5, Fmt::dts_hour}, m.hour);
    v(Field{"timestamp", 60, 6, Fmt::dts_minute}, m.minute);
    v(Field{"wspeed", 66, 7}, m.wspeed);
    v(Field{"wgust", 73, 7}, m.wgust);
    v(Field{"wdir", 80, 9}, m.wdir);
    v(Field{"wgustdir", 89, 9}, m.wgustdir);
    v(Field{"humidity", 109, 7}, m.humidity);
    v(Field{"airtemp", 98, 11, Fmt::scaled, 0, kTenths}, m.airtemp);
    v(Field{"dewpoint", 116, 10, Fmt::scaled, 0, kTenths}, m.dewpoint);
    v(Field{"pressure", 126, 9, Fmt::scaled, 0, {-799, 1, 0}}, m.pressure);
    v(Field{"pressuretend", 135, 2, Fmt::trend}, m.pressuretend);
    v(Field{"visgreater", 137, 1, Fmt::boolean}, m.visgreater);
    v(Field{"visibility", 138, 7, Fmt::scaled, 0, kTenths}, m.visibility);
    v(Field{"waterlevel", 145, 12, Fmt::scaled, 0, {1000, 100, 1}}, m.waterlevel);
    v(Field{"leveltrend", 157, 2, Fmt::trend}, m.leveltrend);
    v(Field{"cspeed", 159, 8, Fmt::scaled, 0, kTenths}, m.cspeed);
    v(Field{"cdir", 167, 9}, m.cdir);
    v(Field{"cspeed2", 176, 8, Fmt::scaled, 0, kTenths}, m.cspeed2);
    v(Field{"cdir2", 184, 9}, m.cdir2);
    v(Field{"cdepth2", 193, 5}, m.cdepth2);
    v(Field{"cspeed3", 198, 8, Fmt::scaled, 0, kTenths}, m.cspeed3);
    v(Field{"cdir3", 206, 9}, m.cdir3);
    v(Field{"cdepth3", 215, 5}, m.cdepth3);
    v(Field{"waveheight", 220, 8, Fmt::scaled, 0, kTenths}, m.waveheight);
    v(Field{"waveperiod", 228, 6}, m.waveperiod);
    v(Field{"wavedir", 234, 9}, m.wavedir);
    v(Field{"swellheight", 243, 8, Fmt::scaled, 0, kTenths}, m.swellheight);
    v(Field{"swellperiod", 251, 6}, m.swellperiod);
    v(Field{"swelldir", 257, 9}, m.swelldir);
    v(Field{"seastate", 266, 4}, m.seastate);
    v(Field{"watertemp", 270, 10, Fmt::scaled, 0, kTenths}, m.watertemp);
    v(Field{"preciptype", 280, 3, Fmt::precip_text}, m.preciptype);
    v(Field{"salinity", 283, 9, Fmt::scaled, 0, kTenths}, m.salinity);
    v(Field{"ice", 292, 2, Fmt::ice_text}, m.ice);
    v(hidden("spare", 294, 10), m.spare);
}

/// DAC 235/250 FI 10: GLA AtoN monitoring data (message 6, UK and Ireland).
struct AtonMonitoring {
    static constexpr std::uint16_t kMinBits = 48;
    static constexpr std::uint16_t kNominalBits = 48;
    static constexpr bool kGpsdStructured = true;
    std::uint16_t ana_int = 0, ana_ext1 = 0, ana_ext2 = 0;  // 0.05 V
    std::uint8_t racon = 0, light = 0;
    bool alarm = false;
    std::uint8_t stat_ext = 0;
    bool off_pos = false;
    std::uint8_t spare = 0;
    bool operator==(const AtonMonitoring&) const = default;
};

template <class V, class M>
void visit_app(V& v, M& m, AtonMonitoring*) {
    v(Field{"off_pos", 43, 1, Fmt::boolean}, m.off_pos);
    v(Field{"alarm", 34, 1, Fmt::boolean}, m.alarm);
    v(Field{"stat_ext", 35, 8}, m.stat_ext);
    v(Field{"ana_int", 0, 10, Fmt::ana_05v}, m.ana_int);
    v(Field{"ana_ext1", 10, 10, Fmt::ana_05v}, m.ana_ext1);
    v(Field{"ana_ext2", 20, 10, Fmt::ana_05v}, m.ana_ext2);
    v(Field{"racon", 30, 2, Fmt::racon}, m.racon);
    v(Field{"light", 32, 2, Fmt::light}, m.light);
    v(hidden("spare", 44, 4), m.spare);
}

/// DAC 200 FI 10: inland ship static and voyage related data (message 8, CCNR Inland AIS / RIS
/// standard). gpsd 3.22 prints these fields unscaled (length, beam in 1/10 m; draught in 1/100 m)
/// and only at exactly 112 data bits with a hazard code of 0-5 (its guard against other uses of
/// the DAC/FI); otherwise it prints the raw data, and so do we.
struct InlandStatic {
    static constexpr std::uint16_t kMinBits = 112;
    static constexpr std::uint16_t kNominalBits = 112;
    static constexpr bool kGpsdStructured = true;
    static constexpr std::uint16_t kHazardPos = 85;
    static constexpr unsigned kHazardBits = 3;
    static constexpr unsigned kMaxHazard = 5;  // 0-4 blue cones / B flag, 5 unknown
    Text<8> vin;                               // ENI (European vessel identification number)
    std::uint16_t length = 0;                  // 1/10 m
    std::uint16_t beam = 0;                    // 1/10 m
    std::uint16_t shiptype = 0;                // ERI ship or combination type (8000-8370)
    std::uint8_t hazard = 0;
    std::uint16_t draught = 0;                                  // 1/100 m
    std::uint8_t loaded = 0;                                    // 0 n/a, 1 unloaded, 2 loaded
    bool speed_q = false, course_q = false, heading_q = false;  // true = high quality
    std::uint8_t spare = 0;
    bool operator==(const InlandStatic&) const = default;
};

template <class V, class M>
void visit_app(V& v, M& m, InlandStatic*) {
    v(Field{"vin", 0, 48, Fmt::text}, m.vin);
    v(Field{"length", 48, 13}, m.length);
    v(Field{"beam", 61, 10}, m.beam);
    v(Field{"shiptype", 71, 14, Fmt::eri_shiptype}, m.shiptype);
    v(Field{"hazard", InlandStatic::kHazardPos, InlandStatic::kHazardBits, Fmt::hazard}, m.hazard);
    v(Field{"draught", 88, 11}, m.draught);
    v(Field{"loaded", 99, 2, Fmt::loaded}, m.loaded);
    v(Field{"speed_q", 101, 1, Fmt::boolean}, m.speed_q);
    v(Field{"course_q", 102, 1, Fmt::boolean}, m.course_q);
    v(Field{"heading_q", 103, 1, Fmt::boolean}, m.heading_q);
    v(hidden("spare", 104, 8), m.spare);
}

/// A decoded application payload, or monostate when the DAC/FI is not one we decode.
using App =
    std::variant<std::monostate, TextTelegram, MetHydro236, MetHydro289, AtonMonitoring, InlandStatic>;

/// Which application (variant index, 0 = none) binary data with this DAC/FI carries, judged by the
/// DAC/FI alone (the JSON reader's view: gpsd prints an application's fields instead of "data").
[[nodiscard]] constexpr std::size_t app_candidate(unsigned msg_type, unsigned dac, unsigned fid) noexcept {
    if (dac == 1 && fid == 0) return 1;
    if (msg_type == 8 && dac == 1 && fid == 11) return 2;
    if (msg_type == 8 && dac == 1 && fid == 31) return 3;
    if (msg_type == 6 && (dac == 235 || dac == 250) && fid == 10) return 4;
    if (msg_type == 8 && dac == 200 && fid == 10) return 5;
    return 0;
}

/// Which application (variant index, 0 = none) a binary message carries. `msg_type` is 6 or 8.
/// Length and content conditions follow gpsd (met-hydro at any length, GLA 10 at exactly 48 data
/// bits, inland static data at exactly 112 bits with a hazard code of at most 5).
[[nodiscard]] constexpr std::size_t app_index(unsigned msg_type, unsigned dac, unsigned fid,
                                              const BitData& data) noexcept {
    const std::size_t candidate = app_candidate(msg_type, dac, fid);
    const std::size_t nbits = data.nbits;
    switch (candidate) {
        case 1:
            return nbits >= TextTelegram::kMinBits ? 1 : 0;
        case 2:
        case 3:
            return candidate;  // any length (kMinBits 0)
        case 4:
            return nbits == AtonMonitoring::kMinBits ? 4 : 0;
        case 5: {
            if (nbits != InlandStatic::kNominalBits) return 0;
            constexpr unsigned kShift = 8 - InlandStatic::kHazardPos % 8 - InlandStatic::kHazardBits;
            static_assert(InlandStatic::kHazardPos % 8 + InlandStatic::kHazardBits <= 8, "one byte");
            const unsigned hazard = (data.bytes[InlandStatic::kHazardPos / 8] >> kShift) &
                                    ((1u << InlandStatic::kHazardBits) - 1u);
            return hazard <= InlandStatic::kMaxHazard ? 5 : 0;
        }
        default:
            return 0;
    }
}

/// Whether gpsd prints this application's fields (true) or the raw "data" (false).
[[nodiscard]] inline bool app_gpsd_structured(const App& a) noexcept {
    return std::visit(
        [](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return false;
            } else {
                return T::kGpsdStructured;
            }
        },
        a);
}

}  // namespace vw::ais
