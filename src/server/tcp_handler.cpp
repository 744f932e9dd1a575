// tcp_handler.cpp — the native TCP protocol, server side, as ClickHouse's at protocol revision
// 54453 (what clickhouse-driver sends and what current clickhouse-client settles on when the server
// advertises it): every field is gated on min(client revision, 54453).
//
//   handshake  client Hello (name, version, revision, database, user, password) → server Hello, or
//              an Exception (AUTHENTICATION_FAILED) and close
//   Query      query id, ClientInfo, settings (strings with flags), secret, stage, compression, text;
//              then the client's external-table Data packets up to an empty block (Memory tables
//              the statement reads by name)
//   SELECT     Data: header block, blocks with rows, [Totals], Progress, empty block, EndOfStream
//   INSERT     (data not in the text) Data: the table's header; the client streams Data blocks up to
//              an empty one; the rows are inserted atomically; Progress, EndOfStream
//   other      Progress, EndOfStream
//   errors     one Exception packet ends the query; the client's unread Data is drained
//   Cancel     while a query runs, the connection thread watches the socket: Cancel (or the client
//              going away) cancels the statement (QUERY_WAS_CANCELLED inside the engine)
// With compression = 1, every block travels as ClickHouse compressed frames (CityHash128 checksum,
// LZ4 by default, ZSTD with network_compression_method = 'ZSTD').
#include "server/tcp_handler.h"

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <cstring>

#include "common/exception.h"
#include "common/string_utils.h"
#include "exec/block_ops.h"
#include "protocol/native_protocol.h"
#include "storage/memory.h"
#include "server/server.h"
#include "sql/parser.h"

namespace basalt {

namespace {

using namespace native;

class Connection final : public Poco::Net::TCPServerConnection {
public:
    Connection(const Poco::Net::StreamSocket& s, ServerContext& ctx) : Poco::Net::TCPServerConnection(s), ctx_(ctx), in_(socket()) {}

    void run() override {
        address_ = socket().peerAddress().toString();
        try {
            socket().setNoDelay(true);
            socket().setReceiveTimeout(Poco::Timespan(300, 0));
            socket().setSendTimeout(Poco::Timespan(300, 0));
            if (!handshake()) return;
            while (!ctx_.shutting_down) {
                if (!waitForPacket()) return;
                uint64_t type = in_.readVarUInt();
                switch (type) {
                    case Client::Ping: out_.push_back(char(Server::Pong)); flush(); break;
                    case Client::Query: processQuery(); break;
                    case Client::Cancel: break;
                    case Client::TablesStatusRequest: tablesStatus(); break;
                    case Client::Data:
                    case Client::Hello:
                        sendException(Exception(ErrorCodes::UNEXPECTED_PACKET_FROM_CLIENT, "Unexpected packet " + std::to_string(type) + " from client"));
                        return;
                    default:
                        sendException(Exception(ErrorCodes::UNKNOWN_PACKET_FROM_CLIENT, "Unknown packet " + std::to_string(type) + " from client"));
                        return;
                }
            }
        } catch (const std::exception& e) {
            int code = 0;
            std::string text = formatException(e, &code);
            ctx_.log.write(code == ErrorCodes::NETWORK_ERROR || code == ErrorCodes::CANNOT_READ_ALL_DATA ? LogLevel::Debug : LogLevel::Information,
                           "TCP " + address_ + ": " + text);
            // Malformed input: tell the client when the connection still works, then close.
            try { sendException(e); } catch (...) {}
        }
    }

private:
    // Waits for the next packet between queries, noticing a server shutdown. False on EOF.
    bool waitForPacket() {
        while (!in_.buffered()) {
            if (ctx_.shutting_down) return false;
            bool readable = false;
            try {
                readable = socket().poll(Poco::Timespan(0, 500000), Poco::Net::Socket::SELECT_READ);
            } catch (const Poco::Exception&) {
                return false;
            }
            if (readable && !in_.nextBuffer()) return false;
        }
        return true;
    }

    bool handshake() {
        uint64_t type = 0;
        if (!in_.buffered() && !in_.nextBuffer()) return false;
        if (*in_.pos == 'G' || *in_.pos == 'P') {
            // An HTTP client on the native port.
            std::string reply = "HTTP/1.0 400 Bad Request\r\n\r\nPort " + std::to_string(socket().address().port()) +
                                " is for clickhouse-client program\r\nYou must use port " + std::to_string(ctx_.config.http_port) + " for HTTP.\r\n";
            socket().sendBytes(reply.data(), int(reply.size()));
            return false;
        }
        type = in_.readVarUInt();
        if (type != Client::Hello) throw Exception(ErrorCodes::UNEXPECTED_PACKET_FROM_CLIENT, "Unexpected packet from client (no Hello)");
        ClientHello hello = readClientHello(in_);
        client_name_ = hello.client_name;
        revision_ = hello.revision;
        const std::string& database = hello.database;
        UserConfig account = ctx_.authenticate(hello.user, hello.password);
        session_ = std::make_unique<Session>(*ctx_.catalog);
        ctx_.initSession(*session_, account, address_, "TCP");
        session_->clientInfo().client_name = client_name_;
        if (!database.empty()) session_->execute("USE " + backQuote(database));

        out_.push_back(char(Server::Hello));
        writeString("ClickHouse", out_);
        writeVarUInt(24, out_);
        writeVarUInt(8, out_);
        writeVarUInt(kRevision, out_);
        if (revision_ >= kRevisionWithServerTimezone) writeString("UTC", out_);
        if (revision_ >= kRevisionWithServerDisplayName) writeString(ctx_.config.display_name, out_);
        if (revision_ >= kRevisionWithVersionPatch) writeVarUInt(0, out_);
        flush();
        return true;
    }

    void processQuery() {
        QueryState q;
        progress_sent_ = {};
        // The Query packet's settings hold for this query only; a SET statement persists in the
        // session (as ClickHouse: the packet's settings go to the query context). So only the
        // names the packet changed get their previous values back.
        struct Restore {
            Session& s;
            Settings saved;
            std::vector<std::string>*& current;
            std::vector<std::string> names;
            ~Restore() {
                current = nullptr;
                if (names.empty()) return;
                for (auto& row : saved.describe())
                    for (auto& n : names)
                        if (row.name == n) {
                            try { s.settings().set(n, Field(row.value)); } catch (...) {}
                        }
            }
        } restore{*session_, session_->settings(), packet_settings_, {}};
        packet_settings_ = &restore.names;
        try {
            readQuery(q);
            runQuery(q);
        } catch (const std::exception& e) {
            int code = 0;
            std::string text = formatException(e, &code);
            ctx_.log.write(LogLevel::Information, "TCP " + address_ + " query failed: " + text);
            if (code == ErrorCodes::NETWORK_ERROR || code == ErrorCodes::SOCKET_TIMEOUT) throw;
            sendException(e);
            // The client may still be sending data for this query: skip it up to its empty block.
            if (q.header_read && q.client_data_pending) drainData(q);
        }
    }

    struct QueryState {
        std::string id, text;
        bool compression = false;
        bool header_read = false;            // the Query packet was read whole
        bool client_data_pending = true;     // the client still sends Data up to an empty block
    };

    void readQuery(QueryState& q) {
        QueryPacket packet = readQueryPacket(in_, revision_);
        q.id = std::move(packet.id);
        q.text = std::move(packet.text);
        q.compression = packet.compression;
        q.header_read = true;
        // Settings apply after the whole packet is read, so a bad one still leaves the stream in sync.
        for (auto& [n, v] : packet.settings) {
            if (n == "network_compression_method") { network_zstd_ = toLower(v) == "zstd"; continue; }
            if (n == "readonly" && session_->settings().readonly && v == "0") throw Exception(ErrorCodes::READONLY, "Cannot modify 'readonly' setting in readonly mode");
            if (packet_settings_) packet_settings_->push_back(n);
            session_->settings().set(n, Field(v));
        }
        // External tables (clickhouse-client --external, the drivers' external_tables, GLOBAL IN):
        // Data packets named by table, up to an empty block; the statement reads them as tables.
        std::map<std::string, std::vector<Block>> external;
        while (true) {
            std::string name;
            Block b = readDataPacket(q.compression, &name);
            if (!b.columns() && !b.rows()) break;
            if (name.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "An external table without a name");
            auto& blocks = external[name];
            auto sameStructure = [](const Block& a, const Block& c) {
                if (a.columns() != c.columns()) return false;
                for (size_t i = 0; i < a.columns(); ++i)
                    if (a.at(i).name != c.at(i).name || a.at(i).type->name() != c.at(i).type->name()) return false;
                return true;
            };
            if (!blocks.empty() && !sameStructure(blocks.front(), b))
                throw Exception(ErrorCodes::INCORRECT_DATA, "Blocks of external table " + name + " differ in structure");
            if (external.size() > 1000) throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "Too many external tables");
            blocks.push_back(std::move(b));
        }
        q.client_data_pending = false;
        std::map<std::string, std::shared_ptr<IStorage>> tables;
        for (auto& [name, blocks] : external) {
            TableMetadata md;
            for (auto& c : blocks.front().data()) md.columns.push_back({c.name, c.type, "", nullptr, "", ""});
            auto storage = std::make_shared<StorageMemory>(std::move(md));
            QueryContext wctx;
            storage->write(std::move(blocks), wctx);
            tables[name] = storage;
        }
        session_->setExternalTables(std::move(tables));
    }

    // Reads a Data packet (type included): table name, block.
    Block readDataPacket(bool compression, std::string* table_name = nullptr) {
        uint64_t type = in_.readVarUInt();
        if (type != Client::Data) {
            if (type == Client::Cancel) throw Exception(ErrorCodes::QUERY_WAS_CANCELLED, "Query was cancelled");
            throw Exception(ErrorCodes::UNEXPECTED_PACKET_FROM_CLIENT, "Unexpected packet " + std::to_string(type) + " from client (expected Data)");
        }
        return readDataPacketBody(in_, compression, table_name);
    }

    void drainData(QueryState& q) {
        try {
            while (true) {
                Block b = readDataPacket(q.compression);
                if (!b.columns() && !b.rows()) break;
            }
        } catch (...) {
            throw Exception(ErrorCodes::NETWORK_ERROR, "Cannot resynchronize with the client after an error");
        }
    }

    void runQuery(QueryState& q) {
        session_->setQueryId(q.id);
        ParserLimits limits;
        limits.max_query_size = std::max<uint64_t>(session_->settings().max_query_size, q.text.size() + 1);
        limits.max_parser_depth = session_->settings().max_parser_depth;
        ParsedStatement stmt = parseStatement(q.text, limits);
        auto* insert = stmt.ast->as<ASTInsertQuery>();
        if (insert && !insert->has_inline_data && !insert->select) {
            // INSERT with client-side data: the header, then the client's blocks.
            Block header = session_->insertHeader(stmt);
            sendData(Server::Data, header, q.compression);
            flush();
            q.client_data_pending = true;
            // The client's blocks go into the table as they arrive (the session batches them into
            // max_insert_block_size rows), published together after the empty block that ends them.
            struct Packets final : InsertDataSource {
                Connection& c;
                QueryState& q;
                Packets(Connection& conn, QueryState& state) : c(conn), q(state) {}
                bool next(std::string&, std::vector<Block>& blocks) override {
                    if (!q.client_data_pending) return false;
                    Block b = c.readDataPacket(q.compression);
                    if (!b.columns() && !b.rows()) {
                        q.client_data_pending = false;
                        return false;
                    }
                    blocks.push_back(std::move(b));
                    return true;
                }
            } packets(*this, q);
            {
                ServerContext::QuerySlot slot(ctx_);
                session_->insertFrom(stmt, packets);
            }
            sendProgress(session_->lastCounters(), true);
            out_.push_back(char(Server::EndOfStream));
            flush();
            return;
        }
        // Result blocks become Data packets as the query produces them (bounded by
        // max_block_size rows each), sent from the worker thread.
        class Sink final : public ResultSink {
        public:
            Sink(Connection& c, bool compression) : c_(c), compression_(compression) {}
            void begin(const Block& header) override {
                std::lock_guard lock(c_.out_mutex_);
                begun = true;
                c_.sendData(Server::Data, header, compression_);
            }
            void write(const Block& b) override {
                size_t step = std::max<size_t>(1, c_.session_->settings().max_block_size);
                for (size_t off = 0; off < b.rows(); off += step) {
                    size_t n = std::min(step, b.rows() - off);
                    Block part = n == b.rows() ? b : cutBlock(b, off, n);
                    std::lock_guard lock(c_.out_mutex_);
                    c_.sendData(Server::Data, part, compression_);
                    if (c_.out_.size() > (1 << 20)) c_.flush();
                }
            }
            void writeTotals(const Block& totals) override {
                std::lock_guard lock(c_.out_mutex_);
                c_.sendData(Server::Totals, totals, compression_);
            }
            bool begun = false;
        private:
            Connection& c_;
            bool compression_;
        } sink(*this, q.compression);
        bool cancelled = false;
        try {
            // A Cancel packet, or the client going away, cancels the statement.
            auto last_progress = std::chrono::steady_clock::now();
            ctx_.executeWatched(*session_, stmt, &sink, nullptr, [this, &last_progress](int wake) {
                using W = ServerContext::ClientWatch;
                try {
                    // Progress packets while the query runs (the client's progress bar), at most
                    // every 100 ms, between the worker's Data packets.
                    auto now = std::chrono::steady_clock::now();
                    if (now - last_progress >= std::chrono::milliseconds(100)) {
                        last_progress = now;
                        Session::Counters c = session_->runningCounters();
                        std::lock_guard lock(out_mutex_);
                        if (sendProgress(c)) flush();
                    }
                    if (!in_.buffered() && !ServerContext::waitReadable(socket(), wake, 50)) return W::Connected;
                    if (!in_.buffered() && !in_.nextBuffer()) return W::Gone;
                    uint64_t type = in_.readVarUInt();
                    return type == Client::Ping ? W::Connected : W::Gone;   // Ping is answered after the query
                } catch (const std::exception&) {
                    return W::Gone;
                }
            }, &cancelled);
        } catch (const Exception& e) {
            // A cancelled query ends like a finished one (the client waits for EndOfStream).
            if (!cancelled || e.code() != ErrorCodes::QUERY_WAS_CANCELLED) throw;
            out_.push_back(char(Server::EndOfStream));
            flush();
            return;
        }
        sendProgress(session_->lastCounters(), true);
        if (sink.begun) sendData(Server::Data, Block(), q.compression);
        out_.push_back(char(Server::EndOfStream));
        flush();
    }

    void sendData(uint64_t type, const Block& block, bool compression) { writeDataPacket(type, block, compression, network_zstd_, out_); }

    // Appends a Progress packet with what `c` adds to the progress already sent for this query
    // (clients add the packets up); false when there is nothing new (unless `always`: the last one).
    bool sendProgress(const Session::Counters& c, bool always = false) {
        auto delta = [](uint64_t now, uint64_t& sent) {
            uint64_t d = now > sent ? now - sent : 0;
            sent = std::max(sent, now);
            return d;
        };
        Progress p;
        p.read_rows = delta(c.read_rows, progress_sent_.read_rows);
        p.read_bytes = delta(c.read_bytes, progress_sent_.read_bytes);
        p.written_rows = delta(c.written_rows, progress_sent_.written_rows);
        p.written_bytes = delta(c.written_bytes, progress_sent_.written_bytes);
        p.total_rows = p.read_rows;
        if (!p.read_rows && !p.read_bytes && !p.written_rows && !p.written_bytes && !always) return false;
        writeProgress(p, revision_, out_);
        return true;
    }

    void sendException(const std::exception& e) {
        int code = 0;
        std::string text = formatException(e, &code);
        writeException(code, text, out_);
        flush();
    }

    void tablesStatus() {
        uint64_t n = in_.readVarUInt();
        if (n > 100000) throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "Too many tables in TablesStatusRequest");
        std::vector<std::pair<std::string, std::string>> tables;
        for (uint64_t i = 0; i < n; ++i) {
            std::string db = readString(in_);
            tables.emplace_back(db, readString(in_));
        }
        std::string body;
        uint64_t known = 0;
        for (auto& [db, t] : tables) {
            if (!ctx_.catalog->hasTable(db, t)) continue;
            ++known;
            writeString(db, body);
            writeString(t, body);
            body.push_back(0);   // not replicated
        }
        writeVarUInt(9, out_);
        writeVarUInt(known, out_);
        out_ += body;
        flush();
    }

    void flush() { sendAll(socket(), out_); }

    ServerContext& ctx_;
    SocketIn in_;
    std::string out_;
    std::mutex out_mutex_;                 // out_ and the socket's sending side while a query runs
    Session::Counters progress_sent_;      // progress reported so far for the current query
    std::string address_, client_name_;
    uint64_t revision_ = 0;
    bool network_zstd_ = false;
    std::vector<std::string>* packet_settings_ = nullptr;   // names the running query's packet set (processQuery)
    std::unique_ptr<Session> session_;
};

class Factory final : public Poco::Net::TCPServerConnectionFactory {
public:
    explicit Factory(ServerContext& ctx) : ctx_(ctx) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override { return new Connection(socket, ctx_); }
private:
    ServerContext& ctx_;
};

}  // namespace

Poco::Net::TCPServerConnectionFactory* makeTcpHandlerFactory(ServerContext& ctx) { return new Factory(ctx); }

}  // namespace basalt
