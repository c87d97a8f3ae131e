// Scenario files: TOML (toml++) -> typed Scenario, with file:line:column on every error and unknown
// keys rejected (a typo must not silently become a default).
#include "vesselwatch/sim/scenario.hpp"
#include "vesselwatch/util/civil_time.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "vesselwatch/util/error.hpp"

namespace vw::sim {

namespace {

constexpr double kMaxSpeedKnots = 60.0;
constexpr UnixSeconds kMaxDurationS = 366LL * 86400;
constexpr std::uint32_t kMaxMmsi = 999999999;
constexpr std::uint64_t kMaxVessels = 200000;
constexpr std::size_t kScenarioReadChunkBytes = std::size_t{1} << 16;
/// A scenario file is a few KiB; larger ones are refused (docs/reliability.md).
constexpr std::size_t kMaxScenarioFileBytes = std::size_t{16} << 20;

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const toml::node* n, const std::string& what) const {
        SourceLocation where{file_};
        if (n != nullptr) {
            where.line = n->source().begin.line;
            where.column = n->source().begin.column;
        }
        throw InputError(where, what);
    }

    void only_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                   std::string_view ctx) const {
        for (const auto& [k, v] : t) {
            if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(&v, "unknown key '" + std::string(k.str()) + "' in " + std::string(ctx) +
                             " (expected one of: " + list + ")");
            }
        }
    }

    const toml::node* need(const toml::table& t, std::string_view key, std::string_view ctx) const {
        const toml::node* n = t.get(key);
        if (n == nullptr) fail(&t, std::string(ctx) + ": missing key '" + std::string(key) + "'");
        return n;
    }

    std::string str(const toml::node* n, std::string_view what) const {
        if (auto v = n->value<std::string>()) return *v;
        fail(n, std::string(what) + ": expected a string");
    }
    double num(const toml::node* n, std::string_view what) const {
        if (n->is_integer()) return static_cast<double>(*n->value<std::int64_t>());
        if (auto v = n->value<double>()) {
            if (!std::isfinite(*v)) fail(n, std::string(what) + ": expected a finite number");
            return *v;
        }
        fail(n, std::string(what) + ": expected a number");
    }
    std::int64_t integer(const toml::node* n, std::string_view what) const {
        if (auto v = n->value<std::int64_t>(); v && n->is_integer()) return *v;
        fail(n, std::string(what) + ": expected an integer");
    }
    bool boolean(const toml::node* n, std::string_view what) const {
        if (auto v = n->value<bool>()) return *v;
        fail(n, std::string(what) + ": expected true or false");
    }
    UnixSeconds time(const toml::node* n, std::string_view what) const {
        const auto* dt = n->as_date_time();
        if (dt == nullptr || !dt->get().offset)
            fail(n, std::string(what) + ": expected an offset date-time such as 2024-03-01T06:00:00Z");
        const toml::date_time& d = dt->get();
        const std::int64_t days = days_from_civil(d.date.year, d.date.month, d.date.day);
        return days * 86400 + d.time.hour * 3600 + d.time.minute * 60 + d.time.second -
               d.offset->minutes * 60LL;
    }
    double range(const toml::node* n, std::string_view what, double lo, double hi) const {
        const double v = num(n, what);
        if (v < lo || v > hi) {
            std::ostringstream os;
            os << what << ": " << v << " is outside [" << lo << ", " << hi << "]";
            fail(n, os.str());
        }
        return v;
    }
    LatLon latlon(const toml::node* n, std::string_view what) const {
        const auto* a = n->as_array();
        if (a == nullptr || a->size() != 2) fail(n, std::string(what) + ": expected [lat, lon]");
        return {range(a->get(0), std::string(what) + " latitude", -90, 90),
                range(a->get(1), std::string(what) + " longitude", -180, 180)};
    }
    const toml::table& table(const toml::node* n, std::string_view what) const {
        const auto* t = n->as_table();
        if (t == nullptr) fail(n, std::string(what) + ": expected a table");
        return *t;
    }
    const toml::array& array(const toml::node* n, std::string_view what) const {
        const auto* a = n->as_array();
        if (a == nullptr) fail(n, std::string(what) + ": expected an array");
        return *a;
    }
    std::uint32_t mmsi(const toml::node* n, std::string_view what) const {
        const std::int64_t v = integer(n, what);
        if (v < 1 || v > kMaxMmsi) fail(n, std::string(what) + ": an MMSI has at most 9 digits");
        return static_cast<std::uint32_t>(v);
    }
    int line(const toml::node& n) const { return static_cast<int>(n.source().begin.line); }

    const std::string& file() const { return file_; }

private:
    std::string file_;
};

AisClass parse_class(const Reader& r, const toml::node* n) {
    const std::string c = r.str(n, "class");
    if (c == "A") return AisClass::a;
    if (c == "B") return AisClass::b;
    r.fail(n, "class: expected \"A\" or \"B\"");
}

template <class T>
const T* find_named(const std::vector<T>& v, std::string_view key, std::string T::*field) {
    for (const auto& x : v)
        if (x.*field == key) return &x;
    return nullptr;
}

Identity parse_identity(const Reader& r, const toml::table& t, std::string_view ctx) {
    Identity id;
    id.mmsi = r.mmsi(r.need(t, "mmsi", ctx), "mmsi");
    if (const auto* n = t.get("imo")) {
        const std::int64_t v = r.integer(n, "imo");
        if (v < 0 || v > 9999999) r.fail(n, "imo: expected a 7-digit IMO number");
        id.imo = static_cast<std::uint32_t>(v);
    }
    id.name = r.str(r.need(t, "name", ctx), "name");
    if (id.name.empty() || id.name.size() > 20) r.fail(t.get("name"), "name: 1 to 20 characters (AIS limit)");
    if (const auto* n = t.get("callsign")) {
        id.callsign = r.str(n, "callsign");
        if (id.callsign.size() > 7) r.fail(n, "callsign: at most 7 characters (AIS limit)");
    }
    if (const auto* n = t.get("shiptype"))
        id.shiptype = static_cast<std::uint8_t>(r.range(n, "shiptype", 0, 99));
    if (const auto* n = t.get("length_m")) id.length_m = r.range(n, "length_m", 1, 500);
    if (const auto* n = t.get("beam_m")) id.beam_m = r.range(n, "beam_m", 1, 80);
    if (const auto* n = t.get("draught_m")) id.draught_m = r.range(n, "draught_m", 0, 25.5);
    if (const auto* n = t.get("destination")) id.destination = r.str(n, "destination");
    if (id.destination.size() > 20) r.fail(t.get("destination"), "destination: at most 20 characters");
    if (const auto* n = t.get("flag")) id.flag = r.str(n, "flag");
    return id;
}

void parse_stop(const Reader& r, const toml::node* n, const Scenario& s, ScriptedVessel& v) {
    const toml::table& t = r.table(n, "itinerary entry");
    r.only_keys(t,
                {"port", "at", "sts", "loiter", "hours", "until", "dark", "dark_radius_nm", "radius_nm",
                 "draught_m", "destination"},
                "an itinerary entry of vessel '" + v.id + "'");
    Stop st;
    st.line = r.line(*n);
    if (const auto* p = t.get("port")) {
        st.kind = StopKind::port;
        st.port = r.str(p, "port");
        const Port* port = s.port(st.port);
        if (port == nullptr) r.fail(p, "port '" + st.port + "' is not defined in [[ports]]");
        st.pos = port->pos;
    } else {
        st.pos = r.latlon(r.need(t, "at", "an itinerary entry without port"), "at");
    }
    if (const auto* p = t.get("sts")) {
        st.kind = StopKind::sts;
        st.partner = r.str(p, "sts");
    } else if (const auto* l = t.get("loiter"); l != nullptr && r.boolean(l, "loiter")) {
        st.kind = StopKind::loiter;
    }
    if (const auto* h = t.get("hours")) st.hours = r.range(h, "hours", 0, 24.0 * 366);
    if (const auto* u = t.get("until")) st.until = r.time(u, "until");
    if (st.kind == StopKind::waypoint && (st.hours > 0 || st.until))
        r.fail(n, "a stay (hours/until) needs port, sts or loiter = true");
    if (const auto* d = t.get("dark")) st.dark = r.boolean(d, "dark");
    if (const auto* d = t.get("dark_radius_nm")) st.dark_radius_nm = r.range(d, "dark_radius_nm", 0, 500);
    if (st.dark && st.dark_radius_nm <= 0) st.dark_radius_nm = 1.0;
    if (const auto* d = t.get("radius_nm")) st.loiter_radius_nm = r.range(d, "radius_nm", 0.05, 50);
    if (const auto* d = t.get("draught_m")) st.draught_m = r.range(d, "draught_m", 0, 25.5);
    if (const auto* d = t.get("destination")) st.destination = r.str(d, "destination");
    if (st.destination.size() > 20) r.fail(t.get("destination"), "destination: at most 20 characters");
    v.itinerary.push_back(std::move(st));
}

EventType parse_event_type(const Reader& r, const toml::node* n) {
    const std::string t = r.str(n, "type");
    static constexpr std::pair<std::string_view, EventType> kTypes[] = {
        {"ais_off", EventType::ais_off},     {"rename", EventType::rename},
        {"reflag", EventType::reflag},       {"loading", EventType::loading},
        {"spoof", EventType::spoof},         {"mmsi_share", EventType::mmsi_share},
        {"mmsi_swap", EventType::mmsi_swap},
    };
    for (const auto& [name, type] : kTypes)
        if (t == name) return type;
    r.fail(n, "type: '" + t +
                  "' is not a timed behaviour (ais_off, rename, reflag, loading, spoof, mmsi_share, "
                  "mmsi_swap; port calls, "
                  "ship-to-ship meetings and loitering are itinerary entries)");
}

}  // namespace

std::string_view event_type_name(EventType t) noexcept {
    switch (t) {
        case EventType::ais_off:
            return "ais_off";
        case EventType::rename:
            return "rename";
        case EventType::reflag:
            return "reflag";
        case EventType::loading:
            return "loading";
        case EventType::spoof:
            return "spoof";
        case EventType::mmsi_share:
            return "mmsi_share";
        case EventType::mmsi_swap:
            return "mmsi_swap";
        case EventType::port_call:
            return "port_call";
        case EventType::sts:
            return "sts";
        case EventType::loiter:
            return "loiter";
    }
    return "?";
}

std::string_view spoof_mode_name(SpoofMode m) noexcept {
    switch (m) {
        case SpoofMode::jump:
            return "jump";
        case SpoofMode::circle:
            return "circle";
        case SpoofMode::offset:
            return "offset";
    }
    return "?";
}

const ScriptedVessel* Scenario::vessel(std::string_view id) const noexcept {
    return find_named(vessels, id, &ScriptedVessel::id);
}
const Port* Scenario::port(std::string_view n) const noexcept {
    return find_named(ports, n, &Port::name);
}
const Lane* Scenario::lane(std::string_view n) const noexcept {
    return find_named(lanes, n, &Lane::name);
}
const Area* Scenario::area(std::string_view n) const noexcept {
    return find_named(areas, n, &Area::name);
}
std::uint64_t Scenario::background_count() const noexcept {
    std::uint64_t n = 0;
    for (const auto& g : traffic) n += g.count;
    return n;
}

Scenario parse_scenario(std::string_view text, const std::string& file) {
    Reader r(file);
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw InputError(SourceLocation{file, e.source().begin.line, e.source().begin.column},
                         "TOML syntax: " + std::string(e.description()));
    }
    r.only_keys(root,
                {"scenario", "reporting", "satellite", "stations", "ports", "lanes", "areas", "traffic",
                 "vessels", "behaviours"},
                "the file");
    Scenario s;
    s.file = file;

    const toml::table& sc = r.table(r.need(root, "scenario", "the file"), "[scenario]");
    r.only_keys(sc, {"name", "description", "start", "duration_hours", "seed", "sources"}, "[scenario]");
    s.name = r.str(r.need(sc, "name", "[scenario]"), "name");
    if (const auto* n = sc.get("description")) s.description = r.str(n, "description");
    s.start = r.time(r.need(sc, "start", "[scenario]"), "start");
    s.duration_s = static_cast<UnixSeconds>(std::llround(
        r.range(r.need(sc, "duration_hours", "[scenario]"), "duration_hours", 0.01, 366 * 24) * 3600));
    s.duration_s = std::min(s.duration_s, kMaxDurationS);
    if (const auto* n = sc.get("seed")) s.seed = static_cast<std::uint64_t>(r.integer(n, "seed"));

    if (const auto* n = root.get("reporting")) {
        const toml::table& t = r.table(n, "[reporting]");
        r.only_keys(t, {"interval_scale", "static_interval_s", "loss", "out_of_order", "max_delay_s"},
                    "[reporting]");
        if (const auto* x = t.get("interval_scale"))
            s.reporting.interval_scale = r.range(x, "interval_scale", 0.5, 100);
        if (const auto* x = t.get("static_interval_s"))
            s.reporting.static_interval_s = r.range(x, "static_interval_s", 10, 86400);
        if (const auto* x = t.get("loss")) s.reporting.loss = r.range(x, "loss", 0, 0.99);
        if (const auto* x = t.get("out_of_order"))
            s.reporting.out_of_order = r.range(x, "out_of_order", 0, 1);
        if (const auto* x = t.get("max_delay_s"))
            s.reporting.max_delay_s = r.range(x, "max_delay_s", 1, 3600);
    }
    if (const auto* n = root.get("satellite")) {
        const toml::table& t = r.table(n, "[satellite]");
        r.only_keys(t, {"revisit_minutes", "pass_minutes", "detection", "downlink_delay_s"}, "[satellite]");
        s.satellite.enabled = true;
        if (const auto* x = t.get("revisit_minutes"))
            s.satellite.revisit_minutes = r.range(x, "revisit_minutes", 1, 1440);
        if (const auto* x = t.get("pass_minutes"))
            s.satellite.pass_minutes = r.range(x, "pass_minutes", 0.5, 1440);
        if (s.satellite.pass_minutes > s.satellite.revisit_minutes)
            r.fail(t.get("pass_minutes"), "pass_minutes: longer than revisit_minutes");
        if (const auto* x = t.get("detection")) s.satellite.detection = r.range(x, "detection", 0, 1);
        if (const auto* x = t.get("downlink_delay_s"))
            s.satellite.downlink_delay_s = r.range(x, "downlink_delay_s", 0, 86400);
    }
    if (const auto* n = root.get("stations")) {
        for (const auto& e : r.array(n, "[[stations]]")) {
            const toml::table& t = r.table(&e, "[[stations]]");
            r.only_keys(t, {"id", "at", "range_nm", "source"}, "[[stations]]");
            Station st;
            st.line = r.line(e);
            st.id = r.str(r.need(t, "id", "[[stations]]"), "id");
            if (st.id.empty() || st.id.find_first_of(",*\\!$ ") != std::string::npos)
                r.fail(t.get("id"),
                       "id: non-empty, without , * \\ ! $ or spaces (it goes into the tag block)");
            st.pos = r.latlon(r.need(t, "at", "[[stations]]"), "at");
            if (const auto* x = t.get("range_nm")) st.range_nm = r.range(x, "range_nm", 1, 500);
            s.stations.push_back(std::move(st));
        }
    }
    if (const auto* n = root.get("ports")) {
        for (const auto& e : r.array(n, "[[ports]]")) {
            const toml::table& t = r.table(&e, "[[ports]]");
            r.only_keys(t, {"name", "at", "source"}, "[[ports]]");
            Port p;
            p.line = r.line(e);
            p.name = r.str(r.need(t, "name", "[[ports]]"), "name");
            p.pos = r.latlon(r.need(t, "at", "[[ports]]"), "at");
            if (const auto* x = t.get("source")) p.source = r.str(x, "source");
            if (s.port(p.name) != nullptr) r.fail(&e, "port '" + p.name + "' is defined twice");
            s.ports.push_back(std::move(p));
        }
    }
    if (const auto* n = root.get("lanes")) {
        for (const auto& e : r.array(n, "[[lanes]]")) {
            const toml::table& t = r.table(&e, "[[lanes]]");
            r.only_keys(t, {"name", "waypoints", "width_nm"}, "[[lanes]]");
            Lane l;
            l.line = r.line(e);
            l.name = r.str(r.need(t, "name", "[[lanes]]"), "name");
            for (const auto& w : r.array(r.need(t, "waypoints", "[[lanes]]"), "waypoints")) {
                if (w.is_string()) {
                    const Port* p = s.port(*w.value<std::string>());
                    if (p == nullptr)
                        r.fail(&w, "port '" + *w.value<std::string>() + "' is not defined in [[ports]]");
                    l.waypoints.push_back(p->pos);
                } else {
                    l.waypoints.push_back(r.latlon(&w, "waypoint"));
                }
            }
            if (l.waypoints.size() < 2) r.fail(&e, "lane '" + l.name + "': at least two waypoints");
            if (const auto* x = t.get("width_nm")) l.width_nm = r.range(x, "width_nm", 0, 50);
            if (s.lane(l.name) != nullptr) r.fail(&e, "lane '" + l.name + "' is defined twice");
            s.lanes.push_back(std::move(l));
        }
    }
    if (const auto* n = root.get("areas")) {
        for (const auto& e : r.array(n, "[[areas]]")) {
            const toml::table& t = r.table(&e, "[[areas]]");
            r.only_keys(t, {"name", "south", "north", "west", "east"}, "[[areas]]");
            Area a;
            a.line = r.line(e);
            a.name = r.str(r.need(t, "name", "[[areas]]"), "name");
            a.south = r.range(r.need(t, "south", "[[areas]]"), "south", -90, 90);
            a.north = r.range(r.need(t, "north", "[[areas]]"), "north", -90, 90);
            a.west = r.range(r.need(t, "west", "[[areas]]"), "west", -180, 180);
            a.east = r.range(r.need(t, "east", "[[areas]]"), "east", -180, 180);
            if (a.north <= a.south || a.east <= a.west)
                r.fail(&e, "area '" + a.name + "': north > south and east > west");
            s.areas.push_back(std::move(a));
        }
    }
    std::uint64_t total = 0;
    if (const auto* n = root.get("traffic")) {
        for (const auto& e : r.array(n, "[[traffic]]")) {
            const toml::table& t = r.table(&e, "[[traffic]]");
            r.only_keys(t,
                        {"kind", "shiptype", "class", "count", "lanes", "area", "shuttle", "speed_knots",
                         "length_m", "dwell_hours", "mids"},
                        "[[traffic]]");
            TrafficGroup g;
            g.line = r.line(e);
            g.kind = r.str(r.need(t, "kind", "[[traffic]]"), "kind");
            if (const auto* x = t.get("shiptype"))
                g.shiptype = static_cast<std::uint8_t>(r.range(x, "shiptype", 0, 99));
            if (const auto* x = t.get("class")) g.cls = parse_class(r, x);
            const std::int64_t count = r.integer(r.need(t, "count", "[[traffic]]"), "count");
            if (count < 0 || static_cast<std::uint64_t>(count) > kMaxVessels)
                r.fail(t.get("count"), "count: 0 to " + std::to_string(kMaxVessels));
            g.count = static_cast<std::uint32_t>(count);
            total += g.count;
            if (total > kMaxVessels)
                r.fail(&e, "more than " + std::to_string(kMaxVessels) + " background vessels");
            const auto* lanes = t.get("lanes");
            const auto* area = t.get("area");
            if ((lanes == nullptr) == (area == nullptr))
                r.fail(&e, "[[traffic]] '" + g.kind + "': give either lanes or area");
            if (lanes != nullptr) {
                g.motion = Motion::lane;
                if (const auto* sh = t.get("shuttle"); sh != nullptr && r.boolean(sh, "shuttle"))
                    g.motion = Motion::shuttle;
                for (const auto& l : r.array(lanes, "lanes")) {
                    const std::string name = r.str(&l, "lane name");
                    if (s.lane(name) == nullptr)
                        r.fail(&l, "lane '" + name + "' is not defined in [[lanes]]");
                    g.lanes.push_back(name);
                }
                if (g.lanes.empty()) r.fail(lanes, "lanes: at least one lane");
            } else {
                g.motion = Motion::area;
                g.area = r.str(area, "area");
                if (s.area(g.area) == nullptr)
                    r.fail(area, "area '" + g.area + "' is not defined in [[areas]]");
            }
            if (const auto* x = t.get("speed_knots")) {
                const auto& a = r.array(x, "speed_knots");
                if (a.size() != 2) r.fail(x, "speed_knots: expected [min, max]");
                g.min_speed_knots = r.range(a.get(0), "speed_knots min", 0.5, kMaxSpeedKnots);
                g.max_speed_knots = r.range(a.get(1), "speed_knots max", g.min_speed_knots, kMaxSpeedKnots);
            }
            if (const auto* x = t.get("length_m")) {
                const auto& a = r.array(x, "length_m");
                if (a.size() != 2) r.fail(x, "length_m: expected [min, max]");
                g.min_length_m = r.range(a.get(0), "length_m min", 2, 500);
                g.max_length_m = r.range(a.get(1), "length_m max", g.min_length_m, 500);
            }
            if (const auto* x = t.get("dwell_hours")) g.dwell_hours = r.range(x, "dwell_hours", 0, 240);
            if (const auto* x = t.get("mids")) {
                for (const auto& m : r.array(x, "mids")) {
                    const std::int64_t mid = r.integer(&m, "mid");
                    if (mid < 201 || mid > 775)
                        r.fail(&m, "mid: maritime identification digits are 201 to 775");
                    g.mids.push_back(static_cast<std::uint16_t>(mid));
                }
            }
            if (g.mids.empty()) g.mids.push_back(440);
            s.traffic.push_back(std::move(g));
        }
    }
    // Vessels: identities first (itineraries and behaviours refer to each other by id).
    const toml::array* vessels = nullptr;
    if (const auto* n = root.get("vessels")) vessels = &r.array(n, "[[vessels]]");
    if (vessels != nullptr) {
        for (const auto& e : *vessels) {
            const toml::table& t = r.table(&e, "[[vessels]]");
            r.only_keys(
                t,
                {"id", "mmsi", "imo", "name", "callsign", "shiptype", "length_m", "beam_m", "draught_m",
                 "destination", "flag", "class", "speed_knots", "start", "itinerary", "repeat", "note"},
                "[[vessels]]");
            ScriptedVessel v;
            v.line = r.line(e);
            v.id = r.str(r.need(t, "id", "[[vessels]]"), "id");
            if (s.vessel(v.id) != nullptr) r.fail(&e, "vessel id '" + v.id + "' is used twice");
            v.identity = parse_identity(r, t, "vessel '" + v.id + "'");
            if (const auto* x = t.get("class")) v.cls = parse_class(r, x);
            if (const auto* x = t.get("speed_knots"))
                v.speed_knots = r.range(x, "speed_knots", 0.5, kMaxSpeedKnots);
            v.start = s.start;
            if (const auto* x = t.get("start")) v.start = r.time(x, "start");
            if (const auto* x = t.get("repeat")) v.repeat = static_cast<int>(r.range(x, "repeat", 1, 1000));
            s.vessels.push_back(std::move(v));
        }
        std::size_t k = 0;
        for (const auto& e : *vessels) {
            const toml::table& t = *e.as_table();
            ScriptedVessel& v = s.vessels[k++];
            for (const auto& st : r.array(r.need(t, "itinerary", "vessel '" + v.id + "'"), "itinerary"))
                parse_stop(r, &st, s, v);
            if (v.itinerary.empty()) r.fail(t.get("itinerary"), "vessel '" + v.id + "': an empty itinerary");
            for (const auto& st : v.itinerary) {
                if (st.kind == StopKind::sts && (s.vessel(st.partner) == nullptr || st.partner == v.id))
                    throw InputError(SourceLocation{file, static_cast<std::uint64_t>(st.line), 0},
                                     "sts: '" + st.partner + "' is not another vessel id of [[vessels]]");
            }
        }
    }
    if (const auto* n = root.get("behaviours")) {
        for (const auto& e : r.array(n, "[[behaviours]]")) {
            const toml::table& t = r.table(&e, "[[behaviours]]");
            r.only_keys(t,
                        {"type", "vessel", "other", "start", "end", "at", "name", "callsign", "flag", "mmsi",
                         "draught_m", "mode", "center", "radius_nm", "offset_nm", "bearing_deg", "note"},
                        "[[behaviours]]");
            Behaviour b;
            b.line = r.line(e);
            b.type = parse_event_type(r, r.need(t, "type", "[[behaviours]]"));
            b.vessel = r.str(r.need(t, "vessel", "[[behaviours]]"), "vessel");
            if (s.vessel(b.vessel) == nullptr)
                r.fail(t.get("vessel"), "vessel '" + b.vessel + "' is not an id of [[vessels]]");
            const bool instant =
                b.type == EventType::rename || b.type == EventType::reflag || b.type == EventType::loading;
            if (instant) {
                b.start = b.end =
                    r.time(r.need(t, "at", "behaviour " + std::string(event_type_name(b.type))), "at");
            } else {
                b.start = r.time(r.need(t, "start", "[[behaviours]]"), "start");
                b.end = r.time(r.need(t, "end", "[[behaviours]]"), "end");
                if (b.end <= b.start) r.fail(t.get("end"), "end: must be after start");
            }
            if (const auto* x = t.get("name")) {
                b.name = r.str(x, "name");
                if (b.name->empty() || b.name->size() > 20) r.fail(x, "name: 1 to 20 characters (AIS limit)");
            }
            if (const auto* x = t.get("callsign")) b.callsign = r.str(x, "callsign");
            if (b.callsign && b.callsign->size() > 7)
                r.fail(t.get("callsign"), "callsign: at most 7 characters");
            if (const auto* x = t.get("flag")) b.flag = r.str(x, "flag");
            if (const auto* x = t.get("mmsi")) b.mmsi = r.mmsi(x, "mmsi");
            if (const auto* x = t.get("draught_m")) b.draught_m = r.range(x, "draught_m", 0, 25.5);
            if (b.type == EventType::mmsi_share || b.type == EventType::mmsi_swap) {
                b.other =
                    r.str(r.need(t, "other", "behaviour " + std::string(event_type_name(b.type))), "other");
                if (s.vessel(b.other) == nullptr || b.other == b.vessel)
                    r.fail(t.get("other"),
                           "other: '" + b.other + "' is not another vessel id of [[vessels]]");
            }
            if (b.type == EventType::rename && !b.name) r.fail(&e, "rename: needs name");
            if (b.type == EventType::reflag && !b.mmsi)
                r.fail(&e, "reflag: needs mmsi (the new flag's MMSI)");
            if (b.type == EventType::loading && !b.draught_m) r.fail(&e, "loading: needs draught_m");
            if (b.type == EventType::spoof) {
                const std::string mode = r.str(r.need(t, "mode", "spoof"), "mode");
                if (mode == "jump") {
                    b.mode = SpoofMode::jump;
                    b.center = r.latlon(r.need(t, "center", "spoof jump"), "center");
                } else if (mode == "circle") {
                    b.mode = SpoofMode::circle;
                    b.center = r.latlon(r.need(t, "center", "spoof circle"), "center");
                    b.radius_nm = r.range(r.need(t, "radius_nm", "spoof circle"), "radius_nm", 0.01, 100);
                } else if (mode == "offset") {
                    b.mode = SpoofMode::offset;
                    b.offset_nm = r.range(r.need(t, "offset_nm", "spoof offset"), "offset_nm", 0.01, 2000);
                    if (const auto* x = t.get("bearing_deg"))
                        b.bearing_deg = r.range(x, "bearing_deg", 0, 360);
                } else {
                    r.fail(t.get("mode"), "mode: expected jump, circle or offset");
                }
            }
            s.behaviours.push_back(std::move(b));
        }
    }
    return s;
}

Scenario load_scenario(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw IoError(SourceLocation{path}, "cannot read the scenario file: it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(SourceLocation{path}, "cannot open the scenario file");
    // Read in bounded pieces: a scenario is a few KiB; /dev/zero or a wrong, huge file must not
    // exhaust memory.
    std::string text;
    std::array<char, kScenarioReadChunkBytes> buf{};
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (text.size() + got > kMaxScenarioFileBytes)
            throw InputError(SourceLocation{path}, "scenario file larger than the limit of " +
                                                       std::to_string(kMaxScenarioFileBytes) + " bytes");
        text.append(buf.data(), got);
    }
    if (in.bad()) throw IoError(SourceLocation{path}, "cannot read the scenario file");
    return parse_scenario(text, path);
}

std::vector<std::string> scenario_dirs() {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    if (const char* env = std::getenv("VW_SCENARIOS"); env != nullptr && *env != '\0') out.emplace_back(env);
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path dir = exe.parent_path();
        for (int up = 0; up < 5 && !dir.empty(); ++up) {
            out.push_back((dir / "scenarios").string());
            if (dir == dir.parent_path()) break;
            dir = dir.parent_path();
        }
    }
    out.emplace_back("/usr/local/share/vesselwatch/scenarios");
    out.emplace_back("/usr/share/vesselwatch/scenarios");
    return out;
}

std::optional<std::string> resolve_scenario(const std::string& name_or_file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_regular_file(name_or_file, ec)) return name_or_file;
    if (name_or_file.find('/') != std::string::npos) return std::nullopt;
    for (const auto& d : scenario_dirs()) {
        const fs::path p = fs::path(d) / (name_or_file + ".toml");
        if (fs::is_regular_file(p, ec)) return p.string();
    }
    return std::nullopt;
}

namespace {

// The leg a-b with `trim_a_nm` / `trim_b_nm` cut off its ends (a port's harbour approach may touch
// the coarse coastline).
std::pair<LatLon, LatLon> trimmed(LatLon a, LatLon b, double trim_a_nm, double trim_b_nm) {
    const double d = geo::distance_nm(a, b);
    if (d <= trim_a_nm + trim_b_nm) return {a, a};
    return {geo::lerp(a, b, trim_a_nm / d), geo::lerp(a, b, 1.0 - trim_b_nm / d)};
}

std::string fmt_pos(LatLon p) {
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(4);
    os << p.lat << "," << p.lon;
    return os.str();
}

}  // namespace

void validate_at_sea(const Scenario& s, const geo::Coastline& coast, double port_tolerance_nm) {
    auto where = [&](int line) {
        return SourceLocation{s.file, static_cast<std::uint64_t>(std::max(line, 0)), 0};
    };
    auto check_point = [&](LatLon p, bool is_port, int line, const std::string& what) {
        if (!coast.on_land(p)) return;
        if (is_port) {
            const auto d = coast.distance_to_coast_nm(p, port_tolerance_nm);
            if (d) return;
        }
        throw InputError(where(line), what + " at " + fmt_pos(p) + " is on land (" + coast.source() + ")");
    };
    auto check_leg = [&](LatLon a, bool a_port, LatLon b, bool b_port, int line, const std::string& what) {
        const auto [ta, tb] =
            trimmed(a, b, a_port ? port_tolerance_nm : 0.0, b_port ? port_tolerance_nm : 0.0);
        if (ta == tb) return;
        if (!coast.segment_crosses_land(ta, tb)) return;
        std::string msg = what + " from " + fmt_pos(a) + " to " + fmt_pos(b) + " crosses land";
        if (auto p = coast.first_land_point(ta, tb)) msg += " (near " + fmt_pos(*p) + ")";
        throw InputError(where(line), msg + " (" + coast.source() + ")");
    };
    for (const auto& p : s.ports) check_point(p.pos, true, p.line, "port '" + p.name + "'");
    for (const auto& st : s.stations) (void)st;  // shore stations stand on land: not checked
    for (const auto& l : s.lanes) {
        for (std::size_t i = 0; i + 1 < l.waypoints.size(); ++i) {
            const bool pa = i == 0, pb = i + 2 == l.waypoints.size();  // lane ends are harbours
            check_leg(l.waypoints[i], pa, l.waypoints[i + 1], pb, l.line,
                      "lane '" + l.name + "' leg " + std::to_string(i + 1));
        }
    }
    for (const auto& v : s.vessels) {
        const auto& it = v.itinerary;
        for (std::size_t i = 0; i < it.size(); ++i) {
            check_point(it[i].pos, it[i].kind == StopKind::port, it[i].line,
                        "vessel '" + v.id + "' itinerary entry " + std::to_string(i + 1));
        }
        const std::size_t legs = it.size() - 1 + (v.repeat > 1 && !(it.front().pos == it.back().pos) ? 1 : 0);
        for (std::size_t i = 0; i < legs; ++i) {
            const Stop& a = it[i];
            const Stop& b = it[(i + 1) % it.size()];
            check_leg(a.pos, a.kind == StopKind::port, b.pos, b.kind == StopKind::port, b.line,
                      "vessel '" + v.id + "' leg " + std::to_string(i + 1) + " (entry " +
                          std::to_string(i + 1) + " to " + std::to_string((i + 1) % it.size() + 1) + ")");
        }
    }
}

}  // namespace vw::sim
