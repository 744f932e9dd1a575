// codec.cpp — ICompressionCodec's block framing (the 9-byte codec header) and the general-purpose
// codecs: NONE, LZ4, LZ4HC, ZSTD, Multiple (codec chains); codecForMethodByte, defaultCodec.
#include "compression/codec.h"

#include <lz4.h>
#include <lz4hc.h>
#include <zstd.h>

#include <algorithm>

#include "common/exception.h"
#include "common/pod_array.h"
#include "compression/codec_internal.h"

namespace basalt {

using namespace compression_detail;

namespace {

std::string hexByte(uint8_t b) {
    static const char* digits = "0123456789abcdef";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

}  // namespace

size_t ICompressionCodec::compress(const char* src, size_t n, char* out) const {
    if (n > kMaxCompressedBlockSize)
        throw Exception(ErrorCodes::TOO_LARGE_SIZE_COMPRESSED,
                        "Cannot compress a block of " + std::to_string(n) + " bytes: blocks are limited to " +
                            std::to_string(kMaxCompressedBlockSize) + " bytes");
    out[0] = char(methodByte());
    size_t total = kCodecHeaderSize + doCompress(src, n, out + kCodecHeaderSize);
    // Both sizes are UInt32 in the format; every codec's bound for a <= 1 GiB input fits.
    storeLE<uint32_t>(out + 1, uint32_t(total));
    storeLE<uint32_t>(out + 5, uint32_t(n));
    return total;
}

void ICompressionCodec::decompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const {
    if (n < kCodecHeaderSize)
        throw Exception(ErrorCodes::CORRUPTED_DATA,
                        "Can't decompress data: the compressed data size (" + std::to_string(n) +
                            ", this should include header size) is less than the header size (9)");
    uint8_t method = uint8_t(src[0]);
    if (method != methodByte())
        throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Can't decompress data with codec byte " + hexByte(method) +
                                                           " using codec with byte " + hexByte(methodByte()));
    uint32_t header_compressed = loadLE<uint32_t>(src + 1);
    uint32_t header_uncompressed = loadLE<uint32_t>(src + 5);
    if (header_compressed != n)
        throw Exception(ErrorCodes::CORRUPTED_DATA, "Compressed size in the codec header (" +
                                                        std::to_string(header_compressed) +
                                                        ") does not match the size of the block (" + std::to_string(n) + ")");
    if (header_uncompressed != uncompressed_size)
        throw Exception(ErrorCodes::CORRUPTED_DATA, "Uncompressed size in the codec header (" +
                                                        std::to_string(header_uncompressed) + ") is not the expected " +
                                                        std::to_string(uncompressed_size));
    doDecompress(src + kCodecHeaderSize, n - kCodecHeaderSize, dst, uncompressed_size);
}

namespace {

// ---------------------------------------------------------------------------------------------
// NONE: the payload is the data.

class NoneCodec final : public ICompressionCodec {
public:
    NoneCodec() : ICompressionCodec("NONE") {}
    uint8_t methodByte() const override { return CompressionMethodByte::NONE; }
    bool isCompression() const override { return false; }
    bool isNone() const override { return true; }

protected:
    size_t maxPayloadSize(size_t n) const override { return n; }
    size_t doCompress(const char* src, size_t n, char* dst) const override {
        if (n) std::memcpy(dst, src, n);
        return n;
    }
    void doDecompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const override {
        if (n != uncompressed_size)
            throw Exception(ErrorCodes::CORRUPTED_DATA, "Wrong data for compression codec NONE: source_size (" +
                                                            std::to_string(n) + ") != uncompressed_size (" +
                                                            std::to_string(uncompressed_size) + ")");
        if (n) std::memcpy(dst, src, n);
    }
};

// ---------------------------------------------------------------------------------------------
// LZ4 and LZ4HC: a raw LZ4 block (no frame). Both use method byte 0x82 — HC only spends more time
// finding matches, the decoder is the same.

class LZ4Codec : public ICompressionCodec {
public:
    explicit LZ4Codec(std::string description = "LZ4") : ICompressionCodec(std::move(description)) {}
    uint8_t methodByte() const override { return CompressionMethodByte::LZ4; }
    bool isCompression() const override { return true; }
    bool isGenericCompression() const override { return true; }

protected:
    // LZ4_compressBound's formula in size_t: chain bounds may exceed what an int holds.
    size_t maxPayloadSize(size_t n) const override { return n + n / 255 + 16; }
    size_t doCompress(const char* src, size_t n, char* dst) const override {
        int r = LZ4_compress_default(src, dst, int(n), LZ4_compressBound(int(n)));
        if (r <= 0 && n > 0) throw Exception(ErrorCodes::CANNOT_COMPRESS, "Cannot compress with LZ4 codec");
        return size_t(r);
    }
    void doDecompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const override {
        // The safe decoder bounds both input and output; a block must decode to exactly its size.
        int r = LZ4_decompress_safe(src, dst, int(n), int(uncompressed_size));
        if (r < 0 || size_t(r) != uncompressed_size)
            throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot decompress LZ4-encoded data");
    }
};

class LZ4HCCodec final : public LZ4Codec {
public:
    // ClickHouse prints the level as the UInt64 it stored (LZ4HC(-1) prints 18446744073709551615).
    explicit LZ4HCCodec(int level) : LZ4Codec("LZ4HC(" + std::to_string(uint64_t(int64_t(level))) + ")"), level_(level) {}

protected:
    size_t doCompress(const char* src, size_t n, char* dst) const override {
        int r = LZ4_compress_HC(src, dst, int(n), LZ4_compressBound(int(n)), level_);
        if (r <= 0 && n > 0) throw Exception(ErrorCodes::CANNOT_COMPRESS, "Cannot compress with LZ4HC codec");
        return size_t(r);
    }

private:
    int level_;
};

// ---------------------------------------------------------------------------------------------
// ZSTD: one zstd frame. Contexts are per thread and reused: creating a ZSTD_CCtx per block costs
// more than compressing a small block.

struct ZstdContexts {
    ZSTD_CCtx* cctx = nullptr;
    ZSTD_DCtx* dctx = nullptr;
    ~ZstdContexts() {
        ZSTD_freeCCtx(cctx);
        ZSTD_freeDCtx(dctx);
    }
};
thread_local ZstdContexts zstd_contexts;

class ZSTDCodec final : public ICompressionCodec {
public:
    // ClickHouse prints the level as the UInt64 it stored (ZSTD(-1) prints 18446744073709551615).
    ZSTDCodec(int level, bool long_range, int window_log)
        : ICompressionCodec(long_range ? "ZSTD(" + std::to_string(uint64_t(int64_t(level))) + ", " +
                                             std::to_string(uint64_t(int64_t(window_log))) + ")"
                                       : "ZSTD(" + std::to_string(uint64_t(int64_t(level))) + ")"),
          level_(level), long_range_(long_range), window_log_(window_log) {}
    uint8_t methodByte() const override { return CompressionMethodByte::ZSTD; }
    bool isCompression() const override { return true; }
    bool isGenericCompression() const override { return true; }

protected:
    size_t maxPayloadSize(size_t n) const override { return ZSTD_compressBound(n); }
    size_t doCompress(const char* src, size_t n, char* dst) const override {
        auto& ctx = zstd_contexts;
        if (!ctx.cctx && !(ctx.cctx = ZSTD_createCCtx()))
            throw Exception(ErrorCodes::CANNOT_COMPRESS, "Cannot create ZSTD compression context");
        ZSTD_CCtx_reset(ctx.cctx, ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(ctx.cctx, ZSTD_c_compressionLevel, level_);
        if (long_range_) {
            ZSTD_CCtx_setParameter(ctx.cctx, ZSTD_c_enableLongDistanceMatching, 1);
            ZSTD_CCtx_setParameter(ctx.cctx, ZSTD_c_windowLog, window_log_);   // 0: zstd's default
        }
        size_t r = ZSTD_compress2(ctx.cctx, dst, ZSTD_compressBound(n), src, n);
        if (ZSTD_isError(r))
            throw Exception(ErrorCodes::CANNOT_COMPRESS, std::string("Cannot compress block with ZSTD: ") + ZSTD_getErrorName(r));
        return r;
    }
    void doDecompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const override {
        auto& ctx = zstd_contexts;
        if (!ctx.dctx) {
            if (!(ctx.dctx = ZSTD_createDCtx()))
                throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot create ZSTD decompression context");
            // ZSTD(level, window_log) frames may use windows up to 2^31 (ClickHouse's upper bound).
            ZSTD_DCtx_setParameter(ctx.dctx, ZSTD_d_windowLogMax, 31);
        }
        size_t r = ZSTD_decompressDCtx(ctx.dctx, dst, uncompressed_size, src, n);
        if (ZSTD_isError(r))
            throw Exception(ErrorCodes::CANNOT_DECOMPRESS, std::string("Cannot ZSTD_decompress: ") + ZSTD_getErrorName(r));
        if (r != uncompressed_size)
            throw Exception(ErrorCodes::CANNOT_DECOMPRESS, "Cannot ZSTD_decompress: the frame holds " + std::to_string(r) +
                                                               " bytes, the block header says " + std::to_string(uncompressed_size));
    }

private:
    int level_;
    bool long_range_;
    int window_log_;
};

// ---------------------------------------------------------------------------------------------
// Multiple: payload = [count][method byte of each codec, in application order][nested block], where
// the nested block is the last codec's complete output (its own 9-byte header included) over the
// previous codec's complete output, and so on — exactly ClickHouse's CompressionCodecMultiple.

class MultipleCodec final : public ICompressionCodec {
public:
    explicit MultipleCodec(std::vector<CodecPtr> codecs) : ICompressionCodec(describe(codecs)), codecs_(std::move(codecs)) {}
    uint8_t methodByte() const override { return CompressionMethodByte::Multiple; }
    const std::vector<CodecPtr>& codecs() const { return codecs_; }
    bool isCompression() const override {
        return std::any_of(codecs_.begin(), codecs_.end(), [](const CodecPtr& c) { return c->isCompression(); });
    }

protected:
    size_t maxPayloadSize(size_t n) const override {
        size_t bound = n;
        for (const auto& c : codecs_) bound = c->compressedBound(bound);
        return 1 + codecs_.size() + bound;
    }

    size_t doCompress(const char* src, size_t n, char* dst) const override {
        if (codecs_.empty()) throw Exception(ErrorCodes::LOGICAL_ERROR, "Codec Multiple without codecs cannot compress");
        size_t k = codecs_.size();
        dst[0] = char(uint8_t(k));
        for (size_t i = 0; i < k; ++i) dst[1 + i] = char(codecs_[i]->methodByte());
        // Ping-pong between two scratch buffers; the last codec writes straight into dst.
        PODArray<char> bufs[2];
        const char* cur = src;
        size_t cur_size = n;
        for (size_t i = 0; i < k; ++i) {
            char* out;
            if (i + 1 == k) {
                out = dst + 1 + k;
            } else {
                auto& b = bufs[i & 1];
                b.resize(codecs_[i]->compressedBound(cur_size));
                out = b.data();
            }
            cur_size = codecs_[i]->compress(cur, cur_size, out);
            cur = out;
        }
        return 1 + k + cur_size;
    }

    void doDecompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const override {
        if (n < 1 || src[0] == 0) throw Exception(ErrorCodes::CORRUPTED_DATA, "Wrong compression methods list");
        size_t k = uint8_t(src[0]);
        if (1 + k > n) throw Exception(ErrorCodes::CORRUPTED_DATA, "Wrong compression methods list");
        std::vector<CodecPtr> chain(k);
        // bounds[i]: the most bytes codec i's decoded output can be — stage i's output is stage i-1's
        // compressed form, so the chain's bounds cap every nested size before anything is allocated.
        std::vector<size_t> bounds(k);
        for (size_t i = 0; i < k; ++i) {
            uint8_t m = uint8_t(src[1 + i]);
            if (m == CompressionMethodByte::Multiple)
                throw Exception(ErrorCodes::CORRUPTED_DATA, "Wrong compression methods list: nested Multiple codec");
            chain[i] = codecForMethodByte(m);
            bounds[i] = i == 0 ? uncompressed_size : std::min(chain[i - 1]->compressedBound(bounds[i - 1]), size_t(UINT32_MAX));
        }
        const char* cur = src + 1 + k;
        size_t cur_size = n - 1 - k;
        PODArray<char> bufs[2];
        for (size_t idx = k; idx-- > 0;) {
            if (cur_size < kCodecHeaderSize)
                throw Exception(ErrorCodes::CORRUPTED_DATA, "Can't decompress data: nested block of codec Multiple is shorter than its header");
            size_t inner = loadLE<uint32_t>(cur + 5);
            if (idx == 0 && inner != uncompressed_size)
                throw Exception(ErrorCodes::CORRUPTED_DATA, "Wrong final decompressed size in codec Multiple, got " +
                                                                std::to_string(inner) + ", expected " + std::to_string(uncompressed_size));
            if (inner > bounds[idx])
                throw Exception(ErrorCodes::CORRUPTED_DATA, "Nested block of codec Multiple claims " + std::to_string(inner) +
                                                                " bytes, more than the codec chain can produce");
            char* out = dst;
            if (idx > 0) {
                auto& b = bufs[idx & 1];
                b.resize(inner);
                out = b.data();
            }
            chain[idx]->decompress(cur, cur_size, out, inner);
            cur = out;
            cur_size = inner;
        }
    }

private:
    static std::string describe(const std::vector<CodecPtr>& codecs) {
        std::string s;
        for (const auto& c : codecs) {
            if (!s.empty()) s += ", ";
            s += c->description();
        }
        return s;
    }

    std::vector<CodecPtr> codecs_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------

CodecPtr makeNoneCodec() {
    static const CodecPtr codec = std::make_shared<NoneCodec>();
    return codec;
}

CodecPtr makeLZ4Codec() {
    static const CodecPtr codec = std::make_shared<LZ4Codec>();
    return codec;
}

CodecPtr makeLZ4HCCodec(int level) { return std::make_shared<LZ4HCCodec>(level); }

CodecPtr makeZSTDCodec(int level, int window_log) { return std::make_shared<ZSTDCodec>(level, window_log != 0, window_log); }

CodecPtr makeMultipleCodec(std::vector<CodecPtr> codecs) {
    // Flatten nested chains: ClickHouse never nests Multiple, and its decoder rejects it.
    std::vector<CodecPtr> flat;
    for (auto& c : codecs) {
        if (!c) throw Exception(ErrorCodes::LOGICAL_ERROR, "Null codec in a codec chain");
        if (auto* m = dynamic_cast<const MultipleCodec*>(c.get()))
            flat.insert(flat.end(), m->codecs().begin(), m->codecs().end());
        else
            flat.push_back(std::move(c));
    }
    if (flat.empty()) throw Exception(ErrorCodes::LOGICAL_ERROR, "Empty codec chain");
    if (flat.size() == 1) return flat[0];
    if (flat.size() > 255) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Too many codecs in a chain (at most 255)");
    return std::make_shared<MultipleCodec>(std::move(flat));
}

CodecPtr defaultCodec() { return makeLZ4Codec(); }

namespace compression_detail {

CodecPtr makeZSTDLongRangeCodec(int level, int window_log) { return std::make_shared<ZSTDCodec>(level, true, window_log); }

CodecPtr makeDefaultAliasCodec() {
    static const CodecPtr codec = std::make_shared<LZ4Codec>("Default");
    return codec;
}

}  // namespace compression_detail

CodecPtr codecForMethodByte(uint8_t method) {
    static const CodecPtr zstd = makeZSTDCodec(1, 0);
    static const CodecPtr multiple = std::make_shared<MultipleCodec>(std::vector<CodecPtr>{});
    static const CodecPtr delta = makeDeltaDecoder();
    static const CodecPtr double_delta = makeDoubleDeltaDecoder();
    static const CodecPtr gorilla = makeGorillaDecoder();
    static const CodecPtr t64 = makeT64Decoder();
    switch (method) {
        case CompressionMethodByte::NONE: return makeNoneCodec();
        case CompressionMethodByte::LZ4: return makeLZ4Codec();
        case CompressionMethodByte::ZSTD: return zstd;
        case CompressionMethodByte::Multiple: return multiple;
        case CompressionMethodByte::Delta: return delta;
        case CompressionMethodByte::T64: return t64;
        case CompressionMethodByte::DoubleDelta: return double_delta;
        case CompressionMethodByte::Gorilla: return gorilla;
        default: break;
    }
    // Method bytes of ClickHouse codecs basalt does not implement, named to make the error actionable.
    const char* name = nullptr;
    switch (method) {
        case 0x96: name = "AES_128_GCM_SIV"; break;
        case 0x97: name = "AES_256_GCM_SIV"; break;
        case 0x98: name = "FPC"; break;
        case 0x99: name = "DEFLATE_QPL"; break;
        case 0x9a: name = "GCD"; break;
        case 0x9b: name = "ZSTD_QAT"; break;
        default: break;
    }
    if (name)
        throw Exception(ErrorCodes::UNKNOWN_CODEC, std::string("Codec ") + name + " (method byte " + hexByte(method) +
                                                       ") is not supported");
    throw Exception(ErrorCodes::UNKNOWN_CODEC, "Unknown codec family code: " + std::to_string(method));
}

}  // namespace basalt
