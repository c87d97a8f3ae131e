// LineReader: line ends, line numbers, skipped lines and their counts, bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
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

struct Result {
    std::vector<std::pair<std::string, std::uint64_t>> lines;
    vw::IssueCounts issues;
    std::uint64_t seen = 0;
};

Result read_all(const std::string& data, LineOptions opts = {}) {
    MemorySource src("mem", data);
    LineReader reader(src, opts);
    Result r;
    Line line;
    while (reader.next(line)) r.lines.emplace_back(std::string(line.text), line.number);
    r.issues = reader.issues();
    r.seen = reader.lines_seen();
    return r;
}

using Lines = std::vector<std::pair<std::string, std::uint64_t>>;

/// One line of `line_bytes` 'x' between "before\n" and "\nafter\n", generated as it is read.
class LongLineSource final : public vw::io::ByteSource {
public:
    explicit LongLineSource(std::uint64_t line_bytes) : ByteSource("long"), line_bytes_(line_bytes) {}
    std::size_t read(std::span<char> buf) override {
        static const std::string kHead = "before\n";
        static const std::string kTail = "\nafter\n";
        const std::uint64_t total = kHead.size() + line_bytes_ + kTail.size();
        std::size_t n = 0;
        while (n < buf.size() && pos_ < total) {
            if (pos_ < kHead.size()) {
                buf[n++] = kHead[pos_++];
            } else if (pos_ < kHead.size() + line_bytes_) {
                const auto k = static_cast<std::size_t>(
                    std::min<std::uint64_t>(buf.size() - n, kHead.size() + line_bytes_ - pos_));
                std::memset(buf.data() + n, 'x', k);
                n += k;
                pos_ += k;
            } else {
                buf[n++] = kTail[pos_++ - kHead.size() - line_bytes_];
            }
        }
        return n;
    }
    vw::io::Progress progress() const override { return {pos_, std::nullopt}; }
    std::uint64_t encoded_bytes_consumed() const override { return pos_; }

private:
    std::uint64_t line_bytes_;
    std::uint64_t pos_ = 0;
};

}  // namespace

TEST(IoLineReader, EmptySourceYieldsNothing) {
    const Result r = read_all("");
    EXPECT_TRUE(r.lines.empty());
    EXPECT_EQ(r.seen, 0U);
    EXPECT_EQ(r.issues.errors(), 0U);
    EXPECT_EQ(r.issues[Issue::truncated_last_line], 0U);
}

TEST(IoLineReader, LfCrlfAndLoneCrEachEndOneLine) {
    const Result r = read_all("a\nb\r\nc\rd\n\re\r\n");
    EXPECT_EQ(r.lines, (Lines{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 6}}));
    EXPECT_EQ(r.issues[Issue::empty_line], 1U);  // "\n\r" : the lone CR ends an empty line 5
    EXPECT_EQ(r.issues[Issue::truncated_last_line], 0U);
    EXPECT_EQ(r.seen, 6U);
}

TEST(IoLineReader, EmptyLinesAreCountedAndSkipped) {
    const Result r = read_all("\na\n\n\r\n\rb\n");
    EXPECT_EQ(r.lines, (Lines{{"a", 2}, {"b", 6}}));
    EXPECT_EQ(r.issues[Issue::empty_line], 4U);
}

TEST(IoLineReader, TruncatedLastLineIsYieldedAndCounted) {
    const Result r = read_all("a\r\nlast");
    EXPECT_EQ(r.lines, (Lines{{"a", 1}, {"last", 2}}));
    EXPECT_EQ(r.issues[Issue::truncated_last_line], 1U);
    const Result cr = read_all("a\r");  // ends with a (lone) CR: complete
    EXPECT_EQ(cr.lines, (Lines{{"a", 1}}));
    EXPECT_EQ(cr.issues[Issue::truncated_last_line], 0U);
}

TEST(IoLineReader, ControlBytesMakeBinaryGarbageButTabAndHighBytesPass) {
    std::string data = "ok\nnul";
    data += '\0';
    data += "x\ntab\there\nesc\x1b[0m\ndel\x7f\nutf8 \xc3\xa9 \xff\nend";
    data += '\0';
    const Result r = read_all(data);
    EXPECT_EQ(r.lines, (Lines{{"ok", 1}, {"tab\there", 3}, {"utf8 \xc3\xa9 \xff", 6}}));
    EXPECT_EQ(r.issues[Issue::binary_garbage], 4U);
    EXPECT_EQ(r.issues[Issue::truncated_last_line], 1U);
    EXPECT_EQ(r.seen, 7U);
}

TEST(IoLineReader, LineAtTheLimitIsKeptOneByteMoreIsSkipped) {
    const LineOptions opts{.max_line_bytes = 100, .read_chunk_bytes = 7};
    const std::string at(100, 'a');
    const std::string over(101, 'b');
    const Result r = read_all("x\n" + at + "\r\n" + over + "\n" + over + "\r" + at + "\ny\n" + over, opts);
    EXPECT_EQ(r.lines, (Lines{{"x", 1}, {at, 2}, {at, 5}, {"y", 6}}));
    EXPECT_EQ(r.issues[Issue::line_too_long], 3U);
    EXPECT_EQ(r.issues[Issue::truncated_last_line], 1U);
}

TEST(IoLineReader, TenMegabyteLineIsSkippedAndNeighboursKeepTheirNumbers) {
    std::string data = "first\r\nsecond\n";
    data += std::string(10U << 20, 'Z');
    data += "\nthird\n";
    const Result r = read_all(data);
    EXPECT_EQ(r.lines, (Lines{{"first", 1}, {"second", 2}, {"third", 4}}));
    EXPECT_EQ(r.issues[Issue::line_too_long], 1U);
    EXPECT_EQ(r.issues.errors(), 1U);
}

TEST(IoLineReader, GiantLineStreamsThroughABoundedBuffer) {
    // 256 MiB in one line, generated as read: the reader never holds more than its fixed buffer.
    LongLineSource src(std::uint64_t{256} << 20);
    LineReader reader(src, LineOptions{.max_line_bytes = 1024, .read_chunk_bytes = 1 << 16});
    Lines lines;
    reader.for_each([&](std::string_view t, std::uint64_t n) { lines.emplace_back(std::string(t), n); });
    EXPECT_EQ(lines, (Lines{{"before", 1}, {"after", 3}}));
    EXPECT_EQ(reader.issues()[Issue::line_too_long], 1U);
}

TEST(IoLineReader, SameLinesForEveryReadSize) {
    // Every byte (CR before LF, control bytes, the limit) lands on a buffer boundary for some step.
    std::string data;
    for (int i = 0; i < 40; ++i) {
        data += "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*" + std::to_string(i);
        data += (i % 4 == 0) ? "\r\n" : (i % 4 == 1) ? "\n" : (i % 4 == 2) ? "\r" : "\n\n";
        if (i % 7 == 0) data += std::string(70, 'L') + "\n";
        if (i % 9 == 0) data += std::string("g\x01g\r\n");
    }
    data += "tail";
    const LineOptions opts{.max_line_bytes = 64, .read_chunk_bytes = 1 << 20};
    const Result expected = read_all(data, opts);
    ASSERT_EQ(expected.lines.size(), 41U);
    for (std::size_t step = 1; step <= 70; ++step) {
        for (const std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{64}, std::size_t{65}}) {
            TrickleSource src(data, step);
            LineReader reader(src, LineOptions{.max_line_bytes = 64, .read_chunk_bytes = chunk});
            Lines got;
            Line line;
            while (reader.next(line)) got.emplace_back(std::string(line.text), line.number);
            ASSERT_EQ(got, expected.lines) << "step " << step << " chunk " << chunk;
            ASSERT_EQ(reader.issues().n, expected.issues.n) << "step " << step << " chunk " << chunk;
        }
    }
}

TEST(IoLineReader, ReportsProgressAndBytes) {
    const std::string data = "abc\ndef\n";
    MemorySource src("mem", data);
    LineReader reader(src);
    std::uint64_t n = 0;
    reader.for_each([&](std::string_view, std::uint64_t) { ++n; });
    EXPECT_EQ(n, 2U);
    EXPECT_EQ(reader.bytes_read(), data.size());
    EXPECT_EQ(reader.progress().consumed_bytes, data.size());
    EXPECT_EQ(reader.progress().total_bytes, data.size());
    EXPECT_EQ(reader.name(), "mem");
}
