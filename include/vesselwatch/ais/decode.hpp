// Armored payload -> typed message. Compile-time dispatch: decode() switches on the message type and
// calls the handler with the concrete struct; no allocation, no virtual calls.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

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

/// unarmor_char as a table (0xFF = not in the alphabet).
struct UnarmorTable {
    std::array<std::uint8_t, 256> v{};
    constexpr UnarmorTable() {
        for (unsigned c = 0; c < 256; ++c) v[c] = unarmor_char(static_cast<char>(c));
    }
};
inline constexpr UnarmorTable kUnarmor{};

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
    const auto* s = reinterpret_cast<const unsigned char*>(armored.data());
    std::uint8_t* b = bytes;
    std::size_t i = 0;
    std::uint8_t bad = 0;
    for (; i + 4 <= n; i += 4) {  // 4 characters -> 3 bytes
        const std::uint8_t c0 = kUnarmor.v[s[i]], c1 = kUnarmor.v[s[i + 1]];
        const std::uint8_t c2 = kUnarmor.v[s[i + 2]], c3 = kUnarmor.v[s[i + 3]];
        bad |= static_cast<std::uint8_t>((c0 | c1 | c2 | c3) & 0xC0);
        const std::uint32_t w =
            (std::uint32_t{c0} << 18) | (std::uint32_t{c1} << 12) | (std::uint32_t{c2} << 6) | c3;
        *b++ = static_cast<std::uint8_t>(w >> 16);
        *b++ = static_cast<std::uint8_t>(w >> 8);
        *b++ = static_cast<std::uint8_t>(w);
    }
    std::uint32_t acc = 0;
    unsigned accbits = 0;
    for (; i < n; ++i) {
        const std::uint8_t c = kUnarmor.v[s[i]];
        bad |= static_cast<std::uint8_t>(c & 0xC0);
        acc = (acc << 6) | (c & 0x3Fu);
        accbits += 6;
        if (accbits >= 8) {
            accbits -= 8;
            *b++ = static_cast<std::uint8_t>(acc >> accbits);
        }
    }
    if (accbits > 0) *b++ = static_cast<std::uint8_t>(acc << (8 - accbits));
    for (unsigned k = 0; k < 8; ++k) *b++ = 0;  // keep 64-bit reads past the end clean
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

/// BitReader with one unaligned 64-bit load per field (same semantics as bits.hpp's BitReader).
class FastBitReader {
public:
    FastBitReader(const std::uint8_t* bytes, std::size_t nbits) noexcept : bytes_(bytes), nbits_(nbits) {}
    [[nodiscard]] std::size_t size() const noexcept { return nbits_; }
    [[nodiscard]] std::uint64_t u(std::size_t pos, unsigned width) const noexcept {
        if (pos >= nbits_) return 0;
        std::uint64_t w;
        std::memcpy(&w, bytes_ + (pos >> 3), sizeof w);
        if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
        w <<= (pos & 7u);
        std::uint64_t v = w >> (64u - width);
        if (pos + width > nbits_) {
            const std::size_t missing = pos + width - nbits_;
            v = missing >= width ? 0 : (v >> missing) << missing;
        }
        return v;
    }
    [[nodiscard]] bool b(std::size_t pos) const noexcept { return u(pos, 1) != 0; }
    std::size_t text(std::size_t pos, std::size_t nchars, char* out) const noexcept {
        return BitReader(bytes_, nbits_).text(pos, nchars, out);
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

/// Visitor: bits -> struct.
class BitDecoder {
public:
    BitDecoder(const std::uint8_t* bytes, std::size_t nbits) noexcept : r_(bytes, nbits) {}

    template <class M>
    void header(M& m) const noexcept {
        m.type = static_cast<std::uint8_t>(r_.u(0, 6));
        m.repeat = static_cast<std::uint8_t>(r_.u(6, 2));
        m.mmsi = static_cast<std::uint32_t>(r_.u(8, 30));
    }

    template <class T>
    requires std::is_integral_v<T>
    [[gnu::always_inline]] void operator()(const Field& f, T& x) const noexcept {
        if ((f.flags & kNoAir) != 0 || f.width == 0) {
            x = T{};
            return;
        }
        set_int(x, r_.u(f.pos, f.width), f.width);
    }

    template <std::size_t N>
    void operator()(const Field& f, Text<N>& t) const noexcept {
        if ((f.flags & kNoAir) != 0) return;
        std::size_t nchars = f.width / 6u;
        if (f.width == 0) nchars = r_.size() > f.pos ? (r_.size() - f.pos) / 6u : 0u;
        if (nchars > N) nchars = N;
        t.c.fill('\0');
        t.n = static_cast<std::uint8_t>(r_.text(f.pos, nchars, t.c.data()));
        std::fill(t.c.begin() + t.n, t.c.end(), '\0');
    }

    /// Tail data: from f.pos to the end of the payload minus f.width reserved bits.
    void operator()(const Field& f, BitData& d) const noexcept {
        const std::size_t end = r_.size() > f.width ? r_.size() - f.width : 0;
        std::size_t n = end > f.pos ? end - f.pos : 0;
        if (n > kMaxDataBits) n = kMaxDataBits;
        d.bytes.fill(0);
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
        decode_app(app, app_index(msg_type, dac, fid, d.nbits), d);
    }

    static void decode_app(App& app, std::size_t index, const BitData& d) {
        const BitDecoder sub(d.bytes.data(), d.nbits);
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
            default:
                app.emplace<std::monostate>();
                break;
        }
    }

private:
    FastBitReader r_;
};

/// Checks the length of a payload for message type `type`; sets `res.issue`.
[[nodiscard]] inline bool check_length(const std::uint8_t* bytes, std::size_t nbits, unsigned type,
                                       DecodeResult& res) noexcept {
    const FastBitReader r(bytes, nbits);
    const LengthRule rule = length_rule(type, type == 24 ? static_cast<unsigned>(r.u(38, 2)) : 0u);
    if (type == 24 && r.u(38, 2) > 1) {  // part numbers 2 and 3 are not defined
        res.issue = Issue::unknown_type;
        return false;
    }
    if (nbits < rule.min_bits) {
        res.issue = Issue::short_payload;
        return false;
    }
    if (nbits > rule.max_bits || (type == 27 && nbits != 96 && nbits != 168)) {
        res.issue = Issue::long_payload;
        return false;
    }
    if (type == 25 || type == 26) {  // the addressed/structured flags say how much header follows
        const std::size_t need = (type == 25 ? 40u : 60u) + 30u * r.u(38, 1) + 16u * r.u(39, 1);
        if (nbits < need) {
            res.issue = Issue::short_payload;
            return false;
        }
    }
    if (rule.nominal_bits != 0 && nbits != rule.nominal_bits) res.issue = Issue::nonstandard_length;
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
        if (!check_length(bytes, nbits, res.type, res)) return;
        T m{};
        const BitDecoder d(bytes, nbits);
        visit(d, m, tag);
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
