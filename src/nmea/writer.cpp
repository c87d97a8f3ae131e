#include "vesselwatch/nmea/writer.hpp"

#include <algorithm>
#include <cstring>

#include "vesselwatch/nmea/checksum.hpp"

namespace vw::nmea {
namespace {

/// Room for everything but the station and the payload: delimiters, numbers, checksums, line end.
constexpr std::size_t kFixedSentenceBytes = 160;

[[nodiscard]] char* put_uint(char* p, std::uint64_t v) noexcept {
    char tmp[20];
    std::size_t n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n != 0) *p++ = tmp[--n];
    return p;
}

[[nodiscard]] char* put_text(char* p, std::string_view s) noexcept {
    if (s.empty()) return p;  // data() may be null: memcpy must not see it
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

/// Tag-block values cannot hold the delimiters ',', '*', '\\' or '!': those become '_'.
[[nodiscard]] char* put_tag_value(char* p, std::string_view s) noexcept {
    for (const char c : s) *p++ = (c == ',' || c == '*' || c == '\\' || c == '!' || c == '$') ? '_' : c;
    return p;
}

[[nodiscard]] char* put_checksum(char* p, const char* from, const char* to) noexcept {
    std::uint8_t x = 0;
    for (const char* q = from; q != to; ++q) x ^= static_cast<std::uint8_t>(*q);
    *p++ = '*';
    *p++ = hex_digit_upper(x >> 4);
    *p++ = hex_digit_upper(x & 0x0F);
    return p;
}

}  // namespace

std::size_t write_sentences(OutBuffer& out, std::string_view armored_payload, unsigned fill_bits,
                            const SentenceOptions& options) {
    const std::size_t total = std::clamp<std::size_t>(
        (armored_payload.size() + kMaxPayloadCharsPerSentence - 1) / kMaxPayloadCharsPerSentence, 1,
        kMaxFragments);
    // A payload longer than 9 sentences cannot be expressed: the tail is cut (the encoder never makes one).
    const std::string_view talker = options.talker.size() == 2 ? options.talker : std::string_view("AI");
    const std::uint8_t seq = std::min<std::uint8_t>(options.sequence_id.value_or(0), kMaxSequenceId);
    const unsigned fill = std::min(fill_bits, kMaxFillBits);

    for (std::size_t k = 0; k < total; ++k) {
        const std::size_t off = k * kMaxPayloadCharsPerSentence;
        const std::string_view part = off < armored_payload.size()
                                          ? armored_payload.substr(off, kMaxPayloadCharsPerSentence)
                                          : std::string_view{};
        char* const begin = out.reserve(kFixedSentenceBytes + options.station.size() + part.size());
        char* p = begin;

        if (options.tag_block == TagBlockMode::write) {
            *p++ = '\\';
            char* const body = p;
            bool first_field = true;
            auto sep = [&]() {
                if (!first_field) *p++ = ',';
                first_field = false;
            };
            if (total > 1) {
                sep();
                p = put_text(p, "g:");
                p = put_uint(p, k + 1);
                *p++ = '-';
                p = put_uint(p, total);
                *p++ = '-';
                p = put_uint(p, options.group_id);
            }
            if (!options.station.empty()) {
                sep();
                p = put_text(p, "s:");
                p = put_tag_value(p, options.station);
            }
            if (k == 0 && options.time_ms && *options.time_ms >= 0) {
                sep();
                p = put_text(p, "c:");
                const auto t = static_cast<std::uint64_t>(*options.time_ms);
                p = put_uint(p, options.time_unit == TagTimeUnit::seconds ? t / kMillisPerSecond : t);
            }
            if (p == body) {
                --p;  // nothing to say: no tag block
            } else {
                p = put_checksum(p, body, p);
                *p++ = '\\';
            }
        }

        *p++ = '!';
        char* const body = p;
        p = put_text(p, talker);
        p = put_text(p, options.origin == Origin::own_ship ? "VDO," : "VDM,");
        p = put_uint(p, total);
        *p++ = ',';
        p = put_uint(p, k + 1);
        *p++ = ',';
        if (total > 1) p = put_uint(p, seq);
        *p++ = ',';
        if (options.channel != kNoChannel) *p++ = options.channel;
        *p++ = ',';
        p = put_text(p, part);
        *p++ = ',';
        p = put_uint(p, k + 1 == total ? fill : 0);
        p = put_checksum(p, body, p);
        if (options.line_ending == LineEnding::crlf) *p++ = '\r';
        *p++ = '\n';
        out.advance(static_cast<std::size_t>(p - begin));
    }
    return total;
}

std::size_t SentenceWriter::write(OutBuffer& out, std::string_view armored_payload, unsigned fill_bits,
                                  std::optional<std::int64_t> time_ms) {
    SentenceOptions o = defaults_;
    if (time_ms) o.time_ms = time_ms;
    const bool multi = armored_payload.size() > kMaxPayloadCharsPerSentence;
    if (multi) {
        if (!o.sequence_id) {
            o.sequence_id = next_sequence_id_;
            next_sequence_id_ = static_cast<std::uint8_t>((next_sequence_id_ + 1) % (kMaxSequenceId + 1));
        }
        o.group_id = next_group_id_++;
    }
    return write_sentences(out, armored_payload, fill_bits, o);
}

}  // namespace vw::nmea
