// Input enumeration: turns the user's arguments (files, directories, "-" for stdin) into a sequence of
// logical sources, opening compression layers and zip archives on the way. See docs/inputs.md.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/io/compression.hpp"

namespace vw::io {

/// Container layers (compression or archive) that may wrap a text source: "a.gz" is 1 layer,
/// "a.zip!b.gz" and "a.zip!b.zip!c.txt" are 2, "a.zip!b.zip!c.gz" is 3 and is skipped by default.
inline constexpr unsigned kDefaultMaxNestingDepth = 2;

/// The argument that means standard input, and the display name it gets.
inline constexpr std::string_view kStdinArgument = "-";
inline constexpr std::string_view kStdinName = "<stdin>";

/// Whether directory recursion and archives include names starting with '.' (files named explicitly
/// are always read).
enum class HiddenFiles : std::uint8_t { skip, include };

/// Whether compressed files are decompressed on a background thread, ahead of the reader.
enum class ReadAhead : std::uint8_t {
    compressed,  ///< yes for compressed files outside archives (default): inflate overlaps parsing
    off,         ///< everything on the calling thread
};

struct InputOptions {
    BombLimits bomb;
    unsigned max_nesting_depth = kDefaultMaxNestingDepth;
    HiddenFiles hidden_files = HiddenFiles::skip;
    ReadAhead read_ahead = ReadAhead::compressed;
};

/// One logical source: a plain file, a decompressed file, an archive entry...
struct Source {
    std::string name;            // "path", "<stdin>", "a.zip!dir/b.txt" (control bytes escaped as \xNN)
    std::vector<Format> layers;  // decoding applied, outermost first (empty for plain files)
    std::unique_ptr<ByteSource> bytes;  // decoded text
};

/// An input that was found but not read, with the reason (the CLI reports these).
struct SkippedInput {
    std::string name;
    std::string reason;
};

struct ArchiveFrame;  // an open archive being walked (input.cpp)

/// Walks the inputs in order. Directories are recursed with entries in byte-wise sorted name order;
/// hidden entries and anything that is not a regular file (or a symlink to one) are skipped and
/// recorded; symlinked directories are not followed. Archive entries stream from their archive: each
/// Source is valid until the next call to next() and must not outlive the walker.
class InputWalker {
public:
    /// `arguments`: paths of files or directories, or "-" for stdin.
    explicit InputWalker(std::vector<std::string> arguments, InputOptions options = {});
    ~InputWalker();
    InputWalker(const InputWalker&) = delete;
    InputWalker& operator=(const InputWalker&) = delete;
    InputWalker(InputWalker&&) = delete;
    InputWalker& operator=(InputWalker&&) = delete;

    /// Appends an already open stream (memory, pipe...) as one more input, detected like a file.
    void add(std::unique_ptr<ByteSource> raw);

    /// The next logical source, or nullptr when all inputs are done. Throws vw::IoError naming the
    /// file when an input cannot be opened or an archive is broken; calling next() again then
    /// continues with the following input or archive entry.
    [[nodiscard]] Source* next();

    /// Inputs found but not read so far, in the order met.
    [[nodiscard]] const std::vector<SkippedInput>& skipped() const noexcept { return skipped_; }

private:
    struct Pending {
        std::string path;                 // a file, directory or "-" when raw is empty
        std::unique_ptr<ByteSource> raw;  // an added stream
        bool from_directory = false;
    };

    Source* open_layers(std::unique_ptr<ByteSource> raw, std::string name, std::vector<Format> layers);
    Source* next_archive_entry();
    void expand_directory(const std::string& path);

    InputOptions options_;
    std::deque<Pending> pending_;
    std::vector<std::unique_ptr<ArchiveFrame>> archives_;
    std::unique_ptr<Source> current_;
    std::vector<SkippedInput> skipped_;
};

/// Escapes bytes below 0x20, 0x7f and backslash as \xNN / \\ so that a name taken from an archive
/// cannot inject line ends or terminal escapes into messages; long names are cut.
[[nodiscard]] std::string safe_display_name(std::string_view raw);

}  // namespace vw::io
