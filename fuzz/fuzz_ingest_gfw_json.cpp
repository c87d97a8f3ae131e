// Fuzz target: bytes -> newline JSON rows (Global Fishing Watch style) -> DecodedRow. Bad lines come
// back as a RowIssue; nesting is bounded, NaN/null are "not available".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vesselwatch/track/ingest_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    vw::track::DecodedRow row;
    std::string scratch;
    while (!in.empty()) {
        const auto nl = in.find('\n');
        const std::string_view line = in.substr(0, nl);
        in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
        if (!vw::track::parse_json_row(line, row, scratch)) {
            vw::track::StaticData d;
            row.identity.merge_into(d);
        }
    }
    return 0;
}
