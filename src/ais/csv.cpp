// CSV writer: a visitor over the same field lists as the JSON writer, with the same presentation
// (present.hpp); each field whose JSON name is a column fills that cell.
#include "vesselwatch/ais/csv.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "format.hpp"
#include "present.hpp"

namespace vw::ais {
namespace {

constexpr std::size_t kColumns = kCsvColumns.size();
constexpr std::size_t kDeviceCol = csv_column("device");
constexpr std::size_t kLineCol = csv_column("line");
constexpr std::size_t kRxtimeCol = csv_column("rxtime");
constexpr std::size_t kStationCol = csv_column("station");
constexpr std::size_t kTypeCol = csv_column("type");
constexpr std::size_t kRepeatCol = csv_column("repeat");
constexpr std::size_t kMmsiCol = csv_column("mmsi");
static_assert(kStationCol < kColumns && kMmsiCol < kColumns);

// Column lookup by field name, called for every field: a hash of the length and the first and last
// two characters picks the one candidate column (no two columns share a slot: static_assert below),
// then one comparison confirms it.
constexpr std::size_t kSlots = 128;
constexpr std::size_t name_slot(std::string_view n) noexcept {
    const auto c = [&n](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(n[i])); };
    return (n.size() * 14 + c(0) * 36 + c(n.size() - 1) * 5 + c(n.size() - 2)) % kSlots;
}
struct SlotTable {
    std::array<std::uint8_t, kSlots> column{};
    bool unique = true;
    constexpr SlotTable() {
        column.fill(static_cast<std::uint8_t>(kColumns));
        for (std::size_t i = 0; i < kColumns; ++i) {
            auto& slot = column[name_slot(kCsvColumns[i])];
            if (slot != kColumns) unique = false;
            slot = static_cast<std::uint8_t>(i);
        }
    }
};
constexpr SlotTable kSlotTable{};
static_assert(kSlotTable.unique, "two CSV columns hash to one slot: change name_slot");

/// Same answer as csv_column(), in a few instructions.
inline std::size_t column_of(std::string_view name) noexcept {
    if (name.size() < 2) return kColumns;
    const std::size_t col = kSlotTable.column[name_slot(name)];
    if (col == kColumns) return kColumns;
    const std::string_view c = kCsvColumns[col];
    return c.size() == name.size() && std::memcmp(c.data(), name.data(), c.size()) == 0 ? col : kColumns;
}

/// Fills the cells of one row in a scratch buffer, then writes them in column order.
class CsvWriter {
public:
    template <class M>
    void header(const M& m) noexcept {
        number(kTypeCol, m.type);
        number(kRepeatCol, m.repeat);
        number(kMmsiCol, m.mmsi);
    }

    template <class T>
    requires std::is_integral_v<T>
    void operator()(const Field& f, const T& x) noexcept {
        if ((f.flags & kNoJson) != 0) return;
        const auto v = static_cast<std::int64_t>(x);
        if (present::remember_part(f, v, date_)) return;
        const std::size_t col = column_of(f.name);
        if (col == kColumns) return;
        char* start = scratch_end();
        char* end = f.fmt == Fmt::nav_status_text  // the code, as every other type's status column
                        ? fmt::put_i64(start, v)
                        : present::put_value<present::Strings::raw>(start, f, v, date_);
        set(col, start, end);
    }

    template <std::size_t N>
    void operator()(const Field& f, const Text<N>& t) noexcept {
        if ((f.flags & kNoJson) != 0) return;
        text(column_of(f.name), t.view());
    }

    void operator()(const Field&, const BitData&) noexcept {}  // binary data has no column
    void count(std::size_t, std::size_t, std::size_t, const std::uint8_t&, Entries = {}) const noexcept {}
    void discriminator(const Field&, const bool&) const noexcept {}

    void part24(const Field& f, const std::uint8_t& partno, const bool& merged) noexcept {
        if (!merged) text(column_of(f.name), partno == 0 ? "A" : "B");
    }

    template <std::size_t N>
    void aton_name(const Field& f, const Text<N>& t) noexcept {
        (*this)(f, t);
    }

    /// Application fields stay out of the row: their names (lat, shiptype, draught...) would land in
    /// columns with other units. The row keeps dac and fid.
    void binary(const Field&, const BitData&, const App&, unsigned, unsigned, unsigned) noexcept {}

    void metadata(const JsonMeta& meta) noexcept {
        if (meta.line != 0) number(kLineCol, meta.line);
        if (meta.rxtime_ms) {
            char* start = scratch_end();
            set(kRxtimeCol, start, format_rxtime(start, *meta.rxtime_ms));
        }
        device_ = meta.device;
        station_ = meta.station;
    }

    /// Writes the row; `out` must have room for max_row_bytes().
    [[nodiscard]] char* write_row(char* p) const noexcept {
        for (std::size_t c = 0; c < kColumns; ++c) {
            if (c != 0) *p++ = ',';
            if (c == kDeviceCol) {
                p = cell(p, device_);
            } else if (c == kStationCol) {
                p = cell(p, station_);
            } else if (cells_[c].text) {
                p = cell(p, {scratch_.data() + cells_[c].offset, cells_[c].len});
            } else {
                p = fmt::put(p, {scratch_.data() + cells_[c].offset, cells_[c].len});
            }
        }
        *p++ = '\n';
        return p;
    }

    /// Worst case: every byte replaced by U+FFFD (3 bytes; a quote doubled takes 2), every cell
    /// quoted, plus separators. (Only device and station can hold non-ASCII bytes today; the bound
    /// does not rely on it.)
    [[nodiscard]] std::size_t max_row_bytes() const noexcept {
        return 3 * (used_ + device_.size() + station_.size()) + 3 * kColumns + 1;
    }

private:
    struct Cell {
        std::uint16_t offset = 0;
        std::uint16_t len = 0;
        bool text = false;  // may need quoting (numbers and dates never do)
    };

    [[nodiscard]] char* scratch_end() noexcept { return scratch_.data() + used_; }

    void set(std::size_t col, const char* start, const char* end, bool text = false) noexcept {
        const auto len = static_cast<std::size_t>(end - start);
        cells_[col] = {static_cast<std::uint16_t>(used_), static_cast<std::uint16_t>(len), text};
        used_ += len;
    }

    void number(std::size_t col, std::uint64_t v) noexcept {
        char* start = scratch_end();
        set(col, start, fmt::put_u64(start, v));
    }

    void text(std::size_t col, std::string_view s) noexcept {
        if (col == kColumns || s.empty()) return;
        char* start = scratch_end();
        set(col, start, fmt::put(start, s), true);
    }

    /// RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. Bytes
    /// 0x80-0xFF (device paths, a tag block's station) are UTF-8: each maximal ill-formed subpart is
    /// written as U+FFFD, as in the JSON (util/text.hpp).
    static char* cell(char* p, std::string_view s) noexcept {
        bool plain = true;
        for (const char c : s)
            plain = plain && c != ',' && c != '"' && c != '\r' && c != '\n' && static_cast<unsigned char>(c) < 0x80;
        if (plain) return fmt::put(p, s);
        const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
        if (quote) *p++ = '"';
        for (std::size_t i = 0; i < s.size();) {
            const int len = utf8_sequence_at(s.substr(i));
            if (len < 0) {
                p = fmt::put(p, kReplacementCharacter);
                i += static_cast<std::size_t>(-len);
                continue;
            }
            if (s[i] == '"') *p++ = '"';
            std::memcpy(p, s.data() + i, static_cast<std::size_t>(len));
            p += len;
            i += static_cast<std::size_t>(len);
        }
        if (quote) *p++ = '"';
        return p;
    }

    // Every value is at most a JSON value's size; a message's fields fit in a JSON line.
    std::array<char, kMaxJsonLineBytes> scratch_;
    std::size_t used_ = 0;
    std::array<Cell, kColumns> cells_{};
    std::string_view device_, station_;
    present::DateParts date_;
};

}  // namespace

void write_csv_header(OutBuffer& out) {
    for (std::size_t c = 0; c < kColumns; ++c) {
        if (c != 0) out.put(',');
        out.write(kCsvColumns[c]);
    }
    out.put('\n');
}

template <class M>
void write_csv(OutBuffer& out, const M& m, const JsonMeta& meta) {
    CsvWriter w;
    visit(w, m, static_cast<M*>(nullptr));
    w.metadata(meta);
    char* start = out.reserve(w.max_row_bytes());
    out.advance(static_cast<std::size_t>(w.write_row(start) - start));
}

void write_csv(OutBuffer& out, const Message& m, const JsonMeta& meta) {
    std::visit([&](const auto& x) { write_csv(out, x, meta); }, m);
}

#define VW_AIS_INSTANTIATE(T) template void write_csv<T>(OutBuffer&, const T&, const JsonMeta&);
VW_AIS_FOR_EACH_MESSAGE(VW_AIS_INSTANTIATE)
#undef VW_AIS_INSTANTIATE

}  // namespace vw::ais
