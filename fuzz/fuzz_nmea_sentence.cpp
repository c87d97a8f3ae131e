// libFuzzer target: one input = one physical line through LineContext (every unit), both checksum
// policies. Checks the invariants the callers rely on: views stay inside the line, fields in range.
// Differential: parse_line (with its fast paths) and LineContext's first unit must give exactly what
// the general field-table path (detail::parse_line_general) gives, field by field. The input split at
// '\n' through one LineContext: what it carries between lines ($PGHP time and prefix, the last tag-block
// c: value) never changes how a line is read.
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

bool same_tag(const vw::nmea::TagBlock& a, const vw::nmea::TagBlock& b) {
    return a.source == b.source && a.destination == b.destination && a.text == b.text &&
           a.relative_time == b.relative_time && a.quality == b.quality && a.human_time == b.human_time &&
           a.raw_time == b.raw_time && a.time_ms == b.time_ms && a.line_count == b.line_count &&
           a.group.sequence == b.group.sequence && a.group.total == b.group.total &&
           a.group.id == b.group.id && a.raw == b.raw && a.blocks == b.blocks;
}

// Same result from two parses of the same line. Views are compared by content and position (both
// point into the same line). Fields other than the status and issue only matter for a sentence or
// a time wrapper.
void expect_same(vw::nmea::ParseResult ra, const vw::nmea::Sentence& a, vw::nmea::ParseResult rb,
                 const vw::nmea::Sentence& b) {
    using vw::nmea::LineStatus;
    if (ra.status != rb.status) std::abort();
    if (ra.status == LineStatus::issue && ra.issue != rb.issue) std::abort();
    if (ra.status == LineStatus::time_wrapper && a.receive_time_ms != b.receive_time_ms) std::abort();
    if (ra.status != LineStatus::sentence) return;
    const auto at = [](std::string_view x, std::string_view y) { return x.data() == y.data() && x == y; };
    if (!same_tag(a.tag, b.tag) || a.talker != b.talker || a.origin != b.origin ||
        a.fragment_count != b.fragment_count || a.fragment_number != b.fragment_number ||
        a.sequence_id != b.sequence_id || a.channel != b.channel || !at(a.payload, b.payload) ||
        a.fill_bits != b.fill_bits || a.receive_time_ms != b.receive_time_ms ||
        a.time_source != b.time_source || !at(a.text, b.text) || a.trailer != b.trailer ||
        a.checksum_present != b.checksum_present)
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
        vw::nmea::Sentence fast;
        vw::nmea::Sentence general;
        vw::nmea::Sentence first;
        const auto rf = vw::nmea::parse_line(line, fast, o);
        const auto rg = vw::nmea::detail::parse_line_general(line, general, o);
        expect_same(rf, fast, rg, general);
        vw::nmea::LineContext fresh(o);  // no $PGHP time carried in from an earlier line
        const auto r1 = fresh.parse_line(line, first);
        if (rg.status != vw::nmea::LineStatus::time_wrapper) expect_same(r1, first, rg, general);
        (void)vw::nmea::trailer_time_ms(line);
    }
    // A stream: the input split at '\n', every line through one LineContext. What it carries from line
    // to line (the $PGHP time, the wrapper reader's remembered date and prefix) must never change how a
    // line itself is read: its first unit's status, issue and wrapper time are a fresh context's.
    vw::nmea::LineContext stream;
    std::string_view rest = line;
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        const std::string_view one = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        vw::nmea::Sentence a;
        vw::nmea::Sentence b;
        const auto ra = stream.parse_line(one, a);
        vw::nmea::LineContext fresh;
        const auto rb = fresh.parse_line(one, b);
        if (ra.status != rb.status) std::abort();
        if (ra.status == vw::nmea::LineStatus::issue && ra.issue != rb.issue) std::abort();
        if (ra.status == vw::nmea::LineStatus::time_wrapper && a.receive_time_ms != b.receive_time_ms)
            std::abort();
        // The tag-block c: memo: a sentence's tag block (its time included) is a fresh context's.
        if (ra.status == vw::nmea::LineStatus::sentence && !same_tag(a.tag, b.tag)) std::abort();
    }
    return 0;
}
