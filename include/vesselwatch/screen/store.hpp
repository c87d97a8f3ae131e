// Sanctions lists in the project database (module "screen" of vw_schema): each imported list with its
// provenance (format, source, publication date, sha256, load report), its entities with names,
// identifiers and links, and the matches found for vessel identities with their explanation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vesselwatch/screen/entity.hpp"
#include "vesselwatch/screen/matcher.hpp"
#include "vesselwatch/util/sqlite.hpp"

namespace vw::screen {

struct StoredList {
    std::int64_t id = 0;
    ListInfo info;
    LoadReport report;  ///< counts; notes as stored
    std::string imported_at;
    bool active = true;  ///< the newest import of its source; only active lists are screened
};

/// A Screener over the active lists, with each indexed entity's row id in the database.
struct StoreScreener {
    Screener screener;
    std::vector<std::int64_t> entity_rows;  ///< Screener entity index -> screen_entity.id
};

struct ImportResult {
    std::int64_t list_id = 0;
    bool already_present = false;  ///< the same file (sha256 and source) was imported before
    int deactivated = 0;           ///< older lists of the same source no longer screened
};

/// A vessel identity as the track store knows it (current and past names, identifiers).
struct VesselIdentity {
    std::string key;  ///< the store's stable key for the identity, e.g. "mmsi:273xxxxxx" or a row id
    std::string mmsi;
    std::string imo;
    std::string call_sign;
    std::vector<std::string> names;  ///< current first, then past names
    std::string flag;                ///< ISO alpha-2 or country name; "" when unknown
};

struct IdentityMatch {
    Match match;
    std::string queried_name;  ///< which of the identity's names matched ("" = identifiers only)
};

class ListStore {
public:
    static constexpr int kSchemaVersion = 1;
    /// Creates the tables when missing. Throws IoError on a newer, unknown schema version.
    explicit ListStore(db::Database& db);

    /// Stores a loaded list in one transaction. Older lists of the same source become inactive.
    ImportResult import(const LoadedList& list);
    [[nodiscard]] std::vector<StoredList> lists();
    [[nodiscard]] std::vector<Entity> entities(std::int64_t list_id);
    /// Builds a Screener over the active lists (all lists when `active_only` is false).
    [[nodiscard]] StoreScreener screener(bool active_only = true);

    /// Replaces the stored matches of `identity` with `matches` (score, explanation, list provenance).
    void store_identity_matches(const VesselIdentity& identity, const std::vector<IdentityMatch>& matches,
                                const StoreScreener& screener);
    /// Stored matches of one identity key: (entity row id, score, explanation), best first.
    struct StoredMatch {
        std::int64_t entity_row = 0;
        std::int64_t list_id = 0;
        double score = 0;
        std::string matched_name, queried_name, explanation, list_source, list_sha256, screened_at;
    };
    [[nodiscard]] std::vector<StoredMatch> identity_matches(const std::string& identity_key);

private:
    db::Database& db_;
};

/// Screens one vessel identity: each of its names (current and past) as a vessel query with its IMO,
/// MMSI, call sign and flag; the best score per list entity is kept. Returns matches at or above
/// `threshold`, best first. The track store calls this after ingest and after a list import.
[[nodiscard]] std::vector<IdentityMatch> screen_vessel_identity(const Screener& screener,
                                                                const VesselIdentity& identity,
                                                                double threshold = kDefaultMatchThreshold);

/// Screens `identity` against the active lists of `store` and stores the matches; returns them.
std::vector<IdentityMatch> screen_and_store_vessel_identity(ListStore& store, const StoreScreener& screener,
                                                            const VesselIdentity& identity,
                                                            double threshold = kDefaultMatchThreshold);

}  // namespace vw::screen
