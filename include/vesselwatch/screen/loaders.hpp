// Loaders of sanctions lists into the entity model (entity.hpp). Each is a streaming parser: CSV and
// JSON lines record by record, XML with libxml2's xmlTextReader (no DTD loading, no entity expansion,
// no network, documents declaring entities rejected, depth bounded).
//
// Errors: a file that is not of its format, or XML that is not well-formed, throws vw::InputError
// with file, line and element and the cause. Formats whose records stand alone (CSV rows, JSON lines)
// skip a malformed record instead, count it in LoadReport::skipped and keep a note "file:line: cause".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/screen/entity.hpp"

namespace vw::screen {

struct LoadOptions {
    static constexpr std::uint64_t kDefaultMaxFileBytes = std::uint64_t{8} << 30;
    static constexpr int kDefaultMaxXmlDepth = 64;

    std::optional<ListFormat> format;     ///< unset: detected from the content
    std::vector<std::string> companions;  ///< OFAC CSV: add.csv, alt.csv, comments; unset: looked up beside
    std::uint64_t max_file_bytes = kDefaultMaxFileBytes;
    int max_xml_depth = kDefaultMaxXmlDepth;
};

/// Detects the format from the first bytes of a file. Throws InputError naming `file` when unknown.
[[nodiscard]] ListFormat detect_format(std::string_view head, const std::string& file);

/// True when `path`'s file name is that of an OFAC CSV companion (add.csv, alt.csv, sdn_comments.csv,
/// cons_add.csv, cons_alt.csv, cons_comments.csv, any case).
[[nodiscard]] bool is_ofac_companion_name(std::string_view path) noexcept;

/// Reads, hashes (sha256) and parses one list file. Throws IoError (unreadable) or InputError.
[[nodiscard]] LoadedList load_list(const std::string& path, const LoadOptions& options = {});

/// The OFAC CSV set in memory. Companions may be empty (absent).
struct OfacCsvInput {
    std::string_view main;  ///< sdn.csv / cons_prim.csv
    std::string_view add;
    std::string_view alt;
    std::string_view comments;
    std::string main_name = "sdn.csv";
    std::string add_name = "add.csv";
    std::string alt_name = "alt.csv";
    std::string comments_name = "sdn_comments.csv";
};

// In-memory parsers (used by load_list, the tests and the fuzz targets). `name` is used in errors.
void parse_ofac_csv(const OfacCsvInput& in, LoadedList& out);
void parse_ofac_xml(std::string_view data, const std::string& name, LoadedList& out,
                    int max_depth = LoadOptions::kDefaultMaxXmlDepth);
void parse_un_xml(std::string_view data, const std::string& name, LoadedList& out,
                  int max_depth = LoadOptions::kDefaultMaxXmlDepth);
void parse_uk_xml(std::string_view data, const std::string& name, LoadedList& out,
                  int max_depth = LoadOptions::kDefaultMaxXmlDepth);
void parse_eu_xml(std::string_view data, const std::string& name, LoadedList& out,
                  int max_depth = LoadOptions::kDefaultMaxXmlDepth);
void parse_ftm_json(std::string_view data, const std::string& name, LoadedList& out);
/// UK CSV lists, one row per name of a designation, rows of one designation sharing its id:
///  - OFSI Consolidated List "ConList.csv": a "Last Updated,DD/MM/YYYY" line, then the header
///    (Name 6, Name 1..5, Title, ..., Group Type, Alias Type, Alias Quality, Regime, Listed On, ...,
///    Group ID); Group Type Individual / Entity / Ship.
///  - FCDO UK Sanctions List CSV: a "Report Date: ..." line, then the header (Last Updated, Unique ID,
///    OFSI Group ID, UN Reference Number, Name 6, Name 1..5, Name type, Alias strength, ...,
///    Designation Type, ..., IMO number, Current believed flag of ship, Previous flags, Type of ship, ...).
/// Columns are found by their header names, so both layouts and their column-order revisions load.
/// Rows with the wrong number of fields or without an id are skipped and counted.
void parse_uk_csv(std::string_view data, const std::string& name, LoadedList& out);

/// True when `head` (the first bytes of a file) is a UK CSV list: one of its first three lines is a
/// header holding the columns "Name 6" and "Group ID" or "Unique ID".
[[nodiscard]] bool looks_like_uk_csv(std::string_view head) noexcept;

/// Parses the free-text remarks of OFAC (sdn.csv column 12, sdn_comments.csv): a.k.a./f.k.a./n.k.a.
/// names, "Vessel Registration Identification IMO n", "MMSI n", call sign, flags, "Linked To: X",
/// nationality, registration and tax numbers. Adds what it finds to `e`.
void apply_ofac_remarks(std::string_view remarks, Entity& e);

/// Country name or code -> ISO 3166-1 alpha-2 lower case ("Russia", "RUSSIAN FEDERATION", "RU", "ru",
/// "Korea, North", "Democratic People's Republic of Korea" -> "ru"/"kp"); nullopt when unknown.
[[nodiscard]] std::optional<std::string> country_code(std::string_view name_or_code);

/// The 7-digit IMO number in `text` ("IMO 9179842", "9179842", "IMO9562233"), check digit verified;
/// nullopt when absent or invalid.
[[nodiscard]] std::optional<std::string> normalize_imo(std::string_view text);
/// True when the 7 digits carry a valid IMO check digit (sum of d_i * (7 - i), i = 0..5, mod 10 == d_6).
[[nodiscard]] bool imo_check_digit_ok(std::string_view seven_digits) noexcept;
/// The 9-digit MMSI in `text`; nullopt otherwise.
[[nodiscard]] std::optional<std::string> normalize_mmsi(std::string_view text);
/// Call sign: upper case, spaces and dashes removed; nullopt when empty.
[[nodiscard]] std::optional<std::string> normalize_call_sign(std::string_view text);

}  // namespace vw::screen
