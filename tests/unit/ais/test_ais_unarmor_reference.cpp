// unarmor() (SSE2 blocks of 16 characters, the in-place last block for lengths that are a multiple of
// four, the padded tail otherwise) against a character-at-a-time reference written from the
// definition of the 6-bit armoring: every payload length the decoder accepts, every fill-bit count,
// payloads with and without a character outside the alphabet. Also checks the zero bytes the word
// decoder relies on: unarmor writes 8 zero bytes after the payload's last byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "vesselwatch/ais/bits.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/util/issues.hpp"

namespace vw::ais {
namespace {

/// The 6-bit value of an armoring character: '0'..'W' are 0..39, '`'..'w' are 40..63.
std::optional<unsigned> six_bits(char c) {
    if (c >= '0' && c <= 'W') return static_cast<unsigned>(c - '0');
    if (c >= '`' && c <= 'w') return static_cast<unsigned>(c - '`') + 40;
    return std::nullopt;
}

char armor_of(unsigned v) {
    return static_cast<char>(v < 40 ? '0' + v : '`' + (v - 40));
}

struct Reference {
    std::optional<Issue> issue;
    std::vector<std::uint8_t> bytes;  // (6 * chars + 7) / 8 bytes, every character's 6 bits
    std::size_t nbits = 0;
};

Reference reference_unarmor(const std::string& s, unsigned fill) {
    Reference r;
    if (fill > 5) {
        r.issue = Issue::bad_fill_bits;
        return r;
    }
    if (s.size() * 6 > kMaxPayloadBits) {
        r.issue = Issue::long_payload;
        return r;
    }
    if (s.size() * 6 <= fill) {
        r.issue = Issue::empty_payload;
        return r;
    }
    r.bytes.assign((6 * s.size() + 7) / 8, 0);
    std::size_t bit = 0;
    for (const char c : s) {
        const auto v = six_bits(c);
        if (!v) {
            r.issue = Issue::bad_armor;
            return r;
        }
        for (int k = 5; k >= 0; --k, ++bit)
            if (((*v >> k) & 1u) != 0) r.bytes[bit / 8] |= static_cast<std::uint8_t>(0x80u >> (bit % 8));
    }
    r.nbits = 6 * s.size() - fill;
    return r;
}

void expect_same(const std::string& s, unsigned fill) {
    SCOPED_TRACE("chars=" + std::to_string(s.size()) + " fill=" + std::to_string(fill) + " payload=" + s);
    const Reference want = reference_unarmor(s, fill);
    Payload got;
    got.bytes.fill(0xA5);  // whatever unarmor does not write stays visible
    const std::optional<Issue> issue = unarmor(s, fill, got);
    ASSERT_EQ(issue, want.issue);
    if (issue) return;
    EXPECT_EQ(got.nbits, want.nbits);
    for (std::size_t k = 0; k < want.bytes.size(); ++k)
        ASSERT_EQ(got.bytes[k], want.bytes[k]) << "byte " << k;
    const std::size_t zeros_end = std::min(got.bytes.size(), want.bytes.size() + 8);
    for (std::size_t k = want.bytes.size(); k < zeros_end; ++k)
        ASSERT_EQ(got.bytes[k], 0) << "byte " << k << " after the payload";
}

TEST(AisUnarmorReference, EveryLengthAndFillAgainstTheDefinition) {
    std::mt19937 rng(20261130);
    std::uniform_int_distribution<unsigned> value(0, 63);
    const std::size_t max_chars = kMaxPayloadBits / 6;
    std::size_t compared = 0;
    for (std::size_t n = 1; n <= max_chars + 1; ++n) {
        for (unsigned fill = 0; fill <= 6; ++fill) {
            for (int round = 0; round < 3; ++round) {
                std::string s(n, '0');
                for (char& c : s) c = armor_of(value(rng));
                expect_same(s, fill);
                ++compared;
            }
        }
    }
    EXPECT_EQ(compared, (max_chars + 1) * 7 * 3);
}

TEST(AisUnarmorReference, OneCharacterOutsideTheAlphabetAtEveryPosition) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<unsigned> value(0, 63);
    // characters just outside both ranges, and bytes far from them
    const std::string outside = std::string("/X_x\x7f\x80\xff", 7) + std::string(1, '\0');
    for (const std::size_t n : {1u, 15u, 16u, 17u, 20u, 27u, 28u, 29u, 32u, 56u, 71u, 72u, 168u}) {
        for (std::size_t pos = 0; pos < n; ++pos) {
            std::string s(n, '0');
            for (char& c : s) c = armor_of(value(rng));
            s[pos] = outside[pos % outside.size()];
            expect_same(s, 0);
        }
    }
}

TEST(AisUnarmorReference, EveryByteValueAtEveryPosition) {
    // Each of the 256 byte values at each position of payloads that take the vector blocks (16, 32),
    // the in-place last block (28) and the padded tail (31): the alphabet test must accept exactly
    // '0'-'W' and '`'-'w', and the values must be the definition's.
    std::mt19937 rng(29);
    std::uniform_int_distribution<unsigned> value(0, 63);
    std::size_t accepted = 0;  // by unarmor(): 64 of the 256 values at each position
    for (const std::size_t n : {16u, 28u, 31u, 32u}) {
        std::string base(n, '0');
        for (char& c : base) c = armor_of(value(rng));
        for (std::size_t pos = 0; pos < n; ++pos) {
            for (int b = 0; b < 256; ++b) {
                std::string s = base;
                s[pos] = static_cast<char>(b);
                expect_same(s, 0);
                Payload p;
                if (!unarmor(s, 0, p)) ++accepted;
            }
        }
    }
    EXPECT_EQ(accepted, (16u + 28 + 31 + 32) * 64);
}

TEST(AisUnarmorReference, RegisterPathEveryByteValueAtEveryPosition) {
    // The one-slot path's unarmoring straight into three words (detail::unarmor_slot_words, which
    // decode() uses for 28-character payloads): each byte value at each position, against the
    // definition's bits.
    std::mt19937 rng(31);
    std::uniform_int_distribution<unsigned> value(0, 63);
    std::string base(detail::kSlotPayloadChars, '0');
    for (char& c : base) c = armor_of(value(rng));
    std::size_t accepted = 0;
    for (std::size_t pos = 0; pos < base.size(); ++pos) {
        for (int b = 0; b < 256; ++b) {
            std::string s = base;
            s[pos] = static_cast<char>(b);
            const Reference want = reference_unarmor(s, 0);
            std::array<std::uint64_t, detail::kWordDecoderWords> words{};
            const bool ok = detail::unarmor_slot_words(s.data(), words);
            ASSERT_EQ(ok, !want.issue) << pos << " " << b;
            if (!ok) continue;
            ++accepted;
            for (std::size_t k = 0; k < 8 * words.size(); ++k) {  // the words big-endian, byte by byte
                const auto got = static_cast<std::uint8_t>(words[k / 8] >> (56 - 8 * (k % 8)));
                const std::uint8_t expected = k < want.bytes.size() ? want.bytes[k] : 0;  // bits 168-191 zero
                ASSERT_EQ(got, expected) << "byte " << k << " at " << pos << " " << b;
            }
        }
    }
    EXPECT_EQ(accepted, detail::kSlotPayloadChars * 64);
}

TEST(AisUnarmorReference, SlotPathRejectsEveryByteOutsideTheAlphabet) {
    // decode() takes 28-character payloads with no fill bits and a first character of types 1-4, 11
    // or 18 straight to registers (checked above): a byte outside the alphabet at any position after
    // the first (which picks that path) must still give bad_armor, through the general path.
    const std::string good = "15M67FC000G?ufbE`FepT@3n00Sa";  // type 1
    ASSERT_EQ(good.size(), 28u);
    std::size_t decoded = 0;
    for (std::size_t pos = 1; pos < good.size(); ++pos) {
        for (int b = 0; b < 256; ++b) {
            std::string s = good;
            s[pos] = static_cast<char>(b);
            const DecodeResult r = decode(s, 0, [&](const auto&) { ++decoded; });
            if (six_bits(s[pos])) {
                EXPECT_TRUE(r.ok) << pos << " " << b;
            } else {
                EXPECT_FALSE(r.ok) << pos << " " << b;
                EXPECT_EQ(r.issue, Issue::bad_armor) << pos << " " << b;
            }
        }
    }
    EXPECT_EQ(decoded, 27u * 64);
}

}  // namespace
}  // namespace vw::ais
