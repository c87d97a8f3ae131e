// Name-matching quality on nomenklatura's labelled pairs, beside OpenSanctions' logic-v2 scores on the
// same pairs, on the full set and on each half of a fixed 50/50 split (eval.hpp: split_half). The
// matcher's parameters and the threshold were tuned on half A only; half B is the held-out check.
// Usage: bench_screen_eval [SHARED_DIR] [THRESHOLD] [--errors]   (run by bench/screen_eval.sh)
//   --errors lists the misclassified pairs of the tuning half A (never of half B), by category.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "vesselwatch/screen/eval.hpp"
#include "vesselwatch/screen/matcher.hpp"

int main(int argc, char** argv) {
    using namespace vw::screen;
    const std::string shared = argc > 1 ? argv[1] : "../shared";
    const double threshold = argc > 2 ? std::atof(argv[2]) : kDefaultMatchThreshold;
    const bool errors = argc > 3 && std::strcmp(argv[3], "--errors") == 0;
    const std::string dir = shared + "/data/eval/names/";
    const auto pairs = score_labelled_pairs(dir + "cases.csv", dir + "logicv2-frozen.csv");
    int with_ref = 0;
    for (const auto& p : pairs) with_ref += p.reference >= 0 ? 1 : 0;
    std::printf("pairs: %zu (logic-v2 scored %d of them)\n\n", pairs.size(), with_ref);
    std::printf("| matcher | set | pairs | threshold | precision | recall | F1 | TP | FP | TN | FN |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    const auto row = [](const char* name, const char* set, const Confusion& c, const char* t) {
        std::printf("| %s | %s | %d | %s | %.3f | %.3f | %.3f | %d | %d | %d | %d |\n", name, set,
                    c.tp + c.fp + c.tn + c.fn, t, c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.tn, c.fn);
    };
    char tbuf[32];
    std::snprintf(tbuf, sizeof tbuf, "%.2f", threshold);
    const auto a = pairs_of_half(pairs, 0), b = pairs_of_half(pairs, 1);
    const struct {
        const char* name;
        const std::vector<LabelledPair>* set;
    } sets[] = {{"all", &pairs}, {"A (tuning half)", &a}, {"B (held-out half)", &b}};
    for (const auto& s : sets) {
        row("vesselwatch", s.name, confusion_at(*s.set, threshold), tbuf);
        row("vesselwatch, logic-v2's pairs", s.name, confusion_at(*s.set, threshold, false, true), tbuf);
        row("logic-v2 (frozen scores)", s.name, confusion_at(*s.set, 0, true), "0.70");
    }
    std::vector<double> chosen;
    const Confusion cv = cross_validated(pairs, 5, chosen);
    std::string ts = "CV:";
    for (const double t : chosen) ts += " " + std::to_string(t).substr(0, 4);
    row("vesselwatch, 5-fold CV threshold", "all", cv, ts.c_str());
    if (errors) {
        for (const auto& p : a) {
            const bool pred = p.score >= threshold;
            if (pred != p.is_match)
                std::printf("%s\t%.3f\t%s\t%s\t%s\t%s\n", pred ? "FP" : "FN", p.score, p.schema.c_str(),
                            p.name1.c_str(), p.name2.c_str(), p.group.c_str());
        }
    }
    return 0;
}
