// Bit-level access to AIS payloads. A payload is held as packed bytes, most significant bit
// first (bit 0 of the message is the top bit of byte 0), exactly as ITU-R M.1371 numbers bits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vw::ais {

/// Largest payload we accept, in bits: 5 slots are 1008 bits; some receivers concatenate sloppily,
/// so keep generous headroom while staying bounded.
inline constexpr std::size_t kMaxPayloadBits = 2048;
/// +16: 64-bit reads past the last byte and the unarmorer's 16-character blocks stay in bounds.
inline constexpr std::size_t kMaxPayloadBytes = kMaxPayloadBits / 8 + 16;

/// The 6-bit value of an armored payload character, or 0xFF when the character is not in the
/// armoring alphabet ('0'..'W' and '`'..'w').
constexpr std::uint8_t unarmor_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    if (u < 48 || u > 119 || (u > 87 && u < 96)) return 0xFF;
    const unsigned v = u - 48u;
    return static_cast<std::uint8_t>(v > 40 ? v - 8 : v);
}

/// The armoring character for a 6-bit value (0..63).
constexpr char armor_char(unsigned v) noexcept {
    return static_cast<char>(v < 40 ? v + 48 : v + 56);
}

/// AIS 6-bit text: value -> ASCII ('@' is 0, space is 32).
constexpr char sixbit_ascii(unsigned v) noexcept {
    return static_cast<char>(v < 32 ? v + 64 : v);
}
/// ASCII -> AIS 6-bit value; characters outside the table map to '?' (63)... callers upper-case first.
constexpr unsigned ascii_sixbit(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 64 && u < 96) return u - 64;
    if (u >= 32 && u < 64) return u;
    if (u >= 96 && u < 128) return u - 96;  // lower case folds to upper case
    return 63;
}

/// A decoded payload: packed bits plus their count.
struct Payload {
    alignas(8) std::array<std::uint8_t, kMaxPayloadBytes> bytes{};
    std::size_t nbits = 0;
};

/// Read-only view of packed bits. Reads past the end return zero bits (never out of bounds);
/// callers check lengths first where the distinction matters.
class BitReader {
public:
    BitReader(const std::uint8_t* bytes, std::size_t nbits) noexcept : bytes_(bytes), nbits_(nbits) {}
    explicit BitReader(const Payload& p) noexcept : bytes_(p.bytes.data()), nbits_(p.nbits) {}

    [[nodiscard]] std::size_t size() const noexcept { return nbits_; }

    /// Unsigned field of `width` bits (1..57) starting at bit `pos`.
    [[nodiscard]] std::uint64_t u(std::size_t pos, unsigned width) const noexcept {
        if (pos >= nbits_) return 0;
        const std::size_t byte = pos >> 3;
        std::uint64_t w = 0;
        // big-endian 64-bit load; the buffer has 8 bytes of headroom past kMaxPayloadBits.
        for (unsigned k = 0; k < 8; ++k) w = (w << 8) | bytes_[byte + k];
        w <<= (pos & 7u);
        std::uint64_t v = w >> (64u - width);
        if (pos + width > nbits_) {  // zero the bits past the end
            const std::size_t missing = pos + width - nbits_;
            v = missing >= width ? 0 : (v >> missing) << missing;
        }
        return v;
    }
    /// Two's-complement signed field.
    [[nodiscard]] std::int64_t s(std::size_t pos, unsigned width) const noexcept {
        const std::uint64_t v = u(pos, width);
        const std::uint64_t sign = std::uint64_t{1} << (width - 1);
        return static_cast<std::int64_t>(v ^ sign) - static_cast<std::int64_t>(sign);
    }
    [[nodiscard]] bool b(std::size_t pos) const noexcept { return u(pos, 1) != 0; }

    /// 6-bit text of `nchars` characters into `out` (not terminated); returns the count written,
    /// with trailing '@' padding and trailing spaces removed, as gpsd does.
    std::size_t text(std::size_t pos, std::size_t nchars, char* out) const noexcept {
        std::size_t n = 0;
        for (std::size_t k = 0; k < nchars; ++k)
            out[n++] = sixbit_ascii(static_cast<unsigned>(u(pos + 6 * k, 6)));
        // '@' terminates the string
        for (std::size_t k = 0; k < n; ++k)
            if (out[k] == '@') {
                n = k;
                break;
            }
        while (n > 0 && out[n - 1] == ' ') --n;
        return n;
    }

private:
    const std::uint8_t* bytes_;
    std::size_t nbits_;
};

/// Append-only packed bit writer for the encoder.
class BitWriter {
public:
    explicit BitWriter(Payload& p) noexcept : p_(p) {
        p_.bytes.fill(0);
        p_.nbits = 0;
    }
    /// Writes the low `width` bits of `v`. Bits past kMaxPayloadBits are dropped (callers size first).
    void u(std::uint64_t v, unsigned width) noexcept {
        for (unsigned k = width; k-- > 0;) bit(((v >> k) & 1u) != 0);
    }
    void s(std::int64_t v, unsigned width) noexcept { u(static_cast<std::uint64_t>(v), width); }
    void b(bool v) noexcept { bit(v); }
    /// `nchars` 6-bit characters; shorter text is padded with '@' (0).
    void text(std::string_view t, std::size_t nchars) noexcept {
        for (std::size_t k = 0; k < nchars; ++k) u(k < t.size() ? ascii_sixbit(t[k]) : 0, 6);
    }
    [[nodiscard]] std::size_t size() const noexcept { return p_.nbits; }

private:
    void bit(bool v) noexcept {
        if (p_.nbits >= kMaxPayloadBits) return;
        if (v) p_.bytes[p_.nbits >> 3] |= static_cast<std::uint8_t>(0x80u >> (p_.nbits & 7u));
        ++p_.nbits;
    }
    Payload& p_;
};

}  // namespace vw::ais
