// Scenario files: what parses, and errors that name the file, the line and what was expected.
#include <gtest/gtest.h>

#include <string>

#include "vesselwatch/sim/scenario.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

using vw::sim::parse_scenario;

const char* kMinimal = R"([scenario]
name = "mini"
start = 2024-01-01T00:00:00Z
duration_hours = 2

[[ports]]
name = "P1"
at = [40.0, 132.0]

[[vessels]]
id = "a"
name = "alpha"
mmsi = 273000001
itinerary = [ { port = "P1", hours = 1 }, { at = [40.5, 132.0] } ]
)";

/// The InputError message of parsing `text` as "t.toml" (empty when it parses).
std::string error_of(const std::string& text) {
    try {
        (void)parse_scenario(text, "t.toml");
    } catch (const vw::InputError& e) {
        return e.what();
    }
    return "";
}

TEST(SimScenario, MinimalParses) {
    const auto s = parse_scenario(kMinimal, "t.toml");
    EXPECT_EQ(s.name, "mini");
    EXPECT_EQ(s.start, 1704067200);
    EXPECT_EQ(s.duration_s, 7200);
    ASSERT_EQ(s.vessels.size(), 1u);
    EXPECT_EQ(s.vessels[0].identity.mmsi, 273000001u);
    ASSERT_EQ(s.vessels[0].itinerary.size(), 2u);
    EXPECT_EQ(s.vessels[0].itinerary[0].kind, vw::sim::StopKind::port);
    EXPECT_DOUBLE_EQ(s.vessels[0].itinerary[0].pos.lat, 40.0);
    EXPECT_EQ(s.vessels[0].itinerary[1].line, 14);
    EXPECT_EQ(s.seed, 1u);
    EXPECT_DOUBLE_EQ(s.reporting.interval_scale, 1.0);
}

TEST(SimScenario, TomlSyntaxErrorHasFileAndLine) {
    const std::string e = error_of("[scenario]\nname = \"x\"\nstart = = 3\n");
    EXPECT_NE(e.find("t.toml:3:"), std::string::npos) << e;
    EXPECT_NE(e.find("TOML syntax"), std::string::npos) << e;
}

TEST(SimScenario, UnknownKeyIsAnErrorWithItsLine) {
    std::string text = kMinimal;
    text.replace(text.find("duration_hours"), 0, "duratoin = 3\n");
    const std::string e = error_of(text);
    EXPECT_NE(e.find("t.toml:4:"), std::string::npos) << e;
    EXPECT_NE(e.find("unknown key 'duratoin'"), std::string::npos) << e;
}

TEST(SimScenario, ReferencesAndValuesAreChecked) {
    std::string text = kMinimal;
    text.replace(text.find("port = \"P1\", hours"), 11, "port = \"P9\"");
    std::string e = error_of(text);
    EXPECT_NE(e.find("port 'P9' is not defined"), std::string::npos) << e;
    EXPECT_NE(e.find("t.toml:14:"), std::string::npos) << e;

    text = kMinimal;
    text.replace(text.find("273000001"), 9, "2730000011");
    e = error_of(text);
    EXPECT_NE(e.find("9 digits"), std::string::npos) << e;
    EXPECT_NE(e.find("t.toml:13:"), std::string::npos) << e;

    text = kMinimal;
    text.replace(text.find("[40.5, 132.0]"), 13, "[95.0, 132.0]");
    e = error_of(text);
    EXPECT_NE(e.find("latitude"), std::string::npos) << e;

    e = error_of(std::string(kMinimal) + "\n[[behaviours]]\ntype = \"teleport\"\nvessel = \"a\"\n");
    EXPECT_NE(e.find("'teleport' is not a timed behaviour"), std::string::npos) << e;
    EXPECT_NE(e.find("t.toml:17:"), std::string::npos) << e;

    e = error_of(std::string(kMinimal) +
                 "\n[[behaviours]]\ntype = \"rename\"\nvessel = \"zz\"\nat = 2024-01-01T01:00:00Z\n");
    EXPECT_NE(e.find("vessel 'zz' is not an id"), std::string::npos) << e;

    e = error_of(std::string(kMinimal) +
                 "\n[[behaviours]]\ntype = \"ais_off\"\nvessel = \"a\"\nstart = 2024-01-01T01:00:00Z\nend = "
                 "2024-01-01T00:30:00Z\n");
    EXPECT_NE(e.find("end: must be after start"), std::string::npos) << e;

    e = error_of("[scenario]\nname = \"x\"\nstart = 2024-01-01T00:00:00\nduration_hours = 1\n");
    EXPECT_NE(e.find("offset date-time"), std::string::npos) << e;  // local times are ambiguous

    e = error_of("[scenario]\nname = \"x\"\nduration_hours = 1\n");
    EXPECT_NE(e.find("missing key 'start'"), std::string::npos) << e;
}

TEST(SimScenario, RoutesOnLandNameFileVesselAndLeg) {
    auto s = parse_scenario(kMinimal, "t.toml");
    // an island between the port and the second stop
    const auto island =
        vw::geo::Coastline::from_rings({{{40.2, 131.8}, {40.2, 132.2}, {40.3, 132.2}, {40.3, 131.8}}});
    try {
        vw::sim::validate_at_sea(s, island);
        FAIL() << "the leg crosses the island";
    } catch (const vw::InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("t.toml:14:"), std::string::npos) << m;
        EXPECT_NE(m.find("vessel 'a' leg 1"), std::string::npos) << m;
        EXPECT_NE(m.find("crosses land"), std::string::npos) << m;
    }
    // a stop on land
    const auto big =
        vw::geo::Coastline::from_rings({{{40.4, 131.5}, {40.4, 132.5}, {40.6, 132.5}, {40.6, 131.5}}});
    try {
        vw::sim::validate_at_sea(s, big);
        FAIL() << "the second stop is on land";
    } catch (const vw::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("itinerary entry 2"), std::string::npos) << e.what();
    }
    // open sea: fine
    const auto far = vw::geo::Coastline::from_rings({{{10, 10}, {10, 11}, {11, 11}}});
    EXPECT_NO_THROW(vw::sim::validate_at_sea(s, far));
}

TEST(SimScenario, BundledScenariosParse) {
    for (const char* name : {"rajin-vostochny", "baseline", "dense-day"}) {
        const auto path = vw::sim::resolve_scenario(name);
        ASSERT_TRUE(path.has_value()) << name;
        const auto s = vw::sim::load_scenario(*path);
        EXPECT_EQ(s.name, name);
        EXPECT_GE(s.background_count(), 300u) << name;
    }
    const auto dense = vw::sim::load_scenario(*vw::sim::resolve_scenario("dense-day"));
    EXPECT_GE(dense.background_count() + dense.vessels.size(), 10000u);
    EXPECT_EQ(dense.duration_s, 86400);
    const auto base = vw::sim::load_scenario(*vw::sim::resolve_scenario("baseline"));
    EXPECT_TRUE(base.vessels.empty());
    EXPECT_TRUE(base.behaviours.empty());
}

}  // namespace
