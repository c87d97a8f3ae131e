#include "json_common.hpp"

#include <array>
#include <cmath>
#include <string>

#include "format.hpp"

namespace vw::ais::json {
namespace {

constexpr double kRotDivisor = 4.733;

struct RotTable {
    std::array<std::array<char, 8>, 256> text{};
    std::array<unsigned char, 256> len{};
    RotTable() {
        for (int r = -128; r < 128; ++r) {
            const auto i = static_cast<std::size_t>(r + 128);
            std::string_view s;
            char buf[24];  // room for any std::uint64_t
            if (r == -128) {
                s = "\"nan\"";
            } else if (r == -127) {
                s = "\"fastleft\"";  // 10 chars: stored separately below
            } else if (r == 127) {
                s = "\"fastright\"";
            } else {
                const double rot1 = r / kRotDivisor;
                // %.0f rounds half to even on the exact double, as nearbyint in the default mode
                char* e = fmt::put_u64(buf, static_cast<std::uint64_t>(std::nearbyint(rot1 * rot1)));
                s = std::string_view(buf, static_cast<std::size_t>(e - buf));
            }
            if (s.size() <= 8) {
                std::copy(s.begin(), s.end(), text[i].begin());
                len[i] = static_cast<unsigned char>(s.size());
            }
        }
    }
};

const RotTable& rot_table() {
    static const RotTable t;
    return t;
}

}  // namespace

std::string_view rot_text(int rot) noexcept {
    if (rot == -127) return "\"fastleft\"";
    if (rot == 127) return "\"fastright\"";
    const auto& t = rot_table();
    const auto i = static_cast<std::size_t>((rot + 128) & 255);
    return {t.text[i].data(), t.len[i]};
}

int rot_from_value(double value) noexcept {
    int best = -1;
    double best_err = 1e300;
    for (int r = 0; r < 127; ++r) {
        const double rot1 = r / kRotDivisor;
        const double shown = std::nearbyint(rot1 * rot1);
        if (shown == value) return r;
        const double err = std::fabs(shown - value);
        if (err < best_err) {
            best_err = err;
            best = r;
        }
    }
    return best;
}

}  // namespace vw::ais::json
