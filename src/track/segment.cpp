// Segmentation of one MMSI's reports into physically consistent segments (see segment.hpp and
// docs/store.md "Segments").
#include "vesselwatch/track/segment.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::track {

namespace {

constexpr double kEarthRadiusNm = 3440.065;  // mean Earth radius, nautical miles
constexpr double kPi = 3.14159265358979323846;
constexpr double kMsPerHour = 3'600'000.0;

double radians(double deg) noexcept { return deg * kPi / 180.0; }
double degrees(double rad) noexcept { return rad * 180.0 / kPi; }

}  // namespace

namespace detail {

/// Great-circle distance (haversine), nautical miles.
double distance_nm(double lat1, double lon1, double lat2, double lon2) noexcept {
    const double p1 = radians(lat1);
    const double p2 = radians(lat2);
    const double dp = p2 - p1;
    const double dl = radians(lon2 - lon1);
    const double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2 * kEarthRadiusNm * std::asin(std::min(1.0, std::sqrt(a)));
}

/// Whether b is within `reach_nm` of a by a bound that needs no trigonometry, so that the usual case
/// (the next fix of a vessel, a fraction of a mile on) skips the haversine: the great circle is no
/// longer than the path along a's meridian and then along b's parallel, and that path is at most
/// R * (|dlat| + |dlon|) (a parallel is no longer than the equator). The margin keeps the answer the
/// one distance_nm() would give despite its rounding: when this says yes, distance_nm() <= reach.
bool surely_within(const SegFix& a, const SegFix& b, double reach_nm) noexcept {
    const double dlat = std::abs(a.lat_deg - b.lat_deg);
    double dlon = std::abs(a.lon_deg - b.lon_deg);
    if (dlon > 180.0) dlon = 360.0 - dlon;
    const double bound_nm = radians(dlat + dlon) * kEarthRadiusNm;
    return bound_nm * (1 + 1e-9) + 1e-9 < reach_nm;
}

}  // namespace detail

namespace {

using detail::distance_nm;
using detail::surely_within;

/// Dead reckoning: where a fix travelling at speed/course is `hours` later (negative: earlier).
std::pair<double, double> reckon(const SegFix& f, double hours) noexcept {
    const double d = *f.speed_knots * hours / kEarthRadiusNm;  // angular distance, radians (signed)
    const double brg = radians(*f.course_deg);
    const double p1 = radians(f.lat_deg);
    const double l1 = radians(f.lon_deg);
    const double p2 = std::asin(std::sin(p1) * std::cos(d) + std::cos(p1) * std::sin(d) * std::cos(brg));
    const double l2 = l1 + std::atan2(std::sin(brg) * std::sin(d) * std::cos(p1), std::cos(d) - std::sin(p1) * std::sin(p2));
    return {degrees(p2), degrees(l2)};
}

bool fix_is_valid(const SegFix& f) noexcept {
    return std::isfinite(f.lat_deg) && std::isfinite(f.lon_deg) && f.lat_deg >= -90.0 && f.lat_deg <= 90.0 &&
           f.lon_deg >= -180.0 && f.lon_deg <= 180.0;
}

bool can_reckon(const SegFix& f) noexcept {
    return f.speed_knots && f.course_deg && *f.speed_knots >= 0.0 && *f.speed_knots < kSegReportedSpeedMaxKnots &&
           *f.course_deg >= 0.0 && *f.course_deg < 360.0;
}

/// The text as compared (no allocation: this runs for every position): up to the first '@' (AIS
/// 6-bit padding), without leading and trailing spaces.
std::string_view trimmed(std::string_view s) noexcept {
    s = s.substr(0, s.find('@'));
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (std::toupper(static_cast<unsigned char>(a[k])) != std::toupper(static_cast<unsigned char>(b[k]))) return false;
    return true;
}

void merge_identity(SegIdentity& into, const SegIdentity& from) {
    if (!from.name.empty()) into.name = from.name;
    if (!from.callsign.empty()) into.callsign = from.callsign;
    if (from.imo != 0) into.imo = from.imo;
    if (from.ship_type != 0) into.ship_type = from.ship_type;
    if (from.length_m != 0) into.length_m = from.length_m;
    if (from.width_m != 0) into.width_m = from.width_m;
}

}  // namespace

IdentityRelation compare_identity(const SegIdentity& a, const SegIdentity& b) noexcept {
    int same = 0;
    int differ = 0;
    const auto text = [&](const std::string& x, const std::string& y) {
        const std::string_view nx = trimmed(x);
        const std::string_view ny = trimmed(y);
        if (nx.empty() || ny.empty()) return;
        (equal_ignoring_case(nx, ny) ? same : differ) += 1;
    };
    const auto num = [&](unsigned x, unsigned y) {
        if (x == 0 || y == 0) return;
        (x == y ? same : differ) += 1;
    };
    text(a.name, b.name);
    text(a.callsign, b.callsign);
    num(a.imo, b.imo);
    num(a.ship_type, b.ship_type);
    num(a.length_m, b.length_m);
    num(a.width_m, b.width_m);
    if (differ > 0) return IdentityRelation::conflict;
    return same > 0 ? IdentityRelation::match : IdentityRelation::unknown;
}

bool has_usable_fix(const SegReport& report) noexcept { return report.fix && fix_is_valid(*report.fix); }

std::string SegmentId::to_string() const { return std::to_string(mmsi) + "-" + format_time(first_time_ms); }

// ---- Segmenter ------------------------------------------------------------------------------------------

struct Segmenter::State {
    struct Seg {
        SegmentId id;
        std::vector<SegFix> recent;  // latest fixes, oldest first, at most lookback_fixes
        std::uint64_t fixes = 0;
        std::int64_t last_time_ms = 0;  // last report of any kind
        SegIdentity identity;           // merged from the identity reports attached
    };

    std::uint32_t mmsi;
    SegmenterOptions opt;
    std::vector<Seg> open;
    std::set<std::int64_t> used_first_ms;  // first_time_ms of every segment started, for unique ids
    std::size_t started = 0;
    SegIdentity recent_identity;
    std::int64_t recent_identity_ms = std::numeric_limits<std::int64_t>::min();

    State(std::uint32_t m, SegmenterOptions o) : mmsi(m), opt(o) {}

    /// Reach allowed between two fixes `hours` apart, nautical miles.
    [[nodiscard]] double reach_nm(double hours) const noexcept {
        double eff = hours;
        if (hours > opt.long_gap_hours) eff = opt.long_gap_hours + std::sqrt((hours - opt.long_gap_hours) * opt.long_gap_hours);
        return opt.noise_nm + opt.max_speed_knots * (eff + opt.time_buffer_hours);
    }

    struct Reach {
        double dist_nm;
        double reach_nm;
    };
    /// Distance and reach from `prev` to `f` when `f` is within the gap limit and within reach of it.
    [[nodiscard]] std::optional<Reach> within_reach(const SegFix& prev, const SegFix& f) const noexcept {
        const double hours = std::abs(static_cast<double>(f.time_ms - prev.time_ms) / kMsPerHour);
        if (hours > opt.max_gap_hours) return std::nullopt;
        const double dist = distance_nm(prev.lat_deg, prev.lon_deg, f.lat_deg, f.lon_deg);
        const double reach = reach_nm(hours);
        if (dist > reach) return std::nullopt;
        return Reach{dist, reach};
    }

    /// Score of a fix against a segment (lower is better), nullopt when inconsistent with all of the
    /// segment's recent fixes.
    [[nodiscard]] std::optional<double> score(const Seg& s, const SegFix& f) const noexcept {
        std::optional<double> best;
        for (const SegFix& prev : s.recent) {
            const auto r = within_reach(prev, f);
            if (!r) continue;
            const double signed_hours = static_cast<double>(f.time_ms - prev.time_ms) / kMsPerHour;
            const double reach = r->reach_nm;
            double d = r->dist_nm;
            if (can_reckon(prev)) {
                const auto [plat, plon] = reckon(prev, signed_hours);
                d = std::min(d, distance_nm(plat, plon, f.lat_deg, f.lon_deg));
            }
            if (can_reckon(f)) {
                const auto [plat, plon] = reckon(f, -signed_hours);
                d = std::min(d, distance_nm(plat, plon, prev.lat_deg, prev.lon_deg));
            }
            const double sc = d / reach;
            if (!best || sc < *best) best = sc;
        }
        return best;
    }

    /// Whether score(s, f) has a value: some recent fix of `s` is within the gap limit and within
    /// reach. Stops at the first such fix and skips dead reckoning (which only ranks): enough when `s`
    /// is the only candidate, the usual case (one vessel per MMSI). The latest fix is tried first.
    [[nodiscard]] bool consistent(const Seg& s, const SegFix& f) const noexcept {
        for (auto it = s.recent.rbegin(); it != s.recent.rend(); ++it) {
            const double hours = std::abs(static_cast<double>(f.time_ms - it->time_ms) / kMsPerHour);
            if (hours <= opt.max_gap_hours && surely_within(*it, f, reach_nm(hours))) return true;
            if (within_reach(*it, f)) return true;
        }
        return false;
    }

    SegmentId new_id(std::int64_t t) {
        while (used_first_ms.contains(t)) ++t;
        used_first_ms.insert(t);
        return SegmentId{mmsi, t};
    }

    Seg& start(std::int64_t t) {
        if (open.size() >= std::max<std::size_t>(1, opt.max_open_segments)) {
            const auto oldest = std::min_element(open.begin(), open.end(), [](const Seg& a, const Seg& b) {
                return a.last_time_ms < b.last_time_ms;
            });
            open.erase(oldest);
        }
        Seg s;
        s.id = new_id(t);
        s.last_time_ms = t;
        open.push_back(std::move(s));
        ++started;
        return open.back();
    }

    void close_stale(std::int64_t t) {
        const auto max_gap_ms = static_cast<std::int64_t>(opt.max_gap_hours * kMsPerHour);
        std::erase_if(open, [&](const Seg& s) { return t - s.last_time_ms > max_gap_ms; });
    }

    /// Identity used to break ties between consistent segments: the report's own, else the latest
    /// identity report if recent.
    [[nodiscard]] const SegIdentity* identity_hint(const SegReport& r) const noexcept {
        if (r.identity && !r.identity->empty()) return &*r.identity;
        const auto window_ms = static_cast<std::int64_t>(opt.identity_recent_hours * kMsPerHour);
        if (!recent_identity.empty() && r.time_ms - recent_identity_ms <= window_ms) return &recent_identity;
        return nullptr;
    }

    /// Most recently active segment satisfying `pred`, or nullptr.
    template <class Pred>
    Seg* most_recent(Pred pred) {
        Seg* best = nullptr;
        for (Seg& s : open)
            if (pred(s) && (best == nullptr || s.last_time_ms >= best->last_time_ms)) best = &s;
        return best;
    }

    SegResult add(const SegReport& r) {
        const std::int64_t t = r.time_ms;
        close_stale(t);
        const bool has_identity = r.identity && !r.identity->empty();
        if (has_usable_fix(r)) {
            SegFix f = *r.fix;
            f.time_ms = t;
            const SegIdentity* hint = identity_hint(r);
            // rank: identity relation (match < unknown < conflict), then score, then recency
            Seg* best = nullptr;
            int best_rel = 0;
            double best_score = 0;
            Seg* only = nullptr;  // the single open segment holding fixes, if there is exactly one
            std::size_t with_fixes = 0;
            for (Seg& s : open) {
                if (s.fixes == 0) continue;
                ++with_fixes;
                only = &s;
            }
            if (with_fixes == 1) {
                // One candidate: ranking (identity relation, score, recency) cannot change the choice,
                // only whether it is consistent at all does.
                if (consistent(*only, f)) best = only;
            } else {
                for (Seg& s : open) {
                    if (s.fixes == 0) continue;
                    const auto sc = score(s, f);
                    if (!sc) continue;
                    int rel = 1;
                    if (hint != nullptr) {
                        const auto ir = compare_identity(*hint, s.identity);
                        rel = ir == IdentityRelation::match ? 0 : ir == IdentityRelation::unknown ? 1 : 2;
                    }
                    const bool better =
                        best == nullptr || rel < best_rel ||
                        (rel == best_rel && (*sc < best_score || (*sc == best_score && s.last_time_ms > best->last_time_ms)));
                    if (better) {
                        best = &s;
                        best_rel = rel;
                        best_score = *sc;
                    }
                }
            }
            SegDecision decision = SegDecision::joined;
            if (best == nullptr) {
                best = most_recent([&](const Seg& s) {
                    return s.fixes == 0 &&
                           (hint == nullptr || compare_identity(*hint, s.identity) != IdentityRelation::conflict);
                });
                decision = SegDecision::adopted;
                if (best == nullptr) {
                    best = &start(t);
                    decision = SegDecision::started;
                }
            }
            best->recent.push_back(f);
            if (best->recent.size() > std::max<std::size_t>(1, opt.lookback_fixes))
                best->recent.erase(best->recent.begin());
            ++best->fixes;
            best->last_time_ms = std::max(best->last_time_ms, t);
            if (has_identity) {
                merge_identity(best->identity, *r.identity);
                recent_identity = *r.identity;
                recent_identity_ms = t;
            }
            return {best->id, decision};
        }

        // No usable position: identity report (or a fix with an invalid position).
        SegDecision decision = SegDecision::no_fix;
        Seg* target = nullptr;
        if (has_identity) {
            target = most_recent([&](const Seg& s) {
                return compare_identity(*r.identity, s.identity) == IdentityRelation::match;
            });
            if (target == nullptr)
                target = most_recent([&](const Seg& s) {
                    return compare_identity(*r.identity, s.identity) == IdentityRelation::unknown;
                });
            recent_identity = *r.identity;
            recent_identity_ms = t;
        } else {
            target = most_recent([](const Seg&) { return true; });
        }
        if (target == nullptr) {
            target = &start(t);
            decision = open.size() > 1 ? SegDecision::identity_new : SegDecision::no_fix;
        }
        if (has_identity) merge_identity(target->identity, *r.identity);
        target->last_time_ms = std::max(target->last_time_ms, t);
        return {target->id, decision};
    }
};

Segmenter::Segmenter(std::uint32_t mmsi, SegmenterOptions options)
    : state_(std::make_unique<State>(mmsi, options)) {}
Segmenter::~Segmenter() = default;
Segmenter::Segmenter(Segmenter&&) noexcept = default;
Segmenter& Segmenter::operator=(Segmenter&&) noexcept = default;

SegResult Segmenter::add(const SegReport& report) { return state_->add(report); }
std::size_t Segmenter::open_segments() const noexcept { return state_->open.size(); }
std::size_t Segmenter::segments_started() const noexcept { return state_->started; }

std::vector<SegmentId> segment_reports(std::uint32_t mmsi, std::span<const SegReport> reports,
                                       const SegmenterOptions& options) {
    std::vector<std::size_t> order(reports.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return reports[a].time_ms < reports[b].time_ms; });
    Segmenter seg(mmsi, options);
    std::vector<SegmentId> ids(reports.size());
    for (std::size_t i : order) ids[i] = seg.add(reports[i]).id;
    return ids;
}

// ---- pairwise agreement ---------------------------------------------------------------------------------

double PairCounts::precision() const noexcept {
    return together_ours == 0 ? 1.0 : static_cast<double>(together_both) / static_cast<double>(together_ours);
}
double PairCounts::recall() const noexcept {
    return together_ref == 0 ? 1.0 : static_cast<double>(together_both) / static_cast<double>(together_ref);
}

PairCounts pair_counts(std::span<const std::uint64_t> ours, std::span<const std::uint64_t> ref) {
    if (ours.size() != ref.size()) throw Error("pair_counts: labellings of different lengths");
    struct PairHash {
        std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& p) const noexcept {
            return std::hash<std::uint64_t>{}(p.first * 0x9E3779B97F4A7C15ULL ^ p.second);
        }
    };
    std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t, PairHash> cells;
    std::unordered_map<std::uint64_t, std::uint64_t> rows;
    std::unordered_map<std::uint64_t, std::uint64_t> cols;
    for (std::size_t i = 0; i < ours.size(); ++i) {
        ++cells[{ours[i], ref[i]}];
        ++rows[ours[i]];
        ++cols[ref[i]];
    }
    const auto c2 = [](std::uint64_t n) { return n * (n - (n > 0 ? 1 : 0)) / 2; };
    PairCounts pc;
    pc.items = ours.size();
    for (const auto& [k, n] : cells) pc.together_both += c2(n);
    for (const auto& [k, n] : rows) pc.together_ours += c2(n);
    for (const auto& [k, n] : cols) pc.together_ref += c2(n);
    return pc;
}

// ---- GFW regression files -------------------------------------------------------------------------------

namespace {

std::optional<double> number_or_null(simdjson::dom::element e) {
    double v = 0;
    if (e.is_double() || e.is_int64() || e.is_uint64()) {
        v = e.get_double().value_unsafe();
        if (e.is_int64()) v = static_cast<double>(e.get_int64().value_unsafe());
        if (e.is_uint64()) v = static_cast<double>(e.get_uint64().value_unsafe());
        if (std::isfinite(v)) return v;
    }
    return std::nullopt;
}

std::string string_or_empty(simdjson::dom::element e) {
    if (e.is_string()) return std::string(e.get_string().value_unsafe());
    return {};
}

std::uint16_t dim_m(std::optional<double> v) {
    if (!v || *v <= 0 || *v > 1000) return 0;
    return static_cast<std::uint16_t>(std::lround(*v));
}

}  // namespace

std::vector<GfwLabelledReport> read_gfw_segmenter_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(SourceLocation{path, 0, 0}, "cannot open GFW segmenter file");
    std::vector<GfwLabelledReport> out;
    simdjson::dom::parser parser;
    std::string line;
    std::string json;
    std::uint64_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty()) continue;
        // The files are pandas exports: bare NaN (not JSON) for absent numbers. Outside strings it only
        // appears as a value after ": " or inside arrays/objects after ", "/"[".
        json.clear();
        json.reserve(line.size() + simdjson::SIMDJSON_PADDING);
        bool in_string = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (in_string) {
                json.push_back(c);
                if (c == '\\' && i + 1 < line.size()) json.push_back(line[++i]);
                else if (c == '"') in_string = false;
            } else if (c == '"') {
                in_string = true;
                json.push_back(c);
            } else if (line.compare(i, 3, "NaN") == 0) {
                json += "null";
                i += 2;
            } else {
                json.push_back(c);
            }
        }
        const auto fail = [&](const std::string& what) {
            throw InputError(SourceLocation{path, line_no, 0}, what);
        };
        simdjson::dom::element doc;
        if (parser.parse(json).get(doc) != simdjson::SUCCESS) fail("malformed JSON line");
        simdjson::dom::object obj;
        if (doc.get_object().get(obj) != simdjson::SUCCESS) fail("expected a JSON object");
        GfwLabelledReport r;
        const auto field = [&](std::string_view key) -> std::optional<simdjson::dom::element> {
            simdjson::dom::element e;
            if (obj.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
            return e;
        };
        const auto ssvid = field("ssvid");
        const auto ts = field("timestamp");
        const auto type = field("type");
        if (!ssvid || !ts || !type) fail("expected \"ssvid\", \"timestamp\" and \"type\"");
        const std::string ssvid_s = string_or_empty(*ssvid);
        r.mmsi = static_cast<std::uint32_t>(std::strtoul(ssvid_s.c_str(), nullptr, 10));
        const auto t = parse_time(string_or_empty(*ts));
        if (!t) fail("expected an ISO 8601 \"timestamp\"");
        r.report.time_ms = *t;
        const std::string type_s = string_or_empty(*type);
        if (type_s.rfind("AIS.", 0) == 0) r.ais_type = static_cast<unsigned>(std::strtoul(type_s.c_str() + 4, nullptr, 10));
        const auto num = [&](std::string_view key) -> std::optional<double> {
            const auto e = field(key);
            return e ? number_or_null(*e) : std::nullopt;
        };
        const auto str = [&](std::string_view key) -> std::string {
            const auto e = field(key);
            return e ? string_or_empty(*e) : std::string{};
        };
        const auto lat = num("lat");
        const auto lon = num("lon");
        if (lat && lon) {
            SegFix f;
            f.time_ms = *t;
            f.lat_deg = *lat;
            f.lon_deg = *lon;
            f.speed_knots = num("speed");
            f.course_deg = num("course");
            r.report.fix = f;
        }
        if (r.ais_type == 5 || r.ais_type == 19 || r.ais_type == 24) {
            SegIdentity id;
            id.name = str("shipname");
            id.callsign = str("callsign");
            const std::string imo = str("imo");
            id.imo = static_cast<std::uint32_t>(std::strtoul(imo.c_str(), nullptr, 10));
            id.length_m = dim_m(num("length"));
            id.width_m = dim_m(num("width"));
            if (!id.empty()) r.report.identity = std::move(id);
        }
        r.expected = str("expected");
        out.push_back(std::move(r));
    }
    if (in.bad()) throw IoError(SourceLocation{path, line_no, 0}, "read error");
    return out;
}

}  // namespace vw::track
