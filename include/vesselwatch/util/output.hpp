// A fast buffered writer to a file descriptor: the one sink every text output goes through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace vw {

class OutBuffer {
public:
    static constexpr std::size_t kDefaultCapacityBytes = std::size_t{1} << 20;

    /// Writes to `fd` (not owned). `name` is used in error messages.
    explicit OutBuffer(int fd, std::string name = "<stdout>", std::size_t capacity = kDefaultCapacityBytes);
    /// Collects into memory (for tests and in-process use); read back with view().
    OutBuffer();
    ~OutBuffer();
    OutBuffer(const OutBuffer&) = delete;
    OutBuffer& operator=(const OutBuffer&) = delete;

    /// Guarantees `n` writable bytes at ptr(); flushes if needed.
    char* reserve(std::size_t n) {
        if (static_cast<std::size_t>(end_ - pos_) < n) grow_or_flush(n);
        return pos_;
    }
    void advance(std::size_t n) noexcept { pos_ += n; }

    void put(char c) {
        if (pos_ == end_) grow_or_flush(1);
        *pos_++ = c;
    }
    void write(std::string_view s) {
        char* p = reserve(s.size());
        std::memcpy(p, s.data(), s.size());
        pos_ += s.size();
    }
    void write_uint(std::uint64_t v);
    void write_int(std::int64_t v);

    /// Writes everything buffered to the descriptor (throws IoError on failure, e.g. disk full).
    void flush();
    /// Memory mode only: what has been written so far.
    [[nodiscard]] std::string_view view() const noexcept {
        return {buf_.data(), static_cast<std::size_t>(pos_ - buf_.data())};
    }
    void clear() noexcept { pos_ = buf_.data(); }

private:
    void grow_or_flush(std::size_t n);

    int fd_ = -1;
    std::string name_;
    std::vector<char> buf_;
    char* pos_ = nullptr;
    char* end_ = nullptr;
};

}  // namespace vw
