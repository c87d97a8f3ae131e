// Issue 7, text inputs: every line-based reader, through its real entry point, given the same hostile
// layout (hostile_corpus.hpp: NUL bytes, invalid UTF-8, LF / CRLF / lone CR, a 2 MiB line, binary
// garbage, a truncated last line) around four good records. Each must keep exactly the four good
// records — the last one after all the damage included — and count or note what it skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "hostile_corpus.hpp"
#include "hostile_nmea.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/json.hpp"
#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/pipeline/message_stream.hpp"
#include "vesselwatch/screen/csv_records.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/screen/matcher.hpp"
#include "vesselwatch/track/ingest.hpp"
#include "vesselwatch/util/error.hpp"

namespace fs = std::filesystem;
using vw::hostile::hostile_text;
using vw::hostile::HostileText;
using vw::hostile::kInvalidUtf8;
using vw::hostile::test_dir;
using vw::hostile::write_file;

namespace {

constexpr std::uint32_t kMmsi = 273444660;
using vw::hostile::kT0;
using vw::hostile::tag_block;
using vw::hostile::vdm;

std::vector<std::string> nmea_records() {
    std::vector<std::string> out;
    for (int k = 0; k < 4; ++k) out.push_back(vw::hostile::nmea_record(kMmsi, k));
    return out;
}

/// A sentence whose checksum is right but whose payload is not 6-bit armor (invalid UTF-8 bytes).
std::string nmea_bad_utf8() {
    return tag_block(kT0 + 30) + vdm("13u?et" + kInvalidUtf8 + "000", 0);
}

/// Physical lines as io::LineReader counts them (LF, CRLF, lone CR each end one line).
std::uint64_t count_lines(const std::string& s) {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n') {
            ++n;
        } else if (s[i] == '\r') {
            ++n;
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        }
    }
    const bool open_last = !s.empty() && s.back() != '\n' && s.back() != '\r';
    return n + (open_last ? 1 : 0);
}

std::uint64_t issue(const vw::pipeline::StreamStats& s, vw::Issue i) {
    return s.issues[i];
}

/// Lines of the stored positions of kMmsi, in time order.
std::vector<std::uint64_t> stored_lines(vw::track::Store& store) {
    std::vector<std::uint64_t> out;
    for (const auto& p : store.track(kMmsi, {})) out.push_back(p.ref.line);
    return out;
}

std::uint64_t row_issue(const vw::track::FileResult& r, vw::track::RowIssue i) {
    return r.row_issues[static_cast<std::size_t>(i)];
}

/// The line-level counts every line-based reader must show for the hostile layout.
void expect_line_issues(const vw::pipeline::StreamStats& s) {
    EXPECT_EQ(issue(s, vw::Issue::line_too_long), 1U);        // the 2 MiB line
    EXPECT_GE(issue(s, vw::Issue::binary_garbage), 2U);       // the NUL line and garbage lines
    EXPECT_EQ(issue(s, vw::Issue::truncated_last_line), 1U);  // the last record, kept
}

/// Ingests `bytes` as file `name` and checks the four good records are stored from their lines.
vw::track::FileResult ingest(const std::string& name, const HostileText& t,
                             const vw::track::IngestOptions& o) {
    const fs::path dir = test_dir();
    const std::string path = write_file(dir / name, t.bytes);
    vw::track::Store store((dir / "d.vw").string(), vw::track::Access::read_write);
    vw::track::Ingester ing(store, o);
    const vw::track::FileResult r = ing.ingest_file(path);
    EXPECT_EQ(r.outcome, vw::track::FileResult::Outcome::ingested);
    EXPECT_EQ(r.positions, 4U);
    const auto lines = stored_lines(store);
    EXPECT_EQ(lines.size(), 4U);
    if (lines.size() == 4) {
        const std::uint64_t first = t.nul_line - 1;
        EXPECT_EQ(lines[0], first);
        EXPECT_EQ(lines[1], first + 2);
        EXPECT_EQ(lines[2], first + 5);
        EXPECT_EQ(lines[3], count_lines(t.bytes));  // the truncated last line, after the garbage
    }
    expect_line_issues(r.stream);
    return r;
}

}  // namespace

// ---------------------------------------------------------------- NMEA

TEST(HostileText, NmeaThroughForEachMessage) {
    const fs::path dir = test_dir();
    const HostileText t = hostile_text(nmea_records(), nmea_bad_utf8());
    const std::string path = write_file(dir / "hostile.nmea", t.bytes);
    vw::pipeline::StreamStats stats;
    std::vector<std::uint64_t> lines;
    vw::pipeline::for_each_message(
        {path}, {}, stats, [&](const vw::pipeline::MessageOrigin& o) -> std::optional<vw::Issue> {
            vw::ais::Message m;
            const vw::ais::DecodeResult r = vw::ais::decode(o.nmea.payload, o.nmea.fill_bits, m);
            if (!r.ok) return r.issue;
            lines.push_back(o.nmea.first_line());
            return std::nullopt;
        });
    EXPECT_TRUE(stats.failed_inputs.empty());
    EXPECT_EQ(lines, (std::vector<std::uint64_t>{1, 3, 6, count_lines(t.bytes)}));
    expect_line_issues(stats);
    EXPECT_EQ(issue(stats, vw::Issue::bad_armor), 1U);  // the invalid UTF-8 payload (line 4)
    EXPECT_EQ(stats.physical_lines, count_lines(t.bytes));
}

TEST(HostileText, NmeaThroughTheIngester) {
    const HostileText t = hostile_text(nmea_records(), nmea_bad_utf8());
    const vw::track::FileResult r = ingest("hostile.nmea", t, {});
    EXPECT_EQ(r.format, "nmea");
    EXPECT_EQ(issue(r.stream, vw::Issue::bad_armor), 1U);
}

TEST(HostileText, NmeaStrictStopsAtTheFirstBadLineNamingIt) {
    const fs::path dir = test_dir();
    const HostileText t = hostile_text(nmea_records(), nmea_bad_utf8());
    const std::string path = write_file(dir / "hostile.nmea", t.bytes);
    vw::track::Store store((dir / "d.vw").string(), vw::track::Access::read_write);
    vw::track::IngestOptions o;
    o.stream.strictness = vw::pipeline::Strictness::fail_first;
    vw::track::Ingester ing(store, o);
    try {
        (void)ing.ingest_file(path);
        ADD_FAILURE() << "expected an InputError";
    } catch (const vw::InputError& e) {
        EXPECT_EQ(e.where().file, path);
        EXPECT_EQ(e.where().line, t.nul_line);
        EXPECT_NE(std::string(e.what()).find("binary_garbage"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(store.files().empty());  // nothing of the file kept
}

// ---------------------------------------------------------------- decoded dumps (ingest)

TEST(HostileText, MarineCadastreCsv) {
    std::vector<std::string> g;
    for (int k = 0; k < 4; ++k)
        g.push_back(std::to_string(kMmsi) + ",2023-11-14T22:1" + std::to_string(3 + k) + ":20,43." +
                    std::to_string(k + 1) + ",132.0,10.5,90.0,91,SHIP,IMO9074729,UBCD,80,0,120,20,7.5,,A");
    const std::string bad = kInvalidUtf8 + ",2023-11-14T22:13:50,43.9,132.0,10.5,90.0,91,SHIP,,,80,0,,,,,A";
    const HostileText t = hostile_text(
        g, bad,
        "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,"
        "Draft,Cargo,TransceiverClass");
    const vw::track::FileResult r = ingest("hostile_mc.csv", t, {});
    EXPECT_EQ(r.format, "marinecadastre");
    EXPECT_EQ(row_issue(r, vw::track::RowIssue::bad_mmsi), 1U);
    ASSERT_FALSE(r.row_issue_examples.empty());
    EXPECT_NE(r.row_issue_examples[0].find("hostile_mc.csv:" + std::to_string(t.utf8_line) + ": bad_mmsi"),
              std::string::npos)
        << r.row_issue_examples[0];
}

TEST(HostileText, DmaCsv) {
    std::vector<std::string> g;
    for (int k = 0; k < 4; ++k)
        g.push_back(
            "14/11/2023 22:1" + std::to_string(3 + k) + ":20,Class A," + std::to_string(kMmsi) + ",55." +
            std::to_string(k + 1) +
            ",12.615,Under way using engine,0,9.5,188.4,190,Unknown,OXTG2,\"SHIP, WITH COMMA\",Tanker,,12,"
            "80,GPS,5.6,AARHUS,02/03/2024 06:00:00,AIS,60,20,6,6");
    const std::string bad = "14/11/2023 22:13:50,Class A," + kInvalidUtf8 + ",55.9,12.6,,,,,,,,,,,,,,,,,,,,,";
    const HostileText t = hostile_text(
        g, bad,
        "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,"
        "Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,"
        "ETA,Data source type,A,B,C,D");
    const vw::track::FileResult r = ingest("hostile_dma.csv", t, {});
    EXPECT_EQ(r.format, "dma");
    EXPECT_EQ(row_issue(r, vw::track::RowIssue::bad_mmsi), 1U);
}

TEST(HostileText, ColumnsCsv) {
    std::vector<std::string> g;
    for (int k = 0; k < 4; ++k)
        g.push_back("\"" + std::to_string(kMmsi) + "\",14/11/2023 22:1" + std::to_string(3 + k) + ",1" +
                    std::to_string(k) + ".5,43." + std::to_string(k + 1));
    const std::string bad = std::to_string(kMmsi) + ",14/11/2023 22:2" + kInvalidUtf8 + ",1.5,43.0";
    const HostileText t = hostile_text(g, bad, "ID,when,x,y");
    vw::track::IngestOptions o;
    o.rows.columns = vw::track::parse_column_spec("mmsi=ID,time=when,lat=y,lon=x");
    o.rows.time_format = vw::track::TimeFormat("%d/%m/%Y %H:%M");
    const vw::track::FileResult r = ingest("hostile_columns.csv", t, o);
    EXPECT_EQ(r.format, "csv");
    EXPECT_EQ(row_issue(r, vw::track::RowIssue::bad_time), 1U);
}

TEST(HostileText, GfwJsonLines) {
    std::vector<std::string> g;
    for (int k = 0; k < 4; ++k)
        g.push_back(R"({"ssvid": ")" + std::to_string(kMmsi) + R"(", "timestamp": "2023-11-14T22:1)" +
                    std::to_string(3 + k) + R"(:20+00:00", "lon": 132.0, "lat": 43.)" +
                    std::to_string(k + 1) +
                    R"(, "speed": 10.5, "course": 90.0, "heading": 91.0, "shipname": "SHIP"})");
    // (the row parser is not simdjson: bytes inside strings are not validated, so the invalid UTF-8
    // goes where it makes the row unusable: the MMSI)
    const std::string bad = R"({"ssvid": ")" + kInvalidUtf8 +
                            R"(", "timestamp": "2023-11-14T22:13:50+00:00", "lon": 132.0, "lat": 43.9})";
    const HostileText t = hostile_text(g, bad);
    const vw::track::FileResult r = ingest("hostile_gfw.json", t, {});
    EXPECT_EQ(r.format, "gfw-json");
    EXPECT_EQ(row_issue(r, vw::track::RowIssue::bad_mmsi), 1U);
}

// gpsd JSON lines, as `vesselwatch encode` reads them (tools/command_encode.cpp: InputWalker ->
// LineReader -> ais::JsonReader; the loop is repeated here, the readers are the product's).
TEST(HostileText, GpsdJsonForEncode) {
    const fs::path dir = test_dir();
    std::vector<std::string> g;
    for (int k = 0; k < 4; ++k)
        g.push_back(
            R"({"class":"AIS","type":1,"repeat":0,"mmsi":)" + std::to_string(kMmsi) +
            R"(,"scaled":true,"status":0,"turn":0,"speed":10.5,"accuracy":false,"lon":132.5,"lat":43.)" +
            std::to_string(k + 1) +
            R"(,"course":90.0,"heading":91,"second":14,"maneuver":0,"raim":false,"radio":)" +
            std::to_string(k) + "}");
    const std::string bad =
        R"({"class":"AIS","type":5,"repeat":0,"mmsi":1,"shipname":")" + kInvalidUtf8 + "\"}";
    const HostileText t = hostile_text(g, bad);
    const std::string path = write_file(dir / "hostile.ndjson", t.bytes);
    vw::io::InputWalker walker({path});
    vw::ais::JsonReader reader;
    vw::ais::Message msg;
    std::vector<std::uint64_t> good_lines;
    std::vector<std::pair<std::uint64_t, std::string>> errors;
    vw::IssueCounts line_issues;
    while (vw::io::Source* src = walker.next()) {
        vw::io::LineReader lines(*src->bytes);
        vw::io::Line line;
        while (lines.next(line)) {
            const auto res = reader.read(line.text, msg);
            if (res.ok)
                good_lines.push_back(line.number);
            else
                errors.emplace_back(line.number, res.error);
        }
        line_issues.merge(lines.issues());
    }
    EXPECT_EQ(good_lines, (std::vector<std::uint64_t>{1, 3, 6, count_lines(t.bytes)}));
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].first, t.utf8_line);
    EXPECT_NE(errors[0].second.find("JSON"), std::string::npos) << errors[0].second;
    EXPECT_EQ(line_issues[vw::Issue::line_too_long], 1U);
    EXPECT_GE(line_issues[vw::Issue::binary_garbage], 2U);
    EXPECT_EQ(line_issues[vw::Issue::truncated_last_line], 1U);
}

// ---------------------------------------------------------------- sanctions lists (whole-file loaders)

namespace {

bool any_note(const vw::screen::LoadReport& rep, const std::string& part) {
    return std::any_of(rep.notes.begin(), rep.notes.end(),
                       [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

std::vector<std::string> ids(const vw::screen::LoadedList& l) {
    std::vector<std::string> out;
    for (const auto& e : l.entities) out.push_back(e.source_id);
    return out;
}

}  // namespace

TEST(HostileText, OfacCsv) {
    const fs::path dir = test_dir();
    std::vector<std::string> g;
    for (int k = 1; k <= 4; ++k)
        g.push_back(std::to_string(k) + ",\"VESSEL " + std::to_string(k) +
                    "\",\"vessel\",\"IRAN\",-0- ,\"EPBD" + std::to_string(k) +
                    "\",\"Crude Oil Tanker\",-0- ,-0- ,\"Iran\",-0- ,\"IMO 9179842.\"");
    // the NUL line reuses record 1's id: were the NUL not caught, it would be a duplicate
    const std::string bad =
        "7" + kInvalidUtf8 + ",\"BAD\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ";
    const HostileText t = hostile_text(g, bad);
    const std::string path = write_file(dir / "sdn.csv", t.bytes);
    const vw::screen::LoadedList l = vw::screen::load_list(path);
    EXPECT_EQ(l.info.format, vw::screen::ListFormat::ofac_csv);
    EXPECT_EQ(ids(l), (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_TRUE(any_note(l.report, "sdn.csv:" + std::to_string(t.nul_line) + ": control bytes"));
    EXPECT_TRUE(any_note(l.report, "' is not a number (record skipped)"));
    EXPECT_TRUE(any_note(l.report, ": expected 12 columns, found 1 (record skipped)"));
    EXPECT_GE(l.report.skipped, 4U);
}

TEST(HostileText, UkCsv) {
    const fs::path dir = test_dir();
    const std::string header =
        "Last Updated,Unique ID,OFSI Group ID,Name 6,Name 1,Name type,Designation Type,IMO number";
    std::vector<std::string> g;
    for (int k = 1; k <= 4; ++k)
        g.push_back("01/02/2024,RUS000" + std::to_string(k) + ",1000" + std::to_string(k) + ",\"VESSEL " +
                    std::to_string(k) + "\",,Primary Name,Ship,917984" + std::to_string(k));
    // invalid UTF-8 in a name is kept as bytes (names are screened through ICU, which replaces it)
    const std::string bad = "01/02/2024,RUS0009,10009,\"NAME " + kInvalidUtf8 + "\",,Primary Name,Ship,";
    const HostileText t = hostile_text(g, bad, "Report Date: 01-Feb-2024\n" + header);
    const std::string path = write_file(dir / "UK_Sanctions_List.csv", t.bytes);
    const vw::screen::LoadedList l = vw::screen::load_list(path);
    EXPECT_EQ(l.info.format, vw::screen::ListFormat::uk_csv);
    EXPECT_EQ(ids(l), (std::vector<std::string>{"RUS0001", "RUS0002", "RUS0009", "RUS0003", "RUS0004"}));
    EXPECT_TRUE(any_note(l.report, ":" + std::to_string(t.nul_line + 1) + ": control bytes"));
    EXPECT_TRUE(any_note(l.report, ": 1 fields, expected 8 (skipped)"));
    // the list, invalid bytes included, can be indexed and screened
    vw::screen::Screener s;
    s.add_list({0, l.info}, l.entities);
    s.build();
    vw::screen::Query q;
    q.name = "VESSEL 3";
    const auto m = s.screen(q);
    ASSERT_FALSE(m.empty());
    EXPECT_EQ(s.entity(m[0].entity).source_id, "RUS0003");
    q.name = "NAME " + kInvalidUtf8;
    const auto m9 = s.screen(q);
    ASSERT_FALSE(m9.empty());
    EXPECT_EQ(s.entity(m9[0].entity).source_id, "RUS0009");
}

TEST(HostileText, FtmJsonLines) {
    const fs::path dir = test_dir();
    std::vector<std::string> g;
    for (int k = 1; k <= 4; ++k)
        g.push_back(R"({"id": "v)" + std::to_string(k) +
                    R"(", "schema": "Vessel", "properties": {"name": ["VESSEL )" + std::to_string(k) +
                    R"("], "imoNumber": ["IMO 9179842"]}})");
    const std::string bad =
        R"({"id": "v9", "schema": "Vessel", "properties": {"name": [")" + kInvalidUtf8 + "\"]}}";
    const HostileText t = hostile_text(g, bad);
    const std::string path = write_file(dir / "entities.ftm.json", t.bytes);
    const vw::screen::LoadedList l = vw::screen::load_list(path);
    EXPECT_EQ(l.info.format, vw::screen::ListFormat::ftm_json);
    EXPECT_EQ(ids(l), (std::vector<std::string>{"v1", "v2", "v3", "v4"}));
    EXPECT_TRUE(any_note(l.report, "entities.ftm.json:" + std::to_string(t.nul_line) + ": invalid JSON"));
    EXPECT_TRUE(any_note(l.report, "entities.ftm.json:" + std::to_string(t.utf8_line) + ": invalid JSON"));
    EXPECT_TRUE(
        any_note(l.report, "entities.ftm.json:" + std::to_string(t.giant_line_no) + ": invalid JSON"));
}

// Regression (issue 7): FtM JSON lines split only at LF, so a file with CR line ends was one line whose
// first entity hid all the others, and text after an object on its line was ignored.
TEST(HostileText, FtmJsonCrLineEndsAndTrailingText) {
    const std::string e1 = R"({"id": "a", "schema": "Vessel", "properties": {"name": ["ALPHA"]}})";
    const std::string e2 = R"({"id": "b", "schema": "Vessel", "properties": {"name": ["BRAVO"]}})";
    const std::string e3 = R"({"id": "c", "schema": "Vessel", "properties": {"name": ["CHARLIE"]}})";
    vw::screen::LoadedList l;
    vw::screen::parse_ftm_json(e1 + "\r" + e2 + "\r\n" + e3 + "\r", "cr.json", l);
    EXPECT_EQ(ids(l), (std::vector<std::string>{"a", "b", "c"}));
    vw::screen::LoadedList two;
    vw::screen::parse_ftm_json(e1 + " " + e2 + "\n" + e3 + "\n", "two.json", two);
    EXPECT_EQ(ids(two), (std::vector<std::string>{"c"}));
    EXPECT_TRUE(any_note(two.report, "two.json:1: text after the JSON object"));
}

// screen::CsvRecords (OFAC and UK CSV lists) counts LF, CRLF and a lone CR as one line end each, like
// io::LineReader, so line numbers in notes stay right after a lone CR.
TEST(HostileCsvRecords, LoneCrEndsALine) {
    vw::screen::LoadedList l;
    vw::screen::OfacCsvInput in;
    const std::string good = "1,\"GOOD ONE\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ";
    const std::string main = good + "\r" + "2,\"SHORT ROW\"\r\n";
    in.main = main;
    vw::screen::parse_ofac_csv(in, l);
    EXPECT_TRUE(any_note(l.report, "sdn.csv:2: expected 12 columns"));
}

// An unclosed quote in one record must not swallow the rest of the file: the record is bad and reading
// resumes on the line after the one where it started.
TEST(HostileCsvRecords, UnclosedQuoteLosesOnlyItsRecord) {
    std::string data = "a,b\n\"open,c\n";
    for (int i = 0; i < 100; ++i) {
        data += 'r';  // piece by piece: `"r" + std::string` trips a false -Wrestrict in GCC 12 -O3
        data += std::to_string(i);
        data += ",x\n";
    }
    vw::screen::CsvRecords rows(data);
    std::vector<std::string> f;
    ASSERT_EQ(rows.next(f), vw::screen::CsvRecords::Status::record);
    ASSERT_EQ(rows.next(f), vw::screen::CsvRecords::Status::bad);
    EXPECT_EQ(rows.line(), 2U);
    EXPECT_NE(rows.error().find("unclosed quote"), std::string::npos) << rows.error();
    int good = 0;
    for (;;) {
        const auto st = rows.next(f);
        if (st == vw::screen::CsvRecords::Status::end) break;
        ASSERT_EQ(st, vw::screen::CsvRecords::Status::record) << rows.line();
        EXPECT_EQ(f.at(0), std::string("r") + std::to_string(good));
        EXPECT_EQ(rows.line(), static_cast<std::uint64_t>(3 + good));
        ++good;
    }
    EXPECT_EQ(good, 100);
    // at the end of the data: "unterminated", and the lines after its first one are still read
    vw::screen::CsvRecords tail("x,\"never closed\ny,1\nz,2\n");
    ASSERT_EQ(tail.next(f), vw::screen::CsvRecords::Status::bad);
    EXPECT_EQ(tail.error(), "unterminated quoted field");
    ASSERT_EQ(tail.next(f), vw::screen::CsvRecords::Status::record);
    EXPECT_EQ(f.at(0), "y");
    EXPECT_EQ(tail.line(), 2U);
    ASSERT_EQ(tail.next(f), vw::screen::CsvRecords::Status::record);
    EXPECT_EQ(f.at(0), "z");
}
