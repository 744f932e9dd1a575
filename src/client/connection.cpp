// connection.cpp — NativeConnection (see connection.h).
#include "client/connection.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "common/exception.h"

namespace basalt {

using namespace native;

namespace {
Poco::Timespan timespan(double seconds) {
    return Poco::Timespan(Poco::Timespan::TimeDiff(seconds * 1e6));
}
}  // namespace

NativeConnection::NativeConnection(const Options& o) : options_(o), socket_(std::make_unique<Poco::Net::StreamSocket>()) {
    try {
        socket_->connect(Poco::Net::SocketAddress(o.host, o.port), timespan(o.connect_timeout_seconds));
    } catch (const Poco::TimeoutException& e) {
        throw Exception(ErrorCodes::SOCKET_TIMEOUT, "Timeout connecting to " + address() + ": " + e.displayText());
    } catch (const Poco::Exception& e) {
        throw Exception(ErrorCodes::NETWORK_ERROR, "Connection refused (" + address() + "): " + e.displayText());
    }
    socket_->setNoDelay(true);
    if (o.receive_timeout_seconds > 0) socket_->setReceiveTimeout(timespan(o.receive_timeout_seconds));
    if (o.send_timeout_seconds > 0) socket_->setSendTimeout(timespan(o.send_timeout_seconds));
    in_ = std::make_unique<SocketIn>(*socket_);
    std::string out;
    writeClientHello({o.client_name, o.database, o.user, o.password, kRevision}, out);
    sendAll(*socket_, out);
    uint64_t type = in_->readVarUInt();
    if (type == Server::Exception) readAndThrowException(*in_);
    if (type != Server::Hello) throw Exception(ErrorCodes::UNEXPECTED_PACKET_FROM_CLIENT, "Unexpected packet from server " + address() + " during the handshake");
    server_name_ = readString(*in_);
    major_ = in_->readVarUInt();
    minor_ = in_->readVarUInt();
    revision_ = std::min<uint64_t>(in_->readVarUInt(), kRevision);
    if (revision_ >= kRevisionWithServerTimezone) timezone_ = readString(*in_);
    if (revision_ >= kRevisionWithServerDisplayName) display_name_ = readString(*in_);
    if (revision_ >= kRevisionWithVersionPatch) patch_ = in_->readVarUInt();
}

NativeConnection::~NativeConnection() {
    in_.reset();
    try { socket_->close(); } catch (...) {}
}

std::string NativeConnection::serverVersion() const {
    return std::to_string(major_) + "." + std::to_string(minor_) + "." + std::to_string(patch_);
}

void NativeConnection::sendQuery(const std::string& text, const SettingsList& settings, const std::string& query_id, const ExternalTables& external) {
    std::string out;
    QueryPacket q;
    q.id = query_id;   // empty: the server makes one
    q.text = text;
    q.settings = settings;
    q.compression = options_.compression;
    q.client_name = options_.client_name;
    const char* os_user = std::getenv("USER");
    q.os_user = os_user ? os_user : "";
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    q.client_hostname = host;
    writeQueryPacket(q, revision_, out);
    for (auto& [name, blocks] : external)
        for (size_t i = 0; i < blocks.size(); ++i) {
            if (i && !blocks[i].rows()) continue;   // the first block carries the structure
            writeDataPacket(Client::Data, blocks[i], options_.compression, false, out, name);
            if (out.size() > (size_t(1) << 20)) sendAll(*socket_, out);
        }
    writeDataPacket(Client::Data, Block(), options_.compression, false, out);   // end of external tables
    sendAll(*socket_, out);
}

bool NativeConnection::poll(double seconds) {
    if (in_->buffered()) return true;
    return socket_->poll(timespan(seconds), Poco::Net::Socket::SELECT_READ);
}

void NativeConnection::sendCancel() {
    std::string c;
    writeVarUInt(Client::Cancel, c);
    sendAll(*socket_, c);
}

void NativeConnection::sendData(const Block& block) {
    std::string out;
    writeDataPacket(Client::Data, block, options_.compression, false, out);
    sendAll(*socket_, out);
}

NativeConnection::Packet NativeConnection::receivePacket() {
    while (true) {
        uint64_t type = in_->readVarUInt();
        Packet p;
        switch (type) {
            case Server::Data: case Server::Totals: case Server::Extremes:
                p.kind = type == Server::Data ? Packet::Data : type == Server::Totals ? Packet::Totals : Packet::Extremes;
                p.block = readDataPacketBody(*in_, options_.compression);
                return p;
            case Server::Progress:
                p.kind = Packet::Progress;
                p.progress = readProgress(*in_, revision_);
                return p;
            case Server::Exception: readAndThrowException(*in_);
            case Server::EndOfStream: p.kind = Packet::EndOfStream; return p;
            case Server::ProfileInfo:
                in_->readVarUInt(); in_->readVarUInt(); in_->readVarUInt(); readPod<uint8_t>(*in_); in_->readVarUInt(); readPod<uint8_t>(*in_);
                continue;
            case Server::Log: case Server::ProfileEvents:
                readDataPacketBody(*in_, false);
                continue;
            case Server::TableColumns:
                readString(*in_); readString(*in_);
                continue;
            case Server::Pong: continue;
            default:
                throw Exception(ErrorCodes::UNKNOWN_PACKET_FROM_SERVER, "Unknown packet " + std::to_string(type) + " from server " + address());
        }
    }
}

void NativeConnection::insert(const std::string& insert_text, const std::vector<Block>& blocks, const SettingsList& settings) {
    sendQuery(insert_text, settings);
    // The server answers with the table's header (a Data packet) before taking rows.
    while (true) {
        Packet p = receivePacket();
        if (p.kind == Packet::Data) break;
        if (p.kind == Packet::EndOfStream) throw Exception(ErrorCodes::UNKNOWN_PACKET_FROM_SERVER, "Server " + address() + " ended the INSERT before taking data");
    }
    for (auto& b : blocks)
        if (b.rows()) sendData(b);
    sendData(Block());
    while (receivePacket().kind != Packet::EndOfStream) {}
}

std::vector<Block> NativeConnection::execute(const std::string& text, const SettingsList& settings, bool with_header, const ExternalTables& external) {
    sendQuery(text, settings, "", external);
    std::vector<Block> out;
    bool got_header = false;
    while (true) {
        Packet p = receivePacket();
        if (p.kind == Packet::EndOfStream) return out;
        if (p.kind != Packet::Data || (!p.block.columns() && !p.block.rows())) continue;
        if (!got_header) {
            got_header = true;
            if (with_header) out.push_back(p.block.cloneEmpty());
        }
        if (p.block.rows()) out.push_back(std::move(p.block));
    }
}

}  // namespace basalt
