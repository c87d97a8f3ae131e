// OFAC's CSV set: sdn.csv (or cons_prim.csv) with add.csv, alt.csv and sdn_comments.csv (cons_*.csv).
// Columns (OFAC "SDN data specification"): main: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
// Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks; add: ent_num, add_num, Address,
// City/State/Province/Postal Code, Country, Add_remarks; alt: ent_num, alt_num, alt_type, alt_name,
// alt_remarks; comments: ent_num, remarks continued. "-0-" is the null value.
#include <cctype>
#include <string>
#include <unordered_map>

#include "entity_build.hpp"
#include "vesselwatch/screen/csv_records.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

constexpr std::size_t kMainColumns = 12;
constexpr std::size_t kAddColumns = 6;
constexpr std::size_t kAltColumns = 5;
constexpr std::size_t kCommentColumns = 2;
constexpr std::size_t kMaxIdChars = 20;

enum MainColumn : std::size_t {
    kEntNum = 0,
    kName = 1,
    kType = 2,
    kProgram = 3,
    kCallSign = 5,
    kVesselFlag = 9,
    kVesselOwner = 10,
    kRemarks = 11,
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
    return s;
}

// "-0-" (OFAC's null) -> "".
std::string value(const std::string& raw) {
    const std::string_view t = trim(raw);
    if (t == "-0-") return {};
    return std::string(t);
}

bool is_ent_num(std::string_view s) {
    if (s.empty() || s.size() > kMaxIdChars) return false;
    for (const char c : s)
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
    return true;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

// 'NAME' -> NAME
std::string unquote(std::string_view s) {
    s = trim(s);
    while (!s.empty() && s.back() == '.') s.remove_suffix(1);
    if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') s = s.substr(1, s.size() - 2);
    return std::string(trim(s));
}

using build::add_country;
using build::add_id;
using build::add_name;

// "7744001497 (Russia)" -> value, and the country added to the entity.
std::string id_with_country(std::string_view rest, Entity& e) {
    rest = trim(rest);
    if (auto open = rest.rfind(" ("); open != std::string_view::npos && rest.back() == ')') {
        add_country(e, rest.substr(open + 2, rest.size() - open - 3));
        rest = trim(rest.substr(0, open));
    }
    return std::string(rest);
}

struct Labelled {
    std::string_view label;
    IdKind kind;
};
constexpr Labelled kIdLabels[] = {
    {"Registration Number", IdKind::registration},
    {"Registration ID", IdKind::registration},
    {"Public Registration Number", IdKind::registration},
    {"Tax ID No.", IdKind::tax},
    {"Passport", IdKind::passport},
    {"National ID No.", IdKind::national_id},
    {"Identification Number", IdKind::other},
    {"Legal Entity Number", IdKind::other},
    {"Unified Social Credit Code (USCC)", IdKind::registration},
};

std::vector<std::string> split_programs(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : s) {
        if (c == '[' || c == ']') {
            if (!trim(cur).empty()) out.emplace_back(trim(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!trim(cur).empty()) out.emplace_back(trim(cur));
    return out;
}

Schema schema_of(std::string_view type) {
    const std::string t(trim(type));
    if (t == "individual") return Schema::person;
    if (t == "vessel") return Schema::vessel;
    if (t == "aircraft") return Schema::airplane;
    return Schema::legal_entity;
}

}  // namespace

void apply_ofac_remarks(std::string_view remarks, Entity& e) {
    std::size_t start = 0;
    while (start < remarks.size()) {
        auto end = remarks.find(';', start);
        if (end == std::string_view::npos) end = remarks.size();
        std::string_view part = trim(remarks.substr(start, end - start));
        start = end + 1;
        if (part.empty()) continue;
        if (part.size() >= 2 && part.front() == '(' && part.back() == ')')
            part = trim(part.substr(1, part.size() - 2));
        if (starts_with_nocase(part, "alt. ")) part = trim(part.substr(5));
        if (start >= remarks.size() && part.size() > 1 && part.back() == '.')
            part.remove_suffix(1);  // the final full stop

        if (starts_with_nocase(part, "a.k.a. ")) {
            add_name(e, unquote(part.substr(7)), NameKind::alias);
        } else if (starts_with_nocase(part, "f.k.a. ")) {
            add_name(e, unquote(part.substr(7)), NameKind::former);
        } else if (starts_with_nocase(part, "n.k.a. ")) {
            add_name(e, unquote(part.substr(7)), NameKind::alias);
        } else if (starts_with_nocase(part, "Linked To: ")) {
            std::string target(trim(part.substr(11)));
            while (!target.empty() && target.back() == '.') target.pop_back();
            if (!target.empty()) e.links.push_back(Link{"linked_to", "", std::move(target)});
        } else if (starts_with_nocase(part, "MMSI ")) {
            if (auto m = normalize_mmsi(part.substr(5))) add_id(e, IdKind::mmsi, *m, "MMSI");
        } else if (part.find("IMO ") != std::string_view::npos &&
                   (starts_with_nocase(part, "Vessel Registration Identification") ||
                    starts_with_nocase(part, "IMO ") ||
                    part.find("Company Number") != std::string_view::npos)) {
            if (auto imo = normalize_imo(part.substr(part.find("IMO ")))) add_id(e, IdKind::imo, *imo, "IMO");
        } else if (starts_with_nocase(part, "Former Vessel Flag ")) {
            std::string f(trim(part.substr(19)));
            e.former_flags.push_back(country_code(f).value_or(f));
        } else if (starts_with_nocase(part, "Vessel Call Sign ")) {
            if (auto cs = normalize_call_sign(part.substr(17)))
                add_id(e, IdKind::call_sign, *cs, "Call Sign");
        } else if (starts_with_nocase(part, "Nationality ")) {
            add_country(e, part.substr(12));
        } else if (starts_with_nocase(part, "nationality ")) {
            add_country(e, part.substr(12));
        } else if (starts_with_nocase(part, "Citizen ")) {
            add_country(e, part.substr(8));
        } else {
            for (const auto& l : kIdLabels) {
                if (starts_with_nocase(part, l.label) && part.size() > l.label.size() + 1 &&
                    part[l.label.size()] == ' ') {
                    add_id(e, l.kind, id_with_country(part.substr(l.label.size() + 1), e),
                           std::string(l.label));
                    break;
                }
            }
        }
    }
}

void parse_ofac_csv(const OfacCsvInput& in, LoadedList& out) {
    LoadReport& rep = out.report;
    std::vector<Entity>& ents = out.entities;
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::string> remarks;
    std::vector<std::string> fields;

    CsvRecords main(in.main);
    std::uint64_t good = 0;
    for (;;) {
        const auto st = main.next(fields);
        if (st == CsvRecords::Status::end) break;
        ++rep.records;
        const std::string where = in.main_name + ":" + std::to_string(main.line()) + ": ";
        if (st == CsvRecords::Status::bad) {
            ++rep.skipped;
            rep.note(where + main.error() + " (record skipped)");
            continue;
        }
        if (has_control_bytes(fields)) {
            ++rep.skipped;
            rep.note(where + "control bytes in the record: binary garbage (record skipped)");
            continue;
        }
        if (fields.size() != kMainColumns) {
            ++rep.skipped;
            rep.note(where + "expected " + std::to_string(kMainColumns) + " columns, found " +
                     std::to_string(fields.size()) + " (record skipped)");
            continue;
        }
        const std::string id = value(fields[kEntNum]);
        if (!is_ent_num(id)) {
            ++rep.skipped;
            rep.note(where + "ent_num '" + id.substr(0, kMaxIdChars) + "' is not a number (record skipped)");
            continue;
        }
        const std::string name = value(fields[kName]);
        if (name.empty()) {
            ++rep.skipped;
            rep.note(where + "entity " + id + " has no name (record skipped)");
            continue;
        }
        if (index.count(id) != 0) {
            ++rep.skipped;
            rep.note(where + "entity " + id + " listed twice (second record skipped)");
            continue;
        }
        ++good;
        Entity e;
        e.source_id = id;
        e.schema = schema_of(value(fields[kType]));
        add_name(e, name, NameKind::primary);
        e.programs = split_programs(value(fields[kProgram]));
        if (auto cs = normalize_call_sign(value(fields[kCallSign])))
            add_id(e, IdKind::call_sign, *cs, "Call Sign");
        if (const std::string flag = value(fields[kVesselFlag]); !flag.empty()) {
            e.flag = country_code(flag).value_or(flag);
        }
        if (const std::string owner = value(fields[kVesselOwner]); !owner.empty())
            e.links.push_back(Link{"owner", "", owner});
        index.emplace(id, ents.size());
        ents.push_back(std::move(e));
        remarks.push_back(value(fields[kRemarks]));
    }
    if (good == 0 && rep.records > 0)
        throw InputError(SourceLocation{in.main_name, 1},
                         "not an OFAC CSV file: no record has the " + std::to_string(kMainColumns) +
                             " columns of sdn.csv (" +
                             (rep.notes.empty() ? std::string() : rep.notes.front()) + ")");

    // A companion: rows keyed by ent_num; rows of entities missing from the main file are orphans.
    const auto companion = [&](std::string_view data, const std::string& name, std::size_t columns,
                               const auto& apply) {
        if (data.empty()) return;
        CsvRecords rows(data);
        std::uint64_t ok_rows = 0;
        std::uint64_t orphans = 0;
        for (;;) {
            const auto st = rows.next(fields);
            if (st == CsvRecords::Status::end) break;
            ++rep.records;
            const std::string where = name + ":" + std::to_string(rows.line()) + ": ";
            if (st == CsvRecords::Status::bad || fields.size() != columns || !is_ent_num(value(fields[0]))) {
                ++rep.skipped;
                rep.note(where +
                         (st == CsvRecords::Status::bad
                              ? rows.error()
                              : "expected " + std::to_string(columns) + " columns starting with ent_num") +
                         " (row skipped)");
                continue;
            }
            if (has_control_bytes(fields)) {
                ++rep.skipped;
                rep.note(where + "control bytes in the row: binary garbage (row skipped)");
                continue;
            }
            const auto it = index.find(value(fields[0]));
            if (it == index.end()) {
                ++orphans;
                rep.note(where + "entity " + value(fields[0]) + " is not in " + in.main_name +
                         " (orphan row)");
                continue;
            }
            ++ok_rows;
            apply(it->second, fields);
        }
        rep.orphans += orphans;
        if (ok_rows == 0 && orphans == 0 && rep.skipped > 0)
            throw InputError(SourceLocation{name, 1},
                             "not an OFAC companion file of " + std::to_string(columns) + " columns");
    };

    companion(in.comments, in.comments_name, kCommentColumns,
              [&](std::size_t i, const std::vector<std::string>& f) { remarks[i] += value(f[1]); });
    for (std::size_t i = 0; i < ents.size(); ++i) {
        ents[i].remarks = remarks[i];
        apply_ofac_remarks(remarks[i], ents[i]);
    }
    companion(in.alt, in.alt_name, kAltColumns, [&](std::size_t i, const std::vector<std::string>& f) {
        const std::string type = value(f[2]);
        const NameKind kind =
            type == "fka" ? NameKind::former : (type == "weak aka" ? NameKind::weak_alias : NameKind::alias);
        add_name(ents[i], value(f[3]), kind);
    });
    std::vector<bool> has_address(ents.size(), false);
    companion(in.add, in.add_name, kAddColumns, [&](std::size_t i, const std::vector<std::string>& f) {
        has_address[i] = true;
        add_country(ents[i], value(f[4]));
    });
    if (!in.add.empty()) {
        for (std::size_t i = 0; i < ents.size(); ++i) {
            if (has_address[i]) continue;
            ++rep.without_companion;
            rep.note(in.main_name + ": entity " + ents[i].source_id + " has no row in " + in.add_name +
                     " (companion files of another date?)");
        }
    }
    rep.entities += ents.size();
}

}  // namespace vw::screen
