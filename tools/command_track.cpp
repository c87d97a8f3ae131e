// vesselwatch track: one vessel's positions from the store, as GeoJSON, CSV or NDJSON.
#include "command_track.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "options_common.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::cli {

namespace {

enum class TrackFormat : std::uint8_t { geojson, csv, ndjson };
enum class WithSource : std::uint8_t { no, yes };

void write_fixed(OutBuffer& out, double v, int decimals) {
    char buf[40];
    const int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    out.write(std::string_view(buf, static_cast<std::size_t>(n)));
}

/// "SOURCE:LINE" or "SOURCE:LINE+LINE+…" for multi-part messages.
std::string ref_text(const track::SourceRef& r) {
    std::string s = std::to_string(r.source_id) + ":" + std::to_string(r.line);
    for (std::size_t k = 0; k + 1 < r.fragments && k < track::kMaxExtraLines; ++k) {
        s += '+';
        s += std::to_string(r.line + r.extra_line_offsets[k]);
    }
    return s;
}

constexpr int kLatLonDecimals = 6;

void write_props(OutBuffer& out, const track::Position& p, WithSource ws) {
    out.write("\"mmsi\":");
    out.write_uint(p.mmsi);
    out.write(",\"time\":\"");
    out.write(track::format_time(p.time_ms));
    out.write("\",\"type\":");
    out.write_uint(p.type);
    if (p.sog != track::kSogUnavailable) {
        out.write(",\"sog\":");
        write_fixed(out, p.sog / 10.0, 1);
    }
    if (p.cog != track::kCogUnavailable) {
        out.write(",\"cog\":");
        write_fixed(out, p.cog / 10.0, 1);
    }
    if (p.heading != track::kHeadingUnavailable) {
        out.write(",\"heading\":");
        out.write_uint(p.heading);
    }
    if (p.type >= 1 && p.type <= 3) {
        out.write(",\"status\":");
        out.write_uint(p.status);
    }
    out.write(",\"receivers\":");
    out.write_uint(p.receivers);
    if (ws == WithSource::yes) {
        out.write(",\"source\":\"");
        out.write(ref_text(p.ref));
        out.put('"');
    }
}

std::int32_t deg_to_units(double d) { return static_cast<std::int32_t>(d * track::kUnitsPerDegree); }

}  // namespace

CommandSpec track_spec() {
    CommandSpec s;
    s.name = "track";
    s.summary = "export one vessel's positions (GeoJSON, CSV, NDJSON)";
    s.synopsis = "vesselwatch track DB --mmsi N [--from TIME] [--to TIME] [--bbox W,S,E,N] [OPTIONS]";
    s.description =
        "    Writes the stored positions of one MMSI in time order, from complete sources only, filtered\n"
        "    by time (inclusive, ISO 8601 UTC or Unix seconds) and by a lon/lat box. Speeds, courses and\n"
        "    headings that AIS marks 'not available' are left out of the record. --with-source adds each\n"
        "    position's reference 'SOURCE:LINE' ('SOURCE:LINE+LINE' for multi-part messages) that\n"
        "    'vesselwatch raw DB SOURCE:LINE' turns back into the original input lines.\n";
    s.options = {
        {"mmsi", 0, Arity::value, "N", "The vessel (required)."},
        {"from", 0, Arity::value, "TIME", "First time, inclusive."},
        {"to", 0, Arity::value, "TIME", "Last time, inclusive."},
        {"bbox", 0, Arity::value, "W,S,E,N", "Only positions inside this box (degrees)."},
        {"format", 'f', Arity::value, "FORMAT", "geojson (default: one FeatureCollection of points), csv or ndjson."},
        {"with-source", 0, Arity::flag, "", "Add the provenance reference of each position."},
        {"output", 'o', Arity::value, "FILE", "Write to FILE instead of standard output."},
    };
    s.examples =
        "    vesselwatch track case.vw --mmsi 273444660 > track.geojson\n"
        "    vesselwatch track case.vw --mmsi 273444660 --from 2021-01-01 --to 2021-01-02T12:00 -f csv\n"
        "    vesselwatch track case.vw --mmsi 273444660 --with-source -f ndjson | head -1\n";
    return s;
}

Exit track_run(const ParsedArgs& args) {
    if (args.positional().size() != 1) throw ConfigError("track needs exactly one DB (see vesselwatch track --help)");
    const auto mmsi_text = args.value("mmsi");
    if (!mmsi_text) throw ConfigError("track needs --mmsi N");
    const auto mmsi = static_cast<std::uint32_t>(parse_count("mmsi", *mmsi_text));
    track::TrackFilter flt;
    for (const char* name : {"from", "to"}) {
        if (auto v = args.value(name)) {
            auto t = track::parse_time(*v);
            if (!t) throw ConfigError(std::string("option --") + name + ": '" + *v + "' is not an ISO 8601 UTC time");
            // a bare date as --to means the whole day
            if (std::string_view(name) == "to" && v->size() == 10) *t += 86400000 - 1;
            (std::string_view(name) == "from" ? flt.from_ms : flt.to_ms) = *t;
        }
    }
    if (auto v = args.value("bbox")) {
        double w = 0, so = 0, e = 0, n = 0;
        if (std::sscanf(v->c_str(), "%lf,%lf,%lf,%lf", &w, &so, &e, &n) != 4 || w > e || so > n)
            throw ConfigError("option --bbox: '" + *v + "' is not W,S,E,N in degrees");
        flt.lon_min = deg_to_units(w);
        flt.lat_min = deg_to_units(so);
        flt.lon_max = deg_to_units(e);
        flt.lat_max = deg_to_units(n);
    }
    TrackFormat format = TrackFormat::geojson;
    if (auto f = args.value("format")) {
        if (*f == "geojson")
            format = TrackFormat::geojson;
        else if (*f == "csv")
            format = TrackFormat::csv;
        else if (*f == "ndjson" || *f == "json")
            format = TrackFormat::ndjson;
        else if (*f == "gpkg")
            throw ConfigError("--format gpkg: not available yet (GeoPackage export is planned, see docs/store.md)");
        else
            throw ConfigError("option --format: '" + *f + "' is not one of geojson, csv, ndjson");
    }
    const WithSource ws = args.has("with-source") ? WithSource::yes : WithSource::no;

    track::Store store(args.positional()[0], track::Access::read_only);
    const std::vector<track::Position> ps = store.track(mmsi, flt);

    int fd = 1;
    std::string out_name = "<stdout>";
    if (auto o = args.value("output"); o && *o != "-") {
        fd = ::open(o->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) throw OutputError(SourceLocation{*o}, "cannot open for writing");
        out_name = *o;
    }
    OutBuffer out(fd, out_name);
    if (format == TrackFormat::csv) {
        out.write("mmsi,time,lat,lon,sog,cog,heading,status,type,receivers");
        if (ws == WithSource::yes) out.write(",source");
        out.put('\n');
        for (const auto& p : ps) {
            out.write_uint(p.mmsi);
            out.put(',');
            out.write(track::format_time(p.time_ms));
            out.put(',');
            write_fixed(out, p.lat_deg(), kLatLonDecimals);
            out.put(',');
            write_fixed(out, p.lon_deg(), kLatLonDecimals);
            out.put(',');
            if (p.sog != track::kSogUnavailable) write_fixed(out, p.sog / 10.0, 1);
            out.put(',');
            if (p.cog != track::kCogUnavailable) write_fixed(out, p.cog / 10.0, 1);
            out.put(',');
            if (p.heading != track::kHeadingUnavailable) out.write_uint(p.heading);
            out.put(',');
            if (p.type >= 1 && p.type <= 3) out.write_uint(p.status);
            out.put(',');
            out.write_uint(p.type);
            out.put(',');
            out.write_uint(p.receivers);
            if (ws == WithSource::yes) {
                out.put(',');
                out.write(ref_text(p.ref));
            }
            out.put('\n');
        }
    } else if (format == TrackFormat::ndjson) {
        for (const auto& p : ps) {
            out.write("{");
            write_props(out, p, ws);
            out.write(",\"lat\":");
            write_fixed(out, p.lat_deg(), kLatLonDecimals);
            out.write(",\"lon\":");
            write_fixed(out, p.lon_deg(), kLatLonDecimals);
            out.write("}\n");
        }
    } else {
        out.write("{\"type\":\"FeatureCollection\",\"features\":[");
        for (std::size_t k = 0; k < ps.size(); ++k) {
            const auto& p = ps[k];
            out.write(k ? ",\n" : "\n");
            out.write("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
            write_fixed(out, p.lon_deg(), kLatLonDecimals);
            out.put(',');
            write_fixed(out, p.lat_deg(), kLatLonDecimals);
            out.write("]},\"properties\":{");
            write_props(out, p, ws);
            out.write("}}");
        }
        out.write("\n]}\n");
    }
    out.flush();
    if (fd != 1) ::close(fd);
    if (ps.empty()) std::fprintf(stderr, "track: no positions for MMSI %u in %s\n", mmsi, store.path().c_str());
    return Exit::ok;
}

}  // namespace vw::cli
