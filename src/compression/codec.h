// codec.h — compression codecs and ClickHouse's compressed block format (module overview below).
//
// The compression module turns byte streams into ClickHouse-compatible compressed blocks and back.
// MergeTree column files (.bin) and the native protocol are both sequences of such blocks:
//
//   [16] checksum: CityHash128 v1.0.2 (common/city_hash.h) of everything after it in the block,
//        stored as (low, high) little-endian words
//   [1]  method byte of the codec (NONE 0x02, LZ4/LZ4HC 0x82, ZSTD 0x90, Multiple 0x91, Delta 0x92,
//        T64 0x93, DoubleDelta 0x94, Gorilla 0x95)
//   [4]  compressed size, LE, counting the 9-byte codec header (method + both sizes) and the payload
//   [4]  uncompressed size, LE
//   [..] codec payload
//
// Files of the module:
//   codec.h / codec.cpp          ICompressionCodec; NONE, LZ4, LZ4HC, ZSTD, Multiple (codec chains);
//                                codecForMethodByte (the decoder for any block read from disk/network)
//   codec_delta.cpp              Delta, DoubleDelta, Gorilla — per-width templates, ClickHouse's layouts
//   codec_t64.cpp                T64 (bit-matrix transposition with a min/max header)
//   codec_parse.cpp              parseCodecSpec: CODEC(...) text -> codec, with ClickHouse's argument,
//                                type and chain ("allow_suspicious_codecs") validation and errors
//   compressed_block.h/.cpp      one block: checksum framing, header bounds, compressBlock/decompressBlock
//   compressed_file.h/.cpp       CompressedFileWriter (marks = compressed offset + offset in block,
//                                max/min compress block size, checksums.txt hashes) and
//                                CompressedFileReader (pread or memory, seek to a mark, verified blocks)
//
// Byte compatibility with ClickHouse (verified by the unit tests against column files and
// checksums.txt written by ClickHouse 26.7): NONE, Delta, DoubleDelta, Gorilla and T64 (both
// variants) produce bit-identical blocks, Multiple the identical framing, and the file/uncompressed
// hashes equal checksums.txt. LZ4, LZ4HC and ZSTD produce valid blocks either side decodes, but their
// bytes depend on the library version. Tails (size % width) follow ClickHouse: Delta, DoubleDelta and
// Gorilla copy the first size % width bytes verbatim; T64, like ClickHouse, refuses them (CANNOT_COMPRESS).
//
// Reading never trusts a size: block sizes are bounded (1 GiB, TOO_LARGE_SIZE_COMPRESSED) and checked
// against the bytes available (CANNOT_READ_ALL_DATA) before allocation, checksums are verified
// (CHECKSUM_DOESNT_MATCH) before decoding, and every decoder bounds its reads and writes
// (CANNOT_DECOMPRESS / CORRUPTED_DATA / INCORRECT_DATA for impossible payloads).
//
// One virtual call per block (compress/decompress); the per-value loops are templates instantiated
// per value width, never virtual.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

struct DataType;

namespace CompressionMethodByte {
enum : uint8_t {
    NONE = 0x02,
    LZ4 = 0x82,   // LZ4HC writes the same byte: the format is LZ4's, only the compressor differs
    ZSTD = 0x90,
    Multiple = 0x91,
    Delta = 0x92,
    T64 = 0x93,
    DoubleDelta = 0x94,
    Gorilla = 0x95,
};
}

// Codec header: method byte + compressed size + uncompressed size (ClickHouse's
// COMPRESSED_BLOCK_HEADER_SIZE). Every codec block, including the ones nested inside Multiple, has it.
constexpr size_t kCodecHeaderSize = 9;
constexpr size_t kChecksumSize = 16;
// Checksum + codec header: the bytes needed before a block's total size is known.
constexpr size_t kCompressedBlockHeaderSize = kChecksumSize + kCodecHeaderSize;
// ClickHouse's DBMS_MAX_COMPRESSED_SIZE: no block may claim more than 1 GiB compressed or
// uncompressed; anything larger is treated as corruption before any allocation happens.
constexpr size_t kMaxCompressedBlockSize = size_t(1) << 30;

class ICompressionCodec;
using CodecPtr = std::shared_ptr<const ICompressionCodec>;

class ICompressionCodec {
public:
    virtual ~ICompressionCodec() = default;

    virtual uint8_t methodByte() const = 0;

    // The codec as ClickHouse prints it inside CODEC(...): "LZ4", "ZSTD(3)", "Delta(4), LZ4" (a chain),
    // "T64('bit')", "DoubleDelta" (ClickHouse never prints DoubleDelta's width).
    const std::string& description() const { return description_; }
    std::string fullDescription() const { return "CODEC(" + description_ + ")"; }

    // Upper bound of what compress() writes for n input bytes, codec header included.
    size_t compressedBound(size_t n) const { return kCodecHeaderSize + maxPayloadSize(n); }

    // Writes the 9-byte codec header and the payload for src[0, n) to out (which must hold
    // compressedBound(n) bytes); returns the bytes written. n <= kMaxCompressedBlockSize.
    size_t compress(const char* src, size_t n, char* out) const;

    // `src` is one codec block of exactly n bytes (header + payload, as compress() wrote it; the method
    // byte must be this codec's). Writes exactly uncompressed_size bytes to dst, which must equal the
    // size recorded in the header. Malformed input throws (CORRUPTED_DATA, CANNOT_DECOMPRESS) and
    // never reads or writes out of bounds.
    void decompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const;

    // Classification used by ClickHouse's codec-chain sanity checks (see parseCodecSpec).
    virtual bool isCompression() const = 0;              // reduces size by itself (not a pure transform)
    virtual bool isGenericCompression() const { return false; }   // LZ4, LZ4HC, ZSTD
    virtual bool isNone() const { return false; }
    virtual bool isDeltaCompression() const { return false; }     // Delta, DoubleDelta
    virtual bool isFloatingPointTimeSeries() const { return false; }   // Gorilla

protected:
    explicit ICompressionCodec(std::string description) : description_(std::move(description)) {}

    virtual size_t maxPayloadSize(size_t n) const = 0;
    // Payload only (after the codec header); returns its size.
    virtual size_t doCompress(const char* src, size_t n, char* dst) const = 0;
    // `src` is the payload (n bytes); fills dst[0, uncompressed_size) completely or throws.
    virtual void doDecompress(const char* src, size_t n, char* dst, size_t uncompressed_size) const = 0;

private:
    std::string description_;
};

// --- Constructors. Widths are value sizes in bytes (1, 2, 4 or 8). ---------------------------------
CodecPtr makeNoneCodec();
CodecPtr makeLZ4Codec();
// level 0 is liblz4's default (9); ClickHouse stores and prints the given number, so LZ4HC without
// arguments prints as LZ4HC(0).
CodecPtr makeLZ4HCCodec(int level = 0);
// window_log != 0 enables zstd's long-distance matching with that window (ClickHouse's ZSTD(level, wlog)).
CodecPtr makeZSTDCodec(int level = 1, int window_log = 0);
CodecPtr makeDeltaCodec(uint8_t width);
CodecPtr makeDoubleDeltaCodec(uint8_t width);
CodecPtr makeGorillaCodec(uint8_t width);
enum class T64Variant : uint8_t { Byte, Bit };
// T64 stores the column's type in its payload, so it needs the type (ILLEGAL_SYNTAX_FOR_CODEC_TYPE for
// types it does not support: anything but 1/2/4/8-byte integers, dates, enums, Decimal32/64, IPv4).
CodecPtr makeT64Codec(const DataType& type, T64Variant variant = T64Variant::Byte);
// A chain applied left to right on compression (ClickHouse's CompressionCodecMultiple). A chain of one
// codec is that codec.
CodecPtr makeMultipleCodec(std::vector<CodecPtr> codecs);

// ClickHouse's default for MergeTree columns and the native protocol: LZ4.
CodecPtr defaultCodec();

// The codec that decodes blocks with this method byte (blocks carry everything needed to decode them:
// Delta/DoubleDelta/Gorilla store the width, T64 the type, Multiple the chain). UNKNOWN_CODEC for
// method bytes basalt does not implement.
CodecPtr codecForMethodByte(uint8_t method);

// Parses the text inside CODEC(...) — "Delta(4), ZSTD(3)", "DoubleDelta, LZ4", "T64('bit')" — into a
// codec, with ClickHouse's validation and error codes:
//   unknown family (or "Multiple")               UNKNOWN_CODEC (432)
//   wrong number of arguments                    ILLEGAL_SYNTAX_FOR_CODEC_TYPE (431)
//   bad argument value / non-literal argument    ILLEGAL_CODEC_PARAMETER (433)
//   literal of the wrong type (ZSTD('a'))        BAD_GET (170)
//   arguments to LZ4/NONE                        DATA_TYPE_CANNOT_HAVE_ARGUMENTS (378)
//   codec not applicable to the column type      BAD_ARGUMENTS (36); T64: ILLEGAL_SYNTAX_FOR_CODEC_TYPE
//   malformed text                               SYNTAX_ERROR (62)
// With sanity_check (ClickHouse's default; allow_suspicious_codecs=1 turns it off) meaningless chains
// are BAD_ARGUMENTS: NONE combined with anything, only transforms (Delta alone), anything after a
// generic compressor (LZ4, ZSTD), Gorilla on non-float columns, Delta/DoubleDelta before Gorilla.
//
// Width-taking codecs (Delta, DoubleDelta, Gorilla) without an argument take the width from the
// column's value size; with neither they use width 1. column_type may be null (no type checks; T64
// then can only decompress). The codec is checked against every data substream of the column
// (Nullable/Array/LowCardinality/Tuple/Map elements, as ClickHouse does) and built for the first one;
// composite columns whose substreams differ (Tuple(UInt32, UInt64) with Delta) call it again per
// substream type (codecSubstreamTypes).
CodecPtr parseCodecSpec(std::string_view spec, const DataType* column_type, bool sanity_check = true);

// What ClickHouse stores and prints for the column's codec, e.g. "CODEC(Delta(4), LZ4)" for
// "Delta, LZ4" on UInt32; same validation as parseCodecSpec. Arguments deduced from the type are
// filled in unless the column's substreams disagree (then the codec's text is kept as written).
std::string normalizeCodecSpec(std::string_view spec, const DataType* column_type, bool sanity_check = true);

// The codec ClickHouse's MergeTree writer uses for a column's structural substreams (null maps, array
// sizes, LowCardinality keys): only the generic compressors of the list (LZ4, LZ4HC, ZSTD, Default),
// or NONE when the list has none. "Delta, LZ4" on Array(UInt32) compresses the sizes with LZ4.
CodecPtr parseGenericCodecSpec(std::string_view spec);

// The types of a column's data substreams that codecs apply to: the type itself for plain columns;
// Nullable/Array unwrap, LowCardinality(T) is T, Tuple and Map contribute each element.
std::vector<const DataType*> codecSubstreamTypes(const DataType& type);

}  // namespace basalt
