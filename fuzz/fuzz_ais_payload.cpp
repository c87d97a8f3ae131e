// libFuzzer: bytes -> armored payload decode -> JSON writer -> JSON reader -> encode; and the CSV writer.
// Differential: decode()'s fast paths (unchecked reads, the word decoder for fixed-layout position
// reports, SWAR text) must give the struct the bounds-checked visitor gives on the same bits.
// Input: first byte = fill bits (mod 8, values > 5 exercise the error path), rest = armored payload,
// optionally followed by '\n' and bytes used as the device name and (reversed) the station: any bytes,
// and the JSON and CSV lines written must still be valid UTF-8 and read back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "vesselwatch/ais/csv.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/encode.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/util/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned fill = data[0] % 8u;
    std::string_view armored(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string_view device = "fuzz";
    std::string station;
    if (const auto nl = armored.find('\n'); nl != std::string_view::npos) {
        device = armored.substr(nl + 1);
        station.assign(device.rbegin(), device.rend());
        armored = armored.substr(0, nl);
    }
    static vw::OutBuffer out;
    static vw::OutBuffer csv;
    static vw::ais::JsonReader reader;
    out.clear();
    vw::ais::JsonMeta meta;
    meta.device = device;
    meta.station = station;
    meta.rxtime_ms = static_cast<std::int64_t>(size) * 1000003;
    meta.line = size;
    (void)vw::ais::decode(armored, fill, [&](const auto& m) {
        using T = std::remove_cvref_t<decltype(m)>;
        {
            vw::ais::Payload bits;
            if (vw::ais::unarmor(armored, fill, bits)) __builtin_trap();  // decode() accepted it
            T general{};
            const vw::ais::detail::BitDecoder d(bits.bytes.data(), bits.nbits);
            visit(d, general, static_cast<T*>(nullptr));
            if (!(general == m)) __builtin_trap();  // fast path and checked visitor disagree
        }
        vw::ais::write_json(out, m, meta);
        vw::ais::Message back;
        const auto r = reader.read(out.view(), back);
        if (!r.ok) __builtin_trap();                           // our own output must always read back
        if (!vw::is_valid_utf8(out.view())) __builtin_trap();  // whatever the device's bytes
        vw::ais::Payload p;
        if (vw::ais::encode(m, p) != vw::ais::EncodeStatus::ok) __builtin_trap();
        unsigned f = 0;
        const std::string again = vw::ais::armor_string(p, f);
        vw::ais::Message m2;
        if (!vw::ais::decode(again, f, m2).ok) __builtin_trap();
        if (!(vw::ais::Message{m} == m2)) __builtin_trap();  // encode(decode(x)) decodes to the same struct
        csv.clear();
        vw::ais::write_csv(csv, m, meta);
        std::size_t commas = 0;
        bool quoted = false;
        for (const char c : csv.view()) {
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) ++commas;
        }
        if (commas + 1 != vw::ais::kCsvColumns.size() || csv.view().back() != '\n') __builtin_trap();
        if (!vw::is_valid_utf8(csv.view())) __builtin_trap();
    });
    return 0;
}
