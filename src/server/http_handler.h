// http_handler.h — ClickHouse's HTTP interface: GET/POST /?query=..., data in the body, settings and
// {name:Type} parameters as URL parameters, sessions, credentials, response compression, errors as
// HTTP statuses with X-ClickHouse-Exception-Code; /ping, /play (see http_handler.cpp).
#pragma once

namespace Poco::Net { class HTTPRequestHandlerFactory; }

namespace basalt {

class ServerContext;

Poco::Net::HTTPRequestHandlerFactory* makeHttpHandlerFactory(ServerContext& ctx);

}  // namespace basalt
