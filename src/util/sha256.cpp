#include "vesselwatch/util/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "vesselwatch/util/error.hpp"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace vw {

namespace {

constexpr std::size_t kBlockBytes = 64;

constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::array<std::uint32_t, 8> kInitialState = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

constexpr std::uint32_t rotr(std::uint32_t x, unsigned n) noexcept { return (x >> n) | (x << (32 - n)); }

void blocks_portable(std::uint32_t* h, const std::uint8_t* p, std::size_t nblocks) noexcept {
    std::array<std::uint32_t, 64> w{};
    for (; nblocks > 0; --nblocks, p += kBlockBytes) {
        for (std::size_t t = 0; t < 16; ++t)
            w[t] = (std::uint32_t{p[4 * t]} << 24) | (std::uint32_t{p[4 * t + 1]} << 16) |
                   (std::uint32_t{p[4 * t + 2]} << 8) | std::uint32_t{p[4 * t + 3]};
        for (std::size_t t = 16; t < 64; ++t) {
            const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (std::size_t t = 0; t < 64; ++t) {
            const std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                                     kRoundConstants[t] + w[t];
            const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}

#if defined(__x86_64__)
// Intel SHA extensions: sha256rnds2 does two rounds on the state split as ABEF / CDGH; sha256msg1/2
// compute the message schedule four words at a time.
__attribute__((target("sha,sse4.1"))) void blocks_shani(std::uint32_t* h, const std::uint8_t* p,
                                                        std::size_t nblocks) noexcept {
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h));            // A B C D
    __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 4));     // E F G H
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                                             // C D A B
    state1 = _mm_shuffle_epi32(state1, 0x1B);                                       // H G F E
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);                               // A B E F
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);                                    // C D G H
    for (; nblocks > 0; --nblocks, p += kBlockBytes) {
        const __m128i save0 = state0;
        const __m128i save1 = state1;
        __m128i msg[4] = {};  // NOLINT(modernize-avoid-c-arrays): std::array drops the vector attribute
        for (std::size_t g = 0; g < 16; ++g) {
            __m128i& cur = msg[g % 4];
            if (g < 4) {
                cur = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)), byteswap);
            } else {
                const __m128i m1 = _mm_sha256msg1_epu32(cur, msg[(g + 1) % 4]);  // W[t-16] + s0(W[t-15])
                const __m128i m2 = _mm_add_epi32(m1, _mm_alignr_epi8(msg[(g + 3) % 4], msg[(g + 2) % 4], 4));
                cur = _mm_sha256msg2_epu32(m2, msg[(g + 3) % 4]);
            }
            __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kRoundConstants.data() + 4 * g));
            __m128i wk = _mm_add_epi32(cur, k);
            state1 = _mm_sha256rnds2_epu32(state1, state0, wk);
            wk = _mm_shuffle_epi32(wk, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, wk);
        }
        state0 = _mm_add_epi32(state0, save0);
        state1 = _mm_add_epi32(state1, save1);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);          // F E B A
    state1 = _mm_shuffle_epi32(state1, 0xB1);       // D C H G
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);    // D C B A
    state1 = _mm_alignr_epi8(state1, tmp, 8);       // H G F E
    _mm_storeu_si128(reinterpret_cast<__m128i*>(h), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(h + 4), state1);
}

constexpr unsigned kCpuidSse41Ecx = 1u << 19;  // CPUID.1:ECX.SSE4_1
constexpr unsigned kCpuidShaEbx = 1u << 29;    // CPUID.(7,0):EBX.SHA

bool cpu_has_sha() noexcept {
    // CPUID directly: clang 14's __builtin_cpu_supports does not know "sha".
    static const bool has = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
        const bool sse41 = (c & kCpuidSse41Ecx) != 0;
        if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
        return sse41 && (b & kCpuidShaEbx) != 0;
    }();
    return has;
}
#endif

}  // namespace

bool sha256_uses_cpu_extensions() noexcept {
#if defined(__x86_64__)
    return cpu_has_sha();
#else
    return false;
#endif
}

Sha256::Sha256() noexcept : h_(kInitialState) {}

void Sha256::blocks(const std::uint8_t* p, std::size_t nblocks) noexcept {
#if defined(__x86_64__)
    if (cpu_has_sha()) {
        blocks_shani(h_.data(), p, nblocks);
        return;
    }
#endif
    blocks_portable(h_.data(), p, nblocks);
}

void Sha256::update(const void* data, std::size_t n) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(data);
    total_ += n;
    if (buffered_ > 0) {
        const std::size_t take = std::min(n, kBlockBytes - buffered_);
        std::memcpy(buf_.data() + buffered_, p, take);
        buffered_ += take;
        p += take;
        n -= take;
        if (buffered_ < kBlockBytes) return;
        blocks(buf_.data(), 1);
        buffered_ = 0;
    }
    if (n >= kBlockBytes) {
        blocks(p, n / kBlockBytes);
        p += n / kBlockBytes * kBlockBytes;
        n %= kBlockBytes;
    }
    std::memcpy(buf_.data(), p, n);
    buffered_ = n;
}

Digest Sha256::finish() noexcept {
    const std::uint64_t bits = total_ * 8;
    const std::uint8_t one = 0x80;
    update(&one, 1);
    const std::array<std::uint8_t, kBlockBytes> zeros{};
    const std::size_t pad = (buffered_ <= 56 ? 56 : 56 + kBlockBytes) - buffered_;
    update(zeros.data(), pad);
    std::array<std::uint8_t, 8> len{};
    for (std::size_t k = 0; k < 8; ++k) len[k] = static_cast<std::uint8_t>(bits >> (56 - 8 * k));
    update(len.data(), len.size());
    Digest d{};
    for (std::size_t k = 0; k < 8; ++k)
        for (std::size_t b = 0; b < 4; ++b) d[4 * k + b] = static_cast<std::uint8_t>(h_[k] >> (24 - 8 * b));
    return d;
}

std::string to_hex(const Digest& d) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(64);
    for (const std::uint8_t b : d) {
        s += kHex[b >> 4];
        s += kHex[b & 15];
    }
    return s;
}

std::string Sha256::hex_digest() {
    return to_hex(finish());
}

std::string sha256_hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.hex_digest();
}

namespace {
/// Closes a POSIX descriptor (util sits below io, so no io::UniqueFd here).
struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};
constexpr std::size_t kDigestReadBytes = std::size_t{1} << 20;
}  // namespace

FileDigest digest_file(const std::string& path, const std::atomic<bool>* cancel) {
    const FdCloser fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.fd < 0) throw IoError(SourceLocation{path}, std::string("cannot open: ") + std::strerror(errno));
    std::vector<char> buf(kDigestReadBytes);
    Sha256 h;
    FileDigest out;
    for (;;) {
        const ssize_t n = ::read(fd.fd, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError(SourceLocation{path}, std::string("cannot read: ") + std::strerror(errno));
        }
        if (n == 0) break;
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) break;
        h.update(buf.data(), static_cast<std::size_t>(n));
        out.size += static_cast<std::uint64_t>(n);
    }
    out.sha256 = h.finish();
    return out;
}

}  // namespace vw
