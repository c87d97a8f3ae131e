// Hand-made edge cases of the NMEA line parser (vw::nmea::parse_line, LineContext).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "vesselwatch/nmea/checksum.hpp"
#include "vesselwatch/nmea/sentence.hpp"

using vw::Issue;
using namespace vw::nmea;

namespace {

// Real sentence: pyais/ais_test_messages line 2.
constexpr std::string_view kPlain = "!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23";

Issue issue_of(std::string_view line, const ParseOptions& o = {}) {
    Sentence s;
    const ParseResult r = parse_line(line, s, o);
    EXPECT_EQ(r.status, LineStatus::issue) << line;
    return r.issue;
}

}  // namespace

TEST(NmeaSentence, PlainVdmFields) {
    Sentence s;
    const ParseResult r = parse_line(kPlain, s);
    ASSERT_TRUE(r.is_sentence());
    EXPECT_EQ(s.talker, "AI");
    EXPECT_EQ(s.origin, Origin::other_ship);
    EXPECT_EQ(s.fragment_count, 1);
    EXPECT_EQ(s.fragment_number, 1);
    EXPECT_EQ(s.sequence_id, kNoSequenceId);
    EXPECT_EQ(s.channel, 'A');
    EXPECT_EQ(s.payload, "13HOI:0P0000VOHLCnHQKwvL05Ip");
    EXPECT_EQ(s.fill_bits, 0);
    EXPECT_FALSE(s.receive_time_ms.has_value());
    EXPECT_EQ(s.time_source, TimeSource::none);
    EXPECT_FALSE(s.tag.present());
    EXPECT_EQ(s.text, kPlain);
    EXPECT_TRUE(s.trailer.empty());
}

TEST(NmeaSentence, VdoAndOddTalkersAndChannels) {
    // amsa-risky/ais.txt.gz: own-ship with empty channel, "=I" and "--" talkers, channel 0/1/2.
    Sentence s;
    ASSERT_TRUE(parse_line("!AIVDO,1,1,,,B000000002EgKjv=lCL03wQ5wP06,0*0F", s).is_sentence());
    EXPECT_EQ(s.origin, Origin::own_ship);
    EXPECT_EQ(s.channel, kNoChannel);
    ASSERT_TRUE(parse_line("!=IVDM,1,1,,A,18JSmJ001D8FqSClKd51JAD20D0W,0*2E", s).is_sentence());
    EXPECT_EQ(s.talker, "=I");
    ASSERT_TRUE(
        parse_line(
            "!BSVDM,1,1,0,1,544jT8P1r>V1D8pH0004d4@DlTf1<Ptd4i<dUT062hj1;4`Vt1B3hPDU;hEDm4PC2@@0000,2*0E", s)
            .is_sentence());
    EXPECT_EQ(s.sequence_id, 0);
    EXPECT_EQ(s.channel, '1');
    EXPECT_EQ(s.fill_bits, 2);
}

TEST(NmeaSentence, ChecksumEitherCaseAndMismatch) {
    Sentence s;
    ASSERT_TRUE(
        parse_line("!AIVDM,1,1,,B,E>qbaAh0b7W@HsIIP00000000004Dw>e9CqE000000P@00,4*1a", s).is_sentence());
    EXPECT_EQ(issue_of("!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*24"), Issue::bad_checksum);
    EXPECT_EQ(issue_of("!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*2"), Issue::bad_checksum);
    EXPECT_EQ(issue_of("!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*G3"), Issue::bad_checksum);
}

TEST(NmeaSentence, MissingChecksumRejectedByDefaultAcceptedOnRequest) {
    constexpr std::string_view kNoSum = "!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0";
    EXPECT_EQ(issue_of(kNoSum), Issue::missing_checksum);
    ParseOptions lax;
    lax.missing_checksum = MissingChecksum::accept;
    Sentence s;
    ASSERT_TRUE(parse_line(kNoSum, s, lax).is_sentence());
    EXPECT_FALSE(s.checksum_present);
    EXPECT_EQ(s.payload, "13HOI:0P0000VOHLCnHQKwvL05Ip");
    // Truncated lines from amsa-risky/ais.txt.gz are still broken when accepted.
    EXPECT_EQ(issue_of("!BSVDM,1,1,,A", lax), Issue::malformed_sentence);
    EXPECT_EQ(issue_of("!ABVDO,2,2,7,", lax), Issue::malformed_sentence);
}

TEST(NmeaSentence, MalformedFields) {
    // Each built with a correct checksum so that only the field check can fail.
    auto with_sum = [](std::string body) {
        unsigned x = 0;
        for (const char c : body) x ^= static_cast<unsigned char>(c);
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02X", x);
        return "!" + body + "*" + buf;
    };
    EXPECT_EQ(issue_of(with_sum("AAVDM,0,1,,B,16UK7Fi0?w4tQF0l4Q@>401v1PS;,0")), Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,2,3,1,B,16UK,0")), Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,10,1,1,B,16UK,0")), Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,12,B,16UK,0")), Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,,AB,16UK,0")), Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,,A,16UK,0,extra")), Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,,A,16UK")), Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,,A," + std::string(kMaxSentencePayloadChars + 1, '0') + ",0")),
              Issue::malformed_sentence);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,,A,16UK,6")), Issue::bad_fill_bits);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,,A,16UK,")), Issue::bad_fill_bits);
    EXPECT_EQ(issue_of(with_sum("AIVDM,1,1,,A,16UK,x")), Issue::bad_fill_bits);
    Sentence s;
    ASSERT_TRUE(
        parse_line(with_sum("AIVDM,1,1,,B,,0"), s).is_sentence());  // empty payload: the ais layer decides
    EXPECT_TRUE(s.payload.empty());
    ASSERT_TRUE(parse_line(with_sum("AIVDM,1,1,,A," + std::string(kMaxSentencePayloadChars, '0') + ",0"), s)
                    .is_sentence());
}

TEST(NmeaSentence, LineKinds) {
    EXPECT_EQ(issue_of(""), Issue::empty_line);
    EXPECT_EQ(issue_of(" \t\r\n"), Issue::empty_line);
    EXPECT_EQ(issue_of("# Lines with a leading `#` are ignored"), Issue::comment_line);
    EXPECT_EQ(issue_of("  # also after blanks"), Issue::comment_line);
    EXPECT_FALSE(issue_is_error(Issue::comment_line));
    EXPECT_EQ(issue_of("$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D"),
              Issue::non_ais_sentence);
    EXPECT_EQ(issue_of("!AIPWR,UNIT=0,PWV"), Issue::non_ais_sentence);
    EXPECT_EQ(issue_of("$BSALR,081130.00,026,A,A,no sensor position in u"), Issue::non_ais_sentence);
    EXPECT_EQ(issue_of("IamNotAnAisMessage1111"), Issue::unrecognised_line);
    EXPECT_EQ(issue_of("53l3sj42A590=5Q2220UHE:04=@Ttr222222221@9HH>46ii0=D532Dp?`1D888888888888880"),
              Issue::unrecognised_line);
    EXPECT_EQ(issue_of("!=IV>l,0*1C"), Issue::unrecognised_line);
    EXPECT_EQ(issue_of("!"), Issue::unrecognised_line);
    EXPECT_EQ(issue_of("$81130.00,038,A,V,DGNSS input failed*53"), Issue::unrecognised_line);
    EXPECT_EQ(issue_of("\\s:x*00\\"), Issue::bad_tagblock_checksum);
    EXPECT_EQ(issue_of("\\s:x*31\\"), Issue::bad_tagblock);  // a valid tag block with no sentence
}

TEST(NmeaSentence, CarriageReturnAndTrailingJunk) {
    Sentence s;
    ASSERT_TRUE(parse_line(std::string(kPlain) + "\r\n", s).is_sentence());
    EXPECT_TRUE(s.trailer.empty());
    // gfw-ais-tools/sample.nmea line 1 ends in a stray quote after the checksum.
    ASSERT_TRUE(parse_line("\\c:1599239526500,s:sdr-experiments,T:2020-09-04 18.12.06*5D\\!AIVDM,1,1,,A,"
                           "B>cSnNP00FVur7UaC7WQ3wS1jCJJ,0*73'",
                           s)
                    .is_sentence());
    EXPECT_EQ(s.trailer, "'");
    EXPECT_EQ(s.receive_time_ms, 1599239526500);  // c: in milliseconds
}

TEST(NmeaSentence, UscgTrailerFirstBareNumberIsReceiveTime) {
    // libais/typeexamples.nmea line 1: receiver time t050056 = 05:00:56; 1325394060 = 05:01:00 (logger)
    // and 1325394001 = 05:00:01 (a minute off). The first bare number is the receive time.
    Sentence s;
    ASSERT_TRUE(
        parse_line("!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28,d-109,S2105,t050056.00,T56.13718694,"
                   "r003669946,1325394060,1325394001",
                   s)
            .is_sentence());
    EXPECT_EQ(s.receive_time_ms, 1325394060000);
    EXPECT_EQ(s.time_source, TimeSource::trailer);
    EXPECT_EQ(s.trailer.substr(0, 6), ",d-109");
    EXPECT_EQ(trailer_time_ms(",b003669794,1272412827"), 1272412827000);
    EXPECT_EQ(trailer_time_ms(",1327992119173"), 1327992119173);  // exactEarth: ms
    EXPECT_EQ(trailer_time_ms(",r1,1272412827.25"), 1272412827250);
    EXPECT_FALSE(trailer_time_ms(",ComSock1").has_value());
    EXPECT_FALSE(trailer_time_ms(",x12,d-105").has_value());
    EXPECT_FALSE(trailer_time_ms(",12345").has_value());  // too small to be a Unix time
}

TEST(NmeaSentence, TagBlockTimeBeatsTrailer) {
    Sentence s;
    ASSERT_TRUE(
        parse_line("\\c:1418172113*52\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78,1327992119173", s)
            .is_sentence());
    EXPECT_EQ(s.receive_time_ms, 1418172113000);
    EXPECT_EQ(s.time_source, TimeSource::tagblock);
}

TEST(NmeaSentence, PghpWrapper) {
    // pyais/gatehouse.nmea line 1: 2008-05-09 00:00:00.010 UTC.
    const PghpResult p = parse_pghp("$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17");
    ASSERT_TRUE(p.time_ms.has_value());
    EXPECT_EQ(*p.time_ms, 1210291200010);
    // dma-aislib/stream_example.txt line 1.
    EXPECT_EQ(parse_pghp("$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B").time_ms, 1276256771390);
    // The same line with the year edited but not the checksum (pyais/gatehouse.nmea line 7).
    EXPECT_EQ(parse_pghp("$PGHP,1,2009,5,9,0,0,0,10,338,2,,1,09*17").issue, Issue::bad_checksum);
    EXPECT_EQ(parse_pghp("$PGHP,1,2008,2,30,0,0,0,10*34").issue, Issue::malformed_sentence);
    EXPECT_EQ(parse_pghp("$PGHP,2,xx*3D").issue, Issue::non_ais_sentence);
}

TEST(NmeaSentence, LineContextCarriesPghpToTheNextLineOnly) {
    LineContext ctx;
    Sentence s;
    EXPECT_EQ(ctx.parse_line("$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17", s).status, LineStatus::time_wrapper);
    ASSERT_TRUE(ctx.parse_line("!AIVDM,1,1,,B,15NBj>PP1gG>1PVKTDTUJOv00<0M,0*09", s).is_sentence());
    EXPECT_EQ(s.receive_time_ms, 1210291200010);
    EXPECT_EQ(s.time_source, TimeSource::pghp);
    EXPECT_EQ(ctx.next_unit(s).status, LineStatus::end_of_line);
    // Not carried further.
    ASSERT_TRUE(ctx.parse_line(kPlain, s).is_sentence());
    EXPECT_FALSE(s.receive_time_ms.has_value());
    // A line between the wrapper and the sentence breaks the link.
    EXPECT_EQ(ctx.parse_line("$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17", s).status, LineStatus::time_wrapper);
    EXPECT_EQ(ctx.parse_line("", s).issue, Issue::empty_line);
    ASSERT_TRUE(ctx.parse_line(kPlain, s).is_sentence());
    EXPECT_FALSE(s.receive_time_ms.has_value());
    EXPECT_EQ(ctx.line_number(), 6u);
}

TEST(NmeaSentence, SeveralUnitsOnOneLine) {
    // gfw-ais-tools/bad-type5.nmea line 2.
    const std::string line =
        "\\s:rMT2083,t:marinetraffic,c:1698785962*4C\\!AIVDM,2,1,9,A,53do3d800003TP7CK?8=9U=@4j0@D9E=="
        "T00001521o484d@"
        "04A3i1Eh,0*68\\s:rMT2083,t:marinetraffic,c:1698785961*4F\\!AIVDM,2,2,9,A,88888888880,2*2D";
    LineContext ctx;
    Sentence s;
    ASSERT_TRUE(ctx.parse_line(line, s).is_sentence());
    EXPECT_EQ(s.fragment_number, 1);
    EXPECT_EQ(s.tag.source, "rMT2083");
    EXPECT_EQ(s.tag.text, "marinetraffic");
    EXPECT_EQ(s.receive_time_ms, 1698785962000);
    ASSERT_TRUE(ctx.next_unit(s).is_sentence());
    EXPECT_EQ(s.fragment_number, 2);
    EXPECT_EQ(s.payload, "88888888880");
    EXPECT_EQ(s.receive_time_ms, 1698785961000);
    EXPECT_EQ(ctx.next_unit(s).status, LineStatus::end_of_line);
    EXPECT_EQ(ctx.next_unit(s).status, LineStatus::end_of_line);
}

TEST(NmeaSentence, IssueEndsTheLine) {
    // Second unit has a bad checksum; a third good unit after it is not reported: one issue per line.
    const std::string good(kPlain);
    const std::string bad = "!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*24";
    LineContext ctx;
    Sentence s;
    const std::string line = good + bad + good;  // must outlive next_unit(): the context keeps a view
    ASSERT_TRUE(ctx.parse_line(line, s).is_sentence());
    const ParseResult r = ctx.next_unit(s);
    EXPECT_EQ(r.status, LineStatus::issue);
    EXPECT_EQ(r.issue, Issue::bad_checksum);
    EXPECT_EQ(ctx.next_unit(s).status, LineStatus::end_of_line);
}

TEST(NmeaSentence, NeverReadsPastTheView) {
    // Every prefix of a rich line parses without touching bytes beyond it (ASan build checks this).
    const std::string line =
        "\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM,2,1,6,A,"
        "53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63,d-105,1418169601";
    for (std::size_t n = 0; n <= line.size(); ++n) {
        const std::string cut = line.substr(0, n);  // own allocation: ASan flags any overread
        LineContext ctx;
        Sentence s;
        ParseResult r = ctx.parse_line(cut, s);
        for (int k = 0; r.status != LineStatus::end_of_line && k < 10; ++k) r = ctx.next_unit(s);
        EXPECT_EQ(r.status, LineStatus::end_of_line);
    }
}

TEST(NmeaSentence, FailedTagBlockLeavesNoStaleKeys) {
    // A tag block that fails after its s: field was read (the 'x' field has no value) must not leave a
    // view of that line behind in the reused Sentence: the next line has no tag block at all.
    ParseOptions o;
    o.tagblock_checksum = TagBlockChecksum::ignore;
    LineContext ctx(o);
    Sentence s;
    {
        const std::string bad = "\\s:stale,x*00\\" + std::string(kPlain);
        const ParseResult r = ctx.parse_line(bad, s);
        EXPECT_EQ(r.status, LineStatus::issue);
        EXPECT_EQ(r.issue, Issue::bad_tagblock);
    }
    ASSERT_TRUE(ctx.parse_line(kPlain, s).is_sentence());
    EXPECT_FALSE(s.tag.present());
    EXPECT_TRUE(s.tag.source.empty());
}

TEST(NmeaSentence, VectorScanBoundaries) {
    // The sentence scanner works on 16-byte blocks: put the '*', the commas and the end of the line at
    // every offset within a block, and compare with the checksum computed byte by byte.
    for (std::size_t payload_chars = 0; payload_chars <= 40; ++payload_chars) {
        const std::string body = "AIVDM,1,1,,A," + std::string(payload_chars, 'w') + ",0";
        char sum[3];
        std::snprintf(sum, sizeof sum, "%02X", static_cast<unsigned>(xor_checksum(body)));
        const std::string line = "!" + body + "*" + sum;
        Sentence s;
        ASSERT_TRUE(parse_line(line, s).is_sentence()) << line;
        EXPECT_EQ(s.payload.size(), payload_chars);
        EXPECT_EQ(s.text, line);
        EXPECT_EQ(issue_of(line.substr(0, line.size() - 1)), Issue::bad_checksum);
        const std::string wrong = "!" + body + "*" + (sum[0] == '0' ? "1" : "0") + sum[1];
        EXPECT_EQ(issue_of(wrong), Issue::bad_checksum);
        const std::string no_sum = "!" + body;
        EXPECT_EQ(issue_of(no_sum), Issue::missing_checksum);
        ParseOptions lax;
        lax.missing_checksum = MissingChecksum::accept;
        ASSERT_TRUE(parse_line(no_sum, s, lax).is_sentence());
        EXPECT_EQ(s.payload.size(), payload_chars);
    }
}
