// UK CSV lists (loaders.hpp: parse_uk_csv): the OFSI Consolidated List (ConList.csv) and the FCDO UK
// Sanctions List CSV. Both have one row per name; the rows of one designation share its id ("Group ID",
// "Unique ID") and need not be adjacent. Columns are looked up by header name.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>

#include "entity_build.hpp"
#include "vesselwatch/screen/csv_records.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

constexpr std::size_t kMaxPreambleRecords = 3;  // header within the first three records
constexpr std::size_t kNameParts = 6;

std::string lower_ascii(std::string_view s) {
    std::string out(build::trim(s));
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Column positions by (lower-case) header name; the first of several spellings that is present wins.
class Columns {
public:
    explicit Columns(const std::vector<std::string>& header) {
        for (std::size_t i = 0; i < header.size(); ++i) at_.emplace(lower_ascii(header[i]), i);
    }
    [[nodiscard]] std::optional<std::size_t> find(std::initializer_list<std::string_view> names) const {
        for (const auto n : names)
            if (auto it = at_.find(std::string(n)); it != at_.end()) return it->second;
        return std::nullopt;
    }
    // The first column whose name contains `part` ("imo number", "ship imo number", "vessel imo number").
    [[nodiscard]] std::optional<std::size_t> containing(std::string_view part) const {
        std::optional<std::size_t> best;
        for (const auto& [n, i] : at_)
            if (n.find(part) != std::string::npos && (!best || i < *best)) best = i;
        return best;
    }

private:
    std::unordered_map<std::string, std::size_t> at_;
};

struct Layout {
    std::optional<std::size_t> id, name_parts[kNameParts], name_type, alias_quality, non_latin, group_type,
        regime, listed_on, other_info, nationality, country, address_country, country_of_birth, passport,
        national_id, registration, imo, flag, previous_flags, owner, un_reference, title;

    explicit Layout(const Columns& c) {
        id = c.find({"unique id", "group id"});
        for (std::size_t k = 0; k < kNameParts; ++k)
            name_parts[k] = c.find({std::string_view(kNameHeaders[k])});
        name_type = c.find({"alias type", "name type"});
        alias_quality = c.find({"alias quality", "alias strength"});
        non_latin = c.find({"name non-latin script", "name non latin script"});
        group_type = c.find({"group type", "designation type", "individual, entity, ship"});
        regime = c.find({"regime", "regime name"});
        listed_on = c.find({"listed on", "date designated", "uk sanctions list date designated"});
        other_info = c.find({"other information"});
        nationality = c.find({"nationality", "nationality(/ies)"});
        country = c.find({"country"});
        address_country = c.find({"address country"});
        country_of_birth = c.find({"country of birth"});
        passport = c.find({"passport number", "passport no"});
        national_id = c.find({"national identification number", "national identifier number", "ni number"});
        registration = c.find({"business registration number (s)", "business registration number(s)",
                               "business registration number"});
        imo = c.containing("imo number");
        flag = c.find({"current believed flag of ship", "flag of ship", "vessel flag", "flag"});
        previous_flags = c.find({"previous flags", "previous flag"});
        owner = c.find({"current owner/operator (s)", "current owner/operator(s)", "vessel owner"});
        un_reference = c.find({"un reference number"});
        title = c.find({"title"});
    }

    static constexpr std::array<const char*, kNameParts> kNameHeaders = {"name 1", "name 2", "name 3",
                                                                         "name 4", "name 5", "name 6"};
};

std::string_view field(const std::vector<std::string>& row, const std::optional<std::size_t>& col) {
    if (!col || *col >= row.size()) return {};
    return build::trim(row[*col]);
}

// OFSI writes an empty name part as an empty field; some exports carry a literal "0" instead.
std::string_view name_part(const std::vector<std::string>& row, const std::optional<std::size_t>& col) {
    const std::string_view v = field(row, col);
    return v == "0" ? std::string_view() : v;
}

bool contains_ci(std::string_view text, std::string_view needle) {
    return lower_ascii(text).find(needle) != std::string::npos;
}

NameKind kind_of(std::string_view name_type, std::string_view quality) {
    if (name_type.empty() || (contains_ci(name_type, "primary name") && !contains_ci(name_type, "variation")))
        return NameKind::primary;
    if (contains_ci(name_type, "previous") || contains_ci(name_type, "former") ||
        contains_ci(name_type, "f.k.a") || contains_ci(name_type, "fka"))
        return NameKind::former;
    if (contains_ci(quality, "low")) return NameKind::weak_alias;
    return NameKind::alias;
}

Schema schema_of(std::string_view group_type) {
    const std::string t = lower_ascii(group_type);
    if (t == "individual") return Schema::person;
    if (t == "ship" || t == "vessel") return Schema::vessel;
    return Schema::legal_entity;
}

// "Previous flags" may list several, separated by commas, semicolons or "|"; numbered "(1) Panama".
void add_flags(Entity& e, std::string_view text) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != ',' && text[i] != ';' && text[i] != '|') continue;
        std::string_view part = build::trim(text.substr(start, i - start));
        if (!part.empty() && part.front() == '(') {
            const auto close = part.find(')');
            if (close != std::string_view::npos) part = build::trim(part.substr(close + 1));
        }
        if (!part.empty()) {
            std::string c = country_code(part).value_or(std::string(part));
            if (std::find(e.former_flags.begin(), e.former_flags.end(), c) == e.former_flags.end())
                e.former_flags.push_back(std::move(c));
        }
        start = i + 1;
    }
}

// The date of a preamble line: "Last Updated,29/11/2026" or "Report Date: 13-Feb-2026".
std::string preamble_date(const std::vector<std::string>& row) {
    for (const auto& f : row) {
        std::string d = build::iso_date(f, true);
        if (d.size() == 10 && d[4] == '-' && d[7] == '-') return d;
    }
    return {};
}

bool is_header(const std::vector<std::string>& row) {
    bool name6 = false, id = false;
    for (const auto& f : row) {
        const std::string l = lower_ascii(f);
        name6 = name6 || l == "name 6";
        id = id || l == "group id" || l == "unique id";
    }
    return name6 && id;
}

}  // namespace

bool looks_like_uk_csv(std::string_view head) noexcept {
    try {
        CsvRecords rows(head);
        std::vector<std::string> f;
        for (std::size_t i = 0; i < kMaxPreambleRecords; ++i) {
            if (rows.next(f) != CsvRecords::Status::record) return false;
            if (is_header(f)) return true;
        }
    } catch (...) {
    }
    return false;
}

void parse_uk_csv(std::string_view data, const std::string& name, LoadedList& out) {
    CsvRecords rows(data);
    std::vector<std::string> f;
    std::optional<Layout> layout;
    std::size_t header_fields = 0;
    for (std::size_t i = 0; i < kMaxPreambleRecords && !layout; ++i) {
        const auto st = rows.next(f);
        if (st == CsvRecords::Status::end) break;
        if (st == CsvRecords::Status::bad) continue;
        if (is_header(f)) {
            layout.emplace(Columns(f));
            header_fields = f.size();
        } else if (out.info.publication_date.empty()) {
            out.info.publication_date = preamble_date(f);
        }
    }
    if (!layout)
        throw InputError(SourceLocation{name, rows.line()},
                         "no UK list header in the first lines (expected the columns 'Name 6' and "
                         "'Group ID' or 'Unique ID')");
    const Layout& L = *layout;
    std::unordered_map<std::string, std::size_t> by_id;
    const std::size_t first = out.entities.size();
    for (;;) {
        const auto st = rows.next(f);
        if (st == CsvRecords::Status::end) break;
        if (st == CsvRecords::Status::bad) {
            ++out.report.skipped;
            out.report.note(name + ":" + std::to_string(rows.line()) + ": " + rows.error());
            continue;
        }
        if (f.size() == 1 && build::trim(f[0]).empty()) continue;  // blank line
        ++out.report.records;
        if (has_control_bytes(f)) {
            ++out.report.skipped;
            out.report.note(name + ":" + std::to_string(rows.line()) +
                            ": control bytes in the record: binary garbage (skipped)");
            continue;
        }
        if (f.size() != header_fields) {
            ++out.report.skipped;
            out.report.note(name + ":" + std::to_string(rows.line()) + ": " + std::to_string(f.size()) +
                            " fields, expected " + std::to_string(header_fields) + " (skipped)");
            continue;
        }
        const std::string id(field(f, L.id));
        if (id.empty()) {
            ++out.report.skipped;
            out.report.note(name + ":" + std::to_string(rows.line()) + ": row without an id (skipped)");
            continue;
        }
        auto [it, fresh] = by_id.emplace(id, out.entities.size());
        if (fresh) {
            Entity e;
            e.source_id = id;
            e.schema = schema_of(field(f, L.group_type));
            out.entities.push_back(std::move(e));
        }
        Entity& e = out.entities[it->second];
        // Name 1..5 are the given and middle names, Name 6 the family name or the entity's name.
        std::string full = build::join_names({name_part(f, L.name_parts[0]), name_part(f, L.name_parts[1]),
                                              name_part(f, L.name_parts[2]), name_part(f, L.name_parts[3]),
                                              name_part(f, L.name_parts[4]), name_part(f, L.name_parts[5])});
        build::add_name(e, std::move(full), kind_of(field(f, L.name_type), field(f, L.alias_quality)));
        build::add_name(e, std::string(field(f, L.non_latin)), NameKind::alias);
        build::add_program(e, field(f, L.regime));
        if (e.listed_on.empty()) e.listed_on = build::iso_date(field(f, L.listed_on), true);
        if (e.remarks.empty()) e.remarks = field(f, L.other_info);
        build::add_country(e, field(f, L.nationality));
        build::add_country(e, field(f, L.country));
        build::add_country(e, field(f, L.address_country));
        build::add_country(e, field(f, L.country_of_birth));
        build::add_id(e, IdKind::passport, std::string(field(f, L.passport)), "Passport Number");
        build::add_id(e, IdKind::national_id, std::string(field(f, L.national_id)),
                      "National Identification Number");
        build::add_id(e, IdKind::registration, std::string(field(f, L.registration)),
                      "Business Registration Number");
        build::add_id(e, IdKind::other, std::string(field(f, L.un_reference)), "UN Reference Number");
        if (auto imo = normalize_imo(field(f, L.imo))) build::add_id(e, IdKind::imo, *imo, "IMO number");
        // ConList has no ship columns: ships carry "(IMO number):9179842" in Other Information
        const std::string_view info = field(f, L.other_info);
        if (const auto at = lower_ascii(info).find("imo"); at != std::string::npos)
            if (auto imo = normalize_imo(info.substr(at))) build::add_id(e, IdKind::imo, *imo, "IMO number");
        if (const std::string_view flag = field(f, L.flag); !flag.empty() && e.flag.empty())
            e.flag = country_code(flag).value_or(std::string(flag));
        add_flags(e, field(f, L.previous_flags));
        if (const std::string_view owner = field(f, L.owner); !owner.empty()) {
            Link l{"owner", "", std::string(owner)};
            if (std::find(e.links.begin(), e.links.end(), l) == e.links.end())
                e.links.push_back(std::move(l));
        }
    }
    // designations whose rows carried no name at all cannot be screened
    std::size_t kept = first;
    for (std::size_t i = first; i < out.entities.size(); ++i) {
        if (out.entities[i].names.empty()) {
            ++out.report.skipped;
            out.report.note(name + ": designation " + out.entities[i].source_id +
                            " without a name (skipped)");
            continue;
        }
        if (kept != i) out.entities[kept] = std::move(out.entities[i]);
        ++kept;
    }
    out.entities.resize(kept);
    out.report.entities += kept - first;
}

}  // namespace vw::screen
