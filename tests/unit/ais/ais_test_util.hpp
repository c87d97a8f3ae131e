// Helpers for the ais unit tests: split test NMEA lines (field 6 payload, field 7 fill bits,
// multi-part payloads concatenated) without depending on the NMEA module.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/ais/encode.hpp"
#include "vesselwatch/ais/json.hpp"

namespace vw::ais::test {

struct RawPayload {
    std::string armored;
    unsigned fill_bits = 0;
    std::size_t line = 0;
};

inline std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out(1);
    for (const char c : s) {
        if (c == ',') {
            out.emplace_back();
        } else {
            out.back().push_back(c);
        }
    }
    return out;
}

/// Payloads of the !xxVDM/VDO sentences in a file (no checksum or tag block handling).
inline std::vector<RawPayload> read_payloads(const std::string& path) {
    std::vector<RawPayload> out;
    std::ifstream in(path);
    std::string line, acc;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        auto at = line.find("VDM,");
        if (at == std::string::npos) at = line.find("VDO,");
        if (at == std::string::npos || at < 3) continue;
        const auto f = split_commas(line.substr(at - 3));
        if (f.size() < 7 || f[6].empty()) continue;
        const int count = std::atoi(f[1].c_str()), num = std::atoi(f[2].c_str());
        if (num == 1) acc.clear();
        acc += f[5];
        if (num != count) continue;
        out.push_back({acc, static_cast<unsigned>(f[6][0] - '0'), n});
        acc.clear();
    }
    return out;
}

inline std::string shared_dir() {
    return VW_SHARED_DIR;
}

inline bool file_exists(const std::string& p) {
    return std::ifstream(p).good();
}

/// JSON line of a message (no metadata except device "stdin", as gpsdecode).
inline std::string to_json(const Message& m, std::string_view device = "stdin") {
    OutBuffer out;
    JsonMeta meta;
    meta.device = device;
    write_json(out, m, meta);
    return std::string(out.view());
}

}  // namespace vw::ais::test
