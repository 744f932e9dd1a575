// client.cpp — `basalt client` (see client.h): the command-line front end around one
// NativeConnection (client/connection.h).
#include "client/client.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "common/exception.h"
#include "common/string_utils.h"
#include "formats/format.h"
#include "client/connection.h"
#include "protocol/native_protocol.h"
#include "sql/parser.h"

namespace basalt {

namespace {

using namespace native;

std::atomic<bool> g_interrupted{false};

void onSigint(int) { g_interrupted = true; }

// The interactive client's use of a connection: a statement's packets turned into callbacks,
// watching for Ctrl-C while the server works.
struct Callbacks {
    std::function<void(const Block&)> on_header, on_data, on_totals;
    std::function<void(const Progress&)> on_progress;
    std::function<bool()> should_cancel;   // polled while waiting for the server
};

void runQuery(NativeConnection& conn, const std::string& text, const Callbacks& cb) {
    conn.sendQuery(text);
    bool cancel_sent = false, got_header = false;
    while (true) {
        while (!conn.poll(0.1)) {
            if (!cancel_sent && cb.should_cancel && cb.should_cancel()) {
                conn.sendCancel();
                cancel_sent = true;
            }
        }
        NativeConnection::Packet p = conn.receivePacket();
        switch (p.kind) {
            case NativeConnection::Packet::Data:
                if (!p.block.columns() && !p.block.rows()) break;   // end of data
                if (!got_header) { got_header = true; if (cb.on_header) cb.on_header(p.block); }
                if (p.block.rows() && cb.on_data) cb.on_data(p.block);
                break;
            case NativeConnection::Packet::Totals: if (cb.on_totals) cb.on_totals(p.block); break;
            case NativeConnection::Packet::Progress: if (cb.on_progress) cb.on_progress(p.progress); break;
            case NativeConnection::Packet::EndOfStream: return;
            default: break;
        }
    }
}


const char* kClientHelp = R"(Usage: basalt client [options] [< script.sql]

An interactive SQL client for basalt (and ClickHouse) servers over the native TCP protocol.

Options:
  -h, --host HOST        server host (default localhost)
  --port N               native protocol port (default 9000)
  -u, --user NAME        user (default: default)
  --password PASS        password
  -d, --database DB      current database
  -q, --query SQL        run these statements (separated by ';') and exit
  --queries-file FILE    run the statements in FILE and exit
  -f, --format FMT       output format (default PrettyCompact on a terminal, else TabSeparated)
  --compression 0|1      compress blocks (LZ4) on the wire (default 0)
  -t, --time             print each statement's elapsed time to stderr
  --param_NAME=VALUE     value of the {NAME:Type} placeholder in the statements
  --help                 this help

Interactive mode: statements end with ';' and may span lines; Ctrl-C cancels the running query
(or clears the line being typed); Ctrl-D or `exit` leaves. History is kept in ~/.basalt-client-history.
)";

std::string humanBytes(double b) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (b >= 1000 && u < 4) { b /= 1000; ++u; }
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f %s", b, units[u]);
    return buf;
}

std::string humanRows(double r) {
    const char* units[] = {"", " thousand", " million", " billion"};
    int u = 0;
    while (r >= 1000 && u < 3) { r /= 1000; ++u; }
    char buf[32];
    if (u == 0) snprintf(buf, sizeof buf, "%.0f", r);
    else snprintf(buf, sizeof buf, "%.2f%s", r, units[u]);
    return buf;
}

// Runs one statement and prints its result; returns the error code (0 on success).
int runStatement(NativeConnection& conn, const std::string& sql, const std::string& default_format, bool interactive, bool print_time) {
    auto start = std::chrono::steady_clock::now();
    // FORMAT is the client's business in the native protocol (the server sends Native blocks).
    std::string format = default_format;
    try {
        ParsedStatement parsed = parseStatement(sql);
        if (!parsed.output.format.empty()) format = parsed.output.format;
    } catch (const Exception&) {
        // The server reports the syntax error.
    }
    Progress total;
    std::unique_ptr<IOutputFormat> writer;
    size_t rows = 0;
    bool progress_shown = false;
    bool tty_err = isatty(STDERR_FILENO);
    auto clearProgress = [&] {
        if (progress_shown) { std::cerr << "\r\033[K" << std::flush; progress_shown = false; }
    };
    FormatSettings fs;
    fs.pretty_color = interactive && isatty(STDOUT_FILENO);
    Callbacks cb;
    cb.on_header = [&](const Block& header) {
        clearProgress();
        writer = createOutputFormat(format, header, [](std::string_view s) { std::cout.write(s.data(), std::streamsize(s.size())); }, fs);
        writer->writePrefix();
    };
    cb.on_data = [&](const Block& b) {
        clearProgress();
        rows += b.rows();
        writer->write(b);
        writer->flush();
        std::cout.flush();
    };
    cb.on_totals = [&](const Block& b) { if (writer) writer->writeTotals(b); };
    cb.on_progress = [&](const Progress& p) {
        total.read_rows += p.read_rows;
        total.read_bytes += p.read_bytes;
        total.written_rows += p.written_rows;
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (interactive && tty_err && secs > 0.5) {
            std::cerr << "\r\033[K→ Progress: " << humanRows(double(total.read_rows)) << " rows, " << humanBytes(double(total.read_bytes)) << " ("
                      << humanRows(total.read_rows / secs) << " rows/s.)" << std::flush;
            progress_shown = true;
        }
    };
    cb.should_cancel = [] { return g_interrupted.load(); };
    g_interrupted = false;
    int code = 0;
    try {
        runQuery(conn, sql, cb);
        if (writer) {
            OutputStatistics st;
            st.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            st.rows_read = total.read_rows;
            st.bytes_read = total.read_bytes;
            writer->writeSuffix(st);
            writer->flush();
            std::cout.flush();
        }
    } catch (const std::exception& e) {
        clearProgress();
        std::cout.flush();
        std::cerr << (interactive ? "Received exception from server:\n" : "") << formatException(e, &code) << std::endl;
        if (code == 0) code = 1;
    }
    clearProgress();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (interactive && code == 0) {
        if (g_interrupted) std::cout << "Query was cancelled.\n";
        char buf[256];
        if (writer) snprintf(buf, sizeof buf, "\n%zu row%s in set. Elapsed: %.3f sec. ", rows, rows == 1 ? "" : "s", secs);
        else snprintf(buf, sizeof buf, "\nOk. Elapsed: %.3f sec. ", secs);
        std::cout << buf;
        if (total.read_rows)
            std::cout << "Processed " << humanRows(double(total.read_rows)) << " rows, " << humanBytes(double(total.read_bytes)) << " ("
                      << humanRows(total.read_rows / std::max(secs, 1e-9)) << " rows/s., " << humanBytes(total.read_bytes / std::max(secs, 1e-9)) << "/s.)";
        std::cout << "\n\n" << std::flush;
    } else if (print_time) {
        std::cerr << secs << "\n";
    }
    g_interrupted = false;
    return code;
}

int runScript(NativeConnection& conn, const std::string& script, const std::string& format, bool print_time) {
    int first_error = 0;
    for (auto stmt : splitStatements(script)) {
        int code = runStatement(conn, std::string(stmt), format, false, print_time);
        if (code) return code;   // as clickhouse-client: stop at the first error
        (void)first_error;
    }
    return 0;
}

bool statementComplete(const std::string& text) {
    std::string t = text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
    if (t.empty()) return false;
    if (t.back() == ';') return true;
    std::string lower = toLower(t);
    return lower == "exit" || lower == "quit" || lower == "q" || lower == "\\q";
}

int interactiveLoop(NativeConnection& conn, const std::string& format, const std::string& prompt_name, bool print_time) {
    std::string history_file = std::string(std::getenv("HOME") ? std::getenv("HOME") : ".") + "/.basalt-client-history";
    read_history(history_file.c_str());
    std::cout << "Connected to " << prompt_name << " server version " << conn.serverVersion() << ".\n\n";
    std::string buffer;
    while (true) {
        g_interrupted = false;
        std::string prompt = buffer.empty() ? prompt_name + " :) " : ":-] ";
        char* line = readline(prompt.c_str());
        if (!line) {   // Ctrl-D
            std::cout << "\nBye.\n";
            break;
        }
        std::string l = line;
        free(line);
        if (g_interrupted) { buffer.clear(); continue; }
        if (!buffer.empty()) buffer += "\n";
        buffer += l;
        if (!statementComplete(buffer)) continue;
        std::string text = buffer;
        buffer.clear();
        add_history(text.c_str());
        write_history(history_file.c_str());
        std::string lower = toLower(text);
        while (!lower.empty() && (std::isspace(static_cast<unsigned char>(lower.back())) || lower.back() == ';')) lower.pop_back();
        if (lower == "exit" || lower == "quit" || lower == "q" || lower == "\\q") { std::cout << "Bye.\n"; break; }
        for (auto stmt : splitStatements(text)) runStatement(conn, std::string(stmt), format, true, print_time);
    }
    return 0;
}

}  // namespace

int clientMain(int argc, char** argv) {
    NativeConnection::Options o;
    std::string query, queries_file, format;
    std::vector<std::pair<std::string, std::string>> params;
    bool print_time = false;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            size_t eq = a.find('=');
            if (a.rfind("--", 0) == 0 && eq != std::string::npos) return a.substr(eq + 1);
            if (i + 1 >= argc) { std::cerr << "Missing value for " << a << "\n"; std::exit(2); }
            return argv[++i];
        };
        auto is = [&](const char* name) { return a == name || a.rfind(std::string(name) + "=", 0) == 0; };
        if (a == "--help") { std::cout << kClientHelp; return 0; }
        else if (is("--host") || a == "-h") o.host = value();
        else if (is("--port")) o.port = uint16_t(std::stoul(value()));
        else if (is("--user") || a == "-u") o.user = value();
        else if (is("--password")) o.password = value();
        else if (is("--database") || a == "-d") o.database = value();
        else if (is("--query") || a == "-q") query = value();
        else if (is("--queries-file")) queries_file = value();
        else if (is("--format") || a == "-f") format = value();
        else if (is("--compression")) o.compression = value() != "0";
        else if (a == "--time" || a == "-t") print_time = true;
        else if (a.rfind("--param_", 0) == 0 && a.size() > 8) {
            // --param_<name>=value: binds {name:Type} in every statement of this run.
            std::string name = a.substr(8, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 8);
            params.emplace_back(name, value());
        }
        else { std::cerr << "Unknown option " << a << "\n\n" << kClientHelp; return 2; }
    }
    struct sigaction sa{};
    sa.sa_handler = onSigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
    try {
        NativeConnection conn(o);
        // Query parameters live in the server session (SET param_x), as at protocol revisions
        // before parameters travel in the Query packet.
        for (auto& [name, v] : params) runQuery(conn, "SET " + backQuote("param_" + name) + " = " + quoteString(v), {});
        if (!query.empty()) return runScript(conn, query, format.empty() ? "TabSeparated" : format, print_time) % 256;
        if (!queries_file.empty()) {
            std::ifstream f(queries_file);
            if (!f) { std::cerr << "Cannot open " << queries_file << "\n"; return 2; }
            std::stringstream ss;
            ss << f.rdbuf();
            return runScript(conn, ss.str(), format.empty() ? "TabSeparated" : format, print_time) % 256;
        }
        if (!isatty(STDIN_FILENO)) {
            std::stringstream ss;
            ss << std::cin.rdbuf();
            return runScript(conn, ss.str(), format.empty() ? "TabSeparated" : format, print_time) % 256;
        }
        // Ctrl-C at the prompt abandons the line (and a multi-line statement being typed).
        rl_catch_signals = 1;
        rl_signal_event_hook = [] {
            if (g_interrupted) {
                rl_replace_line("", 0);
                rl_done = 1;
                std::cout << "\n";
            }
            return 0;
        };
        return interactiveLoop(conn, format.empty() ? "PrettyCompact" : format, conn.displayName().empty() ? "basalt" : conn.displayName(), print_time);
    } catch (const std::exception& e) {
        int code = 0;
        std::cerr << formatException(e, &code) << std::endl;
        return code ? (code % 256 ? code % 256 : 1) : 1;
    }
}

}  // namespace basalt
