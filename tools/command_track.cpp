// vesselwatch track: one vessel's (or every vessel's) positions from the store with their segment, as
// GeoJSON, CSV, NDJSON or a GeoPackage (points, segment lines, vessels).
#include "command_track.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "options_common.hpp"
#include "vesselwatch/track/gpkg.hpp"
#include "vesselwatch/track/store.hpp"
#include "vesselwatch/track/time.hpp"
#include "vesselwatch/util/error.hpp"
#include "vesselwatch/util/output.hpp"
#include "vesselwatch/util/text.hpp"

namespace vw::cli {

namespace {

enum class TrackFormat : std::uint8_t { geojson, csv, ndjson, gpkg };
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

void write_props(OutBuffer& out, const track::Position& p, std::int64_t segment_ms, WithSource ws) {
    out.write("\"mmsi\":");
    out.write_uint(p.mmsi);
    out.write(",\"time\":\"");
    out.write(track::format_time(p.time_ms));
    out.write("\",\"segment\":\"");
    out.write(track::SegmentId{p.mmsi, segment_ms}.to_string());
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

/// Where the text formats write: standard output or -o FILE.
class TextOutput {
public:
    explicit TextOutput(const std::optional<std::string>& path) {
        if (path && *path != "-") {
            fd_ = ::open(path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd_ < 0) throw OutputError(SourceLocation{*path}, "cannot open for writing");
            name_ = *path;
        }
        out_.emplace(fd_, name_);
    }
    ~TextOutput() {
        if (fd_ != 1) ::close(fd_);
    }
    TextOutput(const TextOutput&) = delete;
    TextOutput& operator=(const TextOutput&) = delete;
    OutBuffer& out() { return *out_; }

private:
    int fd_ = 1;
    std::string name_ = "<stdout>";
    std::optional<OutBuffer> out_;
};

void write_csv_row(OutBuffer& out, const track::Position& p, std::int64_t segment_ms, WithSource ws) {
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
    out.put(',');
    out.write(track::SegmentId{p.mmsi, segment_ms}.to_string());
    if (ws == WithSource::yes) {
        out.put(',');
        out.write(ref_text(p.ref));
    }
    out.put('\n');
}

/// GeoPackage DATETIME text: ISO 8601 UTC with milliseconds always ("YYYY-MM-DDTHH:MM:SS.SSSZ",
/// OGC 12-128r18 table 1; GDAL warns about other forms).
std::string gpkg_time(std::int64_t ms) {
    std::string s = track::format_time(ms);
    if (s.find('.') == std::string::npos && !s.empty() && s.back() == 'Z') s.insert(s.size() - 1, ".000");
    return s;
}

/// The GeoPackage export: layer "positions" (points), "segments" (one line per segment with at least
/// two positions in the selection) and the attribute table "vessels" (latest identity per MMSI).
class GpkgExport {
public:
    explicit GpkgExport(const std::string& path)
        : gp_(path),
          positions_(gp_.add_feature_layer("positions", track::gpkg::GeometryType::point,
                                           {{"mmsi", F::integer},
                                            {"time", F::datetime},
                                            {"segment", F::text},
                                            {"sog", F::real},
                                            {"cog", F::real},
                                            {"heading", F::integer},
                                            {"status", F::integer},
                                            {"type", F::integer},
                                            {"receivers", F::integer},
                                            {"source", F::text}},
                                           "AIS positions (vesselwatch track): speed in knots, course and heading "
                                           "in degrees, NULL = not available; source = SOURCE:LINE for "
                                           "'vesselwatch raw'")),
          segments_(gp_.add_feature_layer("segments", track::gpkg::GeometryType::linestring,
                                          {{"segment", F::text},
                                           {"mmsi", F::integer},
                                           {"first_time", F::datetime},
                                           {"last_time", F::datetime},
                                           {"positions", F::integer}},
                                          "Segments: positions of one MMSI that are physically consistent "
                                          "(one vessel), as lines in time order")),
          vessels_(gp_.add_attribute_table("vessels",
                                           {{"mmsi", F::integer},
                                            {"name", F::text},
                                            {"callsign", F::text},
                                            {"imo", F::integer},
                                            {"imo_valid", F::integer},
                                            {"ship_type", F::integer},
                                            {"flag", F::text},
                                            {"positions", F::integer},
                                            {"segments", F::integer},
                                            {"first_time", F::datetime},
                                            {"last_time", F::datetime}},
                                           "Vessels exported, with the latest identity they broadcast")) {}

    void add(track::Store& store, std::uint32_t mmsi, const track::SegmentedTrack& t) {
        std::map<std::int64_t, std::vector<track::gpkg::LonLat>> lines;
        for (std::size_t k = 0; k < t.positions.size(); ++k) {
            const track::Position& p = t.positions[k];
            auto& l = positions_;
            l.set(0, static_cast<std::int64_t>(p.mmsi)).set(1, gpkg_time(p.time_ms));
            l.set(2, track::SegmentId{mmsi, t.segment_ms[k]}.to_string());
            if (p.sog != track::kSogUnavailable) l.set(3, p.sog / 10.0);
            if (p.cog != track::kCogUnavailable) l.set(4, p.cog / 10.0);
            if (p.heading != track::kHeadingUnavailable) l.set(5, static_cast<std::int64_t>(p.heading));
            if (p.type >= 1 && p.type <= 3) l.set(6, static_cast<std::int64_t>(p.status));
            l.set(7, static_cast<std::int64_t>(p.type)).set(8, static_cast<std::int64_t>(p.receivers));
            l.set(9, ref_text(p.ref));
            l.insert_point({p.lon_deg(), p.lat_deg()});
            lines[t.segment_ms[k]].push_back({p.lon_deg(), p.lat_deg()});
        }
        std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> span;  // first, last time
        for (std::size_t k = 0; k < t.positions.size(); ++k) {
            auto [it, fresh] = span.try_emplace(t.segment_ms[k], t.positions[k].time_ms, t.positions[k].time_ms);
            if (!fresh) it->second.second = t.positions[k].time_ms;
        }
        for (const auto& [seg, pts] : lines) {
            if (pts.size() < 2) {
                ++single_position_segments_;
                continue;
            }
            segments_.set(0, track::SegmentId{mmsi, seg}.to_string()).set(1, static_cast<std::int64_t>(mmsi));
            segments_.set(2, gpkg_time(span[seg].first)).set(3, gpkg_time(span[seg].second));
            segments_.set(4, static_cast<std::int64_t>(pts.size()));
            segments_.insert_line(pts);
        }
        if (t.positions.empty()) return;
        vessels_.set(0, static_cast<std::int64_t>(mmsi));
        const auto ids = store.identities(mmsi);
        if (!ids.empty()) {
            const auto& d = ids.back().data;
            // (GeoPackage text is UTF-8; the stored identity is the source's bytes)
            vessels_.set(1, utf8_replacing(d.name)).set(2, utf8_replacing(d.callsign));
            vessels_.set(3, static_cast<std::int64_t>(d.imo));
            vessels_.set(4, static_cast<std::int64_t>(track::imo_is_valid(d.imo) ? 1 : 0));
            vessels_.set(5, static_cast<std::int64_t>(d.ship_type));
        }
        if (const auto flag = track::flag_of_mmsi(mmsi)) vessels_.set(6, flag->iso2);
        vessels_.set(7, static_cast<std::int64_t>(t.positions.size())).set(8, static_cast<std::int64_t>(lines.size()));
        vessels_.set(9, gpkg_time(t.positions.front().time_ms));
        vessels_.set(10, gpkg_time(t.positions.back().time_ms));
        vessels_.insert();
    }

    void finish() { gp_.finish(); }
    [[nodiscard]] std::uint64_t lines() const noexcept { return segments_.rows(); }
    [[nodiscard]] std::uint64_t single_position_segments() const noexcept { return single_position_segments_; }

private:
    using F = track::gpkg::FieldType;
    track::gpkg::Writer gp_;
    track::gpkg::Layer& positions_;
    track::gpkg::Layer& segments_;
    track::gpkg::Layer& vessels_;
    std::uint64_t single_position_segments_ = 0;
};

}  // namespace

CommandSpec track_spec() {
    CommandSpec s;
    s.name = "track";
    s.summary = "export vessel tracks with their segments (GeoJSON, CSV, NDJSON, GeoPackage)";
    s.synopsis = "vesselwatch track DB (--mmsi N | --all) [--from TIME] [--to TIME] [--bbox W,S,E,N] [OPTIONS]";
    s.description =
        "    Writes the stored positions of one MMSI (or of every MMSI with --all, by MMSI) in time\n"
        "    order, from complete sources only, filtered by time (inclusive, ISO 8601 UTC or Unix\n"
        "    seconds) and by a lon/lat box. Speeds, courses and headings that AIS marks 'not available'\n"
        "    are left out of the record. Every position carries its segment: the id\n"
        "    'MMSI-FIRSTTIME' of the physically consistent run of positions (one vessel) it belongs to;\n"
        "    one MMSI shared by several vessels has several segments at once (see docs/store.md).\n"
        "    --with-source adds each position's reference 'SOURCE:LINE' ('SOURCE:LINE+LINE' for\n"
        "    multi-part messages) that 'vesselwatch raw DB SOURCE:LINE' turns back into the original\n"
        "    input lines.\n\n"
        "    --format gpkg writes an OGC GeoPackage (needs -o FILE; an existing FILE is replaced) that\n"
        "    QGIS and GDAL open: layer 'positions' (points, WGS 84, with the segment and the source\n"
        "    reference), layer 'segments' (one line per segment with at least two positions in the\n"
        "    selection) and table 'vessels' (latest identity, counts, time span).\n";
    s.options = {
        {"mmsi", 0, Arity::value, "N", "The vessel."},
        {"all", 0, Arity::flag, "", "Every vessel of the store instead of one."},
        {"from", 0, Arity::value, "TIME", "First time, inclusive."},
        {"to", 0, Arity::value, "TIME", "Last time, inclusive."},
        {"bbox", 0, Arity::value, "W,S,E,N", "Only positions inside this box (degrees)."},
        {"format", 'f', Arity::value, "FORMAT",
         "geojson (default: one FeatureCollection of points), csv, ndjson or gpkg."},
        {"with-source", 0, Arity::flag, "", "Add the provenance reference of each position (always in gpkg)."},
        {"output", 'o', Arity::value, "FILE", "Write to FILE instead of standard output."},
    };
    s.examples =
        "    vesselwatch track case.vw --mmsi 273444660 > track.geojson\n"
        "    vesselwatch track case.vw --mmsi 273444660 --from 2021-01-01 --to 2021-01-02T12:00 -f csv\n"
        "    vesselwatch track case.vw --mmsi 273444660 --with-source -f ndjson | head -1\n"
        "    vesselwatch track case.vw --mmsi 273444660 -f gpkg -o track.gpkg\n"
        "    vesselwatch track case.vw --all --from 2021-01-01 -f gpkg -o all.gpkg\n";
    return s;
}

Exit track_run(const ParsedArgs& args) {
    if (args.positional().size() != 1) throw ConfigError("track needs exactly one DB (see vesselwatch track --help)");
    const auto mmsi_text = args.value("mmsi");
    const bool all = args.has("all");
    if (!mmsi_text && !all) throw ConfigError("track needs --mmsi N or --all");
    if (mmsi_text && all) throw ConfigError("track takes --mmsi N or --all, not both");
    track::TrackFilter flt;
    for (const char* name : {"from", "to"}) {
        if (auto v = args.value(name)) {
            auto t = track::parse_time(*v);
            if (!t) throw ConfigError(std::string("option --") + name + ": '" + *v + "' is not an ISO 8601 UTC time");
            // a bare date as --to means the whole day
            // (YYYY-MM-DD: ten characters with a '-' at index 4; a 10-digit Unix time is not a date)
            if (std::string_view(name) == "to" && v->size() == 10 && (*v)[4] == '-') *t += 86400000 - 1;
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
        else if (*f == "gpkg" || *f == "geopackage")
            format = TrackFormat::gpkg;
        else
            throw ConfigError("option --format: '" + *f + "' is not one of geojson, csv, ndjson, gpkg");
    }
    const auto output = args.value("output");
    if (format == TrackFormat::gpkg && (!output || *output == "-"))
        throw ConfigError("--format gpkg needs -o FILE (a GeoPackage is a SQLite file, not a stream)");
    const WithSource ws = args.has("with-source") ? WithSource::yes : WithSource::no;

    track::Store store(args.positional()[0], track::Access::read_only);
    (void)warn_if_simulated(store);
    std::vector<std::uint32_t> mmsis;
    if (all)
        mmsis = store.mmsis();
    else
        mmsis.push_back(static_cast<std::uint32_t>(parse_count("mmsi", *mmsi_text)));

    std::uint64_t positions = 0, computed = 0;
    auto fetch = [&](std::uint32_t mmsi) {
        track::SegmentOrigin origin = track::SegmentOrigin::stored;
        auto t = store.track_segmented(mmsi, flt, &origin);
        if (origin == track::SegmentOrigin::computed && !t.positions.empty()) ++computed;
        positions += t.positions.size();
        return t;
    };

    if (format == TrackFormat::gpkg) {
        std::optional<GpkgExport> gp;
        try {
            gp.emplace(*output);
            for (const std::uint32_t mmsi : mmsis) gp->add(store, mmsi, fetch(mmsi));
            gp->finish();
        } catch (const IoError& e) {
            // A failure of the GeoPackage file is an output error (exit 3); the store's are input errors.
            if (dynamic_cast<const OutputError*>(&e) != nullptr || e.where().file != *output) throw;
            throw OutputError(e.where(), e.message());
        }
        std::fprintf(stderr, "track: %llu positions, %llu segment lines", static_cast<unsigned long long>(positions),
                     static_cast<unsigned long long>(gp->lines()));
        if (gp->single_position_segments() > 0)
            std::fprintf(stderr, " (%llu segments of one position have no line)",
                         static_cast<unsigned long long>(gp->single_position_segments()));
        std::fprintf(stderr, " -> %s\n", output->c_str());
    } else {
        TextOutput to(output);
        OutBuffer& out = to.out();
        std::size_t written = 0;
        if (format == TrackFormat::csv) {
            out.write("mmsi,time,lat,lon,sog,cog,heading,status,type,receivers,segment");
            if (ws == WithSource::yes) out.write(",source");
            out.put('\n');
        } else if (format == TrackFormat::geojson) {
            out.write("{\"type\":\"FeatureCollection\",\"features\":[");
        }
        for (const std::uint32_t mmsi : mmsis) {
            const auto t = fetch(mmsi);
            for (std::size_t k = 0; k < t.positions.size(); ++k) {
                const auto& p = t.positions[k];
                const std::int64_t seg = t.segment_ms[k];
                if (format == TrackFormat::csv) {
                    write_csv_row(out, p, seg, ws);
                } else if (format == TrackFormat::ndjson) {
                    out.write("{");
                    write_props(out, p, seg, ws);
                    out.write(",\"lat\":");
                    write_fixed(out, p.lat_deg(), kLatLonDecimals);
                    out.write(",\"lon\":");
                    write_fixed(out, p.lon_deg(), kLatLonDecimals);
                    out.write("}\n");
                } else {
                    out.write(written ? ",\n" : "\n");
                    out.write("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
                    write_fixed(out, p.lon_deg(), kLatLonDecimals);
                    out.put(',');
                    write_fixed(out, p.lat_deg(), kLatLonDecimals);
                    out.write("]},\"properties\":{");
                    write_props(out, p, seg, ws);
                    out.write("}}");
                }
                ++written;
            }
        }
        if (format == TrackFormat::geojson) out.write("\n]}\n");
        out.flush();
    }
    if (positions == 0) {
        if (all)
            std::fprintf(stderr, "track: no positions in %s\n", store.path().c_str());
        else
            std::fprintf(stderr, "track: no positions for MMSI %u in %s\n", mmsis.front(), store.path().c_str());
    }
    if (computed > 0)
        std::fprintf(stderr,
                     "track: segments of %llu vessel(s) computed on the fly (not stored or older than the positions)\n",
                     static_cast<unsigned long long>(computed));
    return Exit::ok;
}

}  // namespace vw::cli
