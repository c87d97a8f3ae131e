// vesselwatch: the command-line front end. Dispatches to one command_<verb> per subcommand.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "vesselwatch/util/error.hpp"

namespace {

void print_overview() {
    std::string s =
        "NAME\n"
        "    vesselwatch - evidence of sanctions evasion at sea from raw AIS data and sanctions lists\n\n"
        "SYNOPSIS\n"
        "    vesselwatch COMMAND [OPTIONS] [ARGS...]\n"
        "    vesselwatch COMMAND --help\n\n"
        "COMMANDS\n";
    for (const auto& c : vw::cli::commands()) {
        const auto spec = c.spec();
        std::string name = spec.name;
        name.resize(12, ' ');
        s += "    " + name + spec.summary + "\n";
    }
    s += "\nOPTIONS\n    -h, --help     Show this help and exit.\n    -V, --version  Print the version and exit.\n\n";
    s += "EXIT STATUS\n" + vw::cli::common_exit_status();
    s += "\nSEE ALSO\n    docs/cli/<command>.md, README.md\n";
    std::fputs(s.c_str(), stdout);
}

}  // namespace

int main(int argc, char** argv) {
    using vw::cli::Exit;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_overview();
        return args.empty() ? static_cast<int>(Exit::usage) : static_cast<int>(Exit::ok);
    }
    if (args[0] == "--version" || args[0] == "-V") {
        std::printf("vesselwatch %s\n", VW_VERSION);
        return 0;
    }
    const vw::cli::Command* cmd = nullptr;
    for (const auto& c : vw::cli::commands())
        if (c.spec().name == args[0]) cmd = &c;
    if (cmd == nullptr) {
        std::fprintf(stderr, "vesselwatch: unknown command '%s' (see vesselwatch --help)\n", args[0].c_str());
        return static_cast<int>(Exit::usage);
    }
    const auto spec = cmd->spec();
    try {
        const auto parsed = vw::cli::parse(spec, std::vector<std::string>(args.begin() + 1, args.end()));
        if (parsed.has("help")) {
            std::fputs(vw::cli::render_help(spec).c_str(), stdout);
            return 0;
        }
        return static_cast<int>(cmd->run(parsed));
    } catch (const vw::ConfigError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return static_cast<int>(Exit::usage);
    } catch (const vw::OutputError& e) {
        std::fprintf(stderr, "vesselwatch %s: %s\n", spec.name.c_str(), e.what());
        return static_cast<int>(Exit::output_error);
    } catch (const vw::InputError& e) {
        std::fprintf(stderr, "vesselwatch %s: %s\n", spec.name.c_str(), e.what());
        return static_cast<int>(Exit::input_error);
    } catch (const vw::IoError& e) {
        std::fprintf(stderr, "vesselwatch %s: %s\n", spec.name.c_str(), e.what());
        return static_cast<int>(Exit::input_error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vesselwatch %s: internal error: %s\n", spec.name.c_str(), e.what());
        return static_cast<int>(Exit::internal);
    }
}
