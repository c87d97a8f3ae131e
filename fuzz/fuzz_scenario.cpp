// Fuzz target: scenario files (TOML) -> parse, validate against a small synthetic coastline, and for
// small scenarios build the tracks and run the simulator. Errors must be vw::Error, never crashes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vesselwatch/geo/coastline.hpp"
#include "vesselwatch/sim/scenario.hpp"
#include "vesselwatch/sim/simulator.hpp"
#include "vesselwatch/util/error.hpp"

namespace {
constexpr std::int64_t kMaxFuzzDurationS = 2 * 3600;
constexpr std::uint64_t kMaxFuzzVessels = 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const vw::geo::Coastline island =
        vw::geo::Coastline::from_rings({{{40.0, 131.0}, {40.0, 131.5}, {40.5, 131.5}, {40.5, 131.0}}});
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const vw::sim::Scenario s = vw::sim::parse_scenario(text, "fuzz.toml");
        vw::sim::validate_at_sea(s, island);
        if (s.duration_s > kMaxFuzzDurationS || s.background_count() + s.vessels.size() > kMaxFuzzVessels)
            return 0;
        for (const auto& v : s.vessels)
            if (v.repeat > 3 || v.itinerary.size() > 20) return 0;
        vw::sim::SimOptions o;
        o.coast = &island;
        vw::sim::Simulator sim(s, o);
        std::size_t bytes = 0;
        sim.run([&](std::string_view chunk) { bytes += chunk.size(); });
        (void)sim.truth_json();
    } catch (const vw::Error&) {
        // expected for malformed scenarios
    }
    return 0;
}
