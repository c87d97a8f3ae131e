// Decoded-dump parsers of ingest (CSV dialects, --columns CSV, GFW JSON): splitting, units, "not
// available" values, times, format detection, bad rows by kind. Real data where ../shared has it (the
// GFW segmenter JSON, the Ever Given CSV), hand-made rows for the dialects it lacks.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "vesselwatch/track/ingest_rows.hpp"
#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"

using namespace vw::track;

namespace {

constexpr std::string_view kMarineCadastreHeader =
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,"
    "TransceiverClass";
constexpr std::string_view kDmaHeader =
    "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,"
    "Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D";

std::vector<std::string> split(CsvSplitter& s, std::string_view line) {
    EXPECT_EQ(s.add_line(line), CsvSplitter::Status::complete);
    return {s.fields().begin(), s.fields().end()};
}

CsvRowReader reader(InputFormat f, std::string_view header, const RowOptions& o = {}) {
    std::string missing;
    auto r = CsvRowReader::from_header(f, header, o, missing);
    EXPECT_TRUE(r.has_value()) << missing;
    return *r;
}

// The row's text fields view into the splitter: it outlives the checks of each row.
CsvSplitter g_splitter;

std::optional<RowIssue> parse_csv(const CsvRowReader& r, std::string_view line, DecodedRow& row) {
    EXPECT_EQ(g_splitter.add_line(line), CsvSplitter::Status::complete);
    return r.parse(g_splitter.fields(), row);
}

}  // namespace

TEST(IngestRows, SplitterRfc4180) {
    CsvSplitter s;
    EXPECT_EQ(split(s, "a,b,,d"), (std::vector<std::string>{"a", "b", "", "d"}));
    EXPECT_EQ(split(s, "a,"), (std::vector<std::string>{"a", ""}));
    EXPECT_EQ(split(s, "\"x, y\",\"say \"\"hi\"\"\",z"), (std::vector<std::string>{"x, y", "say \"hi\"", "z"}));
    EXPECT_EQ(split(s, "\"\",1"), (std::vector<std::string>{"", "1"}));
    // a quoted field holding a line end spans two physical lines
    EXPECT_EQ(s.add_line("1,\"LINE ONE"), CsvSplitter::Status::needs_more);
    EXPECT_TRUE(s.open());
    EXPECT_EQ(s.add_line("LINE TWO\",3"), CsvSplitter::Status::complete);
    EXPECT_EQ(s.lines(), 2u);
    EXPECT_EQ((std::vector<std::string>{s.fields().begin(), s.fields().end()}),
              (std::vector<std::string>{"1", "LINE ONE\nLINE TWO", "3"}));
    // and the next record starts afresh
    EXPECT_EQ(split(s, "q"), (std::vector<std::string>{"q"}));
    EXPECT_EQ(s.lines(), 1u);
    // a quote never closed is abandoned after kMaxRecordLines lines
    CsvSplitter t;
    CsvSplitter::Status st = t.add_line("\"open");
    for (std::size_t k = 0; k < kMaxRecordLines && st == CsvSplitter::Status::needs_more; ++k) st = t.add_line("more");
    EXPECT_EQ(st, CsvSplitter::Status::too_long);
}

TEST(IngestRows, DetectFormat) {
    EXPECT_EQ(detect_input_format(kMarineCadastreHeader), InputFormat::marinecadastre);
    EXPECT_EQ(detect_input_format(std::string("\xEF\xBB\xBF") + std::string(kMarineCadastreHeader)),
              InputFormat::marinecadastre);
    EXPECT_EQ(detect_input_format(kDmaHeader), InputFormat::dma);
    EXPECT_EQ(detect_input_format("{\"ssvid\": \"1\"}"), InputFormat::gfw_json);
    EXPECT_EQ(detect_input_format("!AIVDM,1,1,,B,15N0>s?P00G?k7RKAC4h;ww00@C:,0*1C"), InputFormat::nmea);
    EXPECT_EQ(detect_input_format("\\s:66,c:1661782474*36\\!AIVDM,1,1,,A,36=nR7OP0>69WMN3Gt:mu?w02000,0*07"),
              InputFormat::nmea);
    EXPECT_EQ(detect_input_format("1327992119.157 !AIVDM,1,1,,B,IFICEMae<`HfcEV4M8aEWM<2VH1j6?;6<t9>,0*51"),
              InputFormat::nmea);
    EXPECT_EQ(detect_input_format("ssvid,lat,lon,timestamp"), std::nullopt);  // needs --columns
    EXPECT_EQ(input_format_from_name("gfw-json"), InputFormat::gfw_json);
    EXPECT_EQ(input_format_from_name("xml"), std::nullopt);
}

TEST(IngestRows, MarineCadastreRow) {
    const CsvRowReader r = reader(InputFormat::marinecadastre, kMarineCadastreHeader);
    DecodedRow row;
    ASSERT_EQ(parse_csv(r,
                        "367596940,2023-01-01T00:00:06,29.74539,-95.08981,0.1,201.5,511,PAULA ANN,IMO9074729,"
                        "WDH6498,31,0,21,9,3.2,,A",
                        row),
              std::nullopt);
    EXPECT_EQ(row.mmsi, 367596940u);
    EXPECT_EQ(row.time_ms, *parse_time("2023-01-01T00:00:06Z"));
    EXPECT_TRUE(row.has_position);
    EXPECT_EQ(row.lat, 17847234);  // 29.74539 deg * 600000
    EXPECT_EQ(row.lon, -57053886);
    EXPECT_EQ(row.sog, 1);
    EXPECT_EQ(row.cog, 2015);
    EXPECT_EQ(row.heading, kHeadingUnavailable);
    EXPECT_EQ(row.status, 0);
    EXPECT_EQ(row.identity.name, "PAULA ANN");
    EXPECT_EQ(row.identity.imo, 9074729u);
    EXPECT_EQ(row.identity.callsign, "WDH6498");
    EXPECT_EQ(row.identity.ship_type, 31);
    EXPECT_EQ(row.identity.to_bow, 21);   // length, split unknown
    EXPECT_EQ(row.identity.to_port, 9);   // width
    EXPECT_EQ(row.identity.draught_dm, 32);
    EXPECT_EQ(row.identity.station_class, StationClass::class_a);

    // not-available values and a short row with every used column present
    ASSERT_EQ(parse_csv(r, "367596940,2023-01-01 00:01:06,91,181,102.3,360,511,,,,,,,,,,", row), std::nullopt);
    EXPECT_EQ(row.lat, kLatUnavailable);
    EXPECT_EQ(row.lon, kLonUnavailable);
    EXPECT_EQ(row.sog, kSogUnavailable);
    EXPECT_EQ(row.cog, kCogUnavailable);
    EXPECT_FALSE(row.identity.any());
}

TEST(IngestRows, MarineCadastreBadRows) {
    const CsvRowReader r = reader(InputFormat::marinecadastre, kMarineCadastreHeader);
    DecodedRow row;
    EXPECT_EQ(parse_csv(r, "x,2023-01-01T00:00:06,1,2,,,,,,,,,,,,,", row), RowIssue::bad_mmsi);
    EXPECT_EQ(parse_csv(r, "1234567890,2023-01-01T00:00:06,1,2,,,,,,,,,,,,,", row), RowIssue::bad_mmsi);
    EXPECT_EQ(parse_csv(r, "367596940,2023-13-01T00:00:06,1,2,,,,,,,,,,,,,", row), RowIssue::bad_time);
    EXPECT_EQ(parse_csv(r, "367596940,,1,2,,,,,,,,,,,,,", row), RowIssue::bad_time);
    EXPECT_EQ(parse_csv(r, "367596940,2023-01-01T00:00:06,1.2.3,2,,,,,,,,,,,,,", row), RowIssue::bad_number);
    EXPECT_EQ(parse_csv(r, "367596940,2023-01-01T00:00:06,1", row), RowIssue::field_count);
    EXPECT_EQ(parse_csv(r, "367596940,2023-01-01T00:00:06,,,,,,,,,,,,,,,", row), RowIssue::no_data);
}

// Number forms in CSV fields: signs, bare '.', leading zeros, more digits than are kept (12
// significant), exponents, halves (rounded away from zero) and malformed text. The latitude is
// scaled by 600000 (1/10000 minute).
TEST(IngestRows, NumberForms) {
    const CsvRowReader r = reader(InputFormat::marinecadastre, kMarineCadastreHeader);
    auto lat_of = [&](std::string_view text) -> std::optional<std::int32_t> {
        DecodedRow row;
        const std::string line = "367596940,2023-01-01T00:00:06," + std::string(text) + ",2,,,,,,,,,,,,,";
        if (parse_csv(r, line, row)) return std::nullopt;
        return row.lat;
    };
    struct Case {
        std::string_view text;
        std::int32_t lat;
    };
    for (const Case& c : {Case{"29.74539", 17847234}, Case{"-29.74539", -17847234}, Case{"+29.74539", 17847234},
                          Case{"0", 0}, Case{"-0", 0}, Case{".5", 300000}, Case{"12.", 7200000}, Case{"-.5", -300000},
                          // 12 and 13 characters: the 13th is a digit past the 12 significant ones kept
                          Case{"12.345678901", 7407407}, Case{"12.3456789012", 7407407},
                          Case{"00000012.345", 7407000}, Case{"000000012.345", 7407000},
                          // halves round away from zero
                          Case{"0.0000008333", 0}, Case{"0.00000083333", 0},
                          Case{"0.0000025", 2}, Case{"-0.0000025", -2}, Case{"0.00000250000", 2},
                          // exponents
                          Case{"2.974539e1", 17847234}, Case{"2974539E-5", 17847234}}) {
        SCOPED_TRACE(c.text);
        EXPECT_EQ(lat_of(c.text), c.lat);
    }
    DecodedRow row;
    for (std::string_view bad : {"1.2.3", "-", "+", ".", "1-2", "12a", "1.2.3.4.5.6.7", "1e", "--1"}) {
        SCOPED_TRACE(bad);
        const std::string line = "367596940,2023-01-01T00:00:06," + std::string(bad) + ",2,,,,,,,,,,,,,";
        EXPECT_EQ(parse_csv(r, line, row), RowIssue::bad_number);
    }
}

// Plain decimals ("-12.34567", "7.5", "123") take a one-pass reader and, when they have no more
// decimals than the field's scale factor has zeros, a multiplication instead of a rounded division.
// Checked against exact arithmetic: value * factor rounded half away from zero, for random plain
// numbers of up to 12 digits (all of them significant for the parser) with 0 to 8 decimals, and the
// same numbers with a '+', spaces or an exponent (the general path) around them.
TEST(IngestRows, PlainNumbersMatchExactArithmetic) {
    const CsvRowReader r = reader(InputFormat::marinecadastre, kMarineCadastreHeader);
    std::mt19937_64 rng(20261130);
    // round(n / 10^decimals * factor), half away from zero, exactly (n < 10^12, factor <= 600000: fits)
    auto exact = [](std::int64_t n, int decimals, std::int64_t factor) {
        std::int64_t den = 1;
        for (int k = 0; k < decimals; ++k) den *= 10;
        const std::int64_t v = n * factor;
        const std::int64_t q = v / den, rem = v % den;
        const std::int64_t twice = 2 * (rem < 0 ? -rem : rem);
        return static_cast<std::int64_t>(q + (twice >= den ? (v < 0 ? -1 : 1) : 0));
    };
    std::size_t checked = 0;
    for (int round = 0; round < 20000; ++round) {
        const int int_digits = static_cast<int>(rng() % 3) + (round % 7 == 0 ? 0 : 1);  // 0-3
        const int decimals = static_cast<int>(rng() % 9);                               // 0-8
        if (int_digits + decimals == 0 || int_digits + decimals > 12) continue;
        std::string digits;
        for (int k = 0; k < int_digits + decimals; ++k) digits += static_cast<char>('0' + rng() % 10);
        const bool negative = rng() % 2 == 0;
        std::string text = negative ? "-" : "";
        text += digits.substr(0, static_cast<std::size_t>(int_digits));
        if (decimals > 0 || rng() % 4 == 0) text += ".";
        text += digits.substr(static_cast<std::size_t>(int_digits));
        std::int64_t n = 0;
        for (const char c : digits) n = n * 10 + (c - '0');
        if (negative) n = -n;
        // lat (degrees, 1/10000 minute), sog (knots, tenths), heading (degrees): their ranges
        const std::int64_t lat = exact(n, decimals, 600000);
        const std::int64_t sog = exact(n, decimals, 10);
        const std::int64_t heading = exact(n, decimals, 1);
        for (const std::string& form : {text, "+" + (negative ? std::string() : text), " " + text + " ",
                                        text + "e0"}) {
            if (form.empty() || form == "+") continue;
            SCOPED_TRACE(form);
            DecodedRow row;
            const std::string line = "367596940,2023-01-01T00:00:06," + form + ",2," + form + ",," + form + ",,,,,,,,,,";
            ASSERT_EQ(parse_csv(r, line, row), std::nullopt);
            if (lat >= -90 * 600000 && lat <= 90 * 600000) {
                EXPECT_EQ(row.lat, lat);
            }
            EXPECT_EQ(row.sog, sog < 0 || sog > kSogUnavailable ? kSogUnavailable : sog);
            EXPECT_EQ(row.heading, heading < 0 || heading > 511 ? kHeadingUnavailable : heading);
            ++checked;
        }
    }
    EXPECT_GT(checked, 40000u);
}

namespace {

/// Everything a parsed row says, its text fields by value.
std::string describe(const std::optional<RowIssue>& issue, const DecodedRow& r) {
    if (issue) return "issue " + std::string(row_issue_name(*issue));
    const RowIdentity& id = r.identity;
    auto opt = [](const auto& o) { return o ? std::to_string(static_cast<long long>(*o)) : std::string("-"); };
    std::string s = std::to_string(r.mmsi) + " " + std::to_string(r.time_ms) + " " + std::to_string(r.has_position) +
                    " " + std::to_string(r.lat) + " " + std::to_string(r.lon) + " " + std::to_string(r.sog) + " " +
                    std::to_string(r.cog) + " " + std::to_string(r.heading) + " " + std::to_string(r.turn) + " " +
                    std::to_string(r.status) + " " + std::to_string(r.type) + " |";
    for (const std::string_view t : {id.name, id.callsign, id.destination, id.eta}) s += std::string(t) + "|";
    s += std::to_string(static_cast<int>(id.station_class)) + " " + opt(id.imo) + " " + opt(id.ship_type) + " " +
         opt(id.to_bow) + " " + opt(id.to_stern) + " " + opt(id.to_port) + " " + opt(id.to_starboard) + " " +
         opt(id.draught_dm);
    return s;
}

}  // namespace

// The identity memo (a vessel's identity columns byte for byte as in its previous row: the parsed
// identity reused) against parsing every row, on random rows of the three CSV layouts: a few vessels
// whose identity columns repeat, change (one column at a time or all), go bad (a malformed number),
// come quoted (not plain: parsed) or empty (a row without data).
TEST(IngestRows, IdentityMemoGivesTheSameRowsAsParsing) {
    struct Layout {
        InputFormat format;
        std::string header;
        RowOptions options;
    };
    std::vector<Layout> layouts;
    layouts.push_back({InputFormat::marinecadastre, std::string(kMarineCadastreHeader), {}});
    layouts.push_back({InputFormat::dma, std::string(kDmaHeader), {}});
    RowOptions spread;
    spread.columns = parse_column_spec("mmsi=m,time=t,name=n,lat=y,callsign=c,lon=x,imo=i,sog=s,length=l,width=w");
    layouts.push_back({InputFormat::csv, "n,m,t,y,c,x,i,s,l,w", spread});
    std::mt19937_64 rng(7);
    auto pick = [&](std::initializer_list<const char*> v) { return std::string(v.begin()[rng() % v.size()]); };
    std::uint64_t rows = 0;
    for (const Layout& layout : layouts) {
        SCOPED_TRACE(layout.header);
        const CsvRowReader r = reader(layout.format, layout.header, layout.options);
        CsvSplitter plain_splitter, memo_splitter;
        RowIdentityMemo memo;
        // one vessel's identity columns, changed now and then
        struct Ship {
            std::string mmsi, name, callsign, imo, type, length, width, draught, cls;
        };
        std::vector<Ship> ships;
        for (int k = 0; k < 6; ++k)
            ships.push_back({std::to_string(219000000 + k), "SHIP " + std::to_string(k), "OX" + std::to_string(k),
                             std::to_string(9074729 + k), "70", "120", "20", "7.5", "A"});
        for (int n = 0; n < 20000; ++n) {
            Ship& s = ships[rng() % ships.size()];
            switch (rng() % 24) {  // most rows repeat the vessel's identity
                case 0: s.name = pick({"SHIP A", "SHIP AB", "SHIP", "", "NOT AVAILABLE", " SHIP A@@"}); break;
                case 1: s.callsign = pick({"OX1", "OX12", "", "B"}); break;
                case 2: s.imo = pick({"9074729", "IMO9074729", "", "0", "12x"}); break;  // 12x: bad number
                case 3: s.length = pick({"120", "12", "0", "", "1e2", "-5"}); break;
                case 4: s.width = pick({"20", "2", "", "x"}); break;
                case 5: s.cls = pick({"A", "B", "Class A", ""}); break;
                case 6: s.type = pick({"70", "Tanker", "", "7"}); break;
                default: break;
            }
            const std::string lat = rng() % 30 == 0 ? "" : std::to_string(55 + static_cast<int>(rng() % 100) / 100.0);
            const std::string lon = rng() % 30 == 0 ? "" : "12.5";
            std::string name = s.name;
            if (rng() % 40 == 0) name = "\"" + name + "\"";  // quoted: not plain
            std::string line;
            if (layout.format == InputFormat::marinecadastre) {
                line = s.mmsi + ",2023-01-01T00:00:0" + std::to_string(n % 10) + "," + lat + "," + lon + ",1.5,90,90," +
                       name + "," + s.imo + "," + s.callsign + "," + s.type + ",0," + s.length + "," + s.width + "," +
                       s.draught + ",70," + s.cls;
            } else if (layout.format == InputFormat::dma) {
                line = "01/03/2024 00:00:0" + std::to_string(n % 10) + "," + s.cls + "," + s.mmsi + "," + lat + "," +
                       lon + ",Moored,0,0.1,10,90," + s.imo + "," + s.callsign + "," + name + "," + s.type + ",," +
                       s.width + "," + s.length + ",GPS," + s.draught + ",AARHUS,,AIS,,,,";
            } else {
                line = name + "," + s.mmsi + ",2024-03-01T00:00:0" + std::to_string(n % 10) + "," + lat + "," +
                       s.callsign + "," + lon + "," + s.imo + ",3.5," + s.length + "," + s.width;
            }
            SCOPED_TRACE(line);
            ASSERT_EQ(plain_splitter.add_line(line), CsvSplitter::Status::complete);
            ASSERT_EQ(memo_splitter.add_line(line), CsvSplitter::Status::complete);
            DecodedRow a, b;
            const auto ia = r.parse(plain_splitter.fields(), a);
            const auto ib = r.parse(memo_splitter.fields(), b, memo_splitter.plain() ? &memo : nullptr);
            ASSERT_EQ(describe(ia, a), describe(ib, b));
            ++rows;
        }
        EXPECT_LE(memo.size(), ships.size());
        EXPECT_GT(memo.hits(), 5000u) << "the memo was hardly used";
    }
    EXPECT_EQ(rows, 60000u);
}

// Two identity columns with a position column between them are two runs: bytes moving from one to
// the other ("AB","C" then "A","BC") is a different identity, not a repeat.
TEST(IngestRows, IdentityMemoKeepsTheRunsApart) {
    RowOptions o;
    o.columns = parse_column_spec("mmsi=m,time=t,name=n,lat=y,callsign=c,lon=x");
    const CsvRowReader r = reader(InputFormat::csv, "m,t,n,y,c,x", o);
    CsvSplitter splitter;
    RowIdentityMemo memo;
    DecodedRow row;
    ASSERT_EQ(splitter.add_line("219000606,1700000000,AB,55,C,12"), CsvSplitter::Status::complete);
    ASSERT_EQ(r.parse(splitter.fields(), row, &memo), std::nullopt);
    EXPECT_EQ(row.identity.name, "AB");
    ASSERT_EQ(splitter.add_line("219000606,1700000001,A,55,BC,12"), CsvSplitter::Status::complete);
    ASSERT_EQ(r.parse(splitter.fields(), row, &memo), std::nullopt);
    EXPECT_EQ(row.identity.name, "A");
    EXPECT_EQ(row.identity.callsign, "BC");
    ASSERT_EQ(splitter.add_line("219000606,1700000002,A,56,BC,13"), CsvSplitter::Status::complete);
    ASSERT_EQ(r.parse(splitter.fields(), row, &memo), std::nullopt);
    EXPECT_EQ(row.identity.callsign, "BC");
    EXPECT_EQ(memo.hits(), 1u);  // the third row repeats the second
}

TEST(IngestRows, DmaRow) {
    const CsvRowReader r = reader(InputFormat::dma, kDmaHeader);
    DecodedRow row;
    ASSERT_EQ(parse_csv(r,
                        "01/03/2024 00:00:01,Class A,219000606,55.606,12.615,Under way using engine,-2.0,9.5,"
                        "188.4,190,Unknown,OXTG2,\"SHIP, WITH COMMA\",Tanker,,12,80,GPS,5.6,AARHUS,"
                        "02/03/2024 06:00:00,AIS,60,20,6,6",
                        row),
              std::nullopt);
    EXPECT_EQ(row.mmsi, 219000606u);
    EXPECT_EQ(row.time_ms, *parse_time("2024-03-01T00:00:01Z"));
    EXPECT_EQ(row.lat, 33363600);
    EXPECT_EQ(row.status, 0);
    EXPECT_EQ(row.turn, -7);  // -4.733 * sqrt(2) = -6.69
    EXPECT_EQ(row.sog, 95);
    EXPECT_EQ(row.heading, 190);
    EXPECT_FALSE(row.identity.imo.has_value());  // "Unknown"
    EXPECT_EQ(row.identity.name, "SHIP, WITH COMMA");
    EXPECT_EQ(row.identity.ship_type, 80);
    EXPECT_EQ(row.identity.to_bow, 60);  // A/B/C/D win over length/width
    EXPECT_EQ(row.identity.to_stern, 20);
    EXPECT_EQ(row.identity.to_port, 6);
    EXPECT_EQ(row.identity.to_starboard, 6);
    EXPECT_EQ(row.identity.draught_dm, 56);
    EXPECT_EQ(row.identity.destination, "AARHUS");
    // the DMA writes its time as dd/mm/yyyy: ISO is a bad time there
    EXPECT_EQ(parse_csv(r, "2024-03-01 00:00:01,Class A,219000606,55.606,12.615,,,,,,,,,,,,,,,,,,,,,", row),
              RowIssue::bad_time);
}

TEST(IngestRows, ColumnsAndTimeFormat) {
    EXPECT_THROW((void)parse_column_spec("mmsi=a,lat=b,lon=c"), vw::ConfigError);  // no time
    EXPECT_THROW((void)parse_column_spec("mmsi=a,time=t,bogus=c"), vw::ConfigError);
    EXPECT_THROW((void)parse_column_spec("mmsi=a,time=t,mmsi=c"), vw::ConfigError);
    EXPECT_THROW((void)parse_column_spec("mmsi=a,time=t,lat=y"), vw::ConfigError);
    EXPECT_THROW(TimeFormat("%Q"), vw::ConfigError);
    RowOptions o;
    o.columns = parse_column_spec("mmsi=ID, time=ais_pos_timestamp, lat=latitude, lon=longitude");
    o.time_format = TimeFormat("%d/%m/%Y %H:%M");
    const CsvRowReader r = reader(InputFormat::csv, "\xEF\xBB\xBFID,ais_pos_timestamp,longitude,latitude", o);
    DecodedRow row;
    ASSERT_EQ(parse_csv(r, "1,20/03/2021 00:22,32.32925,31.4386", row), std::nullopt);
    EXPECT_EQ(row.mmsi, 1u);
    EXPECT_EQ(row.time_ms, *parse_time("2021-03-20T00:22:00Z"));
    EXPECT_EQ(row.lon, 19397550);
    EXPECT_EQ(row.lat, 18863160);
    std::string missing;
    EXPECT_FALSE(CsvRowReader::from_header(InputFormat::csv, "ID,when,x,y", o, missing).has_value());
    EXPECT_NE(missing.find("ais_pos_timestamp"), std::string::npos);

    EXPECT_EQ(TimeFormat("%s").parse("1700000000.5"), 1700000000500);
    EXPECT_EQ(TimeFormat("%Y%m%d%H%M%S%z").parse("20240102030405+0100"), *parse_time("2024-01-02T02:04:05Z"));
    EXPECT_EQ(parse_row_time("2018-01-01 00:12:19+00:00"), *parse_time("2018-01-01T00:12:19Z"));
    EXPECT_EQ(parse_row_time("2021-01-07T16:13:54.250-02:30"), *parse_time("2021-01-07T18:43:54.250Z"));
    EXPECT_EQ(parse_row_time("2021-01-07T16:13:54 UTC"), *parse_time("2021-01-07T16:13:54Z"));
    EXPECT_EQ(parse_row_time("2021-01-07T16:13:54 nonsense"), std::nullopt);
}

// "YYYY-MM-DDTHH:MM:SS" (19 characters) is read from fixed places; every 19-character time must give
// what the general reader gives for the same instant spelled with a zone, and what parse_time gives.
TEST(IngestRows, FixedPlaceTimesMatchTheGeneralReader) {
    for (const std::string_view t : {"2023-11-14T22:13:20", "1970-01-01T00:00:00", "2024-02-29 23:59:59",
                                     "0001-01-01T00:00:00", "9999-12-31T23:59:60", "2021-01-07T16:13:54"}) {
        SCOPED_TRACE(t);
        const auto fixed = parse_row_time(t);
        ASSERT_TRUE(fixed.has_value());
        EXPECT_EQ(fixed, parse_row_time(std::string(t) + "Z"));       // general path (20 characters)
        EXPECT_EQ(fixed, parse_row_time(" " + std::string(t) + " "));  // general path (trimmed)
    }
    EXPECT_EQ(parse_row_time("2023-11-14T22:13:20"), *parse_time("2023-11-14T22:13:20Z"));
    // not a time: wrong digits or fields out of range, whichever path reads them
    for (const std::string_view bad : {"2023-11-14T2a:13:20", "2023-13-14T22:13:20", "2023-11-32T22:13:20",
                                       "2023-11-14T24:13:20", "2023-11-14T22:60:20", "2023-11-14T22:13:61",
                                       "2023-11-14T22:13:-1", "2023/11/14T22:13:20", "2023-11-14X22:13:20"}) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(parse_row_time(bad), std::nullopt);
    }
}

// The date memo against no memo, over runs of times sharing a date (the memo's case), dates changing,
// clocks out of range, non-digits and the other separators.
TEST(IngestRows, DateMemoGivesTheSameTimes) {
    std::mt19937_64 rng(30);
    RowDateMemo memo;
    const std::vector<std::string> dates = {"2023-01-01", "2023-01-02", "2024-02-29", "2023-13-01", "2023-00-10",
                                            "1969-12-31", "2023-1a-01", "2023-02-31"};
    std::size_t hits = 0, checked = 0;
    for (int n = 0; n < 50000; ++n) {
        const std::string& date = dates[rng() % 8 < 6 ? n / 500 % 3 : rng() % dates.size()];
        char clock[16];
        std::snprintf(clock, sizeof clock, "%02u:%02u:%02u", static_cast<unsigned>(rng() % 26),
                      static_cast<unsigned>(rng() % 62), static_cast<unsigned>(rng() % 62));
        std::string t = date + (rng() % 2 ? "T" : " ") + clock;
        if (rng() % 50 == 0) t[11 + rng() % 8] = "x-:9 "[rng() % 5];  // a broken clock
        SCOPED_TRACE(t);
        const bool hit = memo.valid && std::string_view(memo.date.data(), memo.date.size()) == t.substr(0, 10);
        ASSERT_EQ(parse_row_time(t, &memo), parse_row_time(t));
        hits += hit ? 1 : 0;
        ++checked;
    }
    EXPECT_GT(hits, 20000u);
    EXPECT_EQ(checked, 50000u);
}

TEST(IngestRows, GfwJsonRow) {
    DecodedRow row;
    std::string scratch;
    ASSERT_EQ(parse_json_row(R"({"Index": 35937, "ssvid": "338142021", "type": "AIS.18", )"
                             R"("timestamp": "2021-01-07T16:27:03+00:00", "lon": -80.0479716667, "lat": 26.8064666667, )"
                             R"("speed": 20.2999992371, "course": 347.3999938965, "heading": 511.0, "shipname": null, )"
                             R"("identities": [{"shipname": "LADY S", "length": NaN, "count": 1}], "destinations": {}, )"
                             R"("status": NaN, "expected": "x"})",
                             row, scratch),
              std::nullopt);
    EXPECT_EQ(row.mmsi, 338142021u);
    EXPECT_EQ(row.type, 18);
    EXPECT_EQ(row.time_ms, *parse_time("2021-01-07T16:27:03Z"));
    EXPECT_EQ(row.lat, 16083880);
    EXPECT_EQ(row.lon, -48028783);
    EXPECT_EQ(row.sog, 203);
    EXPECT_EQ(row.cog, 3474);
    EXPECT_EQ(row.heading, kHeadingUnavailable);
    EXPECT_EQ(row.status, kStatusUndefined);
    EXPECT_FALSE(row.identity.any());
    // identity only, with an escaped name
    ASSERT_EQ(parse_json_row(R"({"ssvid": 338142021, "timestamp": 1610036034, "lat": NaN, "lon": NaN, )"
                             R"("shipname": "LADY \"S\"", "shiptype": "Tanker, No additional information"})",
                             row, scratch),
              std::nullopt);
    EXPECT_FALSE(row.has_position);
    EXPECT_EQ(row.identity.name, "LADY \"S\"");
    EXPECT_EQ(row.identity.ship_type, 80);
    EXPECT_EQ(parse_json_row(R"({"ssvid": "1", "timestamp": "x"})", row, scratch), RowIssue::bad_time);
    EXPECT_EQ(parse_json_row(R"({"timestamp": "2021-01-07T16:27:03Z", "lat": 1, "lon": 2})", row, scratch),
              RowIssue::bad_mmsi);
    EXPECT_EQ(parse_json_row(R"({"ssvid": "1", "timestamp": 5, "lat": 1)", row, scratch), RowIssue::bad_json);
    EXPECT_EQ(parse_json_row(R"([1,2])", row, scratch), RowIssue::bad_json);
    EXPECT_EQ(parse_json_row(std::string(100, '[') + "]", row, scratch), RowIssue::bad_json);
    std::string deep = R"({"ssvid": "1", "x": )" + std::string(100, '[') + std::string(100, ']') + "}";
    EXPECT_EQ(parse_json_row(deep, row, scratch), RowIssue::bad_json);  // nesting bounded
}

TEST(IngestRows, SharedGfwSegmenterFilesParse) {
    const std::filesystem::path dir = std::filesystem::path(VW_SHARED_DIR) / "data/tracks/gfw_segmenter";
    if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "../shared not present";
    std::size_t rows = 0, positions = 0, identities = 0, bad = 0;
    DecodedRow row;
    std::string scratch;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(e.path());
        std::string line;
        while (std::getline(in, line)) {
            ++rows;
            if (const auto issue = parse_json_row(line, row, scratch)) {
                ++bad;
                // the only rows not stored are type 24/5 reports whose every field is empty
                EXPECT_EQ(*issue, RowIssue::no_data) << e.path() << ": " << line.substr(0, 300);
                continue;
            }
            positions += row.has_position ? 1 : 0;
            identities += row.identity.any() ? 1 : 0;
        }
    }
    EXPECT_GT(rows, 40000u);
    EXPECT_LE(bad, 10u);
    EXPECT_GT(positions, rows * 8 / 10);  // types 1/3/18/27 carry a position
    EXPECT_GT(identities, 4000u);         // types 5/24 carry names
}

TEST(IngestRows, ShipTypeAndStatusTexts) {
    EXPECT_EQ(ship_type_from_text("Fishing"), 30);
    EXPECT_EQ(ship_type_from_text("Cargo, Hazardous category A"), 70);
    EXPECT_EQ(ship_type_from_text("Passenger"), 60);
    EXPECT_EQ(ship_type_from_text("Undefined"), std::nullopt);
    EXPECT_EQ(nav_status_from_text("Moored"), 5);
    EXPECT_EQ(nav_status_from_text("Engaged in fishing"), 7);
    EXPECT_EQ(nav_status_from_text("Unknown value"), 15);
}
