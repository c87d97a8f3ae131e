// pipeline::for_each_message takes the commonest line (one plain single-part sentence) straight to its
// message, past the Sentence parser and the reassembler. These tests run the library's own general
// loop (LineReader -> LineContext::parse_line/next_unit -> Reassembler::add) beside it and require
// the same messages, field by field, and the same counts: on a stream made to switch between the two
// paths at every kind of boundary, and on every capture under the shared AIS directory.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/nmea/reassembler.hpp"
#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/pipeline/message_stream.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

const std::filesystem::path kAisDir = std::filesystem::path(VW_SHARED_DIR) / "data/ais";

/// One emitted message, every field of nmea::Message copied out of its views.
struct Seen {
    std::string payload;
    unsigned fill_bits = 0;
    char channel = 0;
    std::string talker;
    vw::nmea::Origin origin = vw::nmea::Origin::other_ship;
    int sequence_id = 0;
    std::optional<std::int64_t> receive_time_ms;
    vw::nmea::TimeSource time_source = vw::nmea::TimeSource::none;
    std::string station;
    std::uint32_t source_id = 0;
    unsigned fragment_count = 0;
    std::vector<std::uint64_t> lines;

    explicit Seen(const vw::nmea::Message& m)
        : payload(m.payload),
          fill_bits(m.fill_bits),
          channel(m.channel),
          talker(m.talker),
          origin(m.origin),
          sequence_id(m.sequence_id),
          receive_time_ms(m.receive_time_ms),
          time_source(m.time_source),
          station(m.station),
          source_id(m.source_id),
          fragment_count(m.fragment_count),
          lines(m.lines.begin(), m.lines.begin() + m.fragment_count) {}
    bool operator==(const Seen&) const = default;
};

struct Outcome {
    std::vector<Seen> messages;
    std::uint64_t sentences = 0;
    std::uint64_t physical_lines = 0;
    std::uint64_t plain_messages = 0;  ///< pipeline only: taken by the plain-line path
    std::uint64_t plain_non_ais = 0;   ///< pipeline only: other talkers' lines counted without the parser
    vw::IssueCounts issues;
};

Outcome through_pipeline(std::string_view bytes, const vw::pipeline::StreamOptions& options = {}) {
    vw::io::MemorySource src("stream", bytes, vw::io::MemorySource::Borrowed::yes);
    vw::pipeline::StreamStats stats;
    Outcome run;
    vw::pipeline::for_each_message(src, options, stats,
                                   [&](const vw::pipeline::MessageOrigin& o) -> std::optional<vw::Issue> {
                                       run.messages.emplace_back(o.nmea);
                                       return std::nullopt;
                                   });
    EXPECT_EQ(stats.messages, run.messages.size());
    run.sentences = stats.sentences;
    run.physical_lines = stats.physical_lines;
    run.plain_messages = stats.plain_messages;
    run.plain_non_ais = stats.plain_non_ais;
    run.issues = stats.issues;
    return run;
}

/// Every unit of every line through the Sentence parser and Reassembler::add(), as the pipeline did
/// for all lines before it took plain lines itself.
Outcome through_parser(std::string_view bytes, const vw::pipeline::StreamOptions& options = {}) {
    vw::io::MemorySource src("stream", bytes, vw::io::MemorySource::Borrowed::yes);
    vw::io::LineReader reader(src, options.lines);
    vw::nmea::LineContext ctx(options.parse);
    vw::nmea::Sentence s;
    vw::nmea::Reassembler reassembler(options.reassembly);
    Outcome run;
    vw::io::Line line;
    while (reader.next(line)) {
        for (vw::nmea::ParseResult r = ctx.parse_line(line.text, s); r.status != vw::nmea::LineStatus::end_of_line;
             r = ctx.next_unit(s)) {
            if (r.status == vw::nmea::LineStatus::issue) {
                run.issues.add(r.issue);
                continue;
            }
            if (r.status != vw::nmea::LineStatus::sentence) continue;
            ++run.sentences;
            if (reassembler.add(s, vw::nmea::FragmentOrigin{1, line.number}) == vw::nmea::AddStatus::complete)
                run.messages.emplace_back(reassembler.message());
        }
    }
    reassembler.flush(1);
    run.physical_lines = reader.lines_seen();
    run.issues.merge(reader.issues());
    run.issues.merge(reassembler.issues());
    return run;
}

void expect_same(const Outcome& a, const Outcome& b, const std::string& what) {
    ASSERT_EQ(a.messages.size(), b.messages.size()) << what;
    for (std::size_t k = 0; k < a.messages.size(); ++k) {
        const Seen& x = a.messages[k];
        const Seen& y = b.messages[k];
        EXPECT_TRUE(x == y) << what << ": message " << k << " (line " << (x.lines.empty() ? 0 : x.lines[0])
                            << "): payload " << x.payload << " / " << y.payload << ", time "
                            << x.receive_time_ms.value_or(-1) << " / " << y.receive_time_ms.value_or(-1)
                            << ", station '" << x.station << "' / '" << y.station << "'";
    }
    EXPECT_EQ(a.sentences, b.sentences) << what;
    EXPECT_EQ(a.physical_lines, b.physical_lines) << what;
    for (std::size_t k = 0; k < vw::kIssueCount; ++k)
        EXPECT_EQ(a.issues.n[k], b.issues.n[k]) << what << ": issue " << vw::issue_name(static_cast<vw::Issue>(k));
}

/// `body` (between the start character and '*') as a line with its checksum.
std::string with_checksum(char start, std::string_view body) {
    unsigned x = 0;
    for (const char c : body) x ^= static_cast<unsigned char>(c);
    char hex[4];
    std::snprintf(hex, sizeof hex, "*%02X", x);
    return std::string(1, start) + std::string(body) + hex;
}

}  // namespace

TEST(MessageStream, PlainLinePathAgreesWithParserAtEveryBoundary) {
    const std::string p1 = "15M67FC000G?ufbE`FepT@3n00Sa";  // 28 characters: one slot
    const std::string p2 = "13u?etPv2;0n:dDPwUM1U1Cb069D";
    const std::string part1 = "55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8";
    const std::string part2 = "88888888880";
    const std::string tag = with_checksum('\\', "s:2573135,c:1671620143") + "\\";
    std::vector<std::string> lines = {
        with_checksum('!', "AIVDM,1,1,,A," + p1 + ",0"),  // plain
        with_checksum('!', "AIVDO,1,1,,B," + p2 + ",0"),  // plain, own ship
        with_checksum('$', "PGHP,1,2010,6,11,11,46,11,929,219,2190047,1,72"),
        with_checksum('!', "AIVDM,1,1,,A," + p1 + ",0"),  // plain, but takes the $PGHP time
        with_checksum('!', "AIVDM,1,1,,A," + p2 + ",0"),  // plain again: no time
        with_checksum('!', "AIVDM,2,1,3,B," + part1 + ",0"),
        with_checksum('!', "AIVDM,1,1,,A," + p1 + ",0"),  // plain while a group is open
        with_checksum('!', "AIVDM,2,2,3,B," + part2 + ",2"),
        with_checksum('!', "AIVDM,1,1,,B," + p2 + ",0"),                 // plain once the group is done
        with_checksum('!', "AIVDM,1,1,,B," + p2 + ",0") + ",1327992119173",  // trailer with a time
        tag + with_checksum('!', "AIVDM,1,1,,A," + p1 + ",0"),           // tag block: station and time
        with_checksum('!', "AIVDM,1,1,,A," + p1 + ",0"),                 // plain: no station left over
        with_checksum('!', "AIVDM,1,1,,A," + p1 + ",0").substr(0, 40),   // cut short
        "!AIVDM,1,1,,A," + p1 + ",0*00",                                // bad checksum
        with_checksum('$', "GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W"),
        with_checksum('!', "AIVDM,1,1,7,2," + p2 + ",0"),  // plain with a sequence id and channel 2
        // Other talkers' sentences, counted by the loop without the parser, and the `$` lines that are
        // not theirs: an AIS address, a bad address character, an empty, a long, a cut-short address.
        with_checksum('$', "PGHP,1,2010,6,11,11,46,12,929,219,2190047,1,72"),
        with_checksum('$', "GPZDA,114702.51,27,01,2012,,"),  // between the wrapper and its sentence
        with_checksum('!', "AIVDM,1,1,,A," + p2 + ",0"),     // so no time (plain path)
        with_checksum('$', "PSHI,001,01.53524524,,01691"),
        with_checksum('$', "AIVDM,1,1,,A," + p1 + ",0"),     // `$` and an AIS address: a sentence
        with_checksum('$', "GP<DA,1"),
        with_checksum('$', ",1,2"),
        with_checksum('$', "ABCDEFGHIJK,1"),  // an address longer than a word: counted all the same
        "$GP",
        "$PGHP*00",
        with_checksum('!', "AIVDM,2,1,4,A," + part1 + ",0"),  // a group left open at the end: orphan
        with_checksum('!', "AIVDM,1,1,,," + p1 + ",0"),       // plain while it is open, no channel
    };
    std::string bytes;
    for (const std::string& l : lines) bytes += l + "\r\n";
    const Outcome fused = through_pipeline(bytes);
    const Outcome general = through_parser(bytes);
    expect_same(fused, general, "made stream");
    // Both ways were taken: lines 1, 2, 4 (after the wrapper), 5, 9, 12 and 16 by the plain-line path,
    // the rest by the parser (a group open, a trailer, a tag block, multi-part fragments, bad lines).
    EXPECT_EQ(fused.plain_messages, 8u);  // and the sentence after $GPZDA, after skip_line()
    EXPECT_EQ(fused.plain_non_ais, 4u);   // GPRMC, GPZDA, PSHI, ABCDEFGHIJK
    ASSERT_EQ(fused.messages.size(), 14u);
    EXPECT_EQ(fused.messages[11].time_source, vw::nmea::TimeSource::none);
    EXPECT_EQ(fused.messages[2].time_source, vw::nmea::TimeSource::pghp);
    EXPECT_EQ(fused.messages[3].time_source, vw::nmea::TimeSource::none);
    EXPECT_EQ(fused.messages[7].time_source, vw::nmea::TimeSource::trailer);
    EXPECT_EQ(fused.messages[8].station, "2573135");
    EXPECT_EQ(fused.issues.n[static_cast<std::size_t>(vw::Issue::orphan_fragment)], 1u);
}

TEST(MessageStream, PlainLinePathAgreesWithParserOnSharedCaptures) {
    if (!std::filesystem::exists(kAisDir)) GTEST_SKIP() << "shared data not found at " << kAisDir;
    vw::io::InputWalker walker({kAisDir.string()}, {});
    std::size_t files = 0;
    std::uint64_t plain = 0;
    std::uint64_t plain_non_ais = 0;
    std::size_t messages = 0;
    while (vw::io::Source* src = walker.next()) {
        std::string bytes;
        char buf[1 << 16];
        while (const std::size_t n = src->bytes->read(std::span<char>(buf, sizeof buf))) bytes.append(buf, n);
        const Outcome fused = through_pipeline(bytes);
        expect_same(fused, through_parser(bytes), src->name);
        ++files;
        plain += fused.plain_messages;
        plain_non_ais += fused.plain_non_ais;
        messages += fused.messages.size();
    }
    EXPECT_GT(files, 20u);
    EXPECT_GT(plain, 30'000u);     // the plain path ran, many times over (35,399 messages)
    EXPECT_GT(messages, plain);    // and so did the general one
    EXPECT_GT(plain_non_ais, 0u);  // other talkers' lines were counted without the parser
}

TEST(MessageStream, PlainLinePathLeavesExpiryToTheReassembler) {
    // A group opened and never finished, then plain lines: while it is open they go through add(),
    // which scans for expired groups every so many single-part adds; once it has expired (age limit 10
    // lines), the rest take the plain-line path. Taking them all past add() would leave the group open
    // to the end (an orphan instead of an expired fragment).
    const std::string p1 = "15M67FC000G?ufbE`FepT@3n00Sa";
    const std::string part1 = "55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8";
    std::string bytes = with_checksum('!', "AIVDM,2,1,5,A," + part1 + ",0") + "\n";
    constexpr std::size_t kPlainLines = 200;
    for (std::size_t k = 0; k < kPlainLines; ++k) bytes += with_checksum('!', "AIVDM,1,1,,B," + p1 + ",0") + "\n";
    vw::pipeline::StreamOptions options;
    options.reassembly.max_group_age_lines = 10;
    const Outcome fused = through_pipeline(bytes, options);
    expect_same(fused, through_parser(bytes, options), "expiring group");
    EXPECT_EQ(fused.issues[vw::Issue::expired_fragment], 1u);
    EXPECT_EQ(fused.issues[vw::Issue::orphan_fragment], 0u);
    EXPECT_EQ(fused.messages.size(), kPlainLines);
    EXPECT_GT(fused.plain_messages, 0u);
    EXPECT_LT(fused.plain_messages, kPlainLines);
}

TEST(MessageStream, SinkIssueOnAPlainLineNamesItsLine) {
    // Under fail_first, an error the sink reports for a message stops at that message's line.
    const std::string p1 = "15M67FC000G?ufbE`FepT@3n00Sa";
    std::string bytes = "# a comment\n";
    for (int k = 0; k < 5; ++k) bytes += with_checksum('!', "AIVDM,1,1,,A," + p1 + ",0") + "\n";
    vw::io::MemorySource src("stream", bytes, vw::io::MemorySource::Borrowed::yes);
    vw::pipeline::StreamOptions options;
    options.strictness = vw::pipeline::Strictness::fail_first;
    vw::pipeline::StreamStats stats;
    int seen = 0;
    try {
        vw::pipeline::for_each_message(src, options, stats,
                                       [&](const vw::pipeline::MessageOrigin&) -> std::optional<vw::Issue> {
                                           return ++seen == 3 ? std::optional(vw::Issue::unknown_type)
                                                              : std::nullopt;
                                       });
        FAIL() << "no error";
    } catch (const vw::InputError& e) {
        EXPECT_EQ(e.where().line, 4u) << e.what();  // the comment is line 1
    }
    EXPECT_EQ(stats.plain_messages, 3u);
}
