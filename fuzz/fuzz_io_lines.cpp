// Fuzz target: bytes -> memory source -> format detection (compression, zip archives, nesting) ->
// line reader with small limits -> consume every line of every source. Must never crash or hang;
// vw::Error (broken streams, limits) is the expected way to reject input.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

constexpr std::size_t kFuzzMaxLineBytes = 64;
constexpr std::size_t kFuzzReadChunkBytes = 37;  // odd size: line ends straddle buffer boundaries
constexpr std::uint64_t kFuzzMaxOutputBytes = std::uint64_t{256} << 10;
constexpr std::uint64_t kFuzzMaxRatio = 200;
constexpr std::uint64_t kFuzzGraceBytes = std::uint64_t{16} << 10;
constexpr int kFuzzMaxSources = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vw::io::InputOptions options;
    options.bomb.max_output_bytes = kFuzzMaxOutputBytes;
    options.bomb.max_ratio = kFuzzMaxRatio;
    options.bomb.ratio_grace_bytes = kFuzzGraceBytes;
    vw::io::InputWalker walker({}, options);
    walker.add(std::make_unique<vw::io::MemorySource>(
        "fuzz", std::string_view(reinterpret_cast<const char*>(data), size),
        vw::io::MemorySource::Borrowed::yes));
    const vw::io::LineOptions line_options{.max_line_bytes = kFuzzMaxLineBytes,
                                           .read_chunk_bytes = kFuzzReadChunkBytes};
    std::uint64_t checksum = 0;
    for (int n = 0; n < kFuzzMaxSources; ++n) {
        vw::io::Source* src = nullptr;
        try {
            src = walker.next();
        } catch (const vw::Error&) {
            continue;
        }
        if (src == nullptr) break;
        try {
            vw::io::LineReader reader(*src->bytes, line_options);
            std::uint64_t last = 0;
            reader.for_each([&](std::string_view line, std::uint64_t number) {
                if (line.empty() || line.size() > kFuzzMaxLineBytes || number <= last) __builtin_trap();
                for (const char c : line)
                    if (c == '\n' || c == '\r' || c == '\0') __builtin_trap();
                last = number;
                checksum += line.size();
            });
            if (reader.lines_seen() < last) __builtin_trap();
        } catch (const vw::Error&) {
        }
    }
    static volatile std::uint64_t sink;
    sink = checksum;
    return 0;
}
