// The scenario simulator. Tracks are piecewise linear (knots with time, position, speed, course,
// status); reporting walks each vessel's own clocks through time windows, every reception becomes
// one record (delivery time, text) in a per-window arena, and each window's records are written in
// delivery order. Each vessel has its own random streams (seeded from the seed and its index), so
// the output does not depend on the window size or on anything but the scenario and the seed.
#include "vesselwatch/sim/simulator.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <numbers>
#include <sstream>

#include "vesselwatch/ais/encode.hpp"
#include "vesselwatch/ais/messages.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::sim {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kSecondsPerHour = 3600.0;
constexpr double kTurningWindowS = 30.0;   // a course change counts as turning this long
constexpr double kTurningMinDeg = 10.0;    // course change that counts as turning
constexpr double kAnchoredMaxKnots = 3.0;  // above this, a moored/anchored class A reports at 10 s
constexpr double kClassBSlowKnots = 2.0;
constexpr double kStsAlongsideDeg = 0.0004;  // ~45 m each side: partners of a meeting lie ~90 m apart
constexpr double kLoiterSpeedKnots = 1.5;
constexpr double kLoiterKnotDeg = 20.0;  // one knot every 20 degrees of the drift circle
constexpr double kDarkStepS = 10.0;      // resolution of dark approaches / departures
constexpr UnixSeconds kWindowS = 600;    // reporting window
constexpr double kIntervalJitter = 0.1;  // +-5 % on every report interval
constexpr int kMaxAreaTries = 30;
constexpr double kMinHopNm = 3.0, kMaxHopNm = 25.0;
constexpr double kAreaDwellRadiusNm = 1.0;
constexpr std::uint32_t kMaxGroupId = 9999;

// ---- deterministic random numbers (splitmix64; std:: distributions differ between libraries) ----
class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
    std::size_t index(std::size_t n) noexcept { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    double exponential(double mean) noexcept { return -mean * std::log(1.0 - uniform()); }

private:
    std::uint64_t s_;
};

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t vessel, std::uint64_t stream) {
    Rng r(seed ^ (vessel * 0xD1B54A32D192ED03ULL) ^ (stream * 0x8CB92BA72F3D8DD7ULL));
    r.next();
    return r.next();
}

struct Knot {
    double t;
    LatLon pos;
    double sog;  // knots over the segment that starts here
    double cog;  // degrees
    NavStatus status;
};

struct State {
    LatLon pos;
    double sog = 0, cog = 0;
    NavStatus status = NavStatus::underway;
    bool turning = false;
};

class Track {
public:
    std::vector<Knot> knots;

    void stay(double until, NavStatus status) {
        Knot k = knots.back();
        if (until <= k.t) return;
        k.sog = 0;
        k.status = status;
        knots.back() = k;  // the segment from the last knot on is a stay
        k.t = until;
        knots.push_back(k);
    }
    void go(LatLon to, double speed_knots, NavStatus status = NavStatus::underway) {
        Knot& last = knots.back();
        const double d = geo::distance_nm(last.pos, to);
        if (d < 1e-6) return;
        last.sog = speed_knots;
        last.cog = geo::bearing_deg(last.pos, to);
        last.status = status;
        Knot k{last.t + d / speed_knots * kSecondsPerHour, to, speed_knots, last.cog, status};
        knots.push_back(k);
    }
    [[nodiscard]] double end_time() const { return knots.back().t; }
    [[nodiscard]] LatLon end_pos() const { return knots.back().pos; }

    /// State at `t`; `cursor` speeds up monotonic queries.
    State at(double t, std::size_t& cursor) const {
        if (cursor >= knots.size()) cursor = 0;
        if (knots[cursor].t > t) cursor = 0;
        while (cursor + 1 < knots.size() && knots[cursor + 1].t <= t) ++cursor;
        const Knot& a = knots[cursor];
        State s;
        s.status = a.status;
        if (cursor + 1 >= knots.size() || t <= a.t) {
            s.pos = a.pos;
            s.sog = cursor + 1 >= knots.size() ? 0.0 : a.sog;
            s.cog = a.cog;
        } else {
            const Knot& b = knots[cursor + 1];
            const double f = (t - a.t) / (b.t - a.t);
            s.pos = geo::lerp(a.pos, b.pos, f);
            s.sog = a.sog;
            s.cog = a.cog;
        }
        if (cursor > 0 && t - a.t < kTurningWindowS && s.sog > 0) {
            double dc = std::fabs(a.cog - knots[cursor - 1].cog);
            if (dc > 180) dc = 360 - dc;
            s.turning = knots[cursor - 1].sog > 0 && dc > kTurningMinDeg;
        }
        return s;
    }
    [[nodiscard]] LatLon pos_at(double t) const {
        std::size_t c = 0;
        return at(t, c).pos;
    }
};

struct Interval {
    double start, end;
};

struct Patch {  // identity change at a time
    double t;
    std::optional<std::string> name, callsign, flag, destination;
    std::optional<std::uint32_t> mmsi;
    std::optional<double> draught_m;
};

struct MmsiOverride {
    double start, end;
    std::uint32_t mmsi;
};

struct Spoof {
    double start, end;
    SpoofMode mode;
    LatLon center;
    double radius_nm, offset_nm, bearing_deg;
};

struct Visit {
    std::size_t stop;  // index into the itinerary
    double arrive, depart;
    LatLon pos;
};

struct SimVessel {
    std::string id;  // scripted id, empty for background
    Identity base;
    AisClass cls = AisClass::a;
    Track track;
    std::vector<Interval> dark;
    std::vector<Patch> patches;
    std::vector<MmsiOverride> overrides;
    std::vector<Spoof> spoofs;
    std::vector<Visit> visits;
    // reporting state
    double next_pos = 0, next_static = 0;
    std::size_t cursor = 0;
    std::uint32_t seq = 0;    // multi-part sequence ids and record order
    std::uint32_t group = 0;  // tag-block groups
    Rng rng{0};

    [[nodiscard]] Identity identity_at(double t) const {
        Identity who = base;
        for (const auto& p : patches) {
            if (p.t > t) break;
            if (p.name) who.name = *p.name;
            if (p.callsign) who.callsign = *p.callsign;
            if (p.flag) who.flag = *p.flag;
            if (p.destination) who.destination = *p.destination;
            if (p.mmsi) who.mmsi = *p.mmsi;
            if (p.draught_m) who.draught_m = *p.draught_m;
        }
        for (const auto& o : overrides)
            if (t >= o.start && t < o.end) who.mmsi = o.mmsi;
        return who;
    }
    /// The MMSI broadcast at `t` (identity_at(t).mmsi without copying the strings).
    [[nodiscard]] std::uint32_t mmsi_at(double t) const {
        std::uint32_t m = base.mmsi;
        for (const auto& p : patches) {
            if (p.t > t) break;
            if (p.mmsi) m = *p.mmsi;
        }
        for (const auto& o : overrides)
            if (t >= o.start && t < o.end) m = o.mmsi;
        return m;
    }
    [[nodiscard]] bool is_dark(double t) const {
        for (const auto& d : dark)
            if (t >= d.start && t < d.end) return true;
        return false;
    }
    [[nodiscard]] LatLon reported(LatLon truth, double t) const {
        for (const auto& s : spoofs) {
            if (t < s.start || t >= s.end) continue;
            switch (s.mode) {
                case SpoofMode::offset:
                    return geo::destination(truth, s.bearing_deg, s.offset_nm);
                case SpoofMode::jump:
                    return s.center;
                case SpoofMode::circle: {
                    // one lap per hour around the centre
                    const double angle = std::fmod((t - s.start) / kSecondsPerHour * 360.0, 360.0);
                    return geo::destination(s.center, angle, s.radius_nm);
                }
            }
        }
        return truth;
    }
};

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::int32_t to_1e4min(double deg) {
    return static_cast<std::int32_t>(std::llround(deg * 600000.0));
}

// A JSON string's contents: escaped, ill-formed UTF-8 replaced (a scenario file's path may hold any
// bytes; util/text.hpp).
std::string json_escape(std::string_view s) {
    std::string o;
    append_json_string(o, s);
    o.pop_back();  // the quotes
    o.erase(0, 1);
    return o;
}

std::string num(double v, int decimals = 5) {
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(decimals);
    os << v;
    return os.str();
}

struct Record {
    double delivery;
    std::uint32_t vessel;
    std::uint32_t seq;
    std::uint32_t sub;  // receiver order within one transmission
    std::size_t off;
    std::uint32_t len;
};

}  // namespace

double class_a_interval_s(double sog_knots, bool turning, NavStatus status) noexcept {
    if ((status == NavStatus::moored || status == NavStatus::at_anchor) && sog_knots <= kAnchoredMaxKnots)
        return kClassAAnchoredIntervalS;
    if (sog_knots > 23) return kClassAFastIntervalS;
    if (sog_knots > 14) return turning ? kClassAMediumTurningIntervalS : kClassAMediumIntervalS;
    return turning ? kClassASlowTurningIntervalS : kClassASlowIntervalS;
}

double class_b_interval_s(double sog_knots) noexcept {
    return sog_knots > kClassBSlowKnots ? kClassBMovingIntervalS : kClassBSlowIntervalS;
}

std::string iso_time(UnixSeconds t) {
    std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    std::int64_t secs = t - days * 86400;
    // civil_from_days (Howard Hinnant)
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t doe = days - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    return buf;
}

struct Simulator::Impl {
    const Scenario& sc;
    SimOptions opt;
    std::uint64_t seed;
    double scale;
    std::vector<SimVessel> vessels;
    std::map<std::string, std::size_t, std::less<>> by_id;
    std::vector<TruthEvent> truth;
    SimStats stats;
    struct StationView {
        std::string tag;  // SIM-<id>
        LatLon pos;
        double range_nm;
    };
    std::vector<StationView> stations;
    std::string sat_tag;

    Impl(const Scenario& s, const SimOptions& o)
        : sc(s),
          opt(o),
          seed(o.seed.value_or(s.seed)),
          scale(o.interval_scale.value_or(s.reporting.interval_scale)) {
        for (const auto& st : sc.stations)
            stations.push_back({std::string(kStationPrefix) + st.id, st.pos, st.range_nm});
        sat_tag = std::string(kStationPrefix) + std::string(kSatelliteStation);
        build_scripted();
        build_background();
        apply_behaviours();
        std::stable_sort(truth.begin(), truth.end(), [](const TruthEvent& a, const TruthEvent& b) {
            return a.start != b.start ? a.start < b.start : a.vessel_id < b.vessel_id;
        });
        stats.vessels = vessels.size();
        stats.scripted = sc.vessels.size();
        for (std::size_t i = 0; i < vessels.size(); ++i) {
            SimVessel& v = vessels[i];
            v.rng = Rng(stream_seed(seed, i, 2));
            // desynchronise the transponders: first reports spread over the first interval
            v.next_pos = static_cast<double>(sc.start) + v.rng.uniform(0, 10.0 * scale);
            v.next_static =
                static_cast<double>(sc.start) + v.rng.uniform(0, sc.reporting.static_interval_s * scale);
        }
    }

    // ---- scripted vessels ------------------------------------------------------------------
    void build_scripted() {
        const double t0 = static_cast<double>(sc.start);
        const double t_stop = static_cast<double>(sc.end()) + kSecondsPerHour;
        for (const auto& sv : sc.vessels) {
            SimVessel v;
            v.id = sv.id;
            v.base = sv.identity;
            v.base.name = upper(v.base.name);
            v.base.callsign = upper(v.base.callsign);
            v.base.destination = upper(v.base.destination);
            v.cls = sv.cls;
            // the flat list of stops: the itinerary `repeat` times (a closed loop is not re-entered at its
            // start)
            std::vector<std::size_t> order;
            for (int rep = 0; rep < sv.repeat; ++rep) {
                const bool closed =
                    sv.itinerary.size() > 1 && sv.itinerary.front().pos == sv.itinerary.back().pos;
                for (std::size_t i = (rep > 0 && closed) ? 1 : 0; i < sv.itinerary.size(); ++i)
                    order.push_back(i);
            }
            const Stop& first = sv.itinerary[order.front()];
            v.track.knots.push_back({t0, stop_pos(sv, first), 0, 0, NavStatus::moored});
            for (std::size_t k = 0; k < order.size() && v.track.end_time() < t_stop; ++k) {
                const Stop& st = sv.itinerary[order[k]];
                const LatLon p = stop_pos(sv, st);
                if (k > 0) v.track.go(p, sv.speed_knots);
                const double arrive = v.track.end_time();
                double depart = std::max(arrive + st.hours * kSecondsPerHour,
                                         st.until ? static_cast<double>(*st.until) : arrive);
                if (k == 0) depart = std::max(depart, static_cast<double>(sv.start));
                depart = std::min(depart, t_stop);  // nothing after the scenario's end is simulated
                switch (st.kind) {
                    case StopKind::waypoint:
                        break;
                    case StopKind::port:
                        v.track.stay(depart, NavStatus::moored);
                        break;
                    case StopKind::sts:
                        v.track.stay(depart, NavStatus::at_anchor);
                        break;
                    case StopKind::loiter:
                        loiter(v.track, p, st.loiter_radius_nm, depart, NavStatus::underway);
                        break;
                }
                if (st.kind != StopKind::waypoint || st.dark)
                    v.visits.push_back({order[k], arrive, depart, p});
                if (st.draught_m || !st.destination.empty()) {
                    Patch pa;
                    pa.t = depart;
                    if (st.draught_m) pa.draught_m = *st.draught_m;
                    if (!st.destination.empty()) pa.destination = upper(st.destination);
                    v.patches.push_back(pa);
                }
            }
            by_id[v.id] = vessels.size();
            vessels.push_back(std::move(v));
        }
        // Visits -> dark intervals, draught changes and truth (identities resolved after behaviours).
        for (std::size_t vi = 0; vi < sc.vessels.size(); ++vi) {
            const ScriptedVessel& sv = sc.vessels[vi];
            SimVessel& v = vessels[vi];
            for (const Visit& vis : v.visits) {
                const Stop& st = sv.itinerary[vis.stop];
                if (st.dark) {
                    const Interval d =
                        dark_around(v.track, st.pos, st.dark_radius_nm, vis.arrive, vis.depart);
                    v.dark.push_back(d);
                    std::string det = "{\"reason\":\"dark ";
                    det += st.kind == StopKind::port  ? "port call"
                           : st.kind == StopKind::sts ? "meeting"
                                                      : "approach";
                    det += "\",\"radius_nm\":" + num(st.dark_radius_nm, 1);
                    if (!st.port.empty()) det += ",\"port\":\"" + json_escape(st.port) + "\"";
                    det += "}";
                    add_truth(EventType::ais_off, vi, "", d.start, d.end, st.pos, det);
                }
                if (st.kind == StopKind::port) {
                    add_truth(EventType::port_call, vi, "", vis.arrive, vis.depart, st.pos,
                              "{\"port\":\"" + json_escape(st.port) +
                                  "\",\"dark\":" + (st.dark ? "true" : "false") + "}");
                } else if (st.kind == StopKind::loiter) {
                    add_truth(EventType::loiter, vi, "", vis.arrive, vis.depart, st.pos,
                              "{\"radius_nm\":" + num(st.loiter_radius_nm, 2) + "}");
                }
                if (st.draught_m && vis.depart > static_cast<double>(sc.start)) {
                    add_truth(EventType::loading, vi, "", vis.arrive, vis.depart, st.pos,
                              "{\"draught_m\":" + num(*st.draught_m, 1) +
                                  (st.port.empty() ? "" : ",\"port\":\"" + json_escape(st.port) + "\"") +
                                  "}");
                }
            }
        }
        // Ship-to-ship meetings: the time both partners are at the meeting point, once per pair.
        for (std::size_t vi = 0; vi < sc.vessels.size(); ++vi) {
            const ScriptedVessel& sv = sc.vessels[vi];
            for (const Visit& vis : vessels[vi].visits) {
                const Stop& st = sv.itinerary[vis.stop];
                if (st.kind != StopKind::sts || sv.id > st.partner) continue;
                const std::size_t pj = by_id.at(st.partner);
                bool met = false;
                for (const Visit& pv : vessels[pj].visits) {
                    const Stop& ps = sc.vessels[pj].itinerary[pv.stop];
                    if (ps.kind != StopKind::sts || ps.partner != sv.id) continue;
                    const double s = std::max(vis.arrive, pv.arrive), e = std::min(vis.depart, pv.depart);
                    if (e <= s || geo::distance_nm(vis.pos, pv.pos) > 1.0) continue;
                    add_truth(EventType::sts, vi, st.partner, s, e, st.pos, "{}");
                    met = true;
                }
                if (!met)
                    throw InputError(SourceLocation{sc.file, static_cast<std::uint64_t>(st.line), 0},
                                     "ship-to-ship meeting of '" + sv.id + "' and '" + st.partner +
                                         "': the partners are never at the meeting point together (align "
                                         "their until times)");
            }
        }
    }

    LatLon stop_pos(const ScriptedVessel& sv, const Stop& st) const {
        if (st.kind != StopKind::sts) return st.pos;
        // alongside: the partner with the smaller id lies to the north
        return {st.pos.lat + (sv.id < st.partner ? kStsAlongsideDeg : -kStsAlongsideDeg), st.pos.lon};
    }

    static void loiter(Track& tr, LatLon centre, double radius_nm, double until, NavStatus status) {
        // drift around a circle of `radius_nm` through `centre` until `until`
        double angle = 0;
        while (tr.end_time() < until) {
            angle += kLoiterKnotDeg;
            const LatLon p = geo::destination(geo::destination(centre, 90, radius_nm),
                                              std::fmod(angle + 270, 360), radius_nm);
            const double before = tr.end_time();
            tr.go(p, kLoiterSpeedKnots, status);
            if (tr.end_time() > until) {  // cut the last leg at `until`
                Knot& last = tr.knots.back();
                const Knot& prev = tr.knots[tr.knots.size() - 2];
                const double f = (until - prev.t) / (last.t - prev.t);
                last.pos = geo::lerp(prev.pos, last.pos, f);
                last.t = until;
            }
            if (tr.end_time() <= before) break;
        }
    }

    static Interval dark_around(const Track& tr, LatLon centre, double radius_nm, double arrive,
                                double depart) {
        double s = arrive, e = depart;
        const double t_first = tr.knots.front().t, t_last = tr.end_time();
        while (s - kDarkStepS >= t_first && geo::distance_nm(tr.pos_at(s - kDarkStepS), centre) <= radius_nm)
            s -= kDarkStepS;
        while (e + kDarkStepS <= t_last && geo::distance_nm(tr.pos_at(e + kDarkStepS), centre) <= radius_nm)
            e += kDarkStepS;
        if (e + kDarkStepS > t_last)
            e = std::max(e, t_last + 1e9);  // still there at the end: dark to the end
        return {s, e};
    }

    void add_truth(EventType type, std::size_t vi, const std::string& other, double s, double e, LatLon pos,
                   std::string details) {
        if (s >= static_cast<double>(sc.end()) || e < static_cast<double>(sc.start))
            return;  // outside the scenario
        TruthEvent ev;
        ev.type = type;
        ev.vessel_id = vessels[vi].id;
        ev.other_id = other;
        const double lo = static_cast<double>(sc.start), hi = static_cast<double>(sc.end());
        ev.start = static_cast<UnixSeconds>(std::floor(std::clamp(s, lo, hi)));
        ev.end = static_cast<UnixSeconds>(std::ceil(std::clamp(e, lo, hi)));
        ev.pos = pos;
        ev.details_json = std::move(details);
        truth.push_back(std::move(ev));
    }

    // ---- timed behaviours ------------------------------------------------------------------
    void apply_behaviours() {
        // identity patches first (in time order), then overrides, so identities at event starts are right
        std::vector<const Behaviour*> bs;
        for (const auto& b : sc.behaviours) bs.push_back(&b);
        std::stable_sort(bs.begin(), bs.end(), [](auto* a, auto* b) { return a->start < b->start; });
        for (const Behaviour* b : bs) {
            SimVessel& v = vessels[by_id.at(b->vessel)];
            const std::size_t vi = by_id.at(b->vessel);
            const double s = static_cast<double>(b->start), e = static_cast<double>(b->end);
            const Identity before = v.identity_at(s - 1);
            const LatLon pos = v.track.pos_at(s);
            switch (b->type) {
                case EventType::ais_off:
                    v.dark.push_back({s, e});
                    add_truth(b->type, vi, "", s, e, pos, "{\"reason\":\"scripted\"}");
                    break;
                case EventType::rename: {
                    Patch p;
                    p.t = s;
                    p.name = upper(*b->name);
                    if (b->callsign) p.callsign = upper(*b->callsign);
                    v.patches.push_back(p);
                    add_truth(b->type, vi, "", s, s, pos,
                              "{\"from_name\":\"" + json_escape(before.name) + "\",\"to_name\":\"" +
                                  json_escape(*p.name) + "\"}");
                    break;
                }
                case EventType::reflag: {
                    Patch p;
                    p.t = s;
                    p.mmsi = *b->mmsi;
                    if (b->flag) p.flag = *b->flag;
                    if (b->name) p.name = upper(*b->name);
                    if (b->callsign) p.callsign = upper(*b->callsign);
                    v.patches.push_back(p);
                    add_truth(b->type, vi, "", s, s, pos,
                              "{\"from_mmsi\":" + std::to_string(before.mmsi) + ",\"to_mmsi\":" +
                                  std::to_string(*p.mmsi) + ",\"from_flag\":\"" + json_escape(before.flag) +
                                  "\",\"to_flag\":\"" + json_escape(b->flag.value_or(before.flag)) + "\"}");
                    break;
                }
                case EventType::loading: {
                    Patch p;
                    p.t = s;
                    p.draught_m = *b->draught_m;
                    v.patches.push_back(p);
                    add_truth(b->type, vi, "", s, s, pos,
                              "{\"from_draught_m\":" + num(before.draught_m, 1) +
                                  ",\"draught_m\":" + num(*b->draught_m, 1) + "}");
                    break;
                }
                case EventType::spoof: {
                    v.spoofs.push_back(
                        {s, e, b->mode, b->center, b->radius_nm, b->offset_nm, b->bearing_deg});
                    std::string det = "{\"mode\":\"" + std::string(spoof_mode_name(b->mode)) + "\"";
                    if (b->mode != SpoofMode::offset)
                        det += ",\"reported_center\":{\"lat\":" + num(b->center.lat) +
                               ",\"lon\":" + num(b->center.lon) + "}";
                    if (b->mode == SpoofMode::circle) det += ",\"radius_nm\":" + num(b->radius_nm, 2);
                    if (b->mode == SpoofMode::offset)
                        det += ",\"offset_nm\":" + num(b->offset_nm, 2) +
                               ",\"bearing_deg\":" + num(b->bearing_deg, 1);
                    add_truth(b->type, vi, "", s, e, pos, det + "}");
                    break;
                }
                case EventType::mmsi_share: {
                    SimVessel& o = vessels[by_id.at(b->other)];
                    const std::uint32_t used = o.identity_at(s).mmsi;
                    v.overrides.push_back({s, e, used});
                    add_truth(b->type, vi, b->other, s, e, pos,
                              "{\"shared_mmsi\":" + std::to_string(used) + "}");
                    break;
                }
                case EventType::mmsi_swap: {
                    SimVessel& o = vessels[by_id.at(b->other)];
                    const std::uint32_t mine = v.identity_at(s).mmsi, theirs = o.identity_at(s).mmsi;
                    v.overrides.push_back({s, e, theirs});
                    o.overrides.push_back({s, e, mine});
                    add_truth(b->type, vi, b->other, s, e, pos,
                              "{\"mmsi\":" + std::to_string(mine) +
                                  ",\"other_mmsi\":" + std::to_string(theirs) + "}");
                    break;
                }
                case EventType::port_call:
                case EventType::sts:
                case EventType::loiter:
                    break;  // itinerary entries, not behaviours
            }
            std::stable_sort(v.patches.begin(), v.patches.end(),
                             [](const Patch& x, const Patch& y) { return x.t < y.t; });
        }
        // identities as broadcast at each event's start (before an instantaneous change)
        for (auto& ev : truth) {
            const SimVessel& v = vessels[by_id.at(ev.vessel_id)];
            const bool instant = ev.type == EventType::rename || ev.type == EventType::reflag;
            ev.vessel = v.identity_at(static_cast<double>(ev.start) - (instant ? 1 : 0));
            if (ev.type == EventType::mmsi_share || ev.type == EventType::mmsi_swap)
                ev.vessel.mmsi = v.base.mmsi;
            if (!ev.other_id.empty()) {
                const SimVessel& o = vessels[by_id.at(ev.other_id)];
                ev.other = o.identity_at(static_cast<double>(ev.start));
                if (ev.type == EventType::mmsi_swap)
                    ev.other.mmsi = o.identity_at(static_cast<double>(ev.start) - 1).mmsi;
            }
            if (ev.type == EventType::mmsi_share)
                ev.vessel = v.identity_at(static_cast<double>(ev.start) - 1);
        }
    }

    // ---- background traffic -----------------------------------------------------------------
    bool leg_at_sea(LatLon a, LatLon b) const {
        return opt.coast == nullptr || !opt.coast->segment_crosses_land(a, b);
    }
    bool at_sea(LatLon p) const { return opt.coast == nullptr || !opt.coast->on_land(p); }

    void build_background() {
        const double t0 = static_cast<double>(sc.start), t1 = static_cast<double>(sc.end());
        std::uint64_t serial = 0;
        for (std::size_t gi = 0; gi < sc.traffic.size(); ++gi) {
            const TrafficGroup& g = sc.traffic[gi];
            for (std::uint32_t k = 0; k < g.count; ++k, ++serial) {
                const std::size_t index = vessels.size();
                Rng rng(stream_seed(seed, index, 1));
                SimVessel v;
                v.cls = g.cls;
                v.base.mmsi = static_cast<std::uint32_t>(g.mids[rng.index(g.mids.size())]) * 1000000u +
                              100000u + static_cast<std::uint32_t>(serial % 900000u);
                const std::string kind = upper(g.kind);
                char name[21];
                std::snprintf(name, sizeof name, "%.12s %05llu", kind.c_str(),
                              static_cast<unsigned long long>(serial + 1));
                v.base.name = name;
                if (g.cls == AisClass::a) {
                    v.base.imo = 9000000u + static_cast<std::uint32_t>(serial % 999999u);
                    v.base.imo = v.base.imo - v.base.imo % 10 + imo_check_digit(v.base.imo / 10);
                }
                char cs[8];
                std::snprintf(cs, sizeof cs, "S%05llu", static_cast<unsigned long long>(serial % 100000));
                v.base.callsign = cs;
                v.base.shiptype = g.shiptype;
                v.base.length_m = rng.uniform(g.min_length_m, g.max_length_m);
                v.base.beam_m = std::max(2.0, v.base.length_m / 6.5);
                v.base.draught_m = std::min(25.0, std::max(0.5, v.base.length_m / 20.0));
                const double speed = rng.uniform(g.min_speed_knots, g.max_speed_knots);
                if (g.motion == Motion::area) {
                    area_track(v.track, *sc.area(g.area), g, speed, t0, t1, rng);
                } else {
                    lane_track(v.track, *sc.lane(g.lanes[rng.index(g.lanes.size())]), g, speed, t0, t1, rng);
                }
                vessels.push_back(std::move(v));
            }
        }
    }

    static std::uint32_t imo_check_digit(std::uint32_t six) {
        std::uint32_t sum = 0;
        for (std::uint32_t w = 2; w <= 7; ++w, six /= 10) sum += (six % 10) * w;
        return sum % 10;
    }

    void lane_track(Track& tr, const Lane& lane, const TrafficGroup& g, double speed, double t0, double t1,
                    Rng& rng) const {
        std::vector<LatLon> path = lane.waypoints;
        // a lateral offset inside the lane, kept only if the shifted lane stays at sea
        const double off = rng.uniform(-lane.width_nm / 2, lane.width_nm / 2);
        if (std::fabs(off) > 1e-3) {
            std::vector<LatLon> shifted;
            for (std::size_t i = 0; i < path.size(); ++i) {
                const LatLon a = path[i == 0 ? 0 : i - 1], b = path[i == 0 ? 1 : i];
                shifted.push_back(geo::destination(path[i], geo::bearing_deg(a, b) + 90.0, off));
            }
            bool ok = true;
            for (std::size_t i = 0; ok && i + 1 < shifted.size(); ++i)
                ok = leg_at_sea(shifted[i], shifted[i + 1]);
            for (std::size_t i = 1; ok && i + 1 < shifted.size(); ++i) ok = at_sea(shifted[i]);
            if (ok) path = shifted;
        }
        if (rng.uniform() < 0.5) std::reverse(path.begin(), path.end());
        double dwell_h = g.dwell_hours;
        if (g.motion == Motion::shuttle) {
            // ferries: at a terminal at a random phase of the schedule
            tr.knots.push_back({t0, path.front(), 0, 0, NavStatus::moored});
            tr.stay(t0 + rng.uniform(0, dwell_h * kSecondsPerHour + 1), NavStatus::moored);
        } else {
            // somewhere along the lane
            double total = 0;
            for (std::size_t i = 0; i + 1 < path.size(); ++i) total += geo::distance_nm(path[i], path[i + 1]);
            double at = rng.uniform(0, total);
            std::size_t i = 0;
            while (i + 2 < path.size() && at > geo::distance_nm(path[i], path[i + 1])) {
                at -= geo::distance_nm(path[i], path[i + 1]);
                ++i;
            }
            const double leg = geo::distance_nm(path[i], path[i + 1]);
            const LatLon p = geo::lerp(path[i], path[i + 1], leg > 0 ? std::min(1.0, at / leg) : 0.0);
            path.erase(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(i + 1));
            path.insert(path.begin(), p);
            tr.knots.push_back({t0, p, 0, 0, NavStatus::underway});
        }
        std::vector<LatLon> back = lane.waypoints;
        while (tr.end_time() < t1) {
            for (std::size_t i = 1; i < path.size() && tr.end_time() < t1; ++i) tr.go(path[i], speed);
            const double dwell = g.motion == Motion::shuttle
                                     ? dwell_h * kSecondsPerHour
                                     : rng.exponential(std::max(0.1, dwell_h) * kSecondsPerHour);
            tr.stay(tr.end_time() + std::max(60.0, dwell), NavStatus::moored);
            std::reverse(path.begin(), path.end());
        }
    }

    void area_track(Track& tr, const Area& a, const TrafficGroup& g, double speed, double t0, double t1,
                    Rng& rng) const {
        auto random_point = [&]() {
            for (int i = 0; i < kMaxAreaTries * 4; ++i) {
                const LatLon p{rng.uniform(a.south, a.north), rng.uniform(a.west, a.east)};
                if (at_sea(p)) return std::optional<LatLon>(p);
            }
            return std::optional<LatLon>();
        };
        const auto start = random_point();
        const LatLon p0 = start.value_or(LatLon{(a.south + a.north) / 2, (a.west + a.east) / 2});
        tr.knots.push_back({t0, p0, 0, 0, NavStatus::underway});
        if (!start) {
            tr.stay(t1, NavStatus::underway);
            return;
        }
        const bool fishing = g.kind == "fishing";
        const NavStatus work = fishing ? NavStatus::fishing : NavStatus::underway;
        // start at a random phase: working or moving
        while (tr.end_time() < t1) {
            std::optional<LatLon> next;
            for (int i = 0; i < kMaxAreaTries && !next; ++i) {
                const LatLon q =
                    geo::destination(tr.end_pos(), rng.uniform(0, 360), rng.uniform(kMinHopNm, kMaxHopNm));
                if (q.lat < a.south || q.lat > a.north || q.lon < a.west || q.lon > a.east) continue;
                if (at_sea(q) && leg_at_sea(tr.end_pos(), q)) next = q;
            }
            if (next) tr.go(*next, speed);
            const double dwell =
                std::max(600.0, rng.exponential(std::max(0.1, g.dwell_hours) * kSecondsPerHour));
            const LatLon c = tr.end_pos();
            // work (fish, drift) around a small circle if it is at sea, else drift in place
            const LatLon probe = geo::destination(c, 90, 2 * kAreaDwellRadiusNm);
            if (at_sea(probe) && leg_at_sea(c, probe) &&
                leg_at_sea(c, geo::destination(geo::destination(c, 90, kAreaDwellRadiusNm), 0,
                                               kAreaDwellRadiusNm)) &&
                leg_at_sea(c, geo::destination(geo::destination(c, 90, kAreaDwellRadiusNm), 180,
                                               kAreaDwellRadiusNm))) {
                loiter(tr, c, kAreaDwellRadiusNm, tr.end_time() + dwell, work);
            } else {
                tr.stay(tr.end_time() + dwell, work);
            }
            if (!next && tr.end_time() < t1) tr.stay(tr.end_time() + 3600, work);
        }
    }

    // ---- reporting ---------------------------------------------------------------------------
    OutBuffer* arena = nullptr;
    std::vector<Record>* records = nullptr;
    ais::Payload payload;
    std::array<char, ais::kMaxArmoredChars> armored{};

    struct Reception {
        const std::string* station;
        double delivery;
    };
    std::vector<Reception> heard;

    /// One transmission of `m` from `true_pos` at `t`: decides who hears it, then encodes it once and
    /// writes one line group per receiver (nothing is encoded when nobody hears it).
    void transmit(SimVessel& v, std::uint32_t vi, double t, LatLon true_pos, const ais::Message& m) {
        ++stats.transmissions;
        heard.clear();
        const double coslat = std::cos(true_pos.lat * kDegToRad);
        for (const auto& st : stations) {
            // equirectangular distance: exact enough within 40 nm
            const double dy = (true_pos.lat - st.pos.lat) * 60.0,
                         dx = (true_pos.lon - st.pos.lon) * 60.0 * coslat;
            if (dx * dx + dy * dy > st.range_nm * st.range_nm) continue;
            if (v.rng.uniform() < sc.reporting.loss) {
                ++stats.lost;
                continue;
            }
            double delivery = t;
            if (v.rng.uniform() < sc.reporting.out_of_order) {
                delivery += v.rng.uniform(1, sc.reporting.max_delay_s);
                ++stats.late;
            }
            heard.push_back({&st.tag, delivery});
        }
        if (sc.satellite.enabled) {
            const double revisit = sc.satellite.revisit_minutes * 60, pass = sc.satellite.pass_minutes * 60;
            const double phase = std::fmod(t - static_cast<double>(sc.start), revisit);
            if (phase < pass && v.rng.uniform() < sc.satellite.detection) {
                ++stats.late;
                heard.push_back({&sat_tag, t - phase + pass + sc.satellite.downlink_delay_s});
            }
        }
        if (heard.empty()) return;
        std::string_view text;
        unsigned fill = 0;
        if (!encode(m, text, fill)) return;
        const bool multi = text.size() > nmea::kMaxPayloadCharsPerSentence;
        nmea::SentenceOptions so;
        so.line_ending = opt.line_ending;
        so.tag_block = nmea::TagBlockMode::write;
        so.time_ms = static_cast<std::int64_t>(std::floor(t)) * 1000;
        if (multi) {
            so.sequence_id = static_cast<std::uint8_t>(v.seq % (nmea::kMaxSequenceId + 1));
            v.group = v.group % kMaxGroupId + 1;
            so.group_id = v.group;
        }
        so.channel = (v.seq & 1u) != 0 ? 'B' : 'A';
        const std::uint32_t seq = v.seq++;
        std::uint32_t sub = 0;
        for (const Reception& r : heard) {
            so.station = *r.station;
            const std::size_t off = arena->view().size();
            stats.lines += nmea::write_sentences(*arena, text, fill, so);
            records->push_back(
                {r.delivery, vi, seq, sub++, off, static_cast<std::uint32_t>(arena->view().size() - off)});
            ++stats.receptions;
        }
    }

    bool encode(const ais::Message& m, std::string_view& text, unsigned& fill) {
        if (ais::encode(m, payload) != ais::EncodeStatus::ok) return false;
        const ais::Armored a = ais::armor(payload, armored);
        if (a.size == 0) return false;
        text = std::string_view(armored.data(), a.size);
        fill = a.fill_bits;
        return true;
    }

    void send_position(SimVessel& v, std::uint32_t vi, double t, const State& s) {
        const std::uint32_t mmsi = v.mmsi_at(t);
        const LatLon rep = v.reported(s.pos, t);
        const auto speed = static_cast<std::uint16_t>(std::min(1022L, std::lround(s.sog * 10)));
        const auto course = static_cast<std::uint16_t>(std::lround(s.cog * 10) % 3600);
        const auto heading = static_cast<std::uint16_t>(std::lround(s.cog) % 360);
        const auto second = static_cast<std::uint8_t>(static_cast<std::int64_t>(std::floor(t)) % 60);
        ais::Message m;
        if (v.cls == AisClass::a) {
            ais::PositionA p;
            p.type = 1;
            p.mmsi = mmsi;
            p.status = static_cast<std::uint8_t>(s.status);
            p.turn = s.turning ? static_cast<std::int8_t>(20) : static_cast<std::int8_t>(0);
            p.speed = speed;
            p.lon = to_1e4min(rep.lon);
            p.lat = to_1e4min(rep.lat);
            p.course = course;
            p.heading = heading;
            p.second = second;
            m = p;
        } else {
            ais::PositionB p;
            p.type = 18;
            p.mmsi = mmsi;
            p.speed = speed;
            p.lon = to_1e4min(rep.lon);
            p.lat = to_1e4min(rep.lat);
            p.course = course;
            p.heading = 511;
            p.second = second;
            p.cs = true;
            p.dsc = true;
            p.band = true;
            p.msg22 = true;
            m = p;
        }
        transmit(v, vi, t, s.pos, m);
    }

    static void dims(const Identity& id, std::uint16_t& bow, std::uint16_t& stern, std::uint8_t& port,
                     std::uint8_t& stbd) {
        const auto len = static_cast<long>(std::lround(id.length_m)),
                   beam = static_cast<long>(std::lround(id.beam_m));
        bow = static_cast<std::uint16_t>(std::clamp(len * 3 / 4, 0L, 511L));
        stern = static_cast<std::uint16_t>(std::clamp(len - len * 3 / 4, 0L, 511L));
        port = static_cast<std::uint8_t>(std::clamp(beam / 2, 0L, 63L));
        stbd = static_cast<std::uint8_t>(std::clamp(beam - beam / 2, 0L, 63L));
    }

    void send_static(SimVessel& v, std::uint32_t vi, double t, const State& s) {
        const Identity id = v.identity_at(t);
        if (v.cls == AisClass::a) {
            ais::StaticVoyage m;
            m.type = 5;
            m.mmsi = id.mmsi;
            m.ais_version = 2;
            m.imo = id.imo;
            m.callsign.assign(id.callsign);
            m.shipname.assign(id.name);
            m.shiptype = id.shiptype;
            dims(id, m.to_bow, m.to_stern, m.to_port, m.to_starboard);
            m.epfd = 1;
            m.month = 0;
            m.day = 0;
            m.hour = 24;
            m.minute = 60;
            m.draught = static_cast<std::uint8_t>(std::clamp(std::lround(id.draught_m * 10), 0L, 255L));
            m.destination.assign(id.destination);
            transmit(v, vi, t, s.pos, ais::Message{m});
        } else {
            ais::StaticDataB a;
            a.type = 24;
            a.mmsi = id.mmsi;
            a.partno = 0;
            a.shipname.assign(id.name);
            transmit(v, vi, t, s.pos, ais::Message{a});
            ais::StaticDataB b;
            b.type = 24;
            b.mmsi = id.mmsi;
            b.partno = 1;
            b.shiptype = id.shiptype;
            b.vendorid.assign("SIMVW");
            b.callsign.assign(id.callsign);
            dims(id, b.to_bow, b.to_stern, b.to_port, b.to_starboard);
            transmit(v, vi, t + 1, s.pos, ais::Message{b});
        }
    }

    void report_window(SimVessel& v, std::uint32_t vi, double w1) {
        const double t_end = static_cast<double>(sc.end());
        const double limit = std::min(w1, t_end);
        while (v.next_pos < limit || v.next_static < limit) {
            const bool pos_first = v.next_pos <= v.next_static;
            const double t = pos_first ? v.next_pos : v.next_static;
            const State s = v.track.at(t, v.cursor);
            const bool dark = v.is_dark(t);
            if (pos_first) {
                if (dark) {
                    ++stats.dark;
                } else {
                    send_position(v, vi, t, s);
                }
                const double base = v.cls == AisClass::a ? class_a_interval_s(s.sog, s.turning, s.status)
                                                         : class_b_interval_s(s.sog);
                v.next_pos = t + base * scale * (1.0 + kIntervalJitter * (v.rng.uniform() - 0.5));
            } else {
                if (dark) {
                    ++stats.dark;
                } else {
                    send_static(v, vi, t, s);
                }
                v.next_static = t + sc.reporting.static_interval_s * scale *
                                        (1.0 + kIntervalJitter * (v.rng.uniform() - 0.5));
            }
        }
    }

    void run(const std::function<void(std::string_view)>& sink) {
        OutBuffer a1, a2;
        std::vector<Record> r1, r2;
        OutBuffer* cur = &a1;
        OutBuffer* next = &a2;
        std::vector<Record>* cur_r = &r1;
        std::vector<Record>* next_r = &r2;
        std::string out;
        const UnixSeconds end = sc.end();
        for (UnixSeconds w0 = sc.start;; w0 += kWindowS) {
            const bool last = w0 >= end;
            const auto w1 = static_cast<double>(w0 + kWindowS);
            arena = cur;
            records = cur_r;
            if (!last) {
                for (std::size_t i = 0; i < vessels.size(); ++i)
                    report_window(vessels[i], static_cast<std::uint32_t>(i), w1);
            }
            std::sort(cur_r->begin(), cur_r->end(), [](const Record& a, const Record& b) {
                if (a.delivery != b.delivery) return a.delivery < b.delivery;
                if (a.vessel != b.vessel) return a.vessel < b.vessel;
                if (a.seq != b.seq) return a.seq < b.seq;
                return a.sub < b.sub;
            });
            out.clear();
            next->clear();
            next_r->clear();
            const std::string_view text = cur->view();
            for (const Record& r : *cur_r) {
                if (!last && r.delivery >= w1) {  // delivered in a later window
                    const std::size_t off = next->view().size();
                    next->write(text.substr(r.off, r.len));
                    next_r->push_back({r.delivery, r.vessel, r.seq, r.sub, off, r.len});
                } else {
                    out.append(text.substr(r.off, r.len));
                }
            }
            if (!out.empty()) sink(out);
            cur->clear();
            cur_r->clear();
            std::swap(cur, next);
            std::swap(cur_r, next_r);
            if (last) break;
        }
        arena = nullptr;
        records = nullptr;
    }

    std::string identity_json(const std::string& id, const Identity& v) const {
        std::string o = "{";
        if (!id.empty()) o += "\"id\":\"" + json_escape(id) + "\",";
        o += "\"mmsi\":" + std::to_string(v.mmsi) + ",\"imo\":" + std::to_string(v.imo) + ",\"name\":\"" +
             json_escape(v.name) + "\",\"callsign\":\"" + json_escape(v.callsign) + "\",\"flag\":\"" +
             json_escape(v.flag) + "\"}";
        return o;
    }

    std::string truth_json() const {
        std::string o;
        o += "{\n  \"simulated\": true,\n  \"banner\": \"" + std::string(kSimulatedBanner) + "\",\n";
        o += "  \"schema\": \"vesselwatch-truth/1\",\n";
        o += "  \"scenario\": \"" + json_escape(sc.name) + "\",\n  \"scenario_file\": \"" +
             json_escape(sc.file) + "\",\n";
        o += "  \"seed\": " + std::to_string(seed) + ",\n  \"interval_scale\": " + num(scale, 3) + ",\n";
        o += "  \"start\": \"" + iso_time(sc.start) + "\",\n  \"end\": \"" + iso_time(sc.end()) + "\",\n";
        o += "  \"station_prefix\": \"" + std::string(kStationPrefix) + "\",\n";
        o += "  \"counts\": {\"vessels\": " + std::to_string(stats.vessels) +
             ", \"scripted\": " + std::to_string(stats.scripted) +
             ", \"background\": " + std::to_string(stats.vessels - stats.scripted) +
             ", \"transmissions\": " + std::to_string(stats.transmissions) +
             ", \"receptions\": " + std::to_string(stats.receptions) +
             ", \"lines\": " + std::to_string(stats.lines) + ", \"lost\": " + std::to_string(stats.lost) +
             ", \"late\": " + std::to_string(stats.late) + ", \"dark\": " + std::to_string(stats.dark) +
             "},\n";
        o += "  \"vessels\": [";
        for (std::size_t i = 0; i < sc.vessels.size(); ++i) {
            const SimVessel& v = vessels[i];
            o += i == 0 ? "\n    " : ",\n    ";
            std::string idj = identity_json(v.id, v.base);
            idj.pop_back();
            o += idj + ",\"class\":\"" + (v.cls == AisClass::a ? "A" : "B") +
                 "\",\"shiptype\":" + std::to_string(v.base.shiptype) + "}";
        }
        o += "\n  ],\n  \"events\": [";
        for (std::size_t i = 0; i < truth.size(); ++i) {
            const TruthEvent& e = truth[i];
            o += i == 0 ? "\n    " : ",\n    ";
            o += "{\"id\":" + std::to_string(i + 1) + ",\"type\":\"" + std::string(event_type_name(e.type)) +
                 "\",";
            o += "\"vessel\":" + identity_json(e.vessel_id, e.vessel) + ",";
            if (!e.other_id.empty()) o += "\"other\":" + identity_json(e.other_id, e.other) + ",";
            o += "\"start\":\"" + iso_time(e.start) + "\",\"end\":\"" + iso_time(e.end) + "\",";
            o += "\"start_unix\":" + std::to_string(e.start) + ",\"end_unix\":" + std::to_string(e.end) + ",";
            o += "\"position\":{\"lat\":" + num(e.pos.lat) + ",\"lon\":" + num(e.pos.lon) + "},";
            o += "\"details\":" + e.details_json + "}";
        }
        o += "\n  ]\n}\n";
        return o;
    }
};

Simulator::Simulator(const Scenario& scenario, const SimOptions& options)
    : impl_(std::make_unique<Impl>(scenario, options)) {}
Simulator::~Simulator() = default;

void Simulator::run(const std::function<void(std::string_view)>& sink) {
    impl_->run(sink);
}
const std::vector<TruthEvent>& Simulator::truth() const noexcept {
    return impl_->truth;
}
const SimStats& Simulator::stats() const noexcept {
    return impl_->stats;
}
std::string Simulator::truth_json() const {
    return impl_->truth_json();
}

std::optional<LatLon> Simulator::position_of(std::string_view id, UnixSeconds t) const {
    const auto it = impl_->by_id.find(id);
    if (it == impl_->by_id.end()) return std::nullopt;
    return impl_->vessels[it->second].track.pos_at(static_cast<double>(t));
}

}  // namespace vw::sim
