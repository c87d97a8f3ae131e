#include "vesselwatch/track/chunk.hpp"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "vesselwatch/util/error.hpp"

namespace vw::track {

namespace {

constexpr std::uint8_t kChunkFormatVersion = 1;
constexpr std::int64_t kMsPerSecond = 1000;
enum class TimeUnit : std::uint8_t { milliseconds = 0, seconds = 1 };

constexpr std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

/// Reads varints from a bounded buffer; a read past the end marks the reader bad (never UB).
class Reader {
public:
    Reader(const std::uint8_t* p, const std::uint8_t* end) noexcept : p_(p), end_(end) {}
    std::uint64_t varint() noexcept {
        std::uint64_t v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            if (p_ == end_) [[unlikely]] {
                bad_ = true;
                return 0;
            }
            const std::uint8_t b = *p_++;
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (b < 0x80) return v;
        }
        bad_ = true;
        return 0;
    }
    std::int64_t svarint() noexcept { return unzigzag(varint()); }
    const std::uint8_t* bytes(std::size_t n) noexcept {
        if (static_cast<std::size_t>(end_ - p_) < n) {
            bad_ = true;
            return nullptr;
        }
        const std::uint8_t* r = p_;
        p_ += n;
        return r;
    }
    [[nodiscard]] bool bad() const noexcept { return bad_; }
    [[nodiscard]] bool at_end() const noexcept { return p_ == end_; }

private:
    const std::uint8_t* p_;
    const std::uint8_t* end_;
    bool bad_ = false;
};

struct CctxDeleter {
    void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};
struct DctxDeleter {
    void operator()(ZSTD_DCtx* c) const noexcept { ZSTD_freeDCtx(c); }
};

ZSTD_CCtx* cctx() {
    thread_local std::unique_ptr<ZSTD_CCtx, CctxDeleter> c(ZSTD_createCCtx());
    return c.get();
}
ZSTD_DCtx* dctx() {
    thread_local std::unique_ptr<ZSTD_DCtx, DctxDeleter> c(ZSTD_createDCtx());
    return c.get();
}

template <class T, class F>
void delta_column(std::string& raw, std::span<const Position> ps, F get) {
    std::int64_t prev = 0;
    for (const Position& p : ps) {
        const auto v = static_cast<std::int64_t>(get(p));
        put_varint(raw, zigzag(v - prev));
        prev = v;
    }
}

template <class F>
void byte_column(std::string& raw, std::span<const Position> ps, F get) {
    for (const Position& p : ps) raw += static_cast<char>(get(p));
}

template <class T>
bool read_delta_column(Reader& r, std::vector<T>& out, std::size_t n) {
    out.resize(n);
    std::int64_t prev = 0;
    T* o = out.data();
    for (std::size_t k = 0; k < n; ++k) {
        prev += r.svarint();
        o[k] = static_cast<T>(prev);
    }
    return !r.bad();
}

template <class T>
bool read_byte_column(Reader& r, std::vector<T>& out, std::size_t n) {
    const std::uint8_t* p = r.bytes(n);
    if (p == nullptr) return false;
    out.resize(n);
    std::memcpy(out.data(), p, n);
    return true;
}

}  // namespace

namespace {
Position base_position(const ChunkColumns& c, std::size_t k) {
    Position p;
    p.mmsi = c.mmsi;
    p.time_ms = c.time_ms[k];
    p.lat = c.lat[k];
    p.lon = c.lon[k];
    p.sog = c.sog[k];
    p.cog = c.cog[k];
    p.heading = c.heading[k];
    p.turn = c.turn[k];
    p.status = c.status[k];
    p.type = c.type[k];
    p.flags = c.flags[k];
    p.receivers = c.receivers[k];
    p.ref.source_id = c.source_id;
    p.ref.line = c.line[k];
    p.ref.fragments = c.fragments[k];
    return p;
}
}  // namespace

Position ChunkColumns::at(std::size_t k) const {
    Position p = base_position(*this, k);
    if (p.ref.fragments > 1) {
        std::size_t off = 0;
        for (std::size_t j = 0; j < k; ++j) off += fragments[j] > 1 ? fragments[j] - 1u : 0u;
        for (std::size_t j = 0; j + 1 < p.ref.fragments && j < kMaxExtraLines; ++j)
            p.ref.extra_line_offsets[j] = extra_line_offsets[off + j];
    }
    return p;
}

std::vector<Position> ChunkColumns::positions() const {
    std::vector<Position> out;
    out.reserve(size());
    std::size_t off = 0;
    for (std::size_t k = 0; k < size(); ++k) {
        Position p = base_position(*this, k);
        if (fragments[k] > 1) {
            for (std::size_t j = 0; j + 1 < fragments[k] && j < kMaxExtraLines; ++j)
                p.ref.extra_line_offsets[j] = extra_line_offsets[off + j];
            off += fragments[k] - 1u;
        }
        out.push_back(p);
    }
    return out;
}

std::string encode_chunk(std::span<const Position> ps, int zstd_level, ChunkSummary& s) {
    s = ChunkSummary{};
    s.count = static_cast<std::uint32_t>(ps.size());
    if (ps.empty()) return {};
    s.t_min_ms = ps.front().time_ms;
    s.t_max_ms = ps.back().time_ms;
    s.lat_min = s.lat_max = ps.front().lat;
    s.lon_min = s.lon_max = ps.front().lon;
    s.line_min = s.line_max = ps.front().ref.line;
    bool whole_seconds = true;
    for (const Position& p : ps) {
        s.lat_min = std::min(s.lat_min, p.lat);
        s.lat_max = std::max(s.lat_max, p.lat);
        s.lon_min = std::min(s.lon_min, p.lon);
        s.lon_max = std::max(s.lon_max, p.lon);
        s.line_min = std::min(s.line_min, p.ref.line);
        s.line_max = std::max(s.line_max, p.ref.line);
        whole_seconds = whole_seconds && p.time_ms % kMsPerSecond == 0;
    }
    const std::int64_t div = whole_seconds ? kMsPerSecond : 1;

    std::string raw;
    raw.reserve(ps.size() * 16 + 32);
    raw += static_cast<char>(kChunkFormatVersion);
    put_varint(raw, ps.size());
    raw += static_cast<char>(whole_seconds ? TimeUnit::seconds : TimeUnit::milliseconds);
    put_varint(raw, zigzag(ps.front().time_ms / div));
    put_varint(raw, ps.front().ref.line);
    for (std::size_t k = 1; k < ps.size(); ++k)
        put_varint(raw, static_cast<std::uint64_t>((ps[k].time_ms - ps[k - 1].time_ms) / div));  // sorted
    delta_column<std::int32_t>(raw, ps, [](const Position& p) { return p.lat; });
    delta_column<std::int32_t>(raw, ps, [](const Position& p) { return p.lon; });
    delta_column<std::uint16_t>(raw, ps, [](const Position& p) { return p.sog; });
    delta_column<std::uint16_t>(raw, ps, [](const Position& p) { return p.cog; });
    delta_column<std::uint16_t>(raw, ps, [](const Position& p) { return p.heading; });
    for (std::size_t k = 1; k < ps.size(); ++k)
        put_varint(raw, zigzag(static_cast<std::int64_t>(ps[k].ref.line - ps[k - 1].ref.line)));
    byte_column(raw, ps, [](const Position& p) { return static_cast<std::uint8_t>(p.turn); });
    byte_column(raw, ps, [](const Position& p) { return p.status; });
    byte_column(raw, ps, [](const Position& p) { return p.type; });
    byte_column(raw, ps, [](const Position& p) { return p.flags; });
    byte_column(raw, ps, [](const Position& p) { return p.receivers; });
    byte_column(raw, ps, [](const Position& p) { return p.ref.fragments; });
    for (const Position& p : ps)
        for (std::size_t j = 0; j + 1 < p.ref.fragments && j < kMaxExtraLines; ++j)
            put_varint(raw, p.ref.extra_line_offsets[j]);

    std::string blob(ZSTD_compressBound(raw.size()), '\0');
    const std::size_t n = ZSTD_compressCCtx(cctx(), blob.data(), blob.size(), raw.data(), raw.size(), zstd_level);
    if (ZSTD_isError(n)) throw Error(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
    blob.resize(n);
    return blob;
}

void decode_chunk(std::string_view blob, ChunkColumns& out, std::string_view what) {
    auto corrupt = [&](const char* why) {
        return IoError(SourceLocation{std::string(what)}, std::string("corrupt position chunk: ") + why);
    };
    const unsigned long long raw_size = ZSTD_getFrameContentSize(blob.data(), blob.size());
    constexpr unsigned long long kMaxRawBytes = 1ULL << 30;
    if (raw_size == ZSTD_CONTENTSIZE_ERROR || raw_size == ZSTD_CONTENTSIZE_UNKNOWN || raw_size > kMaxRawBytes)
        throw corrupt("bad zstd frame");
    thread_local std::vector<std::uint8_t> raw;
    raw.resize(raw_size);
    const std::size_t n = ZSTD_decompressDCtx(dctx(), raw.data(), raw.size(), blob.data(), blob.size());
    if (ZSTD_isError(n) || n != raw_size) throw corrupt("zstd decompression failed");
    Reader r(raw.data(), raw.data() + n);
    const std::uint8_t* version = r.bytes(1);
    if (version == nullptr || *version != kChunkFormatVersion) throw corrupt("unknown chunk format version");
    const std::uint64_t count = r.varint();
    if (count > n) throw corrupt("count larger than the chunk");
    const std::uint8_t* unit = r.bytes(1);
    if (unit == nullptr || *unit > 1) throw corrupt("bad time unit");
    const std::int64_t div = *unit == 1 ? kMsPerSecond : 1;
    std::int64_t t = r.svarint();
    std::uint64_t line = r.varint();
    const auto cnt = static_cast<std::size_t>(count);
    out.time_ms.resize(cnt);
    out.line.resize(cnt);
    if (cnt > 0) out.time_ms[0] = t * div;
    for (std::size_t k = 1; k < cnt; ++k) {
        t += static_cast<std::int64_t>(r.varint());
        out.time_ms[k] = t * div;
    }
    bool ok = !r.bad() && read_delta_column(r, out.lat, cnt) && read_delta_column(r, out.lon, cnt) &&
              read_delta_column(r, out.sog, cnt) && read_delta_column(r, out.cog, cnt) &&
              read_delta_column(r, out.heading, cnt);
    if (!ok) throw corrupt("truncated column");
    if (cnt > 0) out.line[0] = line;
    for (std::size_t k = 1; k < cnt; ++k) {
        line += static_cast<std::uint64_t>(r.svarint());
        out.line[k] = line;
    }
    ok = !r.bad() && read_byte_column(r, out.turn, cnt) && read_byte_column(r, out.status, cnt) &&
         read_byte_column(r, out.type, cnt) && read_byte_column(r, out.flags, cnt) &&
         read_byte_column(r, out.receivers, cnt) && read_byte_column(r, out.fragments, cnt);
    if (!ok) throw corrupt("truncated byte column");
    out.extra_line_offsets.clear();
    for (std::size_t k = 0; k < cnt; ++k)
        for (std::size_t j = 1; j < out.fragments[k]; ++j)
            out.extra_line_offsets.push_back(static_cast<std::uint32_t>(r.varint()));
    if (r.bad() || !r.at_end()) throw corrupt("trailing or missing bytes");
}

}  // namespace vw::track
