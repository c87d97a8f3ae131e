// Private: hand-written number and string formatting for the JSON and CSV writers (no snprintf on
// the hot path). Every function writes at `p` and returns the new end; callers reserve space first.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace vw::ais::fmt {

inline char* put(char* p, std::string_view s) noexcept {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

inline char* put_u64(char* p, std::uint64_t v) noexcept {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) *p++ = tmp[--n];
    return p;
}

inline char* put_i64(char* p, std::int64_t v) noexcept {
    if (v < 0) {
        *p++ = '-';
        return put_u64(p, static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(v));
    }
    return put_u64(p, static_cast<std::uint64_t>(v));
}

/// Zero-padded to at least `width` digits (printf %0Nu).
inline char* put_u64_pad(char* p, std::uint64_t v, int width) noexcept {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < width) tmp[n++] = '0';
    while (n > 0) *p++ = tmp[--n];
    return p;
}

/// value / 10^decimals, exactly (value is an integer count of the last decimal place).
inline char* put_fixed(char* p, std::int64_t value, int decimals) noexcept {
    std::uint64_t a = value < 0 ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(value)
                                : static_cast<std::uint64_t>(value);
    if (value < 0) *p++ = '-';
    std::uint64_t scale = 1;
    for (int k = 0; k < decimals; ++k) scale *= 10;
    p = put_u64(p, a / scale);
    if (decimals > 0) {
        *p++ = '.';
        p = put_u64_pad(p, a % scale, decimals);
    }
    return p;
}

/// printf("%.Nf", v) exactly: to_chars rounds the exact binary value, as glibc does.
inline char* put_double(char* p, double v, int decimals) noexcept {
    auto r = std::to_chars(p, p + 64, v, std::chars_format::fixed, decimals);
    return r.ptr;
}

/// 1/10000 minute -> degrees with 6 decimals, identical to printf("%.6f", v / 600000.0):
/// degrees * 10^6 = v * 5 / 3, whose fraction is 0, 1/3 or 2/3, so never a rounding tie.
inline char* put_latlon_1e4min(char* p, std::int32_t v) noexcept {
    const std::int64_t a = v < 0 ? -static_cast<std::int64_t>(v) : v;
    const std::int64_t micro = (5 * a + 1) / 3;
    return put_fixed(p, v < 0 ? -micro : micro, 6);
}

/// JSON string body with gpsd's escaping of '"', '\\' and control characters.
inline char* put_escaped(char* p, std::string_view s) noexcept {
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = c;
        } else if (u < 0x20 || u >= 0x7F) {
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
