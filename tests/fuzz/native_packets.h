// native_packets.h — the native-protocol packet reader under hostile bytes, shared by the libFuzzer
// target (fuzz_native.cpp) and the seeded mutation test in tests/unit/robustness_test.cpp.
//
// The input is a client's side of a conversation: one flag byte (bit 0: Data packets compressed),
// then packets as the server's tcp_handler reads them — Hello, Query (its compression flag then
// applies to Data), Data (external-table name + Native block, in ClickHouse compressed frames when
// compressed), Ping, Cancel, TablesStatusRequest. Every decoded block is written back and read
// again, and must come back with the same shape. basalt::Exception is the expected end of most
// inputs; anything else (crash, sanitizer report, std::exception, a changed block) is a bug.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/exception.h"
#include "interpreter/interpreter.h"
#include "protocol/native_protocol.h"
#include "storage/catalog.h"

namespace basalt::fuzz {

inline void parseClientPackets(const uint8_t* data, size_t size) {
    using namespace native;
    if (size == 0) return;
    bool compression = data[0] & 1;
    uint64_t revision = kRevision;
    MemoryInStream in(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        while (in.pos < in.end) {
            switch (in.readVarUInt()) {
                case Client::Hello: revision = readClientHello(in).revision; break;
                case Client::Query: compression = readQueryPacket(in, revision).compression; break;
                case Client::Data: {
                    Block block = readDataPacketBody(in, compression);
                    std::string again;
                    writeDataPacket(Server::Data, block, compression, false, again);
                    MemoryInStream back(again.data(), again.size());
                    back.readVarUInt();
                    Block copy = readDataPacketBody(back, compression);
                    if (copy.rows() != block.rows() || copy.columns() != block.columns() || back.pos != back.end)
                        throw std::logic_error("a decoded Native block does not survive a round trip: " + std::to_string(block.rows()) + "x" + std::to_string(block.columns()) + " -> " + std::to_string(copy.rows()) + "x" + std::to_string(copy.columns()) + " rest " + std::to_string(back.end - back.pos) + " types " + [&] { std::string t; for (auto& c : block.data()) t += c.type->name() + "/" + std::to_string(c.column->size()) + ","; return t; }());
                    break;
                }
                case Client::Ping:
                case Client::Cancel: break;
                case Client::TablesStatusRequest: {
                    uint64_t n = in.readVarUInt();
                    if (n > 100000) return;
                    for (uint64_t i = 0; i < 2 * n; ++i) readString(in);
                    break;
                }
                default: return;   // the server closes the connection on an unknown packet
            }
        }
    } catch (const Exception&) {
    }
}

// Valid conversations to start from: Hello, Query, Data blocks of many types (plain and in LZ4
// and ZSTD frames), the empty end-of-data block, Ping, TablesStatusRequest.
inline std::vector<std::string> seedConversations() {
    using namespace native;
    auto catalog = openCatalog("");
    Session session(*catalog);
    auto out = session.execute(
        "SELECT number, toString(number) AS s, [number, 1] AS a, if(number % 2, NULL, number) AS n, toLowCardinality(toString(number % 3)) AS lc, "
        "(number, 'x') AS t, map('k', number) AS m, toDateTime(number) AS d, toDecimal64(number, 2) AS dec, toUUID('00000000-0000-0000-0000-000000000001') AS u "
        "FROM numbers(5)");
    Block block = out.result.blocks.at(0);
    std::vector<std::string> seeds;
    for (int mode = 0; mode < 3; ++mode) {
        bool compression = mode > 0;
        std::string c(1, char(compression ? 1 : 0));
        writeClientHello({"fuzz", "default", "default", "", kRevision}, c);
        QueryPacket q;
        q.id = "query-id";
        q.text = "INSERT INTO t VALUES";
        q.settings = {{"max_block_size", "1000"}};
        q.compression = compression;
        q.client_name = "fuzz";
        q.os_user = "os";
        q.client_hostname = "host";
        writeQueryPacket(q, kRevision, c);
        writeDataPacket(Client::Data, block, compression, mode == 2, c);
        writeDataPacket(Client::Data, Block(), compression, mode == 2, c);
        writeVarUInt(Client::Ping, c);
        writeVarUInt(Client::TablesStatusRequest, c);
        writeVarUInt(1, c);
        writeStringBinary("default", c);
        writeStringBinary("t", c);
        seeds.push_back(std::move(c));
    }
    return seeds;
}

}  // namespace basalt::fuzz
