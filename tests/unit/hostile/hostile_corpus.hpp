// The hostile corpus of issue 7, made by the tests: broken and malicious pieces of text that every
// line-based reader must count and skip (NUL bytes, invalid UTF-8, CR / LF / CRLF mixes, a line of
// megabytes, binary garbage, a truncated last line), arranged around good records so that each test
// can check that what follows the bad part is still read. Each test writes its files into its own
// directory (ctest runs tests as parallel processes).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../test_dir.hpp"

namespace vw::hostile {

/// VW_TEST_TMP/hostile/<Suite>.<Test>, emptied.
inline std::filesystem::path test_dir() { return vw::test::fresh_test_case_dir("hostile"); }

inline std::string write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    out.close();
    EXPECT_TRUE(out.good()) << p;
    return p.string();
}

/// `n` bytes of deterministic binary garbage (xorshift64*), all 256 values, line ends included.
inline std::string garbage(std::size_t n, std::uint64_t seed = 0x9E3779B97F4A7C15ULL) {
    std::string out(n, '\0');
    std::uint64_t x = seed;
    for (auto& c : out) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        c = static_cast<char>((x * 0x2545F4914F6CDD1DULL) >> 56);
    }
    return out;
}

/// A line longer than any line limit: 2 MiB of printable text (no control byte, so only its length
/// is wrong).
inline constexpr std::size_t kGiantLineBytes = std::size_t{2} << 20;
inline std::string giant_line() {
    return std::string(kGiantLineBytes, 'A');
}

/// Bytes that are not UTF-8: a lone continuation byte, an overlong encoding, a truncated 3-byte
/// sequence, 0xFE/0xFF.
inline const std::string kInvalidUtf8 = "\x80\xC0\xAF\xE2\x82\xFE\xFF";

/// A line of text with NUL bytes in it.
inline std::string with_nul(const std::string& text) {
    std::string s = text;
    s.insert(s.size() / 2, std::string("\0\0\0", 3));
    return s;
}

/// The layout shared by the line-based tests, given four good records g[0..3] and the reader's own
/// rendering of a record holding invalid UTF-8 (`bad_utf8`):
///
///   line 1   g0                      LF
///   line 2   g-with-NUL              CRLF
///   line 3   g1                      lone CR
///   line 4   bad_utf8                LF
///   line 5   2 MiB of 'A'            LF
///   line 6   g2                      CRLF
///   lines 7… 4 KiB of binary garbage LF   (holds line ends of its own: several lines)
///   last     g3                      (no line end: truncated last line)
///
/// `header` (a CSV header) is put first when not empty.
struct HostileText {
    std::string bytes;
    std::uint64_t nul_line = 0;       ///< line number of the NUL line (header included)
    std::uint64_t utf8_line = 0;      ///< line number of the invalid UTF-8 record
    std::uint64_t giant_line_no = 0;  ///< line number of the 2 MiB line
};

inline HostileText hostile_text(const std::vector<std::string>& g, const std::string& bad_utf8,
                                const std::string& header = {}) {
    HostileText t;
    std::uint64_t line = 0;
    if (!header.empty()) {
        t.bytes += header + "\n";
        ++line;
    }
    t.bytes += g.at(0) + "\n";
    t.nul_line = line + 2;
    t.bytes += with_nul(g.at(0)) + "\r\n";
    t.bytes += g.at(1) + "\r";
    t.utf8_line = line + 4;
    t.bytes += bad_utf8 + "\n";
    t.giant_line_no = line + 5;
    t.bytes += giant_line() + "\n";
    t.bytes += g.at(2) + "\r\n";
    t.bytes += garbage(4096) + "\n";
    t.bytes += g.at(3);
    return t;
}

}  // namespace vw::hostile
