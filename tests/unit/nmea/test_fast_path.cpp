// The fast paths (LineContext::parse_line's plain `!..VDM` sentences, other talkers' `$` sentences;
// the exact-end and common sentence checks that both parse_line()s try first) against the general
// path (nmea::detail::parse_line_general: trim, tag blocks, field table only), field by field,
// on every line of the shared captures and on deterministic mutations of each line (a byte changed,
// removed or duplicated, blanks added): the fast paths must accept and reject exactly what the
// general path accepts and rejects, and fill the same Sentence.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/nmea/vdm_exact.hpp"

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
    std::uint64_t wrappers = 0;  ///< $PGHP lines read as a time wrapper
};

/// The first unit of `line` through a fresh LineContext (fast paths first) and through the
/// stateless general path must agree in status, issue and every Sentence field. `dirty` starts
/// the LineContext's Sentence from a previous line's values, as in a stream.
void compare_one(std::string_view line, const ParseResult rf, const Sentence& fast, Seen& seen);

void compare_line(std::string_view line, const Sentence& dirty, Seen& seen) {
    LineContext ctx;
    Sentence fast = dirty;
    const ParseResult rf = ctx.parse_line(line, fast);
    compare_one(line, rf, fast, seen);
    Sentence stateless = dirty;  // the stateless parse_line() tries the sentence fast paths too
    const ParseResult rs = parse_line(line, stateless);
    Seen ignored;
    compare_one(line, rs, stateless, ignored);
}

void compare_one(std::string_view line, const ParseResult rf, const Sentence& fast, Seen& seen) {
    Sentence general;
    const ParseResult rg = vw::nmea::detail::parse_line_general(line, general);
    ++seen.lines;
    ASSERT_EQ(static_cast<int>(rf.status), static_cast<int>(rg.status)) << line;
    if (rf.status == LineStatus::issue) {
        ASSERT_EQ(rf.issue, rg.issue) << line;
        ++seen.issues;
        if (rf.issue == vw::Issue::non_ais_sentence) ++seen.non_ais;
        return;
    }
    if (rf.status == LineStatus::sentence) ++seen.sentences;
    if (rf.status == LineStatus::time_wrapper) ++seen.wrappers;
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

/// `line` with the two hex digits after its last '*' set to the XOR of everything between the first
/// '!' or '$' after the last '\' and that '*': a mutation then reaches the checks after the checksum.
std::string with_fixed_checksum(std::string line) {
    const std::size_t star = line.rfind('*');
    if (star == std::string::npos || star + 2 >= line.size()) return line;
    const std::size_t tag_end = line.rfind('\\', star);
    const std::size_t start = line.find_first_of("!$", tag_end == std::string::npos ? 0 : tag_end);
    if (start == std::string::npos || start >= star) return line;
    unsigned x = 0;
    for (std::size_t i = start + 1; i < star; ++i) x ^= static_cast<unsigned char>(line[i]);
    constexpr std::string_view kHex = "0123456789ABCDEF";
    line[star + 1] = kHex[x >> 4];
    line[star + 2] = kHex[x & 15];
    return line;
}

/// Calls `check` with the one-byte mutations of `base` at positions [0, span): each byte replaced by
/// each probe (its checksums fixed by `fix`; with `also_unfixed`, also as it is), removed, and
/// doubled (both fixed).
template <class Fix, class Check>
void for_each_mutation(const std::string& base, std::size_t span, std::string_view probes, bool also_unfixed,
                       Fix&& fix, Check&& check) {
    for (std::size_t i = 0; i < span; ++i) {
        for (const char c : probes) {
            std::string m = base;
            m[i] = c;
            check(fix(m));
            if (also_unfixed) check(m);
        }
        std::string removed = base;
        removed.erase(i, 1);
        check(fix(removed));
        std::string doubled = base;
        doubled.insert(i, 1, base[i]);
        check(fix(doubled));
    }
}

/// `$PGHP` wrapper cases: `line` with its checksum fixed and as written, then every one-byte mutation of
/// the fixed line (fixed and as it is).
template <class Check>
void check_wrapper_and_mutations(std::string_view line, Check&& check) {
    const std::string base = with_fixed_checksum(std::string(line));
    check(base);
    check(std::string(line));
    constexpr std::string_view kProbes = ",*!$\\ 0159aZ@~\x01\x7f\xc3";
    for_each_mutation(base, base.size(), kProbes, true, with_fixed_checksum, check);
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
    // The captures hold every kind of line the fast paths take, many times over.
    EXPECT_GT(seen.sentences, 40'000u);
    EXPECT_GT(seen.non_ais, 1'000u);
    EXPECT_GT(seen.wrappers, 4'000u);  // dma-aislib: a $PGHP line before each sentence
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
    EXPECT_GT(seen.wrappers, 100u);
}

TEST(NmeaFastPath, SameAsGeneralPathOnMutationsWithAValidChecksum) {
    // Each byte of a sentence replaced by each probe (in the payload, the fields, the fill bits), then
    // the checksum made right: the checks after the checksum decide, and the results must still agree.
    Seen seen;
    const Sentence clean;
    for (const std::string_view line : {
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C",
             "!ABVDO,1,1,6,B,404k111uhMcg:`?3FAdE9w700D0;,0*62",
             "!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E",
             "!AIVDM,2,2,3,B,1@0000000000000,2*55",
             "\\s:2573238,c:1733782034*0A\\!BSVDM,1,1,,A,13o4g`00000I2ENRH4g83S0L088C,0*3F",
             "!=IVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C",
             "!AIVDM,1,1,,A,,0*5C",
             "!AIVDM,1,1,,A,1,0*5C",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa15M67FC000G?ufbE`FepT@3n00Sa15M67FC000G?ufbE`FepT@"
             "3n00Sa,0*5C",
         }) {
        const std::string base = with_fixed_checksum(std::string(line));
        compare_line(base, clean, seen);
        constexpr std::string_view kProbes = ",*!$\\ 0aZ@~-=#\x01\x7f\xc3";
        for_each_mutation(base, base.size() > 3 ? base.size() - 3 : 0, kProbes, false, with_fixed_checksum,
                          [&](const std::string& m) { compare_line(m, clean, seen); });
    }
    EXPECT_GT(seen.sentences, 500u);
    EXPECT_GT(seen.issues, 500u);
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
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5c",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`Fe$T@3n00Sa,0*60",
             "\\c:1733782034*2B\\!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C",
             "!AIVDM,1,1,,,15M67FC000G?ufbE`FepT@3n00Sa,0*1D",
             "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,6*5A",
         }) {
        for (const std::string& m : mutations(line)) compare_line(m, clean, seen);
    }
    EXPECT_GT(seen.sentences, 4u);
    EXPECT_GT(seen.non_ais, 4u);
}

TEST(NmeaFastPath, PghpWrappersSameAsGeneralPath) {
    // The fixed-order $PGHP reader against parse_pghp(): real wrapper lines and the edges of every
    // time field, each byte of each replaced by each probe (digits included, so that other valid
    // times come out), removed and doubled, all with the checksum made right, then with it wrong.
    Seen seen;
    const Sentence clean;
    std::uint64_t distinct_times = 0;
    std::optional<std::int64_t> last_time;
    auto check = [&](const std::string& line) {
        compare_line(line, clean, seen);
        LineContext ctx;
        Sentence s;
        if (ctx.parse_line(line, s).status == LineStatus::time_wrapper && s.receive_time_ms != last_time) {
            ++distinct_times;
            last_time = s.receive_time_ms;
        }
    };
    for (const std::string_view line : {
             "$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B",
             "$PGHP,1,2010,6,11,11,46,12,470,219,,2190064,1,5D*57",
             "$PGHP,1,2010,6,11,11,46,11,874,276,0,,1,55*2C",
             "$PGHP,1,2012,02,29,23,59,60,999*00",           // leap day, leap second, nine fields only
             "$PGHP,1,2011,2,29,0,0,0,0,,,,1,00*00",           // no 29 February in 2011
             "$PGHP,1,1970,1,1,0,0,0,0*00",                    // the first accepted instant
             "$PGHP,1,1969,12,31,23,59,59,999*00",             // before it
             "$PGHP,1,9999,12,31,23,59,59,999,1,2,3*00",
             "$PGHP,1,2010,6,11,24,0,0,0*00",                  // hour 24
             "$PGHP,1,2010,6,11,11,60,0,0*00",                 // minute 60
             "$PGHP,1,2010,6,11,11,46,61,0*00",                // second 61
             "$PGHP,1,2010,6,11,11,46,11,1000*00",             // four-digit ms
             "$PGHP,1,20100,6,11,11,46,11,390*00",             // five-digit year
             "$PGHP,1,2010,006,11,11,46,11,390*00",            // three-digit month
             "$PGHP,1,2010,6,11,11,46,11,*00",                 // empty ms
             "$PGHP,1,2010,6,11,11,46,11,390,a*b,c*00",        // a '*' before the checksum's
             "$PGHP,1,2010,6,11,11,46,11,390,231,45*5b",       // lower-case checksum
             "$PGHP,1,2010,6,11,11,46,11,390,231,45*5B  ",     // trailing blanks
             "$PGHP,1,2010,6,11,11,46,11,390,231,45*5B,x",     // junk after the checksum
             "$PGHP,1,2010,6,11,11,46,11,390,231,45",          // no checksum
             "$PGHP,11,2010,6,11,11,46,11,390*00",             // message type 11, not 1
             "$PGHP,2,2010,6,11,11,46,11,390*00",              // message type 2
             "$PGHP,1,2010,6,11,11,46,11*00",                  // eight fields
             "$PGHP,1,2010,6,11,11,46,11,390*0",               // one checksum digit
             "\\s:r1*00\\$PGHP,1,2010,6,11,11,46,11,390*00",   // behind a tag block (general path)
         }) {
        check_wrapper_and_mutations(line, check);
    }
    EXPECT_GT(seen.wrappers, 2'000u);
    EXPECT_GT(distinct_times, 500u);
    EXPECT_GT(seen.issues, 2'000u);
}

namespace {

/// `line` with the two hex digits of its first tag block's checksum set to the XOR of the block's body
/// (between the leading '\' and the first '*'), and the sentence's checksum fixed after that.
std::string with_fixed_checksums(std::string line) {
    if (!line.empty() && line[0] == '\\') {
        const std::size_t star = line.find('*');
        if (star != std::string::npos && star + 2 < line.size()) {
            unsigned x = 0;
            for (std::size_t i = 1; i < star; ++i) x ^= static_cast<unsigned char>(line[i]);
            constexpr std::string_view kHex = "0123456789ABCDEF";
            line[star + 1] = kHex[x >> 4];
            line[star + 2] = kHex[x & 15];
        }
    }
    return with_fixed_checksum(std::move(line));
}

}  // namespace

TEST(NmeaFastPath, TagBlockLinesSameAsGeneralPath) {
    // The one-block tag-block reader (LineContext::parse_line on lines starting with '\') against the
    // general path: real lines, every key it reads and the ones it leaves to the general path, c: and
    // n: values around the SWAR digit reader's 8 digits and the limits (16 and 9 digits), blocks
    // around the 32-byte window; each byte of each replaced by each probe, removed and doubled, with
    // both checksums made right, then as they come. A planted bug in the reader makes this fail.
    Seen seen;
    std::uint64_t tagged = 0;
    const Sentence clean;
    auto check = [&](const std::string& line) {
        compare_line(line, clean, seen);
        LineContext ctx;
        Sentence s;
        if (ctx.parse_line(line, s).is_sentence() && s.tag.present()) ++tagged;
    };
    constexpr std::string_view kSentence = "!BSVDM,1,1,,A,13o4g`00000I2ENRH4g83S0L088C,0*3F";
    for (const std::string_view block : {
             "\\s:2573238,c:1733782034*0A\\",
             "\\c:1733782034,s:2573238*0A\\",
             "\\s:2573238,c:1733782034123*00\\",  // ms
             "\\c:12345678*00\\",                 // exactly 8 digits
             "\\c:1234567*00\\",                  // 7
             "\\c:123456789*00\\",                // 9
             "\\c:1234567890123456*00\\",         // 16: the longest accepted
             "\\c:12345678901234567*00\\",        // 17
             "\\c:1733782O34*00\\",               // a letter O among the digits
             "\\c:17337820:4*00\\",               // ':' just above '9'
             "\\c:1733782/34*00\\",               // '/' just below '0'
             "\\c:*00\\",                         // empty value
             "\\n:123456789,s:x*00\\",            // n: at its 9-digit limit
             "\\n:1234567890,s:x*00\\",           // over it
             "\\d:dest,t:text,r:rel,q:u,T:2014-12-10 00.41.53*00\\",
             "\\s:rMT2083,t:marinetraffic,c:1698785948*44\\",
             "\\g:1-2-1278,s:66,c:1661782369*43\\",  // g: (general path)
             "\\1G2:58944,s:2573238,c:1733782034*00\\",
             "\\x:12,s:a*00\\",                          // a vendor key (general path)
             "\\s:*00\\",                                // empty station
             "\\s*00\\",                                 // a field without ':'
             "\\*00\\",                                  // empty body
             "\\s:r,,c:1*00\\",                          // empty field
             "\\s:2573238,c:1733782034,n:12345*00\\",    // body of 30 characters
             "\\s:2573238,c:1733782034,n:123456*00\\",   // 31: the last that fits
             "\\s:2573238,c:1733782034,n:1234567*00\\",  // 32: past the 32-byte window
             "\\s:a\\c:1*00\\",                          // '\' before the '*'
             "\\s:a*00\\\\c:1*00\\",                     // two blocks
             "\\s:a*00",                                 // no closing '\'
         }) {
        const std::string base = with_fixed_checksums(std::string(block) + std::string(kSentence));
        check(base);
        check(std::string(block) + std::string(kSentence));
        check(with_fixed_checksums(std::string(block)));  // a block with no sentence
        check(with_fixed_checksums(std::string(block) + "!BSVDM,2,1,3,A,13o4g`00000I2ENRH4g83S0L088C,0*00"));
        check(with_fixed_checksums(std::string(block) + std::string(kSentence) + ",1327992119173"));
        constexpr std::string_view kProbes = ",*!$\\:0159aZsgcn@~\x01\x7f\xc3";
        const std::size_t span = std::min<std::size_t>(base.size(), std::string_view(block).size() + 12);
        for_each_mutation(base, span, kProbes, true, with_fixed_checksums, check);
    }
    EXPECT_GT(tagged, 2'000u);
    EXPECT_GT(seen.sentences, 2'000u);
    EXPECT_GT(seen.issues, 2'000u);
}

TEST(NmeaFastPath, TagBlockChecksumIgnoredSameAsGeneralPath) {
    // TagBlockChecksum::ignore: any two hex digits pass, in the fast reader as in parse_tagblock().
    ParseOptions options;
    options.tagblock_checksum = TagBlockChecksum::ignore;
    std::uint64_t sentences = 0;
    for (const std::string_view line : {
             "\\s:2573238,c:1733782034*0A\\!BSVDM,1,1,,A,13o4g`00000I2ENRH4g83S0L088C,0*3F",
             "\\s:2573238,c:1733782034*00\\!BSVDM,1,1,,A,13o4g`00000I2ENRH4g83S0L088C,0*3F",
             "\\s:2573238,c:1733782034*0x\\!BSVDM,1,1,,A,13o4g`00000I2ENRH4g83S0L088C,0*3F",
             "\\s:2573238,c:1733782034*ff\\!BSVDM,1,1,,A,13o4g`00000I2ENRH4g83S0L088C,0*3F",
         }) {
        for (const std::string& m : mutations(line)) {
            LineContext ctx(options);
            Sentence fast;
            const ParseResult rf = ctx.parse_line(m, fast);
            Sentence general;
            const ParseResult rg = vw::nmea::detail::parse_line_general(m, general, options);
            ASSERT_EQ(static_cast<int>(rf.status), static_cast<int>(rg.status)) << m;
            if (rf.status == LineStatus::issue) {
                EXPECT_EQ(rf.issue, rg.issue) << m;
                continue;
            }
            ++sentences;
            expect_same_tag(fast.tag, general.tag, m);
            EXPECT_EQ(fast.payload, general.payload) << m;
            EXPECT_EQ(fast.receive_time_ms, general.receive_time_ms) << m;
            EXPECT_EQ(fast.time_source, general.time_source) << m;
        }
    }
    EXPECT_GT(sentences, 40u);
}

TEST(NmeaFastPath, PghpStreamOfChangingDatesSameAsParsePghp) {
    // One LineContext over wrapper lines whose dates change field by field (the wrapper reader keeps
    // the last date's day number): each time must be what parse_pghp() gives for the line alone.
    LineContext ctx;
    std::uint64_t wrappers = 0;
    const int dates[][3] = {{2010, 6, 11}, {2010, 6, 11}, {2010, 6, 12}, {2010, 7, 12}, {2011, 7, 12},
                            {2011, 7, 12}, {2012, 2, 29}, {2012, 3, 1},  {2012, 2, 28}, {2010, 6, 11}};
    for (const auto& d : dates) {
        for (const int hour : {0, 23}) {
            const std::string line = with_fixed_checksum("$PGHP,1," + std::to_string(d[0]) + "," +
                                                         std::to_string(d[1]) + "," + std::to_string(d[2]) +
                                                         "," + std::to_string(hour) + ",46,11,390,231,45*00");
            Sentence s;
            ASSERT_EQ(ctx.parse_line(line, s).status, LineStatus::time_wrapper) << line;
            const PghpResult want = parse_pghp(line);
            ASSERT_TRUE(want.time_ms.has_value()) << line;
            EXPECT_EQ(s.receive_time_ms, want.time_ms) << line;
            ++wrappers;
        }
    }
    EXPECT_EQ(wrappers, 20u);
}

TEST(NmeaFastPath, PghpPrefixMemoSameAsParsePghp) {
    // LineContext keeps the start of the last wrapper read in full ("$PGHP,1,yyyy,m,d,h,mi,") and reads
    // only the seconds, milliseconds and checksum of a wrapper that starts with the same bytes. Each
    // line below is read right after a line that fills the memo (so the memo is always warm), and must
    // give what parse_pghp() gives for it alone (and what the general path gives): wrappers that share
    // the prefix and differ after it, every one-byte mutation of such a line (prefix bytes included, with
    // the checksum made right and as it comes), lines whose '*' falls inside the remembered prefix, and
    // lines shorter than the 32 bytes the memo compares.
    Seen seen;
    std::uint64_t memo_shaped = 0;  // wrappers that share the warm prefix and are accepted
    const Sentence clean;
    const std::string warm = with_fixed_checksum("$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*00");
    const std::string warm_prefix = "$PGHP,1,2010,6,11,11,46,";
    auto check = [&](const std::string& line) {
        LineContext ctx;
        Sentence s;
        ASSERT_EQ(ctx.parse_line(warm, s).status, LineStatus::time_wrapper);
        const ParseResult r = ctx.parse_line(line, s);
        const PghpResult want = parse_pghp(line);
        Sentence general;
        const ParseResult rg = vw::nmea::detail::parse_line_general(line, general);
        ASSERT_EQ(static_cast<int>(r.status), static_cast<int>(rg.status)) << line;
        ++seen.lines;
        if (r.status == LineStatus::issue) {
            EXPECT_EQ(r.issue, rg.issue) << line;
            ++seen.issues;
            return;
        }
        if (r.status != LineStatus::time_wrapper) return;
        ++seen.wrappers;
        EXPECT_EQ(s.receive_time_ms, want.time_ms) << line;
        EXPECT_EQ(s.receive_time_ms, general.receive_time_ms) << line;
        if (line.compare(0, warm_prefix.size(), warm_prefix) == 0) ++memo_shaped;
    };
    for (const std::string_view line : {
             "$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*00",   // the warm line again
             "$PGHP,1,2010,6,11,11,46,12,386,219,24,992190924,1,12*00",   // same minute, other second
             "$PGHP,1,2010,6,11,11,46,59,999*00",                         // nine fields, 33 bytes
             "$PGHP,1,2010,6,11,11,46,5,9*00",                            // 30 bytes: the memo is not read
             "$PGHP,1,2010,6,11,11,46,60,0,,,,,,,,,,,*00",                // leap second
             "$PGHP,1,2010,6,11,11,46,61,0,,,,,,,,,,,*00",                // second 61
             "$PGHP,1,2010,6,11,11,46,1,1000,,,,,,,,,*00",                // four-digit ms
             "$PGHP,1,2010,6,11,11,46,,390,231,45,992190934,1,2B*00",     // empty second
             "$PGHP,1,2010,6,11,11,46*00,11,390,231,45,992190934,1,2B",   // '*' inside the prefix
             "$PGHP,1,2010,6,11,11,46,*00,390,231,45,992190934,1,2B*0",   // '*' just after it
             "$PGHP,1,2010,6,11,11,47,11,390,231,45,992190934,1,2B*00",   // next minute
             "$PGHP,1,2010,6,11,11,4,11,390,231,45,992190934,1,2B*00",    // shorter minute field
             "$PGHP,1,2010,6,11,11,466,11,390,231,45,992190934,1,2B*00",  // three-digit minute
             "$PGHP,1,2010,6,11,11,46,11,390,a*b,992190934,1,2B*00",      // a '*' before the checksum's
         }) {
        check_wrapper_and_mutations(line, check);
    }
    EXPECT_GT(seen.wrappers, 1'000u);
    EXPECT_GT(memo_shaped, 500u);
    EXPECT_GT(seen.issues, 1'000u);
}

TEST(NmeaFastPath, TagTimeMemoSameAsGeneralPath) {
    // LineContext remembers the last tag-block c: value read in full (its bytes and time) and takes the
    // time of a c: with the same bytes from there. Each line below is read right after a warm line that
    // fills the memo with "1733782034" (so the memo is always warm), then again after a warm line with a
    // 16-digit and a 1-digit value; each result must be what the general path gives for the line alone:
    // the same value, values that share a prefix or length with the memo, every one-byte mutation of
    // the value and its neighbours (block checksum made right and as it comes), values at the end of a
    // short line (the memo's 16-byte compare must not read past it) and empty values.
    Seen seen;
    std::uint64_t same_value = 0;  // accepted lines whose c: bytes are the warm line's
    const std::string sentence = "!BSVDM,1,1,,A,13o4g`00000I2ENRH4g83S0L088C,0*3F";
    const std::vector<std::string> warms = {
        with_fixed_checksums("\\s:2573238,c:1733782034*00\\" + sentence),
        with_fixed_checksums("\\s:2573238,c:1234567890123456*00\\" + sentence),
        with_fixed_checksums("\\s:2573238,c:7*00\\" + sentence),
    };
    auto check = [&](const std::string& line) {
        for (const std::string& warm : warms) {
            LineContext ctx;
            Sentence s;
            ASSERT_EQ(ctx.parse_line(warm, s).status, LineStatus::sentence) << warm;
            ASSERT_TRUE(s.receive_time_ms.has_value());
            const ParseResult r = ctx.parse_line(line, s);
            compare_one(line, r, s, seen);
            const std::size_t c = warm.find("c:");
            const std::size_t e = warm.find('*', c);
            const std::string value = warm.substr(c, e - c + 1);  // "c:digits*"
            if (r.is_sentence() && line.find(value) != std::string::npos) ++same_value;
        }
    };
    for (const std::string_view block : {
             "\\s:2573210,c:1733782034*00\\",         // same value, other station
             "\\c:1733782034,s:2573210*00\\",         // same value first
             "\\s:2573210,c:1733782035*00\\",         // last digit differs
             "\\s:2573210,c:2733782034*00\\",         // first digit differs
             "\\s:2573210,c:173378203*00\\",          // one digit shorter (a prefix of the memo)
             "\\s:2573210,c:17337820345*00\\",        // one longer (the memo is its prefix)
             "\\s:2573210,c:1234567890123456*00\\",   // 16 digits
             "\\s:2573210,c:1234567890123457*00\\",   // 16, last differs
             "\\s:2573210,c:12345678901234567*00\\",  // 17: rejected
             "\\s:2573210,c:7*00\\",                  // one digit
             "\\s:2573210,c:8*00\\",
             "\\s:2573210,c:*00\\",  // empty
             "\\s:1,c:1733782034*00\\",
         }) {
        const std::string base = with_fixed_checksums(std::string(block) + sentence);
        check(base);
        check(std::string(block) + sentence);
        check(with_fixed_checksums(std::string(block)));  // a block alone: the value near the line's end
        constexpr std::string_view kProbes = ",*!$\\:019aZ@~\x01\xc3";
        const std::size_t span = std::min<std::size_t>(base.size(), std::string_view(block).size() + 2);
        for_each_mutation(base, span, kProbes, true, with_fixed_checksums, check);
    }
    // Short lines whose value ends within 16 bytes of the line's end.
    for (const std::string_view line :
         {"\\c:1733782034*00\\!A", "\\s:x,c:1733782034*00\\!AIVDM,1,1,,A,1,0*00",
          "\\s:2573238,c:1733782034*0A\\"}) {
        check(with_fixed_checksums(std::string(line)));
    }
    EXPECT_GT(same_value, 200u);
    EXPECT_GT(seen.sentences, 2'000u);
    EXPECT_GT(seen.issues, 2'000u);
}

TEST(NmeaFastPath, NonAisLineTestSameAsGeneralPath) {
    // detail::is_plain_non_ais_line() (the pipeline counts such lines without the parser; parse_line()
    // uses it too) tests the usual address in one 8-byte word. Every address length around that word,
    // the terminator at each position or absent, and the characters at the edges of each accepted
    // range (and their copies with the high bit set) against the general path's verdict.
    // (EXPECT_GT below: both verdicts occur often.)
    const std::string alphabet = std::string("09AZ=-/:@[<>.\\ a_`,*$!") + "\xB0\xB9\xC1\xDA\xBD\xAD\x80";
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    auto next = [&x] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    std::size_t accepted = 0;
    std::size_t rejected = 0;
    for (std::size_t len = 0; len <= 11; ++len) {
        for (int k = 0; k < 3000; ++k) {
            std::string addr;
            for (std::size_t i = 0; i < len; ++i) {
                // mostly accepted characters, so that long valid addresses occur
                const bool common = next() % 4 != 0;
                addr += common ? "GPZDASHIV0123456789=-MO"[next() % 23] : alphabet[next() % alphabet.size()];
            }
            if (k % 7 == 0 && len == 5) addr = std::string("AB") + "VD" + (k % 2 ? 'M' : 'O');
            if (k % 11 == 0 && len == 4) addr = "PGHP";
            for (const std::string_view tail : {",1,2*00", "*00", "", ",", "*"}) {
                const std::string line = "$" + addr + std::string(tail);
                Sentence general;
                const ParseResult rg = vw::nmea::detail::parse_line_general(line, general);
                const bool expected = rg.status == LineStatus::issue && rg.issue == vw::Issue::non_ais_sentence;
                // Without a ',' or '*' the test leaves the line to the parser (which may count it
                // the same way: "$GPZDA"); with one, it is true exactly where the parser counts the
                // line as another talker's sentence (default options).
                const bool decided = line.find_first_of(",*") != std::string::npos;
                ASSERT_EQ(vw::nmea::detail::is_plain_non_ais_line(line), decided && expected)
                    << "line '" << line << "'";
                (decided && expected ? accepted : rejected) += 1;
            }
        }
    }
    EXPECT_GT(accepted, 10'000u);
    EXPECT_GT(rejected, 10'000u);
    // and lines that are not `$` lines at all
    for (const std::string_view line : {"", "$", "!GPZDA,1*00", " $GPZDA,1*00", "GPZDA,1"})
        EXPECT_FALSE(vw::nmea::detail::is_plain_non_ais_line(line)) << line;
}

// The branch-free character classes and sequence/channel reader of vdm_exact.hpp against plain
// reference definitions, on every byte value.
TEST(NmeaFastPath, CharacterClassesOnEveryByte) {
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        const bool digit = b >= '0' && b <= '9';
        const bool alnum = digit || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
        EXPECT_EQ(detail::is_digit(c), digit) << b;
        EXPECT_EQ(detail::is_alnum(c), alnum) << b;
    }
}

namespace {

/// read_sequence_and_channel() written with branches, field by field, as the sentence grammar reads.
bool reference_sequence_and_channel(const char* p, std::size_t& i, int& seq, char& channel) {
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    auto is_alnum = [&](char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    seq = -1;
    channel = '\0';
    if (p[i] == ',') {
        ++i;
    } else if (is_digit(p[i]) && p[i + 1] == ',') {
        seq = p[i] - '0';
        i += 2;
    } else {
        return false;
    }
    if (p[i] == ',') {
        ++i;
    } else if (is_alnum(p[i]) && p[i + 1] == ',') {
        channel = p[i];
        i += 2;
    } else {
        return false;
    }
    return true;
}

}  // namespace

TEST(NmeaFastPath, SequenceAndChannelSameAsReference) {
    // Every 4-byte window over an alphabet of field characters and their neighbours, then every byte
    // value at each of the 4 positions of the usual shapes.
    constexpr std::string_view kAlphabet = ",09/:AZaz@[`{*!\\\x01\x7f\x80\xc3";
    std::uint64_t compared = 0;
    std::uint64_t accepted = 0;
    auto compare = [&](const std::array<char, 4>& w) {
        std::size_t i_fast = 0;
        std::size_t i_ref = 0;
        int seq_fast = 99;
        int seq_ref = 99;
        char ch_fast = 'x';
        char ch_ref = 'x';
        const bool ok_fast = detail::read_sequence_and_channel(w.data(), i_fast, seq_fast, ch_fast);
        const bool ok_ref = reference_sequence_and_channel(w.data(), i_ref, seq_ref, ch_ref);
        const std::string shown(w.data(), w.size());
        ASSERT_EQ(ok_fast, ok_ref) << shown;
        ++compared;
        if (!ok_ref) return;  // on failure the outputs are unspecified
        ++accepted;
        EXPECT_EQ(i_fast, i_ref) << shown;
        EXPECT_EQ(seq_fast, seq_ref) << shown;
        EXPECT_EQ(ch_fast, ch_ref) << shown;
    };
    std::array<char, 4> w{};
    for (const char a : kAlphabet)
        for (const char b : kAlphabet)
            for (const char c : kAlphabet)
                for (const char d : kAlphabet) {
                    w = {a, b, c, d};
                    compare(w);
                }
    for (const std::string_view shape : {",,,,", "3,A,", ",B,,", "7,,,"}) {
        for (std::size_t pos = 0; pos < 4; ++pos) {
            for (int v = 0; v < 256; ++v) {
                std::copy(shape.begin(), shape.end(), w.begin());
                w[pos] = static_cast<char>(v);
                compare(w);
            }
        }
    }
    const std::uint64_t k = kAlphabet.size();
    EXPECT_EQ(compared, k * k * k * k + 4 * 4 * 256);
    EXPECT_GT(accepted, 1000u);
}
