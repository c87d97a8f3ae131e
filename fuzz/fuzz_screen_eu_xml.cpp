// Fuzz target: bytes -> parse_eu_xml (hardened libxml2 reader: no DTD loading, no entity expansion,
// depth bounded). Must never crash, hang or leak; vw::Error is the expected way to reject input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

namespace {
constexpr int kFuzzMaxDepth = 32;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vw::screen::LoadedList out;
    try {
        vw::screen::parse_eu_xml(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml", out,
                                 kFuzzMaxDepth);
    } catch (const vw::Error&) {
        return 0;
    }
    for (const auto& e : out.entities)
        if (e.source_id.empty() || e.names.empty()) __builtin_trap();
    return 0;
}
