// Coastline: synthetic rings (exact answers) and the real Natural Earth land (known land and sea points;
// skipped when node_modules/world-atlas is not installed).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "vesselwatch/geo/coastline.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

using vw::geo::Coastline;
using vw::geo::LatLon;

Coastline island_with_lake() {
    // a 2x2 degree island with a 1x1 degree lake in the middle
    return Coastline::from_rings({
        {{40, 130}, {40, 132}, {42, 132}, {42, 130}},
        {{40.5, 130.5}, {40.5, 131.5}, {41.5, 131.5}, {41.5, 130.5}},
    });
}

TEST(GeoDistance, DegreesOfLatitudeAndBearings) {
    EXPECT_NEAR(vw::geo::distance_nm({40, 130}, {41, 130}), 60.04, 0.1);
    EXPECT_NEAR(vw::geo::bearing_deg({40, 130}, {41, 130}), 0.0, 1e-9);
    EXPECT_NEAR(vw::geo::bearing_deg({40, 130}, {40, 131}), 89.68, 0.05);
    const LatLon d = vw::geo::destination({40, 130}, 90, 30);
    EXPECT_NEAR(vw::geo::distance_nm({40, 130}, d), 30.0, 1e-6);
}

TEST(GeoCoastline, EvenOddWithAHole) {
    const Coastline c = island_with_lake();
    EXPECT_TRUE(c.on_land({40.2, 130.2}));
    EXPECT_FALSE(c.on_land({41.0, 131.0}));  // the lake
    EXPECT_FALSE(c.on_land({39.9, 131.0}));  // south of the island
    EXPECT_FALSE(c.on_land({41.0, 132.5}));  // east of it
    EXPECT_TRUE(c.segment_crosses_land({39.5, 131.0}, {42.5, 131.0}));
    EXPECT_FALSE(c.segment_crosses_land({39.5, 129.0}, {42.5, 129.5}));
    EXPECT_TRUE(c.segment_crosses_land({41.0, 129.5}, {41.0, 131.0}));  // ends in the lake, crosses the shore
    EXPECT_FALSE(c.segment_crosses_land({40.8, 130.8}, {41.2, 131.2}));  // inside the lake
    const auto p = c.first_land_point({41.0, 129.0}, {41.0, 133.0}, 0.5);
    ASSERT_TRUE(p.has_value());
    EXPECT_NEAR(p->lon, 130.0, 0.02);
    const auto d = c.distance_to_coast_nm({41.0, 129.9}, 20);
    ASSERT_TRUE(d.has_value());
    EXPECT_NEAR(*d, 0.1 * 60 * std::cos(41.0 * 3.141592653589793 / 180), 0.05);
    EXPECT_FALSE(c.distance_to_coast_nm({41.0, 128.0}, 20).has_value());
}

TEST(GeoCoastline, TopoJsonQuantizedArcsAndErrors) {
    // One polygon from two arcs, the second used reversed (~1 = -2), with a transform.
    const std::string json = R"({"type":"Topology","transform":{"scale":[0.01,0.01],"translate":[130,40]},
      "objects":{"land":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0,-2]]}]}},
      "arcs":[[[0,0],[200,0],[0,200]],[[0,0],[0,200],[200,0]]]})";
    const Coastline c = Coastline::parse_topojson(json, "mini.json");
    EXPECT_EQ(c.edge_count(), 4u);
    EXPECT_TRUE(c.on_land({41, 131}));
    EXPECT_FALSE(c.on_land({43, 131}));
    EXPECT_THROW((void)Coastline::parse_topojson("{\"type\":\"Topology\"}", "x.json"), vw::InputError);
    EXPECT_THROW((void)Coastline::parse_topojson("not json", "x.json"), vw::InputError);
    EXPECT_THROW((void)Coastline::load_topojson("/nonexistent/land.json"), vw::IoError);
    try {
        (void)Coastline::parse_topojson(R"({"type":"Topology","objects":{},"arcs":[[[0,0]]]})", "empty.json");
        FAIL() << "no edges must be an error";
    } catch (const vw::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("empty.json"), std::string::npos);
    }
}

TEST(GeoCoastline, NaturalEarthKnownPoints) {
    const auto path = vw::geo::find_coastline(std::nullopt);
    if (!path) GTEST_SKIP() << "world-atlas land-10m.json not installed (npm ci)";
    const Coastline c = Coastline::load_topojson(*path);
    EXPECT_GT(c.edge_count(), 100000u);
    // sea
    EXPECT_FALSE(c.on_land({40.0, 133.0}));        // Sea of Japan
    EXPECT_FALSE(c.on_land({42.2333, 130.30}));    // Rajin harbour (cases.md)
    EXPECT_FALSE(c.on_land({42.7634, 133.0041}));  // Vostochny
    EXPECT_FALSE(c.on_land({30.0, -40.0}));        // mid-Atlantic
    EXPECT_FALSE(c.on_land({-40.0, 90.0}));        // Indian Ocean
    // land
    EXPECT_TRUE(c.on_land({43.1156, 131.8855}));  // Vladivostok city
    EXPECT_TRUE(c.on_land({35.3606, 138.7274}));  // Mount Fuji
    EXPECT_TRUE(c.on_land({51.5074, -0.1278}));   // London
    EXPECT_TRUE(c.on_land({39.0392, 125.7625}));  // Pyongyang
    EXPECT_TRUE(c.on_land({-80.0, 0.0}));         // Antarctica
    EXPECT_TRUE(c.on_land({37.5, 130.87}));       // Ulleungdo (an island, 13 km across)
    // legs
    EXPECT_FALSE(c.segment_crosses_land({42.3, 131.3}, {42.55, 132.4}));  // Peter the Great Gulf, at sea
    EXPECT_TRUE(c.segment_crosses_land({43.0, 131.0}, {43.3, 133.0}));    // across Primorye
    EXPECT_TRUE(c.segment_crosses_land({35.6, 129.7}, {38.5, 131.5}));    // through Ulleungdo
}

}  // namespace
