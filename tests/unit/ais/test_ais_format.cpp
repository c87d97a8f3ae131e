// The private number writers of the JSON and CSV output (src/ais/format.hpp), directly: each writes
// exactly its digits (canary bytes after the end stay untouched) and the same text as printf.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "../../../src/ais/format.hpp"

namespace vw::ais {
namespace {

constexpr char kCanary = '#';
constexpr std::size_t kRoom = 48;

/// What `write` puts at the start of a canary-filled buffer; fails when it touches a byte past the end
/// it returns.
template <class Write>
std::string written(Write&& write) {
    char buf[kRoom];
    std::memset(buf, kCanary, sizeof buf);
    char* const end = write(buf);
    EXPECT_LE(end, buf + 32);
    for (const char* q = end; q < buf + kRoom; ++q)
        EXPECT_EQ(*q, kCanary) << "byte " << (q - buf) << " written";
    return std::string(buf, end);
}

std::vector<std::uint64_t> edge_values() {
    std::vector<std::uint64_t> v = {0, 1, 9, 10, 11, 99, 100, 101, UINT64_MAX, UINT64_MAX - 1};
    for (std::uint64_t p = 10;; p *= 10) {
        v.insert(v.end(), {p - 1, p, p + 1});
        if (p > UINT64_MAX / 10) break;
    }
    std::uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int k = 0; k < 20'000; ++k) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.push_back(x >> (k % 64));
    }
    return v;
}

TEST(AisFormat, UnsignedAndSignedIntegersExactlyTheirDigits) {
    for (const std::uint64_t v : edge_values()) {
        ASSERT_EQ(written([&](char* p) { return fmt::put_u64(p, v); }), std::to_string(v)) << v;
        const auto s = static_cast<std::int64_t>(v >> 1);
        ASSERT_EQ(written([&](char* p) { return fmt::put_i64(p, -s); }), std::to_string(-s)) << -s;
        ASSERT_EQ(written([&](char* p) { return fmt::put_i64(p, s); }), std::to_string(s)) << s;
    }
}

TEST(AisFormat, FixedPointIsTheExactDecimal) {
    // put_fixed(value, d) writes value / 10^d with d decimals, exactly (the digits of value with a
    // point d places from the right, zeros in front where needed).
    for (const std::uint64_t u : edge_values()) {
        const auto v = static_cast<std::int64_t>(u >> 12);
        for (int d = 0; d <= 6; ++d) {
            for (const std::int64_t value : {v, -v}) {
                std::string digits = std::to_string(value < 0 ? -value : value);
                const auto places = static_cast<std::size_t>(d);
                while (digits.size() <= places) digits = '0' + digits;
                std::string want = value < 0 ? "-" : "";
                want += digits.substr(0, digits.size() - places);
                if (places > 0) {
                    want += '.';
                    want += digits.substr(digits.size() - places);
                }
                ASSERT_EQ(written([&](char* p) { return fmt::put_fixed(p, value, d); }), want)
                    << value << " " << d;
            }
        }
    }
}

}  // namespace
}  // namespace vw::ais
