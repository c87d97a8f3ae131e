// The commonest NMEA line of all, `!ccVDx,n,n,[d],[c],<payload>,f*hh` ending exactly at its checksum,
// read in a fixed number of steps into plain fields. Inline and free of the Sentence type, so that the
// pipeline's loop (pipeline::detail::stream_source) can take such a line straight to a message while
// the general parser (src/nmea/sentence.cpp, which uses the same function first) handles every other
// form. tests/unit/nmea/test_fast_path.cpp compares both with the general path.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vesselwatch/nmea/checksum.hpp"

namespace vw::nmea {
/// Fill bits at the end of a payload: 0..5.
inline constexpr unsigned kMaxFillBits = 5;
}  // namespace vw::nmea

namespace vw::nmea::detail {

inline constexpr std::size_t kAisFieldCommas = 6;  // address,count,number,seq,channel,payload,fill

// Range tests as one unsigned compare each, combined with `|` (no branch per range).
[[nodiscard]] constexpr bool is_digit(char c) noexcept {
    return static_cast<unsigned char>(c - '0') < 10;
}
[[nodiscard]] constexpr bool is_alnum(char c) noexcept {
    // c | 0x20 maps 'A'-'Z' onto 'a'-'z', keeps 'a'-'z', and maps no other byte into 'a'-'z'.
    return is_digit(c) | (static_cast<unsigned char>((c | 0x20) - 'a') < 26);
}

inline constexpr std::size_t kAisAddressChars = 5;  // "AIVDM": talker (2) + sentence type (3)

/// Characters seen in real address fields: letters, digits, and '=' / '-' as in "!=IVDM", "!--VDM".
[[nodiscard]] constexpr bool is_address_char(char c) noexcept {
    return is_digit(c) || (c >= 'A' && c <= 'Z') || c == '=' || c == '-';
}

inline constexpr std::size_t kWordBytes = 8;
inline constexpr std::uint64_t kByteOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kByteHighs = 0x8080808080808080ull;

/// High bit of each byte of `w` that equals `c` (the classic SWAR zero-byte test). A borrow can flag
/// a byte above a true match, never one below it: the lowest flagged byte is always exact.
[[nodiscard]] constexpr std::uint64_t has_byte(std::uint64_t w, char c) noexcept {
    const std::uint64_t v = w ^ (kByteOnes * static_cast<std::uint8_t>(c));
    return (v - kByteOnes) & ~v & kByteHighs;
}

/// Index of the first ',' or '*' in `s` (s.size() when there is none): where the address field ends.
[[nodiscard]] inline std::size_t address_end(std::string_view s) noexcept {
    std::size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        // The address ("AIVDM", 5 characters) ends within the first 8 bytes: test them at once.
        for (; s.size() - i >= kWordBytes; i += kWordBytes) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, kWordBytes);
            const std::uint64_t m = has_byte(w, ',') | has_byte(w, '*');
            if (m != 0) return i + static_cast<std::size_t>(__builtin_ctzll(m)) / 8;  // first byte in memory
        }
    }
    while (i < s.size() && s[i] != ',' && s[i] != '*') ++i;
    return i;
}

/// High bit of each byte of `w` whose value is in [lo, hi], exactly (no borrow between bytes: each
/// byte's low 7 bits plus a constant stays below 0x100); bytes of 0x80 and above never.
[[nodiscard]] constexpr std::uint64_t bytes_in_range(std::uint64_t w, std::uint8_t lo, std::uint8_t hi) noexcept {
    const std::uint64_t low7 = w & ~kByteHighs;
    const std::uint64_t at_least_lo = low7 + kByteOnes * static_cast<std::uint8_t>(0x80 - lo);
    const std::uint64_t above_hi = low7 + kByteOnes * static_cast<std::uint8_t>(0x7F - hi);
    return at_least_lo & ~above_hi & ~w & kByteHighs;
}

/// The rule of is_plain_non_ais_line() for the address `address` (the text between '$' and the first
/// ',' or '*').
[[nodiscard]] inline bool plain_non_ais_address(std::string_view address) noexcept {
    if (address.empty() || address == "PGHP") return false;
    for (const char c : address)
        if (!is_address_char(c)) return false;
    return !(address.size() == kAisAddressChars && address[2] == 'V' && address[3] == 'D' &&
             (address[4] == 'M' || address[4] == 'O'));
}

/// True for a line `$<address>,...` or `$<address>*...` that the parser counts as
/// Issue::non_ais_sentence and reads no further: another talker's sentence ($GPZDA, $AIVSI...), its
/// address of address characters only, not xxVDM/xxVDO, not PGHP (a time wrapper). The address ends
/// at a ',' or '*' inside the line, so trailing blanks cannot change the answer (a line with leading
/// blanks gets false and is left to the parser). Used by LineContext::parse_line() and by the
/// pipeline's loop, which counts such a line without parsing it.
[[nodiscard]] inline bool is_plain_non_ais_line(std::string_view line) noexcept {
    if (line.size() < 2 || line[0] != '$') return false;
    if constexpr (std::endian::native == std::endian::little) {
        // The usual address (4-5 characters) ends within the 8 bytes after '$': all of its tests on
        // that one word, without a branch per character (their count varies from line to line).
        if (line.size() > kWordBytes) {
            std::uint64_t w;
            std::memcpy(&w, line.data() + 1, kWordBytes);
            constexpr std::uint64_t kPghpComma = 0x2C50484750;  // "PGHP,", little-endian
            if ((w & 0xFFFFFFFFFF) == kPghpComma) return false;  // first: every other line of some feeds
            const std::uint64_t ends = has_byte(w, ',') | has_byte(w, '*');
            if (ends != 0) {
                const auto end = static_cast<unsigned>(std::countr_zero(ends)) / 8;  // first byte in memory
                if (end == 0) return false;
                const std::uint64_t lanes = kByteHighs & ((std::uint64_t{1} << (8 * end)) - 1);
                const std::uint64_t ok = bytes_in_range(w, '0', '9') | bytes_in_range(w, 'A', 'Z') |
                                         bytes_in_range(w, '=', '=') | bytes_in_range(w, '-', '-');
                constexpr std::uint64_t kPghp = 0x50484750;   // "PGHP", little-endian
                constexpr std::uint64_t kVd = 0x4456;         // "VD" at bytes 2-3
                const std::uint64_t b4 = (w >> 32) & 0xFF;
                const bool pghp = end == 4 && (w & 0xFFFFFFFF) == kPghp;
                const bool ais = end == kAisAddressChars && ((w >> 16) & 0xFFFF) == kVd && (b4 == 'M' || b4 == 'O');
                return (ok & lanes) == lanes && !pghp && !ais;
            }
        }
    }
    const std::string_view body = line.substr(1);
    const std::size_t end = address_end(body);
    return end < body.size() && plain_non_ais_address(body.substr(0, end));
}

/// The sequence-id and channel fields from p[i] on (each one character or empty, each followed by a
/// comma): their values (-1 and '\0' when empty), with `i` moved past both commas. False when either
/// field is malformed. p[i + 3] must be readable.
///
/// Without a branch on the characters: whether a feed fills the sequence id changes from line to line
/// in a mixed capture (one receiver's lines carry it, another's not), so a branch on it is often
/// mispredicted (cachegrind's simulated predictor put it among the in-process benchmark's most
/// mispredicted branches on AMSA). Each field is read as "present or not" (0 or 1), its value chosen
/// with a select, and `i` advanced by 1 + present; the checks are collected in one flag. On a feed
/// that never or always fills it the branch was free and this costs a few instructions
/// (docs/benchmarks.md, "Decode round 9").
[[nodiscard]] inline bool read_sequence_and_channel(const char* p, std::size_t& i, int& seq, char& channel) noexcept {
    const char s = p[i];
    const bool has_seq = s != ',';
    // A present field is one valid character followed by ','; p[i + 1] is read in both cases.
    bool ok = (!has_seq) | (is_digit(s) & (p[i + 1] == ','));
    seq = has_seq ? s - '0' : -1;
    i += 1 + static_cast<std::size_t>(has_seq);
    const char c = p[i];
    const bool has_channel = c != ',';
    ok &= (!has_channel) | (is_alnum(c) & (p[i + 1] == ','));
    channel = has_channel ? c : '\0';
    i += 1 + static_cast<std::size_t>(has_channel);
    return ok;
}

/// The fields parse_vdm_exact() reads; the talker is always text[1, 3), the text the whole line.
struct VdmFields {
    std::uint32_t payload_begin = 0;
    std::uint32_t payload_size = 0;
    std::uint8_t fragment_count = 0;   ///< 1..9
    std::uint8_t fragment_number = 0;  ///< 1..fragment_count
    std::int8_t sequence_id = -1;      ///< 0..9, or -1 (nmea::kNoSequenceId) when the field is empty
    char channel = '\0';               ///< or '\0' (nmea::kNoChannel) when the field is empty
    std::uint8_t fill_bits = 0;
    bool own_ship = false;  ///< VDO rather than VDM
};

#if defined(__SSE2__)

inline constexpr std::size_t kVectorBytes = 16;

/// kLaneMask[16 - k, 32 - k) is k bytes of 0xFF then 16 - k zero bytes: a mask of the lanes [0, k).
inline constexpr std::array<std::uint8_t, 2 * kVectorBytes> kLaneMask = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0};

/// All-ones in lanes [0, k), zero elsewhere; k <= 16.
[[nodiscard]] inline __m128i first_lanes(std::size_t k) noexcept {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(kLaneMask.data() + kVectorBytes - k));
}

/// XOR of the 16 bytes of `x` (a checksum accumulated lane by lane, folded to one byte).
[[nodiscard]] inline std::uint8_t xor_lanes(__m128i x) noexcept {
    x = _mm_xor_si128(x, _mm_srli_si128(x, 8));
    x = _mm_xor_si128(x, _mm_srli_si128(x, 4));
    x = _mm_xor_si128(x, _mm_srli_si128(x, 2));
    x = _mm_xor_si128(x, _mm_srli_si128(x, 1));
    return static_cast<std::uint8_t>(_mm_cvtsi128_si32(x));
}

/// Talker characters the general path accepts: printable ASCII other than the delimiters , * ! $ \.
inline constexpr std::array<bool, 256> kTalkerByte = [] {
    std::array<bool, 256> t{};
    for (std::size_t c = 0x20; c < 0x7f; ++c) t[c] = true;
    for (const char c : {',', '*', '!', '$', '\\'}) t[static_cast<unsigned char>(c)] = false;
    return t;
}();

/// "!..VD?," in the first 8 bytes of a little-endian load: bytes 0, 3, 4, 6 fixed, byte 5 'M' or 'O'
/// (they differ only in bit 1, masked off), bytes 1, 2 (talker) and 7 checked separately.
inline constexpr std::uint64_t kVdmHeadMask = 0x00FF'FDFF'FF00'00FFULL;
inline constexpr std::uint64_t kVdmHeadPattern = 0x002C'4D44'5600'0021ULL;  // ',' 'M' 'D' 'V' . . '!'
inline constexpr std::size_t kExactMinChars = 21;   // the checksum '*' is then at index >= 18: one full vector
inline constexpr std::size_t kExactMaxChars = 112;  // every index fits a signed byte lane (vector compares)

/// Reads `text` when it is exactly `!ccVDx,n,n,[d],[c],<payload>,f*hh` (no trailer), in a fixed number
/// of steps: the header and the small fields one by one, then one vector pass over the sentence that
/// computes the XOR checksum and checks that the payload holds no byte below '0' and no '\' (so no
/// ',', '*', '!', '$', control byte or byte >= 0x80 hides in it: those make the general path read a
/// different structure, so such lines go there). Returns false whenever the text is not in this form
/// or fails a check; the general parser then decides. When it returns true, `f` holds what the
/// general parser would read from the same text.
[[nodiscard]] inline bool parse_vdm_exact(std::string_view text, VdmFields& f) noexcept {
    if constexpr (std::endian::native != std::endian::little) {
        return false;
    } else {
        const std::size_t n = text.size();
        if (n < kExactMinChars || n > kExactMaxChars) return false;
        const char* const p = text.data();
        std::uint64_t head;
        std::memcpy(&head, p, sizeof head);
        if ((head & kVdmHeadMask) != kVdmHeadPattern || !kTalkerByte[static_cast<unsigned char>(p[1])] ||
            !kTalkerByte[static_cast<unsigned char>(p[2])])
            return false;
        const char c_count = p[7];
        const char c_number = p[9];
        if (c_count < '1' || c_count > '9' || p[8] != ',' || c_number < '1' || c_number > c_count ||
            p[10] != ',')
            return false;
        std::size_t i = 11;  // i + 3 < n: n >= 21
        int seq = -1;
        char channel = '\0';
        if (!read_sequence_and_channel(p, i, seq, channel)) return false;
        const std::size_t payload_begin = i;
        const std::size_t fill_comma = n - 5;  // ",f*hh"
        const std::size_t star = n - 3;
        if (fill_comma < payload_begin || p[fill_comma] != ',' || p[fill_comma + 1] < '0' ||
            p[fill_comma + 1] > static_cast<char>('0' + kMaxFillBits) || p[star] != '*')
            return false;
        const int want = parse_hex_byte(std::string_view(p + star + 1, 2));
        if (want < 0) return false;

        // One pass over [0, star) in 16-byte steps (star >= 18: at least one full step); when the steps
        // do not land on `star`, a last step takes the 16 bytes ending there, without the lanes already
        // covered. It XORs every byte and counts the bytes below '0' or equal to '\'. Outside the
        // payload those are known: '!', the six field commas, and talker characters below '0'; so the
        // payload is clean exactly when the count is no more than that.
        const __m128i zero_char = _mm_set1_epi8('0');
        const __m128i backslash = _mm_set1_epi8('\\');
        __m128i x = _mm_setzero_si128();
        __m128i low = _mm_setzero_si128();  // per lane: minus the number of such bytes
        auto low_lanes = [&](__m128i v) noexcept {
            return _mm_or_si128(_mm_cmplt_epi8(v, zero_char), _mm_cmpeq_epi8(v, backslash));
        };
        for (std::size_t b = 0;;) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + b));
            low = _mm_add_epi8(low, low_lanes(v));
            x = _mm_xor_si128(x, v);
            const std::size_t next = b + kVectorBytes;
            if (next == star) break;
            if (next + kVectorBytes <= star) {
                b = next;
                continue;
            }
            const std::size_t last = star - kVectorBytes;  // > b: overlaps [last, next)
            const __m128i fresh = _mm_andnot_si128(first_lanes(next - last), _mm_set1_epi8(-1));
            const __m128i lv = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + last));
            low = _mm_add_epi8(low, _mm_and_si128(fresh, low_lanes(lv)));
            x = _mm_xor_si128(x, _mm_and_si128(fresh, lv));
            break;
        }
        // Lane counts are at most 7 (star <= 109 bytes over 16 lanes): negate, then sum them.
        const __m128i counts = _mm_sad_epu8(_mm_sub_epi8(_mm_setzero_si128(), low), _mm_setzero_si128());
        const auto n_low = static_cast<std::size_t>(_mm_cvtsi128_si32(counts)) +
                           static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(counts, counts)));
        constexpr std::size_t kLowOutsidePayload = 1 + kAisFieldCommas;  // '!' and the field commas
        const std::size_t talker_low =
            static_cast<std::size_t>(p[1] < '0') + static_cast<std::size_t>(p[2] < '0');
        if (n_low != kLowOutsidePayload + talker_low) return false;
        const auto checksum = static_cast<std::uint8_t>(xor_lanes(x) ^ '!');  // p[0] is not summed
        if (checksum != want) return false;

        f.payload_begin = static_cast<std::uint32_t>(payload_begin);
        f.payload_size = static_cast<std::uint32_t>(fill_comma - payload_begin);
        f.fragment_count = static_cast<std::uint8_t>(c_count - '0');
        f.fragment_number = static_cast<std::uint8_t>(c_number - '0');
        f.sequence_id = static_cast<std::int8_t>(seq);
        f.channel = channel;
        f.fill_bits = static_cast<std::uint8_t>(p[fill_comma + 1] - '0');
        f.own_ship = p[5] == 'O';
        return true;
    }
}

#else

[[nodiscard]] inline bool parse_vdm_exact(std::string_view, VdmFields&) noexcept {
    return false;  // portable builds: the general parser
}

#endif

}  // namespace vw::nmea::detail
