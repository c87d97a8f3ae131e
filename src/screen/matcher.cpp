#include "vesselwatch/screen/matcher.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>

#include "vesselwatch/screen/loaders.hpp"

namespace vw::screen {

namespace {

constexpr std::size_t kMinDeletionChars = 4;        // tokens shorter than this are only indexed exactly
constexpr std::size_t kMaxPostingsPerToken = 3000;  // tokens this common do not generate candidates ...
constexpr std::size_t kMaxNameCandidates = 40;      // ... and at most this many names are fully compared
constexpr std::size_t kMaxSkeletonFanout = 256;     // a skeleton shared by more words proposes none
constexpr std::size_t kMaxCandidateTokens = 8;      // the longest query words propose candidates
constexpr double kImoMatchScore = 1.0;
constexpr double kMmsiMatchScore = 0.85;
constexpr double kCallSignMatchScore = 0.8;
constexpr double kImoConflictPenalty = 0.3;
constexpr double kMmsiConflictPenalty = 0.1;
constexpr double kCallSignConflictPenalty = 0.05;
constexpr double kIdAndNameBonus = 0.05;
constexpr double kCountryAgreeBonus = 0.02;
constexpr double kCountryConflictPenalty = 0.05;
constexpr double kWeakAliasFactor = 0.9;

Schema query_schema(QueryType t) {
    switch (t) {
        case QueryType::vessel:
            return Schema::vessel;
        case QueryType::person:
            return Schema::person;
        case QueryType::company:
            return Schema::company;
        case QueryType::any:
            return Schema::legal_entity;
    }
    return Schema::legal_entity;
}

struct NameRec {
    std::uint32_t entity;
    std::uint32_t name_index;
    PreparedName prepared;
};

struct Scratch {
    std::vector<std::uint32_t> name_stamp;
    std::vector<float> name_acc;
    std::vector<std::uint32_t> vocab_stamp;
    std::vector<std::uint32_t> touched;
    std::vector<std::pair<float, std::uint32_t>> ranked;
    // per-query working buffers, kept between queries to avoid allocations
    std::vector<std::string> dels;
    std::vector<std::pair<std::uint32_t, float>> token_hits;  // vocab id, similarity (per query token)
    std::vector<const std::vector<std::uint32_t>*> looked_up;
    std::vector<const NameToken*> proposing;
    std::uint32_t generation = 0;

    void begin(std::size_t names, std::size_t vocab) {
        if (name_stamp.size() < names) {
            name_stamp.resize(names, 0);
            name_acc.resize(names, 0);
        }
        if (vocab_stamp.size() < vocab) vocab_stamp.resize(vocab, 0);
        touched.clear();
        if (++generation == 0) {  // wrapped: clear everything once
            std::fill(name_stamp.begin(), name_stamp.end(), 0);
            std::fill(vocab_stamp.begin(), vocab_stamp.end(), 0);
            generation = 1;
        }
    }
};

// The token and its one-deletion variants (distinct), written into `out`'s existing strings.
void deletions(const std::string& t, std::vector<std::string>& out) {
    std::size_t n = 0;
    const auto next = [&]() -> std::string& {
        if (n == out.size()) out.emplace_back();
        return out[n++];
    };
    next().assign(t);
    if (t.size() >= kMinDeletionChars) {
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (i > 0 && t[i] == t[i - 1]) continue;  // deleting either of a doubled letter: same variant
            std::string& d = next();
            d.assign(t, 0, i);
            d.append(t, i + 1, std::string::npos);
        }
    }
    out.resize(n);
}

std::string fmt(double v) {
    std::string s;
    append_fixed2(s, v);
    return s;
}

}  // namespace

std::optional<QueryType> query_type_from_string(std::string_view s) noexcept {
    if (s == "any") return QueryType::any;
    if (s == "vessel") return QueryType::vessel;
    if (s == "company" || s == "organization" || s == "entity") return QueryType::company;
    if (s == "person" || s == "individual") return QueryType::person;
    return std::nullopt;
}

std::string_view to_string(QueryType t) noexcept {
    switch (t) {
        case QueryType::any:
            return "any";
        case QueryType::vessel:
            return "vessel";
        case QueryType::company:
            return "company";
        case QueryType::person:
            return "person";
    }
    return "?";
}

bool schema_fits(QueryType type, Schema schema) noexcept {
    switch (type) {
        case QueryType::any:
            return true;
        case QueryType::vessel:
            return schema == Schema::vessel;
        case QueryType::person:
            return schema == Schema::person;
        case QueryType::company:
            return schema == Schema::company || schema == Schema::organization ||
                   schema == Schema::legal_entity;
    }
    return false;
}

std::string Match::explanation() const {
    std::string s;
    for (const auto& f : features) {
        if (!s.empty()) s += "; ";
        s += f.name + " " + (f.name == "name" ? fmt(f.value) : (f.value >= 0 ? "+" : "") + fmt(f.value));
        if (!f.detail.empty()) s += " (" + f.detail + ")";
    }
    return s;
}

struct Screener::Impl {
    std::vector<ListRef> lists;
    std::vector<Entity> entities;
    std::vector<std::uint32_t> entity_list;
    std::vector<NameRec> names;
    // compact per-name data for the candidate loops (NameRec is large: these stay in cache)
    std::vector<Schema> name_schema;
    std::vector<float> name_weight;
    std::unordered_map<std::string, std::uint32_t> vocab;
    std::vector<NameToken> vocab_tokens;
    std::vector<std::vector<std::uint32_t>> postings;  // vocab id -> names
    std::unordered_map<std::string, std::vector<std::uint32_t>>
        keys;  // deletion variant / skeleton -> vocab ids
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_imo, by_mmsi, by_call_sign;
    bool built = false;
};

Screener::Screener() : impl_(std::make_unique<Impl>()) {}
Screener::~Screener() = default;
Screener::Screener(Screener&&) noexcept = default;
Screener& Screener::operator=(Screener&&) noexcept = default;

void Screener::add_list(ListRef list, std::vector<Entity> entities) {
    const auto li = static_cast<std::uint32_t>(impl_->lists.size());
    impl_->lists.push_back(std::move(list));
    for (auto& e : entities) {
        impl_->entities.push_back(std::move(e));
        impl_->entity_list.push_back(li);
    }
    impl_->built = false;
}

void Screener::build() {
    Impl& m = *impl_;
    m.names.clear();
    m.name_schema.clear();
    m.name_weight.clear();
    m.vocab.clear();
    m.vocab_tokens.clear();
    m.postings.clear();
    m.keys.clear();
    m.by_imo.clear();
    m.by_mmsi.clear();
    m.by_call_sign.clear();
    std::vector<std::string> dels;
    for (std::uint32_t ei = 0; ei < m.entities.size(); ++ei) {
        const Entity& e = m.entities[ei];
        for (std::uint32_t ni = 0; ni < e.names.size(); ++ni) {
            NameRec rec{ei, ni, prepare_name(e.names[ni].text, e.schema)};
            const auto name_id = static_cast<std::uint32_t>(m.names.size());
            for (const auto& t : rec.prepared.tokens) {
                auto [it, fresh] = m.vocab.emplace(t.text, static_cast<std::uint32_t>(m.vocab_tokens.size()));
                if (fresh) {
                    m.vocab_tokens.push_back(t);
                    m.postings.emplace_back();
                    deletions(t.text, dels);
                    for (const auto& d : dels) m.keys[d].push_back(it->second);
                    if (!t.skeleton.empty()) m.keys["#" + t.skeleton].push_back(it->second);
                }
                auto& post = m.postings[it->second];
                if (post.empty() || post.back() != name_id) post.push_back(name_id);
            }
            m.name_schema.push_back(e.schema);
            m.name_weight.push_back(rec.prepared.total_weight + 1.0F);
            m.names.push_back(std::move(rec));
        }
        for (const auto& id : e.ids) {
            if (id.kind == IdKind::imo)
                m.by_imo[id.value].push_back(ei);
            else if (id.kind == IdKind::mmsi)
                m.by_mmsi[id.value].push_back(ei);
            else if (id.kind == IdKind::call_sign)
                m.by_call_sign[id.value].push_back(ei);
        }
    }
    m.built = true;
}

std::size_t Screener::size() const noexcept {
    return impl_->entities.size();
}
std::size_t Screener::name_count() const noexcept {
    return impl_->names.size();
}
const Entity& Screener::entity(std::uint32_t i) const {
    return impl_->entities.at(i);
}
const ListRef& Screener::list_of(std::uint32_t i) const {
    return impl_->lists.at(impl_->entity_list.at(i));
}

std::vector<Match> Screener::screen(const Query& query, const ScreenOptions& options) const {
    const Impl& m = *impl_;
    if (!m.built) throw std::logic_error("Screener::screen before build()");
    thread_local Scratch scratch;
    scratch.begin(m.names.size(), m.vocab_tokens.size());
    const std::uint32_t gen = scratch.generation;

    const Schema qschema = query_schema(query.type);
    const PreparedName qname = prepare_name(query.name, qschema);

    // 1. candidate names from the token index
    auto& dels = scratch.dels;
    auto& token_hits = scratch.token_hits;
    auto& looked_up = scratch.looked_up;
    std::size_t rare_tokens = 0;
    for (const auto& qt : qname.tokens) {
        if (qt.text.size() < 2) continue;
        if (auto it = m.vocab.find(qt.text);
            it == m.vocab.end() || m.postings[it->second].size() <= kMaxPostingsPerToken)
            ++rare_tokens;
    }
    // the longest query words propose candidates (all words count in the full comparison)
    auto& proposing = scratch.proposing;
    proposing.clear();
    for (const auto& qt : qname.tokens)
        if (qt.text.size() >= 2) proposing.push_back(&qt);  // initials do not propose candidates
    if (proposing.size() > kMaxCandidateTokens) {
        std::stable_sort(proposing.begin(), proposing.end(), [](const NameToken* a, const NameToken* b) {
            return a->text.size() > b->text.size();
        });
        proposing.resize(kMaxCandidateTokens);
    }
    for (const NameToken* qtp : proposing) {
        const NameToken& qt = *qtp;
        token_hits.clear();
        deletions(qt.text, dels);
        if (!qt.skeleton.empty() && qt.text.size() >= kMinDeletionChars) dels.push_back("#" + qt.skeleton);
        looked_up.clear();
        for (const auto& k : dels) {
            const auto it = m.keys.find(k);
            if (it == m.keys.end()) continue;
            if (k[0] == '#' && it->second.size() > kMaxSkeletonFanout) continue;
            looked_up.push_back(&it->second);
            for (const std::uint32_t v : it->second) {
                if (scratch.vocab_stamp[v] == gen) continue;
                scratch.vocab_stamp[v] = gen;
                const float s = token_similarity(qt, m.vocab_tokens[v]);
                if (s >= options.params.min_token_similarity) token_hits.emplace_back(v, s);
            }
        }
        for (const auto& [v, s] : token_hits) {
            const auto& post = m.postings[v];
            if (post.size() > kMaxPostingsPerToken && rare_tokens > 0) continue;
            for (const std::uint32_t n : post) {
                if (!schema_fits(query.type, m.name_schema[n])) continue;
                if (scratch.name_stamp[n] != gen) {
                    scratch.name_stamp[n] = gen;
                    scratch.name_acc[n] = 0;
                    scratch.touched.push_back(n);
                }
                scratch.name_acc[n] += s * qt.weight;
            }
        }
        // the vocab stamps are per query token: cleared for this token's lookups only
        for (const auto* vocab_ids : looked_up)
            for (const std::uint32_t v : *vocab_ids) scratch.vocab_stamp[v] = 0;
    }
    auto& touched = scratch.touched;
    const std::size_t keep = std::min(touched.size(), kMaxNameCandidates);
    // the best `keep` names by accumulated evidence per unit of name weight: a linear selection
    // (nth_element) on precomputed keys, then the few kept are sorted
    auto& ranked = scratch.ranked;
    ranked.clear();
    for (const std::uint32_t n : touched) ranked.emplace_back(scratch.name_acc[n] / m.name_weight[n], n);
    const auto better = [](const std::pair<float, std::uint32_t>& a,
                           const std::pair<float, std::uint32_t>& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    if (keep < ranked.size())
        std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end(),
                         better);
    ranked.resize(keep);
    std::sort(ranked.begin(), ranked.end(), better);
    touched.clear();
    for (const auto& r : ranked) touched.push_back(r.second);

    // 2. best name per candidate entity
    struct Best {
        double score = -1;
        std::uint32_t name = 0;
        NameComparison cmp;
    };
    std::unordered_map<std::uint32_t, Best> best;
    for (const std::uint32_t n : touched) {
        const NameRec& rec = m.names[n];
        NameComparison cmp = compare_names(qname, rec.prepared, options.params, false);
        const NameKind kind = m.entities[rec.entity].names[rec.name_index].kind;
        if (kind == NameKind::weak_alias) cmp.score *= kWeakAliasFactor;
        Best& b = best[rec.entity];
        if (cmp.score > b.score) b = Best{cmp.score, n, std::move(cmp)};
    }
    // 3. identifiers
    const auto imo = normalize_imo(query.imo);
    const auto mmsi = normalize_mmsi(query.mmsi);
    const auto call_sign = normalize_call_sign(query.call_sign);
    const auto add_ids = [&](const std::unordered_map<std::string, std::vector<std::uint32_t>>& idx,
                             const std::optional<std::string>& v) {
        if (!v) return;
        if (auto it = idx.find(*v); it != idx.end())
            for (const std::uint32_t e : it->second)
                if (schema_fits(query.type, m.entities[e].schema)) best.try_emplace(e);
    };
    add_ids(m.by_imo, imo);
    add_ids(m.by_mmsi, mmsi);
    add_ids(m.by_call_sign, call_sign);
    const auto qcountry = query.country.empty() ? std::nullopt : country_code(query.country);

    std::vector<Match> out;
    for (auto& [ei, b] : best) {
        const Entity& e = m.entities[ei];
        Match match;
        match.entity = ei;
        double name_score = 0;
        if (b.score >= 0) {
            const NameRec& rec = m.names[b.name];
            name_score = b.score;
            match.matched_name = e.names[rec.name_index].text;
            match.matched_kind = e.names[rec.name_index].kind;
        }
        double score = name_score;
        bool id_match = false;
        std::vector<Feature> id_features;
        const auto id_feature = [&](IdKind kind, const std::optional<std::string>& v, const char* label,
                                    double match_score, double conflict_penalty) {
            if (!v) return;
            bool has = false, equal = false;
            for (const auto& id : e.ids) {
                if (id.kind != kind) continue;
                has = true;
                equal = equal || id.value == *v;
            }
            if (equal) {
                id_match = true;
                score = std::max(score, match_score);
                id_features.push_back(Feature{label, match_score, *v + " agrees"});
            } else if (has) {
                score -= conflict_penalty;
                id_features.push_back(
                    Feature{label, -conflict_penalty,
                            *v + " differs from the list's " + std::string(*e.first_id(kind))});
            }
        };
        id_feature(IdKind::imo, imo, "imo", kImoMatchScore, kImoConflictPenalty);
        id_feature(IdKind::mmsi, mmsi, "mmsi", kMmsiMatchScore, kMmsiConflictPenalty);
        id_feature(IdKind::call_sign, call_sign, "call_sign", kCallSignMatchScore, kCallSignConflictPenalty);
        if (id_match && name_score >= options.min_score) {
            score += kIdAndNameBonus;
            id_features.push_back(
                Feature{"id_and_name", kIdAndNameBonus, "an identifier and the name agree"});
        }
        if (qcountry) {
            bool has = !e.flag.empty() || !e.countries.empty();
            bool agree = e.flag == *qcountry;
            for (const auto& c : e.countries) agree = agree || c == *qcountry;
            for (const auto& c : e.former_flags) agree = agree || c == *qcountry;
            if (agree) {
                score += kCountryAgreeBonus;
                id_features.push_back(Feature{"country", kCountryAgreeBonus, *qcountry + " agrees"});
            } else if (has) {
                score -= kCountryConflictPenalty;
                id_features.push_back(Feature{"country", -kCountryConflictPenalty,
                                              *qcountry + " not among the list's countries"});
            }
        }
        score = std::clamp(score, 0.0, 1.0);
        if (score < options.min_score) continue;
        match.score = score;
        if (options.explain) {
            if (b.score >= 0) {
                const NameRec& rec = m.names[b.name];
                const NameComparison full = compare_names(qname, rec.prepared, options.params, true);
                std::string detail = std::string(to_string(match.matched_kind)) + " '" + match.matched_name +
                                     "': " + full.alignment;
                if (match.matched_kind == NameKind::weak_alias)
                    detail += "; weak alias x" + fmt(kWeakAliasFactor);
                match.features.push_back(Feature{"name", name_score, std::move(detail)});
            }
            for (auto& f : id_features) match.features.push_back(std::move(f));
        }
        out.push_back(std::move(match));
    }
    // equal scores: a primary name before an alias, a former name, a weak alias; then list order
    std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.matched_kind != b.matched_kind) return a.matched_kind < b.matched_kind;
        return a.entity < b.entity;
    });
    if (out.size() > options.top_k) out.resize(options.top_k);
    return out;
}

}  // namespace vw::screen
