// NMEA 4 tag blocks (vw::nmea::parse_tagblock).
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/nmea/tagblock.hpp"

using vw::Issue;
using namespace vw::nmea;

TEST(NmeaTagBlock, OrbcommFieldsAndGroup) {
    // libais/tagblock.nmea line 1.
    const std::string_view text = "\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM";
    TagBlock tb;
    const TagBlockResult r = parse_tagblock(text, tb);
    ASSERT_FALSE(r.issue.has_value());
    EXPECT_EQ(r.consumed, text.find('!'));
    EXPECT_EQ(tb.source, "rORBCOMM008");
    EXPECT_EQ(tb.time_ms, 1418169601000);
    EXPECT_EQ(tb.raw_time, "1418169601");
    EXPECT_EQ(tb.human_time, "2014-12-10 00.00.01");
    EXPECT_EQ(tb.group.sequence, 1);
    EXPECT_EQ(tb.group.total, 2);
    EXPECT_EQ(tb.group.id, "1604");
    EXPECT_EQ(tb.blocks, 1);
}

TEST(NmeaTagBlock, AllKeysKeptRaw) {
    TagBlock tb;
    ASSERT_FALSE(parse_tagblock_fields("s:st,d:dst,t:txt,r:42,q:u,T:when,n:157036,x:7,c:1599239526500", tb));
    EXPECT_EQ(tb.source, "st");
    EXPECT_EQ(tb.destination, "dst");
    EXPECT_EQ(tb.text, "txt");
    EXPECT_EQ(tb.relative_time, "42");
    EXPECT_EQ(tb.quality, "u");
    EXPECT_EQ(tb.human_time, "when");
    EXPECT_EQ(tb.line_count, 157036u);
    EXPECT_EQ(tb.time_ms, 1599239526500);  // > 10^11: already ms
    EXPECT_EQ(tb.raw, "s:st,d:dst,t:txt,r:42,q:u,T:when,n:157036,x:7,c:1599239526500");
}

TEST(NmeaTagBlock, NegativeLookingGroupIdAndNumberedGroupForm) {
    TagBlock tb;
    // gfw-ais-tools/bad-tagblock-group.nmea
    ASSERT_FALSE(parse_tagblock("\\g:1-2--001,c:1326055296*3C\\", tb).issue.has_value());
    EXPECT_EQ(tb.group.id, "-001");
    EXPECT_EQ(tb.group.sequence, 1);
    EXPECT_EQ(tb.group.total, 2);
    // kystverket/norwegian.raw line 121: NMEA 4.10 "<seq>G<total>:<id>".
    TagBlock k;
    ASSERT_FALSE(parse_tagblock("\\1G2:58944,s:2573225,c:1733782037*63\\", k).issue.has_value());
    EXPECT_EQ(k.group.sequence, 1);
    EXPECT_EQ(k.group.total, 2);
    EXPECT_EQ(k.group.id, "58944");
    EXPECT_EQ(k.source, "2573225");
}

TEST(NmeaTagBlock, Errors) {
    TagBlock tb;
    // pyais/mixed.txt: one-digit checksum.
    EXPECT_EQ(parse_tagblock("\\g:1-2-73874*A\\!AIVDM", tb).issue, Issue::bad_tagblock);
    // gfw-ais-tools/spire-test.nmea: "*00" that does not match.
    EXPECT_EQ(parse_tagblock("\\c:1662052384,s:FM112*00\\!AIVDM", tb).issue, Issue::bad_tagblock_checksum);
    TagBlock lax;
    EXPECT_FALSE(
        parse_tagblock("\\c:1662052384,s:FM112*00\\", lax, TagBlockChecksum::ignore).issue.has_value());
    EXPECT_EQ(lax.source, "FM112");
    EXPECT_EQ(parse_tagblock("\\s:x\\", tb).issue, Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock("\\s:x*31", tb).issue, Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock("\\", tb).issue, Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock("", tb).issue, Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("c:12x", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("c:", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("c:99999999999999999999", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("n:-1", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("g:2-1-1", tb), Issue::bad_tagblock);  // seq > total
    EXPECT_EQ(parse_tagblock_fields("g:0-1-1", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("g:1-2-", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("g:1-2", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("s:a,,c:1", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("s:a,", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("sx", tb), Issue::bad_tagblock);
    EXPECT_EQ(parse_tagblock_fields("1:x", tb), Issue::bad_tagblock);
}

TEST(NmeaTagBlock, MatchesLibaisExpectations) {
    // libais/tagblock.json holds libais's decode of each line of libais/tagblock.nmea, in order,
    // minus the second fragment (line 3), which libais merges into line 1's message.
    const std::filesystem::path dir = std::filesystem::path(VW_SHARED_DIR) / "data/ais/libais";
    std::ifstream nmea(dir / "tagblock.nmea");
    std::ifstream json(dir / "tagblock.json");
    if (!nmea || !json) GTEST_SKIP() << "shared data not found at " << dir << " (../shared absent)";
    std::vector<std::string> lines;
    for (std::string l; std::getline(nmea, l);) lines.push_back(l);
    std::vector<std::string> expected;
    for (std::string l; std::getline(json, l);) expected.push_back(l);
    ASSERT_EQ(lines.size(), 5u);
    ASSERT_EQ(expected.size(), 4u);
    const std::size_t line_of_json[] = {1, 0, 3, 4};  // tagblock.json record -> tagblock.nmea line index
    for (std::size_t k = 0; k < expected.size(); ++k) {
        Sentence s;
        ASSERT_TRUE(parse_line(lines[line_of_json[k]], s).is_sentence()) << lines[line_of_json[k]];
        const std::string& j = expected[k];
        EXPECT_NE(j.find("\"tagblock_station\": \"" + std::string(s.tag.source) + "\""), std::string::npos)
            << j;
        EXPECT_NE(j.find("\"tagblock_T\": \"" + std::string(s.tag.human_time) + "\""), std::string::npos)
            << j;
        if (!s.tag.quality.empty()) {
            EXPECT_NE(j.find("\"tagblock_q\": \"" + std::string(s.tag.quality) + "\""), std::string::npos)
                << j;
        }
        if (s.tag.group.present()) {
            const std::string g = "\"tagblock_group\": {\"groupsize\": " + std::to_string(s.tag.group.total) +
                                  ", \"id\": " + std::string(s.tag.group.id) +
                                  ", \"sentence\": " + std::to_string(s.tag.group.sequence) + "}";
            EXPECT_NE(j.find(g), std::string::npos) << j;
        }
        // tagblock_timestamp "2014-12-10T00:41:53.000000Z" must equal c:.
        const auto ts = j.find("\"tagblock_timestamp\": \"");
        ASSERT_NE(ts, std::string::npos);
        const std::string iso = j.substr(ts + 23, 19);  // yyyy-mm-ddThh:mm:ss
        std::tm tm{};
        tm.tm_year = std::stoi(iso.substr(0, 4)) - 1900;
        tm.tm_mon = std::stoi(iso.substr(5, 2)) - 1;
        tm.tm_mday = std::stoi(iso.substr(8, 2));
        tm.tm_hour = std::stoi(iso.substr(11, 2));
        tm.tm_min = std::stoi(iso.substr(14, 2));
        tm.tm_sec = std::stoi(iso.substr(17, 2));
        EXPECT_EQ(s.receive_time_ms, static_cast<std::int64_t>(timegm(&tm)) * 1000) << j;
    }
}
