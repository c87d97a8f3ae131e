// Splits a ByteSource into lines: zero-copy views into a fixed read buffer (or, for sources that hold
// their bytes in memory, into the source itself: ByteSource::read_in_place), physical line numbers,
// bounded memory for any line length. The hot path (next / for_each) is inline; see docs/inputs.md
// for the exact rules.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/util/issues.hpp"

namespace vw::io {

inline constexpr std::size_t kDefaultMaxLineBytes = std::size_t{64} << 10;

struct LineOptions {
    /// Longer lines (not counting the line end) are skipped and counted Issue::line_too_long.
    std::size_t max_line_bytes = kDefaultMaxLineBytes;
    /// Bytes requested from the source per read (the buffer holds this plus max_line_bytes).
    std::size_t read_chunk_bytes = kReadChunkBytes;
};

/// One line: its text without the line end, and its 1-based physical line number in the
/// decompressed stream. `text` is valid until the next call to next() / the next callback.
struct Line {
    std::string_view text;
    std::uint64_t number = 0;
};

namespace detail {

/// Bytes that end a line scan step: line ends (LF, CR) and control bytes other than TAB, i.e.
/// 0x00-0x08, 0x0A-0x1F and 0x7F (DEL).
constexpr std::array<bool, 256> make_special_table() noexcept {
    std::array<bool, 256> t{};
    for (std::size_t c = 0; c < 0x20; ++c) t[c] = c != '\t';
    t[0x7f] = true;
    return t;
}
inline constexpr std::array<bool, 256> kSpecialByte = make_special_table();

/// Bytes examined per step of the line scan; the read buffer has this much readable slack at its end.
inline constexpr std::size_t kScanBlockBytes = 64;
/// How far ahead of the scan the next bytes are prefetched.
inline constexpr std::size_t kPrefetchBytes = 16 * kScanBlockBytes;

/// Bit i set when p[i] is special (see kSpecialByte), for i < min(64, end - p). Reads 64 bytes
/// from p: the caller guarantees they are addressable.
[[nodiscard]] inline std::uint64_t special_mask(const char* p, const char* end) noexcept {
    std::uint64_t mask = 0;
#if defined(__SSE2__)
    const __m128i max_control = _mm_set1_epi8(0x1f);
    const __m128i tab = _mm_set1_epi8('\t');
    const __m128i del = _mm_set1_epi8(0x7f);
    for (std::size_t k = 0; k < kScanBlockBytes; k += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
        const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, max_control), v);  // v <= 0x1f
        const __m128i special =
            _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi8(v, tab), control), _mm_cmpeq_epi8(v, del));
        mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(special))) << k;
    }
#else
    for (std::size_t k = 0; k < kScanBlockBytes; ++k)
        mask |= static_cast<std::uint64_t>(kSpecialByte[static_cast<unsigned char>(p[k])]) << k;
#endif
    const auto avail = static_cast<std::size_t>(end - p);
    if (avail < kScanBlockBytes) mask &= (std::uint64_t{1} << avail) - 1;
    return mask;
}

}  // namespace detail

/// Reads lines from a ByteSource (not owned; it must outlive the reader).
///
/// When the source offers its bytes in place (ByteSource::read_in_place, e.g. MemorySource), lines are
/// views into the source and no byte is copied, except the last few bytes of the source (the scan's
/// 64-byte slack) and the line they end, which go through the read buffer as for any other source.
/// The read buffer is allocated only when needed.
/// Line ends are LF, CRLF and a lone CR; each ends one physical line (so a lone CR starts a new line
/// number, as in editors that honour all three conventions). Empty lines (Issue::empty_line), lines
/// with control bytes other than TAB (Issue::binary_garbage) and over-long lines
/// (Issue::line_too_long) are counted and skipped, never yielded, but keep their line numbers. A last
/// line without a line end is yielded and counted Issue::truncated_last_line. Read, decoding and
/// limit faults of the source propagate as vw::IoError; the reader is unusable afterwards.
class LineReader {
public:
    explicit LineReader(ByteSource& source, LineOptions options = {});
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;
    LineReader(LineReader&&) = delete;
    LineReader& operator=(LineReader&&) = delete;

    /// The next accepted line, or false at end of data.
    [[nodiscard]] bool next(Line& out) {
        for (;;) {
            while (mask_ == 0) {
                if (end_ - block_ <= static_cast<std::ptrdiff_t>(detail::kScanBlockBytes)) [[unlikely]] {
                    if (!refill()) return finish(out);
                } else {
                    block_ += detail::kScanBlockBytes;
                    // A source read in place (a memory-mapped or in-memory file) is not in the cache; the
                    // hardware prefetcher alone leaves the scan waiting on memory (perf: the hottest
                    // instruction of the in-process decode benchmark). 16 blocks ahead measured best of
                    // 4, 16 and 64. The address may lie past the end of the data: a prefetch never
                    // faults, and it is computed as an integer (no pointer past the end is formed).
                    __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(block_) +
                                                                     detail::kPrefetchBytes));
                    mask_ = detail::special_mask(block_, end_);
                }
            }
            const char* const p = block_ + __builtin_ctzll(mask_);
            mask_ &= mask_ - 1;
            if (*p != '\n' && *p != '\r') [[unlikely]] {
                garbage_ = true;
                continue;
            }
            const char* const start = begin_;
            const std::size_t len = static_cast<std::size_t>(p - start);
            begin_ = p + 1;
            if (*p == '\r') [[unlikely]] {
                // CRLF inside the scanned block (the usual case): the LF's bit is the next one set.
                const auto lf_bit = static_cast<std::size_t>(begin_ - block_);
                if (begin_ != end_ && *begin_ == '\n' && lf_bit < detail::kScanBlockBytes) {
                    ++begin_;
                    mask_ &= ~(std::uint64_t{1} << lf_bit);
                } else {
                    absorb_lf_after_cr();
                }
            }
            ++line_number_;
            if (len != 0 && len <= max_line_bytes_ && !garbage_ && !skipping_) [[likely]] {
                out.text = std::string_view(start, len);
                out.number = line_number_;
                return true;
            }
            count_rejected(len);
        }
    }

    /// Calls `f(std::string_view text, std::uint64_t number)` for each accepted line.
    template <class F>
    void for_each(F&& f) {
        Line line;
        while (next(line)) f(line.text, line.number);
    }

    /// Counts of empty_line, line_too_long, binary_garbage and truncated_last_line so far.
    [[nodiscard]] const IssueCounts& issues() const noexcept { return issues_; }
    /// The most recent line rejected as an error (line_too_long or binary_garbage): its number and
    /// kind; number 0 when none yet. Lets --strict report the exact line.
    struct Rejected {
        std::uint64_t number = 0;
        Issue issue = Issue::empty_line;
    };
    [[nodiscard]] Rejected last_rejected() const noexcept { return last_rejected_; }
    /// Physical lines seen so far, accepted or not.
    [[nodiscard]] std::uint64_t lines_seen() const noexcept { return line_number_; }
    /// Decompressed bytes read from the source so far.
    [[nodiscard]] std::uint64_t bytes_read() const noexcept { return bytes_read_; }
    [[nodiscard]] Progress progress() const { return source_->progress(); }
    [[nodiscard]] const std::string& name() const noexcept { return source_->name(); }

private:
    bool refill();
    bool refill_in_place();
    bool finish(Line& out);
    void absorb_lf_after_cr() noexcept;
    void count_rejected(std::size_t len) noexcept;

    ByteSource* source_;
    std::size_t max_line_bytes_;
    std::size_t chunk_bytes_;
    std::size_t capacity_;
    std::unique_ptr<char[]> buffer_;
    const char* begin_ = nullptr;  // start of the current line
    const char* block_ = nullptr;  // start of the scan block described by mask_
    const char* end_ = nullptr;    // end of valid data
    std::uint64_t mask_ = 0;       // special bytes of [block_, block_ + 64) not consumed yet
    std::uint64_t line_number_ = 0;
    std::uint64_t bytes_read_ = 0;
    bool garbage_ = false;   // the current line holds a control byte
    bool skipping_ = false;  // the current line is too long; its bytes are being discarded
    bool after_cr_ = false;  // the previous line ended with CR at the end of the buffer
    bool eof_ = false;
    bool in_place_ = true;  // [begin_, end_) are the source's own bytes (read_in_place); until it declines
    IssueCounts issues_;
    Rejected last_rejected_;
};

}  // namespace vw::io
