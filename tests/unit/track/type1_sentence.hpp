// Test helper for the ingest tests: one type 1 position report as a single NMEA line (no line end),
// written by the project's own encoder and sentence writer, with a tag block `s:S1,c:<t>` giving its
// receive time t (seconds) unless t < 0.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "vesselwatch/ais/encode.hpp"
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

inline std::string type1_sentence(const Type1Fields& f, std::int64_t t) {
    vw::ais::PositionA m;
    m.type = 1;
    m.mmsi = f.mmsi;
    m.lat = f.lat;
    m.lon = f.lon;
    m.speed = f.speed;
    m.course = f.course;
    m.heading = f.heading;
    vw::ais::Payload p;
    EXPECT_EQ(vw::ais::encode(m, p), vw::ais::EncodeStatus::ok);
    unsigned fill = 0;
    const std::string armored = vw::ais::armor_string(p, fill);
    vw::nmea::SentenceOptions o;
    o.line_ending = vw::nmea::LineEnding::lf;
    if (t >= 0) {
        o.tag_block = vw::nmea::TagBlockMode::write;
        o.station = "S1";
        o.time_ms = t * 1000;
    }
    vw::OutBuffer out;
    EXPECT_EQ(vw::nmea::write_sentences(out, armored, fill, o), 1U);
    std::string line(out.view());
    line.pop_back();  // the '\n': callers add their own
    return line;
}

}  // namespace vw::test
