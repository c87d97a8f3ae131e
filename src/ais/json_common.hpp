// Private helpers shared by the JSON writer and reader: gpsd's rate-of-turn presentation.
#pragma once

#include <string_view>

#include "vesselwatch/ais/legends.hpp"

namespace vw::ais::json {

[[nodiscard]] inline std::string_view nav_status_legend(unsigned v) noexcept {
    return legend::kNavStatus[v & 15u];
}

/// gpsd 3.22's "turn": "nan" (-128), "fastleft" (-127), "fastright" (127), else
/// printf("%.0f", (rot / 4.733)^2) -- the sign is lost, as gpsd does.
[[nodiscard]] std::string_view rot_text(int rot) noexcept;

/// A raw ROT value that gpsd would print as `value` (the smallest non-negative one), -1 if none.
[[nodiscard]] int rot_from_value(double value) noexcept;

}  // namespace vw::ais::json
