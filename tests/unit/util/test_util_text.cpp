// UTF-8 checking and U+FFFD replacement of the text the CLI writes (vesselwatch/util/text.hpp),
// against a reference built differently: a sequence is well-formed when decoding it by its lead
// byte's length and encoding the value again gives the same bytes (no range tables).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/util/text.hpp"

namespace {

unsigned u8(char c) {
    return static_cast<unsigned char>(c);
}

std::string encode(char32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

std::size_t length_by_lead(unsigned lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 0;  // a continuation byte
}

bool reference_well_formed(std::string_view b) {
    const std::size_t n = length_by_lead(u8(b[0]));
    if (n == 0 || b.size() != n) return false;
    char32_t cp = n == 1 ? u8(b[0]) : u8(b[0]) & (0x7Fu >> n);
    for (std::size_t k = 1; k < n; ++k) {
        if ((u8(b[k]) & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (u8(b[k]) & 0x3F);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    return encode(cp) == b;  // an overlong form encodes back shorter
}

// A prefix of some well-formed sequence: completed with the lowest or the highest continuation bytes,
// one of the two is well-formed (only the second byte's range depends on the lead).
bool reference_prefix(std::string_view p) {
    const std::size_t n = length_by_lead(u8(p[0]));
    if (n == 0 || p.size() >= n) return false;
    return reference_well_formed(std::string(p) + std::string(n - p.size(), '\x80')) ||
           reference_well_formed(std::string(p) + std::string(n - p.size(), '\xBF'));
}

// The Unicode Standard's practice: each maximal subpart of an ill-formed sequence is one U+FFFD.
std::string reference_replace(std::string_view s, std::size_t* replaced = nullptr) {
    std::string out;
    std::size_t i = 0, count = 0;
    while (i < s.size()) {
        bool done = false;
        for (std::size_t n = 4; n >= 1 && !done; --n)
            if (i + n <= s.size() && reference_well_formed(s.substr(i, n))) {
                out += s.substr(i, n);
                i += n;
                done = true;
            }
        if (done) continue;
        std::size_t k = 1;
        for (std::size_t len = 3; len >= 2; --len)
            if (i + len <= s.size() && reference_prefix(s.substr(i, len))) {
                k = len;
                break;
            }
        out += "\xEF\xBF\xBD";
        ++count;
        i += k;
    }
    if (replaced != nullptr) *replaced = count;
    return out;
}

std::string bytes(std::initializer_list<unsigned> b) {
    std::string s;
    for (const unsigned x : b) s += static_cast<char>(x);
    return s;
}

const std::string kFffd = "\xEF\xBF\xBD";

}  // namespace

TEST(UtilText, TheStandardsExampleOfMaximalSubparts) {
    // Unicode Standard, chapter 3, "U+FFFD Substitution of Maximal Subparts" (Table 3-8):
    // 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 -> a FFFD FFFD FFFD b FFFD c FFFD FFFD d
    const std::string in =
        bytes({0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64});
    std::string out;
    EXPECT_EQ(vw::append_utf8_replacing(out, in), 6U);
    EXPECT_EQ(out, "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
    EXPECT_FALSE(vw::is_valid_utf8(in));
    EXPECT_TRUE(vw::is_valid_utf8(out));
    EXPECT_EQ(reference_replace(in), out);  // the reference agrees with the standard too
}

TEST(UtilText, EveryScalarValueIsKeptAndEveryOtherFormReplaced) {
    std::string all;
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        all += encode(cp);
    }
    EXPECT_TRUE(vw::is_valid_utf8(all));
    std::string out;
    EXPECT_EQ(vw::append_utf8_replacing(out, all), 0U);
    EXPECT_EQ(out, all);

    struct Case {
        std::string in;
        std::size_t fffd;
    };
    const std::vector<Case> cases = {
        {bytes({0x80}), 1},  // a lone continuation byte
        {bytes({0xBF, 0xBF}), 2},
        {bytes({0xC0, 0x80}), 2},  // overlong NUL
        {bytes({0xC1, 0xBF}), 2},
        {bytes({0xE0, 0x80, 0x80}), 3},  // overlong 3-byte
        {bytes({0xE0, 0x9F, 0xBF}), 3},
        {bytes({0xED, 0xA0, 0x80}), 3},  // a surrogate (as CESU-8 writes them)
        {bytes({0xED, 0xBF, 0xBF}), 3},
        {bytes({0xF0, 0x8F, 0xBF, 0xBF}), 4},  // overlong 4-byte
        {bytes({0xF4, 0x90, 0x80, 0x80}), 4},  // above U+10FFFF
        {bytes({0xF5, 0x80, 0x80, 0x80}), 4},
        {bytes({0xFF}), 1},
        {bytes({0xE2, 0x82}), 1},  // truncated at the end: one subpart
        {bytes({0xF0, 0x9F, 0x98}), 1},
        {bytes({0xF0, 0x9F, 0x41}), 1},  // cut by an ASCII byte, which is kept
        {bytes({0xE9, 0x41, 0xE9}), 2},  // Latin-1 "eAe"
    };
    for (const Case& c : cases) {
        std::string r;
        EXPECT_EQ(vw::append_utf8_replacing(r, c.in), c.fffd) << testing::PrintToString(c.in);
        EXPECT_EQ(r, reference_replace(c.in));
        EXPECT_FALSE(vw::is_valid_utf8(c.in));
        EXPECT_TRUE(vw::is_valid_utf8(r));
    }
}

TEST(UtilText, AllShortStringsOfBoundaryBytesAgreeWithTheReference) {
    // every byte at the edge of a range in the Standard's table, and some inside
    const std::vector<unsigned> edge = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                        0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                        0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    std::size_t tested = 0;
    std::string s;
    auto check = [&] {
        std::size_t ref_count = 0;
        const std::string ref = reference_replace(s, &ref_count);
        std::string out;
        const std::size_t count = vw::append_utf8_replacing(out, s);
        ASSERT_EQ(out, ref) << testing::PrintToString(s);
        ASSERT_EQ(count, ref_count) << testing::PrintToString(s);
        ASSERT_EQ(vw::is_valid_utf8(s), ref_count == 0) << testing::PrintToString(s);
        ASSERT_EQ(vw::utf8_replacing(s), ref);
        ++tested;
    };
    for (const unsigned a : edge) {
        s = bytes({a});
        check();
        for (const unsigned b : edge) {
            s = bytes({a, b});
            check();
            for (const unsigned c : edge) {
                s = bytes({a, b, c});
                check();
                for (const unsigned d : edge) {
                    s = bytes({a, b, c, d});
                    check();
                }
            }
        }
    }
    EXPECT_EQ(tested, 25U + 25U * 25U + 25U * 25U * 25U + 25U * 25U * 25U * 25U);

    // longer random strings, of any bytes and of mostly well-formed text with damage
    std::mt19937 rng(20261130);
    for (int k = 0; k < 20000; ++k) {
        s.clear();
        const int len = static_cast<int>(rng() % 40);
        for (int j = 0; j < len; ++j) {
            if (k % 2 == 0) {
                s += static_cast<char>(rng() & 0xFF);
            } else if (rng() % 8 == 0) {
                s += static_cast<char>(edge[rng() % edge.size()]);
            } else {
                auto cp = static_cast<char32_t>(rng() % 0x110000);
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
                s += encode(cp);
            }
        }
        check();
    }
}

TEST(UtilText, JsonStringsAreEscapedAndAlwaysUtf8) {
    auto json = [](std::string_view s) {
        std::string out = "x";  // appends
        vw::append_json_string(out, s);
        return out.substr(1);
    };
    EXPECT_EQ(json(""), "\"\"");
    EXPECT_EQ(json("SKY \"ONE\" \\ 2"), R"("SKY \"ONE\" \\ 2")");
    EXPECT_EQ(json("a\nb\rc\td"), R"("a\nb\rc\td")");
    EXPECT_EQ(json(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
    EXPECT_EQ(json("\xC3\x85LESUND \xE2\x82\xAC"), "\"\xC3\x85LESUND \xE2\x82\xAC\"");  // kept as is
    EXPECT_EQ(json("\xC5LESUND"), "\"" + kFffd + "LESUND\"");                           // Latin-1 byte
    EXPECT_EQ(json("\xE2\x82\""), "\"" + kFffd + "\\\"\"");  // a cut sequence before a quote
    EXPECT_EQ(json("A\xED\xA0\x80Z"), "\"A" + kFffd + kFffd + kFffd + "Z\"");

    // any bytes: the JSON string's contents are the reference replacement, escaped character by character
    std::mt19937 rng(7);
    for (int k = 0; k < 20000; ++k) {
        std::string s;
        const int len = static_cast<int>(rng() % 24);
        for (int j = 0; j < len; ++j) s += static_cast<char>(rng() & 0xFF);
        std::string expected = "\"";
        for (const char c : reference_replace(s)) {
            const unsigned x = u8(c);
            if (c == '"' || c == '\\') {
                expected += '\\';
                expected += c;
            } else if (c == '\n') {
                expected += "\\n";
            } else if (c == '\r') {
                expected += "\\r";
            } else if (c == '\t') {
                expected += "\\t";
            } else if (x < 0x20) {
                static constexpr char kHex[] = "0123456789abcdef";
                expected += "\\u00";
                expected += kHex[x >> 4];
                expected += kHex[x & 15];
            } else {
                expected += c;
            }
        }
        expected += '"';
        ASSERT_EQ(json(s), expected) << testing::PrintToString(s);
    }
}

TEST(UtilText, CsvFieldsAreQuotedWhenNeededAndAlwaysUtf8) {
    auto csv = [](std::string_view s) {
        std::string out;
        vw::append_csv_field(out, s);
        return out;
    };
    EXPECT_EQ(csv(""), "");
    EXPECT_EQ(csv("PAULA ANN"), "PAULA ANN");
    EXPECT_EQ(csv("STAR, OF \"THE\" SEA"), "\"STAR, OF \"\"THE\"\" SEA\"");
    EXPECT_EQ(csv("TWO\r\nLINES"), "\"TWO\r\nLINES\"");
    EXPECT_EQ(csv("\xC5LESUND"), kFffd + "LESUND");
    EXPECT_EQ(csv("\xE2\x82\",\xE2\x82\xAC"), "\"" + kFffd + "\"\"," + "\xE2\x82\xAC\"");
    EXPECT_EQ(csv("\xF0\x9F\x98\""), "\"" + kFffd + "\"\"\"");  // the cut sequence ends at the quote

    // any bytes: the reference replacement, quoted when it holds a separator, quote or line end
    std::mt19937 rng(11);
    const std::string alphabet = std::string(",\"\r\na") + "\x80\xBF\xC2\xE0\xED\xF0\xF4\xFF\xC3\xA5";
    for (int k = 0; k < 20000; ++k) {
        std::string s;
        const int len = static_cast<int>(rng() % 16);
        for (int j = 0; j < len; ++j) s += alphabet[rng() % alphabet.size()];
        const std::string r = reference_replace(s);
        std::string expected;
        if (r.find_first_of(",\"\r\n") == std::string::npos) {
            expected = r;
        } else {
            expected = "\"";
            for (const char c : r) {
                if (c == '"') expected += '"';
                expected += c;
            }
            expected += '"';
        }
        ASSERT_EQ(csv(s), expected) << testing::PrintToString(s);
    }
}
