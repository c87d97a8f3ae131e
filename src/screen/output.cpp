#include "vesselwatch/screen/output.hpp"

#include <cstdio>

namespace vw::screen {

namespace {

std::string fmt_score(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

void append_json_array(std::string& out, const std::vector<std::string>& v) {
    out.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out.push_back(',');
        append_json_string(out, v[i]);
    }
    out.push_back(']');
}

void append_query_json(std::string& s, std::string_view query_id, const Query& q) {
    s += "{\"query\":";
    append_json_string(s, query_id);
    s += ",\"name\":";
    append_json_string(s, q.name);
    s += ",\"type\":";
    append_json_string(s, to_string(q.type));
    if (!q.imo.empty()) {
        s += ",\"imo\":";
        append_json_string(s, q.imo);
    }
    if (!q.mmsi.empty()) {
        s += ",\"mmsi\":";
        append_json_string(s, q.mmsi);
    }
    if (!q.call_sign.empty()) {
        s += ",\"call_sign\":";
        append_json_string(s, q.call_sign);
    }
    if (!q.country.empty()) {
        s += ",\"country\":";
        append_json_string(s, q.country);
    }
}

}  // namespace

std::string_view match_csv_header() noexcept {
    return "query,query_name,rank,score,match,list_source,list_date,list_sha256,entity_id,schema,caption,"
           "matched_name,matched_kind,programs,explanation\n";
}

void write_match_ndjson(OutBuffer& out, std::string_view query_id, const Query& q, std::size_t rank,
                        const Match& m, const Screener& s, double threshold) {
    const Entity& e = s.entity(m.entity);
    const ListRef& l = s.list_of(m.entity);
    std::string j;
    append_query_json(j, query_id, q);
    j += ",\"rank\":" + std::to_string(rank) + ",\"score\":" + fmt_score(m.score) +
         ",\"match\":" + (m.score >= threshold ? "true" : "false");
    j += ",\"list\":{\"source\":";
    append_json_string(j, l.info.source);
    j += ",\"publication_date\":";
    append_json_string(j, l.info.publication_date);
    j += ",\"sha256\":";
    append_json_string(j, l.info.sha256);
    j += ",\"list_id\":" + std::to_string(l.list_id) + "},\"entity\":";
    append_entity_json(j, e);
    j += ",\"matched_name\":";
    append_json_string(j, m.matched_name);
    j += ",\"matched_kind\":";
    append_json_string(j, to_string(m.matched_kind));
    j += ",\"features\":[";
    for (std::size_t i = 0; i < m.features.size(); ++i) {
        if (i > 0) j.push_back(',');
        j += "{\"feature\":";
        append_json_string(j, m.features[i].name);
        j += ",\"value\":" + fmt_score(m.features[i].value) + ",\"detail\":";
        append_json_string(j, m.features[i].detail);
        j.push_back('}');
    }
    j += "]}\n";
    out.write(j);
}

void write_match_csv(OutBuffer& out, std::string_view query_id, const Query& q, std::size_t rank,
                     const Match& m, const Screener& s, double threshold) {
    const Entity& e = s.entity(m.entity);
    const ListRef& l = s.list_of(m.entity);
    std::string r;
    append_csv_field(r, query_id);
    r.push_back(',');
    append_csv_field(r, q.name);
    r += "," + std::to_string(rank) + "," + fmt_score(m.score) + "," +
         (m.score >= threshold ? "true" : "false") + ",";
    append_csv_field(r, l.info.source);
    r.push_back(',');
    append_csv_field(r, l.info.publication_date);
    r.push_back(',');
    r += l.info.sha256;
    r.push_back(',');
    append_csv_field(r, e.source_id);
    r.push_back(',');
    r += to_string(e.schema);
    r.push_back(',');
    append_csv_field(r, e.caption());
    r.push_back(',');
    append_csv_field(r, m.matched_name);
    r.push_back(',');
    r += to_string(m.matched_kind);
    r.push_back(',');
    std::string programs;
    for (const auto& p : e.programs) programs += (programs.empty() ? "" : ";") + p;
    append_csv_field(r, programs);
    r.push_back(',');
    append_csv_field(r, m.explanation());
    r.push_back('\n');
    out.write(r);
}

void write_no_match_ndjson(OutBuffer& out, std::string_view query_id, const Query& q) {
    std::string j;
    append_query_json(j, query_id, q);
    j += ",\"rank\":0,\"matches\":0}\n";
    out.write(j);
}

void write_no_match_csv(OutBuffer& out, std::string_view query_id, const Query& q) {
    std::string r;
    append_csv_field(r, query_id);
    r.push_back(',');
    append_csv_field(r, q.name);
    r += ",0,,false,,,,,,,,,,\n";
    out.write(r);
}

void append_entity_json(std::string& j, const Entity& e) {
    j += "{\"id\":";
    append_json_string(j, e.source_id);
    j += ",\"schema\":";
    append_json_string(j, to_string(e.schema));
    j += ",\"caption\":";
    append_json_string(j, e.caption());
    for (const NameKind k : {NameKind::primary, NameKind::alias, NameKind::weak_alias, NameKind::former}) {
        std::vector<std::string> v;
        for (const auto& n : e.names)
            if (n.kind == k) v.push_back(n.text);
        if (v.empty()) continue;
        j += ",\"";
        j += k == NameKind::primary      ? "names"
             : k == NameKind::alias      ? "aliases"
             : k == NameKind::weak_alias ? "weak_aliases"
                                         : "former_names";
        j += "\":";
        append_json_array(j, v);
    }
    if (!e.ids.empty()) {
        j += ",\"identifiers\":[";
        for (std::size_t i = 0; i < e.ids.size(); ++i) {
            if (i > 0) j.push_back(',');
            j += "{\"kind\":";
            append_json_string(j, to_string(e.ids[i].kind));
            j += ",\"value\":";
            append_json_string(j, e.ids[i].value);
            j.push_back('}');
        }
        j.push_back(']');
    }
    if (!e.flag.empty()) {
        j += ",\"flag\":";
        append_json_string(j, e.flag);
    }
    if (!e.former_flags.empty()) {
        j += ",\"former_flags\":";
        append_json_array(j, e.former_flags);
    }
    if (!e.countries.empty()) {
        j += ",\"countries\":";
        append_json_array(j, e.countries);
    }
    if (!e.programs.empty()) {
        j += ",\"programs\":";
        append_json_array(j, e.programs);
    }
    if (!e.links.empty()) {
        j += ",\"links\":[";
        for (std::size_t i = 0; i < e.links.size(); ++i) {
            if (i > 0) j.push_back(',');
            j += "{\"relation\":";
            append_json_string(j, e.links[i].relation);
            if (!e.links[i].target_id.empty()) {
                j += ",\"id\":";
                append_json_string(j, e.links[i].target_id);
            }
            j += ",\"name\":";
            append_json_string(j, e.links[i].target_name);
            j.push_back('}');
        }
        j.push_back(']');
    }
    if (!e.listed_on.empty()) {
        j += ",\"listed_on\":";
        append_json_string(j, e.listed_on);
    }
    j.push_back('}');
}

void write_diff_ndjson(OutBuffer& out, const ListDiff& d) {
    std::string j;
    for (const Entity* e : d.added) {
        j = "{\"change\":\"added\",\"entity\":";
        append_entity_json(j, *e);
        j += "}\n";
        out.write(j);
    }
    for (const Entity* e : d.removed) {
        j = "{\"change\":\"removed\",\"entity\":";
        append_entity_json(j, *e);
        j += "}\n";
        out.write(j);
    }
    for (const auto& c : d.changed) {
        j = "{\"change\":\"changed\",\"fields\":";
        append_json_array(j, c.fields);
        j += ",\"before\":";
        append_entity_json(j, *c.before);
        j += ",\"after\":";
        append_entity_json(j, *c.after);
        j += "}\n";
        out.write(j);
    }
}

void write_diff_text(OutBuffer& out, const ListDiff& d) {
    const auto line = [&](char mark, const Entity& e, const std::string& extra) {
        std::string s(1, mark);
        s += " " + e.source_id + "\t" + std::string(to_string(e.schema)) + "\t" + e.caption();
        if (!extra.empty()) s += "\t(" + extra + ")";
        s.push_back('\n');
        out.write(utf8_replacing(s));  // list files' bytes as they are: UTF-8 out, U+FFFD for the rest
    };
    for (const Entity* e : d.added) line('+', *e, "");
    for (const Entity* e : d.removed) line('-', *e, "");
    for (const auto& c : d.changed) {
        std::string f;
        for (const auto& x : c.fields) f += (f.empty() ? "" : ", ") + x;
        line('~', *c.after, f);
    }
}

}  // namespace vw::screen
