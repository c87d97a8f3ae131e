#include "vesselwatch/io/line_reader.hpp"

#include <cstring>

namespace vw::io {

LineReader::LineReader(ByteSource& source, LineOptions options)
    : source_(&source),
      max_line_bytes_(options.max_line_bytes),
      chunk_bytes_(options.read_chunk_bytes == 0 ? kReadChunkBytes : options.read_chunk_bytes),
      // A pending partial line is at most max_line_bytes_ long (longer ones are dropped), so after
      // moving it to the front there is always room for a full chunk.
      capacity_(max_line_bytes_ + chunk_bytes_) {}

LineReader::~LineReader() = default;

bool LineReader::refill() {
    // Called when every byte before end_ has been scanned and mask_ is empty.
    if (eof_) return false;
    if (in_place_ && refill_in_place()) return true;
    in_place_ = false;
    // Not zeroed whole (a megabyte and more, for every file or memory source read): the scan reads
    // only bytes a read has written and the slack after them, which is cleared after each read.
    if (!buffer_) buffer_.reset(new char[capacity_ + detail::kScanBlockBytes]);
    char* const base = buffer_.get();
    std::size_t pending = static_cast<std::size_t>(end_ - begin_);
    if (!skipping_ && pending > max_line_bytes_) skipping_ = true;
    if (skipping_) pending = 0;  // the over-long line's bytes are dropped as they are scanned
    if (pending != 0 && begin_ != base) std::memmove(base, begin_, pending);
    begin_ = base;
    end_ = base + pending;
    block_ = end_;
    mask_ = 0;
    const std::size_t n = source_->read(std::span<char>(base + pending, capacity_ - pending));
    if (n == 0) {
        eof_ = true;
        return false;
    }
    bytes_read_ += n;
    end_ += n;
    std::memset(base + pending + n, 0, detail::kScanBlockBytes);  // the slack after end_
    if (after_cr_) {
        // The previous line ended with CR as the last byte of the old buffer; LF here completes CRLF.
        after_cr_ = false;
        if (*begin_ == '\n') block_ = begin_ = begin_ + 1;
    }
    mask_ = detail::special_mask(block_, end_);
    return true;
}

bool LineReader::refill_in_place() {
    // The source guarantees kScanBlockBytes readable bytes past the view: special_mask() may read a
    // whole block from any position before end_. Views are contiguous, so a pending partial line
    // [begin_, end_) simply continues into the new view; its length is bounded by the line check in
    // next(), not by a buffer, and nothing is dropped while scanning it.
    const std::string_view v = source_->read_in_place(detail::kScanBlockBytes, chunk_bytes_);
    if (v.empty()) return false;
    if (v.data() != end_) {  // the first view (nothing is pending: no view was taken before)
        begin_ = block_ = end_ = v.data();
    } else {
        block_ = end_;
    }
    end_ = v.data() + v.size();
    bytes_read_ += v.size();
    if (after_cr_) {
        after_cr_ = false;
        if (*block_ == '\n') {
            ++block_;
            begin_ = block_;
        }
    }
    mask_ = detail::special_mask(block_, end_);
    return true;
}

void LineReader::absorb_lf_after_cr() noexcept {
    // begin_ is just past a CR: a following LF belongs to the same line end.
    if (begin_ == end_) {
        after_cr_ = true;  // decided after the next refill
        return;
    }
    if (*begin_ != '\n') return;
    const auto bit = static_cast<std::size_t>(begin_ - block_);
    ++begin_;
    if (bit < detail::kScanBlockBytes) {
        mask_ &= ~(std::uint64_t{1} << bit);
    } else {
        block_ = begin_;  // the LF starts the next block: rescan from after it
        mask_ = detail::special_mask(block_, end_);
    }
}

bool LineReader::finish(Line& out) {
    // end of data; a last line without line end may be pending (or being skipped)
    const std::size_t len = static_cast<std::size_t>(end_ - begin_);
    if (len == 0 && !skipping_) return false;
    const char* const start = begin_;
    begin_ = block_ = end_;
    mask_ = 0;
    ++line_number_;
    issues_.add(Issue::truncated_last_line);
    if (len <= max_line_bytes_ && !garbage_ && !skipping_) {
        out.text = std::string_view(start, len);
        out.number = line_number_;
        return true;
    }
    count_rejected(len);
    return false;
}

void LineReader::count_rejected(std::size_t len) noexcept {
    if (skipping_ || len > max_line_bytes_) {
        issues_.add(Issue::line_too_long);
        last_rejected_ = {line_number_, Issue::line_too_long};
    } else if (garbage_) {
        issues_.add(Issue::binary_garbage);
        last_rejected_ = {line_number_, Issue::binary_garbage};
    } else {
        issues_.add(Issue::empty_line);
    }
    garbage_ = false;
    skipping_ = false;
}

}  // namespace vw::io
