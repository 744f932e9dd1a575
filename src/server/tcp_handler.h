// tcp_handler.h — ClickHouse's native TCP protocol, server side (see tcp_handler.cpp): handshake,
// Query / Data / Cancel / Ping packets, Native blocks, optional LZ4/ZSTD block compression.
#pragma once

namespace Poco::Net { class TCPServerConnectionFactory; }

namespace basalt {

class ServerContext;

Poco::Net::TCPServerConnectionFactory* makeTcpHandlerFactory(ServerContext& ctx);

}  // namespace basalt
