// Writers of screening results and list contents: NDJSON and CSV (one row per match), consumers of
// the Match and Entity structs.
#pragma once

#include <string>
#include <string_view>

#include "vesselwatch/screen/diff.hpp"
#include "vesselwatch/screen/matcher.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::screen {

// JSON strings and CSV fields: the project's writers, which replace ill-formed UTF-8 (list files are
// read as they are; a CSV list's names may hold any bytes).
using vw::append_csv_field;
using vw::append_json_string;

/// The CSV header of write_match_csv.
[[nodiscard]] std::string_view match_csv_header() noexcept;

/// One match of the query `query_id` (rank 1-based) as an NDJSON line / a CSV row.
void write_match_ndjson(OutBuffer& out, std::string_view query_id, const Query& q, std::size_t rank,
                        const Match& m, const Screener& s, double threshold);
void write_match_csv(OutBuffer& out, std::string_view query_id, const Query& q, std::size_t rank,
                     const Match& m, const Screener& s, double threshold);
/// A query without any match at or above the minimum score (NDJSON: "matches": 0; CSV: rank 0).
void write_no_match_ndjson(OutBuffer& out, std::string_view query_id, const Query& q);
void write_no_match_csv(OutBuffer& out, std::string_view query_id, const Query& q);

/// One entity as an FtM-like JSON object (id, schema, names by kind, identifiers, countries, ...).
void append_entity_json(std::string& out, const Entity& e);

/// A list diff as NDJSON lines ({"change":"added"|"removed"|"changed", ...}).
void write_diff_ndjson(OutBuffer& out, const ListDiff& d);
/// A list diff as text ("+ id schema name", "- ...", "~ ... (fields)").
void write_diff_text(OutBuffer& out, const ListDiff& d);

}  // namespace vw::screen
