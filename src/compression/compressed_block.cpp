// compressed_block.cpp — checksum framing and validation of single compressed blocks.
#include "compression/compressed_block.h"

#include "common/exception.h"
#include "compression/codec_internal.h"

namespace basalt {

using namespace compression_detail;

namespace {

std::string hex64(uint64_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4) s[size_t(i)] = digits[v & 15];
    return s;
}

[[noreturn]] void throwTruncated(size_t available, size_t needed) {
    throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Cannot read all data. Bytes read: " + std::to_string(available) +
                                                          ". Bytes expected: " + std::to_string(needed) + ".");
}

}  // namespace

void checkDecodedSizePlausible(const CompressedBlockHeader& h) {
    size_t payload = h.compressed_size - kCodecHeaderSize;
    bool ok = true;
    switch (h.method) {
        case CompressionMethodByte::NONE: ok = h.uncompressed_size == payload; break;
        case CompressionMethodByte::Delta: ok = h.uncompressed_size + 2 == payload; break;
        // An LZ4 sequence of k bytes expands to at most ~255 * k bytes.
        case CompressionMethodByte::LZ4: ok = h.uncompressed_size <= 256 * payload + 64; break;
        default: break;
    }
    if (!ok)
        throw Exception(ErrorCodes::CORRUPTED_DATA, "Compressed block of " + std::to_string(h.compressed_size) +
                                                        " bytes cannot hold " + std::to_string(h.uncompressed_size) +
                                                        " bytes with method byte " + std::to_string(h.method));
}

namespace {

template <typename Out>
size_t compressBlockImpl(const ICompressionCodec& codec, const char* src, size_t n, Out& out) {
    size_t start = out.size();
    out.resize(start + kChecksumSize + codec.compressedBound(n));
    char* block = out.data() + start;
    size_t size = codec.compress(src, n, block + kChecksumSize);
    Hash128 h = city::cityHash128(block + kChecksumSize, size);
    storeLE<uint64_t>(block, h.low);
    storeLE<uint64_t>(block + 8, h.high);
    out.resize(start + kChecksumSize + size);
    return kChecksumSize + size;
}

template <typename Out>
size_t decompressBlockImpl(const char* src, size_t available, Out& out) {
    if (available < kCompressedBlockHeaderSize) throwTruncated(available, kCompressedBlockHeaderSize);
    CompressedBlockHeader h = parseCompressedBlockHeader(src);
    if (available < h.totalSize()) throwTruncated(available, h.totalSize());
    verifyBlockChecksum(src, h);
    checkDecodedSizePlausible(h);
    size_t start = out.size();
    out.resize(start + h.uncompressed_size);
    decompressBlockInto(src, h, out.data() + start);
    return h.totalSize();
}

}  // namespace

CompressedBlockHeader parseCompressedBlockHeader(const char* src) {
    CompressedBlockHeader h;
    h.checksum.low = loadLE<uint64_t>(src);
    h.checksum.high = loadLE<uint64_t>(src + 8);
    h.method = uint8_t(src[kChecksumSize]);
    h.compressed_size = loadLE<uint32_t>(src + kChecksumSize + 1);
    h.uncompressed_size = loadLE<uint32_t>(src + kChecksumSize + 5);
    if (h.compressed_size > kMaxCompressedBlockSize)
        throw Exception(ErrorCodes::TOO_LARGE_SIZE_COMPRESSED, "Too large size_compressed_without_checksum: " +
                                                                   std::to_string(h.compressed_size) + ". Most likely corrupted data.");
    if (h.compressed_size < kCodecHeaderSize)
        throw Exception(ErrorCodes::CORRUPTED_DATA, "Can't decompress data: the compressed data size (" +
                                                        std::to_string(h.compressed_size) +
                                                        ", this should include header size) is less than the header size (9)");
    if (h.uncompressed_size > kMaxCompressedBlockSize)
        throw Exception(ErrorCodes::TOO_LARGE_SIZE_COMPRESSED, "Too large size_decompressed: " + std::to_string(h.uncompressed_size) +
                                                                   ". Most likely corrupted data.");
    return h;
}

size_t compressedBlockSize(const char* src, size_t available) {
    if (available < kCompressedBlockHeaderSize) return 0;
    return parseCompressedBlockHeader(src).totalSize();
}

void verifyBlockChecksum(const char* block, const CompressedBlockHeader& header) {
    Hash128 actual = city::cityHash128(block + kChecksumSize, header.compressed_size);
    if (actual == header.checksum) return;
    throw Exception(ErrorCodes::CHECKSUM_DOESNT_MATCH,
                    "Checksum doesn't match: corrupted data. Reference: " + hex64(header.checksum.low) + hex64(header.checksum.high) +
                        ". Actual: " + hex64(actual.low) + hex64(actual.high) +
                        ". Size of compressed block: " + std::to_string(header.compressed_size));
}

void decompressBlockInto(const char* block, const CompressedBlockHeader& header, char* dst) {
    CodecPtr codec = codecForMethodByte(header.method);
    codec->decompress(block + kChecksumSize, header.compressed_size, dst, header.uncompressed_size);
}

size_t compressBlock(const ICompressionCodec& codec, const char* src, size_t n, std::string& out) {
    return compressBlockImpl(codec, src, n, out);
}

size_t compressBlock(const ICompressionCodec& codec, const char* src, size_t n, PODArray<char>& out) {
    return compressBlockImpl(codec, src, n, out);
}

size_t decompressBlock(const char* src, size_t available, std::string& out) { return decompressBlockImpl(src, available, out); }

size_t decompressBlock(const char* src, size_t available, PODArray<char>& out) { return decompressBlockImpl(src, available, out); }

}  // namespace basalt
