// The helper threads of ingest. The file's sha256 computed on a helper thread while the file is read
// (large files of a size the store does not hold): the recorded digest is the file's, the stored
// content is the same as with the digest computed first, the same file again is already held, and a
// file of a size the store already holds (a re-run after a crash) is hashed first so that its
// interrupted copy is replaced. Flushes encoded on two threads store the same chunks as one thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_dir.hpp"
#include "nmea_lines.hpp"
#include "vesselwatch/track/ingest.hpp"
#include "vesselwatch/util/sha256.hpp"

using namespace vw::track;

namespace {

std::filesystem::path test_dir() {
    return vw::test::fresh_test_case_dir("ingest_digest");
}

constexpr std::int64_t kT0 = 1700000000;
constexpr int kVessels = 7;
constexpr int kReports = 400;                // per vessel: 2,800 messages
constexpr std::size_t kBatchMessages = 100;  // many batches: several may end before the digest is known

std::string sentence(std::uint32_t mmsi, std::int64_t t, std::int32_t lat) {
    return vw::test::type1_sentence({.mmsi = mmsi,
                                     .lat = lat,
                                     .lon = 12 * 600000 + static_cast<std::int32_t>(mmsi % 1000) * 600,
                                     .speed = 80,
                                     .course = 450,
                                     .heading = 45},
                                    t);
}

std::string traffic() {
    std::string s;
    for (int k = 0; k < kReports; ++k)
        for (int v = 0; v < kVessels; ++v)
            s += sentence(244000000 + static_cast<std::uint32_t>(v), kT0 + 10 * k, 52 * 600000 + 50 * k) +
                 "\n";
    return s;
}

std::string write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
}

IngestOptions options(std::uint64_t background_digest_bytes) {
    IngestOptions o;
    o.batch_messages = kBatchMessages;
    o.background_digest_bytes = background_digest_bytes;
    return o;
}

/// Every stored position of the store, in a canonical order, as text.
std::string positions_text(Store& store) {
    std::ostringstream out;
    for (const std::uint32_t mmsi : store.mmsis()) {
        store.scan(
            [&](const ChunkColumns& c) {
                for (std::size_t k = 0; k < c.size(); ++k)
                    out << mmsi << ' ' << c.time_ms[k] << ' ' << c.lat[k] << ' ' << c.lon[k] << ' '
                        << c.line[k] << '\n';
            },
            Columns::time | Columns::position | Columns::provenance, mmsi);
    }
    return out.str();
}

}  // namespace

TEST(IngestDigest, HashedWhileReadingRecordsTheFilesSha256) {
    const auto dir = test_dir();
    const std::string text = traffic();
    const std::string in = write(dir / "t.nmea", text);

    Store background((dir / "bg.vw").string(), Access::read_write);
    const FileResult r = Ingester(background, options(0)).ingest_file(in);
    EXPECT_EQ(r.outcome, FileResult::Outcome::ingested);
    EXPECT_EQ(r.sha256, vw::sha256_hex(text));
    EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kVessels * kReports));
    // r.batches is not asserted: batches that end before the digest is known join the next one, so how
    // many are committed depends on how fast the helper thread hashes (1 when it finishes last).
    const auto held = background.find_file(vw::sha256_hex(text));
    ASSERT_TRUE(held.has_value());
    EXPECT_TRUE(held->complete);
    EXPECT_EQ(held->size, text.size());

    // the same content as with the digest computed before reading
    Store first((dir / "first.vw").string(), Access::read_write);
    const FileResult f = Ingester(first, options(UINT64_MAX)).ingest_file(in);
    EXPECT_EQ(f.sha256, r.sha256);
    EXPECT_EQ(f.positions, r.positions);
    EXPECT_EQ(positions_text(first), positions_text(background));
    EXPECT_FALSE(positions_text(background).empty());
}

TEST(IngestDigest, SameFileAgainIsAlreadyHeld) {
    const auto dir = test_dir();
    const std::string in = write(dir / "t.nmea", traffic());
    Store store((dir / "d.vw").string(), Access::read_write);
    Ingester ing(store, options(0));
    const FileResult r1 = ing.ingest_file(in);
    ASSERT_EQ(r1.outcome, FileResult::Outcome::ingested);
    const std::string stored = positions_text(store);
    // a copy under another name: same size, so hashed first, and held
    const std::string copy = write(dir / "copy.nmea", traffic());
    const FileResult r2 = ing.ingest_file(copy);
    EXPECT_EQ(r2.outcome, FileResult::Outcome::already_held);
    EXPECT_EQ(r2.file_id, r1.file_id);
    EXPECT_EQ(r2.positions, 0u);
    EXPECT_EQ(positions_text(store), stored);
    EXPECT_EQ(store.mmsis().size(), static_cast<std::size_t>(kVessels));
}

TEST(IngestDigest, InterruptedCopyOfTheSameBytesIsReplaced) {
    const auto dir = test_dir();
    const std::string text = traffic();
    const std::string in = write(dir / "t.nmea", text);
    Store store((dir / "d.vw").string(), Access::read_write);
    // what an ingest killed after its first commit leaves: the file's record, not complete
    FileRecord partial;
    partial.path = in;
    partial.abs_path = in;
    partial.size = text.size();
    partial.sha256 = vw::sha256_hex(text);
    partial.format = "nmea";
    (void)store.insert_file(partial);
    const FileResult r = Ingester(store, options(0)).ingest_file(in);
    EXPECT_EQ(r.outcome, FileResult::Outcome::replaced_partial);
    EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kVessels * kReports));
    const auto held = store.find_file(r.sha256);
    ASSERT_TRUE(held.has_value());
    EXPECT_TRUE(held->complete);
    EXPECT_EQ(held->id, r.file_id);
}

namespace {

/// A file record of the bytes `text` under another size (another process's copy, as the store would
/// hold it): the ingest's own size check cannot find it, only the digest computed while reading can.
FileRecord copy_under_another_size(const std::string& text) {
    FileRecord f;
    f.path = "elsewhere.nmea";
    f.abs_path = "/elsewhere.nmea";
    f.size = text.size() + 1;
    f.sha256 = vw::sha256_hex(text);
    f.format = "nmea";
    return f;
}

}  // namespace

// The digest found while reading names bytes the store already holds complete: the ingest ends as
// already held and everything it wrote is rolled back. A held copy always has the same size, so here
// the held record's size is changed to reach this branch (in use: another process ingesting the same
// bytes at the same time); a partial record of those bytes under another size is removed.
TEST(IngestDigest, DigestFoundWhileReadingMatchesAHeldFileAndEverythingIsRolledBack) {
    const auto dir = test_dir();
    const std::string text = traffic();
    const std::string in = write(dir / "t.nmea", text);
    Store store((dir / "d.vw").string(), Access::read_write);
    const FileRecord held = copy_under_another_size(text);
    const std::int64_t held_id = store.insert_file(held);
    store.mark_complete(held_id);

    const FileResult r = Ingester(store, options(0)).ingest_file(in);
    EXPECT_EQ(r.outcome, FileResult::Outcome::already_held);
    EXPECT_EQ(r.file_id, held_id);
    EXPECT_EQ(r.positions, 0u);
    EXPECT_EQ(r.sha256, held.sha256);
    const std::vector<FileRecord> files = store.files();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].id, held_id);
    EXPECT_TRUE(store.mmsis().empty());
    EXPECT_TRUE(positions_text(store).empty());
}

// The digest found while reading names bytes of which the store holds only an interrupted copy (a
// record that is not complete, here under another size): that copy is removed and the file ingested.
TEST(IngestDigest, DigestFoundWhileReadingReplacesAnInterruptedCopy) {
    const auto dir = test_dir();
    const std::string text = traffic();
    const std::string in = write(dir / "t.nmea", text);
    Store store((dir / "d.vw").string(), Access::read_write);
    const FileRecord partial = copy_under_another_size(text);
    const std::int64_t partial_id = store.insert_file(partial);

    const FileResult r = Ingester(store, options(0)).ingest_file(in);
    EXPECT_EQ(r.outcome, FileResult::Outcome::replaced_partial);
    EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kVessels * kReports));
    const std::vector<FileRecord> files = store.files();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_NE(files[0].id, partial_id);
    EXPECT_EQ(files[0].id, r.file_id);
    EXPECT_TRUE(files[0].complete);
    EXPECT_EQ(files[0].sha256, partial.sha256);
    EXPECT_EQ(files[0].size, text.size());
}

namespace {

/// Every chunk row of the store, ids included, as text (the blob as its sha256).
std::string chunk_rows(Store& store) {
    std::string out;
    auto st = store.database().prepare(
        "SELECT id, mmsi, source_id, n, t_min, t_max, lat_min, lat_max, lon_min, lon_max, line_min, "
        "line_max, data "
        "FROM track_chunks ORDER BY id");
    while (st.step()) {
        for (int c = 0; c < 12; ++c) out += std::to_string(st.int64(c)) + ' ';
        out += vw::sha256_hex(st.blob(12)) + '\n';
    }
    return out;
}

}  // namespace

// Flushes encoded on two threads (forced here for every flush of 2 or more vessels; the memory bound
// set low so that several flush everything mid-file) store exactly the chunks, ids included, that
// one thread stores.
TEST(IngestDigest, TwoThreadFlushStoresTheSameChunksAsOne) {
    const auto dir = test_dir();
    const std::string in = write(dir / "t.nmea", traffic());
    auto run = [&](const std::string& name, std::size_t parallel_flush_positions) {
        Store store((dir / name).string(), Access::read_write);
        IngestOptions o = options(UINT64_MAX);
        o.max_buffered_positions = 1000;
        o.parallel_flush_positions = parallel_flush_positions;
        const FileResult r = Ingester(store, o).ingest_file(in);
        EXPECT_EQ(r.positions, static_cast<std::uint64_t>(kVessels * kReports));
        return chunk_rows(store);
    };
    const std::string one = run("one.vw", SIZE_MAX);
    const std::string two = run("two.vw", 1);
    EXPECT_EQ(two, one);
    // several flushes of all vessels: more chunks than vessels
    EXPECT_GT(std::count(one.begin(), one.end(), '\n'), kVessels);
}
