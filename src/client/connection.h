// connection.h — the client end of one native-protocol connection (NativeConnection): handshake,
// sending a query (with settings), receiving its packets, streaming INSERT blocks, cancel.
// Used by `basalt client` (client.cpp) and by servers talking to each other (Distributed tables,
// remote()/cluster() table functions in src/cluster/).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "columns/block.h"
#include "protocol/native_protocol.h"

namespace Poco::Net { class StreamSocket; }

namespace basalt {

class NativeConnection {
public:
    struct Options {
        std::string host = "localhost", user = "default", password, database;
        uint16_t port = 9000;
        bool compression = false;
        std::string client_name = "basalt client";
        double connect_timeout_seconds = 10;
        double receive_timeout_seconds = 0;   // 0: wait forever (interactive client)
        double send_timeout_seconds = 0;
    };

    // Connects and shakes hands. Connection failures are NETWORK_ERROR (210) / SOCKET_TIMEOUT
    // (209); a server refusing the credentials throws its exception (516).
    explicit NativeConnection(const Options& o);
    ~NativeConnection();
    NativeConnection(const NativeConnection&) = delete;
    NativeConnection& operator=(const NativeConnection&) = delete;

    const Options& options() const { return options_; }
    std::string address() const { return options_.host + ":" + std::to_string(options_.port); }
    std::string serverVersion() const;
    const std::string& displayName() const { return display_name_; }
    uint64_t revision() const { return revision_; }

    using SettingsList = std::vector<std::pair<std::string, std::string>>;
    // Temporary tables sent with a query (GLOBAL IN subquery results): name → blocks (the first
    // may have zero rows: it still carries the structure).
    using ExternalTables = std::vector<std::pair<std::string, std::vector<Block>>>;
    // Sends a Query packet, the external tables and the empty block that ends them.
    void sendQuery(const std::string& text, const SettingsList& settings = {}, const std::string& query_id = "",
                   const ExternalTables& external = {});

    struct Packet {
        enum Kind { Data, Totals, Extremes, Progress, EndOfStream, Other } kind = Other;
        Block block;
        native::Progress progress;
    };
    // The next packet of the running query. Server exceptions are thrown as basalt Exceptions with
    // the server's code. An empty Data block (no columns) ends the data of an INSERT header.
    Packet receivePacket();
    // Whether a packet can be read without blocking, waiting at most `seconds`.
    bool poll(double seconds);
    void sendCancel();
    // One Data packet for a running INSERT (an empty Block ends the data).
    void sendData(const Block& block);

    // Runs `insert_text` (an INSERT without inline data), streams `blocks`, waits for EndOfStream.
    void insert(const std::string& insert_text, const std::vector<Block>& blocks, const SettingsList& settings = {});
    // Runs a statement to completion and returns its result blocks (header first when
    // `with_header`: a zero-row block naming the columns, also when the result is empty).
    std::vector<Block> execute(const std::string& text, const SettingsList& settings = {}, bool with_header = false,
                               const ExternalTables& external = {});

private:
    Options options_;
    std::unique_ptr<Poco::Net::StreamSocket> socket_;
    std::unique_ptr<native::SocketIn> in_;
    std::string server_name_, timezone_, display_name_;
    uint64_t major_ = 0, minor_ = 0, patch_ = 0, revision_ = 0;
};

}  // namespace basalt
