// Multi-part reassembly (vw::nmea::Reassembler): keys, limits, and exact accounting.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "vesselwatch/nmea/reassembler.hpp"
#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/nmea/writer.hpp"

using vw::Issue;
using namespace vw::nmea;

namespace {

// dma-aislib/decode_encode_messages.txt lines 12-13 (type 5, two parts, sequence id 5).
constexpr std::string_view kPart1 =
    "!AIVDM,2,1,5,A,53@nhq@00001Q0?KOWA0ThuB0lE8eE:22222221N1p52240Ht5000000,0*28";
constexpr std::string_view kPart2 = "!AIVDM,2,2,5,A,000000000000000,2*21";
constexpr std::string_view kSingle = "!AIVDM,1,1,,B,13A><b0P010qaGPOo2Gcl?w208C?,0*04";

Sentence parsed(std::string_view line) {
    Sentence s;
    EXPECT_TRUE(parse_line(line, s).is_sentence()) << line;
    return s;
}

/// Feeds `lines` (1-based line numbers) and returns the emitted payloads.
struct Feed {
    Reassembler r;
    std::vector<std::string> payloads;
    std::vector<Message> messages;
    std::uint64_t sentences = 0;

    explicit Feed(ReassemblerOptions o = {}) : r(o) {}
    void line(std::string_view text, std::uint64_t n, std::uint32_t source = 0) {
        LineContext ctx;
        Sentence s;
        for (ParseResult p = ctx.parse_line(text, s); p.status != LineStatus::end_of_line;
             p = ctx.next_unit(s)) {
            ASSERT_TRUE(p.is_sentence()) << text;
            ++sentences;
            if (r.add(s, {source, n}) == AddStatus::complete) {
                payloads.emplace_back(r.message().payload);
                messages.push_back(r.message());
            }
        }
    }
    std::uint64_t accounted() const {
        std::uint64_t n = r.pending_fragments();
        for (const auto& m : messages) n += m.fragment_count;
        for (const Issue i : {Issue::orphan_fragment, Issue::out_of_order_fragment, Issue::duplicate_fragment,
                              Issue::expired_fragment})
            n += r.issues()[i];
        return n;
    }
};

}  // namespace

TEST(NmeaReassembler, SinglePartPassesThroughWithoutCopy) {
    Reassembler r;
    const std::string line(kSingle);
    const Sentence s = parsed(line);
    ASSERT_EQ(r.add(s, {7, 42}), AddStatus::complete);
    const Message& m = r.message();
    EXPECT_EQ(m.payload.data(), s.payload.data());  // a view into the line
    EXPECT_EQ(m.fragment_count, 1);
    EXPECT_EQ(m.first_line(), 42u);
    EXPECT_EQ(m.last_line(), 42u);
    EXPECT_EQ(m.source_id, 7u);
    EXPECT_EQ(m.channel, 'B');
    EXPECT_EQ(m.talker, "AI");
}

TEST(NmeaReassembler, TwoParts) {
    Feed f;
    f.line(kPart1, 12);
    EXPECT_EQ(f.r.open_groups(), 1u);
    f.line(kPart2, 13);
    ASSERT_EQ(f.messages.size(), 1u);
    EXPECT_EQ(f.payloads[0], "53@nhq@00001Q0?KOWA0ThuB0lE8eE:22222221N1p52240Ht5000000000000000000000");
    const Message& m = f.messages[0];
    EXPECT_EQ(m.fill_bits, 2);
    EXPECT_EQ(m.sequence_id, 5);
    EXPECT_EQ(m.fragment_count, 2);
    EXPECT_EQ(m.lines[0], 12u);
    EXPECT_EQ(m.lines[1], 13u);
    EXPECT_EQ(f.r.open_groups(), 0u);
    EXPECT_EQ(f.accounted(), f.sentences);
}

TEST(NmeaReassembler, InterleavedChannelsAndSourcesDoNotMix) {
    Feed f;
    const std::string b1 = "!AIVDM,2,1,5,B,53@nhq@00001Q0?KOWA0ThuB0lE8eE:22222221N1p52240Ht5000000,0*2B";
    const std::string b2 = "!AIVDM,2,2,5,B,111,2*23";
    f.line(kPart1, 1);
    f.line(b1, 2);
    f.line(kPart1, 3, /*source=*/1);
    f.line(b2, 4);
    f.line(kPart2, 5);
    f.line(kPart2, 6, 1);
    ASSERT_EQ(f.payloads.size(), 3u);
    EXPECT_EQ(f.payloads[0].substr(f.payloads[0].size() - 3), "111");
    EXPECT_EQ(f.messages[0].channel, 'B');
    EXPECT_EQ(f.messages[1].channel, 'A');
    EXPECT_EQ(f.messages[2].source_id, 1u);
    EXPECT_EQ(f.messages[2].lines[0], 3u);
    EXPECT_EQ(f.accounted(), f.sentences);
}

TEST(NmeaReassembler, OrphanDuplicateOutOfOrder) {
    Feed f;
    f.line(kPart2, 1);  // no first part
    EXPECT_EQ(f.r.issues()[Issue::orphan_fragment], 1u);
    f.line(kPart1, 2);
    f.line(kPart1, 3);  // same first sentence again
    EXPECT_EQ(f.r.issues()[Issue::duplicate_fragment], 1u);
    f.line(kPart2, 4);
    f.line(kPart2, 5);  // group already complete and gone: orphan
    EXPECT_EQ(f.r.issues()[Issue::orphan_fragment], 2u);
    // 3-part message whose part 3 arrives before part 2.
    f.line("!AIVDM,3,1,2,A,<NjB8;0mJnR8:E1>PIP<E391dPC5P5CD1P1@B?H9=1>4?P5>P5H35C?P1PE>,0*64", 6);
    f.line("!AIVDM,3,3,2,A,?P1>P?41CP2E?IfP;55@P3<51BP?6P9D,0*2C", 7);
    EXPECT_EQ(f.r.issues()[Issue::out_of_order_fragment], 1u);
    f.line("!AIVDM,3,2,2,A,1P2?I1P?41CfP=1>D5>71C5P1@1BD14?fPgPI?EP1B5P75DD9>7P3<?C5BPD,0*39", 8);
    f.line("!AIVDM,3,2,2,A,1P2?I1P?41CfP=1>D5>71C5P1@1BD14?fPgPI?EP1B5P75DD9>7P3<?C5BPD,0*39", 9);
    EXPECT_EQ(f.r.issues()[Issue::duplicate_fragment], 2u);
    f.line("!AIVDM,3,3,2,A,?P1>P?41CP2E?IfP;55@P3<51BP?6P9D,0*2C", 10);
    ASSERT_EQ(f.messages.size(), 2u);
    EXPECT_EQ(f.messages[1].fragment_count, 3);
    EXPECT_EQ(f.messages[1].lines[0], 6u);
    EXPECT_EQ(f.messages[1].lines[1], 8u);
    EXPECT_EQ(f.messages[1].lines[2], 10u);
    EXPECT_EQ(f.accounted(), f.sentences);
}

TEST(NmeaReassembler, NewFirstPartSupersedesIncompleteGroup) {
    Feed f;
    f.line("!AIVDM,2,1,5,A,53@nhq@00001Q0?KOWA0ThuB0lE8eE:22222221N1p52240Ht5000001,0*29", 1);
    f.line(kPart1, 2);  // same key, different payload: the first group cannot complete any more
    EXPECT_EQ(f.r.issues()[Issue::orphan_fragment], 1u);
    f.line(kPart2, 3);
    ASSERT_EQ(f.messages.size(), 1u);
    EXPECT_EQ(f.messages[0].lines[0], 2u);
    EXPECT_EQ(f.accounted(), f.sentences);
}

TEST(NmeaReassembler, AgeAndCapacityLimitsExpire) {
    ReassemblerOptions o;
    o.max_open_groups = 2;
    o.max_group_age_lines = 10;
    Feed f(o);
    f.line(kPart1, 1);
    f.line(kPart2, 12);  // 11 lines later: the group expired first, so this is an orphan
    EXPECT_EQ(f.r.issues()[Issue::expired_fragment], 1u);
    EXPECT_EQ(f.r.issues()[Issue::orphan_fragment], 1u);
    // Capacity: three groups open with room for two -> the oldest expires.
    f.line("!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C", 20);
    f.line("!AIVDM,2,1,2,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1F", 21);
    f.line(kPart1, 22);
    EXPECT_EQ(f.r.open_groups(), 2u);
    EXPECT_EQ(f.r.issues()[Issue::expired_fragment], 2u);
    f.line("!AIVDM,2,2,1,A,88888888880,2*25", 23);  // its group (seq 1) was the one evicted
    EXPECT_EQ(f.r.issues()[Issue::orphan_fragment], 2u);
    f.line(kPart2, 24);
    EXPECT_EQ(f.messages.size(), 1u);
    // Single-part traffic alone also ages groups out (checked every few adds).
    for (std::uint64_t n = 100; n < 300; ++n) f.line(kSingle, n);
    EXPECT_EQ(f.r.open_groups(), 0u);
    EXPECT_EQ(f.r.issues()[Issue::expired_fragment], 3u);
    EXPECT_EQ(f.accounted(), f.sentences);
}

TEST(NmeaReassembler, FlushCountsNeverCompletedAsOrphans) {
    Feed f;
    f.line(kPart1, 1, 0);
    f.line(kPart1, 1, 1);
    f.r.flush(1);
    EXPECT_EQ(f.r.open_groups(), 1u);
    f.r.flush();
    EXPECT_EQ(f.r.open_groups(), 0u);
    EXPECT_EQ(f.r.issues()[Issue::orphan_fragment], 2u);
    EXPECT_EQ(f.accounted(), f.sentences);
}

TEST(NmeaReassembler, TagBlockGroupsJoinWithoutStationOnLaterParts) {
    // gfw-ais-tools/ee-multiline.nmea lines 2-3, with an unrelated message in between.
    Feed f;
    f.line(
        "\\g:1-2-1278,s:66,c:1661782369*43\\!AIVDM,2,1,3,A,56=nR7D00003A<I@E=@TmDh637OS60mA:222220N1@6427?"
        "P00888888,"
        "0*66",
        1);
    f.line("\\s:66,c:1661782474*36\\!AIVDM,1,1,,A,36=nR7OP0>69WMN3Gt:mu?w02000,0*07", 2);
    f.line("\\g:2-2-1278*51\\!AIVDM,2,2,3,A,888888888888880,2*27", 3);
    ASSERT_EQ(f.messages.size(), 2u);
    const Message& m = f.messages[1];
    EXPECT_EQ(m.station, "66");
    EXPECT_EQ(m.receive_time_ms, 1661782369000);
    EXPECT_EQ(m.lines[0], 1u);
    EXPECT_EQ(m.lines[1], 3u);
    EXPECT_EQ(f.payloads[1], "56=nR7D00003A<I@E=@TmDh637OS60mA:222220N1@6427?P00888888888888888888880");
}

TEST(NmeaReassembler, TalkerKeying) {
    // gfw-ais-tools/bad-type5.nmea line 1: an aggregator relabelled the second part's talker.
    const std::string line =
        "\\s:rMT2083,t:marinetraffic,c:1698785948*44\\!ABVDM,2,1,8,A,53l3sj42A590=5Q2220UHE:04=@Ttr222222221@"
        "9HH>46ii0="
        "D532Dp?`1D,0*28\\s:rMT2083,t:marinetraffic,c:1698785947*4B\\!AIVDM,2,2,8,A,888888888888880,2*2C";
    Feed strict;
    strict.line(line, 1);
    EXPECT_TRUE(strict.messages.empty());
    EXPECT_EQ(strict.r.issues()[Issue::orphan_fragment], 1u);
    ReassemblerOptions o;
    o.talker_keying = TalkerKeying::ignore;
    Feed lax(o);
    lax.line(line, 1);
    ASSERT_EQ(lax.messages.size(), 1u);
    EXPECT_EQ(lax.payloads[0], "53l3sj42A590=5Q2220UHE:04=@Ttr222222221@9HH>46ii0=D532Dp?`1D888888888888880");
    EXPECT_EQ(lax.messages[0].receive_time_ms, 1698785948000);  // the first fragment's
}

TEST(NmeaReassembler, HostileSequenceStaysBounded) {
    ReassemblerOptions o;
    o.max_open_groups = 16;
    Feed f(o);
    // 10,000 distinct never-completed first parts from many "stations".
    for (std::uint64_t n = 1; n <= 10'000; ++n) {
        vw::OutBuffer out;
        SentenceOptions so;
        so.tag_block = TagBlockMode::write;
        const std::string station = "st" + std::to_string(n);
        so.station = station;
        so.sequence_id = static_cast<std::uint8_t>(n % 10);
        write_sentences(out, std::string(61, '0'), 0, so);
        const std::string first(out.view().substr(0, out.view().find('\n') + 1));
        f.line(first, n);
        ASSERT_LE(f.r.open_groups(), 16u);
    }
    EXPECT_EQ(f.r.issues()[Issue::expired_fragment], 10'000u - 16u);
    EXPECT_EQ(f.accounted(), f.sentences);
}

TEST(NmeaReassembler, EachKeyFieldKeepsGroupsApart) {
    // Two open groups that differ in exactly one key field (B's first part arrives first, then A's):
    // neither may take the other's fragments, whichever field it is. The group lookup uses a packed
    // prefilter key; the tag-block total is only compared through it, so this also guards that key.
    struct Variant {
        const char* what;
        void (*change)(Sentence&, std::uint32_t&);
    };
    const Variant variants[] = {
        {"sequence id", [](Sentence& s, std::uint32_t&) { s.sequence_id = 7; }},
        {"channel", [](Sentence& s, std::uint32_t&) { s.channel = 'B'; }},
        {"talker", [](Sentence& s, std::uint32_t&) { s.talker = "AB"; }},
        {"origin", [](Sentence& s, std::uint32_t&) { s.origin = Origin::own_ship; }},
        {"station", [](Sentence& s, std::uint32_t&) { s.tag.source = "other"; }},
        {"source id", [](Sentence&, std::uint32_t& source) { source = 2; }},
        {"tag-block total",
         [](Sentence& s, std::uint32_t&) {
             s.tag.group.total = 3;
             s.tag.blocks = 1;
         }},
        {"tag-block id",
         [](Sentence& s, std::uint32_t&) {
             s.tag.group.id = "78";
             s.tag.blocks = 1;
         }},
    };
    for (const Variant& v : variants) {
        const bool tag = std::string_view(v.what).substr(0, 9) == "tag-block";
        auto part = [&](std::uint8_t number, std::string_view payload) {
            Sentence s;
            s.talker = "AI";
            s.fragment_count = 2;
            s.fragment_number = number;
            s.sequence_id = 5;
            s.channel = 'A';
            s.payload = payload;
            s.tag.source = "station";
            if (tag) {
                s.tag.blocks = 1;
                s.tag.group = TagBlockGroup{number, 2, "77"};
            }
            return s;
        };
        Reassembler r;
        Sentence b1 = part(1, "B1");
        std::uint32_t b_source = 1;
        v.change(b1, b_source);
        ASSERT_EQ(r.add(b1, {b_source, 1}), AddStatus::pending) << v.what;
        ASSERT_EQ(r.add(part(1, "A1"), {1, 2}), AddStatus::pending) << v.what;
        EXPECT_EQ(r.open_groups(), 2u) << v.what;
        ASSERT_EQ(r.add(part(2, "A2"), {1, 3}), AddStatus::complete) << v.what;
        EXPECT_EQ(r.message().payload, "A1A2") << v.what;
        Sentence b2 = part(2, "B2");
        std::uint32_t b2_source = 1;
        v.change(b2, b2_source);
        ASSERT_EQ(r.add(b2, {b2_source, 4}), AddStatus::complete) << v.what;
        EXPECT_EQ(r.message().payload, "B1B2") << v.what;
        for (const std::uint64_t count : r.issues().n) EXPECT_EQ(count, 0u) << v.what;
    }
}

TEST(NmeaReassembler, MessageViewsHoldTheRightGroupWhicheverSlotCompletes) {
    // A completed group leaves the open range and its message's views point into that slot's buffers
    // until the next add(): complete the first, a middle and the last of several open groups (short
    // stations that live inside the string object, payloads on the heap), each checked field by field
    // against what its fragments said, and read again after the other groups have been left alone.
    Reassembler r;
    constexpr int kGroups = 5;
    std::vector<std::string> second(kGroups);
    auto add = [&](const std::string& line, std::uint64_t n) {
        LineContext ctx;
        Sentence s;
        EXPECT_TRUE(ctx.parse_line(line, s).is_sentence()) << line;
        return r.add(s, {1, n});
    };
    auto fixed = [](std::string body) {  // "\s:...*hh\!AIVDM,...,f*hh" with both checksums right
        auto put = [&](std::size_t from, std::size_t star) {
            unsigned x = 0;
            for (std::size_t i = from; i < star; ++i) x ^= static_cast<unsigned char>(body[i]);
            constexpr std::string_view kHex = "0123456789ABCDEF";
            body[star + 1] = kHex[x >> 4];
            body[star + 2] = kHex[x & 15];
        };
        const std::size_t tag_star = body.find('*');
        put(1, tag_star);
        const std::size_t bang = body.find('!');
        put(bang + 1, body.rfind('*'));
        return body;
    };
    for (const std::vector<int>& order : {std::vector<int>{0, 2, 4, 1, 3}, std::vector<int>{4, 3, 2, 1, 0},
                                          std::vector<int>{2, 0, 1, 4, 3}}) {
        std::uint64_t n = 0;
        for (int g = 0; g < kGroups; ++g) {
            const std::string first =
                "53@nhq@00001Q0?KOWA0ThuB0lE8eE:22222221N1p52240Ht500000" + std::to_string(g);
            second[g] = "0000000000" + std::to_string(g) + "0000";
            EXPECT_EQ(add(fixed("\\s:st" + std::to_string(g) + "*00\\!AIVDM,2,1," + std::to_string(g) +
                                ",A," + first + ",0*00"),
                          ++n),
                      AddStatus::pending);
        }
        for (const int g : order) {
            const std::string first =
                "53@nhq@00001Q0?KOWA0ThuB0lE8eE:22222221N1p52240Ht500000" + std::to_string(g);
            ASSERT_EQ(add(fixed("\\s:st" + std::to_string(g) + "*00\\!ABVDM,2,2," + std::to_string(g) +
                                ",A," + second[g] + ",2*00"),
                          ++n),
                      AddStatus::rejected)  // another talker: not this group (strict keying)
                << g;
            ASSERT_EQ(add(fixed("\\s:st" + std::to_string(g) + "*00\\!AIVDM,2,2," + std::to_string(g) +
                                ",A," + second[g] + ",2*00"),
                          ++n),
                      AddStatus::complete)
                << g;
            const Message& m = r.message();
            EXPECT_EQ(m.payload, first + second[g]) << g;
            EXPECT_EQ(m.station, "st" + std::to_string(g)) << g;
            EXPECT_EQ(m.talker, "AI") << g;
            EXPECT_EQ(m.sequence_id, g) << g;
            EXPECT_EQ(m.fill_bits, 2) << g;
            EXPECT_EQ(m.fragment_count, 2) << g;
            EXPECT_EQ(m.lines[1], n) << g;
        }
        EXPECT_EQ(r.open_groups(), 0u);
    }
    EXPECT_EQ(r.issues()[Issue::orphan_fragment], 15u);
}

TEST(NmeaReassembler, PayloadBuffersGrowAndAreReusedAcrossGroups) {
    // A group slot keeps its payload buffer between groups and doubles it when a message needs more:
    // messages of 1..9 fragments with payload fields of 0..341 characters (so that the buffer grows
    // once, several times, or not at all, and a slot that held a long message is reused for a short
    // one), several groups open at once and completed in varying order; every emitted payload must be
    // the concatenation of its fragments' payloads and the duplicate check must see the first fragment.
    std::mt19937 rng(20261130);
    auto rnd = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    Reassembler r;
    std::uint64_t line = 0;
    std::uint64_t completed = 0;
    for (int round = 0; round < 300; ++round) {
        const int open = rnd(1, 4);
        std::vector<std::vector<std::string>> parts(static_cast<std::size_t>(open));
        for (auto& p : parts) {
            const int count = rnd(1, 9);
            for (int k = 0; k < count; ++k) {
                const int len = rnd(0, 9) == 0 ? static_cast<int>(kMaxSentencePayloadChars) : rnd(0, 80);
                std::string chars;
                for (int c = 0; c < len; ++c) chars.push_back(static_cast<char>('0' + rnd(0, 39)));
                p.push_back(chars);
            }
        }
        std::vector<std::size_t> next(parts.size(), 0);
        // Interleave the groups' fragments; group g uses sequence id g.
        for (bool any = true; any;) {
            any = false;
            for (std::size_t g = 0; g < parts.size(); ++g) {
                if (next[g] == parts[g].size() || rnd(0, 2) == 0) {
                    any = any || next[g] != parts[g].size();
                    continue;
                }
                any = true;
                Sentence s;
                s.talker = "AI";
                s.fragment_count = static_cast<std::uint8_t>(parts[g].size());
                s.fragment_number = static_cast<std::uint8_t>(next[g] + 1);
                s.sequence_id = static_cast<std::int8_t>(g);
                s.channel = 'A';
                s.payload = parts[g][next[g]];
                ++next[g];
                const AddStatus st = r.add(s, {1, ++line});
                if (next[g] < parts[g].size()) {
                    ASSERT_EQ(st, AddStatus::pending);
                    if (next[g] == 1) {  // the same first fragment again: a duplicate
                        ASSERT_EQ(r.add(s, {1, ++line}), AddStatus::rejected);
                    }
                    continue;
                }
                ASSERT_EQ(st, AddStatus::complete);
                std::string want;
                for (const std::string& c : parts[g]) want += c;
                ASSERT_EQ(r.message().payload, want) << round << " " << g;
                ASSERT_EQ(r.message().fragment_count, parts[g].size());
                ++completed;
            }
        }
    }
    EXPECT_EQ(r.open_groups(), 0u);
    EXPECT_EQ(r.issues()[Issue::orphan_fragment] + r.issues()[Issue::expired_fragment], 0u);
    EXPECT_GT(completed, 600u);
    EXPECT_GT(r.issues()[Issue::duplicate_fragment], 100u);
}
