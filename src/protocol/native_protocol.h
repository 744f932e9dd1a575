// native_protocol.h — the pieces of ClickHouse's native TCP protocol that both ends share (the
// server's tcp_handler and `basalt client`): packet numbers, the protocol revisions that gate
// fields, primitive encodings, Data packets with optional block compression, and a buffered
// reader over a socket.
//
// basalt speaks revision 54453 (clickhouse-driver's; current clickhouse-client settles on it when
// the server advertises it): no Hello addendum, no chunked framing, no custom-serialization byte,
// Progress with five fields.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "columns/block.h"
#include "formats/native.h"
#include "storage/mergetree/serialization.h"

namespace Poco::Net { class StreamSocket; }

namespace basalt::native {

constexpr uint64_t kRevision = 54453;
constexpr uint64_t kRevisionWithTotalRowsInProgress = 51554;
constexpr uint64_t kRevisionWithClientInfo = 54032;
constexpr uint64_t kRevisionWithServerTimezone = 54058;
constexpr uint64_t kRevisionWithQuotaKeyInClientInfo = 54060;
constexpr uint64_t kRevisionWithServerDisplayName = 54372;
constexpr uint64_t kRevisionWithVersionPatch = 54401;
constexpr uint64_t kRevisionWithClientWriteInfo = 54420;
constexpr uint64_t kRevisionWithSettingsAsStrings = 54429;
constexpr uint64_t kRevisionWithInterserverSecret = 54441;
constexpr uint64_t kRevisionWithOpenTelemetry = 54442;
constexpr uint64_t kRevisionWithXForwardedFor = 54443;
constexpr uint64_t kRevisionWithReferer = 54447;
constexpr uint64_t kRevisionWithDistributedDepth = 54448;
constexpr uint64_t kRevisionWithInitialQueryStartTime = 54449;
constexpr uint64_t kRevisionWithParallelReplicas = 54453;

namespace Client {
enum : uint64_t { Hello = 0, Query = 1, Data = 2, Cancel = 3, Ping = 4, TablesStatusRequest = 5 };
}
namespace Server {
enum : uint64_t { Hello = 0, Data = 1, Exception = 2, Progress = 3, Pong = 4, EndOfStream = 5, ProfileInfo = 6, Totals = 7, Extremes = 8,
                  TablesStatusResponse = 9, Log = 10, TableColumns = 11, ProfileEvents = 14 };
}

constexpr size_t kMaxHeaderString = 1 << 20;   // names, ids, settings in packets
constexpr size_t kMaxQueryText = 256 << 20;

inline void writeString(std::string_view s, std::string& out) { writeStringBinary(s, out); }
template <typename T> void writePod(T v, std::string& out) { out.append(reinterpret_cast<const char*>(&v), sizeof(T)); }

// TOO_LARGE_STRING_SIZE (131) past `max`.
inline std::string readString(InStream& in, size_t max = kMaxHeaderString) { return in.readStringBinary(max); }
template <typename T> T readPod(InStream& in) {
    T v{};
    in.readStrict(reinterpret_cast<char*>(&v), sizeof(T));
    return v;
}

// Appends a Data-shaped packet (Data, Totals, Extremes): type, table name (an external table's, sent
// by a client; else empty), block — the block as
// compressed frames (LZ4, or ZSTD) when `compression`.
void writeDataPacket(uint64_t type, const Block& block, bool compression, bool zstd, std::string& out, std::string_view table_name = "");
// Reads the rest of a Data-shaped packet (after its type): table name (into *table_name when
// given: an external table's), block.
Block readDataPacketBody(InStream& in, bool compression, std::string* table_name = nullptr);

// The client's Hello (after its packet type): name, version, revision, database, credentials.
// `revision` is already capped at kRevision; too old a client is UNEXPECTED_PACKET_FROM_CLIENT.
struct ClientHello {
    std::string client_name, database, user, password;
    uint64_t revision = 0;
};
ClientHello readClientHello(InStream& in);
// Appends a Hello packet (type included) announcing kRevision.
void writeClientHello(const ClientHello& hello, std::string& out);

// A Query packet (after its type): id, ClientInfo (only the TCP client's names kept), settings as
// text, interserver secret, stage, compression flag, text. Sizes bounded (131); at most 10000
// settings.
struct QueryPacket {
    std::string id, text;
    std::vector<std::pair<std::string, std::string>> settings;
    bool compression = false;
    std::string client_name, os_user, client_hostname;   // ClientInfo of a TCP client
};
QueryPacket readQueryPacket(InStream& in, uint64_t revision);
// Appends a Query packet (type included) for a server at `revision`: an initial query from a TCP
// client, stage Complete. The external-table data that must follow is the caller's.
void writeQueryPacket(const QueryPacket& q, uint64_t revision, std::string& out);

// Progress: read rows/bytes, total rows, written rows/bytes (deltas).
struct Progress {
    uint64_t read_rows = 0, read_bytes = 0, total_rows = 0, written_rows = 0, written_bytes = 0;
};
void writeProgress(const Progress& p, uint64_t revision, std::string& out);
Progress readProgress(InStream& in, uint64_t revision);

// Exception packet body: code, name, message ("DB::Exception: ..."), stack trace, nested flag.
void writeException(int code, const std::string& display_text, std::string& out);
// Reads an Exception body into a basalt Exception carrying the server's code and message.
[[noreturn]] void readAndThrowException(InStream& in);

// Bytes from a socket through a 64 KiB buffer. Timeouts become SOCKET_TIMEOUT (209), socket
// errors NETWORK_ERROR (210); nextBuffer() is false at EOF.
class SocketIn final : public InStream {
public:
    explicit SocketIn(Poco::Net::StreamSocket& s);
    bool nextBuffer() override;
    bool buffered() const { return pos < end; }

private:
    Poco::Net::StreamSocket& socket_;
    std::vector<char> buf_;
};

// Writes all of `data` to the socket (NETWORK_ERROR when it cannot) and clears it.
void sendAll(Poco::Net::StreamSocket& s, std::string& data);

// ClickHouse compressed frames from `raw`, decompressed on demand (checksum verified).
class CompressedIn final : public InStream {
public:
    explicit CompressedIn(InStream& raw) : raw_(raw) {}
    bool nextBuffer() override;
    bool exhausted() const { return pos == end; }

private:
    InStream& raw_;
    std::string frame_, data_;
};

}  // namespace basalt::native
