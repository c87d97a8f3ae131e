// Streaming byte sources: the bottom of the input pipeline. A ByteSource hands out bytes in large
// chunks (a virtual call per chunk, never per line); decoders and archive entries are ByteSources
// stacked on other ByteSources (see compression.hpp, input.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vw::io {

/// Size of every fixed read / decode buffer in the io module.
inline constexpr std::size_t kReadChunkBytes = std::size_t{1} << 20;

/// How far through the underlying file (the bytes on disk, before any decompression) reading is.
/// For an entry of an archive this is the position in the archive file as a whole.
struct Progress {
    std::uint64_t consumed_bytes = 0;
    std::optional<std::uint64_t> total_bytes;  // known for regular files and memory, not for pipes
};

/// A stream of bytes with a display name ("path", "<stdin>", "a.zip!dir/b.txt").
class ByteSource {
public:
    virtual ~ByteSource() = default;
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;
    ByteSource(ByteSource&&) = delete;
    ByteSource& operator=(ByteSource&&) = delete;

    /// Copies up to `buf.size()` bytes into `buf` and returns how many; 0 means end of data (and only
    /// then). Throws vw::IoError naming the source on read, decoding or limit faults.
    [[nodiscard]] virtual std::size_t read(std::span<char> buf) = 0;

    /// Progress through the underlying file, for progress bars.
    [[nodiscard]] virtual Progress progress() const = 0;

    /// Bytes consumed so far from the encoded form of this logical source: the file for a plain or
    /// compressed file, the archive stream position for an archive entry. Decoders measure their
    /// end-to-end decompression ratio against it (the decompression-bomb limit).
    [[nodiscard]] virtual std::uint64_t encoded_bytes_consumed() const = 0;

    /// Zero-copy reading, for sources whose bytes already sit in memory and stay valid and unchanged
    /// while the source lives (MemorySource). Consumes and returns the next at most `max_bytes` bytes
    /// as a view into the source, chosen so that at least `slack_bytes` further bytes of the source
    /// are readable right after the view's end (those stay unconsumed: a later call or read() returns
    /// them). Successive views are contiguous. Returns an empty view when the source cannot do this
    /// (the default) or when no more than `slack_bytes` bytes remain; read() then returns the rest.
    [[nodiscard]] virtual std::string_view read_in_place(std::size_t slack_bytes, std::size_t max_bytes) {
        (void)slack_bytes;
        (void)max_bytes;
        return {};
    }

    [[nodiscard]] const std::string& name() const noexcept { return name_; }

protected:
    explicit ByteSource(std::string name) : name_(std::move(name)) {}

private:
    std::string name_;
};

/// An owned POSIX file descriptor (closed on destruction).
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    ~UniqueFd();
    UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    [[nodiscard]] int get() const noexcept { return fd_; }
    [[nodiscard]] int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_ = -1;
};

/// Reads a file descriptor with large read() calls. Regular files report their size for progress.
class FdSource final : public ByteSource {
public:
    /// Opens `path` for reading; throws vw::IoError naming the file when that fails.
    explicit FdSource(const std::string& path);
    /// Takes ownership of `fd`.
    FdSource(UniqueFd fd, std::string name);
    /// Does not own `fd` (e.g. stdin); it must stay open while this source is used.
    enum class Borrowed { yes };
    FdSource(int fd, std::string name, Borrowed);

    [[nodiscard]] std::size_t read(std::span<char> buf) override;
    [[nodiscard]] Progress progress() const override { return {consumed_, total_}; }
    [[nodiscard]] std::uint64_t encoded_bytes_consumed() const override { return consumed_; }

private:
    void init();

    UniqueFd owned_;
    int fd_ = -1;
    std::uint64_t consumed_ = 0;
    std::optional<std::uint64_t> total_;
};

/// Reads bytes held in memory (tests, fuzzing, in-process use).
class MemorySource final : public ByteSource {
public:
    /// Copies `bytes`.
    MemorySource(std::string name, std::string bytes);
    /// Does not copy: `bytes` must outlive this source.
    enum class Borrowed { yes };
    MemorySource(std::string name, std::string_view bytes, Borrowed);

    [[nodiscard]] std::size_t read(std::span<char> buf) override;
    [[nodiscard]] std::string_view read_in_place(std::size_t slack_bytes, std::size_t max_bytes) override;
    [[nodiscard]] Progress progress() const override { return {pos_, data_.size()}; }
    [[nodiscard]] std::uint64_t encoded_bytes_consumed() const override { return pos_; }

private:
    std::string owned_;
    std::string_view data_;
    std::size_t pos_ = 0;
};

}  // namespace vw::io
