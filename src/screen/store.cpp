#include "vesselwatch/screen/store.hpp"

#include <algorithm>
#include <ctime>
#include <map>

#include "sql_rows.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

constexpr char kModule[] = "screen";
constexpr char kSep = '\n';  // list-valued columns: values joined by newlines

constexpr char kSchemaSql[] = R"SQL(
CREATE TABLE IF NOT EXISTS screen_list(
  id INTEGER PRIMARY KEY,
  format TEXT NOT NULL, source TEXT NOT NULL, file TEXT NOT NULL, companions TEXT NOT NULL,
  publication_date TEXT NOT NULL, sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL,
  imported_at TEXT NOT NULL, records INTEGER NOT NULL, entities INTEGER NOT NULL, skipped INTEGER NOT NULL,
  orphans INTEGER NOT NULL, without_companion INTEGER NOT NULL, not_screened INTEGER NOT NULL,
  notes TEXT NOT NULL, active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS screen_entity(
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES screen_list(id) ON DELETE CASCADE,
  source_id TEXT NOT NULL, schema TEXT NOT NULL, caption TEXT NOT NULL, flag TEXT NOT NULL,
  former_flags TEXT NOT NULL, countries TEXT NOT NULL, programs TEXT NOT NULL, listed_on TEXT NOT NULL,
  remarks TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS screen_entity_list ON screen_entity(list_id, source_id);
CREATE TABLE IF NOT EXISTS screen_name(
  entity_id INTEGER NOT NULL REFERENCES screen_entity(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS screen_name_entity ON screen_name(entity_id);
CREATE TABLE IF NOT EXISTS screen_identifier(
  entity_id INTEGER NOT NULL REFERENCES screen_entity(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS screen_identifier_entity ON screen_identifier(entity_id);
CREATE INDEX IF NOT EXISTS screen_identifier_value ON screen_identifier(kind, value);
CREATE TABLE IF NOT EXISTS screen_link(
  entity_id INTEGER NOT NULL REFERENCES screen_entity(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, relation TEXT NOT NULL, target_id TEXT NOT NULL, target_name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS screen_link_entity ON screen_link(entity_id);
CREATE TABLE IF NOT EXISTS screen_match(
  id INTEGER PRIMARY KEY,
  subject_kind TEXT NOT NULL, subject_key TEXT NOT NULL, queried_name TEXT NOT NULL,
  entity_id INTEGER NOT NULL REFERENCES screen_entity(id) ON DELETE CASCADE,
  list_id INTEGER NOT NULL REFERENCES screen_list(id) ON DELETE CASCADE,
  score REAL NOT NULL, matched_name TEXT NOT NULL, explanation TEXT NOT NULL, screened_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS screen_match_subject ON screen_match(subject_kind, subject_key);
)SQL";

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out.push_back(kSep);
        out += s;
    }
    return out;
}

std::vector<std::string> split(std::string_view s) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        const auto p = s.find(kSep, start);
        out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

ListStore::ListStore(db::Database& db) : db_(db) {
    const int v = db_.module_version(kModule);
    if (v > kSchemaVersion)
        throw IoError(SourceLocation{db_.path()}, "the sanctions tables have schema version " +
                                                      std::to_string(v) + ", newer than this program's " +
                                                      std::to_string(kSchemaVersion));
    if (v == 0) {
        db::Transaction tx(db_);
        db_.exec(kSchemaSql);
        db_.set_module_version(kModule, kSchemaVersion);
        tx.commit();
    }
}

ImportResult ListStore::import(const LoadedList& list) {
    ImportResult r;
    db::Transaction tx(db_);
    {
        auto st =
            db_.prepare("SELECT id FROM screen_list WHERE sha256 = ?1 AND source = ?2 AND companions = ?3");
        sql::bind_row(st, list.info.sha256, list.info.source, join(list.info.companion_files));
        if (st.step()) {
            r.list_id = st.int64(0);
            r.already_present = true;
            return r;
        }
    }
    {
        auto st = db_.prepare("UPDATE screen_list SET active = 0 WHERE source = ?1 AND active = 1");
        sql::write_row(st, list.info.source);
        r.deactivated = db_.changes();
    }
    const LoadReport& rep = list.report;
    auto ins = db_.prepare(
        "INSERT INTO screen_list(format, source, file, companions, publication_date, sha256, size_bytes, "
        "imported_at, records, entities, skipped, orphans, without_companion, not_screened, notes, active) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,1)");
    sql::write_row(ins, to_string(list.info.format), list.info.source, list.info.file,
                   join(list.info.companion_files), list.info.publication_date, list.info.sha256,
                   list.info.size_bytes, now_utc(), rep.records, list.entities.size(), rep.skipped,
                   rep.orphans, rep.without_companion, rep.not_screened, join(rep.notes));
    r.list_id = db_.last_insert_rowid();
    auto ent = db_.prepare(
        "INSERT INTO screen_entity(list_id, source_id, schema, caption, flag, former_flags, countries, "
        "programs, listed_on, remarks) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
    auto nm = db_.prepare("INSERT INTO screen_name(entity_id, seq, kind, name) VALUES(?1,?2,?3,?4)");
    auto idt = db_.prepare(
        "INSERT INTO screen_identifier(entity_id, seq, kind, value, label) VALUES(?1,?2,?3,?4,?5)");
    auto lk = db_.prepare(
        "INSERT INTO screen_link(entity_id, seq, relation, target_id, target_name) VALUES(?1,?2,?3,?4,?5)");
    for (const auto& e : list.entities) {
        sql::write_row(ent, r.list_id, e.source_id, to_string(e.schema), e.caption(), e.flag,
                       join(e.former_flags), join(e.countries), join(e.programs), e.listed_on, e.remarks);
        const std::int64_t eid = db_.last_insert_rowid();
        for (std::size_t i = 0; i < e.names.size(); ++i)
            sql::write_row(nm, eid, i, to_string(e.names[i].kind), e.names[i].text);
        for (std::size_t i = 0; i < e.ids.size(); ++i)
            sql::write_row(idt, eid, i, to_string(e.ids[i].kind), e.ids[i].value, e.ids[i].label);
        for (std::size_t i = 0; i < e.links.size(); ++i)
            sql::write_row(lk, eid, i, e.links[i].relation, e.links[i].target_id, e.links[i].target_name);
    }
    tx.commit();
    return r;
}

std::vector<StoredList> ListStore::lists() {
    std::vector<StoredList> out;
    auto st = db_.prepare(
        "SELECT id, format, source, file, companions, publication_date, sha256, size_bytes, imported_at, "
        "records, "
        "entities, skipped, orphans, without_companion, not_screened, notes, active FROM screen_list ORDER "
        "BY id");
    while (st.step()) {
        StoredList l;
        l.id = st.int64(0);
        l.info.format = list_format_from_string(st.text(1)).value_or(ListFormat::ofac_csv);
        l.info.source = st.text(2);
        l.info.file = st.text(3);
        l.info.companion_files = split(st.text(4));
        l.info.publication_date = st.text(5);
        l.info.sha256 = st.text(6);
        l.info.size_bytes = static_cast<std::uint64_t>(st.int64(7));
        l.imported_at = st.text(8);
        l.report.records = static_cast<std::uint64_t>(st.int64(9));
        l.report.entities = static_cast<std::uint64_t>(st.int64(10));
        l.report.skipped = static_cast<std::uint64_t>(st.int64(11));
        l.report.orphans = static_cast<std::uint64_t>(st.int64(12));
        l.report.without_companion = static_cast<std::uint64_t>(st.int64(13));
        l.report.not_screened = static_cast<std::uint64_t>(st.int64(14));
        l.report.notes = split(st.text(15));
        l.active = st.int64(16) != 0;
        out.push_back(std::move(l));
    }
    return out;
}

namespace {

// Runs `sql` with ?1 = arg (when arg != 0) and calls row(st) for each result row.
template <class Row>
void for_each_row(db::Database& db, const std::string& sql, std::int64_t arg, Row&& row) {
    auto st = db.prepare(sql);
    if (arg != 0) st.bind(1, arg);
    while (st.step()) row(st);
}

// Loads the entities of the lists selected by `where` ("list_id = ?1" ...), in id order, with row ids.
void load_entities(db::Database& db, const std::string& where, std::int64_t arg, std::vector<Entity>& out,
                   std::vector<std::int64_t>& rows, std::vector<std::int64_t>& list_ids) {
    std::map<std::int64_t, std::size_t> at;
    for_each_row(
        db,
        "SELECT e.id, e.source_id, e.schema, e.flag, e.former_flags, e.countries, e.programs, "
        "e.listed_on, e.remarks, e.list_id FROM screen_entity e JOIN screen_list l ON l.id = e.list_id "
        "WHERE " +
            where + " ORDER BY e.id",
        arg, [&](const db::Statement& st) {
            Entity e;
            e.source_id = st.text(1);
            e.schema = schema_from_string(st.text(2)).value_or(Schema::legal_entity);
            e.flag = st.text(3);
            e.former_flags = split(st.text(4));
            e.countries = split(st.text(5));
            e.programs = split(st.text(6));
            e.listed_on = st.text(7);
            e.remarks = st.text(8);
            at[st.int64(0)] = out.size();
            rows.push_back(st.int64(0));
            list_ids.push_back(st.int64(9));
            out.push_back(std::move(e));
        });
    const std::string sub =
        "SELECT e.id FROM screen_entity e JOIN screen_list l ON l.id = e.list_id WHERE " + where;
    const auto children = [&](const char* columns, const char* table) {
        return std::string("SELECT entity_id, ") + columns + " FROM " + table + " WHERE entity_id IN (" +
               sub + ") ORDER BY entity_id, seq";
    };
    for_each_row(db, children("kind, name", "screen_name"), arg, [&](const db::Statement& st) {
        out[at.at(st.int64(0))].names.push_back(
            Name{std::string(st.text(2)), name_kind_from_string(st.text(1)).value_or(NameKind::alias)});
    });
    for_each_row(db, children("kind, value, label", "screen_identifier"), arg, [&](const db::Statement& st) {
        out[at.at(st.int64(0))].ids.push_back(
            Identifier{id_kind_from_string(st.text(1)).value_or(IdKind::other), std::string(st.text(2)),
                       std::string(st.text(3))});
    });
    for_each_row(db, children("relation, target_id, target_name", "screen_link"), arg,
                 [&](const db::Statement& st) {
                     out[at.at(st.int64(0))].links.push_back(
                         Link{std::string(st.text(1)), std::string(st.text(2)), std::string(st.text(3))});
                 });
}

}  // namespace

std::vector<Entity> ListStore::entities(std::int64_t list_id) {
    std::vector<Entity> out;
    std::vector<std::int64_t> rows, lists;
    load_entities(db_, "e.list_id = ?1", list_id, out, rows, lists);
    return out;
}

StoreScreener ListStore::screener(bool active_only) {
    StoreScreener s;
    std::map<std::int64_t, ListRef> refs;
    for (auto& l : lists()) {
        if (active_only && !l.active) continue;
        refs[l.id] = ListRef{l.id, l.info};
    }
    std::vector<Entity> all;
    std::vector<std::int64_t> rows, list_ids;
    load_entities(db_, active_only ? "l.active = 1" : "1 = 1", 0, all, rows, list_ids);
    // one add_list per list, in list order (entities are in id order, so grouped by list)
    std::size_t i = 0;
    while (i < all.size()) {
        std::size_t j = i;
        std::vector<Entity> part;
        while (j < all.size() && list_ids[j] == list_ids[i]) {
            part.push_back(std::move(all[j]));
            s.entity_rows.push_back(rows[j]);
            ++j;
        }
        s.screener.add_list(refs[list_ids[i]], std::move(part));
        i = j;
    }
    s.screener.build();
    return s;
}

void ListStore::store_identity_matches(const VesselIdentity& identity,
                                       const std::vector<IdentityMatch>& matches,
                                       const StoreScreener& screener) {
    db::Transaction tx(db_);
    auto del =
        db_.prepare("DELETE FROM screen_match WHERE subject_kind = 'vessel_identity' AND subject_key = ?1");
    sql::write_row(del, identity.key);
    auto ins = db_.prepare(
        "INSERT INTO screen_match(subject_kind, subject_key, queried_name, entity_id, list_id, score, "
        "matched_name, "
        "explanation, screened_at) VALUES('vessel_identity',?1,?2,?3,?4,?5,?6,?7,?8)");
    const std::string now = now_utc();
    for (const auto& m : matches)
        sql::write_row(ins, identity.key, m.queried_name, screener.entity_rows.at(m.match.entity),
                       screener.screener.list_of(m.match.entity).list_id, m.match.score, m.match.matched_name,
                       m.match.explanation(), now);
    tx.commit();
}

std::vector<ListStore::StoredMatch> ListStore::identity_matches(const std::string& key) {
    std::vector<StoredMatch> out;
    auto st = db_.prepare(
        "SELECT m.entity_id, m.list_id, m.score, m.matched_name, m.queried_name, m.explanation, l.source, "
        "l.sha256, "
        "m.screened_at FROM screen_match m JOIN screen_list l ON l.id = m.list_id "
        "WHERE m.subject_kind = 'vessel_identity' AND m.subject_key = ?1 ORDER BY m.score DESC, m.id");
    st.bind(1, key);
    while (st.step()) {
        StoredMatch m;
        m.entity_row = st.int64(0);
        m.list_id = st.int64(1);
        m.score = st.real(2);
        m.matched_name = st.text(3);
        m.queried_name = st.text(4);
        m.explanation = st.text(5);
        m.list_source = st.text(6);
        m.list_sha256 = st.text(7);
        m.screened_at = st.text(8);
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<IdentityMatch> screen_vessel_identity(const Screener& screener, const VesselIdentity& identity,
                                                  double threshold) {
    ScreenOptions opt;
    opt.min_score = threshold;
    opt.top_k = ScreenOptions::kDefaultTopK;
    std::map<std::uint32_t, IdentityMatch> best;
    const auto run = [&](const std::string& name) {
        Query q;
        q.name = name;
        q.type = QueryType::vessel;
        q.imo = identity.imo;
        q.mmsi = identity.mmsi;
        q.call_sign = identity.call_sign;
        q.country = identity.flag;
        for (auto& m : screener.screen(q, opt)) {
            auto it = best.find(m.entity);
            if (it == best.end() || m.score > it->second.match.score)
                best[m.entity] = IdentityMatch{std::move(m), name};
        }
    };
    if (identity.names.empty()) run("");
    for (const auto& n : identity.names) run(n);
    std::vector<IdentityMatch> out;
    for (auto& [e, m] : best) out.push_back(std::move(m));
    std::sort(out.begin(), out.end(), [](const IdentityMatch& a, const IdentityMatch& b) {
        return a.match.score != b.match.score ? a.match.score > b.match.score
                                              : a.match.entity < b.match.entity;
    });
    return out;
}

std::vector<IdentityMatch> screen_and_store_vessel_identity(ListStore& store, const StoreScreener& screener,
                                                            const VesselIdentity& identity,
                                                            double threshold) {
    auto matches = screen_vessel_identity(screener.screener, identity, threshold);
    store.store_identity_matches(identity, matches, screener);
    return matches;
}

}  // namespace vw::screen
