// Issue 7, partial failure: the disk fills up in the middle of a file's ingest (after several of its
// batches were committed). Two real ways: SQLite's PRAGMA max_page_count (SQLITE_FULL from the page
// allocator), and RLIMIT_FSIZE with SIGXFSZ ignored in a child process (write() fails with EFBIG, as
// on a full disk, for the database and its WAL alike). Either way the store must show exactly what it
// held before that file, and a re-run once there is room must end with the same positions as an
// uninterrupted ingest: no duplicates, nothing missing. (Killed: tests/cli/test_ingest_crash.sh; a
// bad file in a batch of many, report of which inputs were done, re-run: tests/cli/test_ingest_partial.sh
// and IngestStore.TruncatedCompressedFileLeavesTheStoreAsBefore.)
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "hostile_corpus.hpp"
#include "hostile_nmea.hpp"
#include "vesselwatch/track/ingest.hpp"
#include "vesselwatch/util/error.hpp"

namespace fs = std::filesystem;
using namespace vw::track;
using vw::hostile::nmea_record;
using vw::hostile::test_dir;
using vw::hostile::write_file;

namespace {

constexpr std::uint32_t kSmallMmsi = 273000001;
constexpr std::uint32_t kBigMmsiBase = 273100000;
constexpr int kBigVessels = 8;
constexpr int kBigReportsPerVessel = 6000;
constexpr std::size_t kBatchMessages = 1000;  // the big file commits many batches before the fault

struct Inputs {
    std::string small, big;
};

Inputs make_inputs(const fs::path& dir) {
    std::string small;
    for (int k = 0; k < 50; ++k) small += nmea_record(kSmallMmsi, k) + "\n";
    // positions that do not compress away (a random walk), so that the file needs many pages
    std::string big;
    std::uint64_t x = 0x243F6A8885A308D3ULL;
    const auto next = [&x](std::int32_t range) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return static_cast<std::int32_t>(x % static_cast<std::uint64_t>(range));
    };
    for (int k = 0; k < kBigReportsPerVessel; ++k)
        for (int v = 0; v < kBigVessels; ++v)
            big += nmea_record(kBigMmsiBase + static_cast<std::uint32_t>(v), k, 40 * 600000 + next(600000),
                               130 * 600000 + next(600000)) +
                   "\n";
    return {write_file(dir / "small.nmea", small), write_file(dir / "big.nmea", big)};
}

IngestOptions options() {
    IngestOptions o;
    o.batch_messages = kBatchMessages;
    // small chunks and buffers: positions are written, and committed, all along the file
    o.chunk_max_positions = 256;
    o.max_buffered_positions = 2048;
    return o;
}

std::int64_t scalar(Store& s, const std::string& sql) {
    auto st = s.database().prepare(sql);
    EXPECT_TRUE(st.step()) << sql;
    return st.int64(0);
}

/// What queries show: complete files and every MMSI's positions (time, lat, lon, line).
/// (Store::files() lists incomplete files too, flagged; queries never read them.)
using Track = std::vector<std::tuple<std::int64_t, std::int32_t, std::int32_t, std::uint64_t>>;
struct View {
    std::vector<std::pair<std::string, bool>> files;  // sha256, complete
    std::vector<std::pair<std::uint32_t, Track>> tracks;
    std::vector<std::uint32_t> mmsis;
    bool operator==(const View&) const = default;
};

std::ostream& operator<<(std::ostream& os, const View& v) {
    os << "files:";
    for (const auto& [sha, complete] : v.files)
        os << " " << sha.substr(0, 8) << (complete ? "" : "(incomplete)");
    os << "; positions:";
    for (const auto& [m, t] : v.tracks) os << " " << m << "=" << t.size();
    return os;
}

View view(Store& s) {
    View v;
    for (const auto& f : s.files())
        if (f.complete) v.files.emplace_back(f.sha256, f.complete);
    v.mmsis = s.mmsis();
    for (const std::uint32_t m : v.mmsis) {
        Track t;
        for (const auto& p : s.track(m, {})) t.emplace_back(p.time_ms, p.lat, p.lon, p.ref.line);
        v.tracks.emplace_back(m, std::move(t));
    }
    return v;
}

/// Every row of every track table, for "exactly as before" (not only what queries show).
std::vector<std::int64_t> raw_counts(Store& s) {
    std::vector<std::int64_t> out;
    for (const char* t :
         {"track_files", "track_sources", "track_chunks", "track_identities", "track_file_counts"})
        out.push_back(scalar(s, std::string("SELECT count(*) FROM ") + t));
    return out;
}

/// The reference: both files ingested into a fresh store without any fault.
View reference(const fs::path& dir, const Inputs& in) {
    Store ref((dir / "ref.vw").string(), Access::read_write);
    Ingester ing(ref, options());
    EXPECT_EQ(ing.ingest_file(in.small).outcome, FileResult::Outcome::ingested);
    EXPECT_EQ(ing.ingest_file(in.big).positions,
              static_cast<std::uint64_t>(kBigVessels) * kBigReportsPerVessel);
    return view(ref);
}

}  // namespace

TEST(HostilePartial, DiskFullByMaxPageCountLeavesTheStoreAsBeforeAndARerunCompletes) {
    const fs::path dir = test_dir();
    const Inputs in = make_inputs(dir);
    const View want = reference(dir, in);

    Store store((dir / "d.vw").string(), Access::read_write);
    Ingester ing(store, options());
    ASSERT_EQ(ing.ingest_file(in.small).outcome, FileResult::Outcome::ingested);
    const View before = view(store);
    const std::vector<std::int64_t> raw_before = raw_counts(store);

    // room for a few more pages only: the big file's first batches fit, a later one does not
    const std::int64_t pages = scalar(store, "PRAGMA page_count");
    store.database().exec("PRAGMA max_page_count = " + std::to_string(pages + 8));
    try {
        (void)ing.ingest_file(in.big);
        ADD_FAILURE() << "the ingest did not fail";
    } catch (const vw::OutputError& e) {
        // the store's fault, never taken for an unreadable input
        EXPECT_NE(std::string(e.what()).find("database or disk is full"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("could not be read"), std::string::npos) << e.what();
        EXPECT_EQ(e.where().file, store.path());
    }
    EXPECT_EQ(view(store), before);
    EXPECT_EQ(raw_counts(store), raw_before);  // not even an incomplete file record is left

    // room again; the re-run (a new process in practice: a new store connection and ingester)
    // ingests the file once, and the store equals the uninterrupted one
    store.database().exec("PRAGMA max_page_count = 1073741823");
    Store reopened((dir / "d.vw").string(), Access::read_write);
    Ingester rerun(reopened, options());
    const FileResult again = rerun.ingest_file(in.big);
    EXPECT_EQ(again.outcome, FileResult::Outcome::ingested);
    EXPECT_EQ(view(reopened), want);
    EXPECT_EQ(rerun.ingest_file(in.big).outcome, FileResult::Outcome::already_held);
}

// The same, continuing in the same process with the same store and ingester once there is room (the
// next file of a batch): db::Statement::step() resets a failed statement, so the store's cached insert
// works again.
TEST(HostilePartial, SameIngesterContinuesAfterDiskFull) {
    const fs::path dir = test_dir();
    const Inputs in = make_inputs(dir);
    const View want = reference(dir, in);
    Store store((dir / "d.vw").string(), Access::read_write);
    Ingester ing(store, options());
    ASSERT_EQ(ing.ingest_file(in.small).outcome, FileResult::Outcome::ingested);
    store.database().exec("PRAGMA max_page_count = " +
                          std::to_string(scalar(store, "PRAGMA page_count") + 8));
    EXPECT_THROW((void)ing.ingest_file(in.big), vw::OutputError);
    store.database().exec("PRAGMA max_page_count = 1073741823");
    EXPECT_EQ(ing.ingest_file(in.big).outcome, FileResult::Outcome::ingested);
    EXPECT_EQ(view(store), want);
}

TEST(HostilePartial, DiskFullByFileSizeLimitInAChildLeavesTheStoreAsBefore) {
    const fs::path dir = test_dir();
    const Inputs in = make_inputs(dir);
    const View want = reference(dir, in);
    const std::string db = (dir / "d.vw").string();
    View before;
    {
        Store store(db, Access::read_write);
        Ingester ing(store, options());
        ASSERT_EQ(ing.ingest_file(in.small).outcome, FileResult::Outcome::ingested);
        before = view(store);
    }
    const auto size_of = [](const fs::path& p) {
        std::error_code ec;
        const auto n = fs::file_size(p, ec);
        return ec ? std::uintmax_t{0} : n;
    };
    // every file the child writes may grow to this: the database and its WAL have some room, far
    // less than the big file needs (about 48000 positions)
    const std::uintmax_t limit = std::max(size_of(db), size_of(db + "-wal")) + std::uintmax_t{96} * 1024;

    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        // the child: ignore SIGXFSZ so that write() fails with EFBIG instead of killing the process
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit rl{};
        rl.rlim_cur = rl.rlim_max = static_cast<rlim_t>(limit);
        if (::setrlimit(RLIMIT_FSIZE, &rl) != 0) ::_exit(10);
        int code = 11;
        try {
            Store store(db, Access::read_write);
            Ingester ing(store, options());
            (void)ing.ingest_file(in.big);
            code = 12;  // it should not have fit
        } catch (const vw::IoError&) {
            code = 0;
        } catch (...) {
            code = 13;
        }
        ::_exit(code);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "child killed by signal " << WTERMSIG(status);
    ASSERT_EQ(WEXITSTATUS(status), 0) << "10: setrlimit, 11: ?, 12: no failure, 13: not an IoError";

    Store store(db, Access::read_write);
    // what queries show is as before; a file record the child could not delete (its deletion needed
    // disk space too) is left incomplete and never shown
    EXPECT_EQ(view(store), before);
    const std::int64_t incomplete = scalar(store, "SELECT count(*) FROM track_files WHERE complete = 0");
    EXPECT_LE(incomplete, 1);
    std::cout << "after EFBIG: " << incomplete << " incomplete file record(s), "
              << scalar(store,
                        "SELECT count(*) FROM track_chunks c JOIN track_sources s ON s.id = c.source_id "
                        "JOIN track_files f ON f.id = s.file_id WHERE f.complete = 0")
              << " chunk(s) of it kept until the re-run\n";
    Ingester ing(store, options());
    const FileResult again = ing.ingest_file(in.big);
    EXPECT_EQ(again.outcome,
              incomplete == 1 ? FileResult::Outcome::replaced_partial : FileResult::Outcome::ingested);
    EXPECT_EQ(view(store), want);
    EXPECT_EQ(scalar(store, "SELECT count(*) FROM track_files WHERE complete = 0"), 0);
}
