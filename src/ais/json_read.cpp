// gpsd-style JSON line -> typed message (simdjson DOM), a visitor over the same field lists.
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <type_traits>

#include "bit_encoder.hpp"
#include "json_common.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/ais/legends.hpp"

namespace vw::ais {
namespace {

namespace dom = simdjson::dom;

/// Index of `s` in `table`, or -1.
template <class Table>
int find_legend(const Table& table, std::string_view s) {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i] == s) return static_cast<int>(i);
    return -1;
}

class JsonFieldReader {
public:
    explicit JsonFieldReader(dom::object obj) : obj_(obj) {}

    [[nodiscard]] bool failed() const noexcept { return !error_.empty(); }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

    template <class M>
    void header(M& m) {
        std::uint64_t v = 0;
        if (get_uint("type", v, 6)) m.type = static_cast<std::uint8_t>(v);
        if (get_uint("repeat", v, 2)) m.repeat = static_cast<std::uint8_t>(v);
        if (get_uint("mmsi", v, 30)) m.mmsi = static_cast<std::uint32_t>(v);
    }

    template <class T>
    requires std::is_integral_v<T>
    void operator()(const Field& f, T& x) {
        if (failed() || (f.flags & kNoJson) != 0) return;
        std::int64_t raw = 0;
        if (!read_raw(f, raw)) return;
        store(f, raw, x);
    }

    template <std::size_t N>
    void operator()(const Field& f, Text<N>& t) {
        if (failed() || (f.flags & kNoJson) != 0) return;
        std::string_view s;
        if (!get_string(f.name, s)) return;
        if (s.size() > N) {
            fail(f.name, "text longer than " + std::to_string(N) + " characters");
            return;
        }
        char buf[N];
        for (std::size_t k = 0; k < s.size(); ++k) buf[k] = sixbit_ascii(ascii_sixbit(s[k]));
        t.assign(std::string_view(buf, s.size()));
    }

    void operator()(const Field& f, BitData& d) {
        if (failed()) return;
        std::string_view s;
        if (!get_string(f.name, s)) return;
        const auto colon = s.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            fail(f.name, "expected \"<nbits>:<hex>\"");
            return;
        }
        std::size_t nbits = 0;
        for (std::size_t k = 0; k < colon; ++k) {
            if (s[k] < '0' || s[k] > '9' || nbits > kMaxDataBits) {
                fail(f.name, "bad bit count");
                return;
            }
            nbits = nbits * 10 + static_cast<std::size_t>(s[k] - '0');
        }
        const std::string_view hex = s.substr(colon + 1);
        if (nbits > kMaxDataBits) {
            fail(f.name, "more than " + std::to_string(kMaxDataBits) + " bits");
            return;
        }
        if (hex.size() != 2 * ((nbits + 7) / 8)) {
            fail(f.name, "hex length does not match the bit count");
            return;
        }
        d.bytes.fill(0);
        d.nbits = static_cast<std::uint16_t>(nbits);
        for (std::size_t k = 0; k < hex.size(); ++k) {
            const int h = hex_value(hex[k]);
            if (h < 0) {
                fail(f.name, "bad hex digit");
                return;
            }
            d.bytes[k / 2] |= static_cast<std::uint8_t>(k % 2 == 0 ? h << 4 : h);
        }
    }

    void count(std::size_t, std::size_t, std::size_t max, std::uint8_t& n, Entries = {}) {
        n = static_cast<std::uint8_t>(max);
    }

    void discriminator(const Field& f, bool& b) {
        if (failed()) return;
        std::int64_t raw = 0;
        if (read_raw(f, raw)) b = raw != 0;
    }

    void part24(const Field& f, std::uint8_t& partno, bool& merged) {
        if (failed()) return;
        auto e = obj_[f.name];
        if (e.error() == simdjson::NO_SUCH_FIELD) {  // gpsd's paired A+B record
            if (obj_["shiptype"].error() != simdjson::SUCCESS) {
                fail(f.name, "missing (and no part B fields)");
                return;
            }
            partno = 1;
            merged = true;
            return;
        }
        std::string_view s;
        if (!get_string(f.name, s)) return;
        if (s == "A") {
            partno = 0;
        } else if (s == "B") {
            partno = 1;
        } else {
            fail(f.name, "expected \"A\" or \"B\"");
        }
        merged = false;
    }

    template <std::size_t N>
    void aton_name(const Field& f, Text<N>& t) {
        (*this)(f, t);
    }

    void binary(const Field& f, BitData& d, App& app, unsigned msg_type, unsigned dac, unsigned fid) {
        if (failed()) return;
        if (obj_[f.name].error() == simdjson::SUCCESS) {
            (*this)(f, d);
            if (!failed()) detail::BitDecoder::decode_app(app, app_index(msg_type, dac, fid, d), d);
            return;
        }
        switch (app_candidate(msg_type, dac, fid)) {
            case 2:
                visit_app(*this, app.emplace<MetHydro236>(), static_cast<MetHydro236*>(nullptr));
                break;
            case 3:
                visit_app(*this, app.emplace<MetHydro289>(), static_cast<MetHydro289*>(nullptr));
                break;
            case 4:
                visit_app(*this, app.emplace<AtonMonitoring>(), static_cast<AtonMonitoring*>(nullptr));
                break;
            case 5:
                visit_app(*this, app.emplace<InlandStatic>(), static_cast<InlandStatic*>(nullptr));
                break;
            default:  // including 1 (text telegram): gpsd prints its data
                fail(f.name, "missing (no decoded application for this DAC/FI)");
                return;
        }
        d = BitData{};
        detail::BitEncoder::encode_app(app, d);
    }

private:
    static int hex_value(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    void fail(std::string_view field, const std::string& why) {
        if (error_.empty()) error_ = "field \"" + std::string(field) + "\": " + why;
    }

    bool lookup(std::string_view name, dom::element& e) {
        auto r = obj_[name];
        if (r.error() != simdjson::SUCCESS) {
            fail(name, "missing");
            return false;
        }
        e = r.value_unsafe();
        return true;
    }

    bool get_string(std::string_view name, std::string_view& s) {
        dom::element e;
        if (!lookup(name, e)) return false;
        if (e.get_string().get(s) != simdjson::SUCCESS) {
            fail(name, "expected a string");
            return false;
        }
        return true;
    }

    bool get_number(std::string_view name, double& x) {
        dom::element e;
        if (!lookup(name, e)) return false;
        if (e.get_double().get(x) != simdjson::SUCCESS) {
            fail(name, "expected a number");
            return false;
        }
        if (!std::isfinite(x)) {
            fail(name, "not a finite number");
            return false;
        }
        return true;
    }

    bool get_uint(std::string_view name, std::uint64_t& v, unsigned width) {
        dom::element e;
        if (!lookup(name, e)) return false;
        if (e.get_uint64().get(v) != simdjson::SUCCESS) {
            fail(name, "expected a non-negative integer");
            return false;
        }
        if (width < 64 && v >> width != 0) {
            fail(name, "out of range for " + std::to_string(width) + " bits");
            return false;
        }
        return true;
    }

    /// Number or legend string -> raw value, by the field's presentation.
    bool read_raw(const Field& f, std::int64_t& raw) {
        const std::string_view name = composite_key(f);
        dom::element e;
        if (!lookup(name, e)) return false;
        std::string_view s;
        const bool is_string = e.get_string().get(s) == simdjson::SUCCESS;
        switch (f.fmt) {
            case Fmt::boolean: {
                bool b = false;
                if (e.get_bool().get(b) == simdjson::SUCCESS) {
                    raw = b ? 1 : 0;
                    return true;
                }
                break;  // also accept 0/1
            }
            case Fmt::nav_status_text:
                if (is_string) return legend_value(f, legend::kNavStatus, s, raw);
                break;
            case Fmt::trend:
                if (is_string) return legend_value(f, legend::kTrend, s, raw);
                break;
            case Fmt::precip_text:
                if (is_string) return legend_value(f, legend::kPrecipType, s, raw);
                break;
            case Fmt::ice_text:
                if (is_string) return legend_value(f, legend::kIce, s, raw);
                break;
            case Fmt::rot:
                if (is_string) {
                    if (s == "nan")
                        raw = -128;
                    else if (s == "fastleft")
                        raw = -127;
                    else if (s == "fastright")
                        raw = 127;
                    else
                        return fail(f.name, "expected a number, \"nan\", \"fastleft\" or \"fastright\""),
                               false;
                    return true;
                }
                break;
            case Fmt::sog_tenths:
            case Fmt::sar_speed:
                if (is_string) {
                    if (s == "nan")
                        raw = 1023;
                    else if (s == "fast")
                        raw = 1022;
                    else
                        return fail(f.name, "expected a number, \"nan\" or \"fast\""), false;
                    return true;
                }
                break;
            case Fmt::sar_alt:
                if (is_string) {
                    if (s == "nan")
                        raw = 4095;
                    else if (s == "high")
                        raw = 4094;
                    else
                        return fail(f.name, "expected a number, \"nan\" or \"high\""), false;
                    return true;
                }
                break;
            case Fmt::corner_1e1min:
                if (is_string) return parse_scaled_string(f, s, 600.0, raw);
                break;
            case Fmt::ts_year:
            case Fmt::ts_month:
            case Fmt::ts_day:
            case Fmt::ts_hour:
            case Fmt::ts_minute:
            case Fmt::ts_second:
            case Fmt::eta_month:
            case Fmt::eta_day:
            case Fmt::eta_hour:
            case Fmt::eta_minute:
            case Fmt::dts_day:
            case Fmt::dts_hour:
            case Fmt::dts_minute:
                if (!is_string) return fail(name, "expected a date string"), false;
                return composite_part(f, s, raw);
            default:
                break;
        }
        if (is_string) return fail(name, "expected a number"), false;
        double x = 0;
        if (!get_number(name, x)) return false;
        double r = 0;
        switch (f.fmt) {
            case Fmt::boolean:
                if (x != 0 && x != 1) return fail(name, "expected true or false"), false;
                r = x;
                break;
            case Fmt::rot: {
                const int v = json::rot_from_value(x);
                if (v < 0 || x < 0) return fail(name, "out of range"), false;
                raw = v;
                return true;
            }
            case Fmt::sog_tenths:
            case Fmt::tenths:
                r = x * 10.0;
                break;
            case Fmt::latlon_1e4min:
                r = x * 600000.0;
                break;
            case Fmt::latlon_1e1min:
            case Fmt::corner_1e1min:
                r = x * 600.0;
                break;
            case Fmt::latlon_1e3min:
                r = x * 60000.0;
                break;
            case Fmt::scaled:
                r = x * f.scale.divisor + f.scale.offset;
                break;
            case Fmt::ana_05v:
                r = x * 20.0;
                break;
            default:
                r = x;
                break;
        }
        if (std::fabs(r) > 9.0e15) return fail(name, "out of range"), false;
        raw = std::llround(r);
        return true;
    }

    template <class Table>
    bool legend_value(const Field& f, const Table& table, std::string_view s, std::int64_t& raw) {
        const int i = find_legend(table, s);
        if (i < 0) return fail(f.name, "unknown value \"" + std::string(s) + "\""), false;
        raw = i;
        return true;
    }

    bool parse_scaled_string(const Field& f, std::string_view s, double mult, std::int64_t& raw) {
        double x = 0;
        const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
        if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || !std::isfinite(x))
            return fail(f.name, "expected a decimal number in a string"), false;
        raw = std::llround(x * mult);
        return true;
    }

    /// JSON key of a composite date part.
    static std::string_view composite_key(const Field& f) {
        switch (f.fmt) {
            case Fmt::ts_year:
            case Fmt::ts_month:
            case Fmt::ts_day:
            case Fmt::ts_hour:
            case Fmt::ts_minute:
            case Fmt::ts_second:
            case Fmt::dts_day:
            case Fmt::dts_hour:
            case Fmt::dts_minute:
                return "timestamp";
            case Fmt::eta_month:
            case Fmt::eta_day:
            case Fmt::eta_hour:
            case Fmt::eta_minute:
                return "eta";
            default:
                return f.name;
        }
    }

    /// "YYYY-MM-DDTHH:MM:SSZ", "MM-DDTHH:MMZ" or "DDTHH:MMZ": the numbers in order.
    bool composite_part(const Field& f, std::string_view s, std::int64_t& raw) {
        std::array<std::int64_t, 6> num{};
        std::size_t n = 0;
        std::size_t k = 0;
        while (k < s.size() && n < num.size()) {
            if (s[k] < '0' || s[k] > '9') break;
            std::int64_t v = 0;
            std::size_t digits = 0;
            while (k < s.size() && s[k] >= '0' && s[k] <= '9' && digits < 9)
                v = v * 10 + (s[k++] - '0'), ++digits;
            num[n++] = v;
            if (k < s.size() && (s[k] == '-' || s[k] == 'T' || s[k] == ':')) ++k;
        }
        std::size_t want = 0, idx = 0;
        switch (f.fmt) {
            case Fmt::ts_year:
                want = 6, idx = 0;
                break;
            case Fmt::ts_month:
                want = 6, idx = 1;
                break;
            case Fmt::ts_day:
                want = 6, idx = 2;
                break;
            case Fmt::ts_hour:
                want = 6, idx = 3;
                break;
            case Fmt::ts_minute:
                want = 6, idx = 4;
                break;
            case Fmt::ts_second:
                want = 6, idx = 5;
                break;
            case Fmt::eta_month:
                want = 4, idx = 0;
                break;
            case Fmt::eta_day:
                want = 4, idx = 1;
                break;
            case Fmt::eta_hour:
                want = 4, idx = 2;
                break;
            case Fmt::eta_minute:
                want = 4, idx = 3;
                break;
            case Fmt::dts_day:
                want = 3, idx = 0;
                break;
            case Fmt::dts_hour:
                want = 3, idx = 1;
                break;
            default:
                want = 3, idx = 2;
                break;
        }
        if (n != want || k + 1 != s.size() || s[k] != 'Z')
            return fail(composite_key(f), "malformed date \"" + std::string(s) + "\""), false;
        raw = num[idx];
        return true;
    }

    template <class T>
    void store(const Field& f, std::int64_t raw, T& x) {
        const unsigned w = f.width;
        if constexpr (std::is_same_v<T, bool>) {
            x = raw != 0;
        } else if constexpr (std::is_signed_v<T>) {
            const std::int64_t lim = std::int64_t{1} << (w - 1);
            // gpsd prints these coarser than they are sent: rounding may step just past the range
            if (f.fmt == Fmt::latlon_1e3min || f.fmt == Fmt::latlon_1e1min)
                raw = std::clamp(raw, -lim, lim - 1);
            if (raw < -lim || raw >= lim) return fail(composite_key(f), "out of range for the field's bits");
            x = static_cast<T>(raw);
        } else {
            if (raw < 0 || (w < 63 && raw >= (std::int64_t{1} << w)))
                return fail(composite_key(f), "out of range for the field's bits");
            x = static_cast<T>(raw);
        }
    }

    dom::object obj_;
    std::string error_;
};

}  // namespace

struct JsonReader::Impl {
    dom::parser parser;
};

JsonReader::JsonReader() : impl_(std::make_unique<Impl>()) {}
JsonReader::~JsonReader() = default;

JsonReadResult JsonReader::read(std::string_view line, Message& out) {
    JsonReadResult res;
    dom::element root;
    if (auto err = impl_->parser.parse(line.data(), line.size(), true).get(root); err != simdjson::SUCCESS) {
        res.error = std::string("not valid JSON: ") + simdjson::error_message(err);
        return res;
    }
    dom::object obj;
    if (root.get_object().get(obj) != simdjson::SUCCESS) {
        res.error = "not a JSON object";
        return res;
    }
    std::string_view cls;
    if (obj["class"].get_string().get(cls) == simdjson::SUCCESS && cls != "AIS") {
        res.error = "field \"class\": expected \"AIS\"";
        return res;
    }
    std::uint64_t type = 0;
    if (obj["type"].get_uint64().get(type) != simdjson::SUCCESS) {
        res.error = "field \"type\": missing or not a non-negative integer";
        return res;
    }
    JsonFieldReader r(obj);
    const bool known = with_message_type(static_cast<unsigned>(type), [&](auto* tag) {
        using T = std::remove_pointer_t<decltype(tag)>;
        T m{};
        visit(r, m, tag);
        if (!r.failed()) out = m;
    });
    if (!known) {
        res.error = "field \"type\": unknown message type " + std::to_string(type);
        return res;
    }
    if (r.failed()) {
        res.error = r.error();
        return res;
    }
    std::string_view text;
    if (obj["rxtime"].get_string().get(text) == simdjson::SUCCESS) res.rxtime_ms = parse_rxtime(text);
    if (obj["station"].get_string().get(text) == simdjson::SUCCESS) res.station = std::string(text);
    res.ok = true;
    return res;
}

}  // namespace vw::ais
