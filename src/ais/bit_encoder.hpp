// Private: the encoding visitor (struct -> bits at absolute positions), shared by encode.cpp and
// the JSON reader (which rebuilds application data bits from JSON fields).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "vesselwatch/ais/bits.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/messages.hpp"

namespace vw::ais::detail {

class BitEncoder {
public:
    BitEncoder(std::uint8_t* bytes, std::size_t capacity_bits) noexcept : b_(bytes), cap_(capacity_bits) {}

    [[nodiscard]] std::size_t end() const noexcept { return end_; }
    [[nodiscard]] bool overflow() const noexcept { return overflow_; }

    /// Writes the low `width` bits of `v` at `pos`, overwriting what was there.
    void put(std::size_t pos, unsigned width, std::uint64_t v) noexcept {
        if (width == 0) return;
        if (pos + width > cap_) {
            overflow_ = true;
            return;
        }
        for (unsigned k = 0; k < width; ++k) {
            const std::size_t bit = pos + k;
            const auto mask = static_cast<std::uint8_t>(0x80u >> (bit & 7u));
            if (((v >> (width - 1 - k)) & 1u) != 0) {
                b_[bit >> 3] |= mask;
            } else {
                b_[bit >> 3] &= static_cast<std::uint8_t>(~mask);
            }
        }
        end_ = std::max(end_, pos + width);
    }

    template <class M>
    void header(const M& m) noexcept {
        put(0, 6, m.type);
        put(6, 2, m.repeat);
        put(8, 30, m.mmsi);
    }

    template <class T>
    requires std::is_integral_v<T>
    void operator()(const Field& f, const T& x) noexcept {
        if ((f.flags & kNoAir) != 0) return;
        put(f.pos, f.width, static_cast<std::uint64_t>(x));
    }

    template <std::size_t N>
    void operator()(const Field& f, const Text<N>& t) noexcept {
        if ((f.flags & kNoAir) != 0) return;
        const std::size_t nchars = f.width != 0 ? f.width / 6u : t.size();
        for (std::size_t k = 0; k < nchars; ++k) {
            put(f.pos + 6 * k, 6, k < t.size() ? ascii_sixbit(t.c[k]) : 0u);
        }
    }

    void operator()(const Field& f, const BitData& d) noexcept {
        std::size_t k = 0;
        for (; k + 8 <= d.nbits; k += 8) put(f.pos + k, 8, d.bytes[k / 8]);
        if (k < d.nbits) {
            const auto w = static_cast<unsigned>(d.nbits - k);
            put(f.pos + k, w, static_cast<unsigned>(d.bytes[k / 8] >> (8 - w)));
        }
        if (d.nbits == 0) end_ = std::max(end_, static_cast<std::size_t>(f.pos));
    }

    void count(std::size_t, std::size_t, std::size_t, const std::uint8_t&, Entries = {}) const noexcept {}
    void discriminator(const Field&, const bool&) const noexcept {}

    void part24(const Field& f, const std::uint8_t& partno, const bool&) noexcept {
        put(f.pos, f.width, partno);
    }

    template <std::size_t N>
    void aton_name(const Field& f, const Text<N>& t) noexcept {
        for (std::size_t k = 0; k < 20; ++k) put(f.pos + 6 * k, 6, k < t.size() ? ascii_sixbit(t.c[k]) : 0u);
        if (t.size() > 20) {
            const std::size_t ext = t.size() - 20;
            for (std::size_t k = 0; k < ext; ++k) put(kAtonNameExtPos + 6 * k, 6, ascii_sixbit(t.c[20 + k]));
            const std::size_t end_bits = kAtonNameExtPos + 6 * ext;
            put(end_bits, static_cast<unsigned>((8 - end_bits % 8) % 8), 0);  // spare to the byte boundary
        }
    }

    /// Data bits, with the application (when decoded) written over them first. An application that
    /// is exactly what the data bits decode to is a view of them: the bits are kept as they are (text
    /// stops at '@' and loses trailing spaces, so writing it back could change bits after it).
    void binary(const Field& f, const BitData& d, const App& app, unsigned, unsigned, unsigned) noexcept {
        if (std::holds_alternative<std::monostate>(app)) {
            (*this)(f, d);
            return;
        }
        App view;
        BitDecoder::decode_app(view, app.index(), d);
        if (view == app) {  // also keeps a met-hydro message with no data bits at 0 bits
            (*this)(f, d);
            return;
        }
        BitData tmp = d;
        encode_app(app, tmp);
        (*this)(f, tmp);
    }

    /// Writes the fields of `app` over `d`. Empty data (from JSON) gets the application's nominal
    /// length; otherwise the length is kept (fields past it were decoded as zero bits).
    static void encode_app(const App& app, BitData& d) noexcept {
        const bool keep_length = d.nbits != 0;
        BitEncoder sub(d.bytes.data(), kMaxDataBits);
        std::visit(
            [&sub](const auto& a) {
                using A = std::decay_t<decltype(a)>;
                if constexpr (!std::is_same_v<A, std::monostate>) visit_app(sub, a, static_cast<A*>(nullptr));
            },
            app);
        if (!keep_length) {
            d.nbits = std::visit(
                [](const auto& a) -> std::uint16_t {
                    using A = std::decay_t<decltype(a)>;
                    if constexpr (std::is_same_v<A, std::monostate>) {
                        return 0;
                    } else {
                        return A::kNominalBits;
                    }
                },
                app);
            d.nbits = static_cast<std::uint16_t>(std::max<std::size_t>(d.nbits, sub.end()));
        }
        // bits written past the kept length must not leak into the pad bits
        if (keep_length) {
            for (std::size_t k = d.nbytes(); k < d.bytes.size(); ++k) d.bytes[k] = 0;
            if (d.nbits % 8 != 0) d.bytes[d.nbits / 8] &= static_cast<std::uint8_t>(0xFF00u >> (d.nbits % 8));
        }
    }

private:
    std::uint8_t* b_;
    std::size_t cap_;
    std::size_t end_ = 0;
    bool overflow_ = false;
};

}  // namespace vw::ais::detail
