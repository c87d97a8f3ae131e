// The decoder's fast paths against its general path, field by field: decode() (unchecked reads for
// payloads at least as long as their type's nominal length, text eight characters at a time) must
// give exactly the struct that the bounds-checked, character-at-a-time visitor gives, on every
// message of the shared captures and on random payloads of every type and length.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <variant>

#include "ais_test_util.hpp"
#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/pipeline/message_stream.hpp"

namespace vw::ais {
namespace {

const std::filesystem::path kAisDir = std::filesystem::path(VW_SHARED_DIR) / "data/ais";

struct Compared {
    std::uint64_t messages = 0;
    std::uint64_t with_text = 0;  // types 5, 19, 21, 24 (the SWAR text path)
};

/// Decodes `armored` both ways; both must succeed or fail alike, with equal structs.
void compare(std::string_view armored, unsigned fill, Compared& seen) {
    Message fast;
    const DecodeResult r = decode(armored, fill, fast);
    Payload p;
    const std::optional<Issue> unarmor_issue = unarmor(armored, fill, p);
    if (!r.ok) return;  // rejections are covered by the decode tests; here only what both decode
    ASSERT_FALSE(unarmor_issue.has_value()) << armored;
    const bool known = with_message_type(r.type, [&](auto* tag) {
        using T = std::remove_pointer_t<decltype(tag)>;
        T general{};
        const detail::BitDecoder d(p.bytes.data(), p.nbits);  // bounds-checked, text() per character
        visit(d, general, tag);
        ASSERT_TRUE(std::holds_alternative<T>(fast)) << armored;
        EXPECT_TRUE(std::get<T>(fast) == general) << "type " << int(r.type) << " " << armored << "," << fill;
    });
    ASSERT_TRUE(known);
    ++seen.messages;
    if (r.type == 5 || r.type == 19 || r.type == 21 || r.type == 24) ++seen.with_text;
}

TEST(AisDecodeFast, SameAsCheckedVisitorOnSharedCaptures) {
    if (!std::filesystem::exists(kAisDir)) GTEST_SKIP() << "shared data not found at " << kAisDir;
    Compared seen;
    pipeline::StreamOptions options;
    pipeline::StreamStats stats;
    pipeline::for_each_message(std::vector<std::string>{kAisDir.string()}, options, stats,
                               [&](const pipeline::MessageOrigin& o) -> std::optional<Issue> {
                                   compare(o.nmea.payload, o.nmea.fill_bits, seen);
                                   return std::nullopt;
                               });
    EXPECT_GT(seen.messages, 10'000u);
    EXPECT_GT(seen.with_text, 500u);
}

TEST(AisDecodeFast, SameAsCheckedVisitorOnRandomPayloads) {
    std::mt19937_64 rng(0x5eed);
    Compared seen;
    for (unsigned type = 1; type <= 27; ++type) {
        for (std::size_t nbits = 6; nbits <= 1008; nbits += (nbits < 440 ? 1 : 37)) {
            for (int rep = 0; rep < 3; ++rep) {
                Payload p;
                BitWriter w(p);
                w.u(type, 6);
                while (w.size() < nbits) w.u(rng(), static_cast<unsigned>(std::min<std::size_t>(57, nbits - w.size())));
                unsigned fill = 0;
                const std::string armored = armor_string(p, fill);
                compare(armored, fill, seen);
                // Text fields full of '@' and spaces: where the text ends and what is trimmed.
                Payload q;
                BitWriter tw(q);
                tw.u(type, 6);
                while (tw.size() < nbits) tw.u(rng() % 3 == 0 ? 32 : (rng() % 2 ? 0 : 0x21), 6);
                const std::string armored_text = armor_string(q, fill);
                compare(armored_text, fill, seen);
            }
        }
    }
    EXPECT_GT(seen.messages, 20'000u);
    EXPECT_GT(seen.with_text, 1'000u);
}

TEST(AisDecodeFast, OneSlotRegisterPathSameAsGeneralPath) {
    // decode()'s register path for 28-character payloads (types 1-3, 4, 11, 18 at 168 bits): every
    // character of real reports replaced by every byte value, then each fill bit count; the result
    // (type, ok, issue) must be the general path's (unarmor() + decode_payload()), and so must the struct.
    Compared seen;
    std::uint64_t rejected = 0;
    for (const std::string_view base : {
             "15M67FC000G?ufbE`FepT@3n00Sa",  // type 1
             "35P;Ac5P00IqR9fE`i8:LOv82000",  // type 3
             "402R3WiuhMcg1:A6w7rSljA00000",  // type 4
             "B52K>;h00Fc>jpUlNV@ikwpUoP06",  // type 18
             ";4R33:1uUK2F`q?mOt@@GoQ00000",  // type 11
             "H42O55i18tMET00000000000000",   // 27 characters: never this path
         }) {
        for (std::size_t i = 0; i < base.size(); ++i) {
            for (int c = 0; c < 256; ++c) {
                std::string m(base);
                m[i] = static_cast<char>(c);
                for (const unsigned fill : {0u, 0u, 2u}) {
                    Message fast;
                    const DecodeResult rf = decode(m, fill, fast);
                    Payload p;
                    const std::optional<Issue> unarmor_issue = unarmor(m, fill, p);
                    if (unarmor_issue) {
                        ASSERT_FALSE(rf.ok) << m;
                        ASSERT_EQ(rf.issue, unarmor_issue) << m;
                        ++rejected;
                        continue;
                    }
                    Message general;
                    const DecodeResult rg = decode_payload(p, [&](const auto& msg) { general = msg; });
                    ASSERT_EQ(rf.type, rg.type) << m;
                    ASSERT_EQ(rf.ok, rg.ok) << m;
                    ASSERT_EQ(rf.issue, rg.issue) << m;
                    if (rf.ok) {
                        EXPECT_TRUE(fast == general) << m << "," << fill;
                        compare(m, fill, seen);
                    }
                }
            }
        }
    }
    EXPECT_GT(seen.messages, 10'000u);
    EXPECT_GT(rejected, 10'000u);
}

}  // namespace
}  // namespace vw::ais

namespace vw::ais {
namespace {

/// The whole character array (not only view(), which operator== compares): after the kept characters
/// every byte is '\0' in both decoders (the word writer stores all N bytes at once).
template <std::size_t N>
void expect_same_bytes(const Text<N>& fast, const Text<N>& general, std::string_view armored) {
    EXPECT_EQ(fast.n, general.n) << armored;
    EXPECT_TRUE(fast.c == general.c) << armored << " fast '" << std::string(fast.c.data(), N) << "'";
}

}  // namespace

TEST(AisDecodeFast, TextFieldsWholeArraysSameAsCheckedVisitor) {
    // Types 5, 19 and 24 A/B at their nominal lengths (the eight-at-a-time text path), their text
    // made of ' ', '@', '!' and 'A' in runs: every '@' position, trailing spaces before and after it,
    // text that fills the field. Compared byte by byte over the whole array.
    std::mt19937_64 rng(0x7e47);
    std::uint64_t texts = 0;
    for (int rep = 0; rep < 4000; ++rep) {
        const unsigned pick = static_cast<unsigned>(rng() % 4);
        const unsigned type = pick == 0 ? 5u : (pick == 1 ? 19u : 24u);
        const std::size_t nbits = type == 5 ? 424 : (type == 19 ? 312 : 168);
        Payload p;
        BitWriter w(p);
        w.u(type, 6);
        w.u(rng(), 32);  // repeat, MMSI
        if (type == 24) w.u(pick == 2 ? 0 : 1, 2);
        const unsigned run_char[] = {32, 0, 1, 33};  // ' ', '@', 'A', '!'
        unsigned c = run_char[rng() % 4];
        while (w.size() + 6 <= nbits) {
            if (rng() % 4 == 0) c = run_char[rng() % 4];
            w.u(c, 6);
        }
        while (w.size() < nbits) w.u(0, 1);
        unsigned fill = 0;
        const std::string armored = armor_string(p, fill);
        Message fast;
        const DecodeResult r = decode(armored, fill, fast);
        if (!r.ok) continue;
        Payload bits;
        ASSERT_FALSE(unarmor(armored, fill, bits).has_value());
        const detail::BitDecoder d(bits.bytes.data(), bits.nbits);
        if (const auto* m = std::get_if<StaticVoyage>(&fast)) {
            StaticVoyage g{};
            visit(d, g, static_cast<StaticVoyage*>(nullptr));
            expect_same_bytes(m->callsign, g.callsign, armored);
            expect_same_bytes(m->shipname, g.shipname, armored);
            expect_same_bytes(m->destination, g.destination, armored);
            texts += 3;
        } else if (const auto* m19 = std::get_if<PositionBExtended>(&fast)) {
            PositionBExtended g{};
            visit(d, g, static_cast<PositionBExtended*>(nullptr));
            expect_same_bytes(m19->shipname, g.shipname, armored);
            ++texts;
        } else if (const auto* m24 = std::get_if<StaticDataB>(&fast)) {
            StaticDataB g{};
            visit(d, g, static_cast<StaticDataB*>(nullptr));
            expect_same_bytes(m24->shipname, g.shipname, armored);
            expect_same_bytes(m24->vendorid, g.vendorid, armored);
            expect_same_bytes(m24->callsign, g.callsign, armored);
            texts += 3;
        }
    }
    EXPECT_GT(texts, 6'000u);
}

}  // namespace vw::ais
