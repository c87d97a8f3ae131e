// Natural Earth land from world-atlas TopoJSON: arcs decoded (quantized, delta-encoded), every ring's
// arcs turned into edges (even-odd: an arc shared by two rings cancels, as it should for the union),
// edges indexed by latitude band; point-in-land by a ray to the east inside one band.
#include "vesselwatch/geo/coastline.hpp"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

#include "vesselwatch/util/error.hpp"

namespace vw::geo {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr double kNmPerDegLat = 60.0;
constexpr int kMaxBandIndex = static_cast<int>(180.0 / Coastline::kBandDeg);

struct Pt {
    double x, y;
};

// Orientation of the triangle (a, b, c): > 0 counter-clockwise.
double cross(Pt a, Pt b, Pt c) noexcept {
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

bool on_segment(Pt a, Pt b, Pt p) noexcept {
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
           p.y <= std::max(a.y, b.y);
}

bool segments_intersect(Pt a, Pt b, Pt c, Pt d) noexcept {
    const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    if (d1 == 0 && on_segment(c, d, a)) return true;
    if (d2 == 0 && on_segment(c, d, b)) return true;
    if (d3 == 0 && on_segment(a, b, c)) return true;
    if (d4 == 0 && on_segment(a, b, d)) return true;
    return false;
}

[[noreturn]] void bad(const std::string& name, const std::string& what) {
    throw InputError(SourceLocation{name}, "not a world-atlas TopoJSON land file: " + what);
}

}  // namespace

double distance_nm(LatLon a, LatLon b) noexcept {
    const double p1 = a.lat * kDegToRad, p2 = b.lat * kDegToRad;
    const double dp = p2 - p1, dl = (b.lon - a.lon) * kDegToRad;
    const double h = std::sin(dp / 2) * std::sin(dp / 2) +
                     std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2.0 * kEarthRadiusNm * std::asin(std::min(1.0, std::sqrt(h)));
}

double bearing_deg(LatLon a, LatLon b) noexcept {
    const double p1 = a.lat * kDegToRad, p2 = b.lat * kDegToRad, dl = (b.lon - a.lon) * kDegToRad;
    const double y = std::sin(dl) * std::cos(p2);
    const double x = std::cos(p1) * std::sin(p2) - std::sin(p1) * std::cos(p2) * std::cos(dl);
    const double deg = std::atan2(y, x) * kRadToDeg;
    return deg < 0 ? deg + 360.0 : deg;
}

LatLon destination(LatLon from, double bearing, double dist_nm) noexcept {
    const double d = dist_nm / kEarthRadiusNm, th = bearing * kDegToRad;
    const double p1 = from.lat * kDegToRad, l1 = from.lon * kDegToRad;
    const double p2 = std::asin(std::sin(p1) * std::cos(d) + std::cos(p1) * std::sin(d) * std::cos(th));
    const double l2 =
        l1 + std::atan2(std::sin(th) * std::sin(d) * std::cos(p1), std::cos(d) - std::sin(p1) * std::sin(p2));
    double lon = l2 * kRadToDeg;
    if (lon > 180.0) lon -= 360.0;
    if (lon < -180.0) lon += 360.0;
    return {p2 * kRadToDeg, lon};
}

LatLon lerp(LatLon a, LatLon b, double f) noexcept {
    return {a.lat + (b.lat - a.lat) * f, a.lon + (b.lon - a.lon) * f};
}

int Coastline::band_of(double lat) const noexcept {
    const int b = static_cast<int>(std::floor((lat + 90.0) / kBandDeg));
    return std::clamp(b, 0, kMaxBandIndex - 1);
}

void Coastline::add_ring(const std::vector<LatLon>& ring) {
    if (ring.size() < 2) return;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const LatLon a = ring[i], b = ring[i + 1];
        if (a == b) continue;
        edges_.push_back({a.lon, a.lat, b.lon, b.lat});
    }
    if (!(ring.front() == ring.back())) {
        edges_.push_back({ring.back().lon, ring.back().lat, ring.front().lon, ring.front().lat});
    }
}

void Coastline::build_index() {
    bands_.assign(static_cast<std::size_t>(kMaxBandIndex), {});
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        const Edge& e = edges_[i];
        const int b0 = band_of(std::min(e.y0, e.y1)), b1 = band_of(std::max(e.y0, e.y1));
        for (int b = b0; b <= b1; ++b)
            bands_[static_cast<std::size_t>(b)].push_back(static_cast<std::uint32_t>(i));
    }
}

Coastline Coastline::from_rings(const std::vector<std::vector<LatLon>>& rings) {
    Coastline c;
    for (const auto& r : rings) c.add_ring(r);
    c.build_index();
    c.source_ = "<rings>";
    return c;
}

Coastline Coastline::load_topojson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(SourceLocation{path}, "cannot open the coastline file");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw IoError(SourceLocation{path}, "cannot read the coastline file");
    return parse_topojson(ss.str(), path);
}

Coastline Coastline::parse_topojson(std::string_view json, const std::string& name) {
    namespace sj = simdjson;
    sj::dom::parser parser;
    sj::dom::element root;
    if (parser.parse(json.data(), json.size()).get(root) != sj::SUCCESS) bad(name, "invalid JSON");
    std::string_view type;
    if (root["type"].get(type) != sj::SUCCESS || type != "Topology")
        bad(name, "\"type\" is not \"Topology\"");

    // Transform (quantized, delta-encoded arcs) or none (absolute coordinates).
    bool quantized = false;
    double sx = 1, sy = 1, tx = 0, ty = 0;
    sj::dom::object transform;
    if (root["transform"].get(transform) == sj::SUCCESS) {
        sj::dom::array scale, translate;
        if (transform["scale"].get(scale) != sj::SUCCESS ||
            transform["translate"].get(translate) != sj::SUCCESS || scale.size() != 2 ||
            translate.size() != 2)
            bad(name, "bad \"transform\"");
        if (scale.at(0).get(sx) || scale.at(1).get(sy) || translate.at(0).get(tx) || translate.at(1).get(ty))
            bad(name, "bad \"transform\" numbers");
        quantized = true;
    }

    sj::dom::array arcs_json;
    if (root["arcs"].get(arcs_json) != sj::SUCCESS) bad(name, "no \"arcs\"");
    std::vector<std::vector<LatLon>> arcs;
    arcs.reserve(arcs_json.size());
    for (sj::dom::element arc_el : arcs_json) {
        sj::dom::array arc;
        if (arc_el.get(arc) != sj::SUCCESS) bad(name, "an arc is not an array");
        std::vector<LatLon> pts;
        pts.reserve(arc.size());
        double qx = 0, qy = 0;
        for (sj::dom::element p_el : arc) {
            sj::dom::array p;
            if (p_el.get(p) != sj::SUCCESS || p.size() < 2) bad(name, "an arc position is not [x, y]");
            double x = 0, y = 0;
            if (p.at(0).get(x) || p.at(1).get(y)) bad(name, "an arc position is not numeric");
            if (quantized) {
                qx += x;
                qy += y;
                pts.push_back({qy * sy + ty, qx * sx + tx});
            } else {
                pts.push_back({y, x});
            }
        }
        arcs.push_back(std::move(pts));
    }

    Coastline c;
    c.source_ = name;
    auto add_ring_arcs = [&](sj::dom::array ring) {
        for (sj::dom::element idx_el : ring) {
            std::int64_t idx = 0;
            if (idx_el.get(idx) != sj::SUCCESS) bad(name, "an arc index is not an integer");
            const std::int64_t real = idx < 0 ? ~idx : idx;
            if (real < 0 || static_cast<std::size_t>(real) >= arcs.size())
                bad(name, "an arc index is out of range");
            const auto& pts = arcs[static_cast<std::size_t>(real)];
            for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
                if (pts[i] == pts[i + 1]) continue;
                c.edges_.push_back({pts[i].lon, pts[i].lat, pts[i + 1].lon, pts[i + 1].lat});
            }
        }
    };
    // Geometries: Polygon (arcs = rings), MultiPolygon (arcs = polygons of rings), GeometryCollection.
    auto add_geometry = [&](auto&& self, sj::dom::object g) -> void {
        std::string_view gt;
        if (g["type"].get(gt) != sj::SUCCESS) bad(name, "a geometry has no \"type\"");
        if (gt == "GeometryCollection") {
            sj::dom::array gs;
            if (g["geometries"].get(gs) != sj::SUCCESS)
                bad(name, "a GeometryCollection has no \"geometries\"");
            for (sj::dom::element e : gs) {
                sj::dom::object o;
                if (e.get(o) != sj::SUCCESS) bad(name, "a geometry is not an object");
                self(self, o);
            }
            return;
        }
        sj::dom::array a;
        if (gt == "Polygon") {
            if (g["arcs"].get(a) != sj::SUCCESS) bad(name, "a Polygon has no \"arcs\"");
            for (sj::dom::element ring : a) {
                sj::dom::array r;
                if (ring.get(r) != sj::SUCCESS) bad(name, "a ring is not an array");
                add_ring_arcs(r);
            }
        } else if (gt == "MultiPolygon") {
            if (g["arcs"].get(a) != sj::SUCCESS) bad(name, "a MultiPolygon has no \"arcs\"");
            for (sj::dom::element poly : a) {
                sj::dom::array pa;
                if (poly.get(pa) != sj::SUCCESS) bad(name, "a polygon is not an array");
                for (sj::dom::element ring : pa) {
                    sj::dom::array r;
                    if (ring.get(r) != sj::SUCCESS) bad(name, "a ring is not an array");
                    add_ring_arcs(r);
                }
            }
        }
        // Points and lines carry no land area: ignored.
    };
    sj::dom::object objects;
    if (root["objects"].get(objects) != sj::SUCCESS) bad(name, "no \"objects\"");
    for (auto field : objects) {
        sj::dom::object o;
        if (field.value.get(o) != sj::SUCCESS) bad(name, "an object is not a geometry");
        add_geometry(add_geometry, o);
    }
    if (c.edges_.empty()) bad(name, "no polygon edges");
    c.build_index();
    return c;
}

bool Coastline::on_land(LatLon p) const noexcept {
    if (bands_.empty()) return false;
    bool inside = false;
    for (const std::uint32_t i : bands_[static_cast<std::size_t>(band_of(p.lat))]) {
        const Edge& e = edges_[i];
        if ((e.y0 > p.lat) == (e.y1 > p.lat)) continue;
        const double xc = e.x0 + (p.lat - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
        if (xc > p.lon) inside = !inside;
    }
    return inside;
}

bool Coastline::segment_crosses_land(LatLon a, LatLon b) const noexcept {
    if (on_land(a) || on_land(b)) return true;
    if (bands_.empty()) return false;
    const Pt pa{a.lon, a.lat}, pb{b.lon, b.lat};
    const double minx = std::min(a.lon, b.lon), maxx = std::max(a.lon, b.lon);
    const int b0 = band_of(std::min(a.lat, b.lat)), b1 = band_of(std::max(a.lat, b.lat));
    for (int band = b0; band <= b1; ++band) {
        for (const std::uint32_t i : bands_[static_cast<std::size_t>(band)]) {
            const Edge& e = edges_[i];
            if (std::max(e.x0, e.x1) < minx || std::min(e.x0, e.x1) > maxx) continue;
            if (segments_intersect(pa, pb, Pt{e.x0, e.y0}, Pt{e.x1, e.y1})) return true;
        }
    }
    return false;
}

std::optional<LatLon> Coastline::first_land_point(LatLon a, LatLon b, double step_nm) const noexcept {
    const double d = distance_nm(a, b);
    const int steps = std::max(1, static_cast<int>(std::ceil(d / std::max(step_nm, 0.01))));
    for (int k = 0; k <= steps; ++k) {
        const LatLon p = lerp(a, b, static_cast<double>(k) / steps);
        if (on_land(p)) return p;
    }
    return std::nullopt;
}

std::optional<double> Coastline::distance_to_coast_nm(LatLon p, double search_nm) const noexcept {
    if (bands_.empty()) return std::nullopt;
    const double coslat = std::max(0.01, std::cos(p.lat * kDegToRad));
    const double dlat = search_nm / kNmPerDegLat, dlon = dlat / coslat;
    const int b0 = band_of(p.lat - dlat), b1 = band_of(p.lat + dlat);
    double best = search_nm;
    bool found = false;
    for (int band = b0; band <= b1; ++band) {
        for (const std::uint32_t i : bands_[static_cast<std::size_t>(band)]) {
            const Edge& e = edges_[i];
            if (std::max(e.x0, e.x1) < p.lon - dlon || std::min(e.x0, e.x1) > p.lon + dlon) continue;
            // Local equirectangular frame in nautical miles around p.
            const double ax = (e.x0 - p.lon) * coslat * kNmPerDegLat, ay = (e.y0 - p.lat) * kNmPerDegLat;
            const double bx = (e.x1 - p.lon) * coslat * kNmPerDegLat, by = (e.y1 - p.lat) * kNmPerDegLat;
            const double vx = bx - ax, vy = by - ay, len2 = vx * vx + vy * vy;
            double t = len2 > 0 ? -(ax * vx + ay * vy) / len2 : 0.0;
            t = std::clamp(t, 0.0, 1.0);
            const double dx = ax + t * vx, dy = ay + t * vy;
            const double dist = std::sqrt(dx * dx + dy * dy);
            if (dist <= best) {
                best = dist;
                found = true;
            }
        }
    }
    if (!found) return std::nullopt;
    return best;
}

std::vector<std::string> coastline_candidates(const std::optional<std::string>& explicit_path) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    if (explicit_path) {
        out.push_back(*explicit_path);
        return out;
    }
    if (const char* env = std::getenv("VW_COASTLINE"); env != nullptr && *env != '\0') out.emplace_back(env);
    const std::string rel = "node_modules/world-atlas/land-10m.json";
    out.push_back(rel);
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path dir = exe.parent_path();
        for (int up = 0; up < 5 && !dir.empty(); ++up) {
            out.push_back((dir / rel).string());
            if (dir == dir.parent_path()) break;
            dir = dir.parent_path();
        }
    }
    out.emplace_back("/usr/local/lib/node_modules/world-atlas/land-10m.json");
    out.emplace_back("/usr/lib/node_modules/world-atlas/land-10m.json");
    out.emplace_back("/usr/share/vesselwatch/land-10m.json");
    return out;
}

std::optional<std::string> find_coastline(const std::optional<std::string>& explicit_path) {
    for (const auto& c : coastline_candidates(explicit_path)) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(c, ec)) return c;
    }
    return std::nullopt;
}

}  // namespace vw::geo
