// CSV writer: fixed columns for every type, RFC 4180 quoting, and values identical to the JSON's.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ais_test_util.hpp"
#include "vesselwatch/ais/csv.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::ais {
namespace {

/// RFC 4180 parse of one row (without the line end).
std::vector<std::string> parse_row(std::string_view row) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < row.size(); ++i) {
        const char c = row[i];
        if (quoted) {
            if (c == '"' && i + 1 < row.size() && row[i + 1] == '"') {
                cells.back().push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back().push_back(c);
            }
        } else if (c == '"' && cells.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else {
            cells.back().push_back(c);
        }
    }
    return cells;
}

/// Our flat JSON line as key -> value text (strings unescaped and unquoted, numbers as printed).
std::map<std::string, std::string> json_values(std::string_view json) {
    std::map<std::string, std::string> out;
    std::size_t i = 1;  // after '{'
    while (i < json.size() && json[i] == '"') {
        const std::size_t k = json.find('"', i + 1);
        std::string key(json.substr(i + 1, k - i - 1));
        i = k + 2;  // past '":'
        std::string value;
        if (json[i] == '"') {
            for (++i; json[i] != '"'; ++i) {
                if (json[i] == '\\') ++i;
                value.push_back(json[i]);
            }
            ++i;
        } else {
            while (json[i] != ',' && json[i] != '}') value.push_back(json[i++]);
        }
        out[key] = value;
        if (json[i] == ',') ++i;
    }
    return out;
}

std::string csv_row(const Message& m, const JsonMeta& meta = {}) {
    OutBuffer out;
    write_csv(out, m, meta);
    return std::string(out.view());
}

/// Messages of every type: the libais examples and a real capture.
std::vector<Message> sample_messages() {
    std::vector<Message> v;
    for (const char* f : {"/data/ais/libais/typeexamples.nmea", "/data/ais/libais/test.aivdm"}) {
        for (const auto& raw : test::read_payloads(test::shared_dir() + f)) {
            Message m;
            if (decode(raw.armored, raw.fill_bits, m).ok) v.push_back(m);
        }
    }
    return v;
}

TEST(AisCsv, HeaderNamesTheColumns) {
    OutBuffer out;
    write_csv_header(out);
    const std::string h(out.view());
    ASSERT_EQ(h.back(), '\n');
    const auto cells = parse_row(std::string_view(h).substr(0, h.size() - 1));
    ASSERT_EQ(cells.size(), kCsvColumns.size());
    for (std::size_t i = 0; i < cells.size(); ++i) EXPECT_EQ(cells[i], kCsvColumns[i]);
    EXPECT_EQ(h.substr(0, 52), "device,line,rxtime,station,type,repeat,mmsi,status,t");
}

TEST(AisCsv, EveryTypeWritesEveryColumnAndTheJsonValues) {
    const auto msgs = sample_messages();
    if (msgs.empty()) GTEST_SKIP() << "shared data not found";
    std::set<unsigned> types;
    for (const Message& m : msgs) {
        const unsigned type = message_type(m);
        types.insert(type);
        SCOPED_TRACE("type " + std::to_string(type));
        const std::string row = csv_row(m);
        ASSERT_EQ(row.back(), '\n');
        ASSERT_EQ(std::count(row.begin(), row.end(), '\n'), 1);
        const auto cells = parse_row(std::string_view(row).substr(0, row.size() - 1));
        ASSERT_EQ(cells.size(), kCsvColumns.size()) << row;
        const auto json = json_values(test::to_json(m, ""));
        const bool app_fields = json.count("dac") != 0 && json.count("data") == 0;  // decoded application
        for (std::size_t c = 4; c < kCsvColumns.size(); ++c) {                      // after the metadata
            const std::string name(kCsvColumns[c]);
            const auto it = json.find(name);
            if (type == 27 && name == "status") {
                EXPECT_EQ(cells[c], std::to_string(std::get<LongRange>(m).status));
            } else if (app_fields && name != "dac" && name != "fid" && c > csv_column("mmsi")) {
                continue;  // application fields are not in the row
            } else if (it == json.end()) {
                EXPECT_EQ(cells[c], "") << name;
            } else {
                EXPECT_EQ(cells[c], it->second) << name << "\n" << row << test::to_json(m);
            }
        }
    }
    for (const unsigned t : {1u, 4u, 5u, 8u, 9u, 18u, 19u, 21u, 24u, 27u}) EXPECT_EQ(types.count(t), 1u) << t;
}

TEST(AisCsv, MetadataAndQuoting) {
    StaticVoyage m{};
    m.type = 5;
    m.mmsi = 351759000;
    m.shipname.assign("ALPHA, \"BETA\"");
    m.destination.assign("BOSTON");
    m.callsign.assign("9V\"");
    JsonMeta meta;
    meta.device = "rx,1.nmea";
    meta.line = 42;
    meta.rxtime_ms = 1418169601000;
    meta.station = "2573250";
    const std::string row = csv_row(m, meta);
    const std::string head = "\"rx,1.nmea\",42,2014-12-10T00:00:01.000Z,2573250,5,0,351759000,";
    EXPECT_EQ(row.substr(0, head.size()), head);
    EXPECT_NE(row.find(",\"9V\"\"\",\"ALPHA, \"\"BETA\"\"\",0,"), std::string::npos) << row;
    const auto cells = parse_row(std::string_view(row).substr(0, row.size() - 1));
    ASSERT_EQ(cells.size(), kCsvColumns.size());
    EXPECT_EQ(cells[csv_column("device")], "rx,1.nmea");
    EXPECT_EQ(cells[csv_column("shipname")], "ALPHA, \"BETA\"");
    EXPECT_EQ(cells[csv_column("callsign")], "9V\"");
    EXPECT_EQ(cells[csv_column("destination")], "BOSTON");
    EXPECT_EQ(cells[csv_column("eta")], "00-00T00:00Z");
    EXPECT_EQ(cells[csv_column("draught")], "0.0");
    EXPECT_EQ(cells[csv_column("lon")], "");

    const std::string bare = csv_row(m);  // no metadata: empty cells
    EXPECT_EQ(bare.substr(0, 6), ",,,,5,");
}

// Device paths and a tag block's station are the inputs' bytes: UTF-8 is kept, each maximal
// ill-formed subpart becomes U+FFFD (as in the JSON), and quoting still applies. (The last case, every
// byte of the station replaced, is the worst case of CsvWriter::max_row_bytes: 3 bytes out per byte.)
TEST(AisCsv, DeviceAndStationAreWrittenAsUtf8) {
    PositionA p{};
    p.type = 1;
    p.mmsi = 257123450;
    const std::string fffd = "\xEF\xBF\xBD";
    struct Case {
        std::string device, station, device_cell, station_cell;
    };
    const std::vector<Case> cases = {
        {"\xC3\x85lesund \xE2\x82\xAC.nmea", "RX1", "\xC3\x85lesund \xE2\x82\xAC.nmea", "RX1"},
        {"\xC5lesund.nmea", "RX \xE9st", fffd + "lesund.nmea", "RX " + fffd + "st"},
        {"a,\xE2\x82.nmea", "\"\xF0\x9F\x98\"", "\"a," + fffd + ".nmea\"", "\"\"\"" + fffd + "\"\"\""},
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
        const std::string row = csv_row(p, meta);
        const std::string head = c.device_cell + ",,," + c.station_cell + ",1,0,257123450,";
        EXPECT_EQ(row.substr(0, head.size()), head) << row;
        EXPECT_TRUE(is_valid_utf8(row));
    }
}

TEST(AisCsv, MessageOverloadMatchesTemplate) {
    PositionA p{};
    p.type = 1;
    p.mmsi = 367033650;
    p.lon = -42208143;
    p.speed = 1023;
    p.turn = 127;
    OutBuffer a, b;
    write_csv(a, p, JsonMeta{});
    write_csv(b, Message{p}, JsonMeta{});
    EXPECT_EQ(a.view(), b.view());
    const auto cells = parse_row(std::string(a.view()).substr(0, a.view().size() - 1));
    EXPECT_EQ(cells[csv_column("lon")], "-70.346905");
    EXPECT_EQ(cells[csv_column("speed")], "nan");
    EXPECT_EQ(cells[csv_column("turn")], "fastright");
    EXPECT_EQ(cells[csv_column("accuracy")], "false");
}

}  // namespace
}  // namespace vw::ais
