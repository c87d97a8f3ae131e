// A ByteSource for line-reader tests: hands out at most `step` bytes per read() (to put every byte at a
// buffer boundary) and never offers its bytes in place, so LineReader takes its copying path.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "vesselwatch/io/byte_source.hpp"

namespace vw::test {

class TrickleSource final : public vw::io::ByteSource {
public:
    TrickleSource(std::string_view data, std::size_t step) : ByteSource("trickle"), data_(data), step_(step) {}
    std::size_t read(std::span<char> buf) override {
        const std::size_t n = std::min({buf.size(), step_, data_.size() - pos_});
        std::memcpy(buf.data(), data_.data() + pos_, n);
        pos_ += n;
        return n;
    }
    vw::io::Progress progress() const override { return {pos_, data_.size()}; }
    std::uint64_t encoded_bytes_consumed() const override { return pos_; }

private:
    std::string data_;
    std::size_t step_;
    std::size_t pos_ = 0;
};

}  // namespace vw::test
