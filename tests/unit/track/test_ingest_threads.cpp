// Ingest reads (decodes, parses) on one thread and stores on another (docs/store.md "Threads"): an
// error found by the reading thread after several batches were already committed must still reach the
// caller with its file:line, and the file must still be rolled back whole.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../test_dir.hpp"
#include "nmea_lines.hpp"
#include "vesselwatch/track/ingest.hpp"
#include "vesselwatch/util/error.hpp"

using namespace vw::track;

namespace {

std::filesystem::path test_dir() {
    return vw::test::fresh_test_case_dir("ingest_threads");
}

constexpr std::uint32_t kMmsi = 273444660;
constexpr std::int64_t kT0 = 1700000000;
// More records than several of the pipe's batches (2,048 records) and several committed ingest batches.
constexpr int kRecords = 6000;
constexpr std::size_t kBatchMessages = 1000;

/// A type 1 sentence of kMmsi (one line, no line end) with receive time t (seconds) unless t < 0.
std::string sentence(std::int64_t t, std::int32_t lat) {
    return vw::test::type1_sentence(
        {.mmsi = kMmsi, .lat = lat, .lon = 132 * 600000, .speed = 105, .course = 900, .heading = 91}, t);
}

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

}  // namespace

TEST(IngestThreads, ReaderErrorAfterCommittedBatchesRollsBackWithItsLine) {
    const auto dir = test_dir();
    std::string text;
    for (int k = 0; k < kRecords; ++k) text += sentence(kT0 + 10 * k, 43 * 600000 + k) + "\n";
    text += sentence(-1, 43 * 600000) + "\n";  // line kRecords + 1: no receive time
    write(dir / "late.nmea", text);
    Store store((dir / "d.vw").string(), Access::read_write);
    IngestOptions o;
    o.batch_messages = kBatchMessages;
    {
        Ingester ing(store, o);
        try {
            (void)ing.ingest_file((dir / "late.nmea").string());
            ADD_FAILURE() << "expected an InputError";
        } catch (const vw::InputError& e) {
            EXPECT_EQ(e.where().line, static_cast<std::uint64_t>(kRecords + 1));
            EXPECT_NE(std::string(e.what()).find("without a receive time"), std::string::npos);
        }
    }
    EXPECT_TRUE(store.files().empty());
    std::uint64_t stored = 0;
    store.scan([&](const ChunkColumns& c) { stored += c.size(); });
    EXPECT_EQ(stored, 0u);
    // the same file with --missing-time skip: every timed message stored, in several batches
    o.missing_time = MissingTime::skip;
    Ingester skip(store, o);
    const FileResult r = skip.ingest_file((dir / "late.nmea").string());
    EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kRecords));
    EXPECT_EQ(r.cleaning[static_cast<std::size_t>(Cleaning::missing_time)], 1u);
    EXPECT_GE(r.batches, static_cast<std::uint64_t>(kRecords) / kBatchMessages);
}

TEST(IngestThreads, StrictRowErrorAfterCommittedBatchesRollsBackWithItsLine) {
    const auto dir = test_dir();
    std::string text = "MMSI,BaseDateTime,LAT,LON,VesselName\n";
    char row[128];
    for (int k = 0; k < kRecords; ++k) {
        const std::int64_t t = 10 * k;
        std::snprintf(row, sizeof row,
                      "273444660,2023-11-14T%02lld:%02lld:%02lld,%.5f,132.0,\"SHIP \"\"%d\"\"\"\n",
                      static_cast<long long>(t / 3600), static_cast<long long>(t / 60 % 60),
                      static_cast<long long>(t % 60), 43.0 + k * 1e-4, k / 1000);
        text += row;
    }
    text += "bad,2023-11-14T22:13:30,43,132,X\n";  // line kRecords + 2
    write(dir / "late.csv", text);
    Store store((dir / "d.vw").string(), Access::read_write);
    IngestOptions o;
    o.batch_messages = kBatchMessages;
    o.stream.strictness = vw::pipeline::Strictness::fail_first;
    {
        Ingester ing(store, o);
        try {
            (void)ing.ingest_file((dir / "late.csv").string());
            ADD_FAILURE() << "expected an InputError";
        } catch (const vw::InputError& e) {
            EXPECT_EQ(e.where().line, static_cast<std::uint64_t>(kRecords + 2));
            EXPECT_NE(std::string(e.what()).find("bad_mmsi"), std::string::npos);
        }
    }
    EXPECT_TRUE(store.files().empty());
    // lenient: all good rows stored; the identity names (quoted: unescaped into the splitter's scratch,
    // which the next row reuses; copied out before the rows cross to the storing thread) are the rows' own
    o.stream.strictness = vw::pipeline::Strictness::count_and_skip;
    Ingester lenient(store, o);
    const FileResult r = lenient.ingest_file((dir / "late.csv").string());
    EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kRecords));
    const auto ids = store.identities(kMmsi);
    ASSERT_EQ(ids.size(), static_cast<std::size_t>(kRecords / 1000));
    for (std::size_t k = 0; k < ids.size(); ++k)
        EXPECT_EQ(ids[k].data.name, "SHIP \"" + std::to_string(k) + "\"");
}
