// Human-readable legends for coded AIS fields, worded exactly as gpsd 3.22 prints them in its
// "<field>_text" companions (checked against gpsdecode; see docs/ais-fields.md).
#pragma once

#include <array>
#include <string_view>

namespace vw::ais::legend {

inline constexpr std::array<std::string_view, 16> kNavStatus = {"Under way using engine",
                                                                "At anchor",
                                                                "Not under command",
                                                                "Restricted manoeuverability",
                                                                "Constrained by her draught",
                                                                "Moored",
                                                                "Aground",
                                                                "Engaged in fishing",
                                                                "Under way sailing",
                                                                "Reserved for HSC",
                                                                "Reserved for WIG",
                                                                "Reserved",
                                                                "Reserved",
                                                                "Reserved",
                                                                "Reserved",
                                                                "Not defined"};

inline constexpr std::array<std::string_view, 9> kEpfd = {"Undefined",
                                                          "GPS",
                                                          "GLONASS",
                                                          "Combined GPS/GLONASS",
                                                          "Loran-C",
                                                          "Chayka",
                                                          "Integrated navigation system",
                                                          "Surveyed",
                                                          "Galileo"};
inline constexpr std::string_view kEpfdInvalid = "INVALID EPFD";

inline constexpr std::array<std::string_view, 16> kStationType = {"All types of mobiles",
                                                                  "Reserved for future use",
                                                                  "All types of Class B mobile stations",
                                                                  "SAR airborne mobile station",
                                                                  "Aid to Navigation station",
                                                                  "Class B shipborne mobile station",
                                                                  "Regional use and inland waterways",
                                                                  "Regional use and inland waterways",
                                                                  "Regional use and inland waterways",
                                                                  "Regional use and inland waterways",
                                                                  "Reserved for future use",
                                                                  "Reserved for future use",
                                                                  "Reserved for future use",
                                                                  "Reserved for future use",
                                                                  "Reserved for future use",
                                                                  "Reserved for future use"};

inline constexpr std::array<std::string_view, 32> kAidType = {"Unspecified",
                                                              "Reference point",
                                                              "RACON",
                                                              "Fixed offshore structure",
                                                              "Spare, Reserved for future use.",
                                                              "Light, without sectors",
                                                              "Light, with sectors",
                                                              "Leading Light Front",
                                                              "Leading Light Rear",
                                                              "Beacon, Cardinal N",
                                                              "Beacon, Cardinal E",
                                                              "Beacon, Cardinal S",
                                                              "Beacon, Cardinal W",
                                                              "Beacon, Port hand",
                                                              "Beacon, Starboard hand",
                                                              "Beacon, Preferred Channel port hand",
                                                              "Beacon, Preferred Channel starboard hand",
                                                              "Beacon, Isolated danger",
                                                              "Beacon, Safe water",
                                                              "Beacon, Special mark",
                                                              "Cardinal Mark N",
                                                              "Cardinal Mark E",
                                                              "Cardinal Mark S",
                                                              "Cardinal Mark W",
                                                              "Port hand Mark",
                                                              "Starboard hand Mark",
                                                              "Preferred Channel Port hand",
                                                              "Preferred Channel Starboard hand",
                                                              "Isolated danger",
                                                              "Safe Water",
                                                              "Special Mark",
                                                              "Light Vessel / LANBY / Rigs"};

inline constexpr std::array<std::string_view, 4> kTrend = {"steady", "increasing", "decreasing", "N/A"};
inline constexpr std::array<std::string_view, 8> kPrecipType = {
    "reserved", "rain", "thunderstorm", "freezing rain", "mixed/ice", "snow", "reserved", "N/A"};
inline constexpr std::array<std::string_view, 4> kIce = {"no", "yes", "reserved", "N/A"};
inline constexpr std::array<std::string_view, 4> kRacon = {"No RACON installed", "RACON not monitored",
                                                           "RACON operational", "RACON ERROR"};
inline constexpr std::array<std::string_view, 4> kLight = {"No light or no monitoring", "Light ON",
                                                           "Light OFF", "Light ERROR"};

/// Ship and cargo type legend (ITU-R M.1371 Table 53), "INVALID SHIP TYPE" above 99.
[[nodiscard]] constexpr std::string_view ship_type(unsigned t) noexcept {
    constexpr std::array<std::string_view, 10> kSpecial30 = {
        "Fishing",
        "Towing",
        "Towing: length exceeds 200m or breadth exceeds 25m",
        "Dredging or underwater ops",
        "Diving ops",
        "Military ops",
        "Sailing",
        "Pleasure Craft",
        "Reserved",
        "Reserved"};
    constexpr std::array<std::string_view, 10> kSpecial50 = {"Pilot Vessel",
                                                             "Search and Rescue vessel",
                                                             "Tug",
                                                             "Port Tender",
                                                             "Anti-pollution equipment",
                                                             "Law Enforcement",
                                                             "Spare - Local Vessel",
                                                             "Spare - Local Vessel",
                                                             "Medical Transport",
                                                             "Ship according to RR Resolution No. 18"};
    // decade legends for 20, 40, 60, 70, 80, 90: all, A..D, reserved x4, "no additional information"
    constexpr std::array<std::array<std::string_view, 10>, 6> kDecades = {{
        {"Wing in ground (WIG) - all ships of this type", "Wing in ground (WIG) - Hazardous category A",
         "Wing in ground (WIG) - Hazardous category B", "Wing in ground (WIG) - Hazardous category C",
         "Wing in ground (WIG) - Hazardous category D", "Wing in ground (WIG) - Reserved for future use",
         "Wing in ground (WIG) - Reserved for future use", "Wing in ground (WIG) - Reserved for future use",
         "Wing in ground (WIG) - Reserved for future use", "Wing in ground (WIG) - Reserved for future use"},
        {"High speed craft (HSC) - all ships of this type", "High speed craft (HSC) - Hazardous category A",
         "High speed craft (HSC) - Hazardous category B", "High speed craft (HSC) - Hazardous category C",
         "High speed craft (HSC) - Hazardous category D", "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - No additional information"},
        {"Passenger - all ships of this type", "Passenger - Hazardous category A",
         "Passenger - Hazardous category B", "Passenger - Hazardous category C",
         "Passenger - Hazardous category D", "Passenger - Reserved for future use",
         "Passenger - Reserved for future use", "Passenger - Reserved for future use",
         "Passenger - Reserved for future use", "Passenger - No additional information"},
        {"Cargo - all ships of this type", "Cargo - Hazardous category A", "Cargo - Hazardous category B",
         "Cargo - Hazardous category C", "Cargo - Hazardous category D", "Cargo - Reserved for future use",
         "Cargo - Reserved for future use", "Cargo - Reserved for future use",
         "Cargo - Reserved for future use", "Cargo - No additional information"},
        {"Tanker - all ships of this type", "Tanker - Hazardous category A", "Tanker - Hazardous category B",
         "Tanker - Hazardous category C", "Tanker - Hazardous category D", "Tanker - Reserved for future use",
         "Tanker - Reserved for future use", "Tanker - Reserved for future use",
         "Tanker - Reserved for future use", "Tanker - No additional information"},
        {"Other Type - all ships of this type", "Other Type - Hazardous category A",
         "Other Type - Hazardous category B", "Other Type - Hazardous category C",
         "Other Type - Hazardous category D", "Other Type - Reserved for future use",
         "Other Type - Reserved for future use", "Other Type - Reserved for future use",
         "Other Type - Reserved for future use", "Other Type - no additional information"},
    }};
    if (t == 0) return "Not available";
    if (t < 20) return "Reserved for future use";
    if (t >= 100) return "INVALID SHIP TYPE";
    const unsigned decade = t / 10, unit = t % 10;
    switch (decade) {
        case 2:
            return kDecades[0][unit];
        case 3:
            return kSpecial30[unit];
        case 4:
            return kDecades[1][unit];
        case 5:
            return kSpecial50[unit];
        default:
            return kDecades[decade - 4][unit];  // 6..9 -> 2..5
    }
}

/// Inland AIS (DAC 200 FI 10) hazardous cargo: number of blue cones/lights.
inline constexpr std::array<std::string_view, 6> kInlandHazard = {
    "0 blue cones/lights", "1 blue cone/light", "2 blue cones/lights",
    "3 blue cones/lights", "4 B-Flag",          "Unknown"};
inline constexpr std::string_view kInlandHazardInvalid = "INVALID HAZARD TYPE";
inline constexpr std::array<std::string_view, 3> kInlandLoaded = {"N/A (default)", "Unloaded", "Loaded"};
inline constexpr std::string_view kInlandLoadedInvalid = "INVALID LOAD STATUS";

/// ERI ship or combination type (inland AIS) with the ITU-R ship type gpsd pairs it with.
struct EriShipType {
    unsigned eri;
    unsigned itu;
    std::string_view text;
};

/// gpsd 3.22's table, in its order and wording (typos included). gpsd takes the first entry whose
/// ERI code or ITU code equals the transmitted value, so an ITU code (79, 80, ...) shows the first
/// ERI type it stands for.
inline constexpr std::array<EriShipType, 42> kEriShipTypes = {{
    {8000, 99, "Vessel, type unknown"},
    {8010, 79, "Motor freighter"},
    {8020, 89, "Motor tanker"},
    {8021, 80, "Motor tanker, liquid cargo, type N"},
    {8022, 80, "Motor tanker, liquid cargo, type C"},
    {8023, 89, "Motor tanker, dry cargo as if liquid (e.g. cement)"},
    {8030, 79, "Container vessel"},
    {8040, 80, "Gas tanker"},
    {8050, 79, "Motor freighter, tug"},
    {8060, 89, "Motor tanker, tug"},
    {8070, 79, "Motor freighter with one or more ships alongside"},
    {8080, 89, "Motor freighter with tanker"},
    {8090, 79, "Motor freighter pushing one or more freighters"},
    {8100, 89, "Motor freighter pushing at least one tank-ship"},
    {8110, 79, "Tug, freighter"},
    {8120, 89, "Tug, tanker"},
    {8130, 31, "Tug freighter, coupled"},
    {8140, 31, "Tug, freighter/tanker, coupled"},
    {8150, 99, "Freightbarge"},
    {8160, 99, "Tankbarge"},
    {8161, 90, "Tankbarge, liquid cargo, type N"},
    {8162, 90, "Tankbarge, liquid cargo, type C"},
    {8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"},
    {8170, 99, "Freightbarge with containers"},
    {8180, 90, "Tankbarge, gas"},
    {8210, 79, "Pushtow, one cargo barge"},
    {8220, 79, "Pushtow, two cargo barges"},
    {8230, 79, "Pushtow, three cargo barges"},
    {8240, 79, "Pushtow, four cargo barges"},
    {8250, 79, "Pushtow, five cargo barges"},
    {8260, 79, "Pushtow, six cargo barges"},
    {8270, 79, "Pushtow, seven cargo barges"},
    {8280, 79, "Pushtow, eigth cargo barges"},
    {8290, 79, "Pushtow, nine or more barges"},
    {8310, 80, "Pushtow, one tank/gas barge"},
    {8320, 80, "Pushtow, two barges at least one tanker or gas barge"},
    {8330, 80, "Pushtow, three barges at least one tanker or gas barge"},
    {8340, 80, "Pushtow, four barges at least one tanker or gas barge"},
    {8350, 80, "Pushtow, five barges at least one tanker or gas barge"},
    {8360, 80, "Pushtow, six barges at least one tanker or gas barge"},
    {8370, 80, "Pushtow, seven barges at least one tanker or gas barg"},
    {0, 0, "Illegal ship type value."},  // also the answer when nothing matches
}};

[[nodiscard]] constexpr std::string_view eri_ship_type(unsigned v) noexcept {
    for (const auto& e : kEriShipTypes)
        if (e.eri == v || e.itu == v || e.eri == 0) return e.text;
    return kEriShipTypes.back().text;
}

[[nodiscard]] constexpr std::string_view inland_hazard(unsigned v) noexcept {
    return v < kInlandHazard.size() ? kInlandHazard[v] : kInlandHazardInvalid;
}

[[nodiscard]] constexpr std::string_view inland_loaded(unsigned v) noexcept {
    return v < kInlandLoaded.size() ? kInlandLoaded[v] : kInlandLoadedInvalid;
}

[[nodiscard]] constexpr std::string_view epfd(unsigned v) noexcept {
    return v < kEpfd.size() ? kEpfd[v] : kEpfdInvalid;
}

}  // namespace vw::ais::legend
