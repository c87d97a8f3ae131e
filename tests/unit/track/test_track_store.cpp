// Track store (issue 3): partial column decoding, corrupt chunks, stored segment ids (stability,
// stored == computed), and the GeoPackage writer's binary geometry and metadata tables.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <zstd.h>

#include <bit>
#include <cstring>
#include <filesystem>
#include <random>
#include <set>
#include <string>

#include "vesselwatch/track/chunk.hpp"
#include "vesselwatch/track/gpkg.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/util/error.hpp"

using namespace vw::track;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kDay0Ms = 1700006400000;  // 2023-11-15T00:00:00Z
constexpr std::int64_t kMsPerHour = 3600000;

std::string tmp_path(const std::string& name) {
    const fs::path dir = fs::path(VW_TEST_TMP) / "track_store";
    fs::create_directories(dir);
    const fs::path p = dir / name;
    for (const char* s : {"", "-wal", "-shm", "-journal"}) fs::remove(p.string() + s);
    return p.string();
}

std::vector<Position> random_positions(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<Position> ps;
    std::int64_t t = kDay0Ms + 5;
    for (std::size_t k = 0; k < n; ++k) {
        Position p;
        p.mmsi = 273444660;
        t += static_cast<std::int64_t>(rng() % 20000);
        p.time_ms = t;
        p.lat = static_cast<std::int32_t>(rng() % (180 * 600000)) - 90 * 600000;
        p.lon = static_cast<std::int32_t>(rng() % (360 * 600000)) - 180 * 600000;
        p.sog = static_cast<std::uint16_t>(rng() % 1024);
        p.cog = static_cast<std::uint16_t>(rng() % 3601);
        p.heading = static_cast<std::uint16_t>(rng() % 512);
        p.turn = static_cast<std::int8_t>(rng() % 256);
        p.status = static_cast<std::uint8_t>(rng() % 16);
        p.type = 1;
        p.receivers = static_cast<std::uint8_t>(1 + rng() % 3);
        p.ref.source_id = 1;
        p.ref.line = 10 + k * 2;
        p.ref.fragments = static_cast<std::uint8_t>(k % 7 == 0 ? 3 : 1);
        p.ref.extra_line_offsets[0] = 1;
        p.ref.extra_line_offsets[1] = 2;
        ps.push_back(p);
    }
    return ps;
}

/// A vessel steaming east at ~12 kn from (lat, lon), one fix a minute for `hours`.
std::vector<Position> steaming(std::uint32_t mmsi, std::int64_t t0, double lat, double lon, int hours,
                               std::uint32_t source_id, std::uint64_t first_line) {
    std::vector<Position> ps;
    for (int k = 0; k < hours * 60; ++k) {
        Position p;
        p.mmsi = mmsi;
        p.time_ms = t0 + k * 60000LL;
        p.lat = static_cast<std::int32_t>(lat * kUnitsPerDegree);
        p.lon = static_cast<std::int32_t>((lon + k * 0.2 / 60.0 / std::cos(lat * 3.14159265 / 180)) * kUnitsPerDegree);
        p.sog = 120;
        p.cog = 900;
        p.type = 1;
        p.ref.source_id = source_id;
        p.ref.line = first_line + static_cast<std::uint64_t>(k);
        ps.push_back(p);
    }
    return ps;
}

/// Stores `ps` (any order, one MMSI) as one complete file, split into per-day chunks as ingest does.
void store_file(Store& s, const std::string& name, std::vector<Position> ps) {
    vw::db::Transaction tx(s.database());
    FileRecord f;
    f.path = f.abs_path = name;
    f.sha256 = name;  // unique per test file
    f.format = "test";
    const std::int64_t file_id = s.insert_file(f);
    const std::uint32_t source = s.insert_source(file_id, "", name);
    std::stable_sort(ps.begin(), ps.end(), [](const Position& a, const Position& b) { return a.time_ms < b.time_ms; });
    for (auto& p : ps) p.ref.source_id = source;
    std::size_t start = 0;
    for (std::size_t k = 1; k <= ps.size(); ++k)
        if (k == ps.size() || utc_day(ps[k].time_ms) != utc_day(ps[start].time_ms)) {
            s.insert_chunk(std::span<const Position>(ps.data() + start, k - start), 3);
            start = k;
        }
    s.mark_complete(file_id);
    tx.commit();
}

}  // namespace

TEST(ChunkColumnsSubset, PartialDecodeEqualsFullDecode) {
    const auto ps = random_positions(5000, 7);
    ChunkSummary sum;
    const std::string blob = encode_chunk(ps, 3, sum);
    ChunkColumns full, part;
    decode_chunk(blob, full, "t");
    decode_chunk(blob, part, "t", Columns::time | Columns::position);
    ASSERT_EQ(part.size(), ps.size());
    EXPECT_EQ(part.time_ms, full.time_ms);
    EXPECT_EQ(part.lat, full.lat);
    EXPECT_EQ(part.lon, full.lon);
    EXPECT_TRUE(part.sog.empty());
    EXPECT_TRUE(part.line.empty());
    EXPECT_TRUE(part.fragments.empty());
    decode_chunk(blob, part, "t", Columns::provenance);
    EXPECT_TRUE(part.time_ms.empty());
    EXPECT_EQ(part.size(), ps.size());
    EXPECT_EQ(part.line, full.line);
    EXPECT_EQ(part.extra_line_offsets, full.extra_line_offsets);
    EXPECT_EQ(full.extra_line_offsets.size(), 2 * ((ps.size() + 6) / 7));
    // the decoded columns are those written
    for (std::size_t k = 0; k < ps.size(); ++k) {
        ASSERT_EQ(full.lat[k], ps[k].lat);
        ASSERT_EQ(full.heading[k], ps[k].heading);
    }
}

TEST(ChunkColumnsSubset, CorruptBlobsThrowWhateverColumnsAreAsked) {
    const auto ps = random_positions(300, 11);
    ChunkSummary sum;
    const std::string blob = encode_chunk(ps, 1, sum);
    ChunkColumns c;
    std::mt19937 rng(5);
    int thrown = 0, accepted = 0;
    for (int round = 0; round < 400; ++round) {
        std::string bad = blob;
        if (round % 2 == 0) {
            bad.resize(rng() % blob.size());
        } else {
            for (int k = 0; k < 3; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
        }
        for (const Columns cols : {Columns::all, Columns::time | Columns::position, Columns::provenance}) {
            try {
                decode_chunk(bad, c, "bad", cols);
                ++accepted;  // a flip inside the zstd literal bytes can still give a well-formed chunk
            } catch (const vw::IoError& e) {
                EXPECT_NE(std::string(e.what()).find("bad: corrupt position chunk"), std::string::npos) << e.what();
                ++thrown;
            }
        }
    }
    EXPECT_GT(thrown, 600);  // truncations always fail (zstd's content size check), most flips too
    (void)accepted;
}

// Found by fuzz/fuzz_track_chunk.cpp: a chunk of zero positions (raw bytes 01 00 00 00 2a: version 1,
// count 0, unit ms, t0 0, line 42) passed a null pointer to memcpy for its empty byte columns (UB,
// reported by UBSan). It decodes to an empty chunk.
TEST(ChunkColumnsSubset, FuzzRegressionEmptyChunk) {
    const std::string raw("\x01\x00\x00\x00\x2a", 5);
    std::string blob(ZSTD_compressBound(raw.size()), '\0');
    blob.resize(ZSTD_compress(blob.data(), blob.size(), raw.data(), raw.size(), 1));
    ChunkColumns c;
    decode_chunk(blob, c, "empty");
    EXPECT_EQ(c.size(), 0u);
    EXPECT_TRUE(c.turn.empty());
    EXPECT_TRUE(c.positions().empty());
}

TEST(StoreSegments, TwoVesselsOnOneMmsiGetTwoStableSegments) {
    const std::uint32_t mmsi = 412000001;
    const std::string path = tmp_path("two.vw");
    // Vessel A in the Yellow Sea, vessel B off Singapore, interleaved minute by minute, 3 h.
    auto a = steaming(mmsi, kDay0Ms + 3 * kMsPerHour, 35.0, 123.0, 3, 0, 1);
    auto b = steaming(mmsi, kDay0Ms + 3 * kMsPerHour + 30000, 1.2, 104.0, 3, 0, 10001);
    std::vector<Position> both = a;
    both.insert(both.end(), b.begin(), b.end());
    {
        Store s(path, Access::read_write);
        store_file(s, "day1", both);
        SegmentOrigin origin = SegmentOrigin::stored;
        const auto computed = s.segments(mmsi, &origin);
        EXPECT_EQ(origin, SegmentOrigin::computed);
        ASSERT_EQ(computed.size(), 2u);
        EXPECT_FALSE(s.segments_current(mmsi));
        EXPECT_EQ(s.mmsis_with_stale_segments(), std::vector<std::uint32_t>{mmsi});
        const std::uint32_t mmsis[] = {mmsi};
        const SegmentStats st = recompute_segments(s, mmsis);
        EXPECT_EQ(st.positions, both.size());
        EXPECT_EQ(st.segments, 2u);
        EXPECT_TRUE(s.segments_current(mmsi));
        EXPECT_TRUE(s.mmsis_with_stale_segments().empty());
    }
    Store s(path, Access::read_only);
    SegmentOrigin origin = SegmentOrigin::computed;
    const auto segs = s.segments(mmsi, &origin);
    EXPECT_EQ(origin, SegmentOrigin::stored);
    ASSERT_EQ(segs.size(), 2u);
    EXPECT_EQ(segs[0].id.to_string(), "412000001-2023-11-15T03:00:00Z");
    EXPECT_EQ(segs[1].id.to_string(), "412000001-2023-11-15T03:00:30Z");
    EXPECT_EQ(segs[0].positions, a.size());
    EXPECT_EQ(segs[1].positions, b.size());
    // Every position of A is in the first segment, of B in the second.
    const SegmentedTrack t = s.track_segmented(mmsi, {}, &origin);
    EXPECT_EQ(origin, SegmentOrigin::stored);
    ASSERT_EQ(t.positions.size(), both.size());
    for (std::size_t k = 0; k < t.positions.size(); ++k) {
        const bool is_a = t.positions[k].lat > 20 * kUnitsPerDegree;
        ASSERT_EQ(t.segment_ms[k], is_a ? segs[0].id.first_time_ms : segs[1].id.first_time_ms) << k;
    }
    // A time filter returns the same segment ids for the positions it keeps.
    TrackFilter f;
    f.from_ms = kDay0Ms + 4 * kMsPerHour;
    f.to_ms = kDay0Ms + 5 * kMsPerHour;
    const SegmentedTrack part = s.track_segmented(mmsi, f);
    ASSERT_EQ(part.positions.size(), 121u);
    for (std::size_t k = 0; k < part.positions.size(); ++k)
        EXPECT_EQ(part.segment_ms[k], part.positions[k].lat > 20 * kUnitsPerDegree ? segs[0].id.first_time_ms
                                                                                     : segs[1].id.first_time_ms);
}

TEST(StoreSegments, AppendingALaterDayKeepsEarlierIdsAndRerunsAreIdentical) {
    const std::uint32_t mmsi = 273000009;
    const std::string path = tmp_path("append.vw");
    Store s(path, Access::read_write);
    // Day 1: a vessel; then at 18:00 a second transmitter far away (spoofed copy).
    auto day1 = steaming(mmsi, kDay0Ms + 6 * kMsPerHour, 60.0, 20.0, 6, 0, 1);
    auto copy = steaming(mmsi, kDay0Ms + 18 * kMsPerHour, 43.0, 132.0, 4, 0, 5001);
    auto first = day1;
    first.insert(first.end(), copy.begin(), copy.end());
    store_file(s, "f1", first);
    std::vector<std::uint32_t> mmsis{mmsi};
    (void)recompute_segments(s, mmsis);
    const SegmentedTrack before = s.track_segmented(mmsi, {});
    const auto segs_before = s.segments(mmsi);
    ASSERT_EQ(segs_before.size(), 2u);

    // Day 2: the vessel goes on from where it was (continuing east), a new file.
    const auto& last = day1.back();
    auto day2 = steaming(mmsi, kDay0Ms + 24 * kMsPerHour + 7 * kMsPerHour, last.lat / double(kUnitsPerDegree),
                         last.lon / double(kUnitsPerDegree) + 0.5, 5, 0, 1);
    store_file(s, "f2", day2);
    EXPECT_FALSE(s.segments_current(mmsi));  // new positions without stored segments
    (void)recompute_segments(s, mmsis);
    const SegmentedTrack after = s.track_segmented(mmsi, {});
    ASSERT_EQ(after.positions.size(), before.positions.size() + day2.size());
    for (std::size_t k = 0; k < before.positions.size(); ++k) {
        ASSERT_EQ(after.positions[k].time_ms, before.positions[k].time_ms);
        ASSERT_EQ(after.segment_ms[k], before.segment_ms[k]) << "position " << k << " renumbered";
    }
    // Day 2 joined the vessel's segment (not the copy's, not a new one).
    EXPECT_EQ(after.segment_ms.back(), segs_before[0].id.first_time_ms);
    // Re-running changes nothing.
    (void)recompute_segments(s, mmsis);
    const SegmentedTrack again = s.track_segmented(mmsi, {});
    EXPECT_EQ(again.segment_ms, after.segment_ms);
    // And the stored result equals the on-the-fly one.
    const Store::Segmentation fresh = s.segment_positions(mmsi);
    const auto stored = s.segments(mmsi);
    ASSERT_EQ(fresh.segments.size(), stored.size());
    for (std::size_t k = 0; k < stored.size(); ++k) {
        EXPECT_EQ(fresh.segments[k].id, stored[k].id);
        EXPECT_EQ(fresh.segments[k].positions, stored[k].positions);
        EXPECT_EQ(fresh.segments[k].last_ms, stored[k].last_ms);
    }
}

// ---- GeoPackage -----------------------------------------------------------------------------------------

namespace {
double f64_at(const std::string& b, std::size_t off) {
    std::uint64_t v = 0;
    for (int k = 7; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[off + static_cast<std::size_t>(k)]);
    return std::bit_cast<double>(v);
}
std::uint32_t u32_at(const std::string& b, std::size_t off) {
    std::uint32_t v = 0;
    for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[off + static_cast<std::size_t>(k)]);
    return v;
}
}  // namespace

TEST(GeoPackage, BinaryGeometryHeaderAndWkb) {
    const std::string pt = gpkg::point_blob({132.5, 43.1});
    ASSERT_EQ(pt.size(), 8u + 21u);
    EXPECT_EQ(pt.substr(0, 2), "GP");
    EXPECT_EQ(pt[2], 0);     // version
    EXPECT_EQ(pt[3], 0x01);  // little endian, no envelope
    EXPECT_EQ(u32_at(pt, 4), 4326u);
    EXPECT_EQ(pt[8], 1);  // WKB little endian
    EXPECT_EQ(u32_at(pt, 9), 1u);
    EXPECT_EQ(f64_at(pt, 13), 132.5);
    EXPECT_EQ(f64_at(pt, 21), 43.1);

    const gpkg::LonLat line[] = {{10, 50}, {11, 49}, {12.5, 51}};
    const std::string ls = gpkg::linestring_blob(line);
    ASSERT_EQ(ls.size(), 8u + 32u + 9u + 3 * 16u);
    EXPECT_EQ(ls[3], 0x03);  // little endian, xy envelope
    EXPECT_EQ(f64_at(ls, 8), 10.0);   // min x
    EXPECT_EQ(f64_at(ls, 16), 12.5);  // max x
    EXPECT_EQ(f64_at(ls, 24), 49.0);  // min y
    EXPECT_EQ(f64_at(ls, 32), 51.0);  // max y
    EXPECT_EQ(u32_at(ls, 41), 2u);    // LineString
    EXPECT_EQ(u32_at(ls, 45), 3u);
    EXPECT_EQ(f64_at(ls, 49 + 32), 12.5);
    const gpkg::LonLat one[] = {{1, 2}};
    EXPECT_THROW((void)gpkg::linestring_blob(one), vw::Error);
}

TEST(GeoPackage, WriterCreatesTheRequiredTables) {
    const std::string path = tmp_path("w.gpkg");
    {
        gpkg::Writer w(path);
        auto& pts = w.add_feature_layer("pts", gpkg::GeometryType::point,
                                        {{"name", gpkg::FieldType::text}, {"n", gpkg::FieldType::integer}}, "points");
        pts.set(0, std::string_view("a")).set(1, std::int64_t{7});
        pts.insert_point({-5, 40});
        pts.insert_point({3, 42});  // fields unset: NULL
        auto& attrs = w.add_attribute_table("attrs", {{"x", gpkg::FieldType::real}}, "");
        attrs.set(0, 1.5);
        attrs.insert();
        EXPECT_THROW(attrs.insert_point({0, 0}), vw::Error);
        EXPECT_THROW(w.add_feature_layer("bad name", gpkg::GeometryType::point, {}, ""), vw::Error);
        w.finish();
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    auto one = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
        std::string v;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
            v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return v;
    };
    EXPECT_EQ(one("PRAGMA application_id"), std::to_string(0x47504B47));
    EXPECT_EQ(one("PRAGMA user_version"), "10300");
    EXPECT_EQ(one("PRAGMA journal_mode"), "delete");
    EXPECT_EQ(one("SELECT group_concat(srs_id) FROM (SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id)"),
              "-1,0,4326");
    EXPECT_EQ(one("SELECT data_type || ',' || srs_id || ',' || min_x || ',' || max_y FROM gpkg_contents "
                  "WHERE table_name = 'pts'"),
              "features,4326,-5.0,42.0");
    EXPECT_EQ(one("SELECT data_type FROM gpkg_contents WHERE table_name = 'attrs'"), "attributes");
    EXPECT_EQ(one("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'pts'"), "POINT");
    EXPECT_EQ(one("SELECT count(*) || ',' || count(name) FROM pts"), "2,1");
    EXPECT_EQ(one("SELECT count(*) FROM sqlite_master WHERE name = 'vw_schema'"), "0");
    EXPECT_EQ(one("PRAGMA integrity_check"), "ok");
    sqlite3_close(db);
}

// Store::MmsiReader (the segment pass's reader: statements prepared once, complete sources read
// once) returns exactly what Store::scan(f, columns, mmsi) and Store::identities(mmsi) return, for
// MMSIs read in any order and again, and leaves out files that are not complete, as they do.
TEST(StoreMmsiReader, SameChunksAndIdentitiesAsThePerCallQueries) {
    const std::string path = tmp_path("mmsi_reader.vw");
    Store s(path, Access::read_write);
    const std::uint32_t m1 = 412000001, m2 = 412000002, m3 = 412000003, absent = 412000009;
    auto p1 = steaming(m1, kDay0Ms, 35.0, 123.0, 30, 0, 1);  // spans two UTC days: two chunks
    auto p2 = steaming(m2, kDay0Ms + kMsPerHour, 1.2, 104.0, 2, 0, 5001);
    store_file(s, "f1", p1);
    store_file(s, "f2", p2);
    auto add_identity = [&](std::uint32_t mmsi, std::uint32_t source, std::int64_t t, const char* name) {
        IdentityRecord r;
        r.mmsi = mmsi;
        r.first_ms = t;
        r.last_ms = t + kMsPerHour;
        r.reports = 3;
        r.data.name = name;
        r.data.imo = 9074729;
        r.first_ref.source_id = source;
        r.first_ref.line = 7;
        r.last_line = 9;
        s.insert_identity(r);
    };
    add_identity(m1, 1, kDay0Ms, "FIRST");
    add_identity(m1, 1, kDay0Ms + 5 * kMsPerHour, "RENAMED");
    add_identity(m2, 2, kDay0Ms, "SECOND");
    {
        // A file that never completed: its chunk and identity must not be read.
        vw::db::Transaction tx(s.database());
        FileRecord f;
        f.path = f.abs_path = "partial";
        f.sha256 = "partial";
        f.format = "test";
        const std::int64_t file_id = s.insert_file(f);
        const std::uint32_t source = s.insert_source(file_id, "", "partial");
        auto p3 = steaming(m3, kDay0Ms, 10.0, 10.0, 1, source, 1);
        s.insert_chunk(p3, 3);
        auto p1b = steaming(m1, kDay0Ms + 2 * kMsPerHour, 35.0, 123.0, 1, source, 1);
        s.insert_chunk(p1b, 3);
        add_identity(m3, source, kDay0Ms, "PARTIAL");
        tx.commit();
    }
    const Columns cols = Columns::time | Columns::position | Columns::motion | Columns::provenance;
    auto flatten = [](std::vector<std::vector<std::int64_t>>& out) {
        return [&out](const ChunkColumns& c) {
            std::vector<std::int64_t> v{c.chunk_id, c.mmsi, c.source_id, static_cast<std::int64_t>(c.size())};
            for (std::size_t k = 0; k < c.size(); ++k) {
                v.push_back(c.time_ms[k]);
                v.push_back(c.lat[k]);
                v.push_back(c.lon[k]);
                v.push_back(c.sog[k]);
                v.push_back(c.cog[k]);
                v.push_back(static_cast<std::int64_t>(c.line[k]));
            }
            out.push_back(std::move(v));
        };
    };
    auto same_identities = [](const std::vector<IdentityRecord>& a, const std::vector<IdentityRecord>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t k = 0; k < a.size(); ++k)
            if (a[k].id != b[k].id || a[k].mmsi != b[k].mmsi || a[k].first_ms != b[k].first_ms ||
                a[k].last_ms != b[k].last_ms || a[k].data.name != b[k].data.name ||
                a[k].first_ref.source_id != b[k].first_ref.source_id || a[k].last_line != b[k].last_line)
                return false;
        return true;
    };
    Store::MmsiReader reader(s);
    std::size_t chunks_seen = 0;
    for (const std::uint32_t mmsi : {m1, m2, m3, absent, m1, m2}) {
        SCOPED_TRACE(mmsi);
        std::vector<std::vector<std::int64_t>> expected, got;
        s.scan(flatten(expected), cols, mmsi);
        ChunkColumns c;
        reader.scan_blobs(
            [&](std::int64_t chunk_id, std::uint32_t source_id, std::string_view blob) {
                decode_chunk(blob, c, "chunk " + std::to_string(chunk_id), cols);
                c.chunk_id = chunk_id;
                c.mmsi = mmsi;
                c.source_id = source_id;
                flatten(got)(c);
            },
            mmsi);
        EXPECT_EQ(got, expected);
        chunks_seen += got.size();
        const auto ids = reader.identities(mmsi);
        EXPECT_TRUE(same_identities(ids, s.identities(mmsi)));
        if (mmsi == m3 || mmsi == absent) {
            EXPECT_TRUE(got.empty());
            EXPECT_TRUE(ids.empty());
        }
        if (mmsi == m1) {
            ASSERT_EQ(ids.size(), 2u);
            EXPECT_EQ(ids[1].data.name, "RENAMED");
        }
    }
    EXPECT_EQ(chunks_seen, 2 * (2 + 1));  // m1: two days, m2: one; each read twice
}

// recompute_segments works through the MMSIs in groups: two threads decode and segment one group while
// the store's thread reads the next and writes the last. For 200 MMSIs (4 groups) what it stores must
// equal what segment_positions() computes for each MMSI alone; a corrupt chunk in the third group must
// stop it with the chunk named (the error raised on whichever thread decoded it) and leave the stored
// segments as they were.
TEST(StoreSegments, GroupsOfMmsisEqualOneAtATimeAndACorruptChunkStopsCleanly) {
    const std::string path = tmp_path("groups.vw");
    Store s(path, Access::read_write);
    std::vector<std::uint32_t> mmsis;
    for (std::uint32_t k = 0; k < 200; ++k) {
        const std::uint32_t mmsi = 200000000 + k;
        auto ps = steaming(mmsi, kDay0Ms + (k % 5) * kMsPerHour, -40.0 + k * 0.3, 10.0 + k * 0.5, 2, 0, 1);
        if (k % 3 == 0) {  // a second transmitter far away on every third MMSI: two segments
            auto copy = steaming(mmsi, kDay0Ms + 2 * kMsPerHour + 30000, 10.0, -30.0, 1, 0, 5001);
            ps.insert(ps.end(), copy.begin(), copy.end());
        }
        store_file(s, "g" + std::to_string(k), ps);
        mmsis.push_back(mmsi);
    }
    std::vector<std::vector<SegmentSummary>> alone;
    for (const std::uint32_t m : mmsis) alone.push_back(s.segment_positions(m).segments);
    const SegmentStats st = recompute_segments(s, mmsis);
    EXPECT_EQ(st.mmsis, 200u);
    std::uint64_t two = 0;
    for (std::size_t k = 0; k < mmsis.size(); ++k) {
        SegmentOrigin origin = SegmentOrigin::computed;
        const auto stored = s.segments(mmsis[k], &origin);
        ASSERT_EQ(origin, SegmentOrigin::stored) << mmsis[k];
        ASSERT_EQ(stored.size(), alone[k].size()) << mmsis[k];
        for (std::size_t i = 0; i < stored.size(); ++i) {
            EXPECT_EQ(stored[i].id.first_time_ms, alone[k][i].id.first_time_ms);
            EXPECT_EQ(stored[i].positions, alone[k][i].positions);
        }
        two += stored.size() == 2 ? 1 : 0;
    }
    EXPECT_EQ(two, 67u);

    // Corrupt MMSI 200000150's chunk (third group of 64), then recompute everything.
    {
        vw::db::Transaction tx(s.database());
        auto up = s.database().prepare("UPDATE track_chunks SET data = substr(data, 1, length(data) / 2) WHERE mmsi = ?1");
        up.bind(1, std::int64_t{200000150}).run();
        tx.commit();
    }
    try {
        (void)recompute_segments(s, mmsis);
        ADD_FAILURE() << "a corrupt chunk was segmented";
    } catch (const vw::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("corrupt position chunk"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(path + " chunk "), std::string::npos) << e.what();
    }
    // nothing of the failed run was kept: the earlier segments are still there, current or not
    const auto after = s.segments(200000000);
    ASSERT_EQ(after.size(), alone[0].size());
    EXPECT_EQ(after[0].id.first_time_ms, alone[0][0].id.first_time_ms);
    auto n = s.database().prepare("SELECT count(*) FROM track_segments");
    ASSERT_TRUE(n.step());
    EXPECT_EQ(n.int64(0), 267);
}
