// Encoder: struct -> bits, driven by the same visit() field lists as the decoder.
#include "vesselwatch/ais/encode.hpp"

#include <algorithm>
#include <type_traits>

#include "bit_encoder.hpp"

namespace vw::ais {

template <class M>
EncodeStatus encode(const M& m, Payload& out) {
    if constexpr (std::is_same_v<M, StaticDataB>) {
        if (m.merged) return EncodeStatus::merged_type24;
    }
    out.bytes.fill(0);
    detail::BitEncoder e(out.bytes.data(), kMaxPayloadBits);
    visit(e, m, static_cast<M*>(nullptr));
    if (e.overflow()) {
        out.nbits = 0;
        return EncodeStatus::too_long;
    }
    out.nbits = e.end();
    return EncodeStatus::ok;
}

EncodeStatus encode(const Message& m, Payload& out) {
    return std::visit([&out](const auto& x) { return encode(x, out); }, m);
}

#define VW_AIS_INSTANTIATE(T) template EncodeStatus encode<T>(const T&, Payload&);
VW_AIS_FOR_EACH_MESSAGE(VW_AIS_INSTANTIATE)
#undef VW_AIS_INSTANTIATE

void encode_app(const App& app, BitData& data) noexcept {
    detail::BitEncoder::encode_app(app, data);
}

Armored armor(const Payload& p, std::span<char> out) noexcept {
    const std::size_t nchars = (p.nbits + 5) / 6;
    if (out.size() < nchars) return {};
    const BitReader r(p);
    for (std::size_t i = 0; i < nchars; ++i) {
        out[i] = armor_char(static_cast<unsigned>(r.u(6 * i, 6)));
    }
    return {nchars, static_cast<unsigned>(nchars * 6 - p.nbits)};
}

std::string armor_string(const Payload& p, unsigned& fill_bits) {
    std::string s(kMaxArmoredChars, '\0');
    const Armored a = armor(p, s);
    s.resize(a.size);
    fill_bits = a.fill_bits;
    return s;
}

std::pair<StaticDataB, StaticDataB> split_type24(const StaticDataB& merged) {
    StaticDataB a;
    static_cast<Header&>(a) = merged;
    a.partno = 0;
    a.shipname = merged.shipname;
    StaticDataB b = merged;
    b.merged = false;
    b.shipname = {};
    return {a, b};
}

}  // namespace vw::ais
