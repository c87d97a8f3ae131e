#include "vesselwatch/track/ingest.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <type_traits>
#include <unordered_map>

#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/track/sha256.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::track {

namespace {

constexpr std::array<std::string_view, kCleaningCount> kCleaningNames = {
    "position_unavailable", "position_out_of_range", "speed_unavailable", "noise_speed",
    "course_unavailable",   "heading_unavailable",   "out_of_order",      "exact_duplicates",
    "receiver_duplicates",  "missing_time",          "invalid_imo",       "other_messages"};

// SOG values real transponders send that are not speeds (51.2 = 512 is a 9-bit overflow, 63.0 the
// class B "not available" of some units, 102.2 "102.2 kn or more").
constexpr std::array<std::uint16_t, 3> kNoiseSogTenths = {512, 630, 1022};
constexpr std::int32_t kMaxLatUnits = 90 * kUnitsPerDegree;
constexpr std::int32_t kMaxLonUnits = 180 * kUnitsPerDegree;
constexpr std::uint16_t kMaxHeadingDeg = 359;
constexpr std::int32_t kLongRangeUnitScale = 1000;  // 1/10 minute -> 1/10000 minute
constexpr std::uint8_t kLongRangeSogUnavailable = 63;
constexpr std::uint16_t kLongRangeCogUnavailable = 511;
constexpr std::uint16_t kSarSogUnavailable = 1023;
constexpr std::uint8_t kMaxReceivers = 255;
constexpr std::size_t kRecentMessages = 8;
constexpr std::uint32_t kNoIndex = UINT32_MAX;
constexpr std::uint8_t kEtaMonthUnavailable = 0, kEtaDayUnavailable = 0, kEtaHourUnavailable = 24,
                       kEtaMinuteUnavailable = 60;

struct Recent {
    std::uint64_t hash = 0;
    std::int64_t time_ms = 0;
    std::uint64_t station_hash = 0;
    std::uint32_t index = kNoIndex;  // into Vessel::buffer while it is buffered
    bool used = false;
};

struct Vessel {
    std::vector<Position> buffer;
    std::int64_t last_time_ms = INT64_MIN;
    std::array<Recent, kRecentMessages> recent{};
    std::uint8_t recent_next = 0;
    bool has_open = false;
    IdentityRecord open;
    StaticData current;
};

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Every non-empty field of `a` equals the same field of `b` (b only adds information).
bool refines(const StaticData& a, const StaticData& b) {
    auto same_or_empty_s = [](const std::string& x, const std::string& y) { return x.empty() || x == y; };
    auto same_or_zero = [](auto x, auto y) { return x == 0 || x == y; };
    return (a.station_class == StationClass::unknown || a.station_class == b.station_class) &&
           same_or_empty_s(a.name, b.name) && same_or_empty_s(a.callsign, b.callsign) && same_or_zero(a.imo, b.imo) &&
           same_or_zero(a.ship_type, b.ship_type) && same_or_zero(a.to_bow, b.to_bow) &&
           same_or_zero(a.to_stern, b.to_stern) && same_or_zero(a.to_port, b.to_port) &&
           same_or_zero(a.to_starboard, b.to_starboard) && same_or_zero(a.draught_dm, b.draught_dm) &&
           same_or_empty_s(a.destination, b.destination) && same_or_empty_s(a.eta, b.eta);
}

std::string eta_text(unsigned month, unsigned day, unsigned hour, unsigned minute) {
    if (month == kEtaMonthUnavailable && day == kEtaDayUnavailable && hour == kEtaHourUnavailable &&
        minute == kEtaMinuteUnavailable)
        return {};
    if (month == kEtaMonthUnavailable && day == kEtaDayUnavailable && hour == 0 && minute == 0) return {};
    char buf[24];
    std::snprintf(buf, sizeof buf, "%02u-%02uT%02u:%02u", month, day, hour, minute);
    return buf;
}

}  // namespace

std::string_view cleaning_name(Cleaning c) noexcept { return kCleaningNames[static_cast<std::size_t>(c)]; }

/// Per-file ingest state: vessel buffers, identities, the open transaction.
struct Ingester::State {
    Store& store;
    const IngestOptions& opt;
    FileResult& result;
    std::int64_t file_id = 0;
    std::string file_path;
    std::unordered_map<std::uint32_t, Vessel> vessels;
    std::unordered_map<std::uint32_t, std::uint32_t> source_ids;  // pipeline's per-call id -> track_sources.id
    std::size_t buffered = 0;
    std::int64_t stream_time_ms = INT64_MIN;
    std::size_t in_batch = 0;
    std::optional<db::Transaction> tx;
    std::vector<Position> scratch;

    State(Store& s, const IngestOptions& o, FileResult& r) : store(s), opt(o), result(r) {}

    void count(Cleaning c, std::uint64_t n = 1) { result.cleaning[static_cast<std::size_t>(c)] += n; }

    void begin() { tx.emplace(store.database()); }
    void commit() {
        tx->commit();
        tx.reset();
        ++result.batches;
    }

    std::uint32_t source_id(const pipeline::MessageOrigin& o) {
        auto it = source_ids.find(o.nmea.source_id);
        if (it != source_ids.end()) return it->second;
        // The pipeline names an archive entry "<path>!<entry>"; keep what follows the path.
        std::string entry;
        if (o.source.size() > file_path.size() && o.source.compare(0, file_path.size(), file_path) == 0)
            entry = o.source.substr(file_path.size());
        const std::uint32_t id = store.insert_source(file_id, entry, o.source);
        source_ids.emplace(o.nmea.source_id, id);
        return id;
    }

    void flush_vessel(Vessel& v) {
        if (v.buffer.empty()) return;
        std::stable_sort(v.buffer.begin(), v.buffer.end(), [](const Position& a, const Position& b) {
            if (a.ref.source_id != b.ref.source_id) return a.ref.source_id < b.ref.source_id;
            return a.time_ms < b.time_ms;
        });
        std::size_t start = 0;
        for (std::size_t k = 1; k <= v.buffer.size(); ++k) {
            if (k == v.buffer.size() || v.buffer[k].ref.source_id != v.buffer[start].ref.source_id ||
                utc_day(v.buffer[k].time_ms) != utc_day(v.buffer[start].time_ms)) {
                store.insert_chunk(std::span<const Position>(v.buffer.data() + start, k - start), opt.zstd_level);
                start = k;
            }
        }
        result.positions += v.buffer.size();
        buffered -= v.buffer.size();
        v.buffer.clear();
        for (Recent& r : v.recent) r.index = kNoIndex;
    }

    void close_identity(Vessel& v) {
        if (!v.has_open) return;
        store.insert_identity(v.open);
        ++result.identities;
        v.has_open = false;
    }

    /// End of a batch: write out idle vessels (and everything when over the memory bound), commit.
    void end_batch() {
        const bool all = buffered > opt.max_buffered_positions;
        for (auto it = vessels.begin(); it != vessels.end();) {
            Vessel& v = it->second;
            const bool idle = v.last_time_ms < stream_time_ms - kIdleFlushMs;
            if (all || idle) {
                flush_vessel(v);
                v.buffer.shrink_to_fit();
            }
            if (idle) {  // forget it: memory follows the vessels active at once
                close_identity(v);
                it = vessels.erase(it);
            } else {
                ++it;
            }
        }
        commit();
        begin();
        in_batch = 0;
    }

    void finish_file() {
        for (auto& [mmsi, v] : vessels) {
            flush_vessel(v);
            close_identity(v);
        }
        vessels.clear();
    }

    struct Context {
        std::int64_t time_ms;
        std::uint64_t hash;
        std::uint64_t station_hash;
        SourceRef ref;
    };

    enum class Dup : std::uint8_t { none, exact, receiver };

    Dup find_duplicate(Vessel& v, const Context& c, std::uint32_t*& index) {
        for (Recent& r : v.recent) {
            if (!r.used || r.hash != c.hash) continue;
            const std::int64_t dt = c.time_ms - r.time_ms;
            if (dt == 0 && r.station_hash == c.station_hash) {
                index = &r.index;
                return Dup::exact;
            }
            if (dt <= kDuplicateWindowMs && dt >= -kDuplicateWindowMs) {
                index = &r.index;
                return Dup::receiver;
            }
        }
        return Dup::none;
    }

    void remember(Vessel& v, const Context& c, std::uint32_t index) {
        Recent& r = v.recent[v.recent_next];
        v.recent_next = static_cast<std::uint8_t>((v.recent_next + 1) % kRecentMessages);
        r = Recent{c.hash, c.time_ms, c.station_hash, index, true};
    }

    /// Cleans and buffers a position; returns its buffer index or kNoIndex when not stored.
    std::uint32_t add_position(Vessel& v, Position p) {
        if (p.lat == kLatUnavailable || p.lon == kLonUnavailable) {
            count(Cleaning::position_unavailable);
            return kNoIndex;
        }
        if (p.lat > kMaxLatUnits || p.lat < -kMaxLatUnits || p.lon > kMaxLonUnits || p.lon < -kMaxLonUnits) {
            count(Cleaning::position_out_of_range);
            return kNoIndex;
        }
        if (p.sog == kSogUnavailable) {
            count(Cleaning::speed_unavailable);
        } else if (std::find(kNoiseSogTenths.begin(), kNoiseSogTenths.end(), p.sog) != kNoiseSogTenths.end()) {
            count(Cleaning::noise_speed);
            p.sog = kSogUnavailable;
        } else if (p.sog > kSogUnavailable) {
            p.sog = kSogUnavailable;
        }
        if (p.cog >= kCogUnavailable) {
            count(Cleaning::course_unavailable);
            p.cog = kCogUnavailable;
        }
        if (p.heading > kMaxHeadingDeg) {
            count(Cleaning::heading_unavailable);
            p.heading = kHeadingUnavailable;
        }
        v.buffer.push_back(p);
        ++buffered;
        return static_cast<std::uint32_t>(v.buffer.size() - 1);
    }

    void update_identity(Vessel& v, std::uint32_t mmsi, const StaticData& next, const Context& c) {
        v.current = next;
        if (v.has_open) {
            if (v.open.data == next || refines(v.open.data, next)) {
                v.open.data = next;
                v.open.first_ms = std::min(v.open.first_ms, c.time_ms);
                v.open.last_ms = std::max(v.open.last_ms, c.time_ms);
                ++v.open.reports;
                v.open.last_line = c.ref.line;
                return;
            }
            close_identity(v);
        }
        v.has_open = true;
        v.open = IdentityRecord{};
        v.open.mmsi = mmsi;
        v.open.first_ms = v.open.last_ms = c.time_ms;
        v.open.reports = 1;
        v.open.data = next;
        v.open.first_ref = c.ref;
        v.open.last_line = c.ref.line;
    }

    template <class M>
    void on_message(const M& m, const Context& c) {
        Vessel& v = vessels[m.mmsi];
        std::uint32_t* dup_index = nullptr;
        const Dup dup = find_duplicate(v, c, dup_index);
        if (dup != Dup::none) {
            count(dup == Dup::exact ? Cleaning::exact_duplicates : Cleaning::receiver_duplicates);
            if (opt.duplicates == Duplicates::fold) {
                if (dup == Dup::receiver && *dup_index != kNoIndex) {
                    std::uint8_t& n = v.buffer[*dup_index].receivers;
                    if (n < kMaxReceivers) ++n;
                }
                return;
            }
        }
        if (c.time_ms < v.last_time_ms) count(Cleaning::out_of_order);
        v.last_time_ms = std::max(v.last_time_ms, c.time_ms);
        stream_time_ms = std::max(stream_time_ms, c.time_ms);

        Position p;
        p.mmsi = m.mmsi;
        p.time_ms = c.time_ms;
        p.type = m.type;
        p.ref = c.ref;
        std::uint32_t index = kNoIndex;
        StaticData next = v.current;
        bool identity = false;
        using T = std::decay_t<M>;
        if constexpr (std::is_same_v<T, ais::PositionA>) {
            p.lat = m.lat;
            p.lon = m.lon;
            p.sog = m.speed;
            p.cog = m.course;
            p.heading = m.heading;
            p.turn = m.turn;
            p.status = m.status;
            p.flags = static_cast<std::uint8_t>((m.accuracy ? kFlagAccuracy : 0) | (m.raim ? kFlagRaim : 0));
            index = add_position(v, p);
        } else if constexpr (std::is_same_v<T, ais::PositionB> || std::is_same_v<T, ais::PositionBExtended>) {
            p.lat = m.lat;
            p.lon = m.lon;
            p.sog = m.speed;
            p.cog = m.course;
            p.heading = m.heading;
            p.flags = static_cast<std::uint8_t>((m.accuracy ? kFlagAccuracy : 0) | (m.raim ? kFlagRaim : 0));
            if constexpr (std::is_same_v<T, ais::PositionB>) {
                if (m.cs) p.flags |= kFlagClassBCs;
            } else {
                next.station_class = StationClass::class_b;
                next.name = std::string(m.shipname.view());
                next.ship_type = m.shiptype;
                next.to_bow = m.to_bow;
                next.to_stern = m.to_stern;
                next.to_port = m.to_port;
                next.to_starboard = m.to_starboard;
                identity = true;
            }
            index = add_position(v, p);
        } else if constexpr (std::is_same_v<T, ais::LongRange>) {
            p.lat = m.lat * kLongRangeUnitScale;
            p.lon = m.lon * kLongRangeUnitScale;
            p.sog = m.speed == kLongRangeSogUnavailable ? kSogUnavailable : static_cast<std::uint16_t>(m.speed * 10);
            p.cog = m.course == kLongRangeCogUnavailable ? kCogUnavailable : static_cast<std::uint16_t>(m.course * 10);
            p.status = m.status;
            p.flags = static_cast<std::uint8_t>((m.accuracy ? kFlagAccuracy : 0) | (m.raim ? kFlagRaim : 0));
            if (p.lat == 91 * 600 * kLongRangeUnitScale) p.lat = kLatUnavailable;
            if (p.lon == 181 * 600 * kLongRangeUnitScale) p.lon = kLonUnavailable;
            index = add_position(v, p);
        } else if constexpr (std::is_same_v<T, ais::SarPosition>) {
            p.lat = m.lat;
            p.lon = m.lon;
            p.sog = m.speed == kSarSogUnavailable ? kSogUnavailable : static_cast<std::uint16_t>(m.speed * 10);
            p.cog = m.course;
            p.flags = static_cast<std::uint8_t>((m.accuracy ? kFlagAccuracy : 0) | (m.raim ? kFlagRaim : 0));
            index = add_position(v, p);
        } else if constexpr (std::is_same_v<T, ais::BaseStation>) {
            p.lat = m.lat;
            p.lon = m.lon;
            p.flags = static_cast<std::uint8_t>((m.accuracy ? kFlagAccuracy : 0) | (m.raim ? kFlagRaim : 0));
            index = add_position(v, p);
        } else if constexpr (std::is_same_v<T, ais::AidToNavigation>) {
            p.lat = m.lat;
            p.lon = m.lon;
            p.flags = static_cast<std::uint8_t>((m.accuracy ? kFlagAccuracy : 0) | (m.raim ? kFlagRaim : 0));
            index = add_position(v, p);
            next.station_class = StationClass::aid_to_navigation;
            next.name = std::string(m.name.view());
            next.ship_type = m.aid_type;
            next.to_bow = m.to_bow;
            next.to_stern = m.to_stern;
            next.to_port = m.to_port;
            next.to_starboard = m.to_starboard;
            identity = true;
        } else if constexpr (std::is_same_v<T, ais::StaticVoyage>) {
            next.station_class = StationClass::class_a;
            next.name = std::string(m.shipname.view());
            next.callsign = std::string(m.callsign.view());
            next.imo = m.imo;
            next.ship_type = m.shiptype;
            next.to_bow = m.to_bow;
            next.to_stern = m.to_stern;
            next.to_port = m.to_port;
            next.to_starboard = m.to_starboard;
            next.draught_dm = m.draught;
            next.destination = std::string(m.destination.view());
            next.eta = eta_text(m.month, m.day, m.hour, m.minute);
            if (m.imo != 0 && !imo_is_valid(m.imo)) count(Cleaning::invalid_imo);
            identity = true;
        } else if constexpr (std::is_same_v<T, ais::StaticDataB>) {
            next.station_class = StationClass::class_b;
            if (m.partno == 0) {
                next.name = std::string(m.shipname.view());
            } else {
                if (m.merged) next.name = std::string(m.shipname.view());
                next.ship_type = m.shiptype;
                next.callsign = std::string(m.callsign.view());
                if (!m.auxiliary()) {
                    next.to_bow = m.to_bow;
                    next.to_stern = m.to_stern;
                    next.to_port = m.to_port;
                    next.to_starboard = m.to_starboard;
                }
            }
            identity = true;
        } else {
            count(Cleaning::other_messages);
        }
        if (identity) update_identity(v, m.mmsi, next, c);
        remember(v, c, index);
        if (v.buffer.size() >= opt.chunk_max_positions) flush_vessel(v);
    }
};

Ingester::Ingester(Store& store, IngestOptions options) : store_(store), options_(std::move(options)) {}
Ingester::~Ingester() = default;

FileResult Ingester::ingest_file(const std::string& path, const std::function<void(const IngestProgress&)>& progress) {
    FileResult result;
    result.path = path;
    const FileDigest digest = digest_file(path);
    result.sha256 = to_hex(digest.sha256);
    const std::optional<FileRecord> held = store_.find_file(result.sha256);
    if (held && held->complete) {
        result.outcome = FileResult::Outcome::already_held;
        result.file_id = held->id;
        return result;
    }

    State st(store_, options_, result);
    st.file_path = path;
    {
        db::Transaction tx(store_.database());
        if (held) {  // an interrupted ingest of the same bytes: replace it
            store_.delete_file(held->id);
            result.outcome = FileResult::Outcome::replaced_partial;
        }
        FileRecord f;
        f.path = path;
        std::error_code ec;
        const auto abs = std::filesystem::absolute(path, ec);
        f.abs_path = ec ? path : abs.lexically_normal().string();
        f.size = digest.size;
        f.sha256 = result.sha256;
        f.format = "nmea";
        f.ingested_at_ms = now_ms();
        st.file_id = store_.insert_file(f);
        tx.commit();
    }
    result.file_id = st.file_id;

    pipeline::StreamOptions so = options_.stream;
    if (progress)
        so.progress = [&](const std::string&, const io::Progress& p, std::uint64_t lines) {
            progress(IngestProgress{path, p.consumed_bytes, p.total_bytes, lines, result.positions + st.buffered});
        };

    try {
        st.begin();
        pipeline::for_each_message({path}, so, result.stream, [&](const pipeline::MessageOrigin& o) {
            const nmea::Message& m = o.nmea;
            State::Context c{};
            c.ref.source_id = st.source_id(o);
            c.ref.line = m.first_line();
            c.ref.fragments = std::max<std::uint8_t>(1, m.fragment_count);
            for (std::size_t k = 1; k < m.fragment_count && k <= kMaxExtraLines; ++k)
                c.ref.extra_line_offsets[k - 1] = static_cast<std::uint32_t>(m.lines[k] - m.lines[0]);
            bool timed = true;
            if (m.receive_time_ms) {
                c.time_ms = *m.receive_time_ms;
            } else if (options_.missing_time == MissingTime::assume) {
                c.time_ms = options_.assumed_time_ms;
            } else if (options_.missing_time == MissingTime::skip) {
                timed = false;
            } else {
                throw InputError(SourceLocation{o.source, m.first_line()},
                                 "message without a receive time (no tag block c:, trailer or wrapper time): "
                                 "every stored position needs one; use --missing-time skip to leave such "
                                 "messages out or --assume-time TIME to give them one");
            }
            c.hash = std::hash<std::string_view>{}(m.payload);
            c.station_hash = std::hash<std::string_view>{}(m.station);
            const ais::DecodeResult r = ais::decode(m.payload, m.fill_bits, [&](const auto& msg) {
                if (!timed) {
                    st.count(Cleaning::missing_time);
                    return;
                }
                st.on_message(msg, c);
            });
            if (++st.in_batch >= options_.batch_messages) st.end_batch();
            return r.issue;
        });
        st.finish_file();
        result.lines = result.stream.physical_lines;
        result.messages = result.stream.messages;
        std::vector<std::pair<std::string, std::uint64_t>> counts = {
            {"lines", result.lines},          {"messages", result.messages}, {"positions", result.positions},
            {"identities", result.identities}, {"sentences", result.stream.sentences}};
        for (std::size_t k = 0; k < kCleaningCount; ++k)
            counts.emplace_back("clean." + std::string(kCleaningNames[k]), result.cleaning[k]);
        for (std::size_t k = 0; k < kIssueCount; ++k)
            counts.emplace_back("issue." + std::string(issue_name(static_cast<Issue>(k))), result.stream.issues.n[k]);
        store_.set_file_counts(st.file_id, counts);
        store_.mark_complete(st.file_id);
        st.commit();
    } catch (...) {
        st.tx.reset();  // roll back the open batch
        db::Transaction tx(store_.database());
        store_.delete_file(st.file_id);
        tx.commit();
        throw;
    }
    if (!result.stream.failed_inputs.empty())
        throw IoError(SourceLocation{path}, "could not be read completely: " + result.stream.failed_inputs.front());
    return result;
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& arguments, std::vector<std::string>& skipped) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    auto walk = [&](auto&& self, const std::string& dir) -> void {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        for (const auto& n : names) {
            const std::string p = dir + (dir.ends_with('/') ? "" : "/") + n;
            if (n.starts_with('.')) {
                skipped.push_back(p + ": hidden");
                continue;
            }
            std::error_code ec;
            const auto link = fs::symlink_status(p, ec);
            if (fs::is_directory(link)) {
                self(self, p);
            } else if (fs::is_regular_file(fs::status(p, ec))) {
                out.push_back(p);
            } else {
                skipped.push_back(p + ": not a regular file");
            }
        }
    };
    for (const auto& a : arguments) {
        if (a == io::kStdinArgument)
            throw ConfigError("ingest reads files, not standard input: every stored record must lead back to a "
                              "file that can be verified (save the stream to a file first)");
        std::error_code ec;
        if (fs::is_directory(a, ec))
            walk(walk, a);
        else
            out.push_back(a);
    }
    return out;
}

}  // namespace vw::track
