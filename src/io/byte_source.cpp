#include "vesselwatch/io/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "vesselwatch/util/error.hpp"

namespace vw::io {

namespace {

[[noreturn]] void throw_errno(const std::string& name, const char* what, int err) {
    throw IoError(SourceLocation{name, 0, 0}, std::string(what) + ": " + std::strerror(err));
}

}  // namespace

UniqueFd::~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.release();
    }
    return *this;
}

FdSource::FdSource(const std::string& path) : ByteSource(path) {
    int fd = -1;
    do {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) throw_errno(path, "cannot open", errno);
    owned_ = UniqueFd(fd);
    fd_ = fd;
    init();
}

FdSource::FdSource(UniqueFd fd, std::string name) : ByteSource(std::move(name)), owned_(std::move(fd)) {
    fd_ = owned_.get();
    init();
}

FdSource::FdSource(int fd, std::string name, Borrowed) : ByteSource(std::move(name)), fd_(fd) {
    init();
}

void FdSource::init() {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw_errno(name(), "cannot stat", errno);
    if (S_ISDIR(st.st_mode)) throw IoError(SourceLocation{name(), 0, 0}, "is a directory");
    if (S_ISREG(st.st_mode)) {
        total_ = static_cast<std::uint64_t>(st.st_size);
        (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
}

std::size_t FdSource::read(std::span<char> buf) {
    if (buf.empty()) return 0;
    for (;;) {
        const ssize_t n = ::read(fd_, buf.data(), buf.size());
        if (n >= 0) {
            consumed_ += static_cast<std::uint64_t>(n);
            return static_cast<std::size_t>(n);
        }
        if (errno != EINTR) throw_errno(name(), "read failed", errno);
    }
}

MemorySource::MemorySource(std::string name, std::string bytes)
    : ByteSource(std::move(name)), owned_(std::move(bytes)), data_(owned_) {}

MemorySource::MemorySource(std::string name, std::string_view bytes, Borrowed)
    : ByteSource(std::move(name)), data_(bytes) {}

std::size_t MemorySource::read(std::span<char> buf) {
    const std::size_t n = std::min(buf.size(), data_.size() - pos_);
    if (n != 0) std::memcpy(buf.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
}

std::string_view MemorySource::read_in_place(std::size_t slack_bytes, std::size_t max_bytes) {
    const std::size_t left = data_.size() - pos_;
    if (left <= slack_bytes) return {};
    const std::size_t n = std::min(max_bytes, left - slack_bytes);
    const std::string_view v = data_.substr(pos_, n);
    pos_ += n;
    return v;
}

}  // namespace vw::io
