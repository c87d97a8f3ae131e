// Sentence writer (vw::nmea::write_sentences / SentenceWriter), round-tripped through the parser.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vesselwatch/nmea/reassembler.hpp"
#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/nmea/writer.hpp"

using vw::Issue;
using vw::OutBuffer;
using namespace vw::nmea;

namespace {

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t nl = text.find('\n', start);
        out.emplace_back(text.substr(start, nl - start + 1));
        start = nl + 1;
    }
    return out;
}

}  // namespace

TEST(NmeaWriter, SingleSentenceMatchesRealLine) {
    OutBuffer out;
    SentenceOptions o;
    o.channel = 'A';
    EXPECT_EQ(write_sentences(out, "13HOI:0P0000VOHLCnHQKwvL05Ip", 0, o), 1u);
    EXPECT_EQ(out.view(), "!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23\r\n");  // pyais/ais_test_messages
}

TEST(NmeaWriter, MultiPartMatchesRealLines) {
    // pyais/ais_test_messages lines 8-9.
    OutBuffer out;
    SentenceOptions o;
    o.sequence_id = 1;
    o.line_ending = LineEnding::lf;
    EXPECT_EQ(
        write_sentences(out, "55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp888888888880", 2, o),
        2u);
    EXPECT_EQ(out.view(),
              "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\n"
              "!AIVDM,2,2,1,A,88888888880,2*25\n");
}

TEST(NmeaWriter, RoundTripWithTagBlocks) {
    SentenceOptions o;
    o.talker = "BS";
    o.origin = Origin::own_ship;
    o.channel = 'B';
    o.tag_block = TagBlockMode::write;
    o.station = "2573115";
    o.time_unit = TagTimeUnit::milliseconds;
    SentenceWriter w(o);
    OutBuffer out;
    std::string payload;
    for (int k = 0; k < 130; ++k) payload.push_back(static_cast<char>('0' + k % 40));
    EXPECT_EQ(w.write(out, payload, 4, 1733782034123), 3u);
    EXPECT_EQ(w.write(out, "13HOI:0P0000VOHLCnHQKwvL05Ip", 0, 1733782035000), 1u);
    EXPECT_EQ(w.write(out, payload, 4, std::nullopt), 3u);

    const std::vector<std::string> lines = split_lines(out.view());
    ASSERT_EQ(lines.size(), 7u);
    LineContext ctx;
    Reassembler r;
    std::vector<Message> msgs;
    std::vector<std::string> payloads;
    for (const std::string& l : lines) {
        Sentence s;
        ASSERT_TRUE(ctx.parse_line(l, s).is_sentence()) << l;
        EXPECT_EQ(s.talker, "BS");
        EXPECT_EQ(s.origin, Origin::own_ship);
        EXPECT_EQ(s.tag.source, "2573115");
        if (r.add(s, {0, ctx.line_number()}) == AddStatus::complete) {
            msgs.push_back(r.message());
            payloads.emplace_back(r.message().payload);
        }
    }
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(payloads[0], payload);
    EXPECT_EQ(msgs[0].fill_bits, 4);
    EXPECT_EQ(msgs[0].receive_time_ms, 1733782034123);
    EXPECT_EQ(msgs[0].sequence_id, 0);
    EXPECT_EQ(msgs[0].channel, 'B');
    EXPECT_EQ(payloads[1], "13HOI:0P0000VOHLCnHQKwvL05Ip");
    EXPECT_EQ(msgs[1].receive_time_ms, 1733782035000);
    EXPECT_EQ(payloads[2], payload);
    EXPECT_EQ(msgs[2].sequence_id, 1);  // cycled
    EXPECT_FALSE(msgs[2].receive_time_ms.has_value());
    EXPECT_EQ(r.issues().errors(), 0u);
    // Every sentence stays within NMEA's 82 characters (tag block excluded).
    for (const std::string& l : lines) EXPECT_LE(l.size() - l.find('!'), 82u + 2u) << l;
}

TEST(NmeaWriter, SequenceIdCyclesThroughNine) {
    SentenceWriter w;
    OutBuffer out;
    const std::string payload(61, 'w');
    for (int k = 0; k < 12; ++k) w.write(out, payload, 0);
    const std::vector<std::string> lines = split_lines(out.view());
    ASSERT_EQ(lines.size(), 24u);
    for (int k = 0; k < 12; ++k) {
        Sentence s;
        ASSERT_TRUE(parse_line(lines[static_cast<std::size_t>(2 * k)], s).is_sentence());
        EXPECT_EQ(s.sequence_id, k % 10);
    }
}

TEST(NmeaWriter, EdgeCases) {
    OutBuffer out;
    SentenceOptions o;
    o.channel = kNoChannel;
    o.talker = "TOO LONG";
    o.tag_block = TagBlockMode::write;  // nothing to put in it: no tag block
    o.line_ending = LineEnding::lf;
    EXPECT_EQ(write_sentences(out, "", 9, o), 1u);
    Sentence s;
    const std::string line(out.view());
    ASSERT_TRUE(parse_line(line, s).is_sentence()) << line;
    EXPECT_EQ(line.substr(0, 15), "!AIVDM,1,1,,,,5");
    EXPECT_EQ(s.fill_bits, 5);  // clamped
    EXPECT_FALSE(s.tag.present());
    // Delimiters in the station cannot break the tag block.
    OutBuffer out2;
    o.station = "a,b*c\\d";
    EXPECT_EQ(write_sentences(out2, "13HOI", 0, o), 1u);
    ASSERT_TRUE(parse_line(out2.view(), s).is_sentence());
    EXPECT_EQ(s.tag.source, "a_b_c_d");
}
