// libFuzzer target: a sequence of lines (split on '\n') through LineContext and a small Reassembler.
// Checks exact accounting (every sentence in one message or one issue count) and the bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

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
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        Sentence s;
        for (auto p = ctx.parse_line(line, s); p.status != LineStatus::end_of_line; p = ctx.next_unit(s)) {
            if (!p.is_sentence()) continue;
            ++sentences;
            const std::uint32_t source = static_cast<std::uint32_t>(ctx.line_number() % 3 == 0);
            if (r.add(s, {source, ctx.line_number()}) == AddStatus::complete) {
                const Message& m = r.message();
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
