#include "vesselwatch/track/ingest.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <variant>

#include "vesselwatch/ais/decode.hpp"
#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/util/sha256.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::track {

namespace {

constexpr std::array<std::string_view, kCleaningCount> kCleaningNames = {
    "position_unavailable", "position_out_of_range", "speed_unavailable", "noise_speed",
    "course_unavailable",   "heading_unavailable",   "out_of_order",      "exact_duplicates",
    "receiver_duplicates",  "missing_time",          "stored_duplicates", "invalid_imo",
    "other_messages",       "simulated"};

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

struct Recent {
    std::uint64_t hash = 0;
    std::int64_t time_ms = 0;
    std::uint64_t station_hash = 0;
    std::uint32_t index = kNoIndex;  // Vessel::at(index) while it is buffered
    bool used = false;
};

/// A position already stored from another file, for kStoredDuplicateWindowMs de-duplication.
struct StoredPrint {
    std::int64_t time_ms;
    std::uint64_t print;
};

/// A buffered position: a Position without its MMSI (the vessel's) and with one extra fragment line
/// inline (position reports span one or two sentences), 48 bytes instead of 88: buffering writes the
/// whole input's positions to memory once, so their size is what that costs.
struct BufferedPosition {
    std::int64_t time_ms;
    std::uint64_t line;
    std::int32_t lat, lon;
    std::uint32_t source_id;
    std::uint32_t extra;  // fragments == 2: the second line's offset; > 2: index into Vessel::long_refs
    std::uint16_t sog, cog, heading;
    std::int8_t turn;
    std::uint8_t status, type, flags, receivers, fragments;
};

/// Fixed-size blocks of buffered positions, shared by all vessels of one file and reused after each
/// flush. Vessels' buffers grow block by block: no reallocation copies the positions already buffered,
/// and the memory, allocated in large slabs (transparent huge pages where the kernel allows), stays
/// warm from one flush to the next instead of being returned to and faulted in again from the kernel.
/// The next slab is allocated and faulted in on a helper thread while the current one fills: the
/// kernel's page clearing (a tenth of the storing thread's time when it did it) runs off the storing
/// thread.
class PositionBlocks {
public:
    static constexpr std::size_t kBlockPositions = 256;

    PositionBlocks() = default;
    PositionBlocks(const PositionBlocks&) = delete;
    PositionBlocks& operator=(const PositionBlocks&) = delete;
    ~PositionBlocks() {
        if (next_.valid()) {
            try {
                Slab unused = next_.get();
            } catch (...) {  // std::bad_alloc of a slab nobody asked for
            }
        }
    }

    [[nodiscard]] BufferedPosition* take() {
        if (!free_.empty()) {
            BufferedPosition* b = free_.back();
            free_.pop_back();
            return b;
        }
        if (slab_left_ == 0) new_slab();
        --slab_left_;
        return slab_next_++ * kBlockPositions + slabs_.back().get();
    }
    void give(BufferedPosition* block) { free_.push_back(block); }

private:
    static constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;
    static constexpr std::size_t kSlabBytes = std::size_t{16} << 20;  // a multiple of kHugePageBytes
    static constexpr std::size_t kSlabBlocks = kSlabBytes / (kBlockPositions * sizeof(BufferedPosition));
    static constexpr std::size_t kPageBytes = 4096;
    struct Free {
        void operator()(BufferedPosition* p) const noexcept { std::free(p); }
    };
    using Slab = std::unique_ptr<BufferedPosition, Free>;

    /// A slab, with its pages faulted in when `touch` (the prefetch thread's slabs).
    static Slab make_slab(bool touch) {
        void* mem = std::aligned_alloc(kHugePageBytes, kSlabBytes);
        if (mem == nullptr) throw std::bad_alloc();
        (void)::madvise(mem, kSlabBytes, MADV_HUGEPAGE);  // a hint: without it, ordinary pages
        if (touch) {
            auto* bytes = static_cast<volatile unsigned char*>(mem);
            for (std::size_t off = 0; off < kSlabBytes; off += kPageBytes) bytes[off] = 0;
        }
        // BufferedPosition is trivially copyable and destructible: blocks are filled by assignment of whole
        // values (implicit object creation in malloc'd storage).
        return Slab(static_cast<BufferedPosition*>(mem));
    }

    /// The first slab is allocated here and its pages are faulted in as they are used (a small file
    /// touches little of it). From the second on, the next slab is prepared, faulted in, on a helper
    /// thread while this one fills: the kernel's page clearing leaves the storing thread.
    void new_slab() {
        const bool first = slabs_.empty();
        Slab slab = next_.valid() ? next_.get() : make_slab(false);
        slabs_.push_back(std::move(slab));
        slab_next_ = 0;
        slab_left_ = kSlabBlocks;
        if (!first) next_ = std::async(std::launch::async, &PositionBlocks::make_slab, true);
    }

    std::vector<Slab> slabs_;
    std::size_t slab_next_ = 0, slab_left_ = 0;
    std::vector<BufferedPosition*> free_;
    std::future<Slab> next_;
};
static_assert(std::is_trivially_copyable_v<BufferedPosition> && std::is_trivially_destructible_v<BufferedPosition>);
static_assert(sizeof(BufferedPosition) == 48);

/// One chunk encoded off the store's thread, inserted on it.
struct EncodedChunk {
    std::uint32_t source_id;
    ChunkSummary summary;
    std::string blob;
};

struct Vessel {
    // What every message touches first, together (one vessel's state is a cache miss per message).
    std::array<Recent, kRecentMessages> recent{};
    std::int64_t last_time_ms = INT64_MIN;
    std::uint8_t recent_next = 0;
    bool has_open = false;
    std::uint32_t mmsi = 0;
    std::size_t buffered = 0;               // positions buffered
    std::vector<BufferedPosition*> blocks;  // PositionBlocks blocks holding the buffered positions, in order
    std::vector<SourceRef> long_refs;       // references of buffered positions of more than 2 fragments
    [[nodiscard]] BufferedPosition& at(std::size_t k) noexcept {
        return blocks[k / PositionBlocks::kBlockPositions][k % PositionBlocks::kBlockPositions];
    }
    [[nodiscard]] const BufferedPosition& at(std::size_t k) const noexcept {
        return blocks[k / PositionBlocks::kBlockPositions][k % PositionBlocks::kBlockPositions];
    }
    std::vector<StoredPrint> stored;  // sorted by time; covers [stored_from_ms, stored_to_ms]
    std::int64_t stored_from_ms = 0, stored_to_ms = -1;
    IdentityRecord open;
    StaticData current;
};

constexpr std::int64_t kMsPerDay = 86400000;

/// What identifies a position without its payload (after cleaning).
std::uint64_t position_print(std::int32_t lat, std::int32_t lon, std::uint16_t sog, std::uint16_t cog,
                             std::uint16_t heading) noexcept {
    std::uint64_t h = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(lat)) << 32) |
                      static_cast<std::uint32_t>(lon);
    h ^= (static_cast<std::uint64_t>(sog) << 7) ^ (static_cast<std::uint64_t>(cog) << 23) ^
         (static_cast<std::uint64_t>(heading) << 41);
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/// A 64-bit hash of a payload or a station name for the duplicate check (kept in memory only, never
/// stored): 8 bytes at a time with multiply-xor mixing. A payload is ~28 characters, for which
/// std::hash's byte-wise loop cost several times more on the reading thread.
std::uint64_t text_hash(std::string_view s) noexcept {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
    const char* p = s.data();
    const std::size_t n = s.size();
    std::uint64_t h = (n + 1) * kMul;
    auto mix = [&h](std::uint64_t w) {
        h = (h ^ w) * kMul;
        h ^= h >> 29;
    };
    auto load8 = [](const char* at) {
        std::uint64_t w;
        std::memcpy(&w, at, sizeof w);
        return w;
    };
    if (n >= 8) {
        for (std::size_t k = 0; k + 8 < n; k += 8) mix(load8(p + k));
        mix(load8(p + n - 8));  // the last 8 bytes (overlapping the previous word when n % 8 != 0)
    } else {
        std::uint64_t w = 0;
        for (std::size_t k = 0; k < n; ++k) w = (w << 8) | static_cast<unsigned char>(p[k]);
        mix(w);
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 32);
}

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

/// Whether merging `id` into `d` would change it.
bool changes(const RowIdentity& id, const StaticData& d) {
    return (id.station_class != StationClass::unknown && id.station_class != d.station_class) ||
           (!id.name.empty() && id.name != d.name) || (!id.callsign.empty() && id.callsign != d.callsign) ||
           (!id.destination.empty() && id.destination != d.destination) || (!id.eta.empty() && id.eta != d.eta) ||
           (id.imo && *id.imo != d.imo) || (id.ship_type && *id.ship_type != d.ship_type) ||
           (id.to_bow && *id.to_bow != d.to_bow) || (id.to_stern && *id.to_stern != d.to_stern) ||
           (id.to_port && *id.to_port != d.to_port) || (id.to_starboard && *id.to_starboard != d.to_starboard) ||
           (id.draught_dm && *id.draught_dm != d.draught_dm);
}

/// What the duplicate check and the provenance of one message or row need.
struct IngestContext {
    std::int64_t time_ms;
    std::uint64_t hash;
    std::uint64_t station_hash;
    SourceRef ref;
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// CPU time of the calling thread, in seconds.
double thread_cpu_s() noexcept {
    timespec ts{};
    if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// Thrown in the reading thread when the storing thread has failed (its own error is the one reported).
struct PipeCancelled {};

/// Reading (decoding, parsing) and storing run on two threads joined by this bounded queue of
/// reusable batches of parsed records: the reader fills a free batch and pushes it, the storer pops
/// batches in order, applies them and gives them back. Bounded: at most kPipeDepth batches exist, so
/// memory does not grow with the input, and reused batches stay cache-warm.
template <class Item>
class BatchPipe {
public:
    static constexpr std::size_t kPipeDepth = 16;
    static constexpr std::size_t kBatchItems = 2048;
    /// A side that had to wait is woken only when this many batches are ready for it: each wake-up
    /// (a futex and a trip through the scheduler, which on a busy machine can take milliseconds)
    /// then buys several batches of work instead of one.
    static constexpr std::size_t kWakeBatches = kPipeDepth / 2;
    struct Batch {
        std::vector<Item> items = std::vector<Item>(kBatchItems);
        std::size_t n = 0;
    };

    BatchPipe() {
        for (std::size_t k = 0; k < kPipeDepth; ++k) free_.push_back(std::make_unique<Batch>());
    }

    /// Reader: an empty batch (waits while the storer holds them all).
    std::unique_ptr<Batch> take_free() {
        std::unique_lock lock(mutex_);
        if (!cancelled_ && free_.empty()) {
            const Clock::time_point t0 = Clock::now();
            reader_waiting_ = true;
            reader_cv_.wait(lock, [&] { return cancelled_ || free_.size() >= kWakeBatches; });
            reader_waiting_ = false;
            reader_wait_s_ += seconds_since(t0);
        }
        if (cancelled_) throw PipeCancelled{};
        std::unique_ptr<Batch> b = std::move(free_.back());
        free_.pop_back();
        b->n = 0;
        return b;
    }
    /// Reader: a filled batch, to the storer.
    void push(std::unique_ptr<Batch> b) {
        bool wake = false;
        {
            const std::lock_guard lock(mutex_);
            full_.push_back(std::move(b));
            wake = storer_waiting_ && full_.size() >= kWakeBatches;
        }
        if (wake) storer_cv_.notify_one();
    }
    /// Reader: no more batches; `fault` is why when the reader failed.
    void close(std::exception_ptr fault) {
        {
            const std::lock_guard lock(mutex_);
            closed_ = true;
            fault_ = std::move(fault);
        }
        storer_cv_.notify_one();
    }
    /// Storer: the next batch in order, or nullptr when the reader is done or failed.
    std::unique_ptr<Batch> pop() {
        std::unique_lock lock(mutex_);
        if (!fault_ && full_.empty() && !closed_) {
            const Clock::time_point t0 = Clock::now();
            storer_waiting_ = true;
            storer_cv_.wait(lock, [&] { return fault_ || full_.size() >= kWakeBatches || closed_; });
            storer_waiting_ = false;
            storer_wait_s_ += seconds_since(t0);
        }
        if (fault_ || full_.empty()) return nullptr;  // after a reader fault the rest is not stored anyway
        std::unique_ptr<Batch> b = std::move(full_.front());
        full_.pop_front();
        return b;
    }
    /// Storer (and the reader's last, empty batch): a batch to fill again.
    void give_back(std::unique_ptr<Batch> b) {
        bool wake = false;
        {
            const std::lock_guard lock(mutex_);
            free_.push_back(std::move(b));
            wake = reader_waiting_ && free_.size() >= kWakeBatches;
        }
        if (wake) reader_cv_.notify_one();
    }
    /// Storer: it failed; the reader stops at its next batch.
    void cancel() {
        {
            const std::lock_guard lock(mutex_);
            cancelled_ = true;
        }
        reader_cv_.notify_one();
    }
    [[nodiscard]] std::exception_ptr fault() {
        const std::lock_guard lock(mutex_);
        return fault_;
    }
    /// Time the reader waited for a free batch and the storer for a full one (after both stopped).
    [[nodiscard]] double reader_wait_s() const noexcept { return reader_wait_s_; }
    [[nodiscard]] double storer_wait_s() const noexcept { return storer_wait_s_; }

private:
    std::mutex mutex_;
    std::condition_variable reader_cv_, storer_cv_;
    std::vector<std::unique_ptr<Batch>> free_;
    std::deque<std::unique_ptr<Batch>> full_;
    bool closed_ = false, cancelled_ = false;
    bool reader_waiting_ = false, storer_waiting_ = false;
    std::exception_ptr fault_;
    double reader_wait_s_ = 0, storer_wait_s_ = 0;  // each written by one side, under mutex_
};

/// The reader's side of a BatchPipe: hands out slots of the current batch, pushes full ones.
template <class Item>
class BatchWriter {
public:
    explicit BatchWriter(BatchPipe<Item>& pipe) : pipe_(pipe) {}
    /// The next slot (not yet part of the batch: commit() adds it). A full batch is pushed here, not
    /// in commit(), so that last() stays valid after a commit.
    [[nodiscard]] Item& slot() {
        if (batch_ != nullptr && batch_->n == BatchPipe<Item>::kBatchItems) pipe_.push(std::move(batch_));
        if (batch_ == nullptr) batch_ = pipe_.take_free();
        return batch_->items[batch_->n];
    }
    void commit() noexcept { ++batch_->n; }
    /// The last committed slot (after at least one commit()).
    [[nodiscard]] Item& last() noexcept { return batch_->items[batch_->n - 1]; }
    void finish() {
        if (batch_ == nullptr) return;
        if (batch_->n != 0)
            pipe_.push(std::move(batch_));
        else
            pipe_.give_back(std::move(batch_));
    }

private:
    BatchPipe<Item>& pipe_;
    std::unique_ptr<typename BatchPipe<Item>::Batch> batch_;
};

enum class PrefetchStage : std::uint8_t { vessel, buffer };

/// Runs `produce(BatchWriter&)` on a second thread and `consume(Item&)` on this one, in order. An
/// exception of either side reaches the caller (the storer's first; the reader's as thrown, with its
/// file:line), after both threads have stopped.
/// How far ahead of the record being stored the storer prefetches: its vessel's state
/// (kPrefetchVesselAhead) and then, once that is in cache, the tail of the vessel's buffer.
constexpr std::size_t kPrefetchVesselAhead = 16;
constexpr std::size_t kPrefetchBufferAhead = 8;

template <class Item, class Produce, class Consume, class Prefetch>
void run_pipelined(Produce&& produce, Consume&& consume, Prefetch&& prefetch, IngestTiming& timing) {
    BatchPipe<Item> pipe;
    const double storer_cpu0 = thread_cpu_s();
    double reader_cpu = 0;
    std::thread reader([&] {
        try {
            BatchWriter<Item> w(pipe);
            produce(w);
            w.finish();
            reader_cpu = thread_cpu_s();
            pipe.close(nullptr);
        } catch (...) {
            reader_cpu = thread_cpu_s();
            pipe.close(std::current_exception());
        }
    });
    auto account = [&] {
        timing.reader_cpu_s += reader_cpu;
        timing.storer_cpu_s += thread_cpu_s() - storer_cpu0;
        timing.reader_wait_s += pipe.reader_wait_s();
        timing.storer_wait_s += pipe.storer_wait_s();
    };
    try {
        while (auto b = pipe.pop()) {
            const std::size_t n = b->n;
            for (std::size_t k = 0; k < n; ++k) {
                // The vessel state is a cache miss per record: ask for it while earlier records are stored.
                if (k + kPrefetchVesselAhead < n) prefetch(b->items[k + kPrefetchVesselAhead], PrefetchStage::vessel);
                if (k + kPrefetchBufferAhead < n) prefetch(b->items[k + kPrefetchBufferAhead], PrefetchStage::buffer);
                consume(b->items[k]);
            }
            pipe.give_back(std::move(b));
        }
    } catch (...) {
        pipe.cancel();
        reader.join();
        throw;
    }
    reader.join();
    account();
    if (std::exception_ptr fault = pipe.fault()) std::rethrow_exception(fault);
}

/// One decoded AIS message (or a message that decoded to nothing: monostate) with its context.
/// Message types ingest does not store are kept as their header only.
using AnyMessage = std::variant<std::monostate, ais::Header, ais::PositionA, ais::PositionB, ais::PositionBExtended,
                                ais::LongRange, ais::SarPosition, ais::BaseStation, ais::AidToNavigation,
                                ais::StaticVoyage, ais::StaticDataB>;
struct NmeaItem {
    IngestContext c;
    std::uint32_t mmsi;  // of the decoded message (0: none)
    std::uint32_t source_key;
    bool timed;
    bool simulated;     // counted once per message (on its last item)
    bool ends_message;  // the last item of one NMEA message (batches count messages)
    std::string new_source;  // the source's name on the first item of a source, else empty
    AnyMessage msg;
};

struct RowItem {
    IngestContext c;
    bool source_start;   // a new source begins (named new_source): no row
    std::string new_source;
    std::uint32_t source_key;
    DecodedRow row;
    // What row.identity's views point to (the parser's point into its reader's buffers): text[0, text_capacity)
    std::unique_ptr<char[]> text;
    std::size_t text_capacity = 0;

    /// Copies the identity's text fields into `text` and points the views there: the parser's
    /// buffers are reused for the next rows before this one is stored.
    void own_text() {
        const std::size_t total = row.identity.text_bytes();
        if (total == 0) return;
        if (total > text_capacity) {
            text = std::make_unique_for_overwrite<char[]>(total);
            text_capacity = total;
        }
        row.identity.move_text_to(text.get());
    }
};

/// The sha256 of a file computed on a helper thread while the file is read for ingest.
class BackgroundDigest {
public:
    explicit BackgroundDigest(const std::string& path)
        : thread_([this, path] {
              try {
                  digest_ = digest_file(path, &cancel_);
              } catch (...) {
                  fault_ = std::current_exception();
              }
              done_.store(true, std::memory_order_release);
          }) {}
    ~BackgroundDigest() {
        cancel_.store(true, std::memory_order_relaxed);
        if (thread_.joinable()) thread_.join();
    }
    BackgroundDigest(const BackgroundDigest&) = delete;
    BackgroundDigest& operator=(const BackgroundDigest&) = delete;
    [[nodiscard]] bool ready() const noexcept { return done_.load(std::memory_order_acquire); }
    /// Waits for the digest (rethrows the helper's error: the file could not be read).
    [[nodiscard]] FileDigest get() {
        if (thread_.joinable()) thread_.join();
        if (fault_) std::rethrow_exception(fault_);
        return digest_;
    }

private:
    std::atomic<bool> cancel_{false}, done_{false};
    FileDigest digest_;
    std::exception_ptr fault_;
    std::thread thread_;  // last: starts once the members it uses exist
};

/// Thrown on the storing thread when the background digest shows the store already holds the file
/// complete (nothing of this ingest was committed yet).
struct AlreadyHeld {
    std::int64_t file_id;
    std::string format;
};

}  // namespace

std::string_view cleaning_name(Cleaning c) noexcept { return kCleaningNames[static_cast<std::size_t>(c)]; }

/// Per-file ingest state: vessel buffers, identities, the open transaction.
struct Ingester::State {
    Store& store;
    const IngestOptions& opt;
    FileResult& result;
    std::int64_t file_id = 0;
    std::string file_path;  // as recorded ("-" for standard input)
    std::string read_path;  // what is read (the spooled copy of standard input)
    bool check_stored = false;  // the store holds other complete files: look for their positions
    std::optional<db::Statement> stored_query;
    ChunkColumns stored_cols;
    PositionBlocks blocks;  // before `vessels`, whose buffers point into it
    std::unordered_map<std::uint32_t, Vessel> vessels;
    /// Direct-mapped cache in front of `vessels` (whose element addresses are stable): most lookups
    /// touch one small array slot instead of the bucket array and a node. Cleared when vessels are erased.
    struct CachedVessel {
        std::uint32_t mmsi = 0;
        Vessel* vessel = nullptr;
    };
    static constexpr std::size_t kVesselCacheSlots = 8192;  // a power of two
    std::vector<CachedVessel> vessel_cache = std::vector<CachedVessel>(kVesselCacheSlots);

    Vessel& vessel(std::uint32_t mmsi) {
        constexpr std::uint32_t kMix = 0x9E3779B1U;  // Fibonacci hashing: MMSIs share low digits
        CachedVessel& slot = vessel_cache[(mmsi * kMix) >> 19 & (kVesselCacheSlots - 1)];
        if (slot.vessel != nullptr && slot.mmsi == mmsi) return *slot.vessel;
        Vessel& v = vessels[mmsi];
        v.mmsi = mmsi;
        slot = {mmsi, &v};
        return v;
    }
    /// Prefetches what storing a record of `mmsi` will touch (a hint: no effect on results).
    void prefetch(std::uint32_t mmsi, PrefetchStage stage) const noexcept {
        constexpr std::uint32_t kMix = 0x9E3779B1U;
        const CachedVessel& slot = vessel_cache[(mmsi * kMix) >> 19 & (kVesselCacheSlots - 1)];
        if (slot.vessel == nullptr || slot.mmsi != mmsi) return;
        const Vessel& v = *slot.vessel;
        if (stage == PrefetchStage::vessel) {
            // What every record touches: the recent prints, times, counters and the blocks vector,
            // the first members of Vessel (it need not start on a cache line: one more line).
            constexpr std::size_t kLineBytes = 64;
            constexpr std::size_t kHotBytes = sizeof(Vessel::recent) + 2 * kLineBytes;
            const auto* p = reinterpret_cast<const char*>(&v);
            for (std::size_t off = 0; off < kHotBytes; off += kLineBytes) __builtin_prefetch(p + off, 1);
            return;
        }
        if (v.buffered != 0 && v.buffered % PositionBlocks::kBlockPositions != 0)
            __builtin_prefetch(v.blocks.back() + v.buffered % PositionBlocks::kBlockPositions, 1);
    }
    void forget_cached_vessels() { std::fill(vessel_cache.begin(), vessel_cache.end(), CachedVessel{}); }
    std::unordered_map<std::uint32_t, std::uint32_t> source_ids;  // pipeline's per-call id -> track_sources.id
    std::uint32_t last_source_key = 0, last_source_id = 0;
    std::size_t buffered = 0;
    std::int64_t stream_time_ms = INT64_MIN;
    std::size_t in_batch = 0;
    /// result.positions + buffered, for the progress callback (called on the reading thread).
    std::atomic<std::uint64_t> progress_positions{0};
    std::optional<db::Transaction> tx;
    std::vector<Position> scratch;
    std::vector<EncodedChunk> encoded;
    /// The file's sha256 still being computed (nullptr once known): no commit before it is settled.
    BackgroundDigest* pending_digest = nullptr;

    State(Store& s, const IngestOptions& o, FileResult& r) : store(s), opt(o), result(r) {}

    void count(Cleaning c, std::uint64_t n = 1) { result.cleaning[static_cast<std::size_t>(c)] += n; }

    void begin() { tx.emplace(store.database()); }

    /// Records the file's sha256 once the helper has it (waiting for it when `wait`); false while it
    /// is not known yet. Before the first commit: a store holding the same bytes complete ends this
    /// ingest as already held (AlreadyHeld), a partial copy (an interrupted ingest) is replaced.
    bool settle_digest(bool wait) {
        if (pending_digest == nullptr) return true;
        if (!wait && !pending_digest->ready()) return false;
        const FileDigest d = pending_digest->get();
        pending_digest = nullptr;
        result.sha256 = to_hex(d.sha256);
        db::Database& db = store.database();
        auto same = db.prepare("SELECT id, complete, format FROM track_files WHERE sha256 = ?1 AND id <> ?2 ORDER BY complete DESC, id");
        same.bind(1, result.sha256).bind(2, file_id);
        std::vector<std::int64_t> partial;
        while (same.step()) {
            if (same.int64(1) != 0) throw AlreadyHeld{same.int64(0), std::string(same.text(2))};
            partial.push_back(same.int64(0));
        }
        same.reset();
        for (const std::int64_t id : partial) {
            store.delete_file(id);
            result.outcome = FileResult::Outcome::replaced_partial;
        }
        auto set = db.prepare("UPDATE track_files SET sha256 = ?1, size = ?2 WHERE id = ?3");
        set.bind(1, result.sha256).bind(2, static_cast<std::int64_t>(d.size)).bind(3, file_id).run();
        return true;
    }
    void commit() {
        tx->commit();
        tx.reset();
        ++result.batches;
    }

    std::uint32_t source_id(const pipeline::MessageOrigin& o) { return source_id(o.nmea.source_id, o.source); }

    /// track_sources.id of the reader's logical source `key` named `name`.
    std::uint32_t source_id(std::uint32_t key, const std::string& name) {
        if (key == last_source_key && last_source_id != 0) return last_source_id;  // the usual case
        auto it = source_ids.find(key);
        if (it != source_ids.end()) {
            last_source_key = key;
            last_source_id = it->second;
            return it->second;
        }
        // The io layer names an archive entry "<path>!<entry>"; keep what follows the path.
        std::string entry;
        if (name.size() > read_path.size() && name.compare(0, read_path.size(), read_path) == 0)
            entry = name.substr(read_path.size());
        const std::uint32_t id = store.insert_source(file_id, entry, file_path + entry);
        source_ids.emplace(key, id);
        last_source_key = key;
        last_source_id = id;
        return id;
    }

    /// Whether `p` (cleaned) is already stored from another complete file: same print within
    /// kStoredDuplicateWindowMs. Loads the vessel's stored prints of the UTC day around p on demand.
    bool stored_duplicate(Vessel& v, const Position& p) {
        if (p.time_ms < v.stored_from_ms + kStoredDuplicateWindowMs ||
            p.time_ms > v.stored_to_ms - kStoredDuplicateWindowMs) {
            const std::int64_t day = utc_day(p.time_ms) * kMsPerDay;
            v.stored_from_ms = day - 2 * kStoredDuplicateWindowMs;
            v.stored_to_ms = day + kMsPerDay + 2 * kStoredDuplicateWindowMs;
            v.stored.clear();
            if (!stored_query)
                stored_query.emplace(store.database().prepare(
                    "SELECT c.data, c.id FROM track_chunks c JOIN track_sources s ON s.id = c.source_id "
                    "JOIN track_files f ON f.id = s.file_id WHERE c.mmsi = ?1 AND c.t_min <= ?3 AND c.t_max >= ?2 "
                    "AND f.complete = 1 AND f.id <> ?4"));
            db::Statement& q = *stored_query;
            q.reset();
            q.bind(1, static_cast<std::int64_t>(p.mmsi)).bind(2, v.stored_from_ms).bind(3, v.stored_to_ms).bind(4, file_id);
            while (q.step()) {
                decode_chunk(q.blob(0), stored_cols, store.path() + " chunk " + std::to_string(q.int64(1)));
                for (std::size_t k = 0; k < stored_cols.size(); ++k)
                    v.stored.push_back({stored_cols.time_ms[k],
                                        position_print(stored_cols.lat[k], stored_cols.lon[k], stored_cols.sog[k],
                                                       stored_cols.cog[k], stored_cols.heading[k])});
            }
            q.reset();
            std::sort(v.stored.begin(), v.stored.end(),
                      [](const StoredPrint& a, const StoredPrint& b) { return a.time_ms < b.time_ms; });
        }
        if (v.stored.empty()) return false;
        const std::uint64_t print = position_print(p.lat, p.lon, p.sog, p.cog, p.heading);
        auto it = std::lower_bound(v.stored.begin(), v.stored.end(), p.time_ms - kStoredDuplicateWindowMs,
                                   [](const StoredPrint& a, std::int64_t t) { return a.time_ms < t; });
        for (; it != v.stored.end() && it->time_ms <= p.time_ms + kStoredDuplicateWindowMs; ++it)
            if (it->print == print) return true;
        return false;
    }

    /// Gathers, orders and encodes `v`'s buffered positions into chunks (one per source and UTC day).
    /// Reads `v` only and touches no store: runs on any thread (flush_vessels() uses two).
    void encode_vessel(const Vessel& v, std::vector<Position>& all, std::vector<EncodedChunk>& out) const {
        out.clear();
        if (v.buffered == 0) return;
        // Gathered into one reused (cache-warm) array: sorted and split there.
        all.clear();
        all.resize(v.buffered);
        for (std::size_t k = 0; k < v.buffered; ++k) {
            const BufferedPosition& b = v.at(k);
            Position& p = all[k];
            p.mmsi = v.mmsi;
            p.time_ms = b.time_ms;
            p.lat = b.lat;
            p.lon = b.lon;
            p.sog = b.sog;
            p.cog = b.cog;
            p.heading = b.heading;
            p.turn = b.turn;
            p.status = b.status;
            p.type = b.type;
            p.flags = b.flags;
            p.receivers = b.receivers;
            if (b.fragments > 2) {
                p.ref = v.long_refs[b.extra];
            } else {
                p.ref.source_id = b.source_id;
                p.ref.line = b.line;
                p.ref.fragments = b.fragments;
                p.ref.extra_line_offsets = {};
                if (b.fragments == 2) p.ref.extra_line_offsets[0] = b.extra;
            }
        }
        const auto by_source_time = [](const Position& a, const Position& b) {
            if (a.ref.source_id != b.ref.source_id) return a.ref.source_id < b.ref.source_id;
            return a.time_ms < b.time_ms;
        };
        if (!std::is_sorted(all.begin(), all.end(), by_source_time))  // in order: the usual case
            std::stable_sort(all.begin(), all.end(), by_source_time);
        std::size_t start = 0;
        for (std::size_t k = 1; k <= all.size(); ++k) {
            if (k == all.size() || all[k].ref.source_id != all[start].ref.source_id ||
                utc_day(all[k].time_ms) != utc_day(all[start].time_ms)) {
                EncodedChunk& c = out.emplace_back();
                c.source_id = all[start].ref.source_id;
                c.blob = encode_chunk(std::span<const Position>(all.data() + start, k - start), opt.zstd_level, c.summary);
                start = k;
            }
        }
    }

    void insert_chunks(const Vessel& v, const std::vector<EncodedChunk>& chunks) {
        for (const EncodedChunk& c : chunks) store.insert_chunk_blob(v.mmsi, c.source_id, c.summary, c.blob);
    }

    /// After `v`'s buffered positions were stored: its buffer emptied, its blocks reused.
    void release_vessel(Vessel& v) {
        for (BufferedPosition* block : v.blocks) blocks.give(block);
        v.blocks.clear();
        v.long_refs.clear();
        result.positions += v.buffered;
        buffered -= v.buffered;
        v.buffered = 0;
        for (Recent& r : v.recent) r.index = kNoIndex;
    }

    void flush_vessel(Vessel& v) {
        if (v.buffered == 0) return;
        encode_vessel(v, scratch, encoded);
        insert_chunks(v, encoded);
        release_vessel(v);
    }

    /// Flushes the vessels of `list` in that order (the store sees the same inserts as flush_vessel()
    /// one by one). Many positions at once (the memory bound, the end of a file) are encoded on two
    /// threads: this one and a helper take vessels in turn, this one inserts them in order.
    void flush_vessels(const std::vector<Vessel*>& list) {
        std::size_t total = 0;
        for (const Vessel* v : list) total += v->buffered;
        const std::size_t n = list.size();
        if (total < opt.parallel_flush_positions || n < 2) {
            for (Vessel* v : list) flush_vessel(*v);
            return;
        }
        std::vector<std::vector<EncodedChunk>> out(n);
        std::vector<std::exception_ptr> faults(n);
        const std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]());
        std::atomic<std::size_t> next{0};
        std::atomic<bool> stop{false};
        auto encode_next = [&](std::vector<Position>& all) {
            const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= n) return false;
            try {
                encode_vessel(*list[i], all, out[i]);
            } catch (...) {
                faults[i] = std::current_exception();
            }
            done[i].store(true, std::memory_order_release);
            done[i].notify_one();
            return true;
        };
        std::thread helper([&] {
            std::vector<Position> all;
            while (!stop.load(std::memory_order_relaxed) && encode_next(all)) {
            }
        });
        std::size_t inserted = 0;
        auto insert_ready = [&](bool wait) {
            while (inserted < n) {
                if (!done[inserted].load(std::memory_order_acquire)) {
                    if (!wait) return;
                    done[inserted].wait(false, std::memory_order_acquire);
                }
                if (faults[inserted]) std::rethrow_exception(faults[inserted]);
                insert_chunks(*list[inserted], out[inserted]);
                out[inserted] = {};
                ++inserted;
            }
        };
        try {
            while (encode_next(scratch)) insert_ready(false);
            insert_ready(true);
        } catch (...) {
            stop.store(true, std::memory_order_relaxed);
            helper.join();
            throw;
        }
        helper.join();
        for (Vessel* v : list) release_vessel(*v);
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
        std::vector<Vessel*> flush;
        bool any_idle = false;
        for (auto& [mmsi, v] : vessels) {
            const bool idle = v.last_time_ms < stream_time_ms - kIdleFlushMs;
            any_idle = any_idle || idle;
            if (all || idle) flush.push_back(&v);
        }
        flush_vessels(flush);
        for (Vessel* v : flush) v->blocks.shrink_to_fit();
        if (any_idle) {  // forget idle vessels: memory follows the vessels active at once
            for (auto it = vessels.begin(); it != vessels.end();) {
                Vessel& v = it->second;
                if (v.last_time_ms < stream_time_ms - kIdleFlushMs) {
                    close_identity(v);
                    it = vessels.erase(it);
                } else {
                    ++it;
                }
            }
            forget_cached_vessels();
        }
        if (!settle_digest(false)) {  // the file's sha256 is not known yet: this batch joins the next
            in_batch = 0;
            return;
        }
        commit();
        begin();
        in_batch = 0;
    }

    void finish_file() {
        std::vector<Vessel*> all;
        all.reserve(vessels.size());
        for (auto& [mmsi, v] : vessels) all.push_back(&v);
        flush_vessels(all);
        for (Vessel* v : all) close_identity(*v);
        vessels.clear();
        forget_cached_vessels();
    }

    using Context = IngestContext;

    enum class Dup : std::uint8_t { none, exact, receiver };

    Dup find_duplicate(Vessel& v, const Context& c, std::uint32_t*& index, std::int64_t window_ms) {
        for (Recent& r : v.recent) {
            if (!r.used || r.hash != c.hash) continue;
            const std::int64_t dt = c.time_ms - r.time_ms;
            if (dt == 0 && r.station_hash == c.station_hash) {
                index = &r.index;
                return Dup::exact;
            }
            if (dt <= window_ms && dt >= -window_ms) {
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
    /// Cleans `p` in place (the caller's copy is not used afterwards) and buffers it. By reference: the
    /// 88-byte Position passed by value was copied in 16-byte moves right after the callers stored its
    /// fields one by one; each such load waited for the store buffer to drain (store-to-load forwarding
    /// failed), behind stores into vessel state that often miss the cache. Storing thread CPU on the
    /// benchmark's NMEA: median 0.90 -> 0.76 s. (Inlining it instead measured worse: 0.96 s.)
    std::uint32_t add_position(Vessel& v, Position& p) {
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
        if (check_stored && opt.duplicates == Duplicates::fold && stored_duplicate(v, p)) {
            count(Cleaning::stored_duplicates);
            return kNoIndex;
        }
        if (v.buffered == v.blocks.size() * PositionBlocks::kBlockPositions) v.blocks.push_back(blocks.take());
        BufferedPosition& b = v.blocks.back()[v.buffered % PositionBlocks::kBlockPositions];
        b.time_ms = p.time_ms;
        b.line = p.ref.line;
        b.lat = p.lat;
        b.lon = p.lon;
        b.source_id = p.ref.source_id;
        b.sog = p.sog;
        b.cog = p.cog;
        b.heading = p.heading;
        b.turn = p.turn;
        b.status = p.status;
        b.type = p.type;
        b.flags = p.flags;
        b.receivers = p.receivers;
        b.fragments = p.ref.fragments;
        b.extra = 0;
        if (p.ref.fragments == 2) {
            b.extra = p.ref.extra_line_offsets[0];
        } else if (p.ref.fragments > 2) {
            b.extra = static_cast<std::uint32_t>(v.long_refs.size());
            v.long_refs.push_back(p.ref);
        }
        ++buffered;
        progress_positions.store(result.positions + buffered, std::memory_order_relaxed);
        return static_cast<std::uint32_t>(v.buffered++);
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

    /// Duplicate and order bookkeeping shared by messages and rows: counts a duplicate within
    /// `window_ms` (folding a receiver duplicate into the stored copy's receiver count) and returns
    /// true when the record is to be dropped; otherwise counts out-of-order input and advances times.
    bool fold_duplicate(Vessel& v, const Context& c, std::int64_t window_ms) {
        std::uint32_t* dup_index = nullptr;
        const Dup dup = find_duplicate(v, c, dup_index, window_ms);
        if (dup != Dup::none) {
            count(dup == Dup::exact ? Cleaning::exact_duplicates : Cleaning::receiver_duplicates);
            if (opt.duplicates == Duplicates::fold) {
                if (dup == Dup::receiver && *dup_index != kNoIndex) {
                    std::uint8_t& n = v.at(*dup_index).receivers;
                    if (n < kMaxReceivers) ++n;
                }
                return true;
            }
        }
        if (c.time_ms < v.last_time_ms) count(Cleaning::out_of_order);
        v.last_time_ms = std::max(v.last_time_ms, c.time_ms);
        stream_time_ms = std::max(stream_time_ms, c.time_ms);
        return false;
    }

    template <class M>
    void on_message(const M& m, const Context& c) {
        Vessel& v = vessel(m.mmsi);
        if (fold_duplicate(v, c, kDuplicateWindowMs)) return;

        Position p;
        p.mmsi = m.mmsi;
        p.time_ms = c.time_ms;
        p.type = m.type;
        p.ref = c.ref;
        std::uint32_t index = kNoIndex;
        std::optional<StaticData> next;  // constructed for identity messages only
        auto start_identity = [&] { next.emplace(v.current); };
        auto set_dimensions = [&](const auto& x) {  // to the bow, stern, port and starboard, as sent
            next->to_bow = x.to_bow;
            next->to_stern = x.to_stern;
            next->to_port = x.to_port;
            next->to_starboard = x.to_starboard;
        };
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
                start_identity();
                next->station_class = StationClass::class_b;
                next->name = std::string(m.shipname.view());
                next->ship_type = m.shiptype;
                set_dimensions(m);
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
            start_identity();
            next->station_class = StationClass::aid_to_navigation;
            next->name = std::string(m.name.view());
            next->ship_type = m.aid_type;
            set_dimensions(m);
        } else if constexpr (std::is_same_v<T, ais::StaticVoyage>) {
            start_identity();
            next->station_class = StationClass::class_a;
            next->name = std::string(m.shipname.view());
            next->callsign = std::string(m.callsign.view());
            next->imo = m.imo;
            next->ship_type = m.shiptype;
            set_dimensions(m);
            next->draught_dm = m.draught;
            next->destination = std::string(m.destination.view());
            next->eta = eta_text(m.month, m.day, m.hour, m.minute);
            if (m.imo != 0 && !imo_is_valid(m.imo)) count(Cleaning::invalid_imo);
        } else if constexpr (std::is_same_v<T, ais::StaticDataB>) {
            start_identity();
            next->station_class = StationClass::class_b;
            if (m.partno == 0) {
                next->name = std::string(m.shipname.view());
            } else {
                if (m.merged) next->name = std::string(m.shipname.view());
                next->ship_type = m.shiptype;
                next->callsign = std::string(m.callsign.view());
                if (!m.auxiliary()) {
                    set_dimensions(m);
                }
            }
        } else {
            count(Cleaning::other_messages);
        }
        if (next) update_identity(v, m.mmsi, *next, c);
        remember(v, c, index);
        if (v.buffered >= opt.chunk_max_positions) flush_vessel(v);
    }

    /// One row of a decoded dump: its position (cleaned like a message's) and identity fields.
    void on_row(const DecodedRow& row, Context& c) {
        Vessel& v = vessel(row.mmsi);
        c.hash = position_print(row.lat, row.lon, row.sog, row.cog, row.heading) ^ (std::uint64_t{row.status} << 3) ^
                 (std::uint64_t{row.type} << 11) ^ (row.has_position ? 0 : 1);
        if (fold_duplicate(v, c, kStoredDuplicateWindowMs)) return;
        std::uint32_t index = kNoIndex;
        if (row.has_position) {
            Position p;
            p.mmsi = row.mmsi;
            p.time_ms = c.time_ms;
            p.type = row.type;
            p.ref = c.ref;
            p.lat = row.lat;
            p.lon = row.lon;
            p.sog = row.sog;
            p.cog = row.cog;
            p.heading = row.heading;
            p.turn = row.turn;
            p.status = row.status;
            index = add_position(v, p);
        }
        const RowIdentity& id = row.identity;
        if (id.any()) {
            if (id.imo && !imo_is_valid(*id.imo)) count(Cleaning::invalid_imo);
            if (v.has_open && !changes(id, v.current)) {  // the usual case: the same static data again
                v.open.first_ms = std::min(v.open.first_ms, c.time_ms);
                v.open.last_ms = std::max(v.open.last_ms, c.time_ms);
                ++v.open.reports;
                v.open.last_line = c.ref.line;
            } else {
                StaticData next = v.current;
                id.merge_into(next);
                update_identity(v, row.mmsi, next, c);
            }
        }
        remember(v, c, index);
        if (v.buffered >= opt.chunk_max_positions) flush_vessel(v);
    }
};

Ingester::Ingester(Store& store, IngestOptions options) : store_(store), options_(std::move(options)) {}
Ingester::~Ingester() = default;

namespace {

/// Standard input copied to a temporary file beside the store (deleted with this object), its
/// sha256 computed while copying: ingest needs to read an input twice (format detection, then the
/// data) and to record its digest before storing anything of it.
class StdinSpool {
public:
    explicit StdinSpool(const std::string& store_path) {
        std::filesystem::path dir = std::filesystem::path(store_path).parent_path();
        if (dir.empty()) dir = ".";
        std::string templ = (dir / ".vesselwatch-stdin-XXXXXX").string();
        const int fd = ::mkstemp(templ.data());
        if (fd < 0) throw IoError(SourceLocation{templ}, std::string("cannot create a temporary file for standard input: ") + std::strerror(errno));
        path_ = templ;
        Sha256 sha;
        std::vector<char> buf(io::kReadChunkBytes);
        for (;;) {
            const ssize_t n = ::read(STDIN_FILENO, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                ::close(fd);
                throw IoError(SourceLocation{std::string(io::kStdinName)}, std::string("read failed: ") + std::strerror(errno));
            }
            if (n == 0) break;
            sha.update(buf.data(), static_cast<std::size_t>(n));
            digest_.size += static_cast<std::uint64_t>(n);
            for (ssize_t done = 0; done < n;) {
                const ssize_t w = ::write(fd, buf.data() + done, static_cast<std::size_t>(n - done));
                if (w < 0 && errno == EINTR) continue;
                if (w < 0) {
                    const int e = errno;
                    ::close(fd);
                    throw IoError(SourceLocation{path_}, std::string("cannot spool standard input: ") + std::strerror(e));
                }
                done += w;
            }
        }
        ::close(fd);
        digest_.sha256 = sha.finish();
    }
    ~StdinSpool() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    StdinSpool(const StdinSpool&) = delete;
    StdinSpool& operator=(const StdinSpool&) = delete;
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const FileDigest& digest() const noexcept { return digest_; }

private:
    std::string path_;
    FileDigest digest_;
};

/// The format of a file from the first line of its first source (options.format wins; --columns
/// means csv).
InputFormat detect_file_format(const std::string& read_path, const std::string& shown, const IngestOptions& opt) {
    if (opt.format) return *opt.format;
    if (!opt.rows.columns.empty()) return InputFormat::csv;
    io::InputWalker walker({read_path}, opt.stream.input);
    io::Source* src = walker.next();
    if (src == nullptr) return InputFormat::nmea;
    io::LineReader reader(*src->bytes, opt.stream.lines);
    io::Line line;
    if (!reader.next(line)) return InputFormat::nmea;
    if (const auto f = detect_input_format(line.text)) return *f;
    std::string head(strip_bom(line.text).substr(0, 200));
    throw InputError(SourceLocation{shown, line.number},
                     "a CSV header of no known dialect ('" + head +
                         "'): give --columns FIELD=COLUMN,... (see vesselwatch ingest --help) or --format");
}

}  // namespace

FileResult Ingester::ingest_file(const std::string& path, const std::function<void(const IngestProgress&)>& progress) {
    FileResult result;
    result.path = path;
    std::optional<StdinSpool> spool;
    std::optional<BackgroundDigest> background;
    FileDigest digest;
    Clock::time_point t0 = Clock::now();
    if (path == io::kStdinArgument) {
        spool.emplace(store_.path());
        digest = spool->digest();
    } else {
        // A large file of a size no file of the store has cannot be held (same bytes, same size): it
        // is hashed while it is read instead of in a full extra read before. Otherwise (a re-ingest, a
        // re-run after a crash, a small file) the digest decides first, as it always did.
        std::error_code ec;
        const std::uintmax_t size = std::filesystem::file_size(path, ec);
        bool hash_first = ec || size < options_.background_digest_bytes;
        if (!hash_first) {
            auto same_size = store_.database().prepare("SELECT EXISTS(SELECT 1 FROM track_files WHERE size = ?1)");
            same_size.bind(1, static_cast<std::int64_t>(size));
            hash_first = same_size.step() && same_size.int64(0) != 0;
        }
        if (hash_first) {
            digest = digest_file(path);
        } else {
            digest.size = size;
            background.emplace(path);
        }
    }
    const std::string read_path = spool ? spool->path() : path;
    std::optional<FileRecord> held;
    if (!background) {
        result.sha256 = to_hex(digest.sha256);
        held = store_.find_file(result.sha256);
        if (held && held->complete) {
            result.outcome = FileResult::Outcome::already_held;
            result.file_id = held->id;
            result.format = held->format;
            return result;
        }
    }
    result.timing.digest_s = seconds_since(t0);
    t0 = Clock::now();
    const InputFormat format = detect_file_format(read_path, path, options_);
    result.format = std::string(input_format_name(format));

    State st(store_, options_, result);
    st.file_path = path;
    st.read_path = read_path;
    {
        // With the digest still being computed, the file's record is part of the first batch's
        // transaction (committed once the digest is recorded), else committed here on its own.
        std::optional<db::Transaction> tx;
        if (background)
            st.begin();
        else
            tx.emplace(store_.database());
        if (held) {  // an interrupted ingest of the same bytes: replace it
            store_.delete_file(held->id);
            result.outcome = FileResult::Outcome::replaced_partial;
        }
        FileRecord f;
        f.path = path;
        if (spool) {
            f.abs_path = std::string(io::kStdinName);
        } else {
            std::error_code ec;
            const auto abs = std::filesystem::absolute(path, ec);
            f.abs_path = ec ? path : abs.lexically_normal().string();
        }
        f.size = digest.size;
        f.sha256 = background ? std::string() : result.sha256;  // set by settle_digest() before any commit
        f.format = result.format;
        f.ingested_at_ms = now_ms();
        st.file_id = store_.insert_file(f);
        auto other = store_.database().prepare("SELECT EXISTS(SELECT 1 FROM track_files WHERE complete = 1 AND id <> ?1)");
        other.bind(1, st.file_id);
        st.check_stored = other.step() && other.int64(0) != 0;
        if (background)
            st.pending_digest = &*background;
        else
            tx->commit();
    }
    result.file_id = st.file_id;

    pipeline::StreamOptions so = options_.stream;
    if (progress)
        so.progress = [&](const std::string&, const io::Progress& p, std::uint64_t lines) {
            progress(IngestProgress{path, p.consumed_bytes, p.total_bytes, lines,
                                    st.progress_positions.load(std::memory_order_relaxed)});
        };

    try {
        result.timing.open_s = seconds_since(t0);
        t0 = Clock::now();
        if (!st.tx) st.begin();
        if (format == InputFormat::nmea)
            read_nmea(st, so);
        else
            read_rows(st, so, format);
        if (!result.stream.failed_inputs.empty())
            throw IoError(SourceLocation{path}, "could not be read completely: " + result.stream.failed_inputs.front());
        result.timing.read_s = seconds_since(t0);
        t0 = Clock::now();
        st.finish_file();
        result.timing.flush_s = seconds_since(t0);
        t0 = Clock::now();
        result.lines = result.stream.physical_lines;
        result.messages = result.stream.messages;
        std::vector<std::pair<std::string, std::uint64_t>> counts = {
            {"lines", result.lines},          {"messages", result.messages}, {"positions", result.positions},
            {"identities", result.identities}, {"sentences", result.stream.sentences}};
        for (std::size_t k = 0; k < kCleaningCount; ++k)
            counts.emplace_back("clean." + std::string(kCleaningNames[k]), result.cleaning[k]);
        for (std::size_t k = 0; k < kIssueCount; ++k)
            counts.emplace_back("issue." + std::string(issue_name(static_cast<Issue>(k))), result.stream.issues.n[k]);
        for (std::size_t k = 0; k < kRowIssueCount; ++k)
            counts.emplace_back("row." + std::string(row_issue_name(static_cast<RowIssue>(k))), result.row_issues[k]);
        (void)st.settle_digest(true);
        store_.set_file_counts(st.file_id, counts);
        store_.mark_complete(st.file_id);
        st.commit();
        result.timing.commit_s = seconds_since(t0);
    } catch (const AlreadyHeld& h) {  // found by the background digest: nothing was committed
        st.tx.reset();
        FileResult same;
        same.path = path;
        same.sha256 = result.sha256;
        same.outcome = FileResult::Outcome::already_held;
        same.file_id = h.file_id;
        same.format = h.format;
        return same;
    } catch (...) {
        st.tx.reset();  // roll back the open batch
        db::Transaction tx(store_.database());
        store_.delete_file(st.file_id);
        tx.commit();
        throw;
    }
    return result;
}

void Ingester::read_nmea(State& st, const pipeline::StreamOptions& so) {
    FileResult& result = st.result;
    // Reading thread: lines, sentences, reassembly, AIS decoding, the duplicate hashes. This thread:
    // vessel state, buffering, chunks and SQLite (all store writes), in message order.
    auto produce = [&](BatchWriter<NmeaItem>& w) {
        std::uint32_t last_key = 0;
        std::vector<std::uint32_t> seen_keys;
        pipeline::for_each_message({st.read_path}, so, result.stream, [&](const pipeline::MessageOrigin& o) {
            const nmea::Message& m = o.nmea;
            IngestContext c{};
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
            c.hash = text_hash(m.payload);
            c.station_hash = text_hash(m.station);
            const std::uint32_t key = m.source_id;
            bool new_source = false;
            if (key != last_key) {
                last_key = key;
                if (std::find(seen_keys.begin(), seen_keys.end(), key) == seen_keys.end()) {
                    seen_keys.push_back(key);
                    new_source = true;
                }
            }
            auto add = [&]() -> NmeaItem& {
                NmeaItem& it = w.slot();
                it.c = c;
                it.source_key = key;
                it.timed = timed;
                it.simulated = false;
                it.ends_message = false;
                if (new_source) {
                    it.new_source = o.source;
                    new_source = false;
                } else if (!it.new_source.empty()) {
                    it.new_source.clear();
                }
                return it;
            };
            bool decoded = false;
            const ais::DecodeResult r = ais::decode(m.payload, m.fill_bits, [&](const auto& msg) {
                using T = std::decay_t<decltype(msg)>;
                NmeaItem& it = add();
                it.mmsi = msg.mmsi;
                if constexpr (std::is_constructible_v<AnyMessage, T>)
                    it.msg = msg;
                else
                    it.msg = static_cast<const ais::Header&>(msg);
                w.commit();
                decoded = true;
            });
            if (!decoded) {
                NmeaItem& it = add();
                it.mmsi = 0;
                it.msg = std::monostate{};
                w.commit();
            }
            NmeaItem& last = w.last();
            last.ends_message = true;
            last.simulated = m.station.starts_with(kSimulatedStationPrefix);
            return r.issue;
        });
    };
    std::unordered_map<std::uint32_t, std::string> names;
    std::uint32_t last_key = 0, last_id = 0;
    auto consume = [&](NmeaItem& it) {
        if (!it.new_source.empty()) names[it.source_key] = it.new_source;
        if (it.source_key != last_key || last_id == 0) {
            last_key = it.source_key;
            last_id = st.source_id(it.source_key, names.at(it.source_key));
        }
        it.c.ref.source_id = last_id;
        if (it.ends_message && it.simulated) st.count(Cleaning::simulated);
        std::visit(
            [&](const auto& msg) {
                using T = std::decay_t<decltype(msg)>;
                if constexpr (!std::is_same_v<T, std::monostate>) {
                    if (!it.timed) {
                        st.count(Cleaning::missing_time);
                        return;
                    }
                    st.on_message(msg, it.c);
                }
            },
            it.msg);
        if (it.ends_message && ++st.in_batch >= options_.batch_messages) st.end_batch();
    };
    run_pipelined<NmeaItem>(
        produce, consume, [&](const NmeaItem& it, PrefetchStage s) { st.prefetch(it.mmsi, s); }, result.timing);
}

void Ingester::read_rows(State& st, const pipeline::StreamOptions& so, InputFormat format) {
    FileResult& result = st.result;
    pipeline::StreamStats& stats = result.stream;
    const bool strict = so.strictness == pipeline::Strictness::fail_first;
    // Reading thread: splitting and parsing rows (bad rows are counted there). This thread: vessel
    // state, buffering and all store writes, in row order.
    auto produce = [&](BatchWriter<RowItem>& w) {
        io::InputWalker walker({st.read_path}, so.input);
        std::uint32_t key = 0;
        std::string scratch;
        CsvSplitter splitter;
        RowIdentityMemo memo;  // per source

        auto bad_row = [&](const std::string& source, std::uint64_t line, RowIssue issue, const std::string& detail) {
            ++result.row_issues[static_cast<std::size_t>(issue)];
            stats.issues.add(Issue::bad_record);
            std::string where = source + ":" + std::to_string(line) + ": " + std::string(row_issue_name(issue));
            if (!detail.empty()) where += " (" + detail + ")";
            if (strict)
                throw InputError(SourceLocation{source, line},
                                 std::string(row_issue_name(issue)) + (detail.empty() ? "" : ": " + detail) +
                                     " (--strict stops at the first bad row)");
            if (result.row_issue_examples.size() < kMaxRowIssueExamples) result.row_issue_examples.push_back(std::move(where));
        };

        while (io::Source* src = pipeline::next_input(walker, strict, stats)) {
            ++key;
            stats.sources.push_back(src->name);
            const std::string& name = stats.sources.back();
            const std::string shown = st.file_path + name.substr(std::min(name.size(), st.read_path.size()));
            {
                RowItem& it = w.slot();
                it.source_start = true;
                it.source_key = key;
                it.new_source = name;
                w.commit();
            }
            std::uint64_t next_progress = pipeline::kProgressEveryLines;
            try {
                io::LineReader reader(*src->bytes, so.lines);
                io::Line line;
                std::optional<CsvRowReader> csv;
                if (format != InputFormat::gfw_json) {
                    if (reader.next(line)) {
                        std::string missing;
                        csv = CsvRowReader::from_header(format, line.text, options_.rows, missing);
                        if (!csv) bad_row(shown, line.number, RowIssue::bad_header, "no column " + missing);
                    }
                }
                if (format == InputFormat::gfw_json || csv) {
                    splitter.reset();
                    memo.clear();
                    std::uint64_t record_line = 0;
                    while (reader.next(line)) {
                        if (strict && reader.last_rejected().number != 0) [[unlikely]]
                            pipeline::fail_strict(shown, reader.last_rejected().number, reader.last_rejected().issue);
                        std::optional<RowIssue> issue;
                        RowItem& it = w.slot();
                        DecodedRow& row = it.row;
                        IngestContext& c = it.c;
                        c = IngestContext{};
                        if (csv) {
                            const CsvSplitter::Status status = splitter.add_line(line.text);
                            if (status == CsvSplitter::Status::needs_more) {
                                if (splitter.lines() == 1) record_line = line.number;
                                continue;
                            }
                            if (splitter.lines() == 1) record_line = line.number;
                            ++stats.messages;
                            if (status == CsvSplitter::Status::too_long) {
                                bad_row(shown, record_line, RowIssue::unterminated_quote, "");
                                continue;
                            }
                            issue = csv->parse(splitter.fields(), row, splitter.plain() ? &memo : nullptr);
                            c.ref.fragments = static_cast<std::uint8_t>(std::min<std::size_t>(splitter.lines(), kMaxExtraLines + 1));
                            for (std::size_t k = 1; k < c.ref.fragments; ++k)
                                c.ref.extra_line_offsets[k - 1] = static_cast<std::uint32_t>(k);
                        } else {
                            ++stats.messages;
                            issue = parse_json_row(line.number == 1 ? strip_bom(line.text) : line.text, row, scratch);
                            c.ref.fragments = 1;
                            record_line = line.number;
                        }
                        if (issue) {
                            bad_row(shown, record_line, *issue, "");
                            continue;
                        }
                        c.ref.line = record_line;
                        c.time_ms = row.time_ms;
                        c.station_hash = 0;
                        it.source_start = false;
                        it.source_key = key;
                        it.own_text();
                        w.commit();
                        if (line.number >= next_progress && so.progress) [[unlikely]] {
                            next_progress = line.number + pipeline::kProgressEveryLines;
                            so.progress(name, reader.progress(), line.number);
                        }
                    }
                    if (csv && splitter.open()) {
                        ++stats.messages;
                        bad_row(shown, record_line, RowIssue::unterminated_quote, "quoted field open at the end");
                    }
                }
                if (strict && reader.last_rejected().number != 0)
                    pipeline::fail_strict(shown, reader.last_rejected().number, reader.last_rejected().issue);
                stats.physical_lines += reader.lines_seen();
                const IssueCounts& line_issues = reader.issues();
                for (std::size_t k = 0; k < kIssueCount; ++k) {
                    if (line_issues.n[k] == 0) continue;
                    if (strict && issue_is_error(static_cast<Issue>(k))) pipeline::fail_strict(shown, 0, static_cast<Issue>(k));
                    stats.issues.n[k] += line_issues.n[k];
                }
                if (so.progress) so.progress(name, reader.progress(), reader.lines_seen());
            } catch (const InputError&) {
                throw;
            } catch (const OutputError&) {
                throw;  // the store failed (e.g. a full disk): not this input's fault
            } catch (const IoError& e) {
                if (strict) throw;
                pipeline::report_failed_input(stats, e.what());
            }
        }
        for (const auto& s : walker.skipped()) stats.skipped_inputs.push_back(s);
    };
    std::uint32_t source_id = 0;
    auto consume = [&](RowItem& it) {
        if (it.source_start) {
            source_id = st.source_id(it.source_key, it.new_source);
            return;
        }
        it.c.ref.source_id = source_id;
        st.on_row(it.row, it.c);
        if (++st.in_batch >= options_.batch_messages) st.end_batch();
    };
    run_pipelined<RowItem>(
        produce, consume,
        [&](const RowItem& it, PrefetchStage s) {
            if (!it.source_start) st.prefetch(it.row.mmsi, s);
        },
        result.timing);
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
    bool stdin_seen = false;
    for (const auto& a : arguments) {
        if (a == io::kStdinArgument) {
            if (stdin_seen) throw ConfigError("standard input ('-') can be read only once");
            stdin_seen = true;
            out.push_back(a);
            continue;
        }
        std::error_code ec;
        if (fs::is_directory(a, ec))
            walk(walk, a);
        else
            out.push_back(a);
    }
    return out;
}

}  // namespace vw::track
