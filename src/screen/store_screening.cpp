#include "vesselwatch/screen/store_screening.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>

namespace vw::screen {

namespace {

constexpr char kSubjectKind[] = "vessel_identity";
constexpr char kKeyPrefix[] = "mmsi:";

bool table_exists(db::Database& db, std::string_view name) {
    auto st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
    st.bind(1, name);
    return st.step() && st.int64(0) > 0;
}

/// List-valued columns hold their values separated by newlines (store.cpp); shown joined by "; ".
std::string joined(std::string_view newline_separated) {
    std::string out;
    for (const char c : newline_separated) {
        if (c == '\n')
            out += "; ";
        else
            out += c;
    }
    return out;
}

}  // namespace

std::string vessel_subject_key(std::uint32_t mmsi) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s%09u", kKeyPrefix, mmsi);
    return buf;
}

std::vector<VesselIdentity> vessel_identities(std::uint32_t mmsi, std::span<const track::IdentityRecord> records) {
    char mmsi_text[16];
    std::snprintf(mmsi_text, sizeof mmsi_text, "%09u", mmsi);
    const auto flag = track::flag_of_mmsi(mmsi);

    // newest first: the current identity leads, past ones follow
    std::vector<const track::IdentityRecord*> order;
    order.reserve(records.size());
    for (const auto& r : records) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto* a, const auto* b) { return a->last_ms > b->last_ms; });

    std::vector<VesselIdentity> out;
    const auto fresh = [&] {
        VesselIdentity id;
        id.key = vessel_subject_key(mmsi);
        id.mmsi = mmsi_text;
        if (flag) id.flag = std::string(flag->iso2);
        return id;
    };
    for (const auto* r : order) {
        const std::string imo = r->data.imo != 0 && track::imo_is_valid(r->data.imo) ? std::to_string(r->data.imo) : "";
        const std::string& call = r->data.callsign;
        if (imo.empty() && call.empty() && r->data.name.empty()) continue;  // nothing beyond the MMSI
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const VesselIdentity& v) { return v.imo == imo && v.call_sign == call; });
        if (it == out.end()) {
            out.push_back(fresh());
            out.back().imo = imo;
            out.back().call_sign = call;
            it = std::prev(out.end());
        }
        if (!r->data.name.empty() && std::find(it->names.begin(), it->names.end(), r->data.name) == it->names.end())
            it->names.push_back(r->data.name);
    }
    if (out.empty()) out.push_back(fresh());
    return out;
}

std::vector<IdentityMatch> screen_vessel(const Screener& screener, std::span<const VesselIdentity> identities,
                                         double threshold) {
    std::vector<IdentityMatch> best;
    for (const auto& identity : identities) {
        for (auto& m : screen_vessel_identity(screener, identity, threshold)) {
            auto it = std::find_if(best.begin(), best.end(),
                                   [&](const IdentityMatch& b) { return b.match.entity == m.match.entity; });
            if (it == best.end())
                best.push_back(std::move(m));
            else if (m.match.score > it->match.score)
                *it = std::move(m);
        }
    }
    std::sort(best.begin(), best.end(), [](const IdentityMatch& a, const IdentityMatch& b) {
        return a.match.score != b.match.score ? a.match.score > b.match.score : a.match.entity < b.match.entity;
    });
    return best;
}

bool has_active_lists(db::Database& db) {
    if (!table_exists(db, "screen_list")) return false;
    auto st = db.prepare("SELECT count(*) FROM screen_list WHERE active = 1");
    return st.step() && st.int64(0) > 0;
}

VesselScreeningReport screen_store_vessels(track::Store& tracks, ListStore& lists, VesselSelection selection,
                                           std::span<const std::uint32_t> mmsis, double threshold) {
    const auto start = std::chrono::steady_clock::now();
    VesselScreeningReport rep;
    std::size_t active = 0;
    for (const auto& l : lists.lists()) active += l.active ? 1 : 0;
    if (active == 0) return rep;
    rep.lists_present = true;
    rep.lists = active;

    std::vector<std::uint32_t> todo;
    if (selection == VesselSelection::all)
        todo = tracks.mmsis();
    else
        todo.assign(mmsis.begin(), mmsis.end());
    std::sort(todo.begin(), todo.end());
    todo.erase(std::unique(todo.begin(), todo.end()), todo.end());
    if (todo.empty()) return rep;

    const StoreScreener screener = lists.screener();  // built once for the whole run
    rep.entities = screener.screener.size();

    // identity records of all vessels at once, grouped by MMSI (one query instead of one per vessel)
    std::vector<track::IdentityRecord> records = tracks.identities();
    std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.mmsi < b.mmsi; });
    auto rec = records.begin();
    for (const std::uint32_t mmsi : todo) {
        rec = std::lower_bound(rec, records.end(), mmsi, [](const auto& r, std::uint32_t m) { return r.mmsi < m; });
        auto end = rec;
        while (end != records.end() && end->mmsi == mmsi) ++end;
        const auto identities = vessel_identities(mmsi, std::span<const track::IdentityRecord>(rec, end));
        rec = end;
        const auto matches = screen_vessel(screener.screener, identities, threshold);
        lists.store_identity_matches(identities.front(), matches, screener);
        ++rep.vessels;
        rep.queries += identities.size();
        rep.vessels_matched += matches.empty() ? 0 : 1;
        rep.matches += matches.size();
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return rep;
}

std::map<std::uint32_t, std::vector<VesselMatchRow>> stored_vessel_matches(db::Database& db) {
    std::map<std::uint32_t, std::vector<VesselMatchRow>> out;
    if (!table_exists(db, "screen_match")) return out;
    auto st = db.prepare(
        "SELECT m.subject_key, m.score, m.queried_name, m.matched_name, m.explanation, m.screened_at, "
        "e.source_id, e.caption, e.schema, e.programs, l.id, l.source, l.format, l.publication_date, l.sha256, "
        "l.file, l.active FROM screen_match m JOIN screen_entity e ON e.id = m.entity_id "
        "JOIN screen_list l ON l.id = m.list_id WHERE m.subject_kind = ?1 AND m.subject_key LIKE 'mmsi:%' "
        "ORDER BY m.subject_key, m.score DESC, m.id");
    st.bind(1, std::string_view(kSubjectKind));
    while (st.step()) {
        VesselMatchRow r;
        const std::string_view key = st.text(0);
        try {
            r.mmsi = static_cast<std::uint32_t>(std::stoul(std::string(key.substr(sizeof kKeyPrefix - 1))));
        } catch (const std::exception&) {
            continue;  // not a key this module wrote
        }
        r.score = st.real(1);
        r.queried_name = st.text(2);
        r.matched_name = st.text(3);
        r.explanation = st.text(4);
        r.screened_at = st.text(5);
        r.entity_source_id = st.text(6);
        r.entity_caption = st.text(7);
        r.entity_schema = st.text(8);
        r.programs = joined(st.text(9));
        r.list_id = st.int64(10);
        r.list_source = st.text(11);
        r.list_format = st.text(12);
        r.list_publication_date = st.text(13);
        r.list_sha256 = st.text(14);
        r.list_file = st.text(15);
        r.list_active = st.int64(16) != 0;
        out[r.mmsi].push_back(std::move(r));
    }
    return out;
}

}  // namespace vw::screen
