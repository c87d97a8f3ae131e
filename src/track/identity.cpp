#include "vesselwatch/track/identity.hpp"

#include <array>
#include <string>

namespace vw::track {

namespace {
/// v with at least two digits ("07", "12", "123").
std::string two_or_more_digits(unsigned v) {
    if (v < 100) return {static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
    return std::to_string(v);
}

constexpr std::uint32_t kImoMin = 1000000;
constexpr std::uint32_t kImoMax = 9999999;
constexpr std::uint32_t kMmsiMin = 1000000;  // 7+ significant digits: group / coast MMSIs start with 0
constexpr std::uint32_t kMmsiMax = 999999999;
constexpr unsigned kMidMin = 201;
constexpr unsigned kMidMax = 775;

constexpr std::array<std::string_view, 6> kClassNames = {"unknown", "A", "B", "base_station", "aton", "sar_aircraft"};

std::optional<unsigned> mid_checked(std::uint32_t v) noexcept {
    if (v < kMidMin || v > kMidMax) return std::nullopt;
    return v;
}
}  // namespace

std::string_view station_class_name(StationClass c) noexcept { return kClassNames[static_cast<std::size_t>(c)]; }

StationClass station_class_from_name(std::string_view s) noexcept {
    for (std::size_t k = 0; k < kClassNames.size(); ++k)
        if (kClassNames[k] == s) return static_cast<StationClass>(k);
    return StationClass::unknown;
}

std::string eta_text(unsigned month, unsigned day, unsigned hour, unsigned minute) {
    constexpr unsigned kMonthUnavailable = 0, kDayUnavailable = 0, kHourUnavailable = 24, kMinuteUnavailable = 60;
    if (month == kMonthUnavailable && day == kDayUnavailable &&
        ((hour == kHourUnavailable && minute == kMinuteUnavailable) || (hour == 0 && minute == 0)))
        return {};
    // Formatted by hand: snprintf was 5 % of the storing thread on a feed with the usual share of type 5.
    // The AIS fields are at most 6 bits (< 100); wider values, never decoded, keep all their digits.
    std::string out = two_or_more_digits(month);
    out += '-';
    out += two_or_more_digits(day);
    out += 'T';
    out += two_or_more_digits(hour);
    out += ':';
    out += two_or_more_digits(minute);
    return out;
}

bool imo_is_valid(std::uint32_t imo) noexcept {
    if (imo < kImoMin || imo > kImoMax) return false;
    const std::uint32_t check = imo % 10;
    std::uint32_t rest = imo / 10;
    std::uint32_t sum = 0;
    for (std::uint32_t weight = 2; weight <= 7; ++weight) {
        sum += (rest % 10) * weight;
        rest /= 10;
    }
    return sum % 10 == check;
}

std::optional<unsigned> mid_of_mmsi(std::uint32_t mmsi) noexcept {
    if (mmsi < kMmsiMin || mmsi > kMmsiMax) return std::nullopt;
    const std::uint32_t lead1 = mmsi / 100000000;  // first of 9 digits
    const std::uint32_t lead2 = mmsi / 10000000;
    const std::uint32_t lead3 = mmsi / 1000000;
    if (lead3 == 111) return mid_checked(mmsi / 1000 % 1000);             // 111MIDxxx
    if (lead2 == 98 || lead2 == 99) return mid_checked(mmsi / 10000 % 1000);  // 98MIDxxxx, 99MIDxxxx
    if (lead3 == 970 || lead3 == 972 || lead3 == 974) return std::nullopt;  // AIS-SART, MOB, EPIRB-AIS
    if (lead1 == 8) return mid_checked(mmsi / 100000 % 1000);  // 8MIDxxxxx
    if (lead1 == 0) {
        if (mmsi < 10000000) return mid_checked(mmsi / 10000 % 1000);  // 00MIDxxxx
        return mid_checked(mmsi / 100000 % 1000);                      // 0MIDxxxxx
    }
    return mid_checked(mmsi / 1000000);  // MIDxxxxxx
}

}  // namespace vw::track
