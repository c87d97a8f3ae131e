#include "vesselwatch/util/output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vesselwatch/util/error.hpp"

namespace vw {

OutBuffer::OutBuffer(int fd, std::string name, std::size_t capacity)
    : fd_(fd), name_(std::move(name)), buf_(capacity) {
    pos_ = buf_.data();
    end_ = buf_.data() + buf_.size();
}

OutBuffer::OutBuffer() : buf_(4096) {
    pos_ = buf_.data();
    end_ = buf_.data() + buf_.size();
}

OutBuffer::~OutBuffer() {
    if (fd_ >= 0) {
        try {
            flush();
        } catch (...) {  // NOLINT(bugprone-empty-catch): destructors must not throw; callers flush() explicitly
        }
    }
}

void OutBuffer::grow_or_flush(std::size_t n) {
    if (fd_ >= 0) {
        flush();
        if (buf_.size() >= n) return;
    }
    const auto used = static_cast<std::size_t>(pos_ - buf_.data());
    std::size_t cap = buf_.size() * 2;
    while (cap - used < n) cap *= 2;
    buf_.resize(cap);
    pos_ = buf_.data() + used;
    end_ = buf_.data() + buf_.size();
}

void OutBuffer::flush() {
    if (fd_ < 0) return;
    const char* p = buf_.data();
    while (p < pos_) {
        const ssize_t w = ::write(fd_, p, static_cast<std::size_t>(pos_ - p));
        if (w < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            pos_ = buf_.data();
            throw OutputError(SourceLocation{name_}, std::string("write failed: ") + std::strerror(e));
        }
        p += w;
    }
    pos_ = buf_.data();
}

void OutBuffer::write_uint(std::uint64_t v) {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    char* p = reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) p[i] = tmp[n - 1 - i];
    pos_ += n;
}

void OutBuffer::write_int(std::int64_t v) {
    if (v < 0) {
        put('-');
        write_uint(static_cast<std::uint64_t>(-(v + 1)) + 1);
    } else {
        write_uint(static_cast<std::uint64_t>(v));
    }
}

}  // namespace vw
