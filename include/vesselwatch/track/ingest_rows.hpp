// Decoded-dump inputs of ingest: CSV (NOAA MarineCadastre, Danish Maritime Authority, any CSV through
// a column mapping) and newline-delimited JSON (Global Fishing Watch style). These are the parser
// entry points: one row of text -> one DecodedRow (position and/or identity fields, in AIS units), or
// the kind of fault. No database here (the fuzz targets call these directly); the ingester
// (ingest.cpp) stores the rows. Formats, columns and units: docs/inputs.md "Decoded dumps".
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vesselwatch/track/identity.hpp"
#include "vesselwatch/track/position.hpp"

namespace vw::track {

/// What an ingest input holds (detected from its first line, or forced with --format).
enum class InputFormat : std::uint8_t {
    nmea,            ///< raw NMEA 0183 AIS (with tag blocks, wrappers...), read by the decode pipeline
    marinecadastre,  ///< NOAA MarineCadastre CSV: MMSI,BaseDateTime,LAT,LON,...
    dma,             ///< Danish Maritime Authority CSV: # Timestamp,Type of mobile,MMSI,...
    gfw_json,        ///< newline JSON objects with ssvid/mmsi, timestamp, lat, lon, ...
    csv,             ///< any other CSV with a header line, through a ColumnSpec (--columns)
};
[[nodiscard]] std::string_view input_format_name(InputFormat f) noexcept;
/// "nmea", "marinecadastre", "dma", "gfw-json", "csv"; nullopt for anything else.
[[nodiscard]] std::optional<InputFormat> input_format_from_name(std::string_view name) noexcept;

/// The format a source's first line says it is (a leading UTF-8 BOM is ignored). nullopt for a line
/// that looks like a CSV header of no known dialect (ingest then needs --columns).
[[nodiscard]] std::optional<InputFormat> detect_input_format(std::string_view first_line) noexcept;

/// Removes a leading UTF-8 byte order mark.
[[nodiscard]] std::string_view strip_bom(std::string_view line) noexcept;

/// Why a row was not stored (counted by kind in the ingest report; --strict stops at the first).
enum class RowIssue : std::uint8_t {
    field_count,         ///< fewer fields than the header names
    unterminated_quote,  ///< a quoted field still open at the end of the source or after kMaxRecordLines
    bad_mmsi,            ///< MMSI missing, not a number, 0 or above 999999999
    bad_time,            ///< time missing or not in the expected format
    bad_number,          ///< a numeric field that is not a number
    bad_json,            ///< a JSON line that does not parse as one object
    no_data,             ///< neither a position (lat and lon) nor any identity field
    bad_header,          ///< a header line without the required columns (the whole source is skipped)
    kCount
};
inline constexpr std::size_t kRowIssueCount = static_cast<std::size_t>(RowIssue::kCount);
[[nodiscard]] std::string_view row_issue_name(RowIssue i) noexcept;

/// A CSV record may span lines (a quoted field holding line ends); it is abandoned as
/// unterminated_quote after this many lines or this many bytes.
inline constexpr std::size_t kMaxRecordLines = 64;
inline constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 20;

/// Splits CSV records (RFC 4180: comma separated, fields optionally in double quotes, "" for a quote
/// inside; quoted fields may hold commas and line ends). Lenient where real files are: spaces around
/// fields are kept (parsers trim), a quote inside an unquoted field is an ordinary character, text
/// after a closing quote is appended. Fields are views valid until the next add_line/reset.
class CsvSplitter {
public:
    enum class Status : std::uint8_t { complete, needs_more, too_long };

    /// Feeds one physical line (without its line end). `needs_more` when a quoted field is still
    /// open: feed the next line (the line end becomes "\n" inside the field).
    [[nodiscard]] Status add_line(std::string_view line);
    /// Drops a record in progress.
    void reset() noexcept;
    [[nodiscard]] std::span<const std::string_view> fields() const noexcept { return fields_; }
    /// A quoted field is open (the record needs more lines).
    [[nodiscard]] bool open() const noexcept { return open_; }
    /// Lines of the record in progress or just completed.
    [[nodiscard]] std::size_t lines() const noexcept { return lines_; }
    /// The record just completed had no quote: its fields are views into one line, in order, each
    /// separated from the next by one comma.
    [[nodiscard]] bool plain() const noexcept { return plain_; }

private:
    bool split(std::string_view text);

    std::vector<std::string_view> fields_;
    std::string unquoted_;  // unescaped quoted fields (capacity reserved before use: views stay valid)
    std::string pending_;   // the lines of a multi-line record so far
    std::size_t lines_ = 0;
    bool open_ = false;     // a quoted field is open: the next line continues the record
    bool plain_ = false;
};

/// The fields a decoded row can carry, named as in --columns.
enum class RowField : std::uint8_t {
    mmsi,          ///< integer
    time,          ///< see TimeFormat
    lat,           ///< decimal degrees
    lon,           ///< decimal degrees
    sog,           ///< knots
    cog,           ///< degrees
    heading,       ///< degrees (511 = n/a)
    rot,           ///< degrees per minute (decoded); converted to ROT_AIS
    status,        ///< navigational status: number 0-15 or the ITU text
    type,          ///< AIS message type (number, or "AIS.18")
    name,          ///< vessel name
    callsign,
    imo,           ///< number, optionally prefixed "IMO"
    ship_type,     ///< AIS ship and cargo type: number or text ("Tanker", "Cargo, No additional...")
    length,        ///< metres (stored as to_bow = length, to_stern = 0 when the split is not given)
    width,         ///< metres (stored as to_port = width, to_starboard = 0 likewise)
    to_bow,        ///< metres (A)
    to_stern,      ///< metres (B)
    to_port,       ///< metres (C)
    to_starboard,  ///< metres (D)
    draught,       ///< metres
    destination,
    eta,           ///< kept as text
    station_class, ///< "A", "B", "Class A", "Base Station", "AtoN", "AIS-B"...
    kCount
};
inline constexpr std::size_t kRowFieldCount = static_cast<std::size_t>(RowField::kCount);
[[nodiscard]] std::string_view row_field_name(RowField f) noexcept;
[[nodiscard]] std::optional<RowField> row_field_from_name(std::string_view name) noexcept;

/// --columns: which CSV column (by header name, matched exactly after trimming) holds which field.
struct ColumnSpec {
    std::vector<std::pair<RowField, std::string>> columns;
    [[nodiscard]] bool empty() const noexcept { return columns.empty(); }
};
/// "mmsi=MMSI,time=ts,lat=y,lon=x,sog=speed". Throws vw::ConfigError on an unknown field name, a
/// field given twice or a missing '='. mmsi, time, lat and lon are required... except that a mapping
/// without lat/lon is allowed when it maps an identity field (an identity-only file).
[[nodiscard]] ColumnSpec parse_column_spec(std::string_view text);

/// The date of the last "YYYY-MM-DDTHH:MM:SS" time read through it: the rows of a dump share their
/// date, so a time with the same ten date characters needs only its clock read. One per reader.
struct RowDateMemo {
    std::array<char, 10> date{};
    bool valid = false;
    std::int64_t day_ms = 0;  ///< that date's midnight UTC, ms since the Unix epoch
};

/// How times are written. The automatic format reads ISO 8601 ("2024-01-02T03:04:05[.fff][Z|±hh:mm]",
/// with 'T' or a space, "UTC" accepted as a suffix) and plain Unix seconds ("1704164645[.25]").
/// A pattern uses %Y %m %d %H %M %S, %f (fraction of a second, any number of digits), %z (Z, ±hh:mm,
/// ±hhmm, UTC), %s (Unix seconds), %% and literal characters; times without a zone are UTC.
class TimeFormat {
public:
    TimeFormat() = default;  ///< automatic
    /// Throws vw::ConfigError for an unknown % directive or a pattern with neither a date nor %s.
    explicit TimeFormat(std::string pattern);
    [[nodiscard]] std::optional<std::int64_t> parse(std::string_view text) const noexcept;
    /// The same, with the date of the automatic format's fixed-place times remembered in `memo`.
    [[nodiscard]] std::optional<std::int64_t> parse(std::string_view text, RowDateMemo* memo) const noexcept;
    [[nodiscard]] bool automatic() const noexcept { return pattern_.empty(); }
    [[nodiscard]] const std::string& pattern() const noexcept { return pattern_; }

private:
    std::string pattern_;
};

/// Automatic time parsing (see TimeFormat).
[[nodiscard]] std::optional<std::int64_t> parse_row_time(std::string_view text) noexcept;
/// The same; a fixed-place time whose date is `memo`'s reads only its clock, and one whose date is
/// not becomes the memo's date (when it is a time). Same results as without the memo.
[[nodiscard]] std::optional<std::int64_t> parse_row_time(std::string_view text, RowDateMemo* memo) noexcept;

/// Static data carried by a row; text fields view into the row (valid until the next row).
struct RowIdentity {
    StationClass station_class = StationClass::unknown;
    std::string_view name, callsign, destination, eta;
    std::optional<std::uint32_t> imo;
    std::optional<std::uint8_t> ship_type;
    std::optional<std::uint16_t> to_bow, to_stern;
    std::optional<std::uint8_t> to_port, to_starboard;
    std::optional<std::uint8_t> draught_dm;
    [[nodiscard]] bool any() const noexcept {
        return station_class != StationClass::unknown || !name.empty() || !callsign.empty() ||
               !destination.empty() || !eta.empty() || imo || ship_type || to_bow || to_stern || to_port ||
               to_starboard || draught_dm;
    }
    /// Copies the fields present into `d` (absent fields keep their value).
    void merge_into(StaticData& d) const;
    /// Bytes of the four text fields together.
    [[nodiscard]] std::size_t text_bytes() const noexcept {
        return name.size() + callsign.size() + destination.size() + eta.size();
    }
    /// Copies the four text fields to `buffer` (text_bytes() of room), one after the other, and points
    /// the views there: for keeping the identity beyond the life of what it viewed.
    void move_text_to(char* buffer) noexcept;
};

/// One decoded row: a position (in AIS units, "not available" values as in AIS) when the row has
/// latitude and longitude, and the identity fields it carries.
struct DecodedRow {
    std::uint32_t mmsi = 0;
    std::int64_t time_ms = 0;
    bool has_position = false;
    std::int32_t lat = kLatUnavailable, lon = kLonUnavailable;
    std::uint16_t sog = kSogUnavailable, cog = kCogUnavailable, heading = kHeadingUnavailable;
    std::int8_t turn = kTurnUnavailable;
    std::uint8_t status = kStatusUndefined;
    std::uint8_t type = 0;  ///< AIS message type when the dump says it, else 0
    RowIdentity identity;
};

/// Options of the decoded readers.
struct RowOptions {
    ColumnSpec columns;       ///< for InputFormat::csv
    TimeFormat time_format;   ///< for InputFormat::csv (the dialects know their own)
};

class CsvRowReader;

/// What one CSV source's identity columns said for each vessel, kept by the reading thread between
/// rows. MarineCadastre and DMA dumps repeat a vessel's static data on every row: a row whose identity
/// columns are byte for byte those of the vessel's previous row takes that row's parsed identity
/// instead of parsing the same text again (CsvRowReader::parse). Only rows that parsed are kept; one
/// memo serves one CsvRowReader (clear() before the next source). Memory: one entry per MMSI of the
/// source, at most kMaxVessels (then it starts again empty).
class RowIdentityMemo {
public:
    static constexpr std::size_t kMaxVessels = std::size_t{1} << 18;
    void clear() noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
    /// Rows that took a remembered identity (since construction).
    [[nodiscard]] std::uint64_t hits() const noexcept { return hits_; }

private:
    friend class CsvRowReader;
    static constexpr std::size_t kMaxRuns = 4;
    struct Entry {
        std::uint32_t mmsi = 0;
        bool valid = false;
        std::array<std::uint32_t, kMaxRuns> run_bytes{};
        std::string raw;   // the runs' bytes, one after the other
        std::string text;  // what `identity`'s views point to
        RowIdentity identity;
    };
    Entry& entry(std::uint32_t mmsi);
    void grow();
    std::vector<std::uint32_t> slots_;  // 0 = empty, else 1 + index into entries_
    std::deque<Entry> entries_;         // a deque: entries never move (their views stay valid)
    std::uint64_t hits_ = 0;
};

/// Parses the rows of one CSV source. Built from its header line; then one record's fields at a time.
class CsvRowReader {
public:
    /// `format`: marinecadastre, dma or csv. Returns nullopt when the header lacks a required column
    /// (`missing` then names it).
    [[nodiscard]] static std::optional<CsvRowReader> from_header(InputFormat format, std::string_view header,
                                                                 const RowOptions& options, std::string& missing);
    /// nullopt on success (`out` filled), else why the row is not stored.
    [[nodiscard]] std::optional<RowIssue> parse(std::span<const std::string_view> fields, DecodedRow& out) const;
    /// The same, with the identity columns looked up in `memo` first (see RowIdentityMemo); the result
    /// is the same as without it. Only for plain records (CsvSplitter::plain()); `memo` may be null.
    [[nodiscard]] std::optional<RowIssue> parse(std::span<const std::string_view> fields, DecodedRow& out,
                                                RowIdentityMemo* memo) const;
    [[nodiscard]] InputFormat format() const noexcept { return format_; }

private:
    CsvRowReader() = default;
    InputFormat format_ = InputFormat::csv;
    std::array<int, kRowFieldCount> column_{};  // -1: absent
    std::size_t min_fields_ = 0;
    struct Present {
        RowField field;
        std::size_t column;
    };
    std::array<Present, kRowFieldCount> present_{};  // the columns read besides mmsi and time, in field order
    std::size_t present_count_ = 0;
    std::size_t identity_from_ = 0;  // present_[identity_from_, present_count_) are identity fields
    // The identity columns as runs of neighbouring columns (unread columns between them included):
    // what RowIdentityMemo compares. No runs (memo unused) when they need more than kMaxRuns.
    struct Run {
        std::size_t first, last;
    };
    std::array<Run, RowIdentityMemo::kMaxRuns> runs_{};
    std::size_t run_count_ = 0;
    TimeFormat time_;
    mutable RowDateMemo date_memo_;  // parse() is const but keeps this: one reader per thread
    bool dma_time_ = false;  // dd/mm/yyyy HH:MM:SS
};

/// Parses one JSON line (an object; NaN and null are "not available"; unknown keys and nested values
/// are skipped, nesting bounded). Keys: ssvid or mmsi, timestamp (ISO 8601 or Unix seconds), lat,
/// lon, speed, course, heading, status, type ("AIS.18"), shipname, callsign, imo, shiptype, length,
/// width, draught, destination.
/// `scratch` holds unescaped strings the identity views point into (reused between rows).
[[nodiscard]] std::optional<RowIssue> parse_json_row(std::string_view line, DecodedRow& out, std::string& scratch);

/// AIS ship-and-cargo type code of a ship type text ("Tanker", "Cargo, Hazardous category A",
/// "Fishing", "Pleasure"...): the code of the category (its "no additional information" value).
/// nullopt for "Undefined", "Unknown" and texts of no category.
[[nodiscard]] std::optional<std::uint8_t> ship_type_from_text(std::string_view text) noexcept;

/// Navigational status code of its ITU text ("Under way using engine" -> 0, "Moored" -> 5 ...).
[[nodiscard]] std::optional<std::uint8_t> nav_status_from_text(std::string_view text) noexcept;

}  // namespace vw::track
