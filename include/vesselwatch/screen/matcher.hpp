// Screening: finding the list entities that a name (and identifiers) may designate. A Screener indexes
// the entities of one or more lists once (name tokens, their phonetic keys and one-deletion variants;
// IMO, MMSI and call sign), then answers queries with the top matches, each with a score in [0, 1] and
// a per-feature explanation (docs/screening.md describes the features and the threshold).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vesselwatch/screen/entity.hpp"
#include "vesselwatch/screen/names.hpp"

namespace vw::screen {

/// At or above this score a match is reported as a likely designation (docs/screening.md: chosen by
/// cross-validation on the labelled name pairs, see docs/benchmarks.md).
inline constexpr double kDefaultMatchThreshold = 0.75;

enum class QueryType : std::uint8_t { any, vessel, company, person };

[[nodiscard]] std::optional<QueryType> query_type_from_string(std::string_view s) noexcept;
[[nodiscard]] std::string_view to_string(QueryType t) noexcept;
/// May an entity of `schema` answer a query of `type`?
[[nodiscard]] bool schema_fits(QueryType type, Schema schema) noexcept;

struct Query {
    std::string name;  ///< may be empty when identifiers are given
    QueryType type = QueryType::any;
    std::string imo;  ///< any text holding the 7 digits ("IMO 9179842")
    std::string mmsi;
    std::string call_sign;
    std::string country;  ///< name or ISO code: flag, nationality, jurisdiction
};

/// One piece of evidence behind a score.
struct Feature {
    std::string name;    ///< "name", "imo", "mmsi", "call_sign", "country", ...
    double value = 0;    ///< contribution: similarity in [0, 1], or +/- adjustment
    std::string detail;  ///< human-readable: which names and tokens aligned, which numbers agreed
};

struct Match {
    std::uint32_t entity = 0;  ///< index into Screener::entity()
    double score = 0;
    std::string matched_name;  ///< the list name that matched best ("" when only identifiers matched)
    NameKind matched_kind = NameKind::primary;
    std::vector<Feature> features;

    /// "name 0.93 (alias 'X': a=a 1.00, ...); imo +1 (9179842)"
    [[nodiscard]] std::string explanation() const;
};

struct ScreenOptions {
    static constexpr std::size_t kDefaultTopK = 5;
    static constexpr double kDefaultMinScore = 0.5;
    std::size_t top_k = kDefaultTopK;
    double min_score = kDefaultMinScore;  ///< matches below are not returned
    bool explain = true;
    NameMatchParams params;
};

/// Where an indexed entity came from.
struct ListRef {
    std::int64_t list_id = 0;  ///< in the project database (0 when not stored)
    ListInfo info;
};

class Screener {
public:
    Screener();
    ~Screener();
    Screener(Screener&&) noexcept;
    Screener& operator=(Screener&&) noexcept;
    Screener(const Screener&) = delete;
    Screener& operator=(const Screener&) = delete;

    /// Adds the entities of one list. Call build() after the last one.
    void add_list(ListRef list, std::vector<Entity> entities);
    /// Builds the indexes. Queries before build() throw std::logic_error.
    void build();

    /// The best matches, best first (ties by list order). Thread-safe after build().
    [[nodiscard]] std::vector<Match> screen(const Query& query, const ScreenOptions& options = {}) const;

    [[nodiscard]] std::size_t size() const noexcept;
    [[nodiscard]] const Entity& entity(std::uint32_t i) const;
    [[nodiscard]] const ListRef& list_of(std::uint32_t i) const;
    [[nodiscard]] std::size_t name_count() const noexcept;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace vw::screen
