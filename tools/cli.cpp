#include "cli.hpp"

#include <unistd.h>

#include "vesselwatch/util/error.hpp"

namespace vw::cli {

bool ParsedArgs::has(std::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

namespace {

const OptionSpec* find_long(const CommandSpec& spec, std::string_view name) {
    for (const auto& o : spec.options)
        if (o.long_name == name) return &o;
    return nullptr;
}

const OptionSpec* find_short(const CommandSpec& spec, char c) {
    for (const auto& o : spec.options)
        if (o.short_name == c) return &o;
    return nullptr;
}

}  // namespace

ParsedArgs parse(const CommandSpec& spec, const std::vector<std::string>& args) {
    ParsedArgs out;
    bool only_positional = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (only_positional || a == "-" || a.size() < 2 || a[0] != '-') {
            out.positional_.push_back(a);
            continue;
        }
        if (a == "--") {
            only_positional = true;
            continue;
        }
        if (a == "--help" || a == "-h") {
            out.values_["help"].emplace_back();
            continue;
        }
        const OptionSpec* opt = nullptr;
        std::optional<std::string> inline_value;
        if (a.rfind("--", 0) == 0) {
            std::string name = a.substr(2);
            if (auto eq = name.find('='); eq != std::string::npos) {
                inline_value = name.substr(eq + 1);
                name.resize(eq);
            }
            opt = find_long(spec, name);
        } else {
            opt = find_short(spec, a[1]);
            if (opt != nullptr && a.size() > 2) inline_value = a.substr(2);
        }
        if (opt == nullptr)
            throw ConfigError("vesselwatch " + spec.name + ": unknown option '" + a + "' (see --help)");
        auto& slot = out.values_[opt->long_name];
        if (opt->arity == Arity::flag) {
            if (inline_value)
                throw ConfigError("vesselwatch " + spec.name + ": option --" + opt->long_name +
                                  " takes no value");
            slot.emplace_back();
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size())
                throw ConfigError("vesselwatch " + spec.name + ": option --" + opt->long_name + " needs a " +
                                  opt->value_name);
            inline_value = args[++i];
        }
        if (opt->arity == Arity::value) slot.clear();
        slot.push_back(*inline_value);
    }
    return out;
}

std::string common_exit_status() {
    return "    0   success; rejected input records, if any, are counted in the summary on stderr\n"
           "    1   an input could not be read, or --strict met a bad record (file:line: cause on stderr)\n"
           "    2   usage error: unknown option, missing or bad value\n"
           "    3   writing the output failed (disk full, closed pipe)\n"
           "    4   internal error (a bug: please report it with the input that caused it)\n";
}

std::string render_help(const CommandSpec& spec) {
    std::string s;
    s += "NAME\n    vesselwatch " + spec.name + " - " + spec.summary + "\n\n";
    s += "SYNOPSIS\n    " + spec.synopsis + "\n\n";
    s += "DESCRIPTION\n" + spec.description + "\n";
    s += "OPTIONS\n";
    for (const auto& o : spec.options) {
        std::string head = "    ";
        if (o.short_name != 0) {
            head += '-';
            head += o.short_name;
            head += ", ";
        }
        head += "--" + o.long_name;
        if (o.arity != Arity::flag) head += " " + o.value_name;
        s += head + "\n";
        // indent every help line by 8
        std::size_t start = 0;
        while (start <= o.help.size()) {
            auto nl = o.help.find('\n', start);
            if (nl == std::string::npos) nl = o.help.size();
            s += "        " + o.help.substr(start, nl - start) + "\n";
            start = nl + 1;
        }
    }
    s += "    -h, --help\n        Show this help and exit.\n\n";
    if (!spec.examples.empty()) s += "EXAMPLES\n" + spec.examples + "\n";
    s += "EXIT STATUS\n" + (spec.exit_status.empty() ? common_exit_status() : spec.exit_status);
    s += "\nSEE ALSO\n    docs/cli/" + spec.name + ".md, vesselwatch --help\n";
    return s;
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

}  // namespace vw::cli
