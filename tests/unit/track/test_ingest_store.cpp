// Ingester-level behaviour added for issues 3, 6 and 7: decoded CSV rows stored with their line as
// reference, positions already stored from another file (another receiver's archive, a later run) not
// stored again, and a file that fails midway leaving the store exactly as before it.
#include <gtest/gtest.h>
#include <zlib.h>

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
    return vw::test::fresh_test_case_dir("ingest_store");
}

constexpr std::uint32_t kMmsi = 273444660;
constexpr std::int64_t kT0 = 1700000000;

/// A tag-blocked type 1 sentence of kMmsi at `lat` heard by `station` at time t (seconds).
std::string sentence(const std::string& station, std::int64_t t, std::int32_t lat, std::uint32_t radio) {
    vw::ais::PositionA m;
    m.type = 1;
    m.mmsi = kMmsi;
    m.lat = lat;
    m.lon = 132 * 600000;
    m.speed = 105;
    m.course = 900;
    m.heading = 91;
    m.radio = radio;
    unsigned fill = 0;
    const std::string payload = vw::test::armored(m, fill);
    return vw::test::tagged_line(station, t, "", "AIVDM,1,1,,A," + payload + "," + std::to_string(fill));
}

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::uint64_t cleaned(const FileResult& r, Cleaning c) {
    return r.cleaning[static_cast<std::size_t>(c)];
}

}  // namespace

TEST(IngestStore, SecondReceiversArchiveAddsNothing) {
    const auto dir = test_dir();
    std::string a, b;
    for (int k = 0; k < 20; ++k) {
        a += sentence("S1", kT0 + 10 * k, 43 * 600000 + 100 * k, static_cast<std::uint32_t>(k)) + "\n";
        // receiver 2 heard every other message, one second later by its clock
        if (k % 2 == 0)
            b +=
                sentence("S2", kT0 + 10 * k + 1, 43 * 600000 + 100 * k, static_cast<std::uint32_t>(k)) + "\n";
    }
    // and one message receiver 1 missed
    b += sentence("S2", kT0 + 1000, 44 * 600000, 99) + "\n";
    write(dir / "s1.nmea", a);
    write(dir / "s2.nmea", b);
    const std::string db = (dir / "d.vw").string();
    Store store(db, Access::read_write);
    Ingester ing(store, IngestOptions{});
    const FileResult r1 = ing.ingest_file((dir / "s1.nmea").string());
    EXPECT_EQ(r1.positions, 20u);
    const FileResult r2 = ing.ingest_file((dir / "s2.nmea").string());
    EXPECT_EQ(r2.positions, 1u);
    EXPECT_EQ(cleaned(r2, Cleaning::stored_duplicates), 10u);
    EXPECT_EQ(store.track(kMmsi, {}).size(), 21u);

    // --keep-duplicates stores every copy
    const std::string db2 = (dir / "k.vw").string();
    Store keep_store(db2, Access::read_write);
    IngestOptions keep;
    keep.duplicates = Duplicates::keep;
    Ingester keeper(keep_store, keep);
    (void)keeper.ingest_file((dir / "s1.nmea").string());
    EXPECT_EQ(keeper.ingest_file((dir / "s2.nmea").string()).positions, 11u);
}

TEST(IngestStore, SameFixesFurtherApartThanTheWindowAreKept) {
    const auto dir = test_dir();
    // a stationary ship: identical fixes 10 s apart are distinct reports, in one file and across files
    std::string a, b;
    for (int k = 0; k < 5; ++k)
        a += sentence("S1", kT0 + 20 * k, 43 * 600000, static_cast<std::uint32_t>(k)) + "\n";
    for (int k = 0; k < 5; ++k)
        b += sentence("S1", kT0 + 20 * k + 10, 43 * 600000, static_cast<std::uint32_t>(k + 10)) + "\n";
    write(dir / "a.nmea", a);
    write(dir / "b.nmea", b);
    Store store((dir / "d.vw").string(), Access::read_write);
    Ingester ing(store, IngestOptions{});
    EXPECT_EQ(ing.ingest_file((dir / "a.nmea").string()).positions, 5u);
    const FileResult r = ing.ingest_file((dir / "b.nmea").string());
    EXPECT_EQ(r.positions, 5u);
    EXPECT_EQ(cleaned(r, Cleaning::stored_duplicates), 0u);
}

TEST(IngestStore, CsvRowsLeadBackToTheirLines) {
    const auto dir = test_dir();
    write(
        dir / "mc.csv",
        "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,"
        "Draft,"
        "Cargo,TransceiverClass\r\n"
        "273444660,2023-11-14T22:13:20,43.0,132.0,10.5,90,91,SKY LINE,IMO9243435,UBCD,80,0,120,20,7.5,,A\r\n"
        "273444660,2023-11-14T22:13:30,43.001,132.0,10.5,90,91,SKY "
        "LINE,IMO9243435,UBCD,80,0,120,20,7.5,,A\r\n"
        "273444660,2023-11-14T22:13:40,43.002,132.0,10.5,90,91,\"SKY\r\nLINE\",IMO9243435,UBCD,80,0,120,20,7."
        "5,,A\r\n");
    Store store((dir / "d.vw").string(), Access::read_write);
    Ingester ing(store, IngestOptions{});
    const FileResult r = ing.ingest_file((dir / "mc.csv").string());
    EXPECT_EQ(r.format, "marinecadastre");
    EXPECT_EQ(r.positions, 3u);
    const auto ps = store.track(kMmsi, {});
    ASSERT_EQ(ps.size(), 3u);
    EXPECT_EQ(ps[0].ref.line, 2u);
    EXPECT_EQ(ps[1].ref.line, 3u);
    EXPECT_EQ(ps[2].ref.line, 4u);
    ASSERT_EQ(ps[2].ref.fragments, 2u);  // the record spans lines 4 and 5
    EXPECT_EQ(ps[2].ref.extra_line_offsets[0], 1u);
    EXPECT_EQ(ps[0].time_ms, (kT0 + 0) * 1000);
    EXPECT_EQ(ps[0].lat, 43 * 600000);
    const auto ids = store.identities(kMmsi);
    ASSERT_EQ(ids.size(), 2u);  // "SKY LINE", then "SKY\nLINE"
    EXPECT_EQ(ids[0].data.name, "SKY LINE");
    EXPECT_EQ(ids[0].reports, 2u);
    EXPECT_EQ(ids[0].first_ref.line, 2u);
    EXPECT_EQ(ids[0].last_line, 3u);
    EXPECT_EQ(ids[0].data.length_m(), 120u);
    EXPECT_EQ(ids[0].data.beam_m(), 20u);
    EXPECT_EQ(ids[0].data.station_class, StationClass::class_a);
}

TEST(IngestStore, TruncatedCompressedFileLeavesTheStoreAsBefore) {
    const auto dir = test_dir();
    std::string text;
    for (int k = 0; k < 20000; ++k)
        text += sentence("S1", kT0 + 10 * k, 43 * 600000 + k, static_cast<std::uint32_t>(k)) + "\n";
    std::string z(compressBound(static_cast<uLong>(text.size())) + 64, '\0');
    // gzip framing through deflateInit2 (windowBits 15 + 16)
    z_stream zs{};
    ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = reinterpret_cast<Bytef*>(text.data());
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(z.data());
    zs.avail_out = static_cast<uInt>(z.size());
    ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    z.resize(zs.total_out);
    deflateEnd(&zs);
    write(dir / "cut.nmea.gz", z.substr(0, z.size() / 2));
    write(dir / "good.nmea", sentence("S1", kT0, 44 * 600000, 1) + "\n");

    Store store((dir / "d.vw").string(), Access::read_write);
    IngestOptions o;
    o.batch_messages = 100;  // several batches are committed before the stream fails
    Ingester ing(store, o);
    EXPECT_EQ(ing.ingest_file((dir / "good.nmea").string()).positions, 1u);
    EXPECT_THROW((void)ing.ingest_file((dir / "cut.nmea.gz").string()), vw::IoError);
    EXPECT_EQ(store.files().size(), 1u);  // no record of the failed file, complete or not
    EXPECT_EQ(store.track(kMmsi, {}).size(), 1u);
    auto st = store.database().prepare("SELECT count(*) FROM track_chunks");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.int64(0), 1);
    // a missing file fails the same way
    EXPECT_THROW((void)ing.ingest_file((dir / "missing.nmea").string()), vw::IoError);
    EXPECT_EQ(store.files().size(), 1u);
}

TEST(IngestStore, StrictBadRowFailsTheFile) {
    const auto dir = test_dir();
    write(dir / "mc.csv",
          "MMSI,BaseDateTime,LAT,LON\n273444660,2023-11-14T22:13:20,43.0,132.0\nbad,2023-11-14T22:13:30,43,"
          "132\n");
    Store store((dir / "d.vw").string(), Access::read_write);
    IngestOptions o;
    o.stream.strictness = vw::pipeline::Strictness::fail_first;
    Ingester ing(store, o);
    try {
        (void)ing.ingest_file((dir / "mc.csv").string());
        ADD_FAILURE() << "expected an InputError";
    } catch (const vw::InputError& e) {
        EXPECT_EQ(e.where().line, 3u);
        EXPECT_NE(std::string(e.what()).find("bad_mmsi"), std::string::npos);
    }
    EXPECT_TRUE(store.files().empty());
    // without --strict the row is counted and the file stored
    Ingester lenient(store, IngestOptions{});
    const FileResult r = lenient.ingest_file((dir / "mc.csv").string());
    EXPECT_EQ(r.positions, 1u);
    EXPECT_EQ(r.row_issues[static_cast<std::size_t>(RowIssue::bad_mmsi)], 1u);
    ASSERT_EQ(r.row_issue_examples.size(), 1u);
    EXPECT_NE(r.row_issue_examples[0].find("mc.csv:3: bad_mmsi"), std::string::npos);
}

TEST(IngestStore, UnknownCsvHeaderNeedsColumns) {
    const auto dir = test_dir();
    write(dir / "x.csv", "ID,when,y,x\n1,2024-01-01T00:00:00,1,2\n");
    Store store((dir / "d.vw").string(), Access::read_write);
    Ingester ing(store, IngestOptions{});
    EXPECT_THROW((void)ing.ingest_file((dir / "x.csv").string()), vw::InputError);
    EXPECT_TRUE(store.files().empty());
    IngestOptions o;
    o.rows.columns = parse_column_spec("mmsi=ID,time=when,lat=y,lon=x");
    Ingester mapped(store, o);
    const FileResult r = mapped.ingest_file((dir / "x.csv").string());
    EXPECT_EQ(r.format, "csv");
    EXPECT_EQ(r.positions, 1u);
}
