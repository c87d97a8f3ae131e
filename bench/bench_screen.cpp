// Screening speed against the full OFAC SDN CSV (14,965 entities) + UN consolidated list (1,003):
// batch queries per second on one core (top 5 with explanations) and single-query latency p50/p99.
// Inputs from $VW_SHARED (default ../shared): data/sanctions/ofac/sdn_2024-05-03.csv and
// data/sanctions/un/UN_consolidated_2026-02-27.xml. Queries: list names with typos, swapped words and
// dropped words (2/3) and invented names (1/3), deterministic.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/screen/matcher.hpp"

namespace {

using namespace vw::screen;

constexpr std::size_t kQueries = 3000;
constexpr std::uint32_t kSeed = 20240503;

struct Fixture {
    Screener screener;
    std::vector<Query> queries;
    bool ok = false;
    std::string error;
};

std::string shared_dir() {
    const char* env = std::getenv("VW_SHARED");
    return env != nullptr ? env : "../shared";
}

Fixture& fixture() {
    static Fixture f = [] {
        Fixture x;
        const std::string dir = shared_dir() + "/data/sanctions/";
        try {
            LoadedList ofac = load_list(dir + "ofac/sdn_2024-05-03.csv");
            LoadedList un = load_list(dir + "un/UN_consolidated_2026-02-27.xml");
            std::vector<Entity> all = ofac.entities;
            all.insert(all.end(), un.entities.begin(), un.entities.end());
            x.screener.add_list(ListRef{1, ofac.info}, std::move(ofac.entities));
            x.screener.add_list(ListRef{2, un.info}, std::move(un.entities));
            x.screener.build();
            std::mt19937 rng(kSeed);
            const char* syll[] = {"ka",  "ro",  "mi", "tan", "bel", "or", "su",
                                  "vek", "dra", "li", "mon", "zu",  "pe", "gra"};
            for (std::size_t i = 0; i < kQueries; ++i) {
                Query q;
                if (i % 3 == 2) {  // invented
                    for (int w = 0; w < 2 + static_cast<int>(rng() % 2); ++w) {
                        if (w > 0) q.name += ' ';
                        for (int s = 0; s < 2 + static_cast<int>(rng() % 2); ++s)
                            q.name += syll[rng() % std::size(syll)];
                    }
                } else {
                    const Entity& e = all[rng() % all.size()];
                    q.name = e.caption();
                    q.type = e.schema == Schema::vessel   ? QueryType::vessel
                             : e.schema == Schema::person ? QueryType::person
                                                          : QueryType::any;
                    if (rng() % 2 == 0 && q.name.size() > 4)
                        q.name[1 + rng() % (q.name.size() - 2)] = 'x';  // typo
                    if (rng() % 3 == 0) {                               // swap the first two words
                        const auto sp = q.name.find(' ');
                        if (sp != std::string::npos)
                            q.name = q.name.substr(sp + 1) + " " + q.name.substr(0, sp);
                    }
                    if (e.schema == Schema::vessel && rng() % 2 == 0)
                        if (auto imo = e.first_id(IdKind::imo)) q.imo = std::string(*imo);
                }
                x.queries.push_back(std::move(q));
            }
            x.ok = true;
        } catch (const std::exception& ex) {
            x.error = std::string(ex.what()) + " (set VW_SHARED to the shared/ folder)";
        }
        return x;
    }();
    return f;
}

void BM_ScreenBatchTop5Explained(benchmark::State& state) {
    Fixture& f = fixture();
    if (!f.ok) {
        state.SkipWithError(f.error.c_str());
        return;
    }
    ScreenOptions opt;
    opt.top_k = 5;
    opt.explain = true;
    std::size_t i = 0, matches = 0;
    for (auto _ : state) {
        auto m = f.screener.screen(f.queries[i], opt);
        matches += m.size();
        benchmark::DoNotOptimize(m);
        if (++i == f.queries.size()) i = 0;
    }
    state.counters["queries_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["matches_per_query"] =
        static_cast<double>(matches) / static_cast<double>(state.iterations());
    state.counters["entities"] = static_cast<double>(f.screener.size());
    state.counters["names"] = static_cast<double>(f.screener.name_count());
}
BENCHMARK(BM_ScreenBatchTop5Explained)->MinTime(3.0);

void BM_ScreenLatency(benchmark::State& state) {
    Fixture& f = fixture();
    if (!f.ok) {
        state.SkipWithError(f.error.c_str());
        return;
    }
    ScreenOptions opt;
    std::vector<double> us;
    us.reserve(f.queries.size());
    for (auto _ : state) {
        us.clear();
        for (const auto& q : f.queries) {
            const auto t0 = std::chrono::steady_clock::now();
            auto m = f.screener.screen(q, opt);
            benchmark::DoNotOptimize(m);
            us.push_back(
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        }
    }
    std::sort(us.begin(), us.end());
    state.counters["p50_us"] = us[us.size() / 2];
    state.counters["p99_us"] = us[us.size() * 99 / 100];
    state.counters["max_us"] = us.back();
}
BENCHMARK(BM_ScreenLatency)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_IndexBuild(benchmark::State& state) {
    const std::string dir = shared_dir() + "/data/sanctions/";
    LoadedList ofac, un;
    try {
        ofac = load_list(dir + "ofac/sdn_2024-05-03.csv");
        un = load_list(dir + "un/UN_consolidated_2026-02-27.xml");
    } catch (const std::exception& ex) {
        state.SkipWithError(ex.what());
        return;
    }
    for (auto _ : state) {
        Screener s;
        s.add_list(ListRef{1, ofac.info}, ofac.entities);
        s.add_list(ListRef{2, un.info}, un.entities);
        s.build();
        benchmark::DoNotOptimize(s);
    }
}
BENCHMARK(BM_IndexBuild)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
