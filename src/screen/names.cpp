#include "vesselwatch/screen/names.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace vw::screen {

namespace {

constexpr std::size_t kMaxTokenChars = 48;
constexpr float kInitialSimilarity = 0.9F;
constexpr float kSkeletonSimilarity = 0.85F;
constexpr float kAbbreviationSimilarity = 0.75F;
constexpr double kInitialsOnlyCap = 0.6;
constexpr double kCrossedPatronymicFactor = 0.8;
constexpr std::size_t kMinAbbreviationChars = 3;
constexpr std::size_t kMaxAcronymChars = 5;
constexpr float kMaxTokenWeight = 10.0F;
constexpr float kInitialWeight = 1.5F;
constexpr float kParticleWeight = 1.0F;
constexpr float kPatronymicWeightFactor = 0.5F;
constexpr std::size_t kMinSkeletonChars = 2;

// ---- transliteration -------------------------------------------------------------------------
class Latinizer {
public:
    Latinizer() {
        UErrorCode status = U_ZERO_ERROR;
        tr_.reset(icu::Transliterator::createInstance(
            "Any-Latin; NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status)) tr_.reset();
    }
    std::string run(std::string_view utf8) {
        icu::UnicodeString u =
            icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
        if (tr_) tr_->transliterate(u);
        std::string out;
        u.toUTF8String(out);
        return out;
    }

private:
    std::unique_ptr<icu::Transliterator> tr_;
};

bool is_ascii(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ---- word lists ----------------------------------------------------------------------------------
// Legal forms -> canonical form. Multi-word forms are matched first.
struct Phrase {
    std::array<std::string_view, 5> words;
    std::string_view canonical;
};
constexpr Phrase kLegalPhrases[] = {
    {{"public", "joint", "stock", "company", ""}, "jsc"},
    {{"obsestvo", "s", "ogranicennoj", "otvetstvennostu", ""}, "llc"},
    {{"obshchestvo", "s", "ogranichennoy", "otvetstvennostyu", ""}, "llc"},
    {{"tovaristvo", "z", "obmezenou", "vidpovidalnistu", ""}, "llc"},
    {{"publicnoe", "akcionernoe", "obsestvo", "", ""}, "jsc"},
    {{"zakrytoe", "akcionernoe", "obsestvo", "", ""}, "jsc"},
    {{"otkrytoe", "akcionernoe", "obsestvo", "", ""}, "jsc"},
    {{"akcionernoe", "obsestvo", "", "", ""}, "jsc"},
    {{"aktsionernoe", "obshchestvo", "", "", ""}, "jsc"},
    {{"gesellschaft", "mit", "beschrankter", "haftung", ""}, "gmbh"},
    {{"societatea", "cu", "raspundere", "limitata", ""}, "srl"},
    {{"societa", "a", "responsabilita", "limitata", ""}, "srl"},
    {{"societe", "a", "responsabilite", "limitee", ""}, "sarl"},
    {{"societe", "anonyme", "", "", ""}, "sa"},
    {{"sociedad", "anonima", "", "", ""}, "sa"},
    {{"societa", "per", "azioni", "", ""}, "spa"},
    {{"besloten", "vennootschap", "", "", ""}, "bv"},
    {{"naamloze", "vennootschap", "", "", ""}, "nv"},
    {{"limited", "partnership", "", "", ""}, "lp"},
    {{"l", "p", "", "", ""}, "lp"},
    {{"l", "l", "c", "", ""}, "llc"},
    {{"de", "c", "v", "", ""}, "sa"},
    {{"closed", "joint", "stock", "company", ""}, "jsc"},
    {{"open", "joint", "stock", "company", ""}, "jsc"},
    {{"joint", "stock", "company", "", ""}, "jsc"},
    {{"limited", "liability", "company", "", ""}, "llc"},
    {{"limited", "liability", "partnership", "", ""}, "llp"},
    {{"public", "limited", "company", "", ""}, "plc"},
    {{"sp", "z", "o", "o", ""}, "llc"},
    {{"limited", "sirketi", "", "", ""}, "ltd"},
    {{"anonim", "sirketi", "", "", ""}, "jsc"},
    {{"s", "a", "", "", ""}, "sa"},
    {{"co", "ltd", "", "", ""}, "ltd"},
};
const std::unordered_map<std::string_view, std::string_view>& legal_words() {
    static const std::unordered_map<std::string_view, std::string_view> m = {
        {"llc", "llc"},         {"ooo", "llc"},
        {"tov", "llc"},         {"too", "llc"},
        {"ltd", "ltd"},         {"limited", "ltd"},
        {"co", "co"},           {"company", "co"},
        {"corp", "corp"},       {"corporation", "corp"},
        {"inc", "inc"},         {"incorporated", "inc"},
        {"jsc", "jsc"},         {"ao", "jsc"},
        {"oao", "jsc"},         {"zao", "jsc"},
        {"pao", "jsc"},         {"pjsc", "jsc"},
        {"cjsc", "jsc"},        {"ojsc", "jsc"},
        {"plc", "plc"},         {"gmbh", "gmbh"},
        {"ag", "ag"},           {"sa", "sa"},
        {"sarl", "sarl"},       {"sas", "sas"},
        {"srl", "srl"},         {"spa", "spa"},
        {"bv", "bv"},           {"nv", "nv"},
        {"llp", "llp"},         {"lp", "lp"},
        {"pte", "pte"},         {"pty", "pty"},
        {"bhd", "bhd"},         {"sdn", "sdn"},
        {"fze", "fze"},         {"fzco", "fzco"},
        {"fzc", "fzc"},         {"kg", "kg"},
        {"oy", "oy"},           {"ab", "ab"},
        {"aps", "aps"},         {"as", "as"},
        {"sirketi", "co"},      {"aktiengesellschaft", "ag"},
        {"gesellschaft", "co"}, {"sociedad", "co"},
        {"societe", "co"},      {"sa de cv", "sa"},
        {"ltda", "ltd"},        {"pvt", "pvt"},
        {"private", "pvt"},     {"eood", "llc"},
        {"ood", "llc"},         {"dooel", "llc"},
        {"doo", "llc"},         {"kft", "llc"},
        {"zrt", "jsc"},         {"sro", "llc"},
        {"spzoo", "llc"},
    };
    return m;
}
const std::unordered_set<std::string_view>& stop_words() {
    static const std::unordered_set<std::string_view> s = {"the", "and",  "of",  "mr",  "mrs", "ms",  "miss",
                                                           "dr",  "prof", "sir", "der", "die", "das", "la",
                                                           "le",  "les",  "et",  "und", "y"};
    return s;
}
// Honorifics and titles before persons' names ("Monsieur", "President"): dropped from persons' names.
const std::unordered_set<std::string_view>& person_titles() {
    static const std::unordered_set<std::string_view> s = {
        "mister", "monsieur", "madame",     "mme",       "mlle",  "herr",      "frau",    "senor",
        "senora", "signor",   "signora",    "president", "gen",   "general",   "colonel", "col",
        "capt",   "captain",  "lt",         "major",     "hon",   "honorable", "rev",     "sheikh",
        "shaikh", "mullah",   "maulana",    "mawlawi",   "hajji", "ayatollah", "imam",    "lord",
        "lady",   "dame",     "excellency", "his",       "her",   "hh",        "he"};
    return s;
}
// Name particles: kept, but they carry little information.
const std::unordered_set<std::string_view>& particles() {
    static const std::unordered_set<std::string_view> s = {"al",    "el",  "bin", "ibn", "bint", "abu", "abd",
                                                           "abdul", "van", "von", "de",  "da",   "di",  "du",
                                                           "del",   "dos", "das", "ben", "ould", "mac", "mc"};
    return s;
}
// Vessel name prefixes, dropped when more tokens follow.
const std::unordered_set<std::string_view>& vessel_prefixes() {
    static const std::unordered_set<std::string_view> s = {"mv",  "m v", "mt",  "m t", "ms", "m s", "ss",
                                                           "mv.", "fv",  "lng", "lpg", "my", "tb",  "rv"};
    return s;
}

bool is_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Roman numeral 1..39 -> its number, or 0.
int roman_value(std::string_view s) {
    static constexpr std::array<std::string_view, 40> kRoman = {
        "",    "i",    "ii",    "iii",    "iv",    "v",    "vi",    "vii",    "viii",    "ix",
        "x",   "xi",   "xii",   "xiii",   "xiv",   "xv",   "xvi",   "xvii",   "xviii",   "xix",
        "xx",  "xxi",  "xxii",  "xxiii",  "xxiv",  "xxv",  "xxvi",  "xxvii",  "xxviii",  "xxix",
        "xxx", "xxxi", "xxxii", "xxxiii", "xxxiv", "xxxv", "xxxvi", "xxxvii", "xxxviii", "xxxix"};
    for (std::size_t i = 1; i < kRoman.size(); ++i)
        if (kRoman[i] == s) return static_cast<int>(i);
    return 0;
}

bool is_patronymic(std::string_view t) {
    for (const std::string_view suf :
         {"ovich", "evich", "ovna", "evna", "ichna", "oglu", "ogly", "kyzy", "qizi"})
        if (t.size() > suf.size() + 2 && t.substr(t.size() - suf.size()) == suf) return true;
    return false;
}

float token_weight(std::string_view t, Schema schema) {
    if (t.size() == 1) return kInitialWeight;
    if (particles().count(t) != 0) return kParticleWeight;
    float w = std::min(static_cast<float>(t.size()), kMaxTokenWeight);
    if (schema == Schema::person && is_patronymic(t)) w *= kPatronymicWeightFactor;
    return w;
}

// A lower bound of the edit distance: the larger of the counts of letters one word has and the
// other lacks (bag distance). O(n), and enough to reject most pairs of unrelated words.
std::size_t bag_distance(std::string_view a, std::string_view b) noexcept {
    // 32 bins (c & 31): letters fall in distinct bins; merging bins only lowers the bound
    constexpr std::size_t kBins = 32;
    std::array<int, kBins> count{};
    for (const char c : a) ++count[static_cast<unsigned char>(c) & (kBins - 1)];
    for (const char c : b) --count[static_cast<unsigned char>(c) & (kBins - 1)];
    int plus = 0, minus = 0;
    for (const int v : count) {
        plus += v > 0 ? v : 0;
        minus += v < 0 ? -v : 0;
    }
    return static_cast<std::size_t>(std::max(plus, minus));
}

// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions),
// or bound + 1 as soon as it must exceed `bound`. Only the diagonal band |i - j| <= bound is computed.
std::size_t levenshtein(std::string_view a, std::string_view b, std::size_t bound) noexcept {
    if (a.size() > kMaxTokenChars) a = a.substr(0, kMaxTokenChars);
    if (b.size() > kMaxTokenChars) b = b.substr(0, kMaxTokenChars);
    const std::size_t over = bound + 1;
    const auto over8 = static_cast<unsigned>(std::min<std::size_t>(over, UINT8_MAX));
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > bound) return over;
    if (bag_distance(a, b) > bound) return over;
    using Row = std::array<std::uint8_t, kMaxTokenChars + 1>;
    Row r0{}, r1{}, r2{};
    Row* prev2 = &r0;
    Row* prev = &r1;
    Row* cur = &r2;
    const auto cap = [over](std::size_t v) { return static_cast<std::uint8_t>(std::min(v, over)); };
    for (std::size_t j = 0; j <= b.size(); ++j) (*prev)[j] = cap(j);
    std::uint8_t prev_row_min = 0;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        const std::size_t lo = i > bound ? i - bound : 1;
        const std::size_t hi = std::min(b.size(), i + bound);
        (*cur)[lo - 1] = lo == 1 ? cap(i) : static_cast<std::uint8_t>(over);
        std::uint8_t row_min = (*cur)[lo - 1];
        for (std::size_t j = lo; j <= hi; ++j) {
            const unsigned up = j <= i - 1 + bound ? (*prev)[j] : over8;
            const unsigned sub = (*prev)[j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U);
            unsigned v = std::min({up + 1U, static_cast<unsigned>((*cur)[j - 1]) + 1U, sub});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = std::min(v, static_cast<unsigned>((*prev2)[j - 2]) + 1U);
            (*cur)[j] = cap(v);
            row_min = std::min(row_min, (*cur)[j]);
        }
        if (hi < b.size()) (*cur)[hi + 1] = static_cast<std::uint8_t>(over);
        // two rows over the bound: no later cell can come back under it (a transposition reaches back
        // one row only)
        if (row_min > bound && prev_row_min > bound) return over;
        prev_row_min = row_min;
        Row* t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return std::min<std::size_t>((*prev)[b.size()], over);
}

// Population count without relying on the POPCNT instruction (the baseline x86-64 target lacks it
// and std::popcount then calls into libgcc).
int bit_count(std::uint32_t v) noexcept {
    v = v - ((v >> 1U) & 0x55555555U);
    v = (v & 0x33333333U) + ((v >> 2U) & 0x33333333U);
    return static_cast<int>((((v + (v >> 4U)) & 0x0F0F0F0FU) * 0x01010101U) >> 24U);
}

// Edits allowed between two tokens of (shorter) length n.
std::size_t allowed_edits(std::size_t n) noexcept {
    if (n <= 3) return 0;
    if (n <= 5) return 1;
    if (n <= 9) return 2;
    return 3;
}

// ---- script-aware pre-pass ---------------------------------------------------------------------
// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes come back as U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i++]);
    if (b0 < 0x80) return b0;
    int extra = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0U) == 0xC0U) {
        extra = 1;
        cp = b0 & 0x1FU;
    } else if ((b0 & 0xF0U) == 0xE0U) {
        extra = 2;
        cp = b0 & 0x0FU;
    } else if ((b0 & 0xF8U) == 0xF0U) {
        extra = 3;
        cp = b0 & 0x07U;
    } else {
        return 0xFFFD;
    }
    for (int k = 0; k < extra; ++k) {
        if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U) return 0xFFFD;
        cp = (cp << 6U) | (static_cast<unsigned char>(s[i++]) & 0x3FU);
    }
    return cp;
}

bool is_han(char32_t c) noexcept {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF);
}
bool is_hangul(char32_t c) noexcept {
    return c >= 0xAC00 && c <= 0xD7A3;
}
// Separators inside transliterated foreign names in CJK text (middle dots).
bool is_name_dot(char32_t c) noexcept {
    return c == 0x00B7 || c == 0x30FB || c == 0x2027 || c == 0xFF65;
}

std::string letters_only(const std::string& s) {
    std::string out;
    for (const char c : s)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) out.push_back(lower(c));
    return out;
}

std::string latin_of(std::string_view utf8);

// Han and Hangul write a name without spaces, one syllable per character, and ICU romanises them
// one syllable at a time ("xi jin ping"). Written in Latin script such names are the family name
// (the first syllable) and the given name as one word ("Xi Jinping", "Kim Jongun"); a foreign name
// written in Han has its parts separated by a middle dot, each part one word ("Ba la ke · Ao ba ma"
// -> "balake aobama"). This pass rewrites runs of Han or Hangul into that form; the rest is left
// to the transliterator.
std::string cjk_words(std::string_view utf8, bool person) {
    std::string out;
    bool dotted = false;
    for (std::size_t i = 0; i < utf8.size();)
        if (is_name_dot(next_code_point(utf8, i))) dotted = true;
    std::size_t i = 0;
    while (i < utf8.size()) {
        const std::size_t start = i;
        const char32_t c = next_code_point(utf8, i);
        if (!is_han(c) && !is_hangul(c)) {
            if (is_name_dot(c))
                out.push_back(' ');
            else
                out.append(utf8.substr(start, i - start));
            continue;
        }
        const bool hangul = is_hangul(c);
        std::vector<std::string_view> syllables{utf8.substr(start, i - start)};
        std::size_t j = i;
        while (j < utf8.size()) {
            const std::size_t s0 = j;
            const char32_t d = next_code_point(utf8, j);
            if (hangul ? !is_hangul(d) : !is_han(d)) break;
            syllables.push_back(utf8.substr(s0, j - s0));
            i = j;
        }
        constexpr std::size_t kMaxPersonalNameSyllables = 4;
        const bool split_family =
            person && !dotted && syllables.size() >= 2 && syllables.size() <= kMaxPersonalNameSyllables;
        out.push_back(' ');
        for (std::size_t k = 0; k < syllables.size(); ++k) {
            if (k == 1 && split_family) out.push_back(' ');
            out += letters_only(latin_of(syllables[k]));
        }
        out.push_back(' ');
    }
    return out;
}

// "SiemensAG" -> "Siemens AG", "FridrichBuchenberg" -> "Fridrich Buchenberg": a lower-case letter
// followed by an upper-case one starts a new word (names run together in some sources).
std::string split_camel_case(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 4);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        // ... unless the capital ends the word ("GmbH")
        const bool ends_word = i + 1 == s.size() || !std::isalpha(static_cast<unsigned char>(s[i + 1]));
        if (i > 0 && c >= 'A' && c <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z' && !ends_word)
            out.push_back(' ');
        out.push_back(c);
    }
    return out;
}

// Digits standing for look-alike letters inside a word of a person's name ("Ig0r Sech1n"): persons'
// names have no digits, so a word mixing both is a typing or OCR variant.
std::string undo_look_alike_digits(std::string w) {
    bool letter = false, digit = false;
    for (const char c : w) {
        letter = letter || (c >= 'a' && c <= 'z');
        digit = digit || (c >= '0' && c <= '9');
    }
    if (!letter || !digit) return w;
    for (char& c : w) {
        switch (c) {
            case '0':
                c = 'o';
                break;
            case '1':
                c = 'i';
                break;
            case '3':
                c = 'e';
                break;
            case '4':
                c = 'a';
                break;
            case '5':
                c = 's';
                break;
            case '7':
                c = 't';
                break;
            case '8':
                c = 'b';
                break;
            case '9':
                c = 'g';
                break;
            default:
                break;
        }
    }
    return w;
}

std::string latin_of(std::string_view utf8) {
    thread_local Latinizer latin;
    return latin.run(utf8);
}

}  // namespace

std::string to_latin_ascii(std::string_view utf8) {
    if (is_ascii(utf8)) {
        std::string out(utf8);
        for (char& c : out) c = lower(c);
        return out;
    }
    std::string out = latin_of(utf8);
    // whatever the transliterator left outside ASCII becomes a separator
    for (char& c : out)
        if (static_cast<unsigned char>(c) >= 0x80) c = ' ';
    return out;
}

std::uint32_t letter_set(std::string_view token) noexcept {
    std::uint32_t m = 0;
    for (const char c : token) m |= std::uint32_t{1} << (static_cast<unsigned char>(c) & 31U);
    return m;
}

std::string skeleton(std::string_view t) {
    std::string s;
    s.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        const char next = i + 1 < t.size() ? t[i + 1] : '\0';
        if (c == 'p' && next == 'h') {
            c = 'f';
            ++i;
        } else if ((c == 'c' || c == 's' || c == 'z') && next == 'h') {
            c = 's';
            ++i;
        } else if (c == 'c' && next == 'k') {
            c = 'k';
            ++i;
        } else if (c == 'k' && next == 'h') {
            c = 'h';
            ++i;
        } else if (c == 'q' || c == 'c') {
            c = 'k';
        } else if (c == 'z') {
            c = 's';
        } else if (c == 'w') {
            c = 'v';
        } else if (c == 'j') {
            c = 'y';
        }
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y') continue;
        if (c == 'h' && !s.empty()) continue;  // a silent h after a consonant
        if (!s.empty() && s.back() == c) continue;
        s.push_back(c);
    }
    return s.size() >= kMinSkeletonChars ? s : std::string();
}

PreparedName prepare_name(std::string_view name, Schema schema) {
    PreparedName out;
    out.original = std::string(name);
    out.schema = schema;
    std::string pre;
    if (!is_ascii(name)) {
        pre = cjk_words(name, schema == Schema::person || schema == Schema::legal_entity);
        name = pre;
    }
    const std::string camel = split_camel_case(name);
    std::string latin = to_latin_ascii(camel);
    // apostrophes and dots join ("ky'ong" -> "kyong", "p.l.c." -> "plc"); "&" is "and"; the rest splits
    std::vector<std::string> words;
    std::string cur;
    const auto flush = [&] {
        if (!cur.empty()) words.push_back(std::move(cur));
        cur.clear();
    };
    for (std::size_t i = 0; i < latin.size(); ++i) {
        const char c = lower(latin[i]);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            // a letter-digit boundary splits ("maia1" stays one token; "no.1" -> "no", "1")
            cur.push_back(c);
        } else if (c == '\'' || c == '`' || c == '.') {
            // "A.Khamenei": a dot after a single letter followed by a word is an initial
            if (c == '.' && cur.size() == 1 && i + 2 < latin.size() && latin[i + 1] != ' ' &&
                latin[i + 2] != '.')
                flush();
            continue;
        } else {
            flush();
        }
    }
    flush();
    // legal forms (multi-word first), from the end and anywhere
    std::vector<bool> used(words.size(), false);
    for (const auto& p : kLegalPhrases) {
        std::size_t n = 0;
        while (n < p.words.size() && !p.words[n].empty()) ++n;
        for (std::size_t i = 0; i + n <= words.size(); ++i) {
            bool match = true;
            for (std::size_t k = 0; k < n && match; ++k) match = !used[i + k] && words[i + k] == p.words[k];
            if (!match) continue;
            for (std::size_t k = 0; k < n; ++k) used[i + k] = true;
            out.legal_forms.emplace_back(p.canonical);
        }
    }
    const bool organisation = schema != Schema::person && schema != Schema::vessel;
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (used[i]) continue;
        const std::string& w = words[i];
        if (organisation || schema == Schema::legal_entity) {
            if (auto it = legal_words().find(w); it != legal_words().end() && words.size() > 1) {
                out.legal_forms.emplace_back(it->second);
                continue;
            }
        }
        if (stop_words().count(w) != 0 && words.size() > 1) continue;
        if (schema == Schema::person && person_titles().count(w) != 0 && words.size() > 1) continue;
        if (schema == Schema::vessel && kept.empty() && i + 1 < words.size() &&
            vessel_prefixes().count(w) != 0)
            continue;
        if (schema == Schema::vessel && kept.empty() && i + 2 < words.size() && w == "m" &&
            (words[i + 1] == "v" || words[i + 1] == "t")) {
            ++i;  // "M V", "M T" (from "M/V", "M/T")
            continue;
        }
        if (is_digits(w)) {
            // "007" and "7" are the same number
            std::size_t z = 0;
            while (z + 1 < w.size() && w[z] == '0') ++z;
            out.numbers.push_back(w.substr(z));
            continue;
        }
        if (schema != Schema::person && w.size() >= 2) {
            if (const int r = roman_value(w); r > 0) {
                out.numbers.push_back(std::to_string(r));
                continue;
            }
        }
        if (schema == Schema::vessel && w.size() == 1 && !kept.empty() && i + 1 == words.size()) {
            if (const int r = roman_value(w); r > 0) {  // "ARGO I", "SEA V"
                out.numbers.push_back(std::to_string(r));
                continue;
            }
        }
        kept.push_back(w);
    }
    if (kept.empty() && !out.legal_forms.empty() && out.numbers.empty()) {
        // a name made only of legal-form words ("Company Limited") keeps them as its words
        for (std::size_t i = 0; i < words.size(); ++i) kept.push_back(words[i]);
        out.legal_forms.clear();
    }
    for (auto& w : kept) {
        if (schema == Schema::person) w = undo_look_alike_digits(std::move(w));
        NameToken t;
        t.weight = token_weight(w, schema);
        t.skeleton = skeleton(w);
        t.letters = letter_set(w);
        t.text = std::move(w);
        out.total_weight += t.weight;
        out.tokens.push_back(std::move(t));
    }
    std::sort(out.numbers.begin(), out.numbers.end());
    std::sort(out.legal_forms.begin(), out.legal_forms.end());
    out.legal_forms.erase(std::unique(out.legal_forms.begin(), out.legal_forms.end()), out.legal_forms.end());
    return out;
}

void append_fixed2(std::string& out, double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
    out.append(buf, r.ptr);
}

float token_similarity(const NameToken& a, const NameToken& b) noexcept {
    if (a.text == b.text) return 1.0F;
    const std::size_t la = a.text.size(), lb = b.text.size();
    if (la == 1 || lb == 1) {
        const NameToken& shorter = la == 1 ? a : b;
        const NameToken& longer = la == 1 ? b : a;
        return longer.text.front() == shorter.text.front() ? kInitialSimilarity : 0.0F;
    }
    const std::size_t n = std::min(la, lb);
    const std::size_t m = std::max(la, lb);
    float best = 0;
    // same consonant skeleton ("mohammed" / "muhammad" / "mhmd"), when the words start alike: the same
    // letter, or both a vowel (Osama / Usama)
    const auto vowel = [](char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    };
    const bool same_onset =
        a.text.front() == b.text.front() || (vowel(a.text.front()) && vowel(b.text.front()));
    if (!a.skeleton.empty() && a.skeleton == b.skeleton && n >= 3 && same_onset) best = kSkeletonSimilarity;
    // an abbreviated word ("Ben" / "Benjamin", "Abiy" / "Abiyot"): the shorter is a prefix of the longer
    if (n >= kMinAbbreviationChars && m >= n + 2 &&
        (la < lb ? b.text : a.text).compare(0, n, la < lb ? a.text : b.text) == 0)
        best = std::max(best, kAbbreviationSimilarity);
    // each letter one word has and the other lacks costs at least one edit
    const auto missing = static_cast<std::size_t>(
        std::max(bit_count(a.letters & ~b.letters), bit_count(b.letters & ~a.letters)));
    if (m - n <= allowed_edits(n) && missing <= allowed_edits(n)) {
        const std::size_t d = levenshtein(a.text, b.text, allowed_edits(n));
        if (d <= allowed_edits(n))
            best = std::max(best, 1.0F - static_cast<float>(d) / static_cast<float>(m));
    }
    return best;
}

NameComparison compare_names(const PreparedName& q, const PreparedName& c, const NameMatchParams& p,
                             bool explain) {
    NameComparison r;
    const std::size_t nq = q.tokens.size(), nc = c.tokens.size();
    if (nq == 0 || nc == 0) {
        // names made only of numbers ("7") compare their numbers
        if (nq == 0 && nc == 0 && !q.numbers.empty() && q.numbers == c.numbers) r.score = 1.0;
        return r;
    }
    // Token merges: "jandaniel" vs "jan daniel" -> treat the adjacent pair as one token. Copies are made
    // only when a merge applies (the common case compares the prepared tokens in place).
    const auto concat_in = [](const std::vector<NameToken>& side, const std::vector<NameToken>& other) {
        for (std::size_t i = 0; i + 1 < side.size(); ++i) {
            const std::string& a = side[i].text;
            const std::string& b = side[i + 1].text;
            for (const auto& o : other)
                if (o.text.size() == a.size() + b.size() && o.text.compare(0, a.size(), a) == 0 &&
                    o.text.compare(a.size(), b.size(), b) == 0)
                    return true;
        }
        return false;
    };
    const auto merge_pairs = [](std::vector<NameToken>& joined_side, const std::vector<NameToken>& other) {
        for (std::size_t i = 0; i + 1 < joined_side.size(); ++i) {
            const std::string cat = joined_side[i].text + joined_side[i + 1].text;
            for (const auto& o : other) {
                if (o.text != cat) continue;
                joined_side[i].text = cat;
                joined_side[i].skeleton = skeleton(cat);
                joined_side[i].letters = letter_set(cat);
                joined_side[i].weight += joined_side[i + 1].weight;
                joined_side.erase(joined_side.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                break;
            }
        }
    };
    // Acronyms and initials run together: "PLA" / "People's Liberation Army", "JC" / "Jean Claude",
    // "US" / "United States". A short token of one name equal to the first letters of consecutive
    // words of the other (of two letters or more each) stands for them; persons' initials have no vowel.
    const auto is_vowel = [](char ch) {
        return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y';
    };
    const auto acronym_at = [&](const NameToken& t, const std::vector<NameToken>& other, Schema schema) {
        const std::size_t len = t.text.size();
        if (len < 2 || len > kMaxAcronymChars || len > other.size()) return other.size();
        if (schema == Schema::person && std::any_of(t.text.begin(), t.text.end(), is_vowel))
            return other.size();
        if (std::any_of(t.text.begin(), t.text.end(), [](char ch) { return ch < 'a' || ch > 'z'; }))
            return other.size();
        for (const auto& o : other)
            if (o.text == t.text) return other.size();
        for (std::size_t i = 0; i + len <= other.size(); ++i) {
            bool ok = true;
            for (std::size_t k = 0; k < len && ok; ++k)
                ok = other[i + k].text.size() >= 2 && other[i + k].text[0] == t.text[k];
            if (ok) return i;
        }
        return other.size();
    };
    const auto has_acronym = [&](const std::vector<NameToken>& side, const std::vector<NameToken>& other,
                                 Schema schema) {
        for (const auto& t : side)
            if (acronym_at(t, other, schema) < other.size()) return true;
        return false;
    };
    const auto merge_acronyms = [&](const std::vector<NameToken>& side, std::vector<NameToken>& other,
                                    Schema schema) {
        for (const auto& t : side) {
            const std::size_t i = acronym_at(t, other, schema);
            if (i >= other.size()) continue;
            NameToken merged = t;
            merged.weight = 0;
            for (std::size_t k = 0; k < t.text.size(); ++k) merged.weight += other[i + k].weight;
            merged.weight = std::max(merged.weight * kInitialSimilarity, t.weight);
            other.erase(other.begin() + static_cast<std::ptrdiff_t>(i),
                        other.begin() + static_cast<std::ptrdiff_t>(i + t.text.size()));
            other.insert(other.begin() + static_cast<std::ptrdiff_t>(i), std::move(merged));
        }
    };
    std::vector<NameToken> q_merged, c_merged;
    const std::vector<NameToken>* qtp = &q.tokens;
    const std::vector<NameToken>* ctp = &c.tokens;
    const bool acronyms =
        nq != nc && (has_acronym(q.tokens, c.tokens, q.schema) || has_acronym(c.tokens, q.tokens, c.schema));
    if (acronyms || (nq != nc && (concat_in(q.tokens, c.tokens) || concat_in(c.tokens, q.tokens)))) {
        q_merged = q.tokens;
        c_merged = c.tokens;
        if (acronyms) {
            merge_acronyms(q.tokens, c_merged, q.schema);
            merge_acronyms(c.tokens, q_merged, c.schema);
        }
        merge_pairs(q_merged, c_merged);
        merge_pairs(c_merged, q_merged);
        qtp = &q_merged;
        ctp = &c_merged;
    }
    const std::vector<NameToken>& qt = *qtp;
    const std::vector<NameToken>& ct = *ctp;
    // Greedy alignment on the similarity matrix, best pairs first.
    struct Cell {
        float sim;
        std::uint16_t i, j;
    };
    thread_local std::vector<Cell> cells;
    cells.clear();
    for (std::size_t i = 0; i < qt.size(); ++i)
        for (std::size_t j = 0; j < ct.size(); ++j) {
            const float s = token_similarity(qt[i], ct[j]);
            if (s >= p.min_token_similarity)
                cells.push_back(Cell{s, static_cast<std::uint16_t>(i), static_cast<std::uint16_t>(j)});
        }
    std::sort(cells.begin(), cells.end(), [&](const Cell& x, const Cell& y) {
        if (x.sim != y.sim) return x.sim > y.sim;
        const float wx = qt[x.i].weight + ct[x.j].weight, wy = qt[y.i].weight + ct[y.j].weight;
        if (wx != wy) return wx > wy;
        return std::abs(static_cast<int>(x.i) - static_cast<int>(x.j)) <
               std::abs(static_cast<int>(y.i) - static_cast<int>(y.j));
    });
    thread_local std::vector<int> q_to, c_to;
    thread_local std::vector<float> q_sim;
    q_to.assign(qt.size(), -1);
    c_to.assign(ct.size(), -1);
    q_sim.assign(qt.size(), 0.0F);
    double matched = 0, partial_loss = 0;
    for (const auto& cell : cells) {
        if (q_to[cell.i] >= 0 || c_to[cell.j] >= 0) continue;
        q_to[cell.i] = cell.j;
        c_to[cell.j] = cell.i;
        q_sim[cell.i] = cell.sim;
        const double w = (qt[cell.i].weight + ct[cell.j].weight) / 2.0;
        matched += cell.sim * w;
        partial_loss += (1.0 - cell.sim) * w;
    }
    double uq = 0, uc = 0;
    for (std::size_t i = 0; i < qt.size(); ++i)
        if (q_to[i] < 0) uq += qt[i].weight;
    for (std::size_t j = 0; j < ct.size(); ++j)
        if (c_to[j] < 0) uc += ct[j].weight;
    // Unmatched weight present on both sides counts as substitutions (full weight, both sides);
    // the excess on one side counts as dropped tokens (extra_token_penalty).
    const double substituted = std::min(uq, uc);
    const double extra = std::max(uq, uc) - substituted;
    // Dropped words weigh little in persons' names (middle names, patronymics), unless the shorter name
    // is a single word: one word of a full name identifies nobody.
    const bool mononym = std::min(qt.size(), ct.size()) == 1 && std::max(qt.size(), ct.size()) > 1;
    const double extra_penalty =
        q.schema == Schema::person && !mononym ? p.person_extra_token_penalty : p.extra_token_penalty;
    const double extra_weight = substituted > 0 ? 1.0 : extra_penalty;
    const double denom =
        2 * matched + 2 * partial_loss + 2 * p.substitution_factor * substituted + extra_weight * extra;
    r.token_overlap = denom > 0 ? 2 * matched / denom : 0;
    r.score = r.token_overlap;
    // Names made only of initials ("N.N.", "J. S.") are no evidence of identity on their own.
    const auto only_initials = [](const std::vector<NameToken>& side) {
        return std::all_of(side.begin(), side.end(), [](const NameToken& t) { return t.text.size() == 1; });
    };
    if (only_initials(qt) != only_initials(ct)) r.score = std::min(r.score, kInitialsOnlyCap);
    // Patronymic chains are ordered: "Abdullah bin Omar" (Abdullah, son of Omar) is not "Omar bin
    // Abdullah". When both names link words by bin / ibn / bint, aligned words on opposite sides of
    // the link are penalised.
    if (q.schema == Schema::person || c.schema == Schema::person) {
        const auto link_at = [](const std::vector<NameToken>& side) {
            for (std::size_t i = 0; i < side.size(); ++i)
                if (side[i].text == "bin" || side[i].text == "ibn" || side[i].text == "bint")
                    return static_cast<int>(i);
            return -1;
        };
        const int lq = link_at(qt), lc = link_at(ct);
        if (lq >= 0 && lc >= 0) {
            bool crossed = false;
            for (std::size_t i = 0; i < qt.size(); ++i) {
                const int j = q_to[i];
                if (j < 0 || static_cast<int>(i) == lq) continue;
                crossed = crossed || ((static_cast<int>(i) < lq) != (j < lc));
            }
            if (crossed) r.score *= kCrossedPatronymicFactor;
        }
    }
    if (q.numbers != c.numbers) {
        r.numbers_differ = true;
        if (p.numbers_must_agree || q.schema == Schema::vessel || c.schema == Schema::vessel)
            r.score = std::min(r.score, static_cast<double>(p.number_mismatch_cap));
        else
            r.score *= p.number_mismatch_factor;
    }
    if (!q.legal_forms.empty() && !c.legal_forms.empty()) {
        bool shared = false;
        for (const auto& f : q.legal_forms)
            shared = shared || std::binary_search(c.legal_forms.begin(), c.legal_forms.end(), f);
        if (!shared) {
            r.legal_form_differs = true;
            r.score *= p.legal_form_mismatch_factor;
        }
    }
    if (explain) {
        std::string& a = r.alignment;
        for (std::size_t i = 0; i < qt.size(); ++i) {
            if (!a.empty()) a += ", ";
            if (q_to[i] < 0) {
                a += "-" + qt[i].text;
                continue;
            }
            const auto& other = ct[static_cast<std::size_t>(q_to[i])].text;
            a += qt[i].text;
            a += q_sim[i] >= 1.0F ? "=" : "~";
            a += other;
            a += ' ';
            append_fixed2(a, q_sim[i]);
        }
        for (std::size_t j = 0; j < ct.size(); ++j)
            if (c_to[j] < 0) a += ", +" + ct[j].text;
        if (r.numbers_differ) a += "; numbers differ";
        if (r.legal_form_differs) a += "; legal forms differ";
    }
    return r;
}

}  // namespace vw::screen
