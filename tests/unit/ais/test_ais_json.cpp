// JSON writer against gpsd 3.22's gpsdecode, formatting details, metadata, and the JSON reader.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ais_test_util.hpp"
#include "vesselwatch/ais/legends.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::ais {
namespace {

constexpr const char* kGpsdecode = "/usr/bin/gpsdecode";

std::vector<std::string> run_gpsdecode(const std::string& nmea_path) {
    std::vector<std::string> lines;
    const std::string cmd = std::string(kGpsdecode) + " -j --split24 < '" + nmea_path + "' 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) return lines;
    std::string cur;
    for (int c; (c = std::fgetc(pipe.get())) != EOF;) {
        if (c == '\n') {
            if (!cur.empty() && cur.back() == '\r') cur.pop_back();
            lines.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(static_cast<char>(c));
        }
    }
    return lines;
}

// gpsd 3.22 disagrees with ITU-R M.1371-5 on these (docs/ais-fields.md, "Disagreements"): it decodes
// the 4 padding bits of a 104-bit type 20 as a third reservation, and never decodes the type 26
// communication state (always 0).
std::string normalise_known_gpsd_differences(std::string s) {
    if (s.find("\"type\":26,") != std::string::npos) {
        const auto at = s.rfind(",\"radio\":");
        if (at != std::string::npos) s = s.substr(0, at) + ",\"radio\":0}";
    }
    if (s.find("\"mmsi\":271485220,") != std::string::npos) {
        const auto at = s.find("\"offset3\":1792");
        if (at != std::string::npos) s.replace(at, 14, "\"offset3\":0");
    }
    return s;
}

TEST(AisJson, IdenticalToGpsdecodeOnTypeExamples) {
    const std::string path = test::shared_dir() + "/data/ais/libais/typeexamples.nmea";
    if (!test::file_exists(path)) GTEST_SKIP() << "shared data not found: " << path;
    if (!test::file_exists(kGpsdecode)) GTEST_SKIP() << "gpsd's gpsdecode is not installed";
    const auto expected = run_gpsdecode(path);
    const auto payloads = test::read_payloads(path);
    ASSERT_EQ(expected.size(), payloads.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        Message m;
        ASSERT_TRUE(decode(payloads[i].armored, payloads[i].fill_bits, m).ok);
        std::string ours = test::to_json(m);
        ASSERT_EQ(ours.back(), '\n');
        ours.pop_back();
        EXPECT_EQ(normalise_known_gpsd_differences(ours), normalise_known_gpsd_differences(expected[i]))
            << "line " << payloads[i].line;
    }
}

TEST(AisJson, IdenticalToGpsdecodeOnCaptures) {
    const std::string dir = test::shared_dir() + "/data/ais/";
    if (!test::file_exists(dir + "aisparser/seattle.log")) GTEST_SKIP() << "shared data not found: " << dir;
    if (!test::file_exists(kGpsdecode)) GTEST_SKIP() << "gpsd's gpsdecode is not installed";
    // single-sentence, well-formed captures: gpsdecode's output lines map 1:1 to our decodes
    for (const char* f : {"aisparser/seattle.log", "gfw-ais-tools/type8.nmea"}) {
        SCOPED_TRACE(f);
        const auto expected = run_gpsdecode(dir + f);
        std::vector<std::string> ours;
        for (const auto& raw : test::read_payloads(dir + f)) {
            Message m;
            if (!decode(raw.armored, raw.fill_bits, m).ok) continue;
            if (auto* t24 = std::get_if<StaticDataB>(&m)) {
                static Type24Pairer pairer;
                (void)pairer.add(*t24);
            }
            std::string s = test::to_json(m);
            s.pop_back();
            ours.push_back(normalise_known_gpsd_differences(s));
        }
        ASSERT_EQ(ours.size(), expected.size());
        for (std::size_t i = 0; i < ours.size(); ++i)
            EXPECT_EQ(ours[i], normalise_known_gpsd_differences(expected[i]));
    }
}

/// "!AIVDM,1,1,,A,<payload>,<fill>*hh" for a one-sentence payload.
std::string aivdm_sentence(const std::string& armored, unsigned fill) {
    const std::string body = "AIVDM,1,1,,A," + armored + "," + std::to_string(fill);
    unsigned sum = 0;
    for (const char c : body) sum ^= static_cast<unsigned char>(c);
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02X", sum);
    return "!" + body + "*" + hex;
}

// DAC 200 FI 10 (inland static data) in the shared captures, each message alone through gpsdecode.
TEST(AisJson, InlandStaticIdenticalToGpsdecode) {
    const std::string dir = test::shared_dir() + "/data/ais/";
    if (!test::file_exists(dir + "dma-aislib/stream_example.txt"))
        GTEST_SKIP() << "shared data not found: " << dir;
    if (!test::file_exists(kGpsdecode)) GTEST_SKIP() << "gpsd's gpsdecode is not installed";
    const std::filesystem::path tmp = std::filesystem::path(VW_TEST_TMP) / "ais";
    std::filesystem::create_directories(tmp);
    const std::string nmea = (tmp / "inland_static.nmea").string();
    std::vector<std::string> ours;
    std::set<std::uint32_t> mmsis;
    {
        std::ofstream f(nmea);
        for (const char* file : {"dma-aislib/stream_example.txt", "gfw-ais-tools/mixed_types.nmea"}) {
            for (const auto& raw : test::read_payloads(dir + file)) {
                Message m;
                if (!decode(raw.armored, raw.fill_bits, m).ok) continue;
                const auto* b = std::get_if<BinaryBroadcast>(&m);
                if (b == nullptr || b->dac != 200 || b->fid != 10) continue;
                EXPECT_TRUE(std::holds_alternative<InlandStatic>(b->app)) << raw.armored;
                mmsis.insert(b->mmsi);
                f << aivdm_sentence(raw.armored, raw.fill_bits) << "\r\n";
                std::string s = test::to_json(m);
                s.pop_back();
                ours.push_back(s);
            }
        }
    }
    EXPECT_EQ(ours.size(), 19u);
    EXPECT_EQ(mmsis.count(244670973), 1u);
    EXPECT_EQ(mmsis.count(244060875), 1u);
    const auto expected = run_gpsdecode(nmea);
    ASSERT_EQ(ours.size(), expected.size());
    for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], expected[i]);
}

// gpsd 3.22 decodes 200/10 only at exactly 168 bits with a hazard code of 0-5, and prints the ERI
// type legend of an ITU type code too (79 -> the first ERI type paired with 79).
TEST(AisJson, InlandStaticGpsdConditions) {
    BinaryBroadcast m{};
    m.type = 8;
    m.mmsi = 244670973;
    m.dac = 200;
    m.fid = 10;
    auto& a = m.app.emplace<InlandStatic>();
    a.vin.assign("02333145"), a.length = 1100, a.beam = 135, a.shiptype = 79, a.hazard = 5, a.draught = 350;
    a.loaded = 2, a.heading_q = true;
    encode_app(m.app, m.data);
    ASSERT_EQ(m.data.nbits, 112);
    Payload p;
    ASSERT_EQ(encode(m, p), EncodeStatus::ok);
    unsigned fill = 0;
    const std::string armored = armor_string(p, fill);
    Message back;
    ASSERT_TRUE(decode(armored, fill, back).ok);
    EXPECT_TRUE(Message{m} == back);
    const std::string json = test::to_json(back);
    EXPECT_NE(json.find("\"vin\":\"02333145\",\"length\":1100,\"beam\":135,\"shiptype\":79,"
                        "\"shiptype_text\":\"Motor freighter\",\"hazard\":5,\"hazard_text\":\"Unknown\","
                        "\"draught\":350,\"loaded\":2,\"loaded_text\":\"Loaded\",\"speed_q\":false,"
                        "\"course_q\":false,\"heading_q\":true}"),
              std::string::npos)
        << json;

    BitData hazardous = m.data;
    hazardous.bytes[10] |= 0x07;  // hazard 7
    EXPECT_EQ(app_index(8, 200, 10, hazardous), 0u);
    BitData longer = m.data;
    longer.nbits = 120;
    EXPECT_EQ(app_index(8, 200, 10, longer), 0u);
    EXPECT_EQ(app_index(6, 200, 10, m.data), 0u);
    EXPECT_EQ(app_index(8, 200, 10, m.data), 5u);

    EXPECT_EQ(legend::eri_ship_type(8441), "Illegal ship type value.");
    EXPECT_EQ(legend::eri_ship_type(0), "Illegal ship type value.");
    EXPECT_EQ(legend::eri_ship_type(90), "Tankbarge, liquid cargo, type N");
    EXPECT_EQ(legend::inland_hazard(6), "INVALID HAZARD TYPE");
    EXPECT_EQ(legend::inland_loaded(3), "INVALID LOAD STATUS");
}

TEST(AisJson, LatLonFormattingMatchesPrintf) {
    // degrees * 10^6 = round(v * 10 / 6) equals printf("%.6f", v / 600000.0) for every raw value
    char buf[64];
    for (std::int64_t v = -108600000; v <= 108600000; v += 9973) {
        for (const std::int64_t w : {v, v + 1, v + 2}) {
            std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(w) / 600000.0);
            PositionA m{};
            m.type = 1;
            m.lon = static_cast<std::int32_t>(w);
            const std::string json = test::to_json(m);
            ASSERT_NE(json.find(std::string("\"lon\":") + buf + ","), std::string::npos) << w << " " << json;
        }
    }
}

TEST(AisJson, MetadataAfterGpsdFields) {
    PositionA m{};
    m.type = 1;
    m.mmsi = 1;
    OutBuffer out;
    JsonMeta meta;
    meta.device = "rx\"1";
    meta.rxtime_ms = 1418169601000;
    meta.station = "2573250";
    meta.line = 42;
    write_json(out, m, meta);
    const std::string s(out.view());
    EXPECT_EQ(s.substr(0, 41), "{\"class\":\"AIS\",\"device\":\"rx\\\"1\",\"type\":1,");
    EXPECT_NE(
        s.find(",\"radio\":0,\"rxtime\":\"2014-12-10T00:00:01.000Z\",\"station\":\"2573250\",\"line\":42}\n"),
        std::string::npos)
        << s;
    OutBuffer no_device;
    write_json(no_device, m, JsonMeta{});
    EXPECT_EQ(std::string(no_device.view()).substr(0, 24), "{\"class\":\"AIS\",\"type\":1,");
}

// Device paths and a tag block's station are the inputs' bytes: UTF-8 is kept as it is (no \u00XX per
// byte, which would turn "\xC3\x85" into two Latin-1 characters), each maximal ill-formed subpart is
// U+FFFD, so the line is always UTF-8.
TEST(AisJson, DeviceAndStationAreWrittenAsUtf8) {
    PositionA m{};
    m.type = 1;
    m.mmsi = 1;
    const std::string fffd = "\xEF\xBF\xBD";
    struct Case {
        std::string device, station, device_json, station_json;
    };
    const std::vector<Case> cases = {
        {"\xC3\x85lesund \xE2\x82\xAC.nmea", "RX1", "\xC3\x85lesund \xE2\x82\xAC.nmea", "RX1"},
        {"\xC5lesund.nmea", "RX \"\xE9st\"", fffd + "lesund.nmea", "RX \\\"" + fffd + "st\\\""},
        {"a\xE2\x82\x7F", "\xF0\x9F\x98\x80\xED\xA0\x80", "a" + fffd + "\\u007f", "\xF0\x9F\x98\x80" + fffd + fffd + fffd},
        {"x", std::string(40, '\xFF'), "x", [&] {
             std::string r;
             for (int k = 0; k < 40; ++k) r += fffd;
             return r;
         }()},
    };
    for (const Case& c : cases) {
        JsonMeta meta;
        meta.device = c.device;
        meta.station = c.station;
        OutBuffer out;
        write_json(out, m, meta);
        const std::string s(out.view());
        const std::string head = "{\"class\":\"AIS\",\"device\":\"" + c.device_json + "\",\"type\":1,";
        EXPECT_EQ(s.substr(0, head.size()), head) << s;
        EXPECT_NE(s.find(",\"station\":\"" + c.station_json + "\"}\n"), std::string::npos) << s;
        EXPECT_TRUE(is_valid_utf8(s));
    }
}

TEST(AisJson, IntegersAtEveryDigitCountAndStringsAtEveryLength) {
    // The integer writer counts digits from the bit length and makes up to 8 digits at once in a word;
    // the string writer copies 8 bytes at a time and ends with an overlapping word. Against
    // std::to_string and a plain escaper: every power of ten and its neighbours up to 2^64 - 1 (the
    // "line" field is 64-bit), random values of every bit length, and every length of a device name up
    // to 40 with nothing, a quote, a backslash or a control byte at each position.
    PositionA m{};
    m.type = 1;
    auto line_of = [&](std::uint64_t v) {
        OutBuffer out;
        JsonMeta meta;
        meta.line = v;
        write_json(out, m, meta);
        const std::string s(out.view());
        const auto at = s.rfind(",\"line\":");
        return at == std::string::npos ? std::string() : s.substr(at + 8, s.size() - at - 8 - 2);
    };
    std::vector<std::uint64_t> values = {1, 2, UINT64_MAX, UINT64_MAX - 1, std::uint64_t{1} << 63};
    for (std::uint64_t p = 10;; p *= 10) {
        values.insert(values.end(), {p - 1, p, p + 1});
        if (p > UINT64_MAX / 10) break;
    }
    for (unsigned b = 1; b < 64; ++b) values.insert(values.end(), {(std::uint64_t{1} << b) - 1, std::uint64_t{1} << b});
    std::uint64_t x = 88172645463325252ULL;  // and 100,000 values of every bit length (xorshift)
    for (int k = 0; k < 100'000; ++k) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (const std::uint64_t v = x >> (k % 64); v != 0) values.push_back(v);  // 0: no "line"
    }
    for (const std::uint64_t v : values) ASSERT_EQ(line_of(v), std::to_string(v)) << v;
    EXPECT_EQ(line_of(0), "");  // omitted

    auto escaped = [](std::string_view t) {  // ill-formed UTF-8 replaced (tested in UtilText), then escaped
        std::string r;
        for (const char c : utf8_replacing(t)) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                r += '\\';
                r += c;
            } else if (u < 0x20 || u == 0x7F) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", u);
                r += buf;
            } else {
                r += c;
            }
        }
        return r;
    };
    std::size_t strings = 0;
    for (std::size_t len = 1; len <= 40; ++len) {
        for (std::size_t at = 0; at <= len; ++at) {  // at == len: nothing to escape
            // one byte to escape, or a UTF-8 sequence (well-formed, kept; cut or stray, replaced) that may
            // cross the 8-byte words and the overlapping tail of the writer
            for (const std::string_view bad :
                 {"\"", "\\", "\x01", "\x7f", "\xc5", "\x80", "\xc3\x85", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe2\x82",
                  "\xed\xa0\x80"}) {
                std::string device;
                for (std::size_t k = 0; k < len; ++k) device += static_cast<char>('a' + (k * 7) % 26);
                if (at < len) device.replace(at, 1, bad);
                OutBuffer out;
                JsonMeta meta;
                meta.device = device;
                write_json(out, m, meta);
                const std::string want = "{\"class\":\"AIS\",\"device\":\"" + escaped(device) + "\",\"type\":1,";
                ASSERT_EQ(std::string(out.view()).substr(0, want.size()), want) << len << " " << at;
                ++strings;
                if (at == len) break;
            }
        }
    }
    EXPECT_GT(strings, 9000u);
}

namespace {

/// Lists the Fmt::scaled fields of an application struct, or sets one of them to a raw value, or
/// reads one back.
struct ScaledFields {
    enum class Mode { list, set, get } mode = Mode::list;
    std::vector<Field> found;
    std::string_view name;
    std::int64_t value = 0;
    template <class T>
    void operator()(const Field& f, T& x) {
        if constexpr (std::is_integral_v<T>) {
            if (f.fmt != Fmt::scaled) return;
            if (mode == Mode::list) found.push_back(f);
            else if (f.name == name && mode == Mode::set) x = static_cast<T>(value);
            else if (f.name == name) value = static_cast<std::int64_t>(x);
        }
    }
};

/// The JSON text of `name` in `json` (up to the next ',' or '}').
std::string json_value(const std::string& json, std::string_view name) {
    const std::string key = ",\"" + std::string(name) + "\":";
    const auto at = json.find(key);
    if (at == std::string::npos) return "<absent>";
    const auto from = at + key.size();
    return json.substr(from, json.find_first_of(",}", from) - from);
}

template <class A>
void check_scaled_fields(std::uint8_t fid, std::size_t& checked) {
    BinaryBroadcast m{};
    m.type = 8;
    m.dac = 1;
    m.fid = fid;
    ScaledFields lister;
    A probe{};
    visit_app(lister, probe, static_cast<A*>(nullptr));
    ASSERT_FALSE(lister.found.empty());
    for (const Field& f : lister.found) {
        // every raw value of the field's width, as a signed or an unsigned member holds it
        for (std::int64_t raw = -(std::int64_t{1} << (f.width - 1)); raw < (std::int64_t{1} << f.width); ++raw) {
            A a{};
            ScaledFields setter{ScaledFields::Mode::set, {}, f.name, raw};
            visit_app(setter, a, static_cast<A*>(nullptr));
            ScaledFields getter{ScaledFields::Mode::get, {}, f.name, 0};
            visit_app(getter, a, static_cast<A*>(nullptr));
            if (getter.value != raw) continue;  // not a value this member can hold
            m.app = a;
            OutBuffer out;
            write_json(out, m, JsonMeta{});
            char want[64];
            if (f.scale.divisor == 1 && f.scale.decimals == 0)
                std::snprintf(want, sizeof want, "%lld", static_cast<long long>(raw - f.scale.offset));
            else
                std::snprintf(want, sizeof want, "%.*f", static_cast<int>(f.scale.decimals),
                              static_cast<double>(raw - f.scale.offset) / f.scale.divisor);
            ASSERT_EQ(json_value(std::string(out.view()), f.name), want) << f.name << " raw " << raw;
            ++checked;
        }
    }
}

}  // namespace

TEST(AisJson, ScaledFieldsSameAsPrintf) {
    // Scaled fields with a divisor of 10^decimals are written from the integer, the others through a
    // double: both must print what printf("%.Nf", (raw - offset) / divisor) prints, for every raw
    // value each field can hold (negative ones for signed members).
    std::size_t checked = 0;
    check_scaled_fields<MetHydro236>(11, checked);
    check_scaled_fields<MetHydro289>(31, checked);
    EXPECT_GT(checked, 5'000u);
}

TEST(AisJson, GpsdQuirks) {
    Message m;
    ASSERT_TRUE(decode("403Ovl@000Htt<tSF0l4Q@100`Pq", 0, m).ok);
    EXPECT_NE(test::to_json(m).find("\"timestamp\":\"0000-00-00T24:60:60Z\""), std::string::npos);
    ASSERT_TRUE(decode("15N1u<PP1FJuvSRHOE6QIwwh0HQ6", 0, m).ok);
    EXPECT_NE(test::to_json(m).find("\"turn\":\"nan\""), std::string::npos);
    ASSERT_TRUE(decode("53eaFL02?;fwTPm7V219E@R1@PE8E<622222221@9hG1A7?@NCPSlm3kc5DhH8888888880", 2, m).ok);
    EXPECT_NE(test::to_json(m).find("\"eta\":\"12-30T16:30Z\""), std::string::npos);
}

TEST(AisJsonReader, ReadsGpsdecodeStyleInput) {
    JsonReader r;
    Message m;
    const std::string line =
        "{\"class\":\"AIS\",\"device\":\"stdin\",\"type\":1,\"repeat\":0,\"mmsi\":367033650,\"scaled\":true,"
        "\"status\":0,\"status_text\":\"Under way using "
        "engine\",\"turn\":\"nan\",\"speed\":8.6,\"accuracy\":false,"
        "\"lon\":-70.346905,\"lat\":42.798550,\"course\":35.9,\"heading\":511,\"second\":56,\"maneuver\":0,"
        "\"raim\":false,\"radio\":100422}";
    ASSERT_TRUE(r.read(line, m).ok);
    const auto& p = std::get<PositionA>(m);
    EXPECT_EQ(p.lon, -42208143);
    EXPECT_EQ(p.lat, 25679130);
    EXPECT_EQ(p.speed, 86);
    EXPECT_EQ(p.course, 359);
    EXPECT_EQ(p.turn, -128);
}

TEST(AisJsonReader, ExposesReceiveTimeAndStation) {
    JsonReader r;
    Message m;
    const std::string with =
        "{\"class\":\"AIS\",\"device\":\"stdin\",\"type\":1,\"repeat\":0,\"mmsi\":367033650,\"scaled\":true,"
        "\"status\":0,\"turn\":\"nan\",\"speed\":8.6,\"accuracy\":false,\"lon\":-70.346905,\"lat\":42.798550,"
        "\"course\":35.9,\"heading\":511,\"second\":56,\"maneuver\":0,\"raim\":false,\"radio\":100422,"
        "\"rxtime\":\"2024-03-01T12:34:56.789Z\",\"station\":\"SIM-rajin\"}";
    const auto a = r.read(with, m);
    ASSERT_TRUE(a.ok) << a.error;
    ASSERT_TRUE(a.rxtime_ms.has_value());
    EXPECT_EQ(*a.rxtime_ms, 1709296496789);  // date -u -d 2024-03-01T12:34:56Z +%s = 1709296496
    EXPECT_EQ(a.station, "SIM-rajin");
    std::string without = with;
    without.replace(without.find("2024-03-01T12:34:56.789Z"), 24, "yesterday");
    without.replace(without.find(",\"station\":\"SIM-rajin\""), 22, "");
    const auto b = r.read(without, m);
    ASSERT_TRUE(b.ok) << b.error;
    EXPECT_FALSE(b.rxtime_ms.has_value());
    EXPECT_TRUE(b.station.empty());
}

TEST(AisJsonTime, ParseRxtimeIsTheInverseOfFormatRxtime) {
    for (const std::int64_t ms : {std::int64_t{0}, std::int64_t{951782400000}, std::int64_t{1709296496789},
                                  std::int64_t{4102444799999}}) {
        char buf[32];
        char* end = format_rxtime(buf, ms);
        const auto back = parse_rxtime(std::string_view(buf, static_cast<std::size_t>(end - buf)));
        ASSERT_TRUE(back.has_value()) << std::string(buf, end);
        EXPECT_EQ(*back, ms);
    }
    EXPECT_EQ(parse_rxtime("2024-03-01T12:34:56Z"), std::optional<std::int64_t>(1709296496000));
    EXPECT_FALSE(parse_rxtime("2024-13-01T12:34:56Z").has_value());
    EXPECT_FALSE(parse_rxtime("2024-03-01 12:34:56Z").has_value());
    EXPECT_FALSE(parse_rxtime("2024-03-01T12:34:56").has_value());
}

TEST(AisJsonReader, MergedType24IsSplitForEncoding) {
    JsonReader r;
    Message m;
    const std::string line =
        "{\"class\":\"AIS\",\"device\":\"stdin\",\"type\":24,\"repeat\":0,\"mmsi\":563004990,\"scaled\":true,"
        "\"shipname\":\"ALPHA "
        "VENUS\",\"shiptype\":52,\"shiptype_text\":\"Tug\",\"vendorid\":\"TESLAM\",\"model\":3,"
        "\"serial\":4928,\"callsign\":\"9V5498\",\"to_bow\":10,\"to_stern\":20,\"to_port\":5,\"to_"
        "starboard\":5}";
    ASSERT_TRUE(r.read(line, m).ok);
    const auto& b = std::get<StaticDataB>(m);
    EXPECT_TRUE(b.merged);
    EXPECT_EQ(test::to_json(m), line + "\n");
    Payload p;
    EXPECT_EQ(encode(m, p), EncodeStatus::merged_type24);
    const auto [pa, pb] = split_type24(b);
    EXPECT_EQ(encode(pa, p), EncodeStatus::ok);
    EXPECT_EQ(encode(pb, p), EncodeStatus::ok);
}

// Found by fuzz_ais_payload: a 1/11 message cut short decodes lon as -2^24 (1/1000 minute); gpsd's
// %.4f degrees rounds to one step past the 25-bit range, and our own line must still read back.
TEST(AisJsonReader, CoarseLatLonAtTheRangeLimitReadsBack) {
    const std::string armored = "802R5Ph0BwwwAI";
    Message m;
    ASSERT_TRUE(decode(armored, 1, m).ok);
    const std::string json = test::to_json(m);
    EXPECT_NE(json.find("\"lon\":-279.6203"), std::string::npos) << json;
    JsonReader r;
    Message back;
    const auto res = r.read(json, back);
    ASSERT_TRUE(res.ok) << res.error;
    EXPECT_EQ(test::to_json(back), json);
}

TEST(AisJsonReader, ClearErrors) {
    JsonReader r;
    Message m;
    const std::string base = "{\"class\":\"AIS\",\"type\":10,\"repeat\":0,\"mmsi\":1,\"scaled\":true";
    EXPECT_NE(r.read("not json", m).error.find("not valid JSON"), std::string::npos);
    EXPECT_NE(r.read("[1,2]", m).error.find("not a JSON object"), std::string::npos);
    EXPECT_NE(r.read(base + "}", m).error.find("\"dest_mmsi\": missing"), std::string::npos);
    EXPECT_NE(r.read(base + ",\"dest_mmsi\":\"x\"}", m).error.find("\"dest_mmsi\": expected a number"),
              std::string::npos);
    EXPECT_NE(r.read(base + ",\"dest_mmsi\":2000000000}", m).error.find("out of range"), std::string::npos);
    EXPECT_NE(r.read("{\"class\":\"AIS\",\"type\":40}", m).error.find("unknown message type"),
              std::string::npos);
    EXPECT_NE(r.read("{\"class\":\"TPV\",\"type\":1}", m).error.find("class"), std::string::npos);
    EXPECT_TRUE(r.read(base + ",\"dest_mmsi\":417764534}", m).ok);
    const std::string t8 = "{\"class\":\"AIS\",\"type\":8,\"repeat\":0,\"mmsi\":1,\"dac\":2,\"fid\":3,";
    EXPECT_NE(r.read(t8 + "\"data\":\"16:0g00\"}", m).error.find("bad hex"), std::string::npos);
    EXPECT_NE(r.read(t8 + "\"data\":\"17:00\"}", m).error.find("hex length"), std::string::npos);
    EXPECT_NE(r.read(t8 + "\"data\":\"99999999999:00\"}", m).error.find("bit count"), std::string::npos);
    const std::string t5 =
        "{\"class\":\"AIS\",\"type\":5,\"repeat\":0,\"mmsi\":1,\"imo\":1,\"ais_version\":0,"
        "\"callsign\":\"ABCDEFGH\"";
    EXPECT_NE(r.read(t5 + "}", m).error.find("\"callsign\": text longer than 7"), std::string::npos);
}

}  // namespace
}  // namespace vw::ais
