// Screening the vessels of the track store (store_screening.hpp): identity history -> queries, the
// best match per entity over them, storing idempotently and reading the matches back.
#include <gtest/gtest.h>

#include "screen_test_util.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/screen/store_screening.hpp"

using namespace vw::screen;

namespace {

vw::track::IdentityRecord record(std::uint32_t mmsi, std::int64_t t, const char* name, std::uint32_t imo,
                                 const char* call, std::uint32_t source = 1) {
    vw::track::IdentityRecord r;
    r.mmsi = mmsi;
    r.first_ms = r.last_ms = t;
    r.reports = 1;
    r.data.name = name;
    r.data.imo = imo;
    r.data.callsign = call;
    r.first_ref.source_id = source;
    r.first_ref.line = static_cast<std::uint64_t>(t);
    return r;
}

}  // namespace

TEST(StoreScreening, IdentityHistoryToQueries) {
    const std::vector<vw::track::IdentityRecord> recs = {
        record(273355410, 1000, "HAI PENG 1", 9179842, "UBRH5"),
        record(273355410, 2000, "ANGARA", 9179842, "UBRH5"),
        record(273355410, 3000, "HAI PENG 1", 9179842, "UBRH5"),  // the old name again
        record(273355410, 4000, "NEW NAME", 9179843, ""),         // bad check digit: IMO not used
        record(273355410, 5000, "", 0, ""),                        // nothing beyond the MMSI
    };
    const auto ids = vessel_identities(273355410, recs);
    ASSERT_EQ(ids.size(), 2U);
    EXPECT_EQ(ids[0].key, "mmsi:273355410");
    EXPECT_EQ(ids[0].imo, "");
    EXPECT_EQ(ids[0].names, std::vector<std::string>{"NEW NAME"});
    EXPECT_EQ(ids[1].imo, "9179842");
    EXPECT_EQ(ids[1].call_sign, "UBRH5");
    EXPECT_EQ(ids[1].names, (std::vector<std::string>{"HAI PENG 1", "ANGARA"})) << "most recent first, distinct";
    for (const auto& id : ids) {
        EXPECT_EQ(id.mmsi, "273355410");
        EXPECT_EQ(id.flag, "RU") << "from the MID";
        EXPECT_EQ(id.key, ids[0].key);
    }
    const auto bare = vessel_identities(1234567, {});
    ASSERT_EQ(bare.size(), 1U) << "an MMSI without static data is still screened";
    EXPECT_EQ(bare[0].mmsi, "001234567");
    EXPECT_EQ(bare[0].key, "mmsi:001234567");
    EXPECT_TRUE(bare[0].names.empty());
}

TEST(StoreScreening, ScreenStoreIdempotentAndReadBack) {
    const auto dir = test::temp_dir("store_screening");
    const std::string xml = test::write_file(dir / "sdn.xml", test::generated_ofac_sdn_xml());
    const std::string db_path = (dir / "case.vw").string();
    vw::track::Store tracks(db_path, vw::track::Access::read_write);
    {
        vw::db::Transaction tx(tracks.database());
        vw::track::FileRecord f;
        f.path = f.abs_path = "sim.nmea";
        f.sha256 = std::string(64, '0');
        f.format = "nmea";
        const auto file_id = tracks.insert_file(f);
        const auto source = tracks.insert_source(file_id, "", "sim.nmea");
        // renamed since its designation, broadcasting its former name earlier; and an innocent vessel
        tracks.insert_identity(record(273111111, 1000, "HAI PENG 1", 0, "", source));
        tracks.insert_identity(record(273111111, 2000, "BLUE SKY", 0, "", source));
        tracks.insert_identity(record(257123450, 1000, "NORDIC STAR", 9074729, "LAXY3", source));
        tracks.mark_complete(file_id);
        tx.commit();
    }
    EXPECT_FALSE(has_active_lists(tracks.database()));
    EXPECT_TRUE(stored_vessel_matches(tracks.database()).empty()) << "no screen tables: nothing, nothing created";
    ListStore lists(tracks.database());
    const auto list_id = lists.import(load_list(xml)).list_id;
    EXPECT_TRUE(has_active_lists(tracks.database()));

    const auto rep = screen_store_vessels(tracks, lists, VesselSelection::all);
    EXPECT_TRUE(rep.lists_present);
    EXPECT_EQ(rep.vessels, 2U);
    EXPECT_EQ(rep.vessels_matched, 1U);
    const auto first = stored_vessel_matches(tracks.database());
    ASSERT_EQ(first.size(), 1U);
    const auto& m = first.at(273111111);
    ASSERT_FALSE(m.empty());
    EXPECT_EQ(m[0].entity_caption, "ANGARA");
    EXPECT_EQ(m[0].entity_source_id, "37059");
    EXPECT_EQ(m[0].queried_name, "HAI PENG 1") << "the past name matched";
    EXPECT_EQ(m[0].list_id, list_id);
    EXPECT_EQ(m[0].list_source, "ofac-sdn");
    EXPECT_EQ(m[0].list_publication_date, "2024-05-03");
    EXPECT_NE(m[0].explanation.find("former 'HAI PENG 1'"), std::string::npos) << m[0].explanation;

    // again, and only the given vessel: the same rows, not more
    (void)screen_store_vessels(tracks, lists, VesselSelection::all);
    const std::uint32_t one[] = {273111111};
    const auto rep2 = screen_store_vessels(tracks, lists, VesselSelection::given, one);
    EXPECT_EQ(rep2.vessels, 1U);
    const auto again = stored_vessel_matches(tracks.database());
    ASSERT_EQ(again.size(), 1U);
    EXPECT_EQ(again.at(273111111).size(), m.size());
}
