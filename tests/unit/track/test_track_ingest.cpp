// Ingest -> store -> provenance: every stored position and identity leads back to its input lines
// (single and multi-part messages, tag blocks, duplicates folded or kept), the time rule, idempotence.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_dir.hpp"
#include "nmea_lines.hpp"
#include "vesselwatch/track/ingest.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/sha256.hpp"

using namespace vw::track;

namespace {

std::filesystem::path test_dir() {
    return vw::test::test_case_dir("track_ingest");
}
constexpr std::uint32_t kMmsi = 273444660;
constexpr std::int64_t kT0 = 1700000000;  // seconds

vw::ais::PositionA position(std::int32_t lat, std::uint32_t radio) {
    vw::ais::PositionA m;
    m.type = 1;
    m.mmsi = kMmsi;
    m.lat = lat;
    m.lon = 132 * 600000;
    m.speed = 105;
    m.course = 900;
    m.heading = 91;
    m.radio = radio;
    return m;
}

std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::string> v;
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
}

class TrackIngest : public ::testing::Test {
protected:
    void SetUp() override {
        std::filesystem::remove_all(test_dir());
        std::filesystem::create_directories(test_dir());
        unsigned fill = 0;
        const std::string p1 = vw::test::armored(position(43 * 600000, 1), fill);
        const std::string p2 = vw::test::armored(position(43 * 600000 + 600, 2), fill);
        const std::string p3 = vw::test::armored(position(91 * 600000, 3), fill);  // lat not available
        vw::ais::StaticVoyage s5;
        s5.type = 5;
        s5.mmsi = kMmsi;
        s5.imo = 9243435;
        s5.callsign.assign("UBCD");
        s5.shipname.assign("SKY LINE");
        s5.shiptype = 80;
        s5.to_bow = 100;
        s5.to_stern = 20;
        s5.draught = 75;
        s5.destination.assign("NAKHODKA");
        const std::string a5 = vw::test::armored(s5, fill);
        const unsigned fill5 = fill;
        std::ofstream out(test_dir() / "in.nmea");
        out << vw::test::tagged_line("S1", kT0, "", "AIVDM,1,1,,A," + p1 + ",0") << "\n";  // 1
        out << vw::test::tagged_line("S2", kT0 + 1, "", "AIVDM,1,1,,A," + p1 + ",0")
            << "\n";  // 2 other receiver
        out << vw::test::tagged_line("S1", kT0, "", "AIVDM,1,1,,A," + p1 + ",0")
            << "\n";  // 3 exact duplicate
        out << vw::test::tagged_line("S1", kT0 + 5, "1-2-7", "AIVDM,2,1,3,A," + a5.substr(0, 60) + ",0")
            << "\n";              // 4
        out << "garbage line\n";  // 5
        out << vw::test::tagged_line("S1", kT0 + 5, "2-2-7",
                                     "AIVDM,2,2,3,A," + a5.substr(60) + "," + std::to_string(fill5))
            << "\n";  // 6
        out << vw::test::tagged_line("S1", kT0 + 10, "1-2-8", "AIVDM,2,1,4,B," + p2.substr(0, 14) + ",0")
            << "\n";  // 7
        out << vw::test::tagged_line("S1", kT0 + 10, "2-2-8", "AIVDM,2,2,4,B," + p2.substr(14) + ",0")
            << "\n";                                                                            // 8
        out << vw::test::tagged_line("S1", kT0 + 20, "", "AIVDM,1,1,,A," + p3 + ",0") << "\n";  // 9
    }
};

}  // namespace

TEST_F(TrackIngest, PositionsAndIdentitiesLeadBackToTheirLines) {
    const std::string db = (test_dir() / "a.vw").string();
    FileResult r;
    {
        Store store(db, Access::read_write);
        Ingester ing(store, IngestOptions{});
        r = ing.ingest_file((test_dir() / "in.nmea").string());
    }
    EXPECT_EQ(r.outcome, FileResult::Outcome::ingested);
    EXPECT_EQ(r.positions, 2u);
    EXPECT_EQ(r.cleaning[static_cast<std::size_t>(Cleaning::receiver_duplicates)], 1u);
    EXPECT_EQ(r.cleaning[static_cast<std::size_t>(Cleaning::exact_duplicates)], 1u);
    EXPECT_EQ(r.cleaning[static_cast<std::size_t>(Cleaning::position_unavailable)], 1u);

    Store store(db, Access::read_only);
    const auto ps = store.track(kMmsi, {});
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0].ref.line, 1u);  // first line, and the number of receivers
    EXPECT_EQ(ps[0].receivers, 2u);
    EXPECT_EQ(ps[0].time_ms, kT0 * 1000);
    EXPECT_EQ(ps[1].ref.line, 7u);  // multi-part: every fragment's line
    ASSERT_EQ(ps[1].ref.fragments, 2u);
    EXPECT_EQ(ps[1].ref.line + ps[1].ref.extra_line_offsets[0], 8u);
    EXPECT_EQ(ps[1].lat, 43 * 600000 + 600);

    const auto lines = read_lines(test_dir() / "in.nmea");
    const auto src = store.source(ps[0].ref.source_id);
    ASSERT_TRUE(src.has_value());
    const auto file = store.file(src->file_id);
    ASSERT_TRUE(file.has_value());
    EXPECT_EQ(file->sha256, vw::to_hex(vw::digest_file((test_dir() / "in.nmea").string()).sha256));
    EXPECT_NE(lines[ps[0].ref.line - 1].find("s:S1,c:1700000000"), std::string::npos);

    const auto ids = store.identities(kMmsi);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(ids[0].data.name, "SKY LINE");
    EXPECT_EQ(ids[0].data.imo, 9243435u);
    EXPECT_EQ(ids[0].first_ref.line, 4u);
    ASSERT_EQ(ids[0].first_ref.fragments, 2u);
    EXPECT_EQ(ids[0].first_ref.line + ids[0].first_ref.extra_line_offsets[0], 6u);
}

TEST_F(TrackIngest, KeepDuplicatesStoresEveryCopy) {
    Store store((test_dir() / "k.vw").string(), Access::read_write);
    IngestOptions o;
    o.duplicates = Duplicates::keep;
    Ingester ing(store, o);
    const FileResult r = ing.ingest_file((test_dir() / "in.nmea").string());
    EXPECT_EQ(r.positions, 4u);
    const auto ps = store.track(kMmsi, {});
    ASSERT_EQ(ps.size(), 4u);
    std::vector<std::uint64_t> lines;
    for (const auto& p : ps) lines.push_back(p.ref.line);
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<std::uint64_t>{1, 2, 3, 7}));
}

TEST_F(TrackIngest, SameFileTwiceAddsNothing) {
    Store store((test_dir() / "i.vw").string(), Access::read_write);
    Ingester ing(store, IngestOptions{});
    EXPECT_EQ(ing.ingest_file((test_dir() / "in.nmea").string()).outcome, FileResult::Outcome::ingested);
    std::filesystem::copy_file(test_dir() / "in.nmea", test_dir() / "copy.nmea");
    EXPECT_EQ(ing.ingest_file((test_dir() / "copy.nmea").string()).outcome,
              FileResult::Outcome::already_held);
    EXPECT_EQ(store.track(kMmsi, {}).size(), 2u);
    EXPECT_EQ(store.files().size(), 1u);
}

TEST_F(TrackIngest, UntimedNmeaNeedsAnOption) {
    {
        std::ofstream out(test_dir() / "untimed.nmea");
        out << "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\n";
    }
    Store store((test_dir() / "u.vw").string(), Access::read_write);
    {
        Ingester ing(store, IngestOptions{});
        EXPECT_THROW((void)ing.ingest_file((test_dir() / "untimed.nmea").string()), vw::InputError);
        EXPECT_TRUE(store.files().empty());  // nothing of the file is kept
    }
    IngestOptions skip;
    skip.missing_time = MissingTime::skip;
    Ingester ing(store, skip);
    const FileResult r = ing.ingest_file((test_dir() / "untimed.nmea").string());
    EXPECT_EQ(r.positions, 0u);
    EXPECT_EQ(r.cleaning[static_cast<std::size_t>(Cleaning::missing_time)], 1u);
}
