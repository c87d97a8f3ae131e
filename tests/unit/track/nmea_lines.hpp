// Test helpers for the ingest tests: NMEA lines (no line end) of messages made by the project's own
// encoder. type1_sentence() writes with the project's sentence writer; tagged_line() spells the tag
// block out by hand (any station, a group, a fragment of a multi-part message).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "vesselwatch/ais/encode.hpp"
#include "vesselwatch/nmea/checksum.hpp"
#include "vesselwatch/nmea/writer.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::test {

struct Type1Fields {
    std::uint32_t mmsi = 0;
    std::int32_t lat = 0;  // 1/10000 minute, as in the message
    std::int32_t lon = 0;
    std::uint16_t speed = 0;    // 1/10 knot
    std::uint16_t course = 0;   // 1/10 degree
    std::uint16_t heading = 0;  // degrees
};

/// The armored payload of message m (its fill bits in `fill`).
template <class M>
std::string armored(const M& m, unsigned& fill) {
    vw::ais::Payload p;
    EXPECT_EQ(vw::ais::encode(m, p), vw::ais::EncodeStatus::ok);
    return vw::ais::armor_string(p, fill);
}

/// `\s:<station>,c:<t>[,g:<group>]*hh\!<body>*hh`: `body` is the sentence between '!' and '*'.
inline std::string tagged_line(const std::string& station, std::int64_t t, const std::string& group,
                               const std::string& body) {
    const auto hex2 = [](unsigned v) {
        char b[4];
        std::snprintf(b, sizeof b, "%02X", v);
        return std::string(b);
    };
    const std::string tb = "s:" + station + ",c:" + std::to_string(t) + (group.empty() ? "" : ",g:" + group);
    return "\\" + tb + "*" + hex2(vw::nmea::xor_checksum(tb)) + "\\!" + body + "*" +
           hex2(vw::nmea::xor_checksum(body));
}

/// A type 1 report (fields f) written by the project's sentence writer, with a tag block `s:S1,c:<t>`
/// giving its receive time t (seconds) unless t < 0.
inline std::string type1_sentence(const Type1Fields& f, std::int64_t t) {
    vw::ais::PositionA m;
    m.type = 1;
    m.mmsi = f.mmsi;
    m.lat = f.lat;
    m.lon = f.lon;
    m.speed = f.speed;
    m.course = f.course;
    m.heading = f.heading;
    unsigned fill = 0;
    const std::string payload = armored(m, fill);
    vw::nmea::SentenceOptions o;
    o.line_ending = vw::nmea::LineEnding::lf;
    if (t >= 0) {
        o.tag_block = vw::nmea::TagBlockMode::write;
        o.station = "S1";
        o.time_ms = t * 1000;
    }
    vw::OutBuffer out;
    EXPECT_EQ(vw::nmea::write_sentences(out, payload, fill, o), 1U);
    std::string line(out.view());
    line.pop_back();  // the '\n': callers add their own
    return line;
}

}  // namespace vw::test
