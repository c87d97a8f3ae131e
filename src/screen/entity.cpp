#include "vesselwatch/screen/entity.hpp"

#include <array>
#include <utility>

namespace vw::screen {

namespace {

constexpr std::array<std::pair<Schema, std::string_view>, 6> kSchemas = {{
    {Schema::vessel, "Vessel"},
    {Schema::company, "Company"},
    {Schema::organization, "Organization"},
    {Schema::person, "Person"},
    {Schema::legal_entity, "LegalEntity"},
    {Schema::airplane, "Airplane"},
}};
constexpr std::array<std::pair<NameKind, std::string_view>, 4> kNameKinds = {{
    {NameKind::primary, "primary"},
    {NameKind::alias, "alias"},
    {NameKind::weak_alias, "weak_alias"},
    {NameKind::former, "former"},
}};
constexpr std::array<std::pair<IdKind, std::string_view>, 8> kIdKinds = {{
    {IdKind::imo, "imo"},
    {IdKind::mmsi, "mmsi"},
    {IdKind::call_sign, "call_sign"},
    {IdKind::registration, "registration"},
    {IdKind::tax, "tax"},
    {IdKind::passport, "passport"},
    {IdKind::national_id, "national_id"},
    {IdKind::other, "other"},
}};
constexpr std::array<std::pair<ListFormat, std::string_view>, 7> kFormats = {{
    {ListFormat::ofac_csv, "ofac-csv"},
    {ListFormat::ofac_xml, "ofac-xml"},
    {ListFormat::un_xml, "un-xml"},
    {ListFormat::uk_xml, "uk-xml"},
    {ListFormat::eu_xml, "eu-xml"},
    {ListFormat::ftm_json, "ftm-json"},
    {ListFormat::uk_csv, "uk-csv"},
}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) noexcept {
    for (const auto& [k, s] : table)
        if (k == v) return s;
    return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view s) noexcept {
    for (const auto& [k, name] : table)
        if (name == s) return k;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Schema s) noexcept {
    return name_of(kSchemas, s);
}
std::string_view to_string(NameKind k) noexcept {
    return name_of(kNameKinds, k);
}
std::string_view to_string(IdKind k) noexcept {
    return name_of(kIdKinds, k);
}
std::string_view to_string(ListFormat f) noexcept {
    return name_of(kFormats, f);
}
std::optional<Schema> schema_from_string(std::string_view s) noexcept {
    return value_of(kSchemas, s);
}
std::optional<NameKind> name_kind_from_string(std::string_view s) noexcept {
    return value_of(kNameKinds, s);
}
std::optional<IdKind> id_kind_from_string(std::string_view s) noexcept {
    return value_of(kIdKinds, s);
}
std::optional<ListFormat> list_format_from_string(std::string_view s) noexcept {
    return value_of(kFormats, s);
}

const std::string& Entity::caption() const noexcept {
    static const std::string kEmpty;
    for (const auto& n : names)
        if (n.kind == NameKind::primary) return n.text;
    return names.empty() ? kEmpty : names.front().text;
}

std::optional<std::string_view> Entity::first_id(IdKind kind) const noexcept {
    for (const auto& i : ids)
        if (i.kind == kind) return std::string_view(i.value);
    return std::nullopt;
}

void LoadReport::note(std::string text) {
    if (notes.size() < kMaxNotes) notes.push_back(std::move(text));
}

}  // namespace vw::screen
