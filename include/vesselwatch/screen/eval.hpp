// Evaluation of the name matcher on labelled pairs (nomenklatura's name_bench cases.csv), beside a
// reference matcher's own scores (logicv2-frozen.csv), on the same pairs. Used by the unit test and by
// bench/screen_eval.sh.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/screen/names.hpp"

namespace vw::screen {

struct LabelledPair {
    std::string group, schema, name1, name2;
    bool is_match = false;
    double score = 0;       ///< ours
    double reference = -1;  ///< the reference matcher's score; < 0 when it has none for this pair
    bool reference_predicted = false;
    /// The fixed 50/50 split: 0 = the tuning half, 1 = the held-out half, by the parity of a hash
    /// (FNV-1a 64) of "schema|name1|name2" (cases.csv has no pair id; the names are the id).
    int half = 0;
};

/// The half of the fixed split a pair belongs to (see LabelledPair::half).
[[nodiscard]] int split_half(std::string_view schema, std::string_view name1,
                             std::string_view name2) noexcept;
/// The pairs of one half.
[[nodiscard]] std::vector<LabelledPair> pairs_of_half(const std::vector<LabelledPair>& pairs, int half);

struct Confusion {
    int tp = 0, fp = 0, tn = 0, fn = 0;
    [[nodiscard]] double precision() const { return tp + fp == 0 ? 0 : static_cast<double>(tp) / (tp + fp); }
    [[nodiscard]] double recall() const { return tp + fn == 0 ? 0 : static_cast<double>(tp) / (tp + fn); }
    [[nodiscard]] double f1() const {
        const double p = precision(), r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
};

/// Reads cases.csv and (optionally, "" to skip) the reference scores, and scores every pair.
[[nodiscard]] std::vector<LabelledPair> score_labelled_pairs(const std::string& cases_csv,
                                                             const std::string& reference_csv,
                                                             const NameMatchParams& params = {});

[[nodiscard]] Confusion confusion_at(const std::vector<LabelledPair>& pairs, double threshold,
                                     bool reference = false, bool only_with_reference = false);

/// k-fold cross-validated choice of the threshold: for each fold, the threshold maximising F1 on the
/// other folds is applied to the fold (folds by position modulo k). Returns the pooled confusion and
/// the thresholds chosen.
[[nodiscard]] Confusion cross_validated(const std::vector<LabelledPair>& pairs, int folds,
                                        std::vector<double>& chosen_thresholds);

/// The Schema for a name_bench schema name ("Person", "Company", "Organization", "LegalEntity", "Vessel").
[[nodiscard]] Schema eval_schema(const std::string& name);

}  // namespace vw::screen
