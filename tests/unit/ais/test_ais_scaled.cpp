// Scaled fields written with integer arithmetic (present::put_value's shortcut for a divisor of
// 10^decimals) against what gpsd prints, printf("%.Nf", (raw - offset) / divisor) through
// fmt::put_double (std::to_chars on the double): every raw value of a 21-bit range and random
// 32-bit ones, for every scale the message tables use and a few more.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

// Private headers of src/ais: the shortcut lives there.
#include "../../../src/ais/present.hpp"

namespace vw::ais {
namespace {

std::string with_shortcut(const Field& f, std::int64_t v) {
    char buf[128];
    const present::DateParts d;
    char* end = present::put_value<present::Strings::raw>(buf, f, v, d);
    return {buf, end};
}

std::string as_gpsd(const Field& f, std::int64_t v) {
    char buf[128];
    char* end = fmt::put_double(buf, static_cast<double>(v - f.scale.offset) / f.scale.divisor, f.scale.decimals);
    return {buf, end};
}

TEST(AisScaled, IntegerShortcutPrintsWhatPrintfPrints) {
    const std::vector<Scale> scales = {
        {0, 10, 1},     {600, 10, 1},  {200, 10, 1},        {100, 10, 1},         {-800, 10, 1},
        {0, 100, 2},    {-5, 100, 2},  {0, 1000, 3},        {12345, 1000, 3},     {0, 10000, 4},
        {0, 100000, 5}, {7, 1000000, 6},
        {1000, 100, 1},  // not 10^decimals: keeps the double path, compared all the same
        {0, 600, 1},
    };
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::int64_t> any32(INT32_MIN, INT32_MAX);
    std::uint64_t shortcut = 0;
    for (const Scale& s : scales) {
        const Field f{"x", 0, 32, Fmt::scaled, 0, s};
        if (present::scaled_exactly(s)) ++shortcut;
        for (std::int64_t v = -(1 << 20); v <= (1 << 20); v += (v > -2000 && v < 2000) ? 1 : 7)
            ASSERT_EQ(with_shortcut(f, v), as_gpsd(f, v)) << v << " " << s.offset << "/" << s.divisor;
        for (int k = 0; k < 20000; ++k) {
            const std::int64_t v = any32(rng);
            ASSERT_EQ(with_shortcut(f, v), as_gpsd(f, v)) << v << " " << s.offset << "/" << s.divisor;
        }
    }
    EXPECT_EQ(shortcut, scales.size() - 2);  // all but the last two take the integer path
}

}  // namespace
}  // namespace vw::ais
