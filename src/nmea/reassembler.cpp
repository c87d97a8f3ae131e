#include "vesselwatch/nmea/reassembler.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace vw::nmea {
namespace {

/// How often (in single-part adds) open groups are checked for age while no multi-part arrives.
constexpr std::uint32_t kExpiryScanIntervalAdds = 64;
/// First size of a group slot's payload buffer: a two-part type 5 payload (71 characters) and most
/// longer messages fit.
constexpr std::size_t kInitialGroupChars = 128;

[[nodiscard]] bool too_old(std::uint64_t first_line, std::uint64_t now, std::uint64_t max_age) noexcept {
    return now > first_line && now - first_line > max_age;
}

}  // namespace

Reassembler::Reassembler(ReassemblerOptions options) : options_(options) {
    options_.max_open_groups = std::max<std::size_t>(options_.max_open_groups, 1);
}

std::uint64_t Reassembler::key_hash(const Sentence& s, FragmentOrigin o, bool tag_group) const noexcept {
    // A packed prefilter key, not a hash of everything: every small key field is held exactly (so a
    // differing one always rejects), the source id in the top bits; the strings that are part of the
    // key (station, g: id) and the source id are compared in full by matches().
    std::uint64_t k = static_cast<std::uint64_t>(s.fragment_count) & 0xFu;
    k |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(s.origin) & 1u) << 4;
    if (tag_group) {
        k |= std::uint64_t{1} << 5;
        k |= static_cast<std::uint64_t>(s.tag.group.total) << 6;
    } else {
        k |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(s.sequence_id)) << 6;
        k |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(s.channel)) << 14;
        if (options_.talker_keying == TalkerKeying::strict) {
            const auto t0 = static_cast<std::uint8_t>(s.talker.size() > 0 ? s.talker[0] : '\0');
            const auto t1 = static_cast<std::uint8_t>(s.talker.size() > 1 ? s.talker[1] : '\0');
            k |= static_cast<std::uint64_t>(t0) << 22;
            k |= static_cast<std::uint64_t>(t1) << 30;
            k |= static_cast<std::uint64_t>(s.talker.size() > 2) << 38;  // longer talkers never match below
        }
    }
    constexpr unsigned kSourceIdShift = 40;
    return k | (static_cast<std::uint64_t>(o.source_id) << kSourceIdShift);
}

bool Reassembler::matches(const Group& g, const Sentence& s, FragmentOrigin o, bool tag_group,
                          std::uint64_t h) const noexcept {
    if (g.hash != h || g.source_id != o.source_id || g.tag_group != tag_group ||
        g.count != s.fragment_count || g.origin != s.origin)
        return false;
    if (tag_group) {
        // The g: total is not stored in the group: it is held exactly in bits 6-13 of the key, so
        // g.hash != h above already rejects a fragment whose total differs.
        if (g.key_text != s.tag.group.id) return false;
        // Both fragments name a station: they must agree.
        return g.station.empty() || s.tag.source.empty() || g.station == s.tag.source;
    }
    // The station of a group without g: is its first fragment's (every fragment shares it): it is the key.
    if (g.sequence_id != s.sequence_id || g.channel != s.channel || g.station != s.tag.source) return false;
    if (options_.talker_keying == TalkerKeying::strict &&
        (s.talker.size() != 2 || g.talker[0] != s.talker[0] || g.talker[1] != s.talker[1]))
        return false;
    return true;
}

void Reassembler::remove(std::size_t idx) noexcept {
    if (idx + 1 != open_) std::swap(groups_[idx], groups_[open_ - 1]);
    --open_;
}

void Reassembler::drop(std::size_t idx, Issue why) {
    issues_.add(why, groups_[idx].received);
    remove(idx);
}

void Reassembler::expire_old(FragmentOrigin o) {
    adds_since_scan_ = 0;
    for (std::size_t i = 0; i < open_;) {
        const Group& g = groups_[i];
        if (g.source_id == o.source_id && too_old(g.lines[0], o.line, options_.max_group_age_lines)) {
            drop(i, Issue::expired_fragment);  // swaps the last group into i: look at i again
        } else {
            ++i;
        }
    }
}

void Reassembler::start_group(const Sentence& s, FragmentOrigin o, bool tag_group, std::uint64_t h) {
    if (open_ == options_.max_open_groups) {
        std::size_t oldest = 0;
        for (std::size_t i = 1; i < open_; ++i)
            if (groups_[i].serial < groups_[oldest].serial) oldest = i;
        drop(oldest, Issue::expired_fragment);
    }
    if (open_ == groups_.size()) groups_.emplace_back();
    Group& g = groups_[open_++];
    g.hash = h;
    g.serial = next_serial_++;
    g.source_id = o.source_id;
    g.tag_group = tag_group;
    g.count = s.fragment_count;
    g.received = 0;
    g.sequence_id = s.sequence_id;
    g.channel = s.channel;
    g.talker = {s.talker.size() > 0 ? s.talker[0] : '\0', s.talker.size() > 1 ? s.talker[1] : '\0'};
    g.origin = s.origin;
    g.time_ms.reset();
    g.time_source = TimeSource::none;
    if (tag_group) g.key_text.assign(s.tag.group.id);  // other groups are keyed by `station`
    g.station.clear();
    g.payload.clear();
    append(g, s, o);
}

void Reassembler::Chars::grow(std::size_t need) {
    std::size_t cap = std::max(capacity_ * 2, kInitialGroupChars);
    while (cap < need) cap *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = cap;
}

void Reassembler::append(Group& g, const Sentence& s, FragmentOrigin o) {
    g.payload.append(s.payload);
    g.fragment_end[g.received] = g.payload.size();
    g.lines[g.received] = o.line;
    ++g.received;
    g.fill_bits = s.fill_bits;
    if (!g.time_ms && s.receive_time_ms) {
        g.time_ms = s.receive_time_ms;
        g.time_source = s.time_source;
    }
    if (g.station.empty() && !s.tag.source.empty()) g.station.assign(s.tag.source);
}

void Reassembler::emit_group(std::size_t idx) {
    // The group leaves the open range [0, open_) and lands in the first spare slot, groups_[open_]
    // (moved there only when it was not already the last open one): the message's views point into
    // that slot's buffers, which nothing touches before the next add() / flush() / clear() (only
    // start_group() reuses a spare slot, and the vector only grows in start_group()). No copy, no swap
    // of the buffers themselves.
    remove(idx);
    const Group& g = groups_[open_];
    msg_.payload = g.payload.view();  // every field is set (lines past fragment_count are not part of it)
    msg_.fill_bits = g.fill_bits;
    msg_.channel = g.channel;
    msg_.talker = std::string_view(g.talker.data(), g.talker.size());
    msg_.origin = g.origin;
    msg_.sequence_id = g.sequence_id;
    msg_.receive_time_ms = g.time_ms;
    msg_.time_source = g.time_source;
    msg_.station = g.station;
    msg_.source_id = g.source_id;
    msg_.fragment_count = g.count;
    std::copy(g.lines.begin(), g.lines.begin() + g.count, msg_.lines.begin());
}

AddStatus Reassembler::add_slow(const Sentence& s, FragmentOrigin origin) {
    const bool valid = s.fragment_count >= 1 && s.fragment_count <= kMaxFragments && s.fragment_number >= 1 &&
                       s.fragment_number <= s.fragment_count;
    if (!valid) {  // parse_line never produces this; keep hostile callers from indexing out of bounds
        issues_.add(Issue::orphan_fragment);
        return AddStatus::rejected;
    }
    if (s.fragment_count == 1) {
        if (open_ != 0 && ++adds_since_scan_ >= kExpiryScanIntervalAdds) expire_old(origin);
        emit_single(s, origin);
        return AddStatus::complete;
    }

    if (open_ != 0) expire_old(origin);
    const bool tag_group = s.tag.group.present();
    const std::uint64_t h = key_hash(s, origin, tag_group);
    std::size_t found = open_;
    for (std::size_t i = 0; i < open_; ++i) {
        if (matches(groups_[i], s, origin, tag_group, h)) {
            found = i;
            break;
        }
    }

    if (s.fragment_number == 1) {
        if (found != open_) {
            const Group& g = groups_[found];
            const std::string_view first = g.payload.view().substr(0, g.fragment_end[0]);
            if (first == s.payload) {  // the same first sentence again (e.g. two receivers, no tag block)
                issues_.add(Issue::duplicate_fragment);
                return AddStatus::rejected;
            }
            drop(found, Issue::orphan_fragment);  // superseded: that group can no longer complete
        }
        start_group(s, origin, tag_group, h);
        return AddStatus::pending;
    }
    if (found == open_) {
        issues_.add(Issue::orphan_fragment);
        return AddStatus::rejected;
    }
    Group& g = groups_[found];
    if (s.fragment_number <= g.received) {
        issues_.add(Issue::duplicate_fragment);
        return AddStatus::rejected;
    }
    if (s.fragment_number > g.received + 1) {
        issues_.add(Issue::out_of_order_fragment);
        return AddStatus::rejected;
    }
    append(g, s, origin);
    if (g.received == g.count) {
        emit_group(found);
        return AddStatus::complete;
    }
    return AddStatus::pending;
}

void Reassembler::flush() {
    while (open_ != 0) drop(open_ - 1, Issue::orphan_fragment);
}

void Reassembler::flush(std::uint32_t source_id) {
    for (std::size_t i = 0; i < open_;) {
        if (groups_[i].source_id == source_id) {
            drop(i, Issue::orphan_fragment);
        } else {
            ++i;
        }
    }
}

std::size_t Reassembler::pending_fragments() const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < open_; ++i) n += groups_[i].received;
    return n;
}

}  // namespace vw::nmea
