// LineContext::parse_line's fast paths (plain `!..VDM` sentences, other talkers' `$` sentences) against
// the general path (the stateless nmea::parse_line: trim, tag blocks, field table), field by field,
// on every line of the shared captures and on deterministic mutations of each line (a byte changed,
// removed or duplicated, blanks added): the fast paths must accept and reject exactly what the
// general path accepts and rejects, and fill the same Sentence.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/nmea/sentence.hpp"

using namespace vw::nmea;

namespace {

const std::filesystem::path kAisDir = std::filesystem::path(VW_SHARED_DIR) / "data/ais";

void expect_same_tag(const TagBlock& a, const TagBlock& b, std::string_view line) {
    EXPECT_EQ(a.source, b.source) << line;
    EXPECT_EQ(a.destination, b.destination) << line;
    EXPECT_EQ(a.text, b.text) << line;
    EXPECT_EQ(a.relative_time, b.relative_time) << line;
    EXPECT_EQ(a.quality, b.quality) << line;
    EXPECT_EQ(a.human_time, b.human_time) << line;
    EXPECT_EQ(a.raw_time, b.raw_time) << line;
    EXPECT_EQ(a.time_ms, b.time_ms) << line;
    EXPECT_EQ(a.line_count, b.line_count) << line;
    EXPECT_EQ(a.group.sequence, b.group.sequence) << line;
    EXPECT_EQ(a.group.total, b.group.total) << line;
    EXPECT_EQ(a.group.id, b.group.id) << line;
    EXPECT_EQ(a.raw, b.raw) << line;
    EXPECT_EQ(a.blocks, b.blocks) << line;
}

/// Counts of what the comparison saw, so that the test can assert that both fast paths ran.
struct Seen {
    std::uint64_t lines = 0;
    std::uint64_t sentences = 0;
    std::uint64_t non_ais = 0;
    std::uint64_t issues = 0;
};

/// The first unit of `line` through a fresh LineContext (fast paths first) and through the
/// stateless general path must agree in status, issue and every Sentence field. `dirty` starts
/// the LineContext's Sentence from a previous line's values, as in a stream.
void compare_line(std::string_view line, const Sentence& dirty, Seen& seen) {
    LineContext ctx;
    Sentence fast = dirty;
    Sentence general;
    const ParseResult rf = ctx.parse_line(line, fast);
    const ParseResult rg = parse_line(line, general);
    ++seen.lines;
    ASSERT_EQ(static_cast<int>(rf.status), static_cast<int>(rg.status)) << line;
    if (rf.status == LineStatus::issue) {
        ASSERT_EQ(rf.issue, rg.issue) << line;
        ++seen.issues;
        if (rf.issue == vw::Issue::non_ais_sentence) ++seen.non_ais;
        return;
    }
    if (rf.status == LineStatus::sentence) ++seen.sentences;
    expect_same_tag(fast.tag, general.tag, line);
    EXPECT_EQ(fast.talker, general.talker) << line;
    EXPECT_EQ(fast.origin, general.origin) << line;
    EXPECT_EQ(fast.fragment_count, general.fragment_count) << line;
    EXPECT_EQ(fast.fragment_number, general.fragment_number) << line;
    EXPECT_EQ(fast.sequence_id, general.sequence_id) << line;
    EXPECT_EQ(fast.channel, general.channel) << line;
    EXPECT_EQ(fast.payload, general.payload) << line;
    EXPECT_EQ(fast.fill_bits, general.fill_bits) << line;
    EXPECT_EQ(fast.receive_time_ms, general.receive_time_ms) << line;
    EXPECT_EQ(fast.time_source, general.time_source) << line;
    EXPECT_EQ(fast.text, general.text) << line;
    EXPECT_EQ(fast.trailer, general.trailer) << line;
    EXPECT_EQ(fast.checksum_present, general.checksum_present) << line;
}

/// Deterministic variants of a line that probe every check of the fast paths.
std::vector<std::string> mutations(std::string_view line) {
    std::vector<std::string> out;
    out.emplace_back(line);
    out.emplace_back(std::string(line) + " ");
    out.emplace_back(" " + std::string(line));
    out.emplace_back(std::string(line) + "\t,1234567890");
    constexpr std::string_view kProbes = ",*!$\\ 0aZ@~";
    for (std::size_t i = 0; i < line.size() && i < 24; ++i) {
        for (const char c : kProbes) {
            std::string m(line);
            m[i] = c;
            out.push_back(std::move(m));
        }
        std::string removed(line);
        removed.erase(i, 1);
        out.push_back(std::move(removed));
        std::string doubled(line);
        doubled.insert(i, 1, line[i]);
        out.push_back(std::move(doubled));
    }
    for (std::size_t back = 1; back <= 6 && back <= line.size(); ++back) {  // fill, '*', checksum
        const std::size_t i = line.size() - back;
        for (const char c : kProbes) {
            std::string m(line);
            m[i] = c;
            out.push_back(std::move(m));
        }
    }
    return out;
}

/// Every line of every capture (plain or compressed) under the shared AIS directory.
template <class F>
void for_each_shared_line(F&& f) {
    vw::io::InputWalker walker({kAisDir.string()}, {});
    while (vw::io::Source* src = walker.next()) {
        vw::io::LineReader reader(*src->bytes);
        vw::io::Line line;
        while (reader.next(line)) f(line.text);
    }
}

}  // namespace

TEST(NmeaFastPath, SameAsGeneralPathOnSharedCaptures) {
    if (!std::filesystem::exists(kAisDir)) GTEST_SKIP() << "shared data not found at " << kAisDir;
    Seen seen;
    Sentence previous;
    LineContext stream;
    for_each_shared_line([&](std::string_view line) {
        compare_line(line, previous, seen);
        (void)stream.parse_line(line, previous);  // keep a realistic, dirty Sentence for the next line
    });
    // The captures hold both kinds of line the fast paths take, many times over.
    EXPECT_GT(seen.sentences, 40'000u);
    EXPECT_GT(seen.non_ais, 1'000u);
}

TEST(NmeaFastPath, SameAsGeneralPathOnMutatedLines) {
    if (!std::filesystem::exists(kAisDir)) GTEST_SKIP() << "shared data not found at " << kAisDir;
    Seen seen;
    Sentence previous;
    LineContext stream;
    std::uint64_t k = 0;
    for_each_shared_line([&](std::string_view line) {
        // Every 97th line: all captures contribute, and the run stays short.
        if (k++ % 97 != 0) return;
        for (const std::string& m : mutations(line)) compare_line(m, previous, seen);
        (void)stream.parse_line(line, previous);
    });
    EXPECT_GT(seen.sentences, 1'000u);
    EXPECT_GT(seen.non_ais, 100u);
    EXPECT_GT(seen.issues, 10'000u);
}

TEST(NmeaFastPath, HandWrittenEdgeCases) {
    Seen seen;
    const Sentence clean;
    for (const std::string_view line : {
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C ",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C,1327992119173",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5D",
             "!aiVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0",
             "$GPZDA,114702.51,27,01,2012,,*66",
             "$GPZDA",
             "$GPZDA ",
             "$GP ZDA,1*00",
             "$,1,2*00",
             "$AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*7E",
             "$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B",
             "$PGHP,2,x*00",
             "$GP*1,2",
             "$GPZDA*",
         }) {
        for (const std::string& m : mutations(line)) compare_line(m, clean, seen);
    }
    EXPECT_GT(seen.sentences, 4u);
    EXPECT_GT(seen.non_ais, 4u);
}
