// Format detection by magic bytes and streaming decompressors (gzip, bzip2, xz, zstd) with bounded
// memory and a decompression-bomb limit. See docs/inputs.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "vesselwatch/io/byte_source.hpp"

namespace vw::io {

/// What the first bytes of a stream say it is. Extensions are never consulted.
enum class Format : std::uint8_t {
    plain,  // anything else: read as text
    gzip,   // 1f 8b (multi-member files are read to the end)
    bzip2,  // "BZh1".."BZh9" (multi-stream files are read to the end)
    xz,     // fd "7zXZ" 00 (concatenated streams and stream padding are read)
    zstd,   // 28 b5 2f fd, or a skippable frame 5? 2a 4d 18 (multi-frame files are read to the end)
    zip,    // "PK\3\4" or "PK\5\6" (an empty archive)
};

/// How many leading bytes detect_format() looks at.
inline constexpr std::size_t kMagicBytes = 6;

[[nodiscard]] Format detect_format(std::span<const char> head) noexcept;
[[nodiscard]] std::string_view format_name(Format f) noexcept;
[[nodiscard]] constexpr bool is_compression(Format f) noexcept {
    return f == Format::gzip || f == Format::bzip2 || f == Format::xz || f == Format::zstd;
}
[[nodiscard]] constexpr bool is_archive(Format f) noexcept {
    return f == Format::zip;
}

inline constexpr std::uint64_t kMaxBombRatio = 1000;                            // decompressed : compressed
inline constexpr std::uint64_t kBombRatioGraceBytes = std::uint64_t{64} << 20;  // 64 MiB of output

/// The decompression-bomb rule. Every decoding layer (each decompressor and each archive entry)
/// throws vw::IoError naming the source as soon as
///  - its output exceeds `max_output_bytes` (if set), or
///  - its output exceeds `ratio_grace_bytes` and is more than `max_ratio` times the bytes it consumed,
///    or more than `max_ratio` times the encoded bytes the whole logical source consumed (so nesting
///    a bomb inside another container does not multiply the ratios).
struct BombLimits {
    std::optional<std::uint64_t> max_ratio = kMaxBombRatio;  // nullopt: no ratio limit
    std::uint64_t ratio_grace_bytes = kBombRatioGraceBytes;
    std::optional<std::uint64_t> max_output_bytes;  // nullopt: no absolute limit
};

/// Counts the output of one decoding layer and enforces BombLimits.
class BombGuard {
public:
    /// `input` is the stream the layer decodes (its encoded_bytes_consumed() is sampled now as the
    /// start of this source); `format` names the layer in messages.
    BombGuard(const BombLimits& limits, const ByteSource& input, std::string_view format);

    /// Records `produced` more output bytes, `own_input_bytes` being the total the layer has
    /// consumed so far. Throws vw::IoError naming `name` when a limit is exceeded.
    void add(std::size_t produced, std::uint64_t own_input_bytes, const std::string& name);

    [[nodiscard]] std::uint64_t output_bytes() const noexcept { return output_; }

private:
    BombLimits limits_;
    const ByteSource* input_;
    std::uint64_t encoded_base_;
    std::uint64_t output_ = 0;
    std::string_view format_;
};

/// A source that first replays `head` (bytes already read from `inner`), then reads `inner`.
class PeekedSource final : public ByteSource {
public:
    PeekedSource(std::unique_ptr<ByteSource> inner, std::span<const char> head);

    [[nodiscard]] std::size_t read(std::span<char> buf) override;
    [[nodiscard]] Progress progress() const override { return inner_->progress(); }
    [[nodiscard]] std::uint64_t encoded_bytes_consumed() const override {
        return inner_->encoded_bytes_consumed();
    }

private:
    std::unique_ptr<ByteSource> inner_;
    char head_[kMagicBytes] = {};
    std::size_t head_len_ = 0;
    std::size_t head_pos_ = 0;
};

/// A stream whose format has been detected; `source` still yields every byte from the start.
struct Detected {
    std::unique_ptr<ByteSource> source;
    Format format = Format::plain;
};

/// Reads the first kMagicBytes of `src` (fewer at end of data) and detects the format.
[[nodiscard]] Detected detect(std::unique_ptr<ByteSource> src);

/// Wraps `inner` in a streaming decompressor for `format` (a compression format, not an archive).
/// The decompressor keeps inner's name and progress.
[[nodiscard]] std::unique_ptr<ByteSource> make_decompressor(Format format, std::unique_ptr<ByteSource> inner,
                                                            const BombLimits& limits);

/// Layers of compression applied by open_decompressed() at most (archives are not opened).
inline constexpr unsigned kDefaultMaxCompressionLayers = 2;

/// Detects and strips compression layers (e.g. gzip, or xz inside gzip) from `raw`, up to
/// `max_layers`. An archive, or compression beyond `max_layers`, throws vw::InputError; use
/// InputWalker (input.hpp) to read archives.
[[nodiscard]] std::unique_ptr<ByteSource> open_decompressed(
    std::unique_ptr<ByteSource> raw, const BombLimits& limits = {},
    unsigned max_layers = kDefaultMaxCompressionLayers);

}  // namespace vw::io
