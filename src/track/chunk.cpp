#include "vesselwatch/track/chunk.hpp"

#include <zstd.h>

#include <algorithm>
#include <bit>
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

/// Writes v as a LEB128 varint at w; returns the end.
char* put_varint(char* w, std::uint64_t v) noexcept {
    while (v >= 0x80) {
        *w++ = static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    *w++ = static_cast<char>(v);
    return w;
}

/// Most bytes one position takes in the raw chunk: time delta, 5 delta columns and the line delta
/// (a 64-bit varint each, 10 bytes at most), 6 byte columns, the extra fragments' line offsets (32-bit
/// varints). The raw chunk is written into a buffer of that size, through a plain pointer.
constexpr std::size_t kMaxRawBytesPerPosition = 7 * 10 + 6 + kMaxExtraLines * 5;
constexpr std::size_t kMaxRawHeaderBytes = 1 + 10 + 1 + 10 + 10;

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

template <class F>
char* delta_column(char* w, std::span<const Position> ps, F get) noexcept {
    std::int64_t prev = 0;
    for (const Position& p : ps) {
        const auto v = static_cast<std::int64_t>(get(p));
        w = put_varint(w, zigzag(v - prev));
        prev = v;
    }
    return w;
}

template <class F>
char* byte_column(char* w, std::span<const Position> ps, F get) noexcept {
    for (const Position& p : ps) *w++ = static_cast<char>(get(p));
    return w;
}

// ---- decoding ------------------------------------------------------------------------------------------
// The decompressed chunk is followed by kPadBytes zero bytes, so a varint read never needs a bounds
// check per byte: a varint starting at or before the end terminates within the padding (a zero byte
// ends it), and each column loop checks once per value that it has not started past the end.
constexpr std::size_t kMaxVarintBytes = 10;
constexpr std::size_t kPadBytes = 16;
static_assert(kPadBytes >= kMaxVarintBytes);

[[gnu::always_inline]] inline const std::uint8_t* get_varint(const std::uint8_t* p, std::uint64_t& v) noexcept {
    std::uint64_t b = p[0];
    if (b < 0x80) [[likely]] {
        v = b;
        return p + 1;
    }
    std::uint64_t r = b & 0x7f;
    b = p[1];
    r |= (b & 0x7f) << 7;
    if (b < 0x80) {
        v = r;
        return p + 2;
    }
    b = p[2];
    r |= (b & 0x7f) << 14;
    if (b < 0x80) {
        v = r;
        return p + 3;
    }
    for (unsigned k = 3; k < kMaxVarintBytes; ++k) {
        b = p[k];
        r |= (b & 0x7f) << (7 * k);
        if (b < 0x80) {
            v = r;
            return p + k + 1;
        }
    }
    v = 0;
    return nullptr;  // more than 10 bytes: corrupt
}

/// A cursor over the padded buffer [p, end) (+ kPadBytes zeros).
struct Cursor {
    const std::uint8_t* p;
    const std::uint8_t* end;
    bool bad = false;

    std::uint64_t varint() noexcept {
        if (p > end) [[unlikely]] {
            bad = true;
            return 0;
        }
        std::uint64_t v = 0;
        const std::uint8_t* q = get_varint(p, v);
        if (q == nullptr || q > end) [[unlikely]] {
            bad = true;
            return 0;
        }
        p = q;
        return v;
    }
    const std::uint8_t* bytes(std::size_t n) noexcept {
        if (p > end || static_cast<std::size_t>(end - p) < n) {
            bad = true;
            return nullptr;
        }
        const std::uint8_t* r = p;
        p += n;
        return r;
    }
};

/// n delta-coded varints (zigzag when ZigZag) into o[0..n): o[k] = (prev += delta_k) * mul. Unsigned
/// (wrapping) sums: a corrupt chunk gives wrong values, never signed overflow. Fast paths for 8 one-byte
/// and 4 two-byte varints read as one 64-bit word (the common cases: speeds, courses, times, lines;
/// lat/lon deltas of a moving ship), else one varint at a time.
template <bool ZigZag, class T>
bool decode_deltas(Cursor& c, T* o, std::size_t n, std::uint64_t prev, std::uint64_t mul) {
    static_assert(std::endian::native == std::endian::little, "the word fast paths assume little endian");
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    constexpr std::uint64_t kTwoByteHigh = 0x0080008000800080ULL;  // continuation bit on bytes 0, 2, 4, 6
    auto delta = [](std::uint64_t v) -> std::uint64_t {
        if constexpr (ZigZag)
            return static_cast<std::uint64_t>(unzigzag(v));
        else
            return v;
    };
    const std::uint8_t* p = c.p;
    const std::uint8_t* const end = c.end;
    std::size_t k = 0;
    while (k < n) {
        if (p >= end) [[unlikely]]
            return c.bad = true, false;
        if (k + 8 <= n && end - p >= 8) {
            std::uint64_t x;
            std::memcpy(&x, p, 8);
            const std::uint64_t hi = x & kHighBits;
            if (hi == 0) {
                for (unsigned j = 0; j < 8; ++j) {
                    prev += delta((x >> (8 * j)) & 0xff);
                    o[k + j] = static_cast<T>(static_cast<std::int64_t>(prev * mul));
                }
                k += 8;
                p += 8;
                continue;
            }
            if (hi == kTwoByteHigh && k + 4 <= n) {
                for (unsigned j = 0; j < 4; ++j) {
                    const std::uint64_t w = x >> (16 * j);
                    prev += delta((w & 0x7f) | ((w >> 1) & 0x3f80));
                    o[k + j] = static_cast<T>(static_cast<std::int64_t>(prev * mul));
                }
                k += 4;
                p += 8;
                continue;
            }
        }
        std::uint64_t v;
        p = get_varint(p, v);
        if (p == nullptr) [[unlikely]]
            return c.bad = true, false;
        prev += delta(v);
        o[k] = static_cast<T>(static_cast<std::int64_t>(prev * mul));
        ++k;
    }
    if (p > end) return c.bad = true, false;
    c.p = p;
    return true;
}

/// Skips n varints: counts their terminators (bytes < 0x80).
bool skip_varints(Cursor& c, std::size_t n) {
    const std::uint8_t* p = c.p;
    std::size_t seen = 0;
    while (seen < n) {
        if (p >= c.end) return c.bad = true, false;
        seen += *p++ < 0x80 ? 1u : 0u;
    }
    c.p = p;
    return true;
}

/// n zigzag-delta varints into `out` (resized), or skipped when out is null.
template <class T>
bool read_delta_column(Cursor& c, std::vector<T>* out, std::size_t n) {
    if (out == nullptr) return skip_varints(c, n);
    out->resize(n);
    return decode_deltas<true>(c, out->data(), n, 0, 1);
}

template <class T>
bool read_byte_column(Cursor& c, std::vector<T>* out, std::size_t n) {
    const std::uint8_t* p = c.bytes(n);
    if (p == nullptr) return false;
    if (out != nullptr) {
        out->resize(n);
        if (n > 0) std::memcpy(out->data(), p, n);  // data() may be null when empty (found by fuzzing)
    }
    return true;
}

template <class T>
std::vector<T>* want(std::vector<T>& v, Columns set, Columns c) {
    if (has(set, c)) return &v;
    v.clear();
    return nullptr;
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

    // Reused per thread: a fresh buffer of this size would be zero-filled (or faulted in) per chunk.
    thread_local std::vector<char> raw, packed;
    const std::size_t bound = kMaxRawHeaderBytes + ps.size() * kMaxRawBytesPerPosition;
    if (raw.size() < bound) raw.resize(bound);
    char* w = raw.data();
    *w++ = static_cast<char>(kChunkFormatVersion);
    w = put_varint(w, ps.size());
    *w++ = static_cast<char>(whole_seconds ? TimeUnit::seconds : TimeUnit::milliseconds);
    w = put_varint(w, zigzag(ps.front().time_ms / div));
    w = put_varint(w, ps.front().ref.line);
    for (std::size_t k = 1; k < ps.size(); ++k)
        w = put_varint(w, static_cast<std::uint64_t>((ps[k].time_ms - ps[k - 1].time_ms) / div));  // sorted
    w = delta_column(w, ps, [](const Position& p) { return p.lat; });
    w = delta_column(w, ps, [](const Position& p) { return p.lon; });
    w = delta_column(w, ps, [](const Position& p) { return p.sog; });
    w = delta_column(w, ps, [](const Position& p) { return p.cog; });
    w = delta_column(w, ps, [](const Position& p) { return p.heading; });
    for (std::size_t k = 1; k < ps.size(); ++k)
        w = put_varint(w, zigzag(static_cast<std::int64_t>(ps[k].ref.line - ps[k - 1].ref.line)));
    w = byte_column(w, ps, [](const Position& p) { return static_cast<std::uint8_t>(p.turn); });
    w = byte_column(w, ps, [](const Position& p) { return p.status; });
    w = byte_column(w, ps, [](const Position& p) { return p.type; });
    w = byte_column(w, ps, [](const Position& p) { return p.flags; });
    w = byte_column(w, ps, [](const Position& p) { return p.receivers; });
    w = byte_column(w, ps, [](const Position& p) { return p.ref.fragments; });
    for (const Position& p : ps)
        for (std::size_t j = 0; j + 1 < p.ref.fragments && j < kMaxExtraLines; ++j)
            w = put_varint(w, p.ref.extra_line_offsets[j]);
    const auto raw_size = static_cast<std::size_t>(w - raw.data());

    const std::size_t packed_bound = ZSTD_compressBound(raw_size);
    if (packed.size() < packed_bound) packed.resize(packed_bound);
    const std::size_t n = ZSTD_compressCCtx(cctx(), packed.data(), packed.size(), raw.data(), raw_size, zstd_level);
    if (ZSTD_isError(n)) throw Error(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
    return std::string(packed.data(), n);
}

void decode_chunk(std::string_view blob, ChunkColumns& out, std::string_view what) {
    decode_chunk(blob, out, what, Columns::all);
}

void decode_chunk(std::string_view blob, ChunkColumns& out, std::string_view what, Columns cols) {
    auto corrupt = [&](const char* why) {
        return IoError(SourceLocation{std::string(what)}, std::string("corrupt position chunk: ") + why);
    };
    const unsigned long long raw_size = ZSTD_getFrameContentSize(blob.data(), blob.size());
    constexpr unsigned long long kMaxRawBytes = 1ULL << 30;
    if (raw_size == ZSTD_CONTENTSIZE_ERROR || raw_size == ZSTD_CONTENTSIZE_UNKNOWN || raw_size > kMaxRawBytes)
        throw corrupt("bad zstd frame");
    // Reused between calls (no allocation per chunk once grown); never shrunk below what was needed.
    thread_local std::vector<std::uint8_t> raw;
    const auto size = static_cast<std::size_t>(raw_size);
    if (raw.size() < size + kPadBytes) raw.resize(size + kPadBytes);
    const std::size_t n = ZSTD_decompressDCtx(dctx(), raw.data(), size, blob.data(), blob.size());
    if (ZSTD_isError(n) || n != size) throw corrupt("zstd decompression failed");
    std::memset(raw.data() + n, 0, kPadBytes);
    Cursor r{raw.data(), raw.data() + n};
    const std::uint8_t* version = r.bytes(1);
    if (version == nullptr || *version != kChunkFormatVersion) throw corrupt("unknown chunk format version");
    const std::uint64_t count = r.varint();
    if (r.bad || count > n) throw corrupt("count larger than the chunk");
    const std::uint8_t* unit = r.bytes(1);
    if (unit == nullptr || *unit > 1) throw corrupt("bad time unit");
    const std::uint64_t div = *unit == 1 ? kMsPerSecond : 1;
    auto t = static_cast<std::uint64_t>(unzigzag(r.varint()));  // wrapping arithmetic, as in the columns
    std::uint64_t line = r.varint();
    if (r.bad) throw corrupt("truncated header");
    const auto cnt = static_cast<std::size_t>(count);
    out.count = cnt;

    // time: n-1 unsigned deltas in the time unit
    if (has(cols, Columns::time)) {
        out.time_ms.resize(cnt);
        if (cnt > 0) {
            out.time_ms[0] = static_cast<std::int64_t>(t * div);
            if (!decode_deltas<false>(r, out.time_ms.data() + 1, cnt - 1, t, div)) throw corrupt("truncated time column");
        }
    } else {
        out.time_ms.clear();
        if (cnt > 0 && !skip_varints(r, cnt - 1)) throw corrupt("truncated time column");
    }
    const bool ok = read_delta_column(r, want(out.lat, cols, Columns::position), cnt) &&
                    read_delta_column(r, want(out.lon, cols, Columns::position), cnt) &&
                    read_delta_column(r, want(out.sog, cols, Columns::motion), cnt) &&
                    read_delta_column(r, want(out.cog, cols, Columns::motion), cnt) &&
                    read_delta_column(r, want(out.heading, cols, Columns::motion), cnt);
    if (!ok) throw corrupt("truncated column");
    if (has(cols, Columns::provenance)) {
        out.line.resize(cnt);
        if (cnt > 0) {
            out.line[0] = line;
            if (!decode_deltas<true>(r, out.line.data() + 1, cnt - 1, line, 1)) throw corrupt("truncated line column");
        }
    } else {
        out.line.clear();
        if (cnt > 0 && !skip_varints(r, cnt - 1)) throw corrupt("truncated line column");
    }
    const bool ok2 = read_byte_column(r, want(out.turn, cols, Columns::motion), cnt) &&
                     read_byte_column(r, want(out.status, cols, Columns::status), cnt) &&
                     read_byte_column(r, want(out.type, cols, Columns::status), cnt) &&
                     read_byte_column(r, want(out.flags, cols, Columns::status), cnt) &&
                     read_byte_column(r, want(out.receivers, cols, Columns::status), cnt);
    if (!ok2) throw corrupt("truncated byte column");
    // fragments are needed to find the extra lines' extent, whatever is asked
    const std::uint8_t* frag = r.bytes(cnt);
    if (frag == nullptr) throw corrupt("truncated byte column");
    std::size_t extra = 0;
    for (std::size_t k = 0; k < cnt; ++k) extra += frag[k] > 1 ? frag[k] - 1u : 0u;
    if (has(cols, Columns::provenance)) {
        out.fragments.assign(frag, frag + cnt);
        out.extra_line_offsets.resize(extra);
        for (std::size_t j = 0; j < extra; ++j) out.extra_line_offsets[j] = static_cast<std::uint32_t>(r.varint());
    } else {
        out.fragments.clear();
        out.extra_line_offsets.clear();
        if (!skip_varints(r, extra)) throw corrupt("truncated extra lines");
    }
    if (r.bad || r.p != r.end) throw corrupt("trailing or missing bytes");
}

}  // namespace vw::track
