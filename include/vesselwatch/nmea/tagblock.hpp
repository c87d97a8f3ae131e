// NMEA 0183 v4 tag blocks: `\key:value,key:value*hh\` in front of a sentence.
// Every value is kept as a view into the input line; s:, c:, n: and g: are also parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vesselwatch/util/issues.hpp"

namespace vw::nmea {

/// `c:` values above this are milliseconds, not seconds (10^11 s is the year 5138; 10^11 ms is 1973).
inline constexpr std::int64_t kUnixMillisThreshold = 100'000'000'000;
inline constexpr std::int64_t kMillisPerSecond = 1000;

/// Whether a tag block's `*hh` is checked.
enum class TagBlockChecksum : std::uint8_t {
    verify,  ///< mismatch -> Issue::bad_tagblock_checksum (default)
    ignore,  ///< accept any two hex digits (some aggregators write `*00`)
};

/// `g:seq-total-id`: sentence `seq` of `total` in group `id`. `id` is kept as text because real
/// feeds write ids such as `-001` (gfw-ais-tools/bad-tagblock-group.nmea).
struct TagBlockGroup {
    std::uint8_t sequence = 0;  ///< 1-based; 0 when the tag block has no g:
    std::uint8_t total = 0;
    std::string_view id;

    [[nodiscard]] bool present() const noexcept { return sequence != 0; }
};

/// All tag blocks in front of one sentence, merged (a later key overrides an earlier one).
/// Views point into the caller's line.
struct TagBlock {
    std::string_view source;                  ///< s: source station
    std::string_view destination;             ///< d:
    std::string_view text;                    ///< t:
    std::string_view relative_time;           ///< r:
    std::string_view quality;                 ///< q: (non-standard, Orbcomm)
    std::string_view human_time;              ///< T: (non-standard, e.g. "2014-12-10 00.41.53")
    std::string_view raw_time;                ///< c: as written
    std::optional<std::int64_t> time_ms;      ///< c: normalised to ms since the Unix epoch
    std::optional<std::uint32_t> line_count;  ///< n:
    TagBlockGroup group;                      ///< g:
    std::string_view raw;     ///< text of the last block between '\' and '*', for keys not listed above
    std::uint8_t blocks = 0;  ///< how many `\...\` blocks preceded the sentence

    [[nodiscard]] bool present() const noexcept { return blocks != 0; }
};

/// Parses one tag block body (the text between the leading '\' and the '*', without checksum) into
/// `out` (merging with what is already there). Returns Issue::bad_tagblock on a malformed field;
/// std::nullopt on success.
[[nodiscard]] std::optional<Issue> parse_tagblock_fields(std::string_view body, TagBlock& out) noexcept;

/// Parses one complete tag block `\...*hh\` at the start of `text` (text[0] must be '\'),
/// merges it into `out` and returns the number of characters consumed, or an issue.
struct TagBlockResult {
    std::size_t consumed = 0;
    std::optional<Issue> issue;
};
[[nodiscard]] TagBlockResult parse_tagblock(std::string_view text, TagBlock& out,
                                            TagBlockChecksum checksum = TagBlockChecksum::verify) noexcept;

/// Seconds-or-milliseconds Unix time (as in `c:` and receiver trailers) to milliseconds.
[[nodiscard]] constexpr std::int64_t unix_time_to_ms(std::int64_t v) noexcept {
    return v > kUnixMillisThreshold ? v : v * kMillisPerSecond;
}

}  // namespace vw::nmea
