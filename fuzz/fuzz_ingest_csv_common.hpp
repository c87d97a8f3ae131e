// Shared driver of the ingest CSV fuzz targets: bytes -> lines (LF, CR stripped as the line reader
// does) -> CsvSplitter records (quoted fields spanning lines) -> CsvRowReader rows. Parser entry
// points only, no database. Bad rows come back as a RowIssue; nothing may crash, hang or grow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vesselwatch/track/ingest_rows.hpp"

namespace vw::fuzz {

inline void run_csv_rows(const vw::track::CsvRowReader& reader, std::string_view in) {
    vw::track::CsvSplitter splitter;
    vw::track::DecodedRow row;
    while (!in.empty()) {
        const auto nl = in.find('\n');
        std::string_view line = in.substr(0, nl);
        in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (splitter.add_line(line) != vw::track::CsvSplitter::Status::complete) continue;
        if (!reader.parse(splitter.fields(), row)) {
            vw::track::StaticData d;
            row.identity.merge_into(d);
        }
    }
}

/// Fixed dialect header + the input as rows.
inline void run_dialect(vw::track::InputFormat format, std::string_view header, const std::uint8_t* data,
                        std::size_t size) {
    std::string missing;
    const auto reader = vw::track::CsvRowReader::from_header(format, header, {}, missing);
    if (!reader) __builtin_trap();  // the dialect's own header must be accepted
    run_csv_rows(*reader, std::string_view(reinterpret_cast<const char*>(data), size));
}

}  // namespace vw::fuzz
