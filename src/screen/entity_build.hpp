// Helpers the list loaders share to fill an Entity: de-duplicated names, countries, identifiers and
// programs, names joined from parts, list dates to ISO 8601. Private to src/screen.
#pragma once

#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>

#include "vesselwatch/screen/entity.hpp"
#include "vesselwatch/screen/loaders.hpp"

namespace vw::screen::build {

inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
    return s;
}

/// The non-empty parts joined by single spaces.
inline std::string join_names(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto p : parts) {
        p = trim(p);
        if (p.empty()) continue;
        if (!out.empty()) out.push_back(' ');
        out += p;
    }
    return out;
}

/// Adds a name once; a second primary name becomes an alias.
inline void add_name(Entity& e, std::string text, NameKind kind) {
    if (text.empty()) return;
    for (const auto& n : e.names)
        if (n.text == text) return;
    if (kind == NameKind::primary)
        for (const auto& n : e.names)
            if (n.kind == NameKind::primary) kind = NameKind::alias;
    e.names.push_back(Name{std::move(text), kind});
}

/// Adds a country once, as its ISO code when known, else as the list's text.
inline void add_country(Entity& e, std::string_view text) {
    text = trim(text);
    if (text.empty()) return;
    std::string c = country_code(text).value_or(std::string(text));
    for (const auto& have : e.countries)
        if (have == c) return;
    e.countries.push_back(std::move(c));
}

inline void add_id(Entity& e, IdKind kind, std::string value, std::string label) {
    if (value.empty()) return;
    for (const auto& i : e.ids)
        if (i.kind == kind && i.value == value) return;
    e.ids.push_back(Identifier{kind, std::move(value), std::move(label)});
}

inline void add_program(Entity& e, std::string_view p) {
    p = trim(p);
    if (p.empty()) return;
    for (const auto& have : e.programs)
        if (have == p) return;
    e.programs.emplace_back(p);
}

inline bool all_digits(std::string_view s) noexcept {
    for (const char c : s)
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
    return !s.empty();
}

/// "03/28/2025" (month first) or "28/03/2025" (day first) -> "2025-03-28"; ISO dates pass through;
/// anything else is returned as it is.
inline std::string iso_date(std::string_view s, bool day_first) {
    constexpr std::size_t kIsoDateChars = 10;
    s = trim(s);
    if (s.size() >= kIsoDateChars && s[4] == '-' && s[7] == '-')
        return std::string(s.substr(0, kIsoDateChars));
    if (s.size() == kIsoDateChars && s[2] == '/' && s[5] == '/' && all_digits(s.substr(0, 2)) &&
        all_digits(s.substr(3, 2)) && all_digits(s.substr(6, 4))) {
        const std::string_view a = s.substr(0, 2), b = s.substr(3, 2);
        const std::string_view day = day_first ? a : b, month = day_first ? b : a;
        return std::string(s.substr(6, 4)) + "-" + std::string(month) + "-" + std::string(day);
    }
    return std::string(s);
}

}  // namespace vw::screen::build
