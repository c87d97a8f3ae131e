#include "vesselwatch/screen/diff.hpp"

#include <algorithm>
#include <map>

namespace vw::screen {

namespace {

template <class T>
std::vector<T> sorted(std::vector<T> v) {
    std::sort(v.begin(), v.end(), [](const T& a, const T& b) {
        if constexpr (std::is_same_v<T, Name>)
            return std::tie(a.text, a.kind) < std::tie(b.text, b.kind);
        else if constexpr (std::is_same_v<T, Identifier>)
            return std::tie(a.kind, a.value) < std::tie(b.kind, b.value);
        else if constexpr (std::is_same_v<T, Link>)
            return std::tie(a.relation, a.target_id, a.target_name) <
                   std::tie(b.relation, b.target_id, b.target_name);
        else
            return a < b;
    });
    return v;
}

template <class T>
bool same_set(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && sorted(a) == sorted(b);
}

}  // namespace

ListDiff diff_lists(const std::vector<Entity>& before, const std::vector<Entity>& after) {
    std::map<std::string_view, const Entity*> old_by_id, new_by_id;
    for (const auto& e : before) old_by_id.emplace(e.source_id, &e);
    for (const auto& e : after) new_by_id.emplace(e.source_id, &e);
    ListDiff d;
    for (const auto& [id, e] : old_by_id)
        if (new_by_id.count(id) == 0) d.removed.push_back(e);
    for (const auto& [id, e] : new_by_id) {
        const auto it = old_by_id.find(id);
        if (it == old_by_id.end()) {
            d.added.push_back(e);
            continue;
        }
        const Entity& a = *it->second;
        const Entity& b = *e;
        EntityChange c{&a, &b, {}};
        if (a.schema != b.schema) c.fields.emplace_back("schema");
        if (!same_set(a.names, b.names)) c.fields.emplace_back("names");
        if (!same_set(a.ids, b.ids)) c.fields.emplace_back("ids");
        if (!same_set(a.programs, b.programs)) c.fields.emplace_back("programs");
        if (!same_set(a.countries, b.countries)) c.fields.emplace_back("countries");
        if (a.flag != b.flag) c.fields.emplace_back("flag");
        if (!same_set(a.former_flags, b.former_flags)) c.fields.emplace_back("former_flags");
        if (!same_set(a.links, b.links)) c.fields.emplace_back("links");
        if (a.listed_on != b.listed_on) c.fields.emplace_back("listed_on");
        if (a.remarks != b.remarks) c.fields.emplace_back("remarks");
        if (c.fields.empty())
            ++d.unchanged;
        else
            d.changed.push_back(std::move(c));
    }
    return d;
}

}  // namespace vw::screen
