// In-process decoding speed (Google Benchmark). The corpus is loaded into memory once, from the file
// named by the environment variable VW_BENCH_CORPUS (bench/run.sh passes its replicated AMSA capture),
// or generated: kGeneratedMessages random type 1/3/18 position reports and two-part type 5 messages,
// written with the library's own sentence writer.
//
//   BM_NewlineScan            memchr newline count over the same bytes: the ceiling (items = lines)
//   BM_LineSplit              io::LineReader over the bytes (items = lines)
//   BM_Parse                  + nmea::LineContext (items = AIS sentences)
//   BM_ParseReassemble        + nmea::LineContext + nmea::Reassembler (items = complete messages)
//   BM_ParseReassembleDecode  + ais typed decode (items = decoded messages)
//   BM_DecodeToJson           + gpsd JSON into a memory vw::OutBuffer (items = messages written)
//   BM_PipelineFileToJson     the CLI's glue (pipeline::for_each_message) reading the corpus file,
//                             + decode + JSON into memory (items = messages written)
//
// One thread; bytes/s is the corpus size over the time.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/ais/bits.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/nmea/reassembler.hpp"
#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/nmea/writer.hpp"
#include "vesselwatch/pipeline/message_stream.hpp"
#include "vesselwatch/util/issues.hpp"
#include "vesselwatch/util/output.hpp"

namespace {

constexpr std::size_t kGeneratedMessages = 500'000;
constexpr unsigned kPositionReportBits = 168;
constexpr unsigned kStaticVoyageBits = 424;
constexpr std::int64_t kDegreesToTenThousandthsOfMinute = 600'000;

std::string armor(const vw::ais::Payload& p, unsigned& fill_bits) {
    std::string s;
    const std::size_t chars = (p.nbits + 5) / 6;
    fill_bits = static_cast<unsigned>(chars * 6 - p.nbits);
    vw::ais::BitReader r(p);
    for (std::size_t k = 0; k < chars; ++k) s += vw::ais::armor_char(static_cast<unsigned>(r.u(k * 6, 6)));
    return s;
}

/// A deterministic synthetic capture: 85% single-sentence position reports, 15% two-part type 5.
std::string generate_corpus() {
    std::mt19937_64 rng(20240501);
    auto uniform = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    vw::OutBuffer out;
    vw::nmea::SentenceOptions options;
    options.line_ending = vw::nmea::LineEnding::lf;
    vw::nmea::SentenceWriter writer(options);
    for (std::size_t k = 0; k < kGeneratedMessages; ++k) {
        vw::ais::Payload p;
        vw::ais::BitWriter w(p);
        const auto kind = uniform(0, 99);
        const auto mmsi = static_cast<std::uint64_t>(uniform(200'000'000, 775'999'999));
        if (kind < 85) {
            const unsigned type = kind < 60 ? 1u : (kind < 75 ? 3u : 18u);
            w.u(type, 6);
            w.u(0, 2);
            w.u(mmsi, 30);
            if (type == 18) {
                w.u(0, 8);
                w.u(static_cast<std::uint64_t>(uniform(0, 300)), 10);
                w.u(0, 1);
            } else {
                w.u(static_cast<std::uint64_t>(uniform(0, 8)), 4);
                w.s(uniform(-126, 126), 8);
                w.u(static_cast<std::uint64_t>(uniform(0, 300)), 10);
                w.u(1, 1);
            }
            w.s(uniform(-180 * kDegreesToTenThousandthsOfMinute, 180 * kDegreesToTenThousandthsOfMinute), 28);
            w.s(uniform(-90 * kDegreesToTenThousandthsOfMinute, 90 * kDegreesToTenThousandthsOfMinute), 27);
            w.u(static_cast<std::uint64_t>(uniform(0, 3599)), 12);
            w.u(static_cast<std::uint64_t>(uniform(0, 359)), 9);
            w.u(static_cast<std::uint64_t>(uniform(0, 59)), 6);
            while (w.size() < kPositionReportBits) w.u(static_cast<std::uint64_t>(uniform(0, 1)), 1);
        } else {
            w.u(5, 6);
            w.u(0, 2);
            w.u(mmsi, 30);
            w.u(0, 2);
            w.u(static_cast<std::uint64_t>(uniform(1'000'000, 9'999'999)), 30);
            w.text("SYNCALL", 7);
            w.text("SYNTHETIC VESSEL", 20);
            w.u(70, 8);
            w.u(100, 9);
            w.u(20, 9);
            w.u(10, 6);
            w.u(10, 6);
            w.u(1, 4);
            w.u(6, 4);
            w.u(15, 5);
            w.u(12, 5);
            w.u(30, 6);
            w.u(72, 8);
            w.text("NAMPO", 20);
            w.u(0, 2);
            while (w.size() < kStaticVoyageBits) w.u(0, 1);
        }
        unsigned fill = 0;
        const std::string payload = armor(p, fill);
        writer.write(out, payload, fill);
    }
    return std::string(out.view());
}

const std::string& corpus() {
    static const std::string bytes = [] {
        if (const char* path = std::getenv("VW_BENCH_CORPUS"); path != nullptr && *path != '\0') {
            std::ifstream f(path, std::ios::binary);
            if (!f) {
                std::fprintf(stderr, "bench_decode: cannot read VW_BENCH_CORPUS=%s\n", path);
                std::exit(2);
            }
            std::ostringstream ss;
            ss << f.rdbuf();
            std::fprintf(stderr, "bench_decode: corpus %s (%zu bytes)\n", path, ss.str().size());
            return ss.str();
        }
        std::string g = generate_corpus();
        std::fprintf(stderr, "bench_decode: generated corpus, %zu messages, %zu bytes\n", kGeneratedMessages,
                     g.size());
        return g;
    }();
    return bytes;
}

void finish(benchmark::State& state, std::uint64_t items_per_pass) {
    state.SetItemsProcessed(static_cast<std::int64_t>(items_per_pass) * state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(corpus().size()) * state.iterations());
    state.counters["items_per_pass"] = static_cast<double>(items_per_pass);
}

void BM_NewlineScan(benchmark::State& state) {
    const std::string& c = corpus();
    std::uint64_t lines = 0;
    for (auto _ : state) {
        lines = 0;
        const char* p = c.data();
        const char* const end = p + c.size();
        while (p < end) {
            const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
            if (nl == nullptr) break;
            ++lines;
            p = static_cast<const char*>(nl) + 1;
        }
        benchmark::DoNotOptimize(lines);
    }
    finish(state, lines);
}
BENCHMARK(BM_NewlineScan)->Unit(benchmark::kMillisecond);

void BM_LineSplit(benchmark::State& state) {
    const std::string& c = corpus();
    std::uint64_t lines = 0;
    for (auto _ : state) {
        vw::io::MemorySource src("corpus", std::string_view(c), vw::io::MemorySource::Borrowed::yes);
        vw::io::LineReader reader(src);
        lines = 0;
        std::uint64_t bytes = 0;
        reader.for_each([&](std::string_view text, std::uint64_t) {
            ++lines;
            bytes += text.size();
        });
        benchmark::DoNotOptimize(bytes);
    }
    finish(state, lines);
}
BENCHMARK(BM_LineSplit)->Unit(benchmark::kMillisecond);

void BM_Parse(benchmark::State& state) {
    const std::string& c = corpus();
    std::uint64_t sentences = 0;
    for (auto _ : state) {
        vw::io::MemorySource src("corpus", std::string_view(c), vw::io::MemorySource::Borrowed::yes);
        vw::io::LineReader reader(src);
        vw::nmea::LineContext ctx;
        vw::nmea::Sentence s;
        vw::IssueCounts issues;
        sentences = 0;
        std::uint64_t payload_chars = 0;
        reader.for_each([&](std::string_view text, std::uint64_t) {
            for (vw::nmea::ParseResult r = ctx.parse_line(text, s);
                 r.status != vw::nmea::LineStatus::end_of_line; r = ctx.next_unit(s)) {
                if (r.is_sentence()) {
                    ++sentences;
                    payload_chars += s.payload.size();
                } else if (r.status == vw::nmea::LineStatus::issue) {
                    issues.add(r.issue);
                }
            }
        });
        benchmark::DoNotOptimize(payload_chars);
    }
    finish(state, sentences);
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);

/// Lines -> sentences -> complete messages through the library's own glue (pipeline::for_each_message
/// on an in-memory source, the same code `decode` and `ingest` run); calls
/// on_message(const vw::nmea::Message&) for each.
template <class OnMessage>
void parse_and_reassemble(const std::string& c, vw::IssueCounts& issues, OnMessage&& on_message) {
    vw::io::MemorySource src("corpus", std::string_view(c), vw::io::MemorySource::Borrowed::yes);
    const vw::pipeline::StreamOptions options;
    vw::pipeline::StreamStats stats;
    vw::pipeline::for_each_message(src, options, stats,
                                   [&](const vw::pipeline::MessageOrigin& o) -> std::optional<vw::Issue> {
                                       on_message(o.nmea);
                                       return std::nullopt;
                                   });
    issues.merge(stats.issues);
}

void BM_ParseReassemble(benchmark::State& state) {
    const std::string& c = corpus();
    std::uint64_t messages = 0;
    for (auto _ : state) {
        vw::IssueCounts issues;
        messages = 0;
        std::uint64_t payload_chars = 0;
        parse_and_reassemble(c, issues, [&](const vw::nmea::Message& m) {
            ++messages;
            payload_chars += m.payload.size();
        });
        benchmark::DoNotOptimize(payload_chars);
    }
    finish(state, messages);
}
BENCHMARK(BM_ParseReassemble)->Unit(benchmark::kMillisecond);

/// (a) NMEA line parse + reassembly + typed decode.
void BM_ParseReassembleDecode(benchmark::State& state) {
    const std::string& c = corpus();
    std::uint64_t decoded = 0;
    for (auto _ : state) {
        vw::IssueCounts issues;
        decoded = 0;
        std::uint64_t mmsi_sum = 0;
        parse_and_reassemble(c, issues, [&](const vw::nmea::Message& m) {
            const vw::ais::DecodeResult r = vw::ais::decode(m.payload, m.fill_bits, [&](const auto& msg) {
                ++decoded;
                mmsi_sum += msg.mmsi;
            });
            if (r.issue) issues.add(*r.issue);
        });
        benchmark::DoNotOptimize(mmsi_sum);
    }
    finish(state, decoded);
}
BENCHMARK(BM_ParseReassembleDecode)->Unit(benchmark::kMillisecond);

/// (b) the above + gpsd JSON (with our rxtime/station/line) into a memory OutBuffer, emptied whenever
/// it holds more than the CLI's flush size, as the CLI's fd-backed buffer would be.
void BM_DecodeToJson(benchmark::State& state) {
    const std::string& c = corpus();
    std::uint64_t written = 0;
    vw::OutBuffer out;
    const std::string device = "corpus";
    for (auto _ : state) {
        vw::IssueCounts issues;
        written = 0;
        std::uint64_t json_bytes = 0;
        parse_and_reassemble(c, issues, [&](const vw::nmea::Message& m) {
            const vw::ais::DecodeResult r = vw::ais::decode(m.payload, m.fill_bits, [&](const auto& msg) {
                vw::ais::JsonMeta meta;
                meta.device = device;
                meta.rxtime_ms = m.receive_time_ms;
                meta.station = m.station;
                meta.line = m.first_line();
                vw::ais::write_json(out, msg, meta);
                ++written;
            });
            if (r.issue) issues.add(*r.issue);
            if (out.view().size() >= vw::OutBuffer::kDefaultCapacityBytes) {
                json_bytes += out.view().size();
                out.clear();
            }
        });
        json_bytes += out.view().size();
        out.clear();
        benchmark::DoNotOptimize(json_bytes);
        state.counters["json_bytes_per_pass"] = static_cast<double>(json_bytes);
    }
    finish(state, written);
}
BENCHMARK(BM_DecodeToJson)->Unit(benchmark::kMillisecond);

/// The CLI's own glue (pipeline::for_each_message) on the corpus file (page cache; read() copies),
/// + decode + JSON into memory: `vesselwatch decode FILE` without process start and output writes.
/// Only with VW_BENCH_CORPUS (the pipeline takes paths, not memory).
void BM_PipelineFileToJson(benchmark::State& state) {
    const char* path = std::getenv("VW_BENCH_CORPUS");
    if (path == nullptr || *path == '\0') {
        state.SkipWithError("needs VW_BENCH_CORPUS (pipeline::for_each_message reads paths only)");
        return;
    }
    (void)corpus();
    std::uint64_t written = 0;
    vw::OutBuffer out;
    const std::vector<std::string> inputs{path};
    for (auto _ : state) {
        vw::pipeline::StreamOptions options;
        vw::pipeline::StreamStats stats;
        written = 0;
        std::uint64_t json_bytes = 0;
        vw::pipeline::for_each_message(
            inputs, options, stats, [&](const vw::pipeline::MessageOrigin& origin) {
                const vw::nmea::Message& m = origin.nmea;
                const vw::ais::DecodeResult r = vw::ais::decode(m.payload, m.fill_bits, [&](const auto& msg) {
                    vw::ais::JsonMeta meta;
                    meta.device = origin.source;
                    meta.rxtime_ms = m.receive_time_ms;
                    meta.station = m.station;
                    meta.line = m.first_line();
                    vw::ais::write_json(out, msg, meta);
                    ++written;
                });
                if (out.view().size() >= vw::OutBuffer::kDefaultCapacityBytes) {
                    json_bytes += out.view().size();
                    out.clear();
                }
                return r.issue;
            });
        json_bytes += out.view().size();
        out.clear();
        benchmark::DoNotOptimize(json_bytes);
    }
    finish(state, written);
}
BENCHMARK(BM_PipelineFileToJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
