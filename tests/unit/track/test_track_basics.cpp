// track module: SHA-256 vectors, chunk round trips, IMO check digits, MID -> flag, times.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "vesselwatch/track/chunk.hpp"
#include "vesselwatch/track/identity.hpp"
#include "vesselwatch/util/sha256.hpp"
#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"

using namespace vw::track;

namespace {
std::string sha(std::string_view s, std::size_t piece = 0) {
    vw::Sha256 h;
    if (piece == 0) {
        h.update(s);
    } else {
        for (std::size_t k = 0; k < s.size(); k += piece) h.update(s.substr(k, piece));
    }
    return vw::to_hex(h.finish());
}
}  // namespace

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the one-million-'a' vector.
TEST(Sha256, HexHelpersAndSplitUpdates) {
    EXPECT_EQ(vw::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(vw::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    vw::Sha256 h;
    const std::string million(1000000, 'a');
    h.update(std::string_view(million).substr(0, 333));
    h.update(std::string_view(million).substr(333));
    EXPECT_EQ(h.hex_digest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(sha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const std::string a(1000000, 'a');
    EXPECT_EQ(sha(a), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(sha(a, 7), sha(a));  // any split of the input gives the same digest
    EXPECT_EQ(sha(a, 64), sha(a));
}

TEST(Chunk, RoundTripKeepsEveryField) {
    std::mt19937 rng(42);
    std::vector<Position> ps;
    std::int64_t t = 1700000000123;
    std::uint64_t line = 1000;
    for (int k = 0; k < 3000; ++k) {
        Position p;
        p.mmsi = 273444660;
        t += static_cast<std::int64_t>(rng() % 20000);
        p.time_ms = t;
        p.lat = static_cast<std::int32_t>(rng() % (180 * 600000)) - 90 * 600000;
        p.lon = static_cast<std::int32_t>(rng() % (360 * 600000)) - 180 * 600000;
        p.sog = static_cast<std::uint16_t>(rng() % 1024);
        p.cog = static_cast<std::uint16_t>(rng() % 3601);
        p.heading = static_cast<std::uint16_t>(rng() % 512);
        p.turn = static_cast<std::int8_t>(rng() % 256);
        p.status = static_cast<std::uint8_t>(rng() % 16);
        p.type = static_cast<std::uint8_t>(1 + rng() % 27);
        p.flags = static_cast<std::uint8_t>(rng() % 8);
        p.receivers = static_cast<std::uint8_t>(1 + rng() % 4);
        p.ref.source_id = 7;
        line += rng() % 50;
        p.ref.line = k % 2 ? line : line + 3;  // not monotonic
        p.ref.fragments = static_cast<std::uint8_t>(k % 10 == 0 ? 2 : 1);
        p.ref.extra_line_offsets[0] = p.ref.fragments > 1 ? static_cast<std::uint32_t>(1 + rng() % 900) : 0u;
        ps.push_back(p);
    }
    ChunkSummary s;
    const std::string blob = encode_chunk(ps, 3, s);
    EXPECT_EQ(s.count, ps.size());
    EXPECT_EQ(s.t_min_ms, ps.front().time_ms);
    EXPECT_EQ(s.t_max_ms, ps.back().time_ms);
    ChunkColumns c;
    decode_chunk(blob, c, "test");
    c.mmsi = 273444660;
    c.source_id = 7;
    const auto back = c.positions();
    ASSERT_EQ(back.size(), ps.size());
    for (std::size_t k = 0; k < ps.size(); ++k) {
        const Position &a = ps[k], &b = back[k];
        ASSERT_EQ(a.time_ms, b.time_ms) << k;
        ASSERT_EQ(a.lat, b.lat);
        ASSERT_EQ(a.lon, b.lon);
        ASSERT_EQ(a.sog, b.sog);
        ASSERT_EQ(a.cog, b.cog);
        ASSERT_EQ(a.heading, b.heading);
        ASSERT_EQ(a.turn, b.turn);
        ASSERT_EQ(a.status, b.status);
        ASSERT_EQ(a.type, b.type);
        ASSERT_EQ(a.flags, b.flags);
        ASSERT_EQ(a.receivers, b.receivers);
        ASSERT_EQ(a.ref.line, b.ref.line);
        ASSERT_EQ(a.ref.fragments, b.ref.fragments);
        ASSERT_EQ(a.ref.extra_line_offsets[0], b.ref.extra_line_offsets[0]);
        ASSERT_EQ(c.at(k).ref.extra_line_offsets[0], a.ref.extra_line_offsets[0]);
    }
}

TEST(Chunk, WholeSecondTimesAndCorruptBlobs) {
    std::vector<Position> ps(3);
    for (std::size_t k = 0; k < ps.size(); ++k) {
        ps[k].time_ms = 1700000000000 + static_cast<std::int64_t>(k) * 10000;
        ps[k].ref.line = k + 1;
    }
    ChunkSummary s;
    std::string blob = encode_chunk(ps, 3, s);
    ChunkColumns c;
    decode_chunk(blob, c, "t");
    EXPECT_EQ(c.time_ms[2], 1700000020000);
    EXPECT_THROW(decode_chunk(blob.substr(0, blob.size() / 2), c, "t"), vw::IoError);
    EXPECT_THROW(decode_chunk("not a chunk", c, "t"), vw::IoError);
}

TEST(Identity, ImoCheckDigit) {
    EXPECT_TRUE(imo_is_valid(9074729));   // worked example of the IMO scheme
    EXPECT_TRUE(imo_is_valid(8808757));   // BAZ, in gfw_segmenter/regr_224306000.json
    EXPECT_TRUE(imo_is_valid(9243435));   // AF CLAUDIA, regr_247391700.json
    EXPECT_FALSE(imo_is_valid(9074728));
    EXPECT_FALSE(imo_is_valid(0));
    EXPECT_FALSE(imo_is_valid(123456));
}

// Every value the AIS fields can hold (and some wider ones), against printf's "%02u-%02uT%02u:%02u".
TEST(Identity, EtaTextIsTwoDigitFields) {
    std::size_t checked = 0;
    for (unsigned month = 0; month < 16; ++month)
        for (unsigned day = 0; day < 32; ++day)
            for (unsigned hour = 0; hour < 32; ++hour)
                for (unsigned minute = 0; minute < 64; ++minute) {
                    const std::string got = eta_text(month, day, hour, minute);
                    if (month == 0 && day == 0 && ((hour == 24 && minute == 60) || (hour == 0 && minute == 0))) {
                        EXPECT_EQ(got, "");
                        continue;
                    }
                    char want[32];
                    std::snprintf(want, sizeof want, "%02u-%02uT%02u:%02u", month, day, hour, minute);
                    ASSERT_EQ(got, want);
                    ++checked;
                }
    EXPECT_EQ(checked, 16u * 32 * 32 * 64 - 2);
    EXPECT_EQ(eta_text(3, 7, 105, 1234), "03-07T105:1234");
    EXPECT_EQ(eta_text(0, 0, 24, 60), "");
    EXPECT_EQ(eta_text(0, 0, 24, 0), "00-00T24:00");
}

TEST(Identity, MidAndFlag) {
    EXPECT_EQ(mid_of_mmsi(273444660), 273u);
    EXPECT_EQ(flag_of_mmsi(273444660)->iso2, "RU");
    EXPECT_EQ(flag_of_mmsi(445123456)->iso2, "KP");
    EXPECT_EQ(mid_of_mmsi(2320001), 232u);    // coast station 00MIDxxxx
    EXPECT_EQ(mid_of_mmsi(23212345), 232u);   // group 0MIDxxxxx
    EXPECT_EQ(mid_of_mmsi(111232001), 232u);  // SAR aircraft
    EXPECT_EQ(mid_of_mmsi(992321234), 232u);  // aid to navigation
    EXPECT_EQ(mid_of_mmsi(982321234), 232u);  // craft of a parent ship
    EXPECT_FALSE(mid_of_mmsi(970123456).has_value());
    EXPECT_FALSE(flag_of_mmsi(100000000).has_value());
}

TEST(Time, FormatAndParse) {
    EXPECT_EQ(format_time(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_time(1609459200250), "2021-01-01T00:00:00.250Z");
    EXPECT_EQ(parse_time("2021-01-06T07:33:48+00:00"), 1609918428000);
    EXPECT_EQ(parse_time("2021-01-06T07:33:48Z"), 1609918428000);
    EXPECT_EQ(parse_time("2021-01-01"), 1609459200000);
    EXPECT_EQ(parse_time("1609459200"), 1609459200000);
    EXPECT_EQ(parse_time("2021-01-01T00:00:00.250Z"), 1609459200250);
    EXPECT_FALSE(parse_time("2021-13-01").has_value());
    EXPECT_FALSE(parse_time("2021-01-01T00:00:00+03:00").has_value());
    for (std::int64_t t : {-86400001LL, 951782400000LL, 4102444800999LL})
        EXPECT_EQ(parse_time(format_time(t)), t);
}
