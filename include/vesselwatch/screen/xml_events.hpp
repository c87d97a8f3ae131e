// A hardened, streaming walk over an XML document (libxml2 xmlTextReader) for the list loaders:
// no network, no DTD loading, no entity substitution; a document whose DOCTYPE declares entities, or
// that references one, is refused (XXE, "billion laughs"); nesting deeper than max_depth is refused.
// Errors throw vw::InputError with file, line, the element being read and the cause.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vw::screen {

class XmlEvents {
public:
    /// Called at each element start (attributes readable with attr()), and at its end with the text
    /// directly inside it (child elements' text excluded), whitespace-trimmed.
    using StartFn = std::function<void(std::string_view name)>;
    using EndFn = std::function<void(std::string_view name, std::string_view text)>;

    XmlEvents(std::string_view data, std::string file, int max_depth);
    ~XmlEvents();
    XmlEvents(const XmlEvents&) = delete;
    XmlEvents& operator=(const XmlEvents&) = delete;

    /// Walks the whole document.
    void run(const StartFn& on_start, const EndFn& on_end);

    /// Inside on_start: the attribute's value (local name), or nullopt.
    [[nodiscard]] std::optional<std::string> attr(const char* name) const;
    /// The open elements, outermost first (local names); inside callbacks the last is the current one.
    [[nodiscard]] const std::vector<std::string>& path() const noexcept { return path_; }
    /// The parent of the current element, or "".
    [[nodiscard]] std::string_view parent() const noexcept;
    [[nodiscard]] std::uint64_t line() const noexcept;
    /// Throws InputError at the current position: "file:line: <element>: cause".
    [[noreturn]] void fail(const std::string& cause) const;

    struct Impl;  ///< libxml2 state (public only so that libxml2's C callbacks can reach it)

private:
    std::unique_ptr<Impl> impl_;
    std::string file_;
    int max_depth_;
    std::vector<std::string> path_;
};

/// The local name of the document's root element, or "" when `head` has none (for format detection).
[[nodiscard]] std::string xml_root_name(std::string_view head);

}  // namespace vw::screen
