// sha256.h — SHA-256 as lower-case hex (OpenSSL): how passwords are stored and compared (config
// users, CREATE USER) — the plain text is never kept.
#pragma once
#include <string>
#include <string_view>

namespace basalt {

std::string sha256Hex(std::string_view data);
// Whether `password` hashes to `stored_hex` ("" = no password: only an empty one matches),
// compared in constant time.
bool passwordMatches(std::string_view password, std::string_view stored_hex);

}  // namespace basalt
