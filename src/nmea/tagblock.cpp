#include "vesselwatch/nmea/tagblock.hpp"

#include "field_scan.hpp"
#include "vesselwatch/nmea/checksum.hpp"

namespace vw::nmea {
namespace {

constexpr std::size_t kMaxTimeDigits = 16;      // c: up to ~year 300,000 in ms: plenty, no overflow
constexpr std::size_t kMaxLineCountDigits = 9;  // n: fits in uint32
constexpr std::size_t kMaxGroupNumberDigits = 2;
constexpr unsigned kMaxGroupNumber = 99;
constexpr std::size_t kTagBlockTrailerChars = 4;  // "*hh\"

/// All-digit, 1..max_digits characters -> value.
[[nodiscard]] std::optional<std::uint64_t> parse_digits(std::string_view s, std::size_t max_digits) noexcept {
    if (s.empty() || s.size() > max_digits) return std::nullopt;
    std::uint64_t v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

[[nodiscard]] bool parse_group(std::string_view v, TagBlockGroup& g) noexcept {
    const std::size_t d1 = v.find('-');
    if (d1 == std::string_view::npos) return false;
    const std::size_t d2 = v.find('-', d1 + 1);
    if (d2 == std::string_view::npos) return false;
    const auto seq = parse_digits(v.substr(0, d1), kMaxGroupNumberDigits);
    const auto total = parse_digits(v.substr(d1 + 1, d2 - d1 - 1), kMaxGroupNumberDigits);
    const std::string_view id = v.substr(d2 + 1);
    if (!seq || !total || id.empty()) return false;
    if (*seq < 1 || *total < 1 || *seq > *total || *total > kMaxGroupNumber) return false;
    g.sequence = static_cast<std::uint8_t>(*seq);
    g.total = static_cast<std::uint8_t>(*total);
    g.id = id;
    return true;
}

/// "<seq>G<total>:<id>", e.g. "1G2:58944".
[[nodiscard]] bool parse_numbered_group(std::string_view field, TagBlockGroup& g) noexcept {
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view key = field.substr(0, colon);
    const std::size_t gpos = key.find('G');
    if (gpos == std::string_view::npos) return false;
    const auto seq = parse_digits(key.substr(0, gpos), kMaxGroupNumberDigits);
    const auto total = parse_digits(key.substr(gpos + 1), kMaxGroupNumberDigits);
    const std::string_view id = field.substr(colon + 1);
    if (!seq || !total || id.empty()) return false;
    if (*seq < 1 || *total < 1 || *seq > *total) return false;
    g.sequence = static_cast<std::uint8_t>(*seq);
    g.total = static_cast<std::uint8_t>(*total);
    g.id = id;
    return true;
}

}  // namespace

namespace {

/// Parses one `key:value` field (or NMEA 4.10 `<seq>G<total>:<id>` group) into `out`; false when
/// it is malformed.
[[nodiscard]] bool parse_field(std::string_view field, TagBlock& out) noexcept {
    if (field.size() >= 2 && field[1] != ':') {
        // NMEA 4.10 grouping written as "<seq>G<total>:<id>" (kystverket: "1G2:58944").
        return parse_numbered_group(field, out.group);
    }
    if (field.size() < 2) return false;
    const std::string_view value = field.substr(2);
    switch (field[0]) {
        case 'c': {
            const auto v = parse_digits(value, kMaxTimeDigits);
            if (!v) return false;
            out.raw_time = value;
            out.time_ms = unix_time_to_ms(static_cast<std::int64_t>(*v));
            return true;
        }
        case 'n': {
            const auto v = parse_digits(value, kMaxLineCountDigits);
            if (!v) return false;
            out.line_count = static_cast<std::uint32_t>(*v);
            return true;
        }
        case 'g':
            return parse_group(value, out.group);
        case 's':
            out.source = value;
            return true;
        case 'd':
            out.destination = value;
            return true;
        case 't':
            out.text = value;
            return true;
        case 'r':
            out.relative_time = value;
            return true;
        case 'q':
            out.quality = value;
            return true;
        case 'T':
            out.human_time = value;
            return true;
        default:
            // Other single-letter keys (vendor extensions, 'x:' counters...) stay in `raw`.
            return (field[0] >= 'a' && field[0] <= 'z') || (field[0] >= 'A' && field[0] <= 'Z');
    }
}

/// Fields a tag block usually has (s:, c:, sometimes g:, n:, t:...): their commas are found by the
/// checksum scan; a block with more fields is split again by parse_tagblock_fields().
constexpr std::size_t kScannedTagBlockCommas = 7;

}  // namespace

std::optional<Issue> parse_tagblock_fields(std::string_view body, TagBlock& out) noexcept {
    if (body.empty()) return Issue::bad_tagblock;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find(',', start);
        if (end == std::string_view::npos) end = body.size();
        if (!parse_field(body.substr(start, end - start), out)) return Issue::bad_tagblock;
        start = end + 1;
    }
    out.raw = body;
    ++out.blocks;
    return std::nullopt;
}

TagBlockResult parse_tagblock(std::string_view text, TagBlock& out, TagBlockChecksum checksum) noexcept {
    TagBlockResult r;
    if (text.empty() || text[0] != '\\') {
        r.issue = Issue::bad_tagblock;
        return r;
    }
    const std::string_view rest = text.substr(1);
    const auto scan = detail::scan_fields<detail::Stops::tagblock, kScannedTagBlockCommas>(rest);
    const std::size_t i = 1 + scan.end;  // index in `text` of the '*' (or of what stopped the scan)
    // Needs "*hh\" after the body.
    if (i >= text.size() || text[i] != '*' || text.size() - i < kTagBlockTrailerChars ||
        text[i + 3] != '\\') {
        r.issue = Issue::bad_tagblock;
        return r;
    }
    const int want = parse_hex_byte(text.substr(i + 1, 2));
    if (want < 0) {
        r.issue = Issue::bad_tagblock;
        return r;
    }
    if (checksum == TagBlockChecksum::verify && want != scan.checksum) {
        r.issue = Issue::bad_tagblock_checksum;
        return r;
    }
    const std::string_view body = rest.substr(0, scan.end);
    if (scan.ncommas > kScannedTagBlockCommas) {
        if (auto issue = parse_tagblock_fields(body, out)) {
            r.issue = issue;
            return r;
        }
    } else {
        // The same as parse_tagblock_fields(body, out), with the commas the scan already found.
        bool ok = !body.empty();
        for (std::size_t k = 0; ok && k <= scan.ncommas; ++k) ok = parse_field(scan.field(rest, k), out);
        if (!ok) {
            r.issue = Issue::bad_tagblock;
            return r;
        }
        out.raw = body;
        ++out.blocks;
    }
    r.consumed = i + kTagBlockTrailerChars;
    return r;
}

}  // namespace vw::nmea
