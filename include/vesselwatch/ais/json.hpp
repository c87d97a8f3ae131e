// gpsd-compatible NDJSON: one line per message with exactly gpsd 3.22's field names, order and
// scaling ("gpsdecode -j", with --split24 semantics for type 24), then our optional metadata fields.
// And the reverse: one gpsd-style JSON line back into a typed message, for `vesselwatch encode`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vesselwatch/ais/messages.hpp"
#include "vesselwatch/util/output.hpp"

namespace vw::ais {

/// Per-line metadata the caller fills. Extra fields are written after gpsd's, in this order.
struct JsonMeta {
    std::string_view device;                // "device":"..." (omitted when empty, as gpsd)
    std::optional<std::int64_t> rxtime_ms;  // "rxtime":"2014-12-10T00:00:01.000Z" (UTC, ms since epoch)
    std::string_view station;               // "station":"..." (omitted when empty)
    std::uint64_t line = 0;                 // "line":N, source line number (omitted when 0)
};

/// Upper bound of one JSON line without the metadata strings.
inline constexpr std::size_t kMaxJsonLineBytes = 4096;

/// Writes one NDJSON line (terminated by '\n'; gpsd ends its lines with "\r\n").
template <class M>
void write_json(OutBuffer& out, const M& m, const JsonMeta& meta);
void write_json(OutBuffer& out, const Message& m, const JsonMeta& meta);

/// Writes `ms` since the Unix epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" into `p` (24 chars); returns the end.
char* format_rxtime(char* p, std::int64_t ms) noexcept;

/// "YYYY-MM-DDTHH:MM:SS[.mmm]Z" (what format_rxtime writes) -> ms since the epoch; nullopt when malformed.
[[nodiscard]] std::optional<std::int64_t> parse_rxtime(std::string_view s) noexcept;

/// Result of reading one JSON line: `error` names the field and what was wrong.
struct [[nodiscard]] JsonReadResult {
    bool ok = false;
    std::string error;
    /// The line's "rxtime" (absent, or present but malformed: nullopt) and "station" (empty when absent).
    std::optional<std::int64_t> rxtime_ms;
    std::string station;
    explicit operator bool() const noexcept { return ok; }
};

/// Reads gpsd-style AIS JSON lines (ours and gpsdecode's) into typed messages. Inverse scaling
/// rounds to the nearest raw value. Keeps its simdjson parser between calls; not thread-safe.
class JsonReader {
public:
    JsonReader();
    ~JsonReader();
    JsonReader(const JsonReader&) = delete;
    JsonReader& operator=(const JsonReader&) = delete;

    JsonReadResult read(std::string_view line, Message& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vw::ais
