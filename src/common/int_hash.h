// int_hash.h — small integer mixing functions shared by hash functions and sketches.
#pragma once
#include <cstdint>

namespace basalt {

// Thomas Wang's 64 -> 32 bit integer hash (ClickHouse's intHash32 core; callers add their salt).
inline uint32_t wangHash64To32(uint64_t key) {
    key = (~key) + (key << 18);
    key = key ^ ((key >> 31) | (key << 33));
    key = key * 21;
    key = key ^ ((key >> 11) | (key << 53));
    key = key + (key << 6);
    key = key ^ ((key >> 22) | (key << 42));
    return uint32_t(key);
}

}  // namespace basalt
