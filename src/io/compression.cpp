#include "vesselwatch/io/compression.hpp"

#include <bzlib.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "vesselwatch/util/error.hpp"

namespace vw::io {

namespace {

constexpr unsigned char kGzipMagic0 = 0x1f;
constexpr unsigned char kGzipMagic1 = 0x8b;
constexpr char kBzip2Magic0 = 'B';
/// xz needs at most this much memory for its dictionary (xz -9e uses 64 MiB; 256 MiB is generous).
constexpr std::uint64_t kXzMemLimitBytes = std::uint64_t{256} << 20;
/// uInt / unsigned int chunk limit of the zlib and bzip2 interfaces.
constexpr std::size_t kMaxCChunkBytes = UINT_MAX;

[[noreturn]] void fail(const std::string& name, const std::string& message) {
    throw IoError(SourceLocation{name, 0, 0}, message);
}

std::size_t c_chunk(std::size_t n) noexcept {
    return std::min(n, kMaxCChunkBytes);
}

/// Common part of the stream decompressors: a fixed input buffer filled from the inner source.
class Decompressor : public ByteSource {
public:
    Decompressor(std::unique_ptr<ByteSource> inner, const BombLimits& limits, Format format)
        : ByteSource(inner->name()),
          inner_(std::move(inner)),
          input_(std::make_unique_for_overwrite<char[]>(kReadChunkBytes)),
          guard_(limits, *inner_, format_name(format)) {}

    [[nodiscard]] Progress progress() const override { return inner_->progress(); }
    [[nodiscard]] std::uint64_t encoded_bytes_consumed() const override {
        return inner_->encoded_bytes_consumed();
    }

protected:
    /// Refills the input buffer if it is empty; false when the inner source has ended.
    bool fill() {
        if (in_pos_ < in_len_) return true;
        if (in_eof_) return false;
        in_pos_ = 0;
        in_len_ = inner_->read(std::span<char>(input_.get(), kReadChunkBytes));
        in_total_ += in_len_;
        if (in_len_ == 0) in_eof_ = true;
        return in_len_ != 0;
    }
    [[nodiscard]] std::size_t available() const noexcept { return in_len_ - in_pos_; }
    [[nodiscard]] char* in_ptr() noexcept { return input_.get() + in_pos_; }
    /// Bytes of input consumed by the decoder so far.
    [[nodiscard]] std::uint64_t consumed() const noexcept { return in_total_ - available(); }

    /// Between members / streams: skips zero padding; true if another member starts with `magic`,
    /// false at end of data; throws on anything else.
    bool next_member(unsigned char magic, std::string_view format) {
        for (;;) {
            if (!fill()) return false;
            const auto* p = reinterpret_cast<const unsigned char*>(in_ptr());
            const std::size_t n = available();
            std::size_t zeros = 0;
            while (zeros < n && p[zeros] == 0) ++zeros;
            in_pos_ += zeros;
            if (zeros == n) continue;
            if (p[zeros] == magic) return true;
            fail(name(), "trailing garbage after " + std::string(format) + " data at byte " +
                             std::to_string(consumed()) + " of the compressed stream");
        }
    }

    std::unique_ptr<ByteSource> inner_;
    std::unique_ptr<char[]> input_;  // kReadChunkBytes
    std::size_t in_pos_ = 0;
    std::size_t in_len_ = 0;
    std::uint64_t in_total_ = 0;
    bool in_eof_ = false;
    bool done_ = false;
    BombGuard guard_;
};

// ---- gzip ---------------------------------------------------------------------------------------

/// gzip through Intel's ISA-L inflate (Debian libisal): the same stream semantics as zlib's, about
/// twice as fast on this project's captures (docs/benchmarks.md). Header, CRC-32 and length are checked
/// by ISA-L (crc_flag ISAL_GZIP); members follow each other as in `gzip -c a b > ab.gz`.
class GzipSource final : public Decompressor {
public:
    GzipSource(std::unique_ptr<ByteSource> inner, const BombLimits& limits)
        : Decompressor(std::move(inner), limits, Format::gzip), st_(std::make_unique<inflate_state>()) {}

    [[nodiscard]] std::size_t read(std::span<char> out) override {
        if (done_ || out.empty()) return 0;
        const std::size_t want = c_chunk(out.size());
        st_->next_out = reinterpret_cast<std::uint8_t*>(out.data());
        st_->avail_out = static_cast<std::uint32_t>(want);
        while (st_->avail_out == want) {
            if (!in_member_) {
                if (!next_member(kGzipMagic0, "gzip")) {
                    done_ = true;
                    break;
                }
                std::uint8_t* const next_out = st_->next_out;
                const std::uint32_t avail_out = st_->avail_out;
                isal_inflate_init(st_.get());
                st_->crc_flag = ISAL_GZIP;
                st_->next_out = next_out;
                st_->avail_out = avail_out;
                in_member_ = true;
            }
            const bool more = fill();
            const std::size_t in_n = c_chunk(available());
            st_->next_in = reinterpret_cast<std::uint8_t*>(in_ptr());
            st_->avail_in = static_cast<std::uint32_t>(in_n);
            const int r = isal_inflate(st_.get());
            in_pos_ += in_n - st_->avail_in;
            if (r < 0) {
                fail(name(), std::string("gzip: corrupt data (") + isal_error(r) + ") at byte " +
                                 std::to_string(consumed()));
            }
            if (st_->block_state == ISAL_BLOCK_FINISH) {
                in_member_ = false;
            } else if (!more && st_->avail_out == want) {
                fail(name(), "gzip: unexpected end of file (truncated stream)");
            }
        }
        const std::size_t produced = want - st_->avail_out;
        guard_.add(produced, consumed(), name());
        return produced;
    }

private:
    static const char* isal_error(int r) noexcept {
        switch (r) {
            case ISAL_INVALID_BLOCK: return "invalid deflate block";
            case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
            case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
            case ISAL_INVALID_WRAPPER: return "invalid gzip header";
            case ISAL_UNSUPPORTED_METHOD: return "unsupported compression method";
            case ISAL_INCORRECT_CHECKSUM: return "CRC-32 or length mismatch";
            default: return "inflate error";
        }
    }

    std::unique_ptr<inflate_state> st_;  // large (tens of KiB): on the heap
    bool in_member_ = false;
};

// ---- bzip2 --------------------------------------------------------------------------------------

class BzStream {
public:
    BzStream() { init(); }
    ~BzStream() { BZ2_bzDecompressEnd(&s_); }
    BzStream(const BzStream&) = delete;
    BzStream& operator=(const BzStream&) = delete;
    BzStream(BzStream&&) = delete;
    BzStream& operator=(BzStream&&) = delete;
    /// Starts a new stream (multi-stream files), keeping the output window.
    void reset() {
        char* const next_out = s_.next_out;
        const unsigned avail_out = s_.avail_out;
        BZ2_bzDecompressEnd(&s_);
        s_ = bz_stream{};
        init();
        s_.next_out = next_out;
        s_.avail_out = avail_out;
    }
    bz_stream* operator->() noexcept { return &s_; }
    bz_stream* get() noexcept { return &s_; }

private:
    void init() {
        if (BZ2_bzDecompressInit(&s_, 0, 0) != BZ_OK) throw std::bad_alloc();
    }
    bz_stream s_{};
};

class Bzip2Source final : public Decompressor {
public:
    Bzip2Source(std::unique_ptr<ByteSource> inner, const BombLimits& limits)
        : Decompressor(std::move(inner), limits, Format::bzip2) {}

    [[nodiscard]] std::size_t read(std::span<char> out) override {
        if (done_ || out.empty()) return 0;
        const std::size_t want = c_chunk(out.size());
        bz_->next_out = out.data();
        bz_->avail_out = static_cast<unsigned>(want);
        while (bz_->avail_out == want) {
            if (!in_stream_) {
                if (!next_member(static_cast<unsigned char>(kBzip2Magic0), "bzip2")) {
                    done_ = true;
                    break;
                }
                if (started_) bz_.reset();
                started_ = true;
                in_stream_ = true;
            }
            const bool more = fill();
            const std::size_t in_n = c_chunk(available());
            bz_->next_in = in_ptr();
            bz_->avail_in = static_cast<unsigned>(in_n);
            const unsigned out_before = bz_->avail_out;
            const int r = BZ2_bzDecompress(bz_.get());
            in_pos_ += in_n - bz_->avail_in;
            if (r == BZ_STREAM_END) {
                in_stream_ = false;
            } else if (r != BZ_OK) {
                fail(name(), "bzip2: corrupt data (error " + std::to_string(r) + ") at byte " +
                                 std::to_string(consumed()));
            } else if (bz_->avail_in == in_n && bz_->avail_out == out_before) {
                fail(name(), more ? "bzip2: decoder made no progress at byte " + std::to_string(consumed())
                                  : std::string("bzip2: unexpected end of file (truncated stream)"));
            }
        }
        const std::size_t produced = want - bz_->avail_out;
        guard_.add(produced, consumed(), name());
        return produced;
    }

private:
    BzStream bz_;
    bool in_stream_ = false;
    bool started_ = false;
};

// ---- xz -----------------------------------------------------------------------------------------

class LzmaStream {
public:
    LzmaStream() {
        if (lzma_stream_decoder(&s_, kXzMemLimitBytes, LZMA_CONCATENATED) != LZMA_OK) throw std::bad_alloc();
    }
    ~LzmaStream() { lzma_end(&s_); }
    LzmaStream(const LzmaStream&) = delete;
    LzmaStream& operator=(const LzmaStream&) = delete;
    LzmaStream(LzmaStream&&) = delete;
    LzmaStream& operator=(LzmaStream&&) = delete;
    lzma_stream* operator->() noexcept { return &s_; }
    lzma_stream* get() noexcept { return &s_; }

private:
    lzma_stream s_ = LZMA_STREAM_INIT;
};

std::string lzma_message(lzma_ret r) {
    switch (r) {
        case LZMA_MEMLIMIT_ERROR:
            return "needs more memory than the limit (256 MiB)";
        case LZMA_FORMAT_ERROR:
            return "not in xz format";
        case LZMA_OPTIONS_ERROR:
            return "unsupported options";
        case LZMA_DATA_ERROR:
            return "corrupt data";
        case LZMA_BUF_ERROR:
            return "unexpected end of file (truncated stream)";
        case LZMA_MEM_ERROR:
            return "out of memory";
        default:
            return "error " + std::to_string(static_cast<int>(r));
    }
}

class XzSource final : public Decompressor {
public:
    XzSource(std::unique_ptr<ByteSource> inner, const BombLimits& limits)
        : Decompressor(std::move(inner), limits, Format::xz) {}

    [[nodiscard]] std::size_t read(std::span<char> out) override {
        if (done_ || out.empty()) return 0;
        xz_->next_out = reinterpret_cast<std::uint8_t*>(out.data());
        xz_->avail_out = out.size();
        while (xz_->avail_out == out.size()) {
            const bool more = fill();
            xz_->next_in = reinterpret_cast<const std::uint8_t*>(in_ptr());
            xz_->avail_in = available();
            const lzma_ret r = lzma_code(xz_.get(), more ? LZMA_RUN : LZMA_FINISH);
            in_pos_ += available() - xz_->avail_in;
            if (r == LZMA_STREAM_END) {
                done_ = true;
                break;
            }
            if (r != LZMA_OK)
                fail(name(), "xz: " + lzma_message(r) + " at byte " + std::to_string(consumed()));
        }
        const std::size_t produced = out.size() - xz_->avail_out;
        guard_.add(produced, consumed(), name());
        return produced;
    }

private:
    LzmaStream xz_;
};

// ---- zstd ---------------------------------------------------------------------------------------

struct ZstdDeleter {
    void operator()(ZSTD_DStream* s) const noexcept { ZSTD_freeDStream(s); }
};

class ZstdSource final : public Decompressor {
public:
    ZstdSource(std::unique_ptr<ByteSource> inner, const BombLimits& limits)
        : Decompressor(std::move(inner), limits, Format::zstd), z_(ZSTD_createDStream()) {
        if (!z_) throw std::bad_alloc();
    }

    [[nodiscard]] std::size_t read(std::span<char> out) override {
        if (done_ || out.empty()) return 0;
        ZSTD_outBuffer ob{out.data(), out.size(), 0};
        while (ob.pos == 0) {
            const bool more = fill();
            if (!more && !frame_open_) {
                done_ = true;
                break;
            }
            ZSTD_inBuffer ib{in_ptr(), available(), 0};
            const std::size_t r = ZSTD_decompressStream(z_.get(), &ob, &ib);
            in_pos_ += ib.pos;
            if (ZSTD_isError(r) != 0)
                fail(name(),
                     std::string("zstd: ") + ZSTD_getErrorName(r) + " at byte " + std::to_string(consumed()));
            frame_open_ = r != 0;  // 0: a frame is complete and fully flushed
            if (!more && ob.pos == 0) {
                if (frame_open_) fail(name(), "zstd: unexpected end of file (truncated frame)");
                done_ = true;
                break;
            }
        }
        guard_.add(ob.pos, consumed(), name());
        return ob.pos;
    }

private:
    std::unique_ptr<ZSTD_DStream, ZstdDeleter> z_;
    bool frame_open_ = false;
};

}  // namespace

// ---- detection ----------------------------------------------------------------------------------

Format detect_format(std::span<const char> head) noexcept {
    const auto b = [&](std::size_t i) -> unsigned {
        return i < head.size() ? static_cast<unsigned char>(head[i]) : 0x100U;
    };
    if (b(0) == kGzipMagic0 && b(1) == kGzipMagic1) return Format::gzip;
    if (b(0) == 'B' && b(1) == 'Z' && b(2) == 'h' && b(3) >= '1' && b(3) <= '9') return Format::bzip2;
    if (b(0) == 0xfd && b(1) == '7' && b(2) == 'z' && b(3) == 'X' && b(4) == 'Z' && b(5) == 0)
        return Format::xz;
    if (b(0) == 0x28 && b(1) == 0xb5 && b(2) == 0x2f && b(3) == 0xfd) return Format::zstd;
    if (b(0) <= 0xff && (b(0) & 0xf0U) == 0x50 && b(1) == 0x2a && b(2) == 0x4d && b(3) == 0x18)
        return Format::zstd;
    if (b(0) == 'P' && b(1) == 'K' && ((b(2) == 3 && b(3) == 4) || (b(2) == 5 && b(3) == 6)))
        return Format::zip;
    return Format::plain;
}

std::string_view format_name(Format f) noexcept {
    switch (f) {
        case Format::plain:
            return "plain";
        case Format::gzip:
            return "gzip";
        case Format::bzip2:
            return "bzip2";
        case Format::xz:
            return "xz";
        case Format::zstd:
            return "zstd";
        case Format::zip:
            return "zip";
    }
    return "unknown";
}

// ---- bomb guard ---------------------------------------------------------------------------------

BombGuard::BombGuard(const BombLimits& limits, const ByteSource& input, std::string_view format)
    : limits_(limits), input_(&input), encoded_base_(input.encoded_bytes_consumed()), format_(format) {}

void BombGuard::add(std::size_t produced, std::uint64_t own_input_bytes, const std::string& name) {
    output_ += produced;
    if (limits_.max_output_bytes && output_ > *limits_.max_output_bytes) {
        fail(name, std::string(format_) + ": decompressed output exceeds the limit of " +
                       std::to_string(*limits_.max_output_bytes) + " bytes (decompression-bomb limit)");
    }
    if (!limits_.max_ratio || *limits_.max_ratio == 0 || output_ <= limits_.ratio_grace_bytes) return;
    const std::uint64_t encoded = input_->encoded_bytes_consumed() - encoded_base_;
    const std::uint64_t floor = output_ / *limits_.max_ratio;  // output > ratio * input  <=>  input < this
    const std::uint64_t input = std::min(own_input_bytes, encoded);
    if (input < floor) {
        fail(name, std::string(format_) + ": decompressed " + std::to_string(output_) + " bytes from " +
                       std::to_string(std::max<std::uint64_t>(input, 1)) +
                       " compressed bytes, a ratio above the limit of " + std::to_string(*limits_.max_ratio) +
                       ":1 (decompression bomb?)");
    }
}

// ---- peeking ------------------------------------------------------------------------------------

PeekedSource::PeekedSource(std::unique_ptr<ByteSource> inner, std::span<const char> head)
    : ByteSource(inner->name()), inner_(std::move(inner)), head_len_(std::min(head.size(), kMagicBytes)) {
    std::memcpy(head_, head.data(), head_len_);
}

std::size_t PeekedSource::read(std::span<char> buf) {
    if (head_pos_ < head_len_) {
        const std::size_t n = std::min(buf.size(), head_len_ - head_pos_);
        std::memcpy(buf.data(), head_ + head_pos_, n);
        head_pos_ += n;
        return n;
    }
    return inner_->read(buf);
}

Detected detect(std::unique_ptr<ByteSource> src) {
    char head[kMagicBytes];
    std::size_t n = 0;
    while (n < kMagicBytes) {
        const std::size_t got = src->read(std::span<char>(head + n, kMagicBytes - n));
        if (got == 0) break;
        n += got;
    }
    const Format f = detect_format(std::span<const char>(head, n));
    return {std::make_unique<PeekedSource>(std::move(src), std::span<const char>(head, n)), f};
}

std::unique_ptr<ByteSource> make_decompressor(Format format, std::unique_ptr<ByteSource> inner,
                                              const BombLimits& limits) {
    switch (format) {
        case Format::gzip:
            return std::make_unique<GzipSource>(std::move(inner), limits);
        case Format::bzip2:
            return std::make_unique<Bzip2Source>(std::move(inner), limits);
        case Format::xz:
            return std::make_unique<XzSource>(std::move(inner), limits);
        case Format::zstd:
            return std::make_unique<ZstdSource>(std::move(inner), limits);
        case Format::plain:
        case Format::zip:
            break;
    }
    throw InputError(SourceLocation{inner->name(), 0, 0},
                     std::string("not a compression format: ") + std::string(format_name(format)));
}

std::unique_ptr<ByteSource> open_decompressed(std::unique_ptr<ByteSource> raw, const BombLimits& limits,
                                              unsigned max_layers) {
    for (unsigned layers = 0;; ++layers) {
        Detected d = detect(std::move(raw));
        if (d.format == Format::plain) return std::move(d.source);
        const std::string name = d.source->name();
        if (is_archive(d.format))
            throw InputError(SourceLocation{name, 0, 0},
                             "is a " + std::string(format_name(d.format)) +
                                 " archive (only compressed streams are accepted here)");
        if (layers >= max_layers)
            throw InputError(SourceLocation{name, 0, 0},
                             "more than " + std::to_string(max_layers) + " nested compression layers");
        raw = make_decompressor(d.format, std::move(d.source), limits);
    }
}

}  // namespace vw::io
