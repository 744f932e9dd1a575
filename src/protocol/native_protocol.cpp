// native_protocol.cpp — shared native-protocol encodings (see native_protocol.h).
#include "protocol/native_protocol.h"

#include <Poco/Net/StreamSocket.h>

#include <chrono>

#include "common/exception.h"
#include "compression/compressed_block.h"
#include "formats/native.h"

namespace basalt::native {

void writeDataPacket(uint64_t type, const Block& block, bool compression, bool zstd, std::string& out, std::string_view table_name) {
    writeVarUInt(type, out);
    writeString(table_name, out);
    if (!compression) {
        writeNativeBlock(block, out, true);
        return;
    }
    std::string raw;
    writeNativeBlock(block, raw, true);
    static const auto lz4_codec = makeLZ4Codec();
    static const auto zstd_codec = makeZSTDCodec(1);
    const ICompressionCodec& codec = zstd ? *zstd_codec : *lz4_codec;
    // Frames of at most 1 MiB, as clickhouse-client cuts them.
    constexpr size_t kFrame = 1 << 20;
    size_t off = 0;
    do {
        size_t n = std::min(kFrame, raw.size() - off);
        compressBlock(codec, raw.data() + off, n, out);
        off += n;
    } while (off < raw.size());
}

Block readDataPacketBody(InStream& in, bool compression, std::string* table_name) {
    std::string name = readString(in);   // external table name
    if (table_name) *table_name = std::move(name);
    if (!compression) return readNativeBlock(in, true);
    CompressedIn cin(in);
    Block b = readNativeBlock(cin, true);
    if (!cin.exhausted()) throw Exception(ErrorCodes::INCORRECT_DATA, "A compressed frame holds more than one block");
    return b;
}

ClientHello readClientHello(InStream& in) {
    ClientHello h;
    h.client_name = readString(in);
    in.readVarUInt();   // major
    in.readVarUInt();   // minor
    h.revision = std::min<uint64_t>(in.readVarUInt(), kRevision);
    if (h.revision < kRevisionWithSettingsAsStrings)
        throw Exception(ErrorCodes::UNEXPECTED_PACKET_FROM_CLIENT, "Client protocol revision " + std::to_string(h.revision) + " is too old");
    h.database = readString(in);
    h.user = readString(in);
    h.password = readString(in);
    if (h.user.empty()) throw Exception(ErrorCodes::UNEXPECTED_PACKET_FROM_CLIENT, "Unexpected packet from client (no user in Hello package)");
    return h;
}

QueryPacket readQueryPacket(InStream& in, uint64_t revision) {
    QueryPacket p;
    p.id = readString(in);
    if (revision >= kRevisionWithClientInfo) {
        uint8_t kind = readPod<uint8_t>(in);
        if (kind != 0) {
            readString(in);   // initial_user
            readString(in);   // initial_query_id
            readString(in);   // initial_address
            if (revision >= kRevisionWithInitialQueryStartTime) readPod<uint64_t>(in);
            uint8_t iface = readPod<uint8_t>(in);
            if (iface == 1) {   // TCP
                p.os_user = readString(in);
                p.client_hostname = readString(in);
                p.client_name = readString(in);
                in.readVarUInt(); in.readVarUInt(); in.readVarUInt();
            } else if (iface == 2) {   // HTTP
                readPod<uint8_t>(in);
                readString(in);
                if (revision >= kRevisionWithXForwardedFor) readString(in);
                if (revision >= kRevisionWithReferer) readString(in);
            }
            if (revision >= kRevisionWithQuotaKeyInClientInfo) readString(in);
            if (revision >= kRevisionWithDistributedDepth) in.readVarUInt();
            if (iface == 1 && revision >= kRevisionWithVersionPatch) in.readVarUInt();
            if (revision >= kRevisionWithOpenTelemetry) {
                if (readPod<uint8_t>(in)) {
                    char trace[24];
                    in.readStrict(trace, 24);
                    readString(in);
                    readPod<uint8_t>(in);
                }
            }
            if (revision >= kRevisionWithParallelReplicas) { in.readVarUInt(); in.readVarUInt(); in.readVarUInt(); }
        }
    }
    // Settings: name, flags, value (text) until an empty name.
    while (true) {
        std::string name = readString(in);
        if (name.empty()) break;
        in.readVarUInt();   // flags
        p.settings.emplace_back(std::move(name), readString(in));
        if (p.settings.size() > 10000) throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "Too many settings in a Query packet");
    }
    if (revision >= kRevisionWithInterserverSecret) readString(in);
    in.readVarUInt();   // stage: always Complete from clients
    p.compression = in.readVarUInt() != 0;
    p.text = readString(in, kMaxQueryText);
    return p;
}

void writeClientHello(const ClientHello& hello, std::string& out) {
    writeVarUInt(Client::Hello, out);
    writeString(hello.client_name, out);
    writeVarUInt(24, out);   // version 24.8, as the server announces
    writeVarUInt(8, out);
    writeVarUInt(kRevision, out);
    writeString(hello.database, out);
    writeString(hello.user, out);
    writeString(hello.password, out);
}

void writeQueryPacket(const QueryPacket& q, uint64_t revision, std::string& out) {
    writeVarUInt(Client::Query, out);
    writeString(q.id, out);
    if (revision >= kRevisionWithClientInfo) {
        out.push_back(1);   // initial query
        writeString("", out);            // initial user
        writeString("", out);            // initial query id
        writeString("0.0.0.0:0", out);   // initial address
        if (revision >= kRevisionWithInitialQueryStartTime)
            writePod<uint64_t>(uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count()),
                               out);
        out.push_back(1);   // interface TCP
        writeString(q.os_user, out);
        writeString(q.client_hostname, out);
        writeString(q.client_name, out);
        writeVarUInt(24, out);
        writeVarUInt(8, out);
        writeVarUInt(kRevision, out);
        if (revision >= kRevisionWithQuotaKeyInClientInfo) writeString("", out);
        if (revision >= kRevisionWithDistributedDepth) writeVarUInt(0, out);
        if (revision >= kRevisionWithVersionPatch) writeVarUInt(0, out);
        if (revision >= kRevisionWithOpenTelemetry) out.push_back(0);
        if (revision >= kRevisionWithParallelReplicas) { writeVarUInt(0, out); writeVarUInt(0, out); writeVarUInt(0, out); }
    }
    for (auto& [name, value] : q.settings) {
        writeString(name, out);
        writeVarUInt(0, out);   // flags
        writeString(value, out);
    }
    writeString("", out);   // end of settings
    if (revision >= kRevisionWithInterserverSecret) writeString("", out);
    writeVarUInt(2, out);   // stage Complete
    writeVarUInt(q.compression ? 1 : 0, out);
    writeString(q.text, out);
}

void writeProgress(const Progress& p, uint64_t revision, std::string& out) {
    writeVarUInt(Server::Progress, out);
    writeVarUInt(p.read_rows, out);
    writeVarUInt(p.read_bytes, out);
    if (revision >= kRevisionWithTotalRowsInProgress) writeVarUInt(p.total_rows, out);
    if (revision >= kRevisionWithClientWriteInfo) {
        writeVarUInt(p.written_rows, out);
        writeVarUInt(p.written_bytes, out);
    }
}

Progress readProgress(InStream& in, uint64_t revision) {
    Progress p;
    p.read_rows = in.readVarUInt();
    p.read_bytes = in.readVarUInt();
    if (revision >= kRevisionWithTotalRowsInProgress) p.total_rows = in.readVarUInt();
    if (revision >= kRevisionWithClientWriteInfo) {
        p.written_rows = in.readVarUInt();
        p.written_bytes = in.readVarUInt();
    }
    return p;
}

void writeException(int code, const std::string& display_text, std::string& out) {
    // "Code: N. DB::Exception: ..." → the message as ClickHouse sends it ("DB::Exception: ...").
    size_t p = display_text.find("DB::Exception: ");
    std::string message = p == std::string::npos ? display_text : display_text.substr(p);
    writeVarUInt(Server::Exception, out);
    writePod<int32_t>(code, out);
    writeString("DB::Exception", out);
    writeString(message, out);
    writeString("", out);
    out.push_back(0);   // has_nested
}

void readAndThrowException(InStream& in) {
    int32_t code = readPod<int32_t>(in);
    readString(in);   // name
    std::string message = readString(in);
    readString(in);   // stack trace
    bool nested = readPod<uint8_t>(in) != 0;
    // Only the outermost exception is shown; nested ones are read to keep the stream in sync.
    while (nested) {
        readPod<int32_t>(in);
        readString(in);
        readString(in);
        readString(in);
        nested = readPod<uint8_t>(in) != 0;
    }
    const std::string prefix = "DB::Exception: ";
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    // The message already ends with "(NAME)" when it came from basalt or ClickHouse.
    size_t paren = message.rfind(" (");
    if (paren != std::string::npos && message.back() == ')') message = message.substr(0, paren);
    throw Exception(code, message);
}

SocketIn::SocketIn(Poco::Net::StreamSocket& s) : socket_(s), buf_(1 << 16) {}

bool SocketIn::nextBuffer() {
    int n = 0;
    try {
        n = socket_.receiveBytes(buf_.data(), int(buf_.size()));
    } catch (const Poco::TimeoutException&) {
        throw Exception(ErrorCodes::SOCKET_TIMEOUT, "Timeout while reading from the socket");
    } catch (const Poco::Exception& e) {
        throw Exception(ErrorCodes::NETWORK_ERROR, "Cannot read from the socket: " + e.displayText());
    }
    if (n <= 0) return false;
    pos = buf_.data();
    end = pos + n;
    return true;
}

void sendAll(Poco::Net::StreamSocket& s, std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
        int n = 0;
        try {
            n = s.sendBytes(data.data() + sent, int(std::min<size_t>(data.size() - sent, 1 << 20)));
        } catch (const Poco::Exception& e) {
            throw Exception(ErrorCodes::NETWORK_ERROR, "Cannot write to the socket: " + e.displayText());
        }
        if (n <= 0) throw Exception(ErrorCodes::NETWORK_ERROR, "Cannot write to the socket: connection closed");
        sent += size_t(n);
    }
    data.clear();
}

bool CompressedIn::nextBuffer() {
    frame_.resize(kCompressedBlockHeaderSize);
    raw_.readStrict(frame_.data(), kCompressedBlockHeaderSize);
    CompressedBlockHeader h = parseCompressedBlockHeader(frame_.data());
    checkDecodedSizePlausible(h);
    frame_.resize(h.totalSize());
    raw_.readStrict(frame_.data() + kCompressedBlockHeaderSize, h.totalSize() - kCompressedBlockHeaderSize);
    verifyBlockChecksum(frame_.data(), h);
    data_.resize(h.uncompressed_size);
    decompressBlockInto(frame_.data(), h, data_.data());
    pos = data_.data();
    end = pos + data_.size();
    return true;
}

}  // namespace basalt::native
