#include "vesselwatch/screen/names.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
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

// Optimal-string-alignment distance, or a value above `bound` as soon as it must exceed it.
std::size_t levenshtein(std::string_view a, std::string_view b, std::size_t bound) noexcept {
    if (a.size() > kMaxTokenChars) a = a.substr(0, kMaxTokenChars);
    if (b.size() > kMaxTokenChars) b = b.substr(0, kMaxTokenChars);
    // optimal string alignment distance: insertions, deletions, substitutions, adjacent transpositions
    std::array<std::size_t, kMaxTokenChars + 1> prev2{}, prev{}, cur{};
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::size_t row_min = cur[0];
        for (std::size_t j = 1; j <= b.size(); ++j) row_min = std::min(row_min, cur[j]);
        if (row_min > bound + 1) return bound + 2;  // (+1: a transposition may still save one)
        prev2 = prev;
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// Edits allowed between two tokens of (shorter) length n.
std::size_t allowed_edits(std::size_t n) noexcept {
    if (n <= 3) return 0;
    if (n <= 5) return 1;
    if (n <= 9) return 2;
    return 3;
}

}  // namespace

std::string to_latin_ascii(std::string_view utf8) {
    if (is_ascii(utf8)) {
        std::string out(utf8);
        for (char& c : out) c = lower(c);
        return out;
    }
    thread_local Latinizer latin;
    std::string out = latin.run(utf8);
    // whatever the transliterator left outside ASCII becomes a separator
    for (char& c : out)
        if (static_cast<unsigned char>(c) >= 0x80) c = ' ';
    return out;
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
    std::string latin = to_latin_ascii(name);
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
        NameToken t;
        t.weight = token_weight(w, schema);
        t.skeleton = skeleton(w);
        t.text = std::move(w);
        out.total_weight += t.weight;
        out.tokens.push_back(std::move(t));
    }
    std::sort(out.numbers.begin(), out.numbers.end());
    std::sort(out.legal_forms.begin(), out.legal_forms.end());
    out.legal_forms.erase(std::unique(out.legal_forms.begin(), out.legal_forms.end()), out.legal_forms.end());
    return out;
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
    if (m - n <= allowed_edits(n)) {
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
                joined_side[i].weight += joined_side[i + 1].weight;
                joined_side.erase(joined_side.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                break;
            }
        }
    };
    std::vector<NameToken> q_merged, c_merged;
    const std::vector<NameToken>* qtp = &q.tokens;
    const std::vector<NameToken>* ctp = &c.tokens;
    if (nq != nc && (concat_in(q.tokens, c.tokens) || concat_in(c.tokens, q.tokens))) {
        q_merged = q.tokens;
        c_merged = c.tokens;
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
    std::vector<int> q_to(qt.size(), -1), c_to(ct.size(), -1);
    std::vector<float> q_sim(qt.size(), 0);
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
    const double extra_weight = substituted > 0 ? 1.0 : p.extra_token_penalty;
    const double denom = 2 * matched + 2 * partial_loss + 2 * substituted + extra_weight * extra;
    r.token_overlap = denom > 0 ? 2 * matched / denom : 0;
    r.score = r.token_overlap;
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
        char buf[16];
        for (std::size_t i = 0; i < qt.size(); ++i) {
            if (!a.empty()) a += ", ";
            if (q_to[i] < 0) {
                a += "-" + qt[i].text;
                continue;
            }
            const auto& other = ct[static_cast<std::size_t>(q_to[i])].text;
            std::snprintf(buf, sizeof buf, " %.2f", static_cast<double>(q_sim[i]));
            a += qt[i].text + (q_sim[i] >= 1.0F ? "=" : "~") + other + buf;
        }
        for (std::size_t j = 0; j < ct.size(); ++j)
            if (c_to[j] < 0) a += ", +" + ct[j].text;
        if (r.numbers_differ) a += "; numbers differ";
        if (r.legal_form_differs) a += "; legal forms differ";
    }
    return r;
}

}  // namespace vw::screen
