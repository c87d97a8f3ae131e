#include "vesselwatch/io/read_ahead.hpp"

#include <algorithm>
#include <cstring>

namespace vw::io {

ReadAheadSource::ReadAheadSource(std::unique_ptr<ByteSource> inner, std::size_t slots)
    : ByteSource(inner->name()), inner_(std::move(inner)), slots_(std::max<std::size_t>(slots, 2)) {
    for (Slot& s : slots_) s.data = std::make_unique_for_overwrite<char[]>(kReadChunkBytes);
    progress_ = inner_->progress();
    encoded_ = inner_->encoded_bytes_consumed();
    thread_ = std::thread([this] { produce(); });
}

ReadAheadSource::~ReadAheadSource() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void ReadAheadSource::produce() noexcept {
    for (;;) {
        Slot* slot = nullptr;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return stop_ || filled_ - consumed_ < slots_.size(); });
            if (stop_) return;
            slot = &slots_[filled_ % slots_.size()];
        }
        // The slot is ours until filled_ moves past it: the consumer never reads an unfilled slot.
        std::size_t n = 0;
        std::exception_ptr fault;
        Progress progress;
        std::uint64_t encoded = 0;
        try {
            n = inner_->read(std::span<char>(slot->data.get(), kReadChunkBytes));
            progress = inner_->progress();
            encoded = inner_->encoded_bytes_consumed();
        } catch (...) {
            fault = std::current_exception();
        }
        {
            const std::lock_guard lock(mutex_);
            if (fault) {
                fault_ = fault;
                finished_ = true;
            } else if (n == 0) {
                finished_ = true;
            } else {
                slot->size = n;
                ++filled_;
                progress_ = progress;
                encoded_ = encoded;
            }
        }
        changed_.notify_all();
        if (fault || n == 0) return;
    }
}

std::size_t ReadAheadSource::read(std::span<char> buf) {
    if (buf.empty()) return 0;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return consumed_ < filled_ || finished_; });
    if (consumed_ == filled_) {  // nothing left: the end, or the fault after the last good byte
        if (fault_) std::rethrow_exception(fault_);
        return 0;
    }
    Slot& slot = slots_[consumed_ % slots_.size()];
    lock.unlock();  // the producer does not touch a filled slot
    const std::size_t n = std::min(buf.size(), slot.size - offset_);
    std::memcpy(buf.data(), slot.data.get() + offset_, n);
    offset_ += n;
    if (offset_ == slot.size) {
        offset_ = 0;
        {
            const std::lock_guard relock(mutex_);
            ++consumed_;
        }
        changed_.notify_all();
    }
    return n;
}

Progress ReadAheadSource::progress() const {
    const std::lock_guard lock(mutex_);
    return progress_;
}

std::uint64_t ReadAheadSource::encoded_bytes_consumed() const {
    const std::lock_guard lock(mutex_);
    return encoded_;
}

}  // namespace vw::io
