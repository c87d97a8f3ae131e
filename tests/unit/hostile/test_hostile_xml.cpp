// Issue 7, XML sanctions lists: hostile documents beyond those of ScreenXml.MalformedAndHostileDocuments
// AreRefused (internal-subset XXE, billion laughs in UTF-8, 100 levels deep, wrong root): parameter
// entities, external DTDs (never fetched: a local listener proves no connection is made), billion
// laughs in UTF-16 (which a byte search for "<!ENTITY" cannot see), entities declared after a long
// prolog, undefined entities, NUL and invalid UTF-8, truncation, the depth limit at its boundary, the
// file size limit. Every refusal is a vw::InputError naming the file and a line.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "hostile_corpus.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/util/error.hpp"

namespace fs = std::filesystem;
using namespace vw::screen;
using vw::hostile::test_dir;
using vw::hostile::write_file;

namespace {

const std::string kEntry =
    "<sdnEntry><uid>1</uid><lastName>ANGARA</lastName><sdnType>Vessel</sdnType></sdnEntry>\n";

/// "<?xml?>" + `doctype` + an OFAC sdnList with one entry, the `body` inside it, and two more entries.
std::string sdn(const std::string& doctype, const std::string& body) {
    return "<?xml version=\"1.0\"?>\n" + doctype + "<sdnList>\n" + kEntry + body + "\n</sdnList>\n";
}

/// The InputError of parse_ofac_xml(text, name); fails the test when it parses.
vw::InputError refusal(const std::string& text, const std::string& name = "h.xml") {
    LoadedList l;
    try {
        parse_ofac_xml(text, name, l);
    } catch (const vw::InputError& e) {
        return e;
    }
    ADD_FAILURE() << name << " was accepted (" << l.entities.size() << " entities)";
    return vw::InputError("accepted");
}

std::string billion_laughs_entities() {
    std::string d = "<!DOCTYPE sdnList [\n<!ENTITY lol \"lol\">\n";
    std::string prev = "lol";
    for (int i = 1; i <= 10; ++i) {
        const std::string name = "lol" + std::to_string(i);
        d += "<!ENTITY " + name + " \"";
        for (int k = 0; k < 10; ++k) d += "&" + prev + ";";
        d += "\">\n";
        prev = name;
    }
    return d + "]>\n";
}

std::string utf16le(const std::string& ascii) {
    std::string out = "\xFF\xFE";
    for (const char c : ascii) {
        out.push_back(c);
        out.push_back('\0');
    }
    return out;
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

}  // namespace

TEST(HostileXml, ParameterEntityXxeIsRefused) {
    const vw::InputError e =
        refusal(sdn("<!DOCTYPE sdnList [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n", ""), "pe.xml");
    EXPECT_EQ(e.where().file, "pe.xml");
    EXPECT_EQ(e.where().line, 1U);
    EXPECT_TRUE(contains(e.what(), "declares entities")) << e.what();
}

// An external DTD declaring an entity, referenced from the body: the DTD is never loaded, so the
// reference is refused and the DTD's text never reaches an entity.
TEST(HostileXml, ExternalDtdIsNeverLoaded) {
    const fs::path dir = test_dir();
    write_file(dir / "evil.dtd", "<!ENTITY e \"INJECTED\">\n");
    const std::string path =
        write_file(dir / "sdn.xml",
                   sdn("<!DOCTYPE sdnList SYSTEM \"evil.dtd\">\n",
                       "<sdnEntry><uid>2</uid><lastName>&e;</lastName><sdnType>Vessel</sdnType></sdnEntry>"));
    try {
        (void)load_list(path);
        ADD_FAILURE() << "accepted";
    } catch (const vw::InputError& e) {
        EXPECT_EQ(e.where().file, path);
        EXPECT_EQ(e.where().line, 5U);
        EXPECT_FALSE(contains(e.what(), "INJECTED")) << e.what();
        EXPECT_TRUE(contains(e.what(), "entit") || contains(e.what(), "Entity")) << e.what();
    }
}

// A document whose DTD and entity live on a server: with a listening socket on 127.0.0.1 standing in
// for the server, parsing neither connects nor waits, whether the body uses the entity or not.
TEST(HostileXml, NoNetworkIsEverUsed) {
    const int srv = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ASSERT_GE(srv, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(srv, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(srv, 4), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(srv, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x.dtd";

    // no entity used: the document loads, the DTD is not fetched
    LoadedList ok;
    parse_ofac_xml(sdn("<!DOCTYPE sdnList SYSTEM \"" + url + "\">\n", ""), "dtd.xml", ok);
    EXPECT_EQ(ok.entities.size(), 1U);
    // an entity from the remote DTD: refused
    (void)refusal(sdn("<!DOCTYPE sdnList SYSTEM \"" + url + "\">\n", "<x>&remote;</x>"), "remote.xml");
    // an external entity declared in the internal subset: refused before libxml2 sees it
    (void)refusal(sdn("<!DOCTYPE sdnList [<!ENTITY r SYSTEM \"" + url + "\">]>\n", "<x>&r;</x>"), "xxe.xml");
    // XInclude is not processed either
    LoadedList xi;
    parse_ofac_xml(sdn("", "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + url + "\"/>"),
                   "xi.xml", xi);
    EXPECT_EQ(xi.entities.size(), 1U);

    const int conn = ::accept(srv, nullptr, nullptr);
    EXPECT_LT(conn, 0) << "the parser connected to " << url;
    if (conn >= 0) ::close(conn);
    ::close(srv);
}

// The byte search for "<!ENTITY" cannot see a UTF-16 document; libxml2's DTD node check must refuse it,
// and quickly (entities are never expanded).
TEST(HostileXml, BillionLaughsInUtf16IsRefused) {
    const std::string doc =
        utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + billion_laughs_entities() +
                "<sdnList><sdnEntry><uid>1</uid><lastName>&lol10;</lastName></sdnEntry></sdnList>\n");
    const auto t0 = std::chrono::steady_clock::now();
    const vw::InputError e = refusal(doc, "lol16.xml");
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    EXPECT_TRUE(contains(e.what(), "entit")) << e.what();
    EXPECT_EQ(e.where().file, "lol16.xml");
    EXPECT_GE(e.where().line, 1U);
    EXPECT_LT(ms.count(), 10000);
    // the same in UTF-8 is refused before parsing
    EXPECT_TRUE(
        contains(refusal(sdn(billion_laughs_entities(), ""), "lol8.xml").what(), "declares entities"));
}

TEST(HostileXml, EntitiesDeclaredAfterALongPrologAreRefused) {
    const std::string comment = "<!-- " + std::string(200 << 10, 'c') + " -->\n";
    const vw::InputError e = refusal("<?xml version=\"1.0\"?>\n" + comment +
                                     "<!DOCTYPE sdnList [<!ENTITY e \"x\">]>\n<sdnList/>\n");
    EXPECT_TRUE(contains(e.what(), "entities")) << e.what();
}

TEST(HostileXml, UndefinedEntityIsRefusedWithItsLine) {
    const vw::InputError e =
        refusal(sdn("", "<sdnEntry>\n<uid>2</uid><lastName>&undefined;</lastName></sdnEntry>"));
    EXPECT_EQ(e.where().line, 5U);
    EXPECT_TRUE(contains(e.what(), "ntity")) << e.what();
}

TEST(HostileXml, NulBytesAndInvalidUtf8AreNotWellFormed) {
    std::string nul = sdn("", "<sdnEntry>\n<uid>2</uid><lastName>A");
    nul += std::string("\0B", 2) + "</lastName></sdnEntry>";
    const vw::InputError e1 = refusal(nul, "nul.xml");
    // libxml2 stops the text at the NUL and reports the unclosed element at the next line
    EXPECT_GE(e1.where().line, 5U) << e1.what();
    EXPECT_LE(e1.where().line, 6U) << e1.what();
    EXPECT_TRUE(contains(e1.what(), "lastName")) << e1.what();
    EXPECT_TRUE(contains(e1.what(), "not well-formed")) << e1.what();

    const vw::InputError e2 = refusal(sdn("", "<sdnEntry>\n\n<uid>2</uid><lastName>" +
                                                  vw::hostile::kInvalidUtf8 + "</lastName></sdnEntry>"),
                                      "utf8.xml");
    EXPECT_EQ(e2.where().line, 6U) << e2.what();
    EXPECT_TRUE(contains(e2.what(), "not well-formed")) << e2.what();

    const vw::InputError e3 =
        refusal("<?xml version=\"1.0\"?>\n<sdnList>" + vw::hostile::garbage(4096), "garbage.xml");
    EXPECT_GE(e3.where().line, 2U);
}

TEST(HostileXml, TruncatedDocumentNamesTheOpenElement) {
    std::string doc = sdn("", "<sdnEntry>\n<uid>2</uid>\n<lastName>CUT");
    doc = doc.substr(0, doc.find("CUT") + 3);
    const vw::InputError e = refusal(doc, "cut.xml");
    EXPECT_EQ(e.where().file, "cut.xml");
    EXPECT_GE(e.where().line, 6U);
    EXPECT_TRUE(contains(e.what(), "not well-formed")) << e.what();
}

TEST(HostileXml, DepthLimitAtItsBoundaryAndFarBeyond) {
    const auto nested = [](int depth) {
        std::string d = "<export>\n";
        for (int i = 1; i < depth; ++i) d += "<a>";
        for (int i = 1; i < depth; ++i) d += "</a>";
        return d + "\n</export>\n";
    };
    LoadedList l;
    EXPECT_NO_THROW(parse_eu_xml(nested(LoadOptions::kDefaultMaxXmlDepth), "ok.xml", l));
    try {
        parse_eu_xml(nested(LoadOptions::kDefaultMaxXmlDepth + 1), "deep.xml", l);
        ADD_FAILURE() << "accepted";
    } catch (const vw::InputError& e) {
        EXPECT_EQ(e.where().line, 2U);
        EXPECT_TRUE(contains(e.what(), "<a>: elements nested deeper than 64 levels")) << e.what();
    }
    // a million levels: refused at level 65, no recursion anywhere
    EXPECT_THROW(parse_eu_xml(nested(1000000), "deeper.xml", l), vw::InputError);
}

TEST(HostileXml, FileSizeLimit) {
    const fs::path dir = test_dir();
    const std::string path = write_file(dir / "sdn.xml", sdn("", std::string(4096, ' ')));
    LoadOptions o;
    o.max_file_bytes = 1024;
    try {
        (void)load_list(path, o);
        ADD_FAILURE() << "accepted";
    } catch (const vw::IoError& e) {
        EXPECT_EQ(e.where().file, path);
        EXPECT_TRUE(contains(e.what(), "larger than the limit of 1024 bytes")) << e.what();
    }
    o.max_file_bytes = LoadOptions::kDefaultMaxFileBytes;
    EXPECT_EQ(load_list(path, o).entities.size(), 1U);
}

// libxml2's own limit on one text node (10 MB without XML_PARSE_HUGE, which is never set).
TEST(HostileXml, GiantTextNodeIsRefused) {
    const vw::InputError e = refusal(
        sdn("", "<sdnEntry><uid>2</uid><lastName>" + std::string(12 << 20, 'A') + "</lastName></sdnEntry>"),
        "big.xml");
    EXPECT_EQ(e.where().file, "big.xml");
    EXPECT_GE(e.where().line, 4U);
}
