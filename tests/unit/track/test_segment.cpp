// track module: segmentation of one MMSI's reports (issue 3) — synthetic cases and the GFW regression files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vesselwatch/track/segment.hpp"

using namespace vw::track;

namespace {
constexpr std::int64_t kT0 = 1609459200000;  // 2021-01-01T00:00:00Z
constexpr std::int64_t kMinuteMs = 60'000;

/// A vessel steaming east at `knots` from (lat, lon), one fix every `every_min` minutes.
std::vector<SegReport> track(std::int64_t t0, double lat, double lon, double knots, int count, int every_min) {
    std::vector<SegReport> out;
    for (int i = 0; i < count; ++i) {
        SegReport r;
        r.time_ms = t0 + i * every_min * kMinuteMs;
        const double hours = i * every_min / 60.0;
        r.fix = SegFix{r.time_ms, lat, lon + knots * hours / 60.0, knots, 90.0};
        out.push_back(r);
    }
    return out;
}

std::vector<SegReport> merge_by_time(std::vector<SegReport> a, const std::vector<SegReport>& b) {
    a.insert(a.end(), b.begin(), b.end());
    std::stable_sort(a.begin(), a.end(), [](const SegReport& x, const SegReport& y) { return x.time_ms < y.time_ms; });
    return a;
}
}  // namespace

TEST(Segment, TwoVesselsSharingAnMmsiFarApartAreSplit) {
    const auto a = track(kT0, 10.0, 20.0, 10.0, 30, 5);
    const auto b = track(kT0 + 2 * kMinuteMs, -30.0, 100.0, 12.0, 30, 5);
    const auto all = merge_by_time(a, b);
    const auto ids = segment_reports(123456789, all);
    std::map<SegmentId, int> count;
    for (std::size_t i = 0; i < all.size(); ++i) {
        ++count[ids[i]];
        // every fix of vessel a is in the segment of a's first fix, and likewise for b
        const bool is_a = all[i].fix->lat_deg > 0;
        EXPECT_EQ(ids[i], ids[is_a ? 0 : 1]) << i;
    }
    EXPECT_EQ(count.size(), 2U);
}

TEST(Segment, SixHourGapIsNotSplit) {
    auto first = track(kT0, 50.0, -5.0, 8.0, 20, 6);
    // resumes 6 h after the last fix, where 8 kn would have taken it
    const std::int64_t resume = first.back().time_ms + 6 * 60 * kMinuteMs;
    const double lon = first.back().fix->lon_deg + 8.0 * 6.0 / 60.0;  // same motion model as track()
    const auto second = track(resume, 50.0, lon, 8.0, 20, 6);
    const auto all = merge_by_time(first, second);
    const auto ids = segment_reports(235000001, all);
    for (const auto& id : ids) EXPECT_EQ(id, ids.front());
}

TEST(Segment, SpoofedJumpIsSplitAndTheVesselKeepsItsSegment) {
    auto reports = track(kT0, 1.0, 100.0, 10.0, 20, 2);
    // one report 600 nm away in the middle of the track (spoofed or corrupt)
    reports[10].fix->lat_deg += 10.0;
    const auto ids = segment_reports(412000001, reports);
    EXPECT_NE(ids[10], ids[0]);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i != 10) {
            EXPECT_EQ(ids[i], ids[0]) << i;
        }
    }
}

TEST(Segment, IdsAreStableAcrossRuns) {
    const auto all = merge_by_time(track(kT0, 10.0, 20.0, 10.0, 10, 5), track(kT0, -30.0, 100.0, 12.0, 10, 5));
    const auto ids1 = segment_reports(567000000, all);
    const auto ids2 = segment_reports(567000000, all);
    EXPECT_EQ(ids1, ids2);
    // derived from (MMSI, first timestamp); a second segment starting in the same millisecond gets +1 ms
    EXPECT_EQ(ids1[0].to_string(), "567000000-2021-01-01T00:00:00Z");
    EXPECT_EQ(ids1[1].to_string(), "567000000-2021-01-01T00:00:00.001Z");
    // a later run over a stream that starts later still names the second vessel's segment the same way
    // when its first report is the same
    const std::vector<SegReport> only_b(all.begin() + 1, all.end());
    EXPECT_EQ(segment_reports(567000000, only_b)[0].mmsi, 567000000U);
}

TEST(Segment, IdentityReportsAttachToTheMatchingSegment) {
    auto a = track(kT0, 10.0, 20.0, 10.0, 10, 5);
    auto b = track(kT0 + kMinuteMs, -30.0, 100.0, 12.0, 10, 5);
    a[3].identity = SegIdentity{"ALPHA", "AAAA1", 0, 0, 0, 0};  // a type 19-like report
    b[3].identity = SegIdentity{"BRAVO", "BBBB2", 0, 0, 0, 0};
    auto all = merge_by_time(a, b);
    SegReport id_a;  // a type 5 of vessel a, heard after b's last fix (b is the most recent segment)
    id_a.time_ms = kT0 + 60 * kMinuteMs;
    id_a.identity = SegIdentity{"ALPHA", "", 0, 0, 0, 0};
    all.push_back(id_a);
    const auto ids = segment_reports(123456789, all);
    EXPECT_EQ(ids.back(), ids[0]);
    EXPECT_EQ(compare_identity(SegIdentity{"alpha ", "", 0, 0, 0, 0}, SegIdentity{"ALPHA", "X", 0, 0, 0, 0}),
              IdentityRelation::match);
    EXPECT_EQ(compare_identity(SegIdentity{"ALPHA", "", 0, 0, 0, 0}, SegIdentity{"BRAVO", "", 0, 0, 0, 0}),
              IdentityRelation::conflict);
}

TEST(Segment, PairCountsFromContingencyTable) {
    const std::vector<std::uint64_t> ours{0, 0, 0, 1, 1};
    const std::vector<std::uint64_t> ref{0, 0, 1, 1, 1};
    const PairCounts pc = pair_counts(ours, ref);
    EXPECT_EQ(pc.together_ours, 4U);  // C(3,2) + C(2,2)
    EXPECT_EQ(pc.together_ref, 4U);   // C(2,2) + C(3,2)
    EXPECT_EQ(pc.together_both, 2U);  // {0,1} and {3,4}
    EXPECT_DOUBLE_EQ(pc.precision(), 0.5);
    EXPECT_DOUBLE_EQ(pc.recall(), 0.5);
}

// Against Global Fishing Watch's segmenter: class A/B positions GFW assigned (see bench_segment_eval).
TEST(Segment, AgreesWithGfwSegmenterOnPositions) {
    const std::filesystem::path dir = std::filesystem::path(VW_SHARED_DIR) / "data/tracks/gfw_segmenter";
    if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << dir << " not present";
    PairCounts total;
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() != ".json") continue;
        const auto rows = read_gfw_segmenter_file(e.path().string());
        std::vector<SegReport> reports;
        for (const auto& r : rows) reports.push_back(r.report);
        const auto ids = segment_reports(rows.empty() ? 0 : rows.front().mmsi, reports);
        std::map<SegmentId, std::uint64_t> ol;
        std::map<std::string, std::uint64_t> rl;
        std::vector<std::uint64_t> ours, ref;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].expected.empty() || !has_usable_fix(rows[i].report) || rows[i].ais_type == 27) continue;
            ours.push_back(ol.try_emplace(ids[i], ol.size()).first->second);
            ref.push_back(rl.try_emplace(rows[i].expected, rl.size()).first->second);
        }
        total += pair_counts(ours, ref);
        ++files;
    }
    ASSERT_GT(files, 0U);
    EXPECT_GE(total.precision(), 0.95);
    EXPECT_GE(total.recall(), 0.95);
}

// The segmenter's quick accept (no trigonometry) must never say "within reach" where the haversine
// says otherwise: random pairs from the same spot to antipodes, at every latitude, across the
// antimeridian, with the reach set just above, at and just below the haversine distance and near the
// bound itself. It must also accept the usual case: fixes a fraction of a mile apart.
TEST(SegmentDistance, QuickAcceptNeverContradictsTheHaversine) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lat(-90.0, 90.0), lon(-180.0, 180.0), unit(0.0, 1.0);
    std::size_t accepted = 0;
    for (int k = 0; k < 200000; ++k) {
        SegFix a, b;
        a.lat_deg = lat(rng);
        a.lon_deg = lon(rng);
        // near (metres to miles), far (degrees), or anywhere
        const double scale = k % 3 == 0 ? 1e-4 : k % 3 == 1 ? 1.0 : 180.0;
        b.lat_deg = std::clamp(a.lat_deg + (unit(rng) - 0.5) * scale, -90.0, 90.0);
        b.lon_deg = a.lon_deg + (unit(rng) - 0.5) * 2 * scale;
        if (b.lon_deg > 180.0) b.lon_deg -= 360.0;
        if (b.lon_deg < -180.0) b.lon_deg += 360.0;
        const double d = detail::distance_nm(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
        const double bound = (std::abs(a.lat_deg - b.lat_deg) + std::min(std::abs(a.lon_deg - b.lon_deg),
                                                                         360.0 - std::abs(a.lon_deg - b.lon_deg))) *
                             3.14159265358979323846 / 180.0 * 3440.065;
        for (const double reach : {d * (1 - 1e-12), d, d * (1 + 1e-12), bound, bound * (1 + 1e-6), d + unit(rng)}) {
            if (detail::surely_within(a, b, reach)) {
                ++accepted;
                ASSERT_LE(d, reach) << a.lat_deg << "," << a.lon_deg << " -> " << b.lat_deg << "," << b.lon_deg;
            }
        }
    }
    EXPECT_GT(accepted, 100000u);  // it does accept, or it would save nothing
    // a vessel's next fix: 0.05 nm on, reach of a 10 s gap (0.5 + 25 kn * (10 s + 10 min))
    SegFix a{0, 59.9, 10.7, std::nullopt, std::nullopt}, b{10000, 59.9007, 10.7012, std::nullopt, std::nullopt};
    EXPECT_TRUE(detail::surely_within(a, b, 0.5 + 25.0 * (10.0 / 3600 + 10.0 / 60)));
}
