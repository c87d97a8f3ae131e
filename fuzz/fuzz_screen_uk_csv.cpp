// Fuzz target: bytes -> parse_uk_csv (OFSI ConList.csv / FCDO UK Sanctions List CSV). Must never crash,
// hang or leak; vw::InputError (no header) is the expected way to reject input, bad rows are counted.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    vw::screen::LoadedList out;
    (void)vw::screen::looks_like_uk_csv(in);
    try {
        vw::screen::parse_uk_csv(in, "fuzz.csv", out);
    } catch (const vw::Error&) {
        return 0;
    }
    for (const auto& e : out.entities)
        if (e.source_id.empty() || e.names.empty()) __builtin_trap();
    if (out.report.entities != out.entities.size()) __builtin_trap();
    return 0;
}
