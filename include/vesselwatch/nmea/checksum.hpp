// NMEA 0183 checksums: the XOR of every character between the start delimiter ('!', '$' or '\')
// and the '*', written as two hexadecimal digits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vw::nmea {

/// XOR of all bytes of `s`.
[[nodiscard]] constexpr std::uint8_t xor_checksum(std::string_view s) noexcept {
    std::uint8_t x = 0;
    for (const char c : s) x ^= static_cast<std::uint8_t>(c);
    return x;
}

/// Value of one hexadecimal digit (either case), or -1.
[[nodiscard]] constexpr int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

namespace detail {
/// hex_digit_value() of every byte, as a table (-1 for non-hex bytes): one load per digit.
inline constexpr std::array<std::int8_t, 256> kHexValue = [] {
    std::array<std::int8_t, 256> t{};
    for (std::size_t c = 0; c < t.size(); ++c) t[c] = static_cast<std::int8_t>(hex_digit_value(static_cast<char>(c)));
    return t;
}();
}  // namespace detail

/// Parses exactly two hex digits at `s[0..1]`; returns -1 when `s` is shorter or not hex.
[[nodiscard]] constexpr int parse_hex_byte(std::string_view s) noexcept {
    if (s.size() < 2) return -1;
    const int hi = detail::kHexValue[static_cast<unsigned char>(s[0])];
    const int lo = detail::kHexValue[static_cast<unsigned char>(s[1])];
    if ((hi | lo) < 0) return -1;
    return hi * 16 + lo;
}

/// Upper-case hex digit for the writer.
[[nodiscard]] constexpr char hex_digit_upper(unsigned v) noexcept {
    return static_cast<char>(v < 10 ? '0' + v : 'A' + (v - 10));
}

}  // namespace vw::nmea
