// client.cpp — `basalt client` (see client.h). One native-protocol connection (ClientConnection)
// and the command-line front end around it.
#include "client/client.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
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
#include "protocol/native_protocol.h"
#include "sql/parser.h"

namespace basalt {

namespace {

using namespace native;

std::atomic<bool> g_interrupted{false};

void onSigint(int) { g_interrupted = true; }

// A native-protocol connection to a server.
class ClientConnection {
public:
    struct Options {
        std::string host = "localhost", user = "default", password, database;
        uint16_t port = 9000;
        bool compression = false;
    };

    explicit ClientConnection(const Options& o) : options_(o), in_(socket_) {
        try {
            socket_.connect(Poco::Net::SocketAddress(o.host, o.port), Poco::Timespan(10, 0));
        } catch (const Poco::Exception& e) {
            throw Exception(ErrorCodes::NETWORK_ERROR, "Connection refused (" + o.host + ":" + std::to_string(o.port) + "): " + e.displayText());
        }
        socket_.setNoDelay(true);
        std::string out;
        writeClientHello({"basalt client", o.database, o.user, o.password, kRevision}, out);
        sendAll(socket_, out);
        uint64_t type = in_.readVarUInt();
        if (type == Server::Exception) readAndThrowException(in_);
        if (type != Server::Hello) throw Exception(ErrorCodes::UNEXPECTED_PACKET_FROM_CLIENT, "Unexpected packet from server during the handshake");
        server_name_ = readString(in_);
        major_ = in_.readVarUInt();
        minor_ = in_.readVarUInt();
        revision_ = std::min<uint64_t>(in_.readVarUInt(), kRevision);
        if (revision_ >= kRevisionWithServerTimezone) timezone_ = readString(in_);
        if (revision_ >= kRevisionWithServerDisplayName) display_name_ = readString(in_);
        if (revision_ >= kRevisionWithVersionPatch) patch_ = in_.readVarUInt();
    }

    std::string serverVersion() const { return std::to_string(major_) + "." + std::to_string(minor_) + "." + std::to_string(patch_); }
    const std::string& displayName() const { return display_name_; }

    struct Callbacks {
        std::function<void(const Block&)> on_header, on_data, on_totals;
        std::function<void(const Progress&)> on_progress;
        std::function<bool()> should_cancel;   // polled while waiting for the server
    };

    // Sends a statement and receives its result up to EndOfStream. Server errors are thrown as
    // basalt Exceptions with the server's code.
    void query(const std::string& text, const Callbacks& cb) {
        std::string out;
        QueryPacket q;
        q.text = text;   // no id: the server makes one
        q.compression = options_.compression;
        q.client_name = "basalt client";
        const char* os_user = std::getenv("USER");
        q.os_user = os_user ? os_user : "";
        char host[256] = {0};
        gethostname(host, sizeof host - 1);
        q.client_hostname = host;
        writeQueryPacket(q, revision_, out);
        writeDataPacket(Client::Data, Block(), options_.compression, false, out);   // no external tables
        sendAll(socket_, out);

        bool cancel_sent = false;
        while (true) {
            // Wait for the next packet, watching for Ctrl-C.
            while (!in_.buffered()) {
                bool readable = socket_.poll(Poco::Timespan(0, 100000), Poco::Net::Socket::SELECT_READ);
                if (readable) {
                    if (!in_.nextBuffer()) throw Exception(ErrorCodes::NETWORK_ERROR, "Connection closed by the server");
                    break;
                }
                if (!cancel_sent && cb.should_cancel && cb.should_cancel()) {
                    std::string c;
                    writeVarUInt(Client::Cancel, c);
                    sendAll(socket_, c);
                    cancel_sent = true;
                }
            }
            uint64_t type = in_.readVarUInt();
            switch (type) {
                case Server::Data: case Server::Totals: case Server::Extremes: {
                    Block b = readDataPacketBody(in_, options_.compression);
                    if (type == Server::Data && !b.columns() && !b.rows()) break;   // end of data
                    if (type == Server::Totals) { if (cb.on_totals) cb.on_totals(b); break; }
                    if (type == Server::Extremes) break;
                    if (!got_header_) { got_header_ = true; if (cb.on_header) cb.on_header(b); }
                    if (b.rows() && cb.on_data) cb.on_data(b);
                    break;
                }
                case Server::Progress: {
                    Progress p = readProgress(in_, revision_);
                    if (cb.on_progress) cb.on_progress(p);
                    break;
                }
                case Server::Exception: got_header_ = false; readAndThrowException(in_);
                case Server::EndOfStream: got_header_ = false; return;
                case Server::ProfileInfo:
                    in_.readVarUInt(); in_.readVarUInt(); in_.readVarUInt(); readPod<uint8_t>(in_); in_.readVarUInt(); readPod<uint8_t>(in_);
                    break;
                case Server::Log: case Server::ProfileEvents:
                    readDataPacketBody(in_, false);
                    break;
                case Server::TableColumns:
                    readString(in_); readString(in_);
                    break;
                case Server::Pong: break;
                default:
                    throw Exception(ErrorCodes::UNKNOWN_PACKET_FROM_CLIENT, "Unknown packet " + std::to_string(type) + " from server");
            }
        }
    }

private:
    Options options_;
    Poco::Net::StreamSocket socket_;
    SocketIn in_;
    std::string server_name_, timezone_, display_name_;
    uint64_t major_ = 0, minor_ = 0, patch_ = 0, revision_ = 0;
    bool got_header_ = false;
};

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
int runStatement(ClientConnection& conn, const std::string& sql, const std::string& default_format, bool interactive, bool print_time) {
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
    ClientConnection::Callbacks cb;
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
        conn.query(sql, cb);
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

int runScript(ClientConnection& conn, const std::string& script, const std::string& format, bool print_time) {
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

int interactiveLoop(ClientConnection& conn, const std::string& format, const std::string& prompt_name, bool print_time) {
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
    ClientConnection::Options o;
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
        ClientConnection conn(o);
        // Query parameters live in the server session (SET param_x), as at protocol revisions
        // before parameters travel in the Query packet.
        for (auto& [name, v] : params) conn.query("SET " + backQuote("param_" + name) + " = " + quoteString(v), {});
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
