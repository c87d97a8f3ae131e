// gpsd-compatible JSON writer: a visitor over the same field lists as the decoder.
#include <array>
#include <cstring>
#include <limits>
#include <type_traits>

#include "format.hpp"
#include "json_common.hpp"
#include "present.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/util/civil_time.hpp"

namespace vw::ais {
namespace {

class JsonWriter {
public:
    explicit JsonWriter(char* p, const JsonMeta& meta) noexcept : p_(p), meta_(meta) {}
    [[nodiscard]] char* end() const noexcept { return p_; }

    template <class M>
    void header(const M& m) noexcept {
        char* p = fmt::put(p_, "{\"class\":\"AIS\"");
        if (!meta_.device.empty()) {
            p = fmt::put(p, ",\"device\":\"");
            p = fmt::put_escaped(p, meta_.device);
            *p++ = '"';
        }
        p = fmt::put(p, ",\"type\":");
        p = fmt::put_u64(p, m.type);
        p = fmt::put(p, ",\"repeat\":");
        p = fmt::put_u64(p, m.repeat);
        p = fmt::put(p, ",\"mmsi\":");
        p = fmt::put_u64(p, m.mmsi);
        p_ = fmt::put(p, ",\"scaled\":true");
    }

    void finish() noexcept {
        char* p = p_;
        if (meta_.rxtime_ms) {
            p = fmt::put(p, ",\"rxtime\":\"");
            p = format_rxtime(p, *meta_.rxtime_ms);
            *p++ = '"';
        }
        if (!meta_.station.empty()) {
            p = fmt::put(p, ",\"station\":\"");
            p = fmt::put_escaped(p, meta_.station);
            *p++ = '"';
        }
        if (meta_.line != 0) {
            p = fmt::put(p, ",\"line\":");
            p = fmt::put_u64(p, meta_.line);
        }
        p_ = fmt::put(p, "}\n");
    }

    template <class T>
    requires std::is_integral_v<T>
    [[gnu::always_inline]] void operator()(const Field& f, const T& x) noexcept {
        if ((f.flags & kNoJson) != 0) return;
        const auto v = static_cast<std::int64_t>(x);
        if (present::remember_part(f, v, date_)) return;
        key(f.name);
        p_ = present::put_value<present::Strings::json>(p_, f, v, date_);
        if (const std::string_view legend = present::companion(f, v); !legend.empty())
            text_companion(f.name, legend);
    }

    template <std::size_t N>
    void operator()(const Field& f, const Text<N>& t) noexcept {
        if ((f.flags & kNoJson) != 0) return;
        key(f.name);
        char* p = p_;
        *p++ = '"';
        p = fmt::put_escaped(p, t.view());
        *p++ = '"';
        p_ = p;
    }

    void operator()(const Field& f, const BitData& d) noexcept {
        static constexpr char kHex[] = "0123456789abcdef";
        key(f.name);
        char* p = p_;
        *p++ = '"';
        p = fmt::put_u64(p, d.nbits);
        *p++ = ':';
        for (std::size_t k = 0; k < d.nbytes(); ++k) {
            *p++ = kHex[d.bytes[k] >> 4];
            *p++ = kHex[d.bytes[k] & 15];
        }
        *p++ = '"';
        p_ = p;
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
    // The writing methods work on a local copy of p_ and store it back once: a store through a char
    // pointer may alias any object, p_ included, so `*p_++ = c` would reload and store p_ around every
    // byte (the JsonWriter lives in memory: visit() takes it by reference).
    [[gnu::always_inline]] void key(std::string_view name) noexcept {
        char* p = p_;
        std::memcpy(p, ",\"", 2);
        p = fmt::put(p + 2, name);
        std::memcpy(p, "\":", 2);
        p_ = p + 2;
    }
    [[gnu::always_inline]] void text_companion(std::string_view name, std::string_view legend_text) noexcept {
        char* p = p_;
        std::memcpy(p, ",\"", 2);
        p = fmt::put(p + 2, name);
        p = fmt::put(p, "_text\":\"");
        p = fmt::put(p, legend_text);  // legends need no escaping (present.hpp, legends_are_plain)
        *p++ = '"';
        p_ = p;
    }

    char* p_;
    const JsonMeta& meta_;
    present::DateParts date_;
};

}  // namespace

namespace {

/// n decimal digits at s[pos]; clears `ok` when one is missing or not a digit.
int fixed_digits(std::string_view s, std::size_t pos, std::size_t n, bool& ok) noexcept {
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const char c = pos + k < s.size() ? s[pos + k] : 'x';
        if (c < '0' || c > '9') {
            ok = false;
            return 0;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<std::int64_t> parse_rxtime(std::string_view s) noexcept {
    constexpr std::size_t kSecondsLength = 20;  // "YYYY-MM-DDTHH:MM:SSZ"
    constexpr std::size_t kMillisLength = 24;   // "YYYY-MM-DDTHH:MM:SS.mmmZ"
    bool ok = s.size() >= kSecondsLength && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
              s[16] == ':' && s.back() == 'Z';
    const int y = fixed_digits(s, 0, 4, ok), mo = fixed_digits(s, 5, 2, ok), d = fixed_digits(s, 8, 2, ok);
    const int h = fixed_digits(s, 11, 2, ok), mi = fixed_digits(s, 14, 2, ok), sec = fixed_digits(s, 17, 2, ok);
    int ms = 0;
    if (ok && s.size() >= kMillisLength && s[19] == '.') ms = fixed_digits(s, 20, 3, ok);
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return ((days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + ms;
}

namespace {

/// v < 100 as two digits.
[[gnu::always_inline]] inline char* put_two_digits(char* p, unsigned v) noexcept {
    std::memcpy(p, fmt::kDigitPairs + 2 * v, 2);
    return p + 2;
}

constexpr std::int64_t kMillisPerSecondI = 1000;
constexpr std::int64_t kSecondsPerDayI = 86'400;
constexpr unsigned kSecondsPerHour = 3600;
constexpr unsigned kSecondsPerMinute = 60;

/// The date part "YYYY-MM-DDT" of day `days` since the epoch (a '-' before a negative year; more
/// than four digits when the year needs them).
struct DatePrefix {
    static constexpr std::size_t kMaxChars = 24;  // '-', 9 year digits, "-MM-DDT"
    std::int64_t days = std::numeric_limits<std::int64_t>::min();  // no day: the first call fills it
    std::array<char, kMaxChars> text{};
    std::size_t size = 0;

    void set(std::int64_t d) noexcept {
        days = d;
        // civil_from_days (H. Hinnant)
        d += 719468;
        const std::int64_t era = (d >= 0 ? d : d - 146096) / 146097;
        const auto doe = static_cast<unsigned>(d - era * 146097);
        const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
        const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const unsigned mp = (5 * doy + 2) / 153;
        const unsigned day = doy - (153 * mp + 2) / 5 + 1;
        const unsigned mth = mp < 10 ? mp + 3 : mp - 9;
        if (mth <= 2) ++y;
        char* p = text.data();
        if (y < 0) {
            *p++ = '-';
            y = -y;
        }
        p = fmt::put_u64_pad(p, static_cast<std::uint64_t>(y), 4);
        *p++ = '-';
        p = put_two_digits(p, mth);
        *p++ = '-';
        p = put_two_digits(p, day);
        *p++ = 'T';
        size = static_cast<std::size_t>(p - text.data());
    }
};

/// Consecutive messages nearly always share their day: its text is computed once per thread and day.
thread_local DatePrefix t_date_prefix;

}  // namespace

char* format_rxtime(char* p, std::int64_t ms) noexcept {
    const std::int64_t secs = ms >= 0 ? ms / kMillisPerSecondI : (ms - 999) / kMillisPerSecondI;
    const auto msec = static_cast<unsigned>(ms - secs * kMillisPerSecondI);
    const std::int64_t days = secs >= 0 ? secs / kSecondsPerDayI : (secs - (kSecondsPerDayI - 1)) / kSecondsPerDayI;
    const auto sod = static_cast<unsigned>(secs - days * kSecondsPerDayI);
    DatePrefix& date = t_date_prefix;
    if (days != date.days) [[unlikely]]
        date.set(days);
    std::memcpy(p, date.text.data(), date.size);
    p += date.size;
    p = put_two_digits(p, sod / kSecondsPerHour);
    *p++ = ':';
    p = put_two_digits(p, sod / kSecondsPerMinute % 60);
    *p++ = ':';
    p = put_two_digits(p, sod % kSecondsPerMinute);
    *p++ = '.';
    *p++ = static_cast<char>('0' + msec / 100);
    p = put_two_digits(p, msec % 100);
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
