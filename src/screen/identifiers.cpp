// Identifier and country normalisation shared by every loader and the matcher.
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cctype>
#include <mutex>
#include <string>
#include <unordered_map>

#include "vesselwatch/screen/loaders.hpp"

namespace vw::screen {

namespace {

constexpr std::size_t kImoDigits = 7;
constexpr std::size_t kMmsiDigits = 9;
constexpr std::size_t kMaxCallSignChars = 12;

std::string lower_ascii(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (const char c : s) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            space = !out.empty();
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

// Names that ICU's English display names do not give (official-style long forms used by the lists).
constexpr std::pair<std::string_view, std::string_view> kCountryAliases[] = {
    {"russian federation", "ru"},
    {"korea, north", "kp"},
    {"north korea", "kp"},
    {"democratic people's republic of korea", "kp"},
    {"korea, democratic people's republic of", "kp"},
    {"dprk", "kp"},
    {"korea, south", "kr"},
    {"republic of korea", "kr"},
    {"korea, republic of", "kr"},
    {"iran, islamic republic of", "ir"},
    {"iran (islamic republic of)", "ir"},
    {"islamic republic of iran", "ir"},
    {"syrian arab republic", "sy"},
    {"united states of america", "us"},
    {"usa", "us"},
    {"united kingdom of great britain and northern ireland", "gb"},
    {"uk", "gb"},
    {"great britain", "gb"},
    {"viet nam", "vn"},
    {"lao people's democratic republic", "la"},
    {"burma", "mm"},
    {"turkey", "tr"},
    {"türkiye", "tr"},
    {"democratic republic of the congo", "cd"},
    {"congo, democratic republic of the", "cd"},
    {"republic of the congo", "cg"},
    {"united republic of tanzania", "tz"},
    {"tanzania, united republic of", "tz"},
    {"republic of moldova", "md"},
    {"moldova, republic of", "md"},
    {"venezuela (bolivarian republic of)", "ve"},
    {"bolivia (plurinational state of)", "bo"},
    {"cote d'ivoire", "ci"},
    {"ivory coast", "ci"},
    {"the gambia", "gm"},
    {"cabo verde", "cv"},
    {"czech republic", "cz"},
    {"swaziland", "sz"},
    {"eswatini", "sz"},
    {"macedonia", "mk"},
    {"hong kong", "hk"},
    {"macau", "mo"},
    {"china", "cn"},
    {"palestinian territories", "ps"},
    {"west bank", "ps"},
    {"gaza", "ps"},
    {"crimea", "ua"},
    {"region: crimea", "ua"},
};

class CountryTable {
public:
    CountryTable() {
        const icu::Locale english = icu::Locale::getEnglish();
        for (const char* const* c = icu::Locale::getISOCountries(); *c != nullptr; ++c) {
            std::string code = lower_ascii(*c);
            icu::UnicodeString display;
            icu::Locale("en", *c).getDisplayCountry(english, display);
            std::string name;
            display.toUTF8String(name);
            by_name_.emplace(lower_ascii(name), code);
            codes_.emplace(code, code);
        }
        for (const auto& [name, code] : kCountryAliases) by_name_[std::string(name)] = std::string(code);
    }

    std::optional<std::string> find(std::string_view text) const {
        std::string key = lower_ascii(text);
        while (!key.empty() && (key.back() == '.' || key.back() == ',')) key.pop_back();
        if (key.empty()) return std::nullopt;
        if (key.size() == 2)
            if (auto it = codes_.find(key); it != codes_.end()) return it->second;
        if (auto it = by_name_.find(key); it != by_name_.end()) return it->second;
        // "Korea, North" style: swap around the comma; "Name (something)": drop the parenthesis.
        if (auto comma = key.find(", "); comma != std::string::npos) {
            const std::string swapped = key.substr(comma + 2) + " " + key.substr(0, comma);
            if (auto it = by_name_.find(swapped); it != by_name_.end()) return it->second;
        }
        if (auto paren = key.find(" ("); paren != std::string::npos) {
            if (auto it = by_name_.find(key.substr(0, paren)); it != by_name_.end()) return it->second;
        }
        if (key.rfind("the ", 0) == 0)
            if (auto it = by_name_.find(key.substr(4)); it != by_name_.end()) return it->second;
        return std::nullopt;
    }

private:
    std::unordered_map<std::string, std::string> by_name_;
    std::unordered_map<std::string, std::string> codes_;
};

}  // namespace

std::optional<std::string> country_code(std::string_view name_or_code) {
    static const CountryTable table;
    return table.find(name_or_code);
}

bool imo_check_digit_ok(std::string_view d) noexcept {
    if (d.size() != kImoDigits) return false;
    int sum = 0;
    for (std::size_t i = 0; i < kImoDigits; ++i) {
        if (d[i] < '0' || d[i] > '9') return false;
        if (i + 1 < kImoDigits) sum += (d[i] - '0') * static_cast<int>(kImoDigits - i);
    }
    return sum % 10 == d[kImoDigits - 1] - '0';
}

namespace {

// The first run of exactly `n` digits in `text` (not part of a longer run).
std::optional<std::string> digit_run(std::string_view text, std::size_t n) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) != 0) ++j;
        if (j - i == n) return std::string(text.substr(i, n));
        i = j;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> normalize_imo(std::string_view text) {
    auto d = digit_run(text, kImoDigits);
    if (!d || !imo_check_digit_ok(*d)) return std::nullopt;
    return d;
}

std::optional<std::string> normalize_mmsi(std::string_view text) {
    return digit_run(text, kMmsiDigits);
}

std::optional<std::string> normalize_call_sign(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0)
            out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        else if (c != ' ' && c != '-')
            return std::nullopt;
    }
    if (out.empty() || out.size() > kMaxCallSignChars) return std::nullopt;
    return out;
}

}  // namespace vw::screen
