// Land and sea: the Natural Earth land polygons (npm package world-atlas, TopoJSON with quantized
// delta-encoded arcs) decoded into edges, indexed by latitude band, with point-in-land and
// segment-crosses-land tests. Used by the scenario simulator to keep routes at sea; the detectors
// reuse it (at-sea checks, port proximity).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vw::geo {

struct LatLon {
    double lat = 0.0;  // degrees, north positive
    double lon = 0.0;  // degrees, east positive
    bool operator==(const LatLon&) const = default;
};

inline constexpr double kEarthRadiusNm = 3440.065;
inline constexpr double kMetresPerNm = 1852.0;

/// Great-circle distance in nautical miles (haversine).
[[nodiscard]] double distance_nm(LatLon a, LatLon b) noexcept;
/// Initial true bearing from a to b, degrees 0..360.
[[nodiscard]] double bearing_deg(LatLon a, LatLon b) noexcept;
/// The point `distance_nm` from `from` on true bearing `bearing_deg` (spherical earth).
[[nodiscard]] LatLon destination(LatLon from, double bearing_deg, double distance_nm) noexcept;
/// Linear interpolation in latitude/longitude (fine for legs of a few hundred miles away from the poles).
[[nodiscard]] LatLon lerp(LatLon a, LatLon b, double f) noexcept;

/// Land polygons as planar lon/lat edges (even-odd rule), indexed in latitude bands.
class Coastline {
public:
    /// Height of one index band, degrees of latitude.
    static constexpr double kBandDeg = 0.05;

    /// Decodes the land object of a world-atlas TopoJSON file (land-10m.json, land-50m.json, ...).
    /// Throws vw::IoError when the file cannot be read, vw::InputError when it is not such a TopoJSON.
    [[nodiscard]] static Coastline load_topojson(const std::string& path);
    /// Same, from the file's bytes; `name` is used in error messages.
    [[nodiscard]] static Coastline parse_topojson(std::string_view json, const std::string& name);
    /// From rings given directly (each ring a closed or open list of points); for tests.
    [[nodiscard]] static Coastline from_rings(const std::vector<std::vector<LatLon>>& rings);

    /// True when `p` is inside a land polygon.
    [[nodiscard]] bool on_land(LatLon p) const noexcept;
    /// True when the straight lon/lat segment a-b touches land: an end on land or an edge crossing.
    [[nodiscard]] bool segment_crosses_land(LatLon a, LatLon b) const noexcept;
    /// First point on land along a-b sampled every `step_nm` (with the ends); nullopt when none.
    /// A coarser but explanatory companion of segment_crosses_land for error messages.
    [[nodiscard]] std::optional<LatLon> first_land_point(LatLon a, LatLon b,
                                                         double step_nm = 0.5) const noexcept;
    /// Distance in nautical miles from `p` to the nearest coastline edge within `search_nm`
    /// (nullopt when none is that close).
    [[nodiscard]] std::optional<double> distance_to_coast_nm(LatLon p, double search_nm) const noexcept;

    [[nodiscard]] std::size_t edge_count() const noexcept { return edges_.size(); }
    [[nodiscard]] const std::string& source() const noexcept { return source_; }

private:
    struct Edge {
        double x0, y0, x1, y1;  // lon, lat
    };
    void add_ring(const std::vector<LatLon>& ring);
    void build_index();
    [[nodiscard]] int band_of(double lat) const noexcept;

    std::vector<Edge> edges_;
    // bands_[b] = indexes of the edges whose latitude span overlaps band b.
    std::vector<std::vector<std::uint32_t>> bands_;
    std::string source_;
};

/// Where the coastline file is looked for, in order: `explicit_path` (an option) if given, then
/// $VW_COASTLINE, then node_modules/world-atlas/land-10m.json in the current directory and in the
/// executable's directory and its parents (the repository after `npm ci`), then
/// /usr/local/lib/node_modules and /usr/lib/node_modules, /usr/share/vesselwatch.
[[nodiscard]] std::vector<std::string> coastline_candidates(const std::optional<std::string>& explicit_path);
/// The first existing candidate, or nullopt.
[[nodiscard]] std::optional<std::string> find_coastline(const std::optional<std::string>& explicit_path);

}  // namespace vw::geo
