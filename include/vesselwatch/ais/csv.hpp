// CSV output: one row per message with a fixed set of columns (kCsvColumns, documented in
// docs/ais-fields.md, "CSV"), values presented exactly as in the JSON (same scaling and number
// formatting), RFC 4180 quoting, empty cells for the fields a message type does not have.
#pragma once

#include <array>
#include <string_view>

#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/ais/messages.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::ais {

/// The columns, in order: line metadata first, then a flat subset of gpsd's JSON field names.
// clang-format off
inline constexpr std::array<std::string_view, 44> kCsvColumns = {
    "device", "line", "rxtime", "station",
    "type", "repeat", "mmsi", "status", "turn", "speed", "accuracy", "lon", "lat", "course", "heading",
    "second", "maneuver", "raim", "imo", "callsign", "shipname", "shiptype", "to_bow", "to_stern",
    "to_port", "to_starboard", "epfd", "eta", "draught", "destination", "dte", "part", "vendorid",
    "mothership_mmsi", "timestamp", "alt", "aid_type", "name", "off_position", "virtual_aid", "dest_mmsi",
    "dac", "fid", "text"};
// clang-format on

/// Index of the column called `name`, or kCsvColumns.size() when there is none.
[[nodiscard]] constexpr std::size_t csv_column(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kCsvColumns.size(); ++i)
        if (kCsvColumns[i] == name) return i;
    return kCsvColumns.size();
}

/// Writes the header row ("device,line,...,text\n").
void write_csv_header(OutBuffer& out);

/// Writes one row (terminated by "\n"). The metadata columns come from `meta` (device, line, rxtime,
/// station; empty when unset), the rest from the message's fields with the same JSON name.
template <class M>
void write_csv(OutBuffer& out, const M& m, const JsonMeta& meta);
void write_csv(OutBuffer& out, const Message& m, const JsonMeta& meta);

}  // namespace vw::ais
