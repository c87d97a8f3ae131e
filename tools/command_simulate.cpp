// vesselwatch simulate: a scenario (bundled NAME or TOML file) -> SIMULATED raw AIS (NMEA with tag
// blocks s:SIM-<station>,c:<time>) and the truth file. Thin adapter over vw::sim.
#include "command_simulate.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "options_common.hpp"
#include "vesselwatch/geo/coastline.hpp"
#include "vesselwatch/sim/scenario.hpp"
#include "vesselwatch/sim/simulator.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::cli {

namespace {

constexpr int kGzipLevel = 3;  // fast; the output is regenerated at will

/// Where the lines go: a file (plain or gzip by the .gz extension) or standard output.
class Sink {
public:
    explicit Sink(const std::optional<std::string>& path) {
        if (!path || *path == "-") {
            out_ = std::make_unique<OutBuffer>(1, "<stdout>");
            return;
        }
        name_ = *path;
        if (name_.size() > 3 && name_.compare(name_.size() - 3, 3, ".gz") == 0) {
            gz_ = gzopen(name_.c_str(), ("wb" + std::to_string(kGzipLevel)).c_str());
            if (gz_ == nullptr) throw OutputError(SourceLocation{name_}, "cannot open for writing");
            return;
        }
        fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd_ < 0) throw OutputError(SourceLocation{name_}, "cannot open for writing");
        out_ = std::make_unique<OutBuffer>(fd_, name_);
    }
    ~Sink() {
        if (gz_ != nullptr) gzclose(gz_);
        out_.reset();
        if (fd_ >= 0) ::close(fd_);
    }
    Sink(const Sink&) = delete;
    Sink& operator=(const Sink&) = delete;

    void write(std::string_view s) {
        bytes_ += s.size();
        if (gz_ != nullptr) {
            while (!s.empty()) {
                const auto n = static_cast<unsigned>(std::min<std::size_t>(s.size(), 1u << 30));
                if (gzwrite(gz_, s.data(), n) != static_cast<int>(n))
                    throw OutputError(SourceLocation{name_}, "gzip write failed");
                s.remove_prefix(n);
            }
            return;
        }
        out_->write(s);
    }
    void close() {
        if (gz_ != nullptr) {
            const int rc = gzclose(gz_);
            gz_ = nullptr;
            if (rc != Z_OK) throw OutputError(SourceLocation{name_}, "gzip close failed (disk full?)");
        }
        if (out_) out_->flush();
        if (fd_ >= 0) {
            out_.reset();
            if (::close(fd_) != 0) {
                fd_ = -1;
                throw OutputError(SourceLocation{name_}, "close failed");
            }
            fd_ = -1;
        }
    }
    [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

private:
    std::string name_ = "<stdout>";
    int fd_ = -1;
    gzFile gz_ = nullptr;
    std::unique_ptr<OutBuffer> out_;
    std::uint64_t bytes_ = 0;
};

double parse_scale(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !(v >= 0.5 && v <= 100))
        throw ConfigError("option --interval-scale: '" + text + "' is not a number from 0.5 to 100");
    return v;
}

std::string list_bundled() {
    std::string o;
    for (const auto& d : sim::scenario_dirs()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(d, ec)) continue;
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(d, ec))
            if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
        std::sort(names.begin(), names.end());
        for (const auto& n : names)
            o += n + "\t" + (std::filesystem::path(d) / (n + ".toml")).string() + "\n";
        if (!names.empty()) break;
    }
    return o;
}

}  // namespace

CommandSpec simulate_spec() {
    CommandSpec s;
    s.name = "simulate";
    s.summary = "generate SIMULATED raw AIS for a scenario, with the truth of what happened";
    s.synopsis = "vesselwatch simulate [OPTIONS] NAME|FILE";
    s.description =
        "    Simulates a scenario (docs/scenarios.md): a bundled one by NAME (rajin-vostochny, baseline,\n"
        "    dense-day; see --list) or a TOML FILE. Vessels sail their itineraries or the lanes and areas "
        "of\n"
        "    their traffic group, staying at sea (routes are checked against the Natural Earth coastline);\n"
        "    transponders report at ITU-R M.1371 intervals (class A 2-10 s underway by speed and turning,\n"
        "    3 min at anchor or moored; class B 30 s / 3 min; static data every 6 min as type 5 or "
        "24A/24B);\n"
        "    shore stations hear them within their range, satellite passes now and then, with loss,\n"
        "    duplicates through several receivers and late delivery. Scripted behaviours (AIS off, port "
        "calls,\n"
        "    ship-to-ship meetings, loitering, loading, renaming, reflagging, MMSI sharing and swapping,\n"
        "    position spoofing) are written to the truth file (--truth) as events.\n\n"
        "    Every line comes out of the project's encoder with a tag block "
        "\\s:SIM-<station>,c:<time>*hh\\:\n"
        "    the SIM- prefix marks it as simulated wherever it goes. The same scenario and seed give\n"
        "    byte-identical output.\n\n"
        "    The coastline is node_modules/world-atlas/land-10m.json (npm package world-atlas, installed by\n"
        "    scripts/install-deps.sh), looked for with --coastline, $VW_COASTLINE, the current directory, "
        "the\n"
        "    executable's directory and its parents, /usr/local/lib/node_modules, /usr/lib/node_modules and\n"
        "    /usr/share/vesselwatch. Without it the command stops (exit 1) unless --no-coastline is given.\n";
    s.options = {
        {"output", 'o', Arity::value, "FILE",
         "Write the NMEA to FILE (gzip-compressed when FILE ends in .gz).\n"
         "Default: standard output."},
        {"truth", 0, Arity::value, "FILE", "Write the truth file (JSON, docs/scenarios.md) to FILE."},
        {"seed", 0, Arity::value, "N", "Random seed. Default: the scenario's seed."},
        {"interval-scale", 0, Arity::value, "X",
         "Multiply every report interval by X (0.5-100; > 1 coarsens). Default: the scenario's\n"
         "[reporting] interval_scale."},
        {"coastline", 0, Arity::value, "FILE", "world-atlas TopoJSON land file to check routes against."},
        {"no-coastline", 0, Arity::flag, "",
         "Do not check routes or keep traffic off land (a warning says so)."},
        {"lf", 0, Arity::flag, "", "End lines with LF instead of NMEA's CR LF."},
        {"check", 0, Arity::flag, "", "Parse and validate the scenario, build the tracks, write nothing."},
        {"list", 0, Arity::flag, "", "List the bundled scenarios and where they are."},
        {"stats", 0, Arity::flag, "", "Print counts as JSON on stderr at the end."},
        {"quiet", 'q', Arity::flag, "", "No banner and summary on stderr."},
    };
    s.examples =
        "    vesselwatch simulate rajin-vostochny -o out/rv.nmea.gz --truth out/rv.truth.json\n"
        "    vesselwatch simulate baseline --seed 7 -o baseline.nmea\n"
        "    vesselwatch simulate my-scenario.toml --check\n"
        "    vesselwatch simulate dense-day --interval-scale 1 -o /dev/null --stats\n";
    return s;
}

Exit simulate_run(const ParsedArgs& args) {
    if (args.has("list")) {
        const std::string l = list_bundled();
        if (l.empty()) {
            std::fputs("no bundled scenarios found; looked in:\n", stderr);
            for (const auto& d : sim::scenario_dirs()) std::fprintf(stderr, "  %s\n", d.c_str());
            return Exit::input_error;
        }
        std::fputs(l.c_str(), stdout);
        return Exit::ok;
    }
    if (args.positional().size() != 1) throw ConfigError("simulate needs exactly one scenario NAME or FILE");
    const std::string& what = args.positional()[0];
    const auto path = sim::resolve_scenario(what);
    if (!path) {
        std::string dirs;
        for (const auto& d : sim::scenario_dirs()) dirs += "\n  " + d;
        throw IoError(SourceLocation{what},
                      "no such scenario file, and no bundled scenario of that name; looked in:" + dirs);
    }
    const bool quiet = args.has("quiet");
    sim::Scenario sc = sim::load_scenario(*path);

    sim::SimOptions so;
    if (auto v = args.value("seed")) so.seed = parse_count("seed", *v);
    if (auto v = args.value("interval-scale")) so.interval_scale = parse_scale(*v);
    so.line_ending = args.has("lf") ? nmea::LineEnding::lf : nmea::LineEnding::crlf;

    std::optional<geo::Coastline> coast;
    if (args.has("no-coastline")) {
        if (args.has("coastline")) throw ConfigError("--coastline and --no-coastline exclude each other");
        std::fputs("warning: --no-coastline: routes are not checked against land and traffic may cross it\n",
                   stderr);
    } else {
        const auto found = geo::find_coastline(args.value("coastline"));
        if (!found) {
            std::string msg =
                "the coastline dataset (Natural Earth land, npm package world-atlas: land-10m.json) was not "
                "found; "
                "install it with scripts/install-deps.sh (npm ci in the repository), or give --coastline "
                "FILE, "
                "or set VW_COASTLINE; looked for:";
            for (const auto& c : geo::coastline_candidates(args.value("coastline"))) msg += "\n  " + c;
            throw IoError(SourceLocation{args.value("coastline").value_or("land-10m.json")}, msg);
        }
        coast = geo::Coastline::load_topojson(*found);
        sim::validate_at_sea(sc, *coast);
        so.coast = &*coast;
    }

    const auto t_start = std::chrono::steady_clock::now();
    sim::Simulator simulator(sc, so);
    if (!quiet) {
        std::fprintf(stderr, "==== %s ====\n", std::string(sim::kSimulatedBanner).c_str());
        std::fprintf(
            stderr, "simulate: scenario '%s' (%s), %llu vessels (%llu scripted), %s to %s, seed %llu%s\n",
            sc.name.c_str(), path->c_str(), static_cast<unsigned long long>(simulator.stats().vessels),
            static_cast<unsigned long long>(simulator.stats().scripted), sim::iso_time(sc.start).c_str(),
            sim::iso_time(sc.end()).c_str(), static_cast<unsigned long long>(so.seed.value_or(sc.seed)),
            coast ? (", coastline " + coast->source()).c_str() : ", coastline NOT checked");
    }
    if (args.has("check")) {
        if (!quiet)
            std::fprintf(stderr, "simulate: scenario is valid; %zu truth events\n", simulator.truth().size());
        return Exit::ok;
    }
    Sink sink(args.value("output"));
    simulator.run([&](std::string_view chunk) { sink.write(chunk); });
    sink.close();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    if (auto t = args.value("truth")) {
        std::ofstream tf(*t, std::ios::binary | std::ios::trunc);
        if (!tf) throw OutputError(SourceLocation{*t}, "cannot open for writing");
        tf << simulator.truth_json();
        tf.close();
        if (!tf) throw OutputError(SourceLocation{*t}, "write failed");
    }
    const sim::SimStats& st = simulator.stats();
    if (args.has("stats")) {
        std::string name;  // a scenario's name may hold '"' or '\\'
        append_json_string(name, sc.name);
        std::fprintf(
            stderr,
            "{\"simulated\":true,\"scenario\":%s,\"vessels\":%llu,\"scripted\":%llu,\"transmissions\":%"
            "llu,"
            "\"receptions\":%llu,\"lines\":%llu,\"lost\":%llu,\"late\":%llu,\"dark\":%llu,\"bytes\":%llu,"
            "\"truth_events\":%zu,\"seconds\":%.3f}\n",
            name.c_str(), static_cast<unsigned long long>(st.vessels),
            static_cast<unsigned long long>(st.scripted), static_cast<unsigned long long>(st.transmissions),
            static_cast<unsigned long long>(st.receptions), static_cast<unsigned long long>(st.lines),
            static_cast<unsigned long long>(st.lost), static_cast<unsigned long long>(st.late),
            static_cast<unsigned long long>(st.dark), static_cast<unsigned long long>(sink.bytes()),
            simulator.truth().size(), secs);
    } else if (!quiet) {
        std::fprintf(stderr,
                     "simulate: %llu transmissions, %llu receptions -> %llu SIMULATED lines (%llu lost, %llu "
                     "late, %llu "
                     "reports withheld while dark), %zu truth events, %.1f s\n",
                     static_cast<unsigned long long>(st.transmissions),
                     static_cast<unsigned long long>(st.receptions),
                     static_cast<unsigned long long>(st.lines), static_cast<unsigned long long>(st.lost),
                     static_cast<unsigned long long>(st.late), static_cast<unsigned long long>(st.dark),
                     simulator.truth().size(), secs);
    }
    return Exit::ok;
}

}  // namespace vw::cli
