// Private: hand-written number and string formatting for the JSON and CSV writers (no snprintf on
// the hot path). Every function writes at `p` and returns the new end; callers reserve space first.
#pragma once

#include <array>
#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "vesselwatch/util/text.hpp"

namespace vw::ais::fmt {

/// Copies `n` bytes without a library call for the short strings of this module (names, legends):
/// two overlapping loads and stores of the largest fitting width.
[[gnu::always_inline]] inline void copy_short(char* p, const char* s, std::size_t n) noexcept {
    if (n >= 16) {
        std::memcpy(p, s, n);
    } else if (n >= 8) {
        std::uint64_t a, b;
        std::memcpy(&a, s, 8);
        std::memcpy(&b, s + n - 8, 8);
        std::memcpy(p, &a, 8);
        std::memcpy(p + n - 8, &b, 8);
    } else if (n >= 4) {
        std::uint32_t a, b;
        std::memcpy(&a, s, 4);
        std::memcpy(&b, s + n - 4, 4);
        std::memcpy(p, &a, 4);
        std::memcpy(p + n - 4, &b, 4);
    } else if (n > 0) {
        p[0] = s[0];
        p[n / 2] = s[n / 2];
        p[n - 1] = s[n - 1];
    }
}

[[gnu::always_inline]] inline char* put(char* p, std::string_view s) noexcept {
    copy_short(p, s.data(), s.size());
    return p + s.size();
}

/// "true" or "false".
[[gnu::always_inline]] inline char* put_bool(char* p, bool v) noexcept {
    std::memcpy(p, v ? "true " : "false", 5);  // always 5 bytes; the end says which
    return p + (v ? 4 : 5);
}

/// "00" "01" ... "99": two decimal digits per table step.
inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/// 10^k for k = 0..19.
inline constexpr std::array<std::uint64_t, 20> kPowersOf10 = [] {
    std::array<std::uint64_t, 20> t{};
    std::uint64_t x = 1;
    for (auto& e : t) {
        e = x;
        x *= 10;
    }
    return t;
}();

/// Number of decimal digits of `v` (1 for 0), without a branch: from the bit length (bits * 1233 / 4096
/// is floor(bits * log10 2), at most one less than the digit count), then one comparison.
[[gnu::always_inline]] inline unsigned decimal_digits(std::uint64_t v) noexcept {
    const auto bits = static_cast<unsigned>(64 - __builtin_clzll(v | 1));
    const unsigned t = (bits * 1233) >> 12;
    return t + static_cast<unsigned>((v | 1) >= kPowersOf10[t]);  // v | 1: 0 has one digit
}

/// Writes the `n` (>= 1) low decimal digits of `v` ending at `end`, two at a time.
/// Once the rest fits 32 bits the steps use 32-bit division by 100 (a short multiply, not a 64-bit one).
/// `n` must be at least the digit count of `v` (zero-padded to n digits): the 32-bit steps take the
/// rest of v whole.
[[gnu::always_inline]] inline void put_digits_backwards(char* end, std::uint64_t v, unsigned n) noexcept {
    assert(n >= decimal_digits(v));
    while (n >= 2 && v > UINT32_MAX) {
        end -= 2;
        std::memcpy(end, kDigitPairs + 2 * (v % 100), 2);
        v /= 100;
        n -= 2;
    }
    auto w = static_cast<std::uint32_t>(v);
    while (n >= 2) {
        end -= 2;
        std::memcpy(end, kDigitPairs + 2 * (w % 100), 2);
        w /= 100;
        n -= 2;
    }
    if (n == 1) end[-1] = static_cast<char>('0' + w % 10);
}

/// The 8 decimal digits of `v` < 10^8, leading zeros included, as ASCII in one word: the first digit
/// in the lowest byte (so a little-endian store writes them in order). Lane arithmetic (SWAR): the two
/// 4-digit halves in 32-bit lanes, each split by 100 into 16-bit lanes, each of those by 10 into
/// bytes; the multiply-shift divisions are exact in these ranges (x * 10486 >> 20 = x / 100 for
/// x < 43,699; x * 103 >> 10 = x / 10 for x < 179), and no lane's product reaches the next lane.
[[gnu::always_inline]] inline std::uint64_t digits8(std::uint32_t v) noexcept {
    const std::uint64_t y = (v / 10000) | (std::uint64_t{v % 10000} << 32);
    const std::uint64_t hundreds = ((y * 10486) >> 20) & 0x0000007F0000007FULL;
    const std::uint64_t z = hundreds | ((y - hundreds * 100) << 16);
    const std::uint64_t tens = ((z * 103) >> 10) & 0x000F000F000F000FULL;
    return (tens | ((z - tens * 10) << 8)) + 0x3030303030303030ULL;
}

/// The last `n` (2..8) digits of `digits8()` output `d` at `p` (exactly n bytes written).
[[gnu::always_inline]] inline char* put_digits8_tail(char* p, std::uint64_t d, unsigned n) noexcept {
    assert(n >= 2 && n <= 8);
    d >>= 8 * (8 - n);  // the first of the n digits to the lowest byte
    if (n >= 4) {
        const auto first = static_cast<std::uint32_t>(d);
        const auto last = static_cast<std::uint32_t>(d >> (8 * (n - 4)));
        std::memcpy(p, &first, 4);
        std::memcpy(p + n - 4, &last, 4);
    } else {
        const auto first = static_cast<std::uint16_t>(d);
        std::memcpy(p, &first, 2);  // n >= 2: put_u64 writes one-digit values itself
        p[n - 1] = static_cast<char>(d >> (8 * (n - 1)));
    }
    return p + n;
}

/// v >= 10 (put_u64 writes smaller values): up to 16 digits in one or two words, more digit pair by pair.
inline char* put_u64_long(char* p, std::uint64_t v) noexcept {
    assert(v >= 10);
    constexpr std::uint64_t k1e8 = 100'000'000;
    if constexpr (std::endian::native != std::endian::little) {  // the words are stored as they are
        const unsigned n = decimal_digits(v);
        put_digits_backwards(p + n, v, n);
        return p + n;
    }
    if (v < k1e8) return put_digits8_tail(p, digits8(static_cast<std::uint32_t>(v)), decimal_digits(v));
    if (v < k1e8 * k1e8) {
        const auto high = static_cast<std::uint32_t>(v / k1e8);
        const auto low = static_cast<std::uint32_t>(v % k1e8);
        if (high < 10) {
            *p++ = static_cast<char>('0' + high);  // nine digits: an MMSI
        } else {
            p = put_digits8_tail(p, digits8(high), decimal_digits(high));
        }
        const std::uint64_t d = digits8(low);
        std::memcpy(p, &d, 8);
        return p + 8;
    }
    const unsigned n = decimal_digits(v);
    put_digits_backwards(p + n, v, n);
    return p + n;
}

/// Most AIS values have one or two digits: those without a call.
[[gnu::always_inline]] inline char* put_u64(char* p, std::uint64_t v) noexcept {
    if (v < 10) {
        *p = static_cast<char>('0' + v);
        return p + 1;
    }
    if (v < 100) {
        std::memcpy(p, kDigitPairs + 2 * v, 2);
        return p + 2;
    }
    return put_u64_long(p, v);
}

[[gnu::always_inline]] inline char* put_i64(char* p, std::int64_t v) noexcept {
    if (v < 0) {
        *p++ = '-';
        return put_u64(p, static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(v));
    }
    return put_u64(p, static_cast<std::uint64_t>(v));
}

/// Zero-padded to at least `width` digits (printf %0Nu).
inline char* put_u64_pad(char* p, std::uint64_t v, int width) noexcept {
    unsigned n = decimal_digits(v);
    if (n < static_cast<unsigned>(width)) n = static_cast<unsigned>(width);
    put_digits_backwards(p + n, v, n);
    return p + n;
}

/// 10^k for k = 0..9.
[[nodiscard]] constexpr std::int32_t pow10_i32(unsigned k) noexcept {
    std::int32_t x = 1;
    for (unsigned i = 0; i < k; ++i) x *= 10;
    return x;
}

/// value / 10^decimals, exactly (value is an integer count of the last decimal place).
inline char* put_fixed(char* p, std::int64_t value, int decimals) noexcept {
    const std::uint64_t a = value < 0 ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(value)
                                      : static_cast<std::uint64_t>(value);
    if (value < 0) *p++ = '-';
    if (decimals == 0) return put_u64(p, a);
    if (decimals == 1) {  // tenths: speed, course, draught
        p = put_u64(p, a / 10);
        p[0] = '.';
        p[1] = static_cast<char>('0' + a % 10);
        return p + 2;
    }
    std::uint64_t scale = 1;
    for (int k = 0; k < decimals; ++k) scale *= 10;
    p = put_u64(p, a / scale);
    *p++ = '.';
    put_digits_backwards(p + decimals, a % scale, static_cast<unsigned>(decimals));
    return p + decimals;
}

/// printf("%.Nf", v) exactly: to_chars rounds the exact binary value, as glibc does.
inline char* put_double(char* p, double v, int decimals) noexcept {
    auto r = std::to_chars(p, p + 64, v, std::chars_format::fixed, decimals);
    return r.ptr;
}

/// 1/10000 minute -> degrees with 6 decimals, identical to printf("%.6f", v / 600000.0):
/// degrees * 10^6 = v * 5 / 3, whose fraction is 0, 1/3 or 2/3, so never a rounding tie.
inline char* put_latlon_1e4min(char* p, std::int32_t v) noexcept {
    constexpr std::uint64_t kMicro = 1000000;
    const std::int64_t a = v < 0 ? -static_cast<std::int64_t>(v) : v;
    const auto micro = static_cast<std::uint64_t>((5 * a + 1) / 3);
    if (v < 0 && micro != 0) *p++ = '-';
    const std::uint64_t degrees = micro / kMicro;  // 0-181
    const auto frac = static_cast<std::uint32_t>(micro - degrees * kMicro);
    p = put_u64(p, degrees);
    const std::uint32_t hi = frac / 10000, rest = frac % 10000;
    p[0] = '.';
    std::memcpy(p + 1, kDigitPairs + 2 * hi, 2);
    std::memcpy(p + 3, kDigitPairs + 2 * (rest / 100), 2);
    std::memcpy(p + 5, kDigitPairs + 2 * (rest % 100), 2);
    return p + 7;
}

/// Characters a JSON string body cannot hold as they are: '"', '\\', controls and non-ASCII.
struct EscapeTable {
    std::array<bool, 256> v{};
    constexpr EscapeTable() {
        for (unsigned c = 0; c < 256; ++c) v[c] = c < 0x20 || c >= 0x7F || c == '"' || c == '\\';
    }
};
inline constexpr EscapeTable kEscape{};

/// Whether `s` can be written into a JSON string as it is.
[[nodiscard]] constexpr bool plain_json(std::string_view s) noexcept {
    for (const char c : s)
        if (kEscape.v[static_cast<unsigned char>(c)]) return false;
    return true;
}

/// Non-zero when one of the 8 bytes of `x` needs escaping in a JSON string (SWAR: a byte below
/// 0x20, equal to '"', '\\' or 0x7F, or with the high bit set). The test is exact for the word as a
/// whole (a borrow can only follow a byte that already matched).
[[gnu::always_inline]] inline std::uint64_t needs_escape8(std::uint64_t x) noexcept {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    const std::uint64_t below_space = (x - 0x20 * kOnes) & ~x & kHigh;
    return below_space | (x & kHigh) | has_zero(x ^ ('"' * kOnes)) | has_zero(x ^ ('\\' * kOnes)) |
           has_zero(x ^ (0x7F * kOnes));
}

/// JSON string body with gpsd's escaping of '"', '\\' and control characters (DEL included). Bytes
/// 0x80-0xFF are UTF-8: a well-formed sequence is written as it is, each maximal ill-formed subpart
/// as U+FFFD (util/text.hpp), so a device path or a tag block's station that is not UTF-8 still gives
/// valid JSON in UTF-8. At most 6 bytes per byte of `s` (`\u00XX`).
inline char* put_escaped(char* p, std::string_view s) noexcept {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {  // the common case: nothing to escape, 8 bytes at a time
        std::uint64_t x;
        std::memcpy(&x, s.data() + i, 8);
        if (needs_escape8(x) != 0) break;
        std::memcpy(p, &x, 8);
        p += 8;
    }
    if (i < s.size() && i + 8 > s.size() && s.size() >= 8) {
        // All words clean and 1-7 bytes left: the last 8 bytes, overlapping what was written (with
        // the same bytes), in one step when they are clean too.
        std::uint64_t x;
        std::memcpy(&x, s.data() + s.size() - 8, 8);
        if (needs_escape8(x) == 0) {
            const std::size_t rest = s.size() - i;
            std::memcpy(p + rest - 8, &x, 8);
            return p + rest;
        }
    }
    for (; i < s.size(); ++i) {
        const char c = s[i];
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = c;
        } else if (u >= 0x80) {
            const int len = utf8_sequence_at(s.substr(i));
            if (len > 0) {
                std::memcpy(p, s.data() + i, static_cast<std::size_t>(len));
                p += len;
                i += static_cast<std::size_t>(len) - 1;
            } else {
                p = put(p, kReplacementCharacter);
                i += static_cast<std::size_t>(-len) - 1;
            }
        } else if (u < 0x20 || u == 0x7F) {
            static constexpr char kHex[] = "0123456789abcdef";
            p = put(p, "\\u00");
            *p++ = kHex[u >> 4];
            *p++ = kHex[u & 15];
        } else {
            *p++ = c;
        }
    }
    return p;
}

}  // namespace vw::ais::fmt
