// FollowTheMoney JSON lines (OpenSanctions entities.ftm.json): one {"id", "schema", "properties": {prop:
// [values]}} per line. Vessel, Company, Organization, Person, LegalEntity and Airplane become entities;
// Sanction adds programs and the listing date to its entity; Ownership links owner and asset. Other
// schemas (Address, Family, Directorship, ...) are counted as not screened. A malformed line is skipped,
// counted and noted with its line number.
#include <simdjson.h>

#include <string>
#include <unordered_map>

#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

struct Pending {
    std::vector<std::string> entities;
    std::vector<std::string> programs;
    std::string listed_on;
};

struct OwnershipEdge {
    std::string owner;
    std::string asset;
};

std::optional<Schema> screened_schema(std::string_view s) {
    if (s == "Vessel") return Schema::vessel;
    if (s == "Company") return Schema::company;
    if (s == "Organization") return Schema::organization;
    if (s == "Person") return Schema::person;
    if (s == "LegalEntity") return Schema::legal_entity;
    if (s == "Airplane") return Schema::airplane;
    return std::nullopt;
}

void add_unique(std::vector<std::string>& v, std::string s) {
    if (s.empty()) return;
    for (const auto& have : v)
        if (have == s) return;
    v.push_back(std::move(s));
}

}  // namespace

void parse_ftm_json(std::string_view data, const std::string& name, LoadedList& out) {
    LoadReport& rep = out.report;
    simdjson::ondemand::parser parser;
    std::string buf;
    std::vector<Pending> sanctions;
    std::vector<OwnershipEdge> ownerships;
    std::unordered_map<std::string, std::size_t> index;
    std::uint64_t good = 0;
    std::uint64_t line_no = 0;
    std::size_t pos = 0;
    while (pos < data.size()) {
        // LF, CRLF and a lone CR each end one line (as io::LineReader): a file with CR line ends is
        // read line by line, not as one line whose first object hides the others
        auto nl = data.find_first_of("\r\n", pos);
        if (nl == std::string_view::npos) nl = data.size();
        std::string_view line = data.substr(pos, nl - pos);
        pos = nl + 1;
        if (nl + 1 < data.size() && data[nl] == '\r' && data[nl + 1] == '\n') ++pos;
        ++line_no;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (line.empty()) continue;
        ++rep.records;
        const std::string where = name + ":" + std::to_string(line_no) + ": ";
        buf.assign(line);
        buf.append(simdjson::SIMDJSON_PADDING, ' ');
        std::string error;
        try {
            simdjson::ondemand::document doc = parser.iterate(buf.data(), line.size(), buf.size());
            simdjson::ondemand::object obj = doc.get_object();
            std::string id, schema_name;
            // Fields in document order; "properties" is read into a map of arrays.
            std::vector<std::pair<std::string, std::vector<std::string>>> props;
            for (auto field : obj) {
                const std::string_view key = field.unescaped_key();
                if (key == "id") {
                    id = std::string(std::string_view(field.value().get_string()));
                } else if (key == "schema") {
                    schema_name = std::string(std::string_view(field.value().get_string()));
                } else if (key == "properties") {
                    for (auto p : field.value().get_object()) {
                        std::pair<std::string, std::vector<std::string>> entry;
                        entry.first = std::string(std::string_view(p.unescaped_key()));
                        for (auto v : p.value().get_array())
                            entry.second.emplace_back(std::string_view(v.get_string()));
                        props.push_back(std::move(entry));
                    }
                }
            }
            // after the object the document must be at its end (simdjson: OUT_OF_BOUNDS)
            if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
                error = "text after the JSON object";
            } else if (id.empty() || schema_name.empty()) {
                error = "entity without \"id\" or \"schema\"";
            } else {
                ++good;
                const auto values = [&](std::string_view prop) -> const std::vector<std::string>& {
                    static const std::vector<std::string> kNone;
                    for (const auto& [k, v] : props)
                        if (k == prop) return v;
                    return kNone;
                };
                if (schema_name == "Sanction") {
                    Pending s;
                    s.entities = values("entity");
                    for (const char* prop : {"program", "programId"})
                        for (const auto& v : values(prop)) add_unique(s.programs, v);
                    if (!values("authority").empty() && s.programs.empty())
                        s.programs.push_back(values("authority")[0]);
                    for (const char* prop : {"listingDate", "startDate"})
                        if (s.listed_on.empty() && !values(prop).empty()) s.listed_on = values(prop)[0];
                    sanctions.push_back(std::move(s));
                } else if (schema_name == "Ownership") {
                    for (const auto& o : values("owner"))
                        for (const auto& a : values("asset")) ownerships.push_back(OwnershipEdge{o, a});
                } else if (auto schema = screened_schema(schema_name)) {
                    Entity e;
                    e.source_id = id;
                    e.schema = *schema;
                    const auto names = [&](std::string_view prop, NameKind kind) {
                        for (const auto& v : values(prop)) {
                            bool dup = false;
                            for (const auto& n : e.names) dup = dup || n.text == v;
                            if (dup || v.empty()) continue;
                            const bool first_primary = kind == NameKind::primary && !e.names.empty();
                            e.names.push_back(Name{v, first_primary ? NameKind::alias : kind});
                        }
                    };
                    names("name", NameKind::primary);
                    names("alias", NameKind::alias);
                    names("previousName", NameKind::former);
                    names("weakAlias", NameKind::weak_alias);
                    const auto ids = [&](std::string_view prop, IdKind kind) {
                        for (const auto& v : values(prop)) {
                            std::optional<std::string> norm = v;
                            if (kind == IdKind::imo)
                                norm = normalize_imo(v);
                            else if (kind == IdKind::mmsi)
                                norm = normalize_mmsi(v);
                            else if (kind == IdKind::call_sign)
                                norm = normalize_call_sign(v);
                            if (norm && !norm->empty())
                                e.ids.push_back(Identifier{kind, *norm, std::string(prop)});
                        }
                    };
                    ids("imoNumber", IdKind::imo);
                    ids("mmsi", IdKind::mmsi);
                    ids("callSign", IdKind::call_sign);
                    ids("registrationNumber", IdKind::registration);
                    ids("ogrnCode", IdKind::registration);
                    ids("innCode", IdKind::tax);
                    ids("taxNumber", IdKind::tax);
                    ids("passportNumber", IdKind::passport);
                    ids("idNumber", IdKind::national_id);
                    for (const char* prop : {"country", "nationality", "citizenship", "jurisdiction"})
                        for (const auto& v : values(prop))
                            add_unique(e.countries, country_code(v).value_or(v));
                    if (!values("flag").empty())
                        e.flag = country_code(values("flag")[0]).value_or(values("flag")[0]);
                    for (const auto& v : values("pastFlags"))
                        add_unique(e.former_flags, country_code(v).value_or(v));
                    for (const auto& v : values("programId")) add_unique(e.programs, v);
                    if (!values("notes").empty()) e.remarks = values("notes")[0];
                    if (e.names.empty()) {
                        ++rep.skipped;
                        rep.note(where + "entity " + id + " has no name (skipped)");
                    } else {
                        index.emplace(e.source_id, out.entities.size());
                        out.entities.push_back(std::move(e));
                    }
                } else {
                    ++rep.not_screened;
                }
            }
        } catch (const simdjson::simdjson_error& ex) {
            error = std::string("invalid JSON: ") + simdjson::error_message(ex.error());
        }
        if (!error.empty()) {
            ++rep.skipped;
            rep.note(where + error + " (line skipped)");
        }
    }
    if (good == 0 && rep.records > 0)
        throw InputError(SourceLocation{name, 1},
                         "not FollowTheMoney JSON lines: " +
                             (rep.notes.empty() ? std::string("no entity") : rep.notes.front()));
    for (const auto& s : sanctions) {
        for (const auto& target : s.entities) {
            const auto it = index.find(target);
            if (it == index.end()) {
                ++rep.orphans;
                rep.note(name + ": Sanction of entity " + target + " that is not in the file (orphan)");
                continue;
            }
            Entity& e = out.entities[it->second];
            for (const auto& p : s.programs) add_unique(e.programs, p);
            if (e.listed_on.empty() || (!s.listed_on.empty() && s.listed_on < e.listed_on))
                e.listed_on = s.listed_on;
        }
    }
    for (const auto& o : ownerships) {
        const auto owner = index.find(o.owner);
        const auto asset = index.find(o.asset);
        if (owner == index.end() && asset == index.end()) {
            ++rep.orphans;
            continue;
        }
        if (asset != index.end())
            out.entities[asset->second].links.push_back(
                Link{"owned_by", o.owner, owner != index.end() ? out.entities[owner->second].caption() : ""});
        if (owner != index.end())
            out.entities[owner->second].links.push_back(
                Link{"owns", o.asset, asset != index.end() ? out.entities[asset->second].caption() : ""});
    }
    rep.entities += out.entities.size();
}

}  // namespace vw::screen
