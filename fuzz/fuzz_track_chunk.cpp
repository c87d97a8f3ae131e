// libFuzzer target: position chunk decoding from untrusted bytes (a corrupt or hostile store must give
// a clear error, never a crash). The first byte picks the mode:
//   even: the rest is a chunk blob as stored (zstd frame) — exercises the frame checks;
//   odd:  the rest is the *decompressed* chunk content, compressed here first — exercises the column
//         parser on arbitrary content, which a valid zstd frame of crafted bytes reaches.
// Properties checked on success: every column subset decodes too and gives the same columns; chunks
// within the writer's limits survive positions() -> encode_chunk -> decode_chunk unchanged.
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vesselwatch/track/chunk.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

constexpr int kFuzzZstdLevel = 1;

std::string compress(std::string_view raw) {
    std::string out(ZSTD_compressBound(raw.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), kFuzzZstdLevel);
    if (ZSTD_isError(n)) std::abort();
    out.resize(n);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string blob = (data[0] & 1) != 0 ? compress(rest) : std::string(rest);
    using vw::track::ChunkColumns;
    using vw::track::Columns;
    ChunkColumns full;
    try {
        vw::track::decode_chunk(blob, full, "fuzz");
    } catch (const vw::IoError& e) {
        if (std::string_view(e.what()).find("corrupt position chunk") == std::string_view::npos) std::abort();
        return 0;
    }
    // Subsets of a valid chunk decode and agree with the full decode.
    ChunkColumns part;
    vw::track::decode_chunk(blob, part, "fuzz", Columns::time | Columns::position);
    if (part.size() != full.size() || part.time_ms != full.time_ms || part.lat != full.lat || part.lon != full.lon ||
        !part.sog.empty())
        std::abort();
    vw::track::decode_chunk(blob, part, "fuzz", Columns::provenance);
    if (part.line != full.line || part.fragments != full.fragments || part.extra_line_offsets != full.extra_line_offsets)
        std::abort();

    // Round trip, for what the writer can produce (sorted times, at most 9 fragments).
    bool writable = true;
    for (std::size_t k = 0; k < full.size(); ++k) {
        writable = writable && full.fragments[k] >= 1 && full.fragments[k] <= vw::track::kMaxExtraLines + 1;
        writable = writable && (k == 0 || full.time_ms[k] >= full.time_ms[k - 1]);
    }
    if (!writable || full.size() == 0) return 0;
    const auto ps = full.positions();
    // Time differences must fit the writer's signed arithmetic.
    constexpr std::int64_t kTimeLimitMs = std::int64_t{1} << 61;
    if (ps.front().time_ms < -kTimeLimitMs || ps.back().time_ms > kTimeLimitMs) return 0;
    vw::track::ChunkSummary s;
    const std::string again = vw::track::encode_chunk(ps, kFuzzZstdLevel, s);
    ChunkColumns back;
    vw::track::decode_chunk(again, back, "fuzz round trip");
    if (back.time_ms != full.time_ms || back.lat != full.lat || back.lon != full.lon || back.sog != full.sog ||
        back.cog != full.cog || back.heading != full.heading || back.turn != full.turn ||
        back.status != full.status || back.type != full.type || back.flags != full.flags ||
        back.receivers != full.receivers || back.line != full.line ||
        back.fragments != full.fragments || back.extra_line_offsets != full.extra_line_offsets)
        std::abort();
    return 0;
}
