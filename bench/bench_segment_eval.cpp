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
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vesselwatch/track/segment.hpp"
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
    double seconds = 0;
};

FileResult evaluate(const fs::path& path) {
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

    std::map<SegmentId, std::uint64_t> our_label;
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
        }
    }
    fr.positions = pair_counts(ours_pos, ref_pos);
    fr.all = pair_counts(ours_all, ref_all);
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
    PairCounts pos_total, all_total;
    std::size_t messages = 0, dropped = 0, ours = 0, ref = 0;
    double seconds = 0;
    std::printf("| file | messages | dropped by GFW | segments GFW / ours (positions) | positions P | positions R | all P | all R |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    try {
        for (const auto& f : files) {
            const FileResult r = evaluate(f);
            std::printf("| %s | %zu | %zu | %zu / %zu | %s | %s | %s | %s |\n", r.name.c_str(), r.messages,
                        r.dropped_by_gfw, r.ref_segments, r.our_segments, f3(r.positions.precision()).c_str(),
                        f3(r.positions.recall()).c_str(), f3(r.all.precision()).c_str(), f3(r.all.recall()).c_str());
            pos_total += r.positions;
            all_total += r.all;
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
    std::printf("| **overall (pairs summed over files)** | %zu | %zu | %zu / %zu | **%s** | **%s** | %s | %s |\n", messages,
                dropped, ref, ours, f3(pos_total.precision()).c_str(), f3(pos_total.recall()).c_str(),
                f3(all_total.precision()).c_str(), f3(all_total.recall()).c_str());
    std::printf("\nsegmenter: %zu messages in %.4f s = %.2f M msgs/s (one core, excluding JSON parsing)\n", messages,
                seconds, seconds > 0 ? static_cast<double>(messages) / seconds / 1e6 : 0.0);
    return 0;
}
