// Format detection and the streaming decompressors: identical lines out, multi-member/stream/frame
// files, truncation, trailing garbage, the decompression-bomb limit.
#include <bzlib.h>
#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/io/compression.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

namespace fs = std::filesystem;
using vw::io::BombLimits;
using vw::io::Format;
using vw::io::MemorySource;

std::string sample_text() {
    std::string s;
    for (int i = 0; i < 20000; ++i) {
        s += "\\s:rORBCOMM" + std::to_string(i % 97) + ",c:" + std::to_string(1600000000 + i) +
             "*5C\\!AIVDM,1,1,,B,13u?etPv2;0n:dDPwUM1U1Cb069D," + std::to_string(i % 6) + "*" +
             std::to_string(i);
        s += (i % 3 == 0) ? "\r\n" : "\n";
    }
    return s;
}

std::string gzip(const std::string& in, int level = 6) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string bzip2(const std::string& in) {
    std::string out(in.size() + in.size() / 100 + 600, '\0');
    auto n = static_cast<unsigned>(out.size());
    EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &n, const_cast<char*>(in.data()),
                                       static_cast<unsigned>(in.size()), 9, 0, 0),
              BZ_OK);
    out.resize(n);
    return out;
}

std::string xz(const std::string& in) {
    std::string out(lzma_stream_buffer_bound(in.size()), '\0');
    std::size_t pos = 0;
    EXPECT_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                      reinterpret_cast<const std::uint8_t*>(in.data()), in.size(),
                                      reinterpret_cast<std::uint8_t*>(out.data()), &pos, out.size()),
              LZMA_OK);
    out.resize(pos);
    return out;
}

std::string zstd(const std::string& in) {
    std::string out(ZSTD_compressBound(in.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
    EXPECT_EQ(ZSTD_isError(n), 0U);
    out.resize(n);
    return out;
}

/// Decompresses everything `encoded` holds (auto-detected) into one string.
std::string decode_all(const std::string& encoded, const BombLimits& limits = {}) {
    auto src = vw::io::open_decompressed(std::make_unique<MemorySource>("test.bin", encoded), limits);
    std::string out;
    std::vector<char> buf(100000);
    for (;;) {
        const std::size_t n = src->read(buf);
        if (n == 0) break;
        out.append(buf.data(), n);
    }
    return out;
}

/// Compares without printing megabytes on failure.
::testing::AssertionResult same_bytes(const std::string& got, const std::string& want) {
    if (got == want) return ::testing::AssertionSuccess();
    std::size_t i = 0;
    while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
    return ::testing::AssertionFailure()
           << "sizes " << got.size() << " vs " << want.size() << ", first difference at byte " << i;
}

std::vector<std::string> lines_of(vw::io::ByteSource& src) {
    std::vector<std::string> lines;
    vw::io::LineReader reader(src);
    reader.for_each([&](std::string_view t, std::uint64_t) { lines.emplace_back(t); });
    return lines;
}

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::path(VW_TEST_TMP) / "io" / name;
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST(IoCompression, DetectsFormatsByMagicBytes) {
    using vw::io::detect_format;
    const auto f = [](std::string s) { return detect_format(std::span<const char>(s.data(), s.size())); };
    EXPECT_EQ(f("\x1f\x8b\x08"), Format::gzip);
    EXPECT_EQ(f("BZh9\x31\x41"), Format::bzip2);
    EXPECT_EQ(f("BZh0"), Format::plain);
    EXPECT_EQ(f(std::string("\xfd"
                            "7zXZ\0",
                            6)),
              Format::xz);
    EXPECT_EQ(f("\x28\xb5\x2f\xfd"), Format::zstd);
    EXPECT_EQ(f("\x50\x2a\x4d\x18"), Format::zstd);  // skippable frame first (pzstd output)
    EXPECT_EQ(f("PK\x03\x04"), Format::zip);
    EXPECT_EQ(f("PK\x05\x06"), Format::zip);
    EXPECT_EQ(f("!AIVDM,1,1"), Format::plain);
    EXPECT_EQ(f(""), Format::plain);
    EXPECT_EQ(f("\x1f"), Format::plain);
    EXPECT_EQ(vw::io::format_name(Format::zstd), "zstd");
}

TEST(IoCompression, EveryFormatGivesIdenticalLines) {
    const std::string text = sample_text();
    MemorySource plain_src("plain", text);
    const std::vector<std::string> expected = lines_of(plain_src);
    ASSERT_EQ(expected.size(), 20000U);
    for (const auto& [format, encoded] : {std::pair{"gzip", gzip(text)}, std::pair{"bzip2", bzip2(text)},
                                          std::pair{"xz", xz(text)}, std::pair{"zstd", zstd(text)}}) {
        auto src = vw::io::open_decompressed(std::make_unique<MemorySource>(format, encoded));
        EXPECT_EQ(lines_of(*src), expected) << format;
        EXPECT_EQ(src->progress().consumed_bytes, encoded.size()) << format;
        EXPECT_EQ(src->progress().total_bytes, encoded.size()) << format;
    }
}

TEST(IoCompression, ConcatenatedMembersStreamsAndFramesAreAllRead) {
    const std::string a = "first part\n";
    const std::string b = sample_text();
    const std::string c = "last part without newline";
    const std::string all = a + b + c;
    EXPECT_TRUE(same_bytes(decode_all(gzip(a) + gzip(b, 9) + gzip(c, 1)), all));
    EXPECT_TRUE(same_bytes(decode_all(bzip2(a) + bzip2(b) + bzip2(c)), all));
    EXPECT_TRUE(same_bytes(decode_all(xz(a) + xz(b) + xz(c)), all));
    EXPECT_TRUE(same_bytes(decode_all(zstd(a) + zstd(b) + zstd(c)), all));
    // an empty member in the middle, and zero padding at the end (tape blocks)
    EXPECT_TRUE(same_bytes(decode_all(gzip(a) + gzip("") + gzip(c) + std::string(512, '\0')), a + c));
    EXPECT_TRUE(same_bytes(decode_all(bzip2(a) + bzip2(c) + std::string(100, '\0')), a + c));
}

TEST(IoCompression, CompressionInsideCompressionIsOpened) {
    const std::string text = sample_text();
    EXPECT_TRUE(same_bytes(decode_all(gzip(xz(text))), text));
    EXPECT_THROW((void)decode_all(gzip(gzip(gzip(text)))), vw::InputError);  // more than 2 layers
}

TEST(IoCompression, TruncatedStreamsThrowIoErrorNamingTheSource) {
    const std::string text = sample_text();
    for (const auto& [format, encoded] : {std::pair{"gzip", gzip(text)}, std::pair{"bzip2", bzip2(text)},
                                          std::pair{"xz", xz(text)}, std::pair{"zstd", zstd(text)}}) {
        const std::string cut = encoded.substr(0, encoded.size() * 2 / 3);
        try {
            (void)decode_all(cut);
            ADD_FAILURE() << format << ": no error";
        } catch (const vw::IoError& e) {
            EXPECT_EQ(e.where().file, "test.bin") << format;
            EXPECT_NE(std::string(e.what()).find("test.bin"), std::string::npos) << e.what();
        }
    }
}

TEST(IoCompression, TrailingGarbageAndCorruptDataThrow) {
    EXPECT_THROW((void)decode_all(gzip("abc\n") + "garbage"), vw::IoError);
    std::string corrupt = gzip(sample_text());
    corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x55);
    EXPECT_THROW((void)decode_all(corrupt), vw::IoError);
    EXPECT_THROW((void)decode_all(zstd("abc\n") + "garbage"), vw::IoError);
}

TEST(IoCompression, GzipTrailerMismatchIsReported) {
    // The deflate data is intact; only the CRC-32 (or the length) in the 8-byte trailer is wrong.
    const std::string good = gzip(sample_text());
    for (const std::size_t from_end : {std::size_t{8}, std::size_t{1}}) {  // CRC-32 first byte, ISIZE last byte
        std::string bad = good;
        bad[bad.size() - from_end] = static_cast<char>(bad[bad.size() - from_end] ^ 0x01);
        try {
            (void)decode_all(bad);
            ADD_FAILURE() << "no error for a flipped trailer byte at -" << from_end;
        } catch (const vw::IoError& e) {
            EXPECT_NE(std::string(e.what()).find("gzip"), std::string::npos) << e.what();
        }
    }
}

TEST(IoCompression, GzipBombStopsWithIoError) {
    // 2 GiB of zeros at level 9 is ~2 MiB of gzip: a ratio of ~1030:1, above the 1000:1 limit.
    const fs::path bomb = scratch("bomb") / "zeros-2GiB.gz";
    constexpr std::uint64_t kBombBytes = std::uint64_t{2} << 30;
    if (!fs::exists(bomb)) {
        const fs::path part = bomb.string() + ".part";
        std::ofstream out(part, std::ios::binary);
        z_stream z{};
        ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
        const std::vector<char> zeros(1 << 20, 0);
        std::vector<char> buf(1 << 16);
        for (std::uint64_t done = 0; done < kBombBytes; done += zeros.size()) {
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
            z.avail_in = static_cast<uInt>(zeros.size());
            const int flush = done + zeros.size() >= kBombBytes ? Z_FINISH : Z_NO_FLUSH;
            do {
                z.next_out = reinterpret_cast<Bytef*>(buf.data());
                z.avail_out = static_cast<uInt>(buf.size());
                deflate(&z, flush);
                out.write(buf.data(), static_cast<std::streamsize>(buf.size() - z.avail_out));
            } while (z.avail_out == 0);
        }
        deflateEnd(&z);
        out.close();
        fs::rename(part, bomb);
    }
    ASSERT_LT(fs::file_size(bomb), std::uintmax_t{4} << 20);

    const auto read_all = [&](const BombLimits& limits) {
        auto src = vw::io::open_decompressed(std::make_unique<vw::io::FdSource>(bomb.string()), limits);
        vw::io::LineReader reader(*src);
        reader.for_each([](std::string_view, std::uint64_t) {});
        return reader.bytes_read();
    };
    // the default rule: stops soon after the 64 MiB grace
    try {
        (void)read_all(BombLimits{});
        ADD_FAILURE() << "no error";
    } catch (const vw::IoError& e) {
        EXPECT_EQ(e.where().file, bomb.string());
        EXPECT_NE(std::string(e.what()).find("ratio"), std::string::npos) << e.what();
    }
    // a lower ratio limit trips after the (smaller) grace
    EXPECT_THROW((void)read_all(BombLimits{
                     .max_ratio = 100, .ratio_grace_bytes = 1 << 20, .max_output_bytes = std::nullopt}),
                 vw::IoError);
    // an absolute cap
    try {
        (void)read_all(
            BombLimits{.max_ratio = std::nullopt, .ratio_grace_bytes = 0, .max_output_bytes = 10 << 20});
        ADD_FAILURE() << "no error";
    } catch (const vw::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("10485760"), std::string::npos) << e.what();
    }
}

TEST(IoCompression, NormalTextIsFarBelowTheBombRatio) {
    const std::string text = sample_text();  // ~1.8 MB, compresses ~10:1
    EXPECT_TRUE(same_bytes(
        decode_all(gzip(text, 9),
                   BombLimits{.max_ratio = 50, .ratio_grace_bytes = 0, .max_output_bytes = std::nullopt}),
        text));
}

TEST(IoCompression, RealAmsaGzipHasEveryLine) {
    const fs::path path = fs::path(VW_SHARED_DIR) / "data/ais/amsa-risky/ais.txt.gz";
    if (!fs::exists(path)) GTEST_SKIP() << "shared data not found at " << path << " (../shared absent)";
    // independent count: the LF bytes zlib's gzread sees (the file ends with LF)
    std::uint64_t lf = 0;
    {
        gzFile g = gzopen(path.c_str(), "rb");
        ASSERT_NE(g, nullptr);
        char buf[65536];
        int n = 0;
        while ((n = gzread(g, buf, sizeof buf)) > 0)
            for (int i = 0; i < n; ++i) lf += buf[i] == '\n';
        gzclose(g);
    }
    EXPECT_EQ(lf, 44687U);  // `zcat ais.txt.gz | wc -l`; the shared README also says 44,687 lines
    auto src = vw::io::open_decompressed(std::make_unique<vw::io::FdSource>(path.string()));
    vw::io::LineReader reader(*src);
    std::uint64_t n = 0;
    std::uint64_t last = 0;
    reader.for_each([&](std::string_view, std::uint64_t number) {
        ++n;
        last = number;
    });
    EXPECT_EQ(n, lf);
    EXPECT_EQ(last, lf);
    EXPECT_EQ(reader.issues().errors(), 0U);
    EXPECT_EQ(reader.issues()[vw::Issue::truncated_last_line], 0U);
    EXPECT_EQ(reader.progress().consumed_bytes, fs::file_size(path));
}
