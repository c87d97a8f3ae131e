// Screening the vessels of the track store against the sanctions lists of the same project database:
// every MMSI's identity history (current and past names, IMO, MMSI, call sign, flag from the MID) is
// screened with one Screener built once per run, and the matches are stored per vessel in
// screen_match (subject_kind 'vessel_identity', key "mmsi:NNNNNNNNN"), replacing the earlier ones, so
// screening again never duplicates. Called by `vesselwatch ingest` (the vessels of the new files) and
// `vesselwatch lists import` (every vessel); read back by `vesselwatch vessels`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vesselwatch/screen/store.hpp"
#include "vesselwatch/track/identity.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/util/sqlite.hpp"

namespace vw::screen {

/// The key of one vessel's matches in screen_match: "mmsi:" and the MMSI in 9 digits.
[[nodiscard]] std::string vessel_subject_key(std::uint32_t mmsi);

/// The screening queries of one MMSI: one VesselIdentity per distinct (valid IMO, call sign) pair it
/// broadcast, holding every name broadcast with that pair, most recent first; the pair seen last comes
/// first. An MMSI without static data gives one identity with the MMSI and flag only. All share the key
/// vessel_subject_key(mmsi). `records` are the MMSI's identity records in any order.
[[nodiscard]] std::vector<VesselIdentity> vessel_identities(std::uint32_t mmsi,
                                                            std::span<const track::IdentityRecord> records);

/// Screens all of `identities` (one vessel) and keeps the best match per list entity, best first.
[[nodiscard]] std::vector<IdentityMatch> screen_vessel(const Screener& screener,
                                                       std::span<const VesselIdentity> identities,
                                                       double threshold = kDefaultMatchThreshold);

struct VesselScreeningReport {
    bool lists_present = false;        ///< false: no active list in the database, nothing screened
    std::size_t lists = 0;             ///< active lists screened against
    std::size_t entities = 0;          ///< their entities
    std::size_t vessels = 0;           ///< MMSIs screened
    std::size_t queries = 0;           ///< identities (IMO / call sign groups) screened
    std::size_t vessels_matched = 0;   ///< MMSIs with at least one match
    std::size_t matches = 0;           ///< matches stored
    double seconds = 0;
};

/// Which vessels to screen.
enum class VesselSelection : std::uint8_t {
    all,    ///< every MMSI of the store (after a list import)
    given,  ///< only the MMSIs passed (after an ingest: those of the new files)
};

/// Screens vessels of `tracks` against the active lists of `lists` and stores their matches (each
/// vessel's earlier matches are replaced). The Screener is built once. `tracks` and `lists` may be
/// different connections to the same database file.
VesselScreeningReport screen_store_vessels(track::Store& tracks, ListStore& lists, VesselSelection selection,
                                           std::span<const std::uint32_t> mmsis = {},
                                           double threshold = kDefaultMatchThreshold);

/// Whether the database holds the tables of module `screen` with at least one active list, without
/// creating anything (a read-only connection will do).
[[nodiscard]] bool has_active_lists(db::Database& db);

/// A stored vessel match with the list entity and the list's provenance, for display.
struct VesselMatchRow {
    std::uint32_t mmsi = 0;
    double score = 0;
    std::string queried_name;  ///< the vessel's name that matched ("" = identifiers only)
    std::string matched_name;  ///< the list's name
    std::string explanation;
    std::string screened_at;
    std::string entity_source_id;  ///< the list's own id (OFAC ent_num, UN reference, ...)
    std::string entity_caption, entity_schema, programs;  ///< programs joined by "; "
    std::int64_t list_id = 0;
    std::string list_source, list_format, list_publication_date, list_sha256, list_file;
    bool list_active = true;
};

/// Every stored vessel match by MMSI, best first per vessel; empty when the database has no
/// screening tables. Does not write.
[[nodiscard]] std::map<std::uint32_t, std::vector<VesselMatchRow>> stored_vessel_matches(db::Database& db);

}  // namespace vw::screen
