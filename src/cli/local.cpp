// local.cpp — see local.h.
#include "cli/local.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "common/exception.h"
#include "common/string_utils.h"
#include "interpreter/interpreter.h"
#include "sql/parser.h"
#include "storage/catalog.h"

namespace basalt {

namespace {

const char* kLocalHelp = R"(Usage: basalt local [options] [< script.sql]

Runs SQL statements against an embedded basalt engine and prints each result,
like clickhouse-local.

Options:
  --path DIR             keep databases and tables in DIR (persisted across runs);
                         without it the catalog lives in memory
  -q, --query SQL        statements to run (separated by ';')
  --queries-file FILE    read statements from FILE
  -f, --format FMT       output format (TabSeparated, CSV, JSONEachRow, JSON,
                         PrettyCompact, Vertical, ...); default: TabSeparated when
                         stdout is not a terminal, PrettyCompact when it is
  --testmode, -T         honour `-- { serverError N }` / `-- { clientError N }` hints:
                         the statement must fail with that code
  --ignore-error         print errors and continue with the next statement
  --json-log             print one JSON line per statement: {"i","sql","ok","out"} with
                         TabSeparated output or the error text (used by `make compat`)
  -i, --interactive      prompt for statements on stdin
  -h, --help             this help

Without --query or --queries-file, statements are read from stdin.
Settings can be changed with SET name = value or a SETTINGS clause; see
SELECT * FROM system.settings.
Exit status: 0 on success, otherwise the ClickHouse error code of the first
failing statement modulo 256 (at least 1).
)";

// Finds an error hint for the statement that ends at `end` (offset of its last character).
int findErrorHint(const std::string& script, std::string_view stmt) {
    static const std::regex hint(R"(\{\s*(serverError|clientError)\s+([0-9A-Z_]+)\s*\})");
    std::smatch m;
    size_t begin = size_t(stmt.data() - script.data());
    size_t end = begin + stmt.size();
    // Look through the statement text and the rest of the line after its ';'.
    size_t eol = script.find('\n', end);
    std::string region = script.substr(begin, (eol == std::string::npos ? script.size() : eol) - begin);
    if (std::regex_search(region, m, hint)) {
        std::string v = m[2];
        if (isdigit((unsigned char)v[0])) return std::stoi(v);
        for (int c = 1; c < 1002; ++c)
            if (errorCodeName(c) == v) return c;
    }
    return -1;
}

std::string readAll(std::istream& in) {
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// All of standard input with read(2) in 1 MiB pieces (std::cin goes through getc per byte).
std::string readStdin() {
    std::string out;
    size_t used = 0;
    while (true) {
        if (out.size() - used < (1 << 20)) out.resize(std::max<size_t>(out.size() * 2, used + (1 << 20)));
        ssize_t n = ::read(STDIN_FILENO, out.data() + used, out.size() - used);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        used += size_t(n);
    }
    out.resize(used);
    return out;
}

// `INSERT ... FORMAT f` with nothing after the format name: its data is standard input (as
// clickhouse-local with --query).
bool wantsStdinData(const ParsedStatement& parsed) {
    auto* q = parsed.ast ? parsed.ast->as<ASTInsertQuery>() : nullptr;
    if (!q || q->select || q->format.empty() || iequals(q->format, "Values")) return false;
    return q->data.find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

int runLocal(const LocalOptions& opts) {
    std::unique_ptr<Catalog> catalog;
    try {
        catalog = openCatalog(opts.path);
    } catch (const std::exception& e) {
        std::cerr << formatException(e) << std::endl;
        return 1;
    }
    Session session(*catalog);
    std::string default_format = opts.format;
    if (default_format.empty()) default_format = isatty(STDOUT_FILENO) ? "PrettyCompact" : "TabSeparated";

    bool stdin_data_allowed = false;   // --query: standard input is free for INSERT data
    auto runScript = [&](const std::string& script) -> int {
        std::vector<std::string_view> stmts;
        try {
            stmts = splitStatements(script);
        } catch (const std::exception& e) {
            std::cerr << formatException(e) << std::endl;
            return 1;
        }
        size_t index = 0;
        for (auto stmt : stmts) {
            int expected = opts.test_mode ? findErrorHint(script, stmt) : -1;
            int code = 0;
            std::string error;
            std::string output;
            try {
                ParserLimits limits;
                limits.max_query_size = session.settings().max_query_size;
                limits.max_parser_depth = session.settings().max_parser_depth;
                ParsedStatement parsed = parseStatement(stmt, limits);
                if (stdin_data_allowed && !isatty(STDIN_FILENO) && wantsStdinData(parsed)) {
                    auto* q = parsed.ast->as<ASTInsertQuery>();
                    q->data = readStdin();
                    q->has_inline_data = true;
                    stdin_data_allowed = false;
                }
                StatementOutput out = session.execute(parsed);
                std::string fmt = out.format.empty() ? (session.settings().default_format.empty() ? default_format : session.settings().default_format) : out.format;
                if (opts.json_log && out.format.empty()) fmt = "TabSeparated";
                output = session.formatResult(out, fmt);
            } catch (const std::exception& e) {
                error = formatException(e, &code);
            }
            if (opts.json_log) {
                std::string line = "{\"i\":" + std::to_string(index++) + ",\"sql\":";
                appendJSONString(line, stmt);
                line += error.empty() ? ",\"ok\":true,\"out\":" : ",\"ok\":false,\"out\":";
                appendJSONString(line, error.empty() ? output : error);
                std::cout << line << "}\n";
                continue;
            }
            if (expected >= 0) {
                if (error.empty()) {
                    std::cerr << "Expected error code " << expected << " but the statement succeeded: " << stmt << std::endl;
                    return 1;
                }
                if (code != expected) {
                    std::cerr << "Expected error code " << expected << " but got: " << error << "\nStatement: " << stmt << std::endl;
                    return 1;
                }
                continue;
            }
            if (!error.empty()) {
                std::cerr << error << std::endl;
                if (opts.ignore_errors) continue;
                return code % 256 ? code % 256 : 1;
            }
            std::cout << output;
            std::cout.flush();
        }
        return 0;
    };

    if (!opts.query.empty()) {
        stdin_data_allowed = true;
        return runScript(opts.query);
    }
    if (!opts.queries_file.empty()) {
        std::ifstream f(opts.queries_file);
        if (!f) {
            std::cerr << "Code: 76. DB::Exception: Cannot open file " << opts.queries_file << ". (CANNOT_OPEN_FILE)" << std::endl;
            return 76;
        }
        return runScript(readAll(f));
    }
    if (opts.interactive || isatty(STDIN_FILENO)) {
        // Minimal REPL: accumulate lines until a ';' ends a line.
        std::string buffer, line;
        std::cerr << "basalt local. Type SQL ending with ';'. Ctrl-D exits." << std::endl;
        std::cerr << ":) " << std::flush;
        while (std::getline(std::cin, line)) {
            buffer += line + "\n";
            std::string t = line;
            while (!t.empty() && isspace((unsigned char)t.back())) t.pop_back();
            if (!t.empty() && t.back() == ';') {
                LocalOptions o = opts;
                (void)o;
                int rc = runScript(buffer);
                (void)rc;
                buffer.clear();
            }
            std::cerr << (buffer.empty() ? ":) " : ":-] ") << std::flush;
        }
        if (!buffer.empty()) runScript(buffer);
        return 0;
    }
    return runScript(readStdin());
}

int localMain(int argc, char** argv) {
    LocalOptions opts;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* name) -> std::string {
            std::string prefix = std::string(name) + "=";
            if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
            if (i + 1 >= argc) {
                std::cerr << "Option " << name << " requires a value" << std::endl;
                exit(36);
            }
            return argv[++i];
        };
        auto is = [&](const char* name) { return a == name || a.rfind(std::string(name) + "=", 0) == 0; };
        if (a == "-h" || a == "--help") { std::cout << kLocalHelp; return 0; }
        else if (is("--path")) opts.path = value("--path");
        else if (is("--query") || a == "-q") opts.query = value("--query");
        else if (is("--queries-file")) opts.queries_file = value("--queries-file");
        else if (is("--format") || is("--output-format") || a == "-f") opts.format = value("--format");
        else if (a == "--testmode" || a == "-T") opts.test_mode = true;
        else if (a == "--ignore-error") opts.ignore_errors = true;
        else if (a == "--json-log") { opts.json_log = true; opts.ignore_errors = true; }
        else if (a == "-i" || a == "--interactive") opts.interactive = true;
        else if (a == "--multiquery" || a == "-n") {}
        else {
            std::cerr << "Unknown option: " << a << "\n\n" << kLocalHelp;
            return 36;
        }
    }
    return runLocal(opts);
}

}  // namespace basalt
