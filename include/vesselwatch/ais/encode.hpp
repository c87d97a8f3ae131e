// Typed message -> payload bits -> armored string + fill bits, through the same field visitors as the
// decoder. Sentence framing (!AIVDM,...) belongs to the NMEA layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "vesselwatch/ais/bits.hpp"
#include "vesselwatch/ais/messages.hpp"

namespace vw::ais {

enum class EncodeStatus : std::uint8_t {
    ok,
    too_long,       // more than kMaxPayloadBits
    merged_type24,  // a merged 24A+24B record is two payloads: encode parts A and B separately
};

/// Encodes `m` into `out` (replacing its contents).
[[nodiscard]] EncodeStatus encode(const Message& m, Payload& out);

template <class M>
[[nodiscard]] EncodeStatus encode(const M& m, Payload& out);

/// Writes the fields of a decoded application over the raw data bits of a message 6 or 8 (after
/// changing the application). Empty data gets the application's nominal length.
void encode_app(const App& app, BitData& data) noexcept;

/// Largest armored payload, in characters.
inline constexpr std::size_t kMaxArmoredChars = (kMaxPayloadBits + 5) / 6;

struct Armored {
    std::size_t size = 0;    // characters written
    unsigned fill_bits = 0;  // 0..5
};

/// Armors `p` into `out` (at least ceil(nbits / 6) characters, kMaxArmoredChars always suffices).
/// Returns size 0 when `out` is too small.
[[nodiscard]] Armored armor(const Payload& p, std::span<char> out) noexcept;

/// Convenience for tests and tools: armored string; fill bits in `fill_bits`.
[[nodiscard]] std::string armor_string(const Payload& p, unsigned& fill_bits);

/// Splits a merged type 24 record (gpsd's paired output) into its part A and part B.
[[nodiscard]] std::pair<StaticDataB, StaticDataB> split_type24(const StaticDataB& merged);

}  // namespace vw::ais
