// Fuzz target: bytes -> parse_ofac_csv. The input is split at lines "--" into sdn.csv, add.csv,
// alt.csv and sdn_comments.csv, so that companions and orphans are exercised too. Bad rows are skipped
// and counted; vw::Error (not an OFAC file at all) is the expected way to reject input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string_view parts[4];
    for (auto& p : parts) {
        const auto sep = in.find("\n--\n");
        p = in.substr(0, sep);
        if (sep == std::string_view::npos) {
            in = {};
            break;
        }
        in.remove_prefix(sep + 4);
    }
    vw::screen::OfacCsvInput csv;
    csv.main = parts[0];
    csv.add = parts[1];
    csv.alt = parts[2];
    csv.comments = parts[3];
    vw::screen::LoadedList out;
    try {
        vw::screen::parse_ofac_csv(csv, out);
    } catch (const vw::Error&) {
        return 0;
    }
    if (out.report.skipped > out.report.records || out.entities.size() > out.report.records) __builtin_trap();
    if (out.report.notes.size() > vw::screen::LoadReport::kMaxNotes) __builtin_trap();
    return 0;
}
