// Every NMEA capture in ../shared/data/ais through LineContext + Reassembler, with exact counts.
// Expected values were checked by hand against the files (see the comment beside each row).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "vesselwatch/nmea/reassembler.hpp"
#include "vesselwatch/nmea/sentence.hpp"

using vw::Issue;
using vw::IssueCounts;
using namespace vw::nmea;

namespace {

const std::filesystem::path kAisDir = std::filesystem::path(VW_SHARED_DIR) / "data/ais";

struct Totals {
    std::uint64_t lines = 0;
    std::uint64_t sentences = 0;
    std::uint64_t messages = 0;
    std::uint64_t timed = 0;
    std::uint64_t wrappers = 0;
    IssueCounts issues;
    std::vector<Message> multipart;  // copies: their views die, so payload and station are kept below
    std::vector<std::string> multipart_payloads;
    std::vector<std::string> multipart_stations;
    std::vector<std::int64_t> first_times;  // receive time of the first 3 messages (-1 = none)
};

Totals run(std::istream& in, const ParseOptions& po = {}, const ReassemblerOptions& ro = {}) {
    Totals t;
    LineContext ctx(po);
    Reassembler r(ro);
    Sentence s;
    for (std::string line; std::getline(in, line);) {
        for (ParseResult p = ctx.parse_line(line, s); p.status != LineStatus::end_of_line;
             p = ctx.next_unit(s)) {
            if (p.status == LineStatus::issue) {
                t.issues.add(p.issue);
            } else if (p.status == LineStatus::time_wrapper) {
                ++t.wrappers;
            } else {
                ++t.sentences;
                if (r.add(s, {0, ctx.line_number()}) != AddStatus::complete) continue;
                const Message& m = r.message();
                ++t.messages;
                if (m.receive_time_ms) ++t.timed;
                if (t.first_times.size() < 3) t.first_times.push_back(m.receive_time_ms.value_or(-1));
                if (m.fragment_count > 1) {
                    t.multipart.push_back(m);
                    t.multipart_payloads.emplace_back(m.payload);
                    t.multipart_stations.emplace_back(m.station);
                }
            }
        }
    }
    r.flush();
    t.issues.merge(r.issues());
    t.lines = ctx.line_number();
    // Exact accounting: every sentence is in one message or counted once by the reassembler.
    std::uint64_t fragments = t.messages;
    for (const Message& m : t.multipart) fragments += m.fragment_count - 1u;
    std::uint64_t dropped = 0;
    for (const Issue i : {Issue::orphan_fragment, Issue::out_of_order_fragment, Issue::duplicate_fragment,
                          Issue::expired_fragment})
        dropped += t.issues[i];
    EXPECT_EQ(fragments + dropped, t.sentences);
    return t;
}

struct Expect {
    const char* file;
    std::uint64_t lines, sentences, messages, timed, wrappers;
    std::map<Issue, std::uint64_t> issues;
    const char* why;
};

// clang-format off
const std::vector<Expect> kExpected = {
    {"aisparser/seattle.log", 636, 636, 614, 0, 0, {}, "22 two-part messages, CRLF"},
    {"amsa-risky/exact-earth-augmented.txt", 7160, 3972, 3972, 3972, 3188, {}, "ms trailer on every sentence"},
    {"amsa-risky/exact-earth-augmented-2.txt", 2138, 1135, 1135, 1135, 1003, {}, ""},
    {"amsa-risky/exact-earth-augmented-3.txt", 7672, 4317, 4313, 4313, 3355, {{Issue::orphan_fragment, 4}},
     "lines 3437, 3439, 4540, 7473 are 2-of-2 parts whose first part is not in the file"},
    {"dma-aislib/decode_encode_messages.txt", 646, 646, 601, 0, 0, {}, "45 two-part messages"},
    {"dma-aislib/stream_example.txt", 8551, 4500, 4051, 4051, 4051, {}, "every message after a $PGHP"},
    {"gfw-ais-tools/bad-tagblock-group.nmea", 2, 2, 1, 1, 0, {}, "g:1-2--001 joins with g:2-2--001"},
    {"gfw-ais-tools/bad-type5.nmea", 7, 6, 2, 2, 0,
     {{Issue::empty_line, 1}, {Issue::unrecognised_line, 3}, {Issue::orphan_fragment, 2}},
     "line 1 changes talker AB->AI between parts (strict keying); 3 bare payload lines"},
    {"gfw-ais-tools/ee-multiline.nmea", 10, 10, 8, 8, 0, {}, "later parts carry only g:"},
    {"gfw-ais-tools/errors.nmea", 5, 3, 3, 3, 0, {{Issue::bad_checksum, 2}}, "lines 2 and 4: truncated payload"},
    {"gfw-ais-tools/mixed_types.nmea", 109, 109, 99, 0, 0, {}, ""},
    {"gfw-ais-tools/multi-part.nmea", 93, 93, 43, 0, 0, {}, "2- and 3-part messages"},
    {"gfw-ais-tools/sample.nmea", 3, 3, 3, 3, 0, {}, "c: in ms; stray quote after a checksum"},
    {"gfw-ais-tools/single-message-type-5.nmea", 1, 0, 0, 0, 0, {{Issue::bad_checksum, 1}}, "*60, XOR is 62"},
    {"gfw-ais-tools/spire-test.nmea", 2, 0, 0, 0, 0, {{Issue::bad_tagblock_checksum, 2}}, "tag blocks say *00"},
    {"gfw-ais-tools/type1-bad-bitcount.nmea", 13, 12, 12, 12, 0, {{Issue::empty_line, 1}}, ""},
    {"gfw-ais-tools/type8.nmea", 2, 1, 1, 0, 0, {{Issue::empty_line, 1}}, ""},
    {"kystverket/norwegian.raw", 223, 223, 196, 176, 0, {}, "20 lines without tag block; 1G2: group form"},
    {"libais/tagblock.nmea", 5, 5, 4, 4, 0, {}, ""},
    {"libais/test.aivdm", 345, 263, 261, 261, 0, {{Issue::empty_line, 35}, {Issue::comment_line, 47}}, "USCG trailers; comments"},
    {"libais/typeexamples.nmea", 26, 26, 26, 26, 0, {}, "USCG trailers"},
    {"pyais/ais_test_messages", 9, 8, 7, 0, 0, {{Issue::comment_line, 1}}, ""},
    {"pyais/gatehouse.nmea", 11, 4, 4, 1, 3, {{Issue::empty_line, 2}, {Issue::comment_line, 1}, {Issue::bad_checksum, 1}},
     "line 7: $PGHP year edited (2009) without fixing *17"},
    {"pyais/messages.ais", 11, 6, 6, 0, 0, {{Issue::empty_line, 3}, {Issue::comment_line, 2}}, ""},
    {"pyais/mixed.txt", 35, 12, 10, 2, 1,
     {{Issue::empty_line, 7}, {Issue::comment_line, 5}, {Issue::non_ais_sentence, 4}, {Issue::unrecognised_line, 2},
      {Issue::bad_checksum, 1}, {Issue::bad_tagblock, 3}},
     "GPGGA/GPRTE/GPR00/IIMWV; foobar; one-digit tag block checksums"},
    {"pyais/nmea_data_sample.txt", 898, 898, 878, 0, 0, {{Issue::orphan_fragment, 20}},
     "20 first parts whose second parts were cut from the file"},
    {"pyais/sample.ais", 22, 10, 9, 1, 0,
     {{Issue::empty_line, 1}, {Issue::comment_line, 5}, {Issue::unrecognised_line, 1}, {Issue::bad_checksum, 1}, {Issue::bad_tagblock, 3},
      {Issue::bad_tagblock_checksum, 1}},
     ""},
    {"pyais/timestamped.ais", 11, 4, 4, 1, 3, {{Issue::empty_line, 2}, {Issue::comment_line, 1}, {Issue::bad_checksum, 1}}, ""},
};
// clang-format on

void check(const Expect& e, const Totals& t) {
    SCOPED_TRACE(std::string(e.file) + " (" + e.why + ")");
    EXPECT_EQ(t.lines, e.lines);
    EXPECT_EQ(t.sentences, e.sentences);
    EXPECT_EQ(t.messages, e.messages);
    EXPECT_EQ(t.timed, e.timed);
    EXPECT_EQ(t.wrappers, e.wrappers);
    for (std::size_t k = 0; k < vw::kIssueCount; ++k) {
        const auto i = static_cast<Issue>(k);
        const auto it = e.issues.find(i);
        EXPECT_EQ(t.issues[i], it == e.issues.end() ? 0u : it->second) << vw::issue_name(i);
    }
}

}  // namespace

TEST(NmeaSharedData, EveryCaptureExactCounts) {
    if (!std::filesystem::exists(kAisDir)) GTEST_SKIP() << "shared data not found at " << kAisDir;
    for (const Expect& e : kExpected) {
        std::ifstream in(kAisDir / e.file, std::ios::binary);
        ASSERT_TRUE(in) << e.file;
        check(e, run(in));
    }
}

TEST(NmeaSharedData, AmsaRawStream) {
    // amsa-risky/ais.txt.gz: 44,687 lines of a raw receiver stream. Checked by hand:
    //  - 10,629 non-AIS sentences ($PSHI, $AIVSI, $PAIS, $xxALR, $GPxxx, !AIPWR...), 26 $PGHP;
    //  - 13 truncated VDM lines without "*hh"; 3 bad checksums (e.g. line 42268 where two sentences
    //    were spliced mid-payload); 3 unrecognised ("$81130.00,...", "!=IV>l,0*1C", "!=IV0000...");
    //  - 4 first parts (lines 14127, 14663, 32913, 34222) whose second parts were corrupted: expired.
    const std::filesystem::path gz = kAisDir / "amsa-risky/ais.txt.gz";
    if (!std::filesystem::exists(gz)) GTEST_SKIP() << "shared data not found at " << gz;
    const std::string cmd = "gzip -dc '" + gz.string() + "'";
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) GTEST_SKIP() << "gzip not available";
    std::string text;
    char buf[1 << 16];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
    pclose(p);
    std::istringstream in(text);
    const Totals t = run(in);
    check({"ais.txt.gz",
           44687,
           34013,
           34009,
           864,
           26,
           {{Issue::non_ais_sentence, 10629},
            {Issue::unrecognised_line, 3},
            {Issue::bad_checksum, 3},
            {Issue::missing_checksum, 13},
            {Issue::expired_fragment, 4}},
           "raw AMSA stream"},
          t);
    // The 13 lines without a checksum are truncated: accepting them turns them into malformed ones,
    // except those that still have all fields.
    std::istringstream again(text);
    ParseOptions lax;
    lax.missing_checksum = MissingChecksum::accept;
    const Totals l = run(again, lax);
    EXPECT_EQ(l.issues[Issue::missing_checksum], 0u);
    EXPECT_EQ(l.sentences + l.issues[Issue::malformed_sentence] + l.issues[Issue::bad_fill_bits],
              34013u + 13u);
}

TEST(NmeaSharedData, ReceiveTimes) {
    if (!std::filesystem::exists(kAisDir)) GTEST_SKIP() << "shared data not found at " << kAisDir;
    auto open = [](const char* f) { return std::ifstream(kAisDir / f, std::ios::binary); };
    {
        // $PGHP,1,2010,6,11,11,46,11,390,... = 2010-06-11T11:46:11.390Z.
        auto in = open("dma-aislib/stream_example.txt");
        const Totals t = run(in);
        ASSERT_GE(t.first_times.size(), 1u);
        EXPECT_EQ(t.first_times[0], 1276256771390);
        // The multi-part at lines 16-17 takes the $PGHP of line 15 (2010-06-11T11:46:11.929Z).
        ASSERT_FALSE(t.multipart.empty());
        EXPECT_EQ(t.multipart[0].lines[0], 16u);
        EXPECT_EQ(t.multipart[0].lines[1], 17u);
        EXPECT_EQ(t.multipart[0].receive_time_ms, 1276256771929);
        EXPECT_EQ(t.multipart[0].channel, kNoChannel);
    }
    {
        auto in = open("amsa-risky/exact-earth-augmented.txt");
        const Totals t = run(in);
        ASSERT_GE(t.first_times.size(), 2u);
        EXPECT_EQ(t.first_times[0], 1327992119173);  // ",1327992119173" trailer, not the PGHP before it
        EXPECT_EQ(t.first_times[1], 1327992119205);
    }
    {
        auto in = open("kystverket/norwegian.raw");
        const Totals t = run(in);
        bool found = false;
        for (std::size_t k = 0; k < t.multipart.size(); ++k) {
            if (t.multipart[k].lines[0] != 121) continue;
            found = true;
            EXPECT_EQ(t.multipart[k].lines[1], 122u);
            EXPECT_EQ(t.multipart_stations[k], "2573225");
            EXPECT_EQ(t.multipart[k].receive_time_ms, 1733782037000);
            EXPECT_EQ(t.multipart_payloads[k].size(), 71u);
        }
        EXPECT_TRUE(found) << "1G2:58944 group at lines 121-122 not joined";
    }
    {
        auto in = open("gfw-ais-tools/bad-tagblock-group.nmea");
        const Totals t = run(in);
        ASSERT_EQ(t.multipart_payloads.size(), 1u);
        EXPECT_EQ(t.multipart_payloads[0], "E7`B1:dW7oHth@@@@@@@@@@@@@@6@6R;mMQM@10888Qr8`88888888888880");
        EXPECT_EQ(t.multipart[0].receive_time_ms, 1326055296000);
    }
    {
        // gfw-ais-tools/bad-type5.nmea lists the payloads GFW joins at its end; with talker keying
        // off, we join the same three.
        auto in = open("gfw-ais-tools/bad-type5.nmea");
        ReassemblerOptions ro;
        ro.talker_keying = TalkerKeying::ignore;
        const Totals t = run(in, {}, ro);
        ASSERT_EQ(t.multipart_payloads.size(), 3u);
        EXPECT_EQ(t.multipart_payloads[0],
                  "53l3sj42A590=5Q2220UHE:04=@Ttr222222221@9HH>46ii0=D532Dp?`1D888888888888880");
        EXPECT_EQ(t.multipart_payloads[1],
                  "53do3d800003TP7CK?8=9U=@4j0@D9E==T00001521o484d@04A3i1Eh88888888880");
        EXPECT_EQ(t.multipart_payloads[2],
                  "539NW<`00000@KGGOT08DhhE`40000000000000D8h:35vT<05@CU5iDT88800000000003Sg0");
    }
}
