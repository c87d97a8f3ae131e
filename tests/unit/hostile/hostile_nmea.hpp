// Good NMEA for the hostile corpus: tag-blocked type 1 sentences made with the product's encoder.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "vesselwatch/ais/encode.hpp"
#include "vesselwatch/nmea/checksum.hpp"

namespace vw::hostile {

inline constexpr std::int64_t kT0 = 1700000000;  // 2023-11-14T22:13:20Z

inline std::string hex2(unsigned v) {
    char b[4];
    std::snprintf(b, sizeof b, "%02X", v);
    return b;
}

/// "!AIVDM,...*hh" around an armored payload, checksum right.
inline std::string vdm(const std::string& payload, unsigned fill) {
    const std::string body = "AIVDM,1,1,,A," + payload + "," + std::to_string(fill);
    return "!" + body + "*" + hex2(vw::nmea::xor_checksum(body));
}

/// "\s:S1,c:<time>*hh\" for a tag block.
inline std::string tag_block(std::int64_t unix_s) {
    const std::string tb = "s:S1,c:" + std::to_string(unix_s);
    return "\\" + tb + "*" + hex2(vw::nmea::xor_checksum(tb)) + "\\";
}

/// A type 1 report of `mmsi`, number k, at kT0 + 60 k, at (lat, lon) in 1/10000 minute.
inline std::string nmea_record(std::uint32_t mmsi, int k, std::int32_t lat, std::int32_t lon) {
    vw::ais::PositionA m;
    m.type = 1;
    m.mmsi = mmsi;
    m.lat = lat;
    m.lon = lon;
    m.speed = 105;
    m.course = 900;
    m.heading = 91;
    m.radio = static_cast<std::uint32_t>(k % (1 << 19));
    vw::ais::Payload p;
    EXPECT_EQ(vw::ais::encode(m, p), vw::ais::EncodeStatus::ok);
    unsigned fill = 0;
    const std::string payload = vw::ais::armor_string(p, fill);
    return tag_block(kT0 + 60 * static_cast<std::int64_t>(k)) + vdm(payload, fill);
}

/// The same with a distinct position for each k (a ship steaming north).
inline std::string nmea_record(std::uint32_t mmsi, int k) {
    return nmea_record(mmsi, k, 43 * 600000 + 100 * k, 132 * 600000);
}

}  // namespace vw::hostile
