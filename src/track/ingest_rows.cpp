#include "vesselwatch/track/ingest_rows.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::track {

namespace {

constexpr std::array<std::string_view, 5> kFormatNames = {"nmea", "marinecadastre", "dma", "gfw-json", "csv"};
constexpr std::array<std::string_view, kRowIssueCount> kRowIssueNames = {
    "field_count", "unterminated_quote", "bad_mmsi", "bad_time", "bad_number", "bad_json", "no_data", "bad_header"};
constexpr std::array<std::string_view, kRowFieldCount> kRowFieldNames = {
    "mmsi",     "time",      "lat",    "lon",          "sog",    "cog",      "heading",  "rot",
    "status",   "type",      "name",   "callsign",     "imo",    "ship_type", "length",  "width",
    "to_bow",   "to_stern",  "to_port", "to_starboard", "draught", "destination", "eta", "station_class"};

constexpr std::uint32_t kMaxMmsi = 999999999;
constexpr std::uint32_t kMaxImo = 9999999;
constexpr std::int64_t kMsPerSecond = 1000;
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::size_t kMaxSignificantDigits = 12;  // keeps mantissa * 600000 inside int64
constexpr std::int64_t kMaxScaledMagnitude = std::int64_t{1} << 50;
constexpr std::uint8_t kMaxShipType = 99;
constexpr std::uint8_t kMaxStatus = 15;
constexpr std::uint8_t kMaxMessageType = 27;
constexpr std::int64_t kMaxHeadingDeg = 511;
constexpr double kRotAisFactor = 4.733;  // ROT_AIS = 4.733 * sqrt(ROT_sensor deg/min), ITU-R M.1371
constexpr int kMaxRotAis = 126;
constexpr std::uint16_t kMaxBowSternM = 511;
constexpr std::uint8_t kMaxPortStarboardM = 63;
constexpr std::int64_t kMaxDraughtDm = 255;
constexpr int kMaxJsonDepth = 32;
constexpr std::int64_t kMinutesPerDegreeUnits = kUnitsPerDegree;

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (lower(a[k]) != lower(b[k])) return false;
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool icontains(std::string_view s, std::string_view needle) noexcept {
    if (needle.size() > s.size()) return false;
    for (std::size_t k = 0; k + needle.size() <= s.size(); ++k)
        if (iequals(s.substr(k, needle.size()), needle)) return true;
    return false;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// Values dumps write for "not available".
bool not_available(std::string_view s) noexcept {
    if (s.empty()) return true;
    switch (s.size()) {
        case 2: return iequals(s, "na");
        case 3: return iequals(s, "nan") || iequals(s, "n/a");
        case 4: return iequals(s, "null") || iequals(s, "none");
        case 7: return iequals(s, "unknown");
        case 9: return iequals(s, "undefined");
        default: return false;
    }
}

/// A decimal number as mantissa * 10^exponent (at most kMaxSignificantDigits digits kept).
struct Decimal {
    std::int64_t mantissa = 0;
    int exponent = 0;
};

// parse_decimal, scaled and number are forced inline into the field setter: called for every numeric
// field of every row, their calls and std::optional returns through memory were 1.6 % of the CSV
// ingest's instructions (callgrind, 300,000 MarineCadastre rows).
[[gnu::always_inline]] inline std::optional<Decimal> parse_decimal(std::string_view s) noexcept {
    std::size_t k = 0;
    bool negative = false;
    if (k < s.size() && (s[k] == '-' || s[k] == '+')) negative = s[k++] == '-';
    Decimal d;
    std::size_t significant = 0;
    bool any_digit = false;
    for (; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k) {
        any_digit = true;
        if (significant < kMaxSignificantDigits) {
            d.mantissa = d.mantissa * 10 + (s[k] - '0');
            if (d.mantissa != 0) ++significant;
        } else {
            ++d.exponent;
        }
    }
    if (k < s.size() && s[k] == '.') {
        for (++k; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k) {
            any_digit = true;
            if (significant < kMaxSignificantDigits) {
                d.mantissa = d.mantissa * 10 + (s[k] - '0');
                --d.exponent;
                if (d.mantissa != 0) ++significant;
            }
        }
    }
    if (!any_digit) return std::nullopt;
    if (k < s.size() && (s[k] == 'e' || s[k] == 'E')) {
        ++k;
        bool eneg = false;
        if (k < s.size() && (s[k] == '-' || s[k] == '+')) eneg = s[k++] == '-';
        int e = 0;
        bool edigit = false;
        for (; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k) {
            edigit = true;
            if (e < 1000) e = e * 10 + (s[k] - '0');
        }
        if (!edigit) return std::nullopt;
        d.exponent += eneg ? -e : e;
    }
    if (k != s.size()) return std::nullopt;
    if (negative) d.mantissa = -d.mantissa;
    return d;
}

/// The usual spelling of a number in dumps, read in one pass: an optional '-', digits with at most one
/// '.', nothing else (no spaces, no exponent), at most kMaxSignificantDigits characters. For such text
/// parse_decimal() keeps every digit, so both give the same Decimal; anything else returns false and
/// takes the general path (trim, "not available" words, '+', exponents, long digit strings).
[[gnu::always_inline]] inline bool plain_decimal(std::string_view s, Decimal& out) noexcept {
    if (s.empty() || s.size() > kMaxSignificantDigits) return false;
    const char* p = s.data();
    const char* const end = p + s.size();
    const bool negative = *p == '-';
    p += negative ? 1 : 0;
    const char* const whole = p;
    std::int64_t mantissa = 0;
    unsigned digit = 0;
    while (p < end && (digit = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0') <= 9) {
        mantissa = mantissa * 10 + digit;
        ++p;
    }
    const bool any_whole = p != whole;
    int exponent = 0;
    if (p < end) {
        if (*p != '.') return false;
        const char* const fraction = ++p;
        while (p < end && (digit = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0') <= 9) {
            mantissa = mantissa * 10 + digit;
            ++p;
        }
        if (p != end) return false;
        exponent = -static_cast<int>(p - fraction);
        if (!any_whole && exponent == 0) return false;  // "." or "-."
    } else if (!any_whole) {
        return false;  // "-"
    }
    out.mantissa = negative ? -mantissa : mantissa;
    out.exponent = exponent;
    return true;
}

constexpr std::array<std::int64_t, 19> kPowersOfTen = [] {
    std::array<std::int64_t, 19> p{};
    p[0] = 1;
    for (std::size_t k = 1; k < p.size(); ++k) p[k] = p[k - 1] * 10;
    return p;
}();

/// round(d * factor), half away from zero; nullopt when far out of any field's range.
[[gnu::always_inline]] inline std::optional<std::int64_t> scaled(const Decimal& d, std::int64_t factor) noexcept {
    std::int64_t v = d.mantissa * factor;  // |mantissa| < 10^12, factor <= 600000: no overflow
    int e = d.exponent;
    if (v == 0) return 0;
    while (e > 0) {
        if (v > kMaxScaledMagnitude || v < -kMaxScaledMagnitude) return std::nullopt;
        v *= 10;
        --e;
    }
    if (e < 0) {
        if (e < -18) return 0;
        const std::int64_t den = kPowersOfTen[static_cast<std::size_t>(-e)];
        const std::int64_t q = v / den, r = v % den;
        v = q + (2 * (r < 0 ? -r : r) >= den ? (v < 0 ? -1 : 1) : 0);
    }
    if (v > kMaxScaledMagnitude || v < -kMaxScaledMagnitude) return std::nullopt;
    return v;
}

/// How many times 10 divides `factor`.
constexpr int decimal_zeros(std::int64_t factor) noexcept {
    int n = 0;
    for (; factor != 0 && factor % 10 == 0; factor /= 10) ++n;
    return n;
}

/// scaled(d, Factor) without a division when d has at most as many decimals as Factor has trailing
/// zeros (a coordinate with up to 5 decimals times 600000, a speed with 1 decimal times 10, ...): then
/// d * Factor is a whole number, a multiplication by Factor / 10^decimals gives it exactly, and no
/// rounding happens. Otherwise the general scaled().
template <std::int64_t Factor>
[[gnu::always_inline]] inline std::optional<std::int64_t> scaled_by(const Decimal& d) noexcept {
    constexpr int kZeros = decimal_zeros(Factor);
    static constexpr auto kMultiplier = [] {
        std::array<std::int64_t, kZeros + 1> m{};
        for (int k = 0; k <= kZeros; ++k) m[static_cast<std::size_t>(k)] = Factor / kPowersOfTen[static_cast<std::size_t>(k)];
        return m;
    }();
    if (d.exponent <= 0 && d.exponent >= -kZeros) {
        const std::int64_t v = d.mantissa * kMultiplier[static_cast<std::size_t>(-d.exponent)];
        if (v > kMaxScaledMagnitude || v < -kMaxScaledMagnitude) return std::nullopt;
        return v;
    }
    return scaled(d, Factor);
}

/// A numeric field: nullopt = absent ("not available"); the inner nullopt = not a number.
using Number = std::optional<std::optional<std::int64_t>>;

template <std::int64_t Factor>
[[gnu::always_inline]] inline Number number(std::string_view raw) noexcept {
    if (Decimal plain; plain_decimal(raw, plain)) return scaled_by<Factor>(plain);
    const std::string_view s = trim(raw);
    if (not_available(s)) return std::nullopt;
    const auto d = parse_decimal(s);
    if (!d) return std::optional<std::int64_t>{};
    return scaled_by<Factor>(*d);
}

/// A field that is a number or a text (a code or its name): true when "not available"; else `s` is the
/// trimmed text and `d` its number when it is one.
[[gnu::always_inline]] inline bool absent_or_decimal(std::string_view raw, std::string_view& s, std::optional<Decimal>& d) noexcept {
    if (Decimal plain; plain_decimal(raw, plain)) {
        s = raw;
        d = plain;
        return false;
    }
    s = trim(raw);
    if (not_available(s)) return true;
    d = parse_decimal(s);
    return false;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t k = pos; k < pos + n; ++k) {
        if (s[k] < '0' || s[k] > '9') return false;
        out = out * 10 + static_cast<unsigned>(s[k] - '0');
    }
    return true;
}

/// Reads 1..max digits at pos (advancing it).
bool some_digits(std::string_view s, std::size_t& pos, std::size_t max, unsigned& out) noexcept {
    std::size_t n = 0;
    out = 0;
    while (pos < s.size() && n < max && s[pos] >= '0' && s[pos] <= '9') {
        out = out * 10 + static_cast<unsigned>(s[pos] - '0');
        ++pos;
        ++n;
    }
    return n > 0;
}

/// Fraction digits after '.', as milliseconds (more digits are truncated).
unsigned fraction_ms(std::string_view s, std::size_t& pos) noexcept {
    unsigned ms = 0, scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        ms += static_cast<unsigned>(s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
    }
    return ms;
}

/// "Z", "UTC", "+hh:mm", "+hhmm", "+hh" at pos; the offset in seconds east of UTC.
bool zone(std::string_view s, std::size_t& pos, std::int64_t& offset_s) noexcept {
    offset_s = 0;
    if (pos < s.size() && s[pos] == ' ') ++pos;
    if (pos >= s.size()) return true;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
        return true;
    }
    if (s.substr(pos) == "UTC" || s.substr(pos) == "GMT") {
        pos = s.size();
        return true;
    }
    if (s[pos] != '+' && s[pos] != '-') return false;
    const bool neg = s[pos] == '-';
    ++pos;
    unsigned h = 0, m = 0;
    if (!digits(s, pos, 2, h)) return false;
    pos += 2;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (pos < s.size()) {
        if (!digits(s, pos, 2, m)) return false;
        pos += 2;
    }
    if (h > 23 || m > 59) return false;
    offset_s = (neg ? -1 : 1) * static_cast<std::int64_t>(h * 3600 + m * 60);
    return true;
}

std::optional<std::int64_t> civil_ms(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned se,
                                     unsigned ms, std::int64_t offset_s) noexcept {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    const std::int64_t days = days_from_civil(y, mo, d);
    return (days * kSecondsPerDay + h * 3600 + mi * 60 + se - offset_s) * kMsPerSecond + ms;
}

std::optional<std::int64_t> unix_seconds_ms(std::string_view s) noexcept {
    const auto d = parse_decimal(s);
    if (!d || d->mantissa < 0) return std::nullopt;
    return scaled(*d, kMsPerSecond);
}

StationClass station_class_from_text(std::string_view s) noexcept {
    s = trim(s);
    if (s.empty()) return StationClass::unknown;
    if (iequals(s, "A") || iequals(s, "Class A") || iequals(s, "AIS-A")) return StationClass::class_a;
    if (iequals(s, "B") || iequals(s, "Class B") || iequals(s, "AIS-B")) return StationClass::class_b;
    if (istarts_with(s, "Base")) return StationClass::base_station;
    if (iequals(s, "AtoN") || istarts_with(s, "Aid")) return StationClass::aid_to_navigation;
    if (istarts_with(s, "SAR")) return StationClass::sar_aircraft;
    return StationClass::unknown;
}

/// Name-like text: trimmed, AIS '@' padding removed; "" when not available.
std::string_view text_field(std::string_view raw) noexcept {
    std::string_view s = trim(raw);
    while (!s.empty() && (s.back() == '@' || s.back() == ' ')) s.remove_suffix(1);
    return not_available(s) ? std::string_view{} : s;
}

/// Everything the row parsers share: one field's text -> the row.
struct FieldSetter {
    explicit FieldSetter(DecodedRow& r) : row(r) {}
    DecodedRow& row;
    bool has_lat = false, has_lon = false;
    std::optional<std::uint16_t> length, width;

    /// false: the field is malformed (bad_number). Inlined into the row parsers' loops: as a call, its
    /// entry, dispatch and exit were a quarter of its instructions (it is called for every field).
    [[gnu::always_inline]] bool set(RowField f, std::string_view raw) {
        switch (f) {
            case RowField::mmsi:
            case RowField::time: return true;  // handled by the callers (different faults)
            case RowField::lat:
            case RowField::lon: {
                const Number n = number<kMinutesPerDegreeUnits>(raw);
                if (!n) return true;
                if (!*n) return false;
                const std::int64_t v = **n;
                const std::int64_t limit = (f == RowField::lat ? 91 : 181) * kMinutesPerDegreeUnits;
                const std::int32_t units =
                    static_cast<std::int32_t>(std::clamp<std::int64_t>(v, -limit - 1, limit + 1));
                if (f == RowField::lat) {
                    row.lat = units;
                    has_lat = true;
                } else {
                    row.lon = units;
                    has_lon = true;
                }
                return true;
            }
            case RowField::sog:
            case RowField::cog: {
                const Number n = number<10>(raw);
                if (!n) return true;
                if (!*n) return false;
                const std::int64_t v = **n;
                const std::uint16_t na = f == RowField::sog ? kSogUnavailable : kCogUnavailable;
                const std::uint16_t value = v < 0 || v > na ? na : static_cast<std::uint16_t>(v);
                (f == RowField::sog ? row.sog : row.cog) = value;
                return true;
            }
            case RowField::heading: {
                const Number n = number<1>(raw);
                if (!n) return true;
                if (!*n) return false;
                const std::int64_t v = **n;
                row.heading = v < 0 || v > kMaxHeadingDeg ? kHeadingUnavailable : static_cast<std::uint16_t>(v);
                return true;
            }
            case RowField::rot: {
                const std::string_view s = trim(raw);
                if (not_available(s)) return true;
                const auto d = parse_decimal(s);
                if (!d) return false;
                const double deg_per_min = static_cast<double>(d->mantissa) * std::pow(10.0, d->exponent);
                const double ais = std::copysign(kRotAisFactor * std::sqrt(std::fabs(deg_per_min)), deg_per_min);
                row.turn = static_cast<std::int8_t>(std::clamp(static_cast<int>(std::lround(ais)), -kMaxRotAis, kMaxRotAis));
                return true;
            }
            case RowField::status: {
                std::string_view s;
                std::optional<Decimal> d;
                if (absent_or_decimal(raw, s, d)) return true;
                if (d) {
                    const auto v = scaled_by<1>(*d);
                    if (!v || *v < 0 || *v > kMaxStatus) return false;
                    row.status = static_cast<std::uint8_t>(*v);
                    return true;
                }
                if (const auto code = nav_status_from_text(s)) row.status = *code;
                return true;
            }
            case RowField::type: {
                std::string_view s = trim(raw);
                if (not_available(s)) return true;
                if (const auto dot = s.rfind('.'); dot != std::string_view::npos && istarts_with(s, "AIS"))
                    s = s.substr(dot + 1);
                const Number n = number<1>(s);
                if (!n) return true;
                if (!*n) return false;
                if (**n >= 1 && **n <= kMaxMessageType) row.type = static_cast<std::uint8_t>(**n);
                return true;
            }
            case RowField::name: row.identity.name = text_field(raw); return true;
            case RowField::callsign: row.identity.callsign = text_field(raw); return true;
            case RowField::destination: row.identity.destination = text_field(raw); return true;
            case RowField::eta: row.identity.eta = text_field(raw); return true;
            case RowField::station_class: row.identity.station_class = station_class_from_text(raw); return true;
            case RowField::imo: {
                std::string_view s = raw;
                // "IMO9074729" (MarineCadastre's spelling) straight to the number; the rest trimmed first
                if (s.size() > 3 && s[0] == 'I' && s[1] == 'M' && s[2] == 'O' && s[3] >= '0' && s[3] <= '9') {
                    s.remove_prefix(3);
                } else {
                    s = trim(s);
                    if (istarts_with(s, "IMO")) s = trim(s.substr(3));
                }
                const Number n = number<1>(s);
                if (!n) return true;
                if (!*n) return false;
                if (**n > 0 && **n <= kMaxImo) row.identity.imo = static_cast<std::uint32_t>(**n);
                return true;
            }
            case RowField::ship_type: {
                std::string_view s;
                std::optional<Decimal> d;
                if (absent_or_decimal(raw, s, d)) return true;
                if (d) {
                    const auto v = scaled_by<1>(*d);
                    if (!v || *v < 0) return false;
                    // MarineCadastre's pre-2018 codes above 99 are US-specific: not an AIS type.
                    if (*v > 0 && *v <= kMaxShipType) row.identity.ship_type = static_cast<std::uint8_t>(*v);
                    return true;
                }
                if (const auto code = ship_type_from_text(s)) row.identity.ship_type = *code;
                return true;
            }
            case RowField::length:
            case RowField::width:
            case RowField::to_bow:
            case RowField::to_stern:
            case RowField::to_port:
            case RowField::to_starboard: {
                const Number n = number<1>(raw);
                if (!n) return true;
                if (!*n) return false;
                const std::int64_t v = **n;
                if (v <= 0) return true;  // 0 = not available in AIS
                const bool bow_stern = f == RowField::length || f == RowField::to_bow || f == RowField::to_stern;
                const auto m16 = static_cast<std::uint16_t>(std::min<std::int64_t>(v, kMaxBowSternM));
                const auto m8 = static_cast<std::uint8_t>(std::min<std::int64_t>(v, bow_stern ? 255 : kMaxPortStarboardM));
                switch (f) {
                    case RowField::length: length = m16; break;
                    case RowField::width: width = static_cast<std::uint16_t>(std::min<std::int64_t>(v, 255)); break;
                    case RowField::to_bow: row.identity.to_bow = m16; break;
                    case RowField::to_stern: row.identity.to_stern = m16; break;
                    case RowField::to_port: row.identity.to_port = m8; break;
                    default: row.identity.to_starboard = m8; break;
                }
                return true;
            }
            case RowField::draught: {
                const Number n = number<10>(raw);
                if (!n) return true;
                if (!*n) return false;
                if (**n > 0) row.identity.draught_dm = static_cast<std::uint8_t>(std::min(**n, kMaxDraughtDm));
                return true;
            }
            case RowField::kCount: break;
        }
        return true;
    }

    /// Length and width stand for the dimensions when A/B/C/D are not given.
    void finish() {
        RowIdentity& id = row.identity;
        if (length && !id.to_bow && !id.to_stern) {
            id.to_bow = *length;
            id.to_stern = 0;
        }
        if (width && !id.to_port && !id.to_starboard) {
            id.to_port = static_cast<std::uint8_t>(std::min<std::uint16_t>(*width, 255));
            id.to_starboard = 0;
        }
        finish_position();
    }
    void finish_position() noexcept { row.has_position = has_lat && has_lon; }
};

std::optional<RowIssue> parse_mmsi(std::string_view raw, std::uint32_t& out) noexcept {
    Decimal plain;
    const auto d = plain_decimal(raw, plain) ? std::optional<Decimal>(plain) : parse_decimal(trim(raw));
    if (!d) return RowIssue::bad_mmsi;
    const auto v = scaled_by<1>(*d);
    if (!v || *v <= 0 || *v > kMaxMmsi) return RowIssue::bad_mmsi;
    out = static_cast<std::uint32_t>(*v);
    return std::nullopt;
}

struct DialectColumn {
    RowField field;
    std::string_view header;
};

constexpr std::array<DialectColumn, 16> kMarineCadastre = {{
    {RowField::mmsi, "MMSI"},          {RowField::time, "BaseDateTime"},
    {RowField::lat, "LAT"},            {RowField::lon, "LON"},
    {RowField::sog, "SOG"},            {RowField::cog, "COG"},
    {RowField::heading, "Heading"},    {RowField::name, "VesselName"},
    {RowField::imo, "IMO"},            {RowField::callsign, "CallSign"},
    {RowField::ship_type, "VesselType"}, {RowField::status, "Status"},
    {RowField::length, "Length"},      {RowField::width, "Width"},
    {RowField::draught, "Draft"},      {RowField::station_class, "TransceiverClass"},
}};

constexpr std::array<DialectColumn, 23> kDma = {{
    {RowField::time, "Timestamp"},   {RowField::station_class, "Type of mobile"},
    {RowField::mmsi, "MMSI"},        {RowField::lat, "Latitude"},
    {RowField::lon, "Longitude"},    {RowField::status, "Navigational status"},
    {RowField::rot, "ROT"},          {RowField::sog, "SOG"},
    {RowField::cog, "COG"},          {RowField::heading, "Heading"},
    {RowField::imo, "IMO"},          {RowField::callsign, "Callsign"},
    {RowField::name, "Name"},        {RowField::ship_type, "Ship type"},
    {RowField::width, "Width"},      {RowField::length, "Length"},
    {RowField::draught, "Draught"},  {RowField::destination, "Destination"},
    {RowField::eta, "ETA"},          {RowField::to_bow, "A"},
    {RowField::to_stern, "B"},       {RowField::to_port, "C"},
    {RowField::to_starboard, "D"},
}};

/// Header names of a source: trimmed, the DMA's "# " comment marker dropped from the first.
std::vector<std::string_view> header_names(std::string_view header, CsvSplitter& splitter) {
    std::vector<std::string_view> names;
    if (splitter.add_line(strip_bom(header)) != CsvSplitter::Status::complete) return names;
    for (std::string_view f : splitter.fields()) names.push_back(trim(f));
    if (!names.empty() && names[0].starts_with('#')) names[0] = trim(names[0].substr(1));
    return names;
}

int find_column(const std::vector<std::string_view>& names, std::string_view want) {
    for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k] == want) return static_cast<int>(k);
    for (std::size_t k = 0; k < names.size(); ++k)
        if (iequals(names[k], want)) return static_cast<int>(k);
    return -1;
}

// ---- JSON (one object per line)

struct JsonCursor {
    std::string_view s;
    std::size_t pos = 0;

    void ws() noexcept {
        while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n')) ++pos;
    }
    bool eat(char c) noexcept {
        ws();
        if (pos < s.size() && s[pos] == c) {
            ++pos;
            return true;
        }
        return false;
    }
    static void put_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    /// A string at pos (after ws); the view is into the line when it has no escapes, else into
    /// `scratch` (whose capacity the caller reserved: views stay valid).
    bool string(std::string_view& out, std::string& scratch) {
        ws();
        if (pos >= s.size() || s[pos] != '"') return false;
        const std::size_t start = ++pos;
        while (pos < s.size() && s[pos] != '"' && s[pos] != '\\') ++pos;
        if (pos >= s.size()) return false;
        if (s[pos] == '"') {
            out = s.substr(start, pos - start);
            ++pos;
            return true;
        }
        const std::size_t begin = scratch.size();
        scratch.append(s.substr(start, pos - start));
        while (pos < s.size() && s[pos] != '"') {
            if (s[pos] != '\\') {
                scratch += s[pos++];
                continue;
            }
            if (++pos >= s.size()) return false;
            const char e = s[pos++];
            switch (e) {
                case 'n': scratch += '\n'; break;
                case 't': scratch += '\t'; break;
                case 'r': scratch += '\r'; break;
                case 'b': scratch += '\b'; break;
                case 'f': scratch += '\f'; break;
                case 'u': {
                    unsigned cp = 0;
                    for (int k = 0; k < 4; ++k, ++pos) {
                        if (pos >= s.size()) return false;
                        const char c = s[pos];
                        cp <<= 4;
                        if (c >= '0' && c <= '9') cp |= static_cast<unsigned>(c - '0');
                        else if (lower(c) >= 'a' && lower(c) <= 'f') cp |= static_cast<unsigned>(lower(c) - 'a' + 10);
                        else return false;
                    }
                    put_utf8(scratch, cp);
                    break;
                }
                default: scratch += e; break;
            }
        }
        if (pos >= s.size()) return false;
        ++pos;
        out = std::string_view(scratch).substr(begin);
        return true;
    }
    /// A scalar that is not a string (number, NaN, Infinity, null, true, false): its text.
    bool scalar(std::string_view& out) noexcept {
        ws();
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] != ',' && s[pos] != '}' && s[pos] != ']' && s[pos] != ' ' && s[pos] != '\t')
            ++pos;
        out = s.substr(start, pos - start);
        return !out.empty();
    }
    /// Skips any value (bounded nesting).
    bool skip(std::string& scratch, int depth = 0) {
        ws();
        if (pos >= s.size() || depth > kMaxJsonDepth) return false;
        std::string_view v;
        if (s[pos] == '"') {
            const std::size_t keep = scratch.size();
            const bool ok = string(v, scratch);
            scratch.resize(keep);
            return ok;
        }
        if (s[pos] == '{' || s[pos] == '[') {
            const char close = s[pos] == '{' ? '}' : ']';
            const bool object = close == '}';
            ++pos;
            if (eat(close)) return true;
            for (;;) {
                if (object) {
                    const std::size_t keep = scratch.size();
                    const bool ok = string(v, scratch);
                    scratch.resize(keep);
                    if (!ok || !eat(':')) return false;
                }
                if (!skip(scratch, depth + 1)) return false;
                if (eat(',')) continue;
                return eat(close);
            }
        }
        return scalar(v);
    }
};

}  // namespace

std::string_view input_format_name(InputFormat f) noexcept { return kFormatNames[static_cast<std::size_t>(f)]; }

std::optional<InputFormat> input_format_from_name(std::string_view name) noexcept {
    for (std::size_t k = 0; k < kFormatNames.size(); ++k)
        if (kFormatNames[k] == name) return static_cast<InputFormat>(k);
    return std::nullopt;
}

std::string_view strip_bom(std::string_view line) noexcept {
    if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    return line;
}

std::optional<InputFormat> detect_input_format(std::string_view first_line) noexcept {
    const std::string_view s = trim(strip_bom(first_line));
    if (s.starts_with('{')) return InputFormat::gfw_json;
    if (s.starts_with('!') || s.starts_with('\\') || s.starts_with('$') || s.find("VDM,") != std::string_view::npos ||
        s.find("VDO,") != std::string_view::npos)
        return InputFormat::nmea;
    if (istarts_with(s, "# Timestamp,") || istarts_with(s, "Timestamp,Type of mobile")) return InputFormat::dma;
    if (istarts_with(s, "MMSI,BaseDateTime,") || (icontains(s, "BaseDateTime") && icontains(s, "MMSI")))
        return InputFormat::marinecadastre;
    if (std::count(s.begin(), s.end(), ',') >= 2) return std::nullopt;  // a CSV header of no known dialect
    return InputFormat::nmea;  // anything else is read (and counted) by the NMEA pipeline
}

std::string_view row_issue_name(RowIssue i) noexcept { return kRowIssueNames[static_cast<std::size_t>(i)]; }
std::string_view row_field_name(RowField f) noexcept { return kRowFieldNames[static_cast<std::size_t>(f)]; }

std::optional<RowField> row_field_from_name(std::string_view name) noexcept {
    for (std::size_t k = 0; k < kRowFieldNames.size(); ++k)
        if (kRowFieldNames[k] == name) return static_cast<RowField>(k);
    return std::nullopt;
}

// ---- CSV splitting

void CsvSplitter::reset() noexcept {
    open_ = false;
    pending_.clear();
    lines_ = 0;
    fields_.clear();
}

CsvSplitter::Status CsvSplitter::add_line(std::string_view line) {
    if (!open_) {
        lines_ = 1;
        pending_.clear();
        if (split(line)) return Status::complete;
        open_ = true;
        pending_.assign(line);
        return Status::needs_more;
    }
    ++lines_;
    pending_ += '\n';
    pending_.append(line);
    if (lines_ > kMaxRecordLines || pending_.size() > kMaxRecordBytes) {
        open_ = false;
        pending_.clear();
        fields_.clear();
        return Status::too_long;
    }
    if (!split(pending_)) return Status::needs_more;
    open_ = false;  // the fields view into pending_ until the next add_line
    return Status::complete;
}

bool CsvSplitter::split(std::string_view text) {
    fields_.clear();
    unquoted_.clear();
    std::size_t k = 0;
    const std::size_t n = text.size();
    // The usual record: no quotes, fields end at commas (found 16 bytes at a time, with the check for
    // a quote in the same pass). A quote anywhere sends the whole record to the quoted loop below.
    const char* p = text.data();
    std::size_t start = 0;
    bool quoted = false;
#if defined(__SSE2__)
    const __m128i commas = _mm_set1_epi8(',');
    const __m128i quotes = _mm_set1_epi8('"');
    constexpr std::size_t kLane = 16;
    for (; k + kLane <= n; k += kLane) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, quotes)) != 0) {
            quoted = true;
            break;
        }
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, commas)));
        while (mask != 0) {
            const std::size_t at = k + static_cast<std::size_t>(__builtin_ctz(mask));
            fields_.emplace_back(p + start, at - start);
            start = at + 1;
            mask &= mask - 1;
        }
    }
#endif
    for (; !quoted && k < n; ++k) {
        if (p[k] == ',') {
            fields_.emplace_back(p + start, k - start);
            start = k + 1;
        } else if (p[k] == '"') {
            quoted = true;
        }
    }
    plain_ = !quoted;
    if (!quoted) {
        fields_.emplace_back(p + start, n - start);  // the last field (empty after a trailing comma)
        return true;
    }
    fields_.clear();
    k = 0;
    for (;;) {
        if (k < n && text[k] == '"') {
            if (unquoted_.capacity() < n) unquoted_.reserve(n);  // views into it stay valid
            const std::size_t begin = unquoted_.size();
            ++k;
            for (;;) {
                const std::size_t q = text.find('"', k);
                if (q == std::string_view::npos) return false;  // open quote: the record goes on
                unquoted_.append(text.substr(k, q - k));
                k = q + 1;
                if (k < n && text[k] == '"') {
                    unquoted_ += '"';
                    ++k;
                    continue;
                }
                break;
            }
            // lenient: text between the closing quote and the next comma is kept
            const std::size_t comma = text.find(',', k);
            const std::size_t stop = comma == std::string_view::npos ? n : comma;
            unquoted_.append(text.substr(k, stop - k));
            fields_.push_back(std::string_view(unquoted_).substr(begin));
            k = stop;
        } else {
            const std::size_t comma = text.find(',', k);
            const std::size_t stop = comma == std::string_view::npos ? n : comma;
            fields_.push_back(text.substr(k, stop - k));
            k = stop;
        }
        if (k >= n) break;
        ++k;  // the comma
        if (k == n) {
            fields_.emplace_back();
            break;
        }
    }
    return true;
}

// ---- times

std::optional<std::int64_t> parse_row_time(std::string_view raw) noexcept { return parse_row_time(raw, nullptr); }

namespace {
/// The two decimal digits at p; `bad` gets 1 when either is not a digit.
[[gnu::always_inline]] inline unsigned two_digits(const char* p, unsigned& bad) noexcept {
    const unsigned a = static_cast<unsigned>(static_cast<unsigned char>(p[0])) - '0';
    const unsigned b = static_cast<unsigned>(static_cast<unsigned char>(p[1])) - '0';
    bad |= (a > 9 ? 1U : 0U) | (b > 9 ? 1U : 0U);
    return a * 10 + b;
}
}  // namespace

std::optional<std::int64_t> parse_row_time(std::string_view raw, RowDateMemo* memo) noexcept {
    // "YYYY-MM-DDTHH:MM:SS" (MarineCadastre's BaseDateTime, and most dumps): the digits read straight
    // from their fixed places; the same result as the general path below, which any other text takes.
    if (raw.size() == 19 && raw[4] == '-' && raw[7] == '-' && (raw[10] == 'T' || raw[10] == ' ') && raw[13] == ':' &&
        raw[16] == ':') {
        unsigned bad = 0;
        const auto two = [&](std::size_t k) { return two_digits(raw.data() + k, bad); };
        if (memo != nullptr && memo->valid && std::memcmp(raw.data(), memo->date.data(), memo->date.size()) == 0) {
            // the date of a time read before (so a valid one): the clock, checked as civil_ms() does
            const unsigned h = two(11), mi = two(14), se = two(17);
            if (bad == 0) {
                if (h > 23 || mi > 59 || se > 60) return std::nullopt;
                return memo->day_ms + static_cast<std::int64_t>(h * 3600 + mi * 60 + se) * kMsPerSecond;
            }
        } else {
            const unsigned y = two(0) * 100 + two(2);
            const unsigned mo = two(5), d = two(8), h = two(11), mi = two(14), se = two(17);
            if (bad == 0) {
                const auto t = civil_ms(y, mo, d, h, mi, se, 0, 0);
                if (t && memo != nullptr) {
                    std::memcpy(memo->date.data(), raw.data(), memo->date.size());
                    memo->day_ms = days_from_civil(y, mo, d) * kSecondsPerDay * kMsPerSecond;
                    memo->valid = true;
                }
                return t;
            }
        }
    }
    const std::string_view s = trim(raw);
    if (s.empty()) return std::nullopt;
    if (s.size() < 10 || s[4] != '-') return unix_seconds_ms(s);
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, ms = 0;
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d)) return std::nullopt;
    std::size_t pos = 10;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
        if (!digits(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, mi))
            return std::nullopt;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, se)) return std::nullopt;
            pos += 3;
            if (pos < s.size() && s[pos] == '.') {
                ++pos;
                ms = fraction_ms(s, pos);
            }
        }
    }
    std::int64_t offset = 0;
    if (!zone(s, pos, offset) || pos != s.size()) return std::nullopt;
    return civil_ms(y, mo, d, h, mi, se, ms, offset);
}

TimeFormat::TimeFormat(std::string pattern) : pattern_(std::move(pattern)) {
    bool date = false;
    for (std::size_t k = 0; k < pattern_.size(); ++k) {
        if (pattern_[k] != '%') continue;
        if (++k >= pattern_.size()) throw ConfigError("time format '" + pattern_ + "': ends with a lone %");
        switch (pattern_[k]) {
            case 'Y':
            case 's': date = true; break;
            case 'm':
            case 'd':
            case 'H':
            case 'M':
            case 'S':
            case 'f':
            case 'z':
            case '%': break;
            default:
                throw ConfigError("time format '" + pattern_ + "': unknown directive %" + std::string(1, pattern_[k]) +
                                  " (known: %Y %m %d %H %M %S %f %z %s %%)");
        }
    }
    if (!date) throw ConfigError("time format '" + pattern_ + "': needs %Y (with %m %d) or %s");
}

std::optional<std::int64_t> TimeFormat::parse(std::string_view raw) const noexcept { return parse(raw, nullptr); }

std::optional<std::int64_t> TimeFormat::parse(std::string_view raw, RowDateMemo* memo) const noexcept {
    if (pattern_.empty()) return parse_row_time(raw, memo);
    const std::string_view s = trim(raw);
    unsigned y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0, ms = 0;
    std::int64_t offset = 0;
    std::optional<std::int64_t> unix_ms;
    std::size_t pos = 0;
    for (std::size_t k = 0; k < pattern_.size(); ++k) {
        const char c = pattern_[k];
        if (c != '%') {
            if (pos >= s.size() || s[pos] != c) return std::nullopt;
            ++pos;
            continue;
        }
        const char dir = pattern_[++k];
        bool ok = true;
        switch (dir) {
            case 'Y': ok = some_digits(s, pos, 4, y); break;
            case 'm': ok = some_digits(s, pos, 2, mo); break;
            case 'd': ok = some_digits(s, pos, 2, d); break;
            case 'H': ok = some_digits(s, pos, 2, h); break;
            case 'M': ok = some_digits(s, pos, 2, mi); break;
            case 'S': ok = some_digits(s, pos, 2, se); break;
            case 'f': ms = fraction_ms(s, pos); break;
            case 'z': ok = zone(s, pos, offset); break;
            case 's': {
                std::size_t end = pos;
                while (end < s.size() && ((s[end] >= '0' && s[end] <= '9') || s[end] == '.')) ++end;
                unix_ms = unix_seconds_ms(s.substr(pos, end - pos));
                ok = unix_ms.has_value();
                pos = end;
                break;
            }
            default: ok = pos < s.size() && s[pos++] == '%'; break;
        }
        if (!ok) return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    if (unix_ms) return *unix_ms;
    return civil_ms(y, mo, d, h, mi, se, ms, offset);
}

// ---- identities

void RowIdentity::move_text_to(char* buffer) noexcept {
    for (std::string_view* f : {&name, &callsign, &destination, &eta}) {
        const std::size_t n = f->size();
        if (n != 0) std::memcpy(buffer, f->data(), n);
        *f = std::string_view(buffer, n);
        buffer += n;
    }
}

void RowIdentity::merge_into(StaticData& d) const {
    if (station_class != StationClass::unknown) d.station_class = station_class;
    if (!name.empty() && d.name != name) d.name.assign(name);
    if (!callsign.empty() && d.callsign != callsign) d.callsign.assign(callsign);
    if (!destination.empty() && d.destination != destination) d.destination.assign(destination);
    if (!eta.empty() && d.eta != eta) d.eta.assign(eta);
    if (imo) d.imo = *imo;
    if (ship_type) d.ship_type = *ship_type;
    if (to_bow) d.to_bow = *to_bow;
    if (to_stern) d.to_stern = *to_stern;
    if (to_port) d.to_port = *to_port;
    if (to_starboard) d.to_starboard = *to_starboard;
    if (draught_dm) d.draught_dm = *draught_dm;
}

std::optional<std::uint8_t> ship_type_from_text(std::string_view raw) noexcept {
    const std::string_view s = trim(raw);
    struct Category {
        std::string_view prefix;
        std::uint8_t code;
    };
    // ITU-R M.1371 table 53 category names as dumps write them; longest prefixes first.
    static constexpr std::array<Category, 27> kCategories = {{
        {"Wing in ground", 20}, {"WIG", 20},           {"Fishing", 30},        {"Towing long", 32},
        {"Towing", 31},         {"Dredging", 33},      {"Diving", 34},         {"Military", 35},
        {"Sailing", 36},        {"Pleasure", 37},      {"High speed craft", 40}, {"HSC", 40},
        {"Pilot", 50},          {"Search and rescue", 51}, {"SAR", 51},        {"Tug", 52},
        {"Port tender", 53},    {"Anti-pollution", 54}, {"Law enforcement", 55}, {"Medical", 58},
        {"Noncombatant", 59},   {"Not party to conflict", 59}, {"Passenger", 60}, {"Cargo", 70},
        {"Tanker", 80},         {"Other", 90},         {"Spare", 0},
    }};
    for (const Category& c : kCategories)
        if (istarts_with(s, c.prefix)) return c.code == 0 ? std::nullopt : std::optional<std::uint8_t>(c.code);
    return std::nullopt;
}

std::optional<std::uint8_t> nav_status_from_text(std::string_view raw) noexcept {
    const std::string_view s = trim(raw);
    struct Status {
        std::string_view prefix;
        std::uint8_t code;
    };
    static constexpr std::array<Status, 15> kStatuses = {{
        {"Under way using engine", 0}, {"At anchor", 1}, {"Not under command", 2}, {"Restricted man", 3},
        {"Constrained by", 4}, {"Moored", 5}, {"Aground", 6}, {"Engaged in fishing", 7}, {"Under way sailing", 8},
        {"Reserved for future amendment [HSC]", 9}, {"Reserved for future amendment [WIG]", 10},
        {"Power-driven vessel towing astern", 11}, {"Power-driven vessel pushing", 12}, {"AIS-SART", 14},
        {"Unknown", 15},
    }};
    for (const Status& st : kStatuses)
        if (istarts_with(s, st.prefix)) return st.code;
    return std::nullopt;
}

// ---- column mappings and CSV rows

ColumnSpec parse_column_spec(std::string_view text) {
    ColumnSpec spec;
    std::array<bool, kRowFieldCount> seen{};
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        const std::string_view item = trim(text.substr(start, comma - start));
        start = comma + 1;
        if (item.empty()) {
            if (comma == text.size()) break;
            continue;
        }
        const auto eq = item.find('=');
        if (eq == std::string_view::npos)
            throw ConfigError("--columns: '" + std::string(item) + "' is not FIELD=COLUMN");
        const std::string_view field = trim(item.substr(0, eq));
        const std::string_view column = trim(item.substr(eq + 1));
        const auto f = row_field_from_name(field);
        if (!f) {
            std::string known;
            for (const auto n : kRowFieldNames) known += (known.empty() ? "" : " ") + std::string(n);
            throw ConfigError("--columns: unknown field '" + std::string(field) + "' (known: " + known + ")");
        }
        if (column.empty()) throw ConfigError("--columns: field '" + std::string(field) + "' has no column name");
        if (seen[static_cast<std::size_t>(*f)])
            throw ConfigError("--columns: field '" + std::string(field) + "' given twice");
        seen[static_cast<std::size_t>(*f)] = true;
        spec.columns.emplace_back(*f, std::string(column));
    }
    for (const RowField required : {RowField::mmsi, RowField::time})
        if (!seen[static_cast<std::size_t>(required)])
            throw ConfigError("--columns: no column for '" + std::string(row_field_name(required)) +
                              "' (mmsi and time are required, lat and lon for positions)");
    if (seen[static_cast<std::size_t>(RowField::lat)] != seen[static_cast<std::size_t>(RowField::lon)])
        throw ConfigError("--columns: lat and lon go together");
    return spec;
}

std::optional<CsvRowReader> CsvRowReader::from_header(InputFormat format, std::string_view header,
                                                      const RowOptions& options, std::string& missing) {
    CsvRowReader r;
    r.format_ = format;
    r.column_.fill(-1);
    CsvSplitter splitter;
    const std::vector<std::string_view> names = header_names(header, splitter);
    auto map = [&](RowField f, std::string_view name) { r.column_[static_cast<std::size_t>(f)] = find_column(names, name); };
    if (format == InputFormat::marinecadastre) {
        for (const auto& c : kMarineCadastre) map(c.field, c.header);
    } else if (format == InputFormat::dma) {
        for (const auto& c : kDma) map(c.field, c.header);
        r.time_ = TimeFormat("%d/%m/%Y %H:%M:%S");
        r.dma_time_ = true;
    } else {
        for (const auto& [f, name] : options.columns.columns) {
            map(f, name);
            if (r.column_[static_cast<std::size_t>(f)] < 0) {
                missing = name + " (for " + std::string(row_field_name(f)) + ")";
                return std::nullopt;
            }
        }
        r.time_ = options.time_format;
    }
    for (const RowField required : {RowField::mmsi, RowField::time}) {
        if (r.column_[static_cast<std::size_t>(required)] < 0) {
            missing = std::string(row_field_name(required));
            return std::nullopt;
        }
    }
    int max_column = -1;
    for (const int c : r.column_) max_column = std::max(max_column, c);
    r.min_fields_ = static_cast<std::size_t>(max_column + 1);
    for (std::size_t k = 0; k < kRowFieldCount; ++k) {
        const auto f = static_cast<RowField>(k);
        if (f == RowField::name) r.identity_from_ = r.present_count_;
        if (r.column_[k] >= 0 && f != RowField::mmsi && f != RowField::time)
            r.present_[r.present_count_++] = {f, static_cast<std::size_t>(r.column_[k])};
    }
    // Runs of identity columns: neighbours join a run unless a column read for something else (mmsi,
    // time, the position) lies between them.
    std::vector<bool> other(r.min_fields_, false), identity(r.min_fields_, false);
    for (std::size_t k = 0; k < kRowFieldCount; ++k) {
        if (r.column_[k] < 0) continue;
        (static_cast<RowField>(k) >= RowField::name ? identity : other)[static_cast<std::size_t>(r.column_[k])] = true;
    }
    bool fits = true;
    for (std::size_t c = 0; c < r.min_fields_; ++c) {
        if (!identity[c]) continue;
        bool joins = r.run_count_ > 0;
        for (std::size_t b = joins ? r.runs_[r.run_count_ - 1].last + 1 : c; b < c && joins; ++b) joins = !other[b];
        if (joins) {
            r.runs_[r.run_count_ - 1].last = c;
        } else if (r.run_count_ < r.runs_.size()) {
            r.runs_[r.run_count_++] = {c, c};
        } else {
            fits = false;
        }
    }
    if (!fits) r.run_count_ = 0;
    return r;
}

void RowIdentityMemo::clear() noexcept {
    slots_.clear();
    entries_.clear();
}

void RowIdentityMemo::grow() {
    slots_.assign(std::max<std::size_t>(slots_.size() * 2, 1024), 0);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t k = 0; k < entries_.size(); ++k) {
        std::size_t at = (entries_[k].mmsi * std::uint64_t{0x9E3779B97F4A7C15} >> 32) & mask;
        while (slots_[at] != 0) at = (at + 1) & mask;
        slots_[at] = static_cast<std::uint32_t>(k + 1);
    }
}

RowIdentityMemo::Entry& RowIdentityMemo::entry(std::uint32_t mmsi) {
    if (entries_.size() >= kMaxVessels) clear();
    if (slots_.size() < 2 * (entries_.size() + 1)) grow();  // at most half full
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = (mmsi * std::uint64_t{0x9E3779B97F4A7C15} >> 32) & mask;
    while (slots_[at] != 0) {
        Entry& e = entries_[slots_[at] - 1];
        if (e.mmsi == mmsi) return e;
        at = (at + 1) & mask;
    }
    Entry& e = entries_.emplace_back();
    e.mmsi = mmsi;
    slots_[at] = static_cast<std::uint32_t>(entries_.size());
    return e;
}

std::optional<RowIssue> CsvRowReader::parse(std::span<const std::string_view> fields, DecodedRow& out) const {
    return parse(fields, out, nullptr);
}

std::optional<RowIssue> CsvRowReader::parse(std::span<const std::string_view> fields, DecodedRow& out,
                                            RowIdentityMemo* memo) const {
    out = DecodedRow{};
    auto column = [&](RowField f) { return column_[static_cast<std::size_t>(f)]; };
    // Trailing empty columns may be missing from a row; only the columns read must be there.
    if (fields.size() < min_fields_) {
        for (const int c : column_)
            if (c >= static_cast<int>(fields.size())) return RowIssue::field_count;
    }
    if (const auto issue = parse_mmsi(fields[static_cast<std::size_t>(column(RowField::mmsi))], out.mmsi)) return issue;
    const auto t = time_.parse(fields[static_cast<std::size_t>(column(RowField::time))], &date_memo_);
    if (!t) return RowIssue::bad_time;
    out.time_ms = *t;
    FieldSetter set(out);
    for (std::size_t k = 0; k < identity_from_; ++k)
        if (!set.set(present_[k].field, fields[present_[k].column])) return RowIssue::bad_number;
    // The identity columns: the vessel's previous row's identity when their bytes are the same.
    RowIdentityMemo::Entry* seen = nullptr;
    std::array<std::string_view, RowIdentityMemo::kMaxRuns> runs{};
    if (memo != nullptr && run_count_ > 0) {
        for (std::size_t r = 0; r < run_count_; ++r) {
            const std::string_view a = fields[runs_[r].first], b = fields[runs_[r].last];
            runs[r] = std::string_view(a.data(), static_cast<std::size_t>(b.data() + b.size() - a.data()));
        }
        seen = &memo->entry(out.mmsi);
        if (seen->valid) {
            bool same = true;
            std::size_t at = 0;
            for (std::size_t r = 0; r < run_count_ && same; ++r) {
                same = runs[r].size() == seen->run_bytes[r] &&
                       std::memcmp(runs[r].data(), seen->raw.data() + at, runs[r].size()) == 0;
                at += runs[r].size();
            }
            if (same) {
                ++memo->hits_;
                out.identity = seen->identity;  // finished when it was parsed
                set.finish_position();
                if (!out.has_position && !out.identity.any()) return RowIssue::no_data;
                return std::nullopt;
            }
        }
    }
    for (std::size_t k = identity_from_; k < present_count_; ++k) {
        if (!set.set(present_[k].field, fields[present_[k].column])) {
            if (seen != nullptr) seen->valid = false;
            return RowIssue::bad_number;
        }
    }
    set.finish();
    if (seen != nullptr) {
        // Remembered: the runs' bytes and the identity, its views pointing into the entry's own text.
        seen->raw.clear();
        for (std::size_t r = 0; r < run_count_; ++r) {
            seen->run_bytes[r] = static_cast<std::uint32_t>(runs[r].size());
            seen->raw.append(runs[r]);
        }
        seen->identity = out.identity;
        seen->text.resize(seen->identity.text_bytes());
        seen->identity.move_text_to(seen->text.data());
        seen->valid = true;
    }
    if (!out.has_position && !out.identity.any()) return RowIssue::no_data;
    return std::nullopt;
}

// ---- JSON rows

std::optional<RowIssue> parse_json_row(std::string_view line, DecodedRow& out, std::string& scratch) {
    out = DecodedRow{};
    scratch.clear();
    if (scratch.capacity() < line.size()) scratch.reserve(line.size());
    JsonCursor j{line};
    if (!j.eat('{')) return RowIssue::bad_json;
    FieldSetter set(out);
    bool have_mmsi = false, mmsi_bad = false, have_time = false, time_bad = false, number_bad = false;
    if (!j.eat('}')) {
        for (;;) {
            std::string_view key;
            const std::size_t keep = scratch.size();
            if (!j.string(key, scratch) || !j.eat(':')) return RowIssue::bad_json;
            std::optional<RowField> field;
            if (key == "ssvid" || key == "mmsi") field = RowField::mmsi;
            else if (key == "timestamp") field = RowField::time;
            else if (key == "lat") field = RowField::lat;
            else if (key == "lon") field = RowField::lon;
            else if (key == "speed") field = RowField::sog;
            else if (key == "course") field = RowField::cog;
            else if (key == "heading") field = RowField::heading;
            else if (key == "status") field = RowField::status;
            else if (key == "type") field = RowField::type;
            else if (key == "shipname") field = RowField::name;
            else if (key == "callsign") field = RowField::callsign;
            else if (key == "imo") field = RowField::imo;
            else if (key == "shiptype") field = RowField::ship_type;
            else if (key == "length") field = RowField::length;
            else if (key == "width") field = RowField::width;
            else if (key == "draught") field = RowField::draught;
            else if (key == "destination") field = RowField::destination;
            scratch.resize(keep);  // the key is not needed any more
            j.ws();
            if (!field || j.pos >= line.size() || line[j.pos] == '{' || line[j.pos] == '[') {
                if (!j.skip(scratch)) return RowIssue::bad_json;
            } else {
                std::string_view value;
                const bool quoted = line[j.pos] == '"';
                if (!(quoted ? j.string(value, scratch) : j.scalar(value))) return RowIssue::bad_json;
                if (*field == RowField::mmsi) {
                    have_mmsi = true;
                    mmsi_bad = parse_mmsi(value, out.mmsi).has_value();
                } else if (*field == RowField::time) {
                    const auto t = parse_row_time(value);
                    have_time = true;
                    time_bad = !t;
                    if (t) out.time_ms = *t;
                } else if (!quoted && (value == "true" || value == "false")) {
                    number_bad = true;
                } else if (!set.set(*field, value)) {
                    number_bad = true;
                }
            }
            if (j.eat(',')) continue;
            if (j.eat('}')) break;
            return RowIssue::bad_json;
        }
    }
    j.ws();
    if (j.pos != line.size()) return RowIssue::bad_json;
    if (!have_mmsi || mmsi_bad) return RowIssue::bad_mmsi;
    if (!have_time || time_bad) return RowIssue::bad_time;
    if (number_bad) return RowIssue::bad_number;
    set.finish();
    if (!out.has_position && !out.identity.any()) return RowIssue::no_data;
    return std::nullopt;
}

}  // namespace vw::track
