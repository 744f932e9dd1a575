// hash_functions.cpp — ClickHouse's hash functions: cityHash64, sipHash64, sipHash128, xxHash32/64,
// murmurHash3_32/64, intHash32/64, halfMD5, MD5, SHA1/SHA224/SHA256/SHA512.
//
// CityHash v1.0.2 lives in common/city_hash (compressed-block checksums use it too); SipHash-2-4
// (Aumasson and Bernstein) with a zero key and MurmurHash3 (Appleby) are implemented here from their
// published specifications. xxHash comes from libxxhash and the digests from OpenSSL's EVP interface.
//
// The variadic hashes follow ClickHouse's scheme: every argument is hashed into a per-row 64-bit
// value (strings by their bytes, numbers by value, arrays by length then elements, tuples by
// elements), and argument hashes are folded left to right with the function's combiner.
#include <openssl/evp.h>
#include <xxhash.h>

#include <cstring>

#include "common/city_hash.h"
#include "common/sip_hash.h"
#include "common/exception.h"
#include "common/int_hash.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

inline uint64_t load64(const char* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }
inline uint32_t load32(const char* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
inline uint64_t rotl64(uint64_t v, int s) { return (v << s) | (v >> (64 - s)); }
inline uint32_t rotl32(uint32_t v, int s) { return (v << s) | (v >> (32 - s)); }

// ---------------------------------------------------------------------------------------------
// SipHash-2-4 with key (0, 0): common/sip_hash.h (also used for MergeTree partition IDs).

uint64_t sipHash64(const char* s, size_t len) {
    SipHash h;
    h.update(s, len);
    h.finish();
    return h.get64();
}

// ClickHouse's 128-bit SipHash output: (v0 ^ v1, v2 ^ v3) after the 64-bit finalization.
void sipHash128(const char* s, size_t len, char out[16]) {
    SipHash h;
    h.update(s, len);
    h.finish();
    uint64_t lo = h.low128(), hi = h.high128();
    std::memcpy(out, &lo, 8);
    std::memcpy(out + 8, &hi, 8);
}

// ---------------------------------------------------------------------------------------------
// MurmurHash3 (x86_32 and x64_128), seed 0

uint32_t murmur3_32(const char* s, size_t len, uint32_t seed = 0) {
    const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
    uint32_t h = seed;
    size_t nblocks = len / 4;
    for (size_t i = 0; i < nblocks; ++i) {
        uint32_t k = load32(s + i * 4);
        k *= c1; k = rotl32(k, 15); k *= c2;
        h ^= k; h = rotl32(h, 13); h = h * 5 + 0xe6546b64;
    }
    const uint8_t* tail = reinterpret_cast<const uint8_t*>(s + nblocks * 4);
    uint32_t k = 0;
    switch (len & 3) {
        case 3: k ^= uint32_t(tail[2]) << 16; [[fallthrough]];
        case 2: k ^= uint32_t(tail[1]) << 8; [[fallthrough]];
        case 1: k ^= tail[0]; k *= c1; k = rotl32(k, 15); k *= c2; h ^= k;
    }
    h ^= uint32_t(len);
    h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
    return h;
}

inline uint64_t fmix64(uint64_t k) {
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL; k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53ULL; k ^= k >> 33;
    return k;
}

void murmur3_128(const char* s, size_t len, uint64_t& out1, uint64_t& out2) {
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
    uint64_t h1 = 0, h2 = 0;
    size_t nblocks = len / 16;
    for (size_t i = 0; i < nblocks; ++i) {
        uint64_t k1 = load64(s + i * 16), k2 = load64(s + i * 16 + 8);
        k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
        h1 = rotl64(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
        k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
        h2 = rotl64(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
    }
    const uint8_t* tail = reinterpret_cast<const uint8_t*>(s + nblocks * 16);
    uint64_t k1 = 0, k2 = 0;
    switch (len & 15) {
        case 15: k2 ^= uint64_t(tail[14]) << 48; [[fallthrough]];
        case 14: k2 ^= uint64_t(tail[13]) << 40; [[fallthrough]];
        case 13: k2 ^= uint64_t(tail[12]) << 32; [[fallthrough]];
        case 12: k2 ^= uint64_t(tail[11]) << 24; [[fallthrough]];
        case 11: k2 ^= uint64_t(tail[10]) << 16; [[fallthrough]];
        case 10: k2 ^= uint64_t(tail[9]) << 8; [[fallthrough]];
        case 9: k2 ^= uint64_t(tail[8]); k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2; [[fallthrough]];
        case 8: k1 ^= uint64_t(tail[7]) << 56; [[fallthrough]];
        case 7: k1 ^= uint64_t(tail[6]) << 48; [[fallthrough]];
        case 6: k1 ^= uint64_t(tail[5]) << 40; [[fallthrough]];
        case 5: k1 ^= uint64_t(tail[4]) << 32; [[fallthrough]];
        case 4: k1 ^= uint64_t(tail[3]) << 24; [[fallthrough]];
        case 3: k1 ^= uint64_t(tail[2]) << 16; [[fallthrough]];
        case 2: k1 ^= uint64_t(tail[1]) << 8; [[fallthrough]];
        case 1: k1 ^= uint64_t(tail[0]); k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
    }
    h1 ^= len; h2 ^= len;
    h1 += h2; h2 += h1;
    h1 = fmix64(h1); h2 = fmix64(h2);
    h1 += h2; h2 += h1;
    out1 = h1;
    out2 = h2;
}

// ---------------------------------------------------------------------------------------------
// Integer hashes

// ClickHouse's intHash64 (also the per-number step of cityHash64): Murmur3's 64-bit finalizer over
// the value xor-ed with a fixed salt.
inline uint64_t intHash64(uint64_t x) { return fmix64(x ^ 0x4CF2D2BAAE6DA887ULL); }

// Thomas Wang's 64 -> 32 bit integer hash over the salted value (ClickHouse's intHash32).
inline uint32_t intHash32(uint64_t key) { return wangHash64To32(key ^ 0x75D9543DE018BF45ULL); }

// ---------------------------------------------------------------------------------------------
// Variadic hash driver

// How one hash function treats its inputs.
struct HashSpec {
    const char* name;
    uint64_t (*bytes)(const char*, size_t);   // hash of a byte string
    uint64_t (*combine)(uint64_t, uint64_t);  // folds the next argument's hash into the running one
    bool int_hash_for_numbers;                // numbers hashed by value with intHash64 (else by bytes)
    bool is32;                                // 32-bit result
};

uint64_t cityBytes(const char* s, size_t n) { return city::cityHash64(s, n); }
uint64_t cityCombine(uint64_t a, uint64_t b) { return city::hash128to64(a, b); }
uint64_t sipBytes(const char* s, size_t n) { return sipHash64(s, n); }
uint64_t sipCombine(uint64_t a, uint64_t b) {
    uint64_t buf[2] = {a, b};
    return sipHash64(reinterpret_cast<const char*>(buf), 16);
}
uint64_t xx64Bytes(const char* s, size_t n) { return XXH64(s, n, 0); }
uint64_t xx64Combine(uint64_t a, uint64_t b) { return city::hash128to64(a, b); }
uint64_t xx32Bytes(const char* s, size_t n) { return XXH32(s, n, 0); }
uint64_t m32Bytes(const char* s, size_t n) { return murmur3_32(s, n); }
uint64_t int32Combine(uint64_t a, uint64_t b) { return intHash32(a) ^ b; }
uint64_t int64Combine(uint64_t a, uint64_t b) { return intHash64(a) ^ b; }
uint64_t halfMD5Bytes(const char* s, size_t n) {
    unsigned char d[16];
    unsigned int len = 0;
    EVP_Digest(s, n, d, &len, EVP_md5(), nullptr);
    uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | d[k];
    return v;
}
uint64_t halfMD5Combine(uint64_t a, uint64_t b) {
    uint64_t buf[2] = {a, b};
    return halfMD5Bytes(reinterpret_cast<const char*>(buf), 16);
}
uint64_t m64Bytes(const char* s, size_t n) {
    uint64_t a, b;
    murmur3_128(s, n, a, b);
    return a ^ b;
}

// Hashes every row of one argument into h (size rows).
void hashColumn(const HashSpec& spec, const IColumn& col_in, const DataTypePtr& type_in, PODArray<uint64_t>& h, size_t rows) {
    ColumnPtr holder;
    const IColumn* col = &col_in;
    if (col->isConst()) {
        // Hash the single value once and broadcast.
        PODArray<uint64_t> one(1);
        hashColumn(spec, static_cast<const ColumnConst&>(*col).getDataColumn(), type_in, one, 1);
        std::fill(h.begin(), h.begin() + rows, one[0]);
        return;
    }
    DataTypePtr type = removeLowCardinality(type_in);
    switch (type->id) {
        case TypeId::String: {
            auto& c = static_cast<const ColumnString&>(*col);
            for (size_t i = 0; i < rows; ++i) { auto v = c.getView(i); h[i] = spec.bytes(v.data(), v.size()); }
            return;
        }
        case TypeId::FixedString: {
            auto& c = static_cast<const ColumnFixedString&>(*col);
            for (size_t i = 0; i < rows; ++i) { auto v = c.getView(i); h[i] = spec.bytes(v.data(), v.size()); }
            return;
        }
        case TypeId::Array:
        case TypeId::Map: {
            // An array hashes as its length followed by its elements' hashes.
            auto& arr = static_cast<const ColumnArray&>(*col);
            DataTypePtr elem = type->id == TypeId::Array ? type->nested[0] : makeTuple({type->nested[0], type->nested[1]});
            PODArray<uint64_t> eh(arr.getData().size());
            hashColumn(spec, arr.getData(), elem, eh, eh.size());
            for (size_t i = 0; i < rows; ++i) {
                uint64_t len = arr.sizeAt(i);
                uint64_t acc = spec.is32 ? intHash32(len) : intHash64(len);   // every variant seeds with the int hash
                for (size_t j = arr.offsetAt(i); j < arr.getOffsets()[i]; ++j) acc = spec.combine(acc, eh[j]);
                h[i] = acc;
            }
            return;
        }
        case TypeId::Tuple: {
            auto& t = static_cast<const ColumnTuple&>(*col);
            PODArray<uint64_t> eh(rows);
            for (size_t k = 0; k < t.tupleSize(); ++k) {
                hashColumn(spec, t.getColumn(k), type->nested[k], k ? eh : h, rows);
                if (k)
                    for (size_t i = 0; i < rows; ++i) h[i] = spec.combine(h[i], eh[i]);
            }
            return;
        }
        case TypeId::Nullable: {
            // NULL elements inside composites hash as the nested default value.
            auto& n = static_cast<const ColumnNullable&>(*col);
            hashColumn(spec, n.getNested(), type->nested[0], h, rows);
            return;
        }
        case TypeId::Nothing:
            for (size_t i = 0; i < rows; ++i) h[i] = 0;
            return;
        default: break;
    }
    bool ok = dispatchFixed(type->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        auto& d = static_cast<const ColumnVector<T>&>(*col).getData();
        if constexpr (std::is_same_v<T, UInt128>) {
            if (type->id == TypeId::UUID) {
                // ClickHouse lays a UUID out as its high half then its low half.
                for (size_t i = 0; i < rows; ++i) {
                    uint64_t parts[2] = {uint64_t(d[i] >> 64), uint64_t(d[i])};
                    h[i] = spec.bytes(reinterpret_cast<const char*>(parts), 16);
                }
                return;
            }
        }
        if constexpr (sizeof(T) <= 8) {
            if (spec.int_hash_for_numbers) {
                for (size_t i = 0; i < rows; ++i) {
                    // The value's bytes, zero-extended to 64 bits (so Int8 -1 hashes as 0xFF).
                    uint64_t bits = 0;
                    std::memcpy(&bits, &d[i], sizeof(T));
                    h[i] = spec.is32 ? intHash32(bits) : intHash64(bits);
                }
                return;
            }
        }
        for (size_t i = 0; i < rows; ++i) h[i] = spec.bytes(reinterpret_cast<const char*>(&d[i]), sizeof(T));
    });
    if (!ok) throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("Function ") + spec.name + " cannot hash values of type " + type_in->name());
}

void registerVariadicHash(FunctionFactory& f, HashSpec spec) {
    std::string name = spec.name;
    f.registerFunction(name, [spec, name](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        DataTypePtr rt = makeType(spec.is32 ? TypeId::UInt32 : TypeId::UInt64);
        DataTypes types;
        for (auto& x : a) types.push_back(x.type);
        return makeFunction(name, rt, [spec, types](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            PODArray<uint64_t> acc(rows), cur(rows);
            if (x.empty()) {
                // No arguments: ClickHouse returns one fixed value.
                std::fill(acc.begin(), acc.end(), spec.is32 ? uint64_t(2045900111) : uint64_t(16324913028386710556ULL));
            }
            for (size_t k = 0; k < x.size(); ++k) {
                hashColumn(spec, *x[k].column, types[k], k ? cur : acc, rows);
                if (k)
                    for (size_t i = 0; i < rows; ++i) acc[i] = spec.combine(acc[i], cur[i]);
            }
            if (spec.is32) {
                auto res = ColumnUInt32::create(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = uint32_t(acc[i]);
                return res;
            }
            auto res = ColumnUInt64::create(rows);
            std::memcpy(res->getData().data(), acc.data(), rows * 8);
            return res;
        });
    });
}

// ---------------------------------------------------------------------------------------------
// Digests over a single string argument with FixedString results

template <typename F>
void registerStringDigest(FunctionFactory& f, const std::string& name, DataTypePtr rt, size_t width, F digest) {
    f.registerFunction(name, [name, rt, width, digest](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount(name, a, 1, 1);
        if (!removeLowCardinality(a[0].type)->isStringOrFixed()) throwIllegalType(name, a[0].type, 0);
        return makeFunction(name, rt, [width, digest](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            ColumnPtr c = materialize(x[0].column);
            auto view = [&](size_t i) -> std::string_view {
                if (auto* s = dynamic_cast<const ColumnString*>(c.get())) return s->getView(i);
                return static_cast<const ColumnFixedString&>(*c).getView(i);
            };
            auto res = std::make_shared<ColumnFixedString>(width);
            res->getChars().resize(rows * width);
            for (size_t i = 0; i < rows; ++i) digest(view(i), res->getChars().data() + i * width);
            return res;
        });
    });
}

auto evpDigest(const EVP_MD* (*md)()) {
    return [md](std::string_view s, char* out) {
        unsigned int len = 0;
        EVP_Digest(s.data(), s.size(), reinterpret_cast<unsigned char*>(out), &len, md(), nullptr);
    };
}

template <typename F>
void registerIntHash(FunctionFactory& f, const std::string& name, TypeId result, F fn) {
    f.registerFunction(name, [name, result, fn](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount(name, a, 1, 1);
        DataTypePtr t = removeLowCardinality(a[0].type);
        if (!(t->isInteger() || t->id == TypeId::Bool || t->isDateOrDateTime()) || t->valueSize() > 8) throwIllegalType(name, a[0].type, 0);
        return makeFunction(name, makeType(result), [t, fn, result](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            ColumnPtr c = materialize(x[0].column);
            PODArray<uint64_t> v(rows);
            dispatchFixed(t->id, [&](auto tag) {
                using T = typename decltype(tag)::type;
                if constexpr (sizeof(T) <= 8) {
                    auto& d = static_cast<const ColumnVector<T>&>(*c).getData();
                    for (size_t i = 0; i < rows; ++i) {
                        if constexpr (std::is_floating_point_v<T>) v[i] = uint64_t(int64_t(d[i]));
                        else if constexpr (std::is_signed_v<T>) v[i] = uint64_t(int64_t(d[i]));
                        else v[i] = uint64_t(d[i]);
                    }
                }
            });
            if (result == TypeId::UInt32) {
                auto res = ColumnUInt32::create(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = uint32_t(fn(v[i]));
                return res;
            }
            auto res = ColumnUInt64::create(rows);
            for (size_t i = 0; i < rows; ++i) res->getData()[i] = fn(v[i]);
            return res;
        });
    });
}

}  // namespace

void registerHashFunctions(FunctionFactory& f) {
    registerVariadicHash(f, {"cityHash64", cityBytes, cityCombine, true, false});
    registerVariadicHash(f, {"sipHash64", sipBytes, sipCombine, false, false});
    registerVariadicHash(f, {"xxHash64", xx64Bytes, xx64Combine, false, false});
    registerVariadicHash(f, {"xxHash32", xx32Bytes, int32Combine, false, true});
    registerVariadicHash(f, {"murmurHash3_32", m32Bytes, int32Combine, false, true});
    registerVariadicHash(f, {"murmurHash3_64", m64Bytes, int64Combine, false, false});
    registerVariadicHash(f, {"halfMD5", halfMD5Bytes, halfMD5Combine, false, false});

    registerIntHash(f, "intHash64", TypeId::UInt64, [](uint64_t v) { return intHash64(v); });
    registerIntHash(f, "intHash32", TypeId::UInt32, [](uint64_t v) { return uint64_t(intHash32(v)); });

    registerStringDigest(f, "MD5", makeFixedString(16), 16, evpDigest(EVP_md5));
    registerStringDigest(f, "SHA1", makeFixedString(20), 20, evpDigest(EVP_sha1));
    registerStringDigest(f, "SHA224", makeFixedString(28), 28, evpDigest(EVP_sha224));
    registerStringDigest(f, "SHA256", makeFixedString(32), 32, evpDigest(EVP_sha256));
    registerStringDigest(f, "SHA512", makeFixedString(64), 64, evpDigest(EVP_sha512));
    registerStringDigest(f, "sipHash128", makeFixedString(16), 16, [](std::string_view s, char* out) { sipHash128(s.data(), s.size(), out); });
}

}  // namespace basalt
