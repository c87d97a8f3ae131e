// Private: how one integer field is presented (gpsd's scaling, legends and quirks), written once and
// shared by the JSON and CSV writers. The JSON writer adds keys, quotes and "_text" companions; the
// CSV writer puts the same characters into cells.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "format.hpp"
#include "json_common.hpp"
#include "vesselwatch/ais/field.hpp"
#include "vesselwatch/ais/legends.hpp"

namespace vw::ais::present {

/// How string presentations ("nan", dates, legends) are written: JSON wraps them in quotes and
/// escapes them; raw writes their characters only (the CSV writer quotes whole cells itself).
enum class Strings : std::uint8_t { json, raw };

/// The parts of a composite date field ("timestamp", "eta"), remembered until its last part.
struct DateParts {
    std::array<unsigned, 5> v{};  // year, month, day, hour, minute
};

/// Remembers `v` when `f` is a leading part of a composite date; returns true if it was one (the
/// field then has no presentation of its own).
[[gnu::always_inline]] inline bool remember_part(const Field& f, std::int64_t v, DateParts& d) noexcept {
    std::size_t slot = 0;
    switch (f.fmt) {
        case Fmt::ts_year:
            slot = 0;
            break;
        case Fmt::ts_month:
        case Fmt::eta_month:
            slot = 1;
            break;
        case Fmt::ts_day:
        case Fmt::eta_day:
        case Fmt::dts_day:
            slot = 2;
            break;
        case Fmt::ts_hour:
        case Fmt::eta_hour:
        case Fmt::dts_hour:
            slot = 3;
            break;
        case Fmt::ts_minute:
            slot = 4;
            break;
        default:
            return false;
    }
    d.v[slot] = static_cast<unsigned>(v);
    return true;
}

/// The "<name>_text" legend gpsd prints after the value, or empty when the field has none.
[[gnu::always_inline]] inline std::string_view companion(const Field& f, std::int64_t v) noexcept {
    const auto u = static_cast<unsigned>(v);
    switch (f.fmt) {
        case Fmt::nav_status:
            return json::nav_status_legend(u);
        case Fmt::epfd:
            return legend::epfd(u);
        case Fmt::shiptype:
            return legend::ship_type(u);
        case Fmt::station_type:
            return legend::kStationType[u & 15u];
        case Fmt::aid_type:
            return legend::kAidType[u & 31u];
        case Fmt::precip:
            return legend::kPrecipType[u & 7u];
        case Fmt::ice:
            return legend::kIce[u & 3u];
        case Fmt::racon:
            return legend::kRacon[u & 3u];
        case Fmt::light:
            return legend::kLight[u & 3u];
        case Fmt::eri_shiptype:
            return legend::eri_ship_type(u);
        case Fmt::hazard:
            return legend::inland_hazard(u);
        case Fmt::loaded:
            return legend::inland_loaded(u);
        default:
            return {};
    }
}

namespace detail {

template <class Table>
constexpr bool all_plain(const Table& table) noexcept {
    for (const std::string_view s : table)
        if (!fmt::plain_json(s)) return false;
    return true;
}

/// Every legend is written without escaping: none holds a quote, a backslash or a control character.
constexpr bool legends_are_plain() noexcept {
    for (unsigned v = 0; v <= 100; ++v)  // 100 and above: one legend
        if (!fmt::plain_json(legend::ship_type(v))) return false;
    for (unsigned v = 0; v <= legend::kEpfd.size(); ++v)  // the last: the "invalid" legend
        if (!fmt::plain_json(legend::epfd(v)) || !fmt::plain_json(legend::inland_hazard(v)) ||
            !fmt::plain_json(legend::inland_loaded(v)))
            return false;
    for (const auto& e : legend::kEriShipTypes)
        if (!fmt::plain_json(e.text)) return false;
    return all_plain(legend::kNavStatus) && all_plain(legend::kStationType) && all_plain(legend::kAidType) &&
           all_plain(legend::kTrend) && all_plain(legend::kPrecipType) && all_plain(legend::kIce) &&
           all_plain(legend::kRacon) && all_plain(legend::kLight);
}
static_assert(legends_are_plain());

template <Strings S>
[[gnu::always_inline]] inline char* open(char* p) noexcept {
    if constexpr (S == Strings::json) *p++ = '"';
    return p;
}

template <Strings S>
[[gnu::always_inline]] inline char* string(char* p, std::string_view s) noexcept {
    p = open<S>(p);
    p = fmt::put(p, s);  // legends and "nan"/"fast"/"high": plain (legends_are_plain)
    return open<S>(p);
}

}  // namespace detail

/// Writes the value of integer field `f` (raw `v`) as gpsd's JSON presents it; for the last part of
/// a composite date, the whole date from `d`. Not for parts remember_part() took.
template <Strings S>
[[gnu::always_inline]] inline char* put_value(char* p, const Field& f, std::int64_t v,
                                              const DateParts& d) noexcept {
    using detail::open;
    using detail::string;
    switch (f.fmt) {
        case Fmt::boolean:
            return fmt::put_bool(p, v != 0);
        case Fmt::nav_status_text:
            return string<S>(p, json::nav_status_legend(static_cast<unsigned>(v)));
        case Fmt::rot: {
            const std::string_view t = json::rot_text(static_cast<int>(v));  // "nan" etc. come quoted
            if constexpr (S == Strings::raw) {
                if (t.front() == '"') return fmt::put(p, t.substr(1, t.size() - 2));
            }
            return fmt::put(p, t);
        }
        case Fmt::sog_tenths:
            if (v == 1023) return string<S>(p, "nan");
            if (v == 1022) return string<S>(p, "fast");
            return fmt::put_fixed(p, v, 1);
        case Fmt::tenths:
            return fmt::put_fixed(p, v, 1);
        case Fmt::sar_alt:
            if (v == 4095) return string<S>(p, "nan");
            if (v == 4094) return string<S>(p, "high");
            return fmt::put_i64(p, v);
        case Fmt::sar_speed:
            if (v == 1023) return string<S>(p, "nan");
            if (v == 1022) return string<S>(p, "fast");
            return fmt::put_i64(p, v);
        case Fmt::latlon_1e4min:
            return fmt::put_latlon_1e4min(p, static_cast<std::int32_t>(v));
        case Fmt::latlon_1e1min:
            return fmt::put_double(p, static_cast<double>(v) / 600.0, 1);
        case Fmt::corner_1e1min:
            p = open<S>(p);
            p = fmt::put_double(p, static_cast<double>(v) / 600.0, 6);
            return open<S>(p);
        case Fmt::latlon_1e3min:
            return fmt::put_double(p, static_cast<double>(v) / 60000.0, 4);
        case Fmt::scaled:
            if (f.scale.divisor == 1 && f.scale.decimals == 0) return fmt::put_i64(p, v - f.scale.offset);
            // A divisor of 10^decimals: the digits of the integer, exactly what printf("%.Nf") makes of
            // the quotient (the exact decimal value is the nearest one with N places: no rounding tie,
            // |v| < 2^52; these fields have at most 12 bits). Integer formatting, not a double
            // conversion (≈ 550 instructions each).
            if (f.scale.decimals <= 9 && f.scale.divisor == fmt::pow10_i32(f.scale.decimals))
                return fmt::put_fixed(p, v - f.scale.offset, f.scale.decimals);
            return fmt::put_double(p, static_cast<double>(v - f.scale.offset) / f.scale.divisor,
                                   f.scale.decimals);
        case Fmt::ts_second:  // "%04u-%02u-%02uT%02u:%02u:%02uZ"
            p = open<S>(p);
            p = fmt::put_u64_pad(p, d.v[0], 4);
            *p++ = '-';
            p = fmt::put_u64_pad(p, d.v[1], 2);
            *p++ = '-';
            p = fmt::put_u64_pad(p, d.v[2], 2);
            *p++ = 'T';
            p = fmt::put_u64_pad(p, d.v[3], 2);
            *p++ = ':';
            p = fmt::put_u64_pad(p, d.v[4], 2);
            *p++ = ':';
            p = fmt::put_u64_pad(p, static_cast<std::uint64_t>(v), 2);
            *p++ = 'Z';
            return open<S>(p);
        case Fmt::eta_minute:  // "%02u-%02uT%02u:%02uZ"
            p = open<S>(p);
            p = fmt::put_u64_pad(p, d.v[1], 2);
            *p++ = '-';
            p = fmt::put_u64_pad(p, d.v[2], 2);
            *p++ = 'T';
            p = fmt::put_u64_pad(p, d.v[3], 2);
            *p++ = ':';
            p = fmt::put_u64_pad(p, static_cast<std::uint64_t>(v), 2);
            *p++ = 'Z';
            return open<S>(p);
        case Fmt::dts_minute:  // "%02uT%02u:%02uZ"
            p = open<S>(p);
            p = fmt::put_u64_pad(p, d.v[2], 2);
            *p++ = 'T';
            p = fmt::put_u64_pad(p, d.v[3], 2);
            *p++ = ':';
            p = fmt::put_u64_pad(p, static_cast<std::uint64_t>(v), 2);
            *p++ = 'Z';
            return open<S>(p);
        case Fmt::trend:
            return string<S>(p, legend::kTrend[static_cast<unsigned>(v) & 3u]);
        case Fmt::precip_text:
            return string<S>(p, legend::kPrecipType[static_cast<unsigned>(v) & 7u]);
        case Fmt::ice_text:
            return string<S>(p, legend::kIce[static_cast<unsigned>(v) & 3u]);
        case Fmt::ana_05v:
            return v == 0 ? fmt::put(p, "0") : fmt::put_double(p, static_cast<double>(v) * 0.05, 2);
        default:  // uint, sint and the coded fields (their legend is the companion)
            return fmt::put_i64(p, v);
    }
}

}  // namespace vw::ais::present
