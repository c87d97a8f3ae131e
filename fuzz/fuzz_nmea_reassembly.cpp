// libFuzzer target: a sequence of lines (split on '\n') through LineContext and a small Reassembler.
// Checks exact accounting (every sentence in one message or one issue count) and the bounds, and that
// a message only joins fragments whose group key agrees with it (fragment count, origin, source, and
// without a tag-block group: sequence id, channel, station and, when keyed strictly, the talker), and
// that its payload ends with the fragment that completed it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/nmea/reassembler.hpp"
#include "vesselwatch/nmea/sentence.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vw::nmea;
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    constexpr std::size_t kOpenGroups = 4;
    ReassemblerOptions ro;
    ro.max_open_groups = kOpenGroups;
    ro.max_group_age_lines = 8;
    ro.talker_keying = size % 2 == 0 ? TalkerKeying::strict : TalkerKeying::ignore;
    ParseOptions po;
    po.missing_checksum = MissingChecksum::accept;
    po.tagblock_checksum = TagBlockChecksum::ignore;  // let the fuzzer reach reassembly easily
    LineContext ctx(po);
    Reassembler r(ro);
    std::uint64_t sentences = 0;
    std::uint64_t in_messages = 0;
    struct Key {
        std::uint64_t line = 0;
        std::uint32_t source = 0;
        bool tag_group = false;
        std::uint8_t count = 0;
        Origin origin = Origin::other_ship;
        std::int8_t sequence_id = kNoSequenceId;
        char channel = kNoChannel;
        std::string talker;
        std::string station;
    };
    std::vector<Key> keys;  // every sentence added, in order (line numbers only grow)
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        Sentence s;
        for (auto p = ctx.parse_line(line, s); p.status != LineStatus::end_of_line; p = ctx.next_unit(s)) {
            if (!p.is_sentence()) continue;
            ++sentences;
            const std::uint32_t source = static_cast<std::uint32_t>(ctx.line_number() % 3 == 0);
            keys.push_back(Key{ctx.line_number(), source, s.tag.group.present(), s.fragment_count, s.origin,
                               s.sequence_id, s.channel, std::string(s.talker), std::string(s.tag.source)});
            if (r.add(s, {source, ctx.line_number()}) == AddStatus::complete) {
                const Message& m = r.message();
                // Each fragment's line holds a sentence whose key agrees with the message.
                for (std::size_t k = 0; m.fragment_count > 1 && k < m.fragment_count; ++k) {
                    bool found = false;
                    for (const Key& key : keys) {
                        if (key.line != m.lines[k] || key.source != m.source_id ||
                            key.count != m.fragment_count || key.origin != m.origin)
                            continue;
                        if (!key.tag_group &&
                            (key.sequence_id != m.sequence_id || key.channel != m.channel ||
                             key.station != m.station ||
                             (ro.talker_keying == TalkerKeying::strict && key.talker != m.talker)))
                            continue;
                        found = true;
                        break;
                    }
                    if (!found) std::abort();
                }
                // The completing sentence is the last fragment: the payload ends with it. Reading every
                // byte of the views also lets ASan catch a view into a buffer that moved or was freed.
                if (m.payload.size() < s.payload.size() ||
                    m.payload.substr(m.payload.size() - s.payload.size()) != s.payload)
                    std::abort();
                std::size_t sum = 0;
                for (const char c : m.payload) sum += static_cast<unsigned char>(c);
                for (const char c : m.station) sum += static_cast<unsigned char>(c);
                for (const char c : m.talker) sum += static_cast<unsigned char>(c);
                if (sum == std::size_t(-1)) std::abort();
                if (m.fragment_count < 1 || m.fragment_count > kMaxFragments) std::abort();
                if (m.payload.size() > kMaxFragments * kMaxSentencePayloadChars) std::abort();
                for (std::size_t k = 1; k < m.fragment_count; ++k)
                    if (m.lines[k] < m.lines[k - 1]) std::abort();
                in_messages += m.fragment_count;
            }
            if (r.open_groups() > kOpenGroups) std::abort();
        }
    }
    const auto& is = r.issues();
    const std::uint64_t dropped = is[vw::Issue::orphan_fragment] + is[vw::Issue::out_of_order_fragment] +
                                  is[vw::Issue::duplicate_fragment] + is[vw::Issue::expired_fragment];
    if (in_messages + dropped + r.pending_fragments() != sentences) std::abort();
    r.flush();
    if (r.open_groups() != 0 || r.pending_fragments() != 0) std::abort();
    return 0;
}
