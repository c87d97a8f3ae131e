// Armored payload -> typed message. Compile-time dispatch: decode() switches on the message type and
// calls the handler with the concrete struct; no allocation, no virtual calls.
#pragma once

#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vesselwatch/ais/bits.hpp"
#include "vesselwatch/ais/messages.hpp"
#include "vesselwatch/util/issues.hpp"

namespace vw::ais {

/// Outcome of a decode: `ok` means the handler was called. `issue` is the error when !ok, or a flag
/// (Issue::nonstandard_length) when ok.
struct [[nodiscard]] DecodeResult {
    std::uint8_t type = 0;  // message type from the first 6 bits (0 if the payload is empty)
    bool ok = false;
    std::optional<Issue> issue;
};

namespace detail {

// Unarmoring 8 characters at a time (SWAR, one 64-bit word holds 8 characters, the first in the
// lowest byte on little-endian machines).
inline constexpr std::size_t kArmorGroupChars = 8;
inline constexpr std::size_t kArmorGroupBytes = 6;  // 8 x 6 bits
inline constexpr std::uint64_t kEachByte = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x80 * kEachByte;

/// Loads 8 characters so that the first is in the lowest byte, whatever the machine's byte order.
[[gnu::always_inline]] inline std::uint64_t le_chars(std::uint64_t w) noexcept {
    if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(w);
    return w;
}

/// Non-zero when one of the 8 characters is not in the armoring alphabet ('0'-'W', '`'-'w').
[[gnu::always_inline]] inline std::uint64_t armor_group_invalid(std::uint64_t w) noexcept {
    w = le_chars(w);
    // per byte c < 128 (checked first), c + k sets the high bit exactly when c >= 128 - k
    const std::uint64_t ge48 = w + (128 - 48) * kEachByte;
    const std::uint64_t ge88 = w + (128 - 88) * kEachByte;
    const std::uint64_t ge96 = w + (128 - 96) * kEachByte;
    const std::uint64_t ge120 = w + (128 - 120) * kEachByte;
    const std::uint64_t ok = (ge48 & ~ge88) | (ge96 & ~ge120);
    return (w & kHighBits) | (~ok & kHighBits);
}

/// The 6-bit values of 8 valid characters, one per byte, first character in the lowest byte.
[[gnu::always_inline]] inline std::uint64_t armor_group_values(std::uint64_t w) noexcept {
    const std::uint64_t v = le_chars(w) - 48 * kEachByte;  // '0' -> 0 ... 'W' -> 39, '`' -> 48 ...
    const std::uint64_t above40 = (v + (128 - 41) * kEachByte) & kHighBits;  // v > 40: the second range
    return v - (above40 >> 4);                                               // minus 8 there
}

/// Packs 8 six-bit values (first in the lowest byte) into 48 bits, first value most significant.
[[gnu::always_inline]] inline std::uint64_t pack_sixbits(std::uint64_t v) noexcept {
    constexpr std::uint64_t k6 = 0x003F003F003F003FULL;
    const std::uint64_t pairs = ((v & k6) << 6) | ((v >> 8) & k6);  // 12 bits per 16-bit lane
    constexpr std::uint64_t k12 = 0x00000FFF00000FFFULL;
    const std::uint64_t quads = ((pairs & k12) << 12) | ((pairs >> 16) & k12);  // 24 bits per 32-bit lane
    return ((quads & 0xFFFFFFULL) << 24) | (quads >> 32);
}

/// Stores the low 48 bits of `v` big-endian at `p`; writes 8 bytes (the last 2 are zero).
[[gnu::always_inline]] inline void store_be48(std::uint8_t* p, std::uint64_t v) noexcept {
    v <<= 16;
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    std::memcpy(p, &v, sizeof v);
}

#if defined(__SSE2__)
inline constexpr std::size_t kArmorBlockChars = 16;
inline constexpr std::size_t kArmorBlockBytes = 12;  // 16 x 6 bits

/// The 48-bit values of characters 0-7 and 8-15 of a 16-character block (as unarmor_block16 packs
/// them), and whether one of the 16 is outside the armoring alphabet.
struct Block48 {
    std::uint64_t first = 0;
    std::uint64_t second = 0;
    unsigned invalid = 0;
};
[[gnu::always_inline]] inline Block48 unarmor_block48(const char* s) noexcept {
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    // The alphabet is '0'-'w' (0x30-0x77) without 'X'-'_' (0x58-0x5F). t = c - '0' + 0x80 (wrapping)
    // puts '0'-'w' at the bottom of the signed range, [-128, -57]: one signed compare tests the whole
    // range, and the gap is the bytes whose top five bits are those of 0x58.
    const __m128i t = _mm_add_epi8(c, _mm_set1_epi8(static_cast<char>(0x80 - '0')));
    const __m128i in_range = _mm_cmplt_epi8(t, _mm_set1_epi8(static_cast<char>(0x80 + 'w' + 1 - '0')));
    const __m128i in_gap = _mm_cmpeq_epi8(_mm_and_si128(c, _mm_set1_epi8(static_cast<char>(0xF8))),
                                          _mm_set1_epi8(static_cast<char>(0x58)));
    Block48 r;
    r.invalid = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(in_gap, in_range))) ^ 0xFFFFu;
    // Values: c - '0' = t - 0x80, minus 8 above 40 (the second range); for valid characters the
    // signed t > -128 + 40 says "above 40".
    const __m128i above40 = _mm_cmpgt_epi8(t, _mm_set1_epi8(static_cast<char>(0x80 + 40)));
    const __m128i v = _mm_sub_epi8(_mm_xor_si128(t, _mm_set1_epi8(static_cast<char>(0x80))),
                                   _mm_and_si128(above40, _mm_set1_epi8(8)));
    const __m128i pairs =
        _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0x3F)), 6), _mm_srli_epi16(v, 8));
    const __m128i quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x00011000));
    const auto lo = static_cast<std::uint64_t>(_mm_cvtsi128_si64(quads));
    const auto hi = static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(quads, quads)));
    r.first = ((lo & 0xFFFFFFULL) << 24) | (lo >> 32);
    r.second = ((hi & 0xFFFFFFULL) << 24) | (hi >> 32);
    return r;
}

/// Unarmors the 16 characters at `s` into 12 bytes at `b` (writes 14); returns non-zero when one of
/// them is not in the armoring alphabet. SSE2: range checks per byte, then 6-bit pairs to 12 bits
/// per 16-bit lane, pairs of those to 24 bits per 32-bit lane (pmaddwd), then two 48-bit stores.
[[gnu::always_inline]] inline unsigned unarmor_block16(const char* s, std::uint8_t* b) noexcept {
    const Block48 r = unarmor_block48(s);
    store_be48(b, r.first);
    store_be48(b + 6, r.second);
    return r.invalid;
}
#endif

#if defined(__SSE2__)
/// A one-slot payload: 28 characters, 168 bits (types 1-3, 4, 11, 18 at their nominal length).
inline constexpr std::size_t kSlotPayloadChars = 28;
inline constexpr std::size_t kSlotPayloadBits = 168;

/// Unarmors exactly 28 characters at `s` straight into three big-endian 64-bit words (bits 168-191
/// zero), from two overlapping 16-character blocks (characters 0-15 and 12-27), without going through
/// memory. Returns false when a character is outside the armoring alphabet.
[[gnu::always_inline]] inline bool unarmor_slot_words(const char* s,
                                                      std::array<std::uint64_t, 3>& w) noexcept {
    const Block48 a = unarmor_block48(s);                                         // bits 0-95
    const Block48 b = unarmor_block48(s + kSlotPayloadChars - kArmorBlockChars);  // bits 72-167
    w[0] = (a.first << 16) | (a.second >> 32);
    w[1] = ((a.second & 0xFFFFFFFFULL) << 32) | ((b.first & 0xFFFFFFULL) << 8) | (b.second >> 40);
    w[2] = (b.second & 0xFFFFFFFFFFULL) << 24;
    return (a.invalid | b.invalid) == 0;
}
#endif

/// Unarmors into `bytes` (kMaxPayloadBytes long); returns the bit count or sets `issue`.
[[nodiscard]] inline std::size_t unarmor_bytes(std::string_view armored, unsigned fill_bits,
                                               std::uint8_t* bytes, std::optional<Issue>& issue) noexcept {
    if (fill_bits > 5) {
        issue = Issue::bad_fill_bits;
        return 0;
    }
    const std::size_t n = armored.size();
    if (n * 6 > kMaxPayloadBits) {
        issue = Issue::long_payload;
        return 0;
    }
    if (n * 6 <= fill_bits) {
        issue = Issue::empty_payload;
        return 0;
    }
    const char* s = armored.data();
    std::uint8_t* b = bytes;
    std::uint64_t bad = 0;
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + kArmorBlockChars <= n; i += kArmorBlockChars, b += kArmorBlockBytes)
        bad |= unarmor_block16(s + i, b);
    if (i < n && n >= kArmorBlockChars && n % 4 == 0) {
        // The last 16 characters start on a byte boundary (4 characters = 3 bytes): unarmor them in
        // place, rewriting the bytes they share with the previous block with the same values. No
        // copy through a stack buffer (whose reload would wait for the stores to retire). decode()
        // takes its register path for the commonest payload (28 characters, fill 0); 28-character
        // payloads reach this one through unarmor() / decode_payload() or with fill bits.
        bad |= unarmor_block16(s + n - kArmorBlockChars, bytes + 6 * (n - kArmorBlockChars) / 8);
        b = bytes + 6 * n / 8;
    } else if (i < n) {  // the last 1-15 characters, padded with '0' (value 0)
        const std::size_t rest = n - i;
        alignas(16) char tail[2 * kArmorBlockChars];
        const char* block = tail;
        if (n >= kArmorBlockChars) {
            // The 16 characters that end the payload, then 16 '0': the block starting 16 - rest bytes
            // in is the rest followed by padding. Two vector stores instead of a variable-length copy.
            _mm_store_si128(reinterpret_cast<__m128i*>(tail),
                            _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - kArmorBlockChars)));
            _mm_store_si128(reinterpret_cast<__m128i*>(tail + kArmorBlockChars), _mm_set1_epi8('0'));
            block = tail + (kArmorBlockChars - rest);
        } else {
            std::memset(tail, '0', kArmorBlockChars);
            std::memcpy(tail, s + i, rest);
        }
        bad |= unarmor_block16(block, b);
        b += (6 * rest + 7) / 8;
    }
#else
    for (; i + kArmorGroupChars <= n; i += kArmorGroupChars, b += kArmorGroupBytes) {
        std::uint64_t w;
        std::memcpy(&w, s + i, sizeof w);
        bad |= armor_group_invalid(w);
        store_be48(b, pack_sixbits(armor_group_values(w)));
    }
    if (i < n) {  // the last 1-7 characters, padded with '0' (value 0)
        char tail[kArmorGroupChars];
        std::memset(tail, '0', sizeof tail);
        std::memcpy(tail, s + i, n - i);
        std::uint64_t w;
        std::memcpy(&w, tail, sizeof w);
        bad |= armor_group_invalid(w);
        store_be48(b, pack_sixbits(armor_group_values(w)));
        b += (6 * (n - i) + 7) / 8;
    }
#endif
    std::memset(b, 0, 8);  // keep 64-bit reads past the end clean
    if (bad != 0) {
        issue = Issue::bad_armor;
        return 0;
    }
    return n * 6 - fill_bits;
}

}  // namespace detail

/// Unarmors `armored` into `out` (bit count = 6 * chars - fill_bits). Returns the issue on failure:
/// bad_armor, empty_payload, long_payload, bad_fill_bits.
[[nodiscard]] inline std::optional<Issue> unarmor(std::string_view armored, unsigned fill_bits,
                                                  Payload& out) noexcept {
    std::optional<Issue> issue;
    const std::size_t nbits = detail::unarmor_bytes(armored, fill_bits, out.bytes.data(), issue);
    if (!issue) out.nbits = nbits;
    return issue;
}

/// Accepted bit lengths of a message type (ITU-R M.1371-5, widened to what gpsd and real
/// transponders do; see docs/ais-fields.md). nominal 0: variable length, never flagged.
struct LengthRule {
    std::uint16_t min_bits = 0;
    std::uint16_t max_bits = 0;
    std::uint16_t nominal_bits = 0;
};

[[nodiscard]] constexpr LengthRule length_rule(unsigned type, unsigned part24 = 0) noexcept {
    switch (type) {
        case 1:
        case 2:
        case 3:
            return {163, 204, 168};
        case 4:
        case 11:
            return {168, 1008, 168};
        case 5:
            return {420, 1008, 424};
        case 6:
            return {88, 1008, 0};
        case 7:
        case 13:
            return {72, 168, 0};
        case 8:
            return {56, 1008, 0};
        case 9:
            return {168, 1008, 168};
        case 10:
            return {72, 1008, 72};
        case 12:
            return {72, 1008, 0};
        case 14:
            return {40, 1008, 0};
        case 15:
            return {88, 168, 0};
        case 16:
            return {96, 168, 0};
        case 17:
            return {80, 816, 0};
        case 18:
            return {168, 1008, 168};
        case 19:
            return {312, 1008, 312};
        case 20:
            return {72, 186, 0};
        case 21:
            return {272, 368, 0};
        case 22:
            return {168, 1008, 168};
        case 23:
            return {160, 1008, 160};
        case 24:
            return part24 == 0 ? LengthRule{160, 168, 168} : LengthRule{168, 1008, 168};
        case 25:
            return {40, 168, 0};
        case 26:
            return {60, 1004, 0};
        case 27:
            return {96, 168, 96};
        default:
            return {};
    }
}

namespace detail {

/// Whether field reads must check the payload's end.
enum class Bounds : std::uint8_t {
    checked,  // bits past the end read as zero (same semantics as bits.hpp's BitReader)
    within,   // every read lies inside the payload (caller-guaranteed; asserted in debug builds)
};

/// BitReader with one unaligned 64-bit load per field. The buffer must have 8 readable bytes past
/// the last payload byte.
template <Bounds B>
class FastBitReader {
public:
    FastBitReader(const std::uint8_t* bytes, std::size_t nbits) noexcept : bytes_(bytes), nbits_(nbits) {}
    [[nodiscard]] std::size_t size() const noexcept { return nbits_; }
    [[gnu::always_inline]] [[nodiscard]] std::uint64_t u(std::size_t pos, unsigned width) const noexcept {
        if constexpr (B == Bounds::checked) {
            if (pos >= nbits_) return 0;
        } else {
            assert(pos + width <= nbits_);
        }
        std::uint64_t w;
        std::memcpy(&w, bytes_ + (pos >> 3), sizeof w);
        if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
        w <<= (pos & 7u);
        std::uint64_t v = w >> (64u - width);
        if constexpr (B == Bounds::checked) {
            if (pos + width > nbits_) {
                const std::size_t missing = pos + width - nbits_;
                v = missing >= width ? 0 : (v >> missing) << missing;
            }
        }
        return v;
    }
    [[nodiscard]] bool b(std::size_t pos) const noexcept { return u(pos, 1) != 0; }

    /// Eight 6-bit characters starting at bit `pos` as ASCII, one per byte, the first in the lowest
    /// byte (little-endian machines only). Reads the 8 bytes at pos / 8: the caller guarantees they
    /// are addressable; bits past the payload's end are not masked (Bounds::within callers only).
    [[gnu::always_inline]] [[nodiscard]] std::uint64_t ascii8(std::size_t pos) const noexcept {
        std::uint64_t w;
        std::memcpy(&w, bytes_ + (pos >> 3), sizeof w);
        if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
        w <<= (pos & 7u);
        const std::uint64_t x = w >> 16;  // 48 bits: character 0 in bits 47..42
        // 2 x 24 bits -> one per 32-bit lane (characters 0-3 in the low lane), then 2 x 12 bits per
        // 16-bit lane, then one 6-bit value per byte: the inverse of pack_sixbits().
        const std::uint64_t quads = (x >> 24) | ((x & 0xFFFFFFULL) << 32);
        constexpr std::uint64_t k12 = 0x00000FFF00000FFFULL;
        const std::uint64_t pairs = ((quads >> 12) & k12) | ((quads & k12) << 16);
        constexpr std::uint64_t k6 = 0x003F003F003F003FULL;
        const std::uint64_t v = ((pairs >> 6) & k6) | ((pairs & k6) << 8);
        // sixbit_ascii per byte: values 0-31 become '@'..'_' (+64), 32-63 are ASCII already.
        constexpr std::uint64_t kBit5 = 0x2020202020202020ULL;
        return v + ((~v & kBit5) << 1);
    }

    /// text() eight characters at a time (Bounds::within, little-endian): the same result, written to
    /// `out` (N bytes) with the bytes after the kept characters set to '\0'. Each group of eight
    /// characters stays in a 64-bit word: the first '@' and the last character that is neither a
    /// space nor past the end are found with exact per-byte masks, and `out` is written with one
    /// fixed-size copy (no per-group variable-length copy, no per-character trimming loop).
    template <std::size_t N>
    std::size_t text8(std::size_t pos, std::size_t nchars, std::array<char, N>& out) const noexcept {
        constexpr std::size_t kGroup = 8;
        constexpr std::size_t kWords = (N + kGroup - 1) / kGroup;
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
        constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
        constexpr std::uint64_t kAt = kOnes * static_cast<std::uint8_t>('@');
        constexpr std::uint64_t kSpace = kOnes * static_cast<std::uint8_t>(' ');
        // High bit of each byte that is not zero; exact per byte for bytes below 0x80 (text bytes
        // are 0x20-0x5F, zeroed bytes 0): no carry crosses a byte.
        auto nonzero = [](std::uint64_t x) noexcept { return (((x & kLow7) + kLow7) | x) & kHighs; };
        // The low `k` bytes of a word (k 0..8).
        auto low_bytes = [](std::size_t k) noexcept {
            return k >= kGroup ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * k)) - 1;
        };
        std::array<std::uint64_t, kWords> w{};
        std::size_t n = nchars;  // characters before the first '@' (at most nchars)
        for (std::size_t k = 0; k * kGroup < nchars; ++k) {
            const std::uint64_t g = ascii8(pos + 6 * kGroup * k);
            const std::uint64_t at = kHighs & ~nonzero(g ^ kAt);
            if (at != 0) {
                const std::size_t first = k * kGroup + static_cast<std::size_t>(__builtin_ctzll(at)) / 8;
                if (first < n) n = first;
            }
            w[k] = g;
            if (n < (k + 1) * kGroup) break;
        }
        // Clear everything from n on, then drop trailing spaces: keep up to the last byte that is
        // neither 0 nor ' '.
        std::size_t kept = 0;
        for (std::size_t k = 0; k < kWords; ++k) {
            const std::size_t from = k * kGroup;
            w[k] &= low_bytes(n > from ? n - from : 0);
            const std::uint64_t significant = nonzero(w[k]) & nonzero(w[k] ^ kSpace);
            if (significant != 0)
                kept = from + static_cast<std::size_t>(63 - __builtin_clzll(significant)) / 8 + 1;
        }
        for (std::size_t k = 0; k < kWords; ++k) {
            const std::size_t from = k * kGroup;
            w[k] &= low_bytes(kept > from ? kept - from : 0);
        }
        std::memcpy(out.data(), w.data(), N);
        return kept;
    }

    /// 6-bit text of `nchars` characters into `out`; returns the count kept ('@' ends the text,
    /// trailing spaces are removed, as gpsd does).
    std::size_t text(std::size_t pos, std::size_t nchars, char* out) const noexcept {
        std::size_t n = 0;
        for (; n < nchars; ++n) {
            const char c = sixbit_ascii(static_cast<unsigned>(u(pos + 6 * n, 6)));
            if (c == '@') break;
            out[n] = c;
        }
        while (n > 0 && out[n - 1] == ' ') --n;
        return n;
    }

private:
    const std::uint8_t* bytes_;
    std::size_t nbits_;
};

template <class T>
constexpr void set_int(T& x, std::uint64_t raw, unsigned width) noexcept {
    if constexpr (std::is_same_v<T, bool>) {
        x = raw != 0;
    } else if constexpr (std::is_signed_v<T>) {
        const std::uint64_t sign = std::uint64_t{1} << (width - 1);
        x = static_cast<T>(static_cast<std::int64_t>(raw ^ sign) - static_cast<std::int64_t>(sign));
    } else {
        x = static_cast<T>(raw);
    }
}

/// The common header (type, repeat indicator, MMSI), each read through `bits(pos, width)`.
template <class M, class Bits>
[[gnu::always_inline]] inline void read_header(M& m, const Bits& bits) noexcept {
    m.type = static_cast<std::uint8_t>(bits(0, 6));
    m.repeat = static_cast<std::uint8_t>(bits(6, 2));
    m.mmsi = static_cast<std::uint32_t>(bits(8, 30));
}

/// An integer field read through `bits(pos, width)`; a field not sent on air (kNoAir) or of width 0
/// is left at T{}.
template <class T, class Bits>
[[gnu::always_inline]] inline void read_int_field(const Field& f, T& x, const Bits& bits) noexcept {
    if ((f.flags & kNoAir) != 0 || f.width == 0) {
        x = T{};
        return;
    }
    set_int(x, bits(f.pos, f.width), f.width);
}

/// Visitor: bits -> struct. The struct must be freshly value-initialized (T m{}): data bytes past
/// what the payload holds are left as they are (zero).
template <Bounds B>
class BasicBitDecoder {
public:
    BasicBitDecoder(const std::uint8_t* bytes, std::size_t nbits) noexcept : r_(bytes, nbits) {}

    template <class M>
    void header(M& m) const noexcept {
        read_header(
            m, [this](std::size_t pos, unsigned width)
                   __attribute__((always_inline)) { return r_.u(pos, width); });
    }

    template <class T>
    requires std::is_integral_v<T>
    [[gnu::always_inline]] void operator()(const Field& f, T& x) const noexcept {
        read_int_field(
            f, x, [this](std::size_t pos, unsigned width) __attribute__((always_inline)) {
                return r_.u(pos, width);
            });
    }

    template <std::size_t N>
    void operator()(const Field& f, Text<N>& t) const noexcept {
        if ((f.flags & kNoAir) != 0) return;
        std::size_t nchars = f.width / 6u;
        if (f.width == 0) nchars = r_.size() > f.pos ? (r_.size() - f.pos) / 6u : 0u;
        if (nchars > N) nchars = N;
        if constexpr (B == Bounds::within && std::endian::native == std::endian::little) {
            t.n = static_cast<std::uint8_t>(r_.text8(f.pos, nchars, t.c));  // writes all N bytes
        } else {
            t.n = static_cast<std::uint8_t>(r_.text(f.pos, nchars, t.c.data()));
            std::fill(t.c.begin() + t.n, t.c.end(), '\0');
        }
    }

    /// Tail data: from f.pos to the end of the payload minus f.width reserved bits.
    void operator()(const Field& f, BitData& d) const noexcept {
        const std::size_t end = r_.size() > f.width ? r_.size() - f.width : 0;
        std::size_t n = end > f.pos ? end - f.pos : 0;
        if (n > kMaxDataBits) n = kMaxDataBits;
        d.nbits = static_cast<std::uint16_t>(n);
        std::size_t k = 0;
        for (; k + 56 <= n; k += 56) {
            const std::uint64_t w = r_.u(f.pos + k, 56);
            for (unsigned j = 0; j < 7; ++j)
                d.bytes[k / 8 + j] = static_cast<std::uint8_t>(w >> (48 - 8 * j));
        }
        for (; k < n; k += 8)
            d.bytes[k / 8] = static_cast<std::uint8_t>(r_.u(f.pos + k, 8));  // + what follows
    }

    /// Number of repeated entries: entry u counts when it is complete (base + stride * (u + 1) <= nbits),
    /// or with Entries::started when it starts before the end (base + stride * u < nbits).
    void count(std::size_t base, std::size_t stride, std::size_t max, std::uint8_t& n,
               Entries mode = Entries::complete) const noexcept {
        std::size_t k = 0;
        const std::size_t extra = mode == Entries::complete ? 1 : 0;
        while (k < max && base + stride * (k + extra) + (1 - extra) <= r_.size()) ++k;
        n = static_cast<std::uint8_t>(k == 0 ? 1 : k);
    }

    void discriminator(const Field& f, bool& b) const noexcept { b = r_.b(f.pos); }

    void part24(const Field& f, std::uint8_t& partno, bool& merged) const noexcept {
        partno = static_cast<std::uint8_t>(r_.u(f.pos, f.width));
        merged = false;
    }

    /// Type 21 name: 20 characters, then the extension after bit 272 when all 20 are used (as gpsd).
    template <std::size_t N>
    void aton_name(const Field& f, Text<N>& t) const noexcept {
        char buf[64];
        std::size_t n = 0;
        for (; n < 20; ++n) {
            const char c = sixbit_ascii(static_cast<unsigned>(r_.u(f.pos + 6 * n, 6)));
            if (c == '@') break;
            buf[n] = c;
        }
        if (n == 20 && r_.size() > kAtonNameExtPos) {
            const std::size_t ext = std::min<std::size_t>((r_.size() - kAtonNameExtPos) / 6, N - 20);
            for (std::size_t k = 0; k < ext; ++k) {
                const char c = sixbit_ascii(static_cast<unsigned>(r_.u(kAtonNameExtPos + 6 * k, 6)));
                if (c == '@') break;
                buf[n++] = c;
            }
        }
        while (n > 0 && buf[n - 1] == ' ') --n;
        t.assign(std::string_view(buf, n));
    }

    /// Binary application data of messages 6 and 8, then the decoded application when known.
    void binary(const Field& f, BitData& d, App& app, unsigned msg_type, unsigned dac, unsigned fid) const {
        (*this)(f, d);
        decode_app(app, app_index(msg_type, dac, fid, d), d);
    }

    static void decode_app(App& app, std::size_t index, const BitData& d) {
        const BasicBitDecoder<Bounds::checked> sub(d.bytes.data(), d.nbits);
        switch (index) {
            case 1:
                visit_app(sub, app.emplace<TextTelegram>(), static_cast<TextTelegram*>(nullptr));
                break;
            case 2:
                visit_app(sub, app.emplace<MetHydro236>(), static_cast<MetHydro236*>(nullptr));
                break;
            case 3:
                visit_app(sub, app.emplace<MetHydro289>(), static_cast<MetHydro289*>(nullptr));
                break;
            case 4:
                visit_app(sub, app.emplace<AtonMonitoring>(), static_cast<AtonMonitoring*>(nullptr));
                break;
            case 5:
                visit_app(sub, app.emplace<InlandStatic>(), static_cast<InlandStatic*>(nullptr));
                break;
            default:
                app.emplace<std::monostate>();
                break;
        }
    }

private:
    FastBitReader<B> r_;
};

using BitDecoder = BasicBitDecoder<Bounds::checked>;

/// Messages whose fields all lie in their first kWordDecoderBits bits (fixed layout, nominal length at
/// most that) are decoded from three big-endian 64-bit words loaded once, instead of one unaligned
/// load per field: each field is then one or two shifts (two words when it straddles).
inline constexpr std::size_t kWordDecoderWords = 3;
inline constexpr std::size_t kWordDecoderBits = 64 * kWordDecoderWords;
/// Shortest nominal length that takes the word decoder: its bytes plus the 8 zero bytes unarmor_bytes()
/// writes after them cover the three words, so no load reads a byte that was never written.
inline constexpr std::size_t kWordDecoderMinBits = 160;

/// BasicBitDecoder<Bounds::within> with the integer fields and the header read from the words. The
/// buffer must hold kWordDecoderBits / 8 written bytes (unarmor_bytes' buffer does: it writes 8 zero
/// bytes past the payload, and a fixed-layout payload of such a type has at least kWordDecoderMinBits).
class WordBitDecoder : public BasicBitDecoder<Bounds::within> {
public:
    using Base = BasicBitDecoder<Bounds::within>;
    using Base::operator();

    WordBitDecoder(const std::uint8_t* bytes, std::size_t nbits) noexcept : Base(bytes, nbits) {
        for (std::size_t k = 0; k < kWordDecoderWords; ++k) {
            std::uint64_t w;
            std::memcpy(&w, bytes + 8 * k, sizeof w);
            if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
            w_[k] = w;
        }
    }
    /// From words already in registers; `bytes` holds the same bits (for the text fields of Base).
    WordBitDecoder(const std::array<std::uint64_t, kWordDecoderWords>& words, const std::uint8_t* bytes,
                   std::size_t nbits) noexcept
        : Base(bytes, nbits), w_(words) {}

    /// Bits [pos, pos + width) as an unsigned value; pos + width <= kWordDecoderBits, width 1..57.
    [[gnu::always_inline]] [[nodiscard]] std::uint64_t u(std::size_t pos, unsigned width) const noexcept {
        assert(pos + width <= kWordDecoderBits);
        const std::size_t i = pos / 64;
        const std::size_t off = pos % 64;
        std::uint64_t hi = w_[i] << off;
        if (off + width > 64) hi |= w_[i + 1] >> (64 - off);  // straddles two words (off > 0 here)
        return hi >> (64u - width);
    }

    template <class M>
    [[gnu::always_inline]] void header(M& m) const noexcept {
        read_header(
            m, [this](std::size_t pos, unsigned width)
                   __attribute__((always_inline)) { return u(pos, width); });
    }

    template <class T>
    requires std::is_integral_v<T>
    [[gnu::always_inline]] void operator()(const Field& f, T& x) const noexcept {
        read_int_field(
            f, x, [this](std::size_t pos, unsigned width) __attribute__((always_inline)) {
                return u(pos, width);
            });
    }

private:
    std::array<std::uint64_t, kWordDecoderWords> w_{};
};

/// The lowest message type number decoded into struct T (types sharing a struct share a length rule).
template <class T>
[[nodiscard]] constexpr unsigned first_type_of() noexcept {
    for (unsigned t = 1; t < 64; ++t) {
        bool same = false;
        (void)with_message_type(
            t, [&](auto* tag) { same = std::is_same_v<std::remove_pointer_t<decltype(tag)>, T>; });
        if (same) return t;
    }
    return 0;
}

/// Whether message struct T goes through WordBitDecoder when its payload has the nominal length or more.
template <class T>
[[nodiscard]] constexpr bool uses_word_decoder() noexcept {
    if constexpr (std::is_same_v<T, StaticDataB>) {
        return false;  // two layouts (part A / B): the generic decoder
    } else {
        constexpr LengthRule kRule = length_rule(first_type_of<T>());
        return kRule.nominal_bits >= kWordDecoderMinBits && kRule.nominal_bits <= kWordDecoderBits;
    }
}

/// visit() with the word decoder, every call inlined (the field positions become constants); never
/// inlined itself, for the reason given below.
template <class T>
[[gnu::flatten, gnu::noinline]] void decode_words(const std::uint8_t* bytes, std::size_t nbits,
                                                  T& m) noexcept {
    const WordBitDecoder d(bytes, nbits);
    visit(d, m, static_cast<T*>(nullptr));
}

/// decode_words() for bits already in three big-endian words (first bit in the top bit of w0).
/// Never inlined: the struct is always written out whole, even when the caller's handler reads only
/// part of it (the in-process benchmark must measure a complete typed decode, not what the optimiser
/// keeps of it after seeing that the handler reads only the MMSI). The words come in registers, not
/// as an array in memory: the caller has just computed them, and a copy of such an array (GCC moves
/// two words with one 16-byte load) cannot be served by the store buffer from the two 8-byte stores
/// that wrote it, so it waits for them to reach the cache (perf: half the samples of this function).
template <class T>
[[gnu::flatten, gnu::noinline]] void decode_words(std::uint64_t w0, std::uint64_t w1, std::uint64_t w2,
                                                  std::size_t nbits, T& m) noexcept {
    const std::array<std::uint64_t, kWordDecoderWords> words{w0, w1, w2};
    static_assert(kWordDecoderWords == 3);
    alignas(8) std::uint8_t bytes[kWordDecoderWords * 8 + 8] = {};
    for (std::size_t k = 0; k < kWordDecoderWords; ++k) {
        std::uint64_t w = words[k];
        if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
        std::memcpy(bytes + 8 * k, &w, sizeof w);
    }
    const WordBitDecoder d(words, bytes, nbits);
    visit(d, m, static_cast<T*>(nullptr));
}

/// Checks the length of a payload for message struct T; sets `res.issue`. `fixed_layout` becomes
/// true when the type has a nominal length and the payload has at least that many bits: every field
/// of such a type lies inside its nominal length, so no read needs a bounds check.
template <class T>
[[gnu::always_inline]] [[nodiscard]] inline bool check_length(const std::uint8_t* bytes, std::size_t nbits,
                                                              DecodeResult& res,
                                                              bool& fixed_layout) noexcept {
    const FastBitReader<Bounds::checked> r(bytes, nbits);
    LengthRule rule;
    if constexpr (std::is_same_v<T, StaticDataB>) {
        const auto part = static_cast<unsigned>(r.u(38, 2));
        if (part > 1) {  // part numbers 2 and 3 are not defined
            res.issue = Issue::unknown_type;
            return false;
        }
        rule = length_rule(24, part);
    } else {
        constexpr LengthRule kRule = length_rule(first_type_of<T>());
        static_assert(kRule.max_bits != 0);
        rule = kRule;
    }
    if (nbits < rule.min_bits) {
        res.issue = Issue::short_payload;
        return false;
    }
    constexpr bool kSlotLengthsOnly = std::is_same_v<T, LongRange>;  // 96 bits or a full slot (168)
    if (nbits > rule.max_bits || (kSlotLengthsOnly && nbits != kType27Bits && nbits != kType1Bits)) {
        res.issue = Issue::long_payload;
        return false;
    }
    if constexpr (std::is_same_v<T, SingleSlotBinary> || std::is_same_v<T, MultiSlotBinary>) {
        // the addressed/structured flags say how much header follows
        const std::size_t need = rule.min_bits + 30u * r.u(38, 1) + 16u * r.u(39, 1);
        if (nbits < need) {
            res.issue = Issue::short_payload;
            return false;
        }
    }
    if (rule.nominal_bits != 0 && nbits != rule.nominal_bits) res.issue = Issue::nonstandard_length;
    fixed_layout = rule.nominal_bits != 0 && nbits >= rule.nominal_bits;
    return true;
}

/// Decodes packed bits (with 8 readable bytes past the last bit) and calls the handler.
template <class Handler>
DecodeResult decode_bits(const std::uint8_t* bytes, std::size_t nbits, Handler&& handler) {
    DecodeResult res;
    if (nbits < 6) {
        res.issue = nbits == 0 ? Issue::empty_payload : Issue::short_payload;
        return res;
    }
    res.type = static_cast<std::uint8_t>(bytes[0] >> 2);
    const bool known = with_message_type(res.type, [&](auto* tag) {
        using T = std::remove_pointer_t<decltype(tag)>;
        bool fixed_layout = false;
        if (!check_length<T>(bytes, nbits, res, fixed_layout)) return;
        T m{};
        if constexpr (uses_word_decoder<T>()) {
            if (fixed_layout) [[likely]] {
                decode_words(bytes, nbits, m);
                res.ok = true;
                handler(static_cast<const T&>(m));
                return;
            }
        }
        if (fixed_layout) {
            const BasicBitDecoder<Bounds::within> d(bytes, nbits);
            visit(d, m, tag);
        } else {
            const BitDecoder d(bytes, nbits);
            visit(d, m, tag);
        }
        res.ok = true;
        handler(static_cast<const T&>(m));
    });
    if (!known) res.issue = Issue::unknown_type;
    return res;
}

}  // namespace detail

/// Decodes an already unarmored payload and calls `handler(const T&)` with the typed message.
template <class Handler>
DecodeResult decode_payload(const Payload& p, Handler&& handler) {
    return detail::decode_bits(p.bytes.data(), p.nbits, std::forward<Handler>(handler));
}

/// Unarmors `armored` (NMEA field 6, multi-part payloads concatenated) with `fill_bits` (field 7) and
/// decodes it; calls `handler(const T&)` on success.
template <class Handler>
DecodeResult decode(std::string_view armored, unsigned fill_bits, Handler&& handler) {
#if defined(__SSE2__)
    // The commonest payload of all, a one-slot position or base station report at its nominal
    // length: unarmored into registers and decoded from them (no byte buffer, no length rules to
    // look up: 168 bits is these types' nominal length). Anything else takes the general path below.
    if (armored.size() == detail::kSlotPayloadChars && fill_bits == 0) {
        // Decodes the payload as a T; false (nothing done) when a character is not in the armoring
        // alphabet: the general path below then counts the issue.
        auto slot = [&handler, &armored](auto* tag) -> bool {
            using T = std::remove_pointer_t<decltype(tag)>;
            static_assert(length_rule(detail::first_type_of<T>()).nominal_bits == detail::kSlotPayloadBits);
            std::array<std::uint64_t, detail::kWordDecoderWords> words;
            if (!detail::unarmor_slot_words(armored.data(), words)) [[unlikely]]
                return false;
            T m{};
            detail::decode_words(words[0], words[1], words[2], detail::kSlotPayloadBits, m);
            handler(static_cast<const T&>(m));
            return true;
        };
        // The type from the first character as it is ('1'-'4', ';' and 'B' are types 1-4, 11 and 18
        // unarmored: value = character - '0'), not from the unarmored words: this switch, whose
        // branch a mixed feed often mispredicts, then waits for one load, not for the vector work.
        // The result is made from values at the end, not filled in field by field: a DecodeResult
        // written byte by byte and then returned in a register is read back with one wider load,
        // which waits for the narrower stores to reach the cache (perf: a quarter of this function's
        // samples on that load).
        const char first = armored[0];
        const DecodeResult decoded{static_cast<std::uint8_t>(first - '0'), true, std::nullopt};
        switch (first) {
            case '1':
            case '2':
            case '3':
                if (slot(static_cast<PositionA*>(nullptr))) [[likely]]
                    return decoded;
                break;
            case '4':
            case ';':
                if (slot(static_cast<BaseStation*>(nullptr))) [[likely]]
                    return decoded;
                break;
            case 'B':
                if (slot(static_cast<PositionB*>(nullptr))) [[likely]]
                    return decoded;
                break;
            default:
                break;
        }
    }
#endif
    alignas(8) std::uint8_t bytes[kMaxPayloadBytes];  // unarmor_bytes writes every byte that is read
    std::optional<Issue> issue;
    const std::size_t nbits = detail::unarmor_bytes(armored, fill_bits, bytes, issue);
    if (issue) {
        DecodeResult res;
        res.issue = *issue;
        return res;
    }
    return detail::decode_bits(bytes, nbits, std::forward<Handler>(handler));
}

/// Runtime variant: decodes into `out` (for callers that store messages).
inline DecodeResult decode(std::string_view armored, unsigned fill_bits, Message& out) {
    return decode(armored, fill_bits, [&out](const auto& m) { out = m; });
}

}  // namespace vw::ais
