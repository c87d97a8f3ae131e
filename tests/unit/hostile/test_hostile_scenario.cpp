// Issue 7, scenario files (TOML, toml++): a scenario is one document, so a hostile piece refuses the
// whole file with a vw::InputError naming the file and the line of the fault (nothing is "skipped" in
// a scenario). Covers NUL bytes, invalid UTF-8, a lone CR, a 2 MiB line, binary garbage, truncation,
// deep nesting (no stack overflow), and the file size limit of load_scenario (/dev/zero ends).
#include <gtest/gtest.h>

#include <string>

#include "hostile_corpus.hpp"
#include "vesselwatch/sim/scenario.hpp"
#include "vesselwatch/util/error.hpp"

using vw::sim::parse_scenario;

namespace {

const std::string kHead = "[scenario]\nname = \"mini\"\nstart = 2024-01-01T00:00:00Z\nduration_hours = 2\n";
const std::string kTail =
    "[[ports]]\nname = \"P1\"\nat = [40.0, 132.0]\n\n[[vessels]]\nid = \"a\"\nname = \"alpha\"\n"
    "mmsi = 273000001\nitinerary = [ { port = \"P1\", hours = 1 }, { at = [40.5, 132.0] } ]\n";

/// The scenario with `piece` as line 5 (between [scenario] and [[ports]]).
std::string with_line5(const std::string& piece) {
    return kHead + piece + "\n" + kTail;
}

/// The InputError of parsing `text` as "h.toml"; fails the test when it parses.
vw::InputError refusal(const std::string& text) {
    try {
        (void)parse_scenario(text, "h.toml");
    } catch (const vw::InputError& e) {
        return e;
    }
    ADD_FAILURE() << "accepted";
    return vw::InputError("accepted");
}

void expect_refused_at(const std::string& text, std::uint64_t line) {
    const vw::InputError e = refusal(text);
    EXPECT_EQ(e.where().file, "h.toml");
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_NE(std::string(e.what()).find("TOML syntax"), std::string::npos) << e.what();
}

}  // namespace

TEST(HostileScenario, TheCleanFileParsesWithLfAndCrlf) {
    EXPECT_EQ(parse_scenario(with_line5("# comment"), "h.toml").vessels.size(), 1U);
    std::string crlf;
    for (const char c : with_line5("# comment")) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    EXPECT_EQ(parse_scenario(crlf, "h.toml").vessels.size(), 1U);
}

TEST(HostileScenario, BrokenBytesAreRefusedAtTheirLine) {
    expect_refused_at(with_line5(vw::hostile::with_nul("description = \"x y\"")), 5);
    expect_refused_at(with_line5("description = \"" + vw::hostile::kInvalidUtf8 + "\""), 5);
    expect_refused_at(with_line5("description = \"x\"\rseed = 3"), 5);  // lone CR is no TOML line end
    expect_refused_at(with_line5(vw::hostile::giant_line()), 5);
    expect_refused_at(with_line5(vw::hostile::garbage(4096)), 5);
}

TEST(HostileScenario, AGiantValidValueIsReadNotRefused) {
    // memory is bounded by the file (at most 16 MiB through load_scenario)
    const auto s =
        parse_scenario(with_line5("description = \"" + vw::hostile::giant_line() + "\""), "h.toml");
    EXPECT_EQ(s.description.size(), vw::hostile::kGiantLineBytes);
}

TEST(HostileScenario, TruncatedFileIsRefusedAtTheEnd) {
    const std::string full = with_line5("");
    const std::string cut = full.substr(0, full.find("hours = 1"));
    const vw::InputError e = refusal(cut);
    EXPECT_EQ(e.where().line, 14U) << e.what();
}

TEST(HostileScenario, DeepNestingIsRefusedWithoutRecursionOverflow) {
    constexpr int kDepth = 100000;
    expect_refused_at(with_line5("x = " + std::string(kDepth, '[') + std::string(kDepth, ']')), 5);
    std::string inl = "x = ";
    for (int i = 0; i < kDepth; ++i) inl += "{a=";
    inl += "1";
    for (int i = 0; i < kDepth; ++i) inl += "}";
    expect_refused_at(with_line5(inl), 5);
}

TEST(HostileScenario, LoadScenarioBoundsTheFileSize) {
    const auto dir = vw::hostile::test_dir();
    const std::string big =
        vw::hostile::write_file(dir / "big.toml", with_line5("# " + std::string(17 << 20, 'x')));
    try {
        (void)vw::sim::load_scenario(big);
        ADD_FAILURE() << "accepted";
    } catch (const vw::InputError& e) {
        EXPECT_EQ(e.where().file, big);
        EXPECT_NE(std::string(e.what()).find("larger than the limit"), std::string::npos) << e.what();
    }
    // an endless device ends too, at the same limit
    EXPECT_THROW((void)vw::sim::load_scenario("/dev/zero"), vw::InputError);
    EXPECT_THROW((void)vw::sim::load_scenario(dir.string()), vw::IoError);
    const std::string ok = vw::hostile::write_file(dir / "ok.toml", with_line5(""));
    EXPECT_EQ(vw::sim::load_scenario(ok).vessels.size(), 1U);
}
