// main.cpp — the single `basalt` binary; subcommands dispatch to their own mains.
#include <cstring>
#include <iostream>

#include "cli/local.h"
#include "client/client.h"
#include "server/server.h"

namespace {
const char* kHelp = R"(basalt — a ClickHouse-compatible real-time analytics database.

Usage: basalt <command> [options]

Commands:
  local     run SQL against an embedded engine (like clickhouse-local); see `basalt local --help`
  server    the HTTP / native TCP server; see `basalt server --help`
  client    the interactive client (native protocol); see `basalt client --help`
  help      this text
)";
}

int main(int argc, char** argv) {
    if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        std::cout << kHelp;
        return 0;
    }
    std::string cmd = argv[1];
    if (cmd == "local") return basalt::localMain(argc - 2, argv + 2);
    if (cmd == "server") return basalt::serverMain(argc - 2, argv + 2);
    if (cmd == "client") return basalt::clientMain(argc - 2, argv + 2);
    std::cerr << "Unknown command: " << cmd << "\n\n" << kHelp;
    return 1;
}
