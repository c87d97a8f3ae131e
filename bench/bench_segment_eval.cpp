// Segmentation vs Global Fishing Watch's segmenter (issue 3): runs vw::track::Segmenter on each regression
// file of gpsdio-segment (../shared/data/tracks/gfw_segmenter/*.json, field "expected" = GFW's segment) and
// prints pairwise precision/recall per file and overall as a Markdown table, plus our throughput.
//
//   bench_segment_eval [DIR]     (default: $VW_SHARED/data/tracks/gfw_segmenter, else ../shared/…)
//
// Counting rule: only messages GFW assigned a segment (non-null "expected") count. "positions" compares
// the class A/B position reports with a usable position (types 1/2/3/18/19, lat/lon in range:
// has_usable_fix); "all" adds identity messages (5/24), type 27 long-range reports and fixes without a
// usable position, each of which GFW keeps in a single-timestamp segment of its own (observed in the
// labels) while we place them in a vessel's segment (type 27 by position, the others by identity/recency).
//
// "store" repeats the positions figure through the track store, as the product computes segments: the
// file's messages are stored as ingest stores them (positions in AIS units in per-day chunks, identity
// messages as identity records), recompute_segments runs, and the stored segment of each position is
// read back (Store::track_segmented, origin checked to be "stored").
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vesselwatch/track/segment.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/util/error.hpp"

namespace fs = std::filesystem;
using namespace vw::track;

namespace {

struct FileResult {
    std::string name;
    std::size_t messages = 0;
    std::size_t dropped_by_gfw = 0;
    std::size_t ref_segments = 0;  // GFW segments holding positions
    std::size_t our_segments = 0;  // our segments holding positions (counted messages)
    PairCounts positions;
    PairCounts all;
    PairCounts store;
    double seconds = 0;
};

std::int32_t ais_units(double deg) { return static_cast<std::int32_t>(std::lround(deg * kUnitsPerDegree)); }
std::uint16_t tenths(const std::optional<double>& v, double max, std::uint16_t unavailable) {
    if (!v || !std::isfinite(*v) || *v < 0 || *v >= max) return unavailable;
    return static_cast<std::uint16_t>(std::lround(*v * 10));
}

/// Segments of the positions of `rows` computed through a store (see the header); one id per row,
/// only meaningful for rows with a usable fix.
std::vector<std::int64_t> segments_through_store(const std::vector<GfwLabelledReport>& rows, std::uint32_t mmsi,
                                                 const fs::path& db_path) {
    for (const char* sfx : {"", "-wal", "-shm"}) fs::remove(db_path.string() + sfx);
    std::vector<std::int64_t> out(rows.size(), -1);
    {
        Store store(db_path.string(), Access::read_write);
        vw::db::Transaction tx(store.database());
        FileRecord f;
        f.path = f.abs_path = "gfw";
        f.sha256 = "gfw";
        f.format = "gfw";
        const std::int64_t file_id = store.insert_file(f);
        const std::uint32_t source = store.insert_source(file_id, "", "gfw");
        std::vector<Position> ps;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const SegReport& r = rows[i].report;
            if (has_usable_fix(r)) {
                Position p;
                p.mmsi = mmsi;
                p.time_ms = r.time_ms;
                p.lat = ais_units(r.fix->lat_deg);
                p.lon = ais_units(r.fix->lon_deg);
                p.sog = tenths(r.fix->speed_knots, kSogUnavailable / 10.0, kSogUnavailable);
                p.cog = tenths(r.fix->course_deg, 360.0, kCogUnavailable);
                p.type = static_cast<std::uint8_t>(rows[i].ais_type);
                p.ref.source_id = source;
                p.ref.line = i + 1;
                ps.push_back(p);
            }
            if (r.identity && !r.identity->empty()) {
                IdentityRecord rec;
                rec.mmsi = mmsi;
                rec.first_ms = rec.last_ms = r.time_ms;
                rec.reports = 1;
                rec.data.name = r.identity->name;
                rec.data.callsign = r.identity->callsign;
                rec.data.imo = r.identity->imo;
                rec.data.ship_type = r.identity->ship_type;
                rec.data.to_bow = r.identity->length_m;
                rec.data.to_port = static_cast<std::uint8_t>(std::min<unsigned>(r.identity->width_m, 255));
                rec.first_ref.source_id = source;
                rec.first_ref.line = rec.last_line = i + 1;
                store.insert_identity(rec);
            }
        }
        std::stable_sort(ps.begin(), ps.end(), [](const Position& a, const Position& b) { return a.time_ms < b.time_ms; });
        for (std::size_t start = 0, k = 1; k <= ps.size(); ++k)
            if (k == ps.size() || utc_day(ps[k].time_ms) != utc_day(ps[start].time_ms)) {
                store.insert_chunk(std::span<const Position>(ps.data() + start, k - start), 3);
                start = k;
            }
        store.mark_complete(file_id);
        tx.commit();
        const std::uint32_t mmsis[] = {mmsi};
        (void)recompute_segments(store, mmsis);
    }
    Store store(db_path.string(), Access::read_only);
    SegmentOrigin origin = SegmentOrigin::computed;
    const SegmentedTrack t = store.track_segmented(mmsi, {}, &origin);
    if (origin != SegmentOrigin::stored) throw vw::Error("segments were not stored");
    for (std::size_t k = 0; k < t.positions.size(); ++k) out[t.positions[k].ref.line - 1] = t.segment_ms[k];
    return out;
}

FileResult evaluate(const fs::path& path, const fs::path& db_path) {
    FileResult fr;
    fr.name = path.filename().string();
    const auto rows = read_gfw_segmenter_file(path.string());
    fr.messages = rows.size();
    std::vector<SegReport> reports;
    reports.reserve(rows.size());
    for (const auto& r : rows) reports.push_back(r.report);
    const std::uint32_t mmsi = rows.empty() ? 0 : rows.front().mmsi;
    const auto t0 = std::chrono::steady_clock::now();
    const auto ids = segment_reports(mmsi, reports);
    fr.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const std::vector<std::int64_t> stored = segments_through_store(rows, mmsi, db_path);
    std::map<SegmentId, std::uint64_t> our_label;
    std::map<std::int64_t, std::uint64_t> store_label;
    std::vector<std::uint64_t> store_pos;
    std::map<std::string, std::uint64_t> ref_label;
    std::vector<std::uint64_t> ours_pos, ref_pos, ours_all, ref_all;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].expected.empty()) {
            ++fr.dropped_by_gfw;
            continue;
        }
        const std::uint64_t o = our_label.try_emplace(ids[i], our_label.size()).first->second;
        const std::uint64_t g = ref_label.try_emplace(rows[i].expected, ref_label.size()).first->second;
        ours_all.push_back(o);
        ref_all.push_back(g);
        if (has_usable_fix(rows[i].report) && rows[i].ais_type != 27) {
            ours_pos.push_back(o);
            ref_pos.push_back(g);
            if (stored[i] < 0) throw vw::Error(fr.name + ": a position has no stored segment");
            store_pos.push_back(store_label.try_emplace(stored[i], store_label.size()).first->second);
        }
    }
    fr.positions = pair_counts(ours_pos, ref_pos);
    fr.all = pair_counts(ours_all, ref_all);
    fr.store = pair_counts(store_pos, ref_pos);
    std::vector<std::uint64_t> u = ours_pos, v = ref_pos;
    std::sort(u.begin(), u.end());
    std::sort(v.begin(), v.end());
    fr.our_segments = static_cast<std::size_t>(std::unique(u.begin(), u.end()) - u.begin());
    fr.ref_segments = static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin());
    return fr;
}

std::string f3(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", x);
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path dir;
    if (argc > 1) {
        dir = argv[1];
    } else if (const char* shared = std::getenv("VW_SHARED")) {
        dir = fs::path(shared) / "data/tracks/gfw_segmenter";
    } else {
        dir = "../shared/data/tracks/gfw_segmenter";
    }
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".json") files.push_back(e.path());
    if (ec || files.empty()) {
        std::fprintf(stderr, "bench_segment_eval: %s: no *.json files (%s)\n", dir.string().c_str(),
                     ec ? ec.message().c_str() : "empty");
        return 2;
    }
    std::sort(files.begin(), files.end());
    PairCounts pos_total, all_total, store_total;
    const fs::path db_path = fs::temp_directory_path() / ("bench_segment_eval_" + std::to_string(::getpid()) + ".vw");
    std::size_t messages = 0, dropped = 0, ours = 0, ref = 0;
    double seconds = 0;
    std::printf("| file | messages | dropped by GFW | segments GFW / ours (positions) | positions P | positions R | all P | all R | store P | store R |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    try {
        for (const auto& f : files) {
            const FileResult r = evaluate(f, db_path);
            std::printf("| %s | %zu | %zu | %zu / %zu | %s | %s | %s | %s | %s | %s |\n", r.name.c_str(), r.messages,
                        r.dropped_by_gfw, r.ref_segments, r.our_segments, f3(r.positions.precision()).c_str(),
                        f3(r.positions.recall()).c_str(), f3(r.all.precision()).c_str(), f3(r.all.recall()).c_str(),
                        f3(r.store.precision()).c_str(), f3(r.store.recall()).c_str());
            pos_total += r.positions;
            all_total += r.all;
            store_total += r.store;
            messages += r.messages;
            dropped += r.dropped_by_gfw;
            ours += r.our_segments;
            ref += r.ref_segments;
            seconds += r.seconds;
        }
    } catch (const vw::Error& e) {
        std::fprintf(stderr, "bench_segment_eval: %s\n", e.what());
        return 1;
    }
    for (const char* sfx : {"", "-wal", "-shm"}) fs::remove(db_path.string() + sfx);
    std::printf("| **overall (pairs summed over files)** | %zu | %zu | %zu / %zu | **%s** | **%s** | %s | %s | %s | %s |\n",
                messages, dropped, ref, ours, f3(pos_total.precision()).c_str(), f3(pos_total.recall()).c_str(),
                f3(all_total.precision()).c_str(), f3(all_total.recall()).c_str(), f3(store_total.precision()).c_str(),
                f3(store_total.recall()).c_str());
    std::printf("\nsegmenter: %zu messages in %.4f s = %.2f M msgs/s (one core, excluding JSON parsing)\n", messages,
                seconds, seconds > 0 ? static_cast<double>(messages) / seconds / 1e6 : 0.0);
    return 0;
}
