// The one entity model every sanctions list is loaded into, close to FollowTheMoney (FtM): a schema,
// names by kind (primary, alias, weak alias, former), identifiers by kind (IMO, MMSI, call sign, ...),
// countries, programs and links to other entities. Loaders fill it; the store, the matcher, the diff
// and the CLI are separate consumers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vw::screen {

/// What kind of thing an entity is (FtM schema names in comments).
enum class Schema : std::uint8_t {
    vessel,        ///< Vessel
    company,       ///< Company
    organization,  ///< Organization
    person,        ///< Person
    legal_entity,  ///< LegalEntity: a company or organization the list does not tell apart
    airplane,      ///< Airplane (OFAC lists aircraft)
};

enum class NameKind : std::uint8_t {
    primary,     ///< the designated name (FtM name)
    alias,       ///< a.k.a., good-quality alias, n.k.a. (FtM alias)
    weak_alias,  ///< low-quality a.k.a. (FtM weakAlias): shown, scored lower
    former,      ///< f.k.a., former vessel name (FtM previousName)
};

enum class IdKind : std::uint8_t {
    imo,           ///< IMO ship or company number, 7 digits
    mmsi,          ///< 9 digits
    call_sign,     ///< radio call sign
    registration,  ///< company registration number (OGRN, UK company no., ...)
    tax,           ///< tax number (INN, Tax ID No., ...)
    passport,
    national_id,
    other,
};

struct Name {
    std::string text;
    NameKind kind = NameKind::primary;
    bool operator==(const Name&) const = default;
};

struct Identifier {
    IdKind kind = IdKind::other;
    std::string
        value;  ///< as normalised by the loader (IMO: 7 digits, MMSI: 9 digits, call sign: upper case)
    std::string label;  ///< the list's own label ("Tax ID No.", "Registration Number", ...); may be empty
    bool operator==(const Identifier&) const = default;
};

/// A relation to another entity of the same list ("Linked To:" of OFAC, FtM Ownership).
struct Link {
    std::string relation;   ///< "linked_to", "owner", "asset", "operator", ...
    std::string target_id;  ///< source id of the other entity, when the list gives one
    std::string target_name;
    bool operator==(const Link&) const = default;
};

struct Entity {
    std::string source_id;  ///< the list's own id (OFAC ent_num / uid, UN reference number, FtM id, ...)
    Schema schema = Schema::legal_entity;
    std::vector<Name> names;
    std::vector<Identifier> ids;
    std::vector<std::string> countries;  ///< ISO 3166-1 alpha-2, lower case, when known; else the list's text
    std::string flag;                    ///< vessels: current flag (ISO alpha-2 when known)
    std::vector<std::string> former_flags;
    std::vector<std::string> programs;  ///< sanctions programs / regimes
    std::vector<Link> links;
    std::string listed_on;  ///< designation date, ISO 8601 when known
    std::string remarks;

    /// The primary name, or the first name of any kind, or "".
    [[nodiscard]] const std::string& caption() const noexcept;
    [[nodiscard]] std::optional<std::string_view> first_id(IdKind kind) const noexcept;
    bool operator==(const Entity&) const = default;
};

/// The list formats vesselwatch reads.
enum class ListFormat : std::uint8_t {
    ofac_csv,  ///< OFAC SDN / consolidated CSV set: sdn.csv (or cons_prim.csv) + add, alt, comments
    ofac_xml,  ///< OFAC sdn.xml / consolidated.xml (sdnList schema)
    un_xml,    ///< UN Security Council consolidated list XML
    uk_xml,    ///< UK Sanctions List XML (FCDO "Designations")
    eu_xml,    ///< EU Financial Sanctions Files (FSF) XML ("export" of sanctionEntity)
    ftm_json,  ///< FollowTheMoney JSON lines (OpenSanctions entities.ftm.json)
    uk_csv,    ///< UK CSV, one row per name: OFSI Consolidated List (ConList.csv, "Group ID") or the
               ///< FCDO UK Sanctions List CSV ("Unique ID", ship columns)
};

[[nodiscard]] std::string_view to_string(Schema s) noexcept;
[[nodiscard]] std::string_view to_string(NameKind k) noexcept;
[[nodiscard]] std::string_view to_string(IdKind k) noexcept;
[[nodiscard]] std::string_view to_string(ListFormat f) noexcept;
[[nodiscard]] std::optional<Schema> schema_from_string(std::string_view s) noexcept;
[[nodiscard]] std::optional<NameKind> name_kind_from_string(std::string_view s) noexcept;
[[nodiscard]] std::optional<IdKind> id_kind_from_string(std::string_view s) noexcept;
[[nodiscard]] std::optional<ListFormat> list_format_from_string(std::string_view s) noexcept;

/// Where a list came from: recorded with every import and every stored match.
struct ListInfo {
    ListFormat format = ListFormat::ofac_csv;
    std::string source;            ///< "ofac-sdn", "ofac-consolidated", "un", "uk", "eu", "opensanctions"
    std::string publication_date;  ///< ISO 8601 date as the file states it; "" when the file does not say
    std::string sha256;            ///< of the main file (hex)
    std::string file;              ///< the main file's path as given
    std::vector<std::string> companion_files;  ///< OFAC CSV: add.csv, alt.csv, sdn_comments.csv
    std::uint64_t size_bytes = 0;
};

/// What a loader met besides entities: nothing skipped is silent.
struct LoadReport {
    static constexpr std::size_t kMaxNotes = 20;
    std::uint64_t records = 0;            ///< records read (rows, elements, lines)
    std::uint64_t entities = 0;           ///< entities produced
    std::uint64_t skipped = 0;            ///< malformed records skipped (the format allows skipping)
    std::uint64_t orphans = 0;            ///< companion rows whose entity is not in the main file
    std::uint64_t without_companion = 0;  ///< OFAC CSV: main rows with no address row in add.csv
    std::uint64_t not_screened = 0;  ///< FtM records of schemas that are not screened (Address, Family, ...)
    std::vector<std::string> notes;  ///< "file:line: cause", at most kMaxNotes (counts are complete)

    void note(std::string text);
};

struct LoadedList {
    ListInfo info;
    std::vector<Entity> entities;
    LoadReport report;
};

}  // namespace vw::screen
