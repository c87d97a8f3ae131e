// Loaders on the real list files of ../shared/data/sanctions and on files generated in the published
// formats that are not there (OFAC sdn.xml, EU FSF XML, a UK ship), plus malformed and hostile XML.
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

const Entity* find_id(const LoadedList& l, const std::string& id) {
    for (const auto& e : l.entities)
        if (e.source_id == id) return &e;
    return nullptr;
}

bool has_name(const Entity& e, const std::string& n, NameKind k) {
    return std::any_of(e.names.begin(), e.names.end(),
                       [&](const Name& x) { return x.text == n && x.kind == k; });
}

}  // namespace

TEST(ScreenIds, ImoCheckDigit) {
    EXPECT_TRUE(imo_check_digit_ok("9161003"));
    EXPECT_TRUE(imo_check_digit_ok("9179842"));
    EXPECT_FALSE(imo_check_digit_ok("9161004"));
    EXPECT_EQ(normalize_imo("IMO 9179842").value_or(""), "9179842");
    EXPECT_EQ(normalize_imo("IMO9562233").value_or(""), "9562233");
    EXPECT_FALSE(normalize_imo("IMO 9179843"));
    EXPECT_FALSE(normalize_imo("91798420"));
    EXPECT_EQ(normalize_mmsi("MMSI 273355410").value_or(""), "273355410");
    EXPECT_EQ(normalize_call_sign("ubrh 7").value_or(""), "UBRH7");
    EXPECT_EQ(country_code("Russia").value_or(""), "ru");
    EXPECT_EQ(country_code("RUSSIAN FEDERATION").value_or(""), "ru");
    EXPECT_EQ(country_code("Korea, North").value_or(""), "kp");
    EXPECT_EQ(country_code("Democratic People's Republic of Korea").value_or(""), "kp");
    EXPECT_EQ(country_code("KP").value_or(""), "kp");
    EXPECT_FALSE(country_code("Atlantis"));
}

TEST(ScreenOfacRemarks, VesselDetails) {
    Entity e;
    apply_ofac_remarks(
        "Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; Vessel Registration Identification IMO "
        "9187629; MMSI 572469210; f.k.a. 'ALPHA'; a.k.a. 'BETA'; Linked To: NATIONAL IRANIAN TANKER COMPANY.",
        e);
    EXPECT_EQ(e.first_id(IdKind::imo).value_or(""), "9187629");
    EXPECT_EQ(e.first_id(IdKind::mmsi).value_or(""), "572469210");
    EXPECT_TRUE(has_name(e, "ALPHA", NameKind::former));
    EXPECT_TRUE(has_name(e, "BETA", NameKind::alias));
    ASSERT_EQ(e.links.size(), 1U);
    EXPECT_EQ(e.links[0].target_name, "NATIONAL IRANIAN TANKER COMPANY");
    EXPECT_EQ(e.former_flags, (std::vector<std::string>{"mt", "tv"}));
}

// The vessels of the DPRK-Russia munitions route (docs/cases.md) are in the real SDN CSV, by IMO and name.
TEST(ScreenOfacCsv, RealSdnWithLaterCompanions) {
    const fs::path dir = sanctions_dir() / "ofac";
    if (!fs::exists(dir)) GTEST_SKIP() << "shared data not found at " << dir << " (../shared absent)";
    LoadOptions opt;
    for (const char* c : {"add.csv", "alt.csv", "sdn_comments.csv"})
        opt.companions.push_back((dir / "watchman_2025-02-27" / c).string());
    const LoadedList l = load_list((dir / "sdn_2024-05-03.csv").string(), opt);
    EXPECT_EQ(l.info.format, ListFormat::ofac_csv);
    EXPECT_EQ(l.info.source, "ofac-sdn");
    EXPECT_EQ(l.info.publication_date, "2024-05-03");
    EXPECT_EQ(l.info.sha256.size(), 64U);
    EXPECT_EQ(l.entities.size(), 14965U);
    EXPECT_EQ(l.report.skipped, 0U);
    EXPECT_GT(l.report.orphans, 0U) << "the companions are of a later date: their new entities are orphans";
    EXPECT_GT(l.report.without_companion, 0U);
    EXPECT_FALSE(l.report.notes.empty());
    const auto vessels = std::count_if(l.entities.begin(), l.entities.end(),
                                       [](const Entity& e) { return e.schema == Schema::vessel; });
    EXPECT_EQ(vessels, 851);
    const Entity* maria = find_id(l, "46773");
    ASSERT_NE(maria, nullptr);
    EXPECT_EQ(maria->first_id(IdKind::call_sign).value_or(""), "UBRH7");
    EXPECT_EQ(maria->flag, "ru");
    ASSERT_FALSE(maria->links.empty());
    EXPECT_EQ(maria->links[0].target_name, "IBEX SHIPPING INC");

    Screener s;
    s.add_list(ListRef{0, l.info}, l.entities);
    s.build();
    const std::pair<const char*, const char*> cases[] = {{"ANGARA", "9179842"},
                                                         {"MARIA", "8517839"},
                                                         {"MAIA-1", "9358010"},
                                                         {"LADY R", "9161003"},
                                                         {"SPARTA IV", "9743033"}};
    for (const auto& [name, imo] : cases) {
        Query by_imo;
        by_imo.imo = imo;
        by_imo.type = QueryType::vessel;
        auto m = s.screen(by_imo);
        ASSERT_FALSE(m.empty()) << imo;
        EXPECT_EQ(s.entity(m[0].entity).caption(), name);
        EXPECT_DOUBLE_EQ(m[0].score, 1.0);
        Query by_name;
        by_name.name = name;
        by_name.type = QueryType::vessel;
        m = s.screen(by_name);
        ASSERT_FALSE(m.empty()) << name;
        EXPECT_EQ(s.entity(m[0].entity).caption(), name);
        EXPECT_EQ(s.entity(m[0].entity).first_id(IdKind::imo).value_or(""), imo);
        EXPECT_GE(m[0].score, kDefaultMatchThreshold);
    }
}

TEST(ScreenOfacCsv, MalformedRowsAreCountedNotFatal) {
    LoadedList l;
    OfacCsvInput in;
    const std::string main =
        "1,\"GOOD ONE\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "2,\"SHORT ROW\",-0- \r\n"
        "x3,\"BAD ID\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "4,\"UNTERMINATED,-0- ,\"CUBA\"\r\n";
    in.main = main;
    in.alt = "1,10,\"aka\",\"GOOD 1\",-0- \r\n99,11,\"aka\",\"NOBODY\",-0- \r\n";
    parse_ofac_csv(in, l);
    ASSERT_EQ(l.entities.size(), 1U);
    EXPECT_EQ(l.report.skipped, 3U);
    EXPECT_EQ(l.report.orphans, 1U);
    EXPECT_TRUE(has_name(l.entities[0], "GOOD 1", NameKind::alias));
    ASSERT_GE(l.report.notes.size(), 3U);
    EXPECT_NE(l.report.notes[0].find("sdn.csv:2: expected 12 columns"), std::string::npos)
        << l.report.notes[0];
}

TEST(ScreenOfacCsv, NotACsvIsAnError) {
    LoadedList l;
    OfacCsvInput in;
    in.main = "hello world\nthis is not ofac\n";
    EXPECT_THROW(parse_ofac_csv(in, l), vw::InputError);
}

TEST(ScreenUnXml, RealFiles) {
    for (const char* f : {"UN_consolidated_2026-02-27.xml", "UN_consolidated_2025-04-19.xml"}) {
        const fs::path p = sanctions_dir() / "un" / f;
        if (!fs::exists(p)) GTEST_SKIP() << "shared data not found at " << p;
        const LoadedList l = load_list(p.string());
        EXPECT_EQ(l.info.format, ListFormat::un_xml);
        EXPECT_GT(l.entities.size(), 850U) << f;
        EXPECT_EQ(l.report.skipped, 0U);
        EXPECT_EQ(l.info.publication_date.size(), 10U);
        const bool has_dprk = std::any_of(l.entities.begin(), l.entities.end(), [](const Entity& e) {
            return std::find(e.programs.begin(), e.programs.end(), "DPRK") != e.programs.end();
        });
        EXPECT_TRUE(has_dprk);
    }
    const LoadedList l = load_list((sanctions_dir() / "un/UN_consolidated_2026-02-27.xml").string());
    const Entity* g = find_id(l, "QDi.367");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->schema, Schema::person);
    EXPECT_EQ(g->caption(), "ZAURBEK SALIMOVICH GUCHAEV");
    EXPECT_TRUE(has_name(*g, "Заурбек Салимович Гучаев", NameKind::alias));
    EXPECT_TRUE(has_name(*g, "Bach", NameKind::weak_alias));
    EXPECT_NE(std::find(g->countries.begin(), g->countries.end(), "ru"), g->countries.end());
}

TEST(ScreenUkXml, RealFixtureShip) {
    const fs::path p = sanctions_dir() / "uk/sample_uk_sanctions_list_fixture.xml";
    if (!fs::exists(p)) GTEST_SKIP() << "shared data not found at " << p;
    const LoadedList l = load_list(p.string());
    EXPECT_EQ(l.info.format, ListFormat::uk_xml);
    ASSERT_EQ(l.entities.size(), 5U);
    const Entity* ship = find_id(l, "DPR0075");
    ASSERT_NE(ship, nullptr);
    EXPECT_EQ(ship->schema, Schema::vessel);
    EXPECT_EQ(ship->caption(), "Petrel 8");
    EXPECT_EQ(ship->first_id(IdKind::imo).value_or(""), "9562233");
    EXPECT_EQ(ship->flag, "km");
    EXPECT_TRUE(has_name(*ship, "Tian Tai 36", NameKind::alias));
    const Entity* bnk = find_id(l, "BEL0107");
    ASSERT_NE(bnk, nullptr);
    EXPECT_TRUE(has_name(*bnk, "BNK", NameKind::weak_alias));
}

TEST(ScreenUkXml, GeneratedShipWithPreviousName) {
    LoadedList l;
    parse_uk_xml(test::generated_uk_xml(), "uk.xml", l);
    ASSERT_EQ(l.entities.size(), 1U);
    EXPECT_EQ(l.info.publication_date, "2024-05-03");
    EXPECT_TRUE(has_name(l.entities[0], "LADY ROSE", NameKind::former));
    EXPECT_EQ(l.entities[0].first_id(IdKind::imo).value_or(""), "9161003");
}

TEST(ScreenOfacXml, RealConsolidatedAndGeneratedSdn) {
    const fs::path p = sanctions_dir() / "ofac/consolidated_nonsdn/cons_2025-03-28.xml";
    if (fs::exists(p)) {
        const LoadedList l = load_list(p.string());
        EXPECT_EQ(l.info.format, ListFormat::ofac_xml);
        EXPECT_EQ(l.info.source, "ofac-consolidated");
        EXPECT_EQ(l.entities.size(), 443U);
        EXPECT_EQ(l.info.publication_date, "2025-03-28");
        const Entity* h = find_id(l, "9639");
        ASSERT_NE(h, nullptr);
        EXPECT_EQ(h->caption(), "HANIYA, Ismail Abdul Salah");
    }
    LoadedList g;
    parse_ofac_xml(test::generated_ofac_sdn_xml(), "sdn.xml", g);
    ASSERT_EQ(g.entities.size(), 3U);
    EXPECT_EQ(g.info.publication_date, "2024-05-03");
    const Entity& a = g.entities[0];
    EXPECT_EQ(a.schema, Schema::vessel);
    EXPECT_EQ(a.first_id(IdKind::imo).value_or(""), "9179842");
    EXPECT_EQ(a.first_id(IdKind::mmsi).value_or(""), "273355410");
    EXPECT_EQ(a.first_id(IdKind::call_sign).value_or(""), "UBCU7");
    EXPECT_EQ(a.flag, "ru");
    EXPECT_EQ(a.former_flags, std::vector<std::string>{"sl"});
    EXPECT_TRUE(has_name(a, "HAI PENG 1", NameKind::former));
    EXPECT_EQ(g.entities[1].first_id(IdKind::tax).value_or(""), "2536010523");
    EXPECT_TRUE(has_name(g.entities[2], "HANIYYA, Ismaeel", NameKind::weak_alias));
}

TEST(ScreenEuXml, Generated) {
    LoadedList l;
    parse_eu_xml(test::generated_eu_xml(), "eu.xml", l);
    ASSERT_EQ(l.entities.size(), 2U);
    EXPECT_EQ(l.info.publication_date, "2024-05-03");
    const Entity& s = l.entities[0];
    EXPECT_EQ(s.source_id, "EU.9999.11");
    EXPECT_EQ(s.caption(), "Sovcomflot PAO");
    EXPECT_TRUE(has_name(s, "ПАО Совкомфлот", NameKind::alias));
    EXPECT_TRUE(has_name(s, "SCF", NameKind::weak_alias));
    EXPECT_EQ(s.programs, std::vector<std::string>{"RUS"});
    EXPECT_EQ(s.first_id(IdKind::registration).value_or(""), "1027739028712");
    EXPECT_EQ(l.entities[1].schema, Schema::person);
    EXPECT_EQ(l.entities[1].first_id(IdKind::passport).value_or(""), "100000000");
}

TEST(ScreenFtm, RealFixture) {
    const fs::path p = sanctions_dir() / "opensanctions/yente_fixture_zala_entities.ftm.json";
    if (!fs::exists(p)) GTEST_SKIP() << "shared data not found at " << p;
    const LoadedList l = load_list(p.string());
    EXPECT_EQ(l.info.format, ListFormat::ftm_json);
    EXPECT_EQ(l.entities.size(), 17U);      // 11 Company + 6 Person
    EXPECT_EQ(l.report.not_screened, 19U);  // Address, Family, Directorship, Passport
    EXPECT_EQ(l.report.skipped, 0U);
    const bool any_program = std::any_of(l.entities.begin(), l.entities.end(),
                                         [](const Entity& e) { return !e.programs.empty(); });
    EXPECT_TRUE(any_program) << "Sanction records give their entity programs";
    const bool any_link =
        std::any_of(l.entities.begin(), l.entities.end(), [](const Entity& e) { return !e.links.empty(); });
    EXPECT_TRUE(any_link) << "Ownership records link owner and asset";
}

TEST(ScreenFtm, BadLinesSkippedAndVessel) {
    LoadedList l;
    parse_ftm_json(
        "{\"id\":\"v1\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"SPARTA IV\"],\"imoNumber\":[\"IMO "
        "9743033\"],"
        "\"mmsi\":[\"273219410\"],\"flag\":[\"ru\"],\"previousName\":[\"OLD NAME\"]}}\n"
        "{not json\n"
        "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"v1\"],\"program\":[\"RUSSIA-"
        "EO14024\"]}}\n",
        "x.ftm.json", l);
    ASSERT_EQ(l.entities.size(), 1U);
    EXPECT_EQ(l.report.skipped, 1U);
    EXPECT_NE(l.report.notes.at(0).find("x.ftm.json:2:"), std::string::npos);
    EXPECT_EQ(l.entities[0].first_id(IdKind::imo).value_or(""), "9743033");
    EXPECT_TRUE(has_name(l.entities[0], "OLD NAME", NameKind::former));
    EXPECT_EQ(l.entities[0].programs, std::vector<std::string>{"RUSSIA-EO14024"});
    LoadedList bad;
    EXPECT_THROW(parse_ftm_json("garbage\nmore garbage\n", "g.json", bad), vw::InputError);
}

TEST(ScreenXml, MalformedAndHostileDocumentsAreRefused) {
    LoadedList l;
    // not well-formed: file and line in the error
    try {
        parse_un_xml(
            "<?xml "
            "version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n</CONSOLIDATED_LIST>\n",
            "bad.xml", l);
        FAIL() << "no error";
    } catch (const vw::InputError& e) {
        EXPECT_EQ(e.where().file, "bad.xml");
        EXPECT_GE(e.where().line, 4U);
        EXPECT_NE(std::string(e.what()).find("not well-formed"), std::string::npos) << e.what();
    }
    // XXE
    const std::string xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&e;</FIRST_NAME></INDIVIDUAL></"
        "INDIVIDUALS></CONSOLIDATED_LIST>";
    EXPECT_THROW(parse_un_xml(xxe, "xxe.xml", l), vw::InputError);
    // billion laughs
    std::string lol = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">";
    for (int i = 1; i < 10; ++i)
        lol += "<!ENTITY lol" + std::to_string(i) + " \"" + std::string(10, '&') + "\">";  // shape only
    lol += "]>\n<sdnList>&lol9;</sdnList>";
    try {
        parse_ofac_xml(lol, "lol.xml", l);
        FAIL() << "no error";
    } catch (const vw::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("entities"), std::string::npos) << e.what();
    }
    // too deep
    std::string deep = "<export>";
    for (int i = 0; i < 100; ++i) deep += "<a>";
    for (int i = 0; i < 100; ++i) deep += "</a>";
    deep += "</export>";
    EXPECT_THROW(parse_eu_xml(deep, "deep.xml", l), vw::InputError);
    // wrong root for the format
    try {
        parse_uk_xml("<sdnList/>", "root.xml", l);
        FAIL() << "no error";
    } catch (const vw::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("expected <Designations>"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)detect_format("<html><body/></html>", "page.html"), vw::InputError);
    EXPECT_EQ(detect_format("\xEF\xBB\xBF<?xml version='1.0'?><Designations>", "uk.xml"), ListFormat::uk_xml);
}
