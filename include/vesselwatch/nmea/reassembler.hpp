// Multi-part reassembly: sentences in, complete messages out. Bounded in groups and in age;
// every sentence fed in ends up either in exactly one emitted message or counted under exactly one
// issue kind (orphan/out_of_order/duplicate/expired_fragment).
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vesselwatch/nmea/sentence.hpp"
#include "vesselwatch/util/issues.hpp"

namespace vw::nmea {

inline constexpr std::size_t kDefaultMaxOpenGroups = 1024;
inline constexpr std::uint64_t kDefaultMaxGroupAgeLines = 1000;

/// Whether the talker ("AI", "AB"...) is part of the key of a group without a tag-block g:.
enum class TalkerKeying : std::uint8_t {
    strict,  ///< fragments of one message must share the talker (default)
    ignore,  ///< aggregators relabel talkers between fragments (gfw-ais-tools/bad-type5.nmea)
};

struct ReassemblerOptions {
    std::size_t max_open_groups = kDefaultMaxOpenGroups;           ///< more -> the oldest is expired
    std::uint64_t max_group_age_lines = kDefaultMaxGroupAgeLines;  ///< older (same source) -> expired
    TalkerKeying talker_keying = TalkerKeying::strict;
};

/// Where a fragment came from: the caller's source (file) id and 1-based physical line number.
struct FragmentOrigin {
    std::uint32_t source_id = 0;
    std::uint64_t line = 0;
};

/// One complete AIS message. Views are valid until the next call to add() / flush() / clear().
struct Message {
    std::string_view payload;    ///< armored payload, all fragments concatenated
    std::uint8_t fill_bits = 0;  ///< of the last fragment
    char channel = kNoChannel;
    std::string_view talker;
    Origin origin = Origin::other_ship;
    std::int8_t sequence_id = kNoSequenceId;
    std::optional<std::int64_t> receive_time_ms;  ///< of the first fragment that has one
    TimeSource time_source = TimeSource::none;
    std::string_view station;  ///< tag-block s: of the first fragment that has one ("" if none)
    std::uint32_t source_id = 0;
    std::uint8_t fragment_count = 0;
    std::array<std::uint64_t, kMaxFragments> lines{};  ///< line of each fragment, [0, fragment_count)

    [[nodiscard]] std::uint64_t first_line() const noexcept { return lines[0]; }
    [[nodiscard]] std::uint64_t last_line() const noexcept {
        return lines[fragment_count ? fragment_count - 1 : 0];
    }
};

/// What add() did with one sentence.
enum class AddStatus : std::uint8_t {
    complete,  ///< a message is ready: message()
    pending,   ///< kept, waiting for more fragments
    rejected,  ///< this sentence was counted under an issue kind (see issues())
};

class Reassembler {
public:
    explicit Reassembler(ReassemblerOptions options = {});

    /// Feeds one parsed sentence. Single-part sentences are emitted at once without copying (the
    /// message's views point into the sentence's line). Expirations caused by this call are counted
    /// in issues() before it returns.
    [[nodiscard]] AddStatus add(const Sentence& s, FragmentOrigin origin) {
        // Inline fast path: a single-part sentence while no group is open (nothing can expire).
        if (load_alone(s.fragment_count) == 1 && load_alone(s.fragment_number) == 1 && open_ == 0) [[likely]] {
            emit_single(s, origin);
            return AddStatus::complete;
        }
        return add_slow(s, origin);
    }

    /// The message completed by the last add() that returned AddStatus::complete.
    [[nodiscard]] const Message& message() const noexcept { return msg_; }

    /// What add() emits for the plain single-part sentence `text` (read by detail::parse_vdm_exact()
    /// into `f`, fragment count 1, no tag block), for a caller that takes such lines without building
    /// a Sentence; when `timed`, `pghp_time_ms` is the time a $PGHP wrapper gives it
    /// (LineContext::take_whole_line). Only while open_groups() == 0: add() then takes its fast path too.
    [[nodiscard]] const Message& plain_single(std::string_view text, const detail::VdmFields& f, bool timed,
                                              std::int64_t pghp_time_ms, FragmentOrigin origin) noexcept {
        assert(open_ == 0 && f.fragment_count == 1);
        msg_.payload = std::string_view(text.data() + f.payload_begin, f.payload_size);
        msg_.fill_bits = f.fill_bits;
        msg_.channel = f.channel;
        msg_.talker = std::string_view(text.data() + 1, 2);
        msg_.origin = f.own_ship ? Origin::own_ship : Origin::other_ship;
        msg_.sequence_id = f.sequence_id;
        if (timed) [[unlikely]] {
            msg_.receive_time_ms = pghp_time_ms;
            msg_.time_source = TimeSource::pghp;
        } else {
            msg_.receive_time_ms.reset();
            msg_.time_source = TimeSource::none;
        }
        msg_.station = {};
        msg_.source_id = origin.source_id;
        msg_.fragment_count = 1;
        msg_.lines[0] = origin.line;
        return msg_;
    }

    /// End of input (or of one source when `source_id` is given): every open group never completed;
    /// each of its fragments counts as Issue::orphan_fragment.
    void flush();
    void flush(std::uint32_t source_id);

    /// Counts of orphan/out_of_order/duplicate/expired_fragment, one per sentence.
    [[nodiscard]] const IssueCounts& issues() const noexcept { return issues_; }
    [[nodiscard]] std::size_t open_groups() const noexcept { return open_; }
    /// Sentences currently held in open groups.
    [[nodiscard]] std::size_t pending_fragments() const noexcept;

private:
    /// A byte buffer that a group slot keeps between groups (grown by doubling when a group needs more):
    /// appending is one capacity check and one memcpy, without std::string's bookkeeping.
    class Chars {
    public:
        Chars() = default;
        Chars(const Chars&) = delete;
        Chars& operator=(const Chars&) = delete;
        /// A moved-from buffer is empty with no capacity (never a size without its bytes).
        Chars(Chars&& o) noexcept
            : data_(std::move(o.data_)),
              size_(std::exchange(o.size_, 0)),
              capacity_(std::exchange(o.capacity_, 0)) {}
        Chars& operator=(Chars&& o) noexcept {
            data_ = std::move(o.data_);
            size_ = std::exchange(o.size_, 0);
            capacity_ = std::exchange(o.capacity_, 0);
            return *this;
        }
        ~Chars() = default;

        [[nodiscard]] std::string_view view() const noexcept { return {data_.get(), size_}; }
        [[nodiscard]] std::size_t size() const noexcept { return size_; }
        void clear() noexcept { size_ = 0; }
        void append(std::string_view s) {
            const std::size_t need = size_ + s.size();
            if (need > capacity_) [[unlikely]]
                grow(need);
            if (!s.empty()) std::memcpy(data_.get() + size_, s.data(), s.size());
            size_ = need;
        }

    private:
        void grow(std::size_t need);

        std::unique_ptr<char[]> data_;
        std::size_t size_ = 0;
        std::size_t capacity_ = 0;
    };

    struct Group {
        std::uint64_t hash = 0;    ///< key_hash(): packed small key fields, a prefilter for matches()
        std::uint64_t serial = 0;  ///< creation order, for evicting the oldest when full
        std::uint32_t source_id = 0;
        bool tag_group = false;  ///< keyed by tag-block g: id
        std::uint8_t count = 0;
        std::uint8_t received = 0;  ///< fragments 1..received are held
        std::int8_t sequence_id = kNoSequenceId;
        char channel = kNoChannel;
        std::array<char, 2> talker{};
        Origin origin = Origin::other_ship;
        std::uint8_t fill_bits = 0;
        std::optional<std::int64_t> time_ms;
        TimeSource time_source = TimeSource::none;
        std::string key_text;  ///< g: id (tag groups only; the others are keyed by `station`)
        std::string station;   ///< short in real feeds: std::string keeps it inline (measured cheaper)
        Chars payload;         ///< the fragments' payloads, concatenated
        std::array<std::size_t, kMaxFragments> fragment_end{};  ///< payload size after each fragment
        std::array<std::uint64_t, kMaxFragments> lines{};
    };

    [[nodiscard]] AddStatus add_slow(const Sentence& s, FragmentOrigin origin);
    /// msg_ = the single-part sentence `s`, field by field (no copy of a zeroed Message).
    /// `x` read by a load of its own width, kept apart from its neighbours. The parser has just written
    /// the Sentence field by field; GCC merges reads of adjacent fields into one wider load (a 4-byte
    /// read of the fragment fields, 16-byte copies of each view), which the store buffer cannot serve
    /// from several narrower stores: the load then waits until those stores reach the cache (perf on
    /// bench_decode: 12 % of the samples on that one load, more on the copies behind it).
    template <class T>
    [[gnu::always_inline]] static T load_alone(const T& x) noexcept {
        T v = x;
        asm("" : "+r"(v));
        return v;
    }
    [[gnu::always_inline]] static std::string_view view_alone(std::string_view v) noexcept {
        return {load_alone(v.data()), load_alone(v.size())};
    }
    void emit_single(const Sentence& s, FragmentOrigin origin) noexcept {
        msg_.payload = view_alone(s.payload);
        msg_.fill_bits = load_alone(s.fill_bits);
        msg_.channel = load_alone(s.channel);
        msg_.talker = view_alone(s.talker);
        msg_.origin = load_alone(s.origin);
        msg_.sequence_id = load_alone(s.sequence_id);
        if (load_alone(s.receive_time_ms.has_value()))
            msg_.receive_time_ms = load_alone(*s.receive_time_ms);
        else
            msg_.receive_time_ms.reset();
        msg_.time_source = load_alone(s.time_source);
        msg_.station = view_alone(s.tag.source);
        msg_.source_id = origin.source_id;
        msg_.fragment_count = 1;
        msg_.lines[0] = origin.line;
    }
    [[nodiscard]] bool matches(const Group& g, const Sentence& s, FragmentOrigin o, bool tag_group,
                               std::uint64_t h) const noexcept;
    [[nodiscard]] std::uint64_t key_hash(const Sentence& s, FragmentOrigin o, bool tag_group) const noexcept;
    void expire_old(FragmentOrigin o);
    void drop(std::size_t idx, Issue why);
    void remove(std::size_t idx) noexcept;
    void start_group(const Sentence& s, FragmentOrigin o, bool tag_group, std::uint64_t h);
    void append(Group& g, const Sentence& s, FragmentOrigin o);
    void emit_group(std::size_t idx);

    ReassemblerOptions options_;
    std::vector<Group> groups_;  ///< [0, open_) are open; the rest are spare slots with warm buffers
    std::size_t open_ = 0;
    std::uint64_t next_serial_ = 0;
    std::uint32_t adds_since_scan_ = 0;
    IssueCounts issues_;
    Message msg_;  ///< a multi-part message's views point into the spare slot groups_[open_]
};

}  // namespace vw::nmea
