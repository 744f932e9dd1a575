// compressed_block.h — one ClickHouse compressed block: the checksum framing around a codec block,
// header validation with ClickHouse's limits and error codes, and whole-block helpers for the native
// protocol (which exchanges exactly these blocks with ClickHouse clients and servers).
//
// Errors for damaged input, all thrown before anything large is allocated:
//   header's compressed size > 1 GiB or uncompressed size > 1 GiB    TOO_LARGE_SIZE_COMPRESSED (39)
//   compressed size smaller than the 9-byte codec header            CORRUPTED_DATA (246)
//   fewer bytes available than the header says (truncated block)    CANNOT_READ_ALL_DATA (33)
//   checksum mismatch                                               CHECKSUM_DOESNT_MATCH (40)
//   unknown method byte                                             UNKNOWN_CODEC (432)
//   payload that does not decode to the declared size               CANNOT_DECOMPRESS (271) / CORRUPTED_DATA
#pragma once
#include <string>

#include "common/city_hash.h"
#include "common/pod_array.h"
#include "compression/codec.h"

namespace basalt {

struct CompressedBlockHeader {
    Hash128 checksum;
    uint8_t method = 0;
    uint32_t compressed_size = 0;     // codec header + payload (what the checksum covers)
    uint32_t uncompressed_size = 0;

    size_t totalSize() const { return kChecksumSize + compressed_size; }   // the whole block on disk/wire
};

// Parses and bounds-checks the first kCompressedBlockHeaderSize bytes of a block. Does not look at the
// payload or the checksum.
CompressedBlockHeader parseCompressedBlockHeader(const char* src);

// How many bytes the block starting at src occupies, or 0 when fewer than kCompressedBlockHeaderSize
// bytes are available yet (a network reader waits for that many more). Validates the header.
size_t compressedBlockSize(const char* src, size_t available);

// Verifies the checksum of a complete block (`block` points at its checksum; header already parsed).
void verifyBlockChecksum(const char* block, const CompressedBlockHeader& header);

// Cheap upper bounds on what a payload can decode to where the method has one (NONE and Delta keep
// the size, LZ4 expands at most ~255x), so a tiny forged block cannot make a reader allocate up to
// the 1 GiB limit. CORRUPTED_DATA when the header's sizes are impossible. Call before allocating.
void checkDecodedSizePlausible(const CompressedBlockHeader& header);

// Decodes a complete, verified block into dst (header.uncompressed_size bytes of room).
void decompressBlockInto(const char* block, const CompressedBlockHeader& header, char* dst);

// Compresses src[0, n) into one block (checksum included) appended to out; returns the block's size.
size_t compressBlock(const ICompressionCodec& codec, const char* src, size_t n, std::string& out);
size_t compressBlock(const ICompressionCodec& codec, const char* src, size_t n, PODArray<char>& out);

// Decodes the block at the start of src[0, available) and appends its data to out; returns the bytes
// of src the block occupied. CANNOT_READ_ALL_DATA if the block is not complete within `available`.
size_t decompressBlock(const char* src, size_t available, std::string& out);
size_t decompressBlock(const char* src, size_t available, PODArray<char>& out);

}  // namespace basalt
