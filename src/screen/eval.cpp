#include "vesselwatch/screen/eval.hpp"

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "vesselwatch/screen/csv_records.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

constexpr double kThresholdStep = 0.01;

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(SourceLocation{path}, "cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
    const std::string data = read_all(path);
    CsvRecords rows(data);
    std::vector<std::string> header, fields;
    std::vector<std::map<std::string, std::string>> out;
    if (rows.next(header) != CsvRecords::Status::record)
        throw InputError(SourceLocation{path, 1}, "no header");
    for (;;) {
        const auto st = rows.next(fields);
        if (st == CsvRecords::Status::end) break;
        if (st == CsvRecords::Status::bad || fields.size() != header.size())
            throw InputError(SourceLocation{path, rows.line()},
                             "expected " + std::to_string(header.size()) + " columns");
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace

int split_half(std::string_view schema, std::string_view name1, std::string_view name2) noexcept {
    constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
    constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
    std::uint64_t h = kFnvOffset;
    const auto mix = [&](std::string_view s) {
        for (const char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= kFnvPrime;
        }
    };
    mix(schema);
    mix("|");
    mix(name1);
    mix("|");
    mix(name2);
    return static_cast<int>((h >> 32) & 1U);
}

std::vector<LabelledPair> pairs_of_half(const std::vector<LabelledPair>& pairs, int half) {
    std::vector<LabelledPair> out;
    for (const auto& p : pairs)
        if (p.half == half) out.push_back(p);
    return out;
}

Schema eval_schema(const std::string& name) {
    if (name == "Person") return Schema::person;
    if (name == "Company") return Schema::company;
    if (name == "Organization") return Schema::organization;
    if (name == "Vessel") return Schema::vessel;
    return Schema::legal_entity;
}

std::vector<LabelledPair> score_labelled_pairs(const std::string& cases_csv, const std::string& reference_csv,
                                               const NameMatchParams& params) {
    std::vector<LabelledPair> pairs;
    for (auto& row : read_csv(cases_csv)) {
        LabelledPair p;
        p.group = row["case_group"];
        p.schema = row["schema"];
        p.name1 = row["name1"];
        p.name2 = row["name2"];
        p.is_match = row["is_match"] == "true";
        p.half = split_half(p.schema, p.name1, p.name2);
        const Schema s = eval_schema(p.schema);
        p.score = compare_names(prepare_name(p.name1, s), prepare_name(p.name2, s), params, false).score;
        pairs.push_back(std::move(p));
    }
    if (!reference_csv.empty()) {
        // the case groups were renamed between the two files' versions: pairs are joined on schema and names
        std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::size_t>> by_key;
        for (std::size_t i = 0; i < pairs.size(); ++i)
            by_key[{pairs[i].schema, pairs[i].name1, pairs[i].name2}].push_back(i);
        for (auto& row : read_csv(reference_csv)) {
            auto it = by_key.find({row["schema"], row["name1"], row["name2"]});
            if (it == by_key.end() || it->second.empty()) continue;
            const std::size_t i = it->second.front();
            it->second.erase(it->second.begin());
            pairs[i].reference = std::stod(row["score"]);
            pairs[i].reference_predicted = row["predicted_match"] == "true";
        }
    }
    return pairs;
}

Confusion confusion_at(const std::vector<LabelledPair>& pairs, double threshold, bool reference,
                       bool only_with_reference) {
    Confusion c;
    for (const auto& p : pairs) {
        if ((reference || only_with_reference) && p.reference < 0) continue;
        const bool predicted = reference ? p.reference_predicted : p.score >= threshold;
        if (predicted && p.is_match)
            ++c.tp;
        else if (predicted)
            ++c.fp;
        else if (p.is_match)
            ++c.fn;
        else
            ++c.tn;
    }
    return c;
}

Confusion cross_validated(const std::vector<LabelledPair>& pairs, int folds, std::vector<double>& chosen) {
    Confusion pooled;
    chosen.clear();
    for (int f = 0; f < folds; ++f) {
        std::vector<LabelledPair> train, test;
        for (std::size_t i = 0; i < pairs.size(); ++i)
            (static_cast<int>(i % static_cast<std::size_t>(folds)) == f ? test : train).push_back(pairs[i]);
        double best_t = 0.5, best_f1 = -1;
        for (double t = 0.3; t <= 1.0; t += kThresholdStep) {
            const double f1 = confusion_at(train, t).f1();
            if (f1 > best_f1) {
                best_f1 = f1;
                best_t = t;
            }
        }
        chosen.push_back(best_t);
        const Confusion c = confusion_at(test, best_t);
        pooled.tp += c.tp;
        pooled.fp += c.fp;
        pooled.tn += c.tn;
        pooled.fn += c.fn;
    }
    return pooled;
}

}  // namespace vw::screen
