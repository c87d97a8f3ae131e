// Scenario files for the simulator (TOML, docs/scenarios.md): the area's receivers, lanes and areas
// of innocent background traffic given as compact distributions, and scripted vessels with
// itineraries (ports, ship-to-ship meetings, loitering, dark approaches) and timed behaviours
// (AIS off, renaming, reflagging, loading, MMSI sharing and swapping, position spoofing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/geo/coastline.hpp"

namespace vw::sim {

using geo::LatLon;
/// Unix time, seconds.
using UnixSeconds = std::int64_t;

enum class AisClass : std::uint8_t { a, b };

/// What a transponder broadcasts about its ship (type 5 / type 24) plus the flag it implies.
struct Identity {
    std::uint32_t mmsi = 0;
    std::uint32_t imo = 0;  // 0 = none (class B, small craft)
    std::string name;
    std::string callsign;
    std::uint8_t shiptype = 0;  // ITU ship and cargo type
    double length_m = 0, beam_m = 0;
    double draught_m = 0;
    std::string destination;
    std::string flag;  // informational (ISO 3166 alpha-2); the MMSI's MID is what AIS carries
    bool operator==(const Identity&) const = default;
};

enum class StopKind : std::uint8_t { waypoint, port, sts, loiter };

/// One entry of a scripted vessel's itinerary: a point to reach, possibly with a stay.
struct Stop {
    StopKind kind = StopKind::waypoint;
    LatLon pos;
    std::string port;                  // port name (kind port)
    std::string partner;               // other vessel id (kind sts)
    double hours = 0;                  // minimum stay
    std::optional<UnixSeconds> until;  // stay at least until this time
    bool dark = false;                 // AIS off while within dark_radius_nm of this stop
    double dark_radius_nm = 0;
    double loiter_radius_nm = 1.0;    // drift radius while loitering
    std::optional<double> draught_m;  // draught after the stay (loading / discharging)
    std::string destination;          // destination broadcast after the stay
    int line = 0;                     // line in the scenario file
};

struct ScriptedVessel {
    std::string id;  // key used by behaviours and truth
    Identity identity;
    AisClass cls = AisClass::a;
    double speed_knots = 10.0;
    UnixSeconds start = 0;  // departs the first stop after its stay, not before this time
    std::vector<Stop> itinerary;
    int repeat = 1;  // times the itinerary is sailed (a closed loop returns to its first stop)
    int line = 0;
};

enum class EventType : std::uint8_t {
    ais_off,
    rename,
    reflag,
    loading,
    spoof,
    mmsi_share,
    mmsi_swap,
    port_call,
    sts,
    loiter,
};
[[nodiscard]] std::string_view event_type_name(EventType t) noexcept;

enum class SpoofMode : std::uint8_t { jump, circle, offset };
[[nodiscard]] std::string_view spoof_mode_name(SpoofMode m) noexcept;

/// A behaviour with explicit times ([[behaviours]] in the file).
struct Behaviour {
    EventType type = EventType::ais_off;
    std::string vessel;              // scripted vessel id
    std::string other;               // mmsi_share: the vessel whose MMSI is used; mmsi_swap: the partner
    UnixSeconds start = 0, end = 0;  // end == start for instantaneous changes (rename, reflag, loading)
    std::optional<std::string> name, callsign, flag;  // rename / reflag
    std::optional<std::uint32_t> mmsi;                // reflag
    std::optional<double> draught_m;                  // loading
    SpoofMode mode = SpoofMode::offset;               // spoof
    LatLon center;                                    // spoof jump target / circle centre
    double radius_nm = 0;                             // spoof circle
    double offset_nm = 0, bearing_deg = 0;            // spoof offset
    int line = 0;
};

struct Lane {
    std::string name;
    std::vector<LatLon> waypoints;
    double width_nm = 2.0;
    int line = 0;
};

struct Area {
    std::string name;
    double south = 0, north = 0, west = 0, east = 0;
    int line = 0;
};

enum class Motion : std::uint8_t { lane, shuttle, area };

/// A population of innocent vessels drawn from distributions ([[traffic]]).
struct TrafficGroup {
    std::string kind;  // cargo, tanker, bulk, ferry, fishing, pleasure, ...
    std::uint8_t shiptype = 70;
    AisClass cls = AisClass::a;
    std::uint32_t count = 0;
    Motion motion = Motion::lane;
    std::vector<std::string> lanes;  // lane / shuttle
    std::string area;                // area
    double min_speed_knots = 8, max_speed_knots = 14;
    double min_length_m = 80, max_length_m = 200;
    double dwell_hours = 6;           // stay at lane ends / between area hops (mean)
    std::vector<std::uint16_t> mids;  // maritime identification digits to draw MMSIs from
    int line = 0;
};

struct Station {
    std::string id;  // written as s:SIM-<id>
    LatLon pos;
    double range_nm = 40.0;
    int line = 0;
};

struct Satellite {
    bool enabled = false;
    double revisit_minutes = 90;
    double pass_minutes = 10;
    double detection = 0.3;         // probability that one transmission in a pass is decoded
    double downlink_delay_s = 600;  // received lines are delivered this long after the pass ends
};

/// Report intervals and the receiving network's imperfections.
struct Reporting {
    double interval_scale = 1.0;     // multiplies every report interval (> 1 coarsens; documented)
    double static_interval_s = 360;  // type 5 / type 24 every 6 minutes
    double loss = 0.05;              // probability that a station misses one transmission
    double out_of_order = 0.01;      // share of lines delivered late
    double max_delay_s = 60;         // how late
};

struct Port {
    std::string name;
    LatLon pos;
    std::string source;
    int line = 0;
};

struct Scenario {
    std::string file;  // where it was read from (messages name it)
    std::string name, description;
    UnixSeconds start = 0;
    UnixSeconds duration_s = 86400;
    std::uint64_t seed = 1;
    Reporting reporting;
    Satellite satellite;
    std::vector<Station> stations;
    std::vector<Port> ports;
    std::vector<Lane> lanes;
    std::vector<Area> areas;
    std::vector<TrafficGroup> traffic;
    std::vector<ScriptedVessel> vessels;
    std::vector<Behaviour> behaviours;

    [[nodiscard]] UnixSeconds end() const noexcept { return start + duration_s; }
    [[nodiscard]] const ScriptedVessel* vessel(std::string_view id) const noexcept;
    [[nodiscard]] const Port* port(std::string_view name) const noexcept;
    [[nodiscard]] const Lane* lane(std::string_view name) const noexcept;
    [[nodiscard]] const Area* area(std::string_view name) const noexcept;
    [[nodiscard]] std::uint64_t background_count() const noexcept;
};

/// Parses a scenario. Every error throws vw::InputError with `file`, line and column and what was
/// expected (TOML syntax, missing or mistyped keys, unknown references, impossible values).
[[nodiscard]] Scenario parse_scenario(std::string_view text, const std::string& file);
/// Reads and parses a file (vw::IoError when unreadable).
[[nodiscard]] Scenario load_scenario(const std::string& path);

/// Directories searched for bundled scenarios: $VW_SCENARIOS, scenarios/ next to the executable or
/// in its parents (the repository), /usr/local/share/vesselwatch/scenarios, /usr/share/vesselwatch/scenarios.
[[nodiscard]] std::vector<std::string> scenario_dirs();
/// NAME -> path of NAME.toml in scenario_dirs(); a NAME that is an existing file is returned as is.
[[nodiscard]] std::optional<std::string> resolve_scenario(const std::string& name_or_file);

/// Checks that every route stays at sea: stop positions (ports within `port_tolerance_nm` of the
/// coast are allowed) and every leg between consecutive stops and lane waypoints. Throws
/// vw::InputError naming the scenario file, the line, the vessel or lane and the leg.
void validate_at_sea(const Scenario& s, const geo::Coastline& coast, double port_tolerance_nm = 3.0);

}  // namespace vw::sim
