// Typed AIS messages, ITU-R M.1371-5: one plain struct per message type (1/2/3, 4/11 and 7/13 share
// one), raw integer fields as transmitted. Each struct's layout is written exactly once, in its
// `visit` overload, in gpsd's JSON order, with absolute bit positions; the decoder, the encoder, the
// JSON writer and the JSON reader are all visitors over that one list.
#pragma once

#include <array>
#include <cstdint>
#include <variant>

#include "vesselwatch/ais/apps.hpp"
#include "vesselwatch/ais/field.hpp"

namespace vw::ais {

/// Common header: message type (0-5), repeat indicator (6-7), MMSI (8-37).
struct Header {
    std::uint8_t type = 0;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    bool operator==(const Header&) const = default;
};

// Nominal lengths and the lengths real transponders send (see docs/ais-fields.md).
inline constexpr std::size_t kType1Bits = 168;
inline constexpr std::size_t kType5Bits = 424;
inline constexpr std::size_t kType24Bits = 168;
inline constexpr std::size_t kType27Bits = 96;

/// Types 1, 2, 3: Class A position report.
struct PositionA : Header {
    std::uint8_t status = 0;
    std::int8_t turn = 0;     // ROT_AIS, -128 = not available
    std::uint16_t speed = 0;  // 1/10 knot, 1023 = n/a
    bool accuracy = false;
    std::int32_t lon = 0;  // 1/10000 minute
    std::int32_t lat = 0;
    std::uint16_t course = 0;   // 1/10 degree
    std::uint16_t heading = 0;  // degrees, 511 = n/a
    std::uint8_t second = 0;
    std::uint8_t maneuver = 0;
    std::uint8_t spare = 0;
    bool raim = false;
    std::uint32_t radio = 0;
    bool operator==(const PositionA&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, PositionA*) {
    v.header(m);
    v(Field{"status", 38, 4, Fmt::nav_status}, m.status);
    v(Field{"turn", 42, 8, Fmt::rot}, m.turn);
    v(Field{"speed", 50, 10, Fmt::sog_tenths}, m.speed);
    v(Field{"accuracy", 60, 1, Fmt::boolean}, m.accuracy);
    v(Field{"lon", 61, 28, Fmt::latlon_1e4min}, m.lon);
    v(Field{"lat", 89, 27, Fmt::latlon_1e4min}, m.lat);
    v(Field{"course", 116, 12, Fmt::tenths}, m.course);
    v(Field{"heading", 128, 9}, m.heading);
    v(Field{"second", 137, 6}, m.second);
    v(Field{"maneuver", 143, 2}, m.maneuver);
    v(hidden("spare", 145, 3), m.spare);
    v(Field{"raim", 148, 1, Fmt::boolean}, m.raim);
    v(Field{"radio", 149, 19}, m.radio);
}

/// Types 4 and 11: base station report / UTC and date response.
struct BaseStation : Header {
    std::uint16_t year = 0;
    std::uint8_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
    bool accuracy = false;
    std::int32_t lon = 0, lat = 0;  // 1/10000 minute
    std::uint8_t epfd = 0;
    std::uint16_t spare = 0;
    bool raim = false;
    std::uint32_t radio = 0;
    bool operator==(const BaseStation&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, BaseStation*) {
    v.header(m);
    v(Field{"year", 38, 14, Fmt::ts_year}, m.year);
    v(Field{"month", 52, 4, Fmt::ts_month}, m.month);
    v(Field{"day", 56, 5, Fmt::ts_day}, m.day);
    v(Field{"hour", 61, 5, Fmt::ts_hour}, m.hour);
    v(Field{"minute", 66, 6, Fmt::ts_minute}, m.minute);
    v(Field{"timestamp", 72, 6, Fmt::ts_second}, m.second);
    v(Field{"accuracy", 78, 1, Fmt::boolean}, m.accuracy);
    v(Field{"lon", 79, 28, Fmt::latlon_1e4min}, m.lon);
    v(Field{"lat", 107, 27, Fmt::latlon_1e4min}, m.lat);
    v(Field{"epfd", 134, 4, Fmt::epfd}, m.epfd);
    v(hidden("spare", 138, 10), m.spare);
    v(Field{"raim", 148, 1, Fmt::boolean}, m.raim);
    v(Field{"radio", 149, 19}, m.radio);
}

/// Type 5: static and voyage related data.
struct StaticVoyage : Header {
    std::uint8_t ais_version = 0;
    std::uint32_t imo = 0;
    Text<7> callsign;
    Text<20> shipname;
    std::uint8_t shiptype = 0;
    std::uint16_t to_bow = 0, to_stern = 0;
    std::uint8_t to_port = 0, to_starboard = 0;
    std::uint8_t epfd = 0;
    std::uint8_t month = 0, day = 0, hour = 0, minute = 0;  // ETA
    std::uint8_t draught = 0;                               // 1/10 m
    Text<20> destination;
    std::uint8_t dte = 0;
    std::uint8_t spare = 0;
    bool operator==(const StaticVoyage&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, StaticVoyage*) {
    v.header(m);
    v(Field{"imo", 40, 30}, m.imo);
    v(Field{"ais_version", 38, 2}, m.ais_version);
    v(Field{"callsign", 70, 42, Fmt::text}, m.callsign);
    v(Field{"shipname", 112, 120, Fmt::text}, m.shipname);
    v(Field{"shiptype", 232, 8, Fmt::shiptype}, m.shiptype);
    v(Field{"to_bow", 240, 9}, m.to_bow);
    v(Field{"to_stern", 249, 9}, m.to_stern);
    v(Field{"to_port", 258, 6}, m.to_port);
    v(Field{"to_starboard", 264, 6}, m.to_starboard);
    v(Field{"epfd", 270, 4, Fmt::epfd}, m.epfd);
    v(Field{"month", 274, 4, Fmt::eta_month}, m.month);
    v(Field{"day", 278, 5, Fmt::eta_day}, m.day);
    v(Field{"hour", 283, 5, Fmt::eta_hour}, m.hour);
    v(Field{"eta", 288, 6, Fmt::eta_minute}, m.minute);
    v(Field{"draught", 294, 8, Fmt::tenths}, m.draught);
    v(Field{"destination", 302, 120, Fmt::text}, m.destination);
    v(Field{"dte", 422, 1}, m.dte);
    v(hidden("spare", 423, 1), m.spare);
}

/// Type 6: addressed binary message.
struct BinaryAddressed : Header {
    std::uint8_t seqno = 0;
    std::uint32_t dest_mmsi = 0;
    bool retransmit = false;
    std::uint8_t spare = 0;
    std::uint16_t dac = 0;
    std::uint8_t fid = 0;
    BitData data;  // application data after the FI
    App app;       // decoded view of `data`, when known
    bool operator==(const BinaryAddressed&) const = default;
};

inline constexpr std::uint16_t kType6DataPos = 88;
inline constexpr std::uint16_t kType8DataPos = 56;

template <class V, class M>
void visit(V& v, M& m, BinaryAddressed*) {
    v.header(m);
    v(Field{"seqno", 38, 2}, m.seqno);
    v(Field{"dest_mmsi", 40, 30}, m.dest_mmsi);
    v(Field{"retransmit", 70, 1, Fmt::boolean}, m.retransmit);
    v(hidden("spare", 71, 1), m.spare);
    v(Field{"dac", 72, 10}, m.dac);
    v(Field{"fid", 82, 6}, m.fid);
    v.binary(Field{"data", kType6DataPos, 0, Fmt::data}, m.data, m.app, 6, m.dac, m.fid);
}

/// Types 7 and 13: binary / safety acknowledge, 1 to 4 destinations.
struct Acknowledge : Header {
    static constexpr std::size_t kMaxAcks = 4;
    std::uint8_t spare = 0;
    std::uint8_t count = 1;  // number of destinations transmitted (from the length)
    std::array<std::uint32_t, kMaxAcks> ack_mmsi{};
    std::array<std::uint8_t, kMaxAcks> ack_seqno{};
    bool operator==(const Acknowledge&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, Acknowledge*) {
    constexpr std::array<std::string_view, 4> kNames = {"mmsi1", "mmsi2", "mmsi3", "mmsi4"};
    constexpr std::array<std::string_view, 4> kSeq = {"seqno1", "seqno2", "seqno3", "seqno4"};
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v.count(40, 32, Acknowledge::kMaxAcks, m.count);
    for (std::size_t i = 0; i < Acknowledge::kMaxAcks; ++i) {
        const auto pos = static_cast<std::uint16_t>(40 + 32 * i);
        const std::uint8_t air = i < m.count ? 0 : kNoAir;
        v(Field{kNames[i], pos, 30, Fmt::uint, air}, m.ack_mmsi[i]);
        v(Field{kSeq[i], static_cast<std::uint16_t>(pos + 30), 2, Fmt::uint, std::uint8_t(air | kNoJson)},
          m.ack_seqno[i]);
    }
}

/// Type 8: broadcast binary message.
struct BinaryBroadcast : Header {
    std::uint8_t spare = 0;
    std::uint16_t dac = 0;
    std::uint8_t fid = 0;
    BitData data;
    App app;
    bool operator==(const BinaryBroadcast&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, BinaryBroadcast*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v(Field{"dac", 40, 10}, m.dac);
    v(Field{"fid", 50, 6}, m.fid);
    v.binary(Field{"data", kType8DataPos, 0, Fmt::data}, m.data, m.app, 8, m.dac, m.fid);
}

/// Type 9: standard SAR aircraft position report.
struct SarPosition : Header {
    std::uint16_t alt = 0;    // m, 4095 = n/a
    std::uint16_t speed = 0;  // knots, 1023 = n/a
    bool accuracy = false;
    std::int32_t lon = 0, lat = 0;
    std::uint16_t course = 0;
    std::uint8_t second = 0;
    std::uint8_t regional = 0;
    std::uint8_t dte = 0;
    std::uint8_t spare = 0;
    bool assigned = false;
    bool raim = false;
    std::uint32_t radio = 0;
    bool operator==(const SarPosition&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, SarPosition*) {
    v.header(m);
    v(Field{"alt", 38, 12, Fmt::sar_alt}, m.alt);
    v(Field{"speed", 50, 10, Fmt::sar_speed}, m.speed);
    v(Field{"accuracy", 60, 1, Fmt::boolean}, m.accuracy);
    v(Field{"lon", 61, 28, Fmt::latlon_1e4min}, m.lon);
    v(Field{"lat", 89, 27, Fmt::latlon_1e4min}, m.lat);
    v(Field{"course", 116, 12, Fmt::tenths}, m.course);
    v(Field{"second", 128, 6}, m.second);
    v(Field{"regional", 134, 8}, m.regional);
    v(Field{"dte", 142, 1}, m.dte);
    v(hidden("spare", 143, 3), m.spare);
    v(Field{"assigned", 146, 1, Fmt::boolean, kNoJson}, m.assigned);
    v(Field{"raim", 147, 1, Fmt::boolean}, m.raim);
    v(Field{"radio", 148, 20}, m.radio);
}

/// Type 10: UTC/date inquiry.
struct UtcInquiry : Header {
    std::uint8_t spare = 0;
    std::uint32_t dest_mmsi = 0;
    std::uint8_t spare2 = 0;
    bool operator==(const UtcInquiry&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, UtcInquiry*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v(Field{"dest_mmsi", 40, 30}, m.dest_mmsi);
    v(hidden("spare2", 70, 2), m.spare2);
}

/// Type 12: addressed safety related message.
struct SafetyAddressed : Header {
    std::uint8_t seqno = 0;
    std::uint32_t dest_mmsi = 0;
    bool retransmit = false;
    std::uint8_t spare = 0;
    Text<156> text;
    bool operator==(const SafetyAddressed&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, SafetyAddressed*) {
    v.header(m);
    v(Field{"seqno", 38, 2}, m.seqno);
    v(Field{"dest_mmsi", 40, 30}, m.dest_mmsi);
    v(Field{"retransmit", 70, 1, Fmt::boolean}, m.retransmit);
    v(hidden("spare", 71, 1), m.spare);
    v(Field{"text", 72, 0, Fmt::text}, m.text);
}

/// Type 14: broadcast safety related message.
struct SafetyBroadcast : Header {
    std::uint8_t spare = 0;
    Text<161> text;
    bool operator==(const SafetyBroadcast&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, SafetyBroadcast*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v(Field{"text", 40, 0, Fmt::text}, m.text);
}

/// Type 15: interrogation (1 station 1 or 2 messages, or 2 stations).
struct Interrogation : Header {
    std::uint8_t spare = 0;
    std::uint32_t mmsi1 = 0;
    std::uint8_t type1_1 = 0;
    std::uint16_t offset1_1 = 0;
    std::uint8_t spare2 = 0;
    std::uint8_t count = 1;  // 1: 88 bits, 2: + second message (110), 3: + second station (160)
    std::uint8_t type1_2 = 0;
    std::uint16_t offset1_2 = 0;
    std::uint8_t spare3 = 0;
    std::uint32_t mmsi2 = 0;
    std::uint8_t type2_1 = 0;
    std::uint16_t offset2_1 = 0;
    std::uint8_t spare4 = 0;
    bool operator==(const Interrogation&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, Interrogation*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v(Field{"mmsi1", 40, 30}, m.mmsi1);
    v(Field{"type1_1", 70, 6}, m.type1_1);
    v(Field{"offset1_1", 76, 12}, m.offset1_1);
    v.count(70, 20, 3, m.count, Entries::started);  // > 90 bits -> 2, > 110 -> 3 (as gpsd, libais)
    const std::uint8_t air2 = m.count >= 2 ? 0 : kNoAir;
    const std::uint8_t air3 = m.count >= 3 ? 0 : kNoAir;
    v(Field{"spare2", 88, 2, Fmt::uint, std::uint8_t(air2 | kNoJson)}, m.spare2);
    v(Field{"type1_2", 90, 6, Fmt::uint, air2}, m.type1_2);
    v(Field{"offset1_2", 96, 12, Fmt::uint, air2}, m.offset1_2);
    v(Field{"spare3", 108, 2, Fmt::uint, std::uint8_t(air2 | kNoJson)}, m.spare3);
    v(Field{"mmsi2", 110, 30, Fmt::uint, air3}, m.mmsi2);
    v(Field{"type2_1", 140, 6, Fmt::uint, air3}, m.type2_1);
    v(Field{"offset2_1", 146, 12, Fmt::uint, air3}, m.offset2_1);
    v(Field{"spare4", 158, 2, Fmt::uint, std::uint8_t(air3 | kNoJson)}, m.spare4);
}

/// Type 16: assigned mode command (1 or 2 stations).
struct AssignedMode : Header {
    std::uint8_t spare = 0;
    std::uint8_t count = 1;  // 1: 96 bits, 2: 144 bits
    std::uint32_t mmsi1 = 0;
    std::uint16_t offset1 = 0, increment1 = 0;
    std::uint32_t mmsi2 = 0;
    std::uint16_t offset2 = 0, increment2 = 0;
    std::uint8_t spare2 = 0;
    bool operator==(const AssignedMode&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, AssignedMode*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v.count(40, 52, 2, m.count);  // 96 bits -> 1, 144 bits -> 2 (gpsd: >= 144)
    v(Field{"mmsi1", 40, 30}, m.mmsi1);
    v(Field{"offset1", 70, 12}, m.offset1);
    v(Field{"increment1", 82, 10}, m.increment1);
    const std::uint8_t air2 = m.count >= 2 ? 0 : kNoAir;
    v(Field{"mmsi2", 92, 30, Fmt::uint, air2}, m.mmsi2);
    v(Field{"offset2", 122, 12, Fmt::uint, air2}, m.offset2);
    v(Field{"increment2", 134, 10, Fmt::uint, air2}, m.increment2);
    v(Field{"spare2", 92, 4, Fmt::uint, std::uint8_t((m.count >= 2 ? kNoAir : 0) | kNoJson)}, m.spare2);
}

/// Type 17: GNSS broadcast binary message (DGNSS corrections).
struct DgnssBroadcast : Header {
    std::uint8_t spare = 0;
    std::int32_t lon = 0, lat = 0;  // 1/10 minute
    std::uint8_t spare2 = 0;
    BitData data;
    bool operator==(const DgnssBroadcast&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, DgnssBroadcast*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v(Field{"lon", 40, 18, Fmt::latlon_1e1min}, m.lon);
    v(Field{"lat", 58, 17, Fmt::latlon_1e1min}, m.lat);
    v(hidden("spare2", 75, 5), m.spare2);
    v(Field{"data", 80, 0, Fmt::data}, m.data);
}

/// Type 18: standard Class B position report.
struct PositionB : Header {
    std::uint8_t reserved = 0;
    std::uint16_t speed = 0;
    bool accuracy = false;
    std::int32_t lon = 0, lat = 0;
    std::uint16_t course = 0;
    std::uint16_t heading = 0;
    std::uint8_t second = 0;
    std::uint8_t regional = 0;
    bool cs = false, display = false, dsc = false, band = false, msg22 = false, assigned = false;
    bool raim = false;
    std::uint32_t radio = 0;
    bool operator==(const PositionB&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, PositionB*) {
    v.header(m);
    v(Field{"reserved", 38, 8}, m.reserved);
    v(Field{"speed", 46, 10, Fmt::tenths}, m.speed);
    v(Field{"accuracy", 56, 1, Fmt::boolean}, m.accuracy);
    v(Field{"lon", 57, 28, Fmt::latlon_1e4min}, m.lon);
    v(Field{"lat", 85, 27, Fmt::latlon_1e4min}, m.lat);
    v(Field{"course", 112, 12, Fmt::tenths}, m.course);
    v(Field{"heading", 124, 9}, m.heading);
    v(Field{"second", 133, 6}, m.second);
    v(Field{"regional", 139, 2}, m.regional);
    v(Field{"cs", 141, 1, Fmt::boolean}, m.cs);
    v(Field{"display", 142, 1, Fmt::boolean}, m.display);
    v(Field{"dsc", 143, 1, Fmt::boolean}, m.dsc);
    v(Field{"band", 144, 1, Fmt::boolean}, m.band);
    v(Field{"msg22", 145, 1, Fmt::boolean}, m.msg22);
    v(Field{"assigned", 146, 1, Fmt::boolean, kNoJson}, m.assigned);
    v(Field{"raim", 147, 1, Fmt::boolean}, m.raim);
    v(Field{"radio", 148, 20}, m.radio);
}

/// Type 19: extended Class B position report.
struct PositionBExtended : Header {
    std::uint8_t reserved = 0;
    std::uint16_t speed = 0;
    bool accuracy = false;
    std::int32_t lon = 0, lat = 0;
    std::uint16_t course = 0;
    std::uint16_t heading = 0;
    std::uint8_t second = 0;
    std::uint8_t regional = 0;
    Text<20> shipname;
    std::uint8_t shiptype = 0;
    std::uint16_t to_bow = 0, to_stern = 0;
    std::uint8_t to_port = 0, to_starboard = 0;
    std::uint8_t epfd = 0;
    bool raim = false;
    std::uint8_t dte = 0;
    bool assigned = false;
    std::uint8_t spare = 0;
    bool operator==(const PositionBExtended&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, PositionBExtended*) {
    v.header(m);
    v(Field{"reserved", 38, 8}, m.reserved);
    v(Field{"speed", 46, 10, Fmt::tenths}, m.speed);
    v(Field{"accuracy", 56, 1, Fmt::boolean}, m.accuracy);
    v(Field{"lon", 57, 28, Fmt::latlon_1e4min}, m.lon);
    v(Field{"lat", 85, 27, Fmt::latlon_1e4min}, m.lat);
    v(Field{"course", 112, 12, Fmt::tenths}, m.course);
    v(Field{"heading", 124, 9}, m.heading);
    v(Field{"second", 133, 6}, m.second);
    v(Field{"regional", 139, 4}, m.regional);
    v(Field{"shipname", 143, 120, Fmt::text}, m.shipname);
    v(Field{"shiptype", 263, 8, Fmt::shiptype}, m.shiptype);
    v(Field{"to_bow", 271, 9}, m.to_bow);
    v(Field{"to_stern", 280, 9}, m.to_stern);
    v(Field{"to_port", 289, 6}, m.to_port);
    v(Field{"to_starboard", 295, 6}, m.to_starboard);
    v(Field{"epfd", 301, 4, Fmt::epfd}, m.epfd);
    v(Field{"raim", 305, 1, Fmt::boolean}, m.raim);
    v(Field{"dte", 306, 1}, m.dte);
    v(Field{"assigned", 307, 1, Fmt::boolean}, m.assigned);
    v(hidden("spare", 308, 4), m.spare);
}

/// Type 20: data link management, 1 to 4 reservations.
struct DataLinkManagement : Header {
    static constexpr std::size_t kMaxSlots = 4;
    struct Slot {
        std::uint16_t offset = 0;
        std::uint8_t number = 0, timeout = 0;
        std::uint16_t increment = 0;
        bool operator==(const Slot&) const = default;
    };
    std::uint8_t spare = 0;
    std::uint8_t count = 1;
    std::array<Slot, kMaxSlots> slots{};
    std::uint8_t spare2 = 0;  // padding to the byte boundary
    bool operator==(const DataLinkManagement&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, DataLinkManagement*) {
    constexpr std::array<std::array<std::string_view, 4>, 4> kNames = {{
        {"offset1", "number1", "timeout1", "increment1"},
        {"offset2", "number2", "timeout2", "increment2"},
        {"offset3", "number3", "timeout3", "increment3"},
        {"offset4", "number4", "timeout4", "increment4"},
    }};
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v.count(40, 30, DataLinkManagement::kMaxSlots, m.count);
    for (std::size_t i = 0; i < DataLinkManagement::kMaxSlots; ++i) {
        const auto pos = static_cast<std::uint16_t>(40 + 30 * i);
        const std::uint8_t air = i < m.count ? 0 : kNoAir;
        auto& s = m.slots[i];
        v(Field{kNames[i][0], pos, 12, Fmt::uint, air}, s.offset);
        v(Field{kNames[i][1], static_cast<std::uint16_t>(pos + 12), 4, Fmt::uint, air}, s.number);
        v(Field{kNames[i][2], static_cast<std::uint16_t>(pos + 16), 3, Fmt::uint, air}, s.timeout);
        v(Field{kNames[i][3], static_cast<std::uint16_t>(pos + 19), 11, Fmt::uint, air}, s.increment);
    }
    const auto end = static_cast<std::uint16_t>(40 + 30 * m.count);
    v(hidden("spare2", end, static_cast<std::uint16_t>((8 - end % 8) % 8)), m.spare2);
}

/// Type 21: aid-to-navigation report. `name` holds the 20 characters plus the name extension.
struct AidToNavigation : Header {
    std::uint8_t aid_type = 0;
    Text<34> name;
    bool accuracy = false;
    std::int32_t lon = 0, lat = 0;
    std::uint16_t to_bow = 0, to_stern = 0;
    std::uint8_t to_port = 0, to_starboard = 0;
    std::uint8_t epfd = 0;
    std::uint8_t second = 0;
    bool off_position = false;
    std::uint8_t regional = 0;
    bool raim = false, virtual_aid = false, assigned = false;
    std::uint8_t spare = 0;
    bool operator==(const AidToNavigation&) const = default;
};

inline constexpr std::uint16_t kAtonNamePos = 43;
inline constexpr std::uint16_t kAtonNameExtPos = 272;

template <class V, class M>
void visit(V& v, M& m, AidToNavigation*) {
    v.header(m);
    v(Field{"aid_type", 38, 5, Fmt::aid_type}, m.aid_type);
    v.aton_name(Field{"name", kAtonNamePos, 120, Fmt::text}, m.name);
    v(Field{"lon", 164, 28, Fmt::latlon_1e4min}, m.lon);
    v(Field{"lat", 192, 27, Fmt::latlon_1e4min}, m.lat);
    v(Field{"accuracy", 163, 1, Fmt::boolean}, m.accuracy);
    v(Field{"to_bow", 219, 9}, m.to_bow);
    v(Field{"to_stern", 228, 9}, m.to_stern);
    v(Field{"to_port", 237, 6}, m.to_port);
    v(Field{"to_starboard", 243, 6}, m.to_starboard);
    v(Field{"epfd", 249, 4, Fmt::epfd}, m.epfd);
    v(Field{"second", 253, 6}, m.second);
    v(Field{"regional", 260, 8}, m.regional);
    v(Field{"off_position", 259, 1, Fmt::boolean}, m.off_position);
    v(Field{"raim", 268, 1, Fmt::boolean}, m.raim);
    v(Field{"virtual_aid", 269, 1, Fmt::boolean}, m.virtual_aid);
    v(Field{"assigned", 270, 1, Fmt::boolean, kNoJson}, m.assigned);
    v(hidden("spare", 271, 1), m.spare);
}

/// Type 22: channel management, broadcast (area) or addressed (two stations).
struct ChannelManagement : Header {
    std::uint8_t spare = 0;
    std::uint16_t channel_a = 0, channel_b = 0;
    std::uint8_t txrx = 0;
    bool power = false;
    std::int32_t ne_lon = 0, ne_lat = 0, sw_lon = 0, sw_lat = 0;  // 1/10 minute (broadcast)
    std::uint32_t dest1 = 0, dest2 = 0;                           // addressed
    std::uint8_t spare_a1 = 0, spare_a2 = 0;                      // addressed-form spares
    bool addressed = false;
    bool band_a = false, band_b = false;
    std::uint8_t zonesize = 0;
    std::uint32_t spare2 = 0;
    bool operator==(const ChannelManagement&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, ChannelManagement*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v(Field{"channel_a", 40, 12}, m.channel_a);
    v(Field{"channel_b", 52, 12}, m.channel_b);
    v(Field{"txrx", 64, 4}, m.txrx);
    v(Field{"power", 68, 1, Fmt::boolean}, m.power);
    v.discriminator(Field{"addressed", 139, 1, Fmt::boolean}, m.addressed);
    if (m.addressed) {
        v(Field{"dest1", 69, 30}, m.dest1);
        v(hidden("spare_a1", 99, 5), m.spare_a1);
        v(Field{"dest2", 104, 30}, m.dest2);
        v(hidden("spare_a2", 134, 5), m.spare_a2);
    } else {
        v(Field{"ne_lon", 69, 18, Fmt::corner_1e1min}, m.ne_lon);
        v(Field{"ne_lat", 87, 17, Fmt::corner_1e1min}, m.ne_lat);
        v(Field{"sw_lon", 104, 18, Fmt::corner_1e1min}, m.sw_lon);
        v(Field{"sw_lat", 122, 17, Fmt::corner_1e1min}, m.sw_lat);
    }
    v(Field{"addressed", 139, 1, Fmt::boolean}, m.addressed);
    v(Field{"band_a", 140, 1, Fmt::boolean}, m.band_a);
    v(Field{"band_b", 141, 1, Fmt::boolean}, m.band_b);
    v(Field{"zonesize", 142, 3}, m.zonesize);
    v(hidden("spare2", 145, 23), m.spare2);
}

/// Type 23: group assignment command.
struct GroupAssignment : Header {
    std::uint8_t spare = 0;
    std::int32_t ne_lon = 0, ne_lat = 0, sw_lon = 0, sw_lat = 0;  // 1/10 minute
    std::uint8_t stationtype = 0;
    std::uint8_t shiptype = 0;
    std::uint32_t spare2 = 0;
    std::uint8_t txrx = 0;
    std::uint8_t interval = 0;
    std::uint8_t quiet = 0;
    std::uint8_t spare3 = 0;
    bool operator==(const GroupAssignment&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, GroupAssignment*) {
    v.header(m);
    v(hidden("spare", 38, 2), m.spare);
    v(Field{"ne_lon", 40, 18, Fmt::corner_1e1min}, m.ne_lon);
    v(Field{"ne_lat", 58, 17, Fmt::corner_1e1min}, m.ne_lat);
    v(Field{"sw_lon", 75, 18, Fmt::corner_1e1min}, m.sw_lon);
    v(Field{"sw_lat", 93, 17, Fmt::corner_1e1min}, m.sw_lat);
    v(Field{"stationtype", 110, 4, Fmt::station_type}, m.stationtype);
    v(Field{"shiptype", 114, 8, Fmt::shiptype}, m.shiptype);
    v(hidden("spare2", 122, 22), m.spare2);
    v(Field{"txrx", 144, 2, Fmt::uint, kNoJson}, m.txrx);
    v(Field{"interval", 146, 4}, m.interval);
    v(Field{"quiet", 150, 4}, m.quiet);
    v(hidden("spare3", 154, 6), m.spare3);
}

/// Type 24: Class B static data, part A (name) or part B (type, vendor, call sign, dimensions).
/// `vendorid` is gpsd's 7-character view of bits 48-89 (ITU-R M.1371-3); since M.1371-4 the last
/// 24 of those bits are `model` and `serial`, decoded as well. `merged` marks a part B that carries
/// the name of its part A (gpsd's paired output); see Type24Pairer.
struct StaticDataB : Header {
    std::uint8_t partno = 0;  // 0 = A, 1 = B
    bool merged = false;
    Text<20> shipname;
    std::uint8_t spare_a = 0;
    std::uint8_t shiptype = 0;
    Text<7> vendorid;
    std::uint8_t model = 0;
    std::uint32_t serial = 0;
    Text<7> callsign;
    std::uint16_t to_bow = 0, to_stern = 0;
    std::uint8_t to_port = 0, to_starboard = 0;
    std::uint32_t mothership_mmsi = 0;
    std::uint8_t epfd = 0;
    std::uint8_t spare_b = 0;
    bool operator==(const StaticDataB&) const = default;

    /// Auxiliary craft (MMSI 98XXXYYYY) send the mothership MMSI instead of dimensions.
    [[nodiscard]] bool auxiliary() const noexcept { return mmsi / 10000000u == 98u; }
};

template <class V, class M>
void visit(V& v, M& m, StaticDataB*) {
    v.header(m);
    v.part24(Field{"part", 38, 2}, m.partno, m.merged);
    if (m.partno == 0 || m.merged) {
        v(Field{"shipname", 40, 120, Fmt::text, m.partno == 0 ? std::uint8_t{0} : kNoAir}, m.shipname);
    }
    if (m.partno == 0) {
        v(hidden("spare_a", 160, 8), m.spare_a);
        return;
    }
    v(Field{"shiptype", 40, 8, Fmt::shiptype}, m.shiptype);
    v(Field{"vendorid", 48, 42, Fmt::text}, m.vendorid);
    v(Field{"model", 66, 4}, m.model);
    v(Field{"serial", 70, 20}, m.serial);
    v(Field{"callsign", 90, 42, Fmt::text}, m.callsign);
    if (m.auxiliary()) {
        v(Field{"mothership_mmsi", 132, 30}, m.mothership_mmsi);
    } else {
        v(Field{"to_bow", 132, 9}, m.to_bow);
        v(Field{"to_stern", 141, 9}, m.to_stern);
        v(Field{"to_port", 150, 6}, m.to_port);
        v(Field{"to_starboard", 156, 6}, m.to_starboard);
    }
    v(Field{"epfd", 162, 4, Fmt::uint, kNoJson}, m.epfd);
    v(hidden("spare_b", 166, 2), m.spare_b);
}

/// Type 25: single slot binary message.
struct SingleSlotBinary : Header {
    bool addressed = false, structured = false;
    std::uint32_t dest_mmsi = 0;
    std::uint16_t app_id = 0;
    BitData data;
    bool operator==(const SingleSlotBinary&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, SingleSlotBinary*) {
    v.header(m);
    v(Field{"addressed", 38, 1, Fmt::boolean}, m.addressed);
    v(Field{"structured", 39, 1, Fmt::boolean}, m.structured);
    const auto app_pos = static_cast<std::uint16_t>(m.addressed ? 70 : 40);
    const auto data_pos = static_cast<std::uint16_t>(app_pos + (m.structured ? 16 : 0));
    v(Field{"dest_mmsi", 40, 30, Fmt::uint, m.addressed ? std::uint8_t{0} : kNoAir}, m.dest_mmsi);
    v(Field{"app_id", app_pos, 16, Fmt::uint, m.structured ? std::uint8_t{0} : kNoAir}, m.app_id);
    v(Field{"data", data_pos, 0, Fmt::data}, m.data);
}

/// Type 26: multiple slot binary message with communication state.
struct MultiSlotBinary : Header {
    static constexpr std::uint16_t kRadioBits = 20;
    bool addressed = false, structured = false;
    std::uint32_t dest_mmsi = 0;
    std::uint16_t app_id = 0;
    BitData data;
    std::uint32_t radio = 0;
    bool operator==(const MultiSlotBinary&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, MultiSlotBinary*) {
    v.header(m);
    v(Field{"addressed", 38, 1, Fmt::boolean}, m.addressed);
    v(Field{"structured", 39, 1, Fmt::boolean}, m.structured);
    const auto app_pos = static_cast<std::uint16_t>(m.addressed ? 70 : 40);
    const auto data_pos = static_cast<std::uint16_t>(app_pos + (m.structured ? 16 : 0));
    v(Field{"dest_mmsi", 40, 30, Fmt::uint, m.addressed ? std::uint8_t{0} : kNoAir}, m.dest_mmsi);
    v(Field{"app_id", app_pos, 16, Fmt::uint, m.structured ? std::uint8_t{0} : kNoAir}, m.app_id);
    // width of a tail data field = bits reserved after it (the communication state)
    v(Field{"data", data_pos, MultiSlotBinary::kRadioBits, Fmt::data}, m.data);
    v(Field{"radio", static_cast<std::uint16_t>(data_pos + m.data.nbits), MultiSlotBinary::kRadioBits},
      m.radio);
}

/// Type 27: long range position report.
struct LongRange : Header {
    bool accuracy = false, raim = false;
    std::uint8_t status = 0;
    std::int32_t lon = 0, lat = 0;  // 1/10 minute
    std::uint8_t speed = 0;         // knots, 63 = n/a
    std::uint16_t course = 0;       // degrees, 511 = n/a
    bool gnss = false;              // false = current GNSS position
    std::uint8_t spare = 0;
    bool operator==(const LongRange&) const = default;
};

template <class V, class M>
void visit(V& v, M& m, LongRange*) {
    v.header(m);
    v(Field{"status", 40, 4, Fmt::nav_status_text}, m.status);
    v(Field{"accuracy", 38, 1, Fmt::boolean}, m.accuracy);
    v(Field{"lon", 44, 18, Fmt::latlon_1e1min}, m.lon);
    v(Field{"lat", 62, 17, Fmt::latlon_1e1min}, m.lat);
    v(Field{"speed", 79, 6}, m.speed);
    v(Field{"course", 85, 9}, m.course);
    v(Field{"raim", 39, 1, Fmt::boolean}, m.raim);
    v(Field{"gnss", 94, 1, Fmt::boolean}, m.gnss);
    v(hidden("spare", 95, 1), m.spare);
}

/// Any decoded message, for callers that store messages.
using Message = std::variant<PositionA, BaseStation, StaticVoyage, BinaryAddressed, Acknowledge,
                             BinaryBroadcast, SarPosition, UtcInquiry, SafetyAddressed, SafetyBroadcast,
                             Interrogation, AssignedMode, DgnssBroadcast, PositionB, PositionBExtended,
                             DataLinkManagement, AidToNavigation, ChannelManagement, GroupAssignment,
                             StaticDataB, SingleSlotBinary, MultiSlotBinary, LongRange>;

/// X-macro over every message struct (for explicit instantiations).
#define VW_AIS_FOR_EACH_MESSAGE(X)                                                                       \
    X(PositionA)                                                                                         \
    X(BaseStation) X(StaticVoyage) X(BinaryAddressed) X(Acknowledge) X(BinaryBroadcast) X(SarPosition)   \
        X(UtcInquiry) X(SafetyAddressed) X(SafetyBroadcast) X(Interrogation) X(AssignedMode)             \
            X(DgnssBroadcast) X(PositionB) X(PositionBExtended) X(DataLinkManagement) X(AidToNavigation) \
                X(ChannelManagement) X(GroupAssignment) X(StaticDataB) X(SingleSlotBinary)               \
                    X(MultiSlotBinary) X(LongRange)

/// Calls `f(static_cast<T*>(nullptr))` with the struct type for message type `type` (1..27);
/// returns false for unknown types. Compile-time dispatch for the decoder and the JSON reader.
template <class F>
constexpr bool with_message_type(unsigned type, F&& f) {
    switch (type) {
        case 1:
        case 2:
        case 3:
            f(static_cast<PositionA*>(nullptr));
            return true;
        case 4:
        case 11:
            f(static_cast<BaseStation*>(nullptr));
            return true;
        case 5:
            f(static_cast<StaticVoyage*>(nullptr));
            return true;
        case 6:
            f(static_cast<BinaryAddressed*>(nullptr));
            return true;
        case 7:
        case 13:
            f(static_cast<Acknowledge*>(nullptr));
            return true;
        case 8:
            f(static_cast<BinaryBroadcast*>(nullptr));
            return true;
        case 9:
            f(static_cast<SarPosition*>(nullptr));
            return true;
        case 10:
            f(static_cast<UtcInquiry*>(nullptr));
            return true;
        case 12:
            f(static_cast<SafetyAddressed*>(nullptr));
            return true;
        case 14:
            f(static_cast<SafetyBroadcast*>(nullptr));
            return true;
        case 15:
            f(static_cast<Interrogation*>(nullptr));
            return true;
        case 16:
            f(static_cast<AssignedMode*>(nullptr));
            return true;
        case 17:
            f(static_cast<DgnssBroadcast*>(nullptr));
            return true;
        case 18:
            f(static_cast<PositionB*>(nullptr));
            return true;
        case 19:
            f(static_cast<PositionBExtended*>(nullptr));
            return true;
        case 20:
            f(static_cast<DataLinkManagement*>(nullptr));
            return true;
        case 21:
            f(static_cast<AidToNavigation*>(nullptr));
            return true;
        case 22:
            f(static_cast<ChannelManagement*>(nullptr));
            return true;
        case 23:
            f(static_cast<GroupAssignment*>(nullptr));
            return true;
        case 24:
            f(static_cast<StaticDataB*>(nullptr));
            return true;
        case 25:
            f(static_cast<SingleSlotBinary*>(nullptr));
            return true;
        case 26:
            f(static_cast<MultiSlotBinary*>(nullptr));
            return true;
        case 27:
            f(static_cast<LongRange*>(nullptr));
            return true;
        default:
            return false;
    }
}

/// Visits message `m` (const or not) with visitor `v`.
template <class V, class M>
void visit_message(V& v, M& m) {
    visit(v, m, static_cast<std::remove_const_t<M>*>(nullptr));
}

/// The message type number of a stored message.
[[nodiscard]] inline unsigned message_type(const Message& m) noexcept {
    return std::visit([](const auto& x) -> unsigned { return x.type; }, m);
}

/// Pairs type 24 part A with the next part B of the same MMSI, as gpsd does (8 pending names).
class Type24Pairer {
public:
    static constexpr std::size_t kMaxPending = 8;
    /// Part A: remembered. Part B: if a part A of the same MMSI is pending, copies its name into
    /// `b`, sets `b.merged` and returns true.
    bool add(StaticDataB& m) noexcept {
        if (m.partno == 0) {
            pending_[next_] = {m.mmsi, m.shipname};
            next_ = (next_ + 1) % kMaxPending;
            return false;
        }
        for (auto& p : pending_) {
            if (p.mmsi != 0 && p.mmsi == m.mmsi) {
                m.shipname = p.name;
                m.merged = true;
                p.mmsi = 0;
                return true;
            }
        }
        return false;
    }

private:
    struct Pending {
        std::uint32_t mmsi = 0;
        Text<20> name;
    };
    std::array<Pending, kMaxPending> pending_{};
    std::size_t next_ = 0;
};

}  // namespace vw::ais
