// InputWalker: directory recursion order, stdin, zip archives (hostile names, nesting, bombs),
// errors that name the file and let the walk continue.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "vesselwatch/io/byte_source.hpp"
#include "vesselwatch/io/input.hpp"
#include "vesselwatch/io/line_reader.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

namespace fs = std::filesystem;
using vw::io::Format;
using vw::io::InputOptions;
using vw::io::InputWalker;

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::path(VW_TEST_TMP) / "io" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write_file(const fs::path& p, const std::string& data) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
}

std::string gzip(const std::string& in) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string raw_deflate(const std::string& in) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

/// A minimal zip writer (stored or deflated entries, any entry name): lets the tests build archives
/// with names no zip tool would write, such as "../evil" or "/etc/x".
class ZipWriter {
public:
    enum class Method : std::uint16_t { stored = 0, deflated = 8 };

    void add(const std::string& name, const std::string& data, Method method = Method::deflated) {
        const std::string body = method == Method::stored ? data : raw_deflate(data);
        const auto crc = static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
        const auto offset = static_cast<std::uint32_t>(out_.size());
        put32(out_, 0x04034b50);
        header(out_, method, crc, body.size(), data.size(), name);
        out_ += name;
        out_ += body;
        put32(central_, 0x02014b50);
        put16(central_, 20);  // version made by
        header(central_, method, crc, body.size(), data.size(), name);
        put16(central_, 0);  // comment length
        put16(central_, 0);  // disk
        put16(central_, 0);  // internal attributes
        put32(central_, 0);  // external attributes
        put32(central_, offset);
        central_ += name;
        ++count_;
    }

    [[nodiscard]] std::string finish() const {
        std::string z = out_ + central_;
        put32(z, 0x06054b50);
        put16(z, 0);
        put16(z, 0);
        put16(z, count_);
        put16(z, count_);
        put32(z, static_cast<std::uint32_t>(central_.size()));
        put32(z, static_cast<std::uint32_t>(out_.size()));
        put16(z, 0);
        return z;
    }

private:
    static void put16(std::string& s, std::uint32_t v) {
        s += static_cast<char>(v & 0xff);
        s += static_cast<char>((v >> 8) & 0xff);
    }
    static void put32(std::string& s, std::uint32_t v) {
        put16(s, v & 0xffff);
        put16(s, v >> 16);
    }
    static void header(std::string& s, Method method, std::uint32_t crc, std::size_t packed, std::size_t size,
                       const std::string& name) {
        put16(s, 20);  // version needed
        put16(s, 0);   // flags
        put16(s, static_cast<std::uint16_t>(method));
        put16(s, 0);     // time
        put16(s, 0x21);  // date
        put32(s, crc);
        put32(s, static_cast<std::uint32_t>(packed));
        put32(s, static_cast<std::uint32_t>(size));
        put16(s, static_cast<std::uint32_t>(name.size()));
        put16(s, 0);  // extra length
    }

    std::string out_;
    std::string central_;
    std::uint16_t count_ = 0;
};

struct Read {
    std::string name;
    std::vector<std::string> lines;
    std::vector<Format> layers;
};

/// Every source of the walk with its lines; IoErrors are recorded as "ERROR <what>" entries.
std::vector<Read> walk(InputWalker& w) {
    std::vector<Read> out;
    for (;;) {
        vw::io::Source* s = nullptr;
        try {
            s = w.next();
        } catch (const vw::IoError& e) {
            out.push_back({std::string("ERROR ") + e.what(), {}, {}});
            continue;
        }
        if (s == nullptr) break;
        Read r{s->name, {}, s->layers};
        vw::io::LineReader reader(*s->bytes);
        try {
            reader.for_each([&](std::string_view t, std::uint64_t) { r.lines.emplace_back(t); });
        } catch (const vw::IoError& e) {
            r.lines.push_back(std::string("ERROR ") + e.what());
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<std::string> names(const std::vector<Read>& reads) {
    std::vector<std::string> n;
    for (const auto& r : reads) n.push_back(r.name);
    return n;
}

}  // namespace

TEST(IoInput, DirectoriesAreRecursedInSortedOrderSkippingHiddenEntries) {
    const fs::path d = scratch("dirs");
    write_file(d / "b.txt", "b1\nb2\n");
    write_file(d / "a" / "z.txt", "z\n");
    write_file(d / "a" / ".hidden", "h\n");
    write_file(d / ".git" / "config", "x\n");
    write_file(d / "A.txt", "A\n");
    write_file(d / "c.log.gz", gzip("c\n"));
    write_file(d / "a-b.txt", "ab\n");
    write_file(d / "empty.txt", "");
    fs::create_directories(d / "emptydir");
    InputWalker w({d.string()});
    const auto reads = walk(w);
    const std::string p = d.string() + "/";
    EXPECT_EQ(names(reads), (std::vector<std::string>{p + "A.txt", p + "a/z.txt", p + "a-b.txt", p + "b.txt",
                                                      p + "c.log.gz", p + "empty.txt"}));
    ASSERT_EQ(reads.size(), 6U);
    EXPECT_EQ(reads[4].lines, (std::vector<std::string>{"c"}));
    EXPECT_TRUE(reads[5].lines.empty());
    ASSERT_EQ(w.skipped().size(), 2U);
    EXPECT_EQ(w.skipped()[0].name, p + ".git");
    EXPECT_EQ(w.skipped()[1].name, p + "a/.hidden");
    EXPECT_EQ(w.skipped()[1].reason, "hidden");
}

TEST(IoInput, ArgumentsKeepTheirOrderAndNamedHiddenFilesAreRead) {
    const fs::path d = scratch("args");
    write_file(d / "2.txt", "two\n");
    write_file(d / ".1.txt", "one\n");
    InputWalker w({(d / "2.txt").string(), (d / ".1.txt").string()});
    const auto reads = walk(w);
    ASSERT_EQ(reads.size(), 2U);
    EXPECT_EQ(reads[0].lines, (std::vector<std::string>{"two"}));
    EXPECT_EQ(reads[1].lines, (std::vector<std::string>{"one"}));
}

TEST(IoInput, MissingFileThrowsNamingItAndTheWalkContinues) {
    const fs::path d = scratch("missing");
    write_file(d / "ok.txt", "ok\n");
    const std::string missing = (d / "nope.txt").string();
    InputWalker w({missing, (d / "ok.txt").string()});
    try {
        (void)w.next();
        ADD_FAILURE() << "no error";
    } catch (const vw::IoError& e) {
        EXPECT_EQ(e.where().file, missing);
    }
    vw::io::Source* s = w.next();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->name, (d / "ok.txt").string());
    EXPECT_EQ(w.next(), nullptr);
}

TEST(IoInput, ZipEntriesAreSourcesIncludingHostileNames) {
    const fs::path d = scratch("zip");
    ZipWriter z;
    z.add("first.txt", "1a\r\n1b\r\n");
    z.add("dir/", "", ZipWriter::Method::stored);
    z.add("dir/second.nmea", "2a\n2b\n2c", ZipWriter::Method::stored);
    z.add("../evil", "e1\n");
    z.add("/etc/abs", "abs\n");
    z.add("esc\x1b[31m\nname", "x\n");
    z.add("dir/.DS_Store", "junk\n");
    z.add("inner.gz", gzip("g1\ng2\n"), ZipWriter::Method::stored);
    write_file(d / "a.zip", z.finish());
    InputWalker w({(d / "a.zip").string()});
    const auto reads = walk(w);
    const std::string p = (d / "a.zip").string() + "!";
    EXPECT_EQ(names(reads),
              (std::vector<std::string>{p + "first.txt", p + "dir/second.nmea", p + "../evil", p + "/etc/abs",
                                        p + "esc\\x1b[31m\\x0aname", p + "inner.gz"}));
    EXPECT_EQ(reads[0].lines, (std::vector<std::string>{"1a", "1b"}));
    EXPECT_EQ(reads[1].lines, (std::vector<std::string>{"2a", "2b", "2c"}));
    EXPECT_EQ(reads[2].lines, (std::vector<std::string>{"e1"}));
    EXPECT_EQ(reads[5].lines, (std::vector<std::string>{"g1", "g2"}));
    // nothing was written next to the archive or above it
    EXPECT_FALSE(fs::exists(d / "evil"));
    EXPECT_FALSE(fs::exists(d.parent_path() / "evil"));
    ASSERT_EQ(w.skipped().size(), 1U);
    EXPECT_EQ(w.skipped()[0].name, p + "dir/.DS_Store");
}

TEST(IoInput, NestedArchivesAreReadToTheDepthLimit) {
    const fs::path d = scratch("nested");
    ZipWriter inner2;
    inner2.add("deep.txt", "deep\n");
    ZipWriter inner;
    inner.add("in.txt", "in\n");
    inner.add("in.gz", gzip("ingz\n"));     // zip > zip > gzip: 3 layers
    inner.add("in2.zip", inner2.finish());  // zip > zip > zip: 3 layers
    ZipWriter outer;
    outer.add("top.txt", "top\n");
    outer.add("inner.zip", inner.finish());
    outer.add("after.txt", "after\n");
    write_file(d / "o.zip", outer.finish());
    {
        InputWalker w({(d / "o.zip").string()});
        const auto reads = walk(w);
        const std::string p = (d / "o.zip").string() + "!";
        EXPECT_EQ(names(reads),
                  (std::vector<std::string>{p + "top.txt", p + "inner.zip!in.txt", p + "after.txt"}));
        ASSERT_EQ(w.skipped().size(), 2U);
        EXPECT_EQ(w.skipped()[0].name, p + "inner.zip!in.gz");
        EXPECT_NE(w.skipped()[0].reason.find("nesting depth limit"), std::string::npos);
    }
    {
        InputOptions opts;
        opts.max_nesting_depth = 3;
        InputWalker w({(d / "o.zip").string()}, opts);
        const auto reads = walk(w);
        const std::string p = (d / "o.zip").string() + "!";
        EXPECT_EQ(names(reads),
                  (std::vector<std::string>{p + "top.txt", p + "inner.zip!in.txt", p + "inner.zip!in.gz",
                                            p + "inner.zip!in2.zip!deep.txt", p + "after.txt"}));
        ASSERT_EQ(reads.size(), 5U);
        EXPECT_EQ(reads[2].lines, (std::vector<std::string>{"ingz"}));
        EXPECT_EQ(reads[2].layers, (std::vector<Format>{Format::zip, Format::zip, Format::gzip}));
        EXPECT_EQ(reads[4].layers, (std::vector<Format>{Format::zip}));
    }
}

TEST(IoInput, ZipBombEntryStopsWithIoErrorAndTheNextEntryIsRead) {
    const fs::path d = scratch("zipbomb");
    ZipWriter z;
    z.add("bomb.txt", std::string(64U << 20, '0'));  // 64 MiB of '0' deflates ~1000:1
    z.add("fine.txt", "fine\n");
    write_file(d / "b.zip", z.finish());
    InputOptions opts;
    opts.bomb.max_ratio = 100;
    opts.bomb.ratio_grace_bytes = 1U << 20;
    InputWalker w({(d / "b.zip").string()}, opts);
    const auto reads = walk(w);
    ASSERT_EQ(reads.size(), 2U);
    ASSERT_EQ(reads[0].lines.size(), 1U);
    EXPECT_EQ(reads[0].lines[0].rfind("ERROR " + (d / "b.zip").string() + "!bomb.txt: zip: decompressed", 0),
              0U)
        << reads[0].lines[0];
    EXPECT_EQ(reads[1].lines, (std::vector<std::string>{"fine"}));
}

TEST(IoInput, BrokenArchiveThrowsAndTheWalkContinues) {
    const fs::path d = scratch("broken");
    ZipWriter z;
    z.add("a.txt", "a\n");
    std::string zip = z.finish();
    write_file(d / "1.zip", zip.substr(0, 20));  // cut inside the first entry
    write_file(d / "2.txt", "two\n");
    InputWalker w({d.string()});
    const auto reads = walk(w);
    ASSERT_FALSE(reads.empty());
    EXPECT_EQ(reads.back().name, (d / "2.txt").string());
    EXPECT_EQ(reads.back().lines, (std::vector<std::string>{"two"}));
    bool named = false;
    for (const auto& r : reads) {
        named = named || r.name.find("1.zip") != std::string::npos;
        for (const auto& l : r.lines) named = named || l.find("1.zip") != std::string::npos;
    }
    EXPECT_TRUE(named);
}

TEST(IoInput, StdinIsReadAndDecompressed) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const int saved = ::dup(STDIN_FILENO);
    ASSERT_GE(saved, 0);
    ASSERT_EQ(::dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    ::close(fds[0]);
    std::string text;
    for (int i = 0; i < 50000; ++i) text += "!AIVDM,line," + std::to_string(i) + "\r\n";
    const std::string data = gzip(text);  // larger than a pipe buffer: written by a thread
    std::thread writer([&] {
        std::size_t off = 0;
        while (off < data.size()) {
            const ssize_t n = ::write(fds[1], data.data() + off, data.size() - off);
            if (n <= 0) break;
            off += static_cast<std::size_t>(n);
        }
        ::close(fds[1]);
    });
    InputWalker w({"-"});
    std::vector<Read> reads;
    try {
        reads = walk(w);
    } catch (...) {
    }
    writer.join();
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    ASSERT_EQ(reads.size(), 1U);
    EXPECT_EQ(reads[0].name, "<stdin>");
    EXPECT_EQ(reads[0].layers, (std::vector<Format>{Format::gzip}));
    ASSERT_EQ(reads[0].lines.size(), 50000U);
    EXPECT_EQ(reads[0].lines[49999], "!AIVDM,line,49999");
}

TEST(IoInput, AddedMemorySourcesAreDetectedLikeFiles) {
    ZipWriter z;
    z.add("m.txt", "m1\nm2\n");
    InputWalker w({});
    w.add(std::make_unique<vw::io::MemorySource>("mem.zip", z.finish()));
    w.add(std::make_unique<vw::io::MemorySource>("plain", std::string("p\n")));
    const auto reads = walk(w);
    EXPECT_EQ(names(reads), (std::vector<std::string>{"mem.zip!m.txt", "plain"}));
    EXPECT_EQ(reads[0].lines, (std::vector<std::string>{"m1", "m2"}));
}

TEST(IoInput, SafeDisplayNameEscapesControlBytes) {
    EXPECT_EQ(vw::io::safe_display_name("a/b c.txt"), "a/b c.txt");
    EXPECT_EQ(vw::io::safe_display_name(std::string("x\0y\r\n\x7f\\", 7)), "x\\x00y\\x0d\\x0a\\x7f\\\\");
    EXPECT_LE(vw::io::safe_display_name(std::string(5000, 'n')).size(), 1030U);
}

TEST(IoInput, RealAmsaDirectory) {
    const fs::path dir = fs::path(VW_SHARED_DIR) / "data/ais/amsa-risky";
    if (!fs::exists(dir)) GTEST_SKIP() << "shared data not found at " << dir << " (../shared absent)";
    InputWalker w({dir.string()});
    std::vector<std::string> seen;
    std::uint64_t gz_lines = 0;
    while (vw::io::Source* s = w.next()) {
        seen.push_back(fs::path(s->name).filename().string());
        vw::io::LineReader reader(*s->bytes);
        std::uint64_t n = 0;
        reader.for_each([&](std::string_view, std::uint64_t) { ++n; });
        if (s->name.ends_with("ais.txt.gz")) gz_lines = n;
        EXPECT_EQ(reader.issues()[vw::Issue::binary_garbage], 0U) << s->name;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"ais.txt.gz", "exact-earth-augmented-2.txt",
                                              "exact-earth-augmented-3.txt", "exact-earth-augmented.txt"}));
    EXPECT_EQ(gz_lines, 44687U);  // zcat ais.txt.gz | wc -l (ends with LF)
}
