// Private to src/nmea: one pass over the text of an NMEA sentence or tag block that computes, at
// once, where it ends (its first stop character), the XOR checksum of everything before that, and
// where its field-separating commas are. SSE2 (part of the x86-64 baseline, so no runtime dispatch)
// with a byte-at-a-time path for other targets and for texts shorter than one vector.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vesselwatch/nmea/vdm_exact.hpp"

namespace vw::nmea::detail {

/// Which characters end the scanned text.
enum class Stops : std::uint8_t {
    sentence,  ///< '*' (checksum follows), '\' or '!' (the next unit starts)
    tagblock,  ///< '*' (checksum follows) or '\' (unterminated block)
    checksum,  ///< '*' only
};

/// What scan_fields() found in `text[0, end)`.
template <std::size_t MaxCommas>
struct FieldScan {
    std::size_t end = 0;      ///< index of the first stop character, or text.size() when there is none
    std::size_t ncommas = 0;  ///< commas before `end` (all of them, not only the recorded ones)
    /// Positions of the first MaxCommas commas; only [0, min(ncommas, MaxCommas)) are meaningful (left
    /// uninitialised: this runs once per line). The extra last slot absorbs any further comma, so that
    /// recording one is a store without a branch.
    std::array<std::size_t, MaxCommas + 1> commas;
    std::uint8_t checksum = 0;  ///< XOR of text[0, end)

    /// Field k (0-based) of text[0, end) when k < min(ncommas, MaxCommas) + 1.
    [[nodiscard]] std::string_view field(std::string_view text, std::size_t k) const noexcept {
        const std::size_t b = k == 0 ? 0 : commas[k - 1] + 1;
        const std::size_t e = k < ncommas ? commas[k] : end;
        return {text.data() + b, e - b};
    }
};

template <Stops S>
[[nodiscard]] constexpr bool is_stop(char c) noexcept {
    if constexpr (S == Stops::sentence) return c == '*' || c == '\\' || c == '!';
    if constexpr (S == Stops::tagblock) return c == '*' || c == '\\';
    return c == '*';
}

template <std::size_t MaxCommas>
inline void record_comma(std::size_t pos, FieldScan<MaxCommas>& r) noexcept {
    r.commas[std::min(r.ncommas, MaxCommas)] = pos;
    ++r.ncommas;
}

/// Byte at a time: the portable path, and the one for texts shorter than one vector.
template <Stops S, std::size_t MaxCommas>
[[nodiscard]] FieldScan<MaxCommas> scan_fields_scalar(std::string_view text) noexcept {
    FieldScan<MaxCommas> r;
    std::size_t i = 0;
    for (; i < text.size() && !is_stop<S>(text[i]); ++i) {
        if (text[i] == ',') record_comma(i, r);
        r.checksum ^= static_cast<std::uint8_t>(text[i]);
    }
    r.end = i;
    return r;
}

#if defined(__SSE2__)

// kVectorBytes, first_lanes() and xor_lanes() are in vdm_exact.hpp.

/// 0xFF in the lanes of `v` that hold a stop character of S.
template <Stops S>
[[nodiscard]] inline __m128i stop_lanes(__m128i v) noexcept {
    __m128i m = _mm_cmpeq_epi8(v, _mm_set1_epi8('*'));
    if constexpr (S != Stops::checksum) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    if constexpr (S == Stops::sentence) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('!')));
    return m;
}

/// Scans 16 bytes per step. Each step compares the vector with every stop character and with ',' and
/// turns the results into bit masks (movemask: bit j = lane j); the first stop bit ends the scan, the
/// comma bits below it are recorded lowest first (count trailing zeros, then clear the lowest bit).
/// The XOR checksum is accumulated lane-wise and folded to one byte at the end: XOR is associative and
/// commutative, so which lane a byte went through does not matter.
/// Never reads outside `text`: a last partial vector is loaded so that it ends where the text ends,
/// and its lanes that the previous step already scanned are zeroed. A zero byte is neither a stop nor
/// a comma and XORs to nothing, so those lanes drop out of every result.
template <Stops S, std::size_t MaxCommas>
[[nodiscard]] inline FieldScan<MaxCommas> scan_fields(std::string_view text) noexcept {
    const std::size_t n = text.size();
    if (n < kVectorBytes) return scan_fields_scalar<S, MaxCommas>(text);
    const char* const p = text.data();
    const __m128i comma = _mm_set1_epi8(',');
    __m128i x = _mm_setzero_si128();
    FieldScan<MaxCommas> r;
    r.end = n;
    for (std::size_t i = 0; i < n;) {
        std::size_t base = i;  // text index of lane 0
        __m128i v;
        if (n - i >= kVectorBytes) {
            v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        } else {
            base = n - kVectorBytes;  // overlaps the previous step by i - base lanes: zero them
            v = _mm_andnot_si128(first_lanes(i - base),
                                 _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + base)));
        }
        const auto stop_bits = static_cast<unsigned>(_mm_movemask_epi8(stop_lanes<S>(v)));
        auto comma_bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
        if (stop_bits != 0) {
            const auto k = static_cast<std::size_t>(__builtin_ctz(stop_bits));
            comma_bits &= (1u << k) - 1;  // commas before the stop only
            v = _mm_and_si128(v, first_lanes(k));
            r.end = base + k;
            i = n;  // last step
        } else {
            i = base + kVectorBytes;
        }
        x = _mm_xor_si128(x, v);
        for (; comma_bits != 0; comma_bits &= comma_bits - 1)
            record_comma(base + static_cast<std::size_t>(__builtin_ctz(comma_bits)), r);
    }
    // Fold the 16 lane-wise XORs into lane 0: halve the width four times.
    x = _mm_xor_si128(x, _mm_srli_si128(x, 8));
    x = _mm_xor_si128(x, _mm_srli_si128(x, 4));
    x = _mm_xor_si128(x, _mm_srli_si128(x, 2));
    x = _mm_xor_si128(x, _mm_srli_si128(x, 1));
    r.checksum = static_cast<std::uint8_t>(_mm_cvtsi128_si32(x));
    return r;
}

#else

template <Stops S, std::size_t MaxCommas>
[[nodiscard]] inline FieldScan<MaxCommas> scan_fields(std::string_view text) noexcept {
    return scan_fields_scalar<S, MaxCommas>(text);
}

#endif

}  // namespace vw::nmea::detail
