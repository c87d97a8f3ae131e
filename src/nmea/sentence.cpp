#include "vesselwatch/nmea/sentence.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "field_scan.hpp"
#include "vesselwatch/nmea/checksum.hpp"
#include "vesselwatch/util/civil_time.hpp"

namespace vw::nmea {
namespace {

using detail::address_end;
using detail::is_address_char;
using detail::is_plain_non_ais_line;
using detail::kAisAddressChars;
using detail::kAisFieldCommas;
constexpr std::size_t kChecksumChars = 2;
constexpr std::size_t kMinTrailerTimeDigits = 9;   // 10^8 s = 1973: smaller bare numbers are not times
constexpr std::size_t kMaxTrailerTimeDigits = 13;  // ms since the epoch until the year 2286
constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kMillisPerDay = kSecondsPerDay * kMillisPerSecond;
constexpr std::int64_t kMillisPerHour = 3'600'000;
constexpr std::int64_t kMillisPerMinute = 60'000;
constexpr int kMinPghpYear = 1970;
constexpr int kMaxPghpYear = 9999;
constexpr int kMaxLeapSecond = 60;
constexpr int kMaxMillis = 999;

/// ' ', TAB, CR, LF as bits of a mask indexed by character code (all are below 64).
constexpr std::uint64_t kSpaceBits = (std::uint64_t{1} << ' ') | (std::uint64_t{1} << '\t') |
                                     (std::uint64_t{1} << '\r') | (std::uint64_t{1} << '\n');

[[nodiscard]] constexpr bool is_space(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' && ((kSpaceBits >> u) & 1u) != 0;  // one compare for every printable character
}

constexpr std::uint64_t kAsciiZeros = 0x3030303030303030ULL;
constexpr std::uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0ULL;


/// s[pos, pos + n) without the bounds check and exception path of substr(); pos + n <= s.size().
[[nodiscard]] constexpr std::string_view slice(std::string_view s, std::size_t pos, std::size_t n) noexcept {
    return {s.data() + pos, n};
}
/// s[pos, end); pos <= s.size().
[[nodiscard]] constexpr std::string_view tail(std::string_view s, std::size_t pos) noexcept {
    return {s.data() + pos, s.size() - pos};
}

/// Resets what parse_unit() sets, without copying a whole zeroed Sentence on the hot path. The tag
/// block is only written by parse_unit(), which leaves it default-constructed unless `blocks != 0`.
void reset(Sentence& s) noexcept {
    if (s.tag.present()) s.tag = TagBlock{};
    s.talker = {};
    s.origin = Origin::other_ship;
    s.fragment_count = 0;
    s.fragment_number = 0;
    s.sequence_id = kNoSequenceId;
    s.channel = kNoChannel;
    s.payload = {};
    s.fill_bits = 0;
    s.receive_time_ms.reset();
    s.time_source = TimeSource::none;
    s.text = {};
    s.trailer = {};
    s.checksum_present = true;
}

[[nodiscard]] std::string_view trim(std::string_view s) noexcept {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    return slice(s, b, e - b);
}

using detail::is_alnum;
using detail::is_digit;

[[nodiscard]] constexpr unsigned days_in_month(int y, unsigned m) noexcept {
    constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

/// Small non-negative integer of 1..max_digits digits, or -1.
[[nodiscard]] int parse_small(std::string_view s, std::size_t max_digits) noexcept {
    if (s.empty() || s.size() > max_digits) return -1;
    int v = 0;
    for (const char c : s) {
        if (!is_digit(c)) return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

/// The value of a one-character decimal field, or -1 (empty, longer, or not a digit).
[[nodiscard]] constexpr int digit_field(std::string_view f) noexcept {
    return f.size() == 1 && is_digit(f[0]) ? f[0] - '0' : -1;
}

[[nodiscard]] ParseResult issue(Issue i) noexcept {
    return {LineStatus::issue, i};
}

/// After a sentence ends at text[next] (just past "*hh"): what follows is nothing, another unit, or a
/// receiver trailer / junk up to the end of the line. Sets the trailer, the receive time and `consumed`.
ParseResult finish_sentence(std::string_view text, std::size_t next, Sentence& out,
                            std::size_t& consumed) noexcept {
    if (next >= text.size() || text[next] == '\\' || text[next] == '!' || text[next] == '$') {
        consumed = next;
    } else {
        out.trailer = tail(text, next);
        consumed = text.size();
    }
    if (out.tag.time_ms) {
        out.receive_time_ms = out.tag.time_ms;
        out.time_source = TimeSource::tagblock;
    } else if (!out.trailer.empty() && out.trailer[0] == ',') {
        out.receive_time_ms = trailer_time_ms(out.trailer);
        if (out.receive_time_ms) out.time_source = TimeSource::trailer;
    }
    return {LineStatus::sentence, Issue::empty_line};
}

/// Index of the first of ',', '*', '!', '\\' in text[from, text.size()), or text.size().
[[nodiscard]] std::size_t payload_end(std::string_view text, std::size_t from) noexcept {
    const char* const p = text.data();
    const std::size_t n = text.size();
    std::size_t i = from;
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('*'))),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        const auto bits = static_cast<unsigned>(_mm_movemask_epi8(m));
        if (bits != 0) return i + static_cast<std::size_t>(__builtin_ctz(bits));
    }
#endif
    for (; i < n; ++i)
        if (p[i] == ',' || p[i] == '*' || p[i] == '!' || p[i] == '\\') return i;
    return n;
}

/// XOR of text[b, e).
[[nodiscard]] std::uint8_t xor_range(std::string_view text, std::size_t b, std::size_t e) noexcept {
    const char* const p = text.data();
    std::uint8_t x = 0;
#if defined(__SSE2__)
    if (e - b >= 16) {
        __m128i acc = _mm_setzero_si128();
        for (; b + 16 <= e; b += 16)
            acc = _mm_xor_si128(acc, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + b)));
        if (b < e) {  // the last e - b bytes: the 16 ending at e, without the lanes already XORed
            const __m128i last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + e - 16));
            acc = _mm_xor_si128(acc, _mm_andnot_si128(detail::first_lanes(16 - (e - b)), last));
            b = e;
        }
        x = detail::xor_lanes(acc);
    }
#endif
    for (; b < e; ++b) x ^= static_cast<std::uint8_t>(p[b]);
    return x;
}

[[nodiscard]] constexpr bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}

/// detail::parse_vdm_exact() into `out`, which the caller has reset as for parse_common_vdm() (its
/// tag block, if any, already read): `out` then holds what the general path would produce.
[[nodiscard]] bool parse_vdm_exact(std::string_view text, Sentence& out) noexcept {
    detail::VdmFields f;
    if (!detail::parse_vdm_exact(text, f)) return false;
    out.talker = slice(text, 1, 2);
    out.origin = f.own_ship ? Origin::own_ship : Origin::other_ship;
    out.fragment_count = f.fragment_count;
    out.fragment_number = f.fragment_number;
    out.sequence_id = f.sequence_id;
    out.channel = f.channel;
    out.payload = slice(text, f.payload_begin, f.payload_size);
    out.fill_bits = f.fill_bits;
    out.text = text;
    if (out.tag.time_ms) [[unlikely]] {
        out.receive_time_ms = out.tag.time_ms;
        out.time_source = TimeSource::tagblock;
    }
    return true;
}

/// The common case, `!ccVDM,n,n,[d],[c],<payload>,f*hh` with an upper-case talker, checked field by
/// field in one left-to-right pass plus one XOR pass. Returns false when the text is not exactly in
/// that form or fails any check (checksum included): parse_unit() then takes the general path, which
/// accepts the other forms and names the issue. When it returns true, `out` holds exactly what the
/// general path would have produced.
[[nodiscard]] bool parse_common_vdm(std::string_view text, Sentence& out, std::size_t& consumed) noexcept {
    constexpr std::size_t kFirstNumberField = 7;   // "!AIVDM," is 7 characters
    constexpr std::size_t kShortestSentence = 19;  // "!AIVDM,1,1,,,x,0*hh" minus nothing optional
    const std::size_t n = text.size();
    if (n < kShortestSentence || text[0] != '!' || !is_upper(text[1]) || !is_upper(text[2]) ||
        text[3] != 'V' || text[4] != 'D' || (text[5] != 'M' && text[5] != 'O') || text[6] != ',')
        return false;
    const char c_count = text[kFirstNumberField];
    const char c_number = text[kFirstNumberField + 2];
    if (c_count < '1' || c_count > '9' || text[kFirstNumberField + 1] != ',' || c_number < '1' ||
        c_number > c_count || text[kFirstNumberField + 3] != ',')
        return false;
    std::size_t i = kFirstNumberField + 4;
    int seq = kNoSequenceId;
    char channel = kNoChannel;
    if (!detail::read_sequence_and_channel(text.data(), i, seq, channel)) return false;  // i + 3 < n: n >= 19
    const std::size_t payload_begin = i;
    const std::size_t comma = payload_end(text, payload_begin);
    if (comma + 4 >= n || text[comma] != ',' || comma - payload_begin > kMaxSentencePayloadChars)
        return false;
    const char c_fill = text[comma + 1];
    if (c_fill < '0' || c_fill > static_cast<char>('0' + kMaxFillBits) || text[comma + 2] != '*')
        return false;
    const int want = parse_hex_byte(tail(text, comma + 3));
    if (want < 0 || want != xor_range(text, 1, comma + 2)) return false;

    out.talker = slice(text, 1, 2);
    out.origin = text[5] == 'O' ? Origin::own_ship : Origin::other_ship;
    out.fragment_count = static_cast<std::uint8_t>(c_count - '0');
    out.fragment_number = static_cast<std::uint8_t>(c_number - '0');
    out.sequence_id = static_cast<std::int8_t>(seq);
    out.channel = channel;
    out.payload = slice(text, payload_begin, comma - payload_begin);
    out.fill_bits = static_cast<std::uint8_t>(c_fill - '0');
    const std::size_t next = comma + 3 + kChecksumChars;
    out.text = slice(text, 0, next);
    (void)finish_sentence(text, next, out, consumed);
    return true;
}

/// XOR of text[b, e) and whether a '*' occurs there, in one pass (SSE2 when e - b >= 16).
struct XorStar {
    std::uint8_t checksum = 0;
    bool star = false;
};
[[nodiscard]] inline XorStar xor_and_find_star(const char* p, std::size_t b, std::size_t e) noexcept {
    XorStar r;
#if defined(__SSE2__)
    if (e - b >= detail::kVectorBytes) {
        const __m128i star = _mm_set1_epi8('*');
        __m128i x = _mm_setzero_si128();
        __m128i hits = _mm_setzero_si128();
        for (; b + detail::kVectorBytes <= e; b += detail::kVectorBytes) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + b));
            x = _mm_xor_si128(x, v);
            hits = _mm_or_si128(hits, _mm_cmpeq_epi8(v, star));
        }
        if (b < e) {  // the 16 bytes ending at e, without the lanes already covered
            const __m128i fresh = _mm_andnot_si128(detail::first_lanes(detail::kVectorBytes - (e - b)),
                                                   _mm_set1_epi8(-1));
            const __m128i v = _mm_and_si128(
                fresh, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + e - detail::kVectorBytes)));
            x = _mm_xor_si128(x, v);
            hits = _mm_or_si128(hits, _mm_cmpeq_epi8(v, star));  // masked lanes are 0, never '*'
            b = e;
        }
        r.checksum = detail::xor_lanes(x);
        r.star = _mm_movemask_epi8(hits) != 0;
    }
#endif
    for (; b < e; ++b) {
        r.checksum ^= static_cast<std::uint8_t>(p[b]);
        r.star = r.star || p[b] == '*';
    }
    return r;
}

/// The usual Gatehouse wrapper, `$PGHP,1,yyyy,m,d,h,mi,s,ms,...*hh` ending at its checksum (`line` is
/// trimmed), read in fixed field order: the seven time fields as digits in place (no field table),
/// then one pass that XORs the sentence and makes sure the '*' before the checksum is its first.
/// Returns false whenever the line is not in this form or fails a check; parse_pghp() then decides
/// (and names the issue). When it returns true, `time_ms` is what parse_pghp() returns for the line
/// (tests: tests/unit/nmea/test_fast_path.cpp compare the two on captures, mutations and edge cases;
/// fuzz/fuzz_nmea_sentence.cpp on anything). Reading the fields from SSE2 comma and digit masks
/// instead measured more instructions (the fields are one or two digits), so this stays scalar.
/// With `prefix` (LineContext's), a line that starts with the remembered bytes of the last accepted
/// wrapper, through the comma after its minute, takes that instant and reads only the second, the
/// milliseconds and the checksum; every accepted line read in full becomes the new prefix.
[[nodiscard]] bool parse_pghp_common(std::string_view line, std::int64_t& time_ms,
                                     detail::DayMemo* memo = nullptr,
                                     detail::PghpPrefixMemo* prefix = nullptr) noexcept {
    constexpr std::size_t kTimeFieldsAt = 8;  // "$PGHP,1," is 8 characters
    constexpr std::size_t kShortest = 27;     // "$PGHP,1,yyyy,m,d,h,m,s,m*hh"
    constexpr std::size_t kYearDigits = 4;
    constexpr std::size_t kSmallDigits = 2;  // month, day, hour, minute, second
    constexpr std::size_t kMillisDigits = 3;
    const std::size_t n = line.size();
    if (n < kShortest || line.substr(0, kTimeFieldsAt) != "$PGHP,1,") return false;
    const std::size_t star = n - 1 - kChecksumChars;
    const char* const p = line.data();
    if (p[star] != '*') return false;
    const int want = parse_hex_byte(tail(line, star + 1));
    if (want < 0) return false;
    std::size_t i = kTimeFieldsAt;
    // 1..max_digits digits ending at a ',' (or, for the last time field, at the checksum '*').
    // i < star holds before each call: every field ends before `star`, so reads stay inside the line.
    auto number = [&](std::size_t max_digits, bool last) noexcept -> int {
        const std::size_t b = i;
        int v = 0;
        while (i < star && i - b < max_digits && is_digit(p[i])) v = v * 10 + (p[i++] - '0');
        if (i == b) return -1;
        if (p[i] == ',' && i < star) {
            ++i;
            return v;
        }
        return last && i == star ? v : -1;
    };
    // The year..minute fields depend only on the bytes [0, i) they span and on star lying past them:
    // when those bytes are the memo's (a line that passed every check below), so is their value.
    std::int64_t minute_ms = 0;
    bool from_prefix = false;
#if defined(__SSE2__)
    if (prefix != nullptr && prefix->size != 0 && star >= prefix->size &&
        n >= detail::PghpPrefixMemo::kBytes) {
        const auto eq = [&](std::size_t at) noexcept {
            const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
            const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(prefix->bytes.data() + at));
            return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)));
        };
        const std::uint32_t same = eq(0) | (eq(detail::kVectorBytes) << detail::kVectorBytes);
        const std::uint32_t need = prefix->size >= 32 ? ~0u : (1u << prefix->size) - 1u;
        if ((same & need) == need) {
            i = prefix->size;
            minute_ms = prefix->minute_ms;
            from_prefix = true;
        }
    }
#endif
    if (!from_prefix) {
        const int year = number(kYearDigits, false);
        if (year < kMinPghpYear) return false;  // also -1; four digits keep it <= kMaxPghpYear
        const int month = number(kSmallDigits, false);
        if (month < 1 || month > 12) return false;
        const int day = number(kSmallDigits, false);
        if (day < 1 || day > static_cast<int>(days_in_month(year, static_cast<unsigned>(month))))
            return false;
        const int hour = number(kSmallDigits, false);
        const int minute = number(kSmallDigits, false);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
        const auto m = static_cast<unsigned>(month);
        const auto d = static_cast<unsigned>(day);
        std::int64_t days = 0;
        if (memo != nullptr && memo->year == year && memo->month == m && memo->day == d) {
            days = memo->days;
        } else {
            days = days_from_civil(year, m, d);
            if (memo != nullptr) *memo = detail::DayMemo{year, m, d, days};
        }
        minute_ms = days * kMillisPerDay + hour * kMillisPerHour + minute * kMillisPerMinute;
    }
    const std::size_t prefix_size = i;
    const int second = number(kSmallDigits, false);
    const int millis = number(kMillisDigits, true);
    if (second < 0 || second > kMaxLeapSecond || millis < 0) return false;
    const XorStar x = xor_and_find_star(p, 1, star);
    if (x.star || x.checksum != want) return false;
    if (prefix != nullptr && !from_prefix) {
        if (n >= detail::PghpPrefixMemo::kBytes && prefix_size <= detail::PghpPrefixMemo::kBytes) {
            std::memcpy(prefix->bytes.data(), p, detail::PghpPrefixMemo::kBytes);
            prefix->size = static_cast<std::uint8_t>(prefix_size);
            prefix->minute_ms = minute_ms;
        } else {
            prefix->size = 0;
        }
    }
    time_ms = minute_ms + second * kMillisPerSecond + millis;
    return true;
}

/// Which way parse_unit() reads a sentence.
enum class Paths : std::uint8_t {
    fast_first,    ///< parse_vdm_exact(), then parse_common_vdm(), then the field table
    general_only,  ///< the field table only: the reference the fast paths are tested against
};

/// Parses one unit at the start of `text` (trimmed, non-empty). Sets `consumed` on success.
template <Paths P = Paths::fast_first>
[[nodiscard]] ParseResult parse_unit(std::string_view text, Sentence& out, const ParseOptions& opt,
                                     std::size_t& consumed) noexcept {
    reset(out);
    std::size_t pos = 0;
    while (pos < text.size() && text[pos] == '\\') {
        const TagBlockResult tb = parse_tagblock(tail(text, pos), out.tag, opt.tagblock_checksum);
        if (tb.issue) {
            // A block that fails half-way may have set some keys without counting itself in
            // `blocks`: clear it, so that reset() can rely on `blocks == 0` meaning "untouched"
            // and no view into this line survives into the next one.
            out.tag = TagBlock{};
            return issue(*tb.issue);
        }
        pos += tb.consumed;
    }
    if (pos >= text.size()) return issue(Issue::bad_tagblock);  // tag block with no sentence
    if constexpr (P == Paths::fast_first) {
        if (parse_vdm_exact(tail(text, pos), out)) {
            consumed = text.size();
            return {LineStatus::sentence, Issue::empty_line};
        }
        if (parse_common_vdm(tail(text, pos), out, consumed)) {
            consumed += pos;
            return {LineStatus::sentence, Issue::empty_line};
        }
    }
    const char start = text[pos];
    if (start != '!' && start != '$') return issue(Issue::unrecognised_line);

    // Address field: up to the first ',' (or '*', or the end).
    const std::string_view body = tail(text, pos + 1);
    const std::size_t addr_end = address_end(body);
    const std::string_view address = slice(body, 0, addr_end);
    const bool ais = address.size() == kAisAddressChars && address[2] == 'V' && address[3] == 'D' &&
                     (address[4] == 'M' || address[4] == 'O');
    if (!ais) {
        if (address.empty()) return issue(Issue::unrecognised_line);
        for (const char c : address)
            if (!is_address_char(c)) return issue(Issue::unrecognised_line);
        if (address == "PGHP") {
            if constexpr (P == Paths::fast_first) {
                std::int64_t time_ms = 0;
                if (parse_pghp_common(tail(text, pos), time_ms)) {
                    out.receive_time_ms = time_ms;
                    out.time_source = TimeSource::pghp;
                    consumed = text.size();
                    return {LineStatus::time_wrapper, Issue::empty_line};
                }
            }
            const PghpResult p = parse_pghp(tail(text, pos), opt);
            if (p.issue) return issue(*p.issue);
            out.receive_time_ms = p.time_ms;
            out.time_source = TimeSource::pghp;
            consumed = text.size();
            return {LineStatus::time_wrapper, Issue::empty_line};
        }
        return issue(Issue::non_ais_sentence);
    }
    for (std::size_t k = 0; k < 2; ++k) {
        const char c = address[k];
        if (c == ',' || c == '*' || c == '!' || c == '$' || c == '\\' ||
            static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
            return issue(Issue::malformed_sentence);
    }

    // One pass over the sentence: XOR, comma positions, stop at '*' or at the start of another unit.
    const auto scan = detail::scan_fields<detail::Stops::sentence, kAisFieldCommas>(body);
    const std::size_t body_end = scan.end;
    std::size_t after = body_end;  // index in `body` just past the checksum
    if (body_end >= body.size() || body[body_end] != '*') {
        if (opt.missing_checksum == MissingChecksum::reject) return issue(Issue::missing_checksum);
        out.checksum_present = false;
    } else {
        const int want = parse_hex_byte(tail(body, body_end + 1));
        if (want < 0 || want != scan.checksum) return issue(Issue::bad_checksum);
        after = body_end + 1 + kChecksumChars;
    }
    if (scan.ncommas != kAisFieldCommas) return issue(Issue::malformed_sentence);

    auto field = [&](std::size_t k) noexcept { return scan.field(body, k); };  // k = 1..6 (after the address)
    const std::string_view f_count = field(1);
    const std::string_view f_number = field(2);
    const std::string_view f_seq = field(3);
    const std::string_view f_channel = field(4);
    const std::string_view f_payload = field(5);
    const std::string_view f_fill = field(6);

    const int count = digit_field(f_count);
    const int number = digit_field(f_number);
    if (count < 1 || number < 1 || number > count) return issue(Issue::malformed_sentence);
    int seq = kNoSequenceId;
    if (!f_seq.empty()) {
        seq = digit_field(f_seq);
        if (seq < 0) return issue(Issue::malformed_sentence);
    }
    if (f_channel.size() > 1 || (f_channel.size() == 1 && !is_alnum(f_channel[0])))
        return issue(Issue::malformed_sentence);
    if (f_payload.size() > kMaxSentencePayloadChars) return issue(Issue::malformed_sentence);
    const int fill = digit_field(f_fill);
    if (fill < 0 || fill > static_cast<int>(kMaxFillBits)) return issue(Issue::bad_fill_bits);

    out.talker = slice(address, 0, 2);
    out.origin = address[4] == 'O' ? Origin::own_ship : Origin::other_ship;
    out.fragment_count = static_cast<std::uint8_t>(count);
    out.fragment_number = static_cast<std::uint8_t>(number);
    out.sequence_id = static_cast<std::int8_t>(seq);
    out.channel = f_channel.empty() ? kNoChannel : f_channel[0];
    out.payload = f_payload;
    out.fill_bits = static_cast<std::uint8_t>(fill);
    out.text = slice(text, pos, 1 + after);

    return finish_sentence(text, pos + 1 + after, out, consumed);
}

[[nodiscard]] bool is_ignorable(std::string_view trimmed) noexcept {
    return trimmed.empty() || trimmed[0] == '#';
}

/// The issue an ignorable line counts under: blank lines and '#' comments are told apart.
[[nodiscard]] Issue ignorable_kind(std::string_view trimmed) noexcept {
    return trimmed.empty() ? Issue::empty_line : Issue::comment_line;
}

}  // namespace

std::optional<std::int64_t> trailer_time_ms(std::string_view trailer) noexcept {
    std::size_t start = 0;
    while (start < trailer.size()) {
        std::size_t end = trailer.find(',', start);
        if (end == std::string_view::npos) end = trailer.size();
        const std::string_view f = trailer.substr(start, end - start);
        start = end + 1;
        const std::size_t dot = f.find('.');
        const std::string_view whole = f.substr(0, dot);
        if (whole.size() < kMinTrailerTimeDigits || whole.size() > kMaxTrailerTimeDigits) continue;
        bool digits = true;
        for (const char c : whole) digits = digits && is_digit(c);
        std::int64_t frac_ms = 0;
        if (dot != std::string_view::npos) {
            const std::string_view frac = f.substr(dot + 1);
            std::int64_t scale = 100;
            for (const char c : frac) {
                digits = digits && is_digit(c);
                if (digits && scale > 0) frac_ms += (c - '0') * scale;
                scale /= 10;
            }
        }
        if (!digits) continue;
        std::int64_t v = 0;
        for (const char c : whole) v = v * 10 + (c - '0');
        if (v > kUnixMillisThreshold) return v;
        return v * kMillisPerSecond + frac_ms;
    }
    return std::nullopt;
}

PghpResult parse_pghp(std::string_view line, const ParseOptions& options) noexcept {
    PghpResult r;
    if (line.size() < 2 || line[0] != '$') {
        r.issue = Issue::unrecognised_line;
        return r;
    }
    // PGHP,1,yyyy,m,d,h,mi,s,ms,...
    constexpr std::size_t kPghpTimeFields = 9;
    const std::string_view after_dollar = tail(line, 1);
    const auto scan = detail::scan_fields<detail::Stops::checksum, kPghpTimeFields>(after_dollar);
    if (scan.end == after_dollar.size()) {  // no '*'
        if (options.missing_checksum == MissingChecksum::reject) {
            r.issue = Issue::missing_checksum;
            return r;
        }
    } else {
        const int want = parse_hex_byte(tail(after_dollar, scan.end + 1));
        if (want < 0 || want != scan.checksum) {
            r.issue = Issue::bad_checksum;
            return r;
        }
    }
    const std::size_t n = std::min(scan.ncommas + 1, kPghpTimeFields);
    std::array<std::string_view, kPghpTimeFields> f{};
    for (std::size_t k = 0; k < n; ++k) f[k] = scan.field(after_dollar, k);
    if (n < 2 || f[1] != "1") {  // other PGHP message types carry no receive time
        r.issue = Issue::non_ais_sentence;
        return r;
    }
    if (n < kPghpTimeFields) {
        r.issue = Issue::malformed_sentence;
        return r;
    }
    const int year = parse_small(f[2], 4);
    const int month = parse_small(f[3], 2);
    const int day = parse_small(f[4], 2);
    const int hour = parse_small(f[5], 2);
    const int minute = parse_small(f[6], 2);
    const int second = parse_small(f[7], 2);
    const int millis = parse_small(f[8], 3);
    if (year < kMinPghpYear || year > kMaxPghpYear || month < 1 || month > 12 || day < 1 ||
        day > static_cast<int>(days_in_month(year, static_cast<unsigned>(month))) || hour < 0 || hour > 23 ||
        minute < 0 || minute > 59 || second < 0 || second > kMaxLeapSecond || millis < 0 ||
        millis > kMaxMillis) {
        r.issue = Issue::malformed_sentence;
        return r;
    }
    r.time_ms =
        days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * kMillisPerDay +
        hour * kMillisPerHour + minute * kMillisPerMinute + second * kMillisPerSecond + millis;
    return r;
}

ParseResult parse_line(std::string_view line, Sentence& out, const ParseOptions& options) noexcept {
    const std::string_view t = trim(line);
    if (is_ignorable(t)) {
        reset(out);
        return issue(ignorable_kind(t));
    }
    std::size_t consumed = 0;
    return parse_unit(t, out, options, consumed);
}

ParseResult detail::parse_line_general(std::string_view line, Sentence& out,
                                       const ParseOptions& options) noexcept {
    const std::string_view t = trim(line);
    if (is_ignorable(t)) {
        reset(out);
        return issue(ignorable_kind(t));
    }
    std::size_t consumed = 0;
    return parse_unit<Paths::general_only>(t, out, options, consumed);
}

namespace {

constexpr std::string_view kPghpPrefix = "$PGHP,";

/// What parse_unit() leaves at its default in `out` and parse_common_vdm() + finish_sentence() do
/// not set: with this, a successful parse_common_vdm() yields exactly parse_unit()'s Sentence.
void reset_unset_by_common_vdm(Sentence& s) noexcept {
    if (s.tag.present()) s.tag = TagBlock{};
    s.receive_time_ms.reset();
    s.time_source = TimeSource::none;
    s.trailer = {};
    s.checksum_present = true;
}


#if defined(__SSE2__)
constexpr std::size_t kCommonTagBlockSpan = 2 * detail::kVectorBytes;  // body + '*' within 32 bytes
constexpr std::size_t kMaxTagTimeDigits = 16;                          // as parse_tagblock()'s c:
constexpr std::size_t kMaxTagLineCountDigits = 9;                      // as parse_tagblock()'s n:
static_assert(kMaxTagTimeDigits <= detail::TagTimeMemo::kBytes, "a c: value fits the memo");

constexpr std::size_t kSwarDigits = 8;

/// The value of the 8 decimal digits at `p` (first digit most significant), or false when one of them
/// is not a digit: a digit is 0x30-0x39, i.e. its high nibble is 3 before and after adding 6.
[[nodiscard]] inline bool swar_digits8(const char* p, std::uint64_t& v) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);  // first digit in the lowest byte (little-endian only)
    if ((w & kHighNibbles) != kAsciiZeros || ((w + 0x0606060606060606ULL) & kHighNibbles) != kAsciiZeros)
        return false;
    w -= kAsciiZeros;
    w = w * 10 + (w >> 8);  // pairs of digits as 0..99 in bytes 0, 2, 4, 6
    w = ((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
         ((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >>
        32;
    v = w;
    return true;
}

/// 1..max_digits decimal digits -> value; false otherwise (parse_tagblock()'s rule for c: and n:).
/// The last 8 of 8 or more digits are read at once (SWAR).
[[nodiscard]] inline bool tag_digits(std::string_view s, std::size_t max_digits, std::uint64_t& v) noexcept {
    if (s.empty() || s.size() > max_digits) return false;
    v = 0;
    const std::size_t lead = s.size() >= kSwarDigits ? s.size() - kSwarDigits : s.size();
    for (std::size_t i = 0; i < lead; ++i) {
        if (!is_digit(s[i])) return false;
        v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
    }
    if (lead == s.size()) return true;
    std::uint64_t low = 0;
    if (!swar_digits8(s.data() + lead, low)) return false;
    constexpr std::uint64_t kTenTo8 = 100'000'000;
    v = v * kTenTo8 + low;
    return true;
}

/// The usual tag block at the start of a line, `\s:...,c:...*hh\` (one block whose body and '*' lie in
/// the 32 bytes after the '\'; keys s, c, n, d, t, r, q, T only), read from two vector loads: the
/// stop ('*' or '\'), the comma positions and the XOR checksum come from the same two vectors, then
/// each field is taken by its key letter. Returns false whenever the block is not in this form or fails
/// a check (`tag` is then default again); parse_tagblock() then decides and names the issue. When it
/// returns true, `tag` (default on entry) holds what parse_tagblock() gives and `consumed` is the
/// index just past the closing '\' (tests/unit/nmea/test_fast_path.cpp; fuzz/fuzz_nmea_sentence.cpp).
/// Needs line.size() > 32: both loads stay inside the line.
/// With `memo` (LineContext's), a `c:` value whose bytes are the memo's takes its time from there; every
/// value read in full becomes the new memo.
[[nodiscard]] bool parse_tagblock_common(std::string_view line, TagBlock& tag, TagBlockChecksum mode,
                                         std::size_t& consumed,
                                         detail::TagTimeMemo* memo = nullptr) noexcept {
    const std::size_t n = line.size();
    if (n <= kCommonTagBlockSpan) return false;
    const char* const p = line.data();
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1 + detail::kVectorBytes));
    auto stops = [](__m128i v) noexcept {
        return static_cast<std::uint32_t>(_mm_movemask_epi8(detail::stop_lanes<detail::Stops::tagblock>(v)));
    };
    auto commas = [](__m128i v) noexcept {
        return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(','))));
    };
    const std::uint32_t stop_bits = stops(v0) | (stops(v1) << detail::kVectorBytes);
    if (stop_bits == 0) return false;
    const auto k = static_cast<std::size_t>(__builtin_ctz(stop_bits));  // body length
    const std::size_t star = 1 + k;
    if (k == 0 || p[star] != '*' || star + 3 >= n || p[star + 3] != '\\') return false;
    const int want = parse_hex_byte(slice(line, star + 1, kChecksumChars));
    if (want < 0) return false;
    if (mode == TagBlockChecksum::verify) {
        // XOR of the body: lanes [0, k) of the two vectors.
        const __m128i lo = _mm_and_si128(v0, detail::first_lanes(std::min(k, detail::kVectorBytes)));
        const __m128i hi =
            _mm_and_si128(v1, detail::first_lanes(k > detail::kVectorBytes ? k - detail::kVectorBytes : 0));
        if (detail::xor_lanes(_mm_xor_si128(lo, hi)) != want) return false;
    }
    std::uint32_t comma_bits = (commas(v0) | (commas(v1) << detail::kVectorBytes)) & ((1u << k) - 1u);
    std::size_t begin = 1;
    for (;;) {
        std::size_t end = star;
        if (comma_bits != 0) {
            end = 1 + static_cast<std::size_t>(__builtin_ctz(comma_bits));
            comma_bits &= comma_bits - 1;
        }
        const std::string_view field = slice(line, begin, end - begin);
        if (field.size() < 2 || field[1] != ':') break;  // numbered groups, bad fields: general path
        const std::string_view value = tail(field, 2);
        bool ok = true;
        switch (field[0]) {
            case 's':
                tag.source = value;
                break;
            case 'c': {
                tag.raw_time = value;
                // The memo holds 1..16 digits that tag_digits() accepted: the same bytes give the same
                // time. The 16-byte load at the value stays inside the line (checked).
                const auto at = static_cast<std::size_t>(value.data() - p);
                if (memo != nullptr && memo->size != 0 && value.size() == memo->size &&
                    at + detail::TagTimeMemo::kBytes <= n) {
                    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(value.data()));
                    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(memo->bytes.data()));
                    const auto same = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)));
                    const std::uint32_t need = (1u << memo->size) - 1u;  // size <= 16
                    if ((same & need) == need) {
                        tag.time_ms = memo->time_ms;
                        break;
                    }
                }
                std::uint64_t v = 0;
                ok = tag_digits(value, kMaxTagTimeDigits, v);
                tag.time_ms = unix_time_to_ms(static_cast<std::int64_t>(v));
                if (ok && memo != nullptr) {
                    std::memcpy(memo->bytes.data(), value.data(), value.size());  // size <= 16 (tag_digits)
                    memo->size = static_cast<std::uint8_t>(value.size());
                    memo->time_ms = *tag.time_ms;
                }
                break;
            }
            case 'n': {
                std::uint64_t v = 0;
                ok = tag_digits(value, kMaxTagLineCountDigits, v);
                tag.line_count = static_cast<std::uint32_t>(v);
                break;
            }
            case 'd':
                tag.destination = value;
                break;
            case 't':
                tag.text = value;
                break;
            case 'r':
                tag.relative_time = value;
                break;
            case 'q':
                tag.quality = value;
                break;
            case 'T':
                tag.human_time = value;
                break;
            default:
                ok = false;  // g: and other keys: the general path
                break;
        }
        if (!ok) break;
        if (end == star) {
            tag.raw = slice(line, 1, k);
            tag.blocks = 1;
            consumed = star + 1 + kChecksumChars + 1;
            return true;
        }
        begin = end + 1;
    }
    tag = TagBlock{};
    return false;
}
#else
[[nodiscard]] bool parse_tagblock_common(std::string_view, TagBlock&, TagBlockChecksum, std::size_t&,
                                         detail::TagTimeMemo* = nullptr) noexcept {
    return false;  // portable builds: parse_tagblock()
}
#endif

}  // namespace

ParseResult LineContext::parse_line(std::string_view line, Sentence& out) noexcept {
    ++line_;
    // Fast paths for the line forms that make up most of real feeds (plain `!` sentences, `$PGHP`
    // wrappers, other talkers' `$` sentences), decided before any general work (trimming, tag blocks,
    // field tables). Each gives exactly what the general path below gives for that line
    // (tests/unit/nmea/test_fast_path.cpp compares them line by line); anything else falls through.
    if (!line.empty()) {
        if (line[0] == '!' && !is_space(line.back())) {
            // A plain sentence: nothing to trim on either side, no tag block in front.
            reset_unset_by_common_vdm(out);
            if (parse_vdm_exact(line, out)) [[likely]] {
                rest_ = {};
                line_done_ = true;  // the sentence ends the line: next_unit() has nothing left
                return finish({LineStatus::sentence, Issue::empty_line}, 0, out);
            }
            std::size_t consumed = 0;
            if (parse_common_vdm(line, out, consumed)) {
                rest_ = line;
                line_done_ = false;
                return finish({LineStatus::sentence, Issue::empty_line}, consumed, out);
            }
        } else if (line[0] == '\\' && !is_space(line.back())) {
            // The usual tag-block line: one common block, then a sentence that ends the line.
            reset_unset_by_common_vdm(out);
            std::size_t at = 0;
            if (parse_tagblock_common(line, out.tag, options_.tagblock_checksum, at, &tag_time_) &&
                parse_vdm_exact(tail(line, at), out)) [[likely]] {
                rest_ = {};
                line_done_ = true;
                return finish({LineStatus::sentence, Issue::empty_line}, 0, out);
            }
        } else if (line.size() > kPghpPrefix.size() && line.substr(0, kPghpPrefix.size()) == kPghpPrefix) {
            // A Gatehouse wrapper: what parse_unit() does for it, without its general work first.
            reset(out);
            rest_ = trim(line);  // blanks can only trail: the line starts with '$'
            std::int64_t time_ms = 0;
            if (parse_pghp_common(rest_, time_ms, &pghp_day_, &pghp_prefix_)) [[likely]] {
                out.receive_time_ms = time_ms;
                out.time_source = TimeSource::pghp;
                return finish({LineStatus::time_wrapper, Issue::empty_line}, rest_.size(), out);
            }
            const PghpResult p = parse_pghp(rest_, options_);
            if (p.issue) return finish(issue(*p.issue), 0, out);
            out.receive_time_ms = p.time_ms;
            out.time_source = TimeSource::pghp;
            return finish({LineStatus::time_wrapper, Issue::empty_line}, rest_.size(), out);
        } else if (line[0] == '$') {
            // Another talker's sentence ($GPZDA, $AIVSI...): counted, never parsed further. The
            // address ends at a ',' or '*' inside the line, so trailing blanks cannot change it.
            if (is_plain_non_ais_line(line)) {
                reset(out);
                rest_ = {};
                line_done_ = true;
                return issue(Issue::non_ais_sentence);
            }
        }
    }
    rest_ = trim(line);
    line_done_ = false;
    if (is_ignorable(rest_)) {
        line_done_ = true;
        reset(out);
        return issue(ignorable_kind(rest_));
    }
    return next_unit_rest(out);
}

ParseResult LineContext::next_unit_rest(Sentence& out) noexcept {
    std::size_t consumed = 0;
    const ParseResult r = parse_unit(rest_, out, options_, consumed);
    return finish(r, consumed, out);
}

ParseResult LineContext::finish(ParseResult r, std::size_t consumed, Sentence& out) noexcept {
    switch (r.status) {
        case LineStatus::sentence:
            rest_ = tail(rest_, consumed);
            if (!out.receive_time_ms && pghp_time_ms_ && pghp_line_ + 1 == line_) {
                out.receive_time_ms = pghp_time_ms_;
                out.time_source = TimeSource::pghp;
            }
            break;
        case LineStatus::time_wrapper:
            pghp_time_ms_ = out.receive_time_ms;
            pghp_line_ = line_;
            line_done_ = true;
            break;
        case LineStatus::issue:
        case LineStatus::end_of_line:
            line_done_ = true;
            break;
    }
    return r;
}

}  // namespace vw::nmea
