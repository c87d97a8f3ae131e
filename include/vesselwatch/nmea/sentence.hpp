// The NMEA sentence layer: one physical line -> zero or more AIS sentences (VDM/VDO), each with
// its tag block, receive time and provenance. Zero allocation: everything is a view into the line.
//
// Accepted line forms (docs/nmea.md has the full list):
//   !AIVDM,1,1,,A,<payload>,0*hh                    plain sentence (any two-character talker)
//   \s:...,c:...*hh\!AIVDM,...*hh                    NMEA 4 tag block(s) in front
//   \...\!AIVDM,...*hh\...\!AIVDM,...*hh             several units on one line
//   !AIVDM,...*hh,d-105,...,r003669946,1325394060   USCG trailer (first bare number = receive time, s)
//   !AIVDM,...*hh,1327992119173                     exactEarth trailer (receive time, ms)
//   $PGHP,1,yyyy,m,d,h,mi,s,ms,...*hh               Gatehouse wrapper: receive time of the next line
//   $GPRMC,... / !AIPWR,...                          other sentences: Issue::non_ais_sentence
//   # comment / blank line                           Issue::empty_line (ignored, not an error)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "vesselwatch/nmea/tagblock.hpp"
#include "vesselwatch/nmea/vdm_exact.hpp"
#include "vesselwatch/util/issues.hpp"

namespace vw::nmea {

/// At most 9 sentences per message (the fragment count is one digit).
inline constexpr std::size_t kMaxFragments = 9;
/// Longest payload accepted in one sentence: 2048 bits (vw::ais::kMaxPayloadBits) of 6-bit characters.
/// A longer payload field is Issue::malformed_sentence. NMEA itself caps a sentence at 82 characters,
/// but satellite feeds write single sentences with 71+ payload characters, so only a sanity bound.
inline constexpr std::size_t kMaxSentencePayloadChars = 341;
inline constexpr std::int8_t kNoSequenceId = -1;
inline constexpr char kNoChannel = '\0';

/// VDM (received from other stations) or VDO (own ship).
enum class Origin : std::uint8_t { other_ship, own_ship };

/// What to do with `!AIVDM,1,1,,A,...,0` (no `*hh`).
enum class MissingChecksum : std::uint8_t {
    reject,  ///< Issue::missing_checksum (default)
    accept,  ///< accept the sentence unchecked
};

/// Where a sentence's receive time came from.
enum class TimeSource : std::uint8_t { none, tagblock, trailer, pghp };

struct ParseOptions {
    MissingChecksum missing_checksum = MissingChecksum::reject;
    TagBlockChecksum tagblock_checksum = TagBlockChecksum::verify;
};

/// One tag-block(s)+sentence unit. All views point into the caller's line.
struct Sentence {
    TagBlock tag;
    std::string_view talker;  ///< two characters: "AI", "AB", "BS", "--", "=I"...
    Origin origin = Origin::other_ship;
    std::uint8_t fragment_count = 0;          ///< 1..9
    std::uint8_t fragment_number = 0;         ///< 1..fragment_count
    std::int8_t sequence_id = kNoSequenceId;  ///< 0..9, or kNoSequenceId when the field is empty
    char channel = kNoChannel;                ///< 'A', 'B', '1', '2', '0'... or kNoChannel when empty
    std::string_view payload;                 ///< armored 6-bit payload, unchecked characters
    std::uint8_t fill_bits = 0;               ///< 0..5
    /// Receive time in ms since the Unix epoch: tag block c:, else trailer, else the $PGHP of the
    /// previous line (only via LineContext). Never invented: absent when the line does not say.
    std::optional<std::int64_t> receive_time_ms;
    TimeSource time_source = TimeSource::none;
    std::string_view text;     ///< the sentence itself, from '!' through "*hh" (no tag block)
    std::string_view trailer;  ///< anything after "*hh" up to the end of the line (",d-105,...")
    bool checksum_present = true;

    [[nodiscard]] bool single_part() const noexcept { return fragment_count == 1; }
};

enum class LineStatus : std::uint8_t {
    sentence,      ///< `out` holds an AIS VDM/VDO sentence
    time_wrapper,  ///< a $PGHP line; its time is kept for the next line (LineContext)
    issue,         ///< not a sentence: ParseResult::issue says why (count it once)
    end_of_line,   ///< no further unit on this line
};

struct [[nodiscard]] ParseResult {
    LineStatus status = LineStatus::end_of_line;
    Issue issue = Issue::empty_line;  ///< meaningful only when status == LineStatus::issue

    [[nodiscard]] bool is_sentence() const noexcept { return status == LineStatus::sentence; }
};

/// Stateless parse of the first unit of `line` (tag blocks, sentence, trailer). A $PGHP line yields
/// LineStatus::time_wrapper and its time in out.receive_time_ms. Use LineContext for lines that hold
/// several units and for $PGHP times.
[[nodiscard]] ParseResult parse_line(std::string_view line, Sentence& out,
                                     const ParseOptions& options = {}) noexcept;

namespace detail {
/// parse_line() without its fast paths (the field table only, for every sentence): the reference that
/// tests compare the fast paths with. Same results, slower.
[[nodiscard]] ParseResult parse_line_general(std::string_view line, Sentence& out,
                                             const ParseOptions& options = {}) noexcept;
}  // namespace detail

/// Parses a `$PGHP,1,...` Gatehouse wrapper line (already trimmed) to ms since the epoch.
/// Returns the issue when the line is a broken PGHP (or not type 1: Issue::non_ais_sentence).
struct PghpResult {
    std::optional<std::int64_t> time_ms;
    std::optional<Issue> issue;
};
[[nodiscard]] PghpResult parse_pghp(std::string_view line, const ParseOptions& options = {}) noexcept;

/// The first bare number among comma-separated receiver trailer fields (",d-105,...,r0036,1325394060"
/// or ",1327992119173") as ms since the epoch. Values above kUnixMillisThreshold are already ms.
[[nodiscard]] std::optional<std::int64_t> trailer_time_ms(std::string_view trailer) noexcept;

namespace detail {
/// The last civil date turned into days since the epoch (a $PGHP stream repeats its date line after line).
struct DayMemo {
    std::int32_t year = -1;  ///< -1: empty
    std::uint32_t month = 0;
    std::uint32_t day = 0;
    std::int64_t days = 0;
};

/// The start of the last $PGHP line read in full, through the comma after its minute field
/// ("$PGHP,1,2010,6,11,11,46,"), and that instant in ms: consecutive wrappers of a stream share it,
/// so only the seconds, milliseconds and checksum of the next one are read.
struct PghpPrefixMemo {
    static constexpr std::size_t kBytes = 32;  ///< compared as two 16-byte vectors
    std::array<char, kBytes> bytes{};
    std::uint8_t size = 0;  ///< 0: empty; else bytes [0, size) are the prefix (size <= kBytes)
    std::int64_t minute_ms = 0;
};

/// The last tag-block `c:` value read in full by the common tag-block reader, as written (digits
/// only, at most kBytes of them) and as ms: a feed stamps many consecutive lines with the same
/// second, so a value with the same bytes is taken from here instead of being read again.
struct TagTimeMemo {
    static constexpr std::size_t kBytes = 16;  ///< compared as one 16-byte vector
    std::array<char, kBytes> bytes{};
    std::uint8_t size = 0;  ///< 0: empty; else bytes [0, size) are the value
    std::int64_t time_ms = 0;
};
}  // namespace detail

/// Per-source line state: iterates the units of each physical line and carries a $PGHP receive time
/// to the line after it. One per input source (file, socket); cheap to construct.
///
///   LineContext ctx;
///   Sentence s;
///   for (ParseResult r = ctx.parse_line(line, s); r.status != LineStatus::end_of_line; r = ctx.next_unit(s))
///       if (r.is_sentence()) ...; else if (r.status == LineStatus::issue) counts.add(r.issue);
///
/// A line yields its sentences in order and at most one issue: after an issue the rest of the line
/// is dropped (end_of_line), so each rejected line counts exactly once.
class LineContext {
public:
    explicit LineContext(ParseOptions options = {}) noexcept : options_(options) {}

    /// Starts a new physical line and returns its first unit's result (never end_of_line).
    /// The context keeps a view of `line`: it must stay alive until the last next_unit() call.
    [[nodiscard]] ParseResult parse_line(std::string_view line, Sentence& out) noexcept;
    /// The next unit on the current line, or end_of_line (inline: most lines hold one unit).
    [[nodiscard]] ParseResult next_unit(Sentence& out) noexcept {
        if (line_done_ || rest_.empty()) {
            line_done_ = true;
            return {};
        }
        return next_unit_rest(out);
    }

    /// For a caller that has read a whole line itself (pipeline::detail::stream_source() takes a plain
    /// sentence, detail::parse_vdm_exact(), straight to a message): counts the line as parse_line()
    /// followed by next_unit() would. Returns true, with the time in `pghp_time_ms`, when a $PGHP
    /// wrapper on the line before gives this line its receive time, as parse_line() would have
    /// attached it. (Two scalars, not a std::optional: the caller's copy of an optional is one 16-byte
    /// load of a value and a flag stored separately, which waits for both stores to reach the cache;
    /// perf put 15 % of the decode benchmark's samples on that load.)
    [[nodiscard]] bool take_whole_line(std::int64_t& pghp_time_ms) noexcept {
        skip_line();
        if (pghp_time_ms_ && pghp_line_ + 1 == line_) [[unlikely]] {
            pghp_time_ms = *pghp_time_ms_;
            return true;
        }
        return false;
    }

    /// For a caller that has read a whole line itself and found it another talker's sentence
    /// (detail::is_plain_non_ais_line()): counts the line as parse_line() followed by next_unit() would;
    /// the caller counts its Issue::non_ais_sentence.
    void skip_line() noexcept {
        ++line_;
        rest_ = {};
        line_done_ = true;
    }

    /// Physical lines seen so far (1-based number of the current line).
    [[nodiscard]] std::uint64_t line_number() const noexcept { return line_; }
    [[nodiscard]] const ParseOptions& options() const noexcept { return options_; }

private:
    [[nodiscard]] ParseResult next_unit_rest(Sentence& out) noexcept;
    [[nodiscard]] ParseResult finish(ParseResult r, std::size_t consumed, Sentence& out) noexcept;

    ParseOptions options_;
    std::string_view rest_;
    std::uint64_t line_ = 0;
    std::uint64_t pghp_line_ = 0;  ///< line that carried the pending $PGHP time (0: none)
    std::optional<std::int64_t> pghp_time_ms_;
    detail::DayMemo pghp_day_;
    detail::PghpPrefixMemo pghp_prefix_;
    detail::TagTimeMemo tag_time_;
    bool line_done_ = true;
};

}  // namespace vw::nmea
