// format_rxtime() (which keeps the date text of the last day it wrote, per thread) against an
// independent reference built from std::chrono's calendar and snprintf: same day again and again,
// alternating days, day and year boundaries, times before 1970 and years outside 1000..9999.
#include <gtest/gtest.h>

#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "vesselwatch/ais/json.hpp"

namespace vw::ais {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

/// "YYYY-MM-DDTHH:MM:SS.mmmZ" from std::chrono (floor division for times before the epoch).
std::string reference(std::int64_t ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds{ms}};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const auto in_day = (t - day).count();  // 0 .. 86'399'999
    const int y = static_cast<int>(ymd.year());
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%04d-%02u-%02uT%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64 "Z",
                  y < 0 ? "-" : "", y < 0 ? -y : y, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), in_day / 3'600'000, in_day / 60'000 % 60, in_day / 1000 % 60,
                  in_day % 1000);
    return buf;
}

std::string formatted(std::int64_t ms) {
    char buf[64];
    char* end = format_rxtime(buf, ms);
    return {buf, end};
}

TEST(AisRxtime, FormatMatchesCalendarReference) {
    std::vector<std::int64_t> times = {
        0,
        -1,
        1,
        kMsPerDay - 1,
        kMsPerDay,
        -kMsPerDay,
        -kMsPerDay - 1,
        951'782'400'000,    // 2000-02-29
        951'868'799'999,    // its last ms
        1'709'296'496'789,  // 2024-03-01
        1'276'256'771'390,  // 2010-06-11 ($PGHP capture)
        4'102'444'799'999,  // 2099-12-31T23:59:59.999Z
        253'402'300'799'999,     // 9999-12-31T23:59:59.999Z
        253'402'300'800'000,     // year 10000: five digits
        -62'135'596'800'000,     // 0001-01-01
        -62'135'596'800'001,     // 0000-12-31T23:59:59.999Z
        -62'198'755'200'000,     // year -1
        -30'610'224'000'000,     // 1000-01-01
    };
    // A stream within one day (the cached date is reused), then alternating between two days and
    // crossing midnight in both directions (it must be replaced every time).
    for (std::int64_t k = 0; k < 200; ++k) times.push_back(1'276'256'771'390 + k * 997);
    for (std::int64_t k = 0; k < 200; ++k) times.push_back(1'276'256'771'390 + (k % 2) * kMsPerDay + k);
    for (std::int64_t k = -100; k < 100; ++k) times.push_back(1'276'214'400'000 + k * 7);
    for (std::int64_t k = 100; k > -100; --k) times.push_back(-kMsPerDay * 3 + k * 13);
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> any(-62'135'596'800'000, 253'402'300'799'999);
    for (int k = 0; k < 2000; ++k) times.push_back(any(rng));
    for (const std::int64_t ms : times) ASSERT_EQ(formatted(ms), reference(ms)) << ms;
}

TEST(AisRxtime, ParseIsTheInverseAcrossDays) {
    for (std::int64_t ms = 1'276'214'400'000 - 5 * kMsPerDay; ms < 1'276'214'400'000 + 5 * kMsPerDay;
         ms += kMsPerDay / 7 + 1) {
        const std::string s = formatted(ms);
        ASSERT_EQ(parse_rxtime(s), std::optional<std::int64_t>(ms)) << s;
    }
}

}  // namespace
}  // namespace vw::ais
