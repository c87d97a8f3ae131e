// SHA-256 (FIPS 180-4) of list files, for their provenance. Small and dependency-free.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vw::screen {

class Sha256 {
public:
    Sha256() noexcept;
    void update(std::string_view data) noexcept;
    /// The digest as 64 lower-case hex characters. The object must not be updated afterwards.
    [[nodiscard]] std::string hex_digest() noexcept;

private:
    void block(const std::uint8_t* p) noexcept;
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t buffered_ = 0;
    std::uint64_t total_bytes_ = 0;
};

[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace vw::screen
