// codec_delta.cpp — the time-series preprocessing codecs Delta, DoubleDelta and Gorilla, in
// ClickHouse's exact payload layouts, with the MSB-first bit stream the latter two share.
//
// Common payload prefix (all three): [width][tail][tail bytes], where tail = size % width. ClickHouse
// copies the *first* (size % width) bytes verbatim and encodes the rest as values — the tail byte is
// informational only; the decoder recomputes it from the uncompressed size.
//
//   Delta:        each value minus the previous one (first minus 0), stored at full width.
//   DoubleDelta:  [u32 count][first value][first delta][bits]: per further value the delta-of-delta
//                 dd: 0 -> '0'; else a prefix choosing the magnitude class, a sign bit and |dd|-1:
//                 '10' 6 bits (-63 < dd < 64), '110' 8 bits (-255 < dd < 256), '1110' 11 bits
//                 (-2047 < dd < 2048), '11110' 31 bits (INT32_MIN < dd < INT32_MAX), '11111' 63 bits.
//   Gorilla:      [u32 count][first value][bits]: per further value x = value ^ previous: 0 -> '0';
//                 if x's leading/trailing zero counts are >= the last stored window -> '10' + the
//                 window's bits of x; else '11' + leading zeros (3/4/5/6 bits for widths 1/2/4/8) +
//                 meaningful bit count (4/5/6/7 bits) + those bits, which becomes the new window.
// Arithmetic is on unsigned integers of the value width (wrap-around is the format's semantics).
#include <algorithm>
#include <bit>
#include <string>

#include "common/exception.h"
#include "compression/codec_internal.h"

namespace basalt {

using namespace compression_detail;

namespace {

// ---------------------------------------------------------------------------------------------
// Bit streams, most significant bit first (ClickHouse's BitWriter/BitReader byte order).

inline uint64_t lowMask(unsigned bits) { return bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1; }

class BitWriter {
public:
    explicit BitWriter(char* out) : out_(out), begin_(out) {}

    // Appends the low `bits` (1..64) bits of value.
    void write(unsigned bits, uint64_t value) {
        acc_ = (acc_ << bits) | (value & lowMask(bits));
        count_ += bits;
        if (count_ >= 64) {
            count_ -= 64;
            storeBE(uint64_t(acc_ >> count_), 8);
        }
    }

    // Writes the pending bits, zero-padded to a whole byte; returns the total bytes written.
    size_t finish() {
        if (count_) storeBE(uint64_t(acc_ << (64 - count_)), (count_ + 7) / 8);
        count_ = 0;
        return size_t(out_ - begin_);
    }

private:
    void storeBE(uint64_t word, unsigned bytes) {
        word = __builtin_bswap64(word);
        std::memcpy(out_, &word, bytes);
        out_ += bytes;
    }

    char* out_;
    char* begin_;
    unsigned __int128 acc_ = 0;   // pending bits are the low count_ bits (< 64 between calls)
    unsigned count_ = 0;
};

// Reading past the end yields zero bits, as ClickHouse's reader does: a stream is consumed by value
// count, and its zero padding decodes as "no change".
class BitReader {
public:
    BitReader(const char* p, size_t n) : p_(p), end_(p + n) {}

    uint64_t read(unsigned bits) {   // 1..64
        if (count_ < bits) refill();
        count_ -= bits;
        return uint64_t(acc_ >> count_) & lowMask(bits);
    }
    unsigned peek(unsigned bits) {   // 1..32, not consumed
        if (count_ < bits) refill();
        return unsigned(uint64_t(acc_ >> (count_ - bits)) & lowMask(bits));
    }
    void skip(unsigned bits) { count_ -= bits; }   // only after peek() of at least `bits`

private:
    void refill() {
        uint64_t word = 0;
        size_t avail = size_t(end_ - p_);
        size_t take = avail < 8 ? avail : 8;
        std::memcpy(&word, p_, take);
        p_ += take;
        acc_ = (acc_ << 64) | __builtin_bswap64(word);
        count_ += 64;
    }

    const char* p_;
    const char* end_;
    unsigned __int128 acc_ = 0;
    unsigned count_ = 0;
};

[[noreturn]] void throwWrongHeader(const char* codec) {
    throw Exception(ErrorCodes::CANNOT_DECOMPRESS, std::string("Cannot decompress ") + codec + "-encoded data. File has wrong header");
}

void checkCount(const char* codec, uint32_t in_data, size_t expected) {
    if (in_data != expected)
        throw Exception(ErrorCodes::CANNOT_DECOMPRESS, std::string("Cannot decompress ") + codec + "-encoded data: it holds " +
                                                           std::to_string(in_data) + " values, the block needs " + std::to_string(expected));
}

bool validWidth(unsigned w) { return w == 1 || w == 2 || w == 4 || w == 8; }

// Calls f.template operator()<T>() with T the unsigned integer of `width` bytes.
template <typename F>
decltype(auto) dispatchWidth(unsigned width, F&& f) {
    switch (width) {
        case 1: return f.template operator()<uint8_t>();
        case 2: return f.template operator()<uint16_t>();
        case 4: return f.template operator()<uint32_t>();
        case 8: return f.template operator()<uint64_t>();
        default: throw Exception(ErrorCodes::LOGICAL_ERROR, "Value width must be 1, 2, 4 or 8, got " + std::to_string(width));
    }
}

// The shared frame of all three codecs: width, tail length, tail bytes, then the typed encoding of
// the aligned rest. Subclasses implement encode/decode for the aligned part.
class WidthCodecBase : public ICompressionCodec {
public:
    WidthCodecBase(const char* name, std::string description, uint8_t width)
        : ICompressionCodec(std::move(description)), name_(name), width_(width) {}

protected:
    // Worst-case bytes for the aligned part of n bytes at width w.
    virtual size_t alignedBound(size_t n, unsigned w) const = 0;
    virtual size_t encode(unsigned w, const char* src, size_t n, char* dst) const = 0;
    virtual void decode(unsigned w, const char* src, size_t n, char* dst, size_t out_size) const = 0;

    size_t maxPayloadSize(size_t n) const override {
        if (width_) return 2 + width_ + alignedBound(n, width_);
        // Decode-only instance (width unknown until a block is read): the worst width.
        size_t worst = 0;
        for (unsigned w : {1u, 2u, 4u, 8u}) worst = std::max(worst, size_t(2 + w + alignedBound(n, w)));
        return worst;
    }

    size_t doCompress(const char* src, size_t n, char* dst) const override {
        if (!width_) throw Exception(ErrorCodes::LOGICAL_ERROR, std::string("Codec ") + name_ + " without a value width can only decompress");
        unsigned tail = unsigned(n % width_);
        dst[0] = char(width_);
        dst[1] = char(tail);
        if (tail) std::memcpy(dst + 2, src, tail);
        return 2 + tail + encode(width_, src + tail, n - tail, dst + 2 + tail);
    }

    void doDecompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const override {
        if (n < 2) throwWrongHeader(name_);
        unsigned w = uint8_t(src[0]);
        if (!validWidth(w)) throwWrongHeader(name_);
        unsigned tail = unsigned(uncompressed_size % w);
        if (2 + tail > n) throwWrongHeader(name_);
        if (tail) std::memcpy(dst, src + 2, tail);
        decode(w, src + 2 + tail, n - 2 - tail, dst + tail, uncompressed_size - tail);
    }

    const char* name_;
    uint8_t width_;   // 0: decode-only instance
};

// ---------------------------------------------------------------------------------------------
// Delta

class DeltaCodec final : public WidthCodecBase {
public:
    explicit DeltaCodec(uint8_t width)
        : WidthCodecBase("Delta", width ? "Delta(" + std::to_string(width) + ")" : "Delta", width) {}
    uint8_t methodByte() const override { return CompressionMethodByte::Delta; }
    bool isCompression() const override { return false; }
    bool isDeltaCompression() const override { return true; }

protected:
    size_t alignedBound(size_t n, unsigned) const override { return n; }

    size_t encode(unsigned w, const char* src, size_t n, char* dst) const override {
        dispatchWidth(w, [&]<typename T>() {
            T prev = 0;
            for (size_t i = 0; i < n; i += sizeof(T)) {
                T cur = loadLE<T>(src + i);
                storeLE<T>(dst + i, T(cur - prev));
                prev = cur;
            }
        });
        return n;
    }

    void decode(unsigned w, const char* src, size_t n, char* dst, size_t out_size) const override {
        if (n != out_size)
            throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress Delta-encoded data: " + std::to_string(n) +
                                                               " bytes of deltas for " + std::to_string(out_size) + " bytes of values");
        dispatchWidth(w, [&]<typename T>() {
            T acc = 0;
            for (size_t i = 0; i < n; i += sizeof(T)) {
                acc = T(acc + loadLE<T>(src + i));
                storeLE<T>(dst + i, acc);
            }
        });
    }
};

// ---------------------------------------------------------------------------------------------
// DoubleDelta

struct DDClass {
    uint8_t prefix_bits;
    uint8_t prefix;
    uint8_t data_bits;   // sign bit + (data_bits - 1) magnitude bits
};

// Magnitude class of a non-zero delta-of-delta, by its value as a signed integer of the value width.
inline DDClass ddClass(int64_t v) {
    if (v > -63 && v < 64) return {2, 0b10, 7};
    if (v > -255 && v < 256) return {3, 0b110, 9};
    if (v > -2047 && v < 2048) return {4, 0b1110, 12};
    if (v > INT32_MIN && v < INT32_MAX) return {5, 0b11110, 32};
    return {5, 0b11111, 64};
}

// Decoding: the class from the next 5 bits of the stream ('0xxxx' is a zero dd).
inline DDClass ddClassFromPrefix(unsigned p5) {
    if (!(p5 & 0x10)) return {1, 0, 0};
    if (!(p5 & 0x08)) return {2, 0b10, 7};
    if (!(p5 & 0x04)) return {3, 0b110, 9};
    if (!(p5 & 0x02)) return {4, 0b1110, 12};
    if (!(p5 & 0x01)) return {5, 0b11110, 32};
    return {5, 0b11111, 64};
}

class DoubleDeltaCodec final : public WidthCodecBase {
public:
    // ClickHouse prints DoubleDelta without its width, whatever it was built with.
    explicit DoubleDeltaCodec(uint8_t width) : WidthCodecBase("DoubleDelta", "DoubleDelta", width) {}
    uint8_t methodByte() const override { return CompressionMethodByte::DoubleDelta; }
    bool isCompression() const override { return true; }
    bool isDeltaCompression() const override { return true; }

protected:
    size_t alignedBound(size_t n, unsigned w) const override {
        // Largest class a w-byte delta-of-delta can need: INT8 values fit the 9-bit class, wider ones
        // may need the 32- or 64-bit class.
        size_t max_bits = w == 1 ? 3 + 9 : w == 2 ? 5 + 32 : 5 + 64;
        return 4 + 2 * w + ((n / w) * max_bits + 7) / 8;
    }

    size_t encode(unsigned w, const char* src, size_t n, char* dst) const override {
        return dispatchWidth(w, [&]<typename T>() -> size_t {
            using S = std::make_signed_t<T>;
            const size_t count = n / sizeof(T);
            char* const start = dst;
            storeLE<uint32_t>(dst, uint32_t(count));
            dst += 4;
            if (count == 0) return 4;
            T prev = loadLE<T>(src);
            storeLE<T>(dst, prev);
            dst += sizeof(T);
            if (count == 1) return size_t(dst - start);
            T cur = loadLE<T>(src + sizeof(T));
            T prev_delta = T(cur - prev);
            storeLE<T>(dst, prev_delta);
            dst += sizeof(T);
            prev = cur;
            BitWriter bits(dst);
            for (size_t i = 2; i < count; ++i) {
                cur = loadLE<T>(src + i * sizeof(T));
                T delta = T(cur - prev);
                T dd = T(delta - prev_delta);
                prev_delta = delta;
                prev = cur;
                if (dd == 0) {
                    bits.write(1, 0);
                    continue;
                }
                S sdd = S(dd);
                bool negative = sdd < 0;
                // |dd| - 1 computed unsigned: |INT64_MIN| does not fit the signed type.
                T magnitude_minus_1 = T((negative ? T(T(0) - dd) : dd) - 1);
                DDClass c = ddClass(int64_t(sdd));
                bits.write(c.prefix_bits, c.prefix);
                bits.write(1, negative);
                bits.write(c.data_bits - 1, magnitude_minus_1);
            }
            return size_t(dst - start) + bits.finish();
        });
    }

    void decode(unsigned w, const char* src, size_t n, char* dst, size_t out_size) const override {
        dispatchWidth(w, [&]<typename T>() {
            const size_t count = out_size / sizeof(T);
            if (n < 4) throwWrongHeader("DoubleDelta");
            checkCount("DoubleDelta", loadLE<uint32_t>(src), count);
            if (count == 0) return;
            if (n < 4 + sizeof(T)) throwWrongHeader("DoubleDelta");
            T prev = loadLE<T>(src + 4);
            storeLE<T>(dst, prev);
            if (count == 1) return;
            if (n < 4 + 2 * sizeof(T)) throwWrongHeader("DoubleDelta");
            T prev_delta = loadLE<T>(src + 4 + sizeof(T));
            prev = T(prev + prev_delta);
            storeLE<T>(dst + sizeof(T), prev);
            BitReader bits(src + 4 + 2 * sizeof(T), n - 4 - 2 * sizeof(T));
            for (size_t i = 2; i < count; ++i) {
                DDClass c = ddClassFromPrefix(bits.peek(5));
                bits.skip(c.prefix_bits);
                T dd = 0;
                if (c.data_bits) {
                    bool negative = bits.read(1);
                    dd = T(bits.read(c.data_bits - 1) + 1);
                    if (negative) dd = T(T(0) - dd);
                }
                prev_delta = T(prev_delta + dd);
                prev = T(prev + prev_delta);
                storeLE<T>(dst + i * sizeof(T), prev);
            }
        });
    }
};

// ---------------------------------------------------------------------------------------------
// Gorilla

// Bits used to store a meaningful-bit count (0..8w) and a leading-zero count (0..8w-1).
constexpr unsigned gorillaDataBitsLength(unsigned w) { return w == 1 ? 4 : w == 2 ? 5 : w == 4 ? 6 : 7; }

class GorillaCodec final : public WidthCodecBase {
public:
    explicit GorillaCodec(uint8_t width)
        : WidthCodecBase("Gorilla", width ? "Gorilla(" + std::to_string(width) + ")" : "Gorilla", width) {}
    uint8_t methodByte() const override { return CompressionMethodByte::Gorilla; }
    bool isCompression() const override { return true; }
    bool isFloatingPointTimeSeries() const override { return true; }

protected:
    size_t alignedBound(size_t n, unsigned w) const override {
        size_t data_len = gorillaDataBitsLength(w);
        size_t max_bits = 2 + (data_len - 1) + data_len + 8 * w;
        return 4 + w + ((n / w) * max_bits + 7) / 8;
    }

    size_t encode(unsigned w, const char* src, size_t n, char* dst) const override {
        return dispatchWidth(w, [&]<typename T>() -> size_t {
            constexpr unsigned kBits = 8 * sizeof(T);
            constexpr unsigned kDataLen = gorillaDataBitsLength(sizeof(T));
            constexpr unsigned kLeadLen = kDataLen - 1;
            const size_t count = n / sizeof(T);
            char* const start = dst;
            storeLE<uint32_t>(dst, uint32_t(count));
            dst += 4;
            if (count == 0) return 4;
            T prev = loadLE<T>(src);
            storeLE<T>(dst, prev);
            dst += sizeof(T);
            unsigned win_lead = 0, win_data = 0, win_trail = 0;   // no window yet: first x goes in full
            BitWriter bits(dst);
            for (size_t i = 1; i < count; ++i) {
                T cur = loadLE<T>(src + i * sizeof(T));
                T x = T(cur ^ prev);
                prev = cur;
                if (x == 0) {
                    bits.write(1, 0);
                    continue;
                }
                unsigned lead = unsigned(std::countl_zero(x));
                unsigned trail = unsigned(std::countr_zero(x));
                if (win_data != 0 && win_lead <= lead && win_trail <= trail) {
                    bits.write(2, 0b10);
                    bits.write(win_data, uint64_t(x >> win_trail));
                } else {
                    unsigned data = kBits - lead - trail;
                    bits.write(2, 0b11);
                    bits.write(kLeadLen, lead);
                    bits.write(kDataLen, data);
                    bits.write(data, uint64_t(x >> trail));
                    win_lead = lead;
                    win_data = data;
                    win_trail = trail;
                }
            }
            return size_t(dst - start) + bits.finish();
        });
    }

    void decode(unsigned w, const char* src, size_t n, char* dst, size_t out_size) const override {
        dispatchWidth(w, [&]<typename T>() {
            constexpr unsigned kBits = 8 * sizeof(T);
            constexpr unsigned kDataLen = gorillaDataBitsLength(sizeof(T));
            constexpr unsigned kLeadLen = kDataLen - 1;
            const size_t count = out_size / sizeof(T);
            if (n < 4) throwWrongHeader("Gorilla");
            checkCount("Gorilla", loadLE<uint32_t>(src), count);
            if (count == 0) return;
            if (n < 4 + sizeof(T)) throwWrongHeader("Gorilla");
            T prev = loadLE<T>(src + 4);
            storeLE<T>(dst, prev);
            unsigned win_data = 0, win_trail = 0;
            BitReader bits(src + 4 + sizeof(T), n - 4 - sizeof(T));
            for (size_t i = 1; i < count; ++i) {
                if (bits.read(1)) {
                    if (bits.read(1)) {
                        unsigned lead = unsigned(bits.read(kLeadLen));
                        unsigned data = unsigned(bits.read(kDataLen));
                        if (data == 0 || lead + data > kBits)
                            throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress gorilla-encoded data: corrupted input data.");
                        win_data = data;
                        win_trail = kBits - lead - data;
                    } else if (win_data == 0) {
                        throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress gorilla-encoded data: corrupted input data.");
                    }
                    T x = T(T(bits.read(win_data)) << win_trail);
                    prev = T(prev ^ x);
                }
                storeLE<T>(dst + i * sizeof(T), prev);
            }
        });
    }
};

}  // namespace

CodecPtr makeDeltaCodec(uint8_t width) {
    if (!validWidth(width)) throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "Delta value for delta codec can be 1, 2, 4 or 8, given " + std::to_string(width));
    return std::make_shared<DeltaCodec>(width);
}

CodecPtr makeDoubleDeltaCodec(uint8_t width) {
    if (!validWidth(width)) throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "Argument value for DoubleDelta codec can be 1, 2, 4 or 8, given " + std::to_string(width));
    return std::make_shared<DoubleDeltaCodec>(width);
}

CodecPtr makeGorillaCodec(uint8_t width) {
    if (!validWidth(width)) throw Exception(ErrorCodes::ILLEGAL_CODEC_PARAMETER, "Argument value for Gorilla codec can be 1, 2, 4 or 8, given " + std::to_string(width));
    return std::make_shared<GorillaCodec>(width);
}

namespace compression_detail {

CodecPtr makeDeltaDecoder() { return std::make_shared<DeltaCodec>(0); }
CodecPtr makeDoubleDeltaDecoder() { return std::make_shared<DoubleDeltaCodec>(0); }
CodecPtr makeGorillaDecoder() { return std::make_shared<GorillaCodec>(0); }

}  // namespace compression_detail

}  // namespace basalt
