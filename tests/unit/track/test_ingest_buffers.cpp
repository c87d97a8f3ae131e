// Ingest's position buffers: positions buffered across several blocks (256 per block) and flushes come
// out complete, in time order, with their receiver counts (a duplicate folded into a position that sits
// in a later block) and their provenance (a position message in 3 fragments keeps all its lines).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../test_dir.hpp"
#include "nmea_lines.hpp"
#include "vesselwatch/track/ingest.hpp"

using namespace vw::track;

namespace {

std::filesystem::path test_dir() {
    return vw::test::test_case_dir("track_ingest_buffers");
}
constexpr std::uint32_t kMmsi = 244660000;
constexpr std::int64_t kT0 = 1699920000;  // 2023-11-14T00:00:00Z: all reports within one UTC day
constexpr int kPositions = 700;           // crosses two block boundaries (256, 512)
constexpr int kStepSeconds = 10;
constexpr std::int32_t kLat0 = 30 * 600000;
constexpr std::int32_t kLatStep = 100;  // 1/10000 minute per report: a slow, steady track

std::string payload(std::int32_t lat, unsigned& fill) {
    vw::ais::PositionA m;
    m.type = 1;
    m.mmsi = kMmsi;
    m.lat = lat;
    m.lon = 10 * 600000;
    m.speed = 20;
    m.course = 0;
    m.heading = 0;
    return vw::test::armored(m, fill);
}

/// kPositions single-sentence reports (line k+1 for report k, plus the copies), report 300 and 600
/// heard again by a second receiver one second later, then one report in three fragments.
void write_input(const std::filesystem::path& path) {
    std::ofstream out(path);
    unsigned fill = 0;
    for (int k = 0; k < kPositions; ++k) {
        const std::string p = payload(kLat0 + k * kLatStep, fill);
        const std::int64_t t = kT0 + std::int64_t{k} * kStepSeconds;
        out << vw::test::tagged_line("S1", t, "", "AIVDM,1,1,,A," + p + ",0") << "\n";
        if (k == 300 || k == 600)
            out << vw::test::tagged_line("S2", t + 1, "", "AIVDM,1,1,,A," + p + ",0") << "\n";
    }
    const std::string p = payload(kLat0 + kPositions * kLatStep, fill);
    const std::int64_t t = kT0 + std::int64_t{kPositions} * kStepSeconds;
    out << vw::test::tagged_line("S1", t, "1-3-9", "AIVDM,3,1,5,A," + p.substr(0, 10) + ",0") << "\n";
    out << vw::test::tagged_line("S1", t, "2-3-9", "AIVDM,3,2,5,A," + p.substr(10, 10) + ",0") << "\n";
    out << vw::test::tagged_line("S1", t, "3-3-9", "AIVDM,3,3,5,A," + p.substr(20) + ",0") << "\n";
}

void check_store(const std::string& db) {
    Store store(db, Access::read_only);
    const auto ps = store.track(kMmsi, {});
    ASSERT_EQ(ps.size(), static_cast<std::size_t>(kPositions + 1));
    std::uint64_t line = 1;
    for (int k = 0; k < kPositions; ++k) {
        const Position& p = ps[static_cast<std::size_t>(k)];
        EXPECT_EQ(p.time_ms, (kT0 + std::int64_t{k} * kStepSeconds) * 1000) << k;
        EXPECT_EQ(p.lat, kLat0 + k * kLatStep) << k;
        EXPECT_EQ(p.ref.line, line) << k;
        EXPECT_EQ(p.ref.fragments, 1u) << k;
        EXPECT_EQ(p.receivers, (k == 300 || k == 600) ? 2u : 1u) << k;
        line += (k == 300 || k == 600) ? 2 : 1;
    }
    const Position& last = ps.back();
    EXPECT_EQ(last.lat, kLat0 + kPositions * kLatStep);
    EXPECT_EQ(last.ref.line, line);
    ASSERT_EQ(last.ref.fragments, 3u);
    EXPECT_EQ(last.ref.extra_line_offsets[0], 1u);
    EXPECT_EQ(last.ref.extra_line_offsets[1], 2u);
    EXPECT_EQ(last.receivers, 1u);
}

}  // namespace

TEST(IngestBuffers, PositionsAcrossBlocksKeepOrderReceiversAndLines) {
    std::filesystem::remove_all(test_dir());
    std::filesystem::create_directories(test_dir());
    write_input(test_dir() / "in.nmea");
    const std::string db = (test_dir() / "a.vw").string();
    {
        Store store(db, Access::read_write);
        Ingester ing(store, IngestOptions{});
        const FileResult r = ing.ingest_file((test_dir() / "in.nmea").string());
        EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kPositions + 1));
        EXPECT_EQ(r.cleaning[static_cast<std::size_t>(Cleaning::receiver_duplicates)], 2u);
    }
    check_store(db);
}

TEST(IngestBuffers, SmallChunksReuseFlushedBlocks) {
    // A vessel's buffer flushed every 300 positions: its blocks go back to the pool and are taken
    // again; what is stored is the same.
    std::filesystem::remove_all(test_dir());
    std::filesystem::create_directories(test_dir());
    write_input(test_dir() / "in.nmea");
    const std::string db = (test_dir() / "b.vw").string();
    {
        Store store(db, Access::read_write);
        IngestOptions o;
        o.chunk_max_positions = 300;
        Ingester ing(store, o);
        const FileResult r = ing.ingest_file((test_dir() / "in.nmea").string());
        EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kPositions + 1));
    }
    Store store(db, Access::read_only);
    std::size_t chunks = 0;
    store.scan([&](const ChunkColumns&) { ++chunks; }, Columns::time, kMmsi);
    EXPECT_EQ(chunks, 3u);  // 300 + 300 + 101
    check_store(db);
}
