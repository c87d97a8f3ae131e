// UK CSV lists: the OFSI Consolidated List (ConList.csv) and the FCDO UK Sanctions List CSV, generated
// in their published column layouts (no real CSV is in ../shared/data; the published headers are those
// the OFSI/FCDO format guides list and other readers of these files expect), plus a differential check
// against the real UK XML fixture: the same designation read from both formats agrees.
#include <gtest/gtest.h>

#include <algorithm>

#include "screen_test_util.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/screen/matcher.hpp"
#include "vesselwatch/util/error.hpp"

namespace fs = std::filesystem;
using namespace vw::screen;
using vw::screen::test::sanctions_dir;

namespace {

// OFSI ConList.csv (2022 layout, 36 columns).
const std::string kConListHeader =
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,"
    "Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,"
    "Passport Details,National Identification Number,National Identification Details,Position,"
    "Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,"
    "Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,"
    "UK Sanctions List Date Designated,Last Updated,Group ID\n";

// FCDO UK Sanctions List CSV (one row per name, ship columns at the end).
const std::string kUkslHeader =
    "Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,"
    "Name type,Alias strength,Title,Name non-latin script,Non-latin script type,Non-latin script language,"
    "Regime Name,Designation Type,Designation source,Sanctions Imposed,Other Information,"
    "UK Statement of Reasons,Address Line 1,Address Line 2,Address Line 3,Address Line 4,Address Line 5,"
    "Address Line 6,Address Postal Code,Address Country,Phone number,Website,Email address,Date Designated,"
    "D.O.B,Nationality(/ies),National Identifier number,National Identifier additional information,"
    "Passport number,Passport additional information,Position,Gender,Town of birth,Country of birth,"
    "Type of entity,Subsidiaries,Parent company,Business registration number (s),IMO number,"
    "Current owner/operator (s),Previous owner/operator (s),Current believed flag of ship,Previous flags,"
    "Type of ship,Tonnage of ship,Length of ship,Year Built,Hull identification number (HIN)\n";

// One row of `header`'s columns from name=value pairs (other columns empty), CSV-quoted.
std::string row(const std::string& header, const std::vector<std::pair<std::string, std::string>>& values) {
    std::vector<std::string> cols;
    std::string cur;
    for (const char c : header) {
        if (c == ',' || c == '\n') {
            cols.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    std::string out;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (i > 0) out.push_back(',');
        for (const auto& [k, v] : values) {
            if (k != cols[i]) continue;
            out.push_back('"');
            for (const char c : v) {
                if (c == '"') out.push_back('"');
                out.push_back(c);
            }
            out.push_back('"');
        }
    }
    return out + "\n";
}

const Entity* find_id(const LoadedList& l, const std::string& id) {
    for (const auto& e : l.entities)
        if (e.source_id == id) return &e;
    return nullptr;
}

bool has_name(const Entity& e, const std::string& n, NameKind k) {
    return std::any_of(e.names.begin(), e.names.end(),
                       [&](const Name& x) { return x.text == n && x.kind == k; });
}

std::string conlist_sample() {
    std::string s = "Last Updated,28/11/2026\n" + kConListHeader;
    // a person's rows are not adjacent: the list is sorted by name
    s += row(kConListHeader, {{"Name 6", "PETROVSKY"},
                              {"Name 1", "Ivan"},
                              {"Name 2", "Ilyich"},
                              {"Title", "General"},
                              {"Nationality", "Russia"},
                              {"Passport Number", "750123456"},
                              {"Group Type", "Individual"},
                              {"Alias Type", "Primary name"},
                              {"Regime", "Russia"},
                              {"Listed On", "15/03/2022"},
                              {"Group ID", "15001"}});
    s += row(kConListHeader, {{"Name 6", "NORTHERN STAR SHIPPING LLC"},
                              {"Group Type", "Entity"},
                              {"Alias Type", "Primary name"},
                              {"Country", "Russia"},
                              {"Regime", "Russia"},
                              {"Other Information", "(UK Sanctions List Ref):RUS9999 (Business Reg No):1"},
                              {"Group ID", "15002"}});
    s += row(kConListHeader, {{"Name 6", "PETROVSKI"},
                              {"Name 1", "Ivan"},
                              {"Group Type", "Individual"},
                              {"Alias Type", "AKA"},
                              {"Alias Quality", "Low quality"},
                              {"Group ID", "15001"}});
    s += row(kConListHeader, {{"Name 6", "PETROVSKY"},
                              {"Name 1", "Iwan"},
                              {"Group Type", "Individual"},
                              {"Alias Type", "Primary name variation"},
                              {"Group ID", "15001"}});
    s += row(kConListHeader, {{"Name 6", "SEA BREEZE"},
                              {"Group Type", "Ship"},
                              {"Alias Type", "Primary name"},
                              {"Other Information",
                               "(UK Sanctions List Ref):RUS9998 (IMO number):9179842 "
                               "(Current believed flag of ship):Cameroon"},
                              {"Group ID", "15003"}});
    s += row(kConListHeader, {{"Name 6", "OCEAN WIND"},
                              {"Group Type", "Ship"},
                              {"Alias Type", "Previous name"},
                              {"Group ID", "15003"}});
    return s;
}

}  // namespace

TEST(ScreenUkCsv, ConListLayout) {
    const std::string data = conlist_sample();
    EXPECT_EQ(detect_format(data, "ConList.csv"), ListFormat::uk_csv);
    LoadedList l;
    parse_uk_csv(data, "ConList.csv", l);
    EXPECT_EQ(l.info.publication_date, "2026-11-28");
    EXPECT_EQ(l.report.records, 6U);
    EXPECT_EQ(l.report.skipped, 0U);
    ASSERT_EQ(l.entities.size(), 3U);
    const Entity* p = find_id(l, "15001");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->schema, Schema::person);
    EXPECT_EQ(p->caption(), "Ivan Ilyich PETROVSKY");
    EXPECT_TRUE(has_name(*p, "Ivan PETROVSKI", NameKind::weak_alias));
    EXPECT_TRUE(has_name(*p, "Iwan PETROVSKY", NameKind::alias));
    EXPECT_EQ(p->listed_on, "2022-03-15");
    EXPECT_EQ(p->first_id(IdKind::passport).value_or(""), "750123456");
    EXPECT_EQ(p->countries, std::vector<std::string>{"ru"});
    EXPECT_EQ(p->programs, std::vector<std::string>{"Russia"});
    const Entity* c = find_id(l, "15002");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->schema, Schema::legal_entity);
    EXPECT_FALSE(c->first_id(IdKind::imo).has_value()) << "no IMO in its remarks";
    const Entity* ship = find_id(l, "15003");
    ASSERT_NE(ship, nullptr);
    EXPECT_EQ(ship->schema, Schema::vessel);
    EXPECT_EQ(ship->caption(), "SEA BREEZE");
    EXPECT_TRUE(has_name(*ship, "OCEAN WIND", NameKind::former));
    EXPECT_EQ(ship->first_id(IdKind::imo).value_or(""), "9179842") << "from Other Information";
}

TEST(ScreenUkCsv, SanctionsListLayoutWithShipColumns) {
    std::string data = "Report Date: 13-Feb-2026\n" + kUkslHeader;
    data += row(kUkslHeader, {{"Last Updated", "18/12/2021"},
                              {"Unique ID", "DPR0075"},
                              {"UN Reference Number", "KPv.001"},
                              {"Name 6", "Petrel 8"},
                              {"Name type", "Primary Name"},
                              {"Designation Type", "Ship"},
                              {"Regime Name",
                               "The Democratic People's Republic of Korea (Sanctions) (EU Exit) "
                               "Regulations 2019"},
                              {"Date Designated", "03/10/2017"},
                              {"IMO number", "IMO9562233"},
                              {"Current owner/operator (s)", "Global United Shipping India"},
                              {"Current believed flag of ship", "Comoros"},
                              {"Previous flags", "India"},
                              {"Type of ship", "Bulk Carrier"}});
    data += row(kUkslHeader, {{"Unique ID", "DPR0075"},
                              {"Name 6", "Tian Tai 36"},
                              {"Name type", "Alias"},
                              {"Designation Type", "Ship"}});
    data += row(kUkslHeader, {{"Unique ID", "RUS0001"},
                              {"Name 6", "PUTIN"},
                              {"Name 1", "Vladimir"},
                              {"Name 2", "Vladimirovich"},
                              {"Name type", "Primary Name"},
                              {"Name non-latin script", "Владимир Владимирович ПУТИН"},
                              {"Designation Type", "Individual"},
                              {"Nationality(/ies)", "Russia"}});
    EXPECT_EQ(detect_format(data, "UK-Sanctions-List.csv"), ListFormat::uk_csv);
    LoadedList l;
    parse_uk_csv(data, "UK-Sanctions-List.csv", l);
    ASSERT_EQ(l.entities.size(), 2U);
    const Entity* ship = find_id(l, "DPR0075");
    ASSERT_NE(ship, nullptr);
    EXPECT_EQ(ship->schema, Schema::vessel);
    EXPECT_EQ(ship->first_id(IdKind::imo).value_or(""), "9562233");
    EXPECT_EQ(ship->flag, "km");
    EXPECT_EQ(ship->former_flags, std::vector<std::string>{"in"});
    EXPECT_TRUE(has_name(*ship, "Tian Tai 36", NameKind::alias));
    EXPECT_EQ(ship->listed_on, "2017-10-03");
    ASSERT_EQ(ship->links.size(), 1U);
    EXPECT_EQ(ship->links[0].target_name, "Global United Shipping India");
    const Entity* p = find_id(l, "RUS0001");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->caption(), "Vladimir Vladimirovich PUTIN");
    EXPECT_TRUE(has_name(*p, "Владимир Владимирович ПУТИН", NameKind::alias));

    // screened like any list: the Cyrillic alias and the IMO find them
    Screener s;
    s.add_list(ListRef{1, l.info}, l.entities);
    s.build();
    Query q;
    q.name = "Putin Vladimir";
    q.type = QueryType::person;
    auto m = s.screen(q);
    ASSERT_FALSE(m.empty());
    EXPECT_EQ(s.entity(m[0].entity).source_id, "RUS0001");
    Query v;
    v.imo = "9562233";
    v.type = QueryType::vessel;
    m = s.screen(v);
    ASSERT_FALSE(m.empty());
    EXPECT_EQ(s.entity(m[0].entity).source_id, "DPR0075");
}

// The ship of the real UK XML fixture, written as the CSV of the same list: both loaders agree on
// what screening uses (schema, names and kinds, IMO, flags, program, designation date).
TEST(ScreenUkCsv, AgreesWithUkXmlOnTheSameDesignation) {
    const fs::path p = sanctions_dir() / "uk/sample_uk_sanctions_list_fixture.xml";
    if (!fs::exists(p)) GTEST_SKIP() << "shared data not found at " << p;
    const LoadedList x = load_list(p.string());
    const Entity* xs = find_id(x, "DPR0075");
    ASSERT_NE(xs, nullptr);
    std::string data = "Report Date: 10-Sep-2026\n" + kUkslHeader;
    for (const auto& n : xs->names)
        data += row(kUkslHeader, {{"Unique ID", xs->source_id},
                                  {"Name 6", n.text},
                                  {"Name type", n.kind == NameKind::primary ? "Primary Name" : "Alias"},
                                  {"Designation Type", "Ship"},
                                  {"Regime Name", xs->programs.at(0)},
                                  {"Date Designated", "03/10/2017"},
                                  {"IMO number", "IMO9562233"},
                                  {"Current believed flag of ship", "Comoros"},
                                  {"Previous flags", "India"}});
    const std::string csv =
        vw::screen::test::write_file(vw::screen::test::temp_dir("uk_csv") / "UK-Sanctions-List.csv", data);
    const LoadedList c = load_list(csv);
    EXPECT_EQ(c.info.format, ListFormat::uk_csv);
    EXPECT_EQ(c.info.source, "uk");
    const Entity* cs = find_id(c, "DPR0075");
    ASSERT_NE(cs, nullptr);
    EXPECT_EQ(cs->schema, xs->schema);
    EXPECT_EQ(cs->names, xs->names);
    EXPECT_EQ(cs->first_id(IdKind::imo), xs->first_id(IdKind::imo));
    EXPECT_EQ(cs->flag, xs->flag);
    EXPECT_EQ(cs->former_flags, xs->former_flags);
    EXPECT_EQ(cs->programs, xs->programs);
    EXPECT_EQ(cs->listed_on, xs->listed_on);
}

TEST(ScreenUkCsv, MalformedRowsAreSkippedAndCounted) {
    std::string data = "Last Updated,28/11/2026\n" + kConListHeader;
    data += row(kConListHeader, {{"Name 6", "GOOD NAME"}, {"Group Type", "Entity"}, {"Group ID", "1"}});
    data += "SHORT,ROW\n";                                                         // field count
    data += row(kConListHeader, {{"Name 6", "NO ID"}, {"Group Type", "Entity"}});  // no id
    data += row(kConListHeader, {{"Name 6", ""}, {"Group Type", "Entity"}, {"Group ID", "2"}});  // no name
    data += "\"unterminated,quote\n";
    LoadedList l;
    parse_uk_csv(data, "bad.csv", l);
    ASSERT_EQ(l.entities.size(), 1U);
    EXPECT_EQ(l.entities[0].caption(), "GOOD NAME");
    EXPECT_EQ(l.report.skipped, 4U);
    ASSERT_FALSE(l.report.notes.empty());
    EXPECT_NE(l.report.notes[0].find("bad.csv:4"), std::string::npos) << l.report.notes[0];
    // no header at all: an error naming the file
    try {
        LoadedList none;
        parse_uk_csv("a,b,c\n1,2,3\n4,5,6\n7,8,9\n", "none.csv", none);
        FAIL() << "no error";
    } catch (const vw::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("none.csv"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("Name 6"), std::string::npos) << e.what();
    }
    // an OFAC sdn.csv is not taken for a UK list
    EXPECT_FALSE(looks_like_uk_csv("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- \n"));
    EXPECT_EQ(detect_format("36,\"AEROCARIBBEAN AIRLINES\",-0- \n", "sdn.csv"), ListFormat::ofac_csv);
}
