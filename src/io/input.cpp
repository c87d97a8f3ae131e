#include "vesselwatch/io/input.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>

#include "vesselwatch/io/read_ahead.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::io {

namespace {

/// Archive entry names longer than this are cut in display names.
constexpr std::size_t kMaxDisplayNameBytes = 1024;
constexpr char kArchiveSeparator = '!';

struct ArchiveDeleter {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

[[noreturn]] void fail(const std::string& name, const std::string& message) {
    throw IoError(SourceLocation{name, 0, 0}, message);
}

bool is_hidden(std::string_view path) {
    const std::size_t slash = path.find_last_of('/');
    const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return !base.empty() && base.front() == '.';
}

}  // namespace

/// An open archive: libarchive reads it through read_callback() from `input`.
struct ArchiveFrame {
    ArchiveFrame(std::unique_ptr<ByteSource> in, std::string archive_name, std::vector<Format> archive_layers)
        : input(std::move(in)),
          name(std::move(archive_name)),
          layers(std::move(archive_layers)),
          buffer(std::make_unique_for_overwrite<char[]>(kReadChunkBytes)) {}

    static la_ssize_t read_callback(struct archive* a, void* client, const void** out) {
        auto* self = static_cast<ArchiveFrame*>(client);
        try {
            const std::size_t n = self->input->read(std::span<char>(self->buffer.get(), kReadChunkBytes));
            *out = self->buffer.get();
            return static_cast<la_ssize_t>(n);
        } catch (...) {
            // Exceptions must not cross libarchive's C frames: keep it and rethrow after it returns.
            self->error = std::current_exception();
            archive_set_error(a, EIO, "read of the underlying stream failed");
            return -1;
        }
    }

    /// Rethrows a fault of the underlying stream, else throws IoError with libarchive's message.
    [[noreturn]] void throw_error(const std::string& where) {
        if (error) {
            std::exception_ptr e = std::move(error);
            error = nullptr;
            std::rethrow_exception(e);
        }
        const char* msg = archive_error_string(ar.get());
        fail(where,
             std::string(format_name(layers.back())) + ": " + (msg != nullptr ? msg : "archive error"));
    }

    std::unique_ptr<ByteSource> input;
    std::string name;
    std::vector<Format> layers;      // of the archive itself, the archive format last
    std::unique_ptr<char[]> buffer;  // kReadChunkBytes, handed to libarchive
    std::exception_ptr error;
    ArchivePtr ar;
    std::uint64_t entry_index = 0;
};

namespace {

/// The data of the current entry of an archive (streamed, never written anywhere).
class ArchiveEntrySource final : public ByteSource {
public:
    ArchiveEntrySource(ArchiveFrame& frame, std::string entry_name, const BombLimits& limits)
        : ByteSource(std::move(entry_name)),
          frame_(&frame),
          guard_(limits, *this, format_name(Format::zip)) {}

    [[nodiscard]] std::size_t read(std::span<char> buf) override {
        if (done_ || buf.empty()) return 0;
        const la_ssize_t n = archive_read_data(frame_->ar.get(), buf.data(), buf.size());
        if (n < 0) frame_->throw_error(name());
        if (n == 0) done_ = true;
        const auto produced = static_cast<std::size_t>(n);
        // Entries may be stored (ratio ~1) or compressed: the bomb rule applies to the position in the
        // archive stream consumed by this entry.
        guard_.add(produced, encoded_bytes_consumed(), name());
        return produced;
    }
    [[nodiscard]] Progress progress() const override { return frame_->input->progress(); }
    [[nodiscard]] std::uint64_t encoded_bytes_consumed() const override {
        const la_int64_t pos = archive_filter_bytes(frame_->ar.get(), 0);
        return pos < 0 ? 0 : static_cast<std::uint64_t>(pos);
    }

private:
    ArchiveFrame* frame_;
    BombGuard guard_;
    bool done_ = false;
};

}  // namespace

std::string safe_display_name(std::string_view raw) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(std::min(raw.size(), kMaxDisplayNameBytes) + 8);
    for (const char c : raw) {
        if (s.size() >= kMaxDisplayNameBytes) {
            s += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            s += "\\x";
            s += kHex[u >> 4];
            s += kHex[u & 0xf];
        } else if (c == '\\') {
            s += "\\\\";
        } else {
            s += c;
        }
    }
    return s;
}

InputWalker::InputWalker(std::vector<std::string> arguments, InputOptions options) : options_(options) {
    for (auto& a : arguments) pending_.push_back(Pending{std::move(a), nullptr, false});
}

InputWalker::~InputWalker() {
    current_.reset();  // may read from the innermost archive
    while (!archives_.empty()) archives_.pop_back();
}

void InputWalker::add(std::unique_ptr<ByteSource> raw) {
    pending_.push_back(Pending{{}, std::move(raw), false});
}

Source* InputWalker::next() {
    current_.reset();
    for (;;) {
        if (!archives_.empty()) {
            if (Source* s = next_archive_entry()) return s;
            continue;
        }
        if (pending_.empty()) return nullptr;
        Pending item = std::move(pending_.front());
        pending_.pop_front();
        if (item.raw) {
            std::string name = item.raw->name();
            if (Source* s = open_layers(std::move(item.raw), std::move(name), {})) return s;
            continue;
        }
        if (item.path == kStdinArgument) {
            auto raw =
                std::make_unique<FdSource>(STDIN_FILENO, std::string(kStdinName), FdSource::Borrowed::yes);
            if (Source* s = open_layers(std::move(raw), std::string(kStdinName), {})) return s;
            continue;
        }
        struct stat st {};
        if (::stat(item.path.c_str(), &st) != 0)
            fail(item.path, std::string("cannot open: ") + std::strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            expand_directory(item.path);
            continue;
        }
        if (item.from_directory && !S_ISREG(st.st_mode)) {
            skipped_.push_back({item.path, "not a regular file"});
            continue;
        }
        auto raw = std::make_unique<FdSource>(item.path);
        std::string name = item.path;
        if (Source* s = open_layers(std::move(raw), std::move(name), {})) return s;
    }
}

void InputWalker::expand_directory(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::directory_iterator it(path, ec);
    if (ec) fail(path, "cannot read directory: " + ec.message());
    std::vector<std::string> names;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        names.push_back(it->path().filename().string());
    }
    if (ec) fail(path, "cannot read directory: " + ec.message());
    std::sort(names.begin(), names.end());  // byte-wise, locale independent
    std::vector<Pending> entries;
    const std::string prefix = path.ends_with('/') ? path : path + '/';
    for (const auto& n : names) {
        std::string full = prefix + n;
        if (options_.hidden_files == HiddenFiles::skip && n.front() == '.') {
            skipped_.push_back({std::move(full), "hidden"});
            continue;
        }
        struct stat lst {};
        if (::lstat(full.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
            struct stat st {};
            if (::stat(full.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
                skipped_.push_back({std::move(full), "symbolic link to a directory (not followed)"});
                continue;
            }
        }
        entries.push_back(Pending{std::move(full), nullptr, true});
    }
    for (auto it2 = entries.rbegin(); it2 != entries.rend(); ++it2) pending_.push_front(std::move(*it2));
}

Source* InputWalker::open_layers(std::unique_ptr<ByteSource> raw, std::string name,
                                 std::vector<Format> layers) {
    for (;;) {
        Detected d = detect(std::move(raw));
        if (d.format == Format::plain) {
            // Read ahead only when no archive is involved: an archive entry shares its archive's
            // reader with the walker, which must not be read from two threads.
            const bool compressed_only =
                !layers.empty() && std::all_of(layers.begin(), layers.end(), [](Format f) { return is_compression(f); });
            std::unique_ptr<ByteSource> bytes = std::move(d.source);
            if (compressed_only && options_.read_ahead == ReadAhead::compressed)
                bytes = std::make_unique<ReadAheadSource>(std::move(bytes));
            current_.reset();  // a previous source's reader thread stops before this one starts
            current_ = std::make_unique<Source>(Source{std::move(name), std::move(layers), std::move(bytes)});
            return current_.get();
        }
        if (layers.size() >= options_.max_nesting_depth) {
            skipped_.push_back({std::move(name), std::string(format_name(d.format)) +
                                                     " data nested deeper than " +
                                                     std::to_string(options_.max_nesting_depth) +
                                                     " layers (nesting depth limit)"});
            return nullptr;
        }
        layers.push_back(d.format);
        if (is_compression(d.format)) {
            raw = make_decompressor(d.format, std::move(d.source), options_.bomb);
            continue;
        }
        // an archive: entries are returned by next_archive_entry()
        auto frame = std::make_unique<ArchiveFrame>(std::move(d.source), std::move(name), std::move(layers));
        frame->ar.reset(archive_read_new());
        if (!frame->ar) throw std::bad_alloc();
        archive_read_support_format_zip(frame->ar.get());
        if (archive_read_open(frame->ar.get(), frame.get(), nullptr, &ArchiveFrame::read_callback, nullptr) !=
            ARCHIVE_OK)
            frame->throw_error(frame->name);
        archives_.push_back(std::move(frame));
        return nullptr;
    }
}

Source* InputWalker::next_archive_entry() {
    ArchiveFrame& f = *archives_.back();
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(f.ar.get(), &entry);
    if (r == ARCHIVE_EOF) {
        archives_.pop_back();
        return nullptr;
    }
    if (r < ARCHIVE_WARN || entry == nullptr) {
        // The archive cannot be read further: drop it, so that next() continues after it.
        std::unique_ptr<ArchiveFrame> broken = std::move(archives_.back());
        archives_.pop_back();
        broken->throw_error(broken->name);
    }
    ++f.entry_index;
    const char* raw_name = archive_entry_pathname(entry);
    std::string entry_name = raw_name != nullptr && *raw_name != '\0'
                                 ? safe_display_name(raw_name)
                                 : "<unnamed entry " + std::to_string(f.entry_index) + ">";
    std::string name = f.name + kArchiveSeparator + entry_name;
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) return nullptr;
    if (type != AE_IFREG) {
        skipped_.push_back({std::move(name), "not a regular file"});
        return nullptr;
    }
    if (options_.hidden_files == HiddenFiles::skip && is_hidden(entry_name)) {
        skipped_.push_back({std::move(name), "hidden"});
        return nullptr;
    }
    auto data = std::make_unique<ArchiveEntrySource>(f, name, options_.bomb);
    return open_layers(std::move(data), std::move(name), f.layers);
}

}  // namespace vw::io
