// Segmentation (issue 3): one MMSI can be several physical vessels (shared, copied or default MMSIs,
// spoofers). The segmenter splits one MMSI's time-ordered reports into segments that are physically
// consistent — speed implied between fixes, time between fixes, identity fields — and gives each
// segment an id that depends only on (MMSI, time of the segment's first report), so re-runs give the
// same ids. In the spirit of Global Fishing Watch's gpsdio-segment (a set of open segments; a new
// position joins the segment it is most plausibly consistent with, else starts a new one); the rules and
// thresholds are ours and documented in docs/store.md ("Segments").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vw::track {

// ---- thresholds (defaults of SegmenterOptions) ---------------------------------------------------------
/// Fastest a vessel is assumed to travel between two fixes of one segment.
inline constexpr double kSegMaxSpeedKnots = 25.0;
/// Position noise allowed on top of the speed limit (GNSS error, receiver time jitter).
inline constexpr double kSegNoiseNm = 0.5;
/// Added to the time between two fixes before applying the speed limit, so fixes seconds apart with
/// clock jitter (satellite receivers) are not split.
inline constexpr double kSegTimeBufferHours = 10.0 / 60.0;
/// Beyond this gap to a segment's last fix, the segment is closed: a new position never joins it.
inline constexpr double kSegMaxGapHours = 24.0;
/// Gaps longer than this are discounted: the reach allowed grows with the square root of the extra
/// time instead of linearly (nobody sustains max speed for days, and a long gap shared by two vessels
/// would otherwise make everything reachable).
inline constexpr double kSegLongGapHours = 6.0;
/// How many of a segment's latest fixes a new position is compared with (one bad fix at a segment's end
/// must not cut the vessel off its own segment).
inline constexpr std::size_t kSegLookbackFixes = 3;
/// Open segments kept per MMSI (bounded memory); the one least recently extended is closed first.
inline constexpr std::size_t kSegMaxOpenSegments = 32;
/// An identity report counts as "the identity currently transmitting" for tie-breaking positions for
/// this long after it was received.
inline constexpr double kSegIdentityRecentHours = 1.0;
/// Reported speeds in these ranges are "not available" or known garbage (102.3 = n/a, 63 = n/a in
/// type 27, 51.2 = bit error), and are not used for dead reckoning.
inline constexpr double kSegReportedSpeedMaxKnots = 50.0;

struct SegmenterOptions {
    double max_speed_knots = kSegMaxSpeedKnots;
    double noise_nm = kSegNoiseNm;
    double time_buffer_hours = kSegTimeBufferHours;
    double max_gap_hours = kSegMaxGapHours;
    double long_gap_hours = kSegLongGapHours;
    std::size_t lookback_fixes = kSegLookbackFixes;
    std::size_t max_open_segments = kSegMaxOpenSegments;
    double identity_recent_hours = kSegIdentityRecentHours;
};

/// A fix: time and position, and (optional) reported speed over ground and course for dead reckoning.
struct SegFix {
    std::int64_t time_ms = 0;  ///< Unix milliseconds UTC
    double lat_deg = 0;
    double lon_deg = 0;
    std::optional<double> speed_knots;  ///< nullopt when not available
    std::optional<double> course_deg;   ///< [0, 360); nullopt when not available
};

/// Identity fields of a static/voyage report (types 5, 19, 24). Empty / 0 means not transmitted in this
/// report (a type 24 part A carries only the name, part B the rest).
struct SegIdentity {
    std::string name;
    std::string callsign;
    std::uint32_t imo = 0;
    std::uint8_t ship_type = 0;
    std::uint16_t length_m = 0;
    std::uint16_t width_m = 0;

    [[nodiscard]] bool empty() const noexcept {
        return name.empty() && callsign.empty() && imo == 0 && ship_type == 0 && length_m == 0 && width_m == 0;
    }
};

/// How two identities relate: fields present in both are compared (trimmed, case-insensitive).
enum class IdentityRelation : std::uint8_t { unknown, match, conflict };
[[nodiscard]] IdentityRelation compare_identity(const SegIdentity& a, const SegIdentity& b) noexcept;

/// One report of one MMSI: a fix (types 1/2/3/18/19/27), an identity (5/24), or both (19).
struct SegReport {
    std::int64_t time_ms = 0;
    std::optional<SegFix> fix;
    std::optional<SegIdentity> identity;
};

/// A fix the segmenter places by position: latitude in [-90, 90] and longitude in [-180, 180] (AIS
/// "not available" 91/181 and garbage excluded). Reports without one attach by identity and recency.
[[nodiscard]] bool has_usable_fix(const SegReport& report) noexcept;

/// Stable segment id: the MMSI and the time of the segment's first report (+1 ms per earlier segment of
/// the same MMSI that started in the same millisecond, so ids stay unique and deterministic).
struct SegmentId {
    std::uint32_t mmsi = 0;
    std::int64_t first_time_ms = 0;

    /// "MMSI-YYYY-MM-DDTHH:MM:SS[.fff]Z", e.g. "224306000-2021-01-01T00:11:23Z" (format_time).
    [[nodiscard]] std::string to_string() const;
    friend bool operator==(const SegmentId&, const SegmentId&) = default;
    friend auto operator<=>(const SegmentId&, const SegmentId&) = default;
};

/// What the segmenter did with a report (counted, so nothing is decided silently).
enum class SegDecision : std::uint8_t {
    joined,        ///< fix joined an open segment it is consistent with
    started,       ///< fix consistent with no open segment: new segment
    adopted,       ///< fix started the positions of a segment that so far held only identity reports
    no_fix,        ///< identity report, or a fix without a valid position: attached by identity/recency
    identity_new,  ///< identity report that conflicts with every open segment: new (identity-only) segment
};

struct SegResult {
    SegmentId id;
    SegDecision decision = SegDecision::joined;
};

/// Streaming segmenter for one MMSI. Reports must come in time order (equal times allowed); a report
/// older than the previous one is still assigned (compared by absolute time difference).
class Segmenter {
public:
    explicit Segmenter(std::uint32_t mmsi, SegmenterOptions options = {});
    ~Segmenter();
    Segmenter(Segmenter&&) noexcept;
    Segmenter& operator=(Segmenter&&) noexcept;
    Segmenter(const Segmenter&) = delete;
    Segmenter& operator=(const Segmenter&) = delete;

    [[nodiscard]] SegResult add(const SegReport& report);

    [[nodiscard]] std::size_t open_segments() const noexcept;
    [[nodiscard]] std::size_t segments_started() const noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;  // pimpl keeps the segment bookkeeping out of the header
};

/// Segments a whole stream of one MMSI (stable-sorted by time first); one id per report, in input order.
[[nodiscard]] std::vector<SegmentId> segment_reports(std::uint32_t mmsi, std::span<const SegReport> reports,
                                                     const SegmenterOptions& options = {});

namespace detail {
/// Great-circle distance (haversine), nautical miles.
[[nodiscard]] double distance_nm(double lat1, double lon1, double lat2, double lon2) noexcept;
/// A bound without trigonometry: true only when distance_nm(a, b) <= reach_nm (exposed for its test).
[[nodiscard]] bool surely_within(const SegFix& a, const SegFix& b, double reach_nm) noexcept;
}  // namespace detail

// ---- evaluation: pairwise agreement of two labellings ---------------------------------------------------
/// Pairs of items counted over one group (one MMSI): `together_both` pairs are in one segment in both
/// labellings, `together_ours`/`together_ref` in one segment in ours / the reference.
struct PairCounts {
    std::uint64_t items = 0;
    std::uint64_t together_both = 0;
    std::uint64_t together_ours = 0;
    std::uint64_t together_ref = 0;

    PairCounts& operator+=(const PairCounts& o) noexcept {
        items += o.items;
        together_both += o.together_both;
        together_ours += o.together_ours;
        together_ref += o.together_ref;
        return *this;
    }
    /// together_both / together_ours (1 when we put no pair together).
    [[nodiscard]] double precision() const noexcept;
    /// together_both / together_ref (1 when the reference puts no pair together).
    [[nodiscard]] double recall() const noexcept;
};

/// Pair counts of two labellings of the same items (ours[i], ref[i] label item i), O(n log n) via the
/// contingency table: sum over cells of C(n_ij, 2), over rows of C(a_i, 2), over columns of C(b_j, 2).
[[nodiscard]] PairCounts pair_counts(std::span<const std::uint64_t> ours, std::span<const std::uint64_t> ref);

// ---- reading Global Fishing Watch's segmenter regression files ---------------------------------------
/// One message of a GFW gpsdio-segment regression file (newline-delimited JSON, one object per message,
/// with NaN for absent numbers): the report as our segmenter takes it, its AIS type, and GFW's segment
/// (`expected`; empty when GFW assigned none).
struct GfwLabelledReport {
    std::uint32_t mmsi = 0;
    unsigned ais_type = 0;
    SegReport report;
    std::string expected;
};

/// Reads one file; throws IoError when unreadable, InputError (file:line) on a malformed line.
[[nodiscard]] std::vector<GfwLabelledReport> read_gfw_segmenter_file(const std::string& path);

}  // namespace vw::track
