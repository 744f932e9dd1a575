// http_handler.cpp — the HTTP interface, as ClickHouse's (Poco::Net HTTP server underneath).
//
// A request runs one statement: `query` URL parameter, then the body (for INSERT the body is the
// data: `INSERT INTO t FORMAT CSV` in the URL, rows in the body). URL parameters: database,
// default_format, query_id, session_id / session_timeout / session_check, user / password,
// param_<name> for {name:Type} placeholders, enable_http_compression, send_progress_in_http_headers,
// and any setting. Credentials also come from X-ClickHouse-User / X-ClickHouse-Key or Basic auth.
// GET requests are read-only. Request bodies are decompressed by Content-Encoding (gzip, deflate,
// zstd); responses are compressed by Accept-Encoding when enable_http_compression = 1. Errors:
// the ClickHouse text in the body, X-ClickHouse-Exception-Code, and the status
// httpStatusForErrorCode() gives.
#include "server/http_handler.h"

#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>
#include <zstd.h>

#include <chrono>
#include <istream>
#include <optional>
#include <ostream>
#include <set>

#include "common/exception.h"
#include "common/string_utils.h"
#include "formats/format.h"
#include "server/server.h"
#include "sql/parser.h"

namespace basalt {

namespace {

extern const char* kPlayPage;

// URL parameters that are not settings.
const std::set<std::string> kReservedParams = {
    "query", "database", "default_format", "query_id", "session_id", "session_timeout", "session_check", "user", "password",
    "quota_key", "enable_http_compression", "http_zlib_compression_level", "send_progress_in_http_headers", "wait_end_of_query",
    "buffer_size", "compress", "decompress", "http_headers_progress_interval_ms", "stacktrace", "role", "cancel_http_readonly_queries_on_client_close",
    "add_http_cors_header", "http_response_buffer_size", "output_format_json_quote_64bit_integers_http"};

std::string contentTypeFor(const std::string& format) {
    std::string f = toLower(format);
    if (f.rfind("tabseparated", 0) == 0 || f.rfind("tsv", 0) == 0) return "text/tab-separated-values; charset=UTF-8";
    if (f.rfind("csv", 0) == 0) return std::string("text/csv; charset=UTF-8; header=") + (f.find("names") != std::string::npos ? "present" : "absent");
    if (f.find("eachrow") != std::string::npos || f.rfind("jsonlines", 0) == 0 || f == "ndjson") return "application/x-ndjson; charset=UTF-8";
    if (f.rfind("json", 0) == 0) return "application/json; charset=UTF-8";
    if (f == "xml") return "application/xml; charset=UTF-8";
    if (f == "native" || f.rfind("rowbinary", 0) == 0 || f == "parquet" || f == "arrow") return "application/octet-stream";
    return "text/plain; charset=UTF-8";
}

// Writes the response body through an optional compressor (gzip / deflate / zstd).
class BodyWriter {
public:
    BodyWriter(std::ostream& out, const std::string& encoding, int level) : out_(out), encoding_(encoding) {
        if (encoding == "gzip") deflate_ = std::make_unique<Poco::DeflatingOutputStream>(out, Poco::DeflatingStreamBuf::STREAM_GZIP, level);
        else if (encoding == "deflate") deflate_ = std::make_unique<Poco::DeflatingOutputStream>(out, Poco::DeflatingStreamBuf::STREAM_ZLIB, level);
        else if (encoding == "zstd") {
            zstd_ = ZSTD_createCCtx();
            ZSTD_CCtx_setParameter(zstd_, ZSTD_c_compressionLevel, std::clamp(level, 1, 19));
        }
    }
    ~BodyWriter() {
        if (zstd_) ZSTD_freeCCtx(zstd_);
    }
    void write(std::string_view s) {
        if (deflate_) deflate_->write(s.data(), std::streamsize(s.size()));
        else if (zstd_) zstdStream(s, ZSTD_e_continue);
        else out_.write(s.data(), std::streamsize(s.size()));
        if (!out_.good()) throw Exception(ErrorCodes::NETWORK_ERROR, "Cannot write the response: the client went away");
    }
    void finish() {
        if (deflate_) deflate_->close();
        else if (zstd_) zstdStream({}, ZSTD_e_end);
        out_.flush();
    }

private:
    void zstdStream(std::string_view s, ZSTD_EndDirective mode) {
        ZSTD_inBuffer in{s.data(), s.size(), 0};
        char buf[65536];
        while (true) {
            ZSTD_outBuffer o{buf, sizeof buf, 0};
            size_t rest = ZSTD_compressStream2(zstd_, &o, &in, mode);
            if (ZSTD_isError(rest)) throw Exception(ErrorCodes::CANNOT_COMPRESS, std::string("zstd: ") + ZSTD_getErrorName(rest));
            out_.write(buf, std::streamsize(o.pos));
            if (mode == ZSTD_e_end ? rest == 0 : in.pos == in.size) break;
        }
    }
    std::ostream& out_;
    std::string encoding_;
    std::unique_ptr<Poco::DeflatingOutputStream> deflate_;
    ZSTD_CCtx* zstd_ = nullptr;
};

// The request body, decompressed by its Content-Encoding (identity, gzip, deflate, zstd) as it is
// read: nothing is buffered beyond one read.
class BodyReader {
public:
    BodyReader(std::istream& raw, const std::string& encoding) : raw_(raw), encoding_(encoding) {
        if (encoding == "gzip" || encoding == "deflate") {
            inflate_ = std::make_unique<Poco::InflatingInputStream>(raw, encoding == "gzip" ? Poco::InflatingStreamBuf::STREAM_GZIP
                                                                                             : Poco::InflatingStreamBuf::STREAM_ZLIB);
            inflate_->exceptions(std::ios::badbit);   // zlib errors surface instead of looking like the end of data
        } else if (encoding == "zstd") {
            zstd_ = ZSTD_createDCtx();
            zin_.resize(1 << 16);
        } else if (!encoding.empty() && encoding != "identity") {
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Unknown Content-Encoding: " + encoding);
        }
    }
    ~BodyReader() {
        if (zstd_) ZSTD_freeDCtx(zstd_);
    }
    // Appends up to `n` bytes to `out` (fewer only at the end of the body); 0 at the end. Reads
    // through a small buffer: `out` grows by what arrives, never by `n` up front.
    size_t readInto(std::string& out, size_t n) {
        char buf[1 << 16];
        size_t appended = 0;
        while (appended < n) {
            size_t got = read(buf, std::min(sizeof buf, n - appended));
            if (!got) break;
            out.append(buf, got);
            appended += got;
        }
        total += appended;
        return appended;
    }
    uint64_t total = 0;   // decompressed bytes read so far

private:
    size_t read(char* buf, size_t n) {
        if (zstd_) return readZstd(buf, n);
        std::istream& in = inflate_ ? static_cast<std::istream&>(*inflate_) : raw_;
        try {
            in.read(buf, std::streamsize(n));
        } catch (const Poco::Exception& e) {
            throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress the " + encoding_ + " request body: " + e.displayText());
        } catch (const std::ios_base::failure&) {
            throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress the " + encoding_ + " request body");
        }
        return size_t(in.gcount());
    }
    size_t readZstd(char* buf, size_t n) {
        while (true) {
            if (zbuf_.pos == zbuf_.size && !raw_eof_) {
                raw_.read(zin_.data(), std::streamsize(zin_.size()));
                size_t got = size_t(raw_.gcount());
                if (!got) raw_eof_ = true;
                zbuf_ = {zin_.data(), got, 0};
            }
            ZSTD_outBuffer o{buf, n, 0};
            size_t r = ZSTD_decompressStream(zstd_, &o, &zbuf_);
            if (ZSTD_isError(r)) throw Exception(ErrorCodes::CANNOT_DECOMPRESS, std::string("Cannot decompress the zstd request body: ") + ZSTD_getErrorName(r));
            frame_open_ = r != 0;
            if (o.pos) return o.pos;
            if (raw_eof_ && zbuf_.pos == zbuf_.size) {
                if (frame_open_) throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress the zstd request body: it ends inside a frame");
                return 0;
            }
        }
    }

    std::istream& raw_;
    std::string encoding_;
    std::unique_ptr<Poco::InflatingInputStream> inflate_;
    ZSTD_DCtx* zstd_ = nullptr;
    std::vector<char> zin_;
    ZSTD_inBuffer zbuf_{nullptr, 0, 0};
    bool raw_eof_ = false, frame_open_ = false;
};

// Reads the rest of the body into `out`; QUERY_IS_TOO_LARGE (413) once it passes `limit`.
void readRestBounded(BodyReader& body, std::string& out, uint64_t limit) {
    while (body.readInto(out, 1 << 16))
        if (body.total > limit)
            throw Exception(ErrorCodes::QUERY_IS_TOO_LARGE, "The request body is larger than max_request_body_bytes (" + std::to_string(limit) + ")");
}

// The rows of a streamed INSERT: the body cut into pieces of whole rows (about 8 MiB), the
// format's header rows repeated in front of every piece after the first.
class BodyRows final : public InsertDataSource {
public:
    BodyRows(BodyReader& body, RowSplit split, std::string first, uint64_t max_row_bytes)
        : body_(body), split_(split), buf_(std::move(first)), max_row_bytes_(max_row_bytes) {}
    bool next(std::string& text, std::vector<Block>&) override {
        constexpr size_t kPiece = 8 << 20;
        while (true) {
            while (!eof_ && buf_.size() < kPiece) eof_ = body_.readInto(buf_, kPiece - buf_.size() + (1 << 16)) == 0;
            size_t cut = eof_ ? buf_.size() : lastRowBoundary(split_, buf_);
            while (!eof_ && cut == 0) {   // one row longer than a piece: read on to its end
                if (buf_.size() > max_row_bytes_)
                    throw Exception(ErrorCodes::QUERY_IS_TOO_LARGE,
                                    "A row of the request body is longer than max_request_body_bytes (" + std::to_string(max_row_bytes_) + ")");
                eof_ = body_.readInto(buf_, kPiece) == 0;
                cut = eof_ ? buf_.size() : lastRowBoundary(split_, buf_);
            }
            std::string_view piece(buf_.data(), cut);
            if (eof_) piece = trimStatementEnd(piece);
            bool any = piece.find_first_not_of(" \t\r\n") != std::string_view::npos;
            if (any) {
                if (first_) {
                    size_t h = rowsPrefix(split_, piece, split_.header_rows);
                    if (h != std::string_view::npos) header_ = std::string(piece.substr(0, h));
                } else {
                    text = header_;
                }
                first_ = false;
                text.append(piece);
            }
            buf_.erase(0, cut);
            if (any) return true;
            if (eof_ && buf_.empty()) return false;
        }
    }

private:
    // The data's end as the parser treats inline data: trailing whitespace, then one ';' of the statement.
    static std::string_view trimStatementEnd(std::string_view d) {
        size_t end = d.size();
        while (end > 0 && (d[end - 1] == ' ' || d[end - 1] == '\t' || d[end - 1] == '\n' || d[end - 1] == '\r')) --end;
        return end > 0 && d[end - 1] == ';' ? d.substr(0, end - 1) : d;
    }
    BodyReader& body_;
    RowSplit split_;
    std::string buf_, header_;
    uint64_t max_row_bytes_;
    bool eof_ = false, first_ = true;
};

// Where the rows of an INSERT ... FORMAT f start in `text`, when f can be streamed (npos when
// the statement is anything else). The parser copies inline data without its trailing
// whitespace-and-';', so the copy is found back at one of the two places it can start.
size_t streamedInsertData(const ParsedStatement& stmt, const std::string& text) {
    auto* ins = stmt.ast->as<ASTInsertQuery>();
    if (!ins || ins->select || ins->format.empty() || iequals(ins->format, "Values") || !rowSplitFor(ins->format).splittable) return std::string::npos;
    const std::string& data = ins->data;
    if (text.size() >= data.size() && text.compare(text.size() - data.size(), data.size(), data) == 0) return text.size() - data.size();
    size_t end = text.size();
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
    if (end > 0 && text[end - 1] == ';' && end - 1 >= data.size() && text.compare(end - 1 - data.size(), data.size(), data) == 0) return end - 1 - data.size();
    return std::string::npos;
}

class QueryHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit QueryHandler(ServerContext& ctx) : ctx_(ctx) {}

    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
        auto start = std::chrono::steady_clock::now();
        std::string query_id;
        try {
            run(req, resp, query_id, start);
        } catch (const std::exception& e) {
            int code = 0;
            std::string text = formatException(e, &code);
            ctx_.log.write(code == ErrorCodes::NETWORK_ERROR ? LogLevel::Debug : LogLevel::Information,
                           "HTTP " + req.clientAddress().toString() + " " + (query_id.empty() ? "" : query_id + " ") + text);
            if (resp.sent()) {
                // Mid-stream: the error text ends the body (as ClickHouse's), then the connection closes.
                try {
                    if (body_) {
                        body_->write("\n" + text + "\n");
                        body_->finish();
                    }
                } catch (...) {
                }
                return;
            }
            resp.setStatusAndReason(Poco::Net::HTTPResponse::HTTPStatus(httpStatusForErrorCode(code)));
            resp.set("X-ClickHouse-Exception-Code", std::to_string(code));
            if (!query_id.empty()) resp.set("X-ClickHouse-Query-Id", query_id);
            resp.setContentType("text/plain; charset=UTF-8");
            resp.setChunkedTransferEncoding(false);
            // The request body may be unread (the error came first): close rather than let its
            // bytes be taken for the next request on this connection.
            resp.setKeepAlive(false);
            std::string body = text + "\n";
            resp.setContentLength(std::streamsize(body.size()));
            resp.send() << body;
        }
    }

private:
    void run(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, std::string& query_id,
             std::chrono::steady_clock::time_point start) {
        if (ctx_.shutting_down) throw Exception(ErrorCodes::ABORTED, "Server is shutting down");
        std::vector<std::pair<std::string, std::string>> params;
        try {
            params = Poco::URI(req.getURI()).getQueryParameters();
        } catch (const Poco::Exception& e) {
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Cannot parse the request URI: " + e.displayText());
        }
        auto param = [&](const std::string& name) -> std::optional<std::string> {
            for (auto& [k, v] : params) if (k == name) return v;
            return std::nullopt;
        };
        // Credentials: headers, then Basic auth, then URL parameters.
        std::string user = "default", password;
        bool from_header = false;
        if (req.has("X-ClickHouse-User")) { user = req.get("X-ClickHouse-User"); from_header = true; }
        if (req.has("X-ClickHouse-Key")) { password = req.get("X-ClickHouse-Key"); from_header = true; }
        if (!from_header && req.hasCredentials()) {
            try {
                Poco::Net::HTTPBasicCredentials cred(req);
                user = cred.getUsername();
                password = cred.getPassword();
            } catch (const Poco::Exception&) {
                throw Exception(ErrorCodes::AUTHENTICATION_FAILED, "Invalid Authorization header");
            }
        }
        if (auto u = param("user")) user = *u;
        if (auto p = param("password")) password = *p;
        UserConfig account = ctx_.authenticate(user, password);

        std::string address = req.clientAddress().toString();
        // The session: a persistent one (session_id) or one for this request.
        std::shared_ptr<HttpSession> persistent;
        std::unique_ptr<Session> own;
        std::unique_lock<std::mutex> session_lock;
        Session* session = nullptr;
        if (auto sid = param("session_id"); sid && !sid->empty()) {
            uint64_t timeout = 60;
            if (auto t = param("session_timeout")) {
                try {
                    size_t pos = 0;
                    timeout = std::stoull(*t, &pos);
                    if (pos != t->size() || timeout > 3600) throw 0;
                } catch (...) {
                    throw Exception(ErrorCodes::INVALID_SESSION_TIMEOUT, "Invalid session timeout: '" + *t + "'");
                }
            }
            bool check = param("session_check").value_or("0") == "1";
            persistent = ctx_.httpSession(*sid, account, std::chrono::seconds(timeout), check, address);
            session_lock = std::unique_lock(persistent->in_use, std::try_to_lock);
            if (!session_lock.owns_lock()) throw Exception(ErrorCodes::SESSION_IS_LOCKED, "Session " + *sid + " is locked by a concurrent client");
            session = &persistent->session;
        } else {
            own = std::make_unique<Session>(*ctx_.catalog);
            ctx_.initSession(*own, account, address, "HTTP");
            session = own.get();
        }
        session->clientInfo().address = address;
        session->clientInfo().client_name = req.get("User-Agent", "");
        // URL settings apply to this request only; a persistent session keeps its own.
        Settings saved_settings = session->settings();
        auto saved_parameters = session->queryParameters();
        // A SET keeps its changes in the session (on top of the settings before this request).
        struct Restore {
            Session* s; Settings st; std::map<std::string, std::string> p; std::optional<SettingsChanges> set_changes;
            ~Restore() {
                s->settings() = st;
                s->queryParameters() = p;
                if (set_changes)
                    for (auto& [k, v] : *set_changes) {
                        if (k.rfind("param_", 0) == 0) {
                            s->queryParameters()[k.substr(6)] = v.is<std::string>() ? v.get<std::string>() : v.toSQL();
                            continue;
                        }
                        try { s->settings().set(k, v); } catch (...) {}
                    }
            }
        } restore{session, saved_settings, saved_parameters, std::nullopt};
        bool profile_readonly = session->settings().readonly;
        for (auto& [k, v] : params) {
            if (k.rfind("param_", 0) == 0) { session->queryParameters()[k.substr(6)] = v; continue; }
            if (kReservedParams.count(k)) continue;
            if (k == "readonly" && profile_readonly && v == "0")
                throw Exception(ErrorCodes::READONLY, "Cannot modify 'readonly' setting in readonly mode");
            session->settings().set(k, Field(v));
        }
        if (req.getMethod() == Poco::Net::HTTPRequest::HTTP_GET) session->settings().readonly = true;   // as ClickHouse's readonly = 2
        if (auto db = param("database"); db && !db->empty()) session->execute("USE " + backQuote(*db));
        if (auto qid = param("query_id"); qid && !qid->empty()) session->setQueryId(*qid);

        // The statement: the `query` parameter, then the body. An INSERT whose rows follow in a
        // format that can be cut at row boundaries streams: the body is read piece by piece while
        // the rows go into the table (not bound by max_request_body_bytes, which bounds bodies
        // read whole: queries, VALUES, binary and whole-document formats).
        BodyReader body(req.stream(), toLower(req.get("Content-Encoding", "")));
        std::string text = param("query").value_or("");
        std::string head;
        body.readInto(head, 1 << 20);   // the first MiB holds any INSERT's statement
        if (!text.empty() && !head.empty()) text += "\n";
        text += head;
        if (body.total > ctx_.config.max_request_body_bytes)
            throw Exception(ErrorCodes::QUERY_IS_TOO_LARGE, "The request body is larger than max_request_body_bytes (" + std::to_string(ctx_.config.max_request_body_bytes) + ")");
        ParserLimits limits;
        // The data of an INSERT is not bound by max_query_size (only the statement before it is).
        limits.max_parser_depth = session->settings().max_parser_depth;
        auto parse = [&] {
            limits.max_query_size = std::max<uint64_t>(session->settings().max_query_size, text.size() + 1);
            return parseStatement(text, limits);
        };
        std::optional<BodyRows> streamed_rows;
        ParsedStatement stmt;
        try {
            stmt = parse();
            size_t data_from = streamedInsertData(stmt, text);
            if (data_from != std::string::npos) {
                auto* ins = stmt.ast->as<ASTInsertQuery>();
                streamed_rows.emplace(body, rowSplitFor(ins->format), text.substr(data_from), ctx_.config.max_request_body_bytes);
                ins->data.clear();
                ins->has_inline_data = false;
            }
        } catch (const Exception&) {
            // A statement cut by the first MiB (or a real error): parsed again whole below.
        }
        if (!streamed_rows) {
            readRestBounded(body, text, ctx_.config.max_request_body_bytes);
            if (text.empty()) throw Exception(ErrorCodes::SYNTAX_ERROR, "Empty query");
            stmt = parse();
        }
        if (auto* set = stmt.ast->as<ASTSetQuery>()) restore.set_changes = set->changes;

        std::string default_format = param("default_format").value_or("");
        if (default_format.empty()) default_format = session->settings().default_format.empty() ? "TabSeparated" : session->settings().default_format;
        std::string format = stmt.output.format.empty() ? default_format : stmt.output.format;

        // The response: formatted rows collect in `pending`; the headers go out when it first
        // exceeds http_response_buffer_size (then the rows stream in chunks) or when the statement
        // ends (then X-ClickHouse-Summary is final and an error can still be a 4xx/5xx).
        // wait_end_of_query = 1 holds everything until the end.
        size_t buffer_limit = 1 << 20;
        if (auto b = param("http_response_buffer_size")) buffer_limit = std::max<size_t>(1, std::strtoull(b->c_str(), nullptr, 10));
        if (param("wait_end_of_query").value_or("0") == "1") buffer_limit = SIZE_MAX;
        std::string response_encoding;
        if (param("enable_http_compression").value_or("0") == "1") {
            std::string accept = toLower(req.get("Accept-Encoding", ""));
            for (const char* e : {"zstd", "gzip", "deflate"})
                if (accept.find(e) != std::string::npos) { response_encoding = e; break; }
        }
        int level = 3;
        if (auto l = param("http_zlib_compression_level")) level = std::atoi(l->c_str());
        bool progress_header = param("send_progress_in_http_headers").value_or("0") == "1";
        bool finished = false;
        // `sink` is what the statement produced so far: begun() = it has a result set.
        auto sendHeaders = [&](const Session::Counters& counters, const FormattingSink& sink) {
            bool has_result = sink.begun();
            auto elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
            auto progress = [&](bool summary) {
                std::string j = "{\"read_rows\":\"" + std::to_string(counters.read_rows) + "\",\"read_bytes\":\"" + std::to_string(counters.read_bytes) +
                                "\",\"written_rows\":\"" + std::to_string(counters.written_rows) + "\",\"written_bytes\":\"" +
                                std::to_string(counters.written_bytes) + "\",\"total_rows_to_read\":\"" + std::to_string(counters.read_rows) + "\"";
                if (summary) j += ",\"result_rows\":\"" + std::to_string(sink.rows()) + "\",\"result_bytes\":\"" + std::to_string(sink.bytes()) + "\"";
                return j + ",\"elapsed_ns\":\"" + std::to_string(elapsed_ns) + "\"}";
            };
            resp.set("X-ClickHouse-Query-Id", query_id);
            resp.set("X-ClickHouse-Server-Display-Name", ctx_.config.display_name);
            resp.set("X-ClickHouse-Timezone", session->settings().session_timezone.empty() ? "UTC" : session->settings().session_timezone);
            if (has_result) resp.set("X-ClickHouse-Format", format);
            if (progress_header) resp.set("X-ClickHouse-Progress", progress(false));
            resp.set("X-ClickHouse-Summary", progress(true));
            if (!persistent) resp.set("Keep-Alive", "timeout=" + std::to_string(ctx_.config.keep_alive_timeout_seconds));
            resp.setContentType(has_result ? contentTypeFor(format) : "text/plain; charset=UTF-8");
            if (!response_encoding.empty()) resp.set("Content-Encoding", response_encoding);
            resp.setChunkedTransferEncoding(true);
            body_ = std::make_unique<BodyWriter>(resp.send(), response_encoding, response_encoding == "zstd" ? level : std::clamp(level, 1, 9));
        };
        std::string pending;
        auto flushPending = [&] {
            if (!pending.empty()) body_->write(pending);
            pending.clear();
        };
        FormattingSink sink(format, session->formatSettings(), [&](std::string_view text) {
            pending.append(text);
            if (pending.size() < buffer_limit) return;
            if (!body_) {
                query_id = session->lastQueryId();
                sendHeaders(finished ? session->lastCounters() : session->runningCounters(), sink);
            }
            flushPending();
        });
        StatementOutput out;
        {
            // A client that hangs up cancels its statement (a pipelined next request ends the watch).
            auto& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(req).socket();
            out = ctx_.executeWatched(*session, stmt, &sink, streamed_rows ? &*streamed_rows : nullptr, [&socket](int wake) {
                using W = ServerContext::ClientWatch;
                try {
                    if (!ServerContext::waitReadable(socket, wake, 50)) return W::Connected;
                    char b;
                    return socket.receiveBytes(&b, 1, MSG_PEEK) <= 0 ? W::Gone : W::StopWatching;
                } catch (const Poco::Exception&) {
                    return W::Gone;
                }
            });
        }
        query_id = session->lastQueryId();
        finished = true;
        OutputStatistics stats;
        stats.rows_read = out.result.rows_read;
        stats.bytes_read = out.result.bytes_read;
        stats.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        sink.finish(stats);
        if (!body_) sendHeaders(session->lastCounters(), sink);
        flushPending();
        body_->finish();
        ctx_.log.write(LogLevel::Debug, "HTTP " + address + " " + query_id + " done: " + std::to_string(sink.rows()) + " rows");
    }

    // The response body once the headers are out (an error after that is written into it).
    std::unique_ptr<BodyWriter> body_;
    ServerContext& ctx_;
};

class StaticHandler final : public Poco::Net::HTTPRequestHandler {
public:
    StaticHandler(int status, std::string content_type, std::string body) : status_(status), type_(std::move(content_type)), body_(std::move(body)) {}
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& resp) override {
        resp.setStatusAndReason(Poco::Net::HTTPResponse::HTTPStatus(status_));
        resp.setContentType(type_);
        resp.setContentLength(std::streamsize(body_.size()));
        resp.send() << body_;
    }
private:
    int status_;
    std::string type_, body_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(ServerContext& ctx) : ctx_(ctx) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& req) override {
        std::string path;
        bool has_query = false;
        try {
            Poco::URI uri(req.getURI());
            path = uri.getPath();
            for (auto& [k, v] : uri.getQueryParameters()) has_query = has_query || k == "query";
        } catch (const Poco::Exception&) {
            return new StaticHandler(400, "text/plain; charset=UTF-8", "Cannot parse the request URI\n");
        }
        const std::string& method = req.getMethod();
        if (path == "/ping" && (method == "GET" || method == "HEAD")) return new StaticHandler(200, "text/html; charset=UTF-8", "Ok.\n");
        if (path == "/replicas_status") return new StaticHandler(200, "text/plain; charset=UTF-8", "Ok.\n");
        if (path == "/play") return new StaticHandler(200, "text/html; charset=UTF-8", kPlayPage);
        if (path == "/" || path.empty()) {
            if (method == "GET" && !has_query) return new StaticHandler(200, "text/html; charset=UTF-8", "Ok.\n");
            if (method == "GET" || method == "POST") return new QueryHandler(ctx_);
            if (method == "OPTIONS") return new StaticHandler(204, "text/plain", "");
            return new StaticHandler(405, "text/plain; charset=UTF-8", "Method not allowed\n");
        }
        return new StaticHandler(404, "text/plain; charset=UTF-8", "There is no handle " + path + "\n\nUse / or /ping for health checks.\n");
    }
private:
    ServerContext& ctx_;
};

// /play: type a query, see the result as a table and as a line or bar chart of its numeric columns.
const char* kPlayPage = R"HTML(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>basalt play</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;background:#fafafa;color:#222}
textarea{width:100%;height:8em;font-family:monospace;font-size:14px}
table{border-collapse:collapse;margin-top:1em;font-family:monospace;font-size:13px}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}
#err{color:#b00;white-space:pre-wrap;font-family:monospace}#stat{color:#666;margin-left:1em}
svg{background:#fff;border:1px solid #ccc;margin-top:1em}
</style></head><body>
<h3>basalt</h3>
<textarea id="q">SELECT number AS x, intDiv(number * number, 7) AS y FROM numbers(20)</textarea><br>
<input id="user" placeholder="user" value="default"> <input id="password" type="password" placeholder="password">
<button id="run">Run (Ctrl+Enter)</button>
<select id="chart"><option value="none">table only</option><option value="line">line chart</option><option value="bar">bar chart</option></select>
<span id="stat"></span>
<div id="err"></div><div id="out"></div><div id="plot"></div>
<script>
const $ = id => document.getElementById(id);
async function run() {
  $('err').textContent = ''; $('out').innerHTML = ''; $('plot').innerHTML = '';
  const t0 = performance.now();
  const r = await fetch('/?default_format=JSONCompact', {method: 'POST', body: $('q').value,
    headers: {'X-ClickHouse-User': $('user').value, 'X-ClickHouse-Key': $('password').value}});
  const text = await r.text();
  if (!r.ok) { $('err').textContent = text; return; }
  $('stat').textContent = ((performance.now() - t0) / 1000).toFixed(3) + ' s';
  if (!text.trim()) { $('out').textContent = 'Ok.'; return; }
  let data; try { data = JSON.parse(text); } catch (e) { $('out').textContent = text; return; }
  const tbl = document.createElement('table');
  const head = tbl.insertRow();
  data.meta.forEach(m => { const th = document.createElement('th'); th.textContent = m.name; th.title = m.type; head.appendChild(th); });
  data.data.forEach(row => { const tr = tbl.insertRow(); row.forEach(v => tr.insertCell().textContent = typeof v === 'object' ? JSON.stringify(v) : v); });
  $('out').appendChild(tbl);
  if ($('chart').value !== 'none') plot(data, $('chart').value);
}
function plot(data, kind) {
  const numeric = data.meta.map((m, i) => /Int|Float|Decimal/.test(m.type) ? i : -1).filter(i => i >= 0);
  const ys = numeric.filter(i => i !== 0);
  if (!ys.length || !data.data.length) return;
  const W = 720, H = 300, P = 40, n = data.data.length;
  const vals = data.data.flatMap(r => ys.map(i => Number(r[i])));
  const lo = Math.min(0, ...vals), hi = Math.max(...vals) || 1;
  const sx = i => P + (W - 2 * P) * (n === 1 ? 0.5 : i / (n - 1)), sy = v => H - P - (H - 2 * P) * (v - lo) / (hi - lo || 1);
  const colors = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099'];
  let svg = `<svg width="${W}" height="${H}"><line x1="${P}" y1="${sy(lo)}" x2="${W - P}" y2="${sy(lo)}" stroke="#999"/>`;
  svg += `<text x="4" y="${P}" font-size="11">${hi}</text><text x="4" y="${H - P}" font-size="11">${lo}</text>`;
  ys.forEach((col, k) => {
    const c = colors[k % colors.length];
    if (kind === 'line') {
      svg += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${data.data.map((r, i) => sx(i) + ',' + sy(Number(r[col]))).join(' ')}"/>`;
    } else {
      const bw = Math.max(1, (W - 2 * P) / n / ys.length - 1);
      data.data.forEach((r, i) => { const x = P + (W - 2 * P) * i / n + k * bw, y = sy(Number(r[col]));
        svg += `<rect x="${x}" y="${Math.min(y, sy(lo))}" width="${bw}" height="${Math.abs(sy(lo) - y)}" fill="${c}"/>`; });
    }
    svg += `<text x="${W - P + 4}" y="${P + 14 * k}" font-size="11" fill="${c}">${data.meta[col].name}</text>`;
  });
  $('plot').innerHTML = svg + '</svg>';
}
$('run').onclick = run;
$('q').addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(); });
</script></body></html>
)HTML";

}  // namespace

Poco::Net::HTTPRequestHandlerFactory* makeHttpHandlerFactory(ServerContext& ctx) { return new HandlerFactory(ctx); }

}  // namespace basalt
