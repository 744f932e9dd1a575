// codec_internal.h — shared by the codec implementations of src/compression/ only: little-endian
// load/store helpers and the constructors of the decode-side codec instances that
// codecForMethodByte hands out. Not part of the module's public API (that is codec.h).
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "compression/codec.h"

namespace basalt::compression_detail {

// ClickHouse's formats are little-endian; basalt builds only for little-endian hosts, so these are
// plain unaligned copies.
static_assert(std::endian::native == std::endian::little, "compressed formats assume a little-endian host");

template <typename T>
inline T loadLE(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

template <typename T>
inline void storeLE(char* p, T v) {
    std::memcpy(p, &v, sizeof(T));
}

// Decoders for blocks whose method byte says Delta/DoubleDelta/Gorilla/T64: the width or type is read
// from each block, so these instances only decompress (compress throws LOGICAL_ERROR).
CodecPtr makeDeltaDecoder();
CodecPtr makeDoubleDeltaDecoder();
CodecPtr makeGorillaDecoder();
CodecPtr makeT64Decoder();

// T64 without a column type: ClickHouse accepts it in CODEC(...) when no type is known, and such a
// codec can only decompress.
CodecPtr makeT64CodecWithoutType(T64Variant variant);

// ZSTD(level, window_log) as ClickHouse builds it from two arguments: long-distance matching on,
// window_log 0 meaning zstd's default window (and printed as given).
CodecPtr makeZSTDLongRangeCodec(int level, int window_log);

// LZ4 codec whose description is "Default" (ClickHouse's CODEC(Default) alias of the default codec).
CodecPtr makeDefaultAliasCodec();

}  // namespace basalt::compression_detail
