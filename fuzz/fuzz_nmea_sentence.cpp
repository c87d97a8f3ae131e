// libFuzzer target: one input = one physical line through LineContext (every unit), both checksum
// policies. Checks the invariants the callers rely on: views stay inside the line, fields in range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vesselwatch/nmea/sentence.hpp"

namespace {

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() ||
           (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void check(const vw::nmea::Sentence& s, std::string_view line) {
    using namespace vw::nmea;
    if (!inside(s.payload, line) || !inside(s.talker, line) || !inside(s.text, line) ||
        !inside(s.trailer, line) || !inside(s.tag.source, line) || !inside(s.tag.group.id, line) ||
        !inside(s.tag.raw, line))
        std::abort();
    if (s.talker.size() != 2 || s.fragment_count < 1 || s.fragment_count > kMaxFragments ||
        s.fragment_number < 1 || s.fragment_number > s.fragment_count || s.fill_bits > kMaxFillBits ||
        s.sequence_id < kNoSequenceId || s.sequence_id > 9 || s.payload.size() > kMaxSentencePayloadChars)
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    for (const auto policy : {vw::nmea::MissingChecksum::reject, vw::nmea::MissingChecksum::accept}) {
        vw::nmea::ParseOptions o;
        o.missing_checksum = policy;
        o.tagblock_checksum = policy == vw::nmea::MissingChecksum::accept
                                  ? vw::nmea::TagBlockChecksum::ignore
                                  : vw::nmea::TagBlockChecksum::verify;
        vw::nmea::LineContext ctx(o);
        vw::nmea::Sentence s;
        std::size_t units = 0;
        for (auto r = ctx.parse_line(line, s); r.status != vw::nmea::LineStatus::end_of_line;
             r = ctx.next_unit(s)) {
            if (r.is_sentence()) check(s, line);
            if (++units > size + 1) std::abort();  // every unit consumes input: no endless loop
        }
        (void)vw::nmea::parse_line(line, s, o);
        (void)vw::nmea::trailer_time_ms(line);
    }
    return 0;
}
