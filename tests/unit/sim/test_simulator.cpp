// The simulator: report intervals, determinism, the truth file and what the decoded output shows
// (dark periods silent, renames, reflags, shared and swapped MMSIs, spoofed positions).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/pipeline/message_stream.hpp"
#include "vesselwatch/sim/scenario.hpp"
#include "vesselwatch/sim/simulator.hpp"

namespace {

using namespace vw::sim;

constexpr std::int64_t kT0 = 1704067200;  // 2024-01-01T00:00:00Z

// Open sea, no coastline needed: every behaviour once.
const char* kAll = R"([scenario]
name = "unit-all"
start = 2024-01-01T00:00:00Z
duration_hours = 12
seed = 5

[reporting]
loss = 0.0
out_of_order = 0.02
max_delay_s = 30

[satellite]
revisit_minutes = 60
pass_minutes = 10
detection = 0.5

[[stations]]
id = "ALL"
at = [40.0, 133.0]
range_nm = 200

[[ports]]
name = "P1"
at = [40.0, 132.0]
[[ports]]
name = "P2"
at = [40.0, 134.0]

[[lanes]]
name = "l1"
waypoints = ["P1", "P2"]

[[areas]]
name = "box"
south = 39.5
north = 40.5
west = 132.5
east = 133.5

[[traffic]]
kind = "cargo"
count = 5
lanes = ["l1"]

[[traffic]]
kind = "fishing"
class = "B"
count = 5
area = "box"

[[vessels]]
id = "a"
name = "ALPHA"
imo = 9161003
mmsi = 273000001
speed_knots = 12
draught_m = 5.0
itinerary = [
  { port = "P1", until = 2024-01-01T01:00:00Z, dark = true, dark_radius_nm = 5, draught_m = 7.5 },
  { at = [40.3, 133.0] },
  { sts = "b", at = [40.2, 133.0], hours = 2 },
  { port = "P2", hours = 2 },
]

[[vessels]]
id = "b"
name = "BRAVO"
mmsi = 273000002
speed_knots = 10
itinerary = [
  { at = [40.2, 133.5], loiter = true, hours = 1 },
  { sts = "a", at = [40.2, 133.0], until = 2024-01-01T07:00:00Z },
  { port = "P2", hours = 1 },
]

[[vessels]]
id = "c"
name = "CHARLIE"
mmsi = 273000003
class = "B"
speed_knots = 8
repeat = 3
itinerary = [ { at = [39.8, 132.6] }, { at = [39.8, 133.6] }, { at = [39.8, 132.6] } ]

[[behaviours]]
type = "ais_off"
vessel = "c"
start = 2024-01-01T02:00:00Z
end = 2024-01-01T03:00:00Z

[[behaviours]]
type = "loading"
vessel = "c"
at = 2024-01-01T04:00:00Z
draught_m = 2.5

[[behaviours]]
type = "spoof"
vessel = "c"
mode = "offset"
offset_nm = 20
bearing_deg = 90
start = 2024-01-01T05:00:00Z
end = 2024-01-01T06:00:00Z

[[behaviours]]
type = "mmsi_swap"
vessel = "a"
other = "b"
start = 2024-01-01T08:30:00Z
end = 2024-01-01T09:00:00Z

[[behaviours]]
type = "rename"
vessel = "a"
at = 2024-01-01T09:30:00Z
name = "ALPHA TWO"

[[behaviours]]
type = "reflag"
vessel = "b"
at = 2024-01-01T10:00:00Z
mmsi = 538000002
flag = "MH"

[[behaviours]]
type = "mmsi_share"
vessel = "c"
other = "a"
start = 2024-01-01T10:30:00Z
end = 2024-01-01T11:00:00Z

[[behaviours]]
type = "spoof"
vessel = "a"
mode = "jump"
center = [41.0, 135.0]
start = 2024-01-01T11:00:00Z
end = 2024-01-01T11:20:00Z
)";

std::string simulate(const Scenario& s, std::optional<std::uint64_t> seed = std::nullopt,
                     Simulator** keep = nullptr) {
    SimOptions o;
    o.seed = seed;
    o.line_ending = vw::nmea::LineEnding::lf;
    static std::unique_ptr<Simulator> last;
    last = std::make_unique<Simulator>(s, o);
    std::string out;
    last->run([&](std::string_view c) { out.append(c); });
    if (keep != nullptr) *keep = last.get();
    return out;
}

struct Rx {
    std::int64_t t;
    std::string station;
    vw::ais::Message msg;
};

/// Decodes NMEA text with the project's pipeline (through a file).
std::vector<Rx> decode_all(const std::string& nmea, vw::pipeline::StreamStats& stats) {
    // In memory: ctest runs this suite's tests as parallel processes, so a shared temporary file would
    // be truncated by one test while another reads it (CI failed that way once).
    vw::io::MemorySource source("sim_unit.nmea", nmea, vw::io::MemorySource::Borrowed::yes);
    std::vector<Rx> out;
    vw::pipeline::StreamOptions opt;
    vw::pipeline::for_each_message(
        source, opt, stats, [&](const vw::pipeline::MessageOrigin& o) -> std::optional<vw::Issue> {
            Rx rx;
            rx.t = o.nmea.receive_time_ms.value_or(-1000) / 1000;
            rx.station = std::string(o.nmea.station);
            const auto r = vw::ais::decode(o.nmea.payload, o.nmea.fill_bits, rx.msg);
            if (!r.ok) return r.issue;
            out.push_back(std::move(rx));
            return std::nullopt;
        });
    return out;
}

std::uint32_t mmsi_of(const vw::ais::Message& m) {
    return std::visit([](const auto& x) { return x.mmsi; }, m);
}

std::optional<LatLon> pos_of(const vw::ais::Message& m) {
    if (const auto* a = std::get_if<vw::ais::PositionA>(&m))
        return LatLon{a->lat / 600000.0, a->lon / 600000.0};
    if (const auto* b = std::get_if<vw::ais::PositionB>(&m))
        return LatLon{b->lat / 600000.0, b->lon / 600000.0};
    return std::nullopt;
}

class SimAll : public ::testing::Test {
protected:
    void SetUp() override {
        scenario = parse_scenario(kAll, "unit-all.toml");
        text = simulate(scenario, std::nullopt, &sim);
        rx = decode_all(text, stats);
    }
    [[nodiscard]] const TruthEvent* event(EventType t, std::string_view vessel) const {
        for (const auto& e : sim->truth())
            if (e.type == t && e.vessel_id == vessel) return &e;
        return nullptr;
    }
    Scenario scenario;
    Simulator* sim = nullptr;
    std::string text;
    vw::pipeline::StreamStats stats;
    std::vector<Rx> rx;
};

TEST(SimIntervals, ItuRM1371Table) {
    EXPECT_EQ(class_a_interval_s(0.0, false, NavStatus::moored), 180);
    EXPECT_EQ(class_a_interval_s(2.0, false, NavStatus::at_anchor), 180);
    EXPECT_EQ(class_a_interval_s(5.0, false, NavStatus::at_anchor), 10);
    EXPECT_EQ(class_a_interval_s(0.0, false, NavStatus::underway), 10);
    EXPECT_EQ(class_a_interval_s(12.0, false, NavStatus::underway), 10);
    EXPECT_NEAR(class_a_interval_s(12.0, true, NavStatus::underway), 3.33, 0.01);
    EXPECT_EQ(class_a_interval_s(18.0, false, NavStatus::underway), 6);
    EXPECT_EQ(class_a_interval_s(18.0, true, NavStatus::underway), 2);
    EXPECT_EQ(class_a_interval_s(25.0, false, NavStatus::underway), 2);
    EXPECT_EQ(class_b_interval_s(8.0), 30);
    EXPECT_EQ(class_b_interval_s(1.0), 180);
}

TEST_F(SimAll, EveryLineDecodesAndIsMarkedSimulated) {
    EXPECT_EQ(stats.issues.errors(), 0u);
    ASSERT_GT(rx.size(), 1000u);
    for (const auto& r : rx) ASSERT_EQ(r.station.rfind("SIM-", 0), 0u) << r.station;
    std::size_t lines = 0, tagged = 0;
    for (std::size_t p = 0; p < text.size();) {
        const std::size_t e = text.find('\n', p);
        const std::string_view line(text.data() + p, e - p);
        ++lines;
        if (line.rfind("\\s:SIM-", 0) == 0 || line.rfind("\\g:", 0) == 0) ++tagged;
        p = e + 1;
    }
    EXPECT_EQ(lines, tagged);
    EXPECT_EQ(lines, sim->stats().lines);
}

TEST_F(SimAll, ReportIntervalsInTheOutput) {
    // BRAVO waits at anchor at the meeting point (sog 0, at anchor): 3 minutes; CHARLIE (class B,
    // 8 kn): 30 s; ALPHA underway at 12 kn: 10 s. Receptions of the one shore station, no loss.
    auto spacing = [&](std::uint32_t mmsi, std::int64_t from, std::int64_t to) {
        std::vector<std::int64_t> ts;
        for (const auto& r : rx)
            if (r.station == "SIM-ALL" && mmsi_of(r.msg) == mmsi && pos_of(r.msg) && r.t >= from && r.t < to)
                ts.push_back(r.t);
        std::sort(ts.begin(), ts.end());
        std::vector<std::int64_t> d;
        for (std::size_t i = 1; i < ts.size(); ++i) d.push_back(ts[i] - ts[i - 1]);
        std::sort(d.begin(), d.end());
        return d.empty() ? -1.0 : static_cast<double>(d[d.size() / 2]);
    };
    EXPECT_NEAR(spacing(273000001, kT0 + 2 * 3600, kT0 + 4 * 3600), 10, 1);
    EXPECT_NEAR(spacing(273000003, kT0 + 3 * 3600 + 600, kT0 + 4 * 3600 + 3000), 30, 2);
    const TruthEvent* sts = event(EventType::sts, "a");
    ASSERT_NE(sts, nullptr);
    // BRAVO arrives first and lies at anchor before ALPHA comes
    EXPECT_NEAR(spacing(273000002, kT0 + 4 * 3600, sts->start), 180, 10);
    // type 5 every 6 minutes
    std::vector<std::int64_t> ts;
    for (const auto& r : rx)
        if (r.station == "SIM-ALL" && std::holds_alternative<vw::ais::StaticVoyage>(r.msg) &&
            mmsi_of(r.msg) == 273000001 && r.t >= kT0 + 2 * 3600 && r.t < kT0 + 4 * 3600)
            ts.push_back(r.t);
    ASSERT_GE(ts.size(), 15u);
    std::sort(ts.begin(), ts.end());
    EXPECT_NEAR(static_cast<double>(ts.back() - ts.front()) / static_cast<double>(ts.size() - 1), 360, 20);
}

TEST_F(SimAll, TruthHasEveryBehaviour) {
    std::map<EventType, int> n;
    for (const auto& e : sim->truth()) ++n[e.type];
    for (EventType t : {EventType::ais_off, EventType::port_call, EventType::sts, EventType::loiter,
                        EventType::loading, EventType::rename, EventType::reflag, EventType::spoof,
                        EventType::mmsi_share, EventType::mmsi_swap})
        EXPECT_GE(n[t], 1) << event_type_name(t);
    const TruthEvent* rename = event(EventType::rename, "a");
    ASSERT_NE(rename, nullptr);
    EXPECT_EQ(rename->vessel.name, "ALPHA");
    EXPECT_EQ(rename->vessel.imo, 9161003u);
    EXPECT_EQ(rename->start, kT0 + 9 * 3600 + 1800);
    EXPECT_NE(rename->details_json.find("\"to_name\":\"ALPHA TWO\""), std::string::npos);
    const TruthEvent* sts = event(EventType::sts, "a");
    ASSERT_NE(sts, nullptr);
    EXPECT_EQ(sts->other_id, "b");
    EXPECT_EQ(sts->other.mmsi, 273000002u);
    EXPECT_LT(sts->start, sts->end);
    EXPECT_LE(sts->end, kT0 + 7 * 3600);
    const TruthEvent* dark = event(EventType::ais_off, "a");  // the dark port call at P1
    ASSERT_NE(dark, nullptr);
    EXPECT_EQ(dark->start, kT0);
    EXPECT_GT(dark->end, kT0 + 3600);  // still within 5 nm of P1 after leaving at 01:00
    EXPECT_LT(dark->end, kT0 + 3600 + 1800);
    const std::string json = sim->truth_json();
    EXPECT_NE(json.find("\"simulated\": true"), std::string::npos);
    EXPECT_NE(json.find("\"type\":\"mmsi_swap\""), std::string::npos);
    EXPECT_NE(json.find("\"other\":{\"id\":\"b\""), std::string::npos);
}

TEST_F(SimAll, DecodedOutputAgreesWithTheTruth) {
    for (const auto& e : sim->truth()) {
        if (e.type != EventType::ais_off) continue;
        // nothing from the dark vessel's MMSI strictly inside its dark period (receive times)
        for (const auto& r : rx)
            EXPECT_FALSE(mmsi_of(r.msg) == e.vessel.mmsi && r.t > e.start && r.t < e.end)
                << e.vessel_id << " heard at " << r.t << " while dark " << e.start << "-" << e.end;
    }
    int renamed = 0, old_name_late = 0, reflagged_early = 0, reflagged = 0, swapped = 0, shared = 0,
        spoofed = 0, jumped = 0;
    for (const auto& r : rx) {
        const std::uint32_t mmsi = mmsi_of(r.msg);
        if (const auto* v = std::get_if<vw::ais::StaticVoyage>(&r.msg)) {
            if (v->imo == 9161003 && r.t > kT0 + 9 * 3600 + 1800) {
                renamed += v->shipname.view() == "ALPHA TWO";
                old_name_late += v->shipname.view() == "ALPHA";
            }
            // during the swap ALPHA's static data carries BRAVO's MMSI
            if (v->imo == 9161003 && mmsi == 273000002 && r.t >= kT0 + 8 * 3600 + 1800 &&
                r.t < kT0 + 9 * 3600)
                ++swapped;
        }
        if (mmsi == 538000002) (r.t < kT0 + 10 * 3600 ? reflagged_early : reflagged)++;
        if (const auto* b = std::get_if<vw::ais::StaticDataB>(&r.msg);
            b && b->partno == 0 && mmsi == 273000001 && b->shipname.view() == "CHARLIE")
            ++shared;  // CHARLIE (class B) broadcasting ALPHA's MMSI
        if (const auto p = pos_of(r.msg)) {
            if (mmsi == 273000003 && r.t >= kT0 + 5 * 3600 + 60 && r.t < kT0 + 6 * 3600 - 60) {
                const auto truth = sim->position_of("c", r.t);
                ASSERT_TRUE(truth.has_value());
                spoofed += vw::geo::distance_nm(*truth, *p) > 19.0 && vw::geo::distance_nm(*truth, *p) < 21.0;
            }
            if (mmsi == 273000001 && r.t >= kT0 + 11 * 3600 && r.t < kT0 + 11 * 3600 + 1200)
                jumped += std::fabs(p->lat - 41.0) < 1e-3 && std::fabs(p->lon - 135.0) < 1e-3;
        }
    }
    EXPECT_GT(renamed, 5);
    EXPECT_EQ(old_name_late, 0);
    EXPECT_EQ(reflagged_early, 0);
    EXPECT_GT(reflagged, 10);
    EXPECT_GT(swapped, 0);
    EXPECT_GT(shared, 0);
    EXPECT_GT(spoofed, 20);
    EXPECT_GT(jumped, 20);
}

TEST_F(SimAll, LateDeliveryAndSatellite) {
    int backwards = 0, sat = 0;
    for (std::size_t i = 1; i < rx.size(); ++i) backwards += rx[i].t < rx[i - 1].t;
    for (const auto& r : rx) sat += r.station == "SIM-SAT";
    EXPECT_GT(backwards, 10);
    EXPECT_GT(sat, 100);
    EXPECT_GT(sim->stats().late, 0u);
}

TEST(SimDeterminism, SameSeedSameBytesOtherSeedOtherBytes) {
    const auto s = parse_scenario(kAll, "unit-all.toml");
    const std::string a = simulate(s);
    const std::string b = simulate(s);
    EXPECT_EQ(a, b);
    EXPECT_FALSE(a.empty());
    const std::string c = simulate(s, 6);
    EXPECT_NE(a, c);
}

TEST(SimScale, IntervalScaleCoarsens) {
    const auto s = parse_scenario(kAll, "unit-all.toml");
    SimOptions o;
    o.interval_scale = 4.0;
    Simulator coarse(s, o);
    coarse.run([](std::string_view) {});
    Simulator fine(s, SimOptions{});
    fine.run([](std::string_view) {});
    EXPECT_LT(coarse.stats().transmissions * 3, fine.stats().transmissions);
    EXPECT_GT(coarse.stats().transmissions * 5, fine.stats().transmissions);
}

TEST(SimErrors, MeetingPartnersThatNeverMeet) {
    std::string text = kAll;
    text.replace(text.find("until = 2024-01-01T07:00:00Z"), 28, "until = 2024-01-01T01:30:00Z");
    const auto s = parse_scenario(text, "unit-all.toml");
    try {
        Simulator sim(s, SimOptions{});
        FAIL() << "the partners are never there together";
    } catch (const vw::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("never at the meeting point together"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("unit-all.toml:"), std::string::npos) << e.what();
    }
}

}  // namespace
