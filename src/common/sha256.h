// sha256.h — SHA-256 as lower-case hex (OpenSSL): how passwords are stored and compared (config
// users, CREATE USER) — the plain text is never kept.
#pragma once
#include <string>
#include <string_view>

namespace basalt {

std::string sha256Hex(std::string_view data);

}  // namespace basalt
