// Every kind of rejected or flagged input record, across all input layers, with its stable name
// (used in --stats JSON and documented in docs/cli/decode.md). Malformed input is expected, not
// exceptional: parsers return one of these and the caller counts it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace vw {

enum class Issue : std::uint8_t {
    // ---- io: line level
    empty_line,            // ignored, not an error
    line_too_long,         // longer than the line limit; skipped without being buffered whole
    binary_garbage,        // NUL or other control bytes inside a line
    truncated_last_line,   // file ended without a newline (the line is still processed)
    // ---- nmea: sentence level
    non_ais_sentence,      // a well-formed NMEA sentence that is not VDM/VDO (ignored, counted)
    unrecognised_line,     // neither NMEA nor a known wrapper
    bad_checksum,          // sentence checksum mismatch
    missing_checksum,      // no *hh where one is required
    bad_tagblock,          // malformed NMEA 4 tag block
    bad_tagblock_checksum, // tag block checksum mismatch
    malformed_sentence,    // wrong number of fields, bad fragment numbers, bad channel...
    bad_fill_bits,         // fill-bit field not 0..5
    // ---- nmea: multi-part reassembly
    orphan_fragment,       // a later fragment with no first part, or a group that never completed
    out_of_order_fragment, // fragment number not the next expected one
    duplicate_fragment,    // the same fragment twice
    expired_fragment,      // a partial group evicted (too old or too many groups open)
    // ---- ais: payload level
    bad_armor,             // a character outside the 6-bit armoring alphabet
    empty_payload,
    short_payload,         // fewer bits than the message type needs (beyond the tolerated slack)
    long_payload,          // more bits than the type allows (beyond the tolerated slack)
    unknown_type,          // message type 0 or 28-63
    // ---- flags (message accepted, but noted)
    nonstandard_length,    // accepted with a known-sloppy bit length (types 1-3 at 204, 5 at 420-422, 24 at 160...)
    // ---- decoded records (JSON lines for encode, later CSV dumps)
    bad_record,            // a decoded-message line that does not parse or holds an invalid field
    // ---- io: line level (added later; kinds keep their numbers)
    comment_line,          // a line starting with '#' (ignored, not an error)
    kCount
};

inline constexpr std::size_t kIssueCount = static_cast<std::size_t>(Issue::kCount);

/// The stable snake_case name of an issue kind.
constexpr std::string_view issue_name(Issue i) noexcept {
    constexpr std::array<std::string_view, kIssueCount> names = {
        "empty_line",         "line_too_long",         "binary_garbage",     "truncated_last_line",
        "non_ais_sentence",   "unrecognised_line",     "bad_checksum",       "missing_checksum",
        "bad_tagblock",       "bad_tagblock_checksum", "malformed_sentence", "bad_fill_bits",
        "orphan_fragment",    "out_of_order_fragment", "duplicate_fragment", "expired_fragment",
        "bad_armor",          "empty_payload",         "short_payload",      "long_payload",
        "unknown_type",       "nonstandard_length", "bad_record",
        "comment_line"};
    return names[static_cast<std::size_t>(i)];
}

/// True for kinds that are ignored input or flags rather than errors.
constexpr bool issue_is_error(Issue i) noexcept {
    return i != Issue::empty_line && i != Issue::comment_line && i != Issue::non_ais_sentence && i != Issue::nonstandard_length &&
           i != Issue::truncated_last_line;
}

/// Counters by kind; cheap to copy and merge.
struct IssueCounts {
    std::array<std::uint64_t, kIssueCount> n{};

    void add(Issue i, std::uint64_t k = 1) noexcept { n[static_cast<std::size_t>(i)] += k; }
    [[nodiscard]] std::uint64_t operator[](Issue i) const noexcept { return n[static_cast<std::size_t>(i)]; }
    void merge(const IssueCounts& o) noexcept {
        for (std::size_t k = 0; k < kIssueCount; ++k) n[k] += o.n[k];
    }
    [[nodiscard]] std::uint64_t errors() const noexcept {
        std::uint64_t t = 0;
        for (std::size_t k = 0; k < kIssueCount; ++k)
            if (issue_is_error(static_cast<Issue>(k))) t += n[k];
        return t;
    }
};

}  // namespace vw
