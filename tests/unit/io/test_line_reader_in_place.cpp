// LineReader over sources that expose their bytes (ByteSource::read_in_place, MemorySource): the
// lines are views into the source, and every line, line number and count is the same as when the
// same bytes are copied through the read buffer (a source that only implements read()).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "trickle_source.hpp"

namespace {

using vw::test::TrickleSource;

using vw::Issue;
using vw::io::Line;
using vw::io::LineOptions;
using vw::io::LineReader;
using vw::io::MemorySource;

using Lines = std::vector<std::pair<std::string, std::uint64_t>>;

struct Result {
    Lines lines;
    vw::IssueCounts issues;
    std::uint64_t seen = 0;
    std::uint64_t bytes = 0;
    LineReader::Rejected last_rejected;
    std::size_t lines_in_source = 0;  // lines whose text lies inside the source's own bytes
};

Result read_all(vw::io::ByteSource& src, std::string_view own_bytes, LineOptions opts) {
    LineReader reader(src, opts);
    Result r;
    Line line;
    while (reader.next(line)) {
        r.lines.emplace_back(std::string(line.text), line.number);
        if (line.text.data() >= own_bytes.data() &&
            line.text.data() + line.text.size() <= own_bytes.data() + own_bytes.size())
            ++r.lines_in_source;
    }
    r.issues = reader.issues();
    r.seen = reader.lines_seen();
    r.bytes = reader.bytes_read();
    r.last_rejected = reader.last_rejected();
    return r;
}

void expect_same(const Result& a, const Result& b, const std::string& what) {
    ASSERT_EQ(a.lines, b.lines) << what;
    EXPECT_EQ(a.issues.n, b.issues.n) << what;
    EXPECT_EQ(a.seen, b.seen) << what;
    EXPECT_EQ(a.bytes, b.bytes) << what;
    EXPECT_EQ(a.last_rejected.number, b.last_rejected.number) << what;
    EXPECT_EQ(a.last_rejected.issue, b.last_rejected.issue) << what;
}

/// Random text made of the pieces that matter to the splitter: every line end, control bytes, TAB,
/// high bytes, empty lines, lines around the length limit, and ordinary sentences.
std::string random_text(std::mt19937& rng, std::size_t pieces) {
    static const std::vector<std::string> kPieces = {
        "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24",
        "$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "\r\r\n",
        std::string(1, '\0'),
        "\x01",
        "\x7f",
        "\t",
        "\xc3\xa9",
        "x",
        "#c",
        std::string(63, 'a'),
        std::string(64, 'b'),
        std::string(65, 'c'),
        std::string(200, 'd'),
    };
    std::string s;
    std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
    for (std::size_t k = 0; k < pieces; ++k) s += kPieces[pick(rng)];
    return s;
}

}  // namespace

TEST(IoLineReaderInPlace, LinesAreViewsIntoTheSourceExceptTheLastFew) {
    std::string data;
    for (int i = 0; i < 100; ++i)
        data += "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*" + std::to_string(10 + i) + "\n";
    MemorySource src("mem", std::string_view(data), MemorySource::Borrowed::yes);
    const Result r = read_all(src, data, LineOptions{});
    ASSERT_EQ(r.lines.size(), 100U);
    // Only the line(s) ending in the source's last 64 bytes (the scan's slack) go through the buffer.
    EXPECT_GE(r.lines_in_source, 98U);
    EXPECT_LT(r.lines_in_source, 100U);
    EXPECT_EQ(r.bytes, data.size());
    EXPECT_EQ(src.progress().consumed_bytes, data.size());
}

TEST(IoLineReaderInPlace, MemorySourceHandsOutContiguousViewsAndKeepsTheSlack) {
    const std::string data(1000, 'q');
    MemorySource src("mem", std::string_view(data), MemorySource::Borrowed::yes);
    const std::string_view a = src.read_in_place(64, 300);
    const std::string_view b = src.read_in_place(64, 1000);
    EXPECT_EQ(a.data(), data.data());
    EXPECT_EQ(a.size(), 300U);
    EXPECT_EQ(b.data(), data.data() + 300);
    EXPECT_EQ(b.size(), 1000U - 300U - 64U);
    EXPECT_TRUE(src.read_in_place(64, 1000).empty());  // only the slack is left
    char buf[100];
    EXPECT_EQ(src.read(std::span<char>(buf, sizeof buf)), 64U);  // which read() returns
    EXPECT_EQ(src.read(std::span<char>(buf, sizeof buf)), 0U);
    MemorySource tiny("tiny", std::string("0123456789"));
    EXPECT_TRUE(tiny.read_in_place(64, 1000).empty());
}

TEST(IoLineReaderInPlace, SameAsCopyingOnRandomTextForEveryChunkAndLimit) {
    std::mt19937 rng(4242);
    for (int round = 0; round < 300; ++round) {
        const std::string data = random_text(rng, 1 + static_cast<std::size_t>(round % 60) * 3);
        for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{65},
                                        std::size_t{100}, vw::io::kReadChunkBytes}) {
            for (const std::size_t limit :
                 {std::size_t{64}, std::size_t{100}, vw::io::kDefaultMaxLineBytes}) {
                const LineOptions opts{.max_line_bytes = limit, .read_chunk_bytes = chunk};
                MemorySource mem("mem", std::string_view(data), MemorySource::Borrowed::yes);
                TrickleSource copy(data, 1 + static_cast<std::size_t>(round % 97));
                const Result in_place = read_all(mem, data, opts);
                const Result copied = read_all(copy, data, opts);
                expect_same(in_place, copied,
                            "round " + std::to_string(round) + " chunk " + std::to_string(chunk) + " limit " +
                                std::to_string(limit));
                if (HasFatalFailure()) return;
            }
        }
    }
}

TEST(IoLineReaderInPlace, CrLfSplitAcrossViewsAndTheSlackBoundary) {
    // A CR as the last byte of one in-place view (chunk = 1 puts every byte at a view's end) and as
    // the last byte before the 64-byte slack: the LF after it still belongs to the same line end.
    for (std::size_t pad = 0; pad < 80; ++pad) {
        std::string data = std::string(pad + 1, 'p') + "\r\n" + std::string(70, 'r') + "\r\n\r\nz\r";
        for (const std::size_t chunk :
             {std::size_t{1}, std::size_t{2}, std::size_t{3}, vw::io::kReadChunkBytes}) {
            const LineOptions opts{.max_line_bytes = 100, .read_chunk_bytes = chunk};
            MemorySource mem("mem", std::string_view(data), MemorySource::Borrowed::yes);
            TrickleSource copy(data, chunk);
            const Result a = read_all(mem, data, opts);
            expect_same(a, read_all(copy, data, opts),
                        "pad " + std::to_string(pad) + " chunk " + std::to_string(chunk));
            ASSERT_EQ(a.lines.size(), 3U);
            EXPECT_EQ(a.issues[Issue::empty_line], 1U);
            EXPECT_EQ(a.seen, 4U);
        }
    }
}

TEST(IoLineReaderInPlace, OverlongLineInMemoryIsSkippedLikeWhenStreamed) {
    std::string data = "first\n" + std::string(5000, 'Z') + "\nsecond\n" + std::string(3000, 'Y');
    for (const std::size_t chunk : {std::size_t{16}, std::size_t{1000}, vw::io::kReadChunkBytes}) {
        const LineOptions opts{.max_line_bytes = 1024, .read_chunk_bytes = chunk};
        MemorySource mem("mem", std::string_view(data), MemorySource::Borrowed::yes);
        TrickleSource copy(data, chunk);
        const Result a = read_all(mem, data, opts);
        expect_same(a, read_all(copy, data, opts), "chunk " + std::to_string(chunk));
        EXPECT_EQ(a.lines, (Lines{{"first", 1}, {"second", 3}}));
        EXPECT_EQ(a.issues[Issue::line_too_long], 2U);
        EXPECT_EQ(a.issues[Issue::truncated_last_line], 1U);
    }
}

TEST(IoLineReaderInPlace, SameAsCopyingOnTheSharedCaptures) {
    const std::filesystem::path dir = std::filesystem::path(VW_SHARED_DIR) / "data/ais";
    if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no shared data at " << dir;
    std::size_t files = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file() || e.file_size() > (std::uintmax_t{8} << 20)) continue;
        const std::string ext = e.path().extension().string();
        if (ext == ".gz" || ext == ".json" || ext == ".tsv") continue;  // text captures only
        std::ifstream f(e.path(), std::ios::binary);
        std::ostringstream ss;
        ss << f.rdbuf();
        const std::string data = ss.str();
        MemorySource mem("mem", std::string_view(data), MemorySource::Borrowed::yes);
        TrickleSource copy(data, vw::io::kReadChunkBytes);
        expect_same(read_all(mem, data, LineOptions{}), read_all(copy, data, LineOptions{}),
                    e.path().string());
        ++files;
    }
    EXPECT_GT(files, 0U);
}
