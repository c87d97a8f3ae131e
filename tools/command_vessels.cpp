// vesselwatch vessels: every MMSI in the store with its current and past identities.
#include "command_vessels.hpp"

#include "options_common.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "vesselwatch/screen/store_screening.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::cli {

namespace {

struct VesselRow {
    std::uint32_t mmsi = 0;
    std::uint64_t positions = 0;
    std::int64_t first_ms = INT64_MAX, last_ms = INT64_MIN;
    std::vector<track::IdentityRecord> identities;  // merged runs, oldest first
};

std::string upper(std::string_view s) {
    std::string u(s);
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
}

// Stored names, call signs and destinations are the sources' bytes: written as valid JSON and UTF-8.
void json_str(OutBuffer& out, std::string_view v) {
    thread_local std::string buf;
    buf.clear();
    append_json_string(buf, v);
    out.write(buf);
}

// Text lines hold the same strings: ill-formed UTF-8 replaced, as in the JSON.
void write_text(OutBuffer& out, std::string_view s) {
    thread_local std::string buf;
    buf.clear();
    append_utf8_replacing(buf, s);
    out.write(buf);
}

void identity_json(OutBuffer& out, const track::IdentityRecord& r) {
    const auto& d = r.data;
    out.write("{\"from\":\"");
    out.write(track::format_time(r.first_ms));
    out.write("\",\"to\":\"");
    out.write(track::format_time(r.last_ms));
    out.write("\",\"reports\":");
    out.write_uint(r.reports);
    out.write(",\"class\":");
    json_str(out, track::station_class_name(d.station_class));
    out.write(",\"name\":");
    json_str(out, d.name);
    out.write(",\"callsign\":");
    json_str(out, d.callsign);
    out.write(",\"imo\":");
    out.write_uint(d.imo);
    out.write(",\"imo_valid\":");
    out.write(track::imo_is_valid(d.imo) ? "true" : "false");
    out.write(",\"ship_type\":");
    out.write_uint(d.ship_type);
    out.write(",\"length_m\":");
    out.write_uint(d.length_m());
    out.write(",\"beam_m\":");
    out.write_uint(d.beam_m());
    out.write(",\"draught_m\":");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", d.draught_dm / 10.0);
    out.write(buf);
    out.write(",\"destination\":");
    json_str(out, d.destination);
    out.write(",\"eta\":");
    json_str(out, d.eta);
    out.write(",\"source\":\"");
    out.write(std::to_string(r.first_ref.source_id) + ":" + std::to_string(r.first_ref.line));
    out.write("\"}");
}

void match_json(OutBuffer& out, const screen::VesselMatchRow& m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", m.score);
    out.write("{\"score\":");
    out.write(buf);
    out.write(",\"queried_name\":");
    json_str(out, m.queried_name);
    out.write(",\"matched_name\":");
    json_str(out, m.matched_name);
    out.write(",\"explanation\":");
    json_str(out, m.explanation);
    out.write(",\"entity\":{\"id\":");
    json_str(out, m.entity_source_id);
    out.write(",\"caption\":");
    json_str(out, m.entity_caption);
    out.write(",\"schema\":");
    json_str(out, m.entity_schema);
    out.write(",\"programs\":");
    json_str(out, m.programs);
    out.write("},\"list\":{\"id\":");
    out.write(std::to_string(m.list_id));
    out.write(",\"source\":");
    json_str(out, m.list_source);
    out.write(",\"format\":");
    json_str(out, m.list_format);
    out.write(",\"published\":");
    json_str(out, m.list_publication_date);
    out.write(",\"sha256\":");
    json_str(out, m.list_sha256);
    out.write(",\"file\":");
    json_str(out, m.list_file);
    out.write(",\"active\":");
    out.write(m.list_active ? "true" : "false");
    out.write("},\"screened_at\":");
    json_str(out, m.screened_at);
    out.put('}');
}

std::string match_text(const screen::VesselMatchRow& m) {
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", m.score);
    std::string s = std::string(score) + " " + m.entity_caption + " [" + m.list_source + " " + m.entity_source_id;
    if (!m.programs.empty()) s += ", " + m.programs;
    s += "] list " + std::to_string(m.list_id) + " published " +
         (m.list_publication_date.empty() ? std::string("?") : m.list_publication_date) + " sha256 " +
         m.list_sha256.substr(0, 12) + (m.list_active ? "" : " (superseded)");
    if (!m.queried_name.empty()) s += ", as \"" + m.queried_name + "\"";
    s += ": " + m.explanation;
    return s;
}

std::string identity_text(const track::IdentityRecord& r) {
    const auto& d = r.data;
    std::string s = "\"" + d.name + "\"";
    if (!d.callsign.empty()) s += " call " + d.callsign;
    if (d.imo != 0) s += " IMO " + std::to_string(d.imo) + (track::imo_is_valid(d.imo) ? "" : " (bad check digit)");
    if (d.ship_type != 0) s += " type " + std::to_string(d.ship_type);
    if (d.length_m() != 0) s += " " + std::to_string(d.length_m()) + "x" + std::to_string(d.beam_m()) + " m";
    if (!d.destination.empty()) s += " -> " + d.destination;
    s += "  [" + track::format_time(r.first_ms) + " .. " + track::format_time(r.last_ms) + ", " +
         std::to_string(r.reports) + " reports, source " + std::to_string(r.first_ref.source_id) + ":" +
         std::to_string(r.first_ref.line) + "]";
    return s;
}

}  // namespace

CommandSpec vessels_spec() {
    CommandSpec s;
    s.name = "vessels";
    s.summary = "list the vessels in a database with their current and past identities";
    s.synopsis = "vesselwatch vessels DB [--search NAME|IMO|MMSI] [--sanctioned] [--json]";
    s.description =
        "    One entry per MMSI: flag (from the MMSI's MID), station class, stored positions and the time\n"
        "    they span, the current identity (name, call sign, IMO with its check digit verified, type,\n"
        "    dimensions, destination) and every earlier one with the interval it was broadcast.\n"
        "    SEGMENTS is the number of segments of the MMSI's positions: runs that are physically\n"
        "    consistent (one vessel each); more than one when the MMSI was used by several vessels or\n"
        "    jumped implausibly (see docs/store.md). --json lists them in \"segments\" (id, first and\n"
        "    last position time, positions).\n"
        "    --search matches a 9-digit MMSI, a 7-digit IMO, or part of a name or call sign (any time in\n"
        "    the history, case-insensitive).\n\n"
        "    SANCTIONS shows the number of sanctions-list entities the vessel matched when it was last\n"
        "    screened ('-' none), screening being done by 'vesselwatch ingest' and 'vesselwatch lists\n"
        "    import'. Each match follows the identities: score, list entity and its programs, the list\n"
        "    (source, id, publication date, sha256), the vessel name that matched and the explanation.\n"
        "    --json gives them in \"sanctions\" with the same fields.\n";
    s.options = {
        {"search", 's', Arity::value, "TEXT", "Only vessels matching an MMSI, IMO, or part of a name / call sign."},
        {"sanctioned", 0, Arity::flag, "", "Only vessels with at least one sanctions-list match."},
        {"json", 0, Arity::flag, "", "One JSON object per vessel (NDJSON) instead of text."},
    };
    s.examples =
        "    vesselwatch vessels case.vw\n"
        "    vesselwatch vessels case.vw --search 'SKY'\n"
        "    vesselwatch vessels case.vw --search 9243435 --json\n"
        "    vesselwatch vessels case.vw --sanctioned\n";
    return s;
}

Exit vessels_run(const ParsedArgs& args) {
    if (args.positional().size() != 1) throw ConfigError("vessels needs exactly one DB");
    track::Store store(args.positional()[0], track::Access::read_only);
    (void)warn_if_simulated(store);
    std::map<std::uint32_t, VesselRow> rows;
    {
        auto st = store.database().prepare(
            "SELECT c.mmsi, sum(c.n), min(c.t_min), max(c.t_max) FROM track_chunks c "
            "JOIN track_sources s ON s.id = c.source_id JOIN track_files f ON f.id = s.file_id "
            "WHERE f.complete = 1 GROUP BY c.mmsi");
        while (st.step()) {
            VesselRow& r = rows[static_cast<std::uint32_t>(st.int64(0))];
            r.mmsi = static_cast<std::uint32_t>(st.int64(0));
            r.positions = static_cast<std::uint64_t>(st.int64(1));
            r.first_ms = st.int64(2);
            r.last_ms = st.int64(3);
        }
    }
    for (auto& id : store.identities()) {
        VesselRow& r = rows[id.mmsi];
        r.mmsi = id.mmsi;
        r.first_ms = std::min(r.first_ms, id.first_ms);
        r.last_ms = std::max(r.last_ms, id.last_ms);
        auto& ids = r.identities;
        if (!ids.empty() && ids.back().data == id.data) {  // the same identity, from the next file
            ids.back().last_ms = std::max(ids.back().last_ms, id.last_ms);
            ids.back().reports += id.reports;
        } else {
            ids.push_back(std::move(id));
        }
    }
    for (auto& [mmsi, r] : rows)
        std::stable_sort(r.identities.begin(), r.identities.end(),
                         [](const auto& a, const auto& b) { return a.last_ms < b.last_ms; });

    const auto sanctions = screen::stored_vessel_matches(store.database());
    const bool sanctioned_only = args.has("sanctioned");
    const auto search = args.value("search");
    auto matches = [&](const VesselRow& r) {
        if (!search) return true;
        const std::string& q = *search;
        const bool numeric = !q.empty() && std::all_of(q.begin(), q.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (numeric && q.size() >= 8 && q.size() <= 10) return std::stoull(q) == r.mmsi;
        if (numeric && q.size() == 7)
            return std::any_of(r.identities.begin(), r.identities.end(),
                               [&](const auto& i) { return std::to_string(i.data.imo) == q; });
        const std::string uq = upper(q);
        return std::any_of(r.identities.begin(), r.identities.end(), [&](const auto& i) {
            return upper(i.data.name).find(uq) != std::string::npos || upper(i.data.callsign).find(uq) != std::string::npos;
        });
    };

    OutBuffer out(1);
    std::size_t shown = 0;
    const bool json = args.has("json");
    if (!json)
        out.write(
            "MMSI       FLAG CLASS        POSITIONS SEGMENTS  FIRST SEEN            LAST SEEN             SANCTIONS "
            "IDENTITY\n");
    for (const auto& [mmsi, r] : rows) {
        if (!matches(r)) continue;
        const auto sit = sanctions.find(mmsi);
        const std::size_t n_matches = sit == sanctions.end() ? 0 : sit->second.size();
        if (sanctioned_only && n_matches == 0) continue;
        ++shown;
        const auto flag = track::flag_of_mmsi(mmsi);
        const std::vector<track::SegmentSummary> segs =
            r.positions > 0 ? store.segments(mmsi) : std::vector<track::SegmentSummary>{};
        const std::string_view cls =
            r.identities.empty() ? std::string_view("-") : track::station_class_name(r.identities.back().data.station_class);
        if (json) {
            out.write("{\"mmsi\":");
            out.write_uint(mmsi);
            out.write(",\"flag\":");
            json_str(out, flag ? flag->iso2 : "");
            out.write(",\"flag_name\":");
            json_str(out, flag ? flag->name : "");
            out.write(",\"positions\":");
            out.write_uint(r.positions);
            out.write(",\"first_seen\":\"");
            out.write(track::format_time(r.first_ms));
            out.write("\",\"last_seen\":\"");
            out.write(track::format_time(r.last_ms));
            out.write("\",\"segments\":[");
            for (std::size_t k = 0; k < segs.size(); ++k) {
                if (k) out.put(',');
                out.write("{\"id\":\"");
                out.write(segs[k].id.to_string());
                out.write("\",\"from\":\"");
                out.write(track::format_time(segs[k].first_ms));
                out.write("\",\"to\":\"");
                out.write(track::format_time(segs[k].last_ms));
                out.write("\",\"positions\":");
                out.write_uint(segs[k].positions);
                out.put('}');
            }
            out.write("],\"identities\":[");
            for (std::size_t k = r.identities.size(); k-- > 0;) {  // current first
                identity_json(out, r.identities[k]);
                if (k) out.put(',');
            }
            out.write("],\"sanctions\":[");
            for (std::size_t k = 0; k < n_matches; ++k) {
                if (k) out.put(',');
                match_json(out, sit->second[k]);
            }
            out.write("]}\n");
            continue;
        }
        char head[192];
        const std::string marker = n_matches == 0 ? "-" : "MATCH " + std::to_string(n_matches);
        std::snprintf(head, sizeof head, "%-10u %-4s %-12s %9llu %8zu  %-21s %-21s %-9s ", mmsi,
                      flag ? std::string(flag->iso2).c_str() : "-", std::string(cls).c_str(),
                      static_cast<unsigned long long>(r.positions), segs.size(), track::format_time(r.first_ms).c_str(),
                      track::format_time(r.last_ms).c_str(), marker.c_str());
        out.write(head);
        write_text(out, r.identities.empty() ? std::string("(no static data)") : identity_text(r.identities.back()));
        out.put('\n');
        for (std::size_t k = r.identities.size(); k-- > 1;) {
            out.write("           past: ");
            write_text(out, identity_text(r.identities[k - 1]));
            out.put('\n');
        }
        for (std::size_t k = 0; k < n_matches; ++k) {
            out.write("           SANCTIONS: ");
            write_text(out, match_text(sit->second[k]));
            out.put('\n');
        }
    }
    out.flush();
    if (!json) std::fprintf(stderr, "vessels: %zu shown\n", shown);
    return Exit::ok;
}

}  // namespace vw::cli
