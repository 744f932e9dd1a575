// sip_hash.h — SipHash-2-4 with key (0, 0) as ClickHouse computes it, incrementally: sipHash64,
// sipHash128 (ClickHouse's 128-bit output (v0 ^ v1, v2 ^ v3) after the 64-bit finalization) and
// MergeTree partition IDs (hex of the 128-bit hash of the partition values' binary form).
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace basalt {

class SipHash {
public:
    void update(const char* s, size_t n) {
        total_ += n;
        while (n) {
            size_t k = std::min<size_t>(n, 8 - tail_len_);
            std::memcpy(tail_ + tail_len_, s, k);
            tail_len_ += k; s += k; n -= k;
            if (tail_len_ == 8) { uint64_t m; std::memcpy(&m, tail_, 8); absorb(m); tail_len_ = 0; }
        }
    }
    void update(std::string_view s) { update(s.data(), s.size()); }
    // Finalizes (call once).
    void finish() {
        uint64_t last = uint64_t(total_ & 0xFF) << 56;
        for (size_t k = 0; k < tail_len_; ++k) last |= uint64_t(uint8_t(tail_[k])) << (8 * k);
        absorb(last);
        v2 ^= 0xff;
        round(); round(); round(); round();
    }
    uint64_t get64() const { return v0 ^ v1 ^ v2 ^ v3; }
    uint64_t low128() const { return v0 ^ v1; }
    uint64_t high128() const { return v2 ^ v3; }

private:
    static uint64_t rotl(uint64_t v, int s) { return (v << s) | (v >> (64 - s)); }
    void round() {
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    }
    void absorb(uint64_t m) { v3 ^= m; round(); round(); v0 ^= m; }
    uint64_t v0 = 0x736f6d6570736575ULL, v1 = 0x646f72616e646f6dULL, v2 = 0x6c7967656e657261ULL, v3 = 0x7465646279746573ULL;
    char tail_[8];
    size_t tail_len_ = 0;
    uint64_t total_ = 0;
};

// ClickHouse's partition ID for non-integral partition values: the 128-bit SipHash of the values
// (as ClickHouse's FieldVisitorHash feeds them: type tag byte, then the value) printed as the hex
// of its 16 bytes in memory order.
inline std::string partitionHashId(std::string_view hashed_fields) {
    SipHash h;
    h.update(hashed_fields);
    h.finish();
    uint64_t words[2] = {h.low128(), h.high128()};
    unsigned char bytes[16];
    std::memcpy(bytes, words, 16);   // little-endian hosts only (as the rest of basalt)
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) { out.push_back(hex[b >> 4]); out.push_back(hex[b & 15]); }
    return out;
}

}  // namespace basalt
