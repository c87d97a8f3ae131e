// Track store benchmarks (Google Benchmark): full scan of every position (all columns, and only time +
// lat/lon), chunk decoding alone (blobs preloaded: no SQLite), one vessel's track for a time range, and
// segmenting every vessel's history (recompute_segments without the writes).
// Reads an existing store built by bench/ingest.sh: set VW_BENCH_STORE=path/to/store.vw (and
// VW_BENCH_MMSI for the track query). Skips with a message when it is not set.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include <vector>

#include "vesselwatch/track/chunk.hpp"
#include "vesselwatch/track/store.hpp"

namespace {

const char* store_path() { return std::getenv("VW_BENCH_STORE"); }

void BM_ScanAllPositions(benchmark::State& state) {
    if (store_path() == nullptr) {
        state.SkipWithError("set VW_BENCH_STORE to a store built by bench/ingest.sh");
        return;
    }
    vw::track::Store store(store_path(), vw::track::Access::read_only);
    std::uint64_t n = 0;
    for (auto _ : state) {
        std::int64_t checksum = 0;
        store.scan([&](const vw::track::ChunkColumns& c) {
            n += c.size();
            checksum += c.lat.empty() ? 0 : c.lat.back();
        });
        benchmark::DoNotOptimize(checksum);
    }
    state.counters["positions/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScanAllPositions)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ScanTimeLatLon(benchmark::State& state) {
    if (store_path() == nullptr) {
        state.SkipWithError("set VW_BENCH_STORE to a store built by bench/ingest.sh");
        return;
    }
    vw::track::Store store(store_path(), vw::track::Access::read_only);
    std::uint64_t n = 0;
    for (auto _ : state) {
        std::int64_t checksum = 0;
        store.scan(
            [&](const vw::track::ChunkColumns& c) {
                n += c.size();
                checksum += c.lat.empty() ? 0 : c.lat.back() + c.lon.back() + c.time_ms.back();
            },
            vw::track::Columns::time | vw::track::Columns::position);
        benchmark::DoNotOptimize(checksum);
    }
    state.counters["positions/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScanTimeLatLon)->Unit(benchmark::kMillisecond)->UseRealTime();

// Decoding alone: every blob read into memory first, then decode_chunk over all of them.
void BM_DecodeChunksInMemory(benchmark::State& state) {
    if (store_path() == nullptr) {
        state.SkipWithError("set VW_BENCH_STORE to a store built by bench/ingest.sh");
        return;
    }
    vw::track::Store store(store_path(), vw::track::Access::read_only);
    std::vector<std::string> blobs;
    auto st = store.database().prepare("SELECT data FROM track_chunks");
    while (st.step()) blobs.emplace_back(st.blob(0));
    std::uint64_t n = 0;
    vw::track::ChunkColumns c;
    for (auto _ : state) {
        for (const auto& b : blobs) {
            vw::track::decode_chunk(b, c, "bench");
            n += c.size();
        }
        benchmark::DoNotOptimize(c.lat.data());
    }
    state.counters["positions/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DecodeChunksInMemory)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TrackOneDay(benchmark::State& state) {
    if (store_path() == nullptr || std::getenv("VW_BENCH_MMSI") == nullptr) {
        state.SkipWithError("set VW_BENCH_STORE and VW_BENCH_MMSI");
        return;
    }
    vw::track::Store store(store_path(), vw::track::Access::read_only);
    const auto mmsi = static_cast<std::uint32_t>(std::strtoul(std::getenv("VW_BENCH_MMSI"), nullptr, 10));
    vw::track::TrackFilter f;
    const char* from = std::getenv("VW_BENCH_FROM_MS");
    f.from_ms = from ? std::strtoll(from, nullptr, 10) : 1700000000000;
    f.to_ms = *f.from_ms + 6 * 3600 * 1000;
    std::size_t n = 0;
    for (auto _ : state) {
        n = store.track(mmsi, f).size();
        benchmark::DoNotOptimize(n);
    }
    state.counters["positions"] = static_cast<double>(n);
}
BENCHMARK(BM_TrackOneDay)->Unit(benchmark::kMillisecond);

// The same query with each position's segment (what `vesselwatch track` runs): stored segments when
// the store has them (recompute_segments ran), else computed from the vessel's whole history.
void BM_TrackSegmentedOneDay(benchmark::State& state) {
    if (store_path() == nullptr || std::getenv("VW_BENCH_MMSI") == nullptr) {
        state.SkipWithError("set VW_BENCH_STORE and VW_BENCH_MMSI");
        return;
    }
    vw::track::Store store(store_path(), vw::track::Access::read_only);
    const auto mmsi = static_cast<std::uint32_t>(std::strtoul(std::getenv("VW_BENCH_MMSI"), nullptr, 10));
    vw::track::TrackFilter f;
    const char* from = std::getenv("VW_BENCH_FROM_MS");
    f.from_ms = from ? std::strtoll(from, nullptr, 10) : 1700000000000;
    f.to_ms = *f.from_ms + 6 * 3600 * 1000;
    std::size_t n = 0;
    vw::track::SegmentOrigin origin = vw::track::SegmentOrigin::stored;
    for (auto _ : state) {
        n = store.track_segmented(mmsi, f, &origin).positions.size();
        benchmark::DoNotOptimize(n);
    }
    state.counters["positions"] = static_cast<double>(n);
    state.counters["stored_segments"] = origin == vw::track::SegmentOrigin::stored ? 1 : 0;
}
BENCHMARK(BM_TrackSegmentedOneDay)->Unit(benchmark::kMillisecond);

// The computing part of recompute_segments (what ingest runs after the files are complete): each
// vessel's history decoded and segmented, nothing written. Rate in positions per second of CPU time.
void BM_SegmentAllVessels(benchmark::State& state) {
    if (store_path() == nullptr) {
        state.SkipWithError("set VW_BENCH_STORE to a store built by bench/ingest.sh");
        return;
    }
    vw::track::Store store(store_path(), vw::track::Access::read_only);
    const std::vector<std::uint32_t> mmsis = store.mmsis();
    std::uint64_t n = 0, segments = 0;
    for (auto _ : state) {
        for (const std::uint32_t mmsi : mmsis) {
            const auto sg = store.segment_positions(mmsi);
            for (const auto& c : sg.chunks) n += c.segment_ms.size();
            segments += sg.segments.size();
        }
    }
    state.counters["positions/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
    state.counters["segments"] = static_cast<double>(segments) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SegmentAllVessels)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
