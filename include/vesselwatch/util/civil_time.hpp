// Calendar arithmetic shared by every module that reads dates (NMEA wrappers, JSON rxtime, scenario
// files, the store's time formats): proleptic Gregorian, UTC, no time zones.
#pragma once

#include <cstdint>

namespace vw {

/// Days since 1970-01-01 of year `y`, month `m` (1-12), day `d` (1-31), by Howard Hinnant's
/// days_from_civil algorithm (exact for every year, negative ones included).
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    constexpr std::int64_t kYearsPerEra = 400;
    constexpr std::int64_t kDaysPerEra = 146'097;
    constexpr std::int64_t kDaysFromEraStartToEpoch = 719'468;
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - (kYearsPerEra - 1)) / kYearsPerEra;
    const auto yoe = static_cast<unsigned>(y - era * kYearsPerEra);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * kDaysPerEra + static_cast<std::int64_t>(doe) - kDaysFromEraStartToEpoch;
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11'017);
static_assert(days_from_civil(1969, 12, 31) == -1);

}  // namespace vw
