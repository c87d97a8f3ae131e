// UTF-8 checking and replacement for the text vesselwatch writes (see text.hpp).
#include "vesselwatch/util/text.hpp"

namespace vw {

namespace {

/// The sequence that starts at p[0] (p[0] >= 0x80, n >= 1 bytes available): its length when it is
/// well-formed, or minus the length of its maximal subpart when it is not. The ranges are Table 3-7
/// of the Unicode Standard ("Well-Formed UTF-8 Byte Sequences"): only the second byte's range
/// depends on the lead byte (E0 and F0 exclude overlong forms, ED the surrogates, F4 everything
/// above U+10FFFF); C0, C1 and F5..FF never start a sequence, and a continuation byte never does.
int sequence_at(const unsigned char* p, std::size_t n) noexcept {
    const unsigned lead = p[0];
    int len = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        if (lead == 0xE0) lo = 0xA0;
        if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        if (lead == 0xF0) lo = 0x90;
        if (lead == 0xF4) hi = 0x8F;
    } else {
        return -1;
    }
    for (int k = 1; k < len; ++k) {
        if (static_cast<std::size_t>(k) >= n) return -k;  // truncated at the end: one subpart
        const unsigned c = p[k];
        if (c < lo || c > hi) return -k;  // the bytes before c are the maximal subpart
        lo = 0x80;
        hi = 0xBF;
    }
    return len;
}

const unsigned char* bytes(std::string_view s) noexcept {
    return reinterpret_cast<const unsigned char*>(s.data());
}

/// s[i] >= 0x80: steps over the sequence there. A well-formed one joins the pending run s[run, i); an
/// ill-formed one is replaced: the run is appended, then U+FFFD, and the run starts again after it.
/// Returns whether it replaced.
bool step_over_sequence(std::string& out, std::string_view s, std::size_t& i, std::size_t& run) {
    const int len = sequence_at(bytes(s) + i, s.size() - i);
    if (len > 0) {
        i += static_cast<std::size_t>(len);
        return false;
    }
    out.append(s.data() + run, i - run);
    out.append(kReplacementCharacter);
    i += static_cast<std::size_t>(-len);
    run = i;
    return true;
}

}  // namespace

int utf8_sequence_at(std::string_view s) noexcept {
    const unsigned char* p = bytes(s);
    return p[0] < 0x80 ? 1 : sequence_at(p, s.size());
}

bool is_valid_utf8(std::string_view s) noexcept {
    const unsigned char* p = bytes(s);
    const std::size_t n = s.size();
    for (std::size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const int len = sequence_at(p + i, n - i);
        if (len < 0) return false;
        i += static_cast<std::size_t>(len);
    }
    return true;
}

std::size_t append_utf8_replacing(std::string& out, std::string_view s) {
    const unsigned char* p = bytes(s);
    const std::size_t n = s.size();
    std::size_t i = 0, run = 0, replaced = 0;  // s[run, i) is well-formed and not yet appended
    while (i < n) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        if (step_over_sequence(out, s, i, run)) ++replaced;
    }
    out.append(s.data() + run, n - run);
    return replaced;
}

std::string utf8_replacing(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_utf8_replacing(out, s);
    return out;
}

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    const unsigned char* p = bytes(s);
    const std::size_t n = s.size();
    out.push_back('"');
    std::size_t i = 0, run = 0;  // s[run, i) needs no escape and is not yet appended
    while (i < n) {
        const unsigned c = p[i];
        if (c >= 0x80) {
            step_over_sequence(out, s, i, run);
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(s.data() + run, i - run);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 15]);
        }
        ++i;
        run = i;
    }
    out.append(s.data() + run, n - run);
    out.push_back('"');
}

void append_csv_field(std::string& out, std::string_view s) {
    const bool quote = s.find_first_of(",\"\n\r") != std::string_view::npos;
    if (!quote) {
        append_utf8_replacing(out, s);
        return;
    }
    out.push_back('"');
    std::size_t from = 0;
    for (std::size_t q = s.find('"'); q != std::string_view::npos; q = s.find('"', from)) {
        append_utf8_replacing(out, s.substr(from, q + 1 - from));  // up to and including the quote
        out.push_back('"');
        from = q + 1;
    }
    append_utf8_replacing(out, s.substr(from));
    out.push_back('"');
}

}  // namespace vw
