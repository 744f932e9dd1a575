// local.h — `basalt local`: run SQL scripts against an in-memory or on-disk catalog, like
// clickhouse-local. Also used by tests (golden SQL files run through runScript in --testmode).
#pragma once
#include <iosfwd>
#include <string>

namespace basalt {

struct LocalOptions {
    std::string path;             // "" = in-memory catalog
    std::string query;            // --query
    std::string queries_file;     // --queries-file
    std::string format;           // --format; "" = TSV when not a tty, PrettyCompact on a tty
    bool test_mode = false;       // honour `-- { serverError N }` hints
    bool interactive = false;     // read statements from stdin line by line with a prompt
    bool ignore_errors = false;   // continue after an error (print it and go on)
    bool json_log = false;        // one JSON line per statement {i, sql, ok, out} (make compat)
};

int runLocal(const LocalOptions& opts);
int localMain(int argc, char** argv);

}  // namespace basalt
