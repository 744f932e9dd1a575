// codec_t64.cpp — T64, ClickHouse's bit-cropping integer codec, byte-exact with its format.
//
// Payload: [cookie][min: 8 bytes][max: 8 bytes][groups...]. The cookie is the column type's T64 magic
// number (fixed by ClickHouse so it never changes between versions) with bit 7 set for the 'bit'
// variant. min/max are the block's extremes widened to Int64 (signed types) or UInt64. Only the low
// num_bits bits of each value are stored, where num_bits covers what differs between min and max
// (plus a sign bit when the range crosses zero); decoding restores the high bits from min/max.
//
// Values go in groups of 64 (the last one may be short, its missing values zero). A group is a 64x64
// bit matrix: byte r of value i is at byte 64*r + i ("byte planes"). The group stores num_bits/8 whole
// byte planes (64 bytes each), then for the partial byte only its num_bits%8 low bit planes (8 bytes
// each: bit b of all 64 values). The 'bit' variant bit-transposes the whole byte planes too.
// A group therefore takes 8 * num_bits bytes; constant blocks (num_bits 0) are just the header.
//
// Like ClickHouse, T64 needs whole values: a size that is not a multiple of the type width is
// CANNOT_COMPRESS (ClickHouse's decoder would reject any tail encoding, so there is none).
#include <algorithm>
#include <bit>
#include <string>

#include "common/exception.h"
#include "compression/codec_internal.h"
#include "types/data_type.h"

namespace basalt {

using namespace compression_detail;

namespace {

// ClickHouse's T64 MagicNumber values.
enum class T64Magic : uint8_t {
    UInt8 = 1, UInt16 = 2, UInt32 = 3, UInt64 = 4,
    Int8 = 6, Int16 = 7, Int32 = 8, Int64 = 9,
    Date = 13, DateTime = 14, DateTime64 = 15,
    Enum8 = 17, Enum16 = 18, Decimal32 = 19, Decimal64 = 20, IPv4 = 21, Date32 = 22,
    Time = 23, Time64 = 24,   // ClickHouse's Time types: basalt has none, but decodes their blocks
};

bool magicForType(const DataType& t, T64Magic& out) {
    switch (t.id) {
        case TypeId::UInt8: case TypeId::Bool: out = T64Magic::UInt8; return true;   // Bool is UInt8 inside
        case TypeId::UInt16: out = T64Magic::UInt16; return true;
        case TypeId::UInt32: out = T64Magic::UInt32; return true;
        case TypeId::UInt64: out = T64Magic::UInt64; return true;
        case TypeId::Int8: out = T64Magic::Int8; return true;
        case TypeId::Int16: out = T64Magic::Int16; return true;
        case TypeId::Int32: out = T64Magic::Int32; return true;
        case TypeId::Int64: out = T64Magic::Int64; return true;
        case TypeId::Date: out = T64Magic::Date; return true;
        case TypeId::DateTime: out = T64Magic::DateTime; return true;
        case TypeId::DateTime64: out = T64Magic::DateTime64; return true;
        case TypeId::Enum8: out = T64Magic::Enum8; return true;
        case TypeId::Enum16: out = T64Magic::Enum16; return true;
        case TypeId::Decimal32: out = T64Magic::Decimal32; return true;
        case TypeId::Decimal64: out = T64Magic::Decimal64; return true;
        case TypeId::IPv4: out = T64Magic::IPv4; return true;
        case TypeId::Date32: out = T64Magic::Date32; return true;
        default: return false;
    }
}

// The physical integer behind each magic number: 1..4 unsigned widths, 5..8 signed widths, 0 unknown.
enum class T64Base { Unknown, U8, U16, U32, U64, I8, I16, I32, I64 };

T64Base baseOf(uint8_t magic) {
    switch (T64Magic(magic)) {
        case T64Magic::UInt8: case T64Magic::Enum8: return T64Base::U8;
        case T64Magic::UInt16: case T64Magic::Enum16: case T64Magic::Date: return T64Base::U16;
        case T64Magic::UInt32: case T64Magic::DateTime: case T64Magic::IPv4: return T64Base::U32;
        case T64Magic::UInt64: return T64Base::U64;
        case T64Magic::Int8: return T64Base::I8;
        case T64Magic::Int16: return T64Base::I16;
        case T64Magic::Int32: case T64Magic::Decimal32: case T64Magic::Date32: case T64Magic::Time: return T64Base::I32;
        case T64Magic::Int64: case T64Magic::Decimal64: case T64Magic::DateTime64: case T64Magic::Time64: return T64Base::I64;
    }
    return T64Base::Unknown;
}

template <typename F>
decltype(auto) dispatchBase(T64Base base, F&& f) {
    switch (base) {
        case T64Base::U8: return f.template operator()<uint8_t>();
        case T64Base::U16: return f.template operator()<uint16_t>();
        case T64Base::U32: return f.template operator()<uint32_t>();
        case T64Base::U64: return f.template operator()<uint64_t>();
        case T64Base::I8: return f.template operator()<int8_t>();
        case T64Base::I16: return f.template operator()<int16_t>();
        case T64Base::I32: return f.template operator()<int32_t>();
        case T64Base::I64: return f.template operator()<int64_t>();
        case T64Base::Unknown: break;
    }
    throw Exception(ErrorCodes::LOGICAL_ERROR, "T64: unknown base type");
}

constexpr size_t kGroup = 64;
constexpr size_t kHeader = 16;   // min + max

unsigned valuableBits(uint64_t min, uint64_t max) {
    uint64_t diff = min ^ max;
    return diff ? unsigned(64 - std::countl_zero(diff)) : 0;
}

unsigned valuableBits(int64_t min, int64_t max) {
    if (min < 0 && max >= 0) {
        // Range crosses zero: the larger magnitude's bits plus a sign bit.
        if (min + max >= 0) return valuableBits(uint64_t(0), uint64_t(max)) + 1;
        return valuableBits(uint64_t(0), uint64_t(~min)) + 1;
    }
    return valuableBits(uint64_t(min), uint64_t(max));
}

// In place: 64 bytes -> 8 words, word b holding bit b of byte i at bit i.
void transpose64x8(uint64_t* words) {
    unsigned char bytes[64];
    std::memcpy(bytes, words, 64);
    uint64_t out[8] = {};
    for (unsigned i = 0; i < 64; ++i)
        for (unsigned b = 0; b < 8; ++b) out[b] |= uint64_t((bytes[i] >> b) & 1) << i;
    std::memcpy(words, out, 64);
}

void reverseTranspose64x8(uint64_t* words) {
    unsigned char bytes[64];
    for (unsigned i = 0; i < 64; ++i) {
        unsigned v = 0;
        for (unsigned b = 0; b < 8; ++b) v |= unsigned((words[b] >> i) & 1) << b;
        bytes[i] = (unsigned char)v;
    }
    std::memcpy(words, bytes, 64);
}

// One group of up to 64 values -> 8 * num_bits bytes at dst.
template <typename T, bool bit_variant>
void packGroup(const char* src, size_t count, unsigned num_bits, char* dst) {
    using U = std::make_unsigned_t<T>;
    uint64_t matrix[64] = {};
    auto* planes = reinterpret_cast<unsigned char*>(matrix);
    for (size_t col = 0; col < count; ++col) {
        U v = loadLE<U>(src + col * sizeof(T));
        for (size_t r = 0; r < sizeof(T); ++r) planes[64 * r + col] = (unsigned char)(uint64_t(v) >> (8 * r));
    }
    unsigned full_bytes = num_bits / 8, part_bits = num_bits % 8;
    if constexpr (bit_variant)
        for (unsigned byte = 0; byte < full_bytes; ++byte) transpose64x8(matrix + 8 * byte);
    std::memcpy(dst, matrix, size_t(full_bytes) * 64);
    if (part_bits) {
        transpose64x8(matrix + 8 * full_bytes);
        std::memcpy(dst + size_t(full_bytes) * 64, matrix + 8 * full_bytes, part_bits * 8);
    }
}

template <typename T, bool bit_variant>
void unpackGroup(const char* src, size_t count, unsigned num_bits, std::make_unsigned_t<T>* out) {
    using U = std::make_unsigned_t<T>;
    uint64_t matrix[64] = {};
    std::memcpy(matrix, src, size_t(num_bits) * 8);
    unsigned full_bytes = num_bits / 8, part_bits = num_bits % 8;
    if constexpr (bit_variant)
        for (unsigned byte = 0; byte < full_bytes; ++byte) reverseTranspose64x8(matrix + 8 * byte);
    if (part_bits) reverseTranspose64x8(matrix + 8 * full_bytes);
    const auto* planes = reinterpret_cast<const unsigned char*>(matrix);
    for (size_t col = 0; col < count; ++col) {
        uint64_t v = 0;
        for (size_t r = 0; r < sizeof(T); ++r) v |= uint64_t(planes[64 * r + col]) << (8 * r);
        out[col] = U(v);
    }
}

template <typename T, bool bit_variant>
size_t compressT64(const char* src, size_t bytes, char* dst) {
    using MinMax = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
    if (bytes % sizeof(T))
        throw Exception(ErrorCodes::CANNOT_COMPRESS, "Cannot compress with T64 codec, data size " + std::to_string(bytes) +
                                                         " is not multiplier of " + std::to_string(sizeof(T)));
    const size_t count = bytes / sizeof(T);
    T min = 0, max = 0;
    if (count) min = max = loadLE<T>(src);
    for (size_t i = 1; i < count; ++i) {
        T v = loadLE<T>(src + i * sizeof(T));
        if (v < min) min = v;
        if (v > max) max = v;
    }
    MinMax min64 = min, max64 = max;
    storeLE<MinMax>(dst, min64);
    storeLE<MinMax>(dst + 8, max64);
    unsigned num_bits = valuableBits(min64, max64);
    if (!num_bits) return kHeader;
    size_t group_bytes = size_t(8) * num_bits;
    char* out = dst + kHeader;
    for (size_t i = 0; i < count; i += kGroup) {
        packGroup<T, bit_variant>(src + i * sizeof(T), std::min(kGroup, count - i), num_bits, out);
        out += group_bytes;
    }
    return size_t(out - dst);
}

template <typename T, bool bit_variant>
void decompressT64(const char* src, size_t n, char* dst, size_t uncompressed_size) {
    using U = std::make_unsigned_t<T>;
    using MinMax = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
    if (n < kHeader)
        throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress T64-encoded data, data size (" + std::to_string(n) +
                                                           ") is less than the size of T64 header");
    if (uncompressed_size % sizeof(T))
        throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress T64-encoded data, unexpected uncompressed size (" +
                                                           std::to_string(uncompressed_size) + ") isn't a multiple of the data type size (" +
                                                           std::to_string(sizeof(T)) + ")");
    const size_t count = uncompressed_size / sizeof(T);
    MinMax min = loadLE<MinMax>(src), max = loadLE<MinMax>(src + 8);
    src += kHeader;
    n -= kHeader;
    unsigned num_bits = valuableBits(min, max);
    if (!num_bits) {
        for (size_t i = 0; i < count; ++i) storeLE<T>(dst + i * sizeof(T), T(min));
        return;
    }
    size_t group_bytes = size_t(8) * num_bits;
    size_t groups = (count + kGroup - 1) / kGroup;
    if (n != groups * group_bytes)
        throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress T64-encoded data: " + std::to_string(n) +
                                                           " bytes of groups for " + std::to_string(count) + " values of " +
                                                           std::to_string(num_bits) + " bits");
    U upper_min = num_bits < 64 ? U(uint64_t(min) >> num_bits << num_bits) : U(0);
    U upper_max = 0, sign_bit = 0;
    if constexpr (std::is_signed_v<T>) {
        if (min < 0 && max >= 0 && num_bits < 64) {
            sign_bit = U(uint64_t(1) << (num_bits - 1));
            upper_max = U(uint64_t(max) >> num_bits << num_bits);
        }
    }
    U buf[kGroup];
    for (size_t i = 0; i < count; i += kGroup) {
        size_t c = std::min(kGroup, count - i);
        unpackGroup<T, bit_variant>(src, c, num_bits, buf);
        for (size_t j = 0; j < c; ++j) {
            U v = buf[j];
            v = U(v | (sign_bit && !(v & sign_bit) ? upper_max : upper_min));
            storeLE<U>(dst + (i + j) * sizeof(T), v);
        }
        src += group_bytes;
    }
}

class T64Codec final : public ICompressionCodec {
public:
    // magic 0: type unknown, decode-only.
    T64Codec(uint8_t magic, T64Variant variant)
        : ICompressionCodec(variant == T64Variant::Bit ? "T64('bit')" : "T64"), magic_(magic), variant_(variant) {}
    uint8_t methodByte() const override { return CompressionMethodByte::T64; }
    bool isCompression() const override { return true; }

protected:
    size_t maxPayloadSize(size_t n) const override { return 1 + kHeader + n + kGroup * 8; }

    size_t doCompress(const char* src, size_t n, char* dst) const override {
        if (!magic_)
            throw Exception(ErrorCodes::CANNOT_COMPRESS, "T64 codec doesn't support compression without information about column type");
        dst[0] = char(magic_ | (variant_ == T64Variant::Bit ? 0x80 : 0));
        return 1 + dispatchBase(baseOf(magic_), [&]<typename T>() {
            return variant_ == T64Variant::Bit ? compressT64<T, true>(src, n, dst + 1) : compressT64<T, false>(src, n, dst + 1);
        });
    }

    void doDecompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const override {
        if (n == 0) throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress T64-encoded data");
        uint8_t cookie = uint8_t(src[0]);
        bool bit_variant = cookie & 0x80;
        T64Base base = baseOf(cookie & 0x7F);
        if (base == T64Base::Unknown)
            throw Exception(ErrorCodes::INCORRECT_DATA, "Bad magic number in T64 codec: " + std::to_string(cookie & 0x7F));
        dispatchBase(base, [&]<typename T>() {
            if (bit_variant)
                decompressT64<T, true>(src + 1, n - 1, dst, uncompressed_size);
            else
                decompressT64<T, false>(src + 1, n - 1, dst, uncompressed_size);
        });
    }

private:
    uint8_t magic_;
    T64Variant variant_;
};

}  // namespace

CodecPtr makeT64Codec(const DataType& type, T64Variant variant) {
    T64Magic magic;
    if (!magicForType(type, magic))
        throw Exception(ErrorCodes::ILLEGAL_SYNTAX_FOR_CODEC_TYPE, "T64 codec is not supported for specified type " + type.name());
    return std::make_shared<T64Codec>(uint8_t(magic), variant);
}

namespace compression_detail {

CodecPtr makeT64Decoder() { return std::make_shared<T64Codec>(0, T64Variant::Byte); }
CodecPtr makeT64CodecWithoutType(T64Variant variant) { return std::make_shared<T64Codec>(0, variant); }

}  // namespace compression_detail

}  // namespace basalt
