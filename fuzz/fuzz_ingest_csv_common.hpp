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

/// The two rows say the same (text fields by value).
inline bool same_row(const vw::track::DecodedRow& a, const vw::track::DecodedRow& b) {
    const vw::track::RowIdentity &x = a.identity, &y = b.identity;
    return a.mmsi == b.mmsi && a.time_ms == b.time_ms && a.has_position == b.has_position && a.lat == b.lat &&
           a.lon == b.lon && a.sog == b.sog && a.cog == b.cog && a.heading == b.heading && a.turn == b.turn &&
           a.status == b.status && a.type == b.type && x.station_class == y.station_class && x.name == y.name &&
           x.callsign == y.callsign && x.destination == y.destination && x.eta == y.eta && x.imo == y.imo &&
           x.ship_type == y.ship_type && x.to_bow == y.to_bow && x.to_stern == y.to_stern &&
           x.to_port == y.to_port && x.to_starboard == y.to_starboard && x.draught_dm == y.draught_dm;
}

/// Every record parsed twice: as is, and through the ingest's identity memo (plain records); the two
/// must agree.
inline void run_csv_rows(const vw::track::CsvRowReader& reader, std::string_view in) {
    vw::track::CsvSplitter splitter;
    vw::track::RowIdentityMemo memo;
    vw::track::DecodedRow row, memo_row;
    while (!in.empty()) {
        const auto nl = in.find('\n');
        std::string_view line = in.substr(0, nl);
        in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (splitter.add_line(line) != vw::track::CsvSplitter::Status::complete) continue;
        const auto issue = reader.parse(splitter.fields(), row);
        const auto memo_issue = reader.parse(splitter.fields(), memo_row, splitter.plain() ? &memo : nullptr);
        if (issue != memo_issue || (!issue && !same_row(row, memo_row))) __builtin_trap();
        if (!issue) {
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
