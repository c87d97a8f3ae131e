#include "vesselwatch/screen/xml_events.hpp"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <climits>
#include <cstring>

#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

constexpr std::size_t kDoctypeScanBytes = std::size_t{1} << 16;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string_view as_view(const xmlChar* s) {
    return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

// The prolog (before the root element) of a document, searched for a DOCTYPE declaring entities before
// libxml2 sees it at all.
bool prolog_declares_entities(std::string_view data) {
    // the DOCTYPE is normally in the first bytes; a document that has one further on is searched whole
    const std::string_view head = data.substr(0, std::min(data.size(), kDoctypeScanBytes));
    auto doctype = head.find("<!DOCTYPE");
    if (doctype == std::string_view::npos && data.size() > head.size()) doctype = data.find("<!DOCTYPE");
    if (doctype == std::string_view::npos) return false;
    return data.find("<!ENTITY", doctype) != std::string_view::npos;
}

}  // namespace

struct XmlEvents::Impl {
    xmlTextReaderPtr reader = nullptr;
    std::string first_error;
    int error_line = 0;
    ~Impl() {
        if (reader != nullptr) xmlFreeTextReader(reader);
    }
};

namespace {

void on_structured_error(void* user, xmlErrorPtr error) {
    auto* impl = static_cast<XmlEvents::Impl*>(user);
    if (error == nullptr || !impl->first_error.empty()) return;
    if (error->level < XML_ERR_ERROR) return;
    std::string msg = error->message != nullptr ? error->message : "malformed XML";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    impl->first_error = msg;
    impl->error_line = error->line;
}

}  // namespace

XmlEvents::XmlEvents(std::string_view data, std::string file, int max_depth)
    : impl_(std::make_unique<Impl>()), file_(std::move(file)), max_depth_(max_depth) {
    if (data.size() > static_cast<std::size_t>(INT_MAX))
        throw InputError(SourceLocation{file_}, "XML file larger than 2 GiB");
    if (prolog_declares_entities(data))
        throw InputError(SourceLocation{file_, 1},
                         "the document type declares entities: refused (external entities and entity "
                         "expansion are never processed)");
    // NONET: never fetch anything; no NOENT (entities stay references), no DTDLOAD, no DTDATTR.
    const int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_NOCDATA;
    impl_->reader =
        xmlReaderForMemory(data.data(), static_cast<int>(data.size()), file_.c_str(), nullptr, options);
    if (impl_->reader == nullptr) throw InputError(SourceLocation{file_}, "cannot start the XML reader");
    xmlTextReaderSetStructuredErrorHandler(impl_->reader, on_structured_error, impl_.get());
}

XmlEvents::~XmlEvents() = default;

std::uint64_t XmlEvents::line() const noexcept {
    // The line of the node being read; the parser's own position is further on (the reader reads
    // ahead, a whole chunk of the document), so it is only the fallback.
    if (xmlNodePtr node = xmlTextReaderCurrentNode(impl_->reader); node != nullptr) {
        const long l = xmlGetLineNo(node);
        if (l > 0) return static_cast<std::uint64_t>(l);
    }
    const int l = xmlTextReaderGetParserLineNumber(impl_->reader);
    return l > 0 ? static_cast<std::uint64_t>(l) : 0;
}

std::string_view XmlEvents::parent() const noexcept {
    return path_.size() >= 2 ? std::string_view(path_[path_.size() - 2]) : std::string_view();
}

void XmlEvents::fail(const std::string& cause) const {
    std::string where = path_.empty() ? std::string() : "<" + path_.back() + ">: ";
    throw InputError(SourceLocation{file_, line()}, where + cause);
}

std::optional<std::string> XmlEvents::attr(const char* name) const {
    xmlChar* v = xmlTextReaderGetAttribute(impl_->reader, reinterpret_cast<const xmlChar*>(name));
    if (v == nullptr) return std::nullopt;
    std::string out(reinterpret_cast<const char*>(v));
    xmlFree(v);
    return out;
}

void XmlEvents::run(const StartFn& on_start, const EndFn& on_end) {
    xmlTextReaderPtr r = impl_->reader;
    std::vector<std::string> texts;
    bool seen_root = false;
    for (;;) {
        const int rc = xmlTextReaderRead(r);
        if (rc == 0) break;
        if (rc < 0) {
            std::string cause = impl_->first_error.empty() ? "malformed XML" : impl_->first_error;
            const std::uint64_t at =
                impl_->error_line > 0 ? static_cast<std::uint64_t>(impl_->error_line) : line();
            const std::string where = path_.empty() ? std::string() : "in <" + path_.back() + ">: ";
            throw InputError(SourceLocation{file_, at}, "XML not well-formed: " + where + cause);
        }
        const int type = xmlTextReaderNodeType(r);
        switch (type) {
            case XML_READER_TYPE_ELEMENT: {
                if (static_cast<int>(path_.size()) >= max_depth_)
                    fail("elements nested deeper than " + std::to_string(max_depth_) + " levels");
                seen_root = true;
                path_.emplace_back(as_view(xmlTextReaderConstLocalName(r)));
                texts.emplace_back();
                const bool empty = xmlTextReaderIsEmptyElement(r) == 1;
                on_start(path_.back());
                if (empty) {
                    on_end(path_.back(), std::string_view());
                    path_.pop_back();
                    texts.pop_back();
                }
                break;
            }
            case XML_READER_TYPE_END_ELEMENT: {
                if (path_.empty()) fail("unbalanced end tag");
                on_end(path_.back(), trim(texts.back()));
                path_.pop_back();
                texts.pop_back();
                break;
            }
            case XML_READER_TYPE_TEXT:
            case XML_READER_TYPE_CDATA:
            case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
                if (!texts.empty()) texts.back() += as_view(xmlTextReaderConstValue(r));
                break;
            case XML_READER_TYPE_DOCUMENT_TYPE: {
                // (xmlTextReaderCurrentDoc would transfer the document's ownership: the node is enough)
                xmlNodePtr node = xmlTextReaderCurrentNode(r);
                if (node != nullptr && node->type == XML_DTD_NODE) {
                    auto* dtd = reinterpret_cast<xmlDtdPtr>(node);
                    if (dtd->entities != nullptr || dtd->pentities != nullptr)
                        fail("the document type declares entities: refused");
                }
                break;
            }
            case XML_READER_TYPE_ENTITY_REFERENCE:
            case XML_READER_TYPE_ENTITY:
                fail("entity reference: refused (entities are never expanded)");
            default:
                break;
        }
    }
    if (!seen_root) throw InputError(SourceLocation{file_, line()}, "no XML root element");
    if (!impl_->first_error.empty())
        throw InputError(SourceLocation{file_, static_cast<std::uint64_t>(impl_->error_line)},
                         "XML not well-formed: " + impl_->first_error);
}

std::string xml_root_name(std::string_view head) {
    std::size_t i = 0;
    while (i < head.size()) {
        const auto lt = head.find('<', i);
        if (lt == std::string_view::npos || lt + 1 >= head.size()) return {};
        const char c = head[lt + 1];
        if (c == '?' || c == '!') {
            // skip declarations, comments, DOCTYPE
            const auto gt = head.find('>', lt);
            if (gt == std::string_view::npos) return {};
            i = gt + 1;
            continue;
        }
        std::size_t e = lt + 1;
        while (e < head.size() && head[e] != ' ' && head[e] != '>' && head[e] != '/' && head[e] != '\n' &&
               head[e] != '\r' && head[e] != '\t')
            ++e;
        std::string name(head.substr(lt + 1, e - lt - 1));
        if (auto colon = name.find(':'); colon != std::string::npos) name = name.substr(colon + 1);
        return name;
    }
    return {};
}

}  // namespace vw::screen
