// sha256.cpp — see sha256.h.
#include "common/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace basalt {

std::string sha256Hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 15]);
    }
    return out;
}

bool passwordMatches(std::string_view password, std::string_view stored_hex) {
    if (stored_hex.empty()) return password.empty();
    std::string given = sha256Hex(password);
    return given.size() == stored_hex.size() && CRYPTO_memcmp(given.data(), stored_hex.data(), given.size()) == 0;
}

}  // namespace basalt
