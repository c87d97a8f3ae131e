// Name-matching quality on nomenklatura's labelled pairs, beside OpenSanctions' logic-v2 scores on the
// same pairs. Usage: bench_screen_eval [SHARED_DIR] [THRESHOLD]   (run by bench/screen_eval.sh)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "vesselwatch/screen/eval.hpp"
#include "vesselwatch/screen/matcher.hpp"

int main(int argc, char** argv) {
    using namespace vw::screen;
    const std::string shared = argc > 1 ? argv[1] : "../shared";
    const double threshold = argc > 2 ? std::atof(argv[2]) : kDefaultMatchThreshold;
    const std::string dir = shared + "/data/eval/names/";
    const auto pairs = score_labelled_pairs(dir + "cases.csv", dir + "logicv2-frozen.csv");
    const Confusion ours = confusion_at(pairs, threshold);
    const Confusion ours_same = confusion_at(pairs, threshold, false, true);
    const Confusion ref = confusion_at(pairs, 0, true);
    std::vector<double> chosen;
    const Confusion cv = cross_validated(pairs, 5, chosen);
    int with_ref = 0;
    for (const auto& p : pairs) with_ref += p.reference >= 0 ? 1 : 0;
    std::printf("pairs: %zu (logic-v2 scored %d of them)\n\n", pairs.size(), with_ref);
    std::printf("| matcher | pairs | threshold | precision | recall | F1 | TP | FP | TN | FN |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    const auto row = [](const char* name, int n, const char* t, const Confusion& c) {
        std::printf("| %s | %d | %s | %.3f | %.3f | %.3f | %d | %d | %d | %d |\n", name, n, t, c.precision(),
                    c.recall(), c.f1(), c.tp, c.fp, c.tn, c.fn);
    };
    char tbuf[32];
    std::snprintf(tbuf, sizeof tbuf, "%.2f", threshold);
    row("vesselwatch", static_cast<int>(pairs.size()), tbuf, ours);
    row("vesselwatch (logic-v2's pairs)", with_ref, tbuf, ours_same);
    row("logic-v2 (frozen scores)", with_ref, "0.70", ref);
    std::string ts;
    for (const double t : chosen) ts += (ts.empty() ? "" : " ") + std::to_string(t).substr(0, 4);
    row("vesselwatch, 5-fold CV threshold", static_cast<int>(pairs.size()), ("CV: " + ts).c_str(), cv);
    if (argc > 3) {
        for (const auto& p : pairs) {
            const bool pred = p.score >= threshold;
            if (pred != p.is_match)
                std::printf("%s\t%.3f\t%s\t%s\t%s\t%s\n", pred ? "FP" : "FN", p.score, p.schema.c_str(),
                            p.name1.c_str(), p.name2.c_str(), p.group.c_str());
        }
    }
    return 0;
}
