// gpsd-compatible JSON writer: a visitor over the same field lists as the decoder.
#include <array>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "format.hpp"
#include "json_common.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/ais/legends.hpp"

namespace vw::ais {
namespace {

class JsonWriter {
public:
    explicit JsonWriter(char* p, const JsonMeta& meta) noexcept : p_(p), meta_(meta) {}
    [[nodiscard]] char* end() const noexcept { return p_; }

    template <class M>
    void header(const M& m) noexcept {
        p_ = fmt::put(p_, "{\"class\":\"AIS\"");
        if (!meta_.device.empty()) {
            p_ = fmt::put(p_, ",\"device\":\"");
            p_ = fmt::put_escaped(p_, meta_.device);
            *p_++ = '"';
        }
        p_ = fmt::put(p_, ",\"type\":");
        p_ = fmt::put_u64(p_, m.type);
        p_ = fmt::put(p_, ",\"repeat\":");
        p_ = fmt::put_u64(p_, m.repeat);
        p_ = fmt::put(p_, ",\"mmsi\":");
        p_ = fmt::put_u64(p_, m.mmsi);
        p_ = fmt::put(p_, ",\"scaled\":true");
    }

    void finish() noexcept {
        if (meta_.rxtime_ms) {
            p_ = fmt::put(p_, ",\"rxtime\":\"");
            p_ = format_rxtime(p_, *meta_.rxtime_ms);
            *p_++ = '"';
        }
        if (!meta_.station.empty()) {
            p_ = fmt::put(p_, ",\"station\":\"");
            p_ = fmt::put_escaped(p_, meta_.station);
            *p_++ = '"';
        }
        if (meta_.line != 0) {
            p_ = fmt::put(p_, ",\"line\":");
            p_ = fmt::put_u64(p_, meta_.line);
        }
        p_ = fmt::put(p_, "}\n");
    }

    template <class T>
    requires std::is_integral_v<T>
    [[gnu::always_inline]] void operator()(const Field& f, const T& x) noexcept {
        if ((f.flags & kNoJson) != 0) return;
        const auto v = static_cast<std::int64_t>(x);
        switch (f.fmt) {
            case Fmt::ts_year:
                ts_[0] = static_cast<unsigned>(v);
                return;
            case Fmt::ts_month:
            case Fmt::eta_month:
                ts_[1] = static_cast<unsigned>(v);
                return;
            case Fmt::ts_day:
            case Fmt::eta_day:
            case Fmt::dts_day:
                ts_[2] = static_cast<unsigned>(v);
                return;
            case Fmt::ts_hour:
            case Fmt::eta_hour:
            case Fmt::dts_hour:
                ts_[3] = static_cast<unsigned>(v);
                return;
            case Fmt::ts_minute:
                ts_[4] = static_cast<unsigned>(v);
                return;
            default:
                break;
        }
        key(f.name);
        switch (f.fmt) {
            case Fmt::boolean:
                p_ = fmt::put(p_, v != 0 ? "true" : "false");
                break;
            case Fmt::nav_status:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, json::nav_status_legend(static_cast<unsigned>(v)));
                break;
            case Fmt::nav_status_text:
                quoted(json::nav_status_legend(static_cast<unsigned>(v)));
                break;
            case Fmt::epfd:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::epfd(static_cast<unsigned>(v)));
                break;
            case Fmt::shiptype:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::ship_type(static_cast<unsigned>(v)));
                break;
            case Fmt::station_type:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::kStationType[static_cast<unsigned>(v) & 15u]);
                break;
            case Fmt::aid_type:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::kAidType[static_cast<unsigned>(v) & 31u]);
                break;
            case Fmt::rot:
                p_ = fmt::put(p_, json::rot_text(static_cast<int>(v)));
                break;
            case Fmt::sog_tenths:
                if (v == 1023) {
                    p_ = fmt::put(p_, "\"nan\"");
                } else if (v == 1022) {
                    p_ = fmt::put(p_, "\"fast\"");
                } else {
                    p_ = fmt::put_fixed(p_, v, 1);
                }
                break;
            case Fmt::tenths:
                p_ = fmt::put_fixed(p_, v, 1);
                break;
            case Fmt::sar_alt:
                p_ = v == 4095   ? fmt::put(p_, "\"nan\"")
                     : v == 4094 ? fmt::put(p_, "\"high\"")
                                 : fmt::put_i64(p_, v);
                break;
            case Fmt::sar_speed:
                p_ = v == 1023   ? fmt::put(p_, "\"nan\"")
                     : v == 1022 ? fmt::put(p_, "\"fast\"")
                                 : fmt::put_i64(p_, v);
                break;
            case Fmt::latlon_1e4min:
                p_ = fmt::put_latlon_1e4min(p_, static_cast<std::int32_t>(v));
                break;
            case Fmt::latlon_1e1min:
                p_ = fmt::put_double(p_, static_cast<double>(v) / 600.0, 1);
                break;
            case Fmt::corner_1e1min:
                *p_++ = '"';
                p_ = fmt::put_double(p_, static_cast<double>(v) / 600.0, 6);
                *p_++ = '"';
                break;
            case Fmt::latlon_1e3min:
                p_ = fmt::put_double(p_, static_cast<double>(v) / 60000.0, 4);
                break;
            case Fmt::scaled:
                if (f.scale.divisor == 1 && f.scale.decimals == 0) {
                    p_ = fmt::put_i64(p_, v - f.scale.offset);
                } else {
                    p_ = fmt::put_double(p_, static_cast<double>(v - f.scale.offset) / f.scale.divisor,
                                         f.scale.decimals);
                }
                break;
            case Fmt::ts_second:  // "%04u-%02u-%02uT%02u:%02u:%02uZ"
                *p_++ = '"';
                p_ = fmt::put_u64_pad(p_, ts_[0], 4);
                *p_++ = '-';
                p_ = fmt::put_u64_pad(p_, ts_[1], 2);
                *p_++ = '-';
                p_ = fmt::put_u64_pad(p_, ts_[2], 2);
                *p_++ = 'T';
                p_ = fmt::put_u64_pad(p_, ts_[3], 2);
                *p_++ = ':';
                p_ = fmt::put_u64_pad(p_, ts_[4], 2);
                *p_++ = ':';
                p_ = fmt::put_u64_pad(p_, static_cast<std::uint64_t>(v), 2);
                p_ = fmt::put(p_, "Z\"");
                break;
            case Fmt::eta_minute:  // "%02u-%02uT%02u:%02uZ"
                *p_++ = '"';
                p_ = fmt::put_u64_pad(p_, ts_[1], 2);
                *p_++ = '-';
                p_ = fmt::put_u64_pad(p_, ts_[2], 2);
                *p_++ = 'T';
                p_ = fmt::put_u64_pad(p_, ts_[3], 2);
                *p_++ = ':';
                p_ = fmt::put_u64_pad(p_, static_cast<std::uint64_t>(v), 2);
                p_ = fmt::put(p_, "Z\"");
                break;
            case Fmt::dts_minute:  // "%02uT%02u:%02uZ"
                *p_++ = '"';
                p_ = fmt::put_u64_pad(p_, ts_[2], 2);
                *p_++ = 'T';
                p_ = fmt::put_u64_pad(p_, ts_[3], 2);
                *p_++ = ':';
                p_ = fmt::put_u64_pad(p_, static_cast<std::uint64_t>(v), 2);
                p_ = fmt::put(p_, "Z\"");
                break;
            case Fmt::trend:
                quoted(legend::kTrend[static_cast<unsigned>(v) & 3u]);
                break;
            case Fmt::precip:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::kPrecipType[static_cast<unsigned>(v) & 7u]);
                break;
            case Fmt::precip_text:
                quoted(legend::kPrecipType[static_cast<unsigned>(v) & 7u]);
                break;
            case Fmt::ice:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::kIce[static_cast<unsigned>(v) & 3u]);
                break;
            case Fmt::ice_text:
                quoted(legend::kIce[static_cast<unsigned>(v) & 3u]);
                break;
            case Fmt::ana_05v:
                p_ = v == 0 ? fmt::put(p_, "0") : fmt::put_double(p_, static_cast<double>(v) * 0.05, 2);
                break;
            case Fmt::racon:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::kRacon[static_cast<unsigned>(v) & 3u]);
                break;
            case Fmt::light:
                p_ = fmt::put_i64(p_, v);
                text_companion(f.name, legend::kLight[static_cast<unsigned>(v) & 3u]);
                break;
            default:
                p_ = fmt::put_i64(p_, v);
                break;
        }
    }

    template <std::size_t N>
    void operator()(const Field& f, const Text<N>& t) noexcept {
        if ((f.flags & kNoJson) != 0) return;
        key(f.name);
        *p_++ = '"';
        p_ = fmt::put_escaped(p_, t.view());
        *p_++ = '"';
    }

    void operator()(const Field& f, const BitData& d) noexcept {
        static constexpr char kHex[] = "0123456789abcdef";
        key(f.name);
        *p_++ = '"';
        p_ = fmt::put_u64(p_, d.nbits);
        *p_++ = ':';
        for (std::size_t k = 0; k < d.nbytes(); ++k) {
            *p_++ = kHex[d.bytes[k] >> 4];
            *p_++ = kHex[d.bytes[k] & 15];
        }
        *p_++ = '"';
    }

    void count(std::size_t, std::size_t, std::size_t, const std::uint8_t&, Entries = {}) const noexcept {}
    void discriminator(const Field&, const bool&) const noexcept {}

    void part24(const Field& f, const std::uint8_t& partno, const bool& merged) noexcept {
        if (merged) return;
        key(f.name);
        p_ = fmt::put(p_, partno == 0 ? "\"A\"" : "\"B\"");
    }

    template <std::size_t N>
    void aton_name(const Field& f, const Text<N>& t) noexcept {
        (*this)(f, t);
    }

    void binary(const Field& f, const BitData& d, const App& app, unsigned, unsigned, unsigned) noexcept {
        if (!app_gpsd_structured(app)) {
            (*this)(f, d);
            return;
        }
        std::visit(
            [this](const auto& a) {
                using A = std::decay_t<decltype(a)>;
                if constexpr (!std::is_same_v<A, std::monostate>)
                    visit_app(*this, a, static_cast<A*>(nullptr));
            },
            app);
    }

private:
    void key(std::string_view name) noexcept {
        *p_++ = ',';
        *p_++ = '"';
        p_ = fmt::put(p_, name);
        *p_++ = '"';
        *p_++ = ':';
    }
    void quoted(std::string_view s) noexcept {
        *p_++ = '"';
        p_ = fmt::put_escaped(p_, s);
        *p_++ = '"';
    }
    void text_companion(std::string_view name, std::string_view legend_text) noexcept {
        *p_++ = ',';
        *p_++ = '"';
        p_ = fmt::put(p_, name);
        p_ = fmt::put(p_, "_text\":\"");
        p_ = fmt::put_escaped(p_, legend_text);
        *p_++ = '"';
    }

    char* p_;
    const JsonMeta& meta_;
    std::array<unsigned, 5> ts_{};
};

}  // namespace

char* format_rxtime(char* p, std::int64_t ms) noexcept {
    std::int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    const auto msec = static_cast<unsigned>(ms - secs * 1000);
    std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const auto sod = static_cast<unsigned>(secs - days * 86400);
    // civil_from_days (H. Hinnant)
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mth = mp < 10 ? mp + 3 : mp - 9;
    if (mth <= 2) ++y;
    if (y < 0) {
        *p++ = '-';
        y = -y;
    }
    p = fmt::put_u64_pad(p, static_cast<std::uint64_t>(y), 4);
    *p++ = '-';
    p = fmt::put_u64_pad(p, mth, 2);
    *p++ = '-';
    p = fmt::put_u64_pad(p, d, 2);
    *p++ = 'T';
    p = fmt::put_u64_pad(p, sod / 3600, 2);
    *p++ = ':';
    p = fmt::put_u64_pad(p, sod / 60 % 60, 2);
    *p++ = ':';
    p = fmt::put_u64_pad(p, sod % 60, 2);
    *p++ = '.';
    p = fmt::put_u64_pad(p, msec, 3);
    *p++ = 'Z';
    return p;
}

template <class M>
void write_json(OutBuffer& out, const M& m, const JsonMeta& meta) {
    // escaping can grow a metadata string 6-fold
    char* start = out.reserve(kMaxJsonLineBytes + 6 * (meta.device.size() + meta.station.size()));
    JsonWriter w(start, meta);
    visit(w, m, static_cast<M*>(nullptr));
    w.finish();
    out.advance(static_cast<std::size_t>(w.end() - start));
}

void write_json(OutBuffer& out, const Message& m, const JsonMeta& meta) {
    std::visit([&](const auto& x) { write_json(out, x, meta); }, m);
}

#define VW_AIS_INSTANTIATE(T) template void write_json<T>(OutBuffer&, const T&, const JsonMeta&);
VW_AIS_FOR_EACH_MESSAGE(VW_AIS_INSTANTIATE)
#undef VW_AIS_INSTANTIATE

}  // namespace vw::ais
