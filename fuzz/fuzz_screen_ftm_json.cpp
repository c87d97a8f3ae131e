// Fuzz target: bytes -> parse_ftm_json (FollowTheMoney JSON lines, simdjson). Malformed lines are skipped
// and counted; vw::Error (no valid line at all) is the expected way to reject input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vw::screen::LoadedList out;
    try {
        vw::screen::parse_ftm_json(std::string_view(reinterpret_cast<const char*>(data), size),
                                   "fuzz.ftm.json", out);
    } catch (const vw::Error&) {
        return 0;
    }
    for (const auto& e : out.entities)
        if (e.names.empty()) __builtin_trap();
    return 0;
}
