// city_hash.h — CityHash v1.0.2 (Google, 2011): CityHash64 and CityHash128.
//
// ClickHouse pins this exact release: cityHash64() SQL values, the 128-bit checksum in front of
// every compressed block (native protocol, column files) and the file hashes in a part's
// checksums.txt are all CityHash v1.0.2. Later CityHash releases (1.0.3, 1.1) changed the output for
// the same input, so this code must never be "upgraded" to a newer CityHash.
#pragma once
#include <cstddef>
#include <cstdint>

namespace basalt {

// A 128-bit hash as CityHash returns it: (low, high) = (first, second) of its uint128 pair. On disk
// and on the wire ClickHouse stores `low` then `high`, each little-endian.
struct Hash128 {
    uint64_t low = 0;
    uint64_t high = 0;
    friend bool operator==(const Hash128&, const Hash128&) = default;
};

namespace city {

uint64_t cityHash64(const char* s, size_t len);
// CityHash's Hash128to64: the Murmur-inspired 128 -> 64 bit reduction (also cityHash64's combiner).
uint64_t hash128to64(uint64_t low, uint64_t high);
Hash128 cityHash128(const char* s, size_t len);
Hash128 cityHash128WithSeed(const char* s, size_t len, Hash128 seed);

}  // namespace city

// ClickHouse's HashingWriteBuffer scheme, which produces the file_hash and uncompressed_hash of every
// file in a MergeTree part's checksums.txt: the byte stream is cut into 2048-byte chunks, each folded
// into the state with cityHash128WithSeed(chunk, 2048, state) starting from {0, 0}; digest() folds in
// the final partial chunk (if any) the same way.
class CityHash128Stream {
public:
    static constexpr size_t kChunkSize = 2048;   // DBMS_DEFAULT_HASHING_BLOCK_SIZE

    void update(const char* data, size_t n);
    Hash128 digest() const;
    uint64_t bytes() const { return total_; }

private:
    Hash128 state_{};
    size_t used_ = 0;     // bytes pending in buf_
    uint64_t total_ = 0;
    char buf_[kChunkSize];
};

}  // namespace basalt
