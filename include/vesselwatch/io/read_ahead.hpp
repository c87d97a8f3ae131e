// A ByteSource that reads its inner source on a background thread, a few chunks ahead of the
// consumer. Used for compressed inputs: decompression then overlaps with parsing, which on two
// cores takes the inflate time off the wall clock (docs/benchmarks.md).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "vesselwatch/io/byte_source.hpp"

namespace vw::io {

class ReadAheadSource final : public ByteSource {
public:
    /// Chunks of kReadChunkBytes held at once (memory: slots x 1 MiB).
    static constexpr std::size_t kDefaultSlots = 4;

    explicit ReadAheadSource(std::unique_ptr<ByteSource> inner, std::size_t slots = kDefaultSlots);
    ~ReadAheadSource() override;
    ReadAheadSource(const ReadAheadSource&) = delete;
    ReadAheadSource& operator=(const ReadAheadSource&) = delete;
    ReadAheadSource(ReadAheadSource&&) = delete;
    ReadAheadSource& operator=(ReadAheadSource&&) = delete;

    /// Bytes in order, exactly as the inner source gives them. A fault of the inner source is
    /// rethrown here once every byte read before it has been handed out.
    [[nodiscard]] std::size_t read(std::span<char> buf) override;
    /// As of the last chunk the background thread finished (at most `slots` chunks ahead).
    [[nodiscard]] Progress progress() const override;
    [[nodiscard]] std::uint64_t encoded_bytes_consumed() const override;

private:
    struct Slot {
        std::unique_ptr<char[]> data;
        std::size_t size = 0;
    };
    void produce() noexcept;

    std::unique_ptr<ByteSource> inner_;
    std::vector<Slot> slots_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::size_t filled_ = 0;    // slots produced (monotonic); slot index = count % slots
    std::size_t consumed_ = 0;  // slots fully consumed (monotonic)
    std::size_t offset_ = 0;    // bytes of the current slot already handed out
    bool finished_ = false;     // the producer saw the end or a fault
    bool stop_ = false;         // the consumer is going away
    std::exception_ptr fault_;
    Progress progress_;
    std::uint64_t encoded_ = 0;
    std::thread thread_;
};

}  // namespace vw::io
