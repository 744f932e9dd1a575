// crc32c.h — CRC-32C (Castagnoli) of one 64-bit word, as the SSE4.2 `crc32` instruction computes
// it (no final inversion): ClickHouse hashes strings with it (hash-table order of array set
// functions) and jitters uniq's estimate with it. Table-driven so it runs on any CPU.
#pragma once
#include <array>
#include <cstdint>

namespace basalt {

// CRC-32C of the 8 little-endian bytes of `word`, continuing from `crc`.
inline uint32_t crc32cWord(uint32_t crc, uint64_t word) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    for (int i = 0; i < 8; ++i) crc = table[(crc ^ uint8_t(word >> (8 * i))) & 0xFF] ^ (crc >> 8);
    return crc;
}

}  // namespace basalt
