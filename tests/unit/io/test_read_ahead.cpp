// io::ReadAheadSource: the same bytes in the same order as the inner source, faults delivered after
// the bytes read before them, clean shutdown when the reader stops early; and the input walker
// using it for compressed files.
#include <gtest/gtest.h>

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/io/read_ahead.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::io {
namespace {

std::string numbered_text(std::size_t lines) {
    std::string s;
    for (std::size_t k = 0; k < lines; ++k) s += "line " + std::to_string(k) + " of the read-ahead test\n";
    return s;
}

/// Hands out `data` in reads of at most `step` bytes, then throws IoError instead of ending when
/// `fail_at_end` is set.
class SteppedSource final : public ByteSource {
public:
    SteppedSource(std::string data, std::size_t step, bool fail_at_end)
        : ByteSource("stepped"), data_(std::move(data)), step_(step), fail_(fail_at_end) {}
    std::size_t read(std::span<char> buf) override {
        if (pos_ == data_.size()) {
            if (fail_) throw IoError(SourceLocation{name(), 0, 0}, "simulated read fault");
            return 0;
        }
        const std::size_t n = std::min({buf.size(), step_, data_.size() - pos_});
        std::memcpy(buf.data(), data_.data() + pos_, n);
        pos_ += n;
        return n;
    }
    Progress progress() const override { return {pos_, data_.size()}; }
    std::uint64_t encoded_bytes_consumed() const override { return pos_; }

private:
    std::string data_;
    std::size_t step_;
    std::size_t pos_ = 0;
    bool fail_;
};

std::string drain(ByteSource& src, std::size_t read_size) {
    std::string out;
    std::string buf(read_size, '\0');
    for (std::size_t n; (n = src.read(std::span<char>(buf.data(), buf.size()))) != 0;) out.append(buf.data(), n);
    return out;
}

TEST(IoReadAhead, SameBytesInOrderForAnyReadSize) {
    const std::string big = numbered_text(200'000);  // several MiB: many chunks through 4 slots
    const std::string small = numbered_text(2'000);  // for tiny inner reads (one slot each)
    for (const std::size_t inner_step : {std::size_t{7}, std::size_t{65'536}, kReadChunkBytes}) {
        const std::string& text = inner_step < 1'000 ? small : big;
        for (const std::size_t read_size : {std::size_t{1'000}, kReadChunkBytes, 3 * kReadChunkBytes}) {
            ReadAheadSource src(std::make_unique<SteppedSource>(text, inner_step, false));
            EXPECT_EQ(src.name(), "stepped");
            const std::string got = drain(src, read_size);
            ASSERT_EQ(got.size(), text.size()) << inner_step << " " << read_size;
            EXPECT_TRUE(got == text) << inner_step << " " << read_size;
            EXPECT_EQ(src.read(std::span<char>()), 0u);
            EXPECT_EQ(src.progress().consumed_bytes, text.size());
        }
    }
}

TEST(IoReadAhead, FaultComesAfterEveryByteBeforeIt) {
    const std::string text = numbered_text(50'000);
    ReadAheadSource src(std::make_unique<SteppedSource>(text, 100'000, true));
    std::string got;
    std::string buf(4096, '\0');
    try {
        for (std::size_t n; (n = src.read(std::span<char>(buf.data(), buf.size()))) != 0;) got.append(buf.data(), n);
        ADD_FAILURE() << "the fault was not delivered";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("simulated read fault"), std::string::npos);
    }
    EXPECT_TRUE(got == text);
}

TEST(IoReadAhead, StoppingEarlyDoesNotHang) {
    const std::string text = numbered_text(300'000);
    for (int k = 0; k < 20; ++k) {
        ReadAheadSource src(std::make_unique<SteppedSource>(text, 65'536, false));
        char c[10];
        ASSERT_EQ(src.read(std::span<char>(c, sizeof c)), sizeof c);
    }  // destructors join a producer that is waiting for a free slot
}

TEST(IoReadAhead, WalkerReadsGzipThroughIt) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(VW_TEST_TMP) / "read_ahead";
    fs::create_directories(dir);
    const std::string text = numbered_text(100'000);
    const fs::path gz = dir / "text.gz";
    {
        gzFile f = gzopen(gz.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
        gzclose(f);
    }
    for (const ReadAhead mode : {ReadAhead::compressed, ReadAhead::off}) {
        InputOptions options;
        options.read_ahead = mode;
        InputWalker walker({gz.string()}, options);
        Source* src = walker.next();
        ASSERT_NE(src, nullptr);
        EXPECT_EQ(dynamic_cast<ReadAheadSource*>(src->bytes.get()) != nullptr, mode == ReadAhead::compressed);
        LineReader lines(*src->bytes);
        Line line;
        std::uint64_t n = 0;
        while (lines.next(line)) ++n;
        EXPECT_EQ(n, 100'000u);
        EXPECT_EQ(walker.next(), nullptr);
    }
}

}  // namespace
}  // namespace vw::io
