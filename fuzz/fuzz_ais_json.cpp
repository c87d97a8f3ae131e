// libFuzzer: bytes -> NDJSON reader -> encode -> armor -> decode -> JSON writer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/encode.hpp"
#include "vesselwatch/ais/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static vw::ais::JsonReader reader;
    static vw::OutBuffer out;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    vw::ais::Message m;
    if (!reader.read(line, m).ok) return 0;
    out.clear();
    vw::ais::write_json(out, m, vw::ais::JsonMeta{});
    vw::ais::Payload p;
    if (vw::ais::encode(m, p) != vw::ais::EncodeStatus::ok) return 0;  // merged 24 records
    unsigned fill = 0;
    const std::string armored = vw::ais::armor_string(p, fill);
    vw::ais::Message back;
    const auto r = vw::ais::decode(armored, fill, back);
    if (r.ok) vw::ais::write_json(out, back, vw::ais::JsonMeta{});
    return 0;
}
