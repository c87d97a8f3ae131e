// SHA-256 (FIPS 180-4) of input files: the identity of an ingested source (idempotent ingest) and the
// check that a source file is still the one that was ingested (`vesselwatch raw`). Uses the x86 SHA
// extensions when the CPU has them (several GB/s, so hashing never limits ingest), portable C++ otherwise.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vw {

using Digest = std::array<std::uint8_t, 32>;

class Sha256 {
public:
    Sha256() noexcept;
    void update(const void* data, std::size_t n) noexcept;
    void update(std::string_view s) noexcept { update(s.data(), s.size()); }
    /// The digest; the object must not be updated afterwards.
    [[nodiscard]] Digest finish() noexcept;
    /// finish() as 64 lower-case hex characters.
    [[nodiscard]] std::string hex_digest();

private:
    void blocks(const std::uint8_t* p, std::size_t nblocks) noexcept;
    std::array<std::uint32_t, 8> h_{};
    std::array<std::uint8_t, 64> buf_{};
    std::size_t buffered_ = 0;
    std::uint64_t total_ = 0;
};

/// Lower-case hex of a digest (64 characters).
[[nodiscard]] std::string to_hex(const Digest& d);

/// SHA-256 of `data` as 64 lower-case hex characters.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// Size and SHA-256 of the bytes of a file as stored on disk.
struct FileDigest {
    std::uint64_t size = 0;
    Digest sha256{};
};

/// Reads the whole file. Throws vw::IoError naming the file when it cannot be read. When `cancel`
/// is given and becomes true, stops early (what it returns then is not the file's digest).
[[nodiscard]] FileDigest digest_file(const std::string& path, const std::atomic<bool>* cancel = nullptr);

/// True when the running CPU's SHA extensions are used (for benchmarks and tests).
[[nodiscard]] bool sha256_uses_cpu_extensions() noexcept;

}  // namespace vw
