// libFuzzer target: tag block parsing, both as a framed block ("\...*hh\") and as a bare body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vesselwatch/nmea/checksum.hpp"
#include "vesselwatch/nmea/tagblock.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    vw::nmea::TagBlock tb;
    const auto r = vw::nmea::parse_tagblock(in, tb);
    if (!r.issue && (r.consumed < 5 || r.consumed > in.size())) std::abort();
    vw::nmea::TagBlock tb2;
    (void)vw::nmea::parse_tagblock(in, tb2, vw::nmea::TagBlockChecksum::ignore);

    // Frame the input with a correct checksum so the field parser is reached for every input.
    std::string framed = "\\";
    framed.append(in.substr(0, in.find_first_of("*\\")));
    const std::uint8_t x = vw::nmea::xor_checksum(std::string_view(framed).substr(1));
    framed += '*';
    framed += vw::nmea::hex_digit_upper(x >> 4);
    framed += vw::nmea::hex_digit_upper(x & 0x0F);
    framed += '\\';
    vw::nmea::TagBlock tb3;
    const auto r3 = vw::nmea::parse_tagblock(framed, tb3);
    if (r3.issue == vw::Issue::bad_tagblock_checksum) std::abort();
    if (!r3.issue && tb3.group.present() && (tb3.group.sequence > tb3.group.total || tb3.group.id.empty()))
        std::abort();
    return 0;
}
